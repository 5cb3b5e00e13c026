"""The code version: one hash of the whole package and the lock files.

Every cache key and build stamp includes it, so any change to the code (a
parser module, a page template, an MkDocs hook, a theme override) or to a pinned
dependency makes the next build redo what that code produces. One hash instead
of a hand-kept list of which module shapes which output: such lists were wrong
(an edited hook module left a stale site behind).
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
# What the package is made of: code, templates, theme, assets. Not an editor's swap file.
SOURCE_SUFFIXES = {".py", ".html", ".md", ".xml", ".js", ".css", ".json", ".txt", ".svg"}
# Beside the package in the project: the pinned Python packages and browser assets.
LOCK_FILES = ("requirements.lock", "package-lock.json", "assets.lock")


def tree_hash(package: Path, lock_dir: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in package.rglob("*") if p.is_file() and p.suffix in SOURCE_SUFFIXES
                       and not p.name.startswith(".") and "__pycache__" not in p.parts):
        digest.update(path.relative_to(package).as_posix().encode("utf-8", "surrogatepass") + b"\0")
        digest.update(path.read_bytes() + b"\0")
    for name in LOCK_FILES:
        lock = lock_dir / name
        digest.update(name.encode() + b"\0" + (lock.read_bytes() if lock.is_file() else b"absent") + b"\0")
    return digest.hexdigest()


@functools.cache
def code_version() -> str:
    """The hash of this package's files and the project's lock files, made once per process."""
    return tree_hash(PACKAGE, PACKAGE.parent)
