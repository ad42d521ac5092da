// Offline use and static hosting: after one visit the app works with the network off (a service
// worker caches the app's own files), and dist/ works from a sub-path of any static host.
// Service-worker traffic is recorded too, and it is only same-origin GETs of the app's files.
process.env.PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS = '1';
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, serveStatic, recordRequests, privacyViolations, watchErrors, screenshot, ROOT } from './lib/harness.mjs';
import { App } from './lib/app.mjs';

let server, context;
before(async () => { server = await serveStatic(); context = await launch(); });
after(async () => { await context?.close(); server?.close(); });

test('after one visit the app loads, trains and explains with the network off', async () => {
  const recorder = recordRequests(context);
  const page = await context.newPage();
  const errors = watchErrors(page);
  const app = new App(page);
  await app.open(server.url);
  await page.locator('[data-testid="offline-note"]').waitFor();
  assert.match(await app.text('offline-note'), /offline/);
  await app.loadBundled('german');
  await app.train();
  await context.setOffline(true);
  await page.reload();
  await app.byTestId('privacy-note').waitFor();
  await app.loadBundled('german');
  await app.train();
  assert.equal(await app.errorText(), null);
  assert.match(await app.text('test-accuracy'), /^0\.\d{3}$/);
  await screenshot(page, 'offline');
  await context.setOffline(false);
  assert.ok(recorder.log.length > 0);
  assert.deepEqual(privacyViolations(recorder.log, new URL(server.url).origin), []);
  assert.deepEqual(errors.filter((e) => !/ERR_INTERNET_DISCONNECTED|Failed to load resource/.test(e)), []);
  await page.close();
});

test('dist/ works from a sub-path', async () => {
  const root = await serveStatic(ROOT);
  try {
    const page = await context.newPage();
    const app = new App(page);
    await app.open(`${root.url}dist/`);
    await app.loadBundled('german');
    await app.train();
    assert.equal(await app.errorText(), null);
    assert.match(await app.text('test-accuracy'), /^0\.\d{3}$/);
    await page.close();
  } finally {
    root.close();
  }
});
