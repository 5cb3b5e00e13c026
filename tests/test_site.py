"""The dashboard, checked on built sites: the seed site (the real pipeline on the
seed reports) and a site built from the gold figures (realistic records with
known values)."""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, SEEDS, download, figure_paths, gold_files, load_gold, blank_json, problem_json, run_corpus_json
from conftest import report, usable as is_usable
from gxsite.report import Check


def check_result(check: dict) -> str:
    """checks.result of a check read back as JSON (a download, a fixture)."""
    return checks.result(Check.from_json(check))
from gxsite import checks
from gxsite import record as rec
from conftest import parse_and_check_json as parse_and_check
from gxsite.reading.listing import report_files, shown_path
from gxsite.site.content import group_by_agency, search_entries
from gxsite.site.regions import gazetteer
from site_records import build_site, expand_runs, expanded, expanded_file, gold_record, gold_records, render_site, with_checks, year_rows



def soup(path: Path) -> BeautifulSoup:
    """A built page as the browser shows it (tables expanded as assets/tables.js does)."""
    return expanded(path.read_text(encoding="utf-8"))


def agency_pages(site: Path) -> list[Path]:
    return sorted((site / "site" / "agencies").glob("*/index.html"))


@pytest.fixture(scope="module")
def gold_site(tmp_path_factory) -> Path:
    return build_site(gold_records(), [], tmp_path_factory.mktemp("gold-site"))


@pytest.fixture(scope="module")
def seed_records() -> list[dict]:
    records = [parse_and_check(path, shown_path(SEEDS, path)) for path in report_files(SEEDS)]
    run_corpus_json([r for r in records if is_usable(r)])
    return records


# ---------------------------------------------------------------- pages exist

def test_rules_have_landed():
    assert len(checks.RULES) >= 5
    assert len({rule.id for rule in checks.RULES}) == len(checks.RULES)


def test_every_seed_is_an_agency_page_or_an_unread_entry(seed_site, seed_records):
    usable = [r for r in seed_records if is_usable(r)]
    pages = agency_pages(seed_site)
    assert len(pages) == len({r["agency"]["slug"] for r in usable})
    unread = soup(seed_site / "site" / "unread" / "index.html")
    listed = unread.select("table.gx-unread tbody tr")
    assert len(usable) + len(listed) == len(list(SEEDS.iterdir()))
    text = unread.get_text()
    assert f"共收到 {len(list(SEEDS.iterdir()))} 个文件" in text


def test_every_agency_is_reached_from_home_by_province_city_and_county(seed_site):
    """Issue 19: the home page listed every agency (10 MB at 100,000 reports). It lists the
    provinces; each region page lists the places below it and its own bodies, and following
    them reaches every agency page exactly once."""
    site = seed_site / "site"
    home = soup(site / "index.html")
    assert len(home.select(".gx-stats .gx-stat")) == 5
    assert not home.select(".gx-sortable")
    reached, pages, queue = [], [], [(site / "index.html").resolve()]
    while queue:
        page = queue.pop(0)
        html = soup(page)
        for link in html.select(".gx-places a"):
            queue.append((page.parent / link["href"] / "index.html").resolve())
        if page != (site / "index.html").resolve():
            pages.append(page.parent.relative_to(site.resolve()).as_posix())
            assert html.select(".gx-trail a")[0].get_text() == "首页"
        for link in html.select(".gx-sortable tbody tr td:first-child a"):
            target = (page.parent / link["href"] / "index.html").resolve()
            assert target.is_file(), link["href"]
            reached.append(target.parent.name)
    assert sorted(reached) == sorted(p.parent.name for p in agency_pages(seed_site))
    # 咸宁市政府国资委 → 湖北省 › 咸宁市; 五原县和胜乡 → 内蒙古 › 巴彦淖尔市 › 五原县; 市国资委 names no place
    assert {"regions/hubei", "regions/hubei/xianning", "regions/neimenggu/bayannaoer/wuyuan", "regions/jiangxi",
            "regions/qita"} <= set(pages)


def test_a_page_per_rule_and_the_methodology_lists_them(seed_site):
    about = soup(seed_site / "site" / "about" / "index.html").get_text()
    overview = soup(seed_site / "site" / "checks" / "index.html").get_text()
    for rule in checks.RULES:
        page = seed_site / "site" / "checks" / rule.id / "index.html"
        assert page.is_file(), rule.id
        text = soup(page).get_text()
        assert rule.title_zh in text and rule.explanation_zh.strip()[:20] in text
        assert rule.title_zh in about and rule.title_zh in overview
    # the measured accuracy, on as many real reports and figures as the tests hold gold for
    # (test_parse and test_corpus hold every one of them exact)
    golds = gold_files() + sorted((Path(__file__).parent / "corpus" / "gold").glob("*.json"))
    figures = sum(1 for g in golds for _ in figure_paths(load_gold(g)))
    assert f"{len(golds)}份人工逐格核对过的真实报告" in about
    assert f"{figures:,}个数字全部与人工核对结果一致，读错的数字为0个" in about


def test_rule_pages_link_every_failing_report_to_its_finding(gold_site):
    records = gold_records()
    for rule in checks.RULES:
        failing = [r for r in records for c in r["checks"] if c["rule"] == rule.id and c["status"] == "fail"]
        # red for the publisher's figures only; a notice in its own colour (issue 15)
        colour = "gx-fail" if rule.severity == "error" else "gx-notice"
        page = soup(gold_site / "site" / "checks" / rule.id / "index.html")
        links = page.select(f"ul.gx-report-list.{colour} a")
        assert len(links) == len(failing), rule.id
        for link in links:
            target, anchor = link["href"].split("#")
            agency = soup((gold_site / "site" / "checks" / rule.id / target / "index.html").resolve())
            finding = agency.find(id=anchor)
            assert finding is not None and colour in finding["class"]


# ---------------------------------------------------------------- agency pages

