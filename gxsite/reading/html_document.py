"""An HTML page → a document: block elements become lines, tables become rows of cells
(rowspan/colspan expanded to a full grid), the page's <title> and <meta> are kept.
"""

from __future__ import annotations

import html
import re

from lxml import etree

from gxsite.reading import spam
from gxsite.reading.cells import CACHED_CUT, cells_of_text, cut_cached
from gxsite.reading.document import Cell, Document, Row
from gxsite.reading.normalize import has_traditional, normalize as _normalize
from gxsite.reading.text_document import from_text


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
        self.strip = spam.stripper(text, maybe_spam)

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
                if len(text) <= CACHED_CUT and cut_cached(text) is None:
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
