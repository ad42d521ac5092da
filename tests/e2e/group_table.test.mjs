// The group table with 200 groups (the most the budget accepts): it scrolls in a box holding only
// the rows in view, far fewer than 200, and scrolling to its end shows the last group — on the
// Fairness step and on the Mitigate step, where every slider move re-audits every group.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, serveStatic, screenshot, watchErrors } from './lib/harness.mjs';
import { App } from './lib/app.mjs';
import { manyGroups } from './lib/data.mjs';

let server, context, dir;
before(async () => { server = await serveStatic(); context = await launch(); dir = mkdtempSync(join(tmpdir(), 'fg-groups-')); });
after(async () => { await context?.close(); server?.close(); });

/** Scrolls the group table of the step on screen to its end and waits for `last` to be drawn. */
async function scrollToEnd(page, last) {
  await page.locator('[data-testid="group-scroll"]').evaluate((el) => { el.scrollTop = el.scrollHeight; });
  await page.waitForFunction((name) => [...document.querySelectorAll('[data-testid="group-row"] th')]
    .some((th) => th.textContent.trim() === name), last);
}

test('200 groups: the table holds only the rows in view, and scrolling shows the last group', async () => {
  const page = await context.newPage();
  const errors = watchErrors(page);
  const app = new App(page);
  const file = join(dir, 'groups.csv');
  writeFileSync(file, manyGroups(200, 100));
  await app.open(server.url);
  await app.uploadAndWait(file);
  assert.equal(await app.errorText(), null);
  await app.chooseRoles({ target: 'approved', positive: 'yes', sensitive: 'group', model: 'logistic' });
  await app.train();
  assert.equal(await app.errorText(), null);
  const rows = page.locator('[data-testid="group-row"]');
  const shown = await rows.count();
  assert.ok(shown >= 5 && shown <= 30, `only the rows in view are in the page (${shown} of 200)`);
  assert.equal((await rows.first().locator('th').textContent()).trim(), 'g000');
  assert.match(await app.text('group-table-note'), /^200 groups: only the rows in view are drawn/);
  // The per-group charts draw the 12 largest groups and say so (their data tables carry the title).
  const captions = await page.locator('caption').allTextContents();
  assert.ok(captions.some((c) => c.includes('(the 12 largest of 200 groups)')), captions.join(' | '));
  await scrollToEnd(page, 'g199');
  assert.ok(await rows.count() <= 30);
  // The last row is really in view inside the box.
  const [box, last] = await Promise.all([
    page.locator('[data-testid="group-scroll"]').boundingBox(),
    page.locator('[data-testid="group-row"]', { has: page.locator('th', { hasText: /^g199$/ }) }).boundingBox(),
  ]);
  assert.ok(last.y >= box.y && last.y + last.height <= box.y + box.height + 1, `g199 inside the box (${JSON.stringify({ box, last })})`);
  await screenshot(page, 'group-table-200');
  // The Mitigate step's table is the same component: virtualised too.
  await app.goto('mitigate');
  await page.locator('[data-testid="threshold-slider"]').first().waitFor();
  assert.ok(await rows.count() <= 30);
  await scrollToEnd(page, 'g199');
  assert.deepEqual(errors, []);
  await page.close();
});
