// Votes pages: "at most M" on the vote form (the server checks it again) and the copy button
// for the receipt code. No inline script (CSP).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-max-choices]").forEach(function (form) {
      var max = parseInt(form.getAttribute("data-max-choices"), 10);
      var boxes = form.querySelectorAll("input[type=checkbox][name=choice]");
      var count = form.querySelector(".js-count");
      function update() {
        var n = form.querySelectorAll("input[type=checkbox][name=choice]:checked").length;
        if (count) { count.textContent = String(n); }
        boxes.forEach(function (box) {
          box.disabled = !box.checked && n >= max;
        });
      }
      boxes.forEach(function (box) { box.addEventListener("change", update); });
      update();
    });
    document.querySelectorAll("button.js-copy").forEach(function (btn) {
      btn.addEventListener("click", function () {
        var target = document.getElementById(btn.getAttribute("data-copy-target"));
        var status = document.getElementById("copy-status");
        if (!target || !navigator.clipboard) { return; }
        navigator.clipboard.writeText(target.textContent.trim()).then(function () {
          btn.textContent = btn.getAttribute("data-copied");
          if (status) { status.textContent = btn.getAttribute("data-copied"); }
        });
      });
    });
  });
})();
