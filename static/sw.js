// Fairground's service worker: after the first visit the app works with the network off.
// It caches only this app's own files (same origin, GET) and never sees or stores anything the
// user loads: files are read by the page itself and never fetched. Network first, so a new
// version is picked up when online; the cache answers when offline.
const CACHE = 'fairground-v1';
const APP_FILES = ['./', './index.html', './boot.js', './worker.js', './fairground-app.js',
  './fairground-app_bg.wasm', './main.css'];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(APP_FILES)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(fetch(request).then((response) => {
    if (response.ok) {
      const copy = response.clone();
      caches.open(CACHE).then((cache) => cache.put(request, copy));
    }
    return response;
  }).catch(() => caches.match(request, { ignoreSearch: true })
    .then((hit) => hit || new Response('Offline and not cached yet.', { status: 503 }))));
});
