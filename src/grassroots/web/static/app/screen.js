// 指挥中心大屏: the picture from /screen/events (server-sent events), redrawn on each
// snapshot; reconnects by itself. Every text goes in through textContent.
"use strict";
(function () {
  const body = document.getElementById("screen");
  const msg = (key) => body.dataset["msg" + key[0].toUpperCase() + key.slice(1)] || "";
  const status = document.getElementById("screen-status");
  const el = document.getElementById("screen-map");
  const map = grMaps.create(el);
  const markers = new Map(); // case id → circle marker
  let first = true;
  let drawn = new Set(); // the ids listed in the feed last time
  let grids = null;

  function gridStyle() {
    return { color: "#4fa3c7", weight: 1.5, fillColor: "#163a50", fillOpacity: 0.45 };
  }
  grMaps.boundaries(map, body.dataset.check, gridStyle).then((layer) => {
    grids = layer;
    grMaps.fit(map, layer);
  });

  function item(parts, fresh) {
    const li = document.createElement("li");
    for (const [text, cls] of parts) {
      const span = document.createElement("span");
      span.textContent = text;
      if (cls) span.className = cls;
      li.append(span, " ");
    }
    if (fresh) li.classList.add("is-new");
    return li;
  }

  function fill(list, items, empty) {
    list.replaceChildren(...(items.length ? items : [item([[empty, "muted"]], false)]));
  }

  function drawCases(cases) {
    const seen = new Set();
    for (const c of cases) {
      seen.add(c.id);
      if (markers.has(c.id) || c.lat === null) continue;
      const m = L.circleMarker([c.lat, c.lng], {
        radius: 9, color: "#ffffff", weight: 2, fillColor: "#ffb020", fillOpacity: 0.95,
        className: first ? "screen-case" : "screen-case is-new",
      }).addTo(map);
      markers.set(c.id, m);
    }
    for (const [id, m] of markers) if (!seen.has(id)) { m.remove(); markers.delete(id); }
    const feed = cases.slice(0, 12).map((c) =>
      item([[c.at, "muted"], [c.category, ""]], !first && !drawn.has(c.id)));
    fill(document.getElementById("screen-feed"), feed, msg("noCase"));
    drawn = new Set(cases.map((c) => c.id));
  }

  function alertItem(a) {
    const why = a.risk ? [msg("risk"), "tag-risk"] : [msg("overdue").replace("{n}", a.days_over), "tag-overdue"];
    return item([why, [a.category, ""], [a.place, "muted"], [a.code, "muted"]], false);
  }

  function show(data) {
    for (const [key, value] of Object.entries(data.counters)) {
      const node = document.getElementById("counter-" + key);
      if (node) node.textContent = String(value);
    }
    drawCases(data.cases);
    fill(document.getElementById("screen-alerts"), data.alerts.map(alertItem), msg("none"));
    body.className = body.className.replace(/preset-\w+/, "preset-" + data.preset);
    document.getElementById("screen-at").textContent = data.at;
    if (grids === null) map.invalidateSize();
    first = false;
  }

  // The alerts roll: every few seconds the first goes to the end.
  setInterval(() => {
    const list = document.getElementById("screen-alerts");
    if (list.children.length > 4) list.append(list.firstElementChild);
  }, 6000);

  let source = null;
  function connect() {
    source = new EventSource(body.dataset.events);
    source.addEventListener("open", () => { status.textContent = msg("live"); });
    source.addEventListener("snapshot", (e) => show(JSON.parse(e.data)));
    source.addEventListener("revoked", () => window.location.reload());
    source.addEventListener("error", () => {
      status.textContent = msg("waiting");
      if (source.readyState === EventSource.CLOSED) setTimeout(recheck, 3000);
    });
  }
  // A stream the browser gave up on (an HTTP error, not a dropped connection): reload on
  // 401 (revoked: the pairing form), otherwise open a new one.
  async function recheck() {
    try {
      const r = await fetch(body.dataset.check, { credentials: "same-origin" });
      if (r.status === 401) { window.location.reload(); return; }
    } catch (err) { /* the server is down: try again */ }
    connect();
  }
  window.addEventListener("resize", () => map.invalidateSize());
  connect();
})();
