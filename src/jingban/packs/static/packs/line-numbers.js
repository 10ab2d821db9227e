// Line numbers beside a pack's source text (textarea.source), so that "line 12" in a problem
// can be found. Without this script the editor works the same, without the numbers.
(function () {
  "use strict";
  function number(area) {
    var wrap = document.createElement("div");
    var gutter = document.createElement("pre");
    wrap.className = "source-wrap";
    gutter.className = "line-gutter";
    gutter.setAttribute("aria-hidden", "true");
    area.parentNode.insertBefore(wrap, area);
    wrap.appendChild(gutter);
    wrap.appendChild(area);
    area.setAttribute("wrap", "off");
    function draw() {
      var count = area.value.split("\n").length;
      var lines = [];
      for (var i = 1; i <= count; i += 1) { lines.push(String(i)); }
      gutter.textContent = lines.join("\n");
      gutter.scrollTop = area.scrollTop;
    }
    area.addEventListener("input", draw);
    area.addEventListener("scroll", function () { gutter.scrollTop = area.scrollTop; });
    draw();
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("textarea.source").forEach(number);
  });
})();
