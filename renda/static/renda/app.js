// Renda's only script besides Bootstrap and htmx. No inline script anywhere (CSP).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    // Language switch: submit on change; the button stays for keyboard and no-JS users.
    document.querySelectorAll("select[data-autosubmit]").forEach(function (el) {
      el.addEventListener("change", function () { el.form.submit(); });
      var btn = el.form.querySelector(".js-hide");
      if (btn) { btn.classList.add("visually-hidden"); }
    });
  });
  // htmx sends the CSRF token from the cookie-less meta approach: read it from the form field.
  document.addEventListener("htmx:configRequest", function (evt) {
    var token = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (token) { evt.detail.headers["X-CSRFToken"] = token.value; }
  });
})();
