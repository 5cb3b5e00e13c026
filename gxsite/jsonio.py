"""JSON for the build's own caches, fast: orjson (Rust), the standard library behind it.

A build at 10,000 reports writes and reads every record and every page in its
caches (about 20 KB and 45 KB of JSON each) and encodes every record for the
downloads; the standard library's json was a large part of build time.

- dumps()/loads(): the caches, whose text only has to parse back to the same
  values (orjson round-trips floats exactly).
- dumps_exact(): the published files, which must not change with the encoder:
  the very text of json.dumps(ensure_ascii=False, separators=(",", ":")),
  except that NaN and ±Infinity are written as null (json.dumps writes NaN,
  which is not JSON: a browser's JSON.parse refuses the whole file). orjson
  writes that text except for floats Python writes in exponent form (1e-05,
  1e+16; orjson: 0.00001, 1e+16), so output holding such a number, and values
  orjson refuses, go through the standard library.
"""

from __future__ import annotations

import json
import math

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


def _may_be_written_differently(data: bytes) -> bool:
    """True when orjson's output may hold a float Python writes differently: one in
    exponent form (a digit before e+ or e-) or below 1e-4 (0.0000…). orjson writes
    every other float as repr() does. Text that looks alike ("e-mail 3e-5") only
    sends the value down the slow path. Searching the output for these few bytes
    is far cheaper than walking the value for floats."""
    if b"0.0000" in data:
        return True
    for marker in (b"e+", b"e-"):
        at = data.find(marker, 1)
        while at != -1:
            if 48 <= data[at - 1] <= 57:  # an ASCII digit
                return True
            at = data.find(marker, at + 2)
    return False


def dumps_exact(value: object, sort_keys: bool = False) -> str:
    """json.dumps(value, ensure_ascii=False, sort_keys=sort_keys, separators=(",", ":")), faster;
    NaN and ±Infinity as null."""
    try:
        data = orjson.dumps(value, option=orjson.OPT_SORT_KEYS if sort_keys else 0)
    except TypeError:  # lone surrogates, integers beyond 64 bits, non-str keys, other types
        data = None
    if data is not None and not _may_be_written_differently(data):
        return data.decode("utf-8")
    return json.dumps(_finite(value), ensure_ascii=False, sort_keys=sort_keys, separators=(",", ":"))


def _finite(value: object) -> object:
    """value with NaN and ±Infinity replaced by None, as orjson writes them."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(item) for item in value]
    return value
