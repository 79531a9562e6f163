/* llgraph-chart.js: a plain horizontal bar chart in SVG (no library); LLChart.bars(el, rows). */
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";

  function node(name, attrs, text) {
    var el = document.createElementNS(SVG, name);
    Object.keys(attrs).forEach(function (k) { el.setAttribute(k, attrs[k]); });
    if (text !== undefined) { el.textContent = text; }
    return el;
  }

  /* rows: [{label: string, value: number}]; draws one bar per row into el (emptied first). */
  function bars(el, rows, options) {
    var opts = options || {};
    var width = opts.width || 760, labelWidth = opts.labelWidth || 260, barHeight = 18, gap = 6;
    var max = rows.reduce(function (m, r) { return Math.max(m, r.value); }, 0) || 1;
    var height = rows.length * (barHeight + gap) + gap;
    var svg = node("svg", {
      viewBox: "0 0 " + width + " " + height, width: width, height: height,
      role: "img", "aria-label": opts.title || "bar chart"
    });
    rows.forEach(function (row, i) {
      var y = gap + i * (barHeight + gap);
      var w = Math.max(1, (width - labelWidth - 60) * row.value / max);
      var label = row.label.length > 38 ? row.label.slice(0, 37) + "…" : row.label;
      var text = node("text", { x: labelWidth - 6, y: y + 13, "text-anchor": "end" }, label);
      text.appendChild(node("title", {}, row.label));
      svg.appendChild(text);
      svg.appendChild(node("rect", { "class": "bar", x: labelWidth, y: y, width: w, height: barHeight }));
      svg.appendChild(node("text", { x: labelWidth + w + 4, y: y + 13 }, String(row.value)));
    });
    while (el.firstChild) { el.removeChild(el.firstChild); }
    el.appendChild(svg);
    return svg;
  }

  window.LLChart = { bars: bars };
})();
