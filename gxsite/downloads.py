"""The data downloads: reports.jsonl (every record, schema.md), long-form CSVs of
tables A, B and C, and each agency's own JSON and CSV.

Report text in downloads is data, but files get opened in spreadsheets and
browsers: CSV text cells that start with = + - @ get a leading apostrophe
(markup.spreadsheet_text), and JSON writes < > & as \\u escapes
(markup.safe_json); both parse back to the figures of the records.
"""

from __future__ import annotations

import csv
import io

from . import markup as m
from . import record as rec

CSV_HEADER = ["table", "agency", "slug", "year", "source", "row", "column", "value", "uncertain"]
TABLES = ("active", "requests", "reviews")


def _uncertain_paths(record: dict) -> set[str]:
    return {p.get("where") or "" for p in record.get("problems") or []}


def _is_uncertain(path: str, doubts: set[str], value: object) -> bool:
    # No doubts (most reports): skip building the set of the path's prefixes.
    if value is None or not doubts:
        return value is None
    return bool({path, path.split("[", 1)[0], path.split(".", 1)[0]} & doubts)


def _figure(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return m.spreadsheet_text(str(value))


def _cells(record: dict, table: str):
    """(row, column, record path, value) of one table, in the template's order."""
    figures = record.get(table) or {}
    template = record.get("template") if record.get("template") in rec.ACTIVE else "2021"
    if table == "requests":
        for key, _ in rec.request_rows(template):
            values = figures.get(key) if isinstance(figures.get(key), list) else []
            for i, column in enumerate(rec.COLUMN_KEYS):
                yield key, column, f"requests.{key}[{i}]", values[i] if i < len(values) else None
    elif table == "reviews":
        for group, _ in rec.REVIEW_GROUPS:
            values = figures.get(group) if isinstance(figures.get(group), list) else []
            for i, column in enumerate(REVIEW_COLUMN_KEYS):
                yield group, column, f"reviews.{group}[{i}]", values[i] if i < len(values) else None
    else:
        for item, (_, fields) in rec.ACTIVE[template].items():
            values = figures.get(item) if isinstance(figures.get(item), dict) else {}
            for field, _ in fields:
                yield item, field, f"active.{item}.{field}", values.get(field)


REVIEW_COLUMN_KEYS = ["upheld", "corrected", "other", "pending", "total"]


def long_rows(record: dict, table: str) -> list[list[object]]:
    """One record's table as CSV_HEADER rows."""
    agency = record.get("agency") or {}
    head = [table, m.spreadsheet_text(agency.get("name") or ""), agency.get("slug") or "",
            record.get("year") if isinstance(record.get("year"), int) else "",
            m.spreadsheet_text(record["source"]["path"])]
    doubts = _uncertain_paths(record)
    return [head + [row, column, _figure(value), int(_is_uncertain(path, doubts, value))]
            for row, column, path, value in _cells(record, table)]


def record_csv(record: dict) -> dict[str, bytes]:
    """table → the record's CSV lines (no header) as UTF-8, encoded once for the
    site-wide and agency files. Bytes, not str: the text is mostly ASCII, which
    UTF-8 stores in half the memory of a str that holds any Chinese character."""
    encoded = {}
    for table in TABLES:
        out = io.StringIO()
        if record.get(table):
            csv.writer(out, lineterminator="\n").writerows(long_rows(record, table))
        encoded[table] = out.getvalue().encode("utf-8")
    return encoded


_HEADER = (",".join(CSV_HEADER) + "\n").encode("utf-8")


def table_csv_bytes(records: list[dict], table: str, encoded: dict[int, dict[str, bytes]] | None = None) -> bytes:
    encoded = encoded or {id(r): record_csv(r) for r in records}
    return _HEADER + b"".join(encoded[id(r)][table] for r in records)


def table_csv(records: list[dict], table: str) -> str:
    return table_csv_bytes(records, table).decode("utf-8")


def agency_csv(records: list[dict], encoded: dict[int, dict[str, bytes]] | None = None) -> bytes:
    encoded = encoded or {id(r): record_csv(r) for r in records}
    return _HEADER + b"".join(encoded[id(r)][t] for r in records for t in TABLES)


def record_json(record: dict) -> bytes:
    return m.safe_json(record).encode("utf-8")


def reports_jsonl(records: list[dict], encoded: dict[int, bytes] | None = None) -> bytes:
    encoded = encoded or {id(r): record_json(r) for r in records}
    # Line and newline as separate parts: `line + b"\n"` would copy every record once more.
    return b"".join(part for r in records for part in (encoded[id(r)], b"\n"))


def agency_json(records: list[dict], encoded: dict[int, bytes] | None = None) -> bytes:
    """{"reports": [...], "schema": ...} with sorted keys, assembled from records encoded once."""
    encoded = encoded or {id(r): record_json(r) for r in records}
    return b"".join([b'{"reports":[', b",".join(encoded[id(r)] for r in records),
                     b'],"schema":', m.safe_json(rec.SCHEMA).encode("utf-8"), b"}\n"])
