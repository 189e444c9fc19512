// Installs the field kit's service worker (/sw.js) for staff who register cases: the
// registration page then opens with no signal (docs/user-guide.md, 离线登记).
//
// Signing out on a shared phone leaves nothing of the field kit behind: the pages the
// service worker kept (grassroots-field-* caches) and the database of cases waiting to be
// sent, with its encryption key (offline.js), are deleted before the sign-out is sent. If
// cases still wait, the worker is asked first: they are discarded with the key, or the
// sign-out is cancelled so that they can be sent when the signal returns.
"use strict";
if ("serviceWorker" in navigator && window.isSecureContext) {
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {});
}

(function () {
  const DB = "grassroots-field";

  // How many cases wait on this phone (any user's), without making the database.
  function waiting() {
    return new Promise((resolve) => {
      if (!window.indexedDB) { resolve(0); return; }
      const open = indexedDB.open(DB);
      open.onupgradeneeded = () => open.transaction.abort();  // none yet: do not make it
      open.onerror = () => resolve(0);
      open.onsuccess = () => {
        const base = open.result;
        if (!base.objectStoreNames.contains("queue")) { base.close(); resolve(0); return; }
        const count = base.transaction("queue").objectStore("queue").count();
        count.onsuccess = () => { base.close(); resolve(count.result); };
        count.onerror = () => { base.close(); resolve(0); };
      };
    });
  }

  function forgetDatabase() {
    return new Promise((resolve) => {
      if (!window.indexedDB) { resolve(); return; }
      const gone = indexedDB.deleteDatabase(DB);
      gone.onsuccess = gone.onerror = () => resolve();
      gone.onblocked = () => setTimeout(resolve, 2000);  // a tab still holds it: it closes on versionchange
    });
  }

  async function forgetPages() {
    if (!window.caches) return;
    for (const name of await caches.keys()) {
      if (name.startsWith("grassroots-field-")) await caches.delete(name);
    }
  }

  document.addEventListener("submit", async (ev) => {
    const form = ev.target;
    if (!(form instanceof HTMLFormElement) || form.dataset.msgUnsent === undefined) return;
    ev.preventDefault();
    const n = await waiting();
    if (n > 0 && !window.confirm(form.dataset.msgUnsent.replace("{n}", String(n)))) return;
    try { await Promise.all([forgetDatabase(), forgetPages()]); } catch (e) { /* sign out anyway */ }
    form.submit();
  });
})();
