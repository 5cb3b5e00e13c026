"""Decoded report text → a document: rows of cells, each cell knowing where it came from.

Every layout the crawlers produce is reduced to the same shape: HTML tables
(rowspan/colspan expanded to a full grid), pipe-joined lines, Markdown tables,
tab-separated lines, one cell per line, numbers separated by spaces, and
flattened rows where a label and its digits run together. The table readers
then only deal with rows of cells.
"""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass, field

from lxml import etree

from gxsite.reading import spam
from gxsite.reading.normalize import has_traditional, is_value_text, normalize as _normalize


def _no_spam(text: str) -> str:
    return text


def spam_stripper(text: str, maybe_spam: bool | None = None):
    """spam.strip for a document that may hold spam; a no-op for the (many) that cannot.
    `maybe_spam`: spam.might_contain(text), when the caller already knows it."""
    if maybe_spam is None:
        maybe_spam = spam.might_contain(text)
    return spam.strip if maybe_spam else _no_spam


class Cell:
    """One cell of a row. A plain class with slots, not a dataclass: documents hold
    hundreds of cells each, and a dataclass's __init__ + __post_init__ was a
    measurable share of the parse."""

    __slots__ = ("text", "raw", "line", "offset", "span", "run", "is_value", "label")

    def __init__(self, text: str, raw: str, line: int, offset: int, span: bool = False, run: bool = False):
        self.text = text  # normalized text
        self.raw = raw  # the text as it stands in the file (for provenance)
        self.line = line  # 1-based line in the decoded text
        self.offset = offset  # character offset in the decoded text
        self.span = span  # a copy made by rowspan/colspan, not a cell of its own
        self.run = run  # digits split off a flattened label: the cells of a row, run together
        # is_value: a figure, a blank, or a way of writing none — not a label;
        # label: the text as a label is matched
        try:
            self.is_value, self.label = _TRAITS[text]
        except KeyError:
            self.is_value, self.label = _traits(text)
        if run:
            self.is_value = True

    def __repr__(self) -> str:
        return (f"Cell(text={self.text!r}, raw={self.raw!r}, line={self.line}, offset={self.offset}, "
                f"span={self.span}, run={self.run})")


# Cell texts repeat within and across reports: their traits are worked out once per process
# (a dict, not an lru_cache: the lookup is a third of a cell's making). Long texts are not
# kept, and the dict is emptied when full, so a hostile file cannot fill memory.
_TRAITS: dict[str, tuple[bool, str]] = {}
_TRAITS_KEPT = 16384


def _traits(text: str) -> tuple[bool, str]:
    traits = (not text or is_value_text(text), text.replace(" ", "") if " " in text else text)
    if len(text) <= 40:
        if len(_TRAITS) >= _TRAITS_KEPT:
            _TRAITS.clear()
        _TRAITS[text] = traits
    return traits


class Row:
    __slots__ = ("cells", "in_table")

    def __init__(self, cells: list[Cell], in_table: bool = False):
        self.cells = cells
        self.in_table = in_table  # from an HTML <table> or a pipe/tab-separated line


@dataclass
class Document:
    rows: list[Row] = field(default_factory=list)
    # (normalized line, line number, in a table?) for metadata and narrative
    lines: list[tuple[str, int, bool]] = field(default_factory=list)
    title: str | None = None  # the HTML <title>, if any
    # the page's <meta name=… content=…> that Chinese government sites carry by rule
    # (ArticleTitle, PubDate, ContentSource), normalized and spam-stripped
    meta: dict[str, str] = field(default_factory=dict)
    # spam-stripped line → the line before stripping: where spam stood is evidence (metadata)
    unstripped: dict[str, str] = field(default_factory=dict)

    def note_spam(self, before: str, after: str) -> None:
        if before.strip() != after.strip():
            self.unstripped[after.strip()] = before.strip()


# --- splitting one line's text into cells -------------------------------------

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
    plan = _cut_cached(text) if len(text) <= _CACHED_CUT else _cut(text)
    if plan is None:
        return [Cell(text, raw_line if len(raw_line) == len(text) else text, line, line_offset)]
    return [Cell(part, raw, line, line_offset + at, False, run) for part, raw, at, run in _plan_parts(plan, text, raw_line)]


