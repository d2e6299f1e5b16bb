// lector's library pages: registers the service worker that keeps the library's pages and
// narrations for reading and listening offline.
if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/sw.js").catch(() => {});
}
