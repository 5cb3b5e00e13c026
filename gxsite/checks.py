"""Consistency rules: every report judged by the template's own arithmetic.

Placeholder with the public interface; the checks issue fills in the rules.

Interface (used by build, cli and the site):
- RULES: list of Rule, in the order the site shows them.
- run_single(record) -> list[check]: every rule on one record; rules that need
  other records (scope "corpus") give status "n/a".
- run_corpus(records) -> None: fills the corpus-scope rules in place.
A check is {"rule": id, "status": "pass"|"fail"|"warn"|"n/a", "severity":
"error"|"warning", "findings": [{"cells": [...], "expected": ..., "found": ...,
"message": str, "unverified": bool}]}.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable


@dataclass(frozen=True)
class Rule:
    id: str
    title_zh: str
    title_en: str
    explanation_zh: str
    explanation_en: str
    severity: str  # "error" or "warning"
    scope: str  # "report" (one record) or "corpus" (needs other records)
    findings: Callable[..., Iterable[dict]] | None = None


RULES: list[Rule] = []


def run_single(record: dict) -> list[dict]:
    return []


def run_corpus(records: list[dict]) -> None:
    return None
