"""The gxsite.report/1 record as the program holds it: typed, JSON only at the edges.

A Report is what the parser makes, the checks judge and the site shows. It becomes JSON
(to_json) and comes back (from_json) only where it leaves the process or the disk: the
record cache, the parse workers' replies, the downloads and `gxsite parse --json`. The
JSON's keys and their order are a public interface (../shared/docs/schema.md): to_json
writes exactly the keys, in exactly the order, the record has always had.

Tables stay compact containers (a report holds ~250 figures and a build 100,000 reports):
`active` item → field → figure, `requests`/`reviews` row → list of figures. A cell is
addressed by a CellRef; `Report.cell(ref)` gives its value, whether it was read with
certainty, and where it was read from.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Union

from gxsite.record import SCHEMA

Figure = Union[int, float, None]

# The note of a corpus rule's check made from one report alone (run_single): such a check
# is written with its own key order, the one `gxsite parse --json` has always printed.
AWAITING_CORPUS = "需要与其他报告对照，仅在 gxsite build 中检查"


@dataclass(frozen=True, slots=True)
class CellRef:
    """A cell of table A, B or C ('active', item, field) or ('requests'/'reviews', row, index),
    or a whole row when `column` is None. `path` is the record path the JSON uses."""

    table: str
    row: str
    column: int | str | None = None

    @property
    def path(self) -> str:
        return _path_of(self)

    @staticmethod
    def parse(path: str) -> CellRef | None:
        """'requests.total[6]', 'active.fees.amount_10k_yuan', 'requests.total' → a CellRef; None
        for a path that names no cell or row of the tables ('year', 'agency.name', 'requests')."""
        return _parsed(path)


@functools.lru_cache(maxsize=8192)
def _path_of(ref: CellRef) -> str:
    # the same few hundred addresses for every report: each string made once
    if ref.column is None:
        return f"{ref.table}.{ref.row}"
    if isinstance(ref.column, int):
        return f"{ref.table}.{ref.row}[{ref.column}]"
    return f"{ref.table}.{ref.row}.{ref.column}"


def _is_key(text: str) -> bool:
    return text.isidentifier() and text.isascii()


@functools.lru_cache(maxsize=8192)
def _parsed(path: str) -> CellRef | None:
    table, _, rest = path.partition(".")
    if table == "active":
        item, _, name = rest.partition(".")
        if not _is_key(item) or (name and not _is_key(name)):
            return None
        return CellRef(table, item, name or None)
    if table not in ("requests", "reviews"):
        return None
    row, bracket, index = rest.partition("[")
    if not _is_key(row):
        return None
    if not bracket:
        return CellRef(table, row)
    if not index.endswith("]") or not index[:-1].isdigit() or not index[:-1].isascii():
        return None
    return CellRef(table, row, int(index[:-1]))


@functools.lru_cache(maxsize=8192)
def covering_places(path: str) -> tuple[str, ...]:
    """The problem places that cover a path, the narrowest first: the path itself and each part
    of it that ends before a '.' or a '[' ('requests.total', 'requests' for 'requests.total[6]';
    'active.fees', 'active' for 'active.fees.amount_10k_yuan')."""
    return (path, *reversed([path[:k] for k, ch in enumerate(path) if ch in ".["]))


def covered(places: set[str], path: str) -> bool:
    """Whether a doubted place (Report.doubted_places) covers the figure at `path`: the one
    definition of a doubt, for callers that gather a report's places once for many cells."""
    return bool(places) and not places.isdisjoint(covering_places(path))


@dataclass(slots=True)
class Source:
    path: str
    sha256: str
    format: str | None
    url: str | None = None

    def to_json(self) -> dict:
        return {"path": self.path, "sha256": self.sha256, "format": self.format, "url": self.url}


@dataclass(slots=True)
class Agency:
    name: str | None = None
    slug: str | None = None
    tampered: bool = False

    def to_json(self) -> dict:
        return {"name": self.name, "slug": self.slug, "tampered": self.tampered}


@dataclass(slots=True)
class Provenance:
    """Where a figure was read: its cell's text, line and character offset in the text read,
    and for a PDF or Word file its page and place (written to JSON only when known)."""

    text: str
    line: int | None = None
    offset: int | None = None
    page: int | None = None
    place: str | None = None

    def to_json(self) -> dict:
        entry = {"text": self.text, "line": self.line, "offset": self.offset}
        if self.page is not None:
            entry["page"] = self.page
        if self.place is not None:
            entry["place"] = self.place
        return entry


@dataclass(slots=True)
class Problem:
    """One thing that could not be read. `code` is kebab-case; `where` a record path or 'report'."""

    code: str
    where: str
    text: str
    message: str = ""

    def to_json(self) -> dict:
        entry = {"code": self.code, "where": self.where, "text": self.text}
        if self.message:
            entry["message"] = self.message
        return entry


@dataclass(slots=True)
class Check:
    """One rule's verdict on a report: status pass/fail/warn/n/a, result (checks.result), and
    its findings, each a dict of cells, expected, found, message, unverified (and extras)."""

    rule: str
    status: str
    severity: str
    result: str = "n/a"
    note: str = ""
    findings: list[dict] = field(default_factory=list)

    def to_json(self) -> dict:
        if self.note == AWAITING_CORPUS and self.status == "n/a":
            return {"rule": self.rule, "status": self.status, "result": self.result, "severity": self.severity,
                    "findings": self.findings, "note": self.note}
        return {"rule": self.rule, "status": self.status, "severity": self.severity, "findings": self.findings,
                "note": self.note, "result": self.result}

    @staticmethod
    def from_json(entry: dict) -> Check:
        return Check(entry.get("rule"), entry.get("status"), entry.get("severity"), entry.get("result", "n/a"),
                     entry.get("note", ""), entry.get("findings") or [])


