/* The /network page: a projection from /api/network/{projection}.json drawn with sigma.js,
   laid out by ForceAtlas2 in a web worker (graphology-library), filtered by fiscal year. */
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("network-config").textContent);
  var $ = function (id) { return document.getElementById(id); };
  var SETTLE_MS = 2500;          // small graphs: the worker refines for this long
  var MAX_LAYOUT_MS = 60000;     // large graphs: at most this long (running, not paused)
  var SETTLED_BELOW = 5e-4;      // ...or until a step moves nodes less than this share of the
                                 // drawing on average (half a pixel in a 1,000-pixel view)
  var PRELAYOUT_MAX_NODES = 1000;
  var state = readState();
  var data = null, graph = null, renderer = null;
  var playTimer = null, style = {}, active = null, focus = null, neighbours = null;
  var years = [1996, 2008], loadCount = 0;

  // ---------------------------------------------------------------- state in the URL

  function readState() {
    var q = new URLSearchParams(location.search), d = config.defaults;
    var year = parseInt(q.get("year") || "", 10);
    return {
      projection: q.get("projection") in config.projections ? q.get("projection") : d.projection,
      domestic: q.has("domestic") ? q.get("domestic") : d.domestic,
      overseas: q.has("overseas") ? q.get("overseas") : d.overseas,
      color: q.get("color") === "community" ? "community" : "type",
      size: q.get("size") in config.metrics ? q.get("size") : "weighted-degree",
      lang: q.get("lang") === "en" ? "en" : "ja",
      year: isNaN(year) ? null : year,
      selected: null
    };
  }

  function writeState() {
    var q = new URLSearchParams();
    ["projection", "domestic", "overseas", "color", "size", "lang"].forEach(function (k) {
      q.set(k, state[k]);
    });
    if (state.year !== null) q.set("year", String(state.year));
    history.replaceState(null, "", "/network?" + q.toString());
  }

  function bipartite() { return config.bipartite.indexOf(state.projection) >= 0; }

  function level() {
    if (!bipartite()) return "";
    if (state.domestic === state.overseas) return state.domestic;
    if (!state.domestic && !state.overseas) return "";
    return state.domestic + ":" + state.overseas;
  }

  function apiUrl(format, extra) {
    var q = new URLSearchParams({ lang: state.lang });
    if (level()) q.set("level", level());
    Object.keys(extra || {}).forEach(function (k) {
      [].concat(extra[k]).forEach(function (v) { q.append(k, v); });
    });
    return "/api/network/" + state.projection + "." + format + "?" + q.toString();
  }

  function scoresUrl(metric) {
    var q = new URLSearchParams({ metric: metric });
    if (level()) q.set("level", level());
    return "/api/network/" + state.projection + "/scores?" + q.toString();
  }

  function pageHref(uri) {
    return uri.indexOf(config.base) === 0 ? "/" + uri.slice(config.base.length) : uri;
  }

  // ---------------------------------------------------------------- loading

  function load() {
    var mine = ++loadCount;
    forgetLayout();
    setStatus("Loading " + state.projection + (level() ? " at " + level() : "") + "…");
    // only the fast scores: the first picture never waits for betweenness or communities
    var url = apiUrl("json", { compact: "true", metrics: config.fastMetrics });
    return fetch(url, { headers: { Accept: "application/json" } })
      .then(function (response) {
        mark("response");
        return response.json().then(function (body) {
          mark("parsed");
          if (!response.ok) throw new Error(body.detail || body.title || response.statusText);
          return body;
        });
      })
      .then(function (body) { if (mine === loadCount) { show(body); return styleWhenReady(); } })
      .catch(function (error) { if (mine === loadCount) setStatus("Cannot load: " + error.message, true); });
  }

  // ---------------------------------------------------------------- scores fetched when picked

  function hasMetric(metric) {
    var key = metric.replace(/-/g, "_"), found = false;
    graph.someNode(function (n, a) { found = a[key] !== undefined; return true; });
    return found;
  }

  function fetchMetric(metric) {  // the server computes it once (seconds on a large graph)
    var mine = loadCount, g = graph, key = metric.replace(/-/g, "_");
    if (!g || g.order === 0 || hasMetric(metric)) return Promise.resolve(true);
    $("status").dataset.computing = metric;
    setStatus("Computing " + metric + " of " + g.order + " nodes on the server…");
    return fetch(scoresUrl(metric), { headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.json().then(function (body) {
          if (!response.ok) throw new Error(body.detail || body.title || response.statusText);
          return body;
        });
      })
      .then(function (body) {
        if (mine !== loadCount || g !== graph) return false;
        g.updateEachNodeAttributes(function (n, a) { a[key] = body.values[n]; return a; });
        delete $("status").dataset.computing;
        return true;
      })
      .catch(function (error) {
        delete $("status").dataset.computing;
        setStatus("Cannot compute " + metric + ": " + error.message, true);
        return false;
      });
  }

  function styleWhenReady() {  // size and colour by what the state asks, once its scores are here
    var wanted = [state.size].concat(state.color === "community" ? ["community"] : []);
    var mine = loadCount;
    return Promise.all(wanted.map(fetchMetric)).then(function (done) {
      if (mine !== loadCount || done.indexOf(false) >= 0) return;
      restyle();
      if (renderer) renderer.refresh({ skipIndexation: true });
      updateTimeline();
    });
  }

  function labelOf(attrs) {
    var other = state.lang === "ja" ? "en" : "ja";
    return attrs["label_" + state.lang] || attrs["label_" + other] || attrs.id;
  }

  function buildGraph(body) {
    var Graph = graphology.UndirectedGraph || graphology;
    var g = new Graph(), random = seeded(42), n = body.nodes.length;
    body.nodes.forEach(function (node, i) {
      var angle = 2 * Math.PI * i / Math.max(n, 1), r = Math.sqrt(random()) * 100;
      // sigma reads "type" as its drawing program: the node's kind goes to "kind"
      g.addNode(node.id, Object.assign({}, node, {
        x: Math.cos(angle) * r, y: Math.sin(angle) * r, label: labelOf(node),
        years: node.fiscal_years || [], kind: node.type, type: "circle"
      }));
    });
    body.edges.forEach(function (edge) {
      if (body.compact) {  // edge ends are indexes into nodes
        edge.source = body.nodes[edge.source].id; edge.target = body.nodes[edge.target].id;
      }
      if (edge.source === edge.target || g.hasEdge(edge.source, edge.target)) return;
      g.addEdge(edge.source, edge.target, Object.assign({}, edge, {
        weight: edge.weight || 1, years: edge.fiscal_years || [], type: "line"
      }));
    });
    return g;
  }

  function seeded(seed) {  // mulberry32: the same first picture every time
    return function () {
      seed |= 0; seed = seed + 0x6D2B79F5 | 0;
      var t = Math.imul(seed ^ seed >>> 15, 1 | seed);
      t = t + Math.imul(t ^ t >>> 7, 61 | t) ^ t;
      return ((t ^ t >>> 14) >>> 0) / 4294967296;
    };
  }

  function mark(name) { window.llgraphNetwork.timings[name] = Math.round(performance.now()); }

  function show(body) {
    data = body;
    graph = buildGraph(body);
    mark("built");
    var g = body.graph || {};
    years = [g.first_fiscal_year || 1996, g.last_fiscal_year || 2008];
    $("year").min = years[0]; $("year").max = years[1];
    if (state.year !== null && (state.year < years[0] || state.year > years[1])) state.year = null;
    focus = null; neighbours = null; state.selected = null;
    restyle();
    computeActive();
    if (graph.order <= PRELAYOUT_MAX_NODES && graph.size > 0) {
      graphologyLibrary.layoutForceAtlas2.assign(graph, { iterations: 150, settings: fa2Settings() });
    }
    draw();
    fillSearch();
    showSelection();
    updateTimeline();
    updateDownloads();
    startLayout();
  }

  // ---------------------------------------------------------------- drawing

  function restyle() {
    var key = state.size.replace(/-/g, "_"), low = Infinity, high = -Infinity;
    graph.forEachNode(function (n, a) {
      var v = Number(a[key] || 0);
      if (v < low) low = v;
      if (v > high) high = v;
    });
    var big = graph.order > 2000 ? 9 : 20, small = graph.order > 2000 ? 1.5 : 4;
    style = {};
    graph.forEachNode(function (n, a) {
      var v = Number(a[key] || 0), t = high > low ? (v - low) / (high - low) : 0.5;
      style[n] = { color: colourOf(a), size: small + (big - small) * Math.sqrt(t) };
    });
    drawLegend();
  }

  function colourOf(attrs) {
    if (state.color === "community" && attrs.community !== undefined && attrs.community !== null) {
      return config.palette[Number(attrs.community) % config.palette.length];
    }
    return config.typeColors[attrs.kind] || config.otherColor;
  }

  function nodeReducer(node, attrs) {  // only what sigma draws: cheap at 10,000 nodes
    var look = style[node];
    var out = { x: attrs.x, y: attrs.y, label: attrs.label, size: look.size, color: look.color };
    if (active && !active.nodes.has(node)) { out.hidden = true; return out; }
    if (focus && node !== focus && !neighbours.has(node)) {
      out.color = "#dfe3e8"; out.label = ""; out.zIndex = 0;
    } else if (focus) {
      out.zIndex = 1; out.forceLabel = true;
    }
    if (node === focus) out.highlighted = true;
    return out;
  }

  function edgeReducer(edge, attrs) {
    var out = { size: Math.min(0.6 + 0.9 * (attrs.weight - 1) + 0.6, 8), color: "#b9c1ca" };
    if (active && !active.edges.has(edge)) { out.hidden = true; return out; }
    if (focus) {
      if (graph.hasExtremity(edge, focus)) { out.color = "#56626e"; }
      else { out.hidden = graph.order > 2000; out.color = "#eef0f2"; }
    }
    return out;
  }

  // Above LIGHT_ABOVE nodes: nodes as WebGL points (1 vertex each, not a 3-vertex circle)
  // and edges as 1-pixel lines (not 6-vertex rectangles, so no width by weight). Measured in
  // Chromium with software WebGL at 13,131 nodes: panning went from 3 to 32-42 frames/s.
  var LIGHT_ABOVE = 1000;

  function programs() {
    if (graph.order <= LIGHT_ABOVE) return {};
    return {
      nodeProgramClasses: { circle: Sigma.rendering.NodePointProgram },
      edgeProgramClasses: { line: Sigma.rendering.EdgeLineProgram }
    };
  }

  function draw() {
    if (renderer) renderer.kill();
    renderer = new Sigma(graph, $("sigma"), Object.assign(programs(), {
      nodeReducer: nodeReducer,
      edgeReducer: edgeReducer,
      zIndex: true,
      labelRenderedSizeThreshold: graph.order > 2000 ? 12 : 5,
      labelFont: "system-ui, 'Hiragino Sans', 'Noto Sans CJK JP', sans-serif",
      hideEdgesOnMove: graph.size > 5000,
      hideLabelsOnMove: graph.order > 2000,
      defaultEdgeColor: "#b9c1ca"
    }));
    $("sigma").dataset.programs = graph.order > LIGHT_ABOVE ? "light" : "full";
    renderer.on("afterRender", function () { window.llgraphNetwork.renders += 1; });
    renderer.getCamera().on("updated", cameraMoved);
    renderer.on("enterNode", function (e) { hover(e.node); });
    renderer.on("leaveNode", function () { hover(null); });
    renderer.on("clickNode", function (e) { click(e.node); });
    renderer.on("doubleClickNode", function (e) { e.preventSigmaDefault(); openPage(e.node); });
    renderer.on("clickStage", function () { select(null); });
    renderer.once("afterRender", function () {
      $("sigma").dataset.drawn = String(graph.order);
      window.llgraphNetwork.firstPicture = performance.now();
      mark("drawn");
    });
  }

  function drawLegend() {
    var box = $("legend"), seen = {};
    box.textContent = "";
    graph.forEachNode(function (n, a) {
      var key = state.color === "community" ? "community " + a.community : a.kind;
      if (!(key in seen)) seen[key] = style[n].color;
    });
    Object.keys(seen).sort(function (a, b) { return a.localeCompare(b, "en", { numeric: true }); })
      .slice(0, 14).forEach(function (key) {
      var item = document.createElement("span"), dot = document.createElement("i");
      dot.className = "dot"; dot.style.backgroundColor = seen[key];
      item.appendChild(dot); item.appendChild(document.createTextNode(key));
      box.appendChild(item);
    });
    var note = document.createElement("small");
    note.className = "muted";
    note.textContent = "size: " + state.size + (graph.order > LIGHT_ABOVE
      ? "; edges as thin lines (large graph)" : "; edge width: partnerships");
    box.appendChild(note);
  }

  // ---------------------------------------------------------------- layout (web worker)

  function fa2Settings() {
    var s = graphologyLibrary.layoutForceAtlas2.inferSettings(graph);
    s.barnesHutOptimize = graph.order > 400;
    return s;
  }

  // The layout runs in a worker of its own (network-layout.js) on a copy of the graph: it
  // sends positions every `postMs` (small graphs often, so the drawing moves; large ones once
  // a second, since each update re-indexes the drawing), pauses while the camera moves (panning
  // and zooming never compete with it) and stops once nodes barely move, or after its budget.
  var worker = null, layoutId = 0, layoutIndex = null, running = false, paused = false;
  var resumeTimer = null, RESUME_MS = 600;

  function layoutPlan() {
    var small = graph.order <= PRELAYOUT_MAX_NODES;
    return {
      postMs: small ? 50 : 1000,
      budgetMs: small ? SETTLE_MS : MAX_LAYOUT_MS,
      perCall: graph.order > 5000 ? 2 : 10,
      settleBelow: small ? 0 : SETTLED_BELOW,
      minIterations: 50
    };
  }

  function startLayout() {
    stopLayout();
    if (!graph || graph.size === 0) { setLayoutState("stopped"); return; }
    var nodes = graph.nodes(), n = nodes.length, x = new Float32Array(n), y = new Float32Array(n);
    layoutIndex = {};
    nodes.forEach(function (node, i) {
      var a = graph.getNodeAttributes(node);
      layoutIndex[node] = i; x[i] = a.x; y[i] = a.y;
    });
    var ends = new Uint32Array(graph.size * 2), weights = new Float32Array(graph.size), j = 0;
    graph.forEachEdge(function (e, a, s, t) {
      ends[2 * j] = layoutIndex[s]; ends[2 * j + 1] = layoutIndex[t]; weights[j] = a.weight || 1; j += 1;
    });
    worker = worker || newWorker();
    layoutId += 1;
    var message = Object.assign({ type: "start", id: layoutId, x: x, y: y, edges: ends,
      weights: weights, settings: fa2Settings() }, layoutPlan());
    worker.postMessage(message, [x.buffer, y.buffer, ends.buffer, weights.buffer]);
    running = true; paused = false;
    window.llgraphNetwork.layoutSteps = [];
    setLayoutState("running");
  }

  function newWorker() {
    var w = new Worker("/static/network-layout.js");
    w.onmessage = function (event) {
      var m = event.data;
      if (m.id !== layoutId || !graph) return;  // a layout of a graph no longer shown
      applyPositions(m.x, m.y);
      window.llgraphNetwork.layoutSteps.push({ type: m.type, ms: m.ms, runMs: m.runMs,
        iterations: m.iterations, moved: m.moved, reason: m.reason });
      if (m.type === "done") { running = false; setLayoutState("stopped"); }
    };
    w.onerror = function (e) {
      running = false; setLayoutState("stopped");
      setStatus("The layout failed: " + (e.message || "worker error"), true);
    };
    return w;
  }

  function applyPositions(x, y) {
    var index = layoutIndex;
    graph.updateEachNodeAttributes(function (n, a) {
      var i = index[n];
      if (i !== undefined) { a.x = x[i]; a.y = y[i]; }
      return a;
    }, { attributes: ["x", "y"] });
  }

  function stopLayout() {  // the worker answers with the last positions
    clearTimeout(resumeTimer);
    if (worker && running) worker.postMessage({ type: "stop" });
    running = false; paused = false;
    if (graph) setLayoutState("stopped");
  }

  function forgetLayout() {  // a new graph comes: the old layout's answers are dropped
    stopLayout();
    layoutId += 1;
  }

  function cameraMoved() {  // pause the layout while the user pans or zooms
    if (!running) return;
    if (!paused) { worker.postMessage({ type: "pause" }); paused = true; }
    clearTimeout(resumeTimer);
    resumeTimer = setTimeout(function () {
      if (running && paused) { worker.postMessage({ type: "resume" }); paused = false; }
    }, RESUME_MS);
  }

  function setLayoutState(value) {
    $("status").dataset.layout = value;
    $("relayout").textContent = value === "running" ? "Stop layout" : "Run layout";
    var probe = window.llgraphNetwork;
    if (value === "stopped" && probe.layoutStarted) {
      probe.layoutStopped = performance.now();
      probe.layoutRenders = probe.renders - probe.rendersAtStart;
    }
    if (value === "running") { probe.layoutStarted = performance.now(); probe.rendersAtStart = probe.renders; }
  }

  // ---------------------------------------------------------------- timeline

  function computeActive() {
    if (state.year === null) { active = null; return; }
    var y = state.year, nodes = new Set(), edges = new Set();
    graph.forEachNode(function (n, a) { if (a.years.indexOf(y) >= 0) nodes.add(n); });
    graph.forEachEdge(function (e, a, s, t, sa, ta) {
      var on = a.years.length ? a.years.indexOf(y) >= 0
        : (sa.years.length > 0 && nodes.has(s)) || (ta.years.length > 0 && nodes.has(t));
      if (on) { edges.add(e); nodes.add(s); nodes.add(t); }
    });
    active = { nodes: nodes, edges: edges };
  }

  function partnershipsShown() {
    var seen = new Set();
    graph.forEachEdge(function (e, a) {
      if (!active || active.edges.has(e)) (a.partnerships || []).forEach(function (p) { seen.add(p); });
    });
    graph.forEachNode(function (n, a) {
      if (a.kind === "partnership" && (!active || active.nodes.has(n))) seen.add(n);
    });
    return seen.size;
  }

  function updateTimeline() {
    var all = state.year === null;
    $("all-years").checked = all;
    $("year").value = all ? years[1] : state.year;
    $("year-label").textContent = all ? "FY" + years[0] + "–FY" + years[1] : "FY" + state.year;
    var shownNodes = active ? active.nodes.size : graph.order;
    var shownEdges = active ? active.edges.size : graph.size;
    var status = $("status");
    status.dataset.nodes = shownNodes; status.dataset.edges = shownEdges;
    status.dataset.total = graph.order;
    setStatus((all ? "All years" : "FY" + state.year) + ": " + partnershipsShown() +
      " partnerships · " + shownNodes + " of " + graph.order + " nodes · " + shownEdges +
      " of " + graph.size + " edges");
    writeState();
  }

  function setYear(year) {
    state.year = year;
    computeActive();
    updateTimeline();
    if (renderer) renderer.refresh({ skipIndexation: true });
  }

  function play() {
    if (playTimer) { clearInterval(playTimer); playTimer = null; $("play").textContent = "▶ Play"; return; }
    $("play").textContent = "❚❚ Pause";
    var year = state.year === null || state.year >= years[1] ? years[0] : state.year + 1;
    setYear(year);
    playTimer = setInterval(function () {
      if (state.year >= years[1]) { play(); return; }
      setYear(state.year + 1);
    }, 1200);
  }

  // ---------------------------------------------------------------- hover, click, search

  function setFocus(node) {
    focus = node;
    neighbours = node ? new Set(graph.neighbors(node)) : null;
    renderer.refresh({ skipIndexation: true });
  }

  function hover(node) {
    var box = $("hover");
    if (!node) { box.hidden = true; setFocus(state.selected); return; }
    setFocus(node);
    box.textContent = "";
    box.hidden = false;
    box.appendChild(summary(node, "h3"));
  }

  function summary(node, tag) {
    var a = graph.getNodeAttributes(node), wrap = document.createElement("div");
    var head = document.createElement(tag), other = state.lang === "ja" ? "en" : "ja";
    head.textContent = labelOf(a);
    wrap.appendChild(head);
    var rows = [
      [a["label_" + other] ? other : null, a["label_" + other]],
      ["type", a.kind + (a.level ? " (" + a.level + ")" : "")],
      [state.size, format(a[state.size.replace(/-/g, "_")])],
      ["partnerships", (a.partnerships || []).length || null],
      ["fiscal years", a.years.length ? a.years[0] + "–" + a.years[a.years.length - 1] : null],
      ["community", a.community]
    ];
    var dl = document.createElement("dl");
    rows.forEach(function (row) {
      if (row[0] === null || row[1] === null || row[1] === undefined) return;
      var dt = document.createElement("dt"), dd = document.createElement("dd");
      dt.textContent = row[0]; dd.textContent = String(row[1]);
      dl.appendChild(dt); dl.appendChild(dd);
    });
    wrap.appendChild(dl);
    return wrap;
  }

  function format(value) {
    if (typeof value !== "number") return value;
    return Number.isInteger(value) ? String(value) : value.toFixed(4);
  }

  function click(node) {
    if (state.selected === node) { openPage(node); return; }
    select(node);
  }

  function openPage(node) { location.assign(pageHref(node)); }

  function select(node) {
    state.selected = node;
    setFocus(node);
    showSelection();
  }

  function partnershipsOf(node) {
    var a = graph.getNodeAttributes(node);
    if (a.kind === "partnership") return [node];
    if (a.partnerships && a.partnerships.length) return a.partnerships;
    return graph.neighbors(node).filter(function (m) {
      return graph.getNodeAttribute(m, "kind") === "partnership";
    });
  }

  function nameOf(uri) {
    var names = (data.graph && data.graph.names) || {}, found = names[uri];
    if (found) return found[state.lang] || found.en || found.ja;
    return graph.hasNode(uri) ? labelOf(graph.getNodeAttributes(uri)) : uri;
  }

  function showSelection() {
    var box = $("selected"), node = state.selected;
    box.textContent = "";
    box.hidden = !node;
    $("hint").hidden = !!node;
    if (!node) return;
    box.appendChild(summary(node, "h2"));
    var open = document.createElement("a");
    open.href = pageHref(node); open.id = "open-page"; open.className = "button";
    open.textContent = "Open its page →";
    box.appendChild(open);
    var list = document.createElement("ul"), items = partnershipsOf(node);
    list.id = "partnership-list";
    items.forEach(function (uri) {
      var li = document.createElement("li"), link = document.createElement("a");
      link.href = pageHref(uri); link.textContent = nameOf(uri);
      li.appendChild(link); list.appendChild(li);
    });
    var head = document.createElement("h3");
    head.textContent = items.length + (items.length === 1 ? " partnership" : " partnerships");
    box.appendChild(head);
    box.appendChild(list);
  }

  function fillSearch() {
    var list = $("node-names"), seen = new Set();
    list.textContent = "";
    if (graph.order > 5000) return;  // a datalist of thousands slows typing; search still works
    graph.forEachNode(function (n, a) {
      [a.label_ja, a.label_en].forEach(function (text) {
        if (!text || seen.has(text)) return;
        seen.add(text);
        var option = document.createElement("option");
        option.value = text; list.appendChild(option);
      });
    });
  }

  function find(text) {
    var wanted = text.trim().toLowerCase(), hit = null;
    if (!wanted) return;
    graph.forEachNode(function (n, a) {
      var names = [a.label_ja, a.label_en].filter(Boolean).map(function (s) { return s.toLowerCase(); });
      if (names.indexOf(wanted) >= 0) hit = n;
      else if (!hit && names.some(function (s) { return s.indexOf(wanted) >= 0; })) hit = n;
    });
    if (!hit) { setStatus("No node is called “" + text + "”", true); return; }
    select(hit);
    var d = renderer.getNodeDisplayData(hit);
    renderer.getCamera().animate({ x: d.x, y: d.y, ratio: 0.4 }, { duration: 500 });
  }

  // ---------------------------------------------------------------- downloads

  function updateDownloads() {
    var withLayout = graph && graph.order <= config.layoutMaxNodes ? { layout: "true" } : {};
    var gexf = Object.assign({ color_by: state.color, size_by: state.size }, withLayout);
    $("dl-gexf").href = apiUrl("gexf", gexf);
    $("dl-graphml").href = apiUrl("graphml");
    $("dl-csv").href = apiUrl("csv");
  }

  function scene() {
    var dims = renderer.getDimensions(), nodes = [], edges = [];
    graph.forEachEdge(function (e, a, s, t) {
      var d = renderer.getEdgeDisplayData(e);
      if (!d || d.hidden) return;
      var p = point(s), q = point(t);
      if (p && q) edges.push({ x1: p.x, y1: p.y, x2: q.x, y2: q.y, color: d.color, size: d.size });
    });
    graph.forEachNode(function (n) {
      var d = renderer.getNodeDisplayData(n), p = point(n);
      if (!d || d.hidden || !p) return;
      nodes.push({ x: p.x, y: p.y, r: renderer.scaleSize(d.size), color: d.color, label: d.label || "" });
    });
    return { width: dims.width, height: dims.height, nodes: nodes, edges: edges };
  }

  function point(node) {
    var d = renderer.getNodeDisplayData(node);
    return d && !d.hidden ? renderer.framedGraphToViewport(d) : null;
  }

  function escapeXml(text) {
    return String(text).replace(/[<>&"]/g, function (c) {
      return { "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;" }[c];
    });
  }

  function svgOf(s) {
    var out = ['<svg xmlns="http://www.w3.org/2000/svg" width="' + s.width + '" height="' + s.height +
      '" viewBox="0 0 ' + s.width + " " + s.height + '" font-family="sans-serif" font-size="12">',
      '<rect width="100%" height="100%" fill="#ffffff"/>'];
    s.edges.forEach(function (e) {
      out.push('<line x1="' + e.x1.toFixed(1) + '" y1="' + e.y1.toFixed(1) + '" x2="' + e.x2.toFixed(1) +
        '" y2="' + e.y2.toFixed(1) + '" stroke="' + e.color + '" stroke-width="' + e.size.toFixed(1) + '"/>');
    });
    s.nodes.forEach(function (n) {
      out.push('<circle cx="' + n.x.toFixed(1) + '" cy="' + n.y.toFixed(1) + '" r="' + n.r.toFixed(1) +
        '" fill="' + n.color + '"/>');
    });
    s.nodes.forEach(function (n) {
      if (n.label) out.push('<text x="' + (n.x + n.r + 3).toFixed(1) + '" y="' + (n.y + 4).toFixed(1) + '">' +
        escapeXml(n.label) + "</text>");
    });
    out.push("</svg>");
    return out.join("\n");
  }

  function save(blob, name) {
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob); link.download = name;
    document.body.appendChild(link); link.click(); link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 5000);
  }

  function fileName(ext) {
    return "llgraph-" + state.projection + (level() ? "-" + level().replace(":", "-") : "") +
      (state.year !== null ? "-fy" + state.year : "") + "." + ext;
  }

  function downloadSvg() { save(new Blob([svgOf(scene())], { type: "image/svg+xml" }), fileName("svg")); }

  function downloadPng() {
    var s = scene(), canvas = document.createElement("canvas"), ratio = 2;
    canvas.width = s.width * ratio; canvas.height = s.height * ratio;
    var c = canvas.getContext("2d");
    c.scale(ratio, ratio); c.fillStyle = "#ffffff"; c.fillRect(0, 0, s.width, s.height);
    s.edges.forEach(function (e) {
      c.strokeStyle = e.color; c.lineWidth = e.size;
      c.beginPath(); c.moveTo(e.x1, e.y1); c.lineTo(e.x2, e.y2); c.stroke();
    });
    s.nodes.forEach(function (n) {
      c.fillStyle = n.color; c.beginPath(); c.arc(n.x, n.y, n.r, 0, 2 * Math.PI); c.fill();
    });
    c.fillStyle = "#222222"; c.font = "12px system-ui, sans-serif";
    s.nodes.forEach(function (n) { if (n.label) c.fillText(n.label, n.x + n.r + 3, n.y + 4); });
    canvas.toBlob(function (blob) { save(blob, fileName("png")); }, "image/png");
  }

  // ---------------------------------------------------------------- controls

  function setStatus(text, error) {
    var status = $("status");
    status.textContent = text;
    status.classList.toggle("error", !!error);
  }

  function syncControls() {
    ["projection", "domestic", "overseas", "color", "size", "lang"].forEach(function (k) {
      $(k === "color" ? "color" : k).value = state[k];
    });
    $("domestic").disabled = $("overseas").disabled = !bipartite();
  }

  function bind() {
    ["projection", "domestic", "overseas", "lang"].forEach(function (k) {
      $(k).addEventListener("change", function () {
        state[k] = $(k).value; syncControls(); writeState(); load();
      });
    });
    $("color").addEventListener("change", function () {
      state.color = $("color").value; updateDownloads(); writeState(); styleWhenReady();
    });
    $("size").addEventListener("change", function () {
      state.size = $("size").value; updateDownloads(); writeState(); styleWhenReady();
    });
    $("year").addEventListener("input", function () { setYear(parseInt($("year").value, 10)); });
    $("all-years").addEventListener("change", function () {
      setYear($("all-years").checked ? null : parseInt($("year").value, 10));
    });
    $("play").addEventListener("click", play);
    $("find").addEventListener("change", function () { find($("find").value); });
    $("find").addEventListener("keydown", function (e) {
      if (e.key === "Enter") { e.preventDefault(); find($("find").value); }
    });
    $("controls").addEventListener("submit", function (e) { e.preventDefault(); });
    $("relayout").addEventListener("click", function () { if (running) stopLayout(); else startLayout(); });
    $("dl-svg").addEventListener("click", downloadSvg);
    $("dl-png").addEventListener("click", downloadPng);
  }

  // For tests and benchmarks: where a node is on the screen, what is shown.
  window.llgraphNetwork = {
    started: performance.now(),
    timings: {},  // ms since navigation: response, parsed, built, drawn
    renders: 0,
    layoutSteps: [],  // what the layout worker reported: time, iterations, movement
    layoutPaused: function () { return paused; },
    graph: function () { return graph; },
    renderer: function () { return renderer; },
    screenPosition: function (node) {
      var box = $("sigma").getBoundingClientRect(), p = point(node);
      return p ? { x: box.left + p.x, y: box.top + p.y } : null;
    },
    shown: function () {
      var out = [];
      graph.forEachNode(function (n) { if (!active || active.nodes.has(n)) out.push(n); });
      return out;
    },
    svg: function () { return svgOf(scene()); }
  };

  syncControls();
  bind();
  load();
})();
