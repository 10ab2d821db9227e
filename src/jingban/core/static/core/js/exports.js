/*
 * Export links follow the list's filters: a search done with htmx changes the address
 * (hx-push-url) but not the links rendered with the page, so a link takes the address's
 * current query (without the page number) when it is clicked.
 */
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[data-export-link]") : null;
    if (!link) {
      return;
    }
    var target = new URL(link.href, window.location.href);
    var params = new URLSearchParams(window.location.search);
    params.delete("page");
    target.search = params.toString();
    link.href = target.toString();
  });
})();
