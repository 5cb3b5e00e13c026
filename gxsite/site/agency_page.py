"""One page per agency (content/agencies/<slug>/index.md, from templates/agency.md and
report.html): every year's badges, headline figures, charts, tables A, B and C with the
source text of every number, the findings in words, and what could not be read.

Search (content.search_entries) knows the name, its pinyin and the summary sentence.
"""

from __future__ import annotations

import functools
import itertools
import re

from gxsite.site import blocks
from gxsite.site import charts
from gxsite import checks
from gxsite.checks import rulekit
from gxsite.parsing import slugs
from gxsite.site import markup as m
from gxsite.site.regions import OTHER_NAME, OTHER_SLUG, Region
from gxsite.site import templates
from gxsite import record as rec
from gxsite.report import CellRef, Check, Problem, Provenance, Report, Source, covering_places


# Findings shown open per rule and report; the rest are folded below them.
MAX_FINDINGS = 3


def agency_title(record: Report) -> str:
    """The agency's name; for a report that names no body, what it does say of itself (its
    title, else its year), never the maintainer's file name."""
    if record.agency.name:
        return record.agency.name
    if record.title:
        return f"未识别机关：{record.title}"
    year = record.year
    return f"未识别机关的{year}年度报告" if isinstance(year, int) else "未识别机关的报告"


def report_order(record: Report) -> tuple:
    year = record.year
    return (year if isinstance(year, int) else 0, record.source.path)


def section_keys(records: list[Report]) -> list[str]:
    """The anchor of each report's section on its agency page, in report_order: its year
    (#2021), a copy of the same year #2021-2, a report of unknown year #undated. An address
    that names the year a reader meant, and stays when other years are added."""
    keys: list[str] = []
    for record in records:
        key = str(record.year) if isinstance(record.year, int) else "undated"
        keys.append(key if key not in keys else f"{key}-{sum(k.split('-')[0] == key for k in keys) + 1}")
    return keys


def safe_id(rule_id: object) -> str:
    """A rule id as it may appear in ids and URLs (rule ids are kebab-case already)."""
    return re.sub(r"[^a-z0-9-]", "", str(rule_id).lower())


def rule_anchor(key: str, rule_id: object) -> str:
    """The id of a rule's finding in a report section (its section_keys key): #2021-balance."""
    return f"{key}-{safe_id(rule_id)}"


# ---------------------------------------------------------------- numbers with their source

def _doubts(record: Report) -> dict[str, list[Problem]]:
    found: dict[str, list[Problem]] = {}
    for problem in record.problems:
        found.setdefault(problem.where or "", []).append(problem)
    return found


def _doubts_for(path: str, doubts: dict[str, list[Problem]]) -> list[Problem]:
    """The problems that make a cell doubtful (those Report.doubted counts), the narrowest first."""
    return [p for place in covering_places(path) for p in doubts.get(place, [])]


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


def delta_lines(entries: list[object]) -> list[object]:
    """source_entry()s with each line written as the step from the previous known
    line (cells of a row mostly sit on the same or the next lines): 0 → null,
    n → n - previous, [n, text] → [n - previous, text] ([null, text] when n is 0)."""
    out, previous = [], 0
    for entry in entries:
        coded, previous = _delta(entry, previous)
        out.append(coded)
    return out


