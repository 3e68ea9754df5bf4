// The page's service worker: the page opens from what it keeps, with or without the network.
//
// - The build's own files (Trunk names them after a hash of their content) are kept at install
//   and served from here first: a name never changes its content, so there is nothing to check.
// - The page (index.html) is asked of the network first, so an online visit always gets the
//   newest deployment; this worker's kept copy answers only when the network does not.
// - Nothing else: no other origin (the user's endpoint, arXiv), never /api/ (answers belong to
//   the endpoint's own cache and to the app's storage).
//
// Each deployment is its own worker: the build step (scripts/offline-build.mjs) writes the
// build's version and file list below, so the bytes of this file change with every build and the
// browser installs the new worker next to the old one. The new one waits until the page says so
// (its "A new version is ready — Reload" offer), so an open page never mixes two builds.

const VERSION = 'development';
const FILES = [];

const PREFIX = 'daily-papers-';
const CACHE = PREFIX + VERSION;
const PAGE = new URL('index.html', self.registration.scope).href;

self.addEventListener('install', (event) => {
  // All or nothing: a build half kept would open half offline.
  event.waitUntil(
    caches.open(CACHE).then((cache) =>
      cache.addAll([PAGE, ...FILES.map((f) => new URL(f, self.registration.scope).href)].map(
        // Past the HTTP cache: the kept copy is exactly what this deployment serves.
        (url) => new Request(url, { cache: 'reload' }),
      )),
    ),
  );
});

self.addEventListener('activate', (event) => {
  // Only now is the older deployment's copy unused: every page has switched.
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(
        names.filter((n) => n.startsWith(PREFIX) && n !== CACHE).map((n) => caches.delete(n)),
      ))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('message', (event) => {
  if (event.data === 'version') event.ports[0]?.postMessage(VERSION);
  if (event.data === 'skip-waiting') self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;
  if (request.mode === 'navigate') {
    event.respondWith(fetch(request).catch(() => fromCache(PAGE).then((kept) => kept ?? Response.error())));
    return;
  }
  event.respondWith(fromCache(url.href).then((kept) => kept ?? fetch(request)));
});

/** This deployment's kept copy of `url` (query ignored: the files have none), if any. */
function fromCache(url) {
  return caches.open(CACHE).then((cache) => cache.match(url, { ignoreSearch: true }));
}
