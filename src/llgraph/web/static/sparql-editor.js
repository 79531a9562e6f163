/* sparql-editor.js: YASGUI on this server only — our endpoint, prefixes, terms and examples,
   IRIs of the graph linked to their /id/ pages with labels, a chart view, CSV/JSON links. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("editor-config").textContent);
  var labels = {};

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function localPath(iri) {
    return iri.indexOf(config.base) === 0 ? "/" + iri.slice(config.base.length) : null;
  }

  function shortName(iri) {
    for (var prefix in config.prefixes) {
      var ns = config.prefixes[prefix];
      if (iri.indexOf(ns) === 0 && iri.length > ns.length) { return prefix + ":" + iri.slice(ns.length); }
    }
    return "<" + iri + ">";
  }

  /* Completion from this graph only: the public services YASQE asks by default are never called. */
  function ourCompleters() {
    var Yasqe = window.Yasqe;
    var terms = config.terms;
    ["class", "property"].forEach(function (kind) {
      Yasqe.registerAutocompleter(Object.assign({}, Yasqe.Autocompleters[kind], {
        name: kind,
        bulk: false,
        get: function (yasqe, token) {
          var start = (token && token.autocompletionString) || "";
          return terms[kind].filter(function (iri) { return iri.indexOf(start) === 0; }).slice(0, 100);
        }
      }));
    });
    Yasqe.registerAutocompleter(Object.assign({}, Yasqe.Autocompleters.prefixes, {
      name: "prefixes",
      persistenceId: null,
      get: function () {
        return Object.keys(config.prefixes).sort().map(function (p) {
          return p + ": <" + config.prefixes[p] + ">";
        });
      }
    }));
  }

  /* Table cells: IRIs of the graph link to their page here, shown by label. */
  function ourLinks() {
    var Table = window.Yasr.plugins.table;
    Table.prototype.getUriLinkFromBinding = function (binding) {
      var iri = binding.value;
      var href = localPath(iri);
      var text = labels[iri] || shortName(iri);
      if (!href) {
        var web = /^https?:\/\//.test(iri);
        return web ? "<a class='iri' rel='external noopener' href='" + escapeHtml(iri) + "'>" +
          escapeHtml(text) + "</a>" : escapeHtml(text);
      }
      return "<a class='iri' title='" + escapeHtml(shortName(iri)) + "' href='" + escapeHtml(href) + "'>" +
        escapeHtml(text) + "</a>";
    };
  }

  function iriOf(bindings) {
    var found = {};
    bindings.forEach(function (row) {
      Object.keys(row).forEach(function (v) {
        var term = row[v];
        if (term.type === "uri" && localPath(term.value) && !(term.value in labels)) { found[term.value] = 1; }
      });
    });
    return Object.keys(found).slice(0, 400);
  }

  /* One query for the labels of the IRIs in the results (Japanese first, then English). */
  function fetchLabels(iris) {
    if (!iris.length) { return Promise.resolve(false); }
    var values = iris.map(function (i) { return "<" + i + ">"; }).join(" ");
    var query = "SELECT ?s ?l WHERE { VALUES ?s { " + values + " } ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l }";
    var body = new URLSearchParams({ query: query });
    return fetch(config.endpoint, {
      method: "POST", body: body, headers: { Accept: "application/sparql-results+json" }
    }).then(function (r) { return r.ok ? r.json() : { results: { bindings: [] } }; }).then(function (data) {
      iris.forEach(function (i) { labels[i] = labels[i] || null; });
      data.results.bindings.forEach(function (b) {
        var lang = b.l["xml:lang"];
        if (!labels[b.s.value] || lang === "ja") { labels[b.s.value] = b.l.value; }
      });
      return true;
    });
  }

  /* A chart view: the first text column against the first numeric column. */
  function ChartPlugin(yasr) { this.yasr = yasr; this.priority = 5; this.label = "Chart"; }
  ChartPlugin.prototype.columns = function () {
    var results = this.yasr.results;
    var bindings = (results && results.getBindings && results.getBindings()) || [];
    var vars = (results && results.getVariables && results.getVariables()) || [];
    var numeric = vars.filter(function (v) {
      return bindings.length && bindings.every(function (b) { return b[v] && isFinite(Number(b[v].value)) && b[v].type !== "uri"; });
    });
    var label = vars.filter(function (v) { return numeric.indexOf(v) < 0; })[0];
    return { bindings: bindings, number: numeric[0], label: label };
  };
  ChartPlugin.prototype.canHandleResults = function () {
    var c = this.columns();
    return !!(c.number && c.label && c.bindings.length && c.bindings.length <= 200);
  };
  ChartPlugin.prototype.getIcon = function () {
    var icon = document.createElement("span");
    icon.textContent = "▤";
    return icon;
  };
  ChartPlugin.prototype.draw = function () {
    var c = this.columns();
    var rows = c.bindings.map(function (b) {
      var term = b[c.label];
      var text = !term ? "" : term.type === "uri" ? (labels[term.value] || shortName(term.value)) : term.value;
      return { label: text, value: Number(b[c.number].value) };
    });
    var box = document.createElement("div");
    box.className = "chart";
    this.yasr.resultsEl.appendChild(box);
    window.LLChart.bars(box, rows, { title: c.number + " by " + c.label });
  };

  function downloads(query) {
    var base = config.endpoint + "?query=" + encodeURIComponent(query);
    document.getElementById("download-csv").href = base + "&format=csv";
    document.getElementById("download-json").href = base + "&format=json";
    document.getElementById("downloads").hidden = false;
  }

  function shareable(query) {
    var url = location.pathname + "?query=" + encodeURIComponent(query);
    history.replaceState(null, "", url);
  }

  function start() {
    var Yasgui = window.Yasgui;
    ourCompleters();
    ourLinks();
    window.Yasr.registerPlugin("chart", ChartPlugin);
    var yasgui = new Yasgui(document.getElementById("yasgui"), {
      requestConfig: { endpoint: config.endpoint, method: "GET" },
      copyEndpointOnNewTab: true,
      populateFromUrl: false,
      persistenceId: null,
      endpointCatalogueOptions: { getData: function () { return [{ endpoint: config.endpoint }]; }, keys: [] },
      yasqe: {
        value: config.query, prefixCcApi: null, persistenceId: null, showQueryButton: true,
        createShareableLink: function (yasqe) {
          return location.origin + location.pathname + "?query=" + encodeURIComponent(yasqe.getValue());
        }
      },
      yasr: { prefixes: config.prefixes, persistenceId: null, pluginOrder: ["table", "chart", "response"] }
    });
    var tab = yasgui.getTab();
    tab.setQuery(config.query);
    yasgui.on("query", function (instance, t) {
      var q = t.getQuery();
      shareable(q);
      downloads(q);
    });
    yasgui.on("queryResponse", function (instance, t) {
      setTimeout(function () {  // YASGUI emits this before it hands the response to YASR
        var yasr = t.getYasr();
        var results = yasr.results;
        var bindings = (results && results.getBindings && results.getBindings()) || [];
        fetchLabels(iriOf(bindings)).then(function (changed) { if (changed) { yasr.refresh(); } });
      }, 0);
    });
    document.getElementById("examples").addEventListener("change", function (event) {
      var name = event.target.value;
      var example = config.examples.filter(function (e) { return e.name === name; })[0];
      if (example) { yasgui.getTab().setQuery(example.query); yasgui.getTab().query(); }
    });
    if (config.run) { tab.query(); } else { downloads(config.query); }
    window.llgraphEditor = yasgui;
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
