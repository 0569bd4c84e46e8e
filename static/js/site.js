// Behaviours any page may use, declared with data attributes instead of inline code: the
// Content-Security-Policy runs no inline script (onchange="…") and applies no style="…".
//   data-fill="42"     a bar (progress, report) drawn at 42 % of its track
//   data-autosubmit    a control that submits its form when changed (search facets, sort)
//   data-confirm="…"   a form that asks this question before it is sent (deletions)
(function () {
  "use strict";
  // Styles set through the CSSOM are allowed where style attributes in the markup are not.
  Array.prototype.forEach.call(document.querySelectorAll("[data-fill]"), function (bar) {
    var share = Math.max(0, Math.min(100, parseFloat(bar.dataset.fill) || 0));
    bar.style.inlineSize = share + "%";
  });
  document.addEventListener("change", function (event) {
    var control = event.target.closest && event.target.closest("[data-autosubmit]");
    if (control && control.form) { control.form.submit(); }
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) { event.preventDefault(); }
  });
})();
