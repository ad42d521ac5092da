// Accessibility, checked by a machine: axe-core on every step, lesson and the mock interview at a
// phone, a tablet and a desktop width, with zero serious or critical violations; and by a
// keyboard-only journey. axe runs in this file's own browser context (never the privacy
// recorder's), and the page's CSP stays in force: axe's source is evaluated through the DevTools
// protocol (page.evaluate), which a page's CSP does not govern, instead of being added as a
// <script> the policy would refuse.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { launch, serveStatic, screenshot, watchErrors } from './lib/harness.mjs';
import { App } from './lib/app.mjs';
import { prepare, visitAll } from './lib/tour.mjs';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const SIZES = [{ width: 390, height: 844 }, { width: 768, height: 1024 }, { width: 1280, height: 900 }];

let server, context;
before(async () => { server = await serveStatic(); context = await launch(); });
after(async () => { await context?.close(); server?.close(); });

/** axe's serious and critical violations on the page as it is now, one line each. */
async function audit(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE);
  // Let the page finish a frame (boot.js marks scrolling tables focusable in one).
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')}: ${n.failureSummary.split('\n').slice(1, 2).join('')}`) }));
  });
  return violations.map((v) => `${v.id} (${v.impact}) ${v.nodes.join(' | ')}`);
}

test('the CSP is not bypassed: an inline script is still refused', async () => {
  const page = await context.newPage();
  const app = new App(page);
  await app.open(server.url);
  await assert.rejects(page.addScriptTag({ content: 'window.inlineRan = true;' }));
  assert.equal(await page.evaluate(() => window.inlineRan), undefined);
  await page.close();
});

/** Charts (canvases) that lack an accessible name, or a text alternative: a data table with rows
 * that the canvas names with aria-describedby. */
function chartsWithoutText() {
  return [...document.querySelectorAll('canvas')]
    .filter((c) => !c.closest('figure.chart.empty'))
    .filter((c) => {
      const name = (c.getAttribute('aria-label') || '').trim();
      const alt = document.getElementById(c.getAttribute('aria-describedby') || '');
      return !name || c.getAttribute('role') !== 'img' || !alt || alt.tagName !== 'TABLE' || !alt.querySelector('tbody tr');
    })
    .map((c) => c.getAttribute('data-testid') || c.className);
}

test('axe finds no serious or critical violation on any screen at three widths, and in dark mode', async () => {
  const page = await context.newPage();
  const errors = watchErrors(page);
  // The landing page, before any data.
  const app = new App(page);
  await app.open(server.url);
  const found = (await audit(page)).map((v) => `landing: ${v}`);
  await prepare(page, server.url);
  const visited = [];
  let charts = 0;
  for (const size of SIZES) {
    await page.setViewportSize(size);
    await visitAll(page, async (name) => {
      for (const v of await audit(page)) found.push(`${size.width} px, ${name}: ${v}`);
      // Every chart has an accessible name and a text alternative (its data table).
      for (const c of await page.evaluate(chartsWithoutText)) found.push(`${size.width} px, ${name}: chart ${c} has no name or data table`);
      charts += await page.locator('figure.chart:not(.empty) canvas').count();
      visited.push(name);
    });
  }
  // Every step, every lesson and the mock interview were visited, and charts were seen.
  assert.ok(['data', 'model', 'fairness', 'mitigate', 'explain', 'quiz'].every((s) => visited.includes(s)), visited.join(', '));
  assert.ok(visited.filter((v) => v.startsWith('learn/')).length >= 10, visited.join(', '));
  assert.ok(charts > 0);
  // Dark mode (prefers-color-scheme): the same screens, contrast included.
  await page.emulateMedia({ colorScheme: 'dark' });
  await visitAll(page, async (name) => {
    for (const v of await audit(page)) found.push(`dark, ${name}: ${v}`);
  });
  await screenshot(page, 'a11y-dark-data');
  assert.deepEqual([...new Set(found)], []);
  assert.deepEqual(errors.filter((e) => !/Content Security Policy/.test(e)), []);
  await page.close();
});

/** The screens a tour of the steps does not reach, because they appear only after an action: a
 * mitigation method's result and the one plane (Mitigate), the comparison of uploaded outputs with
 * its model picker (Model), and an uploaded output explained through its surrogate (Explain). */
