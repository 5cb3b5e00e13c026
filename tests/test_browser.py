"""The built site in a real browser (Playwright driving chromium, see conftest.chromium_path):
pages load without console errors, charts draw SVG, Chinese search finds an
agency, instant navigation still draws charts, and hostile report text never runs."""

from __future__ import annotations

import contextlib
import functools
import http.server
import random
import threading
from pathlib import Path
from typing import Iterator

import pytest

from conftest import gold_files, problem_json
from gxsite import record as rec
from gxsite.parsing.slugs import agency_slug
from site_records import build_site, gold_record, gold_records, with_checks
from test_escaping import HOSTILE_TEXT, hostile_record

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serving(site: Path) -> Iterator[str]:
    """A built site served over HTTP on a free local port, by its address."""
    handler = functools.partial(_Quiet, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        thread.join()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    records = gold_records() + with_checks([hostile_record(HOSTILE_TEXT)])
    with serving(build_site(records, [], tmp_path_factory.mktemp("browser-site")) / "site") as address:
        yield address


@pytest.fixture(scope="module")
def browser(chromium):
    # chromium (session-scoped, conftest) is set up before the module's sites are built:
    # without a browser the tests skip, or fail under CI, before any work.
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=ARGS)
        yield browser
        browser.close()


class Tab:
    """A page that records console errors, uncaught exceptions and dialogs."""

    def __init__(self, browser, **options):
        self.context = browser.new_context(**options)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda msg: msg.type == "error" and self.errors.append(msg.text))
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("dialog", self._dialog)

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def close(self):
        self.context.close()


@pytest.fixture
def tab(browser):
    tab = Tab(browser, viewport={"width": 1280, "height": 900})
    yield tab
    tab.close()


def slug(index: int) -> str:
    return gold_record(gold_files()[index])["agency"]["slug"]


def wait_for_charts(page) -> int:
    page.wait_for_selector(".gx-chart .main-svg", timeout=15_000)
    return page.locator(".gx-chart .main-svg").count()


def test_pages_load_without_errors_and_charts_draw_svg(tab, server):
    for path in ["/", f"/agencies/{slug(4)}/", "/checks/balance/", "/data/", "/unread/", "/about/"]:
        tab.page.goto(server + path)
        tab.page.wait_for_load_state("networkidle")
        charts = tab.page.locator(".gx-chart").count()
        if charts:
            wait_for_charts(tab.page)
            tab.page.wait_for_function("document.querySelectorAll('.gx-chart').length === "
                                       "document.querySelectorAll('.gx-chart .main-svg').length / "
                                       "Math.max(1, document.querySelector('.gx-chart').querySelectorAll('.main-svg').length)")
        assert tab.errors == [], (path, tab.errors)
    assert tab.dialogs == []


def _search(tab, server, query: str) -> list[str]:
    """The result links the search page lists for `query`, typed into the form every page carries."""
    tab.page.goto(server + "/about/")
    tab.page.fill("form.gx-search-form input[name=q]", query)
    tab.page.press("form.gx-search-form input[name=q]", "Enter")
    tab.page.wait_for_url("**/search/?q=*")
    tab.page.wait_for_selector(".pagefind-ui__message", timeout=20_000)
    # The count shows before the results: each loads its fragment, a placeholder until then.
    tab.page.wait_for_function("!document.querySelector('.pagefind-ui__message').textContent.includes('正在') "
                               "&& !document.querySelector('.pagefind-ui__loading')")
    return tab.page.eval_on_selector_all(".pagefind-ui__result-link", "links => links.map(a => a.href)")


