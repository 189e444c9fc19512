// grassroots maps: Leaflet on a plain background unless the deployment configures tiles.
"use strict";
window.grMaps = (function () {
  const LIGHT_COLOURS = { green: "#1f6f43", yellow: "#b7791f", red: "#b42318", none: "#5c6661" };

  function create(el) {
    const tileUrl = el.dataset.tileUrl || "";
    const map = L.map(el, { zoomSnap: 0.25, attributionControl: Boolean(tileUrl) });
    if (tileUrl) {
      L.tileLayer(tileUrl, { attribution: el.dataset.tileAttribution || "", maxZoom: 18 }).addTo(map);
    }
    map.setView([30.6, 112.4], 10);
    return map;
  }

  async function boundaries(map, url, style, onEach) {
    const response = await fetch(url, { credentials: "same-origin" });
    if (!response.ok) return null;
    const data = await response.json();
    const layer = L.geoJSON(data, { style: style, onEachFeature: onEach }).addTo(map);
    return layer;
  }

  function fit(map, layer) {
    if (layer && layer.getLayers().length) map.fitBounds(layer.getBounds(), { padding: [8, 8] });
  }

  function caseMarker(feature, latlng) {
    const colour = LIGHT_COLOURS[feature.properties.light] || LIGHT_COLOURS.none;
    return L.circleMarker(latlng, {
      radius: 7, color: "#fff", weight: 2, fillColor: colour, fillOpacity: 0.95,
    });
  }

  function escapeHtml(text) {
    const div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  }

  // Grid boundaries drawn to be read without a base map: a clear line, a light fill.
  function gridStyle() {
    return { color: "#1f6f43", weight: 2, fillColor: "#cfe3d6", fillOpacity: 0.3 };
  }

  return { create, boundaries, fit, caseMarker, escapeHtml, gridStyle, LIGHT_COLOURS };
})();
