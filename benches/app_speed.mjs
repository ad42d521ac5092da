// How the page feels, measured in headless Chromium on localhost (issue 8's speed targets):
//   1. first meaningful paint: navigation start → the Data step's dataset buttons are on screen;
//   2. the bundled Adult data: click "Use Adult" → the Model step, then "Train and audit" → the
//      first fairness table (both clicks made as soon as the page allows them);
//   3. the longest main-thread task (PerformanceObserver 'longtask') from loading the page to the
//      Adult fairness table: heavy work belongs in the worker, so the target is ≤ 100 ms (the
//      end-to-end tests used to assert it, and failed on a busy machine: a limit, not a test);
//   4. dragging a threshold slider on 50,000 test rows: one slider move per animation frame for
//      240 frames, each move re-auditing every group and redrawing every chart; frames per second.
//   5. dragging a threshold slider with 200 groups (the most the budget accepts; 50,000 rows, a
//      quarter of them tested): the group table holds only the rows in view; frames per second.
// Prints a table and writes benches/results/app-speed.json. Not part of the tests (timings are
// never asserted); run with `node benches/app_speed.mjs` after `bash scripts/release.sh`.
//   6. memory while loading a large generated CSV (about 200 MB, 1,750,000 rows × 30 columns):
//      the worker's WebAssembly memory after the load (its peak: a WebAssembly memory never
//      shrinks) against the file's size, and the page's own WebAssembly memory before and after
//      (the page posts the File itself and the worker reads it in slices, so the page's should
//      not grow by the file).
// `ONLY=groups` or `ONLY=memory` runs only measurement 5 or 6 (and writes
// benches/results/app-speed-ONLY.json).
import { writeFileSync, mkdtempSync, mkdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch, serveStatic } from '../tests/e2e/lib/harness.mjs';
import { App } from '../tests/e2e/lib/app.mjs';
import { manyGroups } from '../tests/e2e/lib/data.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const REPS = Number(process.env.REPS ?? 5);
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

/** `n` rows × 30 columns: 24 numeric, 5 categorical, a yes/no target. */
function wide(n) {
  const cats = [['a', 'b', 'c'], ['north', 'south', 'east', 'west'], ['x', 'y'], ['p', 'q', 'r', 's', 't'], ['F', 'M']];
  const head = [...Array.from({ length: 24 }, (_, j) => `n${j}`), ...cats.map((_, j) => `c${j}`), 'y'];
  const parts = [head.join(',') + '\n'];
  let chunk = [];
  for (let i = 0; i < n; i++) {
    const row = [];
    for (let j = 0; j < 24; j++) row.push(((i * (j + 7919)) % 1000) / 10);
    cats.forEach((c, j) => row.push(c[(i * (j + 31)) % c.length]));
    row.push((i * 13) % 7 < 3 ? 'yes' : 'no');
    chunk.push(row.join(','));
    if (chunk.length === 50_000) { parts.push(chunk.join('\n') + '\n'); chunk = []; }
  }
  if (chunk.length) parts.push(chunk.join('\n') + '\n');
  return parts.join('');
}

function csv(n) {
  const lines = ['age,hours,education,sex,approved'];
  for (let i = 0; i < n; i++) {
    const age = 18 + ((i * 7919) % 60);
    const hours = 10 + ((i * 104729) % 60);
    const edu = ['school', 'college', 'degree'][(i * 31) % 3];
    const sex = i % 3 === 0 ? 'F' : 'M';
    const y = (age * 0.6 + hours * 0.5 + (edu === 'degree' ? 12 : 0) + (sex === 'M' ? 6 : 0) + ((i * 13) % 29)) > 60;
    lines.push(`${age},${hours},${edu},${sex},${y ? 'yes' : 'no'}`);
  }
  return lines.join('\n') + '\n';
}

/** Moves the first threshold slider once per animation frame for `frames` frames; frames/s. */
function dragSlider(page, frames = 240) {
  return page.evaluate((frames) => new Promise((resolve) => {
    const slider = document.querySelector('[data-testid="threshold-slider"]');
    let k = 0;
    const start = performance.now();
    const step = () => {
      slider.value = String((0.2 + 0.6 * ((k % 60) / 60)).toFixed(2));
      slider.dispatchEvent(new Event('input', { bubbles: true }));
      if (++k < frames) requestAnimationFrame(step);
      else requestAnimationFrame(() => resolve(frames / ((performance.now() - start) / 1000)));
    };
    requestAnimationFrame(step);
  }), frames);
}

