"""Text normalization and cell values: one spelling for every way a report writes a thing.

Reports arrive in full-width forms, traditional characters, with pinyin glosses
injected after characters (`鄉(xiāng)`), with spaces inside words (`结 果 维 持`)
and with numbers written as `0?`, `无`, `1,234` or `121.3308万元`. Everything
downstream matches on the normalized form.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import opencc

# One converter per process: building it reads OpenCC's dictionaries.
_T2S = opencc.OpenCC("t2s")

# Characters that only occur in traditional text; their presence makes the
# (cheap but not free) OpenCC pass worth running.
_TRADITIONAL_HINTS = set("開報資發務會國們這來對時為說種產學動過後區縣鄉處機關條數與經實應當點從業體還現無間樣請況級構計統網門辦規權設議聯總類結轉補職責審義")

_TRADITIONAL_RE = re.compile("[" + "".join(sorted(_TRADITIONAL_HINTS)) + "]")

_CJK_RE = re.compile(r"[\u4e00-\u9fff]")

_TONE_LETTERS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü"
# A pinyin gloss right after a CJK character: `鄉(xiāng)`, `開(kāi)`. A tone mark is
# required so that ordinary parenthesized Latin text is left alone.
# (Both patterns start with the character they match, the look-behind checking the one
# before it: a pattern that starts with a look-behind is tried at every position of the
# text, one that starts with a character lets re skip to where it occurs — 3-20x faster
# on a whole report, same matches.)
_GLOSS = re.compile(r"\((?<=[\u4e00-\u9fff]\()(?=[a-z" + _TONE_LETTERS + r"]{0,6}[" + _TONE_LETTERS + r"])[a-z" + _TONE_LETTERS + r"]{1,7}\)")
_CJK_SPACE = re.compile(r"[ \t\u3000](?<=[\u4e00-\u9fff\uff08\uff09()、“”][ \t\u3000])[ \t\u3000]*(?=[\u4e00-\u9fff()、“”])")


# Characters NFKC leaves as they are whatever stands around them: ASCII, the CJK ideographs
# and the commonest punctuation of Chinese text. None of them decomposes, none is a combining
# mark, none is the second half of a composition: NFKC can be run on what lies between them.
_NFKC_STABLE = "\x00-\x7f\u4e00-\u9fff\u3001\u3002\u300a\u300b\u201c\u201d\u2014"
# Runs of the other characters: the only places NFKC may change anything (spam.py looks there too).
NFKC_RUN = re.compile("[^" + _NFKC_STABLE + "]+")
# NFKC of the runs seen (a few hundred distinct ones); short keys only, emptied when full.
_NFKC_RUNS: dict[str, str | None] = {}


class _Recompose(Exception):
    """A run changed the stable character before it (e + ◌́ → é)."""


# The full-width punctuation of Chinese text: NFKC decomposes each to one ASCII character that
# never composes, so replacing them first changes nothing in the result (and is a C loop).
_WIDE_PUNCTUATION = (("，", ","), ("（", "("), ("）", ")"), ("：", ":"), ("；", ";"), ("\u3000", " "))


def _nfkc(text: str) -> str:
    """unicodedata.normalize("NFKC", text), run by run: NFKC of a whole report cost as much as
    all the rest of reading a text file, and the runs it may change (，（）：０) are few and short.
    Most texts hold no run but the punctuation above: a quick check then says they are done."""
    if unicodedata.is_normalized("NFKC", text):
        return text
    for wide, narrow in _WIDE_PUNCTUATION:
        text = text.replace(wide, narrow)
    if unicodedata.is_normalized("NFKC", text):
        return text
    try:
        return NFKC_RUN.sub(_nfkc_run, text)
    except _Recompose:
        return unicodedata.normalize("NFKC", text)


def _nfkc_run(match: re.Match) -> str:
    # A combining mark in the run can join the character before it: the run is normalized
    # together with that character, which must come out unchanged. (A key with that
    # character starts with a stable one, a key without it does not: they never collide.)
    start, end = match.span()
    key = match.string[start - 1 if start else 0:end]
    try:
        out = _NFKC_RUNS[key]
    except KeyError:
        out = unicodedata.normalize("NFKC", key)
        if start:
            out = out[1:] if out[:1] == key[0] else None
        if len(key) <= 40:
            if len(_NFKC_RUNS) >= 4096:
                _NFKC_RUNS.clear()
            _NFKC_RUNS[key] = out
    if out is None:
        raise _Recompose
    return out


# Characters that show nothing: zero-width spaces and joiners, the BOM, the soft hyphen, bidi
# controls (an RLO turns 局 财政 around on screen). Left in, they make two agencies of names
# that look the same, or hide a word from the readers.
_INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]")


def normalize(text: str, traditional: bool | None = None) -> str:
    """Full-width → half-width, traditional → simplified, glosses and word-internal spaces removed.

    `traditional`: whether the document is in traditional characters (decided once per
    document, since many lines hold no tell-tale character); None decides from `text`.
    """
    text = _nfkc(text)
    if _INVISIBLE.search(text):
        text = _INVISIBLE.sub("", text)
    if traditional is None:
        traditional = has_traditional(text)
    if traditional:
        text = _T2S.convert(text)
    text = _GLOSS.sub("", text)
    return _CJK_SPACE.sub("", text)


def has_traditional(text: str) -> bool:
    # A handful of hint characters in a simplified report can be quotations; a
    # traditional report has them on most lines.
    # The conversion is not free of harm on simplified text (乾县 → 干县), so it needs a
    # share of tell-tale characters, not a couple of quoted ones.
    # Measured against the Chinese characters, not the length: HTML markup is not text.
    # (Traditional reports: ~20% of their characters are tell-tale; simplified: ~0%.)
    sample = text[:200_000]
    hits = len(_TRADITIONAL_RE.findall(sample))
    if hits < 3:
        return hits > 0 and len(sample) < 200
    return hits * 20 >= len(_CJK_RE.findall(sample))


# --- cell values ---------------------------------------------------------

# What a numeric cell may say for "none".
_ZERO_WORDS = {"", "无", "-", "—", "——", "–", "/", "0", "－", "―", "─", "空", "暂无"}
# Written in a figure's place but not a way of writing none for certain (a cross may be "not
# applicable", `null` a lost figure): the cell stays a cell, its figure is not read.
_NOT_A_FIGURE = {"x", "X", "×", "null", "NULL", "Null", "N/A", "n/a", "NA"}
# Digits with a space between them (`1 234`): one figure with a thousands space, or two cells
# whose separator was lost; neither reading is certain.
_SPACED_DIGITS = re.compile(r"\d\s+\d")
_SPACED_FIGURE = re.compile(r"\s*\d[\d,.]*(?:\s+[\d,.]*\d)+\s*")
_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
_UNIT = re.compile(r"(万元|元|件|个|项|条|次|份|人次)$")
_GARBLE = re.compile(r"^([+-]?\d[\d,.]*)[?？\ufffd]+$|^[?？\ufffd]+([+-]?\d[\d,.]*)$")


@dataclass(frozen=True)
class Value:
    """A cell read as a number. `status`: "ok", "garbled" (value kept but doubtful) or "unreadable"."""
    number: Decimal | None
    status: str
    unit: str = ""


_PLAIN_NUMBER = re.compile(r"\d{1,12}")
# A Chinese character that is not a unit or a word for none: the cell is a label.
_WORD_CHAR = re.compile(r"(?![无万元件个项条次份人空暂])[\u4e00-\u9fff]")


# Cell texts repeat across and within reports (`0`, `1`, `无`, the row labels): short ones
# are read once per process. Long texts are not kept, so a hostile file cannot fill memory.
_CACHED_LENGTH = 40


def is_value_text(text: str) -> bool:
    """True when a cell holds a figure (or a way of writing none), not a label."""
    if len(text) <= _CACHED_LENGTH:
        return _is_value_text_cached(text)
    return _is_value_text(text)


def _is_value_text(text: str) -> bool:
    if _PLAIN_NUMBER.fullmatch(text):  # the common case, decided without the general reader
        return True
    if text.strip() in _NOT_A_FIGURE or _SPACED_FIGURE.fullmatch(text):
        return True
    if len(text) > 30 or _WORD_CHAR.search(text):
        return False
    return read_value(text).status != "unreadable" or _looks_garbled(text)


_GARBLED_LOOK = re.compile(r"[\d,.]*\d[\d,.]*[?？\ufffdA-Za-z][\d,.?？\ufffdA-Za-z]*|[?？\ufffdA-Za-z]+\d[\d,.?？\ufffdA-Za-z]*")


def _looks_garbled(text: str) -> bool:
    """A figure damaged in transit (`0?`, `1O`, `3�`): read as a cell, not as a label.
    `1.` alone (a sub-row number) is not one."""
    t = text.strip()
    return len(t) <= 12 and bool(_GARBLED_LOOK.fullmatch(t))


def read_value(text: str) -> Value:
    """A cell's text read as a number (Value is immutable, so cached results can be shared)."""
    if len(text) <= _CACHED_LENGTH:
        return _read_value_cached(text)
    return _read_value(text)


