// 事件登记: "locate me" (the browser's position), or a click on the map / typed coordinates
// under 手动定位, places the point; htmx shows its township, village and grid at once.
"use strict";
(function () {
  const el = document.getElementById("register-map");
  if (!el) return;
  const lat = document.getElementById("f-lat");
  const lng = document.getElementById("f-lng");
  const manual = document.getElementById("manual-place");
  let map = null, marker = null, grids = null;

  function place(latlng) {
    if (!map) return;
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
    if (!navigator.onLine) { locateHere(p); return; }
    const query = "lat=" + encodeURIComponent(lat.value) + "&lng=" + encodeURIComponent(lng.value);
    if (query === asked) return;
    asked = query;
    htmx.ajax("GET", located.dataset.locate + "?" + query, { target: "#located", swap: "innerHTML" });
  }
  // With no signal: the grid from the boundaries kept on the phone (sw.js), by ray casting.
  function inRing(ring, x, y) {
    let inside = false;
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i], [xj, yj] = ring[j];
      if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
    return inside;
  }
  function inGeometry(g, x, y) {
    const polygons = g.type === "Polygon" ? [g.coordinates] : g.type === "MultiPolygon" ? g.coordinates : [];
    return polygons.some((rings) => inRing(rings[0], x, y) && !rings.slice(1).some((h) => inRing(h, x, y)));
  }
  async function locateHere(p) {
    let found = null;
    try {
      const data = await (await fetch(el.dataset.grids, { credentials: "same-origin" })).json();
      found = data.features.find((f) => f.geometry && inGeometry(f.geometry, p[1], p[0]));
    } catch (e) { found = null; }
    const line = document.createElement("p");
    line.className = "located" + (found ? " has-text-success-dark" : "");
    line.setAttribute("role", "status");
    if (found) {
      const strong = document.createElement("strong");
      strong.textContent = found.properties.name;
      line.append(located.dataset.msgOffline, strong);
    } else line.textContent = located.dataset.msgOfflineNone;
    located.replaceChildren(line);
    asked = "";
  }
  function fromInputs() {
    const p = point();
    if (p) place(p);
    clearTimeout(timer);
    timer = setTimeout(lookUp, 400);
  }
  function setPoint(a, b) {
    lat.value = a.toFixed(6);
    lng.value = b.toFixed(6);
    place([a, b]);
    clearTimeout(timer);
    lookUp();
  }
  for (const input of [lat, lng]) {
    input.addEventListener("input", fromInputs);
    input.addEventListener("change", fromInputs);
  }

  // The map is made when 手动定位 is first opened (Leaflet needs a visible box).
  async function showMap() {
    if (map) { map.invalidateSize(); return; }
    map = grMaps.create(el);
    map.on("click", (ev) => setPoint(ev.latlng.lat, ev.latlng.lng));
    grids = await grMaps.boundaries(map, el.dataset.grids, grMaps.gridStyle,
      (feature, layer) => {
        layer.bindTooltip(grMaps.escapeHtml(feature.properties.name), { sticky: true });
        layer.on("click", (ev) => map.fire("click", ev));
      });
    grMaps.fit(map, grids);
    const start = point();
    if (start) {  // the form came back with a point, or "locate me" set one
      place(start);
      asked = asked || "lat=" + encodeURIComponent(lat.value) + "&lng=" + encodeURIComponent(lng.value);
      map.setView(start, Math.max(map.getZoom(), 13));
    }
  }
  manual.addEventListener("toggle", () => { if (manual.open) showMap(); });
  if (manual.open) showMap();

  // 定位到我的位置: one press; the accuracy is shown, the place resolved at once.
  const me = document.getElementById("locate-me");
  const status = document.getElementById("locate-status");
  if (navigator.geolocation) {
    me.hidden = false;
    me.addEventListener("click", () => {
      status.textContent = status.dataset.msgAsking;
      navigator.geolocation.getCurrentPosition((pos) => {
        const metres = Math.round(pos.coords.accuracy || 0);
        status.textContent = status.dataset.msgAccuracy.replace("{m}", String(metres));
        setPoint(pos.coords.latitude, pos.coords.longitude);
        if (map) map.setView([pos.coords.latitude, pos.coords.longitude], 15);
      }, () => {
        status.textContent = status.dataset.msgFailed;
        manual.open = true;
      }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
    });
  }

  // The category picker: typing narrows the list and picks the first match.
  const search = document.getElementById("category-search");
  const select = document.getElementById("f-category_code");
  if (search && select) {
    search.closest(".category-search").hidden = false;
    search.addEventListener("input", () => {
      const words = search.value.trim().toLowerCase();
      let first = null;
      for (const option of select.options) {
        if (!option.value) continue;
        const match = !words || option.text.toLowerCase().includes(words) || option.value.includes(words);
        option.hidden = !match;
        if (match && !first) first = option;
      }
      const chosen = select.selectedOptions[0];
      if (words && first && (!chosen || !chosen.value || chosen.hidden)) select.value = first.value;
    });
  }

  // One more party row: copy the last fieldset, renumber its fields, clear them.
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
})();
