"""What every consistency rule is made of: the Rule unit, reading a cell by its
record path, telling whether the parser doubted a cell, and building findings.

A finding must say whether the publisher got a figure wrong or we could not read
it: `unverified` is true when any cell it names is uncertain (null, or named by a
problem the parser recorded: uncertain()), so the site never blames a publisher for
our reading doubt.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Callable, Iterable

from gxsite import record as rec


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

_PATH = re.compile(r"^(?P<keys>[A-Za-z_][\w.]*?)(?:\[(?P<index>\d+)\])?$")


@functools.lru_cache(maxsize=4096)
def _parsed(path: str) -> tuple[tuple[str, ...], int | None] | None:
    # Rules look up the same few hundred paths for every record: parse each once.
    match = _PATH.match(path)
    if not match:
        return None
    return tuple(match["keys"].split(".")), None if match["index"] is None else int(match["index"])


def value(record: dict, path: str):
    """The value at a record path like 'requests.total[6]' or 'active.fees.amount_10k_yuan'; None when absent."""
    return _getter(path)(record)


def _absent(record: dict) -> None:
    return None


@functools.lru_cache(maxsize=4096)
def _getter(path: str) -> Callable[[dict], object]:
    # The rules read ~600 cells per report: a reader made once per path, with the
    # common "table.row[column]" shape spelled out, is ~3x cheaper than walking keys.
    parsed = _parsed(path)
    if parsed is None:
        return _absent
    keys, index = parsed
    if len(keys) == 2 and index is not None:
        table, row = keys

        def cell(record: dict):
            figures = record.get(table)
            values = figures.get(row) if isinstance(figures, dict) else None
            return values[index] if isinstance(values, list) and index < len(values) else None
        return cell
    if len(keys) == 3 and index is None:
        table, item, field = keys

        def item_field(record: dict):  # table A's "active.item.field", as walk() reads it
            figures = record.get(table)
            fields = figures.get(item) if isinstance(figures, dict) else None
            return fields.get(field) if isinstance(fields, dict) else None
        return item_field

    def walk(record: dict):
        node = record
        for key in keys:
            if not isinstance(node, dict):
                return None
            node = node.get(key)
        if index is not None:
            if not isinstance(node, list) or index >= len(node):
                return None
            node = node[index]
        return node
    return walk


def row_values(record: dict, table: str, row: str, width: int) -> list:
    """A table B or C row's `width` figures as value() reads them cell by cell
    (None where absent), in one lookup: rules and pages read whole rows."""
    figures = record.get(table)
    return _padded(figures.get(row) if isinstance(figures, dict) else None, width)


def rows_values(record: dict, table: str, rows, width: int) -> list[list]:
    """row_values of each of `rows`, the table looked up once (the rules read up to 26 rows)."""
    figures = record.get(table)
    get = figures.get if isinstance(figures, dict) else {}.get
    return [values[:width] if type(values) is list and len(values) >= width else _padded(values, width)
            for values in map(get, rows)]


def _padded(values, width: int) -> list:
    if not isinstance(values, list):
        return [None] * width
    return values[:width] if len(values) >= width else values + [None] * (width - len(values))


@functools.lru_cache(maxsize=4096)
def covering_places(path: str) -> tuple[str, ...]:
    """The problem places that cover a path, the narrowest first: the path itself and each part
    of it that ends before a '.' or a '[' ('requests.total', 'requests' for 'requests.total[6]';
    'active.fees', 'active' for 'active.fees.amount_10k_yuan')."""
    return (path, *reversed([path[:k] for k, ch in enumerate(path) if ch in ".["]))


def doubted_places(record: dict) -> set[str]:
    """The places the record's problems name: cells, rows, whole tables, fields ('year'), or
    'report' (the whole file, which is no figure's place). Every problem is a doubt about its
    place, whatever its code (a problem is what could not be read with certainty): a code the
    rules do not know yet must never let a publisher be blamed for our reading."""
    return {p.get("where") or "" for p in record.get("problems") or []}


def uncertain_cells(record: dict, paths, places: set[str] | None = None) -> list[str]:
    """The paths that are uncertain (see uncertain), in order. The doubted places are
    gathered once, not once per path: a finding may name dozens of cells."""
    if places is None:
        places = doubted_places(record)
    return [path for path in paths if value(record, path) is None or not places.isdisjoint(covering_places(path))]


def uncertain(record: dict, path: str) -> bool:
    """Whether the figure at `path` is in doubt: unknown (null), or named by a problem (see
    doubted_places) on itself, its row or its whole table. The one answer to "is this cell
    doubtful?" for the rules and the site."""
    return value(record, path) is None or doubted(record, path)


def doubted(record: dict, path: str) -> bool:
    """Whether a problem names the figure at `path` (uncertain() of a figure known to be read).
    The site asks it of each of a quarter of a million cells at 10,000 reports, most of whose
    records have no problem at all."""
    return bool(record.get("problems")) and not doubted_places(record).isdisjoint(covering_places(path))


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


def finding(record: dict, cells: list[str], expected, found, message: str,
            unverified: bool | None = None, explained: bool = False, **extra) -> dict:
    """One finding. When `unverified` is not given it is true iff a named cell is uncertain,
    and the message then says which cells could not be read with certainty (unless
    `explained`: the message says it already)."""
    doubtful = uncertain_cells(record, cells)
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
    match = _PATH.match(path)
    if not match:
        return path
    keys, index = match["keys"].split("."), match["index"]
    if keys[0] == "requests" and len(keys) == 2 and keys[1] in _ROW_LABELS:
        column = rec.COLUMNS[int(index)] if index is not None and int(index) < len(rec.COLUMNS) else ""
        return f"{_ROW_LABELS[keys[1]]}·{column}" if column else _ROW_LABELS[keys[1]]
    if keys[0] == "reviews" and len(keys) == 2 and keys[1] in _GROUP_LABELS:
        column = rec.REVIEW_COLUMNS[int(index)] if index is not None and int(index) < len(rec.REVIEW_COLUMNS) else ""
        return f"{_GROUP_LABELS[keys[1]]}·{column}" if column else _GROUP_LABELS[keys[1]]
    if keys[0] == "active" and len(keys) == 3 and (keys[1], keys[2]) in _ACTIVE_LABELS:
        return _ACTIVE_LABELS[(keys[1], keys[2])]
    return _TOP_LABELS.get(path, path)


def template_of(record: dict) -> str:
    """The template version to judge table B by: the parsed one, else told by table B's rows."""
    if record.get("template") in rec.ACTIVE:
        return record["template"]
    return "2019" if "other_processing" in (record.get("requests") or {}) else "2021"


def require_table(record: dict, table: str) -> dict:
    figures = record.get(table) or {}
    if not figures:
        raise NotApplicable(f"{TABLE_TITLES[table]}缺失")
    return figures
