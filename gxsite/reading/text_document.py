"""Decoded plain text → a document: each line read into cells (see cells), page footers and
table layout (`|||`, `|---|`) left out, spam stripped before any cell is cut.
"""

from __future__ import annotations

import re

from gxsite.reading import spam
from gxsite.reading.cells import PAGE_FOOTER, line_reading
from gxsite.reading.document import Cell, Document, Row
from gxsite.reading.normalize import has_traditional, normalize as _normalize


# Text saved from a page may keep its `&nbsp;` (an empty cell): a blank, like in HTML.
_NBSP_ENTITY = re.compile(r"&(?:nbsp|#160|#xa0|#xA0);?")


def from_text(text: str, maybe_spam: bool | None = None) -> Document:
    doc = Document()
    traditional = has_traditional(text)
    # Spam goes before any cell is cut: `本年新收51吃瓜网申请数量` must not look like a label glued to 51.
    strip = spam.stripper(text, maybe_spam)
    raw_lines = text.split("\n")
    # Normalizing the whole text at once is much faster than line by line; the
    # steps never add or remove a line break, but fall back if they ever do.
    before_lines = _normalize(_NBSP_ENTITY.sub(" ", text), traditional).split("\n")
    if len(before_lines) != len(raw_lines):
        before_lines = [_normalize(_NBSP_ENTITY.sub(" ", line), traditional) for line in raw_lines]
    norm_lines = strip("\n".join(before_lines)).split("\n")
    if len(norm_lines) != len(raw_lines):
        norm_lines = [strip(line) for line in before_lines]
    carriage_returns = "\r" in text
    offset = 0
    for number, (raw_line, norm) in enumerate(zip(raw_lines, norm_lines), 1):
        line_offset = offset
        offset += len(raw_line) + 1
        if carriage_returns:
            raw_line, norm = raw_line.rstrip("\r"), norm.rstrip("\r")
        if not norm or norm.isspace():
            continue  # blank lines are layout
        figure = norm.isdigit() and norm.isascii()  # a figure alone on its line: the commonest line
        reading = None if figure else line_reading(norm, raw_line)
        if reading is PAGE_FOOTER:
            continue  # `— 3 —`, `第3页`: layout
        if strip is not spam.unchanged:
            doc.note_spam(before_lines[number - 1].rstrip("\r"), norm)
        if figure:
            doc.lines.append((norm, number, False))
            doc.rows.append(Row([Cell(norm, raw_line if len(raw_line) == len(norm) else norm, number, line_offset)]))
            continue
        if reading is None:
            continue  # `|||` and `|---|---|`: layout, not cells
        in_table, line_text, cells = reading
        doc.lines.append((line_text, number, in_table))
        doc.rows.append(Row([Cell(cell_text, raw, number, line_offset + at, False, run)
                             for cell_text, raw, at, run in cells], in_table))
    return doc