# A cell as a text line's reading keeps it: (text, raw text, offset, digit run?)
_Part = tuple[str, str, int, bool]


def _parts_of_text(text: str, raw: str, at: int = 0) -> list[_Part]:
    """cells_of_text's cells as plain tuples, the first at offset `at`."""
    plan = _cut_cached(text) if len(text) <= _CACHED_CUT else _cut(text)
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
_CACHED_CUT = 200
_cut_cached = functools.lru_cache(maxsize=16384)(_cut)


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


# Text saved from a page may keep its `&nbsp;` (an empty cell): a blank, like in HTML.
_NBSP_ENTITY = re.compile(r"&(?:nbsp|#160|#xa0|#xA0);?")


def from_text(text: str, maybe_spam: bool | None = None) -> Document:
    doc = Document()
    traditional = has_traditional(text)
    # Spam goes before any cell is cut: `本年新收51吃瓜网申请数量` must not look like a label glued to 51.
    strip = spam_stripper(text, maybe_spam)
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
        reading = None if figure else _line_reading(norm, raw_line)
        if reading is _PAGE_FOOTER:
            continue  # `— 3 —`, `第3页`: layout
        if strip is not _no_spam:
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


# How a line reads depends on the line alone (its cells' offsets counted from its start):
# template rows (`| 规章 | 0 | 0 | 0 |`) and headings repeat within and across reports, and
# each is read once per process. Long lines (prose) are read every time, and the dict is
# emptied when full, so a hostile file cannot fill memory.
_Reading = tuple[bool, str, tuple[_Part, ...]]
_LINE_READINGS: dict[tuple[str, str], _Reading | None] = {}
_CACHED_LINE = 200
# The reading of a page footer (`— 3 —`, `第3页`), told apart by identity: footers are found
# with the line's reading (once per distinct line), not by a pattern tried on every line.
_PAGE_FOOTER: _Reading = (False, "", ())