def test_search_finds_an_agency_by_name_pinyin_and_place_and_nothing_but_agencies(tab, server):
    """Issue 15: pinyin (pingtan) found nothing. Issue 19: the search loads pieces of its index."""
    record = gold_record(gold_files()[4])  # 江西省人民政府办公厅
    loaded: list[int] = []
    tab.page.on("response", lambda r: loaded.append(len(r.body())) if "/pagefind/" in r.url and r.ok else None)
    for query in (record["agency"]["name"], "江西", "jiangxi", "bangongting", "办公厅"):
        loaded.clear()
        links = _search(tab, server, query)
        assert any(f"agencies/{record['agency']['slug']}/" in link for link in links), (query, links)
        assert all("/agencies/" in link for link in links), (query, links)
        # one query, interface and index pieces included (issue 19: at most 500 KB)
        assert 0 < sum(loaded) < 500_000, (query, sum(loaded))
    # A reader types a name no report has: the page says so.
    assert _search(tab, server, "火星探测") == []
    assert tab.errors == []


def test_search_results_show_report_text_as_text(tab, server):
    """The hostile agency's name is found, and shown as the text it is, never as markup."""
    links = _search(tab, server, "alert")
    assert links and all("/agencies/" in link for link in links)
    results = tab.page.locator(".pagefind-ui__results")
    assert results.locator("img, iframe, svg, script, a:not(.pagefind-ui__result-link)").count() == 0
    assert "\u200b" not in results.inner_text()
    assert tab.dialogs == [] and tab.errors == []


def test_following_links_from_the_home_page_by_region_draws_the_agency_charts(tab, server):
    """Home → 内蒙古自治区 → 巴彦淖尔市 → 五原县 → 五原县和胜乡, each a click."""
    tab.page.goto(server + "/")
    tab.page.wait_for_load_state("networkidle")
    wait_for_charts(tab.page)
    for place in ("neimenggu", "neimenggu/bayannaoer", "neimenggu/bayannaoer/wuyuan"):
        tab.page.click(f".gx-places a[href$='regions/{place}/']")
        tab.page.wait_for_url(f"**/regions/{place}/")
    tab.page.click(f".gx-sortable a[href$='agencies/{slug(2)}/']")
    tab.page.wait_for_url(f"**/agencies/{slug(2)}/")
    assert wait_for_charts(tab.page) >= 3
    # The detached tables are back in the page as real tables, with their sources.
    assert tab.page.locator("table.gx-data").count() == 3
    assert tab.page.locator("div.gx-part").count() == 0
    assert tab.page.locator("table.gx-data tbody td[title]").count() > 100
    assert tab.errors == []


@pytest.fixture(scope="module")
def years_server(tmp_path_factory):
    """One agency over three years, one figure of the middle year not read (a gap, not a 0)."""
    records = [gold_record(gold_files()[4], year=y, path=f"raw/{y}.txt") for y in (2019, 2020, 2021)]
    for record in records:
        record["agency"]["slug"] = records[0]["agency"]["slug"]
    records[1]["requests"]["new_received"][6] = None
    records[1]["problems"].append(problem_json("unreadable-cell", "requests.new_received[6]", "?"))
    site = build_site(with_checks(records), [], tmp_path_factory.mktemp("years-site")) / "site"
    with serving(site) as address:
        yield f"{address}/agencies/{records[0]['agency']['slug']}/"


_DRAWN = """els => els.map(el => ({
    plot: el.getAttribute("data-plot"), label: el.getAttribute("aria-label"), title: el.layout.title.text,
    traces: el.data.map(t => ({type: t.type, name: t.name, x: t.x.map(String), y: t.y})),
    caption: el.nextElementSibling.querySelector("summary span").textContent,
    table: [...el.nextElementSibling.querySelectorAll("tr")].map(tr => [...tr.cells].map(c => c.textContent))}))"""


def _figure(text: str):
    return None if text == "—" else float(text) if "." in text else int(text)


