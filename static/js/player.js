/* Takwin player: hls.js (or native HLS, or the MP4) behind accessible controls.
   Reads data-* attributes set by templates/media_pipeline/includes/player.html;
   sends progress heartbeats to data-progress-url and starts at data-resume-at.
   Nothing of the media (playlists, segments, MP4, storyboard) and not hls.js itself is
   fetched before the learner presses Play: a learner on a metered phone connection may
   only glance at the page (issue 14). Only the poster comes with the page.
   A change of quality keeps the position and the seconds already watched (the element's
   own `played` ranges start afresh with each source, so the player keeps their history),
   and each heartbeat's answer is announced as a "takwin:progress" event (the lesson page's
   progress line follows it: static/js/lesson-progress.js).
   Playback starts on the lowest video rung: hls.js measures the link on that first segment
   and climbs only as far as the measured bandwidth carries (Auto), unless the learner chose
   a rung or audio only (data saver), which is remembered on their account. */
(function () {
  "use strict";
  var HEARTBEAT_MS = 12000;
  var local = {
    get: function (k) { try { return window.localStorage.getItem("takwin.player." + k); } catch (e) { return null; } },
    set: function (k, v) { try { window.localStorage.setItem("takwin.player." + k, v); } catch (e) { /* private mode */ } }
  };

  /* Quality, speed and captions: a signed-in learner's choices live on the server
     (data-preferences, saved to data-preferences-url) so they follow them from one
     device to another; the browser's storage is the fallback for visitors. */
  function Prefs(root) {
    var parsed = null;
    try { parsed = JSON.parse(root.dataset.preferences || "null"); } catch (e) { parsed = null; }
    this.server = parsed || {};
    this.url = root.dataset.preferencesUrl || "";
  }
  Prefs.prototype.get = function (k) {
    return Object.prototype.hasOwnProperty.call(this.server, k) ? String(this.server[k]) : local.get(k);
  };
  Prefs.prototype.set = function (k, v) {
    local.set(k, v);
    if (!this.url || this.server[k] === v) { return; }
    this.server[k] = v;
    var body = {};
    body[k] = v;
    fetch(this.url, { method: "POST", body: JSON.stringify(body), credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() } }).catch(function () { /* kept locally */ });
  };

  function csrfToken() {
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }

  function clock(t) {
    if (!isFinite(t) || t < 0) { t = 0; }
    t = Math.floor(t);
    var h = Math.floor(t / 3600), m = Math.floor((t % 3600) / 60), s = t % 60;
    var mm = h ? String(m).padStart(2, "0") : String(m);
    return (h ? h + ":" : "") + mm + ":" + String(s).padStart(2, "0");
  }

  /* Sorted, joined [start, end] pairs (touching ones merged, as the server does). */
  function mergeRanges(list) {
    var out = [];
    list.slice().sort(function (a, b) { return a[0] - b[0]; }).forEach(function (r) {
      if (!(r[1] > r[0])) { return; }
      var last = out[out.length - 1];
      if (last && r[0] <= last[1] + 0.25) { last[1] = Math.max(last[1], r[1]); } else { out.push([r[0], r[1]]); }
    });
    return out;
  }

  /* hls.js (600 KB) is injected on the first Play, from data-hls-src: an ordinary
     same-origin <script>, which the site's CSP (script-src 'self') allows. */
  var hlsScript = null;
  function loadHls(src) {
    if (window.Hls) { return Promise.resolve(window.Hls); }
    if (!hlsScript) {
      hlsScript = new Promise(function (resolve) {
        var s = document.createElement("script");
        s.src = src;
        s.onload = function () { resolve(window.Hls || null); };
        s.onerror = function () { hlsScript = null; resolve(null); };
        document.head.appendChild(s);
      });
    }
    return hlsScript;
  }

  function parseVtt(text, base) {
    var cues = [], blocks = text.replace(/\r/g, "").split("\n\n");
    function secs(s) { var p = s.trim().split(":").map(parseFloat); return p.length === 3 ? p[0] * 3600 + p[1] * 60 + p[2] : p[0] * 60 + p[1]; }
    blocks.forEach(function (b) {
      var lines = b.split("\n").filter(Boolean), i = lines.findIndex(function (l) { return l.indexOf("-->") > -1; });
      if (i < 0 || !lines[i + 1]) { return; }
      var times = lines[i].split("-->"), target = lines[i + 1], hash = target.split("#xywh=");
      if (hash.length !== 2) { return; }
      var xywh = hash[1].split(",").map(Number);
      cues.push({ start: secs(times[0]), end: secs(times[1]), url: new URL(hash[0], base).href, x: xywh[0], y: xywh[1], w: xywh[2], h: xywh[3] });
    });
    return cues;
  }

  function Player(root) {
    this.root = root;
    this.video = root.querySelector("video");
    this.controls = root.querySelector(".mp-player__controls");
    this.seek = root.querySelector("[data-control=seek]");
    this.quality = root.querySelector("[data-control=quality]");
    this.speed = root.querySelector("[data-control=speed]");
    this.captions = root.querySelector("[data-control=captions]");
    this.playButton = root.querySelector("[data-action=play]");
    this.resumeAt = parseFloat(root.dataset.resumeAt || "0") || 0;
    this.progressUrl = root.dataset.progressUrl || "";
    this.hls = null;
    this.mode = null;
    this.history = [];  // ranges played from earlier sources (before a change of quality)
    this.pendingSeek = 0;
    this.pendingExact = false;
    this.lastBeat = 0;
    this.cues = [];
    this.started = null;
    this.store = new Prefs(root);
    this.init();
  }

  Player.prototype.init = function () {
    var self = this, v = this.video;
    v.removeAttribute("controls");
    // The <source> is there for browsers without script (preload="none" keeps it unfetched);
    // the player chooses its own source on Play.
    Array.prototype.forEach.call(v.querySelectorAll("source"), function (el) { el.remove(); });
    this.controls.hidden = false;
    var store = this.store;
    var saved = store.get("quality");
    if (saved && this.quality && this.quality.querySelector('option[value="' + saved + '"]')) { this.quality.value = saved; }
    var speed = store.get("speed");
    if (speed && this.speed.querySelector('option[value="' + speed + '"]')) { this.speed.value = speed; }
    if (this.quality && this.quality.value === "audio") { this.root.classList.add("mp-player--data-saver"); }
    v.addEventListener("loadedmetadata", function () {
      v.playbackRate = parseFloat(self.speed.value) || 1;
      self.seek.max = v.duration || self.seek.max;
      self.root.querySelector("[data-time=duration]").textContent = clock(v.duration);
      var at = self.pendingSeek, end = v.duration || Infinity;
      // A resume point near the end starts over; a change of quality keeps the exact position.
      if (at > 0 && (self.pendingExact ? at < end : at < end - 3)) { v.currentTime = self.pendingExact ? Math.min(at, end - 0.1) : at; }
      self.pendingSeek = 0;
      self.pendingExact = false;
      self.applyCaptions();
    });
    v.addEventListener("timeupdate", function () {
      if (!self.dragging) { self.seek.value = v.currentTime; }
      self.root.querySelector("[data-time=current]").textContent = clock(v.currentTime);
      if (!v.paused && Date.now() - self.lastBeat > HEARTBEAT_MS) { self.beat(false); }
    });
    v.addEventListener("play", function () { self.syncPlay(); });
    if (v.textTracks && v.textTracks.addEventListener) { v.textTracks.addEventListener("addtrack", function () { self.applyCaptions(); }); }
    v.addEventListener("pause", function () { self.syncPlay(); self.beat(false); });
    v.addEventListener("ended", function () { self.beat(false); });
    window.addEventListener("pagehide", function () { self.beat(true); });
    document.addEventListener("visibilitychange", function () { if (document.visibilityState === "hidden") { self.beat(true); } });
    this.playButton.addEventListener("click", function () { self.toggle(); });
    v.addEventListener("click", function () { self.toggle(); });
    this.root.querySelector("[data-action=mute]").addEventListener("click", function (e) {
      v.muted = !v.muted; e.currentTarget.setAttribute("aria-pressed", String(v.muted));
    });
    this.root.querySelector("[data-action=fullscreen]").addEventListener("click", function () {
      if (document.fullscreenElement) { document.exitFullscreen(); } else if (self.root.requestFullscreen) { self.root.requestFullscreen(); }
    });
    this.seek.addEventListener("input", function () { self.dragging = true; self.showPreview(parseFloat(self.seek.value)); });
    this.seek.addEventListener("change", function () {
      self.dragging = false; self.hidePreview();
      if (self.started) { v.currentTime = parseFloat(self.seek.value); } else { self.resumeAt = parseFloat(self.seek.value) || 0; }
    });
    // The storyboard (thumbnails over the seek bar) only when the learner reaches for the bar.
    ["pointerenter", "focus", "input"].forEach(function (name) { self.seek.addEventListener(name, function () { self.loadStoryboard(); }); });
    this.seek.addEventListener("pointermove", function (e) { self.showPreview(self.timeAt(e)); });
    this.seek.addEventListener("pointerleave", function () { if (!self.dragging) { self.hidePreview(); } });
    this.speed.addEventListener("change", function () { v.playbackRate = parseFloat(self.speed.value); self.store.set("speed", self.speed.value); });
    if (this.quality) { this.quality.addEventListener("change", function () { self.setQuality(self.quality.value); }); }
    if (this.captions) {
      var lang = store.get("captions");
      if (lang !== null && this.captions.querySelector('option[value="' + lang + '"]')) { this.captions.value = lang; }
      this.captions.addEventListener("change", function () { self.store.set("captions", self.captions.value); self.applyCaptions(); });
    }
    this.root.addEventListener("keydown", function (e) { self.key(e); });
  };

  Player.prototype.loadStoryboard = function () {
    var self = this, url = this.root.dataset.storyboard;
    if (!url || this.storyboardAsked) { return; }
    this.storyboardAsked = true;
    fetch(url).then(function (r) { return r.ok ? r.text() : ""; }).then(function (t) {
      self.cues = parseVtt(t, new URL(url, document.baseURI).href);
    }).catch(function () { self.cues = []; });
  };

  /* The first Play: fetch hls.js if a playlist needs it and the browser has MediaSource,
     then attach the chosen source at the resume point. Resolves once the source is set. */
  Player.prototype.begin = function () {
    var self = this, d = this.root.dataset;
    if (!this.started) {
      var needsHls = /\.m3u8(\?|$)/.test(d.master || d.audioPlaylist || "") && (window.MediaSource || window.ManagedMediaSource);
      this.started = (needsHls && d.hlsSrc ? loadHls(d.hlsSrc) : Promise.resolve(null)).then(function () {
        self.load(self.quality && self.quality.value === "audio" ? "audio" : "video", self.resumeAt, false);
      });
    }
    return this.started;
  };

  /* Where playback is: a pending seek (a source still loading) counts, or rapid changes of
     quality would each read 0 from the new source and restart the video. */
  Player.prototype.position = function () {
    return this.pendingSeek > 0 && this.video.readyState < 1 ? this.pendingSeek : this.video.currentTime;
  };

  /* Attach a source (`kind` video or audio) at `at` seconds; `exact` for a change of quality
     (the position is kept even near the end), not for the resume point. */
  Player.prototype.load = function (kind, at, exact) {
    var v = this.video, d = this.root.dataset, self = this;
    // The element forgets what it played when its source changes: keep it for the heartbeats.
    this.history = mergeRanges(this.history.concat(this.played()));
    this.pendingSeek = at || 0;
    this.pendingExact = !!exact;
    if (this.hls) { this.hls.destroy(); this.hls = null; }
    var url = kind === "audio" ? (d.audioPlaylist || d.audioFile) : d.master;
    var isPlaylist = /\.m3u8(\?|$)/.test(url || "");
    this.mode = kind;
    if (url && isPlaylist && window.Hls && window.Hls.isSupported()) {
      // load() only runs once the learner pressed Play; autoStartLoad stays off so that the
      // rung is chosen from the manifest before the first segment, which starts at `at`.
      // startLevel 0: the first segment comes from the lowest rung, and its download is
      // hls.js's first bandwidth measurement; Auto then climbs only as far as it carries.
      var hls = this.hls = new window.Hls({ capLevelToPlayerSize: true, startLevel: 0, autoStartLoad: false });
      hls.on(window.Hls.Events.MANIFEST_PARSED, function () {
        if (kind === "video") { self.setQuality(self.quality ? self.quality.value : "auto", true); }
        hls.startLoad(at > 0 ? at : -1);
      });
      hls.on(window.Hls.Events.FRAG_LOADED, function (event, data) {
        // What the player measured and chose, for the learner's support and the browser tests.
        self.root.dataset.bandwidth = String(Math.round(hls.bandwidthEstimate || 0));
        if (data.frag && data.frag.type === "main") {
          self.root.dataset.levels = (self.root.dataset.levels ? self.root.dataset.levels + " " : "") + data.frag.level;
        }
      });
      this.hls.on(window.Hls.Events.SUBTITLE_TRACKS_UPDATED, function () { self.applyCaptions(); });
      this.hls.on(window.Hls.Events.ERROR, function (event, data) {
        if (data.fatal) { self.hls.destroy(); self.hls = null; v.src = kind === "audio" ? (d.audioFile || d.mp4) : (d.mp4 || d.audioFile); }
      });
      this.hls.loadSource(url);
      this.hls.attachMedia(v);
    } else if (url && isPlaylist && v.canPlayType("application/vnd.apple.mpegurl")) {
      v.src = url;
    } else {
      v.src = kind === "audio" ? (d.audioFile || d.mp4) : (d.mp4 || d.audioFile);
    }
  };

  Player.prototype.setQuality = function (value, fromManifest) {
    if (!fromManifest) { this.store.set("quality", value); }
    if (!this.started) { this.root.classList.toggle("mp-player--data-saver", value === "audio"); return; }
    var v = this.video, wasPlaying = !v.paused || this.resuming, at = this.position();
    if (value === "audio") {
      if (this.mode !== "audio") { this.switchSource("audio", at, wasPlaying); }
      this.root.classList.add("mp-player--data-saver");
      return;
    }
    this.root.classList.remove("mp-player--data-saver");
    if (this.mode !== "video") { this.switchSource("video", at, wasPlaying); return; }
    if (!this.hls) { return; }
    // From the manifest, Auto leaves hls.js on its start rung (the measured first segment).
    if (value === "auto") { if (!fromManifest) { this.hls.currentLevel = -1; } return; }
    var index = this.hls.levels.findIndex(function (l) { return Math.min(l.width, l.height) === parseInt(value, 10); });
    if (index > -1) { if (fromManifest) { this.hls.startLevel = index; } this.hls.currentLevel = index; }
  };

  /* Between video and audio only: the new source starts where the old one was, and plays on
     if it was playing. */
  Player.prototype.switchSource = function (kind, at, play) {
    var v = this.video, self = this;
    this.load(kind, at, true);
    if (!play) { return; }
    this.resuming = true;
    var p = v.play();
    var done = function () { self.resuming = false; };
    if (p && p.then) { p.then(done, done); } else { done(); }
  };

  Player.prototype.applyCaptions = function () {
    var lang = this.captions ? this.captions.value : "", hls = this.hls;
    if (hls) { hls.subtitleDisplay = !!lang; }
    var own = Array.prototype.map.call(this.video.querySelectorAll("track[data-own]"), function (t) { return t.track; });
    var viaHls = !!(hls && hls.subtitleTracks && hls.subtitleTracks.length);
    if (viaHls) {
      // The master's subtitle renditions: hls.js made a text track for each and follows
      // whichever is showing. The page's own <track> elements stay off (no line twice).
      Array.prototype.forEach.call(this.video.textTracks, function (t) {
        t.mode = own.indexOf(t) === -1 && lang && t.language === lang ? "showing" : "disabled";
      });
      return;
    }
    Array.prototype.forEach.call(this.video.textTracks, function (t) {
      t.mode = lang && t.language === lang && own.indexOf(t) > -1 ? "showing" : "disabled";
    });
  };

  Player.prototype.toggle = function () {
    var v = this.video;
    if (!v.paused) { v.pause(); return; }
    this.begin().then(function () {
      var p = v.play();
      if (p && p.catch) { p.catch(function () { /* autoplay refused */ }); }
    });
  };

  Player.prototype.syncPlay = function () {
    var playing = !this.video.paused, b = this.playButton;
    b.setAttribute("aria-label", playing ? b.dataset.labelPause : b.dataset.labelPlay);
    b.querySelector(".mp-icon").className = "mp-icon " + (playing ? "mp-icon--pause" : "mp-icon--play");
    this.root.classList.toggle("is-playing", playing);
  };

  Player.prototype.key = function (e) {
    var v = this.video, t = e.target.tagName;
    if (t === "SELECT" || (t === "INPUT" && /Arrow/.test(e.key))) { return; }
    // The timeline runs left to right in Arabic too, so the arrows keep their meaning.
    var forward = "ArrowRight", back = "ArrowLeft";
    if (e.key === " " || e.key === "k") { if (t === "BUTTON" && e.key === " ") { return; } this.toggle(); }
    else if (e.key === forward) { v.currentTime = Math.min(v.duration || 0, v.currentTime + 5); }
    else if (e.key === back) { v.currentTime = Math.max(0, v.currentTime - 5); }
    else if (e.key === "m") { this.root.querySelector("[data-action=mute]").click(); }
    else if (e.key === "f") { this.root.querySelector("[data-action=fullscreen]").click(); }
    else { return; }
    e.preventDefault();
  };

  Player.prototype.timeAt = function (e) {
    var r = this.seek.getBoundingClientRect(), f = (e.clientX - r.left) / r.width;
    return Math.max(0, Math.min(1, f)) * (parseFloat(this.seek.max) || 0);
  };

  Player.prototype.showPreview = function (time) {
    var cue = this.cues.find(function (c) { return time >= c.start && time < c.end; }) || this.cues[this.cues.length - 1];
    var box = this.root.querySelector(".mp-player__preview");
    if (!cue || !box) { return; }
    var thumb = box.querySelector(".mp-player__thumb");
    thumb.style.backgroundImage = "url(\"" + cue.url + "\")";
    thumb.style.backgroundPosition = "-" + cue.x + "px -" + cue.y + "px";
    thumb.style.inlineSize = cue.w + "px";
    thumb.style.blockSize = cue.h + "px";
    box.querySelector(".mp-player__preview-time").textContent = clock(time);
    // Centre the preview over the pointed time; the timeline is physically left-to-right.
    var stage = this.root.querySelector(".mp-player__stage").getBoundingClientRect(), r = this.seek.getBoundingClientRect();
    var x = r.left - stage.left + r.width * time / (parseFloat(this.seek.max) || 1) - cue.w / 2;
    box.style.left = Math.max(4, Math.min(stage.width - cue.w - 4, x)) + "px";
    box.hidden = false;
  };

  Player.prototype.hidePreview = function () {
    var box = this.root.querySelector(".mp-player__preview");
    if (box) { box.hidden = true; }
  };

  /* What the current source has played. */
  Player.prototype.played = function () {
    var out = [], p = this.video.played;
    for (var i = 0; i < p.length; i++) { out.push([p.start(i), p.end(i)]); }
    return out;
  };

  /* Every range played on this page, whatever sources (qualities) it was played from. */
  Player.prototype.ranges = function () {
    return mergeRanges(this.history.concat(this.played())).map(function (r) {
      return [Math.round(r[0] * 10) / 10, Math.round(r[1] * 10) / 10];
    });
  };

  Player.prototype.beat = function (leaving) {
    var ranges = this.ranges(), duration = this.video.duration || parseFloat(this.seek.max) || 0;
    if (!this.progressUrl || !ranges.length || !(duration > 0)) { return; }
    this.lastBeat = Date.now();
    var body = JSON.stringify({ position: Math.round(this.position() * 10) / 10,
      duration: Math.round(duration * 10) / 10, ranges: ranges });
    if (leaving && navigator.sendBeacon) {
      // sendBeacon cannot set headers: the JSON travels as a form field beside Django's CSRF
      // form field, which the progress endpoint accepts like any form post.
      var form = new FormData();
      form.append("csrfmiddlewaretoken", csrfToken());
      form.append("data", body);
      if (navigator.sendBeacon(this.progressUrl, form)) { return; }
    }
    var root = this.root;
    fetch(this.progressUrl, { method: "POST", body: body, keepalive: true, credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(),
        "Accept-Language": document.documentElement.lang || "ar" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        // The lesson page's progress line follows this answer (static/js/lesson-progress.js).
        if (data) { root.dispatchEvent(new CustomEvent("takwin:progress", { detail: data, bubbles: true })); }
      })
      .catch(function () { /* the ranges go again with the next beat */ });
  };

  function start() {
    document.querySelectorAll("[data-player]:not([data-player-ready])").forEach(function (el) {
      el.setAttribute("data-player-ready", "");
      el.takwinPlayer = new Player(el);
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
