// Renda's only script besides Bootstrap and htmx. No inline script anywhere (CSP).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    // Language switch: submit on change; the button stays for no-JS users.
    document.querySelectorAll("select[data-autosubmit]").forEach(function (el) {
      el.addEventListener("change", function () { el.form.submit(); });
      var btn = el.form.querySelector(".js-hide");
      if (btn) { btn.classList.add("d-none"); }
    });
    // The skip link moves keyboard focus into <main>, not only the scroll position.
    document.querySelectorAll("a.skip-link").forEach(function (link) {
      link.addEventListener("click", function (evt) {
        var target = document.getElementById(link.getAttribute("href").slice(1));
        if (target) { evt.preventDefault(); target.focus(); target.scrollIntoView(); }
      });
    });
  });
  // htmx requests carry the CSRF token taken from any form on the page.
  document.addEventListener("htmx:configRequest", function (evt) {
    var token = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (token) { evt.detail.headers["X-CSRFToken"] = token.value; }
  });
})();
