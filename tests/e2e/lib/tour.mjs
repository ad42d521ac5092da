// A tour of every screen of the page, shared by the layout and accessibility journeys: the steps
// are discovered from the step bar and the lessons from the lesson list, so screens added later
// are visited without editing this file.
import { App } from './app.mjs';

/** The phone, tablet and desktop widths the page must fit (issue #25). */
export const WIDTHS = [
  { width: 360, height: 740 },
  { width: 390, height: 844 },
  { width: 768, height: 1024 },
  { width: 1280, height: 900 },
  { width: 1920, height: 1080 },
];

/** Loads the German credit sample, trains the default model and fills the Mitigate and Explain steps, so
 * that every step shows its tables and charts. */
export async function prepare(page, url) {
  const app = new App(page);
  await app.open(url);
  await app.loadBundled('german');
  await app.train();
  await app.goto('mitigate');
  const run = app.byTestId('run-mitigation');
  if (await run.count()) { await run.click(); await app.waitIdle(); }
  await app.goto('explain');
  await app.waitIdle();
  const global = app.byTestId('run-global');
  if (await global.count()) { await global.click(); await app.waitIdle(); }
  return app;
}

/** The steps in the step bar (ids after `step-`), in order. */
export async function stepIds(page) {
  return page.locator('nav.stepnav [data-testid^="step-"]').evaluateAll(
    (els) => els.map((e) => e.getAttribute('data-testid').slice('step-'.length)));
}

/**
 * Visits every step, every lesson and the mock interview; calls `check(name)` on each screen.
 * Returns the names visited.
 */
export async function visitAll(page, check) {
  const app = new App(page);
  const seen = [];
  const visit = async (name) => { await app.waitIdle(); await check(name); seen.push(name); };
  for (const id of await stepIds(page)) {
    const button = app.byTestId(`step-${id}`);
    if (await button.isDisabled()) continue;
    await button.click();
    if (id === 'learn') {
      const lessons = await page.locator('nav.lesson-list [data-testid^="lesson-"]').evaluateAll(
        (els) => els.map((e) => e.getAttribute('data-testid')));
      for (const lesson of lessons) {
        await app.byTestId(lesson).click();
        await visit(`learn/${lesson.slice('lesson-'.length)}`);
      }
    } else {
      await visit(id);
    }
  }
  await app.goto('data');
  return seen;
}
