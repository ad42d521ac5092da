// Take it with you: the report, the model card and the predictions are made in the tab and
// saved as files; a shared link reproduces the experiment in a fresh browser context.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { launch, serveStatic, watchErrors, recordRequests, privacyViolations } from './lib/harness.mjs';
import { App } from './lib/app.mjs';

let server, context;
before(async () => { server = await serveStatic(); context = await launch(); });
after(async () => { await context?.close(); server?.close(); });

async function save(page, testId) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator(`[data-testid="${testId}"]`).click()]);
  return { name: download.suggestedFilename(), text: readFileSync(await download.path(), 'utf8') };
}

test('report, model card and predictions carry the page numbers; a shared link reproduces them', async () => {
  const recorder = recordRequests(context);
  const page = await context.newPage();
  const errors = watchErrors(page);
  const app = new App(page);
  await app.open(server.url);
  await app.loadBundled('german');
  await app.train();
  const dpd = (await page.locator('[data-testid="disparity-demographic-parity-difference"] .value').textContent()).trim();
  const accuracy = await app.text('test-accuracy');

  const html = await save(page, 'export-html');
  assert.equal(html.name, 'fairground-report.html');
  assert.doesNotMatch(html.text, /<script/i);
  assert.doesNotMatch(html.text, /https?:/);
  assert.ok(html.text.includes(dpd), `the report shows the demographic parity difference ${dpd}`);
  assert.match(html.text, /data:image\/png;base64,/, 'charts are embedded');

  const md = await save(page, 'export-markdown');
  assert.ok(md.text.includes(dpd));

  const card = await save(page, 'export-card-json');
  const json = JSON.parse(card.text);
  assert.ok(Object.keys(json).length >= 10, 'every model-card section');

  // A chart as PNG at twice its on-screen size.
  const [png] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="roc-chart-png"]').click()]);
  assert.equal(png.suggestedFilename(), 'roc-chart.png');
  const bytes = readFileSync(await png.path());
  assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG file');
  const box = await page.locator('[data-testid="roc-chart"]').boundingBox();
  assert.equal(bytes.readUInt32BE(16), Math.round(box.width * 2), 'twice the on-screen width');

  const csv = await save(page, 'export-csv');
  const lines = csv.text.trim().split('\n');
  assert.equal(lines.length, 301, 'header + 300 test rows');
  assert.match(lines[0], /,row_index,split,score,prediction,group,threshold/, 'the shared writer: file row, split, score, decision, then the app columns');

  // The shared link, opened in a fresh context, trains the same model and shows the same numbers.
  await page.locator('[data-testid="share-link"]').click();
  const url = await page.locator('[data-testid="share-url"]').inputValue();
  assert.match(url, /#v=2&s=/);
  const fresh = await launch();
  const other = await fresh.newPage();
  const otherApp = new App(other);
  await otherApp.open(url);
  await other.waitForFunction(() => document.querySelector('[data-testid="results"]') && !document.querySelector('[data-testid="busy"]'));
  assert.equal(await otherApp.text('test-accuracy'), accuracy);
  assert.equal((await other.locator('[data-testid="disparity-demographic-parity-difference"] .value').textContent()).trim(), dpd);
  await fresh.close();

  assert.deepEqual(privacyViolations(recorder.log, new URL(server.url).origin), []);
  assert.deepEqual(errors, []);
  await page.close();
});

test('exports of a hostile file: formula cells neutralised in the CSV, markup escaped in the report', async () => {
  const page = await context.newPage();
  const app = new App(page);
  await app.open(server.url);
  let csv = 'note,<script>alert(1)</script>,approved\n';
  for (let i = 0; i < 200; i++) {
    const note = i % 4 === 0 ? "=cmd|' /C calc'!A0" : i % 4 === 1 ? '@SUM(1)' : i % 4 === 2 ? '-3.5' : 'plain';
    csv += `"${note}",${i % 3 === 0 ? 'B' : 'A'},${(i * 7) % 5 > 2 ? 'yes' : 'no'}\n`;
  }
  await app.goto('data');
  await page.locator('[data-testid="file-input"]').setInputFiles({ name: 'hostile.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await app.waitIdle();
  await app.chooseRoles({ target: 'approved', positive: 'yes', sensitive: '<script>alert(1)</script>' });
  await app.train();
  assert.equal(await app.errorText(), null);
  const out = await save(page, 'export-csv');
  assert.ok(out.text.includes("'=cmd|' /C calc'!A0") || out.text.includes(`"'=cmd|' /C calc'!A0"`), 'formula neutralised');
  assert.ok(out.text.includes("'@SUM(1)"), 'at-sign formula neutralised');
  assert.match(out.text, /(^|,)-3\.5(,|$)/m, 'a plain negative number is kept');
  const html = await save(page, 'export-html');
  assert.doesNotMatch(html.text, /<script/i);
  assert.ok(html.text.includes('&lt;script&gt;'), 'the column name is escaped');
  await page.close();
});
