"""The reports folder → the files to read: every entry listed, sorted, with why it is not read.

Nothing is dropped silently: a FIFO, a socket, a folder that cannot be listed or a link
that leads outside the folder is listed with a refusal and shown on the unread page.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

# Files that only keep an empty folder in git; they are never reports.
_HOUSEKEEPING = {".gitkeep", ".gitignore"}


def shown_path(reports_dir: Path, path: Path) -> str:
    """The path a record and the site show: the reports folder's name and the
    file's path inside it, independent of where the folder sits on disk. A byte of
    a name that is not valid UTF-8 is shown as \\xNN: two such names stay two paths
    (U+FFFD made \\xff.txt and \\xfe.txt one), and JSON can hold them."""
    return shown(reports_dir.resolve().name, path.relative_to(reports_dir).as_posix())


def shown(folder_name: str, relative: str) -> str:
    # a backslash of the name itself is doubled, so that it never reads as an escaped byte
    return os.fsencode(f"{folder_name}/{relative}").replace(b"\\", b"\\\\").decode("utf-8", "backslashreplace")


def report_files(reports_dir: Path) -> list[Path]:
    """Every entry of the folder that is a report to read, sorted (see entries)."""
    return [path for _, path, refusal in entries(reports_dir) if refusal is None]


# Entries that are listed but never opened, each with why (in Chinese, for the unread page).
_SPECIAL_FILES = ((stat.S_ISFIFO, "命名管道（FIFO），不是文件，未读取"), (stat.S_ISSOCK, "套接字，不是文件，未读取"),
                  (stat.S_ISCHR, "字符设备，不是文件，未读取"), (stat.S_ISBLK, "块设备，不是文件，未读取"))


def entries(reports_dir: Path) -> list[tuple[str, Path, tuple[str, str] | None]]:
    """(path relative to reports_dir, path, refusal) of every entry in the folder and its
    subfolders, sorted. Hidden files count too: a report must not vanish because of its name;
    only .git folders and the .gitkeep/.gitignore files are not reports.

    Only regular files are read (refusal None). Every other entry is listed with a refusal
    (problem code, reason) and never opened, so that nothing is silently dropped and nothing
    blocks: a FIFO, socket or device; a folder that cannot be listed; a link that leads
    outside the reports folder (/etc/passwd), to a folder, or nowhere. os.scandir's entries
    know their type without a stat per file: listing 10,000 files takes 0.1 s."""
    found: list[tuple[str, Path, tuple[str, str] | None]] = []
    root = os.path.realpath(reports_dir)

    def walk(folder: str, prefix: str) -> None:
        try:
            entries = list(os.scandir(folder))
        except OSError as error:
            if not prefix:
                raise  # the reports folder itself: no build, rather than an empty site over a good one
            found.append((prefix.rstrip("/"), Path(folder),
                          ("unlistable-folder", f"文件夹无法列出（{error.strerror}），其中的文件未读取")))
            return
        for entry in entries:
            relative = prefix + entry.name
            if entry.name in _HOUSEKEEPING:
                continue
            if entry.is_symlink():
                found.append((relative, Path(entry.path), _link_refusal(entry.path, root)))
            elif entry.is_dir(follow_symlinks=False):
                if entry.name != ".git":
                    walk(entry.path, relative + "/")
            else:
                found.append((relative, Path(entry.path), _kind_refusal(entry)))

    walk(os.fspath(reports_dir), "")
    return sorted(found, key=lambda item: item[0])


def _kind_refusal(entry: os.DirEntry) -> tuple[str, str] | None:
    try:
        mode = entry.stat(follow_symlinks=False).st_mode
    except OSError as error:
        return ("unreadable-file", f"无法查看文件（{error.strerror}）")
    return _mode_refusal(mode)


def _mode_refusal(mode: int) -> tuple[str, str] | None:
    """None for a regular file; why any other kind of entry is not read."""
    if stat.S_ISREG(mode):
        return None
    return next((("not-a-file", reason) for test, reason in _SPECIAL_FILES if test(mode)),
                ("not-a-file", "不是普通文件，未读取"))


def _link_refusal(path: str, root: str) -> tuple[str, str] | None:
    """A symbolic link is followed only to a regular file inside the reports folder."""
    target = os.path.realpath(path)
    if os.path.commonpath([root, target]) != root:
        return ("outside-link", "链接指向报告文件夹以外的位置，未读取")
    try:
        mode = os.stat(target).st_mode
    except OSError as error:
        return ("dangling-link", f"链接指向的文件不存在或无法访问（{error.strerror}）")
    if stat.S_ISDIR(mode):
        return ("folder-link", "链接指向一个文件夹，未进入（其中的文件不重复读取）")
    return _mode_refusal(mode)