def runs(entries: list[object]) -> list[object]:
    """delta_lines() with each run of equal entries written once with its length: [entry, n]
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
    """One entry of delta_lines, and the line the next one steps from."""
    if entry == 0:
        return None, previous
    if isinstance(entry, int):
        return entry - previous, entry
    if entry[0]:
        return [entry[0] - previous, entry[1]], entry[0]
    return [None, entry[1]], previous


def _value_cell(provenance: dict, path: str, value: object, doubts: dict, notes: dict[str, int],
                lines: str | None) -> tuple[str, object]:
    """A value cell and its provenance entry. A doubtful cell names its doubt by
    index into the table's data-doubts list: one flattened row can put the same
    long message on a hundred cells."""
    shown = blocks.number(value)
    # Most reports have no doubts at all: skip the per-cell lookups then.
    problems = _doubts_for(path, doubts) if doubts else []
    if not problems and value is not None:
        return f"<td>{shown}", source_entry(provenance, path, shown, lines)
    texts = ["未能读取"] if value is None else []
    texts += [f"存疑：{p.message or p.code}" for p in problems]
    note = notes.setdefault("；".join(texts), len(notes))
    # Compact on purpose (a flattened table marks every cell): data-d alone means note 0.
    marker = "data-d" if note == 0 else f"data-d={note}"
    return f"<td {marker}>{shown}", source_entry(provenance, path, shown, lines)


def _table(caption: str, headers: list[str], rows: list[tuple[str, list[tuple[str, object]]]],
           record: Report, doubts: dict) -> str:
    head = "".join(f"<th>{_template_text(h)}" for h in headers)
    lines, unit = "line", ""
    if record.source.format == "pdf":
        # a PDF figure is found by its page, not by a line of the text laid out from it
        lines, unit = "page", ' data-unit="页"'
    elif record.source.format == "docx":
        # a Word file has no lines a reader could count: its figures show their text only
        # (their table and row are in the downloads' provenance)
        lines = None
    notes: dict[str, int] = {}
    if doubts:
        body, sources = _rows_with_doubts(rows, record.provenance, doubts, notes, lines)
    else:
        body, sources = _plain_rows(rows, record.provenance, notes, lines)
    doubt_list = f" data-doubts='{m.json_attr(list(notes))}'" if notes else ""
    return (f"<table class=\"gx-data\" data-src='{m.json_attr(runs(sources))}'{doubt_list}{unit}>"
            f"<caption>{_template_text(caption)}<thead><tr>{head}<tbody>{''.join(body)}</table>")


# No end tag of a caption, cell, row, head or body: HTML closes each itself, and four years of
# tables hold ~1,000 cells (5 KB of end tags on the largest pages). A phone's hint that a wide
# table scrolls sideways is the stylesheet's (gxsite.css), not a paragraph after every table.

def _rows_with_doubts(rows, provenance: dict, doubts: dict, notes: dict[str, int],
                      lines: str | None) -> tuple[list[str], list[object]]:
    """The table's body rows and its data-src list (delta_lines of the cells' sources)."""
    body, entries = [], []
    for label, cells in rows:
        rendered = [_value_cell(provenance, path, value, doubts, notes, lines) for path, value in cells]
        body.append(f"<tr><th>{_template_text(label)}" + "".join(cell for cell, _ in rendered))
        entries.extend(entry for _, entry in rendered)
    return body, delta_lines(entries)


def _plain_rows(rows, provenance: dict, notes: dict[str, int], lines: str | None) -> tuple[list[str], list[object]]:
    """_rows_with_doubts for a report without doubts (most of them: ~200 cells each),
    in one pass: a cell whose source line reads as the number shown, the common
    case, is written and delta-coded here; any other goes through _value_cell."""
    body, sources, previous = [], [], 0
    for label, cells in rows:
        row = [f"<tr><th>{_template_text(label)}"]
        for path, value in cells:
            shown = str(value) if type(value) is int else blocks.number(value)
            source = provenance.get(path)
            line = shown_line(source, lines) if source is not None else None
            if value is not None and type(line) is int and line and source.text == shown:
                row.append(f"<td>{shown}")
                sources.append(line - previous)
                previous = line
                continue
            cell, entry = _value_cell(provenance, path, value, {}, notes, lines)
            row.append(cell)
            coded, previous = _delta(entry, previous)
            sources.append(coded)
        body.append("".join(row))
    return body, sources


@functools.lru_cache(maxsize=512)
def _template_text(label: str) -> str:
    """m.text of a caption, header or row label of the national template: a few
    hundred constant strings, escaped ~120 times per report otherwise."""
    return m.text(label)


def table_a(record: Report, doubts: dict) -> str:
    template = record.template if record.template in rec.ACTIVE else "2021"
    rows = []
    for item, (item_label, fields) in rec.ACTIVE[template].items():
        for (field, field_label), path in zip(fields, rec.item_paths(template, item)):
            rows.append((f"{item_label}·{field_label}", [(path, record.value(CellRef("active", item, field)))]))
    return _table("表A 主动公开政府信息情况", ["项目", "数量"], rows, record, doubts)


def table_b(record: Report, doubts: dict) -> str:
    template = record.template if record.template in rec.ACTIVE else "2021"
    rows = [(label, list(zip(rec.row_paths("requests", key, 7), rulekit.row_values(record, "requests", key, 7))))
            for key, label in rec.request_rows(template)]
    return _table("表B 收到和处理政府信息公开申请情况", ["项目"] + rec.COLUMNS, rows, record, doubts)


def table_c(record: Report, doubts: dict) -> str:
    rows = [(label, list(zip(rec.row_paths("reviews", group, 5), rulekit.row_values(record, "reviews", group, 5))))
            for group, label in rec.REVIEW_GROUPS]
    return _table("表C 政府信息公开行政复议、行政诉讼情况", ["类别"] + rec.REVIEW_COLUMNS, rows, record, doubts)


def tables(record: Report) -> str:
    doubts = _doubts(record)
    parts = []
    if record.active:
        parts.append(table_a(record, doubts))
    if record.requests:
        parts.append(table_b(record, doubts))
    if record.reviews:
        parts.append(table_c(record, doubts))
    missing = [name for name, key in (("表A", "active"), ("表B", "requests"), ("表C", "reviews")) if not getattr(record, key)]
    note = f'<p class="gx-note">未能读取：{"、".join(missing)}</p>' if missing else ""
    return f'<div class="gx-tables">{"".join(parts)}{note}</div>\n'


# ---------------------------------------------------------------- words

def headline(record: Report) -> str:
    """The year's figures in one sentence (indexed by search)."""
    received = charts.cell(record, "new_received", 6)
    handled = charts.cell(record, "total", 6)
    granted = charts.outcome_total(record, ("granted", "partially_granted"))
    parts = [f"本年新收政府信息公开申请{blocks.number(received)}件" if received is not None else "本年新收申请未能读取",
             f"办理{blocks.number(handled)}件" if handled is not None else "办理件数未能读取",
             f"予以公开或部分公开占比：{blocks.share(granted, handled)}"]
    reconsideration = charts.review_total(record, "reconsideration")
    lawsuits = [charts.review_total(record, g) for g in ("litigation_direct", "litigation_after_reconsideration")]
    litigation = None if any(v is None for v in lawsuits) else sum(lawsuits)
    parts.append(f"行政复议{blocks.number(reconsideration)}件，行政诉讼{blocks.number(litigation)}件")
    return "；".join(parts) + "。"


