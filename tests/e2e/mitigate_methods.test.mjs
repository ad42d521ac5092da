// Mitigation at every stage on the page (issue #22): exponentiated gradient run from the
// Mitigate step shows the same numbers as the CLI's `train --mitigation exponentiated_gradient
// --plane …` on the same bundled data (German credit), the one plane's table equals the CLI's
// `mitigations_considered` (values and intervals), a row of the plane becomes the model the
// Fairness step audits (a point of the chart too), the Explain step explains the exponentiated-
// gradient variant's expected score, Cancel keeps the audited variant, and the report carries
// "Mitigations considered".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { launch, serveStatic, screenshot, watchErrors, ROOT, save } from './lib/harness.mjs';
import { App } from './lib/app.mjs';

const CLI = process.env.FAIRGROUND_CLI || join(ROOT, 'target/debug/fairground');
const f3 = (x) => (x === null ? 'undefined' : x.toFixed(3));
const withInterval = (v, i) => (i ? `${f3(v)} [${f3(i[0])}, ${f3(i[1])}]` : f3(v));
const mdEscape = (s) => s.replace(/[[\]]/g, (c) => `\\${c}`);

let server, context;
before(async () => { server = await serveStatic(); context = await launch(); });
after(async () => { await context?.close(); server?.close(); });