def test_agency_charts_are_drawn_from_the_tables_below_them(tab, years_server):
    """Issue 19: a chart's numbers were written twice, as plotly JSON and as the table for
    readers without JavaScript; charts.js now draws the table, and draws what it says."""
    tab.page.goto(years_server)
    wait_for_charts(tab.page)
    tab.page.wait_for_function("[...document.querySelectorAll('.gx-chart')].every(el => el.data)")
    charts = tab.page.eval_on_selector_all(".gx-chart", _DRAWN)
    assert sorted(c["plot"] for c in charts) == ["bar group", "bar group rows total", "bar stack", "line"]
    for chart in charts:
        words = chart["plot"].split()
        head, *rows = chart["table"]
        last = len(head) - ("total" in words)
        kind = "scatter" if "line" in words else "bar"
        if "rows" in words:
            expected = [{"type": kind, "name": r[0], "x": head[1:last], "y": [_figure(v) for v in r[1:last]]}
                        for r in rows]
        else:
            expected = [{"type": kind, "name": head[c], "x": [r[0] for r in rows],
                         "y": [_figure(r[c]) for r in rows]} for c in range(1, last)]
        assert chart["traces"] == expected, chart["plot"]
        assert chart["label"] == chart["title"] == chart["caption"]
    trend = next(c for c in charts if c["plot"] == "line")
    assert trend["traces"][0]["x"] == ["2019", "2020", "2021"] and trend["traces"][0]["y"][1] is None
    assert tab.errors == []


def test_a_finding_offers_a_report_of_a_misreading_that_names_it(browser, tmp_path):
    """The form a reader opens from "本站可能读错了？" names the agency, the report and the result,
    read from the page itself (issue 19: the page no longer repeats them for each finding)."""
    from urllib.parse import parse_qs, urlsplit

    record = gold_record(gold_files()[4])
    record["requests"]["granted"] = [1, 1, 1, 1, 1, 1, 99]  # breaks the sums of every column
    with pytest.MonkeyPatch.context() as env:
        env.setenv("GXSITE_FEEDBACK_URL", "https://example.org/issues/new")
        site = build_site(with_checks([record]), [], tmp_path) / "site"
    tab = Tab(browser, viewport={"width": 1280, "height": 900})
    try:
        with serving(site) as address:
            tab.page.goto(f"{address}/agencies/{record['agency']['slug']}/")
            tab.page.wait_for_selector(".gx-finding .gx-feedback")
            findings = tab.page.eval_on_selector_all(".gx-finding[id]", """fs => fs.map(f => ({
                id: f.id, result: f.querySelector("a").textContent, href: f.querySelector(".gx-feedback").href,
                items: [...f.querySelectorAll("li")].map(li => li.textContent)}))""")
        assert len(findings) >= 2
        for finding in findings:
            query = parse_qs(urlsplit(finding["href"]).query)
            name = f"{record['agency']['name']} {record['year']} 年度报告·{finding['result']}"
            assert query["title"] == ["可能读错：" + name]
            body = query["body"][0]
            assert f"#{finding['id']}\n\n{name}\n" in body
            assert all(f"- {item}" in body for item in finding["items"])
        assert tab.errors == []
    finally:
        tab.close()


def test_number_shows_its_source_on_hover_and_tap(tab, server):
    tab.page.goto(server + f"/agencies/{slug(4)}/")
    cell = tab.page.locator("table.gx-data tbody td").first
    cell.wait_for()
    tab.page.wait_for_function("document.querySelector('table.gx-data tbody td').title !== ''")
    assert cell.get_attribute("title").startswith("原文“")
    cell.click()
    note = tab.page.locator(".gx-source-note").first
    assert "原文“" in note.text_content()
    # Table B's first cell: gold 004 received 99 requests from natural persons; the
    # test record puts the first figure on line 40 (site_records.gold_record).
    first_b = tab.page.locator("table.gx-data").nth(1).locator("tbody td").first
    assert first_b.get_attribute("title") == "原文“99”，第40行"
    last_b = tab.page.locator("table.gx-data").nth(1).locator("tbody td").last
    cells = 7 * len(rec.request_rows("2019"))  # gold 004 uses the 2019 template
    assert last_b.get_attribute("title") == f"原文“0”，第{40 + cells - 1}行"


