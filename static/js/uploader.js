/* Resumable upload (tus) with progress, speed and ETA; then polls the job's state.
   Works on the trainers' "My recordings" page and in the Wagtail admin. */
(function () {
  "use strict";

  function csrfToken(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    if (input) { return input.value; }
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }

  function bytes(n, units) {
    var i = 0;
    while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
    return (i ? n.toFixed(1) : String(Math.round(n))) + " " + units[i];
  }

  function duration(s) {
    if (!isFinite(s) || s < 0) { return "–"; }
    s = Math.round(s);
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
    return (h ? h + ":" + String(m).padStart(2, "0") : String(m)) + ":" + String(sec).padStart(2, "0");
  }

  function pollStatus(el) {
    var url = el.dataset.statusUrl;
    if (!url) { return; }
    fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (s) {
      var t = el.dataset;
      var text = s.status_label;
      if (s.status === "queued" && s.queue_position) { text += " · " + t.labelPosition.replace("%s", s.queue_position); }
      if (s.status === "processing") { text += " · " + s.progress + " %" + (s.eta_seconds != null ? " · " + t.labelEta.replace("%s", duration(s.eta_seconds)) : ""); }
      if (s.status === "processing" && s.playable && t.labelEarly) { text += " · " + t.labelEarly; }
      el.querySelector("[data-status-text]").textContent = text;
      var bar = el.querySelector("progress");
      if (bar) { bar.value = s.progress; }
      var err = el.querySelector("[data-status-error]");
      if (err) { err.textContent = s.error || ""; }
      el.dataset.status = s.status;
      el.classList.toggle("mp-recording--failed", s.status === "failed");
      if ((s.status === "ready" || s.playable) && t.watchUrl) {
        var link = el.querySelector("[data-watch]");
        if (link) { link.hidden = false; }
      }
      if (["ready", "failed", "cancelled"].indexOf(s.status) === -1) { setTimeout(function () { pollStatus(el); }, 3000); }
    }).catch(function () { setTimeout(function () { pollStatus(el); }, 6000); });
  }

  function setup(form) {
    var d = form.dataset, fileInput = form.querySelector("input[type=file]"), titleInput = form.querySelector("input[name=title]");
    var bar = form.querySelector(".mp-progress"), stats = form.querySelector("[data-stats]"), error = form.querySelector("[data-error]");
    var pauseBtn = form.querySelector("[data-action=pause]"), resumeBtn = form.querySelector("[data-action=resume]");
    var units = (d.units || "B,KB,MB,GB").split(",");
    var upload = null, samples = [];

    function show(uploaded, total) {
      var now = Date.now();
      samples.push([now, uploaded]);
      while (samples.length > 2 && now - samples[0][0] > 10000) { samples.shift(); }
      var first = samples[0], speed = now > first[0] ? (uploaded - first[1]) / ((now - first[0]) / 1000) : 0;
      bar.max = total; bar.value = uploaded;
      stats.querySelector("[data-bytes]").textContent = bytes(uploaded, units) + " / " + bytes(total, units);
      stats.querySelector("[data-speed]").textContent = speed > 0 ? (d.perSecond || "SIZE/s").replace("SIZE", bytes(speed, units)) : "–";
      stats.querySelector("[data-eta]").textContent = speed > 0 ? duration((total - uploaded) / speed) : "–";
      stats.querySelector("[data-percent]").textContent = (total ? Math.floor(uploaded / total * 100) : 0) + " %";
    }

    form.addEventListener("submit", function (e) {
      e.preventDefault();
      error.textContent = "";
      var file = fileInput.files[0];
      if (!file) { error.textContent = d.labelChoose; return; }
      if (parseInt(d.maxSize, 10) && file.size > parseInt(d.maxSize, 10)) { error.textContent = d.labelTooBig; return; }
      samples = [];
      form.querySelector("[data-progress]").hidden = false;
      upload = new window.tus.Upload(file, {
        endpoint: d.endpoint,
        chunkSize: parseInt(d.chunkSize, 10),
        retryDelays: [0, 1000, 3000, 5000, 10000, 20000, 30000],
        metadata: { filename: file.name, filetype: file.type, title: titleInput && titleInput.value ? titleInput.value : file.name.replace(/\.[^.]+$/, "") },
        headers: { "X-CSRFToken": csrfToken(form) },
        storeFingerprintForResuming: true,
        removeFingerprintOnSuccess: true,
        onProgress: show,
        onAfterResponse: function (req, res) {
          var url = res.getHeader("Media-Status-Url");
          if (url) { form.dataset.statusUrl = url; }
        },
        onError: function (err) {
          var body = err.originalResponse ? err.originalResponse.getBody() : "";
          error.textContent = body || d.labelFailed;
          pauseBtn.hidden = true; resumeBtn.hidden = false;
        },
        onSuccess: function () {
          pauseBtn.hidden = true; resumeBtn.hidden = true;
          var item = form.querySelector("[data-upload-status]");
          item.hidden = false;
          item.dataset.statusUrl = form.dataset.statusUrl || "";
          pollStatus(item);
        }
      });
      upload.findPreviousUploads().then(function (previous) {
        if (previous.length) { upload.resumeFromPreviousUpload(previous[0]); }
        upload.start();
        pauseBtn.hidden = false; resumeBtn.hidden = true;
      });
    });
    pauseBtn.addEventListener("click", function () { if (upload) { upload.abort(); pauseBtn.hidden = true; resumeBtn.hidden = false; } });
    resumeBtn.addEventListener("click", function () { if (upload) { samples = []; upload.start(); resumeBtn.hidden = true; pauseBtn.hidden = false; } });
  }

  function start() {
    document.querySelectorAll("form[data-tus-upload]").forEach(setup);
    document.querySelectorAll("[data-status-url]:not(form)").forEach(function (el) {
      if (el.dataset.statusUrl && ["ready", "failed", "cancelled"].indexOf(el.dataset.status) === -1) { pollStatus(el); }
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
