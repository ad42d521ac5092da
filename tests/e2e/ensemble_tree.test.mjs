// The tree view of an ensemble (issue #21): a random forest of five trees trained on the
// bundled German credit data; the Explain step's global view draws tree 1 of 5 with the
// selected row's path, and picking tree 2 asks the worker for that tree, whose view replaces it
// (its own leaves and splits, the row's path through it highlighted).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, serveStatic, screenshot, watchErrors } from './lib/harness.mjs';
import { App } from './lib/app.mjs';

let server, context;
before(async () => { server = await serveStatic(); context = await launch(); });
after(async () => { await context?.close(); server?.close(); });

async function treeShown(page) {
  const summary = (await page.locator('[data-testid="tree-summary"]').textContent()).trim();
  const nodes = await page.locator('[data-testid="tree-view"] li').allTextContents();
  const onPath = await page.locator('[data-testid="tree-view"] li.on-path').count();
  return { summary, nodes: nodes.join('\n'), onPath };
}

test('German credit: a forest of five trees, any one of them drawn with the row\'s path', async () => {
  const page = await context.newPage();
  const errors = watchErrors(page);
  const app = new App(page);
  await app.open(server.url);
  await app.loadBundled('german');
  await app.chooseRoles({ model: 'random_forest' });
  const trees = app.byTestId('trees');
  await trees.fill('5');
  await trees.dispatchEvent('change');
  await app.train();
  assert.equal(await app.errorText(), null);

  await app.goto('explain');
  await app.byTestId('row-score').waitFor();
  await app.waitIdle();
  await app.byTestId('run-global').click();
  await app.waitIdle();
  assert.equal(await app.errorText(), null);
  const first = await treeShown(page);
  assert.match(first.summary, /^Tree 1 of 5: \d+ leaves, depth \d+( \(its first 4 levels shown\))?\. The highlighted path is the selected row's\.$/, first.summary);
  assert.ok(first.onPath >= 2, `the row's path from the root is highlighted: ${first.onPath}`);
  assert.equal(await app.byTestId('tree-pick').inputValue(), '1');

  const pick = app.byTestId('tree-pick');
  await pick.fill('2');
  await pick.dispatchEvent('change');
  await page.waitForFunction(() => document.querySelector('[data-testid="tree-summary"]')?.textContent.startsWith('Tree 2 of 5'));
  await app.waitIdle();
  const second = await treeShown(page);
  assert.match(second.summary, /^Tree 2 of 5: \d+ leaves, depth \d+( \(its first 4 levels shown\))?\. /, second.summary);
  assert.notEqual(second.nodes, first.nodes, 'another tree is drawn');
  assert.ok(second.onPath >= 2, `the row's path through tree 2 is highlighted: ${second.onPath}`);
  assert.equal(await app.byTestId('tree-pick').inputValue(), '2');
  await screenshot(page, 'ensemble-tree-2');

  // Past the last tree: the picker keeps to the trees there are.
  await pick.fill('9');
  await pick.dispatchEvent('change');
  await page.waitForFunction(() => document.querySelector('[data-testid="tree-summary"]')?.textContent.startsWith('Tree 5 of 5'));
  await app.waitIdle();
  assert.equal(await app.errorText(), null);
  assert.deepEqual(errors, []);
  await page.close();
});