test('German credit: exponentiated gradient and the one plane equal the CLI, a plane row is audited, the report lists them', async () => {
  const cli = JSON.parse(execFileSync(CLI, ['train', '--csv', join(ROOT, 'static/data/german_sex_age.csv'),
    '--target', 'credit', '--positive', '1', '--sensitive', 'sex', '--exclude', 'personal_status', '--model', 'logistic',
    '--mitigation', 'exponentiated_gradient', '--constraint', 'demographic_parity', '--plane', 'demographic_parity',
    '--json'], { encoding: 'utf8' }));
  const plane = cli.mitigations_considered;
  const eg = plane.points.find((p) => p.method === 'exponentiated_gradient');

  const page = await context.newPage();
  const errors = watchErrors(page);
  const app = new App(page);
  await app.open(server.url);
  await app.loadBundled('german');
  await app.chooseRoles({ model: 'logistic' });
  await app.train();
  assert.equal(await app.errorText(), null);
  await app.goto('mitigate');

  // Exponentiated gradient with its parameters: the predictors, their weights, the numbers.
  await app.byTestId('method').selectOption('exponentiated_gradient');
  await app.byTestId('reduction-constraint').selectOption('demographic_parity');
  await app.byTestId('eps').fill('0.01');
  await app.byTestId('eps').dispatchEvent('change');
  await app.byTestId('run-method').click();
  await app.byTestId('method-result').waitFor();
  await app.waitIdle();
  assert.equal(await app.errorText(), null);
  assert.equal(await app.text('method-accuracy'), f3(eg.test_accuracy));
  assert.equal(await app.text('method-disparity'), f3(eg.test_disparity));
  const weights = await page.locator('[data-testid="predictor-weight"]').allTextContents();
  assert.deepEqual(weights.map((w) => w.trim()), cli.mitigation.weights.map((w) => w.toFixed(3)));
  assert.equal(await page.locator('[data-testid="predictor-row"][data-chosen="true"]').count(), 1);

  // The one plane: every row equals the CLI's, intervals included.
  await app.byTestId('build-plane').click();
  await app.byTestId('plane-table').waitFor();
  await app.waitIdle();
  const rows = page.locator('[data-testid="plane-row"]');
  assert.equal(await rows.count(), plane.points.length);
  for (let i = 0; i < plane.points.length; i++) {
    const p = plane.points[i];
    const row = rows.nth(i);
    assert.equal(await row.getAttribute('data-method'), p.method);
    assert.equal((await row.locator('[data-testid="plane-accuracy"]').textContent()).trim(),
      withInterval(p.test_accuracy, p.test_accuracy_interval), `${p.method} ${p.label} accuracy`);
    assert.equal((await row.locator('[data-testid="plane-disparity-value"]').textContent()).trim(),
      withInterval(p.test_disparity, p.test_disparity_interval), `${p.method} ${p.label} disparity`);
  }
  await page.locator('[data-testid="plane-chart"]').scrollIntoViewIfNeeded();
  await screenshot(page, 'mitigate-plane');

  // A point of the chart becomes the audited model: read out with the keyboard (Enter picks
  // it), then clicked with the mouse where its read-out points.
  const canvas = page.locator('[data-testid="plane-chart"]');
  await canvas.focus();
  for (let i = 0; i < 40 && !/^reweighing/.test(await app.text('plane-chart-readout')); i++) {
    await page.keyboard.press('ArrowRight');
  }
  assert.match(await app.text('plane-chart-readout'), /^reweighing/);
  const at = await page.locator('[data-testid="chart-tooltip"]').evaluate((el) => ({ x: parseFloat(el.style.left), y: parseFloat(el.style.top) }));
  await page.keyboard.press('Escape');
  await canvas.click({ position: at });
  await app.waitIdle();
  assert.equal(await app.errorText(), null);
  await page.locator('[data-testid="test-accuracy"]').waitFor();
  await app.goto('mitigate');
  assert.match(await app.text('variant-note'), /audits reweighing\. The Explain step explains it\./);
  const rwRow = page.locator('[data-testid="plane-row"][data-method="reweighing"]');
  assert.equal((await rwRow.locator('[data-testid="audit-variant"]').textContent()).trim(), 'Audited now');

  // A plane row becomes the audited model: the Fairness step shows the CLI's mitigated accuracy.
  const egRow = page.locator('[data-testid="plane-row"][data-method="exponentiated_gradient"]');
  await egRow.locator('[data-testid="audit-variant"]').click();
  await app.waitIdle();
  await page.locator('[data-testid="test-accuracy"]').waitFor();
  assert.equal(await app.text('test-accuracy'), cli.test_accuracy.toFixed(3));
  await app.goto('mitigate');
  assert.match(await app.text('variant-note'), /audits exponentiated gradient\. The Explain step explains its expected score/);
  assert.equal((await egRow.locator('[data-testid="audit-variant"]').textContent()).trim(), 'Audited now');

  // The Explain step explains the mixture's expected score (KernelSHAP and LIME), no refusal.
  await app.goto('explain');
  await app.byTestId('row-score').waitFor();
  await app.waitIdle();
  assert.equal(await app.errorText(), null);
  assert.match(await app.text('explained-variant'), /exponentiated gradient: its expected score/);
  await app.byTestId('shap-chart').waitFor();
  await app.byTestId('lime-chart').waitFor();
  const egScore = await app.text('row-score');
  await screenshot(page, 'explain-eg-variant');

  // Cancel on a later long request keeps the audited variant: the fresh worker explains the
  // same expected score.
  await app.goto('mitigate');
  await app.byTestId('build-plane').click();
  await page.locator('[data-testid="busy"] button').click();
  await app.waitIdle();
  await app.goto('explain');
  await app.byTestId('explain').click();
  await app.waitIdle();
  assert.equal(await app.errorText(), null);
  assert.equal(await app.text('row-score'), egScore);
  await app.goto('mitigate');

  // The report carries the plane's rows.
  const md = await save(page, 'export-markdown');
  assert.match(md, /## Mitigations considered/);
  assert.ok(md.includes(`| exponentiated gradient | in | train | ${mdEscape(withInterval(eg.test_accuracy, eg.test_accuracy_interval))} |`), md);
  const card = await save(page, 'export-card-json');
  assert.equal(JSON.parse(card).quantitative_analyses.mitigations_considered.points.length, plane.points.length);
  assert.deepEqual(errors, []);
  await page.close();
});
