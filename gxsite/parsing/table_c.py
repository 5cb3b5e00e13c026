"""Table C (行政复议、行政诉讼情况): its 15 figures, in one row, one group per row, or run together."""

from __future__ import annotations

import re

from gxsite import record as rec
from gxsite.report import Problem
from gxsite.parsing.figures import Reader, Tables, clip
from gxsite.parsing.flat import MAX_RUN, Flat, Taken, as_run, find_label, take_values
from gxsite.reading.document import Cell
from gxsite.reading.normalize import as_count, read_value


def _review_sum_ok(vals: tuple) -> bool:
    return all(sum(vals[g:g + 4]) == vals[g + 4] for g in (0, 5, 10))


_C_ANCHOR = re.compile(r"行政复议")
_C_HEADER = re.compile(r"维持|纠正|尚未审结")
_C_STOP = re.compile(r"^[五六]、")
_C_PATHS = tuple(p for g, _ in rec.REVIEW_GROUPS for p in rec.row_paths("reviews", g, 5))


def read_c(flat: Flat, out: Tables, reader: Reader, start: int, split_reviews) -> bool:
    anchor = find_label(flat, _C_ANCHOR, start, len(flat.cells))
    if anchor is None:
        return False
    header = find_label(flat, _C_HEADER, anchor, min(anchor + 60, len(flat.cells)))
    if header is None:
        return False
    i = header
    limit = min(header + 60, len(flat.cells))
    while i < limit and not (flat.cells[i].is_value and flat.cells[i].text):
        i += 1
    if i >= limit:
        return False
    while i > header + 1 and flat.row_of[i - 1] == flat.row_of[i] and flat.cells[i - 1].is_value:
        i -= 1  # blank (&nbsp;) cells that open the figures' row are zeros
    taken = as_run(take_values(flat, i, 15, stop=_C_STOP), 15)
    paths = _C_PATHS
    if taken.run is not None and len(taken.run.text) > MAX_RUN:
        for g, _ in rec.REVIEW_GROUPS:
            out.reviews[g] = [None] * 5
        for p in paths:
            reader.problem("ambiguous-split", p, taken.run.text, "单元格连在一起且过长，无法拆分")
        return True
    if taken.run is not None:
        values, problems = split_reviews(taken.run.text)
        for g, _ in rec.REVIEW_GROUPS:
            out.reviews[g] = values.get(g, [None] * 5)
            for c, v in enumerate(out.reviews[g]):
                if v is not None:
                    reader.where(f"reviews.{g}[{c}]", taken.run, v)
        for p in problems:
            out.problems.append(Problem(p.code, p.where, clip(p.text), p.message))
        return True
    if len(taken.cells) < 15:
        by_rows = _c_by_rows(flat, header)
        if by_rows is not None:
            taken = Taken(by_rows, taken.end)
    values = reader.counts(taken, 15, paths, consistent=_review_sum_ok)
    for k, (g, _) in enumerate(rec.REVIEW_GROUPS):
        out.reviews[g] = values[k * 5:(k + 1) * 5]
    return True


def _c_by_rows(flat: Flat, header: int) -> list[Cell] | None:
    """Table C printed one group per row (`行政复议 | 1 | 0 | 0 | 0 | 1`, `未经复议直接起诉 | …`):
    the figures of the table's rows, in order, accepted only when there are exactly 15 and
    every group's total is its sum (anything less certain stays null with a problem)."""
    end = find_label(flat, re.compile(r"^[五六]、|存在的主要问题"), header, len(flat.cells))
    end = end if end is not None else len(flat.cells)
    if find_label(flat, re.compile(r"直接起诉"), header, end) is None:
        return None
    cells = [flat.cells[k] for k in range(header, end)
             if flat.in_table(k) and flat.cells[k].text and flat.cells[k].is_value and not flat.cells[k].run]
    if len(cells) != 15:
        return None
    vals = tuple(as_count(read_value(c.text)) for c in cells)
    if None in vals or not _review_sum_ok(vals):
        return None
    return cells
