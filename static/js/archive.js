// Archive record page: a photo lightbox on the native <dialog>, and the print button.
// Without JavaScript the photo links open the large image and the browser prints as usual.
(function () {
  "use strict";
  var dialog = document.querySelector("dialog.lightbox");
  var links = Array.prototype.slice.call(document.querySelectorAll("a[data-lightbox]"));
  var current = 0;

  function show(index) {
    current = (index + links.length) % links.length;
    var link = links[current];
    var img = dialog.querySelector("img");
    img.src = link.href;
    img.alt = link.dataset.caption || "";
    dialog.querySelector("figcaption").textContent = link.dataset.caption || "";
  }

  if (dialog && links.length && typeof dialog.showModal === "function") {
    links.forEach(function (link, index) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        show(index);
        dialog.showModal();
      });
    });
    // In a right-to-left page the "next" arrow key points left.
    var rtl = document.documentElement.dir === "rtl";
    dialog.querySelector("[data-next]").addEventListener("click", function () { show(current + 1); });
    dialog.querySelector("[data-prev]").addEventListener("click", function () { show(current - 1); });
    dialog.querySelector("[data-close]").addEventListener("click", function () { dialog.close(); });
    dialog.addEventListener("keydown", function (event) {
      if (event.key === "ArrowRight") { show(current + (rtl ? -1 : 1)); }
      if (event.key === "ArrowLeft") { show(current + (rtl ? 1 : -1)); }
    });
    dialog.addEventListener("click", function (event) { if (event.target === dialog) { dialog.close(); } });
  }

  // On a small screen the browse filters start folded (unless some are active) so the results show first.
  var disclosure = document.querySelector("details[data-collapse-on-small='yes']");
  if (disclosure && window.matchMedia("(max-width: 52rem)").matches) { disclosure.open = false; }

  var printButton = document.querySelector("[data-print]");
  if (printButton) { printButton.addEventListener("click", function () { window.print(); }); }
})();
