"""content/ → site/: the site's own static assets and the MkDocs build."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import multiprocessing
import os
import re
from importlib import metadata, resources
from pathlib import Path
from typing import Iterator

import jinja2
import yaml
from mkdocs.commands.build import _populate_page, get_context
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import InclusionLevel, get_files, set_exclusions
from mkdocs.structure.nav import get_navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from gxsite import collector
from gxsite import jsonio
from gxsite import parallel as workers_mod
from gxsite.cache import Store, hard_link, prune_store_folders
from gxsite.version import code_version
from gxsite.site.page_shell import Shell

PLOTLY_TARGET = "assets/vendor/plotly.min.js"
_NPM_BUNDLE = Path("node_modules/plotly.js-basic-dist-min/plotly-basic.min.js")


def plotly_bundle(project_root: Path) -> Path:
    """The plotly.js file the site serves: the partial basic bundle from npm when
    `make` installed it, else the full bundle that ships inside the plotly wheel."""
    npm = project_root / _NPM_BUNDLE
    if npm.is_file():
        return npm
    return Path(str(resources.files("plotly") / "package_data" / "plotly.min.js"))


class _PageCounter(BasePlugin):
    """Advances a progress stage twice per page: once rendered to HTML, once written."""

    def __init__(self, stage):
        super().__init__()
        self.stage = stage

    def on_page_content(self, html, **kwargs):
        self.stage.advance()
        return html

    def on_post_page(self, output, **kwargs):
        self.stage.advance()
        return output


class _LinkedFiles(BasePlugin):
    """Hard-links content/'s static files (the downloads: ~1 GB at 10,000 reports)
    into site/ instead of copying them. Neither tree is ever changed in place (each
    build writes new files into staging folders), so sharing the bytes is safe."""

    def on_files(self, files, config, **kwargs):
        # A string prefix, not Path.is_relative_to: 10,000 files, and pathlib took 0.5 s.
        docs = os.path.join(os.path.abspath(config.docs_dir), "")
        for file in files:
            if not file.is_documentation_page() and (file.abs_src_path or "").startswith(docs):
                file.copy_file = functools.partial(_link_file, file, file.copy_file)
        return files


def _link_file(file, copy, dirty: bool = False) -> None:
    target = Path(file.abs_dest_path)
    target.parent.mkdir(parents=True, exist_ok=True)
    if not hard_link(Path(file.abs_src_path), target):
        copy(dirty)  # MkDocs' own copy


# ------------------------------------------------------------------ page cache
#
# Most of MkDocs' time goes into three things per page: Markdown → HTML, the
# search plugin cutting that HTML into index entries (jieba segmentation), and
# the theme's template. All three are pure functions of the page's Markdown, its
# place in the site, the navigation, the MkDocs configuration and the build date,
# so they are cached on disk: a full build renders pages on every core first
# (warm_page_cache), then MkDocs assembles the site single-process from the
# cache; a rebuild after one report changed only renders the pages that changed.
# The cached results are exactly what Page.render(), the search index and the
# template would have produced, so cached and uncached builds are byte-identical
# (tests/test_determinism.py builds both ways and compares).

# A page whose finished HTML is in the cache is "rendered" with this template,
# which writes that HTML out unchanged.
CACHED_TEMPLATE = "gxsite-cached-page.html"


def _toc_tokens(items) -> list[dict]:
    return [{"level": i.level, "id": i.id, "name": i.title, "children": _toc_tokens(i.children)} for i in items]


class PageCache:
    """root/pages/<fingerprint>/pages.sqlite3 (a cache.Store): per page, its HTML
    (content, toc), its search entries and its finished output, as JSON. Every put
    is a transaction of its own, so the page workers writing at once wait for each
    other only for a moment."""

    def __init__(self, root: Path, fingerprint: str):
        self.folder = Path(root) / "pages" / fingerprint[:16]
        self.file = self.folder / "pages.sqlite3"
        self._store = Store(self.file, autocommit=True)

    @staticmethod
    def key(*parts: str) -> str:
        digest = hashlib.sha256()
        for part in parts:
            digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
        return digest.hexdigest()

    def get(self, kind: str, key: str):
        value = self._store.get(f"{kind}:{key}")
        try:
            return jsonio.loads(value) if value is not None else None
        except ValueError:
            return None

    def has(self, kind: str, key: str) -> bool:
        return self._store.has(f"{kind}:{key}")

    def put(self, kind: str, key: str, value) -> None:
        self._store.put(f"{kind}:{key}", jsonio.dumps(value))

    def close(self) -> None:
        self._store.close()

    def prune_other_fingerprints(self) -> None:
        prune_store_folders(self.folder)


def _nav_signature(nav) -> str:
    """Titles and URLs of the navigation, which every page's template shows."""
    def items(entries):
        return [[str(e.title), getattr(e, "url", None), items(getattr(e, "children", None) or [])] for e in entries]
    return json.dumps(items(nav.items), ensure_ascii=False)


