"""HTML blocks the pages are made of: numbers with their source, badges, charts
with their data tables, sortable tables.

The blocks are raw HTML inside the Markdown pages. Markdown passes raw HTML
blocks through untouched, which keeps big tables cheap to build; every report
string inside them still goes through markup.text() or markup.attr(). A block
must start at the beginning of a line and hold no blank line.
"""

from __future__ import annotations

import re

from gxsite.site import charts
from gxsite import checks
from gxsite.site import markup as m
from gxsite.report import Check

# CSS class of each result (checks.result): red for the publisher's certain error only.
RESULT_CLASS = {"error": "fail", "doubt": "warn", "notice": "notice", "pass": "pass", "n/a": "na"}
SMALL_SAMPLE = 30  # below this many requests a share is not computed


def number(value: object) -> str:
    """A figure as the tables print it; anything but a number is untrusted text."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return m.text(value)
    if isinstance(value, float):
        # 1213308.0 yuan reads as 1213308, 121.33 as 121.33 (never 1.21331e+06).
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int):
        return str(value)
    return m.text(value)


def share(part: float | None, whole: float | None) -> str:
    """'42.9%', or a plain statement when the share would rest on too few requests."""
    if part is None or whole is None:
        return "无法计算"
    if whole == 0:
        return "无办理件，不计算比例"
    if whole < SMALL_SAMPLE:
        return f"样本少（{number(whole)}件），不计算比例"
    return f"{100 * part / whole:.1f}%"


def share_value(part: float | None, whole: float | None) -> float | None:
    """The share used for sorting and ranking, None when it rests on too few requests."""
    if part is None or whole is None or whole < SMALL_SAMPLE:
        return None
    return round(100 * part / whole, 1)


def result_class(check: Check) -> str:
    return RESULT_CLASS[checks.result(check)]


def verdict_text(check: Check) -> str:
    """A rule's result in words that never contradict the rule's name: an error or notice the
    rule words itself (逾期发布, 发现注入内容) stands alone; anything else follows the rule's
    short name (数据完整：无法核实（本站读取存疑）)."""
    rule = checks.RULE_BY_ID.get(check.rule)
    if rule is not None and rule.fail_zh and checks.result(check) in ("error", "notice"):
        return rule.fail_zh
    return f"{rule_name(check)}：{checks.describe(check)}"


def rule_name(check: Check) -> str:
    """The short name of a check's rule (before the first '：'); the rule's page has the full title."""
    rule = checks.RULE_BY_ID.get(check.rule)
    return rule.title_zh.split("：", 1)[0] if rule else str(check.rule)


# Blocks of a page's HTML that skip Python-Markdown: the content stage writes each one
# into <page>.parts.html beside the page's Markdown, which keeps an empty placeholder
# in its place; hooks.py puts the blocks back (MkDocs' on_page_content event, after
# Markdown and before the theme's template). Markdown walks every element of raw
# HTML: four years of tables made most of MkDocs' time per agency page.
_PART_START, _PART_END = "<!--gx-part-->", "<!--/gx-part-->"
_PART = re.compile(f"{re.escape(_PART_START)}(.*?){re.escape(_PART_END)}", re.S)
PLACEHOLDER = '<div class="gx-part"></div>'
PARTS_SUFFIX = ".parts.html"
# Between two parts in a parts file: a line no part holds (report text is escaped, our markup has no comments).
PART_SEPARATOR = "\n<!--gx-part-separator-->\n"


def deferred(html: str) -> str:
    """`html` as a block of the page that Python-Markdown never sees. Every report string in
    it is escaped already, so no '<!--' comes from a report; this guards our own markup."""
    if "<!--" in html:
        raise ValueError("deferred markup must not contain HTML comments")
    return f"{_PART_START}{html}{_PART_END}"


def parts_name(page: str) -> str:
    """The parts file of a page's Markdown file: agencies/x/index.md → agencies/x/index.parts.html."""
    return page.removesuffix(".md") + PARTS_SUFFIX


def detach_deferred(page: str) -> tuple[str, list[str]]:
    """(the page's Markdown with each deferred block replaced by a placeholder, the blocks' HTML in order)."""
    parts: list[str] = []

    def detach(match: re.Match) -> str:
        parts.append(match.group(1))
        return PLACEHOLDER
    return _PART.sub(detach, page), parts


def join_parts(parts: list[str]) -> str:
    return PART_SEPARATOR.join(parts)


