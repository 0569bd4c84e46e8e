/* Offline lessons, loaded on demand: the "Download for offline" chooser (sizes shown before
 * anything is fetched), the storing of a lesson, its removal, and the "My downloads" list.
 * What a lesson needs comes from /learn/offline/<id>/ (lessons/offline.py); the pages' own
 * styles, scripts, images and fonts are read from the pages themselves. Labels come from the
 * manifest (the chooser) or the data-* attributes of "My downloads" (lessons/offline_views.LABELS). */
/* global TakwinOfflineDB */
(function () {
  "use strict";
  var DB = TakwinOfflineDB;
  var lang = document.documentElement.lang || "ar";
  var locale = lang === "ar" ? "ar-MA" : lang;

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function size(bytes, labels) {
    var mb = bytes >= 1024 * 1024, value = mb ? bytes / (1024 * 1024) : Math.max(1, Math.round(bytes / 1024));
    var text = new Intl.NumberFormat(locale, { maximumFractionDigits: mb ? 1 : 0 }).format(value);
    return text + " " + (mb ? labels.unitMb : labels.unitKb);
  }

  function el(name, attrs, children) {
    var node = document.createElement(name);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") { node.textContent = attrs[k]; } else { node.setAttribute(k, attrs[k]); }
    });
    (children || []).forEach(function (c) { if (c) { node.appendChild(c); } });
    return node;
  }

  /* A size: the number isolated from the text around it, then the unit in the page's language. */
  function sized(bytes, labels) {
    var text = size(bytes || 0, labels), cut = text.lastIndexOf(" ");
    return el("span", { "class": "offline__size" }, [el("bdi", { text: text.slice(0, cut) }), document.createTextNode(text.slice(cut))]);
  }

  /* "Label: value" with the colon each language writes (French puts a space before it). */
  function labelled(label) { return document.createTextNode(label + (lang === "fr" ? " : " : ": ")); }

  function json(url, method) {
    return fetch(url, {
      method: method, credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "Accept-Language": lang, Accept: "application/json" }
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) { throw new Error(data.message || response.statusText); }
        return data;
      });
    });
  }

  /* --- The chooser ------------------------------------------------------------------------ */

  function choiceLabel(choice, labels) {
    return el("span", {}, [document.createTextNode((choice.kind === "audio" ? labels.labelAudio : labels.labelMp4) + " · "),
      sized(choice.bytes, labels)]);
  }

  function chosen(form, manifest) {
    return manifest.videos.map(function (video, n) {
      var input = form.querySelector("input[name=offline-video-" + n + "]:checked");
      return input ? video.choices[parseInt(input.value, 10)] : null;
    });
  }

  function total(form, manifest) {
    var bytes = manifest.documents.reduce(function (sum, d) { return sum + (d.bytes || 0); }, 0);
    chosen(form, manifest).forEach(function (c) { bytes += c ? c.bytes || 0 : 0; });
    return bytes;
  }

  function videoFieldset(video, n, labels) {
    var set = el("fieldset", { "class": "offline__choice" }, [el("legend", { text: labels.labelVideo })]);
    video.choices.forEach(function (choice, i) {
      var input = el("input", { type: "radio", name: "offline-video-" + n, value: String(i) });
      if (i === 0) { input.checked = true; }  // the lightest first: the audio-only track
      set.appendChild(el("label", {}, [input, choiceLabel(choice, labels)]));
    });
    return set;
  }

  function chooser(box, manifest, onStored) {
    var labels = manifest.labels, panel = box.querySelector("[data-offline-chooser]");
    var form = el("form", { "class": "offline__form" });
    manifest.videos.forEach(function (video, n) { if (video.choices.length) { form.appendChild(videoFieldset(video, n, labels)); } });
    var documents = manifest.documents.reduce(function (sum, d) { return sum + (d.bytes || 0); }, 0);
    if (manifest.documents.length) {
      form.appendChild(el("p", {}, [document.createTextNode(labels.labelDocuments + " (" + manifest.documents.length + ") · "), sized(documents, labels)]));
    }
    form.appendChild(el("p", { text: labels.labelPage }));
    if (manifest.quizzes.some(function (q) { return !q.offline; })) { form.appendChild(el("p", { "class": "offline__note", text: labels.labelTimed })); }
    var sum = el("strong", {}, [sized(total(form, manifest), labels)]);
    form.appendChild(el("p", { "class": "offline__total" }, [labelled(labels.labelTotal), sum]));
    var store = el("button", { type: "submit", "class": "button", text: labels.labelStore });
    var cancel = el("button", { type: "button", "class": "button button--light", text: labels.labelCancel });
    form.appendChild(el("p", { "class": "offline__buttons" }, [store, cancel]));
    form.addEventListener("change", function () { sum.replaceChildren(sized(total(form, manifest), labels)); });
    cancel.addEventListener("click", function () { panel.hidden = true; panel.replaceChildren(); });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      store.disabled = true;
      var picks = chosen(form, manifest).map(function (c) { return c ? c.kind : null; });
      storeLesson(box, picks).then(function (record) {
        panel.hidden = true; panel.replaceChildren();
        status(box, labels.labelDone);
        onStored(record);
      }, function () { store.disabled = false; status(box, labels.labelFailed); });
    });
    panel.replaceChildren(form);
    panel.hidden = false;
  }

  function status(box, text) { box.querySelector("[data-offline-status]").textContent = text || ""; }

  /* --- Storing ---------------------------------------------------------------------------- */

  /* The address a file is stored under: a path for this site's files, the whole URL for another
   * origin's (images on S3 or a CDN, read with CORS); null for anything else. */
  function storable(url) {
    try {
      var u = new URL(url, location.href);
      if (u.origin === location.origin) { return u.pathname + u.search; }
      return /^https?:$/.test(u.protocol) ? u.href : null;
    } catch (e) { return null; }
  }

  /* The styles, scripts and images a stored page loads, read from its HTML. */
  function assetsOf(html) {
    var doc = new DOMParser().parseFromString(html, "text/html"), found = [];
    doc.querySelectorAll("link[rel=stylesheet][href], link[rel=preload][href], link[rel=icon][href], script[src], img[src], video[poster]").forEach(function (node) {
      found.push(node.getAttribute("href") || node.getAttribute("src") || node.getAttribute("poster"));
    });
    return found;
  }

  function fontsInUse() {
    return (performance.getEntriesByType ? performance.getEntriesByType("resource") : []).filter(function (e) {
      return /\.(woff2?|ttf|otf)(\?|$)/.test(e.name);
    }).map(function (e) { return e.name; });
  }

  /* Fetch one file and store it under `url`. A recording's file comes through this site's route,
   * which redirects to a signed link (S3, with the bucket's CORS rule, or the local token view):
   * the copy is stored as a plain answer under the route's address, which the page asks for. */
  function fetchInto(cache, url) {
    return fetch(url, { credentials: "same-origin", mode: "cors" }).then(function (response) {
      if (!response.ok || response.redirected && /\/accounts\/login\//.test(response.url)) { throw new Error(url); }
      return response.blob().then(function (blob) {
        var type = response.headers.get("Content-Type") || blob.type || "application/octet-stream";
        var copy = new Response(blob, { headers: { "Content-Type": type, "Content-Length": String(blob.size) } });
        return cache.put(url, copy).then(function () { return { bytes: blob.size, html: /html/.test(type) ? blob : null }; });
      });
    });
  }

  function worker(box) {
    return navigator.serviceWorker.register(box.dataset.worker, { scope: "/" }).then(function () {
      return navigator.serviceWorker.ready;
    });
  }

  function storeLesson(box, picks) {
    var labels = box.dataset, manifest, urls = [], media = [], attempts = [], bytes = 0;
    return worker(box).then(function () { return json(box.dataset.manifestUrl, "POST"); }).then(function (data) {
      manifest = data;
      // Signed links are checked here, when stored; the stored copy then plays without them.
      if (manifest.expires && manifest.expires * 1000 < Date.now()) { throw new Error("expired"); }
      manifest.videos.forEach(function (video, n) {
        var choice = video.choices.find(function (c) { return c.kind === picks[n]; });
        media.push(choice ? { url: choice.url, kind: choice.kind, poster: video.poster } : null);
        if (choice) { urls.push(choice.url); }
        if (choice && video.poster) { urls.push(video.poster); }
      });
      manifest.quizzes.forEach(function (q) { if (q.attempt_url) { attempts.push(q.attempt_url); } });
      manifest.documents.forEach(function (d) { urls.push(d.url); });
      return caches.open(DB.CACHE);
    }).then(function (cache) {
      var pages = [manifest.url].concat(attempts, [box.dataset.downloadsUrl]);
      var assets = fontsInUse();
      var step = pages.reduce(function (chain, url) {
        return chain.then(function () {
          return fetchInto(cache, url).then(function (got) {
            bytes += got.bytes;
            return got.html ? got.html.text().then(function (t) { assets = assets.concat(assetsOf(t)); }) : null;
          });
        });
      }, Promise.resolve());
      return step.then(function () {
        var rest = urls.concat(assets).map(storable).filter(function (u, i, all) { return u && all.indexOf(u) === i && pages.indexOf(u) < 0; });
        var done = 0, skipped = [];
        return rest.reduce(function (chain, url) {
          return chain.then(function () {
            return fetchInto(cache, url).then(function (got) {
              bytes += got.bytes; done += 1;
              status(box, labels.labelWorking + " " + Math.round(done * 100 / rest.length) + " %");
            }, function (error) {
              // Another origin's image that refuses to be read (a CDN without CORS): the lesson
              // stays readable without it. This site's files (the media among them) must all come.
              if (/^https?:/.test(url) && urls.indexOf(url) < 0) { skipped.push(url); return; }
              throw error;
            });
          });
        }, Promise.resolve()).then(function () {
          return pages.concat(rest.filter(function (u) { return skipped.indexOf(u) < 0; }));
        });
      });
    }).then(function (stored) {
      var record = { id: manifest.lesson, title: manifest.title, course: manifest.course, url: manifest.url, lang: lang,
        storedAt: Date.now(), bytes: bytes, urls: stored, media: media, attempts: attempts,
        kinds: media.filter(Boolean).map(function (m) { return m.kind; }) };
      return DB.put("lessons", record).then(function () { return record; });
    });
  }

  /* --- Removing ----------------------------------------------------------------------------- */

  function removeLesson(id) {
    return Promise.all([DB.get("lessons", id), DB.all("lessons"), caches.open(DB.CACHE)]).then(function (got) {
      var record = got[0], others = got[1].filter(function (l) { return l.id !== id; }), cache = got[2];
      if (!record) { return null; }
      // Files another stored lesson uses too (styles, fonts, "My downloads") stay.
      var kept = {};
      others.forEach(function (l) { (l.urls || []).forEach(function (u) { kept[u] = true; }); });
      return Promise.all(record.urls.filter(function (u) { return !kept[u]; }).map(function (u) { return cache.delete(u); }))
        .then(function () { return DB.remove("lessons", id); });
    });
  }

  /* --- "My downloads" --------------------------------------------------------------------- */

  function row(record, section) {
    var labels = section.dataset, remove = el("button", { type: "button", "class": "button button--light button--small", text: labels.labelRemove });
    var when = new Intl.DateTimeFormat(locale, { dateStyle: "long" }).format(new Date(record.storedAt));
    var kinds = (record.kinds || []).map(function (k) { return k === "audio" ? labels.labelAudio : labels.labelMp4; }).join(", ");
    var item = el("li", { "class": "downloads__item", "data-lesson": String(record.id) }, [
      el("a", { href: record.url, text: record.title, dir: "auto" }),  // the lesson's language
      el("small", { text: record.course || "", dir: "auto" }),
      el("span", { "class": "downloads__facts" }, [sized(record.bytes, labels),
        document.createTextNode((kinds ? " · " + kinds : "") + " · " + labels.labelStoredOn + " " + when)]),
      remove
    ]);
    remove.addEventListener("click", function () {
      remove.disabled = true;
      removeLesson(record.id).then(function () { item.remove(); status(section, labels.labelRemoved); render(section); });
    });
    return item;
  }

  function render(section) {
    var list = section.querySelector("[data-downloads-list]"), labels = section.dataset;
    return DB.all("lessons").then(function (records) {
      records.sort(function (a, b) { return b.storedAt - a.storedAt; });
      list.replaceChildren.apply(list, records.map(function (r) { return row(r, section); }));
      if (!records.length) { list.appendChild(el("li", { "class": "empty", text: labels.labelEmpty })); }
      var used = section.querySelector("[data-downloads-used]");
      var bytes = records.reduce(function (sum, r) { return sum + (r.bytes || 0); }, 0);
      used.replaceChildren(labelled(labels.labelUsed), sized(bytes, labels));
      used.hidden = false;
    });
  }

  window.TakwinOfflineDownload = {
    open: function (box, onStored) {
      status(box, box.dataset.labelWorking);
      json(box.dataset.manifestUrl, "GET").then(function (manifest) {
        status(box, "");
        chooser(box, manifest, onStored);
      }, function (error) { status(box, error.message || box.dataset.labelFailed); });
    },
    store: storeLesson,
    remove: removeLesson
  };

  var section = document.querySelector("[data-downloads]");
  if (section && "caches" in window && window.indexedDB) {
    section.querySelector("[data-downloads-unsupported]").hidden = true;
    render(section);
    window.TakwinOffline.refusals(section.querySelector("[data-offline-refused]"), section.dataset);
  }
})();
