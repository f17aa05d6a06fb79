// The API's docs page (/api/v1/docs/): Swagger UI, started from here because the site's
// Content-Security-Policy allows no inline script. The page gives the schema's address
// and Swagger UI's settings (SPECTACULAR_SETTINGS["SWAGGER_UI_SETTINGS"]) as data.
"use strict";
(function () {
  var root = document.getElementById("swagger-ui");
  var settings = JSON.parse(root.dataset.settings || "{}");
  window.ui = SwaggerUIBundle(Object.assign({
    url: root.dataset.schemaUrl,
    dom_id: "#swagger-ui",
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout"
  }, settings));
})();
