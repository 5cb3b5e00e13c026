"""JSON for the build's own caches, fast: orjson (Rust), the standard library behind it.

A build at 10,000 reports writes and reads every record and every page in its
caches (about 20 KB and 45 KB of JSON each) and encodes every record for the
downloads; the standard library's json was a large part of build time.

- dumps()/loads(): the caches, whose text only has to parse back to the same
  values (orjson round-trips floats exactly).
- dumps_exact(): the published files, which must not change with the encoder:
  the very text of json.dumps(ensure_ascii=False, separators=(",", ":")). orjson
  writes that text except for floats Python writes in exponent form (1e-05,
  1e+16; orjson: 0.00001, 1e16) and NaN/Infinity, so values holding such a float
  and values orjson refuses go through the standard library.
"""

from __future__ import annotations

import json

import orjson


def dumps(value: object) -> bytes:
    """UTF-8 JSON of value; values orjson refuses (lone surrogates, integers beyond
    64 bits, non-str keys) go through the standard library, written as ASCII."""
    try:
        return orjson.dumps(value)
    except TypeError:  # orjson.JSONEncodeError is a TypeError
        return json.dumps(value).encode("ascii")


def loads(data: str | bytes) -> object:
    """Parsed JSON; raises ValueError (json.JSONDecodeError) on text that is not JSON."""
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        # orjson also refuses lone surrogates, which the standard library writes and reads.
        return json.loads(data)


def _has_float_written_differently(value: object) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind is dict:
            stack.extend(item.values())
        elif kind is list:
            stack.extend(item)
        elif kind is float and item and not 1e-4 <= abs(item) < 1e16:  # NaN fails the test too
            return True
    return False


def dumps_exact(value: object, sort_keys: bool = False) -> str:
    """json.dumps(value, ensure_ascii=False, sort_keys=sort_keys, separators=(",", ":")), faster."""
    if not _has_float_written_differently(value):
        try:
            return orjson.dumps(value, option=orjson.OPT_SORT_KEYS if sort_keys else 0).decode("utf-8")
        except TypeError:  # lone surrogates, integers beyond 64 bits, non-str keys, other types
            pass
    return json.dumps(value, ensure_ascii=False, sort_keys=sort_keys, separators=(",", ":"))
