/* Offline lessons: the browser's own records, shared by the pages and the service worker.
 * IndexedDB "takwin-offline": "lessons" (what is stored: one record per lesson, keyPath id) and
 * "queue" (heartbeats and quiz answers waiting for the connection, keyPath id, a client uuid).
 * The files themselves are in Cache Storage under CACHE. */
(function (scope) {
  "use strict";
  var NAME = "takwin-offline", VERSION = 1, opening = null;

  function open() {
    if (!opening) {
      opening = new Promise(function (resolve, reject) {
        var request = scope.indexedDB.open(NAME, VERSION);
        request.onupgradeneeded = function () {
          var db = request.result;
          if (!db.objectStoreNames.contains("lessons")) { db.createObjectStore("lessons", { keyPath: "id" }); }
          if (!db.objectStoreNames.contains("queue")) { db.createObjectStore("queue", { keyPath: "id" }); }
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