def split_parts(text: str) -> list[str]:
    return text.split(PART_SEPARATOR) if text else []


def attach_deferred(html: str, parts: list[str]) -> str:
    """The page's HTML with each placeholder replaced by its part, in order."""
    remaining = iter(parts)
    return re.sub(re.escape(PLACEHOLDER), lambda _: next(remaining, ""), html)


def chart(item: charts.Chart | None) -> str:
    """A chart and, below it, its numbers as a table: the table is what an agency page's chart
    is drawn from (charts.js), a home page chart also carries its figure JSON."""
    if item is None:
        return ""
    if item.figure is None:
        return _plotted_table(item)
    head = "".join(f"<th>{m.text(h)}</th>" for h in item.headers)
    body = "".join("<tr>" + "".join(f"<td>{number(v) if not isinstance(v, str) else m.text(v)}</td>" for v in row)
                   + "</tr>" for row in item.rows)
    return (f'<figure class="gx-figure">'
            f'<div class="gx-chart" role="img" aria-label="{m.attr(item.title)}" '
            f"data-figure='{m.json_attr(item.figure)}'></div>"
            f'<details class="gx-chart-data"><summary>图表数据：{m.text(item.title)}</summary>'
            f'<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></details></figure>\n')


def _plotted_table(item: charts.Chart) -> str:
    """A chart charts.js draws from the table beside it, which holds the chart's only copy of
    its numbers; the title in the summary's <span> is the chart's, and its label once drawn.
    End tags HTML implies are left out, as in the report tables."""
    head = "".join(f"<th>{m.text(h)}" for h in item.headers)
    body = "".join("<tr>" + "".join(f"<td>{number(v) if not isinstance(v, str) else m.text(v)}" for v in row)
                   for row in item.rows)
    return (f'<figure class="gx-figure"><div class="gx-chart" data-plot="{m.attr(item.plot)}"></div>'
            f'<details class="gx-chart-data"><summary>图表数据：<span>{m.text(item.title)}</span></summary>'
            f'<table><thead><tr>{head}<tbody>{body}</table></details></figure>\n')


def sortable_table(headers: list[str], rows: list[list[tuple[str, object]]], caption: str,
                   filter_label: str = "") -> str:
    """A table the browser can sort (click a header) and filter (type in the box).

    Each cell is (safe HTML, sort key); the sort key is a number or text."""
    head = "".join(f'<th scope="col">{m.text(h)}</th>' for h in headers)
    body = []
    for row in rows:
        cells = []
        for html, key in row:
            sort_attr = f' data-v="{number(key) if not isinstance(key, str) else m.attr(key)}"' if key is not None else ""
            cells.append(f"<td{sort_attr}>{html}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    search = (f'<input class="gx-filter" type="search" placeholder="{m.attr(filter_label)}" '
              f'aria-label="{m.attr(filter_label)}">' if filter_label else "")
    # Deferred: at 10,000 reports the home page's table has 2,700 rows.
    return deferred(f'<div class="gx-sortable">{search}'
                    f'<table><caption>{m.text(caption)}</caption><thead><tr>{head}</tr></thead>'
                    f'<tbody>{"".join(body)}</tbody></table></div>') + "\n"


# Items of a long list on one page: at 100,000 reports a rule found 30,000 reports and the
# bodies whose names give no place were 1,600, 11 MB and 750 KB on one page.
PAGE_SIZE = 300


def pages_of(items: list) -> list[list]:
    """The items in pages of PAGE_SIZE; one (maybe empty) page at least."""
    return [items[i:i + PAGE_SIZE] for i in range(0, len(items), PAGE_SIZE)] or [[]]


def page_link(at: int, to: int) -> str:
    """The link from page `at` of a list to page `to`: page 1 is the list's own page (x/), page n
    a folder in it (x/n/)."""
    if at == 1:
        return f"{to}/"
    return "../" if to == 1 else f"../{to}/"


def pager(current: int, total: int) -> str:
    """Links to every page of a list (page_link), the current one not a link. Nothing for a
    list of one page."""
    if total <= 1:
        return ""
    links = [f"<strong>{n}</strong>" if n == current else f'<a href="{page_link(current, n)}">{n}</a>'
             for n in range(1, total + 1)]
    return f'<nav class="gx-pager" aria-label="分页">第 {current} 页，共 {total} 页：{" ".join(links)}</nav>\n'
