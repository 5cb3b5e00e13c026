"""The charts on the site, each with the table of its numbers shown beside it for readers
without JavaScript and for screen readers: a chart is (title, headers, rows).

An agency page's chart is drawn by assets/charts.js from that table itself, as its
`plot` words say (Chart.plot): the numbers are written once. The home page's charts
are not their tables (a pie, labels that count reports, a bar that says 不适用): they
carry a Plotly figure spec (a plain dict) in a `data-figure` attribute, to which
charts.js adds the shared layout (the palette's colors, margins, fonts).

Labels derived from reports pass through markup.plotly_text() in a figure spec, and
through charts.js's own escaping when read from a table: plotly renders some HTML in labels.
"""

from __future__ import annotations

from dataclasses import dataclass

from gxsite import record as rec
from gxsite.site.markup import plotly_text
from gxsite.report import CellRef, Provenance, Report

# Outcome groups of table B (their rows sum to （七）总计), as the charts show them.
OUTCOME_GROUPS = [
    ("予以公开", ("granted",)),
    ("部分公开", ("partially_granted",)),
    ("不予公开", tuple(k for k, _ in rec.request_rows("2021") if k.startswith("denied_"))),
    ("无法提供", tuple(k for k, _ in rec.request_rows("2021") if k.startswith("unavailable_"))),
    ("不予处理", tuple(k for k, _ in rec.request_rows("2021") if k.startswith("not_processed_"))),
    ("其他处理", ("other_processing", "other_overdue_correction", "other_unpaid_fee", "other_other")),
]


@dataclass
class Chart:
    title: str
    figure: dict | None  # None: drawn from the table, as `plot` says
    headers: list[str]
    rows: list[list[object]]
    # How charts.js draws the table, in words: "bar" or "line"; for bars "group" or
    # "stack"; "rows" when each row is a trace (else each column after the first is, over
    # the first column); "total" when the last column is a total, not drawn.
    plot: str = ""


def _certain(record: Report, table: str, row: str, column: int) -> int | float | None:
    """A figure that sums, rates and charts may use: None when it was not read, or read with
    a doubt (a problem on its cell), since a derived figure must never rest on a guess."""
    cell = record.cell(CellRef(table, row, column))
    value = cell.value
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not cell.certain:
        return None
    return value


def site_wide_sources(provenance: dict[str, Provenance]) -> dict[str, Provenance]:
    """The sources the pages about every agency read (_left_blank): those of the 总计 cells of
    table B left blank. file_records.slim keeps only these in the build's memory."""
    return {path: source for path, source in provenance.items() if site_wide_source(path, source.text)}


def site_wide_source(path: str, text) -> bool:
    """Whether the source at `path`, reading `text`, is one of site_wide_sources: a 总计 cell
    of table B left blank."""
    return path.startswith("requests.") and path.endswith("[6]") and not str(text).strip()


def _left_blank(record: Report, row: str) -> bool:
    """A 总计 cell the publisher left blank beside applicants' figures: read as 0 (a blank is 0
    in the form), but not a total anything may be derived from."""
    source = record.provenance.get(CellRef("requests", row, 6).path)
    applicants = record.requests.get(row) or []
    return (source is not None and not str(source.text).strip()
            and any(isinstance(v, (int, float)) and v > 0 for v in applicants[:6]))


def cell(record: Report, row: str, column: int) -> int | float | None:
    if column == 6 and _left_blank(record, row):
        return None
    return _certain(record, "requests", row, column)


def outcome_total(record: Report, keys: tuple[str, ...]) -> int | float | None:
    """Sum of the 总计 column over the rows of `keys` the record's template has; None when
    any of them is unknown or doubtful."""
    present = [key for key in keys if key in record.requests]
    values = [cell(record, key, 6) for key in present]
    return None if not values or None in values else sum(values)


def review_total(record: Report, group: str) -> int | float | None:
    return _certain(record, "reviews", group, 4)


def year_label(record: Report) -> str:
    return f"{record.year}" if isinstance(record.year, int) else "年份不详"


def _layout(title: str, **extra) -> dict:
    return {"title": {"text": plotly_text(title)}, **extra}


def requests_by_applicant(records: list[Report]) -> Chart | None:
    """Grouped bars: new requests by applicant type, one trace per year."""
    shown = [r for r in records if r.requests.get("new_received")]
    if not shown:
        return None
    title = "本年新收申请（按申请人类型）"
    rows = [[year_label(r)] + [cell(r, "new_received", i) for i in range(7)] for r in shown]
    return Chart(title, None, ["年度"] + rec.COLUMNS, rows, plot="bar group rows total")


