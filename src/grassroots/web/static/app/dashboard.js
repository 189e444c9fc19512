// 工作台: charts (ECharts) and the grid map coloured by open/overdue cases (Leaflet).
"use strict";
(function () {
  const data = JSON.parse(document.getElementById("dashboard-data").textContent);
  const L10N = data.labels;

  function chart(id, option) {
    const el = document.getElementById(id);
    if (!el) return;
    const c = echarts.init(el, null, { renderer: "svg" });
    c.setOption(Object.assign({ aria: { enabled: true }, animation: false }, option));
    window.addEventListener("resize", () => c.resize());
  }

  if (data.trend.months) {
    chart("trend-chart", {
      tooltip: { trigger: "axis" },
      legend: { top: 0, data: [L10N.registered, L10N.resolved] },
      grid: { left: 40, right: 16, top: 36, bottom: 28 },
      xAxis: { type: "category", data: data.trend.months.map((m) => m.slice(2)) },
      yAxis: { type: "value", minInterval: 1 },
      series: [
        { name: L10N.registered, type: "line", data: data.trend.registered, color: "#1d4f91" },
        { name: L10N.resolved, type: "line", data: data.trend.resolved, color: "#1f6f43" },
      ],
    });
  }
  if (!data.categories.length) {
    document.getElementById("category-chart").textContent = L10N.empty;
  } else chart("category-chart", {
    tooltip: {},
    grid: { left: 110, right: 16, top: 10, bottom: 24 },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", data: data.categories.map((c) => c[0]).reverse() },
    series: [{ name: L10N.cases, type: "bar", data: data.categories.map((c) => c[1]).reverse(), color: "#1f6f43" }],
  });

  const el = document.getElementById("dashboard-map");
  if (!el) return;
  (async function () {
    const map = grMaps.create(el);
    const counts = await (await fetch(el.dataset.counts, { credentials: "same-origin" })).json();
    function style(feature) {
      const c = counts[feature.properties.code];
      const fill = !c ? "#ffffff" : c.overdue ? "#b42318" : "#1f6f43";
      const opacity = !c ? 0.4 : Math.min(0.35 + 0.15 * c.open, 0.85);
      return { color: "#1f6f43", weight: 1, fillColor: fill, fillOpacity: opacity };
    }
    const layer = await grMaps.boundaries(map, el.dataset.grids, style, (feature, lyr) => {
      const p = feature.properties;
      const c = counts[p.code] || { open: 0, overdue: 0 };
      lyr.bindTooltip(grMaps.escapeHtml(p.name) + ": " + c.open + " " + L10N.open + ", " + c.overdue + " " + L10N.overdue);
      lyr.on("click", () => htmx.ajax("GET", "/cases/grid/" + encodeURIComponent(p.code), "#grid-cases"));
    });
    grMaps.fit(map, layer);
  })();
})();