def test_table_sorts_and_filters(tab, server):
    tab.page.goto(server + "/regions/qita/")  # the bodies whose names give no place: three
    rows = tab.page.locator(".gx-sortable tbody tr")
    total = rows.count()
    tab.page.locator(".gx-sortable th").nth(2).click()
    values = [v for v in tab.page.eval_on_selector_all(
        ".gx-sortable tbody tr td:nth-child(3)", "tds => tds.map(td => td.getAttribute('data-v'))") if v]
    assert [float(v) for v in values] == sorted(float(v) for v in values)
    name = gold_record(gold_files()[3])["agency"]["name"]
    tab.page.fill(".gx-sortable .gx-filter", name)
    visible = tab.page.locator(".gx-sortable tbody tr:not([hidden])")
    assert visible.count() == 1 and name in visible.first.text_content()
    assert total > 1


def test_hostile_text_never_runs(tab, server):
    hostile = with_checks([hostile_record(HOSTILE_TEXT)])[0]["agency"]["slug"]
    tab.page.goto(server + f"/agencies/{hostile}/")
    wait_for_charts(tab.page)
    for cell in tab.page.locator("table.gx-data tbody td").all()[:5]:
        cell.hover()
        cell.click()
    assert tab.page.locator("h1").first.text_content().strip() == HOSTILE_TEXT
    assert tab.page.title() == HOSTILE_TEXT + " - 政府信息公开年报数据"
    doubtful = tab.page.locator("table.gx-data td[data-d]").first
    assert doubtful.get_attribute("title").endswith("存疑：" + HOSTILE_TEXT)
    assert tab.dialogs == []
    assert tab.page.locator("article img, article iframe").count() == 0


