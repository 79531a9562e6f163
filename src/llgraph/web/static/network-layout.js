/* ForceAtlas2 for the /network page in a worker of its own: it lays out a copy of the graph
   in chunks, sends positions back at most every `postMs` (never every step: the page's thread
   stays free), pauses while the user pans or zooms, and stops once nodes barely move. */
/* global importScripts, graphology, graphologyLibrary */
// graphology-library binds its GEXF and GraphML parsers to DOMParser and Document when it
// loads; a worker has neither, and never parses: stand-ins that only say so.
["DOMParser", "Document"].forEach(function (name) {
  if (!(name in self)) self[name] = function () { throw new Error(name + " is not in a worker"); };
});
importScripts(
  "/static/vendor/graphology/graphology.umd.min.js",
  "/static/vendor/graphology-library/graphology-library.min.js"
);

(function () {
  "use strict";

  var fa2 = graphologyLibrary.layoutForceAtlas2;
  var CHUNK_MS = 60;           // one run of iterations, then the worker reads its messages
  var job = null;

  function build(message) {
    var Graph = graphology.UndirectedGraph || graphology;
    var g = new Graph(), n = message.x.length, e = message.edges, w = message.weights;
    for (var i = 0; i < n; i++) g.addNode(i, { x: message.x[i], y: message.y[i] });
    for (var j = 0; j < w.length; j++) g.addEdge(e[2 * j], e[2 * j + 1], { weight: w[j] });
    return g;
  }

  function positions(g) {
    var x = new Float32Array(g.order), y = new Float32Array(g.order);
    g.forEachNode(function (n, a) { x[n] = a.x; y[n] = a.y; });
    return { x: x, y: y };
  }

  function movement(g, before) {  // mean move since `before`, as a share of the drawing's size
    var total = 0, minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
    g.forEachNode(function (n, a) {
      total += Math.hypot(a.x - before.x[n], a.y - before.y[n]);
      if (a.x < minX) minX = a.x;
      if (a.x > maxX) maxX = a.x;
      if (a.y < minY) minY = a.y;
      if (a.y > maxY) maxY = a.y;
    });
    var size = Math.max(maxX - minX, maxY - minY) || 1;
    return total / Math.max(g.order, 1) / size;
  }

  function send(type, extra) {
    var p = positions(job.graph), message = Object.assign({
      type: type, id: job.id, x: p.x, y: p.y, iterations: job.iterations, runMs: job.runMs,
      ms: Date.now() - job.started
    }, extra || {});
    postMessage(message, [p.x.buffer, p.y.buffer]);
    job.posted = Date.now();
  }

  function step() {
    job.timer = null;
    if (!job || job.paused) return;
    var begun = Date.now(), before = positions(job.graph), done = 0;
    while (Date.now() - begun < CHUNK_MS) {
      fa2.assign(job.graph, { iterations: job.perCall, settings: job.settings });
      done += job.perCall;
    }
    job.iterations += done;
    job.runMs += Date.now() - begun;  // time paused does not count
    var moved = movement(job.graph, before) / done;  // per iteration
    var settled = moved < job.settleBelow && job.iterations >= job.minIterations;
    if (settled || job.runMs > job.budgetMs) {
      send("done", { reason: settled ? "settled" : "time", moved: moved });
      job = null;
      return;
    }
    if (Date.now() - job.posted >= job.postMs) send("positions", { moved: moved });
    job.timer = setTimeout(step, 0);
  }

  self.onmessage = function (event) {
    var m = event.data;
    if (m.type === "start") {
      if (job && job.timer) clearTimeout(job.timer);
      job = {
        id: m.id, graph: build(m), settings: m.settings, perCall: m.perCall || 1, postMs: m.postMs,
        budgetMs: m.budgetMs, settleBelow: m.settleBelow, minIterations: m.minIterations || 0,
        iterations: 0, runMs: 0, started: Date.now(), posted: Date.now(), paused: false,
        timer: null
      };
      job.timer = setTimeout(step, 0);
    } else if (!job) {
      return;
    } else if (m.type === "pause") {
      job.paused = true;
      if (job.timer) { clearTimeout(job.timer); job.timer = null; }
    } else if (m.type === "resume" && job.paused) {
      job.paused = false;
      job.timer = setTimeout(step, 0);
    } else if (m.type === "stop") {
      if (job.timer) clearTimeout(job.timer);
      send("done", { reason: "stopped" });
      job = null;
    }
  };
})();
