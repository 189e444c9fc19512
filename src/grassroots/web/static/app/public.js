// The residents' report page (grassroots.residents): my location, a place picked on the
// map, and the proof of work the server asks for before it takes a report (docs/public.md:
// find a nonce so that SHA-256("<challenge>:<nonce>") starts with `bits` zero bits). The
// photos are made smaller on the phone first (photos.js, as the staff field form does:
// at most data-max-side pixels, redrawn as JPEG, so their EXIF place and time are gone).
"use strict";
(function () {
  const form = document.getElementById("public-report-form");
  if (!form) return;
  const lat = document.getElementById("pr-lat");
  const lng = document.getElementById("pr-lng");
  const where = document.getElementById("pr-location-status");
  const proof = document.getElementById("pr-proof");
  const status = document.getElementById("pr-proof-status");
  const button = document.getElementById("submit-report");
  let map = null;
  let marker = null;

  // SHA-256 (FIPS 180-4) of an ASCII string: synchronous, so the search needs no promise
  // per try, and it works where crypto.subtle does not (plain http inside a county LAN).
  const K = new Uint32Array([
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
  ]);
  const W = new Uint32Array(64);

  function rotr(x, n) { return (x >>> n) | (x << (32 - n)); }

  function sha256(text) {
    const n = text.length;
    const blocks = ((n + 9 + 63) >> 6);
    const bytes = new Uint8Array(blocks * 64);
    for (let i = 0; i < n; i++) bytes[i] = text.charCodeAt(i);
    bytes[n] = 0x80;
    const bits = n * 8;
    bytes[bytes.length - 4] = (bits >>> 24) & 0xff;
    bytes[bytes.length - 3] = (bits >>> 16) & 0xff;
    bytes[bytes.length - 2] = (bits >>> 8) & 0xff;
    bytes[bytes.length - 1] = bits & 0xff;
    let h0 = 0x6a09e667, h1 = 0xbb67ae85, h2 = 0x3c6ef372, h3 = 0xa54ff53a;
    let h4 = 0x510e527f, h5 = 0x9b05688c, h6 = 0x1f83d9ab, h7 = 0x5be0cd19;
    for (let b = 0; b < blocks; b++) {
      for (let t = 0; t < 16; t++) {
        const o = b * 64 + t * 4;
        W[t] = (bytes[o] << 24) | (bytes[o + 1] << 16) | (bytes[o + 2] << 8) | bytes[o + 3];
      }
      for (let t = 16; t < 64; t++) {
        const s0 = rotr(W[t - 15], 7) ^ rotr(W[t - 15], 18) ^ (W[t - 15] >>> 3);
        const s1 = rotr(W[t - 2], 17) ^ rotr(W[t - 2], 19) ^ (W[t - 2] >>> 10);
        W[t] = (W[t - 16] + s0 + W[t - 7] + s1) | 0;
      }
      let a = h0, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7, bb = h1;
      for (let t = 0; t < 64; t++) {
        const S1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
        const ch = (e & f) ^ (~e & g);
        const t1 = (h + S1 + ch + K[t] + W[t]) | 0;
        const S0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
        const maj = (a & bb) ^ (a & c) ^ (bb & c);
        const t2 = (S0 + maj) | 0;
        h = g; g = f; f = e; e = (d + t1) | 0; d = c; c = bb; bb = a; a = (t1 + t2) | 0;
      }
      h0 = (h0 + a) | 0; h1 = (h1 + bb) | 0; h2 = (h2 + c) | 0; h3 = (h3 + d) | 0;
      h4 = (h4 + e) | 0; h5 = (h5 + f) | 0; h6 = (h6 + g) | 0; h7 = (h7 + h) | 0;
    }
    return [h0, h1, h2, h3, h4, h5, h6, h7];
  }

  function zeroBits(words) {
    let n = 0;
    for (const w of words) {
      if (w === 0) { n += 32; continue; }
      return n + Math.clz32(w);
    }
    return n;
  }

  // The search in slices, so the page stays responsive and the status can be read.
  function solve(c) {
    return new Promise(function (resolve) {
      let nonce = 0;
      function slice() {
        for (let i = 0; i < 5000; i++, nonce++) {
          if (zeroBits(sha256(c.challenge + ":" + nonce)) >= c.bits) {
            resolve(c.challenge + ":" + c.bits + ":" + c.signature + ":" + nonce);
            return;
          }
        }
        setTimeout(slice, 0);
      }
      slice();
    });
  }

  function place(latlng) {
    lat.value = latlng.lat.toFixed(6);
    lng.value = latlng.lng.toFixed(6);
    where.textContent = form.dataset.msgLocated;
    if (map) {
      if (marker) marker.setLatLng(latlng); else marker = L.marker(latlng).addTo(map);
    }
  }

  document.getElementById("use-my-location").addEventListener("click", function () {
    if (!navigator.geolocation) { where.textContent = form.dataset.msgNoLocation; return; }
    navigator.geolocation.getCurrentPosition(
      function (pos) {
        const point = { lat: pos.coords.latitude, lng: pos.coords.longitude };
        place(point);
        if (map) map.setView(point, 15);
      },
      function () { where.textContent = form.dataset.msgNoLocation; },
      { enableHighAccuracy: true, timeout: 10000 },
    );
  });

  async function showMap() {
    const el = document.getElementById("public-map");
    if (!el || typeof L === "undefined") return;
    const tiles = el.dataset.tileUrl || "";
    map = L.map(el, { zoomSnap: 0.25, attributionControl: Boolean(tiles) });
    if (tiles) L.tileLayer(tiles, { attribution: el.dataset.tileAttribution || "", maxZoom: 18 }).addTo(map);
    map.setView([30.6, 112.4], 10);
    map.on("click", function (ev) { place(ev.latlng); });
    const response = await fetch(el.dataset.villages, { credentials: "same-origin" });
    if (!response.ok) return;
    const layer = L.geoJSON(await response.json(), {
      style: { color: "#1f6f43", weight: 1, fillOpacity: 0.05 },
      onEachFeature: function (f, l) {
        l.bindTooltip(String(f.properties.name || ""));
        l.on("click", function (ev) { place(ev.latlng); });
      },
    }).addTo(map);
    if (layer.getLayers().length) map.fitBounds(layer.getBounds(), { padding: [8, 8] });
    if (lat.value && lng.value) place({ lat: Number(lat.value), lng: Number(lng.value) });
  }

  async function shrinkPhotos() {
    const input = document.getElementById("pr-photos");
    if (!input || !input.files || !input.files.length || !window.grPhotos) return;
    const files = await grPhotos.prepared(input, false, Number(form.dataset.maxSide || 1600));
    const transfer = new DataTransfer();
    files.forEach(function (f) { transfer.items.add(f); });
    input.files = transfer.files;
  }

  form.addEventListener("submit", async function (ev) {
    if (proof.value) return;
    ev.preventDefault();
    button.disabled = true;
    status.textContent = form.dataset.msgSolving;
    try {
      const response = await fetch(form.dataset.challenge, { credentials: "same-origin" });
      if (!response.ok) throw new Error(String(response.status));
      proof.value = await solve(await response.json());
      status.textContent = "";
      await shrinkPhotos();
      form.submit();
    } catch (err) {
      status.textContent = form.dataset.msgFailed;
      button.disabled = false;
    }
  });

  showMap();
})();
