// Draws every <div class="gx-chart" data-figure="{...}"> with the site's own plotly.js.
// Material's instant navigation swaps pages without a reload, so drawing hooks
// into its document$ observable when it exists, and into DOMContentLoaded otherwise.
(function () {
  function draw() {
    if (!window.Plotly) return;
    document.querySelectorAll(".gx-chart[data-figure]").forEach(function (el) {
      var fig = JSON.parse(el.getAttribute("data-figure"));
      var layout = Object.assign({autosize: true, margin: {t: 40, r: 10, b: 60, l: 50}}, fig.layout || {});
      window.Plotly.react(el, fig.data, layout, {responsive: true, displaylogo: false});
    });
  }
  if (window.document$ && window.document$.subscribe) {
    window.document$.subscribe(draw);
  } else {
    document.addEventListener("DOMContentLoaded", draw);
  }
})();
