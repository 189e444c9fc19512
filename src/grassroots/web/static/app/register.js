// 事件登记: clicking the map (or typing coordinates) places the point; htmx shows its grid.
"use strict";
(async function () {
  const el = document.getElementById("register-map");
  if (!el) return;
  const lat = document.getElementById("f-lat");
  const lng = document.getElementById("f-lng");
  const map = grMaps.create(el);
  let marker = null;

  function place(latlng) {
    if (marker) marker.setLatLng(latlng);
    else marker = L.marker(latlng, { keyboard: false, alt: "" }).addTo(map);
  }

  // The point typed so far, or null until both coordinates are numbers within range.
  function point() {
    const a = parseFloat(lat.value), b = parseFloat(lng.value);
    const ok = Number.isFinite(a) && Number.isFinite(b) && Math.abs(a) <= 90 && Math.abs(b) <= 180;
    return ok && lat.validity.valid && lng.validity.valid ? [a, b] : null;
  }

  // Which grid the point lies in: asked once per point, only when both coordinates are
  // valid, and only after typing has paused (no request per keystroke, none half-typed).
  const located = document.getElementById("located");
  let asked = "", timer = 0;
  function lookUp() {
    const p = point();
    if (!p) return;
    const query = "lat=" + encodeURIComponent(lat.value) + "&lng=" + encodeURIComponent(lng.value);
    if (query === asked) return;
    asked = query;
    htmx.ajax("GET", located.dataset.locate + "?" + query, { target: "#located", swap: "innerHTML" });
  }
  function fromInputs() {
    const p = point();
    if (p) place(p);
    clearTimeout(timer);
    timer = setTimeout(lookUp, 400);
  }

  map.on("click", (ev) => {
    lat.value = ev.latlng.lat.toFixed(6);
    lng.value = ev.latlng.lng.toFixed(6);
    place(ev.latlng);
    clearTimeout(timer);
    lookUp();
  });
  for (const input of [lat, lng]) {
    input.addEventListener("input", fromInputs);
    input.addEventListener("change", fromInputs);
  }

  // One more party row (ready before the map's boundaries load, which may be slow): copy the last fieldset, renumber its fields, clear them.
  document.getElementById("add-party").addEventListener("click", () => {
    const rows = document.querySelectorAll("#parties fieldset.party");
    const last = rows[rows.length - 1];
    const index = rows.length;
    const copy = last.cloneNode(true);
    copy.dataset.index = String(index);
    copy.querySelector("legend").textContent = copy.querySelector("legend").textContent.replace(/\d+$/, String(index + 1));
    copy.querySelectorAll("[name], [for], [id]").forEach((node) => {
      for (const attr of ["name", "for", "id"]) {
        const v = node.getAttribute(attr);
        if (v) node.setAttribute(attr, v.replace(/party-\d+-/, "party-" + index + "-"));
      }
      if (node.tagName === "INPUT") node.value = "";
      node.removeAttribute("aria-invalid");
      node.removeAttribute("aria-describedby");
    });
    copy.querySelectorAll(".help.is-danger").forEach((n) => n.remove());
    last.after(copy);
    copy.querySelector("input").focus();
  });

  const grids = await grMaps.boundaries(map, el.dataset.grids,
    () => ({ color: "#1f6f43", weight: 1, fillColor: "#cfe3d6", fillOpacity: 0.3 }),
    (feature, layer) => {
      layer.bindTooltip(grMaps.escapeHtml(feature.properties.name), { sticky: true });
      layer.on("click", (ev) => map.fire("click", ev));
    });
  grMaps.fit(map, grids);
  const start = point();
  if (start) {  // the form came back with a point: the page already shows its grid
    place(start);
    asked = "lat=" + encodeURIComponent(lat.value) + "&lng=" + encodeURIComponent(lng.value);
  }
  if (marker) map.setView(marker.getLatLng(), Math.max(map.getZoom(), 13));

})();
