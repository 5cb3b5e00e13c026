"""The document readers' shortcuts give what the plain computation gives."""

from __future__ import annotations

import random
import unicodedata

import pytest

from gxsite.reading import html_document, text_document
from gxsite.reading.normalize import _nfkc

# Characters around the shortcuts' edges: full-width punctuation and letters, combining marks
# (which compose with the character before), CJK, ASCII and the characters NFKC leaves alone.
_ALPHABET = "，（）：；\u3000０１ｅＡ\u0301\u0308\u0338e<=、。“”—一二年规章无法正当 ,.-/1()\t"


@pytest.mark.parametrize("seed", range(5))
def test_nfkc_is_unicode_nfkc(seed):
    rng = random.Random(seed)
    for _ in range(5000):
        text = "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, 12)))
        assert _nfkc(text) == unicodedata.normalize("NFKC", text), repr(text)


@pytest.mark.parametrize("text, cells", [
    ("| 规章 | 0 | 2 |", [("规章", 2), ("0", 7), ("2", 11)]),
    ("予以公开 3 0", [("予以公开", 0), ("3", 5), ("0", 7)]),
    ("一、本年新收12二、上年结转3", [("一、本年新收", 0), ("12", 6), ("二、上年结转", 8), ("3", 14)]),
])
def test_text_line_cells_and_offsets(text, cells):
    doc = text_document.from_text("标题\n" + text)
    assert [(cell.text, cell.offset - 3) for cell in doc.rows[1].cells] == cells
    assert all(cell.line == 2 for cell in doc.rows[1].cells)


def test_html_spans_put_copies_in_column_order():
    page = ("<table><tr><td rowspan=2>a</td><td>b</td><td rowspan=2 colspan=2>c</td><td>d</td></tr>"
            "<tr><td>e</td><td>f</td></tr></table>")
    rows = html_document.from_html(page).rows
    assert [(cell.text, cell.span) for cell in rows[0].cells] == [
        ("a", False), ("b", False), ("c", False), ("c", True), ("d", False)]
    assert [(cell.text, cell.span) for cell in rows[1].cells] == [
        ("a", True), ("e", False), ("c", True), ("c", True), ("f", False)]
