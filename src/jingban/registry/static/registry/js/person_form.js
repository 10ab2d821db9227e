/*
 * The person form: "From the document" (按证件号码识别) is offered for sex only while the chosen
 * document type carries the sex and birth date; for a passport the empty choice reads
 * "choose" and the hints about leaving sex and birth date empty are hidden. Without this
 * script the server renders the same offer for the type the form was last sent with.
 */
(function () {
  "use strict";

  function update(type, sex) {
    var derived = (type.getAttribute("data-derived-types") || "").split(" ");
    var carries = derived.indexOf(type.value) !== -1;
    var blank = sex.querySelector('option[value=""]');
    if (blank) {
      blank.textContent = sex.getAttribute(carries ? "data-derived-label" : "data-blank-label");
    }
    ["id_sex_helptext", "id_birth_date_helptext"].forEach(function (id) {
      var help = document.getElementById(id);
      if (help) {
        // Through the style, not the hidden attribute: the stylesheet shows every hint.
        help.style.display = carries ? "" : "none";
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var type = document.getElementById("id_document_type");
    var sex = document.getElementById("id_sex");
    if (!type || !sex || !type.hasAttribute("data-derived-types")) {
      return;
    }
    type.addEventListener("change", function () {
      update(type, sex);
    });
    update(type, sex);
  });
})();
