// After a refused submit, take the reader to the error summary (GOV.UK pattern): it is
// focused and scrolled into view, so a phone user sees it rather than the top of the page;
// its links focus the field they name and scroll its label into view.
(function () {
  "use strict";

  function fieldLabel(field) {
    var fieldset = field.closest("fieldset");
    var legend = fieldset && fieldset.querySelector("legend");
    if (legend) return legend;
    return (field.id && document.querySelector('label[for="' + CSS.escape(field.id) + '"]')) || field;
  }

  function init() {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) return;
    // "instant": Bootstrap makes scrolling smooth, and a phone user should land at once.
    summary.scrollIntoView({ block: "start", behavior: "instant" });
    summary.focus({ preventScroll: true });
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) return;
      var field = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
      if (!field) return;
      event.preventDefault();
      fieldLabel(field).scrollIntoView({ block: "start", behavior: "instant" });
      field.focus({ preventScroll: true });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
