// Drives the browser side of the peer benchmark in headless Chromium (playwright-core, through
// the end-to-end tests' harness), and renders the chart's SVG to PNG.
//   node drive.mjs run <www dir> [id]     # <www>/data/plan.json -> <www>/data/wasm[_<id>].json
//   node drive.mjs png <chart.svg> <out.png>
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launch, serveStatic, watchErrors } from '../../tests/e2e/lib/harness.mjs';

const [cmd, a, b] = process.argv.slice(2);
const only = cmd === 'run' ? b : undefined;
const context = await launch();
try {
  const page = await context.newPage();
  if (cmd === 'run') {
    const www = resolve(a);
    const plan = JSON.parse(readFileSync(join(www, 'data/plan.json'), 'utf8'));
    const server = await serveStatic(www);
    try {
      const errors = watchErrors(page);
      await page.goto(server.url);
      await page.waitForFunction(() => window.benchReady || window.benchError, null, { timeout: 60_000 });
      const failed = await page.evaluate(() => window.benchError);
      if (failed) throw new Error(`the WebAssembly module did not load: ${failed}`);
      const version = await page.evaluate(() => navigator.userAgent);
      const datasets = [];
      // A fresh page runs WebAssembly from V8's baseline compiler until a function has run
      // enough to be optimised, and swaps optimised code in only between calls: a few calls on a
      // small table, or one long call on 1M rows, would be timed unoptimised. So before each
      // dataset the smallest one runs, uncounted, with 3 repetitions to warm every step up.
      const smallest = [...plan.datasets].sort((x, y) => (x.rows || 0) - (y.rows || 0))[0];
      for (const spec of plan.datasets.filter((d) => only === undefined || d.id === only)) {
        if (smallest && !plan.smoke) {
          process.stderr.write(`wasm: warming up on ${smallest.id}\n`);
          await page.evaluate((s) => window.runDataset(s), { ...smallest, reps: 3 });
        }
        process.stderr.write(`wasm: ${spec.id}\n`);
        datasets.push(await page.evaluate((s) => window.runDataset(s), spec));
      }
      if (errors.length) throw new Error(errors.join('\n'));
      writeFileSync(join(www, only ? `data/wasm_${only}.json` : 'data/wasm.json'), JSON.stringify({ versions: { user_agent: version }, datasets }));
    } finally {
      server.close();
    }
  } else if (cmd === 'png') {
    await page.setViewportSize({ width: 1200, height: 520 });
    await page.goto(pathToFileURL(resolve(a)).href);
    await page.screenshot({ path: resolve(b), clip: { x: 0, y: 0, width: 1200, height: 520 } });
  } else {
    throw new Error('usage: node drive.mjs run <www dir> | png <chart.svg> <out.png>');
  }
} finally {
  await context.close();
}
