"""The data downloads, one folder per province (data/<province>/): reports.jsonl (every
record, schema.md), xz-compressed, and long-form CSVs of tables A, B and C, gzip-compressed.

Report text in downloads is data, but files get opened in spreadsheets and
browsers: CSV text cells that start with = + - @ get a leading apostrophe
(markup.spreadsheet_text), and JSON writes < > & as \\u escapes
(markup.safe_json); both parse back to the figures of the records.
"""

from __future__ import annotations

import csv
import functools
import io
import lzma
import zlib

from gxsite.site import markup as m
from gxsite import record as rec
from gxsite.report import Report, covered

# `unit` came last (columns are a public interface: added, never moved): every value column
# mixed 件, 项, 元 and 万元.
CSV_HEADER = ["table", "agency", "slug", "year", "source", "row", "column", "value", "uncertain", "unit"]
# The unit of each table A field; tables B and C count requests and cases (件).
ACTIVE_UNITS = {"issued": "件", "repealed": "件", "in_force": "件", "made": "件", "published": "件",
                "total_published": "件", "decisions": "件", "previous": "项", "change": "项", "projects": "项",
                "amount_10k_yuan": "万元", "amount_yuan": "元"}
TABLES = ("active", "requests", "reviews")


def _is_uncertain(path: str, doubts: set[str], value: object) -> bool:
    """Report.uncertain, with the record's doubted places gathered once for all its cells."""
    return value is None or covered(doubts, path)


