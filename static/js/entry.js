// The entry form: Enter moves to the next field (as in a spreadsheet) instead of sending the
// form; the save button sends it. Tab works as usual.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var form = document.getElementById("entry-form");
  if (!form) { return; }
  var fields = Array.prototype.slice.call(
    form.querySelectorAll("input[type=text]:not([disabled]), select:not([disabled])")
  );
  form.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || event.target.tagName === "BUTTON") { return; }
    var index = fields.indexOf(event.target);
    if (index < 0) { return; }
    event.preventDefault();
    var next = fields[index + 1];
    if (next) { next.focus(); if (next.select) { next.select(); } }
  });
  // The first field with an error gets the focus, so its message is read at once.
  var invalid = form.querySelector("[aria-invalid=true]");
  if (invalid) { invalid.focus(); }
});
