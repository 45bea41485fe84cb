// A deputy's performance portrait (DEP-SCORE): points by kind of duty (bars) and the total year
// by year (line), drawn with Apache ECharts served locally. The figures come from the page's
// json_script block (CSP: no inline script); the tables on the page hold the same values.
(function () {
  "use strict";

  function kindsOption(d) {
    if (!d.kinds.names.length) { return null; }
    return {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value" },
      yAxis: { type: "category", inverse: true, data: d.kinds.names,
               axisLabel: { width: 140, overflow: "truncate" } },
      series: [{
        name: d.labels.points, type: "bar", barMaxWidth: 22,
        label: { show: true, position: "right" },
        data: d.kinds.points.map(function (v) {
          return { value: v, itemStyle: { color: v < 0 ? "#dc3545" : "#0d6efd" } };
        })
      }]
    };
  }

  function yearsOption(d) {
    if (!d.years.names.length) { return null; }
    var marks = d.bands.map(function (b) {
      return { yAxis: b.min, name: b.name,
               label: { position: "insideStartTop", formatter: b.name + " ≥ " + b.min } };
    });
    return {
      color: ["#a8071a"],
      tooltip: { trigger: "axis" },
      grid: { left: 8, right: 24, top: 24, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: d.years.names, boundaryGap: d.years.names.length < 2 },
      // Up to the table's highest total, so every band's line is in sight.
      yAxis: { type: "value", min: 0,
               max: d.max ? Math.max(d.max, Math.max.apply(null, d.years.totals)) : null },
      series: [{
        name: d.labels.total, type: "line", data: d.years.totals, symbolSize: 8,
        label: { show: true, position: "top" },
        markLine: { silent: true, symbol: "none", lineStyle: { type: "dashed", color: "#6c757d" },
                    data: marks }
      }]
    };
  }

  var builders = { kinds: kindsOption, years: yearsOption };

  document.addEventListener("DOMContentLoaded", function () {
    var source = document.getElementById("score-chart-data");
    if (!source || !window.echarts) { return; }
    var data = JSON.parse(source.textContent);
    if (!data) { return; }
    var charts = [];
    document.querySelectorAll("[data-score-chart]").forEach(function (el) {
      var build = builders[el.getAttribute("data-score-chart")];
      var option = build ? build(data) : null;
      if (!option) { el.classList.add("stats-chart-empty"); el.removeAttribute("role"); return; }
      var chart = window.echarts.init(el, null, { renderer: "canvas" });
      chart.setOption(option);
      el.setAttribute("data-drawn", "true");
      charts.push(chart);
    });
    window.addEventListener("resize", function () {
      charts.forEach(function (c) { c.resize(); });
    });
  });
})();
