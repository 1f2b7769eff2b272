// Small behaviours of the pages, kept out of the HTML for the Content Security Policy.
(function () {
  "use strict";
  // A year chooser submits its form as soon as a year is picked (a button stays for no-JS).
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () {
      select.form.submit();
    });
  });
})();
