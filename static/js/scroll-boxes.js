// Wide tables scroll sideways in their own box (.table-responsive) on a phone. A box that
// actually scrolls must be reachable by keyboard (WCAG 2.1.1): it gets tabindex="0" (arrow
// keys then scroll it) and, as a named region, the name of its table's caption. Boxes that
// do not scroll (a laptop) get no extra tab stop. Re-checked when the window is resized.
(function () {
  "use strict";
  var counter = 0;

  function update(box) {
    if (box.dataset.scrollBox === "fixed") return; // set by the template itself
    var scrolls = box.scrollWidth > box.clientWidth + 1;
    if (scrolls && !box.hasAttribute("tabindex")) {
      box.setAttribute("tabindex", "0");
      var caption = box.querySelector("caption");
      if (caption) {
        if (!caption.id) caption.id = "scroll-box-caption-" + (++counter);
        box.setAttribute("role", "region");
        box.setAttribute("aria-labelledby", caption.id);
      }
      box.dataset.scrollBox = "auto";
    } else if (!scrolls && box.dataset.scrollBox === "auto") {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-labelledby");
      delete box.dataset.scrollBox;
    }
  }

  function updateAll() {
    document.querySelectorAll(".table-responsive").forEach(function (box) {
      if (box.hasAttribute("tabindex") && !box.dataset.scrollBox) {
        box.dataset.scrollBox = "fixed";
      }
      update(box);
    });
  }

  var timer = null;
  window.addEventListener("resize", function () {
    clearTimeout(timer);
    timer = setTimeout(updateAll, 150);
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", updateAll);
  } else {
    updateAll();
  }
})();
