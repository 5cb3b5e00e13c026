// Sortable and filterable tables (.gx-sortable), and the source text of a number
// on tap: touch screens have no hover, so tapping a table cell with a title shows
// that title below the table. Re-initialised after Material's instant navigation.
(function () {
  function key(cell) {
    var v = cell.getAttribute("data-v");
    if (v === null) return {empty: true};
    var n = parseFloat(v);
    return isNaN(n) ? {text: v} : {num: n};
  }

  function compare(a, b) {
    if (a.empty || b.empty) return (a.empty ? 1 : 0) - (b.empty ? 1 : 0);
    if (a.num !== undefined && b.num !== undefined) return a.num - b.num;
    return String(a.text !== undefined ? a.text : a.num).localeCompare(String(b.text !== undefined ? b.text : b.num), "zh");
  }

  function sortBy(table, index, th) {
    var descending = th.getAttribute("aria-sort") === "ascending";
    table.querySelectorAll("th").forEach(function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", descending ? "descending" : "ascending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (r1, r2) {
      var a = key(r1.cells[index]), b = key(r2.cells[index]);
      if (a.empty || b.empty) return compare(a, b); // rows without a value stay last
      var c = compare(a, b);
      return descending ? -c : c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }

  function setup(box) {
    if (box.getAttribute("data-ready")) return;
    box.setAttribute("data-ready", "1");
    var table = box.querySelector("table");
    table.querySelectorAll("thead th").forEach(function (th, index) {
      th.tabIndex = 0;
      th.classList.add("gx-sort");
      th.addEventListener("click", function () { sortBy(table, index, th); });
      th.addEventListener("keydown", function (e) { if (e.key === "Enter") sortBy(table, index, th); });
    });
    var input = box.querySelector(".gx-filter");
    if (input) {
      input.addEventListener("input", function () {
        var q = input.value.trim().toLowerCase();
        Array.prototype.forEach.call(table.tBodies[0].rows, function (r) {
          r.hidden = q !== "" && r.cells[0].textContent.toLowerCase().indexOf(q) === -1;
        });
      });
    }
  }

  // The source of a figure, shown in a row right under the cell's own row (not under the
  // table: on a phone that was a screen's height away), on a tap, a click or keyboard focus;
  // the row is a live region, so a screen reader reads it out.
  function showSource(event) {
    var cell = event.target.closest && event.target.closest(".gx-data td[title]");
    if (!cell) return;
    var table = cell.closest("table");
    var old = table.querySelector("tr.gx-source-row");
    if (old) old.parentNode.removeChild(old);
    var row = cell.parentNode;
    var note = document.createElement("tr");
    note.className = "gx-source-row";
    var text = document.createElement("td");
    text.colSpan = row.cells.length;
    text.className = "gx-source-note";
    text.setAttribute("role", "status");
    var words = document.createElement("span");  // kept in view when the table is scrolled sideways
    // textContent, never innerHTML: the title holds report text.
    words.textContent = cellLabel(table, cell) + "：" + cell.textContent + " — " + cell.getAttribute("title");
    text.appendChild(words);
    note.appendChild(text);
    row.parentNode.insertBefore(note, row.nextSibling);
  }

  // A table holds every year of its kind (report_tables.py). Table A (.gx-a) has a column per
  // year; tables B and C have a row per template row, holding its label alone, and under it a
  // row per year, whose first cell is the year.
  function yearOf(table, cell) {
    if (table.classList.contains("gx-a")) return table.tHead.rows[0].cells[cell.cellIndex].textContent;
    return cell.parentNode.cells[0].textContent;
  }

  // What a cell is: its row's label and its year ("（一）予以公开 · 2021").
  function cellLabel(table, cell) {
    var row = cell.parentNode;
    if (table.classList.contains("gx-a")) return row.cells[0].textContent + " · " + yearOf(table, cell);
    var label = row;
    while (label && !label.querySelector("th[colspan]")) label = label.previousElementSibling;
    return (label ? label.cells[0].textContent + " · " : "") + yearOf(table, cell);
  }

  // A table's data-src lists each value cell's provenance in reading order
  // (report_tables._Cells): null (none), a step in lines from the line of the previous
  // cell of the same year (the source text is the number shown), or [step or null, text];
  // a run of n equal entries is written [entry, n] (report_tables.runs).
  // What a step counts: 行 (a line of the file) unless data-units says otherwise for the
  // cell's year (页, a PDF's page).
  function expandRuns(coded) {
    var entries = [];
    coded.forEach(function (e) {
      if (Array.isArray(e) && typeof e[1] === "number") {
        for (var k = 0; k < e[1]; k++) entries.push(e[0]);
      } else {
        entries.push(e);
      }
    });
    return entries;
  }

  // Each year's cells step from that year's previous cell: `previous` is kept per year.
  function sourceTitles(entries, cells, table, units) {
    var titles = [], previous = {};
    for (var i = 0; i < entries.length; i++) {
      var e = entries[i], line = 0, text = cells[i] ? cells[i].textContent : "";
      if (e === null || e === undefined || !cells[i]) { titles.push(""); continue; }
      var year = yearOf(table, cells[i]), from = previous[year] || 0;
      if (typeof e === "number") { line = from + e; previous[year] = line; }
      else { text = e[1]; if (e[0] !== null) { line = from + e[0]; previous[year] = line; } }
      titles.push("原文“" + text + "”" + (line ? "，第" + line + (units[year] || "行") : ""));
    }
    return titles;
  }

  // A row label of table B or C spans the table's width, so it cannot stay in view itself while
  // the table scrolls sideways on a phone; its text in a span can (gxsite.css).
  function keepLabelsInView(table) {
    table.querySelectorAll("tbody th[colspan]").forEach(function (th) {
      var span = document.createElement("span");
      while (th.firstChild) span.appendChild(th.firstChild);
      th.appendChild(span);
    });
  }

  function addSources(table) {
    if (table.getAttribute("data-ready")) return;
    table.setAttribute("data-ready", "1");
    keepLabelsInView(table);
    var entries = expandRuns(JSON.parse(table.getAttribute("data-src") || "[]"));
    var doubts = JSON.parse(table.getAttribute("data-doubts") || "[]");
    var cells = table.querySelectorAll("tbody td");
    var units = JSON.parse(table.getAttribute("data-units") || "{}");
    var sources = sourceTitles(entries, cells, table, units);
    for (var i = 0; i < cells.length; i++) {
      var d = cells[i].getAttribute("data-d");
      var parts = [sources[i] || "", d === null ? "" : doubts[+d || 0] || ""];
      var title = parts.filter(Boolean).join("；");
      if (title) {
        cells[i].setAttribute("title", title);
        cells[i].tabIndex = 0;  // reachable by keyboard; focus shows the source (showSource)
      }
    }
  }

  // What a finding is about, as the page says it: the agency (the page's title), the
  // report (the heading of its section) and the result.
  function findingName(finding) {
    var heading = finding.closest(".gx-findings");
    while (heading && heading.tagName !== "H2") heading = heading.previousElementSibling;
    var agency = document.querySelector("article h1");
    var result = finding.firstElementChild && finding.firstElementChild.tagName === "A" ?
      finding.firstElementChild.textContent : finding.firstChild.textContent;
    return (agency ? agency.textContent.trim() + " " : "") + (heading ? heading.textContent.trim() : "") +
      "·" + result.trim();
  }

  // "本站可能读错了？" beside each finding: a link to the report form whose address the
  // site's configuration gives (meta gx-feedback), prefilled with the page and the finding.
  // The text goes in as text nodes and URL parameters, never as markup.
  function addFeedback(finding) {
    var meta = document.querySelector('meta[name="gx-feedback"]');
    if (!meta || !meta.content || finding.querySelector(".gx-feedback")) return;
    var what = findingName(finding);
    var items = Array.prototype.map.call(finding.querySelectorAll("li"), function (li) { return "- " + li.textContent; });
    var body = "页面：" + location.href.split("#")[0] + "#" + finding.id + "\n\n" + what + "\n" + items.join("\n") +
      "\n\n原文中的数字是：";
    var link = document.createElement("a");
    link.className = "gx-feedback";
    link.href = meta.content + "?title=" + encodeURIComponent("可能读错：" + what) + "&body=" + encodeURIComponent(body);
    link.rel = "nofollow noopener";
    link.textContent = "本站可能读错了？";
    finding.appendChild(link);
  }

  function start() {
    document.querySelectorAll(".gx-sortable").forEach(setup);
    document.querySelectorAll("table.gx-data[data-src]").forEach(addSources);
    document.querySelectorAll(".gx-findings .gx-finding[id]").forEach(addFeedback);
  }

  document.addEventListener("click", showSource);
  document.addEventListener("focusin", showSource);
  if (window.document$ && window.document$.subscribe) {
    window.document$.subscribe(start);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
