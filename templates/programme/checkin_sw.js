{% autoescape off %}/* Takwin check-in: keeps the check-in page and its assets for a reload without a connection.
   Scope: the check-in path only. The page's list of attendees lives in IndexedDB, never here. */
"use strict";
const VERSION = {{ version }};
const ASSETS = {{ assets }};
const SCOPE = {{ scope }};
const CACHE = "takwin-checkin-assets-" + VERSION;
const PAGES = "takwin-checkin-pages";

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(ASSETS)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("takwin-checkin-assets-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (ASSETS.includes(url.pathname)) {
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
    return;
  }
  if (request.mode === "navigate" && url.pathname.startsWith(SCOPE)) {
    // Network first (the page may have changed), the copy the page saved when offline.
    event.respondWith(
      fetch(request).then((response) => {
        if (response.ok && response.type === "basic") {
          const copy = response.clone();
          caches.open(PAGES).then((cache) => cache.put(request, copy));
        }
        return response;
      }).catch(() => caches.match(request, { ignoreSearch: true }).then((hit) => hit || Response.error()))
    );
  }
});
{% endautoescape %}
