// grassroots: small behaviour shared by every page (no framework beyond htmx).
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // Phone menu: the Bulma burger toggles the menu.
  document.querySelectorAll(".navbar-burger").forEach((burger) => {
    burger.addEventListener("click", () => {
      const menu = document.getElementById(burger.dataset.target);
      const open = !burger.classList.contains("is-active");
      burger.classList.toggle("is-active", open);
      if (menu) menu.classList.toggle("is-active", open);
      burger.setAttribute("aria-expanded", String(open));
    });
  });
  // Print buttons (data-print): no inline handlers under the Content-Security-Policy.
  document.querySelectorAll("[data-print]").forEach((button) => {
    button.addEventListener("click", () => window.print());
  });
});