def test_every_rule_of_every_report_is_named_with_its_result(gold_site):
    """Issue 19: a badge per rule and report was a ninth of a page, most of them 通过. The rules
    passed share one badge that names each; every other result keeps a badge of its own."""
    from gxsite.site import blocks

    records = {r["agency"]["slug"]: r for r in gold_records()}
    results = set()
    for page in agency_pages(gold_site):
        record = records[page.parent.name]  # one report per agency in the gold site
        html = soup(page)
        badges = html.select(".gx-badges a")
        passed = [b for b in badges if b["class"] == ["gx-pass"]]
        assert len(passed) == 1 and (page.parent / passed[0]["href"] / "index.html").resolve().is_file()
        word, names = passed[0].get_text().split("：", 1)
        assert word == "通过"
        own = [b for b in badges if b not in passed]
        assert len(names.split("、")) + len(own) == len(record["checks"]) == len(checks.RULES)
        for check in record["checks"]:
            kind = check_result(check)
            results.add(kind)
            if kind == "pass":
                assert blocks.rule_name(Check.from_json(check)) in names.split("、"), check["rule"]
                continue
            badge = [b for b in own if b.get_text() == blocks.verdict_text(Check.from_json(check))]
            assert len(badge) == 1 and badge[0]["class"] == [f"gx-{blocks.RESULT_CLASS[kind]}"], check["rule"]
            if kind == "n/a":
                # ...saying why, and linking to the rule's own page
                assert badge[0]["title"] == check["note"] and check["note"]
                assert (page.parent / badge[0]["href"] / "index.html").resolve().is_file(), badge[0]["href"]
            else:
                # a broken, unverified or noted rule links to its finding on the page
                target = html.find(id=badge[0]["href"].lstrip("#"))
                assert target is not None and f"gx-{blocks.RESULT_CLASS[kind]}" in target["class"]
                assert target.select("li")
            # Words, not color alone: a result's own words, or the words its rule has for it.
            assert badge[0].get_text().split("：")[-1] in set(checks.RESULT_TEXT.values()) | {
                r.fail_zh for r in checks.RULES if getattr(r, "fail_zh", "")}
    assert {"pass", "n/a", "notice"} <= results


def test_warn_reads_as_could_not_verify_not_as_publisher_error():
    record = gold_record(gold_files()[2])
    record["requests"]["granted"][0] = None
    record["problems"].append(problem_json("unreadable-cell", "requests.granted[0]", "?"))
    with_checks([record])
    files = render_site([record], [], ROOT)
    page = expanded_file(files, f"agencies/{record['agency']['slug']}/index.md")
    warns = page.select(".gx-badges a.gx-warn")
    assert warns, "an unreadable cell must make some rule unverifiable"
    for badge in warns:
        assert "无法核实" in badge.get_text() and "不一致" not in badge.get_text()


def test_tables_follow_the_template_row_order_with_gold_figures(gold_site):
    for gold_path in gold_files():
        gold = load_gold(gold_path)
        record = gold_record(gold_path)
        page = soup(gold_site / "site" / "agencies" / record["agency"]["slug"] / "index.html")
        table_b = [t for t in page.select("table.gx-data") if "表B" in t.caption.get_text()][0]
        rows = year_rows(table_b)
        assert [label for label, _, _ in rows] == [label for _, label in rec.request_rows(gold["template"])]
        assert {year for _, year, _ in rows} == {str(gold["year"])}
        for (key, _), (_, _, cells) in zip(rec.request_rows(gold["template"]), rows):
            shown = [td.get_text() for td in cells]
            assert shown == ["—" if v is None else str(v) for v in gold["requests"][key]], key
        table_c = [t for t in page.select("table.gx-data") if "表C" in t.caption.get_text()][0]
        assert [label for label, _, _ in year_rows(table_c)] == [label for _, label in rec.REVIEW_GROUPS]
        table_a = [t for t in page.select("table.gx-data") if "表A" in t.caption.get_text()][0]
        expected = [f"{label}·{field_label}" for _, (label, fields) in rec.ACTIVE[gold["template"]].items()
                    for _, field_label in fields]
        assert [r.th.get_text() for r in table_a.select("tbody tr")] == expected


def undelta(entries: list, years: list[str] | None = None) -> list:
    """A table's data-src list as lines, as assets/tables.js reads it: each entry steps from the
    line of the previous cell of its year (`years`: each cell's; one year when None)."""
    out, previous = [], {}
    for entry, year in zip(entries, years or [""] * len(entries)):
        if entry is None:
            out.append(0)
        elif isinstance(entry, int):
            previous[year] = previous.get(year, 0) + entry
            out.append(previous[year])
        elif entry[0] is None:
            out.append([0, entry[1]])
        else:
            previous[year] = previous.get(year, 0) + entry[0]
            out.append([previous[year], entry[1]])
    return out


def test_every_number_carries_its_source_text(gold_site):
    record = gold_record(gold_files()[1])
    page = soup(gold_site / "site" / "agencies" / record["agency"]["slug"] / "index.html")
    table_b = [t for t in page.select("table.gx-data") if "表B" in t.caption.get_text()][0]
    sources = undelta(expand_runs(json.loads(table_b["data-src"])))
    cells = [cell for _, _, row in year_rows(table_b) for cell in row]
    assert cells == table_b.select("tbody td")
    assert len(sources) == len(cells) == 7 * len(rec.request_rows(record["template"]))
    paths = [f"requests.{key}[{i}]" for key, _ in rec.request_rows(record["template"]) for i in range(7)]
    for path, cell, entry in zip(paths, cells, sources):
        source = record["provenance"][path]
        line, text = (entry, cell.get_text()) if isinstance(entry, int) else entry
        assert (line, text) == (source["line"], source["text"]), path