class _CachedPages(BasePlugin):
    """Serves Page.render(), the search plugin's entries and the finished page from a PageCache."""

    def __init__(self, cache: PageCache):
        super().__init__()
        self.cache = cache
        self.hits = 0
        self.site_key = ""
        self.nav_key = ""
        self.outputs: dict[str, str] = {}  # src_uri → finished HTML from the cache

    def on_files(self, files, **kwargs):
        # A page's HTML depends on which other pages exist (links to missing pages
        # stay unresolved), so the set of files is part of every page's key.
        # Excluded files (the pages' .parts.json) are not part of the site MkDocs builds.
        self.site_key = self.cache.key(*sorted(f.src_uri for f in files if not f.inclusion.is_excluded()))
        return files

    def on_nav(self, nav, **kwargs):
        # The finished page also shows the navigation and the build date.
        self.nav_key = self.cache.key(_nav_signature(nav), os.environ.get("SOURCE_DATE_EPOCH", ""))
        return nav

    def on_pre_build(self, config, **kwargs):
        for plugin in config.plugins.values():
            index = getattr(plugin, "search_index", None)
            if index is not None and hasattr(index, "add_entry_from_context"):
                index.add_entry_from_context = self._cached_entries(index, index.add_entry_from_context)

    def on_env(self, env, **kwargs):
        env.loader = jinja2.ChoiceLoader([jinja2.DictLoader({CACHED_TEMPLATE: "{{ gxsite_cached_page|safe }}"}),
                                          env.loader])
        # Material's templates took ~2 s to compile in every process that renders
        # pages; Jinja keeps the compiled code, checked against the source, on disk.
        bytecode = self.cache.folder / "jinja"
        bytecode.mkdir(parents=True, exist_ok=True)
        env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(bytecode))
        return env

    def on_page_markdown(self, markdown, page, **kwargs):
        # Runs last, just before MkDocs calls page.render(): the Markdown is final.
        page.gxsite_key = self.cache.key(self.site_key, page.file.src_uri, page.url, markdown)
        page.render = self._cached_render(page, page.render)
        return markdown

    def output_key(self, page) -> str:
        return self.cache.key(page.gxsite_key, self.nav_key)

    def _cached_render(self, page, render):
        def cached(config, files):
            done = self.cache.get("page", self.output_key(page))
            if done is not None and self.cache.has("search", page.gxsite_key):
                # The finished page is known: its search entries are cached under
                # the same key, and the template only has to write it out.
                self.hits += 1
                page.content, page.toc = "", get_toc([])
                page._title_from_render = done["title"]
                page.present_anchor_ids = set(done["anchors"])
                page.meta["template"] = CACHED_TEMPLATE
                self.outputs[page.file.src_uri] = done["output"]
                return
            hit = self.cache.get("html", page.gxsite_key)
            if hit is None:
                render(config, files)
                self.cache.put("html", page.gxsite_key, {"content": page.content, "toc": _toc_tokens(page.toc),
                                                         "title": page._title_from_render,
                                                         "anchors": sorted(page.present_anchor_ids or ())})
                return
            self.hits += 1
            page.content = hit["content"]
            page.toc = get_toc(hit["toc"])
            page._title_from_render = hit["title"]
            page.present_anchor_ids = set(hit["anchors"])
        return cached

    def on_page_context(self, context, page, **kwargs):
        if page.file.src_uri in self.outputs:
            context["gxsite_cached_page"] = self.outputs.pop(page.file.src_uri)
        return context

    def _cached_entries(self, index, add_entry):
        def cached(page):
            # Entries are a function of the page's content, title, toc and meta,
            # all of which its key (Markdown, place, site) decides.
            key = getattr(page, "gxsite_key", None)
            hit = self.cache.get("search", key) if key else None
            if hit is None:
                before = len(index.entries)
                add_entry(page)
                if key:
                    self.cache.put("search", key, index.entries[before:])
            else:
                index.entries.extend(hit)
        return cached


