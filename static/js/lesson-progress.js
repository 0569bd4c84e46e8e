/* Lesson video progress: resume at the saved position, send heartbeats of watched ranges.
 * Contract: <video data-progress-url data-resume-at>; POST JSON {position, duration, ranges}
 * with the X-CSRFToken header, every ~12 s while playing, and on pause / pagehide by sendBeacon.
 * This tracker is for a plain MP4 document; recordings have the media player's own
 * (static/js/player.js). Both announce each answer as a "takwin:progress" event, and the one
 * piece of code below shows it in the lesson's progress line ([data-lesson-status]).
 * No framework: the page reads fine without this script. */
(function () {
  "use strict";
  var INTERVAL = 12000;

  /* The lesson's progress line ("61 % watched", "Completed") as the server counts it. A beat
   * kept on the device while offline ("queued") says nothing about the server's count. */
  function showProgress(data) {
    var label = document.querySelector("[data-lesson-status]");
    if (!label || !data || !data.ok || data.queued) { return; }
    var completed = !!data.completed;
    label.dataset.completed = String(completed);
    if (completed && label.dataset.labelCompleted) {
      label.textContent = label.dataset.labelCompleted;
    } else if (label.dataset.labelWatched && typeof data.percent === "number") {
      label.textContent = label.dataset.labelWatched.replace("__P__", String(data.percent));
    } else {
      return;  // nothing to say yet (the visit's answer carries no percent)
    }
    label.hidden = false;
  }

  function announce(target, data) {
    target.dispatchEvent(new CustomEvent("takwin:progress", { detail: data, bubbles: true }));
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function track(video) {
    var url = video.dataset.progressUrl;
    if (!url) return;
    var status = video.closest("figure") && video.closest("figure").querySelector(".lesson-video__status");
    var ranges = [];      // ranges played since the last successful beat
    var segmentStart = null;
    var resumed = false;
    var lastPosition = -1;  // position of the last beat sent

    function closeSegment() {
      if (segmentStart !== null) {
        var end = video.currentTime;
        if (end > segmentStart) ranges.push([segmentStart, end]);
        segmentStart = video.paused || video.ended ? null : end;
      }
    }

    function payload() {
      closeSegment();
      var body = { position: video.currentTime, duration: video.duration || 0, ranges: ranges };
      ranges = [];
      return body;
    }

    function send(useBeacon) {
      if (!video.duration || !isFinite(video.duration)) return;
      var body = payload();
      // Nothing new since the last beat (e.g. leaving a paused video): stay quiet.
      if (!body.ranges.length && Math.abs(body.position - lastPosition) < 0.5) return;
      lastPosition = body.position;
      var json = JSON.stringify(body);
      if (useBeacon && navigator.sendBeacon) {
        // sendBeacon cannot set headers: the same JSON goes as a form field beside Django's
        // ordinary CSRF form field, which the CSRF middleware checks like any form post.
        var form = new FormData();
        form.append("csrfmiddlewaretoken", csrfToken());
        form.append("data", json);
        if (navigator.sendBeacon(url, form)) return;
      }
      fetch(url, {
        method: "POST", credentials: "same-origin", keepalive: true,
        headers: {
          "Content-Type": "application/json", "X-CSRFToken": csrfToken(),
          "Accept-Language": document.documentElement.lang || "ar"  // errors come back in the page's language
        },
        body: json
      }).then(function (response) {
        return response.json().then(function (data) {
          if (!response.ok) throw new Error(data.message || response.statusText);
          if (status) status.hidden = true;
          announce(video, data);
        });
      }).catch(function (error) {
        // Keep the ranges: the next beat re-sends them, and the server ignores what it already has.
        ranges = body.ranges.concat(ranges);
        lastPosition = -1;
        if (status) { status.textContent = error.message || video.dataset.errorMessage; status.hidden = false; }
      });
    }

    function resume() {
      if (resumed) return;
      resumed = true;
      var at = parseFloat(video.dataset.resumeAt || "0");
      if (at > 0 && at < (video.duration || Infinity)) video.currentTime = at;
    }

    video.addEventListener("loadedmetadata", resume);
    if (video.readyState >= 1) resume();
    video.addEventListener("playing", function () { segmentStart = video.currentTime; });
    video.addEventListener("seeking", function () { closeSegment(); segmentStart = null; });
    video.addEventListener("seeked", function () { if (!video.paused) segmentStart = video.currentTime; });
    video.addEventListener("pause", function () { closeSegment(); segmentStart = null; send(false); });
    video.addEventListener("ended", function () { closeSegment(); segmentStart = null; send(false); });
    window.setInterval(function () { if (!video.paused) send(false); }, INTERVAL);
    window.addEventListener("pagehide", function () { closeSegment(); send(true); });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") { closeSegment(); send(true); }
    });
  }

  /* The visit: the lesson page's GET writes nothing, so the page posts one beat on load when
   * the server says the visit changes something (data-lesson-view-url); a lesson completed
   * by opening it is completed by this post. */
  function recordView(article) {
    fetch(article.dataset.lessonViewUrl, {
      method: "POST", credentials: "same-origin", keepalive: true,
      headers: { "X-CSRFToken": csrfToken(), "Accept-Language": document.documentElement.lang || "ar" }
    }).then(function (response) { return response.json(); }).then(function (data) {
      announce(article, data);
    }).catch(function () { /* the next visit or heartbeat records it */ });
  }

  document.addEventListener("takwin:progress", function (event) { showProgress(event.detail); });
  document.querySelectorAll("[data-lesson-view-url]").forEach(recordView);
  document.querySelectorAll("video[data-progress-url]").forEach(track);
})();
