// Loads the WebAssembly app. Kept as a file of our own (not an inline script) so the
// Content-Security-Policy can forbid inline scripts entirely.
import init from './fairground-app.js';

const status = document.getElementById('boot-status');
try {
  await init({ module_or_path: new URL('./fairground-app_bg.wasm', import.meta.url) });
  if (status) status.remove();
} catch (err) {
  if (status) {
    status.textContent = 'Fairground could not start in this browser: ' + (err && err.message ? err.message : err)
      + '. It needs WebAssembly; try a current Chrome, Firefox, Safari or Edge.';
    status.classList.add('boot-failed');
  }
  throw err;
}
