"""The caches' JSON gives back exactly the values it was given."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import SEEDS
from gxsite import jsonio
from conftest import parse_and_check_json as parse_and_check


@pytest.mark.parametrize("seed", sorted(p.name for p in SEEDS.iterdir() if p.is_file()))
def test_seed_records_round_trip(seed):
    record = parse_and_check(SEEDS / seed, f"raw_reports/{seed}")
    assert jsonio.loads(jsonio.dumps(record)) == record


@pytest.mark.parametrize("value", [
    {"text": "lone \udc80 surrogate"},  # orjson refuses: the standard library writes it
    {"big": 2 ** 70},
    {"float": 1213308.0, "small": 1e-05, "huge": 1.2345678901234567e19, "text": "\u2028 \x1f \"q\" 中文"},
])
def test_values_orjson_refuses_or_formats_its_own_way_round_trip(value):
    assert jsonio.loads(jsonio.dumps(value)) == value


def test_torn_json_is_a_value_error():
    with pytest.raises(ValueError):
        jsonio.loads(b'{"torn": ')


# JSON values as records hold them, with the floats and strings that trip encoders up.
_SCALARS = (st.none() | st.booleans() | st.integers(min_value=-2 ** 70, max_value=2 ** 70)
            | st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from([1e-05, 1e16, 1.5e-7, 0.0001, -0.0])
            | st.text())
_VALUES = st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=4)
                       | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=20)


def _nonfinite_as_null(value):
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: _nonfinite_as_null(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_nonfinite_as_null(item) for item in value]
    return value


@given(_VALUES, st.booleans())
def test_every_value_is_written_as_valid_json_that_parses_back(value, sort_keys):
    """One encoder for caches and downloads alike: whatever a record holds is JSON a browser
    parses (no NaN), and reads back as the value, non-finite floats as null."""
    written = jsonio.dumps(value, sort_keys)
    parsed = json.loads(written.decode("utf-8", "surrogatepass"),
                        parse_constant=lambda name: pytest.fail(f"{name} is not JSON"))
    assert parsed == _nonfinite_as_null(value)
    assert jsonio.loads(written) == parsed


@pytest.mark.parametrize("value, written", [
    ({"small": 1e-05, "nan": float("nan")}, b'{"small":0.00001,"nan":null}'),
    ([float("inf"), -float("inf"), 2.5], b"[null,null,2.5]"),
    ({"lone": "\udc80", "nan": float("nan")}, '{"lone":"\udc80","nan":null}'.encode("utf-8", "surrogatepass")),
])
def test_nan_and_infinity_are_written_as_null(value, written):
    assert jsonio.dumps(value) == written


@pytest.mark.parametrize("seed", sorted(p.name for p in SEEDS.iterdir() if p.is_file()))
def test_seed_records_are_written_as_the_standard_library_reads_them(seed):
    record = parse_and_check(SEEDS / seed, f"raw_reports/{seed}")
    assert json.loads(jsonio.dumps(record, True)) == record
