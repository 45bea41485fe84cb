// The citizens' opinion pages: copy the tracking code or link, print the station code, and
// grey out name and phone when "anonymous" is ticked. No inline script (CSP).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-copy]").forEach(function (btn) {
      btn.addEventListener("click", function () {
        var target = document.getElementById(btn.getAttribute("data-copy"));
        if (!target) { return; }
        var text = target.value || target.textContent.trim();
        var done = function () {
          var label = btn.getAttribute("data-copied");
          if (label) { btn.textContent = label; }
        };
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(text).then(done, function () {});
        } else {
          var range = document.createRange();
          range.selectNodeContents(target);
          var sel = window.getSelection();
          sel.removeAllRanges();
          sel.addRange(range);
          try { document.execCommand("copy"); done(); } catch (e) { /* selected for the user */ }
        }
      });
    });
    document.querySelectorAll("[data-print]").forEach(function (btn) {
      btn.addEventListener("click", function () { window.print(); });
    });
    var anon = document.querySelector("input[name=anonymous]");
    if (anon) {
      var toggle = function () {
        ["name", "phone"].forEach(function (n) {
          var input = document.querySelector("input[name=" + n + "]");
          if (input) { input.disabled = anon.checked; }
        });
      };
      anon.addEventListener("change", toggle);
      toggle();
    }
  });
})();
