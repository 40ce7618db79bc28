// Progressive enhancement only: every page works without JavaScript.
(function () {
  "use strict";
  // Ask before destructive POST buttons (forms carrying data-confirm).
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });
  // On the intake form, show only the fields of the chosen channel.
  var channel = document.querySelector("#open-case select[name=channel]");
  if (channel) {
    var sync = function () {
      document.querySelectorAll(".channel-fields").forEach(function (fs) {
        fs.hidden = fs.getAttribute("data-channel") !== channel.value;
      });
    };
    channel.addEventListener("change", sync);
    sync();
  }
})();
