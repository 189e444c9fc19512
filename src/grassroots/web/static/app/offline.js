// Offline registration (issue 20). With no signal the registration form is kept in this
// phone's IndexedDB (its photos made smaller first, grPhotos) instead of being sent; the
// list under the form shows what waits. When the signal returns (or the page is opened
// online) each waiting case is sent to POST /api/v1/cases under the Idempotency-Key it was
// given when it was kept, so a case is never created twice however often sending is
// interrupted; its files follow (the same file again is the same attachment). A case is
// removed from the phone only when the server has it and all its files; a refusal is shown
// beside the case with a 丢弃 (discard) button, and the case stays until it is discarded.
//
// What waits is encrypted (AES-GCM, a fresh 96-bit IV per record and per file) with a
// non-extractable key made on this phone for the signed-in user and kept in the same
// database: a copy of the browser's files or a backup shows ciphertext only, but whoever
// uses the unlocked phone with the session open can still open the form (docs/user-guide.md,
// 离线登记). Signing out deletes the key and the database (pwa.js). Only the user's own
// records are shown and sent (`owner`).
"use strict";
(function () {
  const form = document.getElementById("register-form");
  const panel = document.getElementById("sync-queue");
  if (!form || !panel || !window.indexedDB || !(window.crypto && crypto.subtle)) return;
  const list = panel.querySelector(".sync-list");
  const done = panel.querySelector(".sync-done");
  const text = (name) => panel.dataset[name] || "";
  const owner = panel.dataset.owner || "";
  const STORE = "queue";
  const KEYS = "keys";

  let opened = null;
  function db() {
    opened = opened || new Promise((resolve, reject) => {
      const open = indexedDB.open("grassroots-field", 2);
      open.onupgradeneeded = () => {
        const names = open.result.objectStoreNames;
        if (!names.contains(STORE)) open.result.createObjectStore(STORE, { keyPath: "key" });
        if (!names.contains(KEYS)) open.result.createObjectStore(KEYS);
      };
      open.onsuccess = () => {
        open.result.onversionchange = () => {  // signing out deletes the database and the key
          open.result.close();
          opened = null;
          keyPromise = null;
        };
        resolve(open.result);
      };
      open.onerror = () => reject(open.error);
    });
    return opened;
  }
  async function run(store, mode, work) {
    const base = await db();
    return new Promise((resolve, reject) => {
      const tx = base.transaction(store, mode);
      const result = work(tx.objectStore(store));
      tx.oncomplete = () => resolve(result && "result" in result ? result.result : undefined);
      tx.onerror = () => reject(tx.error);
    });
  }

  // The user's key: made once, never readable (extractable false), kept as a CryptoKey.
  let keyPromise = null;
  function deviceKey() {
    keyPromise = keyPromise || (async () => {
      const found = await run(KEYS, "readonly", (s) => s.get(owner));
      if (found) return found;
      const made = await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]);
      try { await run(KEYS, "readwrite", (s) => s.add(made, owner)); }
      catch (e) { return run(KEYS, "readonly", (s) => s.get(owner)); }  // another tab was first
      return made;
    })();
    return keyPromise;
  }
  async function lock(bytes) {
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const data = await crypto.subtle.encrypt({ name: "AES-GCM", iv: iv }, await deviceKey(), bytes);
    return { iv: iv, data: data };
  }
  async function unlock(box) {
    return crypto.subtle.decrypt({ name: "AES-GCM", iv: box.iv }, await deviceKey(), box.data);
  }

  // Stored: the key, owner, time, state (code, error) in clear; the form and files sealed.
  async function seal(r) {
    const inner = { fields: r.fields, keep: r.keep, names: r.files.map((f) => ({ name: f.name, type: f.type })) };
    const files = [];
    for (const f of r.files) files.push(await lock(await f.blob.arrayBuffer()));
    return { key: r.key, owner: owner, created: r.created, code: r.code, error: r.error,
             box: await lock(new TextEncoder().encode(JSON.stringify(inner))), files: files };
  }
  async function open(stored) {
    const inner = JSON.parse(new TextDecoder().decode(await unlock(stored.box)));
    const files = [];
    for (let i = 0; i < stored.files.length; i++) {
      const meta = inner.names[i];
      files.push({ name: meta.name, type: meta.type, blob: new Blob([await unlock(stored.files[i])], { type: meta.type }) });
    }
    return { key: stored.key, created: stored.created, code: stored.code, error: stored.error,
             fields: inner.fields, keep: inner.keep, files: files };
  }

  async function all() {
    const stored = await run(STORE, "readonly", (s) => s.getAll());
    const mine = [];
    for (const r of stored) {
      if (!r.box) { await put(r); mine.push(r); continue; }  // kept in clear by an older page: seal it now
      if (r.owner !== owner) continue;
      try { mine.push(await open(r)); } catch (e) { /* another key's record: not readable here */ }
    }
    return mine;
  }
  const put = async (record) => { const sealed = await seal(record); return run(STORE, "readwrite", (s) => s.put(sealed)); };
  const remove = (key) => run(STORE, "readwrite", (s) => s.delete(key));

  function newKey() {
    if (crypto.randomUUID) return crypto.randomUUID();
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  // The API's NewCase from the form's fields (empty optional fields left out).
  function body(fields) {
    const number = (v) => (v === "" || v == null ? null : Number(v));
    const out = {
      kind: fields.kind, category_code: fields.category_code, source_code: fields.source_code,
      title: fields.title, description: fields.description, lat: number(fields.lat),
      lng: number(fields.lng), violence_risk: Boolean(fields.violence_risk), parties: [],
    };
    for (const name of ["address", "note"]) if (fields[name]) out[name] = fields[name];
    if (fields.people_involved !== "") out.people_involved = number(fields.people_involved);
    if (fields.amount_involved) out.amount_involved = fields.amount_involved;
    for (let i = 0; "party-" + i + "-role" in fields; i++) {
      const p = (k) => (fields["party-" + i + "-" + k] || "").trim();
      if (!p("name") && !p("phone") && !p("id_number")) continue;
      out.parties.push({ role: p("role"), name: p("name"), phone: p("phone") || null,
                         id_number: p("id_number") || null });
    }
    return out;
  }

  async function keepOffline() {
    const data = new FormData(form);
    const fields = {};
    for (const [name, value] of data.entries()) {
      if (typeof value === "string" && name !== "csrf_token") fields[name] = value;
    }
    const keep = Boolean(fields.keep_location);
    const input = document.getElementById("f-attachments");
    const files = await grPhotos.prepared(input, keep, Number(form.dataset.maxSide || 1600));
    const record = {
      key: newKey(), created: new Date().toISOString(), fields: fields, keep: keep,
      files: files.map((f) => ({ name: f.name, type: f.type, blob: f })), code: "", error: "",
    };
    await put(record);
    form.reset();
    panel.querySelector(".sync-note").textContent = text("msgKept");
    await show();
  }

  function missing() {
    const need = ["category_code", "title", "description", "lat", "lng"];
    return need.some((id) => !(document.getElementById("f-" + id) || {}).value);
  }

  form.addEventListener("submit", (ev) => {
    if (navigator.onLine) return;
    ev.preventDefault();
    if (missing()) {
      panel.querySelector(".sync-note").textContent = text("msgMissing");
      return;
    }
    keepOffline();
  });

  function discardButton(record) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "sync-discard button is-small is-danger is-light ml-2";
    button.textContent = text("msgDiscard");
    button.addEventListener("click", async () => {
      if (!window.confirm(text("msgDiscardConfirm").replace("{title}", record.fields.title))) return;
      await remove(record.key);
      await show();
    });
    return button;
  }

  async function show() {
    const records = (await all()).sort((a, b) => a.created.localeCompare(b.created));
    panel.hidden = records.length === 0 && !done.children.length;
    panel.querySelector(".sync-count").textContent = String(records.length);
    list.replaceChildren(...records.map((r) => {
      const li = document.createElement("li");
      li.className = "sync-item" + (r.error ? " has-text-danger-dark" : "");
      li.dataset.key = r.key;
      li.dataset.state = r.error ? "refused" : (navigator.onLine ? "sending" : "waiting");
      const state = r.error ? text("msgConflict") + r.error : (navigator.onLine ? text("msgSending") : text("msgWaiting"));
      li.textContent = r.fields.title + " · " + r.files.length + " " + text("msgFiles") + " · " + state;
      if (r.error) li.append(discardButton(r));
      return li;
    }));
  }

  function token() {
    try { return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRF-Token"] || ""; }
    catch (e) { return ""; }
  }

  async function problem(response) {
    try { return (await response.json()).title || String(response.status); }
    catch (e) { return String(response.status); }
  }

  // One waiting case: the case (replayed if it was already made), then its files.
  async function send(record) {
    const headers = { "Content-Type": "application/json", "Idempotency-Key": record.key, "X-CSRF-Token": token() };
    const made = await fetch("/api/v1/cases", { method: "POST", headers: headers, credentials: "same-origin", body: JSON.stringify(body(record.fields)) });
    if (made.status === 401 || made.status === 403) return "stop";
    if (made.status === 409 || made.status >= 500) return "later";
    if (!made.ok) { record.error = await problem(made); await put(record); return "conflict"; }
    record.code = (await made.json()).code;
    record.error = "";
    await put(record);
    if (record.files.length) {
      const upload = new FormData();
      for (const f of record.files) upload.append("file", new File([f.blob], f.name, { type: f.type }));
      if (record.keep) upload.append("keep_location", "1");
      const sent = await fetch("/api/v1/cases/" + encodeURIComponent(record.code) + "/attachments", {
        method: "POST", headers: { "X-CSRF-Token": token() }, credentials: "same-origin", body: upload });
      if (sent.status === 401 || sent.status === 403) return "stop";
      if (sent.status >= 500) return "later";
      if (!sent.ok) { record.error = record.code + ": " + await problem(sent); await put(record); return "conflict"; }
    }
    await remove(record.key);
    // The waiting line goes as the sent line appears: never the same case in both lists.
    list.querySelector('li[data-key="' + CSS.escape(record.key) + '"]')?.remove();
    const li = document.createElement("li");
    const link = document.createElement("a");
    link.href = "/cases/" + record.code;
    link.textContent = record.code;
    li.append(text("msgSynced"), link, " · " + record.fields.title);
    done.append(li);
    return "sent";
  }

  let syncing = false;
  async function sync() {
    if (syncing || !navigator.onLine) return;
    syncing = true;
    try {
      await show();
      const records = (await all()).filter((r) => !r.error);
      for (const record of records.sort((a, b) => a.created.localeCompare(b.created))) {
        let outcome;
        try { outcome = await send(record); } catch (e) { outcome = "later"; }
        if (outcome === "stop") { panel.querySelector(".sync-note").textContent = text("msgLogin"); break; }
        if (outcome === "later") break;
      }
    } finally {
      syncing = false;
      await show();
    }
  }

  window.addEventListener("online", sync);
  window.addEventListener("offline", show);
  show().then(sync);
})();
