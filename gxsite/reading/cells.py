"""One line's text → its cells: pipe-joined lines, Markdown tables, tab- and comma-separated
lines, numbers separated by spaces, and flattened rows where a label and its digits run
together, each cut into cells that keep their offset in the line.
"""

from __future__ import annotations

import functools
import re

from gxsite.reading.document import Cell
from gxsite.reading.normalize import is_value_text


_PAGE_NUMBER = re.compile(r"^\s*(?:[-—–－]+\s*\d{1,4}\s*[-—–－]+|第\s*\d{1,4}\s*页(?:\s*[,/]?\s*共\s*\d{1,4}\s*页)?)\s*$")
_MD_RULE = re.compile(r"^:?-{2,}:?$")
# Where a flattened table row starts: 一、 二、 … (一)(二) … and the numbered sub-rows 1. 2. …
# (Each branch starts with the character where a row starts, its context in look-arounds: re
# then skips to those characters instead of trying three look-aheads at every position.)
_ROW_START = re.compile(r"[一二三四五六七八九十](?=[、.])|\((?=[一二三四五六七八九十]\))"
                        r"|[1-9](?<=[\d\u4e00-\u9fff)—–/\s-][1-9])(?=[.、](?=[^\d]))")
# In a run-together row: the sub-row number (`1.`) belongs to the label; other digits are figures.
_ITEM_NUMBER = re.compile(r"^\s*[1-9][.、]")
# A run is everything from the label's end to the next label: digits, words for none
# (`2851800—1304`: 无 — - / are cell boundaries the splitter honours) and signs
# (2019 template's 本年增/减: `232-780`). Cutting it at a dash would leave digits that
# split into wrong figures.
_ZERO_WORD = r"(?:无(?!法|正当)|—+|–+|-+|/|－)"
# (Whatever lies between two runs is a label: searched for runs alone.)
_RUN = re.compile(r"(?:\d|" + _ZERO_WORD + r")(?:[\d.,]|" + _ZERO_WORD + r"|\s+(?=\d|" + _ZERO_WORD + r"))*")
# A word for none right after a table-A item (`行政处罚无`) makes a line worth cutting.
# (Written from the word for none, the item in a look-behind: re skips to the rare
# characters instead of trying the look-behind at every position.)
_ITEM_ZERO = r"[无—–/](?<=(?:规章|文件|许可|处罚|强制|收费|采购|事项)[无—–/])(?!法|正当)"
_SPACED_PIECE = re.compile(r"\S+")


def _pieces(text: str, start: int) -> list[tuple[str, int]]:
    """Split a cell's text into label and value pieces: `予以公开 3 0 0` → `予以公开`, `3`, `0`, `0`.

    Words that are not values are kept together with the spaces between them.
    """
    pieces: list[tuple[str, int]] = []
    label: tuple[int, int] | None = None
    for m in _SPACED_PIECE.finditer(text):
        if is_value_text(m.group()):
            if label:
                pieces.append((text[label[0]:label[1]], start + label[0]))
                label = None
            pieces.append((m.group(), start + m.start()))
        else:
            label = (label[0] if label else m.start(), m.end())
    if label:
        pieces.append((text[label[0]:label[1]], start + label[0]))
    return pieces


def _flattened(text: str, start: int) -> list[tuple[str, int, bool]]:
    """Split a run-together row text at the template's row numbering, and labels from their digits."""
    out: list[tuple[str, int, bool]] = []
    bounds = [m.start() for m in _ROW_START.finditer(text) if m.start() > 0] + [len(text)]
    begin = 0
    for end in bounds:
        fragment = text[begin:end]
        item = _ITEM_NUMBER.match(fragment)
        label_start = 0
        for m in _RUN.finditer(fragment, item.end() if item else 0):
            label = fragment[label_start:m.start()].strip()
            if label:
                out.append((label, start + begin + label_start, False))
            out.append((m.group(), start + begin + m.start(), True))
            label_start = m.end()
        if fragment[label_start:].strip():
            out.append((fragment[label_start:].strip(), start + begin + label_start, False))
        begin = end
    return out


