// The service worker of the field kit (issue 20), served at /sw.js with SHELL and VERSION
// set by the server (web/pwa.py). It keeps the registration page, its scripts and styles,
// and the worker's own grid boundaries, so that the form opens and places a point with no
// signal. Pages are fetched from the network first and the cached copy is used only when
// the network fails; nothing else is cached (no case, no personal data).
const CACHE = "grassroots-field-" + VERSION;
const PAGES = ["/cases/new"];
const DATA = ["/map/boundaries.geojson"];

async function keep(cache, url) {
  try {
    const response = await fetch(url, { credentials: "same-origin" });
    if (response.ok && !response.redirected) await cache.put(url, response);
  } catch (e) { /* offline while installing: the next visit fills it */ }
}

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await Promise.all(SHELL.map((url) => keep(cache, url)));
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("grassroots-field-") && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

async function networkFirst(request, key) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok && !response.redirected) await cache.put(key, response.clone());
    return response;
  } catch (e) {
    const cached = await cache.match(key);
    if (cached) return cached;
    throw e;
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request, { ignoreSearch: true });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (PAGES.includes(url.pathname) && request.mode === "navigate") {
    event.respondWith(networkFirst(request, url.pathname));
  } else if (DATA.includes(url.pathname)) {
    event.respondWith(networkFirst(request, url.pathname + url.search));
  } else if (url.pathname.startsWith("/static/")) {
    event.respondWith(cacheFirst(request));
  }
});
