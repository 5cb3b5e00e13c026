"""The whole build: read every report, parse, check, then render, then MkDocs.

Stages:
1. read+parse+check: each file → one record (a pure function of the file's bytes
   and its shown path), spread over the machine's cores and cached on disk by
   content hash and parser version;
2. render: records → the files of content/ (content.render_site's, made by
   rendering.render_content: agencies in parallel, unchanged ones reused);
3. MkDocs: content/ → site/.

The build is atomic: content/ and site/ are staged beside their targets and
swapped in only when every stage succeeded, so a failed build leaves the
previous site untouched. It is incremental: unchanged content files are carried
over by hard link, not rewritten, and when neither content/ nor the MkDocs
configuration changed since the site was built, MkDocs does not run at all.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import itertools
import os
import shutil
import stat
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

from gxsite import checks
from gxsite import collector
from gxsite import jsonio
from gxsite.site import mkdocs_site as site
from gxsite import parallel as workers_mod
from gxsite import record as rec
from gxsite.site import charts
from gxsite.cache import RecordCache, hard_link, open_record_cache
from gxsite.version import code_version
from gxsite.parsing import parse_file
from gxsite.progress import Progress
from gxsite.reading.source import sha256_of
from gxsite.site.rendering import Content, existing_files, render_content, walk_files
from gxsite.parsing.slugs import agency_slug

# Files that only keep an empty folder in git; they are never reports.
_HOUSEKEEPING = {".gitkeep", ".gitignore"}


@dataclass
class BuildResult:
    files: int = 0
    records: list[dict] = field(default_factory=list)
    unread: list[dict] = field(default_factory=list)
    parsed: int = 0  # files parsed this build (not taken from the cache)
    written: list[str] = field(default_factory=list)  # content files new or changed
    removed: list[str] = field(default_factory=list)  # content files no longer produced
    mkdocs_ran: bool = False
    rendered: bool = False  # False when nothing changed since the last build and rendering was skipped
    agencies_rendered: int = 0  # agencies whose files were rendered (the others were reused)
    inputs: str = ""  # hash of every file's shown path and content, and the parser version
    timings: dict[str, float] = field(default_factory=dict)
    # Shown paths of the records kept without their sources (slim): the record cache holds them whole.
    slimmed: set[str] = field(default_factory=set)

    def failures(self) -> list[tuple[dict, dict]]:
        """(record, check) for every error-severity rule broken by figures read with certainty."""
        return [(record, check) for record in self.records for check in record.get("checks", [])
                if check.get("severity") == "error" and check.get("status") == "fail"]

    def failing_reports(self) -> int:
        return len({id(record) for record, _ in self.failures()})

    def summary(self) -> str:
        return (f"gxsite: {self.files} files read, {len(self.records)} records parsed, "
                f"{len(self.unread)} files could not be read, "
                f"{self.failing_reports()} reports fail error-level checks")


# ---------------------------------------------------------------- stage 1: parse

def shown_path(reports_dir: Path, path: Path) -> str:
    """The path a record and the site show: the reports folder's name and the
    file's path inside it, independent of where the folder sits on disk. A byte of
    a name that is not valid UTF-8 is shown as \\xNN: two such names stay two paths
    (U+FFFD made \\xff.txt and \\xfe.txt one), and JSON can hold them."""
    return _shown(reports_dir.resolve().name, path.relative_to(reports_dir).as_posix())


def _shown(folder_name: str, relative: str) -> str:
    # a backslash of the name itself is doubled, so that it never reads as an escaped byte
    return os.fsencode(f"{folder_name}/{relative}").replace(b"\\", b"\\\\").decode("utf-8", "backslashreplace")


def report_files(reports_dir: Path) -> list[Path]:
    """Every entry of the folder that is a report to read, sorted (see _listed)."""
    return [path for _, path, refusal in _listed(reports_dir) if refusal is None]


# Entries that are listed but never opened, each with why (in Chinese, for the unread page).
_SPECIAL_FILES = ((stat.S_ISFIFO, "命名管道（FIFO），不是文件，未读取"), (stat.S_ISSOCK, "套接字，不是文件，未读取"),
                  (stat.S_ISCHR, "字符设备，不是文件，未读取"), (stat.S_ISBLK, "块设备，不是文件，未读取"))


def _listed(reports_dir: Path) -> list[tuple[str, Path, tuple[str, str] | None]]:
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


def refused_record(shown: str, refusal: tuple[str, str]) -> dict:
    """The record of an entry that is listed but not read, with its reason."""
    record = rec.blank_record(shown, "", None)
    record["problems"].append(rec.problem(refusal[0], "report", "", refusal[1]))
    record["agency"]["slug"] = agency_slug(None, shown)
    record["checks"] = checks.run_single(record)
    return record


def parse_and_check(path: Path, shown: str) -> dict:
    """File → record with its single-report checks. Pure: same bytes and path, same record."""
    try:
        record = parse_file(path, shown)
    except OSError as error:
        # The file vanished, is a dangling link or is not readable: an I/O fact
        # about the folder, listed on the unread page like any other bad file.
        return refused_record(shown, ("unreadable-file", error.strerror or str(type(error).__name__)))
    if not record["agency"].get("slug"):
        record["agency"]["slug"] = agency_slug(record["agency"]["name"], record["source"]["path"])
    record["checks"] = checks.run_single(record)
    return record


def _parse_task(path_text: str, shown: str) -> bytes:
    """One file: parse and check. Returns the record as JSON: the bytes the cache
    stores, and a cheaper way back from a worker than pickling (orjson writes ~10x faster)."""
    try:
        record = parse_and_check(Path(path_text), shown)
    except Exception as error:
        # Not swallowed: re-raised with the file's name so the bug can be found.
        raise RuntimeError(f"gxsite: parsing crashed on {shown}") from error
    return jsonio.dumps(record)


def _parsed(task: tuple, encoded: bytes, cache: RecordCache | None) -> tuple[str | None, dict]:
    """(sha256, record) of a file just parsed; the record goes into the cache."""
    record = jsonio.loads(encoded)
    # The parser hashes the bytes it read; if the file changed since the build
    # hashed it, the record belongs to neither version and is not cached.
    # task[2] None: the build process did not hash the file (or could not read it).
    read = record["source"].get("sha256")
    sha = task[2] or read or None
    if cache and sha and read in (sha, "", None):
        cache.put_encoded(sha, task[1], encoded)
    return sha, record


def _parse_batch(tasks: list[tuple]) -> list[bytes]:
    return [_parse_task(path_text, shown) for path_text, shown, _ in tasks]


# Files per task sent to a worker: enough to keep inter-process traffic low,
# few enough that both workers stay busy to the end.
_BATCH = 16


def _read_all(files: list[tuple[Path, str]], cache: RecordCache | None, workers: int, stage):
    """(sha256, record, parsed?) for each (path, shown path), in order.

    The build process hashes every file and looks it up in the cache (unless the
    cache holds no record at all); files that are not cached go to the workers in
    batches as soon as they are found, so the workers start on the first while the
    rest are hashed. A build that finds everything cached starts no worker."""
    looked_up: deque[tuple[tuple, dict | None]] = deque()  # (task, cached record), in file order
    batches = _uncached_batches(files, cache, looked_up)
    parsed = workers_mod.map(_parse_batch, batches, workers=workers, items=len(files))
    for encoded in itertools.chain.from_iterable(parsed):
        # The batch of this file has been made, so every file up to it has been looked up.
        yield from _cached_records(looked_up, stage)
        task, _ = looked_up.popleft()
        stage.advance()
        yield *_parsed(task, encoded, cache), True
    yield from _cached_records(looked_up, stage)


def _uncached_batches(files: list[tuple[Path, str]], cache: RecordCache | None, looked_up: deque):
    """Batches of the tasks (path, shown path, sha256) of the files the cache does not hold,
    each made as soon as it is full; every file looked up is appended to `looked_up`."""
    # With no record cached for this parser version (a first build, or new parser
    # code) there is nothing to look up, and the parser hashes what it reads anyway.
    lookup = cache is not None and cache.has_entries()
    batch = []
    for path, shown in files:
        sha = _sha256_or_none(path) if lookup else None
        cached = cache.get_encoded(sha, shown) if lookup and sha else None
        record = _decoded(cached) if cached is not None else None
        looked_up.append(((str(path), shown, sha), record))
        if record is None:
            batch.append(looked_up[-1][0])
            if len(batch) == _BATCH:
                yield batch
                batch = []
    if batch:
        yield batch


def _cached_records(looked_up: deque, stage):
    """(sha256, record, False) for the cached files at the front of `looked_up`, up to the first that is not."""
    while looked_up and looked_up[0][1] is not None:
        task, record = looked_up.popleft()
        stage.advance()
        yield task[2], record, False


def _decoded(cached: bytes) -> dict | None:
    """A cache entry's record; None for a damaged entry (a disk error), whose file is parsed again."""
    try:
        return jsonio.loads(cached)
    except ValueError:
        return None


