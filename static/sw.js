// Fairground's service worker: after the first visit the app works with the network off.
//
// - It only ever sees this app's own GET requests (same origin, inside its scope). Files the
//   user loads are read by the page itself and never fetched, so they are never seen or cached.
// - It touches only its own caches: their names start with "fairground:" and this registration's
//   scope, so another app on the same origin (another project on user.github.io) and another
//   copy of Fairground under another path keep theirs.
// - The cache is versioned by the build: BUILD is a hash of every file of the build, written
//   into this file by scripts/trunk_post_build.sh (Trunk's post-build hook). A new build is a new
//   sw.js, so the browser installs it: it fills a new cache with the whole new build at once
//   (bypassing the HTTP cache), and on activation deletes its own older caches. An old .wasm can
//   therefore never be served beside new JavaScript from the cache. The page's split chunks
//   (src/ui/chunks.rs: __wasm_split.js, split_*.wasm, chunk_*.wasm) are listed by the same
//   script, so a step opened offline has its code.
// - Network first, so a new version is picked up when online; the cache answers when offline.
//   The app's files are cached only at install (one consistent set per build); the bundled
//   datasets (data/) are cached when first used. A query string never makes a new cache entry.
const BUILD = '__FAIRGROUND_BUILD_ID__';
const SCOPE = new URL(self.registration.scope);
const PREFIX = `fairground:${SCOPE.pathname}:`;
const CACHE = PREFIX + BUILD;
const APP_FILES = ['./', './index.html', './boot.js', './worker.js', './main.css', './lessons.json',
  './fairground-app.js', './fairground-app_bg.wasm', './fairground-worker.js', './fairground-worker_bg.wasm'
  /*__FAIRGROUND_CHUNKS__*/];
const APP_PATHS = new Set(APP_FILES.map((f) => new URL(f, SCOPE).pathname));
const DATA_PATH = new URL('./data/', SCOPE).pathname;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE)
    .then((cache) => cache.addAll(APP_FILES.map((f) => new Request(new URL(f, SCOPE), { cache: 'reload' }))))
    .then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k.startsWith(PREFIX) && k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  const isData = url.pathname.startsWith(DATA_PATH);
  if (!isData && !APP_PATHS.has(url.pathname)) return;
  // The cache key: the path without query string or fragment.
  const key = url.origin + url.pathname;
  event.respondWith(fetch(request).then((response) => {
    if (isData && response.ok && response.type === 'basic') {
      const copy = response.clone();
      caches.open(CACHE).then((cache) => cache.put(key, copy));
    }
    return response;
  }).catch(() => caches.open(CACHE)
    .then((cache) => cache.match(key))
    .then((hit) => hit || new Response('Offline and not cached yet.', { status: 503 }))));
});
