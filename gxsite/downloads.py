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
    """table → the record's CSV lines (no header) as UTF-8. Bytes, not str: the
    text is mostly ASCII, which UTF-8 stores in half the memory of a str that
    holds any Chinese character."""
    encoded = {}
    for table in TABLES:
        out = io.StringIO()
        if record.get(table):
            csv.writer(out, lineterminator="\n").writerows(long_rows(record, table))
        encoded[table] = out.getvalue().encode("utf-8")
    return encoded


_HEADER = (",".join(CSV_HEADER) + "\n").encode("utf-8")


def table_csv(records: list[dict], table: str) -> str:
    """One table of the records as a CSV file (the site builds these in site_downloads)."""
    return (_HEADER + b"".join(record_csv(r)[table] for r in records)).decode("utf-8")


def record_json(record: dict) -> bytes:
    return m.safe_json(record).encode("utf-8")


def site_downloads(agencies: dict[str, list[dict]]) -> dict[str, bytes]:
    """content/ path → bytes of every download: data/reports.jsonl, data/<table>.csv,
    and each agency's data.json ({"reports": [...], "schema": ...}, sorted keys) and
    data.csv (each report's tables A, B, C in turn).

    Each record is encoded once, straight into the site-wide files, and never
    held on its own: an agency's records sit together in those files (agencies
    in order, each oldest first), so its files are cut from them. At 10,000
    reports this keeps one copy of the encodings in memory instead of two."""
    jsonl = io.BytesIO()
    tables = {table: io.BytesIO(_HEADER) for table in TABLES}
    for out in tables.values():
        out.seek(0, io.SEEK_END)
    spans = {}  # slug → (start, end) in reports.jsonl, [(table, start, end) per report and table]
    for slug, group in agencies.items():
        json_start, cuts = jsonl.tell(), []
        for record in group:
            jsonl.write(record_json(record))
            jsonl.write(b"\n")
            for table, lines in record_csv(record).items():
                cuts.append((table, tables[table].tell(), tables[table].tell() + len(lines)))
                tables[table].write(lines)
        spans[slug] = (json_start, jsonl.tell(), cuts)
    files = {"data/reports.jsonl": jsonl.getvalue()}
    del jsonl
    whole = {table: out.getvalue() for table, out in tables.items()}
    del tables
    for table in TABLES:
        files[f"data/{table}.csv"] = whole[table]
    schema = m.safe_json(rec.SCHEMA).encode("utf-8")
    lines = memoryview(files["data/reports.jsonl"])
    views = {table: memoryview(data) for table, data in whole.items()}
    for slug, (json_start, json_end, cuts) in spans.items():
        # A record's JSON holds no raw line break (json escapes them), so the
        # agency's lines joined by commas are its records' list.
        reports = bytes(lines[json_start:json_end - 1]).replace(b"\n", b",")
        files[f"agencies/{slug}/data.json"] = b"".join([b'{"reports":[', reports, b'],"schema":', schema, b"}\n"])
        files[f"agencies/{slug}/data.csv"] = _HEADER + b"".join(views[t][a:b] for t, a, b in cuts)
    for view in (lines, *views.values()):
        view.release()
    return files
