"""Consistency rules: every report judged by the template's own rules.

Interface (used by build, cli and the site):
- RULES: list of Rule (id, titles, explanations, severity, scope, findings), in the
  order the site shows them. Adding a rule means adding it to one of the rules_*
  modules; nothing else changes.
- run_single(record) -> list[check]: every rule on one record; rules that need
  other records (scope "corpus") give status "n/a".
- run_corpus(records) -> None: fills the corpus-scope rules in place.
- STATUS_TEXT / STATUS_TEXT_EN and describe(check) / describe_en(check): the
  wording of a verdict (describe words a "fail" per rule: 逾期发布, 不完整…);
  STATUS_EXPLANATION(_EN): what each verdict means, for the methodology page.

A check is {"rule": id, "status": "pass"|"fail"|"warn"|"n/a", "severity":
"error"|"warning", "findings": [{"cells": [...], "expected": ..., "found": ...,
"message": str, "unverified": bool, ...}], "note": str (why n/a, else "")}.

Status: "fail" when some finding rests on figures read with certainty (the
publisher's error), "warn" when every finding involves an uncertain cell (we could
not verify), "n/a" when the rule cannot apply, "pass" otherwise.
"""

from __future__ import annotations

from . import rules_corpus, rules_report, rules_tables
from .rulekit import NotApplicable, Rule

__all__ = ["RULES", "Rule", "RULE_BY_ID", "STATUS_TEXT", "STATUS_TEXT_EN", "STATUS_EXPLANATION",
           "STATUS_EXPLANATION_EN", "describe", "describe_en", "run_single", "run_corpus"]

RULES: list[Rule] = rules_tables.RULES + rules_report.RULES + rules_corpus.RULES
RULE_BY_ID = {rule.id: rule for rule in RULES}

STATUS_TEXT = {"pass": "通过", "fail": "不一致（发布机关数据）", "warn": "无法核实（数据读取存疑）", "n/a": "不适用"}
STATUS_TEXT_EN = {"pass": "pass", "fail": "inconsistent (publisher's figures)", "warn": "could not verify (reading doubt)",
                  "n/a": "not applicable"}

# What each verdict means, for the methodology page.
STATUS_EXPLANATION = {
    "pass": "按本规则核对，报告中的数字相符。",
    "fail": "根据确定读取的数字，本规则不成立：问题出在发布机关的报告本身。",
    "warn": "规则不成立或无法核对，但涉及的单元格读取存疑（未能读取、数字残缺或无法拆分），"
            "因此无法判断是否为发布机关的错误。",
    "n/a": "本规则不适用于该报告（例如缺少相关表格、没有上一年度报告、发布日期或机关类型未知）。",
}
STATUS_EXPLANATION_EN = {
    "pass": "Checked: the report's figures agree with the rule.",
    "fail": "The rule is broken by figures read with certainty: the problem is in the publisher's report.",
    "warn": "The rule is broken or could not be checked, but a cell involved was read with doubt (unreadable, "
            "garbled or ambiguously split), so there is no telling whether the publisher erred.",
    "n/a": "The rule does not apply to this report (e.g. a table is missing, there is no previous year, the date "
           "or the kind of body is unknown).",
}

_NEEDS_CORPUS = "需要与其他报告对照，仅在 gxsite build 中检查"


def describe(check: dict) -> str:
    """The Chinese wording of a check's verdict, e.g. '无法核实（数据读取存疑）'."""
    rule = RULE_BY_ID.get(check["rule"])
    if check["status"] == "fail" and rule is not None and rule.fail_zh:
        return rule.fail_zh
    return STATUS_TEXT[check["status"]]


def describe_en(check: dict) -> str:
    rule = RULE_BY_ID.get(check["rule"])
    if check["status"] == "fail" and rule is not None and rule.fail_en:
        return rule.fail_en
    return STATUS_TEXT_EN[check["status"]]


def _verdict(rule: Rule, *args) -> dict:
    check = {"rule": rule.id, "status": "pass", "severity": rule.severity, "findings": [], "note": ""}
    try:
        findings = list(rule.findings(*args))
    except NotApplicable as reason:
        check.update(status="n/a", note=str(reason))
        return check
    check["findings"] = findings
    if any(not f["unverified"] for f in findings):
        check["status"] = "fail"
    elif findings:
        check["status"] = "warn"
    return check


def _not_applicable(rule: Rule, note: str) -> dict:
    return {"rule": rule.id, "status": "n/a", "severity": rule.severity, "findings": [], "note": note}


def run_single(record: dict | None) -> list[dict]:
    record = record or {}
    return [_verdict(rule, record) if rule.scope == "report" else _not_applicable(rule, _NEEDS_CORPUS)
            for rule in RULES]


def run_corpus(records: list[dict]) -> None:
    corpus = rules_corpus.Corpus(records)
    for record in records:
        checks = {c["rule"]: c for c in record.get("checks") or run_single(record)}
        for rule in RULES:
            if rule.scope == "corpus":
                checks[rule.id] = _verdict(rule, record, corpus)
        known = [checks.pop(rule.id) for rule in RULES if rule.id in checks]
        record["checks"] = known + list(checks.values())
