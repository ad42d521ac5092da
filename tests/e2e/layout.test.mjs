// The page fits every screen from a 360 px phone to a 1,920 px desktop: no screen of any step,
// lesson or the mock interview scrolls sideways (wide tables scroll inside their own box), the
// charts fit their container, and on a phone the buttons are large enough to touch.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, serveStatic, screenshot, watchErrors } from './lib/harness.mjs';
import { WIDTHS, prepare, visitAll } from './lib/tour.mjs';

let server, context;
before(async () => { server = await serveStatic(); context = await launch(); });
after(async () => { await context?.close(); server?.close(); });

/** The page's overflow, and the outermost elements that stick out past the viewport's right edge. */
function overflow() {
  const width = window.innerWidth;
  const doc = document.documentElement.scrollWidth;
  const culprits = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.right <= width + 0.5) continue;
    // Only the outermost: an element inside a box that scrolls sideways is fine.
    let p = el.parentElement, clipped = false;
    while (p && p !== document.body) {
      const s = getComputedStyle(p);
      if (s.overflowX !== 'visible' || p.getBoundingClientRect().right > width + 0.5) { clipped = true; break; }
      p = p.parentElement;
    }
    if (!clipped) culprits.push(`${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : ''}[${el.getAttribute('data-testid') || ''}] right=${Math.round(r.right)}`);
  }
  return { width, doc, culprits: culprits.slice(0, 8) };
}

test('no screen scrolls sideways from 360 px to 1,920 px, and charts fit their box', async () => {
  const page = await context.newPage();
  const errors = watchErrors(page);
  await prepare(page, server.url);
  const failures = [];
  let visited = [];
  for (const size of WIDTHS) {
    await page.setViewportSize(size);
    visited = await visitAll(page, async (name) => {
      const o = await page.evaluate(overflow);
      if (o.doc > o.width) failures.push(`${size.width} px, ${name}: page ${o.doc} px wide; ${o.culprits.join(', ')}`);
      // Every chart canvas lies within its figure's box (charts resize to their container).
      const charts = await page.locator('canvas').evaluateAll((cs) => cs.filter((c) => {
        const box = (c.closest('figure') || c.parentElement).getBoundingClientRect();
        const r = c.getBoundingClientRect();
        return r.width > 0 && r.right > box.right + 1;
      }).map((c) => c.getAttribute('data-testid') || c.className));
      if (charts.length) failures.push(`${size.width} px, ${name}: charts wider than their box: ${charts.join(', ')}`);
      if (size.width <= 390 && (name === 'fairness' || name === 'learn/bias')) {
        await screenshot(page, `layout-${size.width}-${name.replace('/', '-')}`);
      }
    });
  }
  assert.ok(visited.includes('fairness') && visited.includes('explain') && visited.includes('quiz'), visited.join(', '));
  assert.ok(visited.filter((v) => v.startsWith('learn/')).length >= 10, visited.join(', '));
  assert.deepEqual(failures, []);
  assert.deepEqual(errors, []);
  await page.close();
});

test('on a phone, buttons, selects and sliders are at least 44 px tall', async () => {
  const page = await context.newPage();
  await page.setViewportSize({ width: 390, height: 844 });
  await prepare(page, server.url);
  const small = [];
  await visitAll(page, async (name) => {
    const found = await page.evaluate(() => [...document.querySelectorAll('button, select, input[type=range], input[type=checkbox], input[type=radio], summary')]
      .filter((el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0 && el.offsetParent !== null; })
      .filter((el) => {
        // A checkbox or radio counts with its label, which is the touch target.
        const target = (el.type === 'checkbox' || el.type === 'radio') ? (el.closest('label') || el) : el;
        return target.getBoundingClientRect().height < 44 - 0.5;
      })
      .map((el) => `${el.tagName.toLowerCase()}[${el.getAttribute('data-testid') || el.textContent.trim().slice(0, 20)}] ${Math.round(el.getBoundingClientRect().height)}px`));
    for (const f of found.slice(0, 5)) small.push(`${name}: ${f}`);
  });
  assert.deepEqual(small, []);
  await page.close();
});
