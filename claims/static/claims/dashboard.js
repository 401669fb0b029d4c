// Draws each dashboard chart from the table beside it, so the numbers exist once, in the page's HTML:
// a canvas names its table (data-chart-table); the table's row headers are the labels and each
// numeric column, named by its header, is a data set. Without JavaScript the tables still show all.
"use strict";

function tableData(table) {
  const headers = Array.from(table.tHead.rows[0].cells).slice(1);
  const rows = Array.from(table.tBodies[0].rows);
  return {
    labels: rows.map((row) => row.cells[0].textContent.trim()),
    datasets: headers.map((header, column) => ({
      label: header.textContent.trim(),
      data: rows.map((row) => Number(row.cells[column + 1].textContent.trim())),
    })),
  };
}

function drawChart(canvas) {
  const table = document.getElementById(canvas.dataset.chartTable);
  if (!table) {
    return;
  }
  const data = tableData(table);
  const stacked = "chartStacked" in canvas.dataset;
  new window.Chart(canvas, {
    type: canvas.dataset.chartKind || "bar",
    data: data,
    options: {
      animation: false,
      maintainAspectRatio: false,
      plugins: { legend: { display: data.datasets.length > 1 } },
      scales: {
        x: { stacked: stacked },
        y: { stacked: stacked, beginAtZero: true, ticks: { precision: 0 } },
      },
    },
  });
}

document.addEventListener("DOMContentLoaded", () => {
  if (!window.Chart) {
    return; // the vendored Chart.js did not load: the tables carry the numbers
  }
  document.querySelectorAll("canvas[data-chart-table]").forEach(drawChart);
});
