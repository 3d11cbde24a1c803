/* Site-wide behaviours, kept out of the templates: the Content-Security-Policy allows no inline
 * script and no on*= attribute.
 *  - [data-action="print"]: a button that prints the page.
 *  - .table-responsive: a table wider than the screen scrolls inside its wrapper, which then becomes a
 *    region named after the table (its caption, else its section's heading) that the keyboard can
 *    reach and scroll: a scrolling box nobody can focus is out of reach without a mouse.
 */
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("[data-action]") : null;
    if (!target) {
      return;
    }
    if (target.dataset.action === "print") {
      event.preventDefault();
      window.print();
    }
  });

  function labelScrollingTables() {
    document.querySelectorAll(".table-responsive").forEach(function (wrapper, index) {
      var caption = wrapper.querySelector("caption");
      var section = wrapper.closest("[aria-labelledby]");
      if (caption && !caption.id) {
        caption.id = "table-caption-" + index;
      }
      var label = caption ? caption.id : section && section.getAttribute("aria-labelledby");
      if (wrapper.scrollWidth > wrapper.clientWidth) {
        wrapper.setAttribute("tabindex", "0");
        if (label) {
          wrapper.setAttribute("role", "region");
          wrapper.setAttribute("aria-labelledby", label);
        }
      } else {
        ["tabindex", "role", "aria-labelledby"].forEach(function (name) {
          wrapper.removeAttribute(name);
        });
      }
    });
  }
  document.addEventListener("DOMContentLoaded", labelScrollingTables);
  window.addEventListener("resize", labelScrollingTables);
  document.addEventListener("htmx:afterSettle", labelScrollingTables);
})();
