"""`gxsite build` on the command line: summary line, --strict exit codes and messages, help texts."""

from __future__ import annotations

import argparse
import re
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, SEEDS, gold_files, load_gold
from gxsite import cli

SUMMARY = re.compile(r"gxsite: (\d+) files read, (\d+) records parsed, (\d+) files could not be read, "
                     r"(\d+) reports fail error-level checks")


def clean_seeds(folder: Path) -> Path:
    """The seeds whose gold figures break no rule (no expected 'fail')."""
    folder.mkdir()
    for gold in gold_files():
        expected = load_gold(gold)["expect_checks"]
        if "fail" not in expected.values():
            shutil.copy(SEEDS / load_gold(gold)["file"].rsplit("/", 1)[-1], folder)
    assert len(list(folder.iterdir())) >= 2
    return folder


def run_build(tmp_path: Path, reports: Path, *extra: str) -> list[str]:
    return ["build", "--reports", str(reports), "--content", str(tmp_path / "content"),
            "--site", str(tmp_path / "site"), "--cache", str(tmp_path / "cache"),
            "--config", str(ROOT / "mkdocs.yml"), *extra]


def test_strict_build_of_clean_reports_exits_0(tmp_path, capsys):
    reports = clean_seeds(tmp_path / "raw_reports")
    assert cli.main(run_build(tmp_path, reports, "--strict")) == 0
    out, err = capsys.readouterr()
    n = len(list(reports.iterdir()))
    assert out.strip().splitlines()[-1] == (f"gxsite: {n} files read, {n} records parsed, 0 files could not be read, "
                                            f"0 reports fail error-level checks")
    assert "--strict" not in err


def test_strict_build_with_an_unreadable_file_exits_1_and_names_it(tmp_path, capsys):
    reports = clean_seeds(tmp_path / "raw_reports")
    (reports / "空 文件;.txt").write_bytes(b"")
    n = len(list(reports.iterdir()))
    assert cli.main(run_build(tmp_path, reports, "--strict")) == 1
    out, err = capsys.readouterr()
    assert SUMMARY.fullmatch(out.strip().splitlines()[-1]).groups() == (str(n), str(n - 1), "1", "0")
    assert "gxsite: --strict: could not read raw_reports/空 文件;.txt: " in err
    assert err.strip().splitlines()[-1] == (f"gxsite: --strict: build failed: 1 files could not be read, "
                                            f"{n - 1} records parsed")
    # The site was still built and lists the file.
    assert (tmp_path / "site" / "index.html").is_file()


def test_without_strict_the_same_build_succeeds(tmp_path, capsys):
    reports = clean_seeds(tmp_path / "raw_reports")
    (reports / "binary.bin").write_bytes(bytes(range(256)) * 16)
    assert cli.main(run_build(tmp_path, reports)) == 0
    out, err = capsys.readouterr()
    assert SUMMARY.fullmatch(out.strip().splitlines()[-1]).group(3) == "1"
    assert "--strict" not in err


def test_a_publishers_error_is_published_and_named_but_does_not_fail_strict(tmp_path, capsys):
    """Issue 17: --strict failed on any error-level check, but a publisher's arithmetic error is a
    finding to publish, not a reason to stop publishing (3 of 24 real reports have one)."""
    reports = clean_seeds(tmp_path / "raw_reports")
    shutil.copy(Path(__file__).parent / "fixtures" / "balance-broken.txt", reports)
    summary = tmp_path / "summary.md"
    assert cli.main(run_build(tmp_path, reports, "--strict", "--summary", str(summary))) == 0
    out, err = capsys.readouterr()
    assert out.strip().splitlines()[-1].endswith(", 0 files could not be read, 1 reports fail error-level checks")
    assert "gxsite: note: raw_reports/balance-broken.txt: the publisher's figures break balance" in err
    assert "**Publishers' errors**" in summary.read_text(encoding="utf-8")
    assert "- raw\\_reports/balance-broken.txt: balance" in summary.read_text(encoding="utf-8")


