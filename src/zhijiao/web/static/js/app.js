// zhijiao: draws every chart of a page from its JSON options (no inline script: the CSP forbids it),
// again after htmx swaps new content in, and keeps charts sized to their boxes.
(function () {
  "use strict";
  function drawCharts(root) {
    if (typeof echarts === "undefined") { return; }
    root.querySelectorAll("[data-chart]").forEach(function (box) {
      var source = document.getElementById(box.getAttribute("data-chart"));
      if (!source) { return; }
      var chart = echarts.getInstanceByDom(box) || echarts.init(box, null, { renderer: "svg" });
      chart.setOption(JSON.parse(source.textContent), true);
      box.setAttribute("data-chart-drawn", "true");
    });
  }
  document.addEventListener("DOMContentLoaded", function () { drawCharts(document); });
  document.addEventListener("htmx:afterSettle", function (event) { drawCharts(event.target); });
  window.addEventListener("resize", function () {
    document.querySelectorAll("[data-chart-drawn]").forEach(function (box) {
      var chart = echarts.getInstanceByDom(box);
      if (chart) { chart.resize(); }
    });
  });
})();
