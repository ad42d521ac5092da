// The Data and Model steps beyond the defaults: the preview of a large upload draws only the rows
// in view and follows the scroll bar; the reading options cap a file's size and skip ragged rows;
// a numeric sensitive column is banded and crossed with a second one into intersectional groups;
// the split can come from a column.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, serveStatic, screenshot, watchErrors } from './lib/harness.mjs';
import { App } from './lib/app.mjs';

let server, context, dir;
before(async () => { server = await serveStatic(); context = await launch(); dir = mkdtempSync(join(tmpdir(), 'fg-data-')); });
after(async () => { await context?.close(); server?.close(); });

/** A CSV of `n` rows: id, age, sex, region, fold (train/test), approved. */
function bigCsv(n) {
  const lines = ['id,age,sex,region,fold,approved'];
  for (let i = 0; i < n; i++) {
    const age = 18 + ((i * 7919) % 60);
    const sex = i % 3 === 0 ? 'F' : 'M';
    const region = ['north', 'south', 'east'][(i * 31) % 3];
    const fold = i % 4 === 0 ? 'test' : 'train';
    const approved = (age + (sex === 'M' ? 8 : 0) + ((i * 13) % 17)) > 50 ? 'yes' : 'no';
    lines.push(`${i},${age},${sex},${region},${fold},${approved}`);
  }
  return lines.join('\n') + '\n';
}

test('a 200,000-row upload: the preview holds only the rows in view and follows the scroll bar', async () => {
  const page = await context.newPage();
  const errors = watchErrors(page);
  const app = new App(page);
  const file = join(dir, 'big.csv');
  writeFileSync(file, bigCsv(200_000));
  await app.open(server.url);
  await app.uploadAndWait(file);
  assert.equal(await app.errorText(), null);
  await app.goto('data');
  const rows = page.locator('[data-testid="preview-rows"] tr');
  await rows.first().waitFor();
  const count = await rows.count();
  assert.ok(count > 5 && count <= 20, `only the visible rows are in the page (${count})`);
  assert.equal((await rows.first().locator('th').textContent()).trim(), '1');
  // Row 150,000 by the jump box: its id cell is 149999.
  await app.byTestId('preview-jump').fill('150000');
  await app.byTestId('preview-jump').press('Enter');
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="preview-rows"] tr th')].some((th) => th.textContent.trim() === '150000'));
  const row = page.locator('[data-testid="preview-rows"] tr', { has: page.locator('th', { hasText: /^150000$/ }) });
  assert.equal((await row.locator('td').first().textContent()).trim(), '149999');
  // Scrolling to the very end shows the last row.
  await page.locator('.preview-scroll').evaluate((el) => { el.scrollTop = el.scrollHeight; });
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="preview-rows"] tr th')].some((th) => th.textContent.trim() === '200000'));
  await screenshot(page, 'data-preview');

  // Model step: age in quartiles crossed with sex; the split from the 'fold' column.
  await app.chooseRoles({ target: 'approved', positive: 'yes', sensitive: 'age', model: 'logistic' });
  await app.byTestId('binning').selectOption('q4');
  await app.byTestId('cross').selectOption('sex');
  await app.byTestId('split-column').selectOption('fold');
  await app.train();
  assert.equal(await app.errorText(), null);
  const groups = await page.locator('[data-testid="group-row"] th').allTextContents();
  assert.equal(groups.length, 8, `4 age bands × 2 sexes: ${groups}`);
  assert.ok(groups.every((g) => / × (F|M)$/.test(g.trim())), groups.join(' | '));
  // The fold column put every fourth row in the test part: 50,000 rows.
  const counts = await page.locator('[data-testid="group-row"] td:nth-of-type(1)').allTextContents();
  assert.equal(counts.reduce((a, c) => a + Number(c), 0), 50_000, `test rows per group: ${counts}`);
  await screenshot(page, 'data-intersectional');
  // Start over: no data, every setting back to its default, and the page still works.
  await app.byTestId('start-over').click();
  assert.equal(await app.byTestId('dataset-summary').count(), 0);
  assert.ok(await app.byTestId('step-model').isDisabled());
  await app.loadBundled('german');
  await app.goto('model');
  assert.equal(await app.byTestId('split-column').inputValue(), '');
  assert.equal(await app.byTestId('cross').inputValue(), '');
  assert.equal(await app.byTestId('model').inputValue(), 'logistic');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the reading options: a cap refuses a file with a message, and ragged rows can be skipped', async () => {
  const page = await context.newPage();
  const errors = watchErrors(page);
  const app = new App(page);
  await app.open(server.url);
  await app.goto('data');
  const openOptions = async () => {
    await app.goto('data');
    if (!(await app.byTestId('max-cells').isVisible())) await app.byTestId('read-options-toggle').click();
  };
  await openOptions();
  await app.byTestId('max-cells').fill('0.001');
  await app.byTestId('max-cells').press('Tab');
  const file = join(dir, 'medium.csv');
  writeFileSync(file, bigCsv(2_000));
  await app.uploadAndWait(file);
  assert.match(await app.errorText(), /The file is too large for this page: it holds more than 1000 cells \(stopped at line \d+ with 6 columns\)/);
  // Ragged rows: an error by default, skipped when asked.
  await openOptions();
  await app.byTestId('max-cells').fill('60');
  await app.byTestId('max-cells').press('Tab');
  const ragged = join(dir, 'ragged.csv');
  writeFileSync(ragged, 'a,b,y\n1,2,yes\n3\n4,5,no\n6,7,yes\n');
  await app.uploadAndWait(ragged);
  assert.match(await app.errorText(), /Line 3 has 1 fields? but the header has 3\. Fix that line, or choose to skip rows like it\./);
  await openOptions();
  await app.byTestId('skip-ragged').check();
  await app.uploadAndWait(ragged);
  assert.equal(await app.errorText(), null);
  await app.goto('data');
  assert.match(await app.text('dataset-details'), /3 rows × 3 columns/);
  assert.deepEqual(errors, []);
  await page.close();
});
