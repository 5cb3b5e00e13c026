"""The record cache: a parsed-and-checked record per report file, reused across builds.

An entry is keyed by the file's content hash, the path shown for it (the record
holds that path) and PARSER_VERSION. PARSER_VERSION is a hash of the source of
every module the parse stage can depend on, computed at import, so any change to
parser or checks code invalidates the cache without anybody remembering to bump
a number.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from importlib import metadata
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent

# Modules that only render or orchestrate: they never touch a record's figures,
# so editing them must not throw away every parsed record. Every other file in
# the package (including parser modules added later) counts as parser code.
_NOT_PARSER = {
    "build.py", "cache.py", "cli.py", "content.py", "pages.py", "charts.py",
    "markup.py", "progress.py", "site.py", "__main__.py",
}
_NOT_PARSER_DIRS = {"assets", "templates", "__pycache__"}
# Libraries whose behaviour shapes a record (HTML parsing, decoding, conversion).
_PARSER_LIBRARIES = ["beautifulsoup4", "lxml", "charset-normalizer", "OpenCC", "jieba", "pypinyin"]


def _parser_files() -> list[Path]:
    files = []
    for path in sorted(_PACKAGE.rglob("*")):
        relative = path.relative_to(_PACKAGE)
        if not path.is_file() or relative.parts[0] in _NOT_PARSER_DIRS or path.suffix == ".pyc":
            continue
        if len(relative.parts) == 1 and path.name in _NOT_PARSER:
            continue
        files.append(path)
    return files


def _library_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "absent"


def parser_version() -> str:
    digest = hashlib.sha256()
    for path in _parser_files():
        digest.update(path.relative_to(_PACKAGE).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    for name in _PARSER_LIBRARIES:
        digest.update(f"{name}=={_library_version(name)}\0".encode())
    return digest.hexdigest()[:16]


PARSER_VERSION = parser_version()


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class RecordCache:
    """Records on disk under root/records/<PARSER_VERSION>/; older versions are pruned."""

    def __init__(self, root: Path, version: str = PARSER_VERSION):
        self.root = Path(root)
        self.version = version
        self.folder = self.root / "records" / version

    def _entry(self, sha256: str, shown_path: str) -> Path:
        path_hash = hashlib.sha256(shown_path.encode("utf-8", "surrogatepass")).hexdigest()[:16]
        return self.folder / sha256[:2] / f"{sha256}-{path_hash}.json"

    def get(self, sha256: str, shown_path: str) -> dict | None:
        try:
            data = self._entry(sha256, shown_path).read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        try:
            return json.loads(data)
        except json.JSONDecodeError:
            # A torn write from a killed build: parse the file again.
            return None

    def put(self, sha256: str, shown_path: str, record: dict) -> None:
        target = self._entry(sha256, shown_path)
        target.parent.mkdir(parents=True, exist_ok=True)
        # Write then rename, so a reader never sees half an entry.
        handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(record, out, ensure_ascii=False)
        os.replace(temporary, target)

    def prune_other_versions(self) -> None:
        parent = self.root / "records"
        if not parent.is_dir():
            return
        for child in parent.iterdir():
            if child.name != self.version and child.is_dir():
                shutil.rmtree(child, ignore_errors=True)

    def stamp_file(self, site_dir: Path) -> Path:
        key = hashlib.sha256(str(Path(site_dir).resolve()).encode("utf-8", "surrogatepass")).hexdigest()[:16]
        return self.root / "sites" / f"{key}.stamp"

    def site_stamp(self, site_dir: Path) -> str | None:
        try:
            return self.stamp_file(site_dir).read_text(encoding="utf-8")
        except FileNotFoundError:
            return None

    def set_site_stamp(self, site_dir: Path, fingerprint: str) -> None:
        target = self.stamp_file(site_dir)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(fingerprint, encoding="utf-8")
