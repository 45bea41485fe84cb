// Station performance charts (Apache ECharts, served locally). The figures come from the
// page's json_script block (CSP: no inline script); the ranking table holds the same values.
(function () {
  "use strict";
  function pct(v) { return v === null || v === undefined ? "—" : v.toFixed(1) + "%"; }

  function stationsOption(d) {
    var s = d.stations;
    if (!s.names.length) { return null; }
    return {
      color: ["#6c757d", "#0d6efd", "#198754"],
      tooltip: { trigger: "axis" },
      legend: { bottom: 0, type: "scroll" },
      grid: { left: 8, right: 16, top: 16, bottom: 40, containLabel: true },
      yAxis: { type: "category", inverse: true, data: s.names,
               axisLabel: { width: 110, overflow: "truncate" } },
      xAxis: [
        { type: "value", name: d.labels.received, minInterval: 1, position: "top" },
        { type: "value", max: 100, axisLabel: { formatter: "{value}%" }, position: "bottom" }
      ],
      series: [
        { name: d.labels.received, type: "bar", xAxisIndex: 0, data: s.received },
        { name: d.labels.in_time, type: "bar", xAxisIndex: 1, data: s.in_time,
          tooltip: { valueFormatter: pct } },
        { name: d.labels.satisfaction, type: "bar", xAxisIndex: 1, data: s.satisfaction,
          tooltip: { valueFormatter: pct } }
      ]
    };
  }

  function ratingsOption(d) {
    var total = d.ratings.reduce(function (s, r) { return s + r.value; }, 0);
    if (!total) { return null; }
    return {
      color: ["#198754", "#0d6efd", "#dc3545"],
      tooltip: { trigger: "item", formatter: "{b}: {c} ({d}%)" },
      legend: { bottom: 0, type: "scroll" },
      series: [{ type: "pie", radius: ["38%", "65%"], center: ["50%", "45%"],
                 label: { formatter: "{b}\n{d}%" }, data: d.ratings }]
    };
  }

  var builders = { stations: stationsOption, ratings: ratingsOption };

  document.addEventListener("DOMContentLoaded", function () {
    var source = document.getElementById("station-chart-data");
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
      var n = data.stations.names.length;
      if (el.getAttribute("data-chart") === "stations" && n > 6) {
        el.style.height = (100 + n * 44) + "px";  // CSSOM, allowed by the CSP
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
