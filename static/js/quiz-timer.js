// The quiz's time limit as a live countdown (minutes:seconds) that sends the answers at zero.
// The server gives the seconds left (data-quiz-timer); the clock counts against the page's own
// monotonic time, so a phone that sleeps a while shows the right figure when it wakes up. At zero
// the form is sent as it is (form.submit(): no browser validation can hold it back); the server's
// grace period accepts it.
(function () {
  "use strict";
  var timer = document.querySelector("[data-quiz-timer]");
  var form = document.querySelector("[data-quiz-form]");
  if (!timer || !form) { return; }
  var clock = timer.querySelector("[data-quiz-clock]");
  var announce = document.querySelector("[data-quiz-announce]");
  var total = parseInt(timer.dataset.quizTimer, 10) || 0;
  var started = performance.now();
  var sent = false;

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function format(seconds) {
    var h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
    return h ? h + ":" + pad(m) + ":" + pad(s) : m + ":" + pad(s);
  }
  function send() {
    if (sent) { return; }
    sent = true;
    if (announce) { announce.textContent = timer.dataset.labelEnding || ""; }
    form.submit();
  }
  form.addEventListener("submit", function () { sent = true; });
  function tick() {
    var left = Math.max(0, total - Math.floor((performance.now() - started) / 1000));
    clock.textContent = format(left);
    timer.classList.toggle("quiz__timer--low", left <= 60);
    if (left === 0) { send(); return; }
    window.setTimeout(tick, 1000 - ((performance.now() - started) % 1000) + 5);
  }
  tick();
})();
