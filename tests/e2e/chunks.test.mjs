// The page's module is split (src/ui/chunks.rs, scripts/split.sh): the page starts with the
// frame and the Data step, and fetches each other step's code from its own origin when needed.
// This checks that the release build really is split, that nothing but the page's own module is
// fetched before a dataset is in, and that a chunk that cannot be fetched is said in words, with
// a "Try again" that recovers, instead of aborting the module.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { App } from './lib/app.mjs';
import { DIST, serveStatic, launch, recordRequests, watchErrors, screenshot } from './lib/harness.mjs';

let server, context;

before(async () => {
  server = await serveStatic();
  // No service worker: it would answer the chunk requests that this test makes fail.
  context = await launch({ serviceWorkers: 'block' });
});
after(async () => {
  await context?.close();
  server?.close();
});

const isChunk = (url) => /\/(split_[a-z_]+|chunk_[0-9]+)\.wasm$/.test(new URL(url).pathname);

test('the release build is split, and the page starts without the steps\' chunks', async () => {
  const files = readdirSync(DIST);
  assert.ok(files.includes('__wasm_split.js'), `no split loader in dist/: ${files.join(' ')}`);
  assert.ok(files.includes('split_flow.wasm') && files.includes('split_learn.wasm'), files.join(' '));

  const recorder = recordRequests(context);
  const page = await context.newPage();
  const app = new App(page);
  await app.open(server.url);
  await app.byTestId('load-german').waitFor();
  assert.deepEqual(recorder.log.filter((r) => isChunk(r.url)), [], 'a chunk was fetched before any data');

  // The Learn step fetches its chunk on demand and shows its lesson.
  await app.goto('learn');
  await app.byTestId('lesson').first().waitFor();
  assert.ok(recorder.log.some((r) => r.url.endsWith('/split_learn.wasm')), 'the lessons\' chunk was fetched');
  await page.close();
});

test('a step whose code cannot be fetched says so, and "Try again" recovers', async () => {
  const page = await context.newPage();
  const errors = watchErrors(page);
  const app = new App(page);
  let blocked = true;
  await page.route(/\/(split_flow|chunk_[0-9]+)\.wasm$/, (route) => (blocked ? route.abort('internetdisconnected') : route.continue()));
  await app.open(server.url);
  await app.loadBundled('german');
  await app.goto('model');
  const failure = app.byTestId('step-load-error');
  await failure.waitFor();
  assert.match(await failure.textContent(), /could not be fetched.*Your data and results are still here/s);
  assert.equal(await app.byTestId('fatal').count(), 0, 'the module did not abort');
  await screenshot(page, 'chunks-load-failed');

  blocked = false;
  await app.byTestId('step-load-retry').click();
  await app.byTestId('target').waitFor();
  assert.equal(await failure.count(), 0);
  // The data loaded before the failure is still there.
  assert.match(await app.text('dataset-summary'), /1000 rows/);
  // The only errors are the failed fetches the loader logged.
  assert.deepEqual(errors.filter((e) => !/Failed to fetch|ERR_INTERNET_DISCONNECTED|TypeError: Failed/.test(e)), []);
  await page.close();
});