def test_strict_fails_a_build_that_read_no_report(tmp_path, capsys):
    """Issue 17 #10: an empty reports folder published an empty site with exit 0 under --strict."""
    reports = tmp_path / "raw_reports"
    reports.mkdir()
    assert cli.main(run_build(tmp_path, reports, "--strict")) == 1
    assert "gxsite: --strict: build failed: 0 files could not be read, 0 records parsed" in capsys.readouterr().err


def test_control_characters_in_file_names_do_not_reach_the_terminal(tmp_path, capsys):
    reports = clean_seeds(tmp_path / "raw_reports")
    (reports / "evil\x1b[31mred.txt").write_bytes(b"")
    assert cli.main(run_build(tmp_path, reports, "--strict")) == 1
    err = capsys.readouterr().err
    assert "\x1b" not in err and "evil\\x1b[31mred.txt" in err


@pytest.mark.parametrize("argv", [["build", "--reports", "/nonexistent/reports"], ["build", "--jobs", "many"],
                                  ["build", "--no-such-option"], []])
def test_usage_errors_exit_2(argv, capsys):
    with pytest.raises(SystemExit) as stop:
        cli.main(argv)
    assert stop.value.code == 2
    assert "usage: gxsite" in capsys.readouterr().err


def _commands(parser: argparse.ArgumentParser):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            yield from action.choices.items()


def test_every_command_has_help_with_an_example():
    commands = dict(_commands(cli.make_parser()))
    assert {"build", "parse"} <= set(commands)
    for name, parser in commands.items():
        text = parser.format_help()
        assert re.search(rf"example: gxsite {name} ", text), name
        assert parser.description, name
        for action in parser._actions:
            assert action.help, f"{name} {action.option_strings or action.dest} has no help"


def test_a_failed_build_exits_1_and_says_the_site_was_kept(tmp_path, capsys):
    reports = clean_seeds(tmp_path / "raw_reports")
    config = tmp_path / "mkdocs.yml"
    config.write_text((ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace("name: material", "name: nope"),
                      encoding="utf-8")
    argv = run_build(tmp_path, reports)
    argv[argv.index("--config") + 1] = str(config)
    assert cli.main(argv) == 1
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert err.startswith(f"gxsite: build failed, {tmp_path / 'content'}/ and {tmp_path / 'site'}/ left as they were: ")
    assert "Traceback" not in err
    assert not (tmp_path / "site").exists()


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("option, target", [
    ("--content", "{reports}"), ("--site", "{reports}"), ("--cache", "{reports}"),
    ("--site", "{reports}/.."), ("--content", "{reports}/sub"), ("--site", "{root}"), ("--cache", "{root}"),
    ("--site", "{tmp}/content"), ("--cache", "{tmp}/site/cache"),
])
def test_a_mistyped_folder_option_deletes_no_report(tmp_path, capsys, option, target):
    """`--content r`/`--site r` replaced the reports by the build output, `--site $PWD` the project (issue 17):
    a folder option that is, holds or lies in the reports, the project or another output is a usage error."""
    reports = clean_seeds(tmp_path / "raw_reports")
    before = _snapshot(reports)
    argv = run_build(tmp_path, reports)
    argv[argv.index(option) + 1] = target.format(reports=reports, root=ROOT, tmp=tmp_path)
    with pytest.raises(SystemExit) as stop:
        cli.main(argv)
    assert stop.value.code == 2
    assert "overlap" in capsys.readouterr().err
    assert _snapshot(reports) == before
    assert not (tmp_path / "content").exists() and not (tmp_path / "site").exists()


@pytest.mark.parametrize("target", ["gxsite", "tests"])
def test_a_folder_that_is_not_a_build_is_never_replaced(tmp_path, capsys, target):
    """A review: --site gxsite (or --content .git) passed the folder checks and was swapped out and deleted."""
    reports = clean_seeds(tmp_path / "raw_reports")
    argv = run_build(tmp_path, reports)
    argv[argv.index("--site") + 1] = str(ROOT / target)
    before = sorted(p.name for p in (ROOT / target).iterdir())
    with pytest.raises(SystemExit) as stop:
        cli.main(argv)
    assert stop.value.code == 2 and "holds files that are not a gxsite build" in capsys.readouterr().err
    assert sorted(p.name for p in (ROOT / target).iterdir()) == before