def _has_finding(check: Check) -> bool:
    return check.status in ("fail", "warn")


def badges(record: Report, key: str) -> list[dict]:
    """The result of every rule, as badges: one per rule broken, unverified or noted, linking
    to its finding below; one for the rules passed, naming each (most of a report's rules
    pass: a badge each made half the page's check results), linking to the list of rules;
    one per rule that does not apply, saying why, linking to the rule's page. In that order:
    what needs a reader's attention first."""
    found, passed, inapplicable = [], [], []
    for check in record.checks:
        css = blocks.result_class(check)
        if _has_finding(check):
            found.append({"css": css, "href": templates.html(f"#{rule_anchor(key, check.rule)}"),
                          "note": "", "text": blocks.verdict_text(check)})
        elif css == "pass":
            passed.append(blocks.rule_name(check))
        else:
            inapplicable.append({"css": css, "href": templates.html(f"../../checks/{safe_id(check.rule)}/"),
                                 "note": check.note or "", "text": blocks.verdict_text(check)})
    if passed:
        found.append({"css": "pass", "href": templates.html("../../checks/"), "note": "",
                      "text": f"{checks.RESULT_TEXT['pass']}：{'、'.join(passed)}"})
    return found + inapplicable


def findings(record: Report, key: str) -> list[dict]:
    """The rules broken, unverified or noted, in words: every finding on the page (folded past
    the first few), each result in its own colour, with a way to tell us we misread."""
    items = []
    for check in record.checks:
        if not _has_finding(check):
            continue
        rule = checks.RULE_BY_ID.get(check.rule)
        messages = [f.get("message") for f in check.findings]
        items.append({
            "anchor": rule_anchor(key, check.rule),
            "css": blocks.result_class(check),
            "title": blocks.verdict_text(check),
            "rule_href": templates.html(f"../../checks/{safe_id(rule.id)}/") if rule else "",
            "shown": messages[:MAX_FINDINGS],
            "folded": messages[MAX_FINDINGS:],
        })
    return items