/** Measurement 5: the slider with 200 groups. Returns rows of the results table. */
async function groupSlider(context, server, dir) {
  const file = join(dir, 'groups.csv');
  writeFileSync(file, manyGroups(200, 250));
  const page = await context.newPage();
  const app = new App(page);
  await app.open(server.url);
  await app.uploadAndWait(file);
  await app.chooseRoles({ target: 'approved', positive: 'yes', sensitive: 'group', model: 'logistic' });
  await page.locator('[data-testid="test-fraction"]').fill('0.25');
  await page.locator('[data-testid="test-fraction"]').press('Tab');
  await app.train();
  const groups = Number((await app.text('group-table-note')).split(' ')[0]);
  await app.goto('mitigate');
  await page.locator('[data-testid="threshold-slider"]').first().waitFor();
  const inPage = await page.locator('[data-testid="group-row"]').count();
  const fps = [];
  for (let r = 0; r < Math.max(1, Math.min(REPS, 3)); r++) fps.push(await dragSlider(page));
  await page.close();
  return [[`threshold slider, ${groups} groups (${inPage} table rows in the page) (frames/s)`, median(fps), Math.min(...fps), Math.max(...fps), '']];
}

/** Measurement 6: peak memory loading a ~200 MB CSV. Returns rows of the results table. */
async function bigUploadMemory(context, server, dir) {
  const file = join(dir, 'big.csv');
  writeFileSync(file, wide(1_750_000));
  const fileMb = statSync(file).size / 2 ** 20;
  const page = await context.newPage();
  const app = new App(page);
  await app.open(server.url);
  const workerHeap = async () => { for (const w of page.workers()) { const b = await w.evaluate(() => self.fairgroundHeapBytes?.()); if (b) return b; } return NaN; };
  const pageHeap = () => page.evaluate(() => window.fairgroundHeapBytes?.() ?? NaN);
  const [w0, p0] = [await workerHeap(), await pageHeap()];
  const t0 = Date.now();
  await app.uploadAndWait(file);
  const ms = Date.now() - t0;
  const error = await app.errorText();
  const [w1, p1] = [await workerHeap(), await pageHeap()];
  await page.close();
  const mb = (b) => b / 2 ** 20;
  console.log(`${fileMb.toFixed(0)} MB file: ${error ? `refused: ${error}` : `loaded in ${ms} ms`}; worker wasm ${mb(w0).toFixed(0)} → ${mb(w1).toFixed(0)} MB (peak ${(w1 / statSync(file).size).toFixed(2)} × the file); page wasm ${mb(p0).toFixed(0)} → ${mb(p1).toFixed(0)} MB`);
  return [
    [`${fileMb.toFixed(0)} MB CSV (1,750,000 × 30): upload → Model step (ms)`, ms, ms, ms, ''],
    [`  worker wasm memory before → after (peak) (MB; file ${fileMb.toFixed(0)} MB)`, mb(w1), mb(w0), mb(w1), '≤ file + 1024'],
    ['  page wasm memory before → after (MB)', mb(p1), mb(p0), mb(p1), ''],
  ];
}