def _prepared_config(config_file: Path, content_dir: Path, site_dir: Path, cache: PageCache | None):
    config = load_config(str(config_file), docs_dir=str(content_dir.resolve()), site_dir=str(site_dir.resolve()))
    if cache is not None:
        config.plugins["gxsite-page-cache"] = _CachedPages(cache)
    return config


# One prepared MkDocs per process that renders pages, set up once by _warm_init.
_WORKER: dict = {}


def _warm_init(config_file: str, content_dir: str, site_dir: str, cache: PageCache, epoch: int) -> None:
    # The date MkDocs would stamp (see _source_date), so templates see the same context.
    # (A spawned worker keeps it; the build process sets it back afterwards.)
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    config = _prepared_config(Path(config_file), Path(content_dir), Path(site_dir), cache)
    config.plugins.on_startup(command="build", dirty=False)
    config = config.plugins.on_config(config)
    config.plugins.on_pre_build(config=config)
    files = get_files(config)
    env = config.theme.get_env()
    files.add_files_from_theme(env, config)
    files = config.plugins.on_files(files, config=config)
    set_exclusions(files, config)
    nav = config.plugins.on_nav(get_navigation(files, config), config=config, files=files)
    env = config.plugins.on_env(env, config=config, files=files)
    _WORKER.update(config=config, files=files, nav=nav, env=env, plugin=config.plugins["gxsite-page-cache"],
                   shell=Shell(env),
                   doc_files=files.documentation_pages(inclusion=InclusionLevel.is_included))


def _finish_page(page) -> None:
    """What mkdocs.commands.build._build_page does, up to the template's output,
    which goes into the cache instead of site/."""
    config, nav, env, plugin = _WORKER["config"], _WORKER["nav"], _WORKER["env"], _WORKER["plugin"]
    config._current_page = page
    page.active = True
    try:
        context = get_context(nav, _WORKER["doc_files"], config, page)
        template = env.get_template(page.meta.get("template", "main.html"))
        # Runs the search plugin too, which stores the page's entries in the cache.
        context = config.plugins.on_page_context(context, page=page, config=config, nav=nav)
        output = _WORKER["shell"].render(page, context, template)
    finally:
        page.active = False
        config._current_page = None
    plugin.cache.put("page", plugin.output_key(page), {"output": output, "title": page._title_from_render,
                                                       "anchors": sorted(page.present_anchor_ids or ())})


def _warm_pages(src_uris: list[str]) -> int:
    config, files = _WORKER["config"], _WORKER["files"]
    for uri in src_uris:
        file = files.get_file_from_path(uri)
        if file.page is None:
            Page(None, file, config)
        _populate_page(file.page, config, files)
        if file.page.meta.get("template") != CACHED_TEMPLATE:
            _finish_page(file.page)
        # Done with: a worker keeps no page's HTML once it is cached.
        file.page.content = None
    return len(src_uris)