def problems(record: Report) -> list[dict]:
    """What the parser could not read, one line per kind of doubt (a flattened
    table gives the same doubt for many cells)."""
    groups: dict[tuple, list[str]] = {}
    for p in record.problems:
        key = (p.code, p.message or "", p.text if p.where == "report" else "")
        groups.setdefault(key, []).append(p.where or "")
    items = []
    for (code, message, text), places in groups.items():
        shown = "、".join(rulekit.label(w) for w in places[:3]) + (f"等{len(places)}处" if len(places) > 3 else "")
        items.append({"places": shown, "words": message or rec.PROBLEM_WORDS.get(code or "", "读取存疑"),
                      "text": text})
    return items


def source_line(record: Report) -> str:
    template = {"2019": "2019年版", "2021": "2021年版"}.get(record.template, "未识别")
    tampered = "；原网页被植入了无关内容（已剔除）" if record.agency.tampered else ""
    return (f"{original(record.source)}；发布日期：{m.text(record.published or '不详')}；"
            f"报告模板：{template}{tampered}")


# Only a government site's address becomes a link: a hacked page's canonical link may point
# anywhere, and the site must not send its readers there.
_GOVERNMENT_HOST = re.compile(r"https?://(?:[A-Za-z0-9-]+\.)*gov\.cn(?::\d+)?(?:/|$)", re.IGNORECASE)


def original(source: Source) -> str:
    """Where the report came from: its address (a link when it is a government site's), else
    the file's name as the maintainers received it."""
    url = source.url
    if url and _GOVERNMENT_HOST.match(url):
        return f'原文：<a href="{m.attr(url)}" rel="nofollow noopener noreferrer">{m.text(url)}</a>'
    if url:
        return f"原文地址：<code>{m.text(url)}</code>"
    name = str(source.path or "").rsplit("/", 1)[-1]
    return f"来源文件：<code>{m.text(name)}</code>"


# ---------------------------------------------------------------- the page

def report_section(record: Report, key: str) -> dict:
    """One year's report: a Markdown heading (for the page's table of contents, anchored by
    year) and its body as one deferred block."""
    body = templates.render("report.html", headline=headline(record), source=templates.html(source_line(record)),
                            badges=badges(record, key), tables=templates.html(tables(record)),
                            findings=findings(record, key), problems=problems(record),
                            problem_count=len(record.problems))
    year = f"{record.year} 年度" if isinstance(record.year, int) else "年度不详"
    return {"year": year, "key": key, "body": templates.html(blocks.deferred(body))}


def summary(name: str, records: list[Report]) -> str:
    """The sentence the search and the meta description use: name, pinyin, years, latest figures."""
    years = sorted({r.year for r in records if isinstance(r.year, int)})
    covered = "、".join(str(y) for y in years) or "不详"
    spelled = slugs.spelled(records[-1].agency.name)
    also = f"（拼音：{spelled}）" if spelled else ""
    return f"{name}{also}政府信息公开工作年度报告数据，覆盖年度：{covered}。最近一期：{headline(records[-1])}"


def _where(region: Region | None) -> str:
    """Where the agency is, each place a link to its region page; where its figures are for download."""
    if region is None or not region.places:
        trail, files = [(OTHER_NAME, OTHER_SLUG)], f"“{OTHER_NAME}”"
    else:
        trail, files = [(place.name, path) for place, path in region.trail()], region.places[0].name
    links = " › ".join(f'<a href="../../regions/{path}/">{m.text(name)}</a>' for name, path in trail)
    return (f'<p class="gx-trail">所在地区：{links}</p>'
            f'<p class="gx-downloads">表中每个数字，悬停或轻触即可查看报告原文。本机关的全部数字也在'
            f'<a href="../../data/">数据下载</a>中{m.text(files)}的文件里，')


def agency_page(slug: str, records: list[Report], region: Region | None = None) -> str:
    records = sorted(records, key=report_order)
    name = agency_title(records[-1])
    figures = [blocks.chart(chart) for chart in (charts.requests_by_applicant(records), charts.outcomes(records),
                                                  charts.trend(records), charts.reviews(records))]
    intro = blocks.deferred(_where(region) +
                            f'机关标识（<code>slug</code>列）为 <code>{m.text(slug)}</code>。</p>\n' + "".join(figures))
    about = summary(name, records)
    return templates.render("agency.md", front_matter=templates.html(m.front_matter(about)), name=name,
                            summary=about, intro=templates.html(intro),
                            sections=[report_section(r, key) for key, r in zip(section_keys(records), records)])
