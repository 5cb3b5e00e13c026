"""content/ → site/: MkDocs through its public interface, then the search index.

MkDocs is loaded with load_config() and run with mkdocs.commands.build.build(),
as `mkdocs build` does; everything it does for the site is in mkdocs.yml (the
theme, its template overrides in theme/, the hook that puts the pages' tables
back). The search index is Pagefind's, written beside (see search_index()).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from dataclasses import dataclass
from typing import Iterator

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.plugins import BasePlugin
from pagefind.index import IndexConfig, PagefindIndex

PLOTLY_TARGET = "assets/vendor/plotly.min.js"
# The pinned browser assets: sha256sum's format, `<sha256>  <path from the project root>`.
ASSETS_LOCK = "assets.lock"


class SiteToolFailed(RuntimeError):
    """What the site stage needs outside Python failed: a pinned browser asset is absent or
    not the pinned file, or the search indexer failed."""


def plotly_bundle(project_root: Path) -> Path:
    """The plotly.js bundle the site serves (npm's plotly.js-basic-dist-min, which `make`
    installs), checked against its hash in assets.lock: the site never serves a file
    nobody pinned, and never the 4.8 MB full bundle by accident."""
    lock = project_root / ASSETS_LOCK
    digest, relative = lock.read_text(encoding="utf-8").split(maxsplit=1)
    bundle = project_root / relative.strip().lstrip("*")
    if not bundle.is_file():
        raise SiteToolFailed(f"{bundle} is missing: run `make assets` (npm installs the pinned plotly.js bundle)")
    if hashlib.sha256(bundle.read_bytes()).hexdigest() != digest:
        raise SiteToolFailed(f"{bundle} is not the bundle pinned in {lock}: run `make assets`")
    return bundle


class _PageCounter(BasePlugin):
    """Advances a progress stage once per page written."""

    def __init__(self, stage):
        super().__init__()
        self.stage = stage

    def on_post_page(self, output, **kwargs):
        self.stage.advance()
        return output


@contextlib.contextmanager
def _source_date(epoch: int) -> Iterator[None]:
    # MkDocs stamps sitemap.xml (and the gzip header of sitemap.xml.gz) with the
    # build date unless SOURCE_DATE_EPOCH is set; the build passes a date taken
    # from the reports so two builds of the same input are byte-identical.
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield
    finally:
        if previous is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous


def run_mkdocs(config_file: Path, content_dir: Path, site_dir: Path, *, source_date_epoch: int = 0,
               stage=None) -> None:
    """`mkdocs build` of content_dir into site_dir with config_file."""
    config = load_config(str(config_file), docs_dir=str(content_dir.resolve()), site_dir=str(site_dir.resolve()))
    if stage is not None:
        config.plugins["gxsite-progress"] = _PageCounter(stage)
    with _source_date(source_date_epoch):
        config.plugins.on_startup(command="build", dirty=False)
        try:
            mkdocs_build(config)
        finally:
            config.plugins.on_shutdown()


@dataclass(frozen=True)
class SearchEntry:
    """What the search knows of one agency page: its address from the site's root, its name,
    and the text a query is matched against (name, pinyin, place, years, latest figures)."""
    url: str
    title: str
    text: str


def search_index(site_dir: Path, entries: list[SearchEntry]) -> None:
    """Pagefind's index of the agencies, in site/pagefind/: split into small fragments so that
    one query loads a few of them, not an index of every agency (see README, Search). Built
    from the records' words through Pagefind's indexing API, not by parsing the built pages:
    reading 2,700 agency pages of tables took Pagefind 5 s at 10,000 reports."""
    try:
        # In a thread of its own: the caller may be running an event loop (asyncio.run refuses then).
        with ThreadPoolExecutor(1) as thread:
            thread.submit(asyncio.run, _write_index(site_dir / "pagefind", entries)).result()
    except Exception as error:  # the service reports its failures as several exception types
        raise SiteToolFailed(f"the search index (pagefind) failed: {error}") from error


async def _write_index(output: Path, entries: list[SearchEntry]) -> None:
    async with PagefindIndex(IndexConfig(force_language="zh", output_path=str(output))) as index:
        for entry in entries:
            await index.add_custom_record(url=entry.url, content=entry.text, language="zh",
                                          meta={"title": entry.title})


def config_fingerprint(config_file: Path) -> str:
    """A hash of the MkDocs configuration and of the environment variables its !ENV tags read
    (the site's address, the feedback form): with the code version, what decides site/ besides content/."""
    text = config_file.read_text(encoding="utf-8")
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass") + b"\0")
    for tag in re.findall(r"!ENV\s*(\[[^\]]*\]|\S+)", text):
        for name in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", tag):
            digest.update(f"${name}={os.environ.get(name)}\0".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()