@dataclass(frozen=True, slots=True)
class Cell:
    """A figure as the site and the rules see it: its value, whether it was read with certainty
    (known and named by no problem: Report.uncertain), and its source (None when not read)."""

    value: Figure
    certain: bool
    source: Provenance | None


@dataclass(slots=True)
class Report:
    schema: str
    source: Source
    agency: Agency
    year: int | None = None
    published: str | None = None
    template: str | None = None
    title: str | None = None  # the report's title as it names itself, spam removed
    active: dict[str, dict[str, Figure]] = field(default_factory=dict)
    requests: dict[str, list[Figure]] = field(default_factory=dict)
    reviews: dict[str, list[Figure]] = field(default_factory=dict)
    narrative: dict[str, dict] = field(default_factory=dict)
    provenance: dict[str, Provenance] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)

    @staticmethod
    def blank(path: str, sha256: str, fmt: str | None) -> Report:
        """A report with every figure unknown: what a file yields before (or instead of) parsing."""
        return Report(SCHEMA, Source(path, sha256, fmt), Agency())

    # --- JSON, at the edges ------------------------------------------------------

    def to_json(self) -> dict:
        """The gxsite.report/1 record: today's keys in today's order. The tables and the
        narrative are shared with the report, not copied: the caller encodes, never edits."""
        return {"schema": self.schema, "source": self.source.to_json(), "agency": self.agency.to_json(),
                "year": self.year, "published": self.published, "template": self.template, "title": self.title,
                "active": self.active, "requests": self.requests, "reviews": self.reviews,
                "narrative": self.narrative,
                "provenance": {path: entry.to_json() for path, entry in self.provenance.items()},
                "problems": [p.to_json() for p in self.problems], "checks": [c.to_json() for c in self.checks]}

    @staticmethod
    def from_json(record: dict) -> Report:
        """A record read back (cache, a worker's reply, a test's fixture); absent keys are blank."""
        source = record.get("source") or {}
        agency = record.get("agency") or {}
        return Report(
            record.get("schema", SCHEMA),
            Source(source.get("path"), source.get("sha256"), source.get("format"), source.get("url")),
            Agency(agency.get("name"), agency.get("slug"), agency.get("tampered", False)),
            record.get("year"), record.get("published"), record.get("template"), record.get("title"),
            record.get("active") or {}, record.get("requests") or {}, record.get("reviews") or {},
            record.get("narrative") or {},
            {path: Provenance(**entry) for path, entry in (record.get("provenance") or {}).items()},
            [Problem(**p) for p in record.get("problems") or []],
            [Check.from_json(c) for c in record.get("checks") or []])

    # --- cells ---------------------------------------------------------------------

    @property
    def usable(self) -> bool:
        """A report the site can show: it has at least table B or table C figures."""
        return bool(self.requests or self.reviews)

    def value(self, ref: CellRef) -> Figure:
        """The figure of a cell; None when absent (or for a whole row)."""
        if ref.table == "active":
            fields = self.active.get(ref.row)
            return fields.get(ref.column) if isinstance(fields, dict) and isinstance(ref.column, str) else None
        values = (self.requests if ref.table == "requests" else self.reviews).get(ref.row)
        index = ref.column
        return values[index] if isinstance(index, int) and isinstance(values, list) and index < len(values) else None

    def at(self, path: str) -> object:
        """What a record path names: a figure ('requests.total[6]'), a row, a table or a field
        ('year', 'agency.tampered'); None when absent."""
        ref = CellRef.parse(path)
        if ref is not None and ref.column is not None:
            return self.value(ref)
        node: object = self
        for key in path.split("."):
            if isinstance(node, dict):
                node = node.get(key)
            elif key in getattr(type(node), "__slots__", ()):
                node = getattr(node, key)
            else:
                return None
        return node

    def doubted_places(self) -> set[str]:
        """The places the report's problems name: cells, rows, whole tables, fields ('year'), or
        'report' (the whole file, which is no figure's place). Every problem is a doubt about its
        place, whatever its code (a problem is what could not be read with certainty): a code the
        rules do not know yet must never let a publisher be blamed for our reading."""
        return {p.where or "" for p in self.problems}

    def doubted(self, path: str) -> bool:
        """Whether a problem names the figure at `path`, its row or its table. The site asks it
        of each of a quarter of a million cells at 10,000 reports, most with no problem at all."""
        return bool(self.problems) and covered(self.doubted_places(), path)

    def uncertain(self, path: str) -> bool:
        """Whether the figure at `path` is in doubt: unknown (null), or doubted. The one answer
        to "is this cell doubtful?" for the rules, the site and the downloads."""
        return self.at(path) is None or self.doubted(path)

    def uncertain_cells(self, paths, places: set[str] | None = None) -> list[str]:
        """The paths that are uncertain, in order; the doubted places gathered once for all."""
        if places is None:
            places = self.doubted_places()
        at = self.at
        return [path for path in paths if at(path) is None or covered(places, path)]

    def cell(self, ref: CellRef) -> Cell:
        """A cell's value, certainty and source."""
        value = self.value(ref)
        return Cell(value, value is not None and not self.doubted(ref.path), self.provenance.get(ref.path))
