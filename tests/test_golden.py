"""Golden files: the parser's full records of every report with gold, and the seed site's
content/, compared with the copies committed in tests/golden/ (see regenerate.py there).

A difference fails with a readable diff. When the change is intended: `make golden`,
review `git diff tests/golden`, commit."""

from __future__ import annotations

import difflib
import hashlib
import importlib.util
import json
import re
from pathlib import Path

import pytest

from conftest import ROOT

_spec = importlib.util.spec_from_file_location("golden_regenerate", ROOT / "tests" / "golden" / "regenerate.py")
golden = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(golden)

HINT = "If the change is intended: run `make golden`, review `git diff tests/golden`, commit."
DIFF_LINES = 150  # per file shown


def _display(name: str, text: str) -> list[str]:
    """Lines to diff: a JSON file pretty-printed, and HTML parts (*.parts.html) one element
    per line, so a changed figure is a changed line, not one long line."""
    if name.endswith(".parts.html"):
        return re.sub(r">(?=<)", ">\n", text).splitlines()
    if name.endswith(".json"):
        try:
            data = json.loads(text)
        except ValueError:
            return text.splitlines()
        if isinstance(data, list) and all(isinstance(part, str) for part in data):
            lines = []
            for i, part in enumerate(data):
                lines.append(f"----- part {i} -----")
                lines.extend(re.sub(r">(?=<)", ">\n", part).splitlines())
            return lines
        return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True).splitlines()
    return text.splitlines()


def readable_diff(name: str, expected: str, actual: str) -> str:
    lines = list(difflib.unified_diff(_display(name, expected), _display(name, actual), f"golden/{name}",
                                      f"now/{name}", lineterm="", n=2))
    if not lines:  # same lines, different bytes (line ends, a final newline)
        lines = [f"{name}: same lines, different bytes: golden {expected[-40:]!r}, now {actual[-40:]!r}"]
    if len(lines) > DIFF_LINES:
        lines = lines[:DIFF_LINES] + [f"... and {len(lines) - DIFF_LINES} more diff lines"]
    return "\n".join(lines)


# ---------------------------------------------------------------- parsed records

REPORTS = golden.report_files()


@pytest.fixture(scope="module")
def records() -> dict[str, str]:
    return golden.parsed_records()


def test_every_report_with_gold_has_a_golden_record_and_no_other():
    seeds = [r for r in REPORTS if r.startswith("raw_reports/")]
    corpus = [r for r in REPORTS if r.startswith("tests/corpus/")]
    assert len(seeds) == 5 and len(corpus) >= 10, REPORTS
    committed = {path.name for path in golden.RECORDS.glob("*.json")}
    expected = {golden.golden_name(report) for report in REPORTS}
    assert committed == expected, (f"missing: {sorted(expected - committed)}, stale: {sorted(committed - expected)}. "
                                   + HINT)


@pytest.mark.parametrize("report", REPORTS, ids=lambda r: Path(r).name)
def test_the_parsed_record_is_the_golden_one(records, report):
    name = golden.golden_name(report)
    path = golden.RECORDS / name
    assert path.is_file(), f"no golden record {path.relative_to(ROOT)}. {HINT}"
    expected = path.read_text(encoding="utf-8")
    committed = json.loads(expected)
    # what the golden record is made of: the whole record, with a stable source path
    assert committed["source"]["path"] == report
    assert {"problems", "provenance", "narrative", "checks"} <= set(committed)
    if records[name] != expected:
        pytest.fail(f"the record of {report} differs from {path.relative_to(ROOT)}:\n"
                    f"{readable_diff(name, expected, records[name])}\n{HINT}", pytrace=False)


# ---------------------------------------------------------------- the seed site's content/

@pytest.fixture(scope="module")
def content(tmp_path_factory) -> dict[str, bytes]:
    return golden.tree(golden.build_content(tmp_path_factory.mktemp("golden-build")))


def test_content_has_the_golden_files_and_no_other(content):
    stored = set(golden.tree(golden.CONTENT))
    hashed = set(golden.read_manifest())
    assert stored and hashed and not stored & hashed
    assert "assets/vendor/plotly.min.js" in hashed and "index.md" in stored
    missing, extra = sorted((stored | hashed) - set(content)), sorted(set(content) - stored - hashed)
    if missing or extra:
        pytest.fail(f"content/ of the seed site: golden files the build no longer writes: {missing}; "
                    f"files the build writes that are not golden: {extra}.\n{HINT}", pytrace=False)


def test_content_pages_are_the_golden_copies(content):
    differing = []
    for relative, data in golden.tree(golden.CONTENT).items():
        if relative in content and content[relative] != data:
            differing.append(readable_diff(relative, data.decode("utf-8"), content[relative].decode("utf-8")))
    if differing:
        pytest.fail(f"{len(differing)} content/ files differ from tests/golden/content/:\n\n"
                    + "\n\n".join(differing[:5]) + ("\n\n(and more)" if len(differing) > 5 else "") + "\n" + HINT,
                    pytrace=False)


def test_content_downloads_and_vendor_assets_have_the_golden_hashes(content):
    wrong = [f"  {relative}: golden {digest}, now {hashlib.sha256(content[relative]).hexdigest()}"
             for relative, digest in golden.read_manifest().items()
             if relative in content and hashlib.sha256(content[relative]).hexdigest() != digest]
    if wrong:
        pytest.fail(f"{len(wrong)} content/ files differ from their SHA-256 in tests/golden/content.sha256:\n"
                    + "\n".join(wrong) + f"\n{HINT}", pytrace=False)
