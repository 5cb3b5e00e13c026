"""The plotly.js bundle the site serves is pinned: by version in package.json and
package-lock.json, and by the file's SHA-256 in assets.lock (sha256sum's format), so
the bundle is the same on every machine, however it was installed."""

from __future__ import annotations

import hashlib
import json
import re

from conftest import ROOT

LOCK = ROOT / "assets.lock"
BUNDLE = "node_modules/plotly.js-basic-dist-min/plotly-basic.min.js"
PACKAGE = "plotly.js-basic-dist-min"


def pinned() -> dict[str, str]:
    """assets.lock: path (relative to the project) → SHA-256, one `<hex>  <path>` per line."""
    entries = {}
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        match = re.fullmatch(r"([0-9a-f]{64}) [ *](\S.*)", line)
        assert match, f"assets.lock: not a sha256sum line: {line!r}"
        entries[match[2]] = match[1]
    return entries


def sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_assets_lock_pins_the_bundle_of_the_version_package_json_pins():
    assert list(pinned()) == [BUNDLE]
    version = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["dependencies"][PACKAGE]
    assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"package.json: {PACKAGE} {version!r} is not an exact version"
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    assert lock["packages"][f"node_modules/{PACKAGE}"]["version"] == version


def test_the_installed_bundle_is_the_pinned_one():
    bundle = ROOT / BUNDLE
    assert bundle.is_file(), f"{BUNDLE} is missing: run `make assets` (needs npm)"
    installed = json.loads((bundle.parent / "package.json").read_text(encoding="utf-8"))["version"]
    assert installed == json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["dependencies"][PACKAGE]
    assert sha256(bundle) == pinned()[BUNDLE], f"{BUNDLE} differs from assets.lock: run `make assets`"


def test_the_site_serves_the_pinned_bundle(seed_site):
    served = seed_site / "site" / "assets" / "vendor" / "plotly.min.js"
    assert sha256(served) == pinned()[BUNDLE]
