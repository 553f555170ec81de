// Forms marked <form data-submit-once>: the first submit disables their submit buttons and
// shows the button's data-busy-label, so a double click or a second tap sends one request.
// (The server does not rely on it: one vote per department is a row lock and a constraint.)
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-submit-once]")) {
      return;
    }
    if (form.dataset.submitted === "1") {
      event.preventDefault();
      return;
    }
    form.dataset.submitted = "1";
    form.querySelectorAll("button[type=submit]").forEach(function (button) {
      // Disabled after this event, so that the pressed button's name still goes with it.
      window.setTimeout(function () {
        button.disabled = true;
        if (button.dataset.busyLabel) {
          button.textContent = button.dataset.busyLabel;
        }
      }, 0);
    });
  });
})();
