/*
 * Mermaid for the flow diagrams, loaded only when a page has one, from the site itself.
 *
 * Material for MkDocs fetches Mermaid from unpkg.com unless `window.mermaid` already exists.
 * This stand-in is defined first: Material calls it, and it loads the pinned copy the site
 * ships (vendor/mermaid.min.js next to this file; version and integrity in vendor/mermaid.json)
 * on the first diagram, so diagrams draw offline. Should even that fail to load, the diagram
 * is shown as its text (the lists under each diagram say the same in words).
 */
(function () {
  "use strict";
  var SOURCE = new URL("vendor/mermaid.min.js", document.currentScript.src).href;
  var TIMEOUT_MS = 30000;
  var config = null;
  var loading = null;

  function load(stub) {
    if (loading === null) {
      loading = new Promise(function (resolve) {
        var script = document.createElement("script");
        var timer = window.setTimeout(function () { resolve(null); }, TIMEOUT_MS);
        script.src = SOURCE;
        script.onload = function () {
          window.clearTimeout(timer);
          var real = window.mermaid;
          window.mermaid = stub;
          resolve(real && real !== stub ? real : null);
        };
        script.onerror = function () {
          window.clearTimeout(timer);
          window.mermaid = stub;
          resolve(null);
        };
        document.head.appendChild(script);
      }).then(function (real) {
        if (real !== null && config !== null) {
          real.initialize(config);
        }
        return real;
      });
    }
    return loading;
  }

  function escapeHtml(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  var stub = {
    initialize: function (options) { config = options; },
    render: function (id, code) {
      return load(stub).then(function (real) {
        if (real === null) {
          return {
            svg: '<pre id="' + id + '" style="white-space: pre-wrap; font-size: 0.8em">' +
              escapeHtml(code) + "</pre>"
          };
        }
        return real.render(id, code);
      });
    }
  };
  window.mermaid = stub;
})();