def test_the_source_of_a_flattened_row_is_written_once():
    """Issue 19: the seven cells of a row read from one run of digits each carried its text
    ("0000000"): the sources were 3.5 KB of a page at 10,000 reports, runs of equal entries
    written once make them 1.6 KB."""
    record = gold_record(gold_files()[4])
    for i, value in enumerate(record["requests"]["granted"]):
        record["provenance"][f"requests.granted[{i}]"] = {"line": 45, "text": "9999999"}
    files = render_site(with_checks([record]), [], ROOT)
    page = expanded_file(files, f"agencies/{record['agency']['slug']}/index.md")
    table_b = [t for t in page.select("table.gx-data") if "表B" in t.caption.get_text()][0]
    # the first cell steps to the row's line, the six others share it: their entry is written once
    assert table_b["data-src"].count("9999999") == 2
    keys = [key for key, _ in rec.request_rows(record["template"])]
    sources = undelta(expand_runs(json.loads(table_b["data-src"])))
    row = keys.index("granted")
    assert sources[7 * row:7 * row + 7] == [[45, "9999999"]] * 7
    assert len(sources) == len(table_b.select("tbody td"))


def test_doubtful_cells_are_marked_and_say_why():
    record = gold_record(gold_files()[0])
    record["problems"].append(problem_json("garbled-number", "requests.new_received[0]", "0?", "原文为“0?”"))
    record["provenance"]["requests.new_received[0]"]["text"] = "0?"
    files = render_site(with_checks([record]), [], ROOT)
    page = expanded_file(files, f"agencies/{record['agency']['slug']}/index.md")
    table_b = [t for t in page.select("table.gx-data") if "表B" in t.caption.get_text()][0]
    first = table_b.select("tbody td")[0]
    assert first.has_attr("data-d")
    assert "原文为“0?”" in json.loads(table_b["data-doubts"])[int(first["data-d"] or 0)]
    assert expand_runs(json.loads(table_b["data-src"]))[0][1] == "0?"


def test_a_doubt_about_a_table_a_item_marks_its_cells_on_the_page_and_in_the_csv():
    """One answer to "is this cell doubtful?" (rulekit.uncertain) for the rules, the page and the
    downloads: a problem naming a table A item (active.fees) covers that item's cells. The page and
    the CSV looked only at the cell, its row before the '[' and its table, and missed the item."""
    from conftest import uncertain

    record = gold_record(gold_files()[0])
    fees = [f"active.fees.{field}" for field in record["active"]["fees"]]
    record["problems"].append(problem_json("unit-not-stated", "active.fees", "", "未注明单位"))
    assert all(uncertain(record, path) for path in fees)
    files = render_site(with_checks([record]), [], ROOT)
    rows = list(csv.DictReader(io.StringIO(download(files, "active.csv"))))
    assert {r["uncertain"] for r in rows if r["row"] == "fees"} == {"1"}
    assert {r["uncertain"] for r in rows if r["row"] == "regulations"} == {"0"}
    page = expanded_file(files, f"agencies/{record['agency']['slug']}/index.md")
    table_a = [t for t in page.select("table.gx-data") if "表A" in t.caption.get_text()][0]
    doubted = [row.th.get_text() for row in table_a.select("tbody tr") if row.td.has_attr("data-d")]
    assert doubted and all("行政事业性收费" in label for label in doubted)


def test_an_agency_chart_is_its_table_and_the_words_to_draw_it(gold_site):
    """Issue 19: an agency page wrote every chart's numbers twice, as plotly JSON and as the
    table for readers without JavaScript. The table is now the only copy (charts.js draws it)."""
    for page in agency_pages(gold_site):
        charts = soup(page).select(".gx-chart")
        assert charts, page
        for chart in charts:
            assert not chart.has_attr("data-figure"), page
            words = chart["data-plot"].split()
            assert words[0] in ("bar", "line") and set(words[1:]) <= {"group", "stack", "rows", "total"}
            details = chart.find_next_sibling("details")
            assert details.summary.get_text() == "图表数据：" + details.summary.span.get_text()
            heads = [th.get_text() for th in details.table.select("thead th")]
            rows = [[td.get_text() for td in tr.find_all("td")] for tr in details.table.select("tbody tr")]
            assert rows and all(len(row) == len(heads) for row in rows), page
            # every figure a number, or — for one not read: nothing else reaches a bar's height
            assert all(re.fullmatch(r"-?\d+(\.\d+)?|—", v) for row in rows for v in row[1:]), rows
            assert ("total" in words) == (heads[-1] == "总计"), heads


def test_the_home_charts_carry_their_figures_and_data_tables(gold_site):
    charts = soup(gold_site / "site" / "index.html").select(".gx-chart")
    assert charts
    for chart in charts:
        figure = json.loads(chart["data-figure"])
        assert figure["data"] and figure["layout"]["title"]["text"]
        assert chart.find_next_sibling("details").table.select("tbody tr")


def test_charts_of_every_year_draw_the_figures_of_table_b():
    path = gold_files()[4]
    records = with_checks([gold_record(path, year=y, path=f"raw/{y}.txt") for y in (2020, 2021)])
    for record in records:
        record["agency"]["slug"] = records[0]["agency"]["slug"]
    files = render_site(records, [], ROOT)
    page = expanded_file(files, f"agencies/{records[0]['agency']['slug']}/index.md")
    by_title = {c.find_next_sibling("details").summary.span.get_text(): c for c in page.select(".gx-chart")}
    applicants = by_title["本年新收申请（按申请人类型）"].find_next_sibling("details").table
    assert [[td.get_text() for td in tr.find_all("td")] for tr in applicants.select("tbody tr")] == \
        [[str(r["year"])] + [str(v) for v in r["requests"]["new_received"]] for r in records]
    trend = by_title["历年申请数量"]
    assert trend["data-plot"] == "line"
    assert [[td.get_text() for td in tr.find_all("td")] for tr in trend.find_next_sibling("details").select("tbody tr")] \
        == [[str(r["year"]), str(r["requests"]["new_received"][6]), str(r["requests"]["total"][6])] for r in records]


