"""content/ → site/: MkDocs through its public interface, then the search index.

MkDocs is loaded with load_config() and run with mkdocs.commands.build.build(),
as `mkdocs build` does; everything it does for the site is in mkdocs.yml (the
theme, its template overrides in theme/, the hook that puts the pages' tables
back). A full build runs one such build per worker, each on a share of the pages
(run_mkdocs), chosen in MkDocs' documented `files` plugin event. The search index
is Pagefind's, written beside (see search_index()).
"""

from __future__ import annotations

import contextlib
import glob
import gzip
import hashlib
import html
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zlib
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator
from urllib.parse import quote

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import InclusionLevel

from gxsite import parallel
from gxsite.files import walk_files
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
    # MkDocs stamps pages' update dates with the build date unless SOURCE_DATE_EPOCH is
    # set; the build passes a date taken from the reports so two builds of the same
    # input are byte-identical (sitemap() is given the same date).
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
               stage=None, dirty: bool = False, workers: int = 1) -> None:
    """`mkdocs build` of content_dir into site_dir with config_file; with `dirty`, `mkdocs build
    --dirty`: only the pages whose source is newer than their output in site_dir, or have none.

    MkDocs builds one page after another. A full build with more than one worker is split
    in shards over the workers, one `mkdocs build` each: a shard builds its share of the bulk
    pages (every agency and region page, every page of a rule's list: see in_bulk) and all
    the other pages, which the navigation needs; shard 0 also copies the static files. The
    shards' bulk pages are then moved into site_dir. Every page is the one a single build
    makes (a test compares them): every shard knows every file, and the navigation is the
    five pages of mkdocs.yml. No shard sees every page, so gxsite writes the sitemap
    (sitemap()), not the theme."""
    with _source_date(source_date_epoch):
        pages = sorted(relative for relative, _ in walk_files(content_dir) if relative.endswith(".md"))
        bulk = sum(1 for page in pages if in_bulk(page))
        shards = 1 if dirty else max(1, min(workers, bulk // SHARD_PAGES))
        # One shard counts its pages as it writes them; shards in other processes, when each ends.
        counter = stage if shards == 1 else None
        jobs = [(config_file, content_dir, _shard_site(site_dir, shard), shard, shards, dirty, counter)
                for shard in range(shards)]
        _remove_shard_sites(site_dir)  # a build killed while its shards ran left them
        try:
            for shard, (address, built) in enumerate(parallel.map(_build_shard, jobs, workers=shards, items=bulk,
                                                                  start="fork")):
                if counter is None and stage is not None:
                    stage.advance(len(built) + (len(pages) - bulk if shard == 0 else 0))
                if shard:
                    _move_pages(_shard_site(site_dir, shard), built, site_dir)
        finally:
            # A failed shard leaves nothing beside the site (the build removes site_dir itself).
            _remove_shard_sites(site_dir)
        sitemap(address, site_dir, pages, source_date_epoch)


# Bulk pages a shard is worth starting for: below this, one build is as quick.
SHARD_PAGES = 200


def in_bulk(page: str) -> bool:
    """The pages split among shards: agencies/, regions/ and the pages of a rule's list
    (checks/<rule>/…). Pages link to them, by address or by Markdown file: a link to another
    shard's page resolves all the same (see _Shard)."""
    return page.startswith(("agencies/", "regions/")) or page.count("/") >= 2 and page.startswith("checks/")


def _shard_site(site_dir: Path, shard: int) -> Path:
    return site_dir if shard == 0 else site_dir.parent / f".{site_dir.name}.shard{shard}"


def _remove_shard_sites(site_dir: Path) -> None:
    for folder in site_dir.parent.glob(f".{glob.escape(site_dir.name)}.shard*"):
        shutil.rmtree(folder, ignore_errors=True)


def _build_shard(job: tuple) -> tuple[str, list[str]]:
    """One shard's `mkdocs build`: (the site's address, mkdocs.yml site_url; the site files of
    its bulk pages, from the site's root)."""
    config_file, content_dir, site_dir, shard, shards, dirty, counter = job
    config = load_config(str(config_file), docs_dir=str(content_dir.resolve()), site_dir=str(site_dir.resolve()))
    share = _Shard(shard, shards)
    config.plugins["gxsite-shard"] = share
    if counter is not None:
        config.plugins["gxsite-progress"] = _PageCounter(counter)
    quiet = _DirtyWarning()
    logging.getLogger("mkdocs.commands.build").addFilter(quiet)
    config.plugins.on_startup(command="build", dirty=dirty)
    try:
        mkdocs_build(config, dirty=dirty)
    finally:
        config.plugins.on_shutdown()
        logging.getLogger("mkdocs.commands.build").removeFilter(quiet)
    return config.site_url or "", share.built


class _Shard(BasePlugin):
    """A shard's part of the site, set in MkDocs' documented `files` event: the other shards'
    bulk pages, and in every shard but the first the static files, are marked excluded (not
    built, not copied), so that a link to them still resolves as in one build. A bulk page's
    shard is a hash of its path: it does not depend on which other pages exist."""

    def __init__(self, shard: int, shards: int):
        super().__init__()
        self.shard, self.shards = shard, shards
        self.built: list[str] = []

    def on_files(self, files, config):
        for file in files:
            if not file.is_documentation_page():
                if self.shard:
                    file.inclusion = InclusionLevel.EXCLUDED
            elif in_bulk(file.src_uri):
                if zlib.crc32(file.src_uri.encode("utf-8", "surrogatepass")) % self.shards == self.shard:
                    self.built.append(file.dest_uri)
                else:
                    file.inclusion = InclusionLevel.EXCLUDED
        return files


def _move_pages(shard_site: Path, built: list[str], site_dir: Path) -> None:
    """A shard's bulk pages into the site (its copies of the other pages, which shard 0 built
    the same, are removed with the shard's folder)."""
    for relative in built:
        target = site_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(shard_site / relative, target)


def page_url(page: str) -> str:
    """The address of a page of content/ from the site's root (use_directory_urls): '' for
    index.md, 'about/' for about.md, 'agencies/x/' for agencies/x/index.md."""
    return site_output(page).removesuffix("index.html")


def site_output(relative: str) -> str:
    """The file of site/ that MkDocs makes of a file of content/ (use_directory_urls): a page's
    index.html, a page part's page's; any other file is copied as it is."""
    if relative.endswith(".parts.html"):
        relative = relative.removesuffix(".parts.html") + ".md"
    if not relative.endswith(".md"):
        return relative
    folder, _, name = relative.removesuffix(".md").rpartition("/")
    page = folder if name == "index" else f"{folder}/{name}".lstrip("/")
    return f"{page}/index.html".lstrip("/")


def sitemap(address: str, site_dir: Path, pages: list[str], epoch: int) -> None:
    """sitemap.xml and sitemap.xml.gz of every page, sorted by address, in the format, with the
    dates and the gzip header MkDocs wrote, when the site has an address (mkdocs.yml site_url);
    without one a sitemap could only list wrong addresses, and none is written
    (theme/sitemap.xml leaves MkDocs' own empty, so it writes none)."""
    if not address:
        return
    day = datetime.fromtimestamp(epoch, tz=timezone.utc).date().isoformat()
    entries = "".join(f"\n    <url>\n         <loc>{html.escape(address + quote(page_url(page)))}</loc>\n"
                      f"         <lastmod>{day}</lastmod>\n    </url>" for page in sorted(pages, key=page_url))
    xml = ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
           f"{entries}\n</urlset>").encode("utf-8")
    (site_dir / "sitemap.xml").write_bytes(xml)
    with open(site_dir / "sitemap.xml.gz", "wb") as out, gzip.GzipFile(fileobj=out, filename=str(site_dir / "sitemap.xml.gz"),
                                                                     mode="wb", mtime=epoch) as packed:
        packed.write(xml)


@dataclass(frozen=True)
class SearchEntry:
    """What the search knows of one agency page: its address from the site's root, its name,
    and the text a query is matched against (name, pinyin, place, years, latest figures)."""
    url: str
    title: str
    text: str


def search_key(entries: list[SearchEntry]) -> str:
    """A hash of what Pagefind indexes: equal keys, the same index (its output is deterministic)."""
    digest = hashlib.sha256()
    for entry in entries:
        digest.update(f"{entry.url}\0{entry.title}\0{entry.text}\0".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


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
