"""The build's output folders: who may write them, and how they are replaced whole.

content/ and site/ are staged beside their targets and swapped in together only when
every stage succeeded; a build killed mid-swap is recovered by the next; one build at a
time writes into an output; folders that overlap the reports, the project or each
other are refused before anything is touched; and the pages of the site on disk that a
build leaves as they were are carried into the staged site by hard link.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import shutil
from pathlib import Path

from gxsite.files import hard_link, walk_files
from gxsite.site.mkdocs_site import site_output


def staging_path(target: Path) -> Path:
    return target.parent / f".{target.name}.staging"


def _old_path(target: Path) -> Path:
    return target.parent / f".{target.name}.old"


def recover(target: Path) -> None:
    """A build killed in the middle of a swap leaves the old tree set aside: put it back."""
    old = _old_path(target)
    if old.is_dir() and not old.is_symlink() and not target.exists():
        os.rename(old, target)
    elif old.is_dir() and not old.is_symlink():
        shutil.rmtree(old)
    elif old.exists() or old.is_symlink():
        old.unlink()


def swap_pair(pairs: list[tuple[Path, Path]]) -> None:
    """Replace each target by its staging tree, content/ and site/ together: the old trees are
    set aside first (which also proves the folders can be renamed), then the new ones moved
    in; on any failure every move is undone, so the old pair stays, never half of each. The
    old trees are removed only once both new ones are in place."""
    set_aside: list[Path] = []
    placed: list[tuple[Path, Path]] = []
    try:
        for _, target in pairs:
            if target.exists():
                os.rename(target, _old_path(target))
                set_aside.append(target)
        for staging, target in pairs:
            os.rename(staging, target)
            placed.append((staging, target))
    except OSError:
        for staging, target in reversed(placed):
            os.rename(target, staging)
        for target in reversed(set_aside):
            os.rename(_old_path(target), target)
        raise
    for target in set_aside:
        shutil.rmtree(_old_path(target), ignore_errors=True)


def tree_state(folder: Path) -> str:
    """Names, sizes and modification times of every file: cheap, and changes
    when anybody edits or deletes a file of the built site by hand."""
    digest = hashlib.sha256()
    for relative, entry in sorted(walk_files(folder)):
        info = entry.stat()
        digest.update(f"{relative}\0{info.st_size}\0{info.st_mtime_ns}\0".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


class FolderConflict(ValueError):
    """The folders named for a build overlap: building would delete or read what it must not."""


def folder_conflict(reports_dir: Path, content_dir: Path, site_dir: Path, cache_dir: Path | None,
                    project_root: Path) -> str | None:
    """Why these folders cannot be built with, or None.

    A build replaces content/ and site/ whole and prunes the cache, so none of
    them may be, hold or lie inside the reports folder, each other, or the
    project (the folder of mkdocs.yml); and the reports folder must not hold the
    build's own output, which the next build would read as reports."""
    def real(path: Path) -> Path:
        return Path(os.path.realpath(path))

    reports, root = real(reports_dir), real(project_root)
    outputs = [("--content", real(content_dir)), ("--site", real(site_dir))]
    if cache_dir is not None:
        outputs.append(("--cache", real(cache_dir)))
    for option, folder in outputs:
        if folder == reports or reports in folder.parents or folder in reports.parents:
            return f"{option} {folder} overlaps the reports folder {reports}: the build would replace or read it"
        if folder == root or folder in root.parents:
            return f"{option} {folder} overlaps the project folder {root}: the build would replace it"
    for i, (option, folder) in enumerate(outputs):
        for other_option, other in outputs[i + 1:]:
            if folder == other or folder in other.parents or other in folder.parents:
                return f"{option} {folder} and {other_option} {other} overlap: one would replace the other"
    for option, folder, marks in (("--content", outputs[0][1], ("index.md", "unread.md", "about.md", "agencies")),
                                  ("--site", outputs[1][1], ("index.html", "404.html", "sitemap.xml", "search"))):
        if not _replaceable(folder, marks):
            return (f"{option} {folder} holds files that are not a gxsite build: the build would replace them "
                    f"(name an empty or new folder, or an earlier build's)")
    return None


def _replaceable(folder: Path, marks: tuple[str, ...]) -> bool:
    """Whether the build may replace `folder`: it does not exist, holds only hidden files (a
    .gitignore), or holds an earlier build (two of its `marks`, so that a build edited by hand
    still counts). `--site .git` or `--site gxsite` would have been swapped out and deleted."""
    try:
        names = {entry.name for entry in os.scandir(folder)}
    except FileNotFoundError:
        return True
    except NotADirectoryError:
        return False
    except OSError:
        return True  # unreadable: the swap fails on it and says so, deleting nothing
    return all(name.startswith(".") for name in names) or sum(mark in names for mark in marks) >= 2


class BuildRunning(RuntimeError):
    """Another build is writing into the same output."""


@contextlib.contextmanager
def one_build_at_a_time(site_dir: Path):
    """Two builds into one output swapped each other's trees and failed with tracebacks: a
    build holds an exclusive lock beside site/ (.site.lock) while it runs; the kernel
    releases it when the build ends, however it ends."""
    lock = site_dir.parent / f".{site_dir.name}.lock"
    lock.parent.mkdir(parents=True, exist_ok=True)
    with open(lock, "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildRunning(f"another gxsite build is writing into {site_dir}; wait for it to end") from None
        yield


# What every build writes afresh (MkDocs' 404 page, gxsite's sitemap; the search index too): never carried over.
_REBUILT = ("404.html", "sitemap.xml", "sitemap.xml.gz")


def carry_over_site(site_dir: Path, staging: Path, changed: list[str], keep_search: bool = False) -> None:
    """Hard-link into `staging` every file of the built site that this build leaves as it was:
    all but what the changed or removed content files make, what MkDocs writes on every build,
    and the search index unless `keep_search` (no agency's search entry changed). MkDocs' dirty build (`mkdocs build --dirty`) then builds only the
    pages whose sources are newer than their output, or have none: the changed ones. A carried-over
    file is never written to (MkDocs writes only the outputs left out here), so the site on disk
    stays as it is until the swap."""
    skip = {site_output(relative) for relative in changed} | set(_REBUILT)
    for relative, _ in walk_files(site_dir):
        if relative in skip or (relative.startswith("pagefind/") and not keep_search):
            continue
        target = staging / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if not hard_link(site_dir / relative, target):
            shutil.copy2(site_dir / relative, target)