_GLUED = re.compile(r"[\u4e00-\u9fff)]\d|" + _ITEM_ZERO)


def _is_glued(text: str) -> bool:
    return bool(_GLUED.search(text))


_THOUSANDS_SPACED = re.compile(r"\s*\d{1,3}(?:[ \u00a0]\d{3})+\s*")
_TABLE_WORDS = re.compile(r"本年新收|上年结转|予以公开|不予公开|无法提供|不予处理|其他处理|总计|结转下年|规章|规范性文件"
                          r"|行政许可|行政处罚|行政强制|事业性收费|集中采购|结果维持|结果纠正|尚未审结|申请数量|处理决定")
# A number standing alone between spaces. (Written digit-first, the look-behind after it:
# re then skips to the digits instead of trying the look-behind at every position.)
_SPACED_NUMBER = re.compile(r"\d(?<!\S\d)\d*(?!\S)")
# (_ITEM_ZERO without its look-arounds: the same lines and a few more, found faster)
_NEEDS_SPLIT = re.compile(r"\s|[\u4e00-\u9fff)]\d|(?:规章|文件|许可|处罚|强制|收费|采购|事项)(?:无|—|–|/)")


def cells_of_text(text: str, line: int, line_offset: int, raw_line: str) -> list[Cell]:
    """One cell's worth of text (or a line without separators) → cells."""
    plan = cut_cached(text) if len(text) <= CACHED_CUT else _cut(text)
    if plan is None:
        return [Cell(text, raw_line if len(raw_line) == len(text) else text, line, line_offset)]
    return [Cell(part, raw, line, line_offset + at, False, run) for part, raw, at, run in _plan_parts(plan, text, raw_line)]


# A cell as a text line's reading keeps it: (text, raw text, offset, digit run?)
_Part = tuple[str, str, int, bool]


def _parts_of_text(text: str, raw: str, at: int = 0) -> list[_Part]:
    """cells_of_text's cells as plain tuples, the first at offset `at`."""
    plan = cut_cached(text) if len(text) <= CACHED_CUT else _cut(text)
    if plan is None:
        return [(text, raw if len(raw) == len(text) else text, at, False)]
    return _plan_parts(plan, text, raw, at)


def _plan_parts(plan: tuple[tuple[str, int, bool], ...], text: str, raw: str, at: int = 0) -> list[_Part]:
    """The cells `text` is cut into (see _cut), their raw texts sliced from `raw` (the text as it
    stands in the file) when it is as long as `text`."""
    same_length = len(raw) == len(text)
    end = len(raw)
    return [(part, raw[ppos:ppos + len(part)] if same_length else part, at + min(ppos, end), run)
            for part, ppos, run in plan]


def _cut(text: str) -> tuple[tuple[str, int, bool], ...] | None:
    """Where a cell's text splits: (part, position, digit run?) for each cell, None for one cell."""
    if text.isascii() and text.isdigit():  # the commonest cell of all: a figure
        return None
    if _THOUSANDS_SPACED.fullmatch(text):
        return None  # `1 234` on a line of its own is one cell, read as doubtful (normalize.read_value)
    # Most cells are one word or one figure; long prose lines are not table material
    # unless they carry a table's wording (a page flattened into one line).
    if not _NEEDS_SPLIT.search(text) or (len(text) > 40 and not _TABLE_WORDS.search(text)
                                         and len(_SPACED_NUMBER.findall(text)) < 3):
        return None
    pieces = _pieces(text, 0)
    if any(_is_glued(piece) for piece, _ in pieces):
        # A page flattened into one line: spaces fall anywhere (`（七）总计23 0 00 0 023四、…`), so
        # the line is cut at its row numbering and between labels and digits, not at spaces first.
        return tuple(_flattened(text, 0))
    return tuple((piece, pos, False) for piece, pos in pieces)


# Cell texts and row labels repeat within and across reports: each is cut once per
# process. Long texts (prose) are cut every time, so a hostile file cannot fill memory.
CACHED_CUT = 200
cut_cached = functools.lru_cache(maxsize=16384)(_cut)


