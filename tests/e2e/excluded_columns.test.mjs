// Columns left out of the features, on the page: Adult with a unique person_id column is trained
// without it (listed as ID-like, in plain words); "Use it anyway" trains again with it as a
// feature (the list then says it is used, and no longer lists it as left out), and "Leave it out
// again" undoes that. The page never hangs: each training ends with results, not an error.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, serveStatic, screenshot, watchErrors, ROOT } from './lib/harness.mjs';
import { App } from './lib/app.mjs';

let server, context, dir;
before(async () => { server = await serveStatic(); context = await launch(); dir = mkdtempSync(join(tmpdir(), 'fg-excluded-')); });
after(async () => { await context?.close(); server?.close(); });

/** Adult with a first column `person_id` holding a different text ID on every row. */
function adultWithIds() {
  const lines = readFileSync(join(ROOT, 'static/data/adult.csv'), 'utf8').split('\n').filter((l) => l.trim() !== '');
  return lines.map((l, i) => `${i === 0 ? 'person_id' : `P${String(i).padStart(6, '0')}`},${l}`).join('\n') + '\n';
}

const leftOut = (page) => page.locator('[data-testid="left-out-row"]');
const usedAnyway = (page) => page.locator('[data-testid="used-anyway-row"]');
/** Waits for a training started by a button to end (results on the Fairness step, or an error). */
const trained = (page) => page.waitForFunction(() => !document.querySelector('[data-testid="busy"]')
  && (document.querySelector('[data-testid="results"]') || document.querySelector('[data-testid="error"]')));

test('an ID column is left out with its reason; "Use it anyway" trains with it, "Leave it out again" without', async () => {
  const page = await context.newPage();
  const errors = watchErrors(page);
  const app = new App(page);
  const file = join(dir, 'adult_ids.csv');
  writeFileSync(file, adultWithIds());
  await app.open(server.url);
  await app.uploadAndWait(file);
  assert.equal(await app.errorText(), null);
  await app.chooseRoles({ target: 'income-per-year', positive: '>50K', sensitive: 'sex', model: 'logistic' });
  await app.train();
  assert.equal(await app.errorText(), null);
  // The Fairness step says a column was left out, and leads to the list.
  assert.match(await app.text('left-out-note'), /Left out of the features automatically: person_id\./);
  await app.byTestId('left-out-see').click();
  await app.byTestId('left-out').waitFor();
  const row = leftOut(page).and(page.locator('[data-column="person_id"]'));
  assert.equal(await row.count(), 1);
  assert.equal(await row.getAttribute('data-reason'), 'id_like');
  assert.equal((await row.textContent()).replace(/\s+/g, ' ').trim(),
    'person_id — looks like an ID (every value different): left out of the features and the data audit Use it anyway');
  assert.equal(await usedAnyway(page).count(), 0);
  await screenshot(page, 'excluded-columns-left-out');

  // Use it anyway: trained again with person_id as a feature (its 64 most frequent values, the
  // rest merged into "other"); the page ends with results, not a hang or an error.
  await row.locator('[data-testid="use-anyway"]').click();
  await trained(page);
  assert.equal(await app.errorText(), null);
  // Training again opens the Fairness step: no column is left out automatically any more.
  await app.byTestId('results').waitFor();
  assert.equal(await app.byTestId('left-out-note').count(), 0);
  assert.ok(Number(await app.text('test-accuracy')) > 0.5);
  await app.goto('model');
  assert.equal(await leftOut(page).and(page.locator('[data-column="person_id"]')).count(), 0);
  const used = usedAnyway(page);
  assert.equal(await used.count(), 1);
  assert.equal(await used.getAttribute('data-column'), 'person_id');
  assert.match((await used.textContent()).replace(/\s+/g, ' '), /person_id — used as a feature because you asked/);
  await screenshot(page, 'excluded-columns-used');

  // Leave it out again: back to the rule's choice.
  await app.byTestId('leave-out-again').click();
  await trained(page);
  assert.match(await app.text('left-out-note'), /automatically: person_id\./);
  await app.goto('model');
  assert.equal(await leftOut(page).and(page.locator('[data-column="person_id"]')).count(), 1);
  assert.equal(await usedAnyway(page).count(), 0);
  assert.equal(await app.errorText(), null);
  assert.deepEqual(errors, []);
  await page.close();
});
