// Live countdowns of deadlines. The server renders the correct value; this only keeps it
// current, once a minute, from the element's data attributes:
//   data-unit       working_days | days | hours
//   data-due        the instant the period runs out (ISO 8601)
//   data-due-day    its last day in China (day periods)
//   data-workdays   the working days still to come (working-day periods), space separated
//   data-paused     excluded time is running: the clock stands still
// Texts come from #dl-countdown-texts, in the page's language.
(function () {
  "use strict";
  var textsEl = document.getElementById("dl-countdown-texts");
  var items = document.querySelectorAll(".dl-countdown[data-due]");
  if (!textsEl || !items.length) { return; }

  var DAY = 86400000;
  var chinaDay = new Intl.DateTimeFormat("en-CA", {
    timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit"
  });

  function text(key, values) {
    var template = textsEl.getAttribute("data-" + key) || "";
    return template.replace(/\{(\w+)\}/g, function (_m, name) { return values[name]; });
  }
  function plural(prefix, n) { return text(prefix + (n === 1 ? "-one" : "-other"), { n: n }); }
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function todayInChina(now) { return chinaDay.format(now); }  // YYYY-MM-DD
  function daysBetween(fromIso, toIso) { return Math.round((Date.parse(toIso) - Date.parse(fromIso)) / DAY); }

  function render(el, now) {
    if (el.hasAttribute("data-paused")) { return; }
    var unit = el.getAttribute("data-unit");
    var due = Date.parse(el.getAttribute("data-due"));
    var dueDay = el.getAttribute("data-due-day");
    var today = todayInChina(now);
    var urgency, label;
    if (now.getTime() > due) {
      urgency = "overdue";
      if (unit === "hours") {
        var over = Math.floor((now.getTime() - due) / 60000);
        label = text("od-hm", { h: Math.floor(over / 60), m: pad(over % 60) });
      } else {
        label = plural("od", Math.max(daysBetween(dueDay, today), 0));
      }
    } else if (unit === "hours") {
      var left = Math.floor((due - now.getTime()) / 60000);
      urgency = left <= 60 ? "soon" : "normal";
      label = text("hm", { h: Math.floor(left / 60), m: pad(left % 60) });
    } else if (unit === "working_days") {
      var workdays = (el.getAttribute("data-workdays") || "").split(" ").filter(function (d) {
        return d && d > today && d <= dueDay;
      });
      urgency = workdays.length <= 1 ? "soon" : "normal";
      label = dueDay === today ? text("today", {}) : plural("wd", workdays.length);
    } else {
      var days = daysBetween(today, dueDay);
      urgency = days <= 1 ? "soon" : "normal";
      label = days === 0 ? text("today", {}) : plural("d", days);
    }
    el.textContent = label;
    el.classList.remove("dl-overdue", "dl-soon", "dl-normal");
    el.classList.add("dl-" + urgency);
  }

  function tick() {
    var now = new Date();
    items.forEach(function (el) { render(el, now); });
  }
  tick();
  window.setInterval(tick, 60000);
})();
