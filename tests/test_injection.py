"""Markup injected into a text report marks it as tampered (source-integrity fails)."""

from __future__ import annotations

from conftest import SEEDS, run_single_json

from conftest import parse_json as parse_file

SEED = SEEDS / "003_78cb5ee3af34762b.txt"


def _verdict(record: dict, rule: str) -> str:
    return next(c["status"] for c in run_single_json(record) if c["rule"] == rule)


def test_a_clean_text_report_is_not_tampered():
    record = parse_file(SEED)
    assert record["agency"]["tampered"] is False
    assert _verdict(record, "source-integrity") == "pass"


def test_markup_in_a_text_report_is_injection(tmp_path):
    text = SEED.read_text(encoding="utf-8").replace("一、总体情况", '一、总体情况<img src=x onerror="alert(1)">', 1)
    path = tmp_path / "injected.txt"
    path.write_text(text, encoding="utf-8")
    record = parse_file(path)
    assert record["agency"]["tampered"] is True
    assert [(p["code"], p["where"], p["text"]) for p in record["problems"] if p["code"] == "injected-markup"] == [
        ("injected-markup", "report", '<img src=x onerror="alert(1)">')]
    assert _verdict(record, "source-integrity") == "fail"
    # the figures are still read
    assert record["requests"]["new_received"] == [2, 0, 0, 0, 0, 0, 2]


def test_template_syntax_in_a_text_report_is_injection(tmp_path):
    path = tmp_path / "jinja.txt"
    path.write_text(SEED.read_text(encoding="utf-8") + "\n{{ config.items() }}\n", encoding="utf-8")
    assert parse_file(path)["agency"]["tampered"] is True