def _line_reading(norm: str, raw_line: str) -> _Reading | None:
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
    in the line, digit run?)); None for a line of table layout, _PAGE_FOOTER for a page footer."""
    if _PAGE_NUMBER.match(norm):
        return _PAGE_FOOTER
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


# --- HTML ---------------------------------------------------------------

_SKIP = {"script", "style", "noscript", "nav", "iframe", "select", "option", "button", "svg", "object",
         "embed", "template", "head", "textarea", "map", "canvas", "audio", "video"}
_BLOCK = {"p", "div", "br", "tr", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
          "table", "section", "article", "blockquote", "pre", "hr", "header", "footer", "form", "center",
          "main", "aside", "figure", "figcaption", "caption", "tbody", "thead", "tfoot", "td", "th", "body", "html"}


_META_NAMES = {"articletitle", "pubdate", "contentsource"}
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
# huge_tree: libxml2 otherwise stops at 256 levels of nesting and returns an empty page (the
# file is at most 5 MB: reading.MAX_BYTES bounds what a deep tree can cost).
_HTML_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True, huge_tree=True)
_ROW_GROUPS = {"thead", "tbody", "tfoot"}
_CELL_TAGS = {"td", "th"}
# Compiled once: element.xpath(text) compiles its expression on every call.
_NESTED_TABLES = etree.XPath(".//table")
_TITLES = etree.XPath("//title")
_TEXT_NODES = etree.XPath(".//text()", smart_strings=False)
_MAX_GRID = 20000  # cells one table may expand to; real tables have a few hundred


class _HtmlWalker:
    def __init__(self, text: str, maybe_spam: bool | None = None):
        self.text = text
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.doc = Document()
        self.buffer: list[str] = []
        self.buffer_line = 1
        self.traditional = has_traditional(text)
        self.strip = spam_stripper(text, maybe_spam)

    def offset_of(self, line: int) -> int:
        if 1 <= line <= len(self.line_starts):
            return self.line_starts[line - 1]
        return self.line_starts[-1] if line > 1 else 0

    def flush(self) -> None:
        raw = "".join(self.buffer)
        self.buffer = []
        if not raw or raw.isspace():  # the whitespace between block tags: most flushes
            return
        for part in raw.split("\n"):
            if not part or part.isspace():
                continue
            before = _normalize(part, self.traditional)
            norm = self.strip(before).strip()
            self.doc.note_spam(before, norm)
            if not norm:
                continue
            line = self.buffer_line
            self.doc.lines.append((norm, line, False))
            self.doc.rows.append(Row(cells_of_text(norm, line, self.offset_of(line), norm)))

    def add_text(self, text: str | None, line: int | None) -> None:
        if text:
            if not self.buffer and line:
                self.buffer_line = line
            self.buffer.append(text)

    def walk(self, el) -> None:
        tag = el.tag if isinstance(el.tag, str) else None
        if tag is None:  # comments and processing instructions are not content
            self.add_text(el.tail, el.sourceline)
            return
        tag = tag.lower()
        if tag in _SKIP or el.get("role") == "navigation":
            self.add_text(el.tail, el.sourceline)
            return
        block = tag in _BLOCK
        if block:
            self.flush()
        if tag == "table" and not _NESTED_TABLES(el):
            self.table(el)
        else:
            self.add_text(el.text, el.sourceline)
            for child in el:
                self.walk(child)
        if block:
            self.flush()
        self.add_text(el.tail, el.sourceline)

    def cell_texts(self, tds: list) -> list[str]:
        # one normalization pass for the whole table: far cheaper than one per cell
        raw = "\n".join([_cell_text(td) for td in tds])
        texts = [t.strip() for t in self.strip(_normalize(raw, self.traditional)).split("\n")]
        if len(texts) != len(tds):
            texts = [self.strip(_normalize(" ".join(td.itertext()), self.traditional)).strip() for td in tds]
        return texts

    def table(self, table) -> None:
        # The rows and cells by walking the children (what the XPath `./tr|./thead/tr|./tbody/tr|
        # ./tfoot/tr` and `./td|./th` select, in document order): an XPath per row cost more
        # than the walk.
        rows = [tr for child in table
                for tr in ((child,) if child.tag == "tr" else child if child.tag in _ROW_GROUPS else ())
                if tr.tag == "tr"]
        row_tds = [[td for td in tr if td.tag in _CELL_TAGS] for tr in rows]
        next_text = iter(self.cell_texts([td for tds in row_tds for td in tds])).__next__
        # Per row, column → the copy a rowspan from a row above puts there. Spans only reach
        # down and right, so a row's cells come out in column order as its own cells are read:
        # the copies from above where its cells skip over them, then the rest after its last.
        from_above: list[dict[int, Cell]] = [{} for _ in rows]
        budget = _MAX_GRID
        last_line, offset = None, 0
        for r, tr in enumerate(rows):
            copies = from_above[r]
            cells: list[Cell] = []
            words: list[str] = []  # the texts of the row's own cells, for Document.lines
            c = 0  # a row's cells fill its free columns left to right
            for td in row_tds[r]:
                text = next_text()
                while c in copies:
                    cells.append(copies[c])
                    c += 1
                line = td.sourceline or tr.sourceline or 1
                if line != last_line:
                    last_line, offset = line, self.offset_of(line)
                colspan = rowspan = 1
                if td.attrib:  # most cells have no attributes: no span to look up
                    colspan, rowspan = _span(td.get("colspan")), min(_span(td.get("rowspan")), len(rows) - r)
                    if colspan * rowspan > budget:  # a hostile span: keep the cell, drop its copies
                        colspan = rowspan = 1
                budget -= colspan * rowspan
                # most cells are not cut: made here, without a call to cells_of_text
                if len(text) <= _CACHED_CUT and _cut_cached(text) is None:
                    cells.append(Cell(text, text, line, offset))
                    if text:
                        words.append(text)
                else:
                    own = cells_of_text(text, line, offset, text)
                    cells += own
                    words += [cell.text for cell in own if cell.text]
                if colspan * rowspan > 1:
                    copy = Cell(text, text, line, offset, span=True)
                    cells += [copy] * (colspan - 1)  # (they take the place of any copies from above)
                    for dr in range(1, rowspan):
                        below = from_above[r + dr]
                        for dc in range(colspan):
                            below[c + dc] = copy
                c += colspan
            if copies and max(copies) >= c:
                cells += [copies[col] for col in sorted(copies) if col >= c]
            self._table_row(cells, words)

    def _table_row(self, cells: list[Cell], words: list[str]) -> None:
        if words or any(cell.text for cell in cells):
            self.doc.lines.append((" ".join(words), cells[0].line, True))
            self.doc.rows.append(Row(cells, in_table=True))


def _cell_text(td) -> str:
    """A cell's text on one line: its text nodes joined by spaces, as `" ".join(td.itertext())`
    (lxml's itertext was the most expensive call of the HTML reader: the common shapes are
    read directly, the rest with a compiled XPath that selects the same text nodes)."""
    children = len(td)
    if children == 0:  # <td>3</td>
        text = td.text
    elif children == 1 and len(child := td[0]) == 0:  # <td><p>3</p></td>
        head, text, tail = td.text, child.text, child.tail
        if head is not None or tail is not None:
            text = " ".join([t for t in (head, text, tail) if t is not None])
    else:
        text = " ".join(_TEXT_NODES(td))
    if not text:
        return ""
    return text.replace("\n", " ").replace("\r", " ")


def _span(value: str | None) -> int:
    # Real pages write colspan="3 ", rowspan="0" or junk; a span is 1..50.
    if value is None or value == "1":
        return 1
    try:
        n = int(str(value).strip()) if value is not None else 1
    except ValueError:
        return 1
    return min(max(n, 1), 50)


def _page_address(root) -> dict[str, str]:
    """The page's own address, as it states it (a canonical link, or og:url): {"url": …} or {}."""
    for tag in root.iter("link"):
        if "canonical" in (tag.get("rel") or "").lower().split() and tag.get("href"):
            return {"url": tag.get("href").strip()}
    for tag in root.iter("meta"):
        if (tag.get("property") or tag.get("name") or "").strip().lower() == "og:url" and tag.get("content"):
            return {"url": tag.get("content").strip()}
    return {}


