"""The site's fixed pages: home (headline figures, charts, the provinces), the
unread-files page, data downloads with their dictionary, and the methodology.
"""

from __future__ import annotations

from gxsite.site import blocks
from gxsite.site import charts
from gxsite import checks
from gxsite.site import downloads
from gxsite.site import region_pages
from gxsite.site.regions import OTHER_CODE, OTHER_NAME, OTHER_SLUG, Gazetteer
from gxsite.site import templates
from gxsite import record as rec
from gxsite.checks.corpus import one_copy_each
from gxsite.report import Problem, Report

# Why a file gave no record, in words (codes from the parser's problems).
# Problems with the whole file that still leave a report to publish: listed on the unread page too.
PARTLY_READ = {"too-large", "second-report-ignored"}

# Measured on 2026-12-03 with benchmarks/accuracy.py (real reports) and
# benchmarks/parse_accuracy.py (a 2,000-report synthetic corpus from make_corpus.py).
ACCURACY = (
    "- 15份人工逐格核对过的真实报告（5份样本报告，另10份为一个网站爬取的文本、PDF转换的Markdown、OCR识别的"
    "Markdown和一份PDF原件）：2,994个数字全部与人工核对结果一致，读错的数字为0个；机关名称、年度、模板版本、"
    "发布日期79项全部一致；算术规则和页面检查的63个结论全部与人工判断一致，没有把读取问题算作发布机关的错误。\n"
    "- 2,000份合成报告（网页表格、竖线分隔、每格一行、Markdown表格、数字粘连的纯文本、整页一行的爬虫文本等排版；"
    "GBK、UTF-16编码；繁体字；植入垃圾内容）：394,640个数字中393,786个准确、854个留空，读错的数字为0个。"
    "留空的数字来自各格数字连在一起、无法唯一拆分的文本，网站上显示为“—”并注明原因。\n"
    "- 这些真实报告只有15份，其他网站和其他排版的报告可能读得更差。读者可以自己核对：机关页面上每个数字都注明了"
    "它在原文中的文字和位置，数据下载中的每条记录都有原文件的来源；本项目代码中的 `benchmarks/accuracy.py`"
    "可重复上述测量。发现错误请按下文反馈。\n"
)


def _years(records: list[Report]) -> list[int]:
    return sorted({r.year for r in records if isinstance(r.year, int)})


def _sum(values) -> int | float:
    return sum(v for v in values if v is not None)


def headline_figures(agencies: dict[str, list[Report]], records: list[Report]) -> str:
    years = _years(records)
    span = f"{years[0]}—{years[-1]}" if years else "不详"
    # Each figure names the reports it is made of (of a known year, as the year chart): the sum
    # over those whose figure was read, the share over those whose granted and handled figures
    # were both read, numerator and denominator alike.
    dated = [r for r in records if isinstance(r.year, int)]
    received = [v for v in (charts.cell(r, "new_received", 6) for r in dated) if v is not None]
    pairs = [(charts.outcome_total(r, ("granted", "partially_granted")), charts.cell(r, "total", 6)) for r in dated]
    pairs = [(g, h) for g, h in pairs if g is not None and h is not None]
    granted, handled = (_sum(g for g, _ in pairs), _sum(h for _, h in pairs)) if pairs else (None, None)
    items = [("机关", len(agencies)), ("报告", len(records)), ("覆盖年度", span),
             (f"本年新收申请合计（{len(received)}份报告）", blocks.number(sum(received)) if received else "无法计算"),
             (f"予以公开或部分公开占比（{len(pairs)}份报告）", blocks.share(granted, handled))]
    cells = "".join(f'<div class="gx-stat"><span class="gx-stat-value">{v}</span>'
                    f'<span class="gx-stat-label">{k}</span></div>' for k, v in items)
    return f'<div class="gx-stats">{cells}</div>\n'


def updated(records: list[Report]) -> str:
    """数据更新于: the date the site is as of (record.newest_publication, as the build's date)."""
    newest = rec.newest_publication(records)
    if newest is None:
        return ""
    return f"数据更新于{newest.year}年{newest.month}月{newest.day}日（最新一份报告的发布日期）。"