def test_small_numbers_are_not_turned_into_shares(gold_site):
    # Gold 003 received 2 requests: no share; gold 004 received 208: a share.
    small, large = gold_record(gold_files()[3]), gold_record(gold_files()[4])
    small_page = soup(gold_site / "site" / "agencies" / small["agency"]["slug"] / "index.html").get_text()
    assert "样本少（2件），不计算比例" in small_page
    large_page = soup(gold_site / "site" / "agencies" / large["agency"]["slug"] / "index.html").get_text()
    granted = large["requests"]["granted"][6] + large["requests"]["partially_granted"][6]
    assert f"{100 * granted / large['requests']['total'][6]:.1f}%" in large_page
    home = soup(gold_site / "site" / "index.html")
    for row in home.select(".gx-sortable tbody tr"):
        share = row.find_all("td")[3]
        assert ("data-v" in share.attrs) == (share.get_text()[-1] == "%")


def test_a_doubt_shared_by_many_cells_is_stated_once():
    record = gold_record(gold_files()[4])
    for i in range(7):
        record["requests"]["granted"][i] = None
        record["problems"].append(problem_json("ambiguous-split", f"requests.granted[{i}]", "71 0 0", "无法确定拆分"))
    files = render_site(with_checks([record]), [], ROOT)
    page = expanded_file(files, f"agencies/{record['agency']['slug']}/index.md")
    table_b = [t for t in page.select("table.gx-data") if "表B" in t.caption.get_text()][0]
    assert json.loads(table_b["data-doubts"]) == ["未能读取；存疑：无法确定拆分"]
    assert len(table_b.select("td[data-d='']")) == 7
    problems = page.select(".gx-problems li")
    assert len(problems) == 1 and "等7处" in problems[0].get_text()


def test_years_of_an_agency_share_one_page_with_a_trend(tmp_path):
    path = gold_files()[4]
    records = with_checks([gold_record(path, year=y, path=f"raw/{y}.txt") for y in (2019, 2020, 2021, 2022)])
    for record in records:
        record["agency"]["slug"] = records[0]["agency"]["slug"]
    files = render_site(records, [], ROOT)
    pages = [k for k in files if k.startswith("agencies/") and k.endswith("index.md")]
    assert len(pages) == 1
    page = expanded_file(files, pages[0])
    titles = [c.find_next_sibling("details").summary.span.get_text() for c in page.select(".gx-chart")]
    assert "历年申请数量" in titles
    headings = [re.search(r"\{#(.+)\}", line).group(1) for line in files[pages[0]].splitlines() if line.startswith("## ")]
    assert headings == ["tables", "2019", "2020", "2021", "2022"]


# ---------------------------------------------------------------- downloads

def _long_csv(site: Path, name: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(download(site / "site" / "data", name))))


def test_downloads_parse_back_to_the_records(seed_site, seed_records):
    usable = {r["source"]["path"]: r for r in seed_records if is_usable(r)}
    lines = download(seed_site / "site" / "data", "reports.jsonl").splitlines()
    downloaded = {r["source"]["path"]: r for r in map(json.loads, lines)}
    assert downloaded.keys() == usable.keys()
    for path, record in usable.items():
        for table in ("requests", "reviews", "active", "provenance", "problems", "year", "agency"):
            assert downloaded[path][table] == record[table], (path, table)
    rows = _long_csv(seed_site, "requests.csv")
    for row in rows:
        record = usable[row["source"]]
        index = rec.COLUMN_KEYS.index(row["column"])
        value = record["requests"].get(row["row"], [None] * 7)[index]
        assert row["value"] == ("" if value is None else str(value))
    assert len(rows) == sum(7 * len(rec.request_rows(r["template"] or "2021")) for r in usable.values() if r["requests"])
    reviews = _long_csv(seed_site, "reviews.csv")
    for row in reviews:
        index = ["upheld", "corrected", "other", "pending", "total"].index(row["column"])
        value = usable[row["source"]]["reviews"][row["row"]][index]
        assert row["value"] == ("" if value is None else str(value))


def test_an_agencys_figures_are_in_the_site_wide_downloads_under_its_slug(gold_site):
    """Issue 19: no per-agency copy of the data (it doubled the site); the agency page names the
    slug by which the site-wide files hold its figures."""
    data = gold_site / "site" / "data"
    reports = [json.loads(line) for line in download(data, "reports.jsonl").splitlines()]
    rows = list(csv.DictReader(io.StringIO(download(data, "requests.csv"))))
    for gold_path in gold_files():
        record = gold_record(gold_path)
        slug = record["agency"]["slug"]
        folder = gold_site / "site" / "agencies" / slug
        assert sorted(p.name for p in folder.iterdir()) == ["index.html"]
        assert [r["requests"] for r in reports if r["agency"]["slug"] == slug] == [record["requests"]]
        total = [r for r in rows if r["slug"] == slug and r["row"] == "total" and r["column"] == "total"]
        assert total[0]["value"] == str(record["requests"]["total"][6])
        page = soup(folder / "index.html")
        assert page.select('a[href="../../data/"]') and slug in page.select_one(".gx-downloads").get_text()
        # where it is, each place a link to its region page, which lists it
        trail = [a["href"] for a in page.select(".gx-trail a")]
        assert trail and all((folder / href / "index.html").is_file() for href in trail)
        assert f"agencies/{slug}/" in (folder / trail[-1] / "index.html").read_text(encoding="utf-8")
    xianning = soup(gold_site / "site" / "agencies" / gold_record(gold_files()[0])["agency"]["slug"] / "index.html")
    assert [a.get_text() for a in xianning.select(".gx-trail a")] == ["湖北省", "咸宁市"]
    assert "数据下载中湖北省的文件里" in xianning.select_one(".gx-downloads").get_text()


# ---------------------------------------------------------------- size and search

def _first_visit_assets(site: Path, page: Path) -> list[Path]:
    html = soup(page)
    refs = [s["src"] for s in html.find_all("script", src=True)]
    refs += [l["href"] for l in html.find_all("link", rel="stylesheet")]
    root = site / "site"  # 404.html names its assets from the site's root
    return [((root / ref.lstrip("/")) if ref.startswith("/") else (page.parent / ref)).resolve()
            for ref in (r.split("?")[0] for r in refs) if not ref.startswith("http")]


