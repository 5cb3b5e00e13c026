"""The caches' JSON gives back exactly the values it was given."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import SEEDS
from gxsite import jsonio
from gxsite.build import parse_and_check


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
def test_dumps_exact_writes_what_the_standard_library_writes(value, sort_keys):
    assert jsonio.dumps_exact(value, sort_keys) == json.dumps(_nonfinite_as_null(value), ensure_ascii=False,
                                                              sort_keys=sort_keys, separators=(",", ":"))


@pytest.mark.parametrize("value, written", [
    ({"small": 1e-05, "nan": float("nan")}, '{"small":1e-05,"nan":null}'),  # through the standard library
    ([float("inf"), -float("inf"), 2.5], "[null,null,2.5]"),  # through orjson
    ({"text": ",1e5 is text, 0.00001 too", "n": 3}, '{"text":",1e5 is text, 0.00001 too","n":3}'),
])
def test_dumps_exact_writes_valid_json_for_nan_and_infinity(value, written):
    assert jsonio.dumps_exact(value) == written
    json.loads(written, parse_constant=lambda name: pytest.fail(f"{name} is not JSON"))


@pytest.mark.parametrize("seed", sorted(p.name for p in SEEDS.iterdir() if p.is_file()))
def test_seed_records_dump_exactly(seed):
    record = parse_and_check(SEEDS / seed, f"raw_reports/{seed}")
    assert jsonio.dumps_exact(record, True) == json.dumps(record, ensure_ascii=False, sort_keys=True,
                                                          separators=(",", ":"))
