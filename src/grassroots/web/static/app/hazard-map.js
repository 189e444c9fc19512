// The 边界隐患 map: each hazard's area (polygon) or point, coloured by risk; a popup with its
// name (as text, never as markup) and a link to its page. data-focus: zoom to one hazard.
"use strict";
(async function () {
  const el = document.getElementById("hazard-map");
  if (!el) return;
  const map = grMaps.create(el);
  const RISK = { high: "#b42318", medium: "#b7791f", low: "#1f6f43" };
  const popup = (p) => {
    const box = document.createElement("div");
    const link = document.createElement("a");
    link.href = "/border/hazards/" + encodeURIComponent(p.id);
    link.textContent = p.name;
    const risk = document.createElement("div");
    risk.textContent = el.dataset["label" + p.risk.charAt(0).toUpperCase() + p.risk.slice(1)] || p.risk;
    box.append(link, risk);
    return box;
  };
  const response = await fetch(el.dataset.hazards, { credentials: "same-origin" });
  if (!response.ok) return;
  const focus = el.dataset.focus || "";
  let focused = null;
  const layer = L.geoJSON(await response.json(), {
    style: (f) => ({ color: RISK[f.properties.risk] || "#5c6661", weight: 2, fillOpacity: 0.25 }),
    pointToLayer: (f, latlng) => L.circleMarker(latlng, {
      radius: 8, color: "#fff", weight: 2, fillColor: RISK[f.properties.risk] || "#5c6661", fillOpacity: 0.95,
    }),
    onEachFeature: (f, l) => {
      l.bindPopup(() => popup(f.properties));
      if (String(f.properties.id) === focus) focused = l;
    },
  }).addTo(map);
  if (focused) {
    if (focused.getBounds) map.fitBounds(focused.getBounds(), { padding: [16, 16], maxZoom: 15 });
    else map.setView(focused.getLatLng(), 14);
  } else {
    grMaps.fit(map, layer);
  }
})();
