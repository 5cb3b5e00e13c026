"""Records → every file of content/ (MkDocs' docs_dir), as a pure mapping.

render_site() decides what the site contains; build.py decides how and when
the files are written (only changed files, atomically).
"""

from __future__ import annotations

from collections import defaultdict
from importlib import resources
from pathlib import Path

from . import pages, site


def render_site(records: list[dict], unread: list[dict], project_root: Path) -> dict[str, str | bytes]:
    """relative path under content/ → file contents (str for text, bytes for assets)."""
    files: dict[str, str | bytes] = {}
    by_agency: dict[str, list[dict]] = defaultdict(list)
    for record in records:
        by_agency[record["agency"]["slug"]].append(record)
    for slug, agency_records in sorted(by_agency.items()):
        files[f"agencies/{slug}/index.md"] = pages.agency_page(slug, agency_records)
    files["index.md"] = pages.home_page(by_agency, unread)
    files["unread.md"] = pages.unread_page(unread)
    files[site.PLOTLY_TARGET] = site.plotly_bundle(project_root).read_bytes()
    for item in sorted(resources.files("gxsite").joinpath("assets").iterdir(), key=lambda i: i.name):
        if item.is_file():
            files[f"assets/{item.name}"] = item.read_bytes()
    return files
