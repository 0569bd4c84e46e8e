/* Offline lessons, the part every lesson page carries (kept small: the page budget is 150 KB).
 * Reads templates/lessons/includes/offline_action.html ([data-offline]):
 * - a stored lesson plays its stored copy: the player's data-master/-mp4/-audio-file are pointed
 *   at the stored file before Play (player.js reads them on Play; it is not changed);
 * - "Download for offline" loads offline-download.js (the chooser and the storing) on demand;
 * - on load and when the connection returns, the service worker is asked to send what waits
 *   (heartbeats, quiz answers), with this page's CSRF token. */
/* global TakwinOfflineDB */
(function () {
  "use strict";
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

  if (!box || !supported) { return; }
  box.hidden = false;
  var lesson = parseInt(box.dataset.lesson, 10);
  TakwinOfflineDB.get("lessons", lesson).then(function (record) {
    if (record) { useStored(record); }
    show(record);
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
    TakwinOfflineDB.get("lessons", lesson).then(show);
    // A connection that has just come back often drops the first requests: try again a few times.
    if (event.data.left && retries < 5) { retries += 1; window.setTimeout(flush, 3000 * retries); }
    else if (!event.data.left) { retries = 0; }
  });
  window.TakwinOffline = { flush: flush, useStored: useStored, csrfToken: csrfToken };
})();
