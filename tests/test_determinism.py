"""Two builds of the same input give byte-identical content/ and site/."""

from __future__ import annotations

import datetime
import gzip
import lzma
import os
import shutil
from pathlib import Path

from conftest import ROOT, SEEDS, report, tree
from gxsite import build as build_mod
from gxsite import parallel


def reports_in(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for seed in sorted(SEEDS.iterdir()):
        shutil.copy(seed, folder / seed.name)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "名单 <b>x;.html").write_text("<html><body><script>alert(1)</script></body></html>", encoding="utf-8")
    return folder


def test_two_builds_are_byte_identical(tmp_path):
    one = reports_in(tmp_path / "a" / "raw_reports")
    two = reports_in(tmp_path / "b" / "elsewhere" / "raw_reports")
    # Different file times and worker counts must not matter either.
    for path in two.iterdir():
        os.utime(path, (1_000_000_000, 1_000_000_000))
    build_mod.build(one, tmp_path / "a" / "content", tmp_path / "a" / "site", ROOT / "mkdocs.yml", workers=1)
    build_mod.build(two, tmp_path / "b" / "content", tmp_path / "b" / "site", ROOT / "mkdocs.yml", workers=2,
                    cache_dir=tmp_path / "b" / "cache")
    for part in ("content", "site"):
        a, b = tree(tmp_path / "a" / part), tree(tmp_path / "b" / part)
        assert sorted(a) == sorted(b), part
        different = [name for name in a if a[name] != b[name]]
        assert different == [], f"{part}: {different}"
    site = tree(tmp_path / "a" / "site")
    assert "pagefind/pagefind-entry.json" in site and any(name.startswith("pagefind/fragment/") for name in site)


def test_no_build_date_in_the_site(tmp_path, monkeypatch):
    monkeypatch.setenv("GXSITE_SITE_URL", "https://example.org/gx/")  # with an address, a sitemap
    reports = reports_in(tmp_path / "raw_reports")
    build_mod.build(reports, tmp_path / "content", tmp_path / "site", ROOT / "mkdocs.yml")
    today = datetime.datetime.now(datetime.timezone.utc).date().isoformat()
    for name, data in tree(tmp_path / "site").items():
        if name.endswith(".gz"):
            data = gzip.decompress(data)
        elif name.endswith(".xz"):
            data = lzma.decompress(data)
        assert today.encode() not in data, name
    # The gzip header's mtime (bytes 4-8) comes from the reports, not the clock.
    header = (tmp_path / "site" / "sitemap.xml.gz").read_bytes()
    mtime = int.from_bytes(header[4:8], "little")
    assert mtime == build_mod.source_date_epoch(build_mod.read_reports(reports, workers=1).records)
    assert mtime < datetime.datetime.now(datetime.timezone.utc).timestamp() - 86400


def test_source_date_comes_from_the_reports():
    records = [{"year": 2021, "published": "2022-01-20"}, {"year": 2020, "published": "2021-03-01"},
               {"year": 2021, "published": "2099-12-31"}, {"year": 2021, "published": "not a date"}]
    expected = datetime.datetime(2022, 1, 20, tzinfo=datetime.timezone.utc).timestamp()
    assert build_mod.source_date_epoch([report(r) for r in records]) == expected
    no_dates = [{"year": 2019, "published": None}, {"year": None, "published": None}]
    assert build_mod.source_date_epoch([report(r) for r in no_dates]) == datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc).timestamp()
    assert build_mod.source_date_epoch([]) == 0


def _bump_new_received(path: Path) -> None:
    """Add one to the first figure of 一、本年新收 in a text report (natural persons)."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    label = next(i for i, line in enumerate(lines) if "本年新收" in line)
    figure = next(i for i in range(label + 1, len(lines)) if lines[i].strip().isdigit())
    lines[figure] = f"{int(lines[figure]) + 1}\n"
    path.write_text("".join(lines), encoding="utf-8")


def test_an_incremental_rebuild_equals_a_fresh_build(tmp_path, monkeypatch):
    # Reports parsed and agencies rendered in worker processes, and agencies reused when
    # unchanged, give the same site as one process doing everything.
    monkeypatch.setattr(parallel, "POOL_THRESHOLD", 1)
    reports = reports_in(tmp_path / "cached" / "raw_reports")
    cache = tmp_path / "cached" / "cache"
    out = tmp_path / "cached"
    build_mod.build(reports, out / "content", out / "site", ROOT / "mkdocs.yml", workers=2, cache_dir=cache)
    changed = next(p for p in sorted(reports.iterdir()) if p.name.startswith("003_"))
    _bump_new_received(changed)
    rebuilt = build_mod.build(reports, out / "content", out / "site", ROOT / "mkdocs.yml", workers=2, cache_dir=cache)
    assert rebuilt.parsed == 1 and rebuilt.mkdocs_ran
    # Only the changed report's agency was rendered again; the others were reused
    # (files linked, download chunks read back) and the site still equals a fresh build.
    assert rebuilt.agencies_rendered == 1

    fresh_reports = reports_in(tmp_path / "fresh" / "raw_reports")
    _bump_new_received(next(p for p in fresh_reports.iterdir() if p.name.startswith("003_")))
    fresh = tmp_path / "fresh"
    build_mod.build(fresh_reports, fresh / "content", fresh / "site", ROOT / "mkdocs.yml", workers=1)
    for part in ("content", "site"):
        a, b = tree(out / part), tree(fresh / part)
        assert sorted(a) == sorted(b), part
        assert [name for name in a if a[name] != b[name]] == [], part


def test_without_a_site_address_no_page_names_one(tmp_path, monkeypatch):
    """Issue 15: with no address configured, canonical links and the sitemap pointed at
    http://127.0.0.1:8000/. Now they exist only when GXSITE_SITE_URL says where the site is."""
    monkeypatch.delenv("GXSITE_SITE_URL", raising=False)
    reports = reports_in(tmp_path / "raw_reports")
    build_mod.build(reports, tmp_path / "content", tmp_path / "site", ROOT / "mkdocs.yml")
    site = tree(tmp_path / "site")
    assert "sitemap.xml" not in site and "sitemap.xml.gz" not in site
    assert not [name for name, data in site.items() if name.endswith(".html") and b'rel="canonical"' in data]
    assert not [name for name, data in site.items() if name.endswith((".html", ".xml")) and b"127.0.0.1" in data]
    # The search form of every page, the 404 page's too, stays on the site ("//search/" left it).
    assert not [name for name, data in site.items() if name.endswith(".html") and b'action="//' in data]
    monkeypatch.setenv("GXSITE_SITE_URL", "https://example.org/gx/")
    build_mod.build(reports, tmp_path / "content", tmp_path / "site", ROOT / "mkdocs.yml")
    sitemap = (tmp_path / "site" / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://example.org/gx/agencies/" in sitemap
    about = (tmp_path / "site" / "about" / "index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://example.org/gx/about/">' in about
