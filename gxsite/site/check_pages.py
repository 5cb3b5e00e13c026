"""The checks pages: one overview of every rule and one page per rule (from
checks.RULES, so the pages cannot drift from the code), each listing the reports
that break the rule and, separately, those we could not verify.
"""

from __future__ import annotations

from gxsite.site import blocks
from gxsite import checks
from gxsite.site import markup as m
from gxsite.site.agency_page import rule_anchor

SEVERITY = {"error": "发布机关的数字", "warning": "提示"}


def _counts(records: list[dict], rule_id: str) -> dict[str, int]:
    counts = dict.fromkeys(checks.RESULTS, 0)
    for record in records:
        for check in record.get("checks") or []:
            if check.get("rule") == rule_id:
                counts[checks.result(check)] += 1
    return counts


def _found(rule, c: dict[str, int]) -> int:
    return c["error"] if rule.severity == "error" else c["notice"]


def index_page(records: list[dict]) -> str:
    rows = []
    for rule in checks.RULES:
        c = _counts(records, rule.id)
        found = _found(rule, c)
        cell = (f'<span class="gx-badge gx-{"fail" if rule.severity == "error" else "notice"}">{found}</span>'
                if found else "0")
        rows.append(f"| [{m.text(rule.title_zh)}]({rule.id}.md) | {SEVERITY.get(rule.severity, rule.severity)} | "
                    f"{c['pass']} | {cell} | {c['doubt']} | {c['n/a']} |")
    return "\n".join([
        "# 检查规则\n",
        "每份报告都按下列规则检查。“数字有误”指确定读取的数字违反规则，属于发布机关的数据问题，是唯一用红色标出的结果；"
        "“提示”指发布方式值得注意（逾期、模板不符、页面被篡改等），不是数字错误；"
        "“无法核实”指涉及的数字本站读取存疑，不能据此认定报告有误。\n",
        "| 规则 | 针对 | 通过 | 数字有误或提示 | 无法核实 | 不适用 |",
        "|---|---|---:|---:|---:|---:|",
        *rows,
        "",
    ])


def _report_list(items: list[tuple[str, str, dict]], status: str) -> str:
    lines = []
    for name, href, check in items:
        # The first finding only: a rule page lists thousands of reports at scale,
        # and each report's page has its findings in full.
        found = [f.get("message") for f in check.get("findings") or [] if f.get("message")]
        messages = found[0] + (f"（另有{len(found) - 1}处）" if len(found) > 1 else "") if found else ""
        lines.append(f'<li><a href="{m.attr(href)}">{m.text(name)}</a>'
                     + (f"：{m.text(messages)}" if messages else "") + "</li>")
    # Deferred: at 10,000 reports a rule can list thousands of them.
    return blocks.deferred(f'<ul class="gx-report-list gx-{status}" data-search-exclude>{"".join(lines)}</ul>') + "\n"


def rule_page(rule, records: list[dict], locate: dict[int, tuple[str, str, str]]) -> str:
    """`locate`: id(record) → (shown name with year, link from this page to the agency page,
    key of the report's section there)."""
    found, doubtful = [], []
    for record in records:
        for check in record.get("checks") or []:
            kind = checks.result(check) if check.get("rule") == rule.id else None
            if kind not in ("error", "notice", "doubt"):
                continue
            name, page, key = locate[id(record)]
            href = f"{page}#{rule_anchor(key, rule.id)}"
            (doubtful if kind == "doubt" else found).append((name, href, check))
    found.sort(key=lambda item: item[1])
    doubtful.sort(key=lambda item: item[1])
    c = _counts(records, rule.id)
    kind = "error" if rule.severity == "error" else "notice"
    heading = rule.fail_zh or checks.RESULT_TEXT[kind]
    parts = [
        f"# {m.text(rule.title_zh)}\n",
        f"规则编号 `{m.text(rule.id)}`，针对：{SEVERITY.get(rule.severity, rule.severity)}。"
        f"通过 {c['pass']} 份，{checks.RESULT_TEXT[kind]} {c[kind]} 份，无法核实 {c['doubt']} 份，不适用 {c['n/a']} 份。\n",
        f"{m.text(rule.explanation_zh)}\n",
        f"## {m.text(heading)}的报告（{len(found)}）\n",
        _report_list(found, blocks.RESULT_CLASS[kind]) if found else "没有。\n",
        f"## 无法核实的报告（{len(doubtful)}）\n",
        "这些报告涉及的数字本站读取存疑，无法判断，不代表报告有误。\n",
        _report_list(doubtful, "warn") if doubtful else "没有。\n",
    ]
    return "\n".join(parts)