test('axe and the chart check on the screens that appear after an action: a method run, the plane, the comparison, the surrogate', async () => {
  const page = await context.newPage();
  const errors = watchErrors(page);
  const app = new App(page);
  await app.open(server.url);
  const found = [];
  const check = async (name) => {
    for (const size of [SIZES[0], SIZES[2]]) {
      await page.setViewportSize(size);
      for (const v of await audit(page)) found.push(`${size.width} px, ${name}: ${v}`);
      for (const c of await page.evaluate(chartsWithoutText)) found.push(`${size.width} px, ${name}: chart ${c} has no name or data table`);
    }
  };
  await app.loadBundled('german');
  await app.chooseRoles({ model: 'logistic' });
  await app.train();
  await app.goto('mitigate');
  await app.byTestId('method').selectOption('exponentiated_gradient');
  await app.byTestId('run-method').click();
  await app.byTestId('method-result').waitFor();
  await app.waitIdle();
  await check('mitigate, exponentiated gradient');
  await app.byTestId('build-plane').click();
  await app.byTestId('plane-table').waitFor();
  await app.waitIdle();
  assert.ok(await page.locator('[data-testid="plane-chart"]').count() === 1);
  await check('mitigate, the plane');

  await app.loadBundled('compas');
  await app.goto('model');
  await page.locator('[data-testid="output-column"]').selectOption('decile_score');
  await page.locator('[data-testid="add-output"]').click();
  const threshold = page.locator('[data-testid="output-row"]').last().locator('[data-testid="output-threshold"]');
  await threshold.fill('5');
  await threshold.dispatchEvent('change');
  await app.train();
  await app.byTestId('compare-models').click();
  await app.waitIdle();
  await page.locator('[data-testid="compare-row"]', { hasText: 'decile_score' }).locator('[data-testid="use-model"]').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="external-note"]') && !document.querySelector('[data-testid="busy"]'));
  await app.goto('model');
  await app.waitIdle();
  await check('model, the comparison');
  await app.goto('explain');
  await app.byTestId('surrogate-fidelity').waitFor();
  await app.waitIdle();
  await check('explain, the surrogate refused');
  const required = app.byTestId('surrogate-required');
  await required.fill('0');
  await required.dispatchEvent('change');
  await app.byTestId('row-score').waitFor();
  await app.waitIdle();
  await check('explain, a surrogate explanation');
  assert.deepEqual([...new Set(found)], []);
  assert.deepEqual(errors.filter((e) => !/Content Security Policy/.test(e)), []);
  await page.close();
});

/** The focused element, described, and whether it shows an outline or a box shadow. */
function focused() {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  const visible = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== 'none';
  return { testid: el.getAttribute('data-testid'), tag: el.tagName.toLowerCase(), text: el.textContent.trim().slice(0, 40), visible };
}

/** Presses Tab until the element with this test id has the focus; returns the stops passed. */
async function tabTo(page, testid, limit = 200) {
  const seen = [];
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const f = await page.evaluate(focused);
    if (f) seen.push(f);
    if (f?.testid === testid) return seen;
  }
  throw new Error(`${testid} not reached by Tab; passed ${seen.map((s) => s.testid || s.text).slice(-10).join(', ')}`);
}

test('keyboard only: load a sample, train, read the fairness table, move a threshold, find the best rule, explain, export', async () => {
  const page = await context.newPage();
  await page.setViewportSize({ width: 1280, height: 900 });
  const app = new App(page);
  await app.open(server.url);
  const stops = [];
  stops.push(...await tabTo(page, 'load-german'));
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('[data-testid="step-model"]:not([disabled])'));
  await app.waitIdle();
  stops.push(...await tabTo(page, 'step-model'));
  await page.keyboard.press('Enter');
  stops.push(...await tabTo(page, 'train'));
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => !document.querySelector('[data-testid="busy"]') && document.querySelector('[data-testid="results"]'));
  // The Fairness step opens with the group table, which names every group.
  assert.ok(await page.locator('[data-testid="group-table"] [data-testid="group-row"]').count() >= 2);
  await page.evaluate(() => document.activeElement?.blur());
  stops.push(...await tabTo(page, 'step-mitigate'));
  await page.keyboard.press('Enter');
  stops.push(...await tabTo(page, 'threshold-slider'));
  const before = await app.text('threshold-value');
  for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowRight');
  assert.equal(await app.text('threshold-value'), (Number(before) + 0.1).toFixed(2));
  stops.push(...await tabTo(page, 'run-mitigation'));
  await page.keyboard.press('Enter');
  await app.waitIdle();
  await page.locator('[data-testid="rules-randomised"]').waitFor();
  await screenshot(page, 'keyboard-mitigate');
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.evaluate(() => document.activeElement?.blur());
  stops.push(...await tabTo(page, 'step-explain'));
  await page.keyboard.press('Enter');
  await page.locator('[data-testid="lime-chart"]').waitFor();
  // Export: back to the Fairness step, and the Markdown report downloaded with Enter.
  await page.evaluate(() => document.activeElement?.blur());
  stops.push(...await tabTo(page, 'step-fairness'));
  await page.keyboard.press('Enter');
  stops.push(...await tabTo(page, 'export-markdown', 400));
  const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
  assert.equal(download.suggestedFilename(), 'fairground-report.md');
  // Every stop on the way showed where the focus was.
  const invisible = stops.filter((s) => !s.visible).map((s) => `${s.tag}[${s.testid || s.text}]`);
  assert.deepEqual([...new Set(invisible)], []);
  await page.close();
});
