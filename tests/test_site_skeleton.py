"""The seed site, end to end: every seed becomes an agency page with table B and a chart."""

from __future__ import annotations

from bs4 import BeautifulSoup

from conftest import SEEDS


def _agency_pages(site):
    return sorted((site / "site" / "agencies").glob("*/index.html"))


def test_every_seed_has_an_agency_page(seed_site):
    seeds = [p for p in SEEDS.iterdir() if not p.name.startswith(".")]
    assert len(seeds) == 5
    assert len(_agency_pages(seed_site)) == len(seeds)


def test_agency_pages_have_table_b_and_a_chart(seed_site):
    for page in _agency_pages(seed_site):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
        tables = [t for t in soup.find_all("table") if "本年新收" in t.get_text()]
        assert tables, f"{page}: no table B"
        assert soup.select(".gx-chart[data-figure]"), f"{page}: no chart container"


def test_plotly_is_served_by_the_site(seed_site):
    bundle = seed_site / "site" / "assets" / "vendor" / "plotly.min.js"
    assert bundle.stat().st_size > 100_000
    for page in _agency_pages(seed_site):
        html = page.read_text(encoding="utf-8")
        assert "assets/vendor/plotly.min.js" in html
        assert "cdn." not in html
