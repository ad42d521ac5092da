// Makes the README's screenshots: the landing page, the Fairness step and a lesson, at a desktop
// and a phone width, into docs/screenshots/. Run by hand after `bash scripts/release.sh` (it is not
// part of the tests):
//
//   node scripts/screenshots.mjs            # light theme
//   COLOR_SCHEME=dark node scripts/screenshots.mjs
//
// It serves dist/ on loopback and drives Debian's Chromium through the end-to-end tests' harness
// (tests/e2e/lib), so `npm ci` in tests/e2e must have run (scripts/setup.sh does).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, launch, serveStatic } from '../tests/e2e/lib/harness.mjs';
import { App } from '../tests/e2e/lib/app.mjs';

const OUT = join(ROOT, 'docs/screenshots');
const scheme = process.env.COLOR_SCHEME === 'dark' ? 'dark' : 'light';
const suffix = scheme === 'dark' ? '-dark' : '';
const SIZES = { desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } };

mkdirSync(OUT, { recursive: true });
const server = await serveStatic();
const context = await launch();
try {
  const page = await context.newPage();
  await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
  const app = new App(page);
  const shot = async (name, scrollTo = null) => {
    // Hide the one-off offline notice so that it is not in the picture.
    await page.evaluate(() => { const n = document.getElementById('offline-note'); if (n) n.hidden = true; });
    await page.evaluate(() => window.scrollTo(0, 0));
    if (scrollTo) await page.locator(scrollTo).evaluate((el) => el.scrollIntoView({ block: 'start' }));
    const path = join(OUT, `${name}${suffix}.png`);
    await page.screenshot({ path });
    console.log(path);
  };
  for (const [label, size] of Object.entries(SIZES)) {
    await page.setViewportSize(size);
    await app.open(server.url);
    await shot(`${label}-landing`);
    await app.loadBundled('adult');
    await app.train();
    await app.goto('fairness');
    await app.waitIdle();
    // On a phone, the group table (scrolling in its own box) and the first chart.
    await shot(`${label}-fairness`, label === 'phone' ? '[data-testid="group-table"]' : null);
    await app.goto('learn');
    await app.byTestId('lesson-definitions').click();
    await shot(`${label}-lesson`);
  }
} finally {
  await context.close();
  server.close();
}
