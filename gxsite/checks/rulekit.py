"""What every consistency rule is made of: the Rule unit, reading a table's rows,
naming cells in words, and building findings (cells are read by Report.at and doubted
by Report.uncertain: gxsite/report.py).

A finding must say whether the publisher got a figure wrong or we could not read
it: `unverified` is true when any cell it names is uncertain (null, or named by a
problem the parser recorded: Report.uncertain), so the site never blames a publisher for
our reading doubt.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

from gxsite import record as rec
from gxsite.report import CellRef, Report


@dataclass(frozen=True)
class Rule:
    """One consistency rule. `findings(record)` (scope "report") or
    `findings(record, corpus)` (scope "corpus") yields the findings, each from
    `finding()`, or raises NotApplicable. No findings means the rule passes."""

    id: str
    title_zh: str
    title_en: str
    explanation_zh: str
    explanation_en: str
    severity: str  # "error" or "warning"
    scope: str  # "report" (one record) or "corpus" (needs other records)
    findings: Callable[..., Iterable[dict]] | None = None
    # How a "fail" of this rule reads on the site, when "inconsistent figures"
    # would be the wrong word (a late report is not an arithmetic error).
    fail_zh: str = ""
    fail_en: str = ""


class NotApplicable(Exception):
    """Raised by a rule's findings function: the rule cannot judge this record (the text says why, in Chinese)."""


TABLES = ("active", "requests", "reviews")
TABLE_TITLES = {
    "active": "表A（主动公开政府信息情况）",
    "requests": "表B（收到和处理政府信息公开申请情况）",
    "reviews": "表C（行政复议、行政诉讼情况）",
}

def row_values(record: Report, table: str, row: str, width: int) -> list:
    """A table B or C row's `width` figures as value() reads them cell by cell
    (None where absent), in one lookup: rules and pages read whole rows."""
    return _padded(getattr(record, table).get(row), width)


def rows_values(record: Report, table: str, rows, width: int) -> list[list]:
    """row_values of each of `rows`, the table looked up once (the rules read up to 26 rows)."""
    get = getattr(record, table).get
    return [values[:width] if type(values) is list and len(values) >= width else _padded(values, width)
            for values in map(get, rows)]


def _padded(values, width: int) -> list:
    if not isinstance(values, list):
        return [None] * width
    return values[:width] if len(values) >= width else values + [None] * (width - len(values))


def sum_or_none(values: Iterable) -> int | float | None:
    values = list(values)
    return None if any(v is None for v in values) else sum(values)


def shown(number) -> str:
    """A figure as the messages print it: '？' when it could not be read."""
    if number is None:
        return "？"
    if isinstance(number, float) and number.is_integer():
        return str(int(number))
    return str(number)


def finding(record: Report, cells: list[str], expected, found, message: str,
            unverified: bool | None = None, explained: bool = False, **extra) -> dict:
    """One finding. When `unverified` is not given it is true iff a named cell is uncertain,
    and the message then says which cells could not be read with certainty (unless
    `explained`: the message says it already)."""
    doubtful = record.uncertain_cells(cells)
    if unverified is None:
        unverified = bool(doubtful)
    if unverified and not explained:
        # The doubt may lie in another record (last year's report, another copy).
        what = _some(doubtful) if doubtful else "相关数字"
        message = f"无法核实（{what}读取存疑）：{message}"
    entry = {"cells": list(cells), "expected": expected, "found": found, "message": message, "unverified": unverified}
    entry.update(extra)
    return entry


_LABELS_SHOWN = 3


def _some(paths: list[str]) -> str:
    shown_labels = "、".join(label(p) for p in paths[:_LABELS_SHOWN])
    return shown_labels + (f"等{len(paths)}个单元格" if len(paths) > _LABELS_SHOWN else "")


# Human labels for record paths, used in messages.
_ROW_LABELS = {key: text for template in ("2019", "2021") for key, text in rec.request_rows(template)}
_GROUP_LABELS = dict(rec.REVIEW_GROUPS)
_ACTIVE_LABELS = {
    (item, field): f"{item_label}·{field_label}"
    for template in ("2019", "2021")  # the 2021 wording wins where both templates share a key
    for item, (item_label, fields) in rec.ACTIVE[template].items()
    for field, field_label in fields
}
_TOP_LABELS = {"year": "报告年度", "template": "模板版本", "published": "发布日期", "agency.name": "机关名称",
               **{table: title for table, title in TABLE_TITLES.items()}}


def label(path: str) -> str:
    """'requests.total[6]' → '（七）总计·总计'; unknown paths are shown as they are."""
    ref = CellRef.parse(path)
    if ref is None:
        return _TOP_LABELS.get(path, path)
    if ref.table == "requests" and ref.row in _ROW_LABELS:
        column = rec.COLUMNS[ref.column] if isinstance(ref.column, int) and ref.column < len(rec.COLUMNS) else ""
        return f"{_ROW_LABELS[ref.row]}·{column}" if column else _ROW_LABELS[ref.row]
    if ref.table == "reviews" and ref.row in _GROUP_LABELS:
        column = rec.REVIEW_COLUMNS[ref.column] if isinstance(ref.column, int) and ref.column < len(rec.REVIEW_COLUMNS) else ""
        return f"{_GROUP_LABELS[ref.row]}·{column}" if column else _GROUP_LABELS[ref.row]
    if ref.table == "active" and (ref.row, ref.column) in _ACTIVE_LABELS:
        return _ACTIVE_LABELS[(ref.row, ref.column)]
    return _TOP_LABELS.get(path, path)


def template_of(record: Report) -> str:
    """The template version to judge table B by: the parsed one, else told by table B's rows."""
    if record.template in rec.ACTIVE:
        return record.template
    return "2019" if "other_processing" in record.requests else "2021"


def require_table(record: Report, table: str) -> dict:
    figures = getattr(record, table)
    if not figures:
        raise NotApplicable(f"{TABLE_TITLES[table]}缺失")
    return figures
