// The playground journey on a bundled dataset: train each model, move a threshold slider and see
// the numbers change, run each automatic constraint, draw the frontier, explain a row, edit it,
// find a counterfactual — with training in a Web Worker, no long main-thread task, nothing sent
// anywhere, and a screenshot per step.
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
  // Long tasks on the main thread are observed from the start.
  await page.evaluate(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longTasks.push(e.duration); })
      .observe({ type: 'longtask', buffered: false });
  });
  await app.loadBundled('german');
  await screenshot(page, 'journey-1-data');

  // Every model trains; training happens in the worker.
  for (const model of ['tree', 'naive_bayes', 'logistic']) {
    await app.chooseRoles({ model });
    const workers = page.workers().length;
    await app.train();
    assert.ok(workers >= 1, 'a Web Worker is running');
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
  const longTasks = await page.evaluate(() => window.__longTasks);
  assert.ok(longTasks.every((d) => d <= 100), `main-thread long tasks over 100 ms: ${longTasks}`);

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

  // Every automatic constraint: at tolerance 0 the randomised rule closes its gap.
  for (const constraint of ['equalized_odds', 'equal_opportunity', 'demographic_parity', 'false_positive_rate_parity']) {
    await page.locator('[data-testid="constraint"]').selectOption(constraint);
    await page.locator('[data-testid="run-mitigation"]').click();
    const gap = await page.locator('[data-testid="rules-randomised"] [data-testid="rule-gap"]').textContent();
    assert.ok(num(gap) <= 0.001, `${constraint}: gap ${gap}`);
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
  assert.notEqual(num(await app.text('row-score')), score, 'the edit changed the score');
  await page.locator('[data-testid="run-counterfactuals"]').click();
  await app.waitIdle();
  const cfText = await page.locator('[data-testid="counterfactuals"]').textContent();
  assert.match(cfText, /→|None found/);
  assert.doesNotMatch(cfText, /sex: /, 'the sensitive attribute is locked');
  await page.locator('[data-testid="run-stability"]').click();
  await app.waitIdle();
  assert.match(await app.text('stability'), /stable|Shaky|Unstable|LIME/i);
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