def test_phone_width_fits(browser, server):
    tab = Tab(browser, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    try:
        tab.page.goto(server + f"/agencies/{slug(4)}/")
        wait_for_charts(tab.page)
        width = tab.page.eval_on_selector(".gx-chart .main-svg", "el => el.getBoundingClientRect().width")
        assert 200 < width <= 390
        cell = tab.page.locator("table.gx-data tbody td").first
        cell.tap()
        note = tab.page.locator(".gx-source-note").first
        assert "原文“" in note.text_content()
        # issue 15: the note appeared 1,260 px below the tapped cell
        assert 0 < note.bounding_box()["y"] - cell.bounding_box()["y"] < 120
        # a wide table says under its caption that the rest of its columns are a swipe away
        hints = tab.page.eval_on_selector_all("table.gx-data caption",
                                              "cs => cs.map(c => getComputedStyle(c, '::after').content)")
        assert hints == ['none', '"左右滑动表格查看其余各列"', '"左右滑动表格查看其余各列"']
        # the years and the row labels stay in view while table B scrolls sideways
        table_b = tab.page.locator("table.gx-data").nth(1)
        table_b.evaluate("t => { t.scrollLeft = 400; }")
        year = table_b.locator("tbody th:not([colspan])").first
        assert abs(year.bounding_box()["x"] - table_b.bounding_box()["x"]) < 4
        label = table_b.locator("tbody th[colspan] > span").first
        assert 0 <= label.bounding_box()["x"] - table_b.bounding_box()["x"] < 20
        assert label.text_content() == "一、本年新收政府信息公开申请数量"
        assert tab.errors == []
    finally:
        tab.close()


def test_a_figures_source_is_reachable_by_keyboard(tab, server):
    """Issue 15: keyboard and screen-reader users could not reach a figure's source."""
    tab.page.goto(server + f"/agencies/{slug(4)}/")
    tab.page.wait_for_selector("table.gx-data td[tabindex]")
    tab.page.focus("table.gx-data tbody td[tabindex]")
    note = tab.page.locator("tr.gx-source-row td[role=status]")
    assert note.count() == 1 and "原文“" in note.text_content()


def test_a_swipe_across_a_chart_scrolls_and_never_zooms(browser, server):
    """Issue 15: swiping across a chart zoomed it (the y-axis then started at ~40, the bars
    misled) with an English toast 'Double-click to zoom back out'."""
    tab = Tab(browser, viewport={"width": 1280, "height": 900})
    try:
        tab.page.goto(server + f"/agencies/{slug(4)}/")
        wait_for_charts(tab.page)
        chart = tab.page.locator(".gx-chart").first
        chart.scroll_into_view_if_needed()
        axis = "el => el.querySelector('.ytick:last-of-type text') && el.querySelector('.yaxislayer-above').textContent"
        before = chart.evaluate(axis)
        box = chart.bounding_box()
        tab.page.mouse.move(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.3)
        tab.page.mouse.down()
        tab.page.mouse.move(box["x"] + box["width"] * 0.6, box["y"] + box["height"] * 0.6, steps=8)
        tab.page.mouse.up()
        tab.page.mouse.dblclick(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.5)
        assert chart.evaluate(axis) == before
        assert tab.page.locator(".plotly-notifier").count() == 0 or "zoom" not in tab.page.locator(
            ".plotly-notifier").first.text_content()
        assert tab.errors == []
    finally:
        tab.close()


def test_a_page_without_a_chart_loads_no_plotly(tab, server):
    tab.page.goto(server + "/about/")
    tab.page.wait_for_load_state("networkidle")
    assert tab.page.evaluate("typeof window.Plotly") == "undefined"
    tab.page.goto(server + f"/agencies/{slug(4)}/")
    wait_for_charts(tab.page)
    assert tab.page.evaluate("typeof window.Plotly") == "object"


def _hostile_names(count: int) -> list[str]:
    """Agency names made of markup, quotes, entities, template syntax and invisible controls."""
    pieces = ["</title>", "<svg/onload=alert(1)>", "<img src=x onerror=alert(1)>", '"', "'", "&lt;", "&#60;",
              "{{ 7*7 }}", "{% raw %}", "javascript:alert(1)", "\u202e", "\u200b", "\x01", "`", "](x)", "|"]
    rng = random.Random(20261203)
    return [f"测{''.join(rng.choice(pieces) for _ in range(5))}局{n}" for n in range(count)]


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    records = []
    for name in _hostile_names(6):
        record = hostile_record(name)
        record["source"]["path"] = f"raw_reports/{len(records)}.txt"
        record["agency"]["slug"] = agency_slug(name, "")
        records.append(record)
    site = build_site(with_checks(records), [], tmp_path_factory.mktemp("hostile-site")) / "site"
    with serving(site) as address:
        yield address, site, records


def test_generated_hostile_names_inject_nothing_on_any_page_type(browser, hostile_server):
    """Issue 17: a property test over generated agency names with markup, quotes and controls finds
    no injection on any page type in a real browser."""
    server, site, records = hostile_server
    pages = sorted(p.relative_to(site).parent.as_posix() for p in site.rglob("index.html"))
    assert {"agencies", "checks"} <= {p.split("/")[0] for p in pages} and "." in pages
    tab = Tab(browser, viewport={"width": 1280, "height": 900})
    try:
        for page in pages:
            tab.page.goto(f"{server}/{'' if page == '.' else page + '/'}")
            tab.page.wait_for_load_state("load")
            injected = tab.page.evaluate("document.querySelectorAll('svg[onload], img[onerror], [onmouseover], "
                                         "a[href^=\"javascript\"], iframe').length")
            assert injected == 0, page
        for record in records:
            tab.page.goto(f"{server}/agencies/{record['agency']['slug']}/")
            tab.page.wait_for_load_state("load")
            assert tab.page.locator("h1").first.text_content().strip() == record["agency"]["name"].replace("\x01", "")
        assert tab.dialogs == []
    finally:
        tab.close()
