/* Site-wide behaviours, kept out of the templates: the Content-Security-Policy allows no inline
 * script and no on*= attribute.
 *  - [data-action="print"]: a button that prints the page.
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
})();
