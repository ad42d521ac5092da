// The service worker behaves: it is versioned by the build, a new build replaces the old one's
// cache, it deletes only its own stale caches (never another app's on the same origin, nor
// another copy of Fairground under another path), and a query string never makes a new entry.
// "Two builds": a copy of dist/, then the copy changed and versioned again by the same post-build
// script Trunk runs (scripts/trunk_post_build.sh).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from './lib/app.mjs';
import { DIST, ROOT, launch, serveStatic } from './lib/harness.mjs';

let site, server, context;
before(async () => {
  site = mkdtempSync(join(tmpdir(), 'fairground-site-'));
  cpSync(DIST, site, { recursive: true });
  server = await serveStatic(site);
  context = await launch();
});
after(async () => { await context?.close(); server?.close(); });

const buildId = () => /const BUILD = '([0-9a-f]+)'/.exec(readFileSync(join(site, 'sw.js'), 'utf8'))?.[1];
const cacheNames = (page) => page.evaluate(() => caches.keys());

test('a new build replaces the old one\'s cache, and only Fairground\'s own stale caches are removed', async () => {
  const first = buildId();
  assert.match(first ?? '', /^[0-9a-f]{16}$/, 'dist/sw.js carries the build id written by the post-build hook');
  const page = await context.newPage();
  const app = new App(page);
  await app.open(server.url);
  await app.byTestId('offline-note').waitFor({ state: 'attached' });
  await page.evaluate(() => navigator.serviceWorker.ready);
  assert.deepEqual(await cacheNames(page), [`fairground:/:${first}`]);

  // Other caches of the origin: another app's, another copy of Fairground under another path,
  // and a stale cache of this copy.
  await page.evaluate(async () => {
    for (const name of ['another-app', 'fairground:/elsewhere/:0123456789abcdef', 'fairground:/:stale']) {
      await (await caches.open(name)).put(`/${name}-probe`, new Response('x'));
    }
  });
  // Query strings never make new entries.
  await page.evaluate(() => Promise.all([fetch('./main.css?v=1'), fetch('./main.css?v=2'), fetch('./data/LICENCE.md?x=1')]));
  // The service worker stores a response after answering with it: wait until it is stored.
  const cached = (name) => page.evaluate(async (n) => (await (await caches.open(n)).keys()).map((r) => r.url), name);
  let entries = await cached(`fairground:/:${first}`);
  for (let i = 0; i < 100 && !entries.some((u) => u.endsWith('/data/LICENCE.md')); i++) {
    await page.waitForTimeout(50);
    entries = await cached(`fairground:/:${first}`);
  }
  assert.ok(entries.every((u) => !u.includes('?')), JSON.stringify(entries));
  assert.ok(entries.some((u) => u.endsWith('/data/LICENCE.md')), 'a bundled file is cached when used');

  // A new build: one file changed, the site versioned again by the build's own hook.
  appendFileSync(join(site, 'main.css'), '\n/* the second build */\n');
  execFileSync('bash', [join(ROOT, 'scripts/trunk_post_build.sh'), site], { stdio: 'pipe' });
  const second = buildId();
  assert.notEqual(second, first, 'a changed build has a new id');

  await page.reload();
  await app.byTestId('privacy-note').waitFor();
  // The browser finds the new sw.js on this navigation, installs it, and it activates.
  let names = [];
  for (let i = 0; i < 200; i++) {
    names = (await cacheNames(page)).sort();
    if (names.includes(`fairground:/:${second}`) && !names.includes(`fairground:/:${first}`)) break;
    await page.waitForTimeout(100);
  }
  assert.deepEqual(names, ['another-app', 'fairground:/:' + second, 'fairground:/elsewhere/:0123456789abcdef'].sort());

  // Offline, the new build is what the cache serves.
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.waitForFunction(() => navigator.serviceWorker.controller);
  await context.setOffline(true);
  try {
    await page.reload();
    await app.byTestId('privacy-note').waitFor();
    const css = await page.evaluate(() => fetch('./main.css').then((r) => r.text()));
    assert.match(css, /the second build/);
  } finally {
    await context.setOffline(false);
  }
  await page.close();
});
