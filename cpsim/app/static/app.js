// cpsim app: the run page follows its run's progress and shows the results when it ends.
// Plain JavaScript served by the app itself; every page works without it (reload to update).
(function () {
  "use strict";
  var box = document.querySelector("[data-status-url]");
  if (!box) {
    var problems = document.getElementById("problems");
    if (problems) { problems.focus(); }
    return;
  }
  var url = box.getAttribute("data-status-url");
  var bar = box.querySelector("progress");
  var text = box.querySelector("[data-status-text]");
  function poll() {
    fetch(url, { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        bar.max = s.total;
        bar.value = s.done;
        bar.textContent = s.done + " of " + s.total;
        text.textContent = s.phase + ": " + s.done + " of " + s.total + " replications";
        if (s.state !== "running") { window.location.reload(); return; }
        window.setTimeout(poll, 400);
      })
      .catch(function () { window.setTimeout(poll, 1000); });
  }
  window.setTimeout(poll, 200);
})();
