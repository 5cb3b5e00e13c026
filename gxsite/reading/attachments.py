"""PDF and Word reports → the text the text reader reads, and the page each line is on.

A report published as an attachment is laid out as lines: the text outside tables
line by line, and each table row as one `| cell | cell |` line, in the order they
stand on the page. From there the document and table readers work as for any
text report. PDF tables are found from the ruling lines and word positions
(pdfplumber), not from the text stream, which reads a table column by column; a
cell's label broken over lines is one label; a table continued on the next page
simply goes on in the next lines (its repeated header holds no figures).

A file that cannot be read this way (a scan with no text layer, an encrypted or
damaged PDF, a legacy .doc) raises Unreadable with the reason in Chinese.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from dataclasses import dataclass, field

# Pages read at the most: an annual report has a handful; a hostile file must not keep a worker busy.
MAX_PAGES = 100
# A scan's few stray characters (a page number) do not make a text layer.
_MIN_TEXT = 20
_HAN_GAP = re.compile(r"(?<=[\u4e00-\u9fff]) +(?=[\u4e00-\u9fff])")  # letter-spaced headers: `结 果`
_HAN = re.compile(r"[\u4e00-\u9fff]")


class Unreadable(Exception):
    """The attachment holds no text to read; `code` is the problem code, the message says why in Chinese."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class Laid:
    text: str
    pages: list[int]  # the line number (1-based) each page starts on; [] for a Word file
    places: list[str] = field(default_factory=list)  # where each line stands in the file, in words


def kind(data: bytes) -> str | None:
    """'pdf', 'docx' or 'doc' by the file's first bytes; None for anything else."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "doc"  # an OLE compound file: Word 97-2003
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                return "docx" if "word/document.xml" in archive.namelist() else None
        except Exception:  # zipfile raises several kinds on a damaged archive (NotImplementedError too)
            return None
    return None


def lay_out(data: bytes, file_kind: str) -> Laid:
    if file_kind == "pdf":
        return _pdf(data)
    if file_kind == "docx":
        return _docx(data)
    raise Unreadable("legacy-word", "旧版Word文档（.doc）无法读取，请改用.docx或PDF格式")


# --- table rows as lines -----------------------------------------------------------

def _cell_text(text: str | None) -> str:
    # a label broken over lines is one label; `|` would open a new cell
    joined = "".join(part.strip() for part in (text or "").split("\n"))
    return _HAN_GAP.sub("", joined).replace("|", "｜")


def _row_line(cells: list[str]) -> str | None:
    """One table row as a `| a | b |` line; the empty cells before the row's first label are
    layout (a label column merged from the row above), not blank figures."""
    labels = [k for k, text in enumerate(cells) if _HAN.search(text)]
    if labels:
        first = labels[0]
        cells = [text for k, text in enumerate(cells) if k >= first or text]
    if not any(cells):
        return None
    return "| " + " | ".join(cells) + " |"


# --- PDF ---------------------------------------------------------------------------

def _pdf(data: bytes) -> Laid:
    import pdfplumber  # imported here: only reports that are PDFs pay for loading it
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    # pdfminer logs every font quirk (`Could not get FontBBox…`) as a warning: not the reader's news
    logging.getLogger("pdfminer").setLevel(logging.ERROR)

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            lines, pages, images = _pdf_lines(pdf)
    except Exception as error:  # pdfminer raises many kinds of error on a damaged file; pdfplumber wraps them
        cause = error.args[0] if error.args and isinstance(error.args[0], Exception) else error
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
            raise Unreadable("encrypted-pdf", "PDF文件已加密（需要密码），无法读取其中的文字") from None
        raise Unreadable("damaged-pdf", f"PDF文件已损坏，无法读取（{type(cause).__name__}）") from None
    if len(_HAN.findall("".join(lines))) < _MIN_TEXT:
        if images:
            raise Unreadable("scanned-pdf", "扫描件，没有文字层：报告以图片形式发布，无法读取其中的数字")
        raise Unreadable("empty-pdf", "PDF文件中没有文字")
    return Laid("\n".join(lines) + "\n", pages)


def _pdf_lines(pdf) -> tuple[list[str], list[int], bool]:
    lines: list[str] = []
    pages: list[int] = []
    images = False
    for page in pdf.pages[:MAX_PAGES]:
        pages.append(len(lines) + 1)
        images = images or bool(page.images)
        tables = [t for t in page.find_tables() if _columns(t) > 1]
        boxes = [t.bbox for t in tables]
        outside = page.filter(lambda obj: not any(_inside(obj, box) for box in boxes))
        items = [(line["top"], [line["text"]]) for line in outside.extract_text_lines()]
        for table in tables:
            rows = [_row_line([_cell_text(c) for c in row if c is not None]) for row in table.extract()]
            items.append((table.bbox[1], [row for row in rows if row]))
        for _, texts in sorted(items, key=lambda item: item[0]):
            lines.extend(texts)
    return lines, pages, images


def _columns(table) -> int:
    return max((len(row.cells) for row in table.rows), default=0)


def _inside(obj: dict, box: tuple) -> bool:
    x0, top, x1, bottom = box
    return (obj.get("x0", -1) >= x0 - 1 and obj.get("x1", 1e9) <= x1 + 1
            and obj.get("top", -1) >= top - 1 and obj.get("bottom", 1e9) <= bottom + 1)


# --- Word --------------------------------------------------------------------------

# What a Word file may hold unpacked: a report's document.xml is well under a megabyte, and a
# small file can unpack to gigabytes of XML.
MAX_DOCX_UNPACKED = 50 * 1024 * 1024


def _docx(data: bytes) -> Laid:
    try:
        return _docx_lines(data)
    except Unreadable:
        raise
    except Exception as error:  # python-docx and lxml raise many kinds on a damaged file
        raise Unreadable("damaged-docx", f"Word文件已损坏，无法读取（{type(error).__name__}）") from None


def _docx_lines(data: bytes) -> Laid:
    import docx  # imported here: only reports that are Word files pay for loading it

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if sum(item.file_size for item in archive.infolist()) > MAX_DOCX_UNPACKED:
            raise Unreadable("damaged-docx", "Word文件解压后过大，未读取")
    document = docx.Document(io.BytesIO(data))
    lines: list[str] = []
    places: list[str] = []
    paragraphs = tables = 0
    for block in document.iter_inner_content():
        if isinstance(block, docx.table.Table):
            tables += 1
            for row, line in _docx_table(block):
                lines.append(line)
                places.append(f"第{tables}个表格第{row}行")
        else:
            paragraphs += 1
            for line in block.text.split("\n"):
                lines.append(line)
                places.append(f"第{paragraphs}段")
    if len(_HAN.findall("".join(lines))) < _MIN_TEXT:
        raise Unreadable("empty-docx", "Word文件中没有文字")
    return Laid("\n".join(lines) + "\n", [], places)


def _docx_table(table) -> list[tuple[int, str]]:
    """(row number, line) of each row that holds anything."""
    lines = []
    for number, row in enumerate(table.rows, 1):
        cells, previous = [], None
        for cell in row.cells:
            if cell == previous:
                continue  # a cell merged across columns is listed once per column it covers
            cells.append(_cell_text(cell.text))
            previous = cell
        line = _row_line(cells)
        if line:
            lines.append((number, line))
    return lines
