// Rough edges a newcomer hits on real files (issue #25): the offline notice can be dismissed; a
// `split` column of train/test cells is preselected as the split column (with one click to undo)
// and is not the target; a survey-weight column is flagged before training but not left out.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, serveStatic, watchErrors } from './lib/harness.mjs';
import { App } from './lib/app.mjs';

let server, context;
before(async () => { server = await serveStatic(); context = await launch(); });
after(async () => { await context?.close(); server?.close(); });

function csv() {
  const rows = ['income,fnlwgt,group,approved,split'];
  for (let i = 0; i < 200; i++) {
    rows.push(`${20 + (i * 7) % 50},${1000 + i * 13},${i % 3 === 0 ? 'a' : 'b'},${(i * 5) % 7 < 3 ? 'yes' : 'no'},${i % 4 === 0 ? 'test' : 'train'}`);
  }
  return rows.join('\n') + '\n';
}

test('the offline notice is shown once and can be dismissed', async () => {
  const page = await context.newPage();
  const app = new App(page);
  await app.open(server.url);
  const note = app.byTestId('offline-note');
  await note.waitFor();
  assert.match(await note.textContent(), /offline/);
  await app.byTestId('offline-dismiss').click();
  await note.waitFor({ state: 'hidden' });
  // The next visit is already controlled by the service worker: no notice.
  await page.reload();
  await app.byTestId('privacy-note').waitFor();
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.waitForTimeout(500);
  assert.equal(await note.isVisible(), false);
  await page.close();
});

test('a split column is preselected with a note and one click to undo; a weight column is flagged', async () => {
  const page = await context.newPage();
  const errors = watchErrors(page);
  const app = new App(page);
  await app.open(server.url);
  await app.goto('data');
  await app.byTestId('file-input').setInputFiles({ name: 'survey.csv', mimeType: 'text/csv', buffer: Buffer.from(csv()) });
  await page.waitForFunction(() => document.querySelector('[data-testid="step-model"]:not([disabled])'));
  await app.waitIdle();
  await app.goto('model');
  assert.equal(await app.byTestId('split-column').inputValue(), 'split');
  assert.equal(await app.byTestId('target').inputValue(), 'approved', 'the split column is not taken as the target');
  assert.match(await app.text('split-suggested'), /'split' holds only train\/test cells/);
  assert.match(await app.text('weight-flags'), /'fnlwgt' looks like a survey weight/);
  // Flagged, not left out.
  assert.equal(await page.locator('[data-testid="exclude-list"] input:checked').count(), 0);
  await app.chooseRoles({ positive: 'yes', sensitive: 'group' });
  await app.train();
  assert.equal(await app.errorText(), null);
  // Undo: back to a random split.
  await app.goto('model');
  await app.byTestId('split-undo').click();
  assert.equal(await app.byTestId('split-column').inputValue(), '');
  assert.equal(await app.byTestId('split-suggested').count(), 0);
  assert.deepEqual(errors, []);
  await page.close();
});
