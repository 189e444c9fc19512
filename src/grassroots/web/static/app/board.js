// 统计看板: the comparison bar chart (a bar drills down), the trend, and each chart saved as
// PNG or SVG by ECharts itself (getDataURL), all in the browser.
"use strict";
(function () {
  const data = JSON.parse(document.getElementById("board-data").textContent);
  const L10N = data.labels;
  const options = {};
  const charts = {};

  function chart(id, option) {
    const el = document.getElementById(id);
    if (!el) return null;
    options[id] = Object.assign({ aria: { enabled: true }, animation: false }, option);
    const c = echarts.init(el, null, { renderer: "svg" });
    c.setOption(options[id]);
    window.addEventListener("resize", () => c.resize());
    charts[id] = c;
    return c;
  }

  const bars = chart("board-rank-chart", {
    tooltip: {},
    grid: { left: 110, right: 24, top: 10, bottom: 24 },
    xAxis: { type: "value", max: 100 },
    yAxis: { type: "category", data: data.rows.slice().reverse(), triggerEvent: true },
    series: [{
      name: L10N.value, type: "bar", color: "#1d4f91", cursor: "pointer",
      data: data.values.map((v) => (v === null ? null : Math.round(v * 1000) / 10)).reverse(),
    }],
  });
  if (bars) {
    bars.on("click", (p) => {  // a bar, or a jurisdiction's name on the axis (no bar: no figure)
      const i = p.componentType === "yAxis" ? data.rows.indexOf(p.value) : data.rows.length - 1 - p.dataIndex;
      if (data.links[i]) window.location.assign(data.links[i]);
    });
  }
  chart("board-trend-chart", {
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 40, right: 40, top: 36, bottom: 28 },
    xAxis: { type: "category", data: data.trend.months.map((m) => m.slice(2)) },
    yAxis: [{ type: "value", minInterval: 1 }, { type: "value", max: 100, position: "right" }],
    series: [
      { name: L10N.registered, type: "line", data: data.trend.registered, color: "#1d4f91" },
      { name: L10N.resolved, type: "line", data: data.trend.resolved, color: "#1f6f43" },
      { name: L10N.rate, type: "line", yAxisIndex: 1, data: data.trend.rate, color: "#8a5a00" },
    ],
  });

  // The map: each subordinate jurisdiction coloured by the chosen rate; a click drills down.
  const mapEl = document.getElementById("board-map");
  if (mapEl) (async function () {
    const byCode = {};
    data.codes.forEach((code, i) => { byCode[code] = i; });
    function style(feature) {
      const i = byCode[feature.properties.code];
      const v = i === undefined ? null : data.values[i];
      if (v === null) return { color: "#5c6661", weight: 1, fillColor: "#c8cdca", fillOpacity: 0.5 };
      return { color: "#1f6f43", weight: 1, fillColor: "#1f6f43", fillOpacity: 0.1 + 0.8 * v };
    }
    const map = grMaps.create(mapEl);
    const layer = await grMaps.boundaries(map, mapEl.dataset.boundaries, style, (feature, lyr) => {
      const i = byCode[feature.properties.code];
      if (i === undefined) return;
      const v = data.values[i];
      const shown = v === null ? "—" : (Math.round(v * 1000) / 10) + "%";
      lyr.bindTooltip(grMaps.escapeHtml(data.rows[i]) + ": " + shown);
      lyr.on("click", () => window.location.assign(data.links[i]));
    });
    grMaps.fit(map, layer);
  })();

  function save(id, format) {
    let url;
    if (format === "svg") {
      url = charts[id].getDataURL({ type: "svg" });
    } else {  // PNG: the same option drawn once more on a canvas, off the page
      const size = { width: charts[id].getWidth(), height: charts[id].getHeight() };
      const c = echarts.init(document.createElement("div"), null, Object.assign({ renderer: "canvas" }, size));
      c.setOption(options[id]);
      url = c.getDataURL({ type: "png", pixelRatio: 2, backgroundColor: "#ffffff" });
      c.dispose();
    }
    const a = document.createElement("a");
    a.href = url;
    a.download = id.replace("board-", "") + "-" + data.file + "." + format;
    document.body.appendChild(a);
    a.click();
    a.remove();
  }
  document.querySelectorAll("button[data-export]").forEach((b) => {
    b.addEventListener("click", () => save(b.dataset.export, b.dataset.format));
  });
})();
