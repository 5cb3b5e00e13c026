"""The parser against real reports it was not shaped on: ../shared/corpus, copied into
tests/corpus with its hand-checked gold (crawler text, PDF→Markdown, OCR Markdown).

What must hold on any real report: no number that differs from the report without a
problem on its own cell, and no `fail` verdict the publisher's own figures do not earn."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from conftest import figure_paths, load_gold
from conftest import parse_and_check_json as parse_and_check

CORPUS = Path(__file__).parent / "corpus"
ARITHMETIC = ("balance", "row-sum", "outcome-sum", "review-sum")


def corpus_golds() -> list[Path]:
    return sorted((CORPUS / "gold").glob("*.json"))


@pytest.fixture(scope="module", params=corpus_golds(), ids=lambda p: p.stem)
def report(request) -> tuple[dict, dict]:
    gold = load_gold(request.param)
    return gold, parse_and_check(CORPUS / gold["file"], f"raw_reports/{gold['file']}")


def _gold_cells(gold: dict) -> dict:
    return dict(figure_paths({"requests": gold["requests"], "reviews": gold["reviews"], "active": gold["active"]}))


def test_the_corpus_is_there():
    assert len(corpus_golds()) >= 9


def test_no_number_differs_from_the_report_without_a_problem(report):
    gold, record = report
    flagged = {p["where"] for p in record["problems"]}
    got = dict(figure_paths(record))
    wrong = {path: (value, got.get(path)) for path, value in _gold_cells(gold).items()
             if got.get(path) != value and not (got.get(path) is None and path in flagged)}
    assert wrong == {}


def test_every_cell_is_read_as_gold(report):
    gold, record = report
    got = dict(figure_paths(record))
    assert {p: got.get(p) for p in _gold_cells(gold)} == _gold_cells(gold)


def test_no_false_accusation_and_every_publisher_error_found(report):
    gold, record = report
    status = {c["rule"]: c["status"] for c in record["checks"]}
    assert {rule: status[rule] for rule in ARITHMETIC} == {rule: gold["expect_checks"][rule] for rule in ARITHMETIC}


def _plain(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace(" ", "")


def test_name_year_template_and_date_as_the_report_states_them(report):
    gold, record = report
    assert _plain(record["agency"]["name"] or "") == _plain(gold["agency"]["name"])
    assert (record["year"], record["template"], record["published"]) == (gold["year"], gold["template"], gold["published"])


def test_no_narrative_accusation_where_text_and_table_agree(report):
    """Checked by hand on every corpus report: where the text restates a figure, it agrees with the
    table in one exact reading (收到75件 = 74 new + 1 carried over; 受理749件 = 713 + 36;
    予以公开及部分公开42件 = （一）22 + （二）20). Misreading those was a false accusation (issue 14)."""
    _, record = report
    assert next(c for c in record["checks"] if c["rule"] == "narrative")["status"] != "fail"