def _sha256_or_none(path: Path) -> str | None:
    try:
        return sha256_of(path)
    except OSError:
        return None  # unreadable: the parser turns it into an unread record


def _inputs_key(identities: list[tuple[str, str | None]], version: str) -> str:
    digest = hashlib.sha256(version.encode())
    for shown, sha in identities:
        digest.update(f"\0{shown}\0{sha}".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def read_reports(reports_dir: Path, cache: RecordCache | None = None, workers: int | None = None,
                 progress: Progress | None = None, *, keep_slim: bool = False) -> BuildResult:
    """Every file of the folder as a record (or an unread one), checked. `keep_slim`: records
    the cache holds whole are kept slim (see slim), as the build keeps them."""
    progress = progress or Progress(quiet=True)
    workers = workers_mod.bounded(workers)
    listed = _listed(reports_dir)
    result = BuildResult(files=len(listed))
    stage = progress.stage("read+parse+check", len(listed))
    folder_name = reports_dir.resolve().name
    files = [(path, _shown(folder_name, relative)) for relative, path, refusal in listed if refusal is None]
    identities = []
    for relative, _, refusal in listed:
        if refusal is not None:
            shown = _shown(folder_name, relative)
            identities.append((shown, f"{refusal[0]}:{refusal[1]}"))
            result.unread.append(refused_record(shown, refusal))
            stage.advance()
    try:
        # _read_all first: zip then asks it for one more item, which runs it to its end (the pool shuts down).
        for (sha, record, parsed), (_, shown) in zip(_read_all(files, cache, workers, stage), files):
            identities.append((shown, sha))
            result.parsed += parsed
            if not rec.is_usable(record):
                result.unread.append(record)
                continue
            if keep_slim and cache and sha and record["source"].get("sha256") == sha and record["source"]["path"] == shown:
                record = slim(record)
                result.slimmed.add(shown)
            result.records.append(record)
    finally:
        if cache:
            cache.close()
    # Records are a function of these alone (run_corpus included): equal keys, equal records.
    result.inputs = _inputs_key(identities, code_version())
    checks.run_corpus(result.records)
    result.timings["parse"] = stage.done()
    # Nothing lost: every file is a record on the site or a line on the unread page.
    assert result.files == len(result.records) + len(result.unread)
    return result


def slim(record: dict) -> dict:
    """The record without the sources of its figures (the text and place of each in the file:
    six sevenths of a decoded record, 10.6 GB of the build's memory at 100,000 reports), but
    for those the pages about every agency read (charts.site_wide_sources). The record cache
    holds it whole, under the file's hash and shown path: complete() gives it back."""
    return {**record, "provenance": charts.site_wide_sources(record.get("provenance") or {})}


def completer(cache: RecordCache | None, slimmed: set[str]):
    """complete(group): an agency's records with the sources slim() left out, read back from
    the record cache (in the render workers, one agency at a time); the checks stay those of
    the build, which the corpus rules added after the cache stored the record."""
    def complete(group: list[dict]) -> list[dict]:
        return [_completed(record) if record["source"]["path"] in slimmed else record for record in group]

    def _completed(record: dict) -> dict:
        encoded = cache.get_encoded(record["source"]["sha256"], record["source"]["path"]) if cache else None
        if encoded is None:
            raise RuntimeError(f"gxsite: the record cache lost {record['source']['path']} during the build; "
                               f"build again")
        return {**jsonio.loads(encoded), "checks": record["checks"]}
    return complete


# ---------------------------------------------------------------- stage 3: MkDocs

def source_date_epoch(records: list[dict]) -> int:
    """The date the site is "as of": the newest publication date among the reports
    (record.newest_publication), else 1 January after the newest reporting year, else the
    epoch. Never the clock."""
    years = [r["year"] for r in records if isinstance(r.get("year"), int)]
    day = rec.newest_publication(records)
    if day is None and years and 1990 <= max(years) <= 9998:
        day = date(max(years) + 1, 1, 1)
    elif day is None:
        return 0
    return int(datetime(day.year, day.month, day.day, tzinfo=timezone.utc).timestamp())


def _staging_path(target: Path) -> Path:
    return target.parent / f".{target.name}.staging"


def _old_path(target: Path) -> Path:
    return target.parent / f".{target.name}.old"


def _recover(target: Path) -> None:
    """A build killed in the middle of a swap leaves the old tree set aside: put it back."""
    old = _old_path(target)
    if old.is_dir() and not old.is_symlink() and not target.exists():
        os.rename(old, target)
    elif old.is_dir() and not old.is_symlink():
        shutil.rmtree(old)
    elif old.exists() or old.is_symlink():
        old.unlink()


def _swap_pair(pairs: list[tuple[Path, Path]]) -> None:
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


def _tree_state(folder: Path) -> str:
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


def build(reports_dir: Path, content_dir: Path, site_dir: Path, config_file: Path, *,
          cache_dir: Path | None = None, workers: int | None = None,
          progress: Progress | None = None) -> BuildResult:
    """Build the site; raises on failure, leaving content/ and site/ as they were.

    With a cache, a build whose reports, code and configuration are all as they
    were for the site on disk stops after reading the (cached) records: nothing
    is rendered, written or handed to MkDocs."""
    conflict = folder_conflict(reports_dir, content_dir, site_dir, cache_dir, config_file.parent)
    if conflict:
        raise FolderConflict(conflict)
    progress = progress or Progress(quiet=True)
    with _one_build_at_a_time(site_dir):
        cache = open_record_cache(cache_dir, progress.note, code_version()[:16]) if cache_dir else None
        if cache:
            cache.prune_other_versions()
        started = time.perf_counter()
        # The collector pauses while the records are decoded, then they are frozen out
        # of its reach for the rest of the build (see collector.py).
        with collector.paused():
            result = read_reports(Path(reports_dir), cache, workers, progress, keep_slim=True)
        with collector.frozen():
            return _build_from(result, content_dir, site_dir, config_file, cache, workers, progress, started)


class BuildRunning(RuntimeError):
    """Another build is writing into the same output."""


@contextlib.contextmanager
def _one_build_at_a_time(site_dir: Path):
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


def _build_from(result: BuildResult, content_dir: Path, site_dir: Path, config_file: Path, cache: RecordCache | None,
                workers: int | None, progress: Progress, started: float) -> BuildResult:
    for target in (content_dir, site_dir):
        _recover(target)
    # Besides the records: the code (every cache key and stamp has it) and the configuration.
    code = f"{code_version()}:{site.config_fingerprint(config_file)}"
    stamp = cache.site_stamp(site_dir) if cache else {}
    content_intact = content_dir.is_dir() and stamp.get("content_files") == _tree_state(content_dir)
    if (stamp.get("inputs") == result.inputs and stamp.get("code") == code and content_intact
            and site_dir.is_dir() and stamp.get("site_files") == _tree_state(site_dir)):
        progress.note("nothing changed since the last build: content/ and site/ are up to date")
        result.timings["total"] = time.perf_counter() - started
        return result

    workers = workers_mod.bounded(workers)
    content_staging, site_staging = _staging_path(content_dir), _staging_path(site_dir)
    try:
        for folder in (content_staging, site_staging):
            if folder.exists():
                shutil.rmtree(folder)
        # Agencies rendered for the content/ on disk are reused only if nobody touched it since.
        previous = stamp.get("agencies") if content_intact and stamp.get("code") == code else None
        content = _render(result, content_dir, content_staging, config_file.parent, code, previous,
                          workers, progress, cache)
        epoch = source_date_epoch(result.records)
        fingerprint = f"{content.fingerprint()}:{code}:{epoch}"
        unchanged = not result.written and not result.removed and content_dir.is_dir()
        site_intact = site_dir.is_dir() and stamp.get("site_files") == _tree_state(site_dir)
        if unchanged and stamp.get("site") == fingerprint and site_intact:
            progress.note("MkDocs: skipped, content/, the code and the configuration are unchanged")
        else:
            mkdocs_started = time.perf_counter()
            # The site on disk was built by this code and configuration, and nobody touched it:
            # its pages whose sources did not change are carried over, and MkDocs builds the rest.
            carry_over = site_intact and stamp.get("code") == code
            changed = [*result.written, *result.removed]
            if carry_over:
                _carry_over_site(site_dir, site_staging, changed)
            pages = [name for name in (changed if carry_over else content.digests) if name.endswith(".md")]
            stage = progress.stage("MkDocs", len(pages))
            site.run_mkdocs(config_file, content_staging, site_staging, source_date_epoch=epoch, stage=stage,
                            dirty=carry_over)
            stage.done()
            site.search_index(site_staging, content.search_entries())
            result.mkdocs_ran = True
            # Swapped in only now that every stage succeeded.
            _swap_pair([(content_staging, content_dir), (site_staging, site_dir)])
            result.timings["mkdocs"] = time.perf_counter() - mkdocs_started
    finally:
        for folder in (content_staging, site_staging):
            if folder.exists():
                shutil.rmtree(folder)
    if cache:
        cache.set_site_stamp(site_dir, {"inputs": result.inputs, "code": code, "site": fingerprint,
                                        "content_files": _tree_state(content_dir), "site_files": _tree_state(site_dir),
                                        "agencies": content.agencies})
    result.timings["total"] = time.perf_counter() - started
    return result


# What MkDocs writes on every build (the search index is made afresh too): never carried over.
_REBUILT = ("404.html", "sitemap.xml", "sitemap.xml.gz")


def site_output(relative: str) -> str:
    """The file of site/ that MkDocs makes of a file of content/ (use_directory_urls): a page's
    index.html, a page part's page's; any other file is copied as it is."""
    if relative.endswith(".parts.html"):
        relative = relative.removesuffix(".parts.html") + ".md"
    if not relative.endswith(".md"):
        return relative
    folder, _, name = relative.removesuffix(".md").rpartition("/")
    page = folder if name == "index" else f"{folder}/{name}".lstrip("/")
    return f"{page}/index.html".lstrip("/")


def _carry_over_site(site_dir: Path, staging: Path, changed: list[str]) -> None:
    """Hard-link into `staging` every file of the built site that this build leaves as it was:
    all but what the changed or removed content files make, what MkDocs writes on every build,
    and the search index. MkDocs' dirty build (`mkdocs build --dirty`) then builds only the
    pages whose sources are newer than their output, or have none: the changed ones. A carried-over
    file is never written to (MkDocs writes only the outputs left out here), so the site on disk
    stays as it is until the swap."""
    skip = {site_output(relative) for relative in changed} | set(_REBUILT)
    for relative, _ in walk_files(site_dir):
        if relative in skip or relative.startswith("pagefind/"):
            continue
        target = staging / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if not hard_link(site_dir / relative, target):
            shutil.copy2(site_dir / relative, target)


def _render(result: BuildResult, content_dir: Path, staging: Path, project_root: Path, code_version: str,
            previous: dict | None, workers: int, progress: Progress, cache: RecordCache | None) -> Content:
    started = time.perf_counter()
    content = render_content(result.records, result.unread, content_dir, staging, project_root,
                             code_version=code_version, previous=previous, workers=workers, progress=progress,
                             complete=completer(cache, result.slimmed))
    result.rendered = True
    result.written = content.written
    result.agencies_rendered = len(content.rendered)
    result.removed = sorted(existing_files(content_dir) - set(content.digests))
    result.timings["render"] = time.perf_counter() - started
    return content
