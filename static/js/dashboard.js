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

// A chart point that carries a page address (the county map) opens that page when clicked.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  // A county's shape is a filled trace whose data carries its page's address: a click inside
  // the shape opens it (the click's position is turned into map coordinates and tested
  // against each shape, so it works wherever plotly shows or hides its hover labels).
  function inside(x, y, xs, ys) {
    var crossings = 0;
    for (var i = 0, j = xs.length - 1; i < xs.length; j = i++) {
      if ((ys[i] > y) !== (ys[j] > y) && x < (xs[j] - xs[i]) * (y - ys[i]) / (ys[j] - ys[i]) + xs[i]) {
        crossings++;
      }
    }
    return crossings % 2 === 1;
  }
  document.querySelectorAll(".js-plotly-plot").forEach(function (chart) {
    var linked = (chart.data || []).some(function (t) { return t.fill === "toself" && t.customdata; });
    if (!linked) { return; }
    chart.style.cursor = "pointer";
    // Plotly covers the page while a button is down, so the click itself never reaches the
    // chart: a press and release at the same spot is taken as the click.
    var down = null;
    function open(x0, y0) {
      var layout = chart._fullLayout;
      var area = chart.querySelector(".nsewdrag");
      if (!layout || !area) { return; }
      var box = area.getBoundingClientRect();
      var x = layout.xaxis.p2l(x0 - box.left);
      var y = layout.yaxis.p2l(y0 - box.top);
      var hit = chart.data.filter(function (t) {
        return t.fill === "toself" && t.customdata && t.customdata[0] && inside(x, y, t.x, t.y);
      })[0];
      if (hit) { window.location.href = hit.customdata[0]; }
    }
    chart.addEventListener("pointerdown", function (event) { down = [event.clientX, event.clientY]; }, true);
    document.addEventListener("pointerup", function (event) {
      if (down && Math.abs(event.clientX - down[0]) < 5 && Math.abs(event.clientY - down[1]) < 5) {
        open(event.clientX, event.clientY);
      }
      down = null;
    }, true);
  });
  // Tables marked sortable: a click (or Enter) on a header sorts by that column.
  document.querySelectorAll("table.sortable").forEach(function (table) {
    var headers = table.querySelectorAll("thead th");
    headers.forEach(function (th, column) {
      th.setAttribute("tabindex", "0");
      th.setAttribute("aria-sort", "none");
      function sort() {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        var numeric = th.getAttribute("data-sort") === "number";
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[column].textContent.trim();
          var y = b.cells[column].textContent.trim();
          var order = numeric ? parseFloat(x) - parseFloat(y) : x.localeCompare(y, "zh-Hans-CN");
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
        headers.forEach(function (other) { other.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") { event.preventDefault(); sort(); }
      });
    });
  });
});
