/* Takwin's service worker: lessons stored for offline use, and the learner's heartbeats and quiz
 * answers kept until the connection returns. Served by lessons.offline_views.service_worker at
 * /offline-sw.js (scope: the whole site), which puts self.TAKWIN_OFFLINE = {db: url} first
 * (the URL of offline.js, whose records part runs here).
 *
 * - Pages: the network first (a few seconds), then the stored copy of a stored page.
 * - Stored files (media, images, documents, styles, scripts): the stored copy first; byte
 *   ranges are cut from it, as a <video> asks for them. Signed links are not checked again:
 *   their expiry was checked when they were stored. Of other origins, only images are looked
 *   up (a lesson's images on S3 or a CDN, stored under their whole URL).
 * - POST /api/progress/<id>/ (heartbeats) and POST /learn/attempt/<id>/ (quiz answers): sent
 *   as usual; when the network fails they are kept in IndexedDB and answered "queued".
 * - A page's "flush" message (with its CSRF token) sends what waits: the heartbeats of each
 *   lesson merged into one, carrying a client id (X-Takwin-Replay-Id) that the server applies
 *   once; the quiz answers as the form would have, with that header too, so that the server
 *   answers JSON: answers it refused (the attempt closed meanwhile, ...) are kept in the
 *   "refused" store with the reason, and shown until the learner dismisses them. */