# Linear on any input (a pattern that looked for </script> or --> went quadratic on thousands
# of unclosed ones): a tag, or a '<' that never closes, is a line break.
_TAG = re.compile(r"<[^>]*>?")


def _untagged(text: str) -> str:
    """A page nested too deep to walk: its text with every tag a line break, read like a file
    of one cell per line (a table's cells each on their own line)."""
    lines = (html.unescape(line).strip() for line in _TAG.sub("\n", text).split("\n"))
    return "\n".join(line for line in lines if line)


def from_html(text: str, maybe_spam: bool | None = None) -> Document:
    walker = _HtmlWalker(text, maybe_spam)
    try:
        # plain lxml elements: the lxml.html element classes cost a lookup per node
        # (an XML declaration with an encoding is refused on decoded text: drop it)
        root = etree.fromstring(_XML_DECLARATION.sub("", text, count=1), _HTML_PARSER)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return from_text(text, maybe_spam)
    if root is None:
        return from_text(text, maybe_spam)
    if any(error.type_name == "ERR_RESOURCE_LIMIT" for error in _HTML_PARSER.error_log):
        return from_text(_untagged(text), maybe_spam)  # too deep for libxml2 (> 2,048 levels)
    # Scripts, styles and comments are never content, not even inside a table cell.
    etree.strip_elements(root, "script", "style", "noscript", "template", etree.Comment, with_tail=False)
    titles = _TITLES(root)
    title_text = "".join(titles[0].itertext()) if titles else ""
    if title_text.strip():
        before = _normalize(title_text, walker.traditional)
        walker.doc.title = walker.strip(before).strip()
        walker.doc.note_spam(before, walker.doc.title)
    for tag in root.iter("meta"):
        name, content = (tag.get("name") or "").strip().lower(), tag.get("content") or ""
        if name in _META_NAMES and content.strip() and name not in walker.doc.meta:
            before = _normalize(content, walker.traditional)
            walker.doc.meta[name] = walker.strip(before).strip()
            walker.doc.note_spam(before, walker.doc.meta[name])
    walker.doc.meta.update(_page_address(root))
    body = root.find("body")
    try:
        walker.walk(body if body is not None else root)
    except RecursionError:  # nested deeper than the walker can follow
        return from_text(_untagged(text), maybe_spam)
    walker.flush()
    return walker.doc