def test_first_visit_scripts_and_styles_fit_600_kb_compressed(seed_site):
    assets = _first_visit_assets(seed_site, seed_site / "site" / "index.html")
    plotly = seed_site / "site" / "assets" / "vendor" / "plotly.min.js"
    compressed = sum(len(gzip.compress(a.read_bytes(), 9)) for a in assets + [plotly])
    assert compressed <= 600_000, compressed


def test_pages_without_a_chart_load_no_chart_code(seed_site):
    """Issue 15: every page loaded 1.29 MB of JavaScript (plotly) whether it had a chart or not."""
    site = seed_site / "site"
    for page in (site / "about" / "index.html", site / "checks" / "balance" / "index.html",
                 site / "unread" / "index.html", site / "data" / "index.html", site / "404.html"):
        assets = _first_visit_assets(seed_site, page)
        assert not any(a.name == "plotly.min.js" for a in assets), page
        assert sum(len(gzip.compress(a.read_bytes(), 9)) for a in assets) <= 120_000, page
    assert (site / "assets" / "vendor" / "plotly.min.js").is_file()  # charts.js loads it where there is a chart


def test_years_of_two_templates_share_table_b_and_split_table_a():
    """One table of each kind for every year: table A's items differ between the 2019 and 2021
    templates, so it is one table per version; table B's rows are both versions' in the
    template's order, each listing only the years whose template has it."""
    old = next(p for p in gold_files() if load_gold(p)["template"] == "2019")
    new = next(p for p in gold_files() if load_gold(p)["template"] == "2021")
    records = [gold_record(old, year=2020, path="raw/2020.txt"), gold_record(new, year=2021, path="raw/2021.pdf")]
    records[1]["source"]["format"] = "pdf"
    for record in records:
        record["agency"]["slug"] = records[0]["agency"]["slug"]
    files = render_site(with_checks(records), [], ROOT)
    page = expanded_file(files, f"agencies/{records[0]['agency']['slug']}/index.md")
    tables = page.select(".gx-tables > table")
    assert [t.caption.get_text() for t in tables] == [
        "表A 主动公开政府信息情况（2019年版模板）", "表A 主动公开政府信息情况（2021年版模板）",
        "表B 收到和处理政府信息公开申请情况", "表C 政府信息公开行政复议、行政诉讼情况"]
    assert [th.get_text() for th in tables[0].thead.find_all("th")] == ["项目", "2020"]
    assert [th.get_text() for th in tables[1].thead.find_all("th")] == ["项目", "2021"]
    years: dict[str, list[str]] = {}
    rows = year_rows(tables[2])
    sources = undelta(expand_runs(json.loads(tables[2]["data-src"])), [year for _, year, cells in rows for _ in cells])
    for label, year, cells in rows:
        years.setdefault(label, []).append(year)
        record = records[0] if year == "2020" else records[1]
        key = dict((lab, k) for k, lab in rec.request_rows(record["template"]))[label]
        assert [td.get_text() for td in cells] == [str(v) for v in record["requests"][key]], (label, year)
        # Each cell's source is its own report's (a PDF's figure shows its text: the record has no page).
        for i, _ in enumerate(cells):
            entry, source = sources.pop(0), record["provenance"][f"requests.{key}[{i}]"]
            assert entry == (source["line"] if year == "2020" else [0, source["text"]]), (label, year, i)
    assert sources == []
    old_rows, new_rows = dict(rec.request_rows("2019")), dict(rec.request_rows("2021"))
    assert years[new_rows["new_received"]] == ["2020", "2021"]
    assert years[old_rows["other_processing"]] == ["2020"]
    assert years[new_rows["other_other"]] == ["2021"]
    order = list(years)
    assert order[0] == new_rows["new_received"] and order[-2:] == [new_rows["total"], new_rows["carried_forward"]]
    assert order.index(new_rows["not_processed_confirmation"]) < order.index(old_rows["other_processing"])
    # A PDF's figures are found by page: the tables say which years count pages.
    assert json.loads(tables[2]["data-units"]) == {"2021": "页"}
    assert not tables[0].has_attr("data-units")


def test_agency_page_with_four_years_of_full_tables_fits_27_kb(tmp_path):
    # The widest record (2019 template: table A has the most rows) over four years: 44.8 KB
    # before issue 19 (figures written twice, a badge per rule, the templates' indentation), then
    # 33.2 KB; 25.0 KB with one table of each kind for all years, one palette and an image logo.
    path = gold_files()[4]
    records = [gold_record(path, year=y, path=f"raw/{y}.txt") for y in (2019, 2020, 2021, 2022)]
    for record in records:
        record["agency"]["slug"] = records[0]["agency"]["slug"]
    build_site(with_checks(records), [], tmp_path)
    page = agency_pages(tmp_path)[0]
    assert page.stat().st_size <= 27_000, page.stat().st_size
    # Every year's section rendered as HTML (a raw HTML block left open would
    # swallow the following sections as text).
    html = soup(page)
    # issue 15: sections anchored by year (#2021), not by position (#r1)
    assert [h["id"] for h in html.select("article h2")] == ["tables", "2019", "2020", "2021", "2022"]
    # One table of each kind for the four years: each row label once, its four years under it.
    [tables] = html.select(".gx-tables")
    kinds = tables.find_all("table", recursive=False)
    assert [t.caption.get_text()[:2] for t in kinds] == ["表A", "表B", "表C"]
    assert [th.get_text() for th in kinds[0].thead.find_all("th")] == ["项目", "2019", "2020", "2021", "2022"]
    rows = year_rows(kinds[1])
    assert [year for _, year, _ in rows[:4]] == ["2019", "2020", "2021", "2022"]
    assert len(rows) == 4 * len(rec.request_rows(records[0]["template"]))
    # Each year's cells step from that year's previous line: every cell decodes to its own source.
    sources = undelta(expand_runs(json.loads(kinds[1]["data-src"])), [year for _, year, cells in rows for _ in cells])
    labels = {label: key for key, label in rec.request_rows(records[0]["template"])}
    expected = [records[0]["provenance"][f"requests.{labels[label]}[{i}]"]["line"]
                for label, _, cells in rows for i, _ in enumerate(cells)]
    assert sources == expected
    assert "## " not in html.get_text()


