// A link to a factor ("Why to see a professional") opens its <details>, so the person lands on
// the explanation rather than on a closed box. Without JavaScript the box is there to open.
"use strict";
(function () {
  function openTarget() {
    const target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (target && target.tagName === "DETAILS") {
      target.open = true;
    }
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();
})();
