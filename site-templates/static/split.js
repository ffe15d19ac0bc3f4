// Client-side A/B split for a programme's landing page (`split: client` in its front matter).
// Runs before the page renders: picks a variant once by weight, remembers it in localStorage,
// and loads that variant's page. Without JavaScript, or without storage, visitors see the
// control; nothing leaves the browser.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) { return; }
  var config;
  try { config = JSON.parse(script.getAttribute("data-refkit-split")); } catch (e) { return; }
  var key = "refkit-variant-" + config.program;
  var chosen = null;
  try { chosen = window.localStorage.getItem(key); } catch (e) { return; }
  var arm = null;
  config.arms.forEach(function (a) { if (a.name === chosen) { arm = a; } });
  if (!arm) {
    var total = config.arms.reduce(function (sum, a) { return sum + a.weight; }, 0);
    var r = Math.random() * total;
    for (var i = 0; i < config.arms.length; i++) {
      r -= config.arms[i].weight;
      if (r < 0 || i === config.arms.length - 1) { arm = config.arms[i]; break; }
    }
    try { window.localStorage.setItem(key, arm.name); } catch (e) { return; }
  }
  if (arm.url) {
    window.location.replace(arm.url + window.location.search + window.location.hash);
  }
})();
