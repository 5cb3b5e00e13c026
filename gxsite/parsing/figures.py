"""Value cells → figures (counts and amounts) with their provenance, or nulls with problems.

A row that cannot be read exactly is null with a problem; nothing is guessed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import combinations

from gxsite.report import Problem, Provenance
from gxsite.parsing.flat import Flat, Taken
from gxsite.reading.document import Cell
from gxsite.reading.normalize import as_count, read_value


@dataclass
class Tables:
    template: str | None = None
    active: dict = field(default_factory=dict)
    requests: dict = field(default_factory=dict)
    reviews: dict = field(default_factory=dict)
    provenance: dict[str, Provenance] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    b_span: tuple[int, int] | None = None  # cell index range of table B
    second_report_at: int | None = None  # cell index where a second table B starts


class Reader:
    def __init__(self, flat: Flat, out: Tables):
        self.flat = flat
        self.out = out

    def where(self, path: str, cell: Cell, value) -> None:
        """The figure at `path` was read from `cell`: its provenance."""
        # spam is stripped from the whole record at the end (parse_source), not per figure
        self.out.provenance[path] = Provenance(cell.raw or cell.text, cell.line, cell.offset)

    def problem(self, code: str, where: str, text: str, message: str) -> None:
        self.out.problems.append(Problem(code, where, clip(text), message))

    def counts(self, taken: Taken, n: int, paths: Sequence[str], signed: bool = False,
               consistent=None) -> list[int | None]:
        """Value cells → n counts, or nulls with problems when the cells do not give exactly n figures."""
        cells = taken.cells
        if len(cells) > n:
            cells = self._drop_stray(cells, n, signed, consistent)
            if cells is None:
                text = " | ".join(c.text for c in taken.cells)
                for p in paths:
                    self.problem("unreadable-cell", p, text,
                                 f"该行有{len(taken.cells)}个数值单元格，应为{n}个，无法确定对应关系")
                return [None] * n
        if len(cells) < n:
            text = " | ".join(c.text for c in cells) or (taken.cells and taken.cells[0].text) or ""
            for p in paths:
                self.problem("unreadable-cell", p, text, f"该行只找到{len(cells)}个数值，应为{n}个")
            return [None] * n
        # Clean figures, the common case, are read inline (count() and where() calls per cell were a
        # measurable share of table B); anything unreadable or garbled goes through count() for its problem.
        values = []
        provenance, known = self.out.provenance, _COUNTS[signed]
        for cell, path in zip(cells, paths):
            text = cell.text
            value, garbled = known.get(text) or count_read(text, signed)
            if value is None or garbled:
                values.append(self.count(cell, path, signed))
            else:
                provenance[path] = Provenance(cell.raw or text, cell.line, cell.offset)  # as in where()
                values.append(value)
        return values

    def count(self, cell: Cell, path: str, signed: bool = False) -> int | None:
        text = cell.text
        n, garbled = _COUNTS[signed].get(text) or count_read(text, signed)
        if n is None:
            self.problem("unreadable-cell", path, cell.raw or cell.text, "无法读取为数字")
            return None
        if garbled:
            self.problem("garbled-number", path, cell.raw or cell.text, f"数字残缺，按{n}读取")
        self.where(path, cell, n)
        return n

    def _drop_stray(self, cells: list[Cell], n: int, signed: bool, consistent) -> list[Cell] | None:
        """More value cells than the row has columns: keep the reading only if every way of dropping
        the extra cells that satisfies the row's own arithmetic gives the same figures."""
        extra = len(cells) - n
        if extra > 2:
            return None
        readings: dict[tuple, list[Cell]] = {}
        for drop in combinations(range(len(cells)), extra):
            kept = [c for k, c in enumerate(cells) if k not in drop]
            vals = tuple(as_count(read_value(c.text), signed) for c in kept)
            if None in vals:
                continue
            if consistent is not None and not consistent(vals):
                continue
            readings.setdefault(vals, kept)
        if len(readings) == 1:
            return next(iter(readings.values()))
        return None


def _count_of(text: str, signed: bool) -> tuple[int | None, bool]:
    """A cell text read as a count: (the count or None, garbled?)."""
    v = read_value(text)
    n = as_count(v, signed) if v.number is not None else None
    return n, v.status == "garbled"


# The same few figures (`0`, `1`, `12`) fill every table: each text is read once per process
# (a dict per signedness, not an lru_cache: the lookup is most of a clean cell's reading). Long
# texts are not kept, and a dict is emptied when full, so a hostile file cannot fill memory.
_COUNTS: tuple[dict[str, tuple[int | None, bool]], ...] = ({}, {})  # [signed]
_CACHED_COUNT = 40
_COUNTS_KEPT = 8192


def count_read(text: str, signed: bool) -> tuple[int | None, bool]:
    """_count_of, remembered in _COUNTS."""
    reading = _count_of(text, signed)
    if len(text) <= _CACHED_COUNT:
        known = _COUNTS[signed]
        if len(known) >= _COUNTS_KEPT:
            known.clear()
        known[text] = reading
    return reading


_MAX_PROBLEM_TEXT = 200  # a hostile row of 200,000 cells must not become a 1 MB problem


def clip(text: str) -> str:
    return text if len(text) <= _MAX_PROBLEM_TEXT else text[:_MAX_PROBLEM_TEXT] + "…"
