/* The supervisor's desk: every chart is drawn (Chart.js) from the table under it, so the chart,
   the table and the CSV/XLSX downloads always show the same figures. */
(function () {
  "use strict";
  if (typeof Chart === "undefined") return;

  var palette = ["#1f5fa8", "#e07b1a", "#2e9d5b", "#c23b3b", "#7a4fb5", "#138a94", "#b5a21f", "#8c5a3c"];

  function number(text) {
    var value = parseFloat(String(text).replace(",", "."));
    return isNaN(value) ? 0 : value;
  }

  function draw(canvas) {
    var table = document.querySelector("#" + canvas.dataset.table + " table");
    if (!table) { canvas.parentNode.hidden = true; return; }
    var headers = Array.prototype.map.call(table.tHead.rows[0].cells, function (c) { return c.textContent.trim(); });
    var labelColumns = Number(canvas.dataset.labelColumns || 1);
    var last = headers.length - (canvas.dataset.skipLast === "1" ? 1 : 0);
    var columns = canvas.dataset.columns
      ? canvas.dataset.columns.split(",").map(Number)
      : headers.map(function (_h, i) { return i; }).filter(function (i) { return i >= labelColumns && i < last; });
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var labels = rows.map(function (row) {
      var parts = [];
      for (var i = 0; i < labelColumns; i++) parts.push(row.cells[i].textContent.trim());
      var label = parts.join(" · ");
      return label.length > 48 ? label.slice(0, 47) + "…" : label;
    });
    var kind = canvas.dataset.chart;
    var datasets = columns.map(function (index, n) {
      return {
        label: headers[index],
        data: rows.map(function (row) { return number(row.cells[index].textContent); }),
        backgroundColor: palette[n % palette.length],
        borderColor: palette[n % palette.length],
        tension: 0.2,
      };
    });
    var stacked = kind === "bar-stacked" || kind === "hbar-stacked";
    var horizontal = kind === "hbar-stacked";
    var counts = { stacked: stacked, beginAtZero: true, ticks: { precision: 0 } };
    var names = { stacked: stacked, ticks: { autoSkip: false } };
    new Chart(canvas, {
      type: kind === "line" ? "line" : "bar",
      data: { labels: labels, datasets: datasets },
      options: {
        animation: false,
        maintainAspectRatio: false,
        indexAxis: horizontal ? "y" : "x",
        plugins: { legend: { position: "bottom" } },
        scales: horizontal ? { x: counts, y: names } : { x: names, y: counts },
      },
    });
  }

  document.querySelectorAll("canvas[data-chart]").forEach(draw);
})();
