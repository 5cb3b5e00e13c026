"""Untrusted text stays text: a record full of markup, links, template syntax and
formula triggers builds a site that shows those characters and holds nothing the
site did not put there itself (issue 7)."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import download, gold_files, blank_json, problem_json, report
from gxsite.site import markup as m
from gxsite.parsing.slugs import agency_slug
from site_records import build_site, expand_runs, expanded, gold_record, with_checks

HOSTILE = [
    "<script>alert(1)</script>",
    "</title><svg/onload=alert(1)>",
    "<img src=x onerror=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>",
    "<a href=\"javascript:alert(1)\">点我</a>",
    "[x](javascript:alert(1))",
    "![x](http://evil/x.png)",
    "{{ 7*7 }}",
    "{% raw %}",
    "<!-- 注释 -->",
    "甲|乙",
    "=HYPERLINK(\"http://evil\")",
    "{: onclick=alert(1) }",
    "\" onmouseover=\"alert(1)",
    "' onfocus='alert(1)",
]
HOSTILE_TEXT = " ".join(HOSTILE)
EVIL_MARKERS = ("alert(1)", "evil")


def hostile_record(text: str) -> dict:
    record = gold_record(gold_files()[1], path=f"raw_reports/{text[:60]}.txt")
    record["agency"]["name"] = text
    record["agency"]["slug"] = agency_slug(text, record["source"]["path"])
    record["published"] = text
    record["narrative"] = {"received": {"value": 27, "sentence": text},
                           "handled": {"value": 26, "sentence": text}}
    for source in record["provenance"].values():
        source["text"] = text
    record["problems"] = [problem_json("garbled-number", "requests.granted[0]", text, text),
                          problem_json("not-a-report", "report", text, text)]
    return record


def benign_record() -> dict:
    return hostile_record("某某机关")


def unread_record(text: str) -> dict:
    record = blank_json(f"raw_reports/{text}", "0" * 64, None)
    record["agency"]["slug"] = agency_slug(None, record["source"]["path"])
    record["problems"].append(problem_json("binary-file", "report", text, text))
    return record


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> tuple[Path, Path]:
    hostile = build_site(with_checks([hostile_record(HOSTILE_TEXT)]), [unread_record(HOSTILE_TEXT)],
                         tmp_path_factory.mktemp("hostile"))
    benign = build_site(with_checks([benign_record()]), [unread_record("某某文件")],
                        tmp_path_factory.mktemp("benign"))
    return hostile, benign


def _pages(site: Path) -> dict[str, BeautifulSoup]:
    pages = {}
    for path in sorted((site / "site").rglob("*.html")):
        relative = path.relative_to(site / "site").as_posix()
        relative = re.sub(r"^agencies/[^/]+/", "agencies/X/", relative)
        pages[relative] = expanded(path.read_text(encoding="utf-8"))
    return pages


def _shape(page: BeautifulSoup) -> list[tuple]:
    """Every element with its attribute names and any URL it points to, in order."""
    shape = []
    for el in page.find_all(True):
        urls = tuple(str(el.get(a)) for a in ("href", "src", "action", "formaction") if el.get(a) is not None)
        urls = tuple(re.sub(r"agencies/[^/#]+/", "agencies/X/", u) for u in urls)
        shape.append((el.name, tuple(sorted(el.attrs)), urls))
    return shape


def test_hostile_pages_have_exactly_the_elements_of_benign_pages(sites):
    hostile, benign = (_pages(s) for s in sites)
    assert hostile.keys() == benign.keys()
    for name in hostile:
        assert _shape(hostile[name]) == _shape(benign[name]), name


def test_no_script_iframe_image_handler_or_javascript_link(sites):
    for name, page in _pages(sites[0]).items():
        assert not page.find_all(["iframe", "object", "embed"]), name
        # The one image is the site's logo (mkdocs.yml), never one a report brought.
        for image in page.find_all("img"):
            assert image.attrs == {"src": image["src"], "alt": "logo"} and image["src"].endswith("assets/logo.svg"), name
        for el in page.find_all(True):
            for attribute, value in el.attrs.items():
                assert not attribute.startswith("on"), (name, el.name, attribute)
                if attribute in ("href", "src"):
                    assert not str(value).strip().lower().startswith(("javascript:", "data:", "http://evil")), name
        for script in page.find_all("script"):
            assert "alert(1)" not in script.get_text(), name


def test_hostile_text_is_shown_as_text(sites):
    pages = _pages(sites[0])
    agency = pages["agencies/X/index.html"]
    shown = agency.get_text()
    for piece in HOSTILE:
        assert piece in shown or piece in agency.title.get_text(), piece
    assert "49" not in agency.find("h1").get_text()  # {{ 7*7 }} was not evaluated
    assert agency.find("h1").get_text() == HOSTILE_TEXT
    unread = pages["unread/index.html"].get_text()
    assert "<script>alert(1)</script>" in unread
    # The hostile strings also sit, as text, in attributes (cell doubts, chart labels).
    doubts = [d for table in agency.select("table[data-doubts]") for d in json.loads(table["data-doubts"])]
    assert any("<img src=x onerror=alert(1)>" in d for d in doubts)


def test_tables_sources_and_charts_carry_the_text_as_data(sites):
    agency = _pages(sites[0])["agencies/X/index.html"]
    for table in agency.select("table.gx-data"):
        for entry in expand_runs(json.loads(table["data-src"])):
            # Every source text differs from its number, so each entry carries it.
            assert isinstance(entry, list) and entry[1] == HOSTILE_TEXT
    # A chart is drawn from its table (charts.js escapes the labels it reads for plotly):
    # what it reads is text, with no element of a report's making in it.
    for chart in agency.select(".gx-chart"):
        table = chart.find_next_sibling("details").table
        assert {el.name for el in table.find_all(True)} <= {"thead", "tbody", "tr", "th", "td"}


def test_plotly_labels_escape_markup():
    assert m.plotly_text("<b>x</b> & <a href='javascript:1'>") == "&lt;b&gt;x&lt;/b&gt; &amp; &lt;a href='javascript:1'&gt;"


def test_csv_downloads_defuse_formulas_and_parse_back(sites):
    site = sites[0] / "site"
    rows = list(csv.DictReader(io.StringIO(download(site / "data", "requests.csv"))))
    assert rows
    for row in rows:
        for column in ("agency", "source"):
            assert row[column][:1] not in ("=", "+", "-", "@")
        assert row["agency"] == HOSTILE_TEXT  # starts with '<', so no apostrophe needed
    formula = "=HYPERLINK(\"http://evil\")"
    assert m.spreadsheet_text(formula) == "'" + formula
    assert m.spreadsheet_text("-1+2") == "'-1+2" and m.spreadsheet_text(-3) == -3


def test_json_downloads_parse_back_and_hold_no_raw_markup(sites):
    site = sites[0] / "site"
    raw = download(site / "data", "reports.jsonl")
    assert "<script" not in raw and "<img" not in raw
    record = json.loads(raw.splitlines()[0])
    assert record["agency"]["name"] == HOSTILE_TEXT
    assert record["narrative"]["received"]["sentence"] == HOSTILE_TEXT


def test_a_formula_agency_name_is_defused_in_csv(tmp_path):
    from gxsite.site.downloads import record_csv

    record = gold_record(gold_files()[0])
    record["agency"]["name"] = "=1+1"
    rows = list(csv.reader(io.StringIO(record_csv(report(record))["reviews"].decode("utf-8"))))
    assert {row[1] for row in rows} == {"'=1+1"}


@pytest.mark.parametrize("text", HOSTILE)
def test_markup_text_leaves_no_active_character(text):
    escaped = m.text(text)
    assert not set("<>\"'[](){}`|!") & set(escaped)
    assert BeautifulSoup(f"<p>{escaped}</p>", "lxml").p.get_text() == text.replace("\n", " ")


@pytest.mark.parametrize("name", ["𠙶溪镇人民政府", "某局\u2028某科", "某局: [x] {{ 7*7 }} #y '\"", "---\ntitle: 伪造"])
def test_a_meta_description_is_read_back_whole_from_the_front_matter(name):
    """A name beyond U+FFFF (𠙶 in a place name) was written as a JSON surrogate pair, which YAML
    reads as two lone surrogates: MkDocs then showed the whole front matter on the page."""
    from mkdocs.utils.meta import get_data

    text = m.front_matter(f"{name}政府信息公开工作年度报告数据") + "# 标题\n"
    body, meta = get_data(text)
    assert body == "# 标题\n"
    assert meta == {"description": m.attr(f"{name}政府信息公开工作年度报告数据")}
