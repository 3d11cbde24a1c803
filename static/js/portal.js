/* Site-wide behaviours, kept out of the templates: the Content-Security-Policy allows no inline
 * script and no on*= attribute.
 *  - [data-action="print"]: a button that prints the page.
 *  - .table-responsive: a table wider than the screen scrolls inside its wrapper, which then becomes a
 *    region named after the table (its caption, else its section's heading, else the heading before
 *    it) that the keyboard can
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

  function headingBefore(element) {
    for (var node = element; node && node !== document.body; node = node.parentElement) {
      for (var sibling = node.previousElementSibling; sibling; sibling = sibling.previousElementSibling) {
        if (/^H[1-6]$/.test(sibling.tagName)) {
          return sibling;
        }
        var inner = sibling.querySelectorAll("h1, h2, h3, h4, h5, h6");
        if (inner.length) {
          return inner[inner.length - 1];
        }
      }
    }
    return null;
  }

  function labelScrollingTables() {
    document.querySelectorAll(".table-responsive").forEach(function (wrapper, index) {
      var caption = wrapper.querySelector("caption");
      var section = wrapper.closest("[aria-labelledby]");
      if (caption && !caption.id) {
        caption.id = "table-caption-" + index;
      }
      var label = caption ? caption.id : section && section.getAttribute("aria-labelledby");
      if (!label) {
        var heading = headingBefore(wrapper);
        if (heading) {
          heading.id = heading.id || "table-heading-" + index;
          label = heading.id;
        }
      }
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
