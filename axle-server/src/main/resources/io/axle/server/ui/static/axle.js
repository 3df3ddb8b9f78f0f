// Axle's own script: draws the charts a page describes, with uPlot. Pages read fine without it.
// A chart is <div class="chart" data-chart="ID"></div> with its data in
// <script type="application/json" id="ID">{"title": "...", "x": "step", "series": [{"label": "...", "x": [...], "y": [...]}]}</script>
(function () {
  "use strict";
  var palette = ["#2457c5", "#d9480f", "#2b8a3e", "#862e9c", "#e67700", "#0b7285", "#c2255c", "#5c940d"];

  function merge(series) {
    var xs = new Set();
    series.forEach(function (s) { s.x.forEach(function (x) { xs.add(x); }); });
    var sorted = Array.from(xs).sort(function (a, b) { return a - b; });
    var data = [sorted];
    series.forEach(function (s) {
      var at = new Map();
      s.x.forEach(function (x, i) { at.set(x, s.y[i]); });
      data.push(sorted.map(function (x) { return at.has(x) ? at.get(x) : null; }));
    });
    return data;
  }

  function draw(el) {
    if (el.dataset.drawn || typeof uPlot === "undefined") { return; }
    var source = document.getElementById(el.dataset.chart);
    if (!source) { return; }
    var spec = JSON.parse(source.textContent);
    if (!spec.series || spec.series.length === 0) { return; }
    el.dataset.drawn = "1";
    var width = Math.max(280, el.clientWidth || 600);
    var opts = {
      title: spec.title || "",
      width: width,
      height: 240,
      scales: { x: { time: spec.x === "time" } },
      spanGaps: true,
      series: [{ label: spec.x || "step" }].concat(spec.series.map(function (s, i) {
        return { label: s.label, stroke: palette[i % palette.length], width: 1.5, points: { show: s.x.length < 60 } };
      })),
      axes: [{}, { size: 60 }]
    };
    var fallback = el.querySelector(".chart-fallback");
    if (fallback) { fallback.hidden = true; }
    new uPlot(opts, merge(spec.series), el);
  }

  function drawAll(root) {
    (root || document).querySelectorAll("[data-chart]").forEach(draw);
  }

  document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  document.addEventListener("htmx:afterSettle", function (event) { drawAll(event.target); });
})();