def test_the_search_index_has_one_page_per_agency(gold_site):
    site = gold_site / "site"
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["languages"]["zh"]["page_count"] == len(list((site / "agencies").glob("*/index.html")))


def test_search_entries_hold_each_agency_name_pinyin_and_summary_not_its_tables():
    agencies = group_by_agency([report(r) for r in gold_records()])
    entries = search_entries(agencies, gazetteer(ROOT))
    assert [e.url for e in entries] == [f"/agencies/{slug}/" for slug in agencies]
    jiangxi = next(e for e in entries if e.title == "江西省人民政府办公厅")
    assert "jiangxi" in jiangxi.text and "bangongting" in jiangxi.text and "行政复议" in jiangxi.text
    # found by the places it is in, not only by those its name spells
    assert "湖北省 咸宁市" in next(e for e in entries if e.title == "咸宁市政府国资委").text
    assert not [e for e in entries if "本年新收政府信息公开申请数量" in e.text or "<" in e.title]


def test_nav_is_short_and_explicit(seed_site):
    for page in agency_pages(seed_site)[:1] + [seed_site / "site" / "index.html"]:
        nav = soup(page).select("nav.md-nav--primary a.md-nav__link")
        assert 0 < len(nav) <= 12, len(nav)
        assert not [a for a in nav if "agencies/" in (a.get("href") or "")]


def test_render_site_is_pure_and_sorted():
    first = render_site(gold_records(), [], ROOT)
    second = render_site(gold_records(), [], ROOT)
    assert first == second
    assert list(first) == sorted(first)


def test_no_cdn_or_external_resource(seed_site):
    for page in [seed_site / "site" / "index.html"] + agency_pages(seed_site)[:1]:
        html = soup(page)
        loaded = html.find_all(["script", "img", "iframe"]) + [
            link for link in html.find_all("link") if {"stylesheet", "icon", "preload", "manifest"} & set(link["rel"])]
        assert loaded
        for tag in loaded:
            ref = tag.get("src") or tag.get("href") or ""
            assert not ref.startswith(("http:", "https:", "//")), ref


def test_unread_page_lists_every_file_with_its_reason():
    unread = []
    for code, name in [("empty-file", "空 文件.txt"), ("binary-file", "a;b.bin"), ("not-a-report", "\"引号\".html"),
                       ("too-large", "big.txt")]:
        record = blank_json(f"raw_reports/{name}", "0" * 64, None)
        message = {"too-large": "超过 5 MB", "not-a-report": "文件不是政府信息公开工作年度报告（找不到报告的表格）"}
        record["problems"].append(problem_json(code, "report", "", message.get(code, "")))
        unread.append(record)
    records = gold_records()
    page = expanded_file(render_site(records, unread, ROOT), "unread.md")
    rows = page.select("table.gx-unread tbody tr")
    assert [r.find("code").get_text() for r in rows] == sorted(u["source"]["path"] for u in unread)
    reasons = {r.find("code").get_text(): r.find_all("td")[1].get_text() for r in rows}
    assert reasons["raw_reports/空 文件.txt"] == "空文件"
    assert reasons["raw_reports/big.txt"] == "文件超过大小上限，只读取了开头部分（超过 5 MB）"
    # A message that already names the reason is not repeated inside it.
    assert reasons['raw_reports/"引号".html'] == "文件不是政府信息公开工作年度报告（找不到报告的表格）"
    assert f"共收到 {len(records) + len(unread)} 个文件：{len(records)} 份报告已读取并发布，{len(unread)} 个文件未能读取" \
        in page.get_text()


def test_every_finding_is_on_the_page_the_long_ones_folded():
    record = gold_record(gold_files()[4])
    record["requests"]["granted"] = [1, 1, 1, 1, 1, 1, 99]  # every column's outcome sum now breaks
    files = render_site(with_checks([record]), [], ROOT)
    page = expanded_file(files, f"agencies/{record['agency']['slug']}/index.md")
    broken = [c for c in record["checks"] if c["status"] == "fail" and len(c["findings"]) > 2]
    assert broken, "the changed row must break a rule more than twice"
    for check in broken:
        # issue 15: "另有5条，见本机关数据（JSON）" sent readers to a download
        finding = page.find(id=f"{record['year']}-{check['rule']}")
        assert [li.get_text() for li in finding.select("li")] == [f["message"] for f in check["findings"]]
        assert finding.select_one("details summary").get_text() == f"其余{len(check['findings']) - 3}条"
    data = [json.loads(line) for line in download(files, "reports.jsonl").splitlines()]
    assert [r["checks"] for r in data if r["agency"]["slug"] == record["agency"]["slug"]] == [record["checks"]]


def test_published_agency_pages_hold_real_tables_without_javascript(seed_site):
    # The tables travel through MkDocs as opaque text (cheap for Markdown and
    # search) and the hook must put them back: the HTML as served, not as a
    # browser would expand it, holds table B with its figures.
    from bs4 import BeautifulSoup

    pages = sorted((seed_site / "site" / "agencies").glob("*/index.html"))
    assert len(pages) == 5
    for path in pages:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
        assert not soup.select('style[type="text/x-gx-html"]'), path
        table_b = [t for t in soup.find_all("table") if "本年新收" in t.get_text()]
        assert table_b, f"{path}: no table B in the served HTML"
        from gxsite.record import request_rows

        # a header row, and every row of the template (23 in 2019's, 25 in 2021's) with its one year
        assert len(table_b[0].find_all("tr")) in {2 * len(request_rows(t)) + 1 for t in ("2019", "2021")}


