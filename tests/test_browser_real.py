"""The site built from the seeds and the real corpus (crawler text, PDF→Markdown, OCR
Markdown, a real PDF), as the deploy builds it, in a real browser on a desktop and a
phone, one of them set to prefer a dark palette (issue 15; the site has one light palette): every page loads without errors, no English word or
problem code is shown, every figure's source is a tap or a key away (a PDF's page
included), search finds each real body by name, pinyin and place, and wide tables
scroll inside themselves on a phone. Screenshots land in $GXSITE_SCREENSHOTS when it
is set, to be looked at."""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, SEEDS, download
from gxsite import record as rec
from gxsite.build import build
from test_browser import Tab, browser, serving, wait_for_charts  # noqa: F401 (browser: a fixture)

CORPUS = Path(__file__).parent / "corpus"
# What Material or plotly would show in English if a translation were missing.
ENGLISH = re.compile(r"\b(Search|Not found|Made with|Double-click|zoom|Previous|Next|Table of contents|"
                     r"Back to top|Skip to content|Copy to clipboard|undefined|NaN|null)\b")


@pytest.fixture(scope="module")
def real(tmp_path_factory, chromium):
    out = tmp_path_factory.mktemp("real-browser")
    reports = out / "raw_reports"
    shutil.copytree(SEEDS, reports)
    for path in CORPUS.iterdir():
        if path.is_file():
            shutil.copy(path, reports)
    result = build(reports, out / "content", out / "site", ROOT / "mkdocs.yml")
    assert len(result.records) + len(result.unread) == len(list(reports.iterdir()))
    records = [json.loads(line) for line in download(out / "site" / "data", "reports.jsonl").splitlines()]
    with serving(out / "site") as address:
        yield address, out / "site", records


def _shot(tab: Tab, name: str) -> None:
    folder = os.environ.get("GXSITE_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        tab.page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def _every_page(site: Path) -> list[str]:
    pages = sorted(p.parent.relative_to(site).as_posix() for p in site.rglob("index.html"))
    return ["/" if p == "." else f"/{p}/" for p in pages] + ["/404.html"]


@pytest.mark.parametrize("device", ["desktop-light", "phone-dark"])
def test_every_page_loads_in_chinese_without_errors(browser, real, device):
    server, site, _ = real
    phone = device.startswith("phone")
    options = dict(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True) if phone else \
        dict(viewport={"width": 1280, "height": 900})
    tab = Tab(browser, color_scheme="dark" if device.endswith("dark") else "light", **options)
    try:
        pages = _every_page(site)
        assert len(pages) >= 25  # 9 agencies, the rule pages, home, data, unread, about, search, 404
        for path in pages:
            tab.page.goto(server + path)
            tab.page.wait_for_load_state("networkidle")
            if tab.page.locator(".gx-chart").count():
                wait_for_charts(tab.page)
            text = tab.page.inner_text("body")
            if path == "/data/":  # the data dictionary explains the files' keys and JSON's null
                text = text.replace("null", "")
            assert not ENGLISH.search(text), (path, ENGLISH.search(text).group(0))
            for code in rec.PROBLEM_WORDS:
                assert code not in text, (path, code)
            # Nothing wider than the screen but the tables that scroll inside themselves.
            overflow = tab.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, (path, overflow)
            if path in ("/", "/agencies/ping-tan-zong-he-shi-yan-qu-e1bbe4/", "/search/"):
                _shot(tab, f"{device}-{path.strip('/').replace('/', '-') or 'home'}")
        assert tab.errors == [] and tab.dialogs == []
    finally:
        tab.close()


def test_a_pdf_figure_names_its_page_and_is_reachable_by_keyboard(browser, real):
    server, _, records = real
    huaian = next(r for r in records if r["source"]["format"] == "pdf")
    tab = Tab(browser, viewport={"width": 1280, "height": 900})
    try:
        tab.page.goto(server + f"/agencies/{huaian['agency']['slug']}/")
        tab.page.wait_for_selector("table.gx-data td[tabindex]")
        tab.page.focus("table.gx-data tbody td[tabindex]")
        note = tab.page.locator("tr.gx-source-row td[role=status]")
        assert note.count() == 1 and re.search(r"原文“[^”]+”，第\d+页", note.text_content()), note.text_content()
        assert tab.errors == []
    finally:
        tab.close()


def test_a_crawled_report_links_to_its_original(browser, real):
    server, _, records = real
    pingtan = next(r for r in records if r["agency"]["name"] == "平潭综合实验区" and r["source"]["url"])
    tab = Tab(browser, viewport={"width": 1280, "height": 900})
    try:
        tab.page.goto(server + f"/agencies/{pingtan['agency']['slug']}/")
        links = tab.page.eval_on_selector_all(".gx-report-head a[href^='http']", "as => as.map(a => a.href)")
        assert pingtan["source"]["url"] in links
        assert "raw_reports" not in tab.page.inner_text("body")
    finally:
        tab.close()


@pytest.mark.parametrize("query", ["平潭", "pingtan", "淮安", "huaian", "上海市人民政府办公厅", "muyang", "江西"])
def test_search_finds_each_real_body(browser, real, query):
    server, _, records = real
    expected = {r["agency"]["slug"] for r in records if r["agency"]["name"] and (
        query in r["agency"]["name"] or query in re.sub(r"[^a-z]", "", _spelled(r["agency"]["name"])))}
    assert expected, query
    tab = Tab(browser, viewport={"width": 1280, "height": 900})
    try:
        tab.page.goto(server + "/search/?q=" + query)
        tab.page.wait_for_selector(".pagefind-ui__message", timeout=20_000)
        # The count shows before the results: each loads its fragment, a placeholder until then.
        tab.page.wait_for_function("!document.querySelector('.pagefind-ui__message').textContent.includes('正在') "
                                   "&& !document.querySelector('.pagefind-ui__loading')")
        links = tab.page.eval_on_selector_all(".pagefind-ui__result-link", "as => as.map(a => a.getAttribute('href'))")
        found = {link.strip("/").split("/")[-1] for link in links}
        assert expected <= found, (query, expected, links)
        assert tab.errors == []
    finally:
        tab.close()


@functools.cache
def _spelled(name: str) -> str:
    from gxsite.parsing.slugs import spelled
    return spelled(name)
