"""The typed record (gxsite.report): JSON only at the edges, and the same JSON as ever."""

from __future__ import annotations

import json

import pytest

from conftest import ROOT
from gxsite.parsing import parse_file
from gxsite.report import CellRef, Provenance, Report

GOLDEN_RECORDS = sorted((ROOT / "tests" / "golden" / "records").glob("*.json"))


@pytest.mark.parametrize("golden", GOLDEN_RECORDS, ids=lambda p: p.name)
def test_every_golden_record_round_trips_byte_for_byte(golden):
    text = golden.read_text(encoding="utf-8")
    again = Report.from_json(json.loads(text)).to_json()
    assert json.dumps(again, ensure_ascii=False, indent=2, sort_keys=True) + "\n" == text


def test_to_json_writes_todays_keys_in_todays_order():
    """`gxsite parse --json` prints unsorted keys: to_json keeps the order the dict record had."""
    record = json.loads(next(ROOT.joinpath("tests", "golden", "records").glob("000_*.json")).read_text(encoding="utf-8"))
    typed = parse_file(ROOT / "raw_reports" / "000_0f5bb17b6d0f1089.txt", "raw_reports/000_0f5bb17b6d0f1089.txt")
    out = typed.to_json()
    assert list(out) == ["schema", "source", "agency", "year", "published", "template", "title", "active", "requests",
                         "reviews", "narrative", "provenance", "problems", "checks"]
    assert list(out["source"]) == ["path", "sha256", "format", "url"]
    assert list(next(iter(out["provenance"].values()))) == ["text", "line", "offset"]
    assert set(out) == set(record)


def test_a_cell_gives_its_value_certainty_and_source():
    """Seed 000 prints its 本年新收·总计 as `0?` (the golden record names it with a garbled-number
    problem) and its （七）总计·总计 as a plain `0`."""
    golden = json.loads(next(ROOT.joinpath("tests", "golden", "records").glob("000_*.json")).read_text(encoding="utf-8"))
    report = Report.from_json(golden)
    doubtful = report.cell(CellRef.parse("requests.new_received[6]"))
    assert doubtful.value == 0 and doubtful.certain is False
    assert doubtful.source == Provenance("0?", 31, 2048)
    certain = report.cell(CellRef("requests", "total", 6))
    assert certain.value == 0 and certain.certain is True
    assert certain.source == Provenance("0", 54, 3205)
    assert report.uncertain("requests.new_received[6]") and not report.uncertain("requests.total[6]")


def test_cell_addresses_are_the_record_paths():
    for path in ("requests.total[6]", "reviews.reconsideration[4]", "active.fees.amount_10k_yuan", "requests.total"):
        assert CellRef.parse(path).path == path
    assert CellRef.parse("active.fees.amount_10k_yuan") == CellRef("active", "fees", "amount_10k_yuan")
    for path in ("year", "agency.name", "requests", "requests.total[x]", "narrative.received", "report"):
        assert CellRef.parse(path) is None
