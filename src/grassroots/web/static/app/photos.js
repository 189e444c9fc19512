// Photos made smaller on the phone before they are sent (issue 20): a form marked
// data-resize-photos has each JPEG/PNG/WebP of its file input redrawn on a canvas at most
// data-max-side pixels on its longer side, as JPEG. Drawing drops the EXIF block, place and
// time included; when the worker ticks "keep location" the photos go as taken. Other files
// (PDF, Word, Excel) go unchanged.
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

  function attach(form) {
    const input = form.querySelector("input[type=file]");
    const keep = form.querySelector("input[name=keep_location]");
    const maxSide = Number(form.dataset.maxSide || 1600);
    let ready = false;
    form.addEventListener("submit", async (ev) => {
      if (ready || !input || !input.files || !input.files.length || (keep && keep.checked)) return;
      if (form.dataset.offlineQueue !== undefined && !navigator.onLine) return;  // offline.js
      ev.preventDefault();
      const files = await prepared(input, false, maxSide);
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
