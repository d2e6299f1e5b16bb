// lector's service worker on a library: the library's pages, the assets and the narrations a
// reader has opened, and the queue's articles with their narrations (sent by the queue page),
// are kept, so that they read and play without a network; the network is asked first and what
// it answers replaces what was kept. A narration asked for by range while offline is served
// from the whole one kept.
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

// The queue page sends what to keep: its articles' pages, narrations and timings.
self.addEventListener("message", (event) => {
  const urls = (event.data && event.data.type === "keep" && Array.isArray(event.data.urls)) ? event.data.urls : [];
  event.waitUntil(caches.open(KEPT).then((cache) => Promise.all(urls.map((url) =>
    fetch(url, { credentials: "same-origin" }).then((response) => response.ok && response.status === 200 ? cache.put(url, response) : null)
      .catch(() => null)))));
});

// The part of a kept whole response that a range asks for.
async function part(request, whole) {
  const blob = await whole.blob();
  const asked = /bytes=(\d*)-(\d*)/.exec(request.headers.get("range") || "") || [];
  let start = asked[1] ? Number(asked[1]) : 0;
  let end = asked[2] ? Number(asked[2]) : blob.size - 1;
  if (!asked[1] && asked[2]) { start = Math.max(0, blob.size - Number(asked[2])); end = blob.size - 1; }
  end = Math.min(end, blob.size - 1);
  return new Response(blob.slice(start, end + 1), {
    status: 206,
    headers: { "Content-Type": whole.headers.get("Content-Type") || "audio/mpeg", "Accept-Ranges": "bytes",
      "Content-Range": `bytes ${start}-${end}/${blob.size}`, "Content-Length": String(end - start + 1) },
  });
}

function keepable(request, url) {
  if (request.method !== "GET" || url.origin !== self.location.origin) return false;
  return url.pathname === "/library" || url.pathname.startsWith("/articles/") || url.pathname.startsWith("/assets/")
    || url.pathname.startsWith("/images/") || /^\/api\/articles\/\d+\/(audio|timings|transcript\.vtt)$/.test(url.pathname);
}

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (!keepable(event.request, url)) return;
  if (event.request.headers.has("range")) {
    event.respondWith(fetch(event.request).catch(() =>
      caches.match(url.href).then((whole) => whole ? part(event.request, whole) : Response.error())));
    return;
  }
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
