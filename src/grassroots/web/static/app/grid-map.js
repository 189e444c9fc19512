// The 网格地图 page: grids of the user's jurisdiction, open cases as markers, tree → zoom.
"use strict";
(async function () {
  const el = document.getElementById("grid-map");
  if (!el) return;
  const map = grMaps.create(el);
  const byCode = {};
  // The popup of a grid: who serves it today (fetched when opened) and a link to its page.
  const gridPopup = (p) => {
    const box = document.createElement("div");
    const link = '<a href="/grids/' + encodeURIComponent(p.code) + '">' + grMaps.escapeHtml(p.name) + "</a>";
    box.innerHTML = link + "<br>…";
    fetch("/api/v1/grids/" + encodeURIComponent(p.code) + "/posts", { credentials: "same-origin" })
      .then((r) => (r.ok ? r.json() : null))
      .then((data) => {
        if (!data) { box.innerHTML = link; return; }
        const label = { leader: el.dataset.labelLeader, worker: el.dataset.labelWorker };
        const rows = data.serving.map((s) => grMaps.escapeHtml(label[s.kind]) + ": " + grMaps.escapeHtml(s.display_name));
        box.innerHTML = link + "<br>" + (rows.length ? rows.join("<br>") : grMaps.escapeHtml(el.dataset.labelVacant));
      });
    return box;
  };
  const grids = await grMaps.boundaries(map, el.dataset.grids,
    () => ({ color: "#1f6f43", weight: 1, fillColor: "#cfe3d6", fillOpacity: 0.35 }),
    (feature, layer) => {
      const p = feature.properties;
      byCode[p.code] = layer;
      layer.bindTooltip(grMaps.escapeHtml(p.name));
      layer.bindPopup(() => gridPopup(p));
    });
  grMaps.fit(map, grids);
  const response = await fetch(el.dataset.cases, { credentials: "same-origin" });
  if (response.ok) {
    L.geoJSON(await response.json(), {
      pointToLayer: grMaps.caseMarker,
      onEachFeature: (f, layer) => layer.bindPopup(
        '<a href="/cases/' + encodeURIComponent(f.properties.code) + '">' +
        grMaps.escapeHtml(f.properties.code) + "</a><br>" + grMaps.escapeHtml(f.properties.title)),
    }).addTo(map);
  }
  document.querySelectorAll(".tree-node").forEach((a) => a.addEventListener("click", (ev) => {
    ev.preventDefault();
    let prefix = a.dataset.code;
    while (prefix.length > 6 && prefix.endsWith("000")) prefix = prefix.slice(0, -3);
    const group = L.featureGroup(Object.keys(byCode).filter((c) => c.startsWith(prefix)).map((c) => byCode[c]));
    if (group.getLayers().length) map.fitBounds(group.getBounds(), { padding: [8, 8] });
  }));
})();
