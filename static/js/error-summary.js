// On a page re-shown with errors, move focus to the summary of what to fix, so that keyboard
// and screen-reader users meet it first. Without JavaScript the summary is still the first
// thing in the page's main content, and its links lead to each question.
"use strict";
(function () {
  const summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
})();
