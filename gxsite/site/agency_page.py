"""One page per agency (content/agencies/<slug>/index.md, from templates/agency.md and
report.html): the charts, tables A, B and C of every year with the source text of every
number (report_tables), then each year's headline figures, badges, findings in words, and
what could not be read.

Search (content.search_entries) knows the name, its pinyin and the summary sentence.
"""

from __future__ import annotations

import re

from gxsite.site import blocks
from gxsite.site import charts
from gxsite import checks
from gxsite.checks import rulekit
from gxsite.parsing import slugs
from gxsite.site import markup as m
from gxsite.site.regions import OTHER_NAME, OTHER_SLUG, Region
from gxsite.site import report_tables
from gxsite.site import templates
from gxsite import record as rec
from gxsite.report import Check, Report, Source


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
                            badges=badges(record, key), missing=report_tables.missing(record),
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
    keys = section_keys(records)
    tables = report_tables.tables([report_tables.year_of(r, key) for key, r in zip(keys, records)])
    return templates.render("agency.md", front_matter=templates.html(m.front_matter(about)), name=name,
                            summary=about, intro=templates.html(intro),
                            tables=templates.html(blocks.deferred(tables)) if tables else "",
                            sections=[report_section(r, key) for key, r in zip(keys, records)])
