// Dashboard behaviour without inline scripts: charts fitted to the printed page, and the
// county matrix crossed with the arrow keys (one Tab stop for the whole matrix).
(function () {
  "use strict";

  function fitCharts() {
    if (!window.Plotly) { return; }
    document.querySelectorAll(".js-plotly-plot").forEach(function (el) { window.Plotly.Plots.resize(el); });
  }
  // Printing lays the page out at paper width: redraw each chart at that width, then again after.
  if (window.matchMedia) {
    window.matchMedia("print").addEventListener("change", fitCharts);
  }
  window.addEventListener("beforeprint", fitCharts);
  window.addEventListener("afterprint", fitCharts);

  function matrixKeys(table) {
    var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr"));
    var grid = rows.map(function (row) {
      return Array.prototype.slice.call(row.querySelectorAll("td a, td .cell"));
    });
    var first = true;
    grid.forEach(function (cells) {
      cells.forEach(function (cell) {
        cell.setAttribute("tabindex", first ? "0" : "-1");
        first = false;
      });
    });
    table.addEventListener("keydown", function (event) {
      var moves = { ArrowRight: [0, 1], ArrowLeft: [0, -1], ArrowDown: [1, 0], ArrowUp: [-1, 0] };
      var move = moves[event.key];
      if (!move) { return; }
      for (var r = 0; r < grid.length; r++) {
        var c = grid[r].indexOf(document.activeElement);
        if (c < 0) { continue; }
        var row = grid[Math.min(Math.max(r + move[0], 0), grid.length - 1)];
        if (!row.length) { return; }
        var target = row[Math.min(Math.max(c + move[1], 0), row.length - 1)];
        document.activeElement.setAttribute("tabindex", "-1");
        target.setAttribute("tabindex", "0");
        target.focus();
        event.preventDefault();
        return;
      }
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("table.matrix").forEach(matrixKeys);
  });
})();
