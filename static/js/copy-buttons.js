// Copy buttons: <button data-copy-target="#id" data-copied-label="..." hidden>. Hidden until
// this script runs (without JavaScript the address stays selectable by hand); a click copies
// the target's text and says so in the button's live status next to it.
(function () {
  "use strict";

  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "visually-hidden";
    document.body.appendChild(area);
    area.select();
    var done = false;
    try {
      done = document.execCommand("copy");
    } catch (e) {
      done = false;
    }
    document.body.removeChild(area);
    return done ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () {
        return fallbackCopy(text);
      });
    }
    return fallbackCopy(text);
  }

  function init() {
    document.querySelectorAll("button[data-copy-target]").forEach(function (button) {
      var target = document.querySelector(button.dataset.copyTarget);
      if (!target) return;
      var status = document.getElementById(button.getAttribute("aria-describedby") || "");
      button.hidden = false;
      button.addEventListener("click", function () {
        copy(target.textContent.trim()).then(
          function () {
            if (status) status.textContent = button.dataset.copiedLabel || "";
          },
          function () {
            if (status) status.textContent = button.dataset.failedLabel || "";
          }
        );
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
