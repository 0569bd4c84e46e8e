/* Takwin: check-in at the door, on a staff phone, with or without a connection.
 *
 * The session's list (codes, names, statuses) is downloaded when online and kept in IndexedDB, so a
 * scanned code is judged at once from the local copy (valid, already used, not on the list). Every
 * check-in is queued in IndexedDB and sent to the sync endpoint whenever the phone is online; the
 * server's answer (one verdict per scan, and who is present) is merged back. A service worker keeps
 * the page itself for a reload without a connection. jsQR is loaded only when the camera starts.
 */
(function () {
  "use strict";
  const root = document.querySelector("[data-checkin]");
  if (!root || !root.querySelector("[data-half-day]")) return;
  const cfg = root.dataset;
  const T = JSON.parse(document.getElementById("checkin-strings").textContent);
  const $ = (selector) => root.querySelector(selector);
  const sessionId = Number(cfg.session);
  const state = { registrations: new Map(), present: new Set(), fetchedAt: null, pending: 0, syncing: false, error: "" };

  /* ---- IndexedDB: "rosters" (one record per session) and "queue" (check-ins not yet synced) ---- */
  let dbPromise = null;
  function db() {
    dbPromise = dbPromise || new Promise((resolve, reject) => {
      const request = indexedDB.open("takwin-checkin", 1);
      request.onupgradeneeded = () => {
        request.result.createObjectStore("rosters", { keyPath: "session" });
        request.result.createObjectStore("queue", { keyPath: "id", autoIncrement: true }).createIndex("session", "session");
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    return dbPromise;
  }
  function tx(store, mode, work) {
    return db().then((database) => new Promise((resolve, reject) => {
      const transaction = database.transaction(store, mode);
      const result = work(transaction.objectStore(store));
      transaction.oncomplete = () => resolve(result && "result" in result ? result.result : result);
      transaction.onerror = () => reject(transaction.error);
    }));
  }
  const saveRoster = () => tx("rosters", "readwrite", (s) => s.put({
    session: sessionId, fetchedAt: state.fetchedAt, registrations: [...state.registrations.values()], present: [...state.present],
  }));
  const queued = () => tx("queue", "readonly", (s) => s.index("session").getAll(sessionId));

  /* ---- what the screen shows ---- */
  const mark = (code, halfDay) => code + "|" + halfDay;
  const halfDay = () => Number($("[data-half-day]").value);
  function showState() {
    const online = navigator.onLine;
    let text = online ? T.online : T.offline;
    if (state.syncing) text += " · " + T.syncing;
    else if (state.pending) text += " · " + T.pending + " " + state.pending;
    else if (online && !state.error) text += " · " + T.synced;
    if (state.error) text += " · " + T["sync-error"] + " " + state.error;
    const node = $("[data-state]");
    node.textContent = text;
    node.dataset.online = online ? "yes" : "no";
    node.dataset.pending = String(state.pending);
    const here = [...state.present].filter((key) => key.endsWith("|" + halfDay())).length;
    $("[data-list-state]").textContent = state.registrations.size
      ? T.list + " " + state.registrations.size + " · " + T.present + " " + here
      : T["no-list"];
  }
  function showVerdict(verdict, name) {
    const box = $("[data-verdict]");
    box.hidden = false;
    box.dataset.verdict = verdict;
    $("[data-verdict-text]").textContent = T[verdict] || verdict;
    $("[data-verdict-name]").textContent = name || "";
    if (navigator.vibrate) navigator.vibrate(verdict === "ok" || verdict === "walk-in" ? 80 : [80, 60, 80]);
  }
  function showRejected(items) {
    if (!items.length) return;
    const list = $("[data-rejected-list]");
    for (const item of items) {
      const li = document.createElement("li");
      const code = document.createElement("bdi");
      code.textContent = item.code || item.ref || "";
      li.append(code, " · " + (item.name ? item.name + " · " : "") + (item.error || T[item.verdict] || item.verdict));
      list.prepend(li);
    }
    $("[data-rejected]").hidden = false;
  }

  /* ---- a check-in: judged locally at once, queued, synced ---- */
  function normalise(raw) {
    return String(raw || "").replace(/[\s-]/g, "").toUpperCase();
  }
  function judge(code) {
    const registration = state.registrations.get(code);
    if (!registration) return { verdict: "foreign", registration: null, queue: true };
    if (registration.status !== "confirmed") return { verdict: "not-confirmed", registration, queue: false };
    if (state.present.has(mark(code, halfDay()))) return { verdict: "already-used", registration, queue: false };
    return { verdict: "ok", registration, queue: true };
  }
  async function checkIn(raw, method) {
    const code = normalise(raw);
    if (!code) return;
    const { verdict, registration, queue } = judge(code);
    showVerdict(verdict, registration ? registration.name : code);
    if (!queue) return;
    if (verdict === "ok") state.present.add(mark(code, halfDay()));
    await tx("queue", "readwrite", (s) => s.add({
      session: sessionId, kind: "scan", item: { code, half_day: halfDay(), seen_at: new Date().toISOString(), method },
    }));
    await saveRoster();
    await refreshPending();
    sync();
  }
  async function refreshPending() {
    state.pending = (await queued()).length;
    showState();
  }

  let retry = null;
  async function sync() {
    if (state.syncing || !navigator.onLine) return showState();
    const items = (await queued()).slice(0, 500);
    if (!items.length) return fetchRoster();
    state.syncing = true;
    showState();
    const body = { device: device(), scans: [], walk_ins: [] };
    for (const entry of items) (entry.kind === "scan" ? body.scans : body.walk_ins).push(entry.item);
    try {
      const response = await fetch(cfg.syncUrl, {
        method: "POST", credentials: "same-origin", body: JSON.stringify(body),
        headers: { "Content-Type": "application/json", "X-CSRFToken": cfg.csrf },
      });
      const answer = await response.json().catch(() => ({}));
      if (!response.ok) throw new Error(answer.error || String(response.status));
      await tx("queue", "readwrite", (s) => items.forEach((entry) => s.delete(entry.id)));
      state.present = new Set(answer.present.map(([code, half]) => mark(code, half)));
      showRejected([...answer.results, ...answer.walk_ins].filter((r) => !["ok", "already-used"].includes(r.verdict)));
      state.error = "";
      state.syncing = false;
      await saveRoster();
      await refreshPending();
      if (answer.walk_ins.length) await fetchRoster();
      if (state.pending) sync();
    } catch (error) {
      state.syncing = false;
      state.error = navigator.onLine ? error.message : "";
      clearTimeout(retry);
      retry = setTimeout(sync, 15000);
      showState();
    }
  }
  function device() {
    let id = localStorage.getItem("takwin-checkin-device");
    if (!id) {
      id = "phone-" + randomId().slice(0, 12);
      localStorage.setItem("takwin-checkin-device", id);
    }
    return id;
  }
  function randomId() {
    if (crypto.randomUUID) return crypto.randomUUID();
    return [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, "0")).join("");
  }

  /* ---- the list: downloaded when online, kept for offline ---- */
  async function loadLocal() {
    const record = await tx("rosters", "readonly", (s) => s.get(sessionId));
    if (record) {
      state.registrations = new Map(record.registrations.map((r) => [r.code, r]));
      state.present = new Set(record.present);
      state.fetchedAt = record.fetchedAt;
    }
  }
  async function fetchRoster() {
    if (!navigator.onLine) return showState();
    try {
      const response = await fetch(cfg.rosterUrl, { credentials: "same-origin", cache: "no-store" });
      if (!response.ok) throw new Error(String(response.status));
      const data = await response.json();
      if ((await queued()).length) return; // a scan arrived meanwhile: sync first, then refresh
      state.registrations = new Map(data.registrations.map((r) => [r.code, r]));
      state.present = new Set(data.present.map(([code, half]) => mark(code, half)));
      state.fetchedAt = new Date().toISOString();
      await saveRoster();
    } catch (error) {
      // Offline or logged out: the local copy stays.
    }
    showState();
  }

  /* ---- find by name or code ---- */
  const fold = (text) => String(text || "").normalize("NFKD").replace(/[\u064B-\u065F\u0670\u0300-\u036f]/g, "").toLowerCase();
  function find() {
    const query = fold($("[data-find]").value.trim());
    const list = $("[data-found]");
    list.replaceChildren();
    if (query.length < 2) return;
    const hits = [...state.registrations.values()]
      .filter((r) => fold(r.name).includes(query) || r.code.toLowerCase().startsWith(query))
      .slice(0, 12);
    for (const registration of hits) {
      const li = document.createElement("li");
      const name = document.createElement("span");
      name.textContent = registration.name || registration.code;
      if (registration.status !== "confirmed") name.textContent += " (" + (T[registration.status] || registration.status) + ")";
      const here = state.present.has(mark(registration.code, halfDay()));
      const button = document.createElement("button");
      button.type = "button";
      button.className = "button button--small";
      button.textContent = here ? "✓" : T["check-in"];
      button.disabled = here || registration.status !== "confirmed";
      button.addEventListener("click", () => checkIn(registration.code, "name").then(find));
      li.append(name, button);
      list.append(li);
    }
  }

  /* ---- walk-ins ---- */
  async function walkIn(event) {
    event.preventDefault();
    const form = event.target;
    const item = Object.fromEntries(new FormData(form).entries());
    Object.assign(item, { ref: randomId(), half_day: halfDay(), seen_at: new Date().toISOString(), language: document.documentElement.lang });
    await tx("queue", "readwrite", (s) => s.add({ session: sessionId, kind: "walk-in", item }));
    form.reset();
    showVerdict("walk-in", item.full_name);
    await refreshPending();
    sync();
  }

  /* ---- the camera: frames drawn on a canvas and read by jsQR, a few times a second ---- */
  const camera = { stream: null, timer: null, last: "", lastAt: 0 };
  function loadJsQR() {
    if (window.jsQR) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = cfg.jsqrUrl;
      script.onload = resolve;
      script.onerror = reject;
      document.head.append(script);
    });
  }
  async function startCamera() {
    const video = $("[data-video]");
    try {
      await loadJsQR();
      camera.stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
    } catch (error) {
      return showVerdict("no-camera", "");
    }
    video.srcObject = camera.stream;
    video.hidden = false;
    await video.play().catch(() => {});
    const toggle = $("[data-scan-toggle]");
    toggle.dataset.startLabel = toggle.textContent;
    toggle.textContent = toggle.dataset.stopLabel;
    const canvas = document.createElement("canvas");
    const context = canvas.getContext("2d", { willReadFrequently: true });
    camera.timer = setInterval(() => {
      if (video.readyState < 2 || !video.videoWidth) return;
      const scale = Math.min(1, 640 / video.videoWidth);
      canvas.width = Math.round(video.videoWidth * scale);
      canvas.height = Math.round(video.videoHeight * scale);
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      const image = context.getImageData(0, 0, canvas.width, canvas.height);
      const found = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
      if (!found || !found.data) return;
      const now = Date.now();
      // The same code held in front of the camera is one scan, not one per frame.
      if (found.data === camera.last && now - camera.lastAt < 4000) return;
      camera.last = found.data;
      camera.lastAt = now;
      checkIn(found.data, "qr");
    }, 200);
  }
  function stopCamera() {
    clearInterval(camera.timer);
    if (camera.stream) camera.stream.getTracks().forEach((track) => track.stop());
    camera.stream = null;
    const video = $("[data-video]");
    video.srcObject = null;
    video.hidden = true;
    const toggle = $("[data-scan-toggle]");
    if (toggle.dataset.startLabel) toggle.textContent = toggle.dataset.startLabel;
  }

  /* ---- the page kept for offline: the service worker answers navigations from this cache ---- */
  function keepOffline() {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.register(cfg.swUrl, { scope: cfg.scope }).catch(() => {});
    if (window.caches && navigator.onLine) {
      caches.open("takwin-checkin-pages").then((cache) => cache.add(location.pathname)).catch(() => {});
    }
  }

  async function forget() {
    await tx("rosters", "readwrite", (s) => s.delete(sessionId));
    state.registrations = new Map();
    state.present = new Set();
    showVerdict("forgotten", "");
    showState();
  }

  async function start() {
    keepOffline();
    $("[data-half-day]").addEventListener("change", () => { showState(); find(); });
    $("[data-scan-toggle]").addEventListener("click", () => (camera.stream ? stopCamera() : startCamera()));
    $("[data-find]").addEventListener("input", find);
    $("[data-walk-in]").addEventListener("submit", walkIn);
    $("[data-sync-now]").addEventListener("click", () => sync());
    $("[data-forget]").addEventListener("click", forget);
    window.addEventListener("online", () => sync());
    window.addEventListener("offline", showState);
    await loadLocal();
    await refreshPending();
    await sync();
    root.dataset.ready = "yes";
    setInterval(sync, 30000);
  }
  start();
})();
