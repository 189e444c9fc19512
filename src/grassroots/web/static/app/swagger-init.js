// grassroots: starts Swagger UI on /api/v1/docs (a file, not an inline script: the
// Content-Security-Policy allows scripts from this server only). The page's <script> tag
// carries the OpenAPI document's address as data-openapi-url.
"use strict";
(() => {
  const url = document.currentScript.dataset.openapiUrl;
  window.ui = SwaggerUIBundle({
    url: url,
    dom_id: "#swagger-ui",
    layout: "BaseLayout",
    deepLinking: true,
    showExtensions: true,
    showCommonExtensions: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
  });
})();
