/* Offline lessons, the part every lesson page carries (kept small: the page budget is 150 KB),
 * and the browser's own records, which the service worker shares (it imports this file).
 *
 * IndexedDB "takwin-offline": "lessons" (what is stored: one record per lesson, keyPath id),
 * "queue" (heartbeats and quiz answers waiting for the connection, keyPath id, a client uuid)
 * and "refused" (quiz answers the server refused once sent: the reason and the answers, kept
 * until the learner dismisses them; written by the service worker).
 * The files themselves are in Cache Storage under CACHE.
 *
 * On a page, reads templates/lessons/includes/offline_action.html ([data-offline]):
 * - a stored lesson plays its stored copy: the player's data-master/-mp4/-audio-file are pointed
 *   at the stored file before Play (player.js reads them on Play; it is not changed);
 * - "Download for offline" loads offline-download.js (the chooser and the storing) on demand;
 * - on load and when the connection returns, the service worker is asked to send what waits
 *   (heartbeats, quiz answers), with this page's CSRF token;
 * - refused quiz answers of this lesson are shown ([data-offline-refused]) until dismissed;
 *   "My downloads" shows them all, with the same code (TakwinOffline.refusals). */
(function (scope) {
  "use strict";
  var NAME = "takwin-offline", VERSION = 2, opening = null;

  function open() {
    if (!opening) {
      opening = new Promise(function (resolve, reject) {
        var request = scope.indexedDB.open(NAME, VERSION);
        request.onupgradeneeded = function () {
          var db = request.result;
          if (!db.objectStoreNames.contains("lessons")) { db.createObjectStore("lessons", { keyPath: "id" }); }
          if (!db.objectStoreNames.contains("queue")) { db.createObjectStore("queue", { keyPath: "id" }); }
          if (!db.objectStoreNames.contains("refused")) { db.createObjectStore("refused", { keyPath: "id" }); }
        };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { opening = null; reject(request.error); };
      });
    }
    return opening;
  }

  function run(store, mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(store, mode), result;
        var request = work(tx.objectStore(store));
        if (request) { request.onsuccess = function () { result = request.result; }; }
        tx.oncomplete = function () { resolve(result); };
        tx.onerror = tx.onabort = function () { reject(tx.error); };
      });
    });
  }

  function uuid() {
    if (scope.crypto && scope.crypto.randomUUID) { return scope.crypto.randomUUID(); }
    var b = scope.crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  scope.TakwinOfflineDB = {
    CACHE: "takwin-offline-v1",
    uuid: uuid,
    get: function (store, key) { return run(store, "readonly", function (s) { return s.get(key); }); },
    all: function (store) { return run(store, "readonly", function (s) { return s.getAll(); }); },
    put: function (store, value) { return run(store, "readwrite", function (s) { return s.put(value); }); },
    remove: function (store, keys) {
      return run(store, "readwrite", function (s) { [].concat(keys).forEach(function (k) { s.delete(k); }); });
    }
  };
})(self);
(function () {
  "use strict";
  if (typeof document === "undefined") { return; }  // in the service worker: the records only
  var box = document.querySelector("[data-offline]");
  var supported = "serviceWorker" in navigator && "caches" in window && window.indexedDB && window.TakwinOfflineDB;

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function flush() {
    var worker = navigator.serviceWorker && navigator.serviceWorker.controller;
    if (worker && navigator.onLine !== false) { worker.postMessage({ type: "flush", csrf: csrfToken() }); }
  }

  /* Point each player of the page at the file stored for it (same order as the manifest). */
  function useStored(record) {
    var players = document.querySelectorAll("[data-player]");
    (record.media || []).forEach(function (media, n) {
      var root = players[n];
      if (!root || !media || !media.url) { return; }
      root.dataset.master = "";
      root.dataset.audioPlaylist = "";
      root.dataset.mp4 = media.url;
      root.dataset.audioFile = media.url;
      var video = root.querySelector("video");
      if (video && media.poster) { video.poster = media.poster; }
      root.classList.add("is-stored");
    });
  }

  function show(record) {
    box.querySelector("[data-offline-action=download]").hidden = !!record;
    box.querySelector("[data-offline-stored]").hidden = !record;
    var pending = box.querySelector("[data-offline-pending]");
    TakwinOfflineDB.all("queue").then(function (items) {
      var attempts = (record && record.attempts) || [];
      pending.hidden = !items.some(function (i) { return i.kind === "quiz" && attempts.indexOf(new URL(i.url).pathname) > -1; });
    });
  }

  function loadChooser() {
    return new Promise(function (resolve, reject) {
      if (window.TakwinOfflineDownload) { resolve(window.TakwinOfflineDownload); return; }
      var script = document.createElement("script");
      script.src = box.dataset.script;
      script.onload = function () { resolve(window.TakwinOfflineDownload); };
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  function el(name, text, cls) {
    var node = document.createElement(name);
    if (text) { node.textContent = text; }
    if (cls) { node.className = cls; }
    return node;
  }

  /* Text in the lesson's language, which may not be the page's ("My downloads" in French lists
   * an Arabic lesson): isolated, with its own direction. */
  function own(name, text, cls) {
    var node = el(name, text, cls);
    node.dir = "auto";
    return node;
  }

  /* Refused quiz answers in `list` (those of `path` only, when given), each with the reason, the
   * answers as given and a button that dismisses it; `labels` are the data-* of the page. */
  function refusals(list, labels, path) {
    return TakwinOfflineDB.all("refused").then(function (items) {
      items = items.filter(function (i) { return !path || i.lessonUrl === path; });
      list.replaceChildren.apply(list, items.map(function (item) {
        var notice = el("li", "", "message message--error offline__refused");
        var head = el("p");
        head.append(own("strong", item.quiz || ""), document.createTextNode(" · "), el("span", labels.labelRefused));
        var answers = el("ol", "", "offline__answers");
        answers.setAttribute("aria-label", labels.labelAnswers);
        (item.answers || []).forEach(function (a) {
          var row = own("li", a.question);
          row.append(document.createTextNode(" — "), el("bdi", a.answer || labels.labelUnanswered));
          answers.appendChild(row);
        });
        var dismiss = el("button", labels.labelDismiss, "button button--light button--small");
        dismiss.type = "button";
        dismiss.addEventListener("click", function () {
          TakwinOfflineDB.remove("refused", item.id).then(function () { notice.remove(); list.hidden = !list.children.length; });
        });
        notice.append(head, own("p", item.message), answers);
        if (!path && item.lessonUrl) {  // "My downloads": which lesson they belong to
          var where = el("p"), link = own("a", item.lesson);
          link.href = item.lessonUrl;
          where.appendChild(link);
          notice.append(where);
        }
        notice.append(dismiss);
        return notice;
      }));
      list.hidden = !items.length;
    });
  }
  window.TakwinOffline = { refusals: refusals };

  if (!box || !supported) { return; }
  box.hidden = false;
  var lesson = parseInt(box.dataset.lesson, 10);
  var refused = box.querySelector("[data-offline-refused]");
  function update(record) { show(record); refusals(refused, box.dataset, location.pathname); }
  TakwinOfflineDB.get("lessons", lesson).then(function (record) {
    if (record) { useStored(record); }
    update(record);
  });
  box.querySelector("[data-offline-action=download]").addEventListener("click", function () {
    loadChooser().then(function (chooser) { chooser.open(box, show); }, function () {
      box.querySelector("[data-offline-status]").textContent = box.dataset.labelFailed;
    });
  });
  if (navigator.serviceWorker.controller) { flush(); }
  window.addEventListener("online", flush);
  var retries = 0;
  navigator.serviceWorker.addEventListener("message", function (event) {
    if (!event.data || event.data.type !== "flushed") { return; }
    TakwinOfflineDB.get("lessons", lesson).then(update);
    // A connection that has just come back often drops the first requests: try again a few times.
    if (event.data.left && retries < 5) { retries += 1; window.setTimeout(flush, 3000 * retries); }
    else if (!event.data.left) { retries = 0; }
  });
  window.TakwinOffline = { flush: flush, useStored: useStored, csrfToken: csrfToken, refusals: refusals };
})();
