"""Each file → its checked record: parsed over the machine's cores and cached on disk.

A record is a pure function of the file's bytes and its shown path, so the record cache
keys it by both (and by the code version); files the cache holds are not parsed again.
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
from collections import deque
from pathlib import Path

from gxsite import checks
from gxsite import jsonio
from gxsite import parallel
from gxsite.cache import RecordCache
from gxsite.parsing import parse_file
from gxsite.parsing.slugs import agency_slug
from gxsite.reading.source import sha256_of
from gxsite.report import Problem, Report
from gxsite.site import charts


def refused_record(shown: str, refusal: tuple[str, str]) -> Report:
    """The record of an entry that is listed but not read, with its reason."""
    record = Report.blank(shown, "", None)
    record.problems.append(Problem(refusal[0], "report", "", refusal[1]))
    record.agency.slug = agency_slug(None, shown)
    record.checks = checks.run_single(record)
    return record


def parse_and_check(path: Path, shown: str) -> Report:
    """File → record with its single-report checks. Pure: same bytes and path, same record."""
    try:
        record = parse_file(path, shown)
    except OSError as error:
        # The file vanished, is a dangling link or is not readable: an I/O fact
        # about the folder, listed on the unread page like any other bad file.
        return refused_record(shown, ("unreadable-file", error.strerror or str(type(error).__name__)))
    if not record.agency.slug:
        record.agency.slug = agency_slug(record.agency.name, record.source.path)
    record.checks = checks.run_single(record)
    return record


def _parse_task(path_text: str, shown: str) -> bytes:
    """One file: parse and check. Returns the record as JSON: the bytes the cache
    stores, and a cheaper way back from a worker than pickling (orjson writes ~10x faster)."""
    try:
        record = parse_and_check(Path(path_text), shown)
    except Exception as error:
        # Not swallowed: re-raised with the file's name so the bug can be found.
        raise RuntimeError(f"gxsite: parsing crashed on {shown}") from error
    return jsonio.dumps(record.to_json())


def _parsed(task: tuple, encoded: bytes, cache: RecordCache | None) -> tuple[str | None, Report]:
    """(sha256, record) of a file just parsed; the record goes into the cache."""
    record = Report.from_json(jsonio.loads(encoded))
    # The parser hashes the bytes it read; if the file changed since the build
    # hashed it, the record belongs to neither version and is not cached.
    # task[2] None: the build process did not hash the file (or could not read it).
    read = record.source.sha256
    sha = task[2] or read or None
    if cache and sha and read in (sha, "", None):
        cache.put_encoded(sha, task[1], encoded)
    return sha, record


def _parse_batch(tasks: list[tuple]) -> list[bytes]:
    return [_parse_task(path_text, shown) for path_text, shown, _ in tasks]


# Files per task sent to a worker: enough to keep inter-process traffic low,
# few enough that both workers stay busy to the end.
_BATCH = 16


def read_all(files: list[tuple[Path, str]], cache: RecordCache | None, workers: int, stage, *,
             slim_cached: bool = False):
    """(sha256, record, parsed?) for each (path, shown path), in order; with `slim_cached`, the
    records the cache holds whole come slim (see slim), never decoded with every source.

    The build process hashes every file and looks it up in the cache (unless the
    cache holds no record at all); files that are not cached go to the workers in
    batches as soon as they are found, so the workers start on the first while the
    rest are hashed. A build that finds everything cached starts no worker."""
    looked_up: deque[tuple[tuple, Report | None]] = deque()  # (task, cached record), in file order
    batches = _uncached_batches(files, cache, looked_up, slim_cached)
    parsed = parallel.map(_parse_batch, batches, workers=workers, items=len(files))
    for encoded in itertools.chain.from_iterable(parsed):
        # The batch of this file has been made, so every file up to it has been looked up.
        yield from _cached_records(looked_up, stage)
        task, _ = looked_up.popleft()
        stage.advance()
        yield *_parsed(task, encoded, cache), True
    yield from _cached_records(looked_up, stage)


def _uncached_batches(files: list[tuple[Path, str]], cache: RecordCache | None, looked_up: deque, slim: bool):
    """Batches of the tasks (path, shown path, sha256) of the files the cache does not hold,
    each made as soon as it is full; every file looked up is appended to `looked_up`."""
    # With no record cached for this parser version (a first build, or new parser
    # code) there is nothing to look up, and the parser hashes what it reads anyway.
    lookup = cache is not None and cache.has_entries()
    batch = []
    for path, shown in files:
        sha = _sha256_or_none(path) if lookup else None
        cached = cache.get_encoded(sha, shown) if lookup and sha else None
        record = _decoded(cached, (sha, shown) if slim else None) if cached is not None else None
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


def _decoded(cached: bytes, slim_as: tuple[str, str] | None = None) -> Report | None:
    """A cache entry's record; None for a damaged entry (a disk error), whose file is parsed
    again. With `slim_as` (sha256, shown path), a record of that file comes slim: its sources
    are left out before they become objects (most of the decoding, and of its memory)."""
    try:
        record = jsonio.loads(cached)
        if slim_as and (record["source"]["sha256"], record["source"]["path"]) == slim_as:
            record["provenance"] = {path: entry for path, entry in record["provenance"].items()
                                    if charts.site_wide_source(path, entry.get("text"))}
        return Report.from_json(record)
    except (ValueError, TypeError, AttributeError, KeyError):
        return None


def _sha256_or_none(path: Path) -> str | None:
    try:
        return sha256_of(path)
    except OSError:
        return None  # unreadable: the parser turns it into an unread record


def inputs_key(identities: list[tuple[str, str | None]], version: str) -> str:
    digest = hashlib.sha256(version.encode())
    for shown, sha in identities:
        digest.update(f"\0{shown}\0{sha}".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def slim(record: Report) -> Report:
    """The record without the sources of its figures (the text and place of each in the file:
    six sevenths of a decoded record, 10.6 GB of the build's memory at 100,000 reports), but
    for those the pages about every agency read (charts.site_wide_sources). The record cache
    holds it whole, under the file's hash and shown path: complete() gives it back."""
    return dataclasses.replace(record, provenance=charts.site_wide_sources(record.provenance))


def completer(cache: RecordCache | None, slimmed: set[str]):
    """complete(group): an agency's records with the sources slim() left out, read back from
    the record cache (in the render workers, one agency at a time); the checks stay those of
    the build, which the corpus rules added after the cache stored the record."""
    def complete(group: list[Report]) -> list[Report]:
        return [_completed(record) if record.source.path in slimmed else record for record in group]

    def _completed(record: Report) -> Report:
        encoded = cache.get_encoded(record.source.sha256, record.source.path) if cache else None
        whole = _decoded(encoded) if encoded is not None else None
        if whole is None:
            raise RuntimeError(f"gxsite: the record cache lost {record.source.path} during the build; "
                               f"build again")
        whole.checks = record.checks
        return whole
    return complete
