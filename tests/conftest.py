"""Shared fixtures: the seed reports and their hand-checked gold figures."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The synthetic report writer is benchmark and test support, not part of the package.
sys.path.insert(0, str(ROOT / "benchmarks"))
SEEDS = ROOT / "raw_reports"
# The gold files live in ../shared/seeds/gold beside the repo; tests/gold is a
# copy so a clone without shared/ still tests against the same figures.
GOLD = ROOT / "tests" / "gold"


# The browser and PDF tests drive this chromium: Debian's, or the one .ci/run names in
# GXSITE_CHROMIUM where the system has no real one (Ubuntu's apt chromium is a snap stub).
SYSTEM_CHROMIUM = Path("/usr/bin/chromium")


def under_ci() -> bool:
    """CI=true (GitHub Actions sets it, .ci/run exports it): missing tools fail, never skip."""
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes", "on")


def chromium_path() -> Path:
    """The chromium binary to drive: $GXSITE_CHROMIUM when set, else /usr/bin/chromium.

    When it is missing the calling test is skipped with the reason, except under CI,
    where it fails: a CI run that lost its browser must not pass by skipping every
    browser test."""
    configured = os.environ.get("GXSITE_CHROMIUM", "").strip()
    path = Path(configured) if configured else SYSTEM_CHROMIUM
    if path.is_file() and os.access(path, os.X_OK):
        return path
    where = f"GXSITE_CHROMIUM={configured}" if configured else str(SYSTEM_CHROMIUM)
    reason = f"no chromium at {where}: .ci/run installs it (or set GXSITE_CHROMIUM to a chromium binary)"
    if under_ci():
        pytest.fail(f"CI={os.environ['CI']}: {reason}; under CI the browser and PDF tests must run, not skip",
                    pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium() -> Path:
    """chromium_path() once per session: every test that needs the browser asks for this."""
    return chromium_path()


# --- records at the test's edge ---------------------------------------------------
# The program holds typed Reports (gxsite.report); most tests state what a record is in its
# public JSON shape (schema.md), so they build and read records as JSON, through these.

def parse_json(path: Path, shown: str | None = None) -> dict:
    """The record the parser makes of a file, as JSON (what `gxsite parse --json` prints)."""
    from gxsite.parsing import parse_file
    return parse_file(path, shown).to_json()


def parse_and_check_json(path: Path, shown: str) -> dict:
    from gxsite.file_records import parse_and_check
    return parse_and_check(path, shown).to_json()


def uncertain(record: dict, path: str) -> bool:
    """Report.uncertain of a JSON record (a download read back, a test's fixture)."""
    return report(record).uncertain(path)


def parse_source_json(source) -> dict:
    from gxsite.parsing import parse_source
    return parse_source(source).to_json()


def report(record: dict):
    """A JSON record (a test's fixture) as the typed Report the program takes."""
    from gxsite.report import Report
    return Report.from_json(record or {})


def usable(record: dict) -> bool:
    return report(record).usable


def run_single_json(record: dict) -> list[dict]:
    """checks.run_single on a JSON record: its checks as JSON."""
    from gxsite import checks
    return [c.to_json() for c in checks.run_single(report(record))]


def run_corpus_json(records: list[dict]) -> None:
    """checks.run_corpus on JSON records: each record's checks replaced in place, as JSON."""
    from gxsite import checks
    reports = [report(r) for r in records]
    checks.run_corpus(reports)
    for record, typed in zip(records, reports):
        record["checks"] = [c.to_json() for c in typed.checks]


def blank_json(path: str, sha256: str, fmt: str | None) -> dict:
    from gxsite.report import Report
    return Report.blank(path, sha256, fmt).to_json()


def problem_json(code: str, where: str, text: str, message: str = "") -> dict:
    from gxsite.report import Problem
    return Problem(code, where, text, message).to_json()


def gold_files() -> list[Path]:
    return sorted(GOLD.glob("*.json"))


def figure_paths(record: dict):
    """(path, value) of every figure of tables A, B and C: requests, reviews, then active."""
    for key, values in record["requests"].items():
        for i, value in enumerate(values):
            yield f"requests.{key}[{i}]", value
    for key, values in record["reviews"].items():
        for i, value in enumerate(values):
            yield f"reviews.{key}[{i}]", value
    for item, fields in record["active"].items():
        for field, value in fields.items():
            yield f"active.{item}.{field}", value


def load_gold(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def seed_site(tmp_path_factory) -> Path:
    """The seed reports built into a temporary site; returns the folder holding content/ and site/."""
    from gxsite.build import build

    out = tmp_path_factory.mktemp("seed-site")
    build(SEEDS, out / "content", out / "site", ROOT / "mkdocs.yml")
    return out


def tree(folder: Path) -> dict[str, bytes]:
    """Every file below a folder by its path from there: two builds compared byte for byte."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def with_pinned_assets(project: Path) -> Path:
    """A project folder (where a test's mkdocs.yml sits) with the pinned browser assets the
    build checks: assets.lock and the installed node_modules/."""
    shutil.copy(ROOT / "assets.lock", project / "assets.lock")
    if not (project / "node_modules").exists():
        (project / "node_modules").symlink_to(ROOT / "node_modules")
    return project


def download(data: Path | dict, name: str) -> str:
    """A download (reports.jsonl, requests.csv, ...) of every province's folder, decompressed
    and joined as one file: a CSV's header once. `data`: a built site's data/ folder, or
    render_site()'s files."""
    import gzip
    import lzma

    from gxsite.site.downloads import EXTENSIONS

    extension = EXTENSIONS[name]
    if isinstance(data, dict):
        parts = [data[path] for path in sorted(data) if path.startswith("data/") and path.endswith(f"/{name}{extension}")]
    else:
        parts = [path.read_bytes() for path in sorted(data.glob(f"*/{name}{extension}"))]
    unpack = lzma.decompress if extension == ".xz" else gzip.decompress
    texts = [unpack(part).decode("utf-8-sig") for part in parts]  # a CSV starts with a BOM, for Excel
    assert texts, f"no {name}{extension} in any folder of data/"
    if name.endswith(".csv"):
        header = texts[0].split("\n", 1)[0] + "\n"
        assert all(text.startswith(header) for text in texts)
        return header + "".join(text[len(header):] for text in texts)
    return "".join(texts)


def forks_during(function, *args):
    """What function(*args) returns, and how many processes it forked (a worker pool forks one per worker)."""
    forks = []
    os.register_at_fork(before=lambda: forks.append(1))  # cannot be removed: it only counts into this list
    result = function(*args)
    count = len(forks)
    forks.append(None)  # later forks of the test run are not this call's
    return result, count
