"""The caches' JSON gives back exactly the values it was given."""

from __future__ import annotations

import pytest

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
