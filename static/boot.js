// Loads the WebAssembly app. Kept as a file of our own (not an inline script) so the
// Content-Security-Policy can forbid inline scripts entirely.
import init from './fairground-app.js';

const status = document.getElementById('boot-status');
reportTraps();
try {
  const wasm = await init({ module_or_path: new URL('./fairground-app_bg.wasm', import.meta.url) });
  // The page's WebAssembly memory, for measuring memory use (benches/app_speed.mjs); read-only.
  window.fairgroundHeapBytes = () => wasm.memory.buffer.byteLength;
  if (status) status.remove();
  focusableScrollers();
  registerOffline();
} catch (err) {
  if (status) {
    status.textContent = 'Fairground could not start in this browser: ' + (err && err.message ? err.message : err)
      + '. It needs WebAssembly; try a current Chrome, Firefox, Safari or Edge.';
    status.classList.add('boot-failed');
  }
  throw err;
}

// Offline use: a service worker of this origin caches the app's own files (static/sw.js). The
// notice is shown once, when the files are first cached (no service worker controlled this
// page yet), sits in a corner out of the content's way, and can be dismissed; it leaves by itself
// after a while too.
function registerOffline() {
  if (!('serviceWorker' in navigator)) return;
  const firstTime = !navigator.serviceWorker.controller;
  navigator.serviceWorker.register('./sw.js').then(() => navigator.serviceWorker.ready).then(() => {
    const note = document.getElementById('offline-note');
    const text = document.getElementById('offline-text');
    const dismiss = document.getElementById('offline-dismiss');
    if (!note || !text || !firstTime) return;
    text.textContent = 'Ready to work offline: this app\'s own files are cached in your browser (never your data).';
    note.hidden = false;
    if (dismiss) dismiss.addEventListener('click', () => { note.hidden = true; });
    setTimeout(() => { note.hidden = true; }, 12000);
  }).catch(() => { /* offline use is a bonus; the app works without it */ });
}

// A table wider than its box scrolls inside it (style/main.css, narrow screens). A keyboard user
// must be able to reach such a box (Tab, then the arrow keys scroll it), so every `table.metrics`
// that scrolls is made focusable while it does — for tables any screen adds, now or later.
function focusableScrollers() {
  const update = () => {
    for (const t of document.querySelectorAll('table.metrics')) {
      const scrolls = t.scrollWidth > t.clientWidth + 1;
      if (scrolls && !t.hasAttribute('tabindex')) {
        t.setAttribute('tabindex', '0');
        t.dataset.scrollFocus = '1';
      } else if (!scrolls && t.dataset.scrollFocus) {
        t.removeAttribute('tabindex');
        delete t.dataset.scrollFocus;
      }
    }
  };
  let queued = false;
  const schedule = () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => { queued = false; update(); });
  };
  new MutationObserver(schedule).observe(document.body, { childList: true, subtree: true });
  window.addEventListener('resize', schedule);
  schedule();
}

// The release build aborts on a panic at once, without a message (scripts/release.sh): the
// module traps, and the trap surfaces here as an uncaught WebAssembly.RuntimeError. Say so on
// the page rather than leave it frozen (text only; one notice). The worker's traps reach the
// page as the worker's `error` event instead (src/ui/worker.rs).
function reportTraps() {
  const report = (err) => {
    if (!(err instanceof WebAssembly.RuntimeError) || document.querySelector('[data-testid="fatal"]')) return;
    const div = document.createElement('div');
    div.className = 'fatal';
    div.setAttribute('role', 'alert');
    div.dataset.testid = 'fatal';
    div.textContent = 'Fairground hit an internal error and has to be reloaded. Nothing was sent anywhere. Details: '
      + err.message;
    document.body.prepend(div);
  };
  window.addEventListener('error', (event) => report(event.error));
  window.addEventListener('unhandledrejection', (event) => report(event.reason));
}
