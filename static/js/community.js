/* Progressive enhancement for the community pages; everything works without it.
   Inline spoilers: without JavaScript a spoiler shows while it has focus (CSS :focus);
   with it, a click or Enter/Space keeps it revealed and tells assistive technology. */
(function () {
  "use strict";

  function toggle(spoiler) {
    var revealed = spoiler.classList.toggle("is-revealed");
    spoiler.setAttribute("aria-expanded", revealed ? "true" : "false");
  }

  function enhance() {
    document.querySelectorAll(".spoiler").forEach(function (spoiler) {
      spoiler.setAttribute("role", "button");
      spoiler.setAttribute("aria-expanded", "false");
      spoiler.setAttribute("title", "Spoiler: select to reveal");
      spoiler.addEventListener("click", function (event) {
        if (event.target.closest("a") && spoiler.classList.contains("is-revealed")) {
          return; // a link inside a revealed spoiler works as a link
        }
        event.preventDefault();
        toggle(spoiler);
      });
      spoiler.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          toggle(spoiler);
        }
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhance);
  } else {
    enhance();
  }
})();