def _figure(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return m.spreadsheet_text(str(value))


@functools.lru_cache(maxsize=16)
def _layout(table: str, template: str) -> tuple[tuple[str, tuple[tuple[str, str, int | str], ...]], ...]:
    """A table's rows in the template's order: (row key, ((column key, record path,
    index or field of the row's figures), ...)). The same few hundred strings for
    every report: made once."""
    if table in ("requests", "reviews"):
        rows = [key for key, _ in rec.request_rows(template)] if table == "requests" else [g for g, _ in rec.REVIEW_GROUPS]
        columns = rec.COLUMN_KEYS if table == "requests" else REVIEW_COLUMN_KEYS
        return tuple((row, tuple(zip(columns, rec.row_paths(table, row, len(columns)), range(len(columns)))))
                     for row in rows)
    return tuple((item, tuple((field, path, field) for (field, _), path in zip(fields, rec.item_paths(template, item))))
                 for item, (_, fields) in rec.ACTIVE[template].items())


def _cells(record: Report, table: str):
    """(row, column, record path, value) of one table, in the template's order."""
    figures = getattr(record, table)
    for row, columns in _layout(table, rec.layout_template(record.template)):
        values = figures.get(row)
        if table == "active":
            values = values if isinstance(values, dict) else {}
            for column, path, field in columns:
                yield row, column, path, values.get(field)
        else:
            values = values if isinstance(values, list) else []
            for column, path, i in columns:
                yield row, column, path, values[i] if i < len(values) else None


REVIEW_COLUMN_KEYS = ["upheld", "corrected", "other", "pending", "total"]


def _head(record: Report, table: str) -> list[object]:
    return [table, m.spreadsheet_text(record.agency.name or ""), record.agency.slug or "",
            record.year if isinstance(record.year, int) else "",
            m.spreadsheet_text(record.source.path)]


def _csv_line(fields: list[object]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(fields)
    return out.getvalue()


def _table_csv(record: Report, table: str) -> str:
    """One record's table as CSV lines of CSV_HEADER's fields. The first five fields
    are the same on every line and the row and column keys are record.py's plain
    identifiers, so only the head and text values go through the csv module: a
    report has ~200 lines of figures, nearly all of them plain integers."""
    head = _csv_line(_head(record, table))[:-1]
    doubts = record.doubted_places()
    lines = []
    for row, column, path, value in _cells(record, table):
        unit = ACTIVE_UNITS.get(column, "") if table == "active" else "件"
        if type(value) is int and not doubts:
            lines.append(f"{head},{row},{column},{value},0,{unit}\n")
            continue
        figure = _figure(value)
        if isinstance(figure, str) and figure:
            figure = _csv_line([figure])[:-1]
        lines.append(f"{head},{row},{column},{figure},{int(_is_uncertain(path, doubts, value))},{unit}\n")
    return "".join(lines)


def record_csv(record: Report) -> dict[str, bytes]:
    """table → the record's CSV lines (no header) as UTF-8."""
    return {table: _table_csv(record, table).encode("utf-8") if getattr(record, table) else b"" for table in TABLES}


# With a byte order mark: Excel on Chinese Windows reads a CSV without one as GBK, garbled.
_HEADER = ("\ufeff" + ",".join(CSV_HEADER) + "\n").encode("utf-8")


def record_json(record: Report) -> bytes:
    return m.safe_json(record.to_json()).encode("utf-8")


# The files of each province's folder, data/<province>/, compressed so that a national site
# stays within what static hosts allow: the CSVs with gzip (a CSV compresses about 30 times),
# reports.jsonl with xz, which makes it 40% smaller than gzip does (its figures' sources repeat
# over hundreds of kilobytes, beyond gzip's 32 KB window). Each is one compressed member per
# group of agencies (content.download_group): concatenated members are one file to gzip, xz, zcat, 7-Zip,
# pandas and R, and a group whose agencies did not change keeps its member byte for byte.
FILES = ("reports.jsonl", *(f"{table}.csv" for table in TABLES))
LEVEL = 6
# xz's fastest preset: 0.1 s for 7 MB of records, 60% of what gzip -6 writes per agency.
XZ_PRESET = 0
EXTENSIONS = {"reports.jsonl": ".xz", **{f"{table}.csv": ".gz" for table in TABLES}}


def file_name(folder: str, name: str) -> str:
    """The download `name` (reports.jsonl, requests.csv, ...) of a province's folder."""
    return f"data/{folder}/{name}{EXTENSIONS[name]}"


def _compressor(path: str):
    """A compressor of one member of the download at `path`. No timestamp: same input, same bytes."""
    if path.endswith(".xz"):
        return lzma.LZMACompressor(preset=XZ_PRESET)
    # wbits 31: a gzip member; zlib writes no timestamp in its header.
    return zlib.compressobj(LEVEL, zlib.DEFLATED, 31)


def compressed(path: str, data: bytes) -> bytes:
    """One member of the download at `path` holding `data`."""
    if not data:
        return b""
    compressor = _compressor(path)
    return compressor.compress(data) + compressor.flush()


def site_file_header(path: str) -> bytes:
    """What a download starts with before the agencies' members: a CSV's header line."""
    return compressed(path, _HEADER) if path.endswith(".csv.gz") else b""


def agency_lines(group: list[Report]) -> dict[str, bytes]:
    """The agency's lines of each download, uncompressed: its records' lines of reports.jsonl and
    of each table's CSV (each agency oldest report first). No agency has files of its own: its
    page shows every figure, and the province's files hold them for download (a copy per agency
    doubled the site's size)."""
    lines, tables = [], {table: [] for table in TABLES}
    for record in group:
        lines.append(record_json(record) + b"\n")
        for table, encoded in record_csv(record).items():
            tables[table].append(encoded)
    return {"reports.jsonl": b"".join(lines), **{f"{table}.csv": b"".join(parts) for table, parts in tables.items()}}


class Members:
    """One compressed member of each download of data/<folder>/ for a group of agencies, fed one
    agency at a time in agency order (add) and closed (close): a download is site_file_header()
    and then its groups' members. Fed as the agencies are rendered, so that no group's figures
    are ever held whole (其他 holds 1,600 agencies at 100,000 reports)."""

    def __init__(self, folder: str) -> None:
        self.paths = {name: file_name(folder, name) for name in FILES}
        self.compressors = {name: _compressor(path) for name, path in self.paths.items()}
        self.parts: dict[str, list[bytes]] = {name: [] for name in FILES}
        self.fed: set[str] = set()

    def add(self, agency: list[Report]) -> None:
        """The agency's records (oldest first)."""
        for name, data in agency_lines(agency).items():
            if data:
                self.parts[name].append(self.compressors[name].compress(data))
                self.fed.add(name)

    def close(self) -> dict[str, bytes]:
        """download path → the group's member (empty when no agency of the group had lines for it)."""
        return {path: b"".join([*self.parts[name], self.compressors[name].flush()]) if name in self.fed else b""
                for name, path in self.paths.items()}


def members(folder: str, agencies: list[list[Report]]) -> dict[str, bytes]:
    """Members(folder) fed `agencies` (each its records, in agency order) and closed."""
    group = Members(folder)
    for agency in agencies:
        group.add(agency)
    return group.close()
