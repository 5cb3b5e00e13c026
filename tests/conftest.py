"""Shared fixtures: the seed reports and their hand-checked gold figures."""

from __future__ import annotations

import json
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