def warm_page_cache(config_file: Path, content_dir: Path, site_dir: Path, cache: PageCache, pages: list[str],
                    workers: int, stage=None, source_date_epoch: int = 0) -> None:
    """Render the pages (paths under content_dir) not yet in the cache, spread over `workers` processes."""
    chunk = max(1, min(50, len(pages) // (workers * 8) or 1))
    chunks = [pages[i:i + chunk] for i in range(0, len(pages), chunk)]
    if not chunks:
        return
    initargs = (str(config_file), str(content_dir), str(site_dir), cache, source_date_epoch)
    if "fork" not in multiprocessing.get_all_start_methods():
        with workers_mod.pool(workers, "spawn", initializer=_warm_init, initargs=initargs) as pool:
            _advance(stage, pool.map(_warm_pages, chunks))
        return
    # MkDocs is prepared once, here, and the workers are forked from this process.
    # The first chunk is rendered here too, so what its pages load is loaded once and
    # inherited: jieba's dictionary (1.4 s), the compiled templates, the page shell.
    # Spawned workers each did all of that for themselves, both at the same time.
    with _source_date(source_date_epoch):
        try:
            _warm_init(*initargs)
            _advance(stage, [_warm_pages(chunks[0])])
            cache.close()  # the workers open their own
            # Frozen: the workers' collector then leaves the inherited objects' memory
            # pages alone (the build's records, MkDocs' files) instead of copying them.
            with collector.frozen(), \
                    workers_mod.pool(workers, "fork") as pool:
                _advance(stage, pool.map(_warm_pages, chunks[1:]))
        finally:
            _WORKER.clear()


def _advance(stage, counts) -> None:
    for done in counts:
        if stage is not None:
            stage.advance(done)


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
               stage=None, page_cache: PageCache | None = None) -> None:
    config = _prepared_config(config_file, content_dir, site_dir, page_cache)
    config.plugins["gxsite-linked-files"] = _LinkedFiles()
    if stage is not None:
        config.plugins["gxsite-progress"] = _PageCounter(stage)
    with _source_date(source_date_epoch):
        config.plugins.on_startup(command="build", dirty=False)
        try:
            mkdocs_build(config)
        finally:
            config.plugins.on_shutdown()


class _TolerantLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without executing its !!python/name or !ENV tags."""


_TolerantLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def _config_inputs(config_file: Path) -> list[Path]:
    """The files besides content/ that shape MkDocs' output: the config itself,
    theme overrides (custom_dir) and hooks."""
    inputs = [config_file]
    config = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_TolerantLoader) or {}
    base = config_file.parent
    theme = config.get("theme") if isinstance(config.get("theme"), dict) else {}
    custom_dir = theme.get("custom_dir")
    if isinstance(custom_dir, str) and (base / custom_dir).is_dir():
        inputs.extend(sorted(p for p in (base / custom_dir).rglob("*") if p.is_file()))
    for hook in config.get("hooks") or []:
        if isinstance(hook, str) and (base / hook).is_file():
            inputs.append(base / hook)
    return inputs


def mkdocs_fingerprint(config_file: Path) -> str:
    """A hash of everything except content/ that decides what MkDocs writes."""
    digest = hashlib.sha256()
    for name in ("mkdocs", "mkdocs-material", "pymdown-extensions", "Markdown", "jieba"):
        try:
            digest.update(f"{name}=={metadata.version(name)}\0".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name} absent\0".encode())
    digest.update(code_version().encode())
    # !ENV tags make the output depend on environment variables (the site's URL).
    for tag in re.findall(r"!ENV\s*(\[[^\]]*\]|\S+)", config_file.read_text(encoding="utf-8")):
        for name in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", tag):
            digest.update(f"${name}={os.environ.get(name)}\0".encode("utf-8", "surrogatepass"))
    base = config_file.parent
    for path in _config_inputs(config_file):
        name = path.relative_to(base) if path.is_relative_to(base) else path
        digest.update(name.as_posix().encode("utf-8", "surrogatepass") + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()
