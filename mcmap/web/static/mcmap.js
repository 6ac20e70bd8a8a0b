// Small conveniences; every page works without them.
(function () {
  "use strict";
  // Say at once that the chosen files are over the upload limit, instead of after sending them.
  document.querySelectorAll("form[data-limit]").forEach(function (form) {
    var limit = Number(form.dataset.limit), note = form.querySelector(".limit-note");
    form.querySelectorAll("input[type=file]").forEach(function (input) {
      input.addEventListener("change", function () {
        var total = 0;
        Array.prototype.forEach.call(input.files, function (f) { total += f.size; });
        var over = total > limit;
        if (note) {
          note.hidden = !over;
          note.textContent = over ? "These files come to " + (total / 1e6).toFixed(1) + " MB; the workbench accepts "
            + (limit / 1e6).toFixed(0) + " MB in all. Check fewer or smaller files." : "";
        }
      });
    });
    form.addEventListener("submit", function () {
      var button = form.querySelector("button[type=submit]");
      if (button) { button.setAttribute("aria-busy", "true"); }
    });
  });
  // Choosing a named query opens it at once.
  var menu = document.getElementById("named");
  if (menu) { menu.addEventListener("change", function () { menu.form.submit(); }); }
})();
