"""content/ → site/: the site's own static assets and the MkDocs build."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config

PLOTLY_TARGET = "assets/vendor/plotly.min.js"
_NPM_BUNDLE = Path("node_modules/plotly.js-basic-dist-min/plotly-basic.min.js")


def plotly_bundle(project_root: Path) -> Path:
    """The plotly.js file the site serves: the partial basic bundle from npm when
    `make` installed it, else the full bundle that ships inside the plotly wheel."""
    npm = project_root / _NPM_BUNDLE
    if npm.is_file():
        return npm
    return Path(str(resources.files("plotly") / "package_data" / "plotly.min.js"))


def run_mkdocs(config_file: Path, content_dir: Path, site_dir: Path) -> None:
    config = load_config(str(config_file), docs_dir=str(content_dir.resolve()), site_dir=str(site_dir.resolve()))
    config.plugins.on_startup(command="build", dirty=False)
    try:
        mkdocs_build(config)
    finally:
        config.plugins.on_shutdown()
