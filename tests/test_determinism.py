"""Two builds of the same input give byte-identical content/ and site/."""

from __future__ import annotations

import contextlib
import datetime
import gzip
import os
import shutil
import sqlite3
from pathlib import Path

from conftest import ROOT, SEEDS
from gxsite import build as build_mod
from gxsite.site import rendering


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


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
    assert "search/search_index.json" in site and "sitemap.xml.gz" in site


def test_no_build_date_in_the_site(tmp_path):
    reports = reports_in(tmp_path / "raw_reports")
    build_mod.build(reports, tmp_path / "content", tmp_path / "site", ROOT / "mkdocs.yml")
    today = datetime.datetime.now(datetime.timezone.utc).date().isoformat()
    for name, data in tree(tmp_path / "site").items():
        if name.endswith(".gz"):
            data = gzip.decompress(data)
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
    assert build_mod.source_date_epoch(records) == expected
    no_dates = [{"year": 2019, "published": None}, {"year": None, "published": None}]
    assert build_mod.source_date_epoch(no_dates) == datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc).timestamp()
    assert build_mod.source_date_epoch([]) == 0


def _bump_new_received(path: Path) -> None:
    """Add one to the first figure of 一、本年新收 in a text report (natural persons)."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    label = next(i for i, line in enumerate(lines) if "本年新收" in line)
    figure = next(i for i in range(label + 1, len(lines)) if lines[i].strip().isdigit())
    lines[figure] = f"{int(lines[figure]) + 1}\n"
    path.write_text("".join(lines), encoding="utf-8")


def _page_entries(cache: Path, kind: str) -> int:
    (store,) = cache.glob("pages/*/pages.sqlite3")
    with contextlib.closing(sqlite3.connect(store)) as db:
        return db.execute("SELECT count(*) FROM entries WHERE key LIKE ?", (f"{kind}:%",)).fetchone()[0]


def test_the_page_cache_and_parallel_pages_change_no_byte(tmp_path, monkeypatch):
    # Pages rendered in worker processes and served from the cache must give the
    # same site as MkDocs rendering every page itself.
    monkeypatch.setattr(build_mod, "_POOL_THRESHOLD", 1)
    monkeypatch.setattr(rendering, "POOL_THRESHOLD", 1)
    reports = reports_in(tmp_path / "cached" / "raw_reports")
    cache = tmp_path / "cached" / "cache"
    out = tmp_path / "cached"
    build_mod.build(reports, out / "content", out / "site", ROOT / "mkdocs.yml", workers=2, cache_dir=cache)
    html_entries = _page_entries(cache, "html")
    pages = sum(1 for p in (out / "content").rglob("*.md"))
    assert html_entries == pages
    # Every page's finished HTML came from a worker, not from MkDocs' own loop.
    assert _page_entries(cache, "page") == pages

    changed = next(p for p in sorted(reports.iterdir()) if p.name.startswith("003_"))
    _bump_new_received(changed)
    rebuilt = build_mod.build(reports, out / "content", out / "site", ROOT / "mkdocs.yml", workers=2, cache_dir=cache)
    assert rebuilt.parsed == 1 and rebuilt.mkdocs_ran
    # Only the changed report's agency was rendered again; the others were reused
    # (files linked, download chunks read back) and the site still equals a fresh build.
    assert rebuilt.agencies_rendered == 1
    # Only the pages whose Markdown changed were rendered again.
    new_entries = _page_entries(cache, "html") - html_entries
    assert 1 <= new_entries == len([p for p in rebuilt.written if p.endswith(".md")])

    fresh_reports = reports_in(tmp_path / "fresh" / "raw_reports")
    _bump_new_received(next(p for p in fresh_reports.iterdir() if p.name.startswith("003_")))
    fresh = tmp_path / "fresh"
    build_mod.build(fresh_reports, fresh / "content", fresh / "site", ROOT / "mkdocs.yml", workers=1)
    for part in ("content", "site"):
        a, b = tree(out / part), tree(fresh / part)
        assert sorted(a) == sorted(b), part
        assert [name for name in a if a[name] != b[name]] == [], part