def home_page(agencies: dict[str, list[Report]], unread: list[Report], tree: dict[str, region_pages.Node]) -> str:
    """`tree`: region_pages.region_tree() of every agency, whose provinces the page lists."""
    # a report saved twice (two copies of one page) is one report in every figure and chart
    records = one_copy_each([r for group in agencies.values() for r in group])
    charted = [blocks.deferred(blocks.chart(chart)) for chart in (
        charts.corpus_requests_by_year(records), charts.corpus_outcomes(records),
        charts.corpus_rule_pass_share(records, checks.RULES)) if chart]
    return templates.render("home.md", figures=templates.html(headline_figures(agencies, records)),
                            updated=updated(records), unread=len(unread), small_sample=blocks.SMALL_SAMPLE,
                            charts=[templates.html(c) for c in charted],
                            places=region_pages.summary_rows(tree, agencies, ""))


def unread_reason(record: Report) -> str:
    problems = [p for p in record.problems if p.where == "report"]
    if not problems:
        return "未找到表B或表C的数字"
    return "；".join(_reason_text(p) for p in problems)


def _reason_text(problem: Problem) -> str:
    """The reason in words, with the parser's message after it unless the message says it already."""
    reason = rec.PROBLEM_WORDS.get(problem.code, "读取存疑")
    message = problem.message or ""
    if not message:
        return reason
    return message if reason in message else f"{reason}（{message}）"


def unread_page(records: list[Report], unread: list[Report]) -> str:
    partly = [r for r in records if any(p.where == "report" and p.code in PARTLY_READ for p in r.problems)]

    def listed(group: list[Report]) -> list[dict]:
        return [{"path": r.source.path, "reason": unread_reason(r), "slug": r.agency.slug}
                for r in sorted(group, key=lambda r: r.source.path)]
    return templates.render("unread.md", files=len(records) + len(unread), read=len(records),
                            unread=listed(unread), partly=listed(partly))


def _size(size: int) -> str:
    return f"{size / 1e6:.1f} MB" if size >= 100_000 else f"{max(1, round(size / 1e3))} KB"


def download_folders(sizes: dict[str, int], places: Gazetteer) -> list[dict]:
    """Each folder of data/ (a province, then the unplaced), with its files' links and sizes."""
    names = {place.slug: (place.code, place.name) for place in places.places.values() if place.level == 0}
    names[OTHER_SLUG] = (OTHER_CODE, OTHER_NAME)
    folders = sorted({name.split("/")[1] for name in sizes}, key=lambda folder: names[folder])
    return [{"name": names[folder][1],
             "files": [{"href": name.removeprefix("data/"), "size": _size(sizes[name])} if name in sizes else None
                       for name in (downloads.file_name(folder, file) for file in downloads.FILES)]}
            for folder in folders]


def data_page(sizes: dict[str, int], places: Gazetteer) -> str:
    """`sizes`: each download's bytes (data/<folder>/<file>.gz or .xz → size)."""
    # Keys are the site's own identifiers, printed as they are inside `code`.
    def keyed(pairs) -> list[tuple]:
        return [(templates.html(key), label) for key, label in pairs]
    active = {(item, field): (f"{item_label}·{field_label}（{template}年版）", downloads.ACTIVE_UNITS[field])
              for template in ("2019", "2021") for item, (item_label, fields) in rec.ACTIVE[template].items()
              for field, field_label in fields}
    return templates.render(
        "data.md", names=downloads.FILES, folders=download_folders(sizes, places), other=OTHER_NAME,
        request_rows=keyed(rec.request_rows("2021") + [("other_processing", "（六）其他处理（2019年版）")]),
        review_rows=keyed(rec.REVIEW_GROUPS),
        column_rows=keyed(zip(rec.COLUMN_KEYS, rec.COLUMNS)),
        review_column_rows=keyed(zip(downloads.REVIEW_COLUMN_KEYS, rec.REVIEW_COLUMNS)),
        active_rows=[(templates.html(item), templates.html(field), label, unit)
                     for (item, field), (label, unit) in active.items()])


def search_page() -> str:
    return templates.render("search.md")


def about_page() -> str:
    results = [{"css": blocks.RESULT_CLASS[kind], "text": checks.RESULT_TEXT[kind],
                "explanation": checks.RESULT_EXPLANATION[kind]} for kind in checks.RESULTS]
    return templates.render("about.md", results=results, rules=checks.RULES, accuracy=templates.html(ACCURACY))
