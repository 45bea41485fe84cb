// The coverage dashboard's chart (Apache ECharts, served locally): deputies who have and have
// not performed each duty this term. Data from the page's json_script block (CSP: no inline
// script); the counts on the page give the same values as text.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var source = document.getElementById("coverage-chart-data");
    var el = document.querySelector("[data-chart=coverage]");
    if (!source || !el || !window.echarts) { return; }
    var d = JSON.parse(source.textContent);
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    chart.setOption({
      color: ["#198754", "#dc3545"],
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { bottom: 0 },
      grid: { left: 8, right: 16, top: 8, bottom: 36, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", inverse: true, data: d.kinds,
               axisLabel: { width: 120, overflow: "break" } },
      series: [
        { name: d.labels.done, type: "bar", stack: "all", data: d.done, barMaxWidth: 28 },
        { name: d.labels.missing, type: "bar", stack: "all", data: d.missing, barMaxWidth: 28 }
      ]
    });
    el.setAttribute("data-drawn", "true");
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