_CSV_FIGURE = re.compile(r"\s*(?:\d+|无|-|—|/)?\s*")


def _is_comma_row(norm: str) -> bool:
    """Commas separate cells when most of the line is figures (not prose, not 1,234)."""
    parts = norm.split(",")
    figures = sum(1 for part in parts if _CSV_FIGURE.fullmatch(part))
    return figures >= 5 and figures >= len(parts) - 4


def _split_separated(norm: str) -> tuple[list[str], int] | None:
    """A pipe- or tab-separated line → its cells' texts and the position of the first (each next
    one starts one separator after the one before); None for a line without separators."""
    sep = "|" if "|" in norm else ("\t" if "\t" in norm else None)
    if sep is None and norm.count(",") >= 5 and _is_comma_row(norm):
        sep = ","  # a CSV export: `一、本年新收…,25,2,0,0,0,0,27`
    if sep is None:
        return None
    parts = norm.split(sep)
    start = 0
    # `| a | b |` (Markdown) and `a |` (one cell per line, seed 002): the outer
    # separators close cells, they do not open empty ones.
    if norm.lstrip().startswith(sep) and parts and not parts[0].strip():
        start = len(parts[0]) + 1
        parts = parts[1:]
    if norm.rstrip().endswith(sep) and parts and not parts[-1].strip():
        parts = parts[:-1]
    return parts, start


# How a line reads depends on the line alone (its cells' offsets counted from its start):
# template rows (`| 规章 | 0 | 0 | 0 |`) and headings repeat within and across reports, and
# each is read once per process. Long lines (prose) are read every time, and the dict is
# emptied when full, so a hostile file cannot fill memory.
_Reading = tuple[bool, str, tuple[_Part, ...]]
_LINE_READINGS: dict[tuple[str, str], _Reading | None] = {}
_CACHED_LINE = 200
# The reading of a page footer (`— 3 —`, `第3页`), told apart by identity: footers are found
# with the line's reading (once per distinct line), not by a pattern tried on every line.
PAGE_FOOTER: _Reading = (False, "", ())


def line_reading(norm: str, raw_line: str) -> _Reading | None:
    if len(norm) > _CACHED_LINE:
        return _read_line(norm, raw_line)
    key = (norm, raw_line)
    try:
        return _LINE_READINGS[key]
    except KeyError:
        if len(_LINE_READINGS) >= 8192:
            _LINE_READINGS.clear()
        reading = _LINE_READINGS[key] = _read_line(norm, raw_line)
        return reading


def _read_line(norm: str, raw_line: str) -> _Reading | None:
    """A text line → (in a table?, its text for Document.lines, its cells as (text, raw, offset
    in the line, digit run?)); None for a line of table layout, PAGE_FOOTER for a page footer."""
    if _PAGE_NUMBER.match(norm):
        return PAGE_FOOTER
    separated = _split_separated(norm)
    if separated is None:
        return False, norm.strip(), tuple(_parts_of_text(norm, raw_line))
    parts, pos = separated
    texts = [p.strip() for p in parts]
    # (a Markdown rule holds `--`: other lines need no look at each cell)
    if not any(texts) or ("--" in norm and all(not t or _MD_RULE.match(t) for t in texts)):
        return None
    cells = _separated_parts(parts, texts, pos, raw_line, len(raw_line) == len(norm))
    return True, " ".join(filter(None, texts)), tuple(cells)


def _separated_parts(parts: list[str], texts: list[str], pos: int, raw_line: str, same_length: bool) -> list[_Part]:
    """The cells of a separated line (offsets in the line): `parts` as split, `texts`
    stripped, the first at `pos`."""
    cells: list[_Part] = []
    end = len(raw_line)
    for part, stripped in zip(parts, texts):
        if not stripped:
            cells.append(("", "", min(pos, end), False))
        else:
            lead = pos + len(part) - len(part.lstrip())
            sub_raw = raw_line[lead:lead + len(stripped)] if same_length else stripped
            cells += _parts_of_text(stripped, sub_raw, min(lead, end))
        pos += len(part) + 1
    return cells
