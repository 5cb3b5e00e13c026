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


def agency_slug(name: str | None, source_path: str) -> str:
    if name:
        return f"{_ascii_words(name)}-{_digest(name)}"
    stem = source_path.rsplit("/", 1)[-1]
    return f"unknown-{_ascii_words(stem)}-{_digest(stem)}"
