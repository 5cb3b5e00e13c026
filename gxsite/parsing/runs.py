"""A flattened run → the ways its digits can be read as cells, by how it is written alone.

A run is a string of digits. Whitespace, and the words a report writes for zero
(`无`, `—`, `-`, `/`), are known cell boundaries and are honoured. A number has no
leading zero unless it is "0" itself, and table B and C hold no negative numbers.
Which of these splits a table's arithmetic allows is flattened's business.
"""

from __future__ import annotations

import re
import unicodedata
from itertools import product

MAX_STEPS = 50_000  # search steps per enumeration: the guard against pathological runs


class TooMany(Exception):
    """An enumeration hit its cap: the run is declared ambiguous."""


class Budget:
    def __init__(self, steps: int = MAX_STEPS):
        self.left = steps

    def spend(self) -> None:
        self.left -= 1
        if self.left < 0:
            raise TooMany


# Words for zero; dashes are zeros too, except a minus sign before a digit.
_WORD_ZERO = re.compile(r"无|/")
_SIGN = re.compile(r"(?<![-—–])-(?=\d)")
_DASHES = re.compile(r"([—–-]+)")
_DASHES_SIGNED = re.compile(r"([—–]+|-+(?!\d))")
MAX_READINGS = 64
_ALLOWED = re.compile(r"[\d\s-]*")
# a figure with thousands commas standing between spaces (or at an end of the run)
_THOUSANDS = re.compile(r"(?<!\S)\d{1,3}(?:,\d{3})+(?!\S)")


def chunk_readings(run: str, signed: bool = False) -> list[list[str]] | None:
    """The ways to read the run as digit chunks (cell boundaries fall between chunks).

    None: the run holds something that is not a number. Usually there is one
    reading; a run of dashes (`——`) gives several, since one zero may be written
    `——` or two zeros `—` `—` side by side. A minus sign starts a new cell where the
    table has signed cells (the 2019 template's 本年增/减); in tables B and C, which
    have none, a dash is a zero.
    """
    if run.isdigit() and run.isascii():
        return [[run]]  # the common run (`0000000`): digits only, one chunk
    # A thousands comma between spaces (`1,200 30 2 5 8 0 1,245`) belongs to its figure; one
    # inside a run of glued digits (`1,2003025801,245`) could end a cell: that run stays unreadable.
    text = _THOUSANDS.sub(lambda m: m.group().replace(",", ""), _WORD_ZERO.sub(" 0 ", unicodedata.normalize("NFKC", run)))
    if signed:
        text = _SIGN.sub(" -", text)
    dashes = _DASHES_SIGNED if signed else _DASHES
    pieces = dashes.split(text)
    options = [[" 0 " * k for k in range(1, len(p) + 1)] if dashes.fullmatch(p) else [p] for p in pieces]
    readings: list[list[str]] = []
    for choice in product(*options):
        joined = "".join(choice)
        if not _ALLOWED.fullmatch(joined):
            return None
        chunks = joined.split()
        if any("-" in c[1:] or c == "-" for c in chunks):
            return None
        if chunks not in readings:
            readings.append(chunks)
        if len(readings) > MAX_READINGS:
            return None
    return readings


def all_splits(readings: list[list[str]], splitter) -> list[tuple[int, ...]] | None:
    """Splits over every reading of a run; None when any reading has too many."""
    found: set[tuple[int, ...]] = set()
    for chunks in readings:
        splits = splitter(chunks) if chunks else []
        if splits is None:
            return None
        found.update(splits)
    return sorted(found)


def set_apart(readings: list[list[str]], n: int) -> tuple[int, ...] | None:
    """The n figures of a run whose cells are all set apart (`4 0 0 0 0 0 4`): certain by how it is
    written. A run of n digits with no separator (`2520027`) is not: its one-digit-a-cell split is a
    guess that the arithmetic has to confirm (a lost blank reads 25,2,…,27 as 2,5,2,…)."""
    if len(readings) == 1 and len(readings[0]) == n and all(well_formed(chunk) for chunk in readings[0]):
        return tuple(int(chunk) for chunk in readings[0])
    return None


def well_formed(part: str) -> bool:
    digits = part[1:] if part.startswith("-") else part
    if not digits:
        return False
    if part.startswith("-"):
        return digits[0] != "0"  # no "-0", no "-05"
    return digits == "0" or digits[0] != "0"


def well_formed_splits(chunks: list[str], n: int, cap: int) -> list[tuple[int, ...]] | None:
    """Every split of the chunks into n well-formed numbers; None when more than `cap`."""
    if chunks:
        # Most flattened rows have exactly one digit per number (`0300003`): then the split is
        # forced, and with fewer digits than numbers there is none. A minus sign is not a digit.
        joined = "".join(chunks)
        if len(joined) <= n and "-" not in joined:
            return [tuple(map(int, joined))] if len(joined) == n else []
    found: list[tuple[int, ...]] = []
    digits_left = [sum(len(c) for c in chunks[i:]) for i in range(len(chunks) + 1)]
    budget = Budget()

    def walk(ci: int, pos: int, parts: list[int]) -> bool:
        budget.spend()
        if ci == len(chunks):
            if len(parts) == n:
                found.append(tuple(parts))
            return len(found) <= cap
        chunk = chunks[ci]
        remaining_numbers = n - len(parts)
        remaining_digits = digits_left[ci] - pos
        # each later chunk needs at least one number, each number at least one digit
        if remaining_numbers < len(chunks) - ci or remaining_numbers > remaining_digits:
            return True
        for end in range(pos + 1, len(chunk) + 1):
            part = chunk[pos:end]
            if part == "-":
                continue
            if not well_formed(part):
                break
            nxt = (ci + 1, 0) if end == len(chunk) else (ci, end)
            if not walk(nxt[0], nxt[1], parts + [int(part)]):
                return False
        return True

    if not chunks:
        return [] if n else [()]
    try:
        return found if walk(0, 0, []) else None
    except TooMany:
        return None
