"""Hostile mutations of the seed reports: parse never raises and always returns a whole record."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SEEDS, blank_json, usable
from gxsite import record as rec
from conftest import parse_source_json as parse_source
from gxsite.reading.source import Source, decode, looks_binary, sniff_format

SEED_BYTES = [path.read_bytes() for path in sorted(SEEDS.glob("*.txt"))]
MARKUP = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<iframe src=javascript:alert(1)>",
          "[链接](javascript:alert(1))", "![x](http://evil/x.png)", "{{ config }}", "{% include x %}",
          "<!-- 本年新收 9 9 9 -->", "| 总计 |", "<table><tr><td rowspan=99999 colspan=-3>1</td></tr>",
          "</td></tr></table>", "\x00", "\ufffd", "利博官网", "bet36体育投注_", "51吃瓜网"]


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


@st.composite
def mutated(draw) -> bytes:
    data = draw(st.sampled_from(SEED_BYTES))
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["delete", "duplicate", "swap", "bytes", "truncate", "reencode", "markup"]))
        lines = _lines(data)
        i = draw(st.integers(0, len(lines) - 1))
        j = draw(st.integers(0, len(lines) - 1))
        if kind == "delete":
            del lines[i:i + draw(st.integers(1, 20))]
        elif kind == "duplicate":
            lines[i:i] = lines[i:i + draw(st.integers(1, 20))]
        elif kind == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == "bytes":
            lines[i] = lines[i] + draw(st.binary(min_size=1, max_size=40))
        elif kind == "truncate":
            data = data[: draw(st.integers(0, len(data)))]
            continue
        elif kind == "reencode":
            text, _ = decode(data)
            encoding = draw(st.sampled_from(["gb18030", "utf-16", "utf-16-le", "big5", "utf-8-sig"]))
            data = (text or "").encode(encoding, errors="replace")
            continue
        else:
            lines[i] = lines[i] + draw(st.sampled_from(MARKUP)).encode("utf-8")
        data = b"\n".join(lines)
    return data


def _source(data: bytes) -> Source:
    text, encoding = decode(data) if data.strip() else (None, None)
    if text is not None and looks_binary(text):
        text = None
    return Source("raw_reports/fuzz.txt", "0" * 64, text, sniff_format(text) if text else None, encoding, False,
                  None if text else "unreadable", None if text else "undecodable")


def _check(record: dict) -> None:
    assert record["schema"] == rec.SCHEMA
    assert set(blank_json("", "", None)) <= set(record)
    assert record["agency"]["slug"]
    json.dumps(record, ensure_ascii=False, allow_nan=False)  # serializable as the site's downloads
    for table, width in (("requests", 7), ("reviews", 5)):
        for values in record[table].values():
            assert len(values) == width
            assert all(v is None or (isinstance(v, int) and v >= 0) for v in values)
    uncertain = {p["where"] for p in record["problems"]}
    for table in ("requests", "reviews"):
        for key, values in record[table].items():
            for i, v in enumerate(values):
                path = f"{table}.{key}[{i}]"
                # every figure read has its source; every figure missing has a problem
                assert (path in record["provenance"]) if v is not None else (path in uncertain or table in uncertain)
    if not usable(record):
        assert any(p["where"] == "report" and p.get("message") for p in record["problems"])


@settings(max_examples=120, deadline=3000, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mutated())
def test_mutated_seeds_always_give_a_record(data):
    _check(parse_source(_source(data)))


@settings(max_examples=60, deadline=3000)
@given(st.binary(max_size=3000))
def test_random_bytes_always_give_a_record(data):
    _check(parse_source(_source(data)))


@settings(max_examples=60, deadline=3000)
@given(st.text(alphabet=st.sampled_from(list("一二三四十〇（）()、.|0123456789 \n\t本年新收总计行政复议维持<>td/无—-?？万元年月日发布机构:")), max_size=800))
def test_table_like_noise_always_gives_a_record(text):
    _check(parse_source(Source("raw_reports/noise.txt", "0" * 64, text, sniff_format(text), "utf-8", False, None)))


def test_enormous_rows_and_runs_stay_bounded():
    """A hostile file: one row of 200,000 figures, one run of 200,000 digits. The record says
    the cells cannot be read, and stays small."""
    for text in ("本年新收 " + "1 " * 200_000, "本年新收" + "1" * 200_000, "行政复议 维持\n总计" + "1" * 20_000):
        record = parse_source(Source("raw_reports/big.txt", "0" * 64, text, "text", "utf-8", False, None))
        _check(record)
        assert len(json.dumps(record, ensure_ascii=False)) < 100_000
