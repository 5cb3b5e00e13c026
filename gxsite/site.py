"""content/ → site/: the site's own static assets and the MkDocs build."""

from __future__ import annotations

import contextlib
import hashlib
import os
from importlib import metadata, resources
from pathlib import Path
from typing import Iterator

import yaml
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.plugins import BasePlugin

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
    config = load_config(str(config_file), docs_dir=str(content_dir.resolve()), site_dir=str(site_dir.resolve()))
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
    digest.update(Path(__file__).read_bytes())
    for path in _config_inputs(config_file):
        digest.update(path.relative_to(config_file.parent).as_posix().encode("utf-8", "surrogatepass") + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()
