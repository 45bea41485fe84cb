// Hot-topics trend chart (Apache ECharts, served locally). The figures come from the page's
// json_script block (CSP: no inline script); the table on the page holds the same words.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var holder = document.getElementById("topics-trend");
    var source = document.getElementById("topics-data");
    if (!holder || !source || typeof echarts === "undefined") { return; }
    var d = JSON.parse(source.textContent);
    var words = Object.keys(d.series);
    if (!words.length) { return; }
    var chart = echarts.init(holder, null, { renderer: "svg" });
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { bottom: 0, type: "scroll" },
      grid: { left: 8, right: 16, top: 16, bottom: 48, containLabel: true },
      xAxis: { type: "category", data: d.months, axisLabel: { hideOverlap: true } },
      yAxis: { type: "value", minInterval: 1 },
      series: words.map(function (w) {
        return { name: w, type: "line", smooth: true, showSymbol: false, data: d.series[w] };
      })
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