def test_published_pages_carry_no_blank_line_or_template_indentation(seed_site):
    """Issue 19: the blank lines and indentation of Material's templates were 2.4 KB of every
    agency page (of 12 KB around its article), which a browser collapses to nothing."""
    pages = sorted((seed_site / "site").rglob("*.html"))
    assert len(agency_pages(seed_site)) == 5 and len(pages) > 10
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"\n[ \t]*\n", text), page
        assert not re.search(r"\n[ \t]+\S", text), page
    # the page still works as one: its tables and scripts are there
    agency = soup(agency_pages(seed_site)[0])
    assert agency.select("table.gx-data") and agency.select("script[src$='charts.js']")


def test_whitespace_is_left_alone_where_it_is_content():
    from gxsite.site.hooks import slim

    chrome = "<html>\n  <body>\n\n    <p>a\n      b</p>\n"
    assert slim(chrome) == "<html>\n<body>\n<p>a\nb</p>\n"
    for content in ("<pre>x\n\n  y</pre>", "<textarea>\n  y</textarea>", "<code>x\n  y</code>",
                    "<script>var s = `a\n  b`;</script>"):
        page = chrome + content + "\n\n  </body>"
        assert slim(page) == page, content
    # an ideographic space indents Chinese text: it is the text's, not the template's
    assert slim("<p>\n\u3000\u3000第一段</p>") == "<p>\n\u3000\u3000第一段</p>"
    # code or a script on one line does not stop the rest of the page from being slimmed
    assert slim("<code>x</code>\n  <script>f()</script>\n  <p>") == \
        "<code>x</code>\n<script>f()</script>\n<p>"


def _stats(site: Path) -> dict[str, str]:
    home = soup(site / "index.html")
    return {s.select_one(".gx-stat-label").get_text(): s.select_one(".gx-stat-value").get_text()
            for s in home.select(".gx-stats .gx-stat")}


def test_an_exact_copy_of_a_report_is_counted_once(seed_site, tmp_path):
    """Issue 17 #6: a duplicate copy counted again in the home figures (报告 6 for 5 reports)."""
    from gxsite.build import build
    reports = tmp_path / "raw_reports"
    shutil.copytree(SEEDS, reports)
    (reports / "copy").mkdir()
    shutil.copy(sorted(SEEDS.iterdir())[2], reports / "copy" / "same-report.txt")
    build(reports, tmp_path / "content", tmp_path / "site", ROOT / "mkdocs.yml")
    once, twice = _stats(seed_site / "site"), _stats(tmp_path / "site")
    assert twice == once
    assert once["报告"] == str(len(list(SEEDS.iterdir())))


def test_a_file_cut_at_the_size_limit_is_listed_on_the_unread_page(tmp_path):
    """Issue 17 #10: a file over 5 MB was only flagged on its agency page."""
    from gxsite.build import build
    reports = tmp_path / "raw_reports"
    reports.mkdir()
    seed = sorted(SEEDS.iterdir())[3]
    (reports / "long.txt").write_text(seed.read_text(encoding="utf-8") + "附注。\n" * 700_000, encoding="utf-8")
    result = build(reports, tmp_path / "content", tmp_path / "site", ROOT / "mkdocs.yml")
    assert len(result.records) == 1
    page = soup(tmp_path / "site" / "unread" / "index.html")
    partly = page.select("table.gx-unread")
    assert len(partly) == 1 and "只读取了一部分的报告（1）" in partly[0].get_text()
    assert "raw_reports/long.txt" in partly[0].get_text() and "文件超过大小上限" in partly[0].get_text()
    assert "所有文件均已读取" in page.get_text()


@pytest.fixture(scope="module")
def real_site(tmp_path_factory) -> Path:
    """The seeds and the real corpus (text, Markdown, PDF) built as the deploy builds them."""
    from gxsite.build import build
    out = tmp_path_factory.mktemp("real-site")
    reports = out / "raw_reports"
    shutil.copytree(SEEDS, reports)
    for path in (Path(__file__).parent / "corpus").iterdir():
        if path.is_file():
            shutil.copy(path, reports)
    result = build(reports, out / "content", out / "site", ROOT / "mkdocs.yml")
    assert len(result.records) == len(list(reports.iterdir()))
    return out


def test_red_is_only_the_publishers_certain_error(real_site):
    """Issue 15: 数据完整 was red for 10 of 16 real reports because we could not read cells, and
    提示-level rules were counted as 不一致 in the same red."""
    records = [json.loads(line) for line in download(real_site / "site" / "data", "reports.jsonl").splitlines()]
    errors = {(r["agency"]["slug"], r["year"], c["rule"]) for r in records for c in r["checks"]
              if check_result(c) == "error"}
    assert all(checks.RULE_BY_ID[rule].severity == "error" for _, _, rule in errors)
    assert ("ping-tan-zong-he-shi-yan-qu-e1bbe4", 2020, "outcome-sum") in errors  # gold: the publisher's error
    red = 0
    for page in agency_pages(real_site):
        html = soup(page)
        for finding in html.select(".gx-finding.gx-fail"):
            red += 1
            assert "无法核实" not in finding.get_text()
        red_badges = html.select(".gx-badges a.gx-fail")
        for badge in red_badges:
            assert "无法核实" not in badge.get_text() and "提示" not in badge.get_text()
        assert len(red_badges) == len(html.select(".gx-finding.gx-fail"))
    assert red == len(errors)


def test_the_site_speaks_chinese_only(real_site):
    site = real_site / "site"
    for page in [site / "index.html", site / "404.html", *agency_pages(real_site)]:
        text = soup(page).get_text()
        assert "Made with" not in text and "Not found" not in text, page
        for code in rec.PROBLEM_WORDS:
            assert code not in text, (page, code)
    assert "返回首页" in soup(site / "404.html").get_text()


