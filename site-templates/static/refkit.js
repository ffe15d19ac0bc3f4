// refkit's only script, first-party and optional: every page works without it.
// 1. Fills the hidden invitation code from ?ref=CODE (landing pages linked with a code).
// 2. Shows a "copy link" button on personal pages when the clipboard is available.
(function () {
  "use strict";
  var params = new URLSearchParams(window.location.search);
  var ref = params.get("ref");
  if (ref) {
    // Codes are Crockford base32 with hyphens; anything else is dropped, not submitted.
    var clean = ref.toUpperCase().replace(/[^0-9A-Z-]/g, "").slice(0, 32);
    document.querySelectorAll("input[data-refkit-code]").forEach(function (input) {
      if (!input.value) { input.value = clean; }
    });
  }
  document.querySelectorAll("button[data-refkit-copy]").forEach(function (button) {
    if (!navigator.clipboard) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(button.getAttribute("data-refkit-copy")).then(function () {
        button.textContent = button.getAttribute("data-refkit-copied");
      });
    });
  });
})();
