// A document batch issued in the background: poll its status (JSON) every second, move the
// progress bar, and reload the page once the batch is complete or failed (the server renders
// the result). Without script the page refreshes itself (a meta refresh in <noscript>).
(function () {
  "use strict";
  var panel = document.getElementById("batch-progress");
  if (!panel || panel.getAttribute("data-status") !== "queued") { return; }
  var url = panel.getAttribute("data-status-url");
  var bar = document.getElementById("batch-bar");
  var count = document.getElementById("batch-count");
  var state = document.getElementById("batch-state");
  var template = count ? count.textContent : "";
  var first = template.match(/\d+/g) || [];

  function show(data) {
    bar.max = data.total;
    bar.value = data.done;
    bar.textContent = data.done + " / " + data.total;
    if (count && first.length >= 2) {
      // the server's sentence, its two numbers replaced: done first, then total
      var n = 0;
      count.textContent = template.replace(/\d+/g, function (m) {
        n += 1;
        return n === 1 ? String(data.done) : n === 2 ? String(data.total) : m;
      });
    }
    if (state && data.status_label) { state.textContent = data.status_label; }
  }

  function poll() {
    fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { window.setTimeout(poll, 3000); return; }
        show(data);
        if (data.status !== "queued") { window.location.reload(); return; }
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 1000);
}());
