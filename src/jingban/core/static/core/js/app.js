/*
 * Jingban (经办) — the only first-party script. Kept tiny and free of inline code so that a
 * strict Content-Security-Policy (script-src 'self') can be switched on later.
 *
 * htmx requests that change state (POST, PUT, PATCH, DELETE) need Django's CSRF token. It is
 * read from the `csrftoken` cookie (always current, also after login rotates it) and, failing
 * that, from <meta name="csrf-token"> in base.html. It is sent only to this site's own origin.
 *
 * On narrow screens (phones, and 关怀 mode's large text) two things need a script; without it
 * the pages still fit, only less neatly:
 * - The header's tools and the navigation fold behind a 菜单 (menu) button, a disclosure
 *   (aria-expanded) that Escape closes. The stylesheet folds them before this script runs, so
 *   nothing jumps as a page loads; without scripts, noscript.css keeps them open.
 * - Data tables are shown as stacked cards (jingban.css); each cell gets its column's heading
 *   as data-label, which the stylesheet writes before the value. Explicit table roles keep the
 *   table a table for screen readers once the stylesheet has changed its display. Tables that
 *   htmx swaps in are labelled too.
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

  // ------------------------------------------------------------------ the menu

  var MENU_OPEN = "menu-open";

  function setMenu(toggle, open) {
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    document.documentElement.classList.toggle(MENU_OPEN, open);
  }

  function setUpMenu() {
    var toggle = document.querySelector(".menu-toggle");
    if (!toggle) {
      return;
    }
    toggle.addEventListener("click", function () {
      setMenu(toggle, toggle.getAttribute("aria-expanded") !== "true");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") {
        setMenu(toggle, false);
        toggle.focus();
      }
    });
  }

  // ------------------------------------------------------------------ tables as cards

  var ROLES = { TABLE: "table", THEAD: "rowgroup", TBODY: "rowgroup", TFOOT: "rowgroup", TR: "row" };

  function headings(table) {
    // The text of each column's heading, by column index (colspan counted).
    var labels = [];
    var row = table.tHead ? table.tHead.rows[0] : null;
    if (!row) {
      return labels;
    }
    for (var i = 0; i < row.cells.length; i += 1) {
      var cell = row.cells[i];
      var text = (cell.textContent || "").replace(/\s+/g, " ").trim();
      for (var span = 0; span < (cell.colSpan || 1); span += 1) {
        labels.push(text);
      }
    }
    return labels;
  }

  function labelTable(table) {
    if (table.getAttribute("data-cards") === "done") {
      return;
    }
    table.setAttribute("data-cards", "done");
    var labels = headings(table);
    var parts = table.querySelectorAll("thead, tbody, tfoot, tr");
    table.setAttribute("role", ROLES.TABLE);
    for (var p = 0; p < parts.length; p += 1) {
      if (parts[p].closest("table") === table) {
        parts[p].setAttribute("role", ROLES[parts[p].tagName]);
      }
    }
    for (var r = 0; r < table.rows.length; r += 1) {
      var row = table.rows[r];
      var column = 0;
      var inHead = row.parentNode && row.parentNode.tagName === "THEAD";
      for (var c = 0; c < row.cells.length; c += 1) {
        var cell = row.cells[c];
        if (cell.tagName === "TH") {
          cell.setAttribute("role", inHead || cell.scope === "col" ? "columnheader" : "rowheader");
        } else {
          cell.setAttribute("role", "cell");
        }
        var label = labels[column];
        if (!inHead && label && !cell.hasAttribute("data-label") && cell.colSpan < 2) {
          cell.setAttribute("data-label", label);
        }
        column += cell.colSpan || 1;
      }
    }
  }

  function labelTables(root) {
    var scope = root && root.querySelectorAll ? root : document;
    var tables = scope.querySelectorAll("main table");
    for (var i = 0; i < tables.length; i += 1) {
      labelTable(tables[i]);
    }
    if (scope.tagName === "TABLE") {
      labelTable(scope);
    }
  }

  function ready(callback) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", callback);
    } else {
      callback();
    }
  }

  ready(function () {
    setUpMenu();
    labelTables(document);
  });
  document.addEventListener("htmx:load", function (event) {
    labelTables(event.target);
  });

  // ------------------------------------------------------------------ htmx and CSRF

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
