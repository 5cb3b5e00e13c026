"""Tables A, B and C of an agency page: each kind once for all the agency's reports, with the
source text of every number (data-src, which assets/tables.js turns into each cell's title).

One table of each kind, not one per year: a row label of the national template is written
once, not once a year (four years of tables held 7 KB of labels, most of a page, and a site
of 100,000 reports must stay within a static host's 1 GB). Table A puts the years side by
side, one table per version of the template (their items differ); tables B and C put each
template row's label on a row of its own and one row per year under it.
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass

from gxsite import record as rec
from gxsite.checks import rulekit
from gxsite.report import CellRef, Problem, Provenance, Report, covering_places
from gxsite.site import blocks
from gxsite.site import markup as m


@dataclass
class Year:
    """One report as the tables show it: the heading of its column or rows, and what its
    cells need (its doubtful places, and how a reader finds a figure in its source)."""
    record: Report
    heading: str
    doubts: dict[str, list[Problem]]
    lines: str | None  # the provenance field of shown_line: "line", "page", or None
    unit: str  # what that field counts: 行 or 页 ("" when there is none)


def heading(key: str) -> str:
    """A report's heading in the tables, from its section key (agency_page.section_keys):
    2021, 2021（第2份）, 年度不详."""
    year, _, copy = key.partition("-")
    name = "年度不详" if year == "undated" else year
    return f"{name}（第{copy}份）" if copy else name


def year_of(record: Report, key: str) -> Year:
    doubts: dict[str, list[Problem]] = {}
    for problem in record.problems:
        doubts.setdefault(problem.where or "", []).append(problem)
    if record.source.format == "pdf":
        # a PDF figure is found by its page, not by a line of the text laid out from it
        lines, unit = "page", "页"
    elif record.source.format == "docx":
        # a Word file has no lines a reader could count: its figures show their text only
        # (their table and row are in the downloads' provenance)
        lines, unit = None, ""
    else:
        lines, unit = "line", "行"
    return Year(record, heading(key), doubts, lines, unit)


# ---------------------------------------------------------------- numbers with their source

def shown_line(source: Provenance, lines: str | None) -> int:
    """The number a reader finds a figure by: its `lines` field ('line', or 'page' in a PDF, whose
    text was laid out by us), 0 when there is none (a Word file has no lines a reader could count)."""
    line = getattr(source, lines) if lines else 0
    return line if isinstance(line, int) else 0


def source_entry(provenance: dict[str, Provenance], path: str, shown: str, lines: str | None = "line") -> object:
    """A cell's provenance (from the record's provenance map) in the table's data-src list: its line when the source
    text reads as the number shown, [line, text] otherwise, 0 when there is none.

    Per-cell title attributes would double the size of a page with four years of
    tables; assets/tables.js turns this list into titles ("原文“0?”，第12行")."""
    source = provenance.get(path)
    if source is None:
        return 0
    line = shown_line(source, lines)
    text = str(source.text)
    return line if text == shown and line else [line, text]


def runs(entries: list[object]) -> list[object]:
    """A data-src list (_Cells) with each run of equal entries written once with its length: [entry, n]
    (n a number, where the second item of a [step, text] entry is text). A row's cells mostly
    step alike (0 on one line, 2 on every other line), and the cells of a flattened row all
    carry the same text: a third of a table's sources at most, then."""
    out: list[object] = []
    for entry, group in itertools.groupby(entries):
        count = len(list(group))
        if count >= 3 or (count == 2 and isinstance(entry, list)):
            out.append([entry, count])
        else:
            out.extend([entry] * count)
    return out


def _delta(entry: object, previous: int) -> tuple[object, int]:
    """A source_entry() as the step from the line `previous` (0 → null, n → n - previous,
    [n, text] → [n - previous, text], [null, text] when n is 0), and the line the next one
    steps from."""
    if entry == 0:
        return None, previous
    if isinstance(entry, int):
        return entry - previous, entry
    if entry[0]:
        return [entry[0] - previous, entry[1]], entry[0]
    return [None, entry[1]], previous


class _Cells:
    """The value cells of one table in reading order: their HTML, their data-src list and the
    doubts they name (data-doubts). The data-src list is the sources as steps (_delta), each year's
    cells stepping from that year's previous cell (not the table's: the years' sources are
    different files), so that a row of one year mostly repeats one step (runs)."""

    def __init__(self) -> None:
        self.sources: list[object] = []
        self.previous: dict[str, int] = {}  # year heading → the line its next cell steps from
        self.notes: dict[str, int] = {}

    def cells(self, year: Year, cells: list[tuple[str, object]]) -> str:
        out = []
        provenance = year.record.provenance
        previous = self.previous.get(year.heading, 0)
        for path, value in cells:
            shown = str(value) if type(value) is int else blocks.number(value)
            if value is not None and not year.doubts:
                # Most cells: no doubt, and a source line that reads as the number shown.
                source = provenance.get(path)
                line = shown_line(source, year.lines) if source is not None else 0
                if line and source.text == shown:
                    out.append(f"<td>{shown}")
                    self.sources.append(line - previous)
                    previous = line
                    continue
            out.append(self._marked(year, path, value, shown))
            coded, previous = _delta(source_entry(provenance, path, shown, year.lines), previous)
            self.sources.append(coded)
        self.previous[year.heading] = previous
        return "".join(out)

    def _marked(self, year: Year, path: str, value: object, shown: str) -> str:
        """A cell that is not read, doubtful or whose source reads otherwise. A doubtful cell names
        its doubt by index into the table's data-doubts list: one flattened row can put the same
        long message on a hundred cells."""
        problems = [p for place in covering_places(path) for p in year.doubts.get(place, [])] if year.doubts else []
        if not problems and value is not None:
            return f"<td>{shown}"
        texts = ["未能读取"] if value is None else []
        texts += [f"存疑：{p.message or p.code}" for p in problems]
        note = self.notes.setdefault("；".join(texts), len(self.notes))
        # Compact on purpose (a flattened table marks every cell): data-d alone means note 0.
        return f"<td {'data-d' if note == 0 else f'data-d={note}'}>{shown}"

    def table(self, css: str, caption: str, headers: list[str], body: list[str], years: list[Year]) -> str:
        """The table. data-units: the unit of each year whose figures are not found by line (a PDF's
        pages), by its heading."""
        head = "".join(f"<th>{_template_text(h)}" for h in headers)
        doubts = f" data-doubts='{m.json_attr(list(self.notes))}'" if self.notes else ""
        units = {y.heading: y.unit for y in years if y.unit not in ("行", "")}
        unit = f" data-units='{m.json_attr(units)}'" if units else ""
        return (f"<table class=\"gx-data {css}\" data-src='{m.json_attr(runs(self.sources))}'{doubts}{unit}>"
                f"<caption>{_template_text(caption)}<thead><tr>{head}<tbody>{''.join(body)}</table>")


