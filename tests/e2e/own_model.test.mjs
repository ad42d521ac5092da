// Audit your own model (issue #20): the COMPAS tool's own decile score is audited as a model
// (threshold in decile units), its numbers equal Fairlearn's (the committed reference of the
// CLI's tests), it is compared with a logistic model trained here, and the report carries the
// comparison. Predictions kept in a second file are joined by an ID column. Nothing leaves the tab.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, serveStatic, screenshot, watchErrors, recordRequests, privacyViolations, ROOT } from './lib/harness.mjs';
import { App } from './lib/app.mjs';

const reference = JSON.parse(readFileSync(join(ROOT, 'tests/fixtures/compare/compas_compare.json'), 'utf8'));
const RATES = ['selection_rate', 'true_positive_rate', 'false_positive_rate', 'positive_predictive_value', 'accuracy'];

let server, context;
before(async () => { server = await serveStatic(); context = await launch(); });
after(async () => { await context?.close(); server?.close(); });

async function save(page, testId) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator(`[data-testid="${testId}"]`).click()]);
  return { name: download.suggestedFilename(), text: readFileSync(await download.path(), 'utf8') };
}

async function addOutput(page, column, setup) {
  await page.locator('[data-testid="output-column"]').selectOption(column);
  await page.locator('[data-testid="add-output"]').click();
  const row = page.locator('[data-testid="output-row"]').last();
  await setup(row);
}

async function setThreshold(row, value) {
  const input = row.locator('[data-testid="output-threshold"]');
  await input.fill(String(value));
  await input.dispatchEvent('change');
}

async function auditOutputs(app) {
  await app.byTestId('audit-outputs').click();
  await app.page.waitForFunction(() => !document.querySelector('[data-testid="busy"]')
    && (document.querySelector('[data-testid="results"]') || document.querySelector('[data-testid="error"]')));
}

/// Every rate of the group table equals Fairlearn's (to the 3 decimals shown).
async function checkGroupTable(page, model) {
  const groups = reference.models[model].by_group;
  const rows = page.locator('[data-testid="group-row"]');
  assert.equal(await rows.count(), Object.keys(groups).length);
  for (let i = 0; i < await rows.count(); i++) {
    const row = rows.nth(i);
    const name = (await row.locator('th').textContent()).trim();
    const group = Object.keys(groups).find((g) => name.startsWith(g));
    assert.ok(group, `group ${name} is in the reference`);
    for (const rate of RATES) {
      const shown = (await row.locator(`[data-testid="${rate.replace(/_/g, '-')}"]`).textContent()).trim();
      const want = groups[group][rate];
      assert.equal(shown, want === null ? shown : want.toFixed(3), `${group} ${rate}`);
    }
  }
}

test('COMPAS: decile_score ≥ 5 audited as a model equals Fairlearn, is compared with a trained model and reported', async () => {
  const recorder = recordRequests(context);
  const page = await context.newPage();
  const errors = watchErrors(page);
  const app = new App(page);
  await app.open(server.url);
  await app.loadBundled('compas');
  await app.goto('model');

  await addOutput(page, 'decile_score', async (row) => setThreshold(row, 5));
  await addOutput(page, 'score_text', async (row) => {
    assert.equal(await row.locator('[data-testid="output-kind"]').inputValue(), 'decision');
    await row.locator('[data-testid="output-positive"]').selectOption('High');
  });
  assert.match(await app.text('outputs-excluded'), /model_output\): decile_score, score_text/);
  await auditOutputs(app);
  assert.equal(await app.errorText(), null);
  assert.match(await app.text('external-note'), /decile_score ≥ 5 — audited on all 6172 rows/);
  await checkGroupTable(page, 'decile_score');
  const overall = reference.models.decile_score.overall;
  assert.equal(await app.text('test-accuracy'), overall.accuracy.toFixed(3));
  // Both outputs are already compared on the same rows.
  assert.equal(await page.locator('[data-testid="compare-row"]').count(), 2);
  await screenshot(page, 'own-model-audit');

  // Train a logistic model on the same roles (the outputs are not its features) and compare.
  await app.train();
  assert.equal(await app.errorText(), null);
  await app.byTestId('compare-models').click();
  await app.waitIdle();
  const names = await page.locator('[data-testid="compare-row"] th').allTextContents();
  assert.deepEqual(names.map((n) => n.trim()), ['logistic', 'decile_score', 'score_text']);
  // On the trained model's test rows (30 % of 6172), the same rows for every model.
  const rows = Number((await app.text('compare-rows')).match(/^(\d+) rows/)[1]);
  assert.ok(rows > 1500 && rows < 2200, `${rows} test rows`);
  await page.locator('[data-testid="compare-chart"]').scrollIntoViewIfNeeded();
  await screenshot(page, 'own-model-compare');

  const html = await save(page, 'export-html');
  assert.doesNotMatch(html.text, /<script/i);
  assert.ok(html.text.includes('Comparison of models'), 'the report carries the comparison');
  assert.ok(html.text.includes('decile_score'), 'with the uploaded output in it');

  assert.deepEqual(privacyViolations(recorder.log, new URL(server.url).origin), []);
  assert.deepEqual(errors, []);
  await page.close();
});

