"""JSON for the build's own caches, fast: orjson (Rust), the standard library behind it.

A build at 10,000 reports writes and reads every record and every page in its
caches (about 20 KB and 45 KB of JSON each); the standard library's json was a
large part of rebuild time. Cache files are only ever read back by loads(), so
their exact text does not matter, only that they parse back to the same values
(orjson round-trips floats exactly). The published downloads keep the standard
library's json (markup.safe_json): orjson writes some floats differently
(0.00001 where Python writes 1e-05).
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
