// Starts Swagger UI on the API docs page. A file, not an inline script, so the Content-Security-Policy
// (script-src 'self') holds on this page too; the OpenAPI address comes from the page's data attribute.
(function () {
  var node = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: node.dataset.openapiUrl,
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    validatorUrl: null,
  });
})();