const ONLY = process.env.ONLY;
const server = await serveStatic();
const context = await launch();
const paint = [], adultModel = [], adultTable = [], longest = [], fps = [];
const rows = [];
try {
  const dir = mkdtempSync(join(tmpdir(), 'fg-speed-'));
  if (!ONLY) {
  for (let r = 0; r < REPS; r++) {
    const page = await context.newPage();
    await page.addInitScript(() => {
      window.__longTasks = [];
      new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longTasks.push(e.duration); })
        .observe({ type: 'longtask', buffered: true });
      new MutationObserver((_, obs) => {
        if (document.querySelector('[data-testid="load-adult"]')) { window.__painted = performance.now(); obs.disconnect(); }
      }).observe(document, { childList: true, subtree: true });
    });
    await page.goto(server.url + `?rep=${r}`);
    await page.waitForFunction(() => window.__painted);
    await page.evaluate(() => new Promise((res) => requestAnimationFrame(() => requestAnimationFrame(res))));
    paint.push(await page.evaluate(() => window.__painted));
    // Adult: choose it, then train as soon as the button is there.
    const t0 = await page.evaluate(() => performance.now());
    await page.locator('[data-testid="load-adult"]').click();
    await page.locator('[data-testid="train"]:not([disabled])').waitFor();
    await page.waitForFunction(() => !document.querySelector('[data-testid="busy"]'));
    const t1 = await page.evaluate(() => performance.now());
    await page.locator('[data-testid="train"]').click();
    await page.locator('[data-testid="group-row"]').first().waitFor();
    const t2 = await page.evaluate(() => performance.now());
    adultModel.push(t1 - t0);
    adultTable.push(t2 - t0);
    longest.push(await page.evaluate(() => Math.max(0, ...window.__longTasks)));
    await page.close();
  }
  // The slider: 100,000 rows with half of them tested.
  const file = join(dir, 'speed.csv');
  writeFileSync(file, csv(100_000));
  const page = await context.newPage();
  const app = new App(page);
  await app.open(server.url);
  await app.uploadAndWait(file);
  await app.chooseRoles({ target: 'approved', positive: 'yes', sensitive: 'sex', model: 'logistic' });
  await page.locator('[data-testid="test-fraction"]').fill('0.5');
  await page.locator('[data-testid="test-fraction"]').press('Tab');
  await app.train();
  const testRows = (await page.locator('[data-testid="group-row"] td:nth-of-type(1)').allTextContents()).reduce((a, c) => a + Number(c), 0);
  await app.goto('mitigate');
  await page.locator('[data-testid="threshold-slider"]').first().waitFor();
  for (let r = 0; r < Math.max(1, Math.min(REPS, 3)); r++) {
    fps.push(await dragSlider(page));
  }
  // The preview on a million rows × 30 columns: upload, then jump the scroll bar to a new place
  // every frame; the worker's WebAssembly heap before and after.
  const million = join(dir, 'million.csv');
  writeFileSync(million, wide(1_000_000));
  const csvMb = statSync(million).size / 2 ** 20;
  const p2 = await context.newPage();
  const app2 = new App(p2);
  await app2.open(server.url);
  await p2.waitForFunction(() => true);
  const heap = async () => { for (const w of p2.workers()) { const b = await w.evaluate(() => self.fairgroundHeapBytes?.()); if (b) return b; } return NaN; };
  const heapBefore = await heap();
  const u0 = Date.now();
  await app2.uploadAndWait(million);
  const uploadMs = Date.now() - u0;
  const heapAfter = await heap();
  await app2.goto('data');
  await p2.locator('[data-testid="preview-rows"] tr').first().waitFor();
  const scrollFps = await p2.evaluate(() => new Promise((resolve) => {
    const el = document.querySelector('.preview-scroll');
    const frames = 240;
    let k = 0;
    const start = performance.now();
    const step = () => {
      el.scrollTop = ((k * 7919) % 1000) / 1000 * (el.scrollHeight - el.clientHeight);
      if (++k < frames) requestAnimationFrame(step);
      else requestAnimationFrame(() => resolve(frames / ((performance.now() - start) / 1000)));
    };
    requestAnimationFrame(step);
  }));
  await p2.locator('[data-testid="preview-rows"] tr').first().waitFor();
  const shown = await p2.locator('[data-testid="preview-rows"] tr').count();
  await p2.close();
  rows.push(
    [`1,000,000 × 30 upload (${csvMb.toFixed(0)} MB) → Model step (ms)`, uploadMs, uploadMs, uploadMs, ''],
    ['worker heap before → after that upload (MB)', heapBefore / 2 ** 20, heapBefore / 2 ** 20, heapAfter / 2 ** 20, ''],
    [`preview scroll, 1,000,000 rows, ${shown} rows in the page (frames/s)`, scrollFps, scrollFps, scrollFps, '≥ 50'],
    ['first meaningful paint (ms)', median(paint), Math.min(...paint), Math.max(...paint), '≤ 1000'],
    ['Adult: choose → Model step (ms)', median(adultModel), Math.min(...adultModel), Math.max(...adultModel), ''],
    ['Adult: choose → fairness table (ms)', median(adultTable), Math.min(...adultTable), Math.max(...adultTable), '≤ 1500'],
    ['longest main-thread task, load → Adult table (ms)', median(longest), Math.min(...longest), Math.max(...longest), '≤ 100'],
    [`threshold slider, ${testRows} test rows (frames/s)`, median(fps), Math.min(...fps), Math.max(...fps), '≥ 50'],
  );
  }
  if (!ONLY || ONLY === 'groups') rows.push(...await groupSlider(context, server, dir));
  if (!ONLY || ONLY === 'memory') rows.push(...await bigUploadMemory(context, server, dir));
  console.log('\nstep                                                       median      min      max   target');
  for (const [name, m, lo, hi, target] of rows) {
    console.log(`${name.padEnd(58)} ${m.toFixed(1).padStart(8)} ${lo.toFixed(1).padStart(8)} ${hi.toFixed(1).padStart(8)}   ${target}`);
  }
  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(join(here, 'results', ONLY ? `app-speed-${ONLY}.json` : 'app-speed.json'), JSON.stringify({
    date: new Date().toISOString(), repetitions: REPS, browser: context.browser()?.version() ?? 'chromium',
    steps: rows.map(([step, median, min, max, target]) => ({ step, median, min, max, target })),
  }, null, 2) + '\n');
} finally {
  await context.close();
  server.close();
}
