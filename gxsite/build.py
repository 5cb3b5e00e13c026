"""The whole build: read every report, parse, check, then render, then MkDocs."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from . import checks, site
from .content import render_site
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
        record["checks"] = checks.run_single(record)
        (result.records if rec.is_usable(record) else result.unread).append(record)
    checks.run_corpus(result.records)
    return result


def write_content(result: BuildResult, content_dir: Path, project_root: Path) -> None:
    if content_dir.exists():
        shutil.rmtree(content_dir)
    for relative, data in render_site(result.records, result.unread, project_root).items():
        target = content_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, str):
            target.write_text(data, encoding="utf-8")
        else:
            target.write_bytes(data)


def build(reports_dir: Path, content_dir: Path, site_dir: Path, config_file: Path) -> BuildResult:
    result = read_reports(reports_dir)
    write_content(result, content_dir, config_file.parent)
    site.run_mkdocs(config_file, content_dir, site_dir)
    return result
