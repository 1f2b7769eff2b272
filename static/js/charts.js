// Draws every chart whose figure the page carries as JSON (lvliang_eco/charts.py). No inline
// script: the Content Security Policy lets scripts run from /static/ only.
(function () {
  "use strict";
  var config = { displayModeBar: false, responsive: true };
  document.querySelectorAll("script.js-chart-figure").forEach(function (data) {
    var target = document.getElementById(data.getAttribute("data-target"));
    var figure = JSON.parse(data.textContent);
    if (target) {
      Plotly.newPlot(target, figure.data, figure.layout, config);
    }
  });
  // Charts are drawn as the page is parsed; once the layout is final, fit each to its box.
  window.addEventListener("load", function () {
    document.querySelectorAll(".js-plotly-plot").forEach(function (el) {
      Plotly.Plots.resize(el);
    });
  });
})();