def _read_value(text: str) -> Value:
    if _SPACED_DIGITS.search(text) or text.strip() in _NOT_A_FIGURE:
        return Value(None, "unreadable")
    t = text.strip().replace(" ", "")
    if t in _ZERO_WORDS:
        return Value(Decimal(0), "ok")
    unit = ""
    m = _UNIT.search(t)
    if m:
        unit = m.group(1)
        t = t[: m.start()]
    if _NUMBER.fullmatch(t):
        return Value(_decimal(t), "ok", unit)
    g = _GARBLE.match(t)
    if g:
        digits = g.group(1) or g.group(2)
        if _NUMBER.fullmatch(digits):
            return Value(_decimal(digits), "garbled", unit)
    return Value(None, "unreadable", unit)


_read_value_cached = functools.lru_cache(maxsize=8192)(_read_value)
_is_value_text_cached = functools.lru_cache(maxsize=8192)(_is_value_text)


def _decimal(t: str) -> Decimal | None:
    try:
        return Decimal(t.replace(",", ""))
    except InvalidOperation:
        return None


def as_count(value: Value, signed: bool = False) -> int | None:
    """A count cell: a whole number, negative only where the template allows (本年增/减)."""
    n = value.number
    if n is None or n != n.to_integral_value():
        return None
    if n < 0 and not signed:
        return None
    return int(n)
