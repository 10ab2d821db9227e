/* Check-in and check-out: read the browser's location into the form's hidden fields, then
   send it. Denial or failure is told in words; without a required location the form is sent
   as it is (the server checks the rules either way). */
(function () {
  "use strict";
  function say(key) {
    var box = document.getElementById("geo-status");
    var tpl = document.getElementById("geo-messages");
    if (!box || !tpl) { return; }
    var item = tpl.content.querySelector('[data-key="' + key + '"]');
    box.textContent = item ? item.textContent : "";
  }
  function send(form) { form.dataset.located = "1"; form.submit(); }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-geo") || form.dataset.located) { return; }
    event.preventDefault();
    var required = form.getAttribute("data-required") === "1";
    var fallback = function (key) {
      say(key);
      if (!required) { say("manual"); send(form); }
    };
    if (!("geolocation" in navigator)) { fallback("unsupported"); return; }
    say("locating");
    navigator.geolocation.getCurrentPosition(function (pos) {
      form.querySelector("[data-lat]").value = pos.coords.latitude.toFixed(6);
      form.querySelector("[data-lon]").value = pos.coords.longitude.toFixed(6);
      say("");
      send(form);
    }, function (err) {
      fallback(err && err.code === 1 ? "denied" : "unavailable");
    }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  });
})();
