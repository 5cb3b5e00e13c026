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

import shutil
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

from gxsite import checks
from gxsite import collector
from gxsite import file_records
from gxsite import output_folders
from gxsite import parallel
from gxsite import record as rec
from gxsite.cache import RecordCache, open_record_cache
from gxsite.report import Check, Report
from gxsite.output_folders import FolderConflict, folder_conflict
from gxsite.progress import Progress
from gxsite.reading import listing
from gxsite.site import mkdocs_site as site
from gxsite.site.rendering import Content, existing_files, render_content
from gxsite.version import code_version


@dataclass
class BuildResult:
    files: int = 0
    records: list[Report] = field(default_factory=list)
    unread: list[Report] = field(default_factory=list)
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

    def failures(self) -> list[tuple[Report, Check]]:
        """(record, check) for every error-severity rule broken by figures read with certainty."""
        return [(record, check) for record in self.records for check in record.checks
                if check.severity == "error" and check.status == "fail"]

    def failing_reports(self) -> int:
        return len({id(record) for record, _ in self.failures()})

    def summary(self) -> str:
        return (f"gxsite: {self.files} files read, {len(self.records)} records parsed, "
                f"{len(self.unread)} files could not be read, "
                f"{self.failing_reports()} reports fail error-level checks")


# ---------------------------------------------------------------- stage 1: parse

def read_reports(reports_dir: Path, cache: RecordCache | None = None, workers: int | None = None,
                 progress: Progress | None = None, *, keep_slim: bool = False) -> BuildResult:
    """Every file of the folder as a record (or an unread one), checked. `keep_slim`: records
    the cache holds whole are kept slim (see slim), as the build keeps them."""
    progress = progress or Progress(quiet=True)
    workers = parallel.bounded(workers)
    listed = listing.entries(reports_dir)
    result = BuildResult(files=len(listed))
    stage = progress.stage("read+parse+check", len(listed))
    folder_name = reports_dir.resolve().name
    files = [(path, listing.shown(folder_name, relative)) for relative, path, refusal in listed if refusal is None]
    identities = []
    for relative, _, refusal in listed:
        if refusal is not None:
            shown = listing.shown(folder_name, relative)
            identities.append((shown, f"{refusal[0]}:{refusal[1]}"))
            result.unread.append(file_records.refused_record(shown, refusal))
            stage.advance()
    try:
        # read_all first: zip then asks it for one more item, which runs it to its end (the pool shuts down).
        records = file_records.read_all(files, cache, workers, stage, slim_cached=keep_slim)
        for (sha, record, parsed), (_, shown) in zip(records, files):
            identities.append((shown, sha))
            result.parsed += parsed
            if not record.usable:
                result.unread.append(record)
                continue
            if keep_slim and cache and sha and record.source.sha256 == sha and record.source.path == shown:
                record = file_records.slim(record)
                result.slimmed.add(shown)
            result.records.append(record)
    finally:
        if cache:
            cache.close()
    # Records are a function of these alone (run_corpus included): equal keys, equal records.
    result.inputs = file_records.inputs_key(identities, code_version())
    checks.run_corpus(result.records)
    result.timings["parse"] = stage.done()
    # Nothing lost: every file is a record on the site or a line on the unread page.
    assert result.files == len(result.records) + len(result.unread)
    return result


# ---------------------------------------------------------------- stage 3: MkDocs

def source_date_epoch(records: list[Report]) -> int:
    """The date the site is "as of": the newest publication date among the reports
    (record.newest_publication), else 1 January after the newest reporting year, else the
    epoch. Never the clock."""
    years = [r.year for r in records if isinstance(r.year, int)]
    day = rec.newest_publication(records)
    if day is None and years and 1990 <= max(years) <= 9998:
        day = date(max(years) + 1, 1, 1)
    elif day is None:
        return 0
    return int(datetime(day.year, day.month, day.day, tzinfo=timezone.utc).timestamp())


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
    with output_folders.one_build_at_a_time(site_dir):
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


