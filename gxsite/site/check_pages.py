"""The checks pages: one overview of every rule and one page per rule (from
checks.RULES, so the pages cannot drift from the code), each listing the reports
that break the rule and, separately, those we could not verify.
"""

from __future__ import annotations

from gxsite.site import blocks
from gxsite import checks
from gxsite.site import markup as m
from gxsite.site import templates
from gxsite.site.agency_page import rule_anchor
from gxsite.report import Check, Report

SEVERITY = {"error": "发布机关的数字", "warning": "提示"}


def checks_by_rule(records: list[Report]) -> dict[str, list[tuple[Report, Check]]]:
    """rule id → (record, check) of every report the rule was run on, in the records' order:
    gathered in one pass, not one per rule and page (24 passes over every check took 2 s at
    10,000 reports)."""
    by_rule: dict[str, list[tuple[Report, Check]]] = {rule.id: [] for rule in checks.RULES}
    for record in records:
        for check in record.checks:
            by_rule.setdefault(check.rule, []).append((record, check))
    return by_rule


def _counts(checked: list[tuple[Report, Check]]) -> dict[str, int]:
    counts = dict.fromkeys(checks.RESULTS, 0)
    for _, check in checked:
        counts[checks.result(check)] += 1
    return counts


def _found_kind(rule) -> str:
    """What a rule finds (checks.result): the publisher's error for an error rule, a notice otherwise."""
    return "error" if rule.severity == "error" else "notice"


def index_page(by_rule: dict[str, list[tuple[Report, Check]]]) -> str:
    """`by_rule`: checks_by_rule() of every record."""
    rows = []
    for rule in checks.RULES:
        counts, kind = _counts(by_rule[rule.id]), _found_kind(rule)
        rows.append({"rule": rule, "severity": SEVERITY.get(rule.severity, rule.severity), "counts": counts,
                     "found": counts[kind], "css": blocks.RESULT_CLASS[kind]})
    return templates.render("checks.md", rows=rows)


def _report_list(items: list[tuple[str, str, Check]], status: str) -> str:
    lines = []
    for name, href, check in items:
        # The first finding only: a rule page lists thousands of reports at scale,
        # and each report's page has its findings in full.
        found = [f.get("message") for f in check.findings if f.get("message")]
        messages = found[0] + (f"（另有{len(found) - 1}处）" if len(found) > 1 else "") if found else ""
        lines.append(f'<li><a href="{m.attr(href)}">{m.text(name)}</a>'
                     + (f"：{m.text(messages)}" if messages else "") + "</li>")
    # Deferred: at 10,000 reports a rule can list thousands of them.
    return blocks.deferred(f'<ul class="gx-report-list gx-{status}">{"".join(lines)}</ul>') + "\n"


def rule_pages(rule, checked: list[tuple[Report, Check]], locate: dict[int, tuple[str, str, str]]) -> dict[str, str]:
    """The rule's pages: checks/<id>.md, then checks/<id>/<n>.md for each further PAGE_SIZE of
    the reports it lists (those it finds, then those it could not check).
    `checked`: (record, check) of every report the rule was run on (checks_by_rule's);
    `locate`: id(record) → (shown name with year, link from the rule's first page to the agency
    page, key of the report's section there)."""
    found, doubtful = [], []
    for record, check in checked:
        kind = checks.result(check)
        if kind not in ("error", "notice", "doubt"):
            continue
        name, page, key = locate[id(record)]
        href = f"{page}#{rule_anchor(key, rule.id)}"
        (doubtful if kind == "doubt" else found).append((name, href, check))
    found.sort(key=lambda item: item[1])
    doubtful.sort(key=lambda item: item[1])
    counts, kind = _counts(checked), _found_kind(rule)
    listed = [("found", item) for item in found] + [("doubtful", item) for item in doubtful]
    pages = blocks.pages_of(listed)
    out = {}
    for number, page in enumerate(pages, start=1):
        # Page n > 1 is one folder deeper than the first (checks/<id>/n/): its links go up one more.
        deeper = (lambda href: "../" + href) if number > 1 else (lambda href: href)
        here = {group: [(name, deeper(href), check) for which, (name, href, check) in page if which == group]
                for group in ("found", "doubtful")}
        pager = blocks.pager(number, len(pages))
        out[f"checks/{rule.id}.md" if number == 1 else f"checks/{rule.id}/{number}.md"] = templates.render(
            "rule.md", rule=rule, rule_id=templates.html(rule.id), severity=SEVERITY.get(rule.severity, rule.severity),
            counts=counts, kind=kind, found_word=checks.RESULT_TEXT[kind], heading=rule.fail_zh or checks.RESULT_TEXT[kind],
            found=found, doubtful=doubtful, first=number == 1, pager=templates.html(pager),
            found_list=templates.html(_report_list(here["found"], blocks.RESULT_CLASS[kind]) if here["found"] else ""),
            doubtful_list=templates.html(_report_list(here["doubtful"], "warn") if here["doubtful"] else ""))
    return out
