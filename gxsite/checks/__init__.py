"""Consistency rules: every report judged by the template's own rules.

Interface (used by build, cli and the site):
- RULES: list of Rule (id, titles, explanations, severity, scope, findings), in the
  order the site shows them. Adding a rule means adding it to one of the rules_*
  modules; nothing else changes.
- run_single(record) -> list[check]: every rule on one record; rules that need
  other records (scope "corpus") give status "n/a".
- run_corpus(records) -> None: fills the corpus-scope rules in place.
- result(check): error (the publisher's figures break a rule), doubt (we could not
  check), notice, pass or n/a; RESULT_TEXT, RESULT_EXPLANATION and describe(check)
  word them (describe words an error or notice per rule: 逾期发布…).

A check is a report.Check: rule (its id), status "pass"|"fail"|"warn"|"n/a", result (see
result()), severity "error"|"warning", findings [{"cells": [...], "expected": ..., "found": ...,
"message": str, "unverified": bool, ...}], note (why n/a, else "").

Status: "fail" when some finding rests on figures read with certainty (the
publisher's error), "warn" when every finding involves an uncertain cell (we could
not verify), "n/a" when the rule cannot apply, "pass" otherwise.
"""

from __future__ import annotations

from gxsite.checks import corpus as rules_corpus
from gxsite.checks import report as rules_report
from gxsite.checks import tables as rules_tables
from gxsite.checks.rulekit import NotApplicable, Rule
from gxsite.report import AWAITING_CORPUS, Check, Report

__all__ = ["RULES", "Rule", "RULE_BY_ID", "RESULTS", "RESULT_TEXT", "RESULT_EXPLANATION", "result", "describe",
           "run_single", "run_corpus"]

RULES: list[Rule] = rules_tables.RULES + rules_report.RULES + rules_corpus.RULES
RULE_BY_ID = {rule.id: rule for rule in RULES}

# The three kinds of result a reader must never confuse, each with its own word and colour
# everywhere on the site: the publisher's figures break a rule (certain: the only red), we
# could not check (a reading doubt), a notice (late, wrong template, tampered page…).
RESULTS = ("error", "doubt", "notice", "pass", "n/a")
RESULT_TEXT = {"error": "数字有误（发布机关）", "doubt": "无法核实（本站读取存疑）", "notice": "提示",
               "pass": "通过", "n/a": "不适用"}
RESULT_EXPLANATION = {
    "error": "确定读取的数字违反了表格自身的算术关系：问题出在发布机关的报告本身。只有这一种结果用红色。",
    "doubt": "涉及的数字本站未能读取或读取存疑（表格以图片发布、排版错乱、数字连在一起无法拆分），"
             "无法判断报告是否有误。这是本站读取的局限，不是发布机关的错误。",
    "notice": "报告的发布方式值得注意，但不是数字错误：逾期发布、模板与年度不符、正文与表格说法不一、页面被植入无关内容等。",
    "pass": "按本规则核对，报告中的数字相符。",
    "n/a": "本规则不适用于该报告（例如缺少相关表格、没有上一年度报告、发布日期或机关类型未知）。",
}


def result(check: Check) -> str:
    """error, doubt, notice, pass or n/a: a "fail" is the publisher's error only for a rule
    about the figures (severity error); of any other rule it is a notice."""
    status = check.status
    if status == "warn":
        return "doubt"
    if status == "fail":
        rule = RULE_BY_ID.get(check.rule)
        return "error" if rule is None or rule.severity == "error" else "notice"
    return status if status in ("pass", "n/a") else "n/a"


def describe(check: Check) -> str:
    """The Chinese wording of a check's result, e.g. '无法核实（本站读取存疑）', '逾期发布'."""
    kind = result(check)
    rule = RULE_BY_ID.get(check.rule)
    if kind in ("error", "notice") and rule is not None and rule.fail_zh:
        return rule.fail_zh
    return RESULT_TEXT[kind]


def _verdict(rule: Rule, *args) -> Check:
    try:
        findings = list(rule.findings(*args))
    except NotApplicable as reason:
        return Check(rule.id, "n/a", rule.severity, "n/a", str(reason))
    status = "fail" if any(not f["unverified"] for f in findings) else "warn" if findings else "pass"
    check = Check(rule.id, status, rule.severity, findings=findings)
    check.result = result(check)
    return check


def _not_applicable(rule: Rule, note: str) -> Check:
    return Check(rule.id, "n/a", rule.severity, "n/a", note)


def run_single(record: Report) -> list[Check]:
    return [_verdict(rule, record) if rule.scope == "report" else _not_applicable(rule, AWAITING_CORPUS)
            for rule in RULES]


def run_corpus(records: list[Report]) -> None:
    corpus = rules_corpus.Corpus(records)
    for record in records:
        checks = {c.rule: c for c in record.checks or run_single(record)}
        for rule in RULES:
            if rule.scope == "corpus":
                checks[rule.id] = _verdict(rule, record, corpus)
        known = [checks.pop(rule.id) for rule in RULES if rule.id in checks]
        record.checks = known + list(checks.values())
