// The playground journey on a bundled dataset: train each model, move a threshold slider and see
// the numbers change, run each automatic constraint, draw the frontier, explain a row, edit it,
// find a counterfactual — with training in a Web Worker, nothing sent anywhere, and a screenshot
// per step. (How long main-thread tasks take is measured by benches/app_speed.mjs, not asserted.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, serveStatic, screenshot, watchErrors, recordRequests, privacyViolations } from './lib/harness.mjs';
import { App } from './lib/app.mjs';

let server, context;
before(async () => { server = await serveStatic(); context = await launch(); });
after(async () => { await context?.close(); server?.close(); });

const num = (s) => Number(String(s).trim().split(/\s/)[0]);

test('train, audit, mitigate and explain on the bundled German credit data', async () => {
  const recorder = recordRequests(context);
  const page = await context.newPage();
  const errors = watchErrors(page);
  const app = new App(page);
  await app.open(server.url);
  await app.loadBundled('german');
  await screenshot(page, 'journey-1-data');

  // Every model trains; training happens in the worker.
  for (const model of ['tree', 'naive_bayes', 'logistic']) {
    await app.chooseRoles({ model });
    await app.train();
    assert.ok(page.workers().length >= 1, `${model}: a Web Worker is running after training`);
    assert.equal(await app.errorText(), null, model);
    assert.match(await app.text('test-accuracy'), /^0\.\d{3}$/, model);
  }
  assert.equal(await page.locator('[data-testid="group-row"]').count(), 2);
  await screenshot(page, 'journey-2-fairness');

  // Exact values on hover, and by keyboard: the first bar of the rates chart reads the first
  // group's selection rate exactly as the table shows it.
  const chart = page.locator('[data-testid="selection-chart"]');
  const firstGroup = (await page.locator('[data-testid="group-row"] th').first().textContent()).trim();
  const firstRate = (await page.locator('[data-testid="group-row"] [data-testid="selection-rate"]').first().textContent()).trim().split(/\s/)[0];
  await chart.focus();
  await chart.press('ArrowRight');
  const tip = page.locator('[data-testid="chart-tooltip"]');
  await tip.waitFor();
  assert.match(await tip.textContent(), new RegExp(`^${firstGroup} — selection rate ${firstRate.replace('.', '\\.')}`));
  assert.equal((await app.text('selection-chart-readout')), (await tip.textContent()).trim());
  const box = await chart.boundingBox();
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.7);
  await screenshot(page, 'journey-2-hover');
  await page.mouse.move(0, 0);

  // Intervals from the bootstrap (in the worker).
  await page.locator('[data-testid="compute-ci"]').click();
  await app.waitIdle();
  assert.match(await page.locator('[data-testid="disparity-demographic-parity-difference"] .value').textContent(), /^\d\.\d{3} \[\d\.\d{3}, \d\.\d{3}\]$/);

  // A threshold slider moves the numbers at once.
  await app.goto('mitigate');
  const before = await page.locator('[data-testid="selection-rate"]').first().textContent();
  await page.locator('[data-testid="threshold-slider"]').first().fill('0.8');
  assert.equal(await page.locator('[data-testid="threshold-value"]').first().textContent(), '0.80');
  const after = await page.locator('[data-testid="selection-rate"]').first().textContent();
  assert.ok(num(after) < num(before), `selection rate ${before} → ${after}`);
  await screenshot(page, 'journey-3-slider');

  // Every automatic constraint: the rule is fitted on the training rows, where at tolerance 0 the
  // randomised rule closes its gap (in sample), and judged on the untouched test rows.
  for (const constraint of ['equalized_odds', 'equal_opportunity', 'demographic_parity', 'false_positive_rate_parity']) {
    await page.locator('[data-testid="constraint"]').selectOption(constraint);
    await page.locator('[data-testid="run-mitigation"]').click();
    await app.waitIdle();
    const gap = await page.locator('[data-testid="rules-randomised"] [data-testid="rule-gap"]').textContent();
    assert.ok(Number.isFinite(num(gap)), `${constraint}: test-row gap ${gap}`);
    const hint = await page.locator('[data-testid="in-sample-gap"]').textContent();
    const inSample = hint.match(/randomised rule's gap was (\d\.\d+)/);
    assert.ok(inSample && Number(inSample[1]) <= 0.001, `${constraint}: in-sample gap in "${hint}"`);
    const accuracy = num(await page.locator('[data-testid="rules-randomised"] [data-testid="rule-accuracy"]').textContent());
    assert.ok(accuracy > 0.5 && accuracy <= 1, `${constraint}: accuracy ${accuracy}`);
  }
  await page.locator('[data-testid="apply-deterministic"]').click();
  await page.locator('[data-testid="run-frontier"]').click();
  await app.waitIdle();
  assert.equal(await page.locator('[data-testid="impossibility"] tbody tr').count(), 2);
  await screenshot(page, 'journey-4-mitigate');

  // Explain a row, edit it, find a counterfactual.
  await app.goto('explain');
  await page.locator('[data-testid="lime-chart"]').waitFor();
  await app.waitIdle();
  const score = num(await app.text('row-score'));
  assert.ok(score >= 0 && score <= 1);
  const edit = page.locator('[data-testid="edit-input"][data-column="credit_amount"]');
  await edit.fill('15000');
  await edit.press('Tab');
  await page.waitForFunction(() => /before your 1 edit/.test(document.body.textContent));
  await app.waitIdle();
  const edited = num(await app.text('row-score'));
  assert.notEqual(edited, score, 'the edit changed the score');
  await page.locator('[data-testid="run-counterfactuals"]').click();
  await app.waitIdle();
  const cfText = await page.locator('[data-testid="counterfactuals"]').textContent();
  assert.doesNotMatch(cfText, /sex: /, 'the sensitive attribute is locked');
  // The test rows hold both decisions, so at least the nearest real row with the opposite
  // decision exists; every counterfactual shown must be on the other side of 0.5.
  const found = await page.locator('[data-testid="counterfactual"]').allTextContents();
  assert.ok(found.length >= 1, `a counterfactual is shown: ${cfText}`);
  for (const item of found) {
    const cf = Number(/Score (\d\.\d{3})/.exec(item)?.[1]);
    assert.ok(cf >= 0 && cf <= 1, `a score in ${item}`);
    if (Math.abs(cf - 0.5) > 0.001 && Math.abs(edited - 0.5) > 0.001) {
      assert.notEqual(cf >= 0.5, edited >= 0.5, `${item} flips the decision of the row (score ${edited})`);
    }
  }
  await page.locator('[data-testid="run-stability"]').click();
  await app.waitIdle();
  // The verdict is one of the three levels, over the 10 seeds, with its Jaccard figures.
  const stability = await app.text('stability');
  assert.match(stability, /^(Stable|Somewhat stable|Unstable): .*across 10 runs/, stability);
  const jaccard = /Jaccard (\d\.\d{2}) on average \(lowest (\d\.\d{2})\)/.exec(stability);
  assert.ok(jaccard && Number(jaccard[2]) <= Number(jaccard[1]) && Number(jaccard[1]) <= 1, stability);
  assert.ok(await page.locator('[data-testid="stability"] tbody tr').count() >= 1, 'one row per chosen condition');
  // How the (logistic) model decides overall.
  await page.locator('[data-testid="run-global"]').click();
  await app.waitIdle();
  assert.ok(await page.locator('[data-testid="permutation-importance"] tbody tr').count() >= 5);
  assert.ok(await page.locator('[data-testid="coefficients"] tbody tr').count() >= 5);
  await screenshot(page, 'journey-5-explain');

  assert.deepEqual(privacyViolations(recorder.log, new URL(server.url).origin), []);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a CSV whose header and cells hold markup shows it as text', async () => {
  const page = await context.newPage();
  const app = new App(page);
  await app.open(server.url);
  let csv = '<script>alert(1)</script>,"<img src=x onerror=alert(2)>",approved\n';
  for (let i = 0; i < 120; i++) csv += `${i % 50},${i % 3 === 0 ? '<b>B</b>' : '<i>A</i>'},${(i * 7) % 5 > 2 ? 'yes' : 'no'}\n`;
  await page.locator('[data-testid="step-data"]').click();
  await page.locator('[data-testid="file-input"]').setInputFiles({ name: 'markup.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await app.waitIdle();
  await app.goto('data');
  const table = await page.locator('[data-testid="column-table"]').textContent();
  assert.ok(table.includes('<script>alert(1)</script>'), 'the header is shown as text');
  assert.ok(table.includes('<b>B</b>') || table.includes('<i>A</i>'), 'cells are shown as text');
  assert.equal(await page.locator('[data-testid="column-table"] script, [data-testid="column-table"] img, [data-testid="column-table"] b').count(), 0);
  await page.close();
});

test('a synthetic proxy-bias preset: without the sensitive column the gap stays, and the proxy is named', async () => {
  const page = await context.newPage();
  const errors = watchErrors(page);
  const app = new App(page);
  await app.open(server.url);
  await app.goto('data');
  await page.locator('[data-testid="synth-proxy_bias"]').click();
  await app.waitIdle();
  assert.match(await app.text('dataset-summary'), /rows × \d+ columns/);
  await app.goto('model');
  await page.locator('[data-testid="drop-sensitive"]').check();
  await app.train();
  assert.equal(await app.errorText(), null);
  const gap = Number((await page.locator('[data-testid="disparity-demographic-parity-difference"] .value').textContent()).trim());
  assert.ok(gap > 0.1, `selection-rate gap without the sensitive column: ${gap}`);
  await app.goto('model');
  await page.locator('[data-testid="data-audit"]').waitFor();
  assert.match(await app.text('proxy-warning'), /zip_code/);
  await screenshot(page, 'journey-synthetic-proxy');
  assert.deepEqual(errors, []);
  await page.close();
});