def outcomes(records: list[Report]) -> Chart | None:
    """Stacked bars: how requests were handled, by year (table B 总计 column)."""
    shown = [r for r in records if r.requests]
    if not shown:
        return None
    title = "办理结果（总计列）"
    rows = [[year_label(r)] + [outcome_total(r, keys) for _, keys in OUTCOME_GROUPS] for r in shown]
    return Chart(title, None, ["年度"] + [name for name, _ in OUTCOME_GROUPS], rows, plot="bar stack")


def trend(records: list[Report]) -> Chart | None:
    """Lines over the years: requests received and handled. Only with several years."""
    shown = [r for r in records if isinstance(r.year, int) and r.requests]
    if len({r.year for r in shown}) < 2:
        return None
    title = "历年申请数量"
    rows = [[r.year, cell(r, "new_received", 6), cell(r, "total", 6)] for r in shown]
    return Chart(title, None, ["年度", "本年新收", "办理总计"], rows, plot="line")


def reviews(records: list[Report]) -> Chart | None:
    """Grouped bars: reconsiderations and lawsuits (table C totals) by year."""
    shown = [r for r in records if r.reviews]
    if not shown:
        return None
    title = "行政复议和行政诉讼（总计）"
    rows = [[year_label(r)] + [review_total(r, group) for group, _ in rec.REVIEW_GROUPS] for r in shown]
    return Chart(title, None, ["年度"] + [label for _, label in rec.REVIEW_GROUPS], rows, plot="bar group")


def corpus_requests_by_year(records: list[Report]) -> Chart | None:
    """Home: new requests received by all agencies, per reporting year."""
    totals: dict[int, int] = {}
    counts: dict[int, int] = {}
    for r in records:
        value = cell(r, "new_received", 6)
        if isinstance(r.year, int) and value is not None:
            totals[r.year] = totals.get(r.year, 0) + value
            counts[r.year] = counts.get(r.year, 0) + 1
    if not totals:
        return None
    title = "各年度本年新收申请（全部机关；括号内为该年度读到的报告数）"
    years = sorted(totals)
    # Each year's bar sums a different set of reports: the label says how many, so that a year
    # of 22 reports beside one of 75 does not read as a collapse.
    labels = [f"{y}（{counts[y]}份）" for y in years]
    figure = {"data": [{"type": "bar", "name": "本年新收", "x": labels, "y": [totals[y] for y in years]}],
              "layout": _layout(title, xaxis={"type": "category"})}
    return Chart(title, figure, ["年度", "本年新收申请", "报告数"], [[y, totals[y], counts[y]] for y in years])


def corpus_outcomes(records: list[Report]) -> Chart | None:
    """Home: how all requests were handled (all years together)."""
    sums = []
    for name, keys in OUTCOME_GROUPS:
        values = [outcome_total(r, keys) for r in records]
        sums.append(sum(v for v in values if v is not None))
    if not any(sums):
        return None
    title = "办理结果构成（全部报告）"
    names = [name for name, _ in OUTCOME_GROUPS]
    figure = {"data": [{"type": "pie", "labels": names, "values": sums, "sort": False, "hole": 0.4}],
              "layout": _layout(title)}
    return Chart(title, figure, ["办理结果", "件数"], [[n, s] for n, s in zip(names, sums)])


def corpus_rule_pass_share(records: list[Report], rules: list) -> Chart | None:
    """Home: for each rule, the share of reports it applies to that pass it."""
    rows = []
    for rule in rules:
        statuses = [c.status for r in records for c in r.checks if c.rule == rule.id]
        applicable = [s for s in statuses if s != "n/a"]
        passed = sum(1 for s in applicable if s == "pass")
        share = round(100 * passed / len(applicable), 1) if applicable else None
        rows.append([rule.title_zh, passed, len(applicable), share if share is not None else "不适用"])
    if not rows:
        return None
    title = "各项检查的通过率（%；“不适用”表示没有可检查的报告）"
    # A rule that applies to no report is 不适用, written where its bar would be, not a bar of 0%.
    shares = [r[3] if isinstance(r[3], float) else None for r in rows]
    figure = {"data": [{"type": "bar", "orientation": "h", "name": "通过率",
                        "y": [plotly_text(r[0]) for r in rows], "x": shares,
                        "text": ["" if v is not None else "不适用" for v in shares], "textposition": "outside"}],
              "layout": _layout(title, xaxis={"range": [0, 100]}, yaxis={"autorange": "reversed"},
                                margin={"l": 160})}
    return Chart(title, figure, ["检查", "通过", "适用报告数", "通过率（%）"], rows)
