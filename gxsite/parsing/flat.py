"""A document's cells in reading order (Flat), the label cells that anchor the template's
rows found among them, and the value cells taken after a label.

Rows are found by the template's stable anchors (numbering and key words, not
the full wording, which spam and editors change), in the template's order, and
each row's figures are the value cells that follow its label.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from gxsite.reading.document import Cell, Document, Row


_MAX_LABEL_SKIP = 2  # label broken over cells: `5.要求行政机关确认或重新出具已获取` / `信息`
NUMBERED = re.compile(r"^[(（]?[一二三四五六七八九十\d]+[)）、.]")  # a row's own numbering: a new label
MAX_RUN = 120  # a real flattened row is a few dozen digits; longer runs are not split
_PROSE = re.compile(r"[,。;、]")


class Flat:
    """The document's cells in reading order (rowspan/colspan copies left out)."""

    __slots__ = ("cells", "row_of", "rows", "breaks", "labels", "label_texts")

    def __init__(self, cells: list[Cell], row_of: list[int], rows: list[Row]):
        self.cells = cells
        self.row_of = row_of  # the index in `rows` of each cell's row (ascending)
        self.rows = rows
        # indices of the cells that end a row's figures (labels and runs), ascending: take_values
        # bisects it instead of testing cell after cell
        self.breaks = [i for i, cell in enumerate(cells) if not cell.is_value or cell.run]
        # indices of the label cells (a text that is not a value), ascending: what find_label looks at;
        # a cell with no text is a value (Cell), so the breaks that are not runs are the labels
        self.labels = [i for i in self.breaks if not cells[i].run]
        self.label_texts = [cells[i].label for i in self.labels]  # their labels (Cell.label)

    @classmethod
    def of(cls, doc: Document) -> "Flat":
        cells: list[Cell] = []
        row_of: list[int] = []
        for r, row in enumerate(doc.rows):
            for cell in row.cells:
                if not cell.span:
                    cells.append(cell)
                    row_of.append(r)
        return cls(cells, row_of, doc.rows)

    def in_table(self, i: int) -> bool:
        """Whether cell i is from an HTML table or a separated line, not from prose (asked rarely:
        looked up in its row rather than kept per cell)."""
        return self.rows[self.row_of[i]].in_table


def find_label(flat: Flat, pattern: re.Pattern, start: int, end: int, prose: bool = True) -> int | None:
    """The first label cell in [start, end) matching pattern; prose=False skips sentences
    (`没有行政许可/审批事项` in the text before table A is not its row)."""
    # Only label cells can match: the search walks the Flat's label index from `start`
    # (table B's rows are found one after the other, each a few labels further on).
    labels, texts, search = flat.labels, flat.label_texts, pattern.search
    for k in range(bisect_left(labels, start), bisect_left(labels, end)):
        if search(texts[k]) and (prose or not _PROSE.search(flat.cells[labels[k]].text)):
            return labels[k]
    return None


# --- collecting the value cells after a label ----------------------------------

@dataclass(slots=True)
class Taken:
    cells: list[Cell]  # the value cells, in order (may exceed n: stray cells)
    end: int  # index after the last cell consumed
    run: Cell | None = None  # a flattened digit run in place of the cells


def _trim(trimmed: list[Cell], have: int, n: int, other_row: bool) -> None:
    """Drop the blank cells at the ends of a row's values that are layout, not zeros (in place)."""
    while trimmed and not trimmed[-1].text and have + len(trimmed) > n:
        trimmed.pop()
    while not have and trimmed and not trimmed[0].text and len(trimmed) > n:
        trimmed.pop(0)  # the label's merged cells, written out empty (`| 一、本年新收… | | | 27 |`)
    if have + len(trimmed) < n:
        # blank trailing cells stand for zeros only when the row is the label's own
        while trimmed and not trimmed[-1].text and other_row:
            trimmed.pop()


def take_values(flat: Flat, start: int, n: int, stop: re.Pattern | None = None) -> Taken:
    """The value cells following flat.cells[start - 1]: the rest of its row, then rows holding only values.

    Empty cells inside a row are figures (blank = 0); trailing empty cells of a
    row are layout unless the row needs them to have n cells.
    """
    cells, row_of, breaks = flat.cells, flat.row_of, flat.breaks
    i = start
    # A label broken over several cells: skip its continuation.
    skipped = 0
    while i < len(cells) and not cells[i].is_value and skipped < _MAX_LABEL_SKIP:
        text = cells[i].label
        if (stop and stop.search(text)) or NUMBERED.match(text):
            break
        i += 1
        skipped += 1
    if i < len(cells) and cells[i].run:
        return Taken([], i + 1, run=cells[i])
    taken: list[Cell] = []
    label_row = row_of[start - 1] if start > 0 else -1
    # the first label or run from i on: the loop takes whole rows of values up to it
    b = bisect_left(breaks, i)
    stop_at = breaks[b] if b < len(breaks) else len(cells)
    while i < len(cells):
        row = row_of[i]
        j = bisect_right(row_of, row, i)  # the end of the row (row_of ascends)
        if stop_at < j:  # a label or a run in the row
            if row == label_row or row_of[max(i - 1, 0)] == row:
                # values then a label in the same row: take the values before it
                taken.extend(cells[i:stop_at])
                i = stop_at
            break
        trimmed = cells[i:j]
        if not (trimmed[0].text and trimmed[-1].text):  # blank cells at an end of the row: some may be layout
            _trim(trimmed, len(taken), n, row != label_row)
        taken.extend(trimmed)
        i = j
        if len(taken) >= n:
            break
    one_per_row = len(taken) == n and len(set(row_of[start:i])) >= n
    if one_per_row and i < len(cells) and row_of[i] != row_of[i - 1] and n > 1:
        # one cell per line: one more value line right after a full row is a stray cell
        # (or a row the reader does not know). Look at it so that a shifted row is not taken silently.
        nxt = i
        extra = []
        while nxt < len(cells) and row_of[nxt] == row_of[i] and cells[nxt].is_value and cells[nxt].text:
            extra.append(cells[nxt])
            nxt += 1
        if extra and nxt < len(cells) and row_of[nxt] == row_of[i]:
            extra = []  # the row goes on with a label: it is the next row's
        if extra and len(extra) < n:
            taken.extend(extra)
            i = nxt
    return Taken(taken, i)


def as_run(taken: Taken, n: int) -> Taken:
    """A row whose figures are one string of at least n digits set apart from its label
    (`（二）部分公开… 8100009`): the cells run together, as in a flattened line."""
    cells = taken.cells
    if taken.run is None and len(cells) == 1 and cells[0].text.isascii() and cells[0].text.isdigit() \
            and n <= len(cells[0].text) <= MAX_RUN:
        return Taken([], taken.end, run=cells[0])
    return taken