def test_csv_downloads_open_in_excel_with_one_unit_per_row_and_every_key_explained(seed_site):
    """Issue 15: CSVs without a BOM opened garbled in Excel on Chinese Windows; the value column
    mixed 元 and 万元; the data dictionary lacked the column keys and every table A key.
    Issue 19: each province's CSV, once decompressed, is such a file."""
    data = seed_site / "site" / "data"
    dictionary = soup(data / "index.html").get_text()
    for name in ("requests.csv", "reviews.csv", "active.csv"):
        files = sorted(data.glob(f"*/{name}.gz"))
        assert len(files) == 4  # 湖北省, 内蒙古自治区, 江西省 and the reports that name no place
        for file in files:
            assert gzip.decompress(file.read_bytes()).startswith(b"\xef\xbb\xbf"), file
            assert file.relative_to(data).as_posix() in {a["href"] for a in soup(data / "index.html").select("a")}
        for row in csv.DictReader(io.StringIO(download(data, name))):
            assert row["unit"] in ("件", "项", "元", "万元"), row
            for key in ("row", "column"):
                assert f"{row[key]}" in dictionary, (name, key, row[key])
    fees = [r for r in csv.DictReader(io.StringIO(download(data, "active.csv")))
            if r["column"] in ("amount_10k_yuan", "amount_yuan")]
    assert fees and {r["unit"] for r in fees} <= {"万元", "元"} and all(
        r["unit"] == ("万元" if r["column"] == "amount_10k_yuan" else "元") for r in fees)


def test_headline_figures_say_how_many_reports_they_are_made_of(real_site):
    """Issue 15: the home rate divided （一）+（二） by a 总计 that included reports whose outcome rows
    were not read; 本年新收申请合计 included a report of unknown year the year chart left out."""
    stats = _stats(real_site / "site")
    records = [json.loads(line) for line in download(real_site / "site" / "data", "reports.jsonl").splitlines()]
    from conftest import uncertain
    dated = [r for r in records if isinstance(r["year"], int)]
    received = [r["requests"]["new_received"][6] for r in dated if not uncertain(r, "requests.new_received[6]")]
    assert len(received) < len(dated)  # seed 000 prints its 总计 as 0?: a doubt, left out of the sum
    assert stats[f"本年新收申请合计（{len(received)}份报告）"] == str(sum(received))
    rows = ("requests.granted[6]", "requests.partially_granted[6]", "requests.total[6]")
    both = [r for r in dated if not any(uncertain(r, p) for p in rows)]
    share = next(label for label in stats if label.startswith("予以公开或部分公开占比（"))
    assert share == f"予以公开或部分公开占比（{len(both)}份报告）"
    granted = sum(r["requests"]["granted"][6] + r["requests"]["partially_granted"][6] for r in both)
    assert stats[share] == f"{100 * granted / sum(r['requests']['total'][6] for r in both):.1f}%"
    year_chart = soup(real_site / "site" / "index.html").find(string=lambda t: t and "各年度本年新收申请" in t)
    assert year_chart is not None


def test_the_home_says_when_its_data_was_last_updated(real_site):
    """Issue 15: a '数据更新于' date, the newest report's publication date, not the clock."""
    golds = [load_gold(g) for g in gold_files() + sorted((Path(__file__).parent / "corpus" / "gold").glob("*.json"))]
    newest = max(g["published"] for g in golds if g["published"])
    year, month, day = (int(part) for part in newest.split("-"))
    text = soup(real_site / "site" / "index.html").get_text()
    assert f"数据更新于{year}年{month}月{day}日（最新一份报告的发布日期）" in text


def test_report_sections_are_anchored_by_year():
    from gxsite.site.agency_page import section_keys
    records = [{"year": 2021}, {"year": 2021}, {"year": None}, {"year": 2022}, {"year": 2021}]
    assert section_keys([report(r) for r in records]) == ["2021", "2021-2", "undated", "2022", "2021-3"]


def test_the_rules_download_names_every_rule_in_chinese_and_english(seed_site):
    """Each rule's English title and explanation reach the readers who need them: the downloads."""
    rules = json.loads((seed_site / "site" / "data" / "rules.json").read_text(encoding="utf-8"))
    assert [r["id"] for r in rules] == [r.id for r in checks.RULES]
    for rule in rules:
        assert rule["title_zh"] and rule["title_en"] and rule["explanation_en"] and rule["severity"] in ("error", "warning")
    used = {c["rule"] for line in download(seed_site / "site" / "data", "reports.jsonl").splitlines()
            for c in json.loads(line)["checks"]}
    assert used <= {r["id"] for r in rules}


def test_long_lists_are_split_into_pages_that_reach_every_report():
    """Issue 19: at 100,000 reports one rule page listed 30,000 reports (11 MB) and the bodies
    whose names give no place filled one 750 KB page. A list runs blocks.PAGE_SIZE a page,
    each page linking every other, and every item is on exactly one page."""
    import copy
    import html
    import re

    from gxsite.site import blocks
    from gxsite.parsing.slugs import agency_slug

    base = gold_record(gold_files()[4])
    records = []
    for i in range(blocks.PAGE_SIZE + 1):
        record = copy.deepcopy(base)
        name, path = f"测试机关{i:03d}", f"raw/{i:03d}.txt"
        record["agency"].update(name=name, slug=agency_slug(name, path))
        record["source"]["path"] = path
        record["requests"]["new_received"][6] += 1  # 一+二 no longer 三+四: balance finds every report
        records.append(record)
    files = render_site(with_checks(records), [], ROOT)
    slugs = {r["agency"]["slug"] for r in records}
    for first, second, depth in (("regions/qita/index", "regions/qita/2/index", 2),
                                 ("checks/balance", "checks/balance/2", 2)):
        pages = [files[f"{first}.md"] + files[f"{first}.parts.html"], files[f"{second}.md"] + files[f"{second}.parts.html"]]
        linked = [re.findall(r'href="((?:\.\./)+)agencies/([^/"]+)/', html.unescape(page)) for page in pages]
        on_page = [{slug for _, slug in page} for page in linked]
        assert on_page[0] | on_page[1] == slugs and not on_page[0] & on_page[1], first
        # page 2 is a folder deeper: its links climb one level more
        assert {up for up, _ in linked[0]} == {"../" * depth} and {up for up, _ in linked[1]} == {"../" * (depth + 1)}
        assert 'href="2/"' in pages[0] and 'href="../"' in pages[1]
    assert "checks/balance/3.md" not in files and "regions/qita/3/index.md" not in files