/* global TakwinOfflineDB */
importScripts(self.TAKWIN_OFFLINE.db);
(function () {
  "use strict";
  var DB = TakwinOfflineDB, CACHE = DB.CACHE, PAGE_TIMEOUT = 4000;
  var BEAT = /^\/api\/progress\/\d+\/$/, ATTEMPT = /^(\/[a-z]{2})?\/learn\/attempt\/\d+\/$/;
  var flushing = null;

  self.addEventListener("install", function () { self.skipWaiting(); });
  self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

  self.addEventListener("fetch", function (event) {
    var request = event.request, url = new URL(request.url);
    if (url.origin !== self.location.origin) {
      // Another origin's images (S3, a CDN) stored with a lesson: the copy, else the network.
      if (request.method === "GET" && request.destination === "image") { event.respondWith(stored(request)); }
      return;
    }
    if (request.method === "POST") {
      if (BEAT.test(url.pathname)) { event.respondWith(keepOnFailure(request, "beat")); }
      else if (ATTEMPT.test(url.pathname)) { event.respondWith(keepOnFailure(request, "quiz")); }
      return;
    }
    if (request.method !== "GET" || url.pathname === "/offline-sw.js") { return; }
    event.respondWith(request.mode === "navigate" ? page(request) : stored(request));
  });

  self.addEventListener("message", function (event) {
    var data = event.data || {};
    if (data.type === "flush") {
      event.waitUntil(flush(data.csrf || "").then(function (sent) {
        return DB.all("queue").then(function (left) {
          if (event.source) { event.source.postMessage({ type: "flushed", sent: sent, left: left.length }); }
        });
      }));
    }
  });

  /* A page: the network within PAGE_TIMEOUT, else the stored copy, else "My downloads". */
  function page(request) {
    var network = fetch(request);
    var late = new Promise(function (resolve) { setTimeout(resolve, PAGE_TIMEOUT); });
    return Promise.race([network, late.then(function () { return null; })]).then(function (response) {
      return response || fromCache(request).then(function (copy) { return copy || network; });
    }).catch(function () {
      return fromCache(request).then(function (copy) { return copy || downloadsPage(request); });
    });
  }

  function downloadsPage(request) {
    var french = /^\/fr(\/|$)/.test(new URL(request.url).pathname);
    return caches.open(CACHE).then(function (cache) {
      return cache.match(french ? "/fr/my/downloads/" : "/my/downloads/");
    }).then(function (copy) { return copy || Response.error(); });
  }

  function fromCache(request) {
    return caches.open(CACHE).then(function (cache) { return cache.match(request.url, { ignoreVary: true }); });
  }

  /* Any other GET: a stored copy first (cut to the asked byte range), else the network. */
  function stored(request) {
    return fromCache(request).then(function (copy) {
      if (!copy) { return fetch(request); }
      var range = request.headers.get("Range");
      return range ? slice(copy, range) : copy;
    });
  }

  function slice(response, header) {
    return response.blob().then(function (blob) {
      var match = /^bytes=(\d*)-(\d*)$/.exec(header.trim()), size = blob.size;
      var start = match && match[1] !== "" ? parseInt(match[1], 10) : null;
      var end = match && match[2] !== "" ? parseInt(match[2], 10) : size - 1;
      if (start === null && match && match[2] !== "") { start = Math.max(0, size - end); end = size - 1; }
      if (!match || start === null || start >= size || start > end) {
        return new Response("", { status: 416, headers: { "Content-Range": "bytes */" + size } });
      }
      end = Math.min(end, size - 1);
      return new Response(blob.slice(start, end + 1), {
        status: 206,
        headers: {
          "Content-Type": response.headers.get("Content-Type") || "application/octet-stream",
          "Content-Range": "bytes " + start + "-" + end + "/" + size,
          "Content-Length": String(end - start + 1), "Accept-Ranges": "bytes"
        }
      });
    });
  }

  /* A heartbeat or quiz answers: sent now, or kept for later when the network fails. */
  function keepOnFailure(request, kind) {
    var copy = request.clone();
    return fetch(request).catch(function () {
      return (kind === "beat" ? keepBeat(copy) : keepAnswers(copy));
    });
  }

  function keepBeat(request) {
    var type = request.headers.get("Content-Type") || "";
    var read = /multipart|urlencoded/.test(type)
      ? request.formData().then(function (form) { return JSON.parse(form.get("data") || "{}"); })
      : request.text().then(function (text) { return JSON.parse(text || "{}"); });
    return read.then(function (payload) {
      return DB.put("queue", { id: DB.uuid(), kind: "beat", url: request.url, payload: payload, at: Date.now(),
        lang: request.headers.get("Accept-Language") || "" });
    }).then(function () {
      return new Response(JSON.stringify({ ok: true, queued: true }), { status: 202, headers: { "Content-Type": "application/json" } });
    }, function () { return Response.error(); });
  }

  function keepAnswers(request) {
    var path = new URL(request.url).pathname;
    return request.text().then(function (body) {
      return DB.put("queue", { id: DB.uuid(), kind: "quiz", url: request.url, body: body, at: Date.now() });
    }).then(function () { return DB.all("lessons"); }).then(function (lessons) {
      // Back to the stored lesson, which says the answers wait on this device.
      var lesson = lessons.find(function (l) { return (l.attempts || []).indexOf(path) > -1; });
      var to = lesson ? lesson.url : (/^\/fr\//.test(path) ? "/fr/my/downloads/" : "/my/downloads/");
      return Response.redirect(new URL(to + "#offline-saved", self.location.origin).href, 303);
    });
  }

  /* --- Sending what waits ---------------------------------------------------------------- */

  function merged(beats) {
    // One beat per lesson: every range kept (the server merges intervals, so nothing counts
    // twice), the latest position; the id of the last beat names the whole.
    var ranges = [];
    beats.forEach(function (b) { (b.payload.ranges || []).forEach(function (r) { ranges.push(r); }); });
    var last = beats[beats.length - 1];
    return { key: last.id, lang: last.lang, url: last.url,
      body: { position: last.payload.position, duration: last.payload.duration, ranges: ranges } };
  }

  function settled(response) {
    // Done: accepted (2xx), or refused for good (a forged or stale beat: 400, 404, 413).
    // Kept: network or server trouble, and 401/403 (signed out, CSRF): sent again later.
    return response.ok || [400, 404, 405, 413, 422].indexOf(response.status) > -1;
  }

  function sendBeats(items, csrf) {
    var byUrl = {};
    items.forEach(function (item) { (byUrl[item.url] = byUrl[item.url] || []).push(item); });
    return Object.keys(byUrl).reduce(function (chain, url) {
      return chain.then(function (sent) {
        var group = byUrl[url], beat = merged(group);
        return fetch(url, {
          method: "POST", credentials: "same-origin", body: JSON.stringify(beat.body),
          headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, "X-Takwin-Replay-Id": beat.key,
            "Accept-Language": beat.lang || "ar" }
        }).then(function (response) {
          if (!settled(response)) { return sent; }
          return DB.remove("queue", group.map(function (i) { return i.id; })).then(function () { return sent + group.length; });
        }, function () { return sent; });
      });
    }, Promise.resolve(0));
  }

  /* The server's verdict on replayed answers (JSON, see lessons.offline_views.replayed_answers),
   * or null for any other answer (a login page, a CSRF failure, a server error: kept, sent again). */
  function verdict(response) {
    if (!/json/.test(response.headers.get("Content-Type") || "")) { return Promise.resolve(null); }
    return response.json().then(function (data) { return data && data.outcome ? data : null; }, function () { return null; });
  }

  function sendAnswers(items, csrf) {
    return items.reduce(function (chain, item) {
      return chain.then(function (sent) {
        var body = new URLSearchParams(item.body);
        body.set("csrfmiddlewaretoken", csrf);  // the token of today's session, not the stored one
        return fetch(item.url, {
          method: "POST", credentials: "same-origin", body: body,
          headers: { "X-CSRFToken": csrf, "X-Takwin-Replay-Id": item.id, Accept: "application/json" }
        }).then(function (response) {
          return verdict(response).then(function (data) {
            var toLogin = response.redirected && /\/accounts\/login\//.test(response.url);
            if (!data && (toLogin || !settled(response))) { return sent; }
            var keep = data && data.outcome === "refused"
              ? DB.put("refused", { id: item.id, url: item.url, at: Date.now(), quiz: data.quiz, lesson: data.lesson,
                lessonUrl: data.lesson_url, resultUrl: data.result_url, message: data.message, answers: data.answers || [] })
              : Promise.resolve();
            return keep.then(function () { return DB.remove("queue", item.id); }).then(function () { return sent + 1; });
          });
        }, function () { return sent; });
      });
    }, Promise.resolve(0));
  }

  function flush(csrf) {
    if (flushing) { return flushing; }
    flushing = DB.all("queue").then(function (items) {
      items.sort(function (a, b) { return a.at - b.at; });
      var beats = items.filter(function (i) { return i.kind === "beat"; });
      var answers = items.filter(function (i) { return i.kind === "quiz"; });
      return sendBeats(beats, csrf).then(function (a) {
        return sendAnswers(answers, csrf).then(function (b) { return a + b; });
      });
    }).catch(function () { return 0; }).then(function (sent) { flushing = null; return sent; });
    return flushing;
  }
})();
