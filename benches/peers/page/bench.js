// The browser side of the peer benchmark (benches/peers.sh): loads the release WebAssembly of
// `fairground-bench` and exposes `window.runDataset(spec)`, which fetches the CSV and runs every
// step in WebAssembly, timed there with performance.now().
import init, { run_bench } from './pkg/bench.js';

const status = document.getElementById('status');

window.runDataset = async (spec) => {
  status.textContent = `running ${spec.id}…`;
  const response = await fetch(`data/${spec.file}`);
  if (!response.ok) throw new Error(`data/${spec.file}: HTTP ${response.status}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  const out = JSON.parse(run_bench(bytes, JSON.stringify(spec)));
  status.textContent = `done ${spec.id}`;
  return out;
};

init().then(() => {
  window.benchReady = true;
  status.textContent = 'ready';
}, (e) => {
  status.textContent = `failed: ${e}`;
  window.benchError = String(e);
});
