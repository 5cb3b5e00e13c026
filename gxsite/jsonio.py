"""The build's one JSON encoder: orjson (Rust), the standard library only for what it refuses.

Every JSON the build writes goes through dumps(): the record cache, the records the
parse workers send back, the downloads, the figures of the charts. Non-finite
floats (NaN, ±Infinity), which are not JSON, are written as null: a browser's
JSON.parse would refuse the whole file. orjson refuses lone surrogates, integers
beyond 64 bits and non-str keys; such a value is written by the standard library
with the same rules, so it parses back to the same data (loads() reads text with
such a long integer through the standard library too: orjson reads it as a float).
"""

from __future__ import annotations

import json
import math

import orjson


def dumps(value: object, sort_keys: bool = False) -> bytes:
    """Compact UTF-8 JSON of value (keys sorted if asked)."""
    try:
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS if sort_keys else 0)
    except TypeError:  # orjson.JSONEncodeError is a TypeError
        return json.dumps(_finite(value), ensure_ascii=False, sort_keys=sort_keys, separators=(",", ":"),
                          allow_nan=False).encode("utf-8", "surrogatepass")


# A run of 19 digits or more may be an integer orjson reads as a float (below -2**63 or
# above 2**64 - 1). Found by mapping digits to 0 and everything else to a space, then
# looking for 19 zeros: both in C, 20 times faster than a regular expression (which
# cost 1.6 s over 10,000 cached records).
_DIGITS_AS_ZERO = bytes(48 if 48 <= b <= 57 else 32 for b in range(256))
_LONG_RUN = b"0" * 19


def loads(data: str | bytes) -> object:
    """Parsed JSON; raises ValueError (json.JSONDecodeError) on text that is not JSON."""
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    if _LONG_RUN in raw.translate(_DIGITS_AS_ZERO):
        return json.loads(raw.decode("utf-8", "surrogatepass"))
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        # orjson also refuses lone surrogates, which dumps() may have written through the standard library.
        if isinstance(data, bytes):
            data = data.decode("utf-8", "surrogatepass")
        return json.loads(data)


def _finite(value: object) -> object:
    """value with NaN and ±Infinity replaced by None, as orjson writes them."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(item) for item in value]
    return value