def _build_from(result: BuildResult, content_dir: Path, site_dir: Path, config_file: Path, cache: RecordCache | None,
                workers: int | None, progress: Progress, started: float) -> BuildResult:
    for target in (content_dir, site_dir):
        output_folders.recover(target)
    # Besides the records: the code (every cache key and stamp has it) and the configuration.
    code = f"{code_version()}:{site.config_fingerprint(config_file)}"
    stamp = cache.site_stamp(site_dir) if cache else {}
    content_intact = content_dir.is_dir() and stamp.get("content_files") == output_folders.tree_state(content_dir)
    # Nothing below writes into site/ before the swap: its state is taken once.
    site_intact = site_dir.is_dir() and stamp.get("site_files") == output_folders.tree_state(site_dir)
    if stamp.get("inputs") == result.inputs and stamp.get("code") == code and content_intact and site_intact:
        progress.note("nothing changed since the last build: content/ and site/ are up to date")
        result.timings["total"] = time.perf_counter() - started
        return result

    workers = parallel.bounded(workers)
    content_staging, site_staging = output_folders.staging_path(content_dir), output_folders.staging_path(site_dir)
    try:
        for folder in (content_staging, site_staging):
            if folder.exists():
                shutil.rmtree(folder)
        # Agencies rendered for the content/ on disk are reused only if nobody touched it since.
        reuse = content_intact and stamp.get("code") == code
        previous = (stamp.get("agencies"), stamp.get("downloads")) if reuse else (None, None)
        content = _render(result, content_dir, content_staging, config_file.parent, code, previous,
                          workers, progress, cache)
        epoch = source_date_epoch(result.records)
        fingerprint = f"{content.fingerprint()}:{code}:{epoch}"
        unchanged = not result.written and not result.removed and content_dir.is_dir()
        if unchanged and stamp.get("site") == fingerprint and site_intact:
            progress.note("MkDocs: skipped, content/, the code and the configuration are unchanged")
        else:
            mkdocs_started = time.perf_counter()
            # The site on disk was built by this code and configuration, and nobody touched it:
            # its pages whose sources did not change are carried over, and MkDocs builds the rest.
            carry_over = site_intact and stamp.get("code") == code
            changed = [*result.written, *result.removed]
            entries = content.search_entries()
            search = site.search_key(entries)
            # Pagefind indexes every agency again (2.3 s at 10,000 reports): its index is carried
            # over with the pages when no agency's search entry changed.
            same_search = carry_over and stamp.get("search") == search
            if carry_over:
                output_folders.carry_over_site(site_dir, site_staging, changed, keep_search=same_search)
            pages = [name for name in (changed if carry_over else content.digests) if name.endswith(".md")]
            stage = progress.stage("MkDocs", len(pages))
            site.run_mkdocs(config_file, content_staging, site_staging, source_date_epoch=epoch, stage=stage,
                            dirty=carry_over, workers=workers)
            stage.done()
            if not same_search:
                site.search_index(site_staging, entries)
            result.mkdocs_ran = True
            # Swapped in only now that every stage succeeded.
            output_folders.swap_pair([(content_staging, content_dir), (site_staging, site_dir)])
            result.timings["mkdocs"] = time.perf_counter() - mkdocs_started
    finally:
        for folder in (content_staging, site_staging):
            if folder.exists():
                shutil.rmtree(folder)
    if cache:
        cache.set_site_stamp(site_dir, {"inputs": result.inputs, "code": code, "site": fingerprint,
                                        "content_files": output_folders.tree_state(content_dir), "site_files": output_folders.tree_state(site_dir),
                                        "agencies": content.agencies, "downloads": content.downloads,
                                        "search": search})
    result.timings["total"] = time.perf_counter() - started
    return result


def _render(result: BuildResult, content_dir: Path, staging: Path, project_root: Path, code_version: str,
            previous: tuple[dict | None, dict | None], workers: int, progress: Progress,
            cache: RecordCache | None) -> Content:
    """Stage 2. `previous`: the agencies and download groups of the content/ on disk, to reuse."""
    started = time.perf_counter()
    agencies, downloads = previous
    content = render_content(result.records, result.unread, content_dir, staging, project_root,
                             code_version=code_version, previous=agencies, previous_downloads=downloads,
                             workers=workers, progress=progress, complete=file_records.completer(cache, result.slimmed))
    result.rendered = True
    result.written = content.written
    result.agencies_rendered = len(content.rendered)
    result.removed = sorted(existing_files(content_dir) - set(content.digests))
    result.timings["render"] = time.perf_counter() - started
    return content
