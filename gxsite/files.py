"""The build's trees on disk: every file below a folder, and a file hard-linked rather than copied."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator


def walk_files(folder: Path, prefix: str = "") -> Iterator[tuple[str, os.DirEntry]]:
    """(path relative to folder, its DirEntry) for every file below folder. os.scandir,
    not Path.rglob: content/ and site/ hold 10,000s of files, and pathlib took 3-4x longer."""
    try:
        entries = list(os.scandir(folder))
    except (FileNotFoundError, NotADirectoryError):
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            yield from walk_files(Path(entry.path), f"{prefix}{entry.name}/")
        elif entry.is_file():
            yield f"{prefix}{entry.name}", entry


def hard_link(source: Path, target: Path) -> bool:
    """Hard-links source to target; False when the file system will not (another
    device, no hard links): the caller then writes or copies the file instead."""
    try:
        os.link(source, target)
        return True
    except OSError:
        return False
