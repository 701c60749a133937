// The SPARQL editor page: YASGUI (vendored, same origin) when it loaded, else the plain form.
// Queries go to this server's /sparql endpoint only; no autocompleter that calls other hosts.
(function () {
  "use strict";
  var examples = JSON.parse(document.getElementById("hg-examples").textContent);
  var picker = document.getElementById("example");
  var textarea = document.getElementById("query");
  var downloads = document.getElementById("downloads");

  function downloadLinks(query, type) {
    if (!downloads) return;
    downloads.textContent = "";
    var kinds = (type === "CONSTRUCT" || type === "DESCRIBE") ? ["turtle", "ntriples"] : ["csv", "json"];
    downloads.appendChild(document.createTextNode("Download the answer: "));
    kinds.forEach(function (k, i) {
      var a = document.createElement("a");
      a.href = "/sparql?" + new URLSearchParams({query: query, format: k}).toString();
      a.textContent = k.toUpperCase();
      a.setAttribute("download", "");
      if (i) downloads.appendChild(document.createTextNode(" · "));
      downloads.appendChild(a);
    });
  }

  function pick(set) {
    picker.addEventListener("change", function () {
      var e = examples.find(function (x) { return x.name === picker.value; });
      if (e) set(e.query);
    });
  }

  if (!window.Yasgui) {  // the plain form works without it
    pick(function (q) { textarea.value = q; textarea.focus(); });
    window.hgReady = true;
    return;
  }
  var host = document.getElementById("yasgui");
  host.hidden = false;
  document.getElementById("plain").hidden = true;
  var server = document.getElementById("server-results");
  if (server) server.hidden = true;
  var yasgui = new window.Yasgui(host, {
    requestConfig: {endpoint: "/sparql", method: "POST",
                    acceptHeaderSelect: "application/sparql-results+json,*/*;q=0.9",
                    acceptHeaderGraph: "text/turtle,*/*;q=0.9"},
    copyEndpointOnNewTab: false,
    endpointCatalogueOptions: {getData: function () { return [{endpoint: "/sparql"}]; }},
    persistenceId: null,
    populateFromUrl: false,
    autofocus: false,
    yasqe: {autocompleters: ["prefixes", "variables"], prefixCcApi: null, persistenceId: null,
            value: textarea.value, showQueryButton: true, resizeable: true, editorHeight: "320px"},
    yasr: {persistenceId: null, prefixes: {xsd: "http://www.w3.org/2001/XMLSchema#"}},
  });
  var tab = yasgui.getTab();
  var yasqe = tab.getYasqe();
  yasqe.setValue(textarea.value);
  pick(function (q) { yasqe.setValue(q); yasqe.focus(); });
  yasqe.on("query", function () { downloadLinks(yasqe.getValue(), yasqe.getQueryType()); });
  // Links in the results stay on this server: our data IRIs open their page here (/id/...), other IRIs
  // are shown but not linked (a click would tell another host what is being looked at).
  var DATA = "https://w3id.org/harvestgraph/id/";
  function localise(root) {
    root.querySelectorAll("a[href]").forEach(function (a) {
      var h = a.getAttribute("href");
      if (h.indexOf(DATA) === 0) {
        a.setAttribute("href", "/id/" + h.slice(DATA.length));
        a.removeAttribute("target");
      } else if (/^[a-z][a-z0-9+.-]*:/i.test(h)) {
        a.removeAttribute("href");
        a.removeAttribute("target");
      }
    });
  }
  var results = host.querySelector(".yasr") || host;
  new MutationObserver(function () { localise(results); }).observe(results, {childList: true, subtree: true});
  tab.getYasr().on("drawn", function () { localise(results); window.hgDrawn = (window.hgDrawn || 0) + 1; });
  downloadLinks(yasqe.getValue(), yasqe.getQueryType());
  window.hgYasgui = yasgui;
  window.hgReady = true;
})();
