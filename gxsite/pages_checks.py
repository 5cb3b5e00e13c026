"""The checks pages: one overview of every rule and one page per rule (from
checks.RULES, so the pages cannot drift from the code), each listing the reports
that break the rule and, separately, those we could not verify.
"""

from __future__ import annotations

from . import blocks, checks
from . import markup as m
from .pages_agency import rule_anchor

SEVERITY = {"error": "错误", "warning": "提示"}


def _counts(records: list[dict], rule_id: str) -> dict[str, int]:
    counts = {"pass": 0, "fail": 0, "warn": 0, "n/a": 0}
    for record in records:
        for check in record.get("checks") or []:
            if check.get("rule") == rule_id and check.get("status") in counts:
                counts[check["status"]] += 1
    return counts


def index_page(records: list[dict]) -> str:
    rows = []
    for rule in checks.RULES:
        c = _counts(records, rule.id)
        rows.append(f"| [{m.text(rule.title_zh)}]({rule.id}.md) | {SEVERITY.get(rule.severity, rule.severity)} | "
                    f"{c['pass']} | {c['fail']} | {c['warn']} | {c['n/a']} |")
    return "\n".join([
        "# 检查规则\n",
        "每份报告都按下列规则检查。“不一致”指确定读取的数字违反规则，属于发布机关的数据问题；"
        "“无法核实”指涉及的数字读取存疑，不能据此认定报告有误。\n",
        "| 规则 | 级别 | 通过 | 不一致 | 无法核实 | 不适用 |",
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


def rule_page(rule, records: list[dict], locate: dict[int, tuple[str, str, int]]) -> str:
    """`locate`: id(record) → (shown name with year, link from this page to the agency page,
    index of the report's section there)."""
    failing, unverified = [], []
    for record in records:
        for check in record.get("checks") or []:
            if check.get("rule") != rule.id or check.get("status") not in ("fail", "warn"):
                continue
            name, page, index = locate[id(record)]
            href = f"{page}#{rule_anchor(index, rule.id)}"
            (failing if check["status"] == "fail" else unverified).append((name, href, check))
    failing.sort(key=lambda item: item[1])
    unverified.sort(key=lambda item: item[1])
    c = _counts(records, rule.id)
    parts = [
        f"# {m.text(rule.title_zh)}\n",
        f"规则编号 `{m.text(rule.id)}`，级别：{SEVERITY.get(rule.severity, rule.severity)}。"
        f"通过 {c['pass']} 份，不一致 {c['fail']} 份，无法核实 {c['warn']} 份，不适用 {c['n/a']} 份。\n",
        f"{m.text(rule.explanation_zh)}\n",
        f"## {m.text(getattr(rule, 'fail_zh', '') or '不一致')}的报告（{len(failing)}）\n",
        _report_list(failing, "fail") if failing else "没有报告违反此规则。\n",
        f"## 无法核实的报告（{len(unverified)}）\n",
        "这些报告涉及的数字读取存疑，无法判断是否一致，不代表报告有误。\n",
        _report_list(unverified, "warn") if unverified else "无。\n",
    ]
    return "\n".join(parts)
