// The Web Worker that runs heavy work off the main thread. It loads the worker's own WebAssembly
// module (bin fairground-worker: the session) and hands every message to the Rust side
// (src/ui/worker.rs).
import init, { worker_entry } from './fairground-worker.js';

const queued = [];
self.onmessage = (event) => queued.push(event);
const wasm = await init({ module_or_path: new URL('./fairground-worker_bg.wasm', import.meta.url) });
// The worker's WebAssembly heap, for measuring memory use (benches/app_speed.mjs); read-only.
self.fairgroundHeapBytes = () => wasm.memory.buffer.byteLength;
worker_entry();
for (const event of queued) self.dispatchEvent(new MessageEvent('message', { data: event.data }));
