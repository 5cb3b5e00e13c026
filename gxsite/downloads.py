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

CSV_HEADER = ["agency", "slug", "year", "source", "row", "column", "value", "uncertain"]


def _uncertain_paths(record: dict) -> set[str]:
    return {p.get("where") or "" for p in record.get("problems") or []}


def _is_uncertain(path: str, doubts: set[str], value: object) -> bool:
    if value is None:
        return True
    return bool({path, path.split("[", 1)[0], path.split(".", 1)[0]} & doubts)


def _figure(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return m.spreadsheet_text(str(value))


def long_rows(record: dict, table: str) -> list[list[object]]:
    """One record's table as (agency, slug, year, source, row, column, value, uncertain) rows."""
    agency = record.get("agency") or {}
    head = [m.spreadsheet_text(agency.get("name") or ""), agency.get("slug") or "",
            record.get("year") if isinstance(record.get("year"), int) else "",
            m.spreadsheet_text(record["source"]["path"])]
    doubts = _uncertain_paths(record)
    figures = record.get(table) or {}
    rows = []
    if table == "requests":
        template = record.get("template") if record.get("template") in rec.ACTIVE else "2021"
        for key, _ in rec.request_rows(template):
            values = figures.get(key) if isinstance(figures.get(key), list) else []
            for i, column in enumerate(rec.COLUMN_KEYS):
                value = values[i] if i < len(values) else None
                path = f"requests.{key}[{i}]"
                rows.append(head + [key, column, _figure(value), int(_is_uncertain(path, doubts, value))])
    elif table == "reviews":
        columns = ["upheld", "corrected", "other", "pending", "total"]
        for group, _ in rec.REVIEW_GROUPS:
            values = figures.get(group) if isinstance(figures.get(group), list) else []
            for i, column in enumerate(columns):
                value = values[i] if i < len(values) else None
                path = f"reviews.{group}[{i}]"
                rows.append(head + [group, column, _figure(value), int(_is_uncertain(path, doubts, value))])
    else:
        template = record.get("template") if record.get("template") in rec.ACTIVE else "2021"
        for item, (_, fields) in rec.ACTIVE[template].items():
            values = figures.get(item) if isinstance(figures.get(item), dict) else {}
            for field, _ in fields:
                value = values.get(field)
                path = f"active.{item}.{field}"
                rows.append(head + [item, field, _figure(value), int(_is_uncertain(path, doubts, value))])
    return rows


def table_csv(records: list[dict], table: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for record in records:
        if record.get(table):
            writer.writerows(long_rows(record, table))
    return out.getvalue()


def agency_csv(records: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["table"] + CSV_HEADER)
    for record in records:
        for table in ("active", "requests", "reviews"):
            if record.get(table):
                writer.writerows([table] + row for row in long_rows(record, table))
    return out.getvalue()


def reports_jsonl(records: list[dict]) -> str:
    return "".join(m.safe_json(record) + "\n" for record in records)


def agency_json(records: list[dict]) -> str:
    return m.safe_json({"schema": rec.SCHEMA, "reports": records}, indent=1) + "\n"
