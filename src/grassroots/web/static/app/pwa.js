// Installs the field kit's service worker (/sw.js) for staff who register cases: the
// registration page then opens with no signal (docs/user-guide.md, 离线登记).
"use strict";
if ("serviceWorker" in navigator && window.isSecureContext) {
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {});
}
