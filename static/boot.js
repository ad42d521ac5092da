// Loads the WebAssembly app. Kept as a file of our own (not an inline script) so the
// Content-Security-Policy can forbid inline scripts entirely.
import init from './fairground-app.js';

const status = document.getElementById('boot-status');
try {
  await init({ module_or_path: new URL('./fairground-app_bg.wasm', import.meta.url) });
  if (status) status.remove();
  registerOffline();
} catch (err) {
  if (status) {
    status.textContent = 'Fairground could not start in this browser: ' + (err && err.message ? err.message : err)
      + '. It needs WebAssembly; try a current Chrome, Firefox, Safari or Edge.';
    status.classList.add('boot-failed');
  }
  throw err;
}

// Offline use: a service worker of this origin caches the app's own files (static/sw.js).
function registerOffline() {
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register('./sw.js').then(() => navigator.serviceWorker.ready).then(() => {
    const note = document.getElementById('offline-note');
    if (note) {
      note.textContent = 'Ready to work offline: this app\'s own files are cached in your browser (never your data).';
      note.hidden = false;
      // A passing notice: it would otherwise cover the page's tables.
      setTimeout(() => { note.hidden = true; }, 8000);
    }
  }).catch(() => { /* offline use is a bonus; the app works without it */ });
}
