"""The whole build: read every report, parse, check, then render, then MkDocs."""

from __future__ import annotations

import shutil
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from . import pages, site
from . import record as rec
from .parsing import parse_file
from .slugs import agency_slug


@dataclass
class BuildResult:
    files: int = 0
    records: list[dict] = field(default_factory=list)
    unread: list[dict] = field(default_factory=list)

    def summary(self) -> str:
        return f"gxsite: {self.files} files read, {len(self.records)} records parsed, {len(self.unread)} files could not be read"


def report_files(reports_dir: Path) -> list[Path]:
    return sorted((p for p in reports_dir.rglob("*") if p.is_file() and not p.name.startswith(".")), key=lambda p: p.as_posix())


def read_reports(reports_dir: Path) -> BuildResult:
    result = BuildResult()
    for path in report_files(reports_dir):
        result.files += 1
        record = parse_file(path, path.as_posix())
        record["agency"]["slug"] = agency_slug(record["agency"]["name"], record["source"]["path"])
        (result.records if rec.is_usable(record) else result.unread).append(record)
    return result


def write_content(result: BuildResult, content_dir: Path, project_root: Path) -> None:
    if content_dir.exists():
        shutil.rmtree(content_dir)
    content_dir.mkdir(parents=True)
    by_agency: dict[str, list[dict]] = defaultdict(list)
    for record in result.records:
        by_agency[record["agency"]["slug"]].append(record)
    for slug, records in by_agency.items():
        page = content_dir / "agencies" / slug / "index.md"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(pages.agency_page(slug, records), encoding="utf-8")
    (content_dir / "index.md").write_text(pages.home_page(by_agency, result.unread), encoding="utf-8")
    (content_dir / "unread.md").write_text(pages.unread_page(result.unread), encoding="utf-8")
    site.write_assets(content_dir, project_root)


def build(reports_dir: Path, content_dir: Path, site_dir: Path, config_file: Path) -> BuildResult:
    result = read_reports(reports_dir)
    write_content(result, content_dir, config_file.parent)
    site.run_mkdocs(config_file, content_dir, site_dir)
    return result
