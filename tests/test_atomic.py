"""A build that fails part-way leaves the previous content/ and site/ untouched."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from mkdocs.exceptions import MkDocsException

from conftest import ROOT, SEEDS, tree, with_pinned_assets
from gxsite import build as build_mod
from gxsite import output_folders
from gxsite.site import rendering
from gxsite.site import mkdocs_site as site_mod


@pytest.fixture
def built(tmp_path):
    """A built site, then a new report dropped in so the next build has work to do."""
    reports = tmp_path / "raw_reports"
    reports.mkdir()
    seeds = sorted(SEEDS.iterdir())
    for seed in seeds[:3]:
        shutil.copy(seed, reports / seed.name)
    build_mod.build(reports, tmp_path / "content", tmp_path / "site", ROOT / "mkdocs.yml", cache_dir=tmp_path / "cache")
    before = {part: tree(tmp_path / part) for part in ("content", "site")}
    shutil.copy(seeds[3], reports / seeds[3].name)
    return tmp_path, before


def assert_untouched(tmp_path: Path, before: dict) -> None:
    for part in ("content", "site"):
        assert tree(tmp_path / part) == before[part], part
    # no staging or set-aside tree is left; the lock file beside site/ stays (it is only ever locked)
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".") and p.name != ".site.lock"]
    assert leftovers == []


def test_mkdocs_failing_half_way_leaves_the_old_site(built, monkeypatch):
    tmp_path, before = built
    real = site_mod.run_mkdocs

    def crash_after_writing(config_file, content_dir, site_dir, **kwargs):
        real(config_file, content_dir, site_dir, **kwargs)
        (site_dir / "index.html").write_text("half-written", encoding="utf-8")
        raise RuntimeError("disk full")

    monkeypatch.setattr(site_mod, "run_mkdocs", crash_after_writing)
    with pytest.raises(RuntimeError, match="disk full"):
        build_mod.build(tmp_path / "raw_reports", tmp_path / "content", tmp_path / "site", ROOT / "mkdocs.yml",
                        cache_dir=tmp_path / "cache")
    assert_untouched(tmp_path, before)


def test_a_broken_mkdocs_config_leaves_the_old_site(built, caplog):
    tmp_path, before = built
    config = with_pinned_assets(tmp_path) / "broken.yml"
    config.write_text((ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace("name: material", "name: no-such-theme"),
                      encoding="utf-8")
    with pytest.raises(MkDocsException):
        build_mod.build(tmp_path / "raw_reports", tmp_path / "content", tmp_path / "site", config,
                        cache_dir=tmp_path / "cache")
    assert "no-such-theme" in caplog.text
    assert_untouched(tmp_path, before)


def test_rendering_failing_leaves_the_old_site(built, monkeypatch):
    tmp_path, before = built

    def broken_render(agencies, unread, project_root):
        raise KeyError("bug in a page template")

    monkeypatch.setattr(rendering, "site_pages", broken_render)
    with pytest.raises(KeyError):
        build_mod.build(tmp_path / "raw_reports", tmp_path / "content", tmp_path / "site", ROOT / "mkdocs.yml",
                        cache_dir=tmp_path / "cache")
    assert_untouched(tmp_path, before)


def test_after_a_failure_the_next_build_succeeds(built, monkeypatch):
    tmp_path, before = built
    monkeypatch.setattr(rendering, "site_pages", lambda *args: (_ for _ in ()).throw(OSError("no space")))
    with pytest.raises(OSError):
        build_mod.build(tmp_path / "raw_reports", tmp_path / "content", tmp_path / "site", ROOT / "mkdocs.yml",
                        cache_dir=tmp_path / "cache")
    monkeypatch.undo()
    result = build_mod.build(tmp_path / "raw_reports", tmp_path / "content", tmp_path / "site", ROOT / "mkdocs.yml",
                             cache_dir=tmp_path / "cache")
    assert result.mkdocs_ran and result.files == 4
    assert tree(tmp_path / "site") != before["site"]


def test_a_site_that_cannot_be_replaced_keeps_the_old_pair(built, monkeypatch):
    """Issue 17 #8: a read-only site/ failed after content/ was already swapped in."""
    tmp_path, before = built
    real = output_folders.os.rename

    def site_is_read_only(source, target):
        if Path(source) == tmp_path / "site":
            raise PermissionError(1, "Operation not permitted", str(source))
        return real(source, target)

    monkeypatch.setattr(output_folders.os, "rename", site_is_read_only)
    with pytest.raises(PermissionError):
        build_mod.build(tmp_path / "raw_reports", tmp_path / "content", tmp_path / "site", ROOT / "mkdocs.yml",
                        cache_dir=tmp_path / "cache")
    assert_untouched(tmp_path, before)


def test_a_build_killed_between_the_renames_is_put_right_by_the_next(built):
    tmp_path, before = built
    (tmp_path / "site").rename(tmp_path / ".site.old")  # killed after setting the old site aside
    build_mod.build(tmp_path / "raw_reports", tmp_path / "content", tmp_path / "site", ROOT / "mkdocs.yml",
                    cache_dir=tmp_path / "cache")
    assert (tmp_path / "site" / "index.html").is_file() and not (tmp_path / ".site.old").exists()


def test_one_build_at_a_time_into_one_output(built):
    """Issue 17 #7: two builds into one output failed with tracebacks."""
    import fcntl

    tmp_path, before = built
    with open(tmp_path / ".site.lock", "a+b") as other_build:
        fcntl.flock(other_build, fcntl.LOCK_EX)
        with pytest.raises(output_folders.BuildRunning, match="another gxsite build is writing into"):
            build_mod.build(tmp_path / "raw_reports", tmp_path / "content", tmp_path / "site", ROOT / "mkdocs.yml",
                            cache_dir=tmp_path / "cache")
    assert_untouched(tmp_path, before)
