// Explaining a model that isn't here (issue #20): on COMPAS, the tool's decile score is picked
// from the comparison as the model of the later steps; the Explain step fits a global surrogate
// of it, shows its fidelity, refuses below the fidelity the user requires and, once the user
// lowers it, explains the surrogate, labelled so on the page and in the report. A worker lost
// afterwards gets the outputs (and the required fidelity) back, and a share link carries the
// choice of outputs. Nothing leaves the tab.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { launch, serveStatic, screenshot, watchErrors, recordRequests, privacyViolations, save, appWorker } from './lib/harness.mjs';
import { App } from './lib/app.mjs';

let server, context;
before(async () => { server = await serveStatic(); context = await launch(); });
after(async () => { await context?.close(); server?.close(); });

async function addOutput(page, column, setup) {
  await page.locator('[data-testid="output-column"]').selectOption(column);
  await page.locator('[data-testid="add-output"]').click();
  await setup(page.locator('[data-testid="output-row"]').last());
}

async function setRequired(app, value) {
  const input = app.byTestId('surrogate-required');
  await input.fill(String(value));
  await input.dispatchEvent('change');
  await app.waitIdle();
}

test('COMPAS: the decile score, picked from the comparison, is explained through its surrogate', async () => {
  const recorder = recordRequests(context);
  const page = await context.newPage();
  const errors = watchErrors(page);
  const app = new App(page);
  await app.open(server.url);
  await app.loadBundled('compas');
  await app.goto('model');
  await addOutput(page, 'decile_score', async (row) => {
    const input = row.locator('[data-testid="output-threshold"]');
    await input.fill('5');
    await input.dispatchEvent('change');
  });
  await addOutput(page, 'score_text', async (row) => row.locator('[data-testid="output-positive"]').selectOption('High'));

  // A logistic model trained here is the current model; the comparison holds all three.
  await app.train();
  await app.byTestId('compare-models').click();
  await app.waitIdle();
  assert.equal(await page.locator('[data-testid="compare-row"]').count(), 3);
  assert.equal(await page.locator('[data-testid="compare-row"]').first().locator('[data-testid="compare-active"]').count(), 1);

  // Pick the decile score: it becomes the model, and the comparison keeps every model.
  await page.locator('[data-testid="compare-row"]', { hasText: 'decile_score' }).locator('[data-testid="use-model"]').click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="compare-row"]').length === 3
    && !document.querySelector('[data-testid="busy"]'));
  await app.waitIdle();
  assert.equal(await app.errorText(), null);
  assert.match(await app.text('external-note'), /decile_score ≥ 5/);
  const active = page.locator('[data-testid="compare-row"]', { has: page.locator('[data-testid="compare-active"]') });
  assert.match(await active.locator('th').textContent(), /decile_score/);

  // The Explain step fits the surrogate and shows its fidelity.
  await app.goto('explain');
  await app.byTestId('surrogate-fidelity').waitFor();
  await app.waitIdle();
  const fidelityText = await app.text('surrogate-fidelity');
  const fidelity = Number(fidelityText.match(/fidelity R² (-?[0-9.]+) on (\d+) held-out rows/)[1]);
  assert.match(fidelityText, /on 1234 held-out rows/, fidelityText);
  assert.ok(fidelity > 0 && fidelity < 1, fidelityText);
  // Output columns are never its features.
  const fitted = await page.locator('[data-testid="surrogate"] .hint').first().textContent();
  assert.doesNotMatch(fitted, /decile_score|score_text/, fitted);

  // Above its fidelity: refused, with the reason and the number.
  await setRequired(app, (fidelity + 0.01).toFixed(3));
  assert.match(await app.text('surrogate-refused'), new RegExp(`R² ${fidelity.toFixed(3)} on the 1234 rows held out`));
  assert.equal(await app.byTestId('row-score').count(), 0, 'nothing is explained');

  // Lowered below it: the row is explained, every heading says it is the surrogate.
  await setRequired(app, (fidelity - 0.05).toFixed(3));
  await app.byTestId('row-score').waitFor();
  await app.waitIdle();
  assert.equal(await app.byTestId('surrogate-refused').count(), 0);
  const label = `surrogate (fidelity R² ${fidelity.toFixed(3)})`;
  assert.ok((await app.text('explain-step')).includes(`Explain a decision — of a ${label}`));
  await app.byTestId('lime-chart').waitFor();
  await app.byTestId('run-pdp').click();
  await app.waitIdle();
  assert.equal(await app.errorText(), null);
  await screenshot(page, 'own-model-surrogate');

  // The report says what was explained.
  await app.goto('fairness');
  const md = await save(page, 'export-markdown');
  assert.ok(md.includes(`explained by lime of a ${label} fitted to your model's outputs`), md.slice(-3000));

  // A share link carries the outputs in use (their columns and rules; the data stay here).
  await app.byTestId('share-link').click();
  const url = await app.byTestId('share-url').inputValue();
  assert.ok(url.includes('#v=2&s='), url);

  // The worker dies; the fresh one gets the outputs and the lowered fidelity back.
  const dead = await appWorker(page);
  await dead.evaluate(() => { setTimeout(() => { throw new Error('test: the worker died'); }, 0); });
  await app.byTestId('worker-failed').waitFor();
  await app.byTestId('restore-worker').click();
  await page.waitForFunction(() => !document.querySelector('[data-testid="worker-failed"]'));
  await app.waitIdle();
  await app.goto('explain');
  await app.byTestId('explain').click();
  await app.waitIdle();
  assert.equal(await app.errorText(), null);
  assert.ok((await app.text('explain-step')).includes(label));

  // The link opens the same experiment: the decile score audited, no training.
  const shared = await context.newPage();
  const other = new App(shared);
  await shared.goto(url);
  await other.byTestId('external-note').waitFor();
  await other.waitIdle();
  assert.match(await other.text('external-note'), /decile_score ≥ 5 — audited on all 6172 rows/);
  assert.match(await other.text('external-note'), /Thresholds now: 5 in decile_score's units/);
  await shared.close();

  assert.deepEqual(privacyViolations(recorder.log, new URL(server.url).origin), []);
  assert.deepEqual(errors.filter((e) => !/test: the worker died/.test(e)), []);
  await page.close();
});
