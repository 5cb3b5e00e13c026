"""The parser against the five seeds' hand-checked gold figures, and its general behaviour."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import SEEDS, gold_files, load_gold, report
from conftest import parse_json as parse_file

FIXTURES = Path(__file__).parent / "fixtures" / "parse"


def _parse_seed(gold: dict) -> dict:
    return parse_file(SEEDS / gold["file"], f"raw_reports/{gold['file']}")


def _all_texts(value):
    if isinstance(value, dict):
        for v in value.values():
            yield from _all_texts(v)
    elif isinstance(value, list):
        for v in value:
            yield from _all_texts(v)
    elif isinstance(value, str):
        yield value


@pytest.mark.parametrize("gold_path", gold_files(), ids=lambda p: p.stem)
def test_seed_matches_gold(gold_path):
    gold = load_gold(gold_path)
    record = _parse_seed(gold)
    for key in ("year", "published", "template"):
        assert record[key] == gold[key], key
    for key in ("name", "tampered"):
        if key in gold["agency"]:
            assert record["agency"][key] == gold["agency"][key], key
    for table in ("requests", "reviews"):
        assert record[table] == gold[table], table
    for item, fields in gold["active"].items():
        for field, value in fields.items():
            got = record["active"][item][field]
            assert got == value and type(got) is type(value), f"active.{item}.{field}"
    text = json.dumps(record, ensure_ascii=False)
    for banned in gold["agency"].get("must_not_contain", []):
        assert banned not in text, banned
    assert record["agency"]["slug"]


def test_seed_000_garbled_cells_are_flagged():
    gold = load_gold(gold_files()[0])
    record = _parse_seed(gold)
    garbled = sorted(p["where"] for p in record["problems"] if p["code"] == "garbled-number")
    # exactly the cells printed as `0?` in the source
    assert garbled == sorted(["requests.new_received[0]", "requests.new_received[1]", "requests.new_received[2]",
                              "requests.new_received[4]", "requests.new_received[6]", "requests.carried_over[6]"])
    assert all(p["text"] == "0?" for p in record["problems"] if p["code"] == "garbled-number")
    assert record["active"]["penalties"]["decisions"] == 0  # `无`
    assert record["provenance"]["active.penalties.decisions"]["text"] == "无"


@pytest.mark.parametrize("gold_path", gold_files(), ids=lambda p: p.stem)
def test_every_figure_has_provenance_pointing_at_its_source(gold_path):
    gold = load_gold(gold_path)
    record = _parse_seed(gold)
    lines = (SEEDS / gold["file"]).read_text(encoding="utf-8").split("\n")
    for table in ("requests", "reviews"):
        for key, values in record[table].items():
            for i, value in enumerate(values):
                where = f"{table}.{key}[{i}]"
                prov = record["provenance"][where]
                assert str(value) in prov["text"] or prov["text"] in ("无", "—", "-", "/")
                assert prov["text"] in lines[prov["line"] - 1]


def test_seed_001_narrative_figures():
    gold = load_gold(gold_files()[1])
    narrative = _parse_seed(gold)["narrative"]
    assert {k: narrative[k]["value"] for k in ("received", "received_natural_person", "received_legal_person",
                                                "handled", "carried_over", "carried_forward")} == {
        "received": 27, "received_natural_person": 25, "received_legal_person": 2,
        "handled": 26, "carried_over": 2, "carried_forward": 3}
    assert "共办结26件" in narrative["handled"]["sentence"]
    assert "利博" not in narrative["received"]["sentence"]


def test_seed_004_narrative_and_restored_name():
    gold = load_gold(gold_files()[4])
    record = _parse_seed(gold)
    assert {k: record["narrative"][k]["value"] for k in ("received", "reconsideration", "litigation")} == {
        "received": 208, "reconsideration": 1, "litigation": 3}
    assert record["agency"]["name"] == "江西省人民政府办公厅"


def test_restoration_needs_a_single_named_province(tmp_path):
    text = (SEEDS / gold_files()[4].name.replace(".json", ".txt")).read_text(encoding="utf-8")
    other = tmp_path / "two-provinces.txt"
    other.write_text(text.replace("涉赣政务舆情处置回应。", "涉赣政务舆情处置回应，学习湖南经验。"), encoding="utf-8")
    assert parse_file(other)["agency"]["name"] is None


def test_spam_never_becomes_the_name_and_sets_tampered():
    gold = load_gold(gold_files()[1])
    record = _parse_seed(gold)
    assert record["agency"]["name"] is None
    assert record["agency"]["tampered"] is True
    assert all("利博" not in t for t in _all_texts(record))


def test_slug_is_stable_and_depends_on_name():
    gold = load_gold(gold_files()[0])
    a, b = _parse_seed(gold), _parse_seed(gold)
    assert a["agency"]["slug"] == b["agency"]["slug"]
    assert a == b  # a pure function of the file's bytes and shown path


def test_a_report_that_names_no_body_is_labelled_by_its_title_never_its_file_name():
    """Issue 14: seed 001's name was replaced by spam; the site called it 未识别机关（001_….txt）."""
    from gxsite.site.agency_page import agency_title
    gold = load_gold(gold_files()[1])
    record = _parse_seed(gold)
    assert record["agency"]["name"] is None
    assert record["title"] == "2021年政府信息公开工作年度报告"
    assert agency_title(report(record)) == "未识别机关：2021年政府信息公开工作年度报告"
    assert agency_title(report({**record, "title": None})) == "未识别机关的2021年度报告"
    assert gold["file"] not in agency_title(report(record))
