// lector's service worker on a library: the library's pages, the assets and the narrations a
// reader has opened are kept, so that they read and play without a network; the network is
// asked first and what it answers replaces what was kept.
const KEPT = "lector-library-v1";
const SHELL = ["/library", "/assets/site.css", "/assets/player.js"];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(KEPT).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((name) => name !== KEPT).map((name) => caches.delete(name))))
      .then(() => self.clients.claim())
  );
});

function keepable(request, url) {
  if (request.method !== "GET" || url.origin !== self.location.origin) return false;
  if (request.headers.has("range")) return false;
  return url.pathname === "/library" || url.pathname.startsWith("/articles/") || url.pathname.startsWith("/assets/")
    || url.pathname.startsWith("/images/") || /^\/api\/articles\/\d+\/(audio|timings|transcript\.vtt)$/.test(url.pathname);
}

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (!keepable(event.request, url)) return;
  event.respondWith(
    fetch(event.request)
      .then((response) => {
        if (response.ok && response.status === 200) {
          const copy = response.clone();
          caches.open(KEPT).then((cache) => cache.put(event.request, copy));
        }
        return response;
      })
      .catch(() => caches.match(event.request).then((kept) => kept || Response.error()))
  );
});
