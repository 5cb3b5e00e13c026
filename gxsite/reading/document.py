"""A document: rows of cells, each cell knowing where it came from.

Every layout the crawlers produce is reduced to this shape (text_document reads plain
text, html_document HTML pages, cells cuts one line's text into cells), so the table
readers only deal with rows of cells.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gxsite.reading.normalize import is_value_text


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

