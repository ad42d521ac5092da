// The release build aborts on a panic without a message (scripts/release.sh: the standard
// library is built with `panic=immediate-abort`), so a panic in the page's module surfaces only
// as an uncaught WebAssembly.RuntimeError ("unreachable"). static/boot.js turns it into the
// page's notice instead of leaving a frozen page. The app ships no test hook that could make its
// module trap, so the trap is simulated: the same error class, thrown uncaught from a task and
// from a promise, as a trap inside an event handler or a spawned future would be.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { App } from './lib/app.mjs';
import { serveStatic, launch, watchErrors, screenshot } from './lib/harness.mjs';

let server, context;
before(async () => {
  server = await serveStatic();
  context = await launch();
});
after(async () => {
  await context?.close();
  server?.close();
});

for (const how of ['task', 'promise']) {
  test(`a trap of the page's module (uncaught, from a ${how}) is reported on the page once`, async () => {
    const page = await context.newPage();
    const errors = watchErrors(page);
    const app = new App(page);
    await app.open(server.url);
    assert.equal(await page.locator('[data-testid="fatal"]').count(), 0);
    // An ordinary script error is not the module's: no notice.
    await page.evaluate(() => { setTimeout(() => { throw new Error('not a trap'); }, 0); });
    await page.evaluate((how) => {
      const trap = () => { throw new WebAssembly.RuntimeError('unreachable'); };
      for (let i = 0; i < 2; i++) {
        if (how === 'task') setTimeout(trap, 0);
        else Promise.resolve().then(trap);
      }
    }, how);
    await app.byTestId('fatal').waitFor();
    const text = await app.text('fatal');
    assert.match(text, /internal error and has to be reloaded/, text);
    assert.match(text, /unreachable/, text);
    assert.equal(await page.getAttribute('[data-testid="fatal"]', 'role'), 'alert');
    assert.equal(await page.locator('[data-testid="fatal"]').count(), 1);
    if (how === 'task') await screenshot(page, 'page-trap');
    assert.ok(errors.some((e) => /unreachable/.test(e)), errors.join('\n'));
    await page.close();
  });
}
