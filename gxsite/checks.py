"""Consistency rules: every report judged by the template's own rules.

Interface (used by build, cli and the site):
- RULES: list of Rule (id, titles, explanations, severity, scope, findings), in the
  order the site shows them. Adding a rule means adding it to one of the rules_*
  modules; nothing else changes.
- run_single(record) -> list[check]: every rule on one record; rules that need
  other records (scope "corpus") give status "n/a".
- run_corpus(records) -> None: fills the corpus-scope rules in place.
- STATUS_TEXT / STATUS_TEXT_EN and describe(check): the wording of a verdict.

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

__all__ = ["RULES", "Rule", "RULE_BY_ID", "STATUS_TEXT", "STATUS_TEXT_EN", "describe", "describe_en",
           "run_single", "run_corpus"]

RULES: list[Rule] = rules_tables.RULES + rules_report.RULES + rules_corpus.RULES
RULE_BY_ID = {rule.id: rule for rule in RULES}

STATUS_TEXT = {"pass": "通过", "fail": "不一致（发布机关数据）", "warn": "无法核实（数据读取存疑）", "n/a": "不适用"}
STATUS_TEXT_EN = {"pass": "pass", "fail": "inconsistent (publisher's figures)", "warn": "could not verify (reading doubt)",
                  "n/a": "not applicable"}

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
