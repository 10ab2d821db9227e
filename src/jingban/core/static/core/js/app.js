/*
 * Jingban (经办) — the only first-party script. Kept tiny and free of inline code so that a
 * strict Content-Security-Policy (script-src 'self') can be switched on later.
 *
 * htmx requests that change state (POST, PUT, PATCH, DELETE) need Django's CSRF token. It is
 * read from the `csrftoken` cookie (always current, also after login rotates it) and, failing
 * that, from <meta name="csrf-token"> in base.html. It is sent only to this site's own origin.
 */
(function () {
  "use strict";

  function readCookie(name) {
    var parts = document.cookie ? document.cookie.split(";") : [];
    for (var i = 0; i < parts.length; i += 1) {
      var pair = parts[i].trim();
      if (pair.substring(0, name.length + 1) === name + "=") {
        return decodeURIComponent(pair.substring(name.length + 1));
      }
    }
    return "";
  }

  function csrfToken() {
    var fromCookie = readCookie("csrftoken");
    if (fromCookie) {
      return fromCookie;
    }
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") || "" : "";
  }

  function sameOrigin(path) {
    try {
      return new URL(path, window.location.href).origin === window.location.origin;
    } catch (error) {
      return false;
    }
  }

  document.addEventListener("htmx:configRequest", function (event) {
    var detail = event.detail || {};
    if (!sameOrigin(detail.path || "")) {
      return;
    }
    var token = csrfToken();
    if (token && detail.headers) {
      detail.headers["X-CSRFToken"] = token;
    }
  });
})();
