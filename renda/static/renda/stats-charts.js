// Suggestion statistics charts (Apache ECharts, served locally). The figures come from the
// page's json_script block (CSP: no inline script); the tables on the page hold the same values.
(function () {
  "use strict";
  function pct(v) { return v === null || v === undefined ? "—" : v.toFixed(1) + "%"; }

  function ratingsOption(d) {
    var total = d.ratings.reduce(function (s, r) { return s + r.value; }, 0);
    if (!total) { return null; }
    return {
      color: ["#198754", "#0d6efd", "#dc3545", "#adb5bd"],
      tooltip: { trigger: "item", formatter: "{b}: {c} ({d}%)" },
      legend: { bottom: 0, type: "scroll" },
      series: [{
        type: "pie", radius: ["38%", "65%"], center: ["50%", "45%"],
        avoidLabelOverlap: true, label: { formatter: "{b}\n{d}%" },
        data: d.ratings
      }]
    };
  }

  function unitsOption(d) {
    if (!d.units.names.length) { return null; }
    return {
      color: ["#0d6efd", "#198754"],
      tooltip: { trigger: "axis", valueFormatter: pct },
      legend: { bottom: 0 },
      grid: { left: 8, right: 16, top: 16, bottom: 40, containLabel: true },
      xAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
      yAxis: { type: "category", inverse: true, data: d.units.names,
               axisLabel: { width: 110, overflow: "truncate" } },
      series: [
        { name: d.labels.on_time, type: "bar", data: d.units.on_time },
        { name: d.labels.satisfaction, type: "bar", data: d.units.satisfaction }
      ]
    };
  }

  function trendOption(d) {
    if (!d.trend.names.length) { return null; }
    return {
      color: ["#6c757d", "#0d6efd", "#198754"],
      tooltip: { trigger: "axis" },
      legend: { bottom: 0, type: "scroll" },
      grid: { left: 8, right: 8, top: 40, bottom: 40, containLabel: true },
      xAxis: { type: "category", data: d.trend.names },
      yAxis: [
        { type: "value", name: d.labels.received, minInterval: 1 },
        { type: "value", max: 100, axisLabel: { formatter: "{value}%" } }
      ],
      series: [
        { name: d.labels.received, type: "bar", data: d.trend.received, barMaxWidth: 40 },
        { name: d.labels.on_time, type: "line", yAxisIndex: 1, data: d.trend.on_time,
          connectNulls: true, tooltip: { valueFormatter: pct } },
        { name: d.labels.satisfaction, type: "line", yAxisIndex: 1, data: d.trend.satisfaction,
          connectNulls: true, tooltip: { valueFormatter: pct } }
      ]
    };
  }

  var builders = { ratings: ratingsOption, units: unitsOption, trend: trendOption };

  document.addEventListener("DOMContentLoaded", function () {
    var source = document.getElementById("stats-chart-data");
    if (!source || !window.echarts) { return; }
    var data = JSON.parse(source.textContent);
    var charts = [];
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var build = builders[el.getAttribute("data-chart")];
      var option = build ? build(data) : null;
      if (!option) {
        el.classList.add("stats-chart-empty");
        el.textContent = data.labels.empty;
        el.removeAttribute("role");
        return;
      }
      var units = data.units.names.length;
      if (el.getAttribute("data-chart") === "units" && units > 8) {
        el.style.height = (80 + units * 36) + "px";  // CSSOM, allowed by the CSP
      }
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
