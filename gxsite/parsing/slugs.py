"""Stable URL slugs for agencies.

A slug depends only on the agency's own name (or, when the name is unknown, on
the source file's name), never on which other reports exist, so an agency's URL
stays the same as reports are added.
"""

from __future__ import annotations

import functools
import hashlib
import re

from pypinyin import lazy_pinyin

_MAX_WORDS_CHARS = 60


# An agency's name comes back every year (and pinyin costs ~0.15 ms a name).
@functools.lru_cache(maxsize=4096)
def _ascii_words(text: str) -> str:
    words = "-".join(lazy_pinyin(text, errors=lambda chars: chars))
    words = re.sub(r"[^a-z0-9]+", "-", words.lower()).strip("-")
    return words[:_MAX_WORDS_CHARS].strip("-") or "x"


def _digest(text: str) -> str:
    # Homophones (同音) give the same pinyin; a short hash of the exact name
    # keeps slugs unique without depending on other agencies.
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:6]


# A name that starts with its level but no place (市国资委, 县财政局) names a body in every
# city or county: two such reports are one agency only when they come from one place.
BARE_LEVELS = tuple("省市县区乡镇")


def is_bare(name: str | None) -> bool:
    return bool(name) and name.startswith(BARE_LEVELS)


def agency_slug(name: str | None, source_path: str, place: str | None = None) -> str:
    """`place`: for a name without its place (is_bare), where the report comes from (its site's
    address, else its file): 市国资委 of two cities are two agencies."""
    if name and is_bare(name):
        where = place or source_path
        return f"{_ascii_words(name)}-{_digest(name + chr(0) + where)}"
    if name:
        return f"{_ascii_words(name)}-{_digest(name)}"
    # the file's name for the words, its whole path for the hash: cityA/2022.html and
    # cityB/2022.html are two unnamed agencies
    stem = source_path.rsplit("/", 1)[-1]
    return f"unknown-{_ascii_words(stem)}-{_digest(source_path)}"


@functools.lru_cache(maxsize=4096)
def spelled(name: str | None) -> str:
    """A name in pinyin, a word at a time (平潭综合实验区 → pingtan zonghe shiyanqu), so that
    the site's search finds an agency by its pinyin: one syllable at a time (ping tan) would
    not match what a reader types."""
    import jieba  # the words of the name, as the site's Chinese search cuts them

    if not name:
        return ""
    # the search cut gives the place alone too (上海, 上海市, 人民政府): found by shanghai or renmin
    words = ("".join(lazy_pinyin(word)) for word in jieba.cut_for_search(name))
    spelled_words = (re.sub(r"[^a-z]", "", word.lower()) for word in words)
    return " ".join(dict.fromkeys(w for w in spelled_words if w))