# No end tag of a caption, cell, row, head or body: HTML closes each itself, and four years of
# tables hold ~1,000 cells (5 KB of end tags on the largest pages). A phone's hint that a wide
# table scrolls sideways is the stylesheet's (gxsite.css), not a paragraph after every table.

@functools.lru_cache(maxsize=512)
def _template_text(label: str) -> str:
    """m.text of a caption, header or row label: a few hundred constant strings (and the
    years' headings), escaped ~120 times per report otherwise."""
    return m.text(label)


# ---------------------------------------------------------------- the tables

def table_a(years: list[Year]) -> list[str]:
    """Table A with the years side by side: one table per version of the template."""
    versions: dict[str, list[Year]] = {}
    for year in years:
        if year.record.active:
            versions.setdefault(rec.layout_template(year.record.template), []).append(year)
    tables = []
    for template, members in versions.items():
        cells, body = _Cells(), []
        for item, (item_label, fields) in rec.ACTIVE[template].items():
            for (field, field_label), path in zip(fields, rec.item_paths(template, item)):
                row = "".join(cells.cells(y, [(path, y.record.value(CellRef("active", item, field)))]) for y in members)
                body.append(f"<tr><th>{_template_text(f'{item_label}·{field_label}')}{row}")
        version = f"（{template}年版模板）" if len(versions) > 1 else ""
        tables.append(cells.table("gx-a", f"表A 主动公开政府信息情况{version}", ["项目", *(y.heading for y in members)],
                                  body, members))
    return tables


@functools.lru_cache(maxsize=8)
def request_rows(templates: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """The rows of table B of every version in `templates` (oldest first), in the template's
    order: a row only one version has comes after the row it follows there; a row's label is
    the newest version's."""
    rows: list[tuple[str, str]] = []
    for template in templates:
        previous = None
        for key, label in rec.request_rows(template):
            keys = [k for k, _ in rows]
            if key in keys:
                rows[keys.index(key)] = (key, label)
            else:
                rows.insert(keys.index(previous) + 1 if previous is not None else 0, (key, label))
            previous = key
    return tuple(rows)


def _by_row(css: str, caption: str, columns: list[str], years: list[Year], table: str,
            rows: tuple[tuple[str, str], ...]) -> str:
    """A table of template rows, each its label's row and under it one row per year that has it."""
    cells, body = _Cells(), []
    width = len(columns)
    for key, label in rows:
        having = [y for y in years if table == "reviews" or key in _row_keys(rec.layout_template(y.record.template))]
        if not having:
            continue
        body.append(f"<tr><th colspan={width + 1}>{_template_text(label)}")
        for year in having:
            values = rulekit.row_values(year.record, table, key, width)
            body.append(f"<tr><th>{_template_text(year.heading)}"
                        + cells.cells(year, list(zip(rec.row_paths(table, key, width), values))))
    return cells.table(css, caption, ["年度", *columns], body, years)


@functools.lru_cache(maxsize=4)
def _row_keys(template: str) -> frozenset[str]:
    return frozenset(key for key, _ in rec.request_rows(template))


def table_b(years: list[Year]) -> str:
    shown = [y for y in years if y.record.requests]
    if not shown:
        return ""
    versions = tuple(sorted({rec.layout_template(y.record.template) for y in shown}))
    return _by_row("gx-years", "表B 收到和处理政府信息公开申请情况", rec.COLUMNS, shown, "requests",
                   request_rows(versions))


def table_c(years: list[Year]) -> str:
    shown = [y for y in years if y.record.reviews]
    if not shown:
        return ""
    return _by_row("gx-years", "表C 政府信息公开行政复议、行政诉讼情况", rec.REVIEW_COLUMNS, shown, "reviews",
                   tuple(rec.REVIEW_GROUPS))


def tables(years: list[Year]) -> str:
    """Tables A, B and C of every report, or nothing when no report has any."""
    parts = [*table_a(years), table_b(years), table_c(years)]
    shown = "".join(parts)
    return f'<div class="gx-tables">{shown}</div>\n' if shown else ""


def missing(record: Report) -> str:
    """The tables of a report that could not be read: 表A、表C."""
    return "、".join(name for name, key in (("表A", "active"), ("表B", "requests"), ("表C", "reviews"))
                    if not getattr(record, key))
