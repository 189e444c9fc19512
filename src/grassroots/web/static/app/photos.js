// Photos made smaller on the phone before they are sent (issue 20): a form marked
// data-resize-photos has each JPEG/PNG/WebP of its file input redrawn on a canvas at most
// data-max-side pixels on its longer side, as JPEG. Drawing drops the EXIF block, place and
// time included; when the worker ticks "keep location" the photos go as taken. Other files
// (PDF, Word, Excel) go unchanged.
//
// A form with data-duplicates (事件登记) first asks that address for likely duplicates,
// without the files: if there are some, the warning is shown above the button and the
// chosen files stay in the input, so "register anyway" sends them with no second pick.
"use strict";
window.grPhotos = (function () {
  const IMAGE = /^image\/(jpeg|png|webp)$/;

  async function shrink(file, maxSide) {
    if (!IMAGE.test(file.type) || typeof createImageBitmap !== "function") return file;
    let bitmap;
    try {
      bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
    } catch (e) {
      return file;  // not readable here: the server judges it
    }
    const scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
    if (scale === 1 && file.size < 1024 * 1024) return file;
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise((done) => canvas.toBlob(done, "image/jpeg", 0.85));
    if (!blob) return file;
    const name = file.name.replace(/\.[^.]*$/, "") + ".jpg";
    return new File([blob], name, { type: "image/jpeg" });
  }

  // The files of `input`, photos made smaller unless `keep` (the form's keep_location box).
  async function prepared(input, keep, maxSide) {
    const files = Array.from(input.files || []);
    if (keep) return files;
    return Promise.all(files.map((f) => shrink(f, maxSide)));
  }

  function csrf(form) {
    const field = form.querySelector("input[name=csrf_token]");
    return field ? field.value : "";
  }

  // True when the server shows likely duplicates (the warning is then on the page).
  async function duplicatesShown(form) {
    const url = form.dataset.duplicates;
    const slot = document.getElementById("duplicates-slot");
    if (!url || !slot || form.querySelector("input[name=duplicates_checked]") || !window.htmx) return false;
    const fields = new URLSearchParams();
    for (const [name, value] of new FormData(form).entries()) if (typeof value === "string") fields.append(name, value);
    let response;
    try {
      response = await fetch(url, { method: "POST", body: fields, credentials: "same-origin",
                                    headers: { "X-CSRF-Token": csrf(form) } });
    } catch (e) { return false; }  // the submit itself will tell
    if (response.status !== 200) return false;
    htmx.swap(slot, await response.text(), { swapStyle: "innerHTML" });
    const button = document.getElementById("register-submit");
    if (button && button.dataset.msgAnyway) button.textContent = button.dataset.msgAnyway;
    slot.scrollIntoView({ block: "center" });
    return true;
  }

  function attach(form) {
    const input = form.querySelector("input[type=file]");
    const keep = form.querySelector("input[name=keep_location]");
    const maxSide = Number(form.dataset.maxSide || 1600);
    let ready = false;
    form.addEventListener("submit", async (ev) => {
      if (ready || !input || !input.files || !input.files.length) return;
      if (form.dataset.offlineQueue !== undefined && !navigator.onLine) return;  // offline.js
      ev.preventDefault();
      if (await duplicatesShown(form)) return;
      const files = await prepared(input, Boolean(keep && keep.checked), maxSide);
      const transfer = new DataTransfer();
      files.forEach((f) => transfer.items.add(f));
      input.files = transfer.files;
      ready = true;
      if (ev.submitter && ev.submitter.name) {
        const carry = document.createElement("input");
        carry.type = "hidden";
        carry.name = ev.submitter.name;
        carry.value = ev.submitter.value;
        form.appendChild(carry);
      }
      form.submit();
    });
  }

  document.querySelectorAll("form[data-resize-photos]").forEach(attach);
  return { shrink, prepared };
})();
