// Suggestions under the header search box after two letters (progressive
// enhancement: without this script the box still submits to /search/).
(function () {
  "use strict";
  var input = document.getElementById("header-q");
  if (!input || !window.fetch) return;
  var url = input.getAttribute("data-autocomplete-url");
  if (!url) return;
  var list = document.createElement("ul");
  list.id = "header-q-suggestions";
  list.className = "autocomplete-list";
  list.setAttribute("role", "listbox");
  list.hidden = true;
  input.parentNode.appendChild(list);
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("aria-expanded", "false");
  var timer = null;
  var active = -1;
  var lastQuery = "";
  var controller = null;

  function close() {
    list.hidden = true;
    list.innerHTML = "";
    active = -1;
    input.setAttribute("aria-expanded", "false");
  }

  function render(results) {
    list.innerHTML = "";
    active = -1;
    results.forEach(function (item, i) {
      var li = document.createElement("li");
      li.setAttribute("role", "option");
      li.id = "header-q-option-" + i;
      var a = document.createElement("a");
      a.href = item.url;
      a.textContent = item.title;
      a.setAttribute("dir", "auto");
      a.tabIndex = -1;
      li.appendChild(a);
      list.appendChild(li);
    });
    list.hidden = results.length === 0;
    input.setAttribute("aria-expanded", results.length ? "true" : "false");
  }

  function fetchSuggestions() {
    var q = input.value.trim();
    if (q.length < 2) { close(); lastQuery = q; return; }
    if (q === lastQuery) return;
    lastQuery = q;
    if (controller) controller.abort();
    controller = window.AbortController ? new AbortController() : null;
    fetch(url + "?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" }, signal: controller ? controller.signal : undefined })
      .then(function (r) { return r.ok ? r.json() : { results: [] }; })
      .then(function (data) { if (input.value.trim() === q) render(data.results || []); })
      .catch(function () {});
  }

  function move(step) {
    var items = list.querySelectorAll("li");
    if (!items.length) return;
    if (active >= 0) items[active].removeAttribute("aria-selected");
    active = (active + step + items.length) % items.length;
    items[active].setAttribute("aria-selected", "true");
    input.setAttribute("aria-activedescendant", items[active].id);
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(fetchSuggestions, 150);
  });
  input.addEventListener("keydown", function (event) {
    if (list.hidden) return;
    if (event.key === "ArrowDown") { event.preventDefault(); move(1); }
    else if (event.key === "ArrowUp") { event.preventDefault(); move(-1); }
    else if (event.key === "Escape") { close(); }
    else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      window.location.href = list.querySelectorAll("a")[active].href;
    }
  });
  document.addEventListener("click", function (event) {
    if (event.target !== input && !list.contains(event.target)) close();
  });
})();
