// Draws every chart with the site's own plotly.js, which it loads only on a page that
// has a chart, after the page's text and tables (a page without a chart loads no chart
// code: plotly is most of the site's script). An agency page's chart,
// <div class="gx-chart" data-plot="bar stack">, is drawn from the table of its numbers
// that follows it (blocks._plotted_table), so the page holds them once; a home page
// chart carries its figure: <div class="gx-chart" data-figure="{...}">.
// Charts never take a drag or a pinch (a swipe across a chart scrolls the page; a zoom
// made the y-axis start at ~40 and the bars mislead): values show on tap.
// Material's instant navigation swaps pages without a reload, so drawing hooks
// into its document$ observable when it exists, and into DOMContentLoaded otherwise.
// The site has one light palette (mkdocs.yml): the charts take its colours.
(function () {
  var PLOTLY = (document.currentScript && document.currentScript.src || "").replace(/charts\.js([?#].*)?$/,
                                                                                  "vendor/plotly.min.js");
  var loading = null;
  var PALETTE = {paper: "rgba(0,0,0,0)", text: "#333333", grid: "#e0e0e0",
                 colors: ["#3366cc", "#dc8a2a", "#2b9348", "#c0392b", "#7d5ba6", "#7f7f7f"]};

  // Every charted figure is a count, never negative: without rangemode an
  // all-zero year draws an axis from -1 to 1.
  function axis(base, p) {
    return Object.assign({gridcolor: p.grid, zerolinecolor: p.grid, color: p.text, automargin: true,
                          rangemode: "nonnegative"}, base || {});
  }

  function layoutFor(fig, p, el) {
    var narrow = el.clientWidth < 500;
    var given = fig.layout || {};
    var layout = Object.assign({}, given, {
      autosize: true,
      height: narrow ? 300 : 340,
      paper_bgcolor: p.paper,
      plot_bgcolor: p.paper,
      font: {color: p.text, size: narrow ? 11 : 13},
      colorway: p.colors,
      margin: Object.assign({t: 48, r: 10, b: 40, l: 48}, given.margin || {}),
      legend: {orientation: "h", y: -0.15},
      xaxis: axis(Object.assign({fixedrange: true}, given.xaxis), p),
      yaxis: axis(Object.assign({fixedrange: true}, given.yaxis), p),
      dragmode: false
    });
    if (narrow && layout.margin.l > 100) layout.margin.l = 100;
    layout.title = Object.assign({x: 0, font: {size: narrow ? 13 : 15}}, given.title || {});
    return layout;
  }

  function allZero(data) {
    return data.length > 0 && data.every(function (trace) {
      var values = trace.type === "pie" ? trace.values : (trace.orientation === "h" ? trace.x : trace.y);
      return (values || []).every(function (v) { return v === 0 || v === null; });
    });
  }

  // Table text as a plotly label: plotly renders <b>, <a href> and entities in labels.
  function label(text) {
    return text.trim().replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  // A cell's figure: "—" (not read, or read with a doubt) is a gap, never a zero.
  function value(cell) {
    var text = cell.textContent.trim();
    return text === "" || text === "—" ? null : Number(text);
  }

  // The figure of a chart drawn from its table (see Chart.plot in gxsite/site/charts.py):
  // "rows" makes each row a trace over the column headers, otherwise each column after
  // the first is a trace over the first column; "total" leaves out the last column.
  function figureFromTable(el) {
    var words = el.getAttribute("data-plot").split(" ");
    var has = function (word) { return words.indexOf(word) !== -1; };
    var details = el.nextElementSibling;
    var table = details.querySelector("table");
    var heads = Array.prototype.map.call(table.tHead.rows[0].cells, function (th) { return label(th.textContent); });
    var rows = Array.prototype.map.call(table.tBodies[0].rows, function (tr) { return Array.prototype.slice.call(tr.cells); });
    var last = heads.length - (has("total") ? 1 : 0);
    var traces = [];
    if (has("rows")) {
      rows.forEach(function (cells) {
        traces.push({name: label(cells[0].textContent), x: heads.slice(1, last),
                     y: cells.slice(1, last).map(value)});
      });
    } else {
      var x = rows.map(function (cells) {
        var text = label(cells[0].textContent);
        return has("line") ? Number(text) : text;
      });
      for (var c = 1; c < last; c++) {
        traces.push({name: heads[c], x: x, y: rows.map(function (cells) { return value(cells[c]); })});
      }
    }
    traces.forEach(function (trace) {
      if (has("line")) { trace.type = "scatter"; trace.mode = "lines+markers"; } else { trace.type = "bar"; }
    });
    var title = details.querySelector("summary span").textContent;
    var layout = {title: {text: label(title)}};
    if (has("group") || has("stack")) layout.barmode = has("stack") ? "stack" : "group";
    if (has("line")) layout.xaxis = {dtick: 1};
    return {data: traces, layout: layout, title: title};
  }

  function figureOf(el) {
    if (el.hasAttribute("data-figure")) return JSON.parse(el.getAttribute("data-figure"));
    var fig = figureFromTable(el);
    // What the drawing is, for a screen reader; the table below holds its numbers.
    el.setAttribute("role", "img");
    el.setAttribute("aria-label", fig.title);
    return fig;
  }

  function draw() {
    if (!document.querySelector(".gx-chart")) return;
    if (!window.Plotly) {
      if (!loading && PLOTLY) {
        loading = document.createElement("script");
        loading.src = PLOTLY;
        loading.onload = draw;
        document.head.appendChild(loading);
      }
      return;
    }
    var p = PALETTE;
    document.querySelectorAll(".gx-chart").forEach(function (el) {
      var fig = figureOf(el);
      var data = (fig.data || []).map(function (trace) {
        if (trace.type === "pie") return Object.assign({marker: {colors: p.colors}}, trace);
        return trace;
      });
      var layout = layoutFor(fig, p, el);
      if (allZero(data)) {
        // An empty plot reads as "no data"; say that every figure is zero.
        layout.annotations = [{text: "全部为 0", showarrow: false, xref: "paper", yref: "paper", x: 0.5, y: 0.5,
                               font: {size: 16, color: p.text}}];
      }
      window.Plotly.react(el, data, layout, {responsive: true, displaylogo: false, displayModeBar: false,
                                             scrollZoom: false, doubleClick: false, showTips: false});
      el.setAttribute("data-drawn", "1");
    });
  }

  if (window.document$ && window.document$.subscribe) {
    window.document$.subscribe(draw);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