test('predictions in a second file are joined by ID; a duplicate ID is said in words', async () => {
  const recorder = recordRequests(context);
  const page = await context.newPage();
  const errors = watchErrors(page);
  const app = new App(page);
  await app.open(server.url);
  const lines = readFileSync(join(ROOT, 'static/data/compas_propublica.csv'), 'utf8').trim().split('\n');
  const header = lines[0].split(',');
  const keep = header.map((h, i) => (['decile_score', 'score_text', 'compas_high'].includes(h) ? -1 : i)).filter((i) => i >= 0);
  const decile = header.indexOf('decile_score');
  let features = `id,${keep.map((i) => header[i]).join(',')}\n`;
  const predictions = [];
  lines.slice(1).forEach((line, k) => {
    const cells = line.split(',');
    features += `p${k},${keep.map((i) => cells[i]).join(',')}\n`;
    predictions.push(`p${k},${cells[decile]}`);
  });
  predictions.reverse(); // another order: only the ID matches them

  await app.goto('data');
  await page.locator('[data-testid="file-input"]').setInputFiles({ name: 'features.csv', mimeType: 'text/csv', buffer: Buffer.from(features) });
  await app.waitIdle();
  await app.chooseRoles({ target: 'two_year_recid', positive: '1', sensitive: 'race' });
  await page.locator('[data-testid="join"] summary').click();

  // A duplicate ID stops the join with a sentence naming it.
  await page.locator('[data-testid="join-key"]').selectOption('id');
  const twice = `id,decile_score\n${predictions.join('\n')}\n${predictions[0]}\n`;
  await page.locator('[data-testid="join-file"]').setInputFiles({ name: 'scores.csv', mimeType: 'text/csv', buffer: Buffer.from(twice) });
  await app.waitIdle();
  // The file is read before the join is asked of the worker: wait for its answer, not for idle.
  await page.locator('[data-testid="error"]').waitFor();
  assert.match(await app.errorText(), /The ID 'p6171' appears more than once in column 'id' of the predictions file/);

  const scores = `id,decile_score\n${predictions.join('\n')}\n`;
  await page.locator('[data-testid="join-file"]').setInputFiles({ name: 'scores.csv', mimeType: 'text/csv', buffer: Buffer.from(scores) });
  await app.waitIdle();
  await page.locator('[data-testid="error"]').waitFor({ state: 'detached' });
  assert.equal(await app.errorText(), null);
  await addOutput(page, 'decile_score', async (row) => setThreshold(row, 5));
  await auditOutputs(app);
  assert.equal(await app.errorText(), null);
  await checkGroupTable(page, 'decile_score');
  const md = await save(page, 'export-markdown');
  assert.ok(md.text.includes("external — your own model's output column 'decile\\_score'"), md.text.slice(0, 3000));
  assert.match(md.text, /Name: features\.csv \+ scores\.csv/);
  assert.match(md.text, /Decision thresholds: African-American: 5;/, 'thresholds in decile units');
  assert.ok(md.text.includes('## Comparison of models'));

  assert.deepEqual(privacyViolations(recorder.log, new URL(server.url).origin), []);
  assert.deepEqual(errors, []);
  await page.close();
});
