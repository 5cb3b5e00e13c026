"""content/ → site/: MkDocs through its public interface, then the search index.

MkDocs is loaded with load_config() and run with mkdocs.commands.build.build(),
as `mkdocs build` does; everything it does for the site is in mkdocs.yml (the
theme, its template overrides in theme/, the hook that puts the pages' tables
back). The search index is Pagefind's, written beside (see search_index()).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.plugins import BasePlugin

from gxsite.site.markup import text

PLOTLY_TARGET = "assets/vendor/plotly.min.js"
# The pinned browser assets: sha256sum's format, `<sha256>  <path from the project root>`.
ASSETS_LOCK = "assets.lock"


class SiteToolFailed(RuntimeError):
    """What the site stage needs outside Python failed: a pinned browser asset is absent or
    not the pinned file, or the search indexer failed."""


def pinned_file(project_root: Path, relative: str) -> Path:
    """A file npm installs (`make assets`), checked against its hash in assets.lock: the site
    never serves or reads a file nobody pinned."""
    lock = project_root / ASSETS_LOCK
    if not lock.is_file():
        raise SiteToolFailed(f"{lock} is missing: it pins the files npm installs for the site")
    pins = {}
    for line in lock.read_text(encoding="utf-8").splitlines():
        if line.strip():
            digest, path = line.split(maxsplit=1)
            pins[path.strip().lstrip("*")] = digest
    if relative not in pins:
        raise SiteToolFailed(f"{relative} is not pinned in {lock}")
    path = project_root / relative
    if not path.is_file():
        raise SiteToolFailed(f"{path} is missing: run `make assets` (npm installs the pinned files)")
    if hashlib.sha256(path.read_bytes()).hexdigest() != pins[relative]:
        raise SiteToolFailed(f"{path} is not the file pinned in {lock}: run `make assets`")
    return path


PLOTLY_SOURCE = "node_modules/plotly.js-basic-dist-min/plotly-basic.min.js"


def plotly_bundle(project_root: Path) -> Path:
    """The plotly.js bundle the site serves (npm's plotly.js-basic-dist-min): never the 4.8 MB
    full bundle by accident."""
    return pinned_file(project_root, PLOTLY_SOURCE)


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


class _DirtyWarning(logging.Filter):
    """MkDocs warns that a dirty build may leave navigation out of date: true of a site whose
    pages list each other, not of this one, whose nav is five fixed pages (mkdocs.yml)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "'dirty' build" not in record.getMessage()


def run_mkdocs(config_file: Path, content_dir: Path, site_dir: Path, *, source_date_epoch: int = 0,
               stage=None, dirty: bool = False) -> None:
    """`mkdocs build` of content_dir into site_dir with config_file; with `dirty`, `mkdocs build
    --dirty`: only the pages whose source is newer than their output in site_dir, or have none."""
    config = load_config(str(config_file), docs_dir=str(content_dir.resolve()), site_dir=str(site_dir.resolve()))
    if stage is not None:
        config.plugins["gxsite-progress"] = _PageCounter(stage)
    quiet = _DirtyWarning()
    logging.getLogger("mkdocs.commands.build").addFilter(quiet)
    with _source_date(source_date_epoch):
        config.plugins.on_startup(command="build", dirty=dirty)
        try:
            mkdocs_build(config, dirty=dirty)
        finally:
            config.plugins.on_shutdown()
            logging.getLogger("mkdocs.commands.build").removeFilter(quiet)


@dataclass(frozen=True)
class SearchEntry:
    """What the search knows of one agency page: its address from the site's root, its name,
    and the text a query is matched against (name, pinyin, place, years, latest figures)."""
    url: str
    title: str
    text: str


def search_index(site_dir: Path, entries: list[SearchEntry]) -> None:
    """Pagefind's index of the agencies, in site/pagefind/: split into small fragments so that
    one query loads a few of them, not an index of every agency (see README, Search).

    Pagefind reads each entry as a page of one heading and one paragraph, written beside the
    site for the purpose: reading the built agency pages, tables and all, took it 5.3 s at
    10,000 reports for the three sentences it indexes of each (and its Python service API
    took 10 s for 100 records). With no agency there is nothing to search (Pagefind refuses
    an empty index); the search page then says that no index could be loaded."""
    if not entries:
        return
    # Inside the site being built, which the build removes however it ends.
    with tempfile.TemporaryDirectory(prefix=".search-pages-", dir=site_dir) as folder:
        for entry in entries:
            page = Path(folder) / entry.url.strip("/") / "index.html"
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text(f'<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>{text(entry.title)}'
                            f'</title></head><body><h1 data-pagefind-meta="title" data-pagefind-ignore>{text(entry.title)}</h1>'
                            f'<p>{text(entry.text)}</p></body></html>',
                            encoding="utf-8")
        command = [sys.executable, "-m", "pagefind", "--site", folder, "--output-path", str(site_dir / "pagefind"),
                   "--force-language", "zh", "--quiet"]
        done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise SiteToolFailed(f"the search index (pagefind) failed ({done.returncode}): "
                             f"{done.stderr.strip() or done.stdout.strip()}")


def config_fingerprint(config_file: Path) -> str:
    """A hash of the MkDocs configuration and of the environment variables its !ENV tags read
    (the site's address, the feedback form): with the code version, what decides site/ besides content/."""
    text = config_file.read_text(encoding="utf-8")
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass") + b"\0")
    for tag in re.findall(r"!ENV\s*(\[[^\]]*\]|\S+)", text):
        for name in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", tag):
            digest.update(f"${name}={os.environ.get(name)}\0".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()
