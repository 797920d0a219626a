// "Print or save as PDF" buttons: shown only where this script runs, since a button that does
// nothing without JavaScript would mislead (the browser's own Print menu works either way).
"use strict";
(function () {
  for (const button of document.querySelectorAll(".print-button")) {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  }
})();
