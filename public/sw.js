// Idétavle's service worker. It lets a participant's page open without a network: the page as
// last loaded, with the notes still waiting to be sent (the page keeps those in localStorage and
// sends them, once each, when the connection is back). Everything else goes to the network as
// usual. Network first: an online phone always gets the board and the bundle as they are now;
// the cache answers only when the network does not.
const CACHE = 'idetavle-participant-v1';
const BUNDLE = [
  '/pkg/idetavle-participant.js',
  '/pkg/idetavle-participant.wasm',
  '/pkg/idetavle-participant.css',
  '/favicon.svg',
  '/manifest.webmanifest',
];

// The files come from the browser's HTTP cache where the page has just loaded them
// ('force-cache'): installing must not make a phone on venue Wi-Fi download the bundle twice.
const fromHttpCache = (cache, path) =>
  fetch(path, { cache: 'force-cache' }).then((response) => (response.ok ? cache.put(path, response) : undefined));

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(CACHE)
      .then((cache) => Promise.all(BUNDLE.map((path) => fromHttpCache(cache, path).catch(() => {}))))
      .then(() => self.skipWaiting()),
  );
});

// The page that registered this worker was loaded before it existed, so it goes into the cache
// here, as loaded (the HTTP cache's copy: the frames the page keeps start from its board).
self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
      .then(() => self.clients.matchAll({ type: 'window', includeUncontrolled: true }))
      .then((windows) => caches.open(CACHE).then((cache) => Promise.all(windows
        .map((w) => new URL(w.url))
        .filter((url) => url.origin === self.location.origin && url.pathname.startsWith('/j/'))
        .map((url) => fromHttpCache(cache, url.pathname + url.search).catch(() => {}))))),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  const page = request.mode === 'navigate' && url.pathname.startsWith('/j/');
  if (!page && !BUNDLE.includes(url.pathname)) return;
  event.respondWith(
    fetch(request)
      .then((response) => {
        if (response.ok) {
          const copy = response.clone();
          event.waitUntil(caches.open(CACHE).then((cache) => cache.put(request, copy)));
        }
        return response;
      })
      .catch(() => caches.match(request).then((cached) => cached || Response.error())),
  );
});
