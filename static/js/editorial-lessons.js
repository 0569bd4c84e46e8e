// The module edit screen's lesson list: drag a lesson to another place and the new order is
// saved at once (POST to editorial:lessons_order with the admin's CSRF token).
(function () {
  "use strict";

  function csrfToken() {
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function setUp(list) {
    var status = document.querySelector("[data-editorial-lessons-status]");
    var dragged = null;

    function save() {
      var ids = Array.prototype.map.call(list.querySelectorAll("[data-lesson-id]"), function (item) {
        return item.getAttribute("data-lesson-id");
      });
      var body = new URLSearchParams({ order: ids.join(",") });
      fetch(list.getAttribute("data-order-url"), {
        method: "POST",
        headers: { "X-CSRFToken": csrfToken() },
        body: body,
        credentials: "same-origin",
      }).then(function (response) {
        status.textContent = list.getAttribute(response.ok ? "data-saved-text" : "data-error-text");
        list.setAttribute("data-saved", response.ok ? "true" : "false");
      });
    }

    list.addEventListener("dragstart", function (event) {
      dragged = event.target.closest("[data-lesson-id]");
      if (dragged) {
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", dragged.getAttribute("data-lesson-id"));
      }
    });
    list.addEventListener("dragover", function (event) {
      if (dragged) {
        event.preventDefault();
      }
    });
    list.addEventListener("drop", function (event) {
      var target = event.target.closest("[data-lesson-id]");
      event.preventDefault();
      if (!dragged || !target || target === dragged) {
        return;
      }
      var box = target.getBoundingClientRect();
      var after = event.clientY > box.top + box.height / 2;
      list.insertBefore(dragged, after ? target.nextSibling : target);
      dragged = null;
      save();
    });
  }

  document.querySelectorAll("[data-editorial-lessons]").forEach(setUp);
})();
