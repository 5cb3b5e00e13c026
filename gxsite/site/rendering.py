"""Records → the new content/, written into a staging folder: in parallel and incrementally.

The files are content.render_site's, byte for byte; this module decides how
they are made and written:

- each agency's folder (its page) is a pure function of its records and place
  (content.agency_files), and so is each download group's member of its province's
  downloads (downloads.members, one city's agencies: content.download_group), so the
  groups render in forked worker processes, which inherit the records instead of
  receiving them pickled (and read slim ones back whole from the record cache,
  file_records.completer);
- an agency whose records and page code are as they were for the content/ on
  disk is not rendered again: its files are hard-linked; a group whose agencies
  are all unchanged has its members read back from the current downloads (a
  rebuild after one report changed renders one agency and compresses one city's
  figures);
- any other unchanged file is hard-linked too, so it keeps its inode and
  timestamps, and only new or changed files are written;
- the downloads are appended member by member, largest group first, so no download
  is ever held whole; the data page, which gives their sizes, is made last.
"""

from __future__ import annotations

import filecmp
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import orjson

from gxsite import collector
from gxsite import parallel as workers_mod
from gxsite.files import hard_link, walk_files
from gxsite.site import regions
from gxsite.site import downloads
from gxsite.site.content import (agency_files, data_pages, download_groups, group_by_agency, group_folder,
                                  region_of, search_entry, site_pages)
from gxsite.site.mkdocs_site import SearchEntry
from gxsite.progress import Progress
from gxsite.report import Report


def safe_relative(relative: str) -> PurePosixPath:
    path = PurePosixPath(relative)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise ValueError(f"content path escapes content/: {relative!r}")
    return path


def existing_files(folder: Path) -> set[str]:
    return {relative for relative, _ in walk_files(folder)}


def _place(relative: str, data: str | bytes, content_dir: Path, staging: Path) -> tuple[str, str, bool]:
    """Put one file of the new content/ into `staging`: linked from content/ when
    unchanged, written otherwise. Returns (relative path, sha256, changed?)."""
    data = data.encode("utf-8") if isinstance(data, str) else data
    path = str(safe_relative(relative))
    current, target = content_dir / path, staging / path
    target.parent.mkdir(parents=True, exist_ok=True)
    same = current.is_file() and current.stat().st_size == len(data) and current.read_bytes() == data
    if not (same and hard_link(current, target)):
        target.write_bytes(data)
    return path, hashlib.sha256(data).hexdigest(), not same


def _keep_if_unchanged(relative: str, content_dir: Path, staging: Path) -> bool:
    """Replace a staged file by a hard link to the current one when their bytes are equal."""
    current, target = content_dir / relative, staging / relative
    if not (current.is_file() and current.stat().st_size == target.stat().st_size
            and filecmp.cmp(current, target, shallow=False)):
        return False
    link = target.with_name(target.name + ".link")
    if hard_link(current, link):
        os.replace(link, target)
    return True


def agency_key(slug: str, group: list[Report], code_version: str) -> str:
    """Everything an agency's files are made from: its records (with their corpus
    checks) and the code that renders them."""
    digest = hashlib.sha256(f"{code_version}\0{slug}\0".encode("utf-8", "surrogatepass"))
    for record in group:
        try:
            digest.update(orjson.dumps(record.to_json(), option=orjson.OPT_SORT_KEYS))
        except TypeError:  # what orjson refuses (lone surrogates, huge integers) is rare: repr is exact too
            digest.update(repr(record.to_json()).encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


# ---------------------------------------------------------------- one agency, in a worker

# Set in the build process just before the render pool forks; the workers inherit it.
_RENDER: dict = {}


def _reuse(entry: dict, content_dir: Path, staging: Path) -> list[tuple[str, str, bool]] | None:
    """The agency's files as they are in content/, or None if they cannot be reused."""
    placed = []
    for relative, digest in sorted(entry["files"].items()):
        target = staging / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if not hard_link(content_dir / relative, target):
            return None
        placed.append((relative, digest, False))
    return placed


def _reuse_members(entry: dict, content_dir: Path) -> dict[str, bytes] | None:
    """A download group's members as they are in the current downloads, or None."""
    members = {}
    for name, (start, end) in entry["chunks"].items():
        try:
            with open(content_dir / name, "rb") as current:
                current.seek(start)
                members[name] = current.read(end - start)
        except OSError:
            return None
        if len(members[name]) != end - start:
            return None
    return members


def _render_group(group: str, slugs: list[str]) -> tuple[list[tuple[str, str, bool, list[tuple[str, str, bool]], list[str]]],
                                                        tuple[str, str, dict[str, bytes]]]:
    """The agencies of one download group (content.download_group): per agency (slug, key,
    rendered?, files placed in the staging content/, search entry as [url, title, text]); then
    (group, key, its member of each of its province's downloads)."""
    agencies = _RENDER["agencies"]
    keys = [agency_key(slug, agencies[slug], _RENDER["code_version"]) for slug in slugs]
    key = hashlib.sha256("\0".join([group, *keys]).encode("utf-8", "surrogatepass")).hexdigest()
    previous = _RENDER["previous_downloads"].get(group)
    reused = _reuse_members(previous, _RENDER["content_dir"]) if previous and previous["key"] == key else None
    # A group with one agency changed compresses all its agencies' figures again, as they go.
    members = downloads.Members(group_folder(group)) if reused is None else None
    out = []
    for slug, agency in zip(slugs, keys):
        out.append(_render_agency(slug, agency, members))
    return out, (group, key, reused if members is None else members.close())


def _render_agency(slug: str, key: str, members: downloads.Members | None) -> tuple:
    """(slug, key, rendered?, files placed in the staging content/, search entry): its files reused
    when its records are as they were, rendered otherwise; its figures fed to `members`."""
    content_dir, staging = _RENDER["content_dir"], _RENDER["staging"]
    previous = _RENDER["previous"].get(slug)
    reused = _reuse(previous, content_dir, staging) if previous and previous["key"] == key else None
    if reused is not None:
        if members is not None:
            members.add(_RENDER["complete"](_RENDER["agencies"][slug]))
        return slug, key, False, reused, previous["search"]
    whole = _RENDER["complete"](_RENDER["agencies"][slug])
    region = region_of(whole, _RENDER["places"])
    own = agency_files(slug, whole, region)
    # Here, where the page's summary is made anyway (and jieba, which spells it in pinyin, is loaded).
    entry = search_entry(slug, whole, region)
    if members is not None:
        members.add(whole)
    return (slug, key, True, [_place(rel, data, content_dir, staging) for rel, data in sorted(own.items())],
            [entry.url, entry.title, entry.text])


def _render_site_pages() -> list[tuple[str, str, bool]]:
    """The pages that look at every agency, placed in the staging content/."""
    content_dir, staging = _RENDER["content_dir"], _RENDER["staging"]
    pages = site_pages(_RENDER["agencies"], _RENDER["unread"], _RENDER["project_root"])
    return [_place(relative, data, content_dir, staging) for relative, data in pages.items()]


def _render_batch(group: tuple[str, list[str]] | None):
    """_render_group(*group), or _render_site_pages() for None."""
    return _render_site_pages() if group is None else _render_group(*group)


def _rendered(groups: dict[str, list[str]], workers: int, stage):
    """Yields ("group", _render_group() of each download group) in the order of `groups`
    (content.download_groups: largest first), which is the order of the groups' members in the
    downloads; then ("site", _render_site_pages()). Over `workers` forked processes, which
    inherit _RENDER."""
    # The site-wide pages first: the home and rule pages take seconds at 10,000 reports, the longest task.
    batches = [None, *groups.items()]
    # Frozen: the workers' garbage collector then leaves the inherited records'
    # memory pages alone instead of copying them.
    with collector.frozen():
        results = workers_mod.map(_render_batch, batches, workers=workers, items=len(_RENDER["agencies"]),
                                  start="fork")
        site = next(results)
        for agencies, group in results:
            stage.advance(len(agencies))
            yield "group", (agencies, group)
    yield "site", site


# ---------------------------------------------------------------- the whole content/

@dataclass
class Content:
    """What the render stage put into the staging content/."""
    digests: dict[str, str] = field(default_factory=dict)  # relative path → sha256
    written: list[str] = field(default_factory=list)  # new or changed compared with content/
    # slug → {"key", "files": {relative: sha256}, "search": [url, title, text]}: what the next
    # build needs to reuse the agency's files from this content/.
    agencies: dict[str, dict] = field(default_factory=dict)
    # download group → {"key", "chunks": {download: [start, end]}}: what the next build needs to
    # reuse the group's members of the downloads.
    downloads: dict[str, dict] = field(default_factory=dict)
    rendered: list[str] = field(default_factory=list)  # slugs rendered, not reused

    def add(self, relative: str, digest: str, changed: bool) -> None:
        self.digests[relative] = digest
        if changed:
            self.written.append(relative)

    def search_entries(self) -> list[SearchEntry]:
        """The search entry of every agency, in agency order."""
        return [SearchEntry(*agency["search"]) for agency in self.agencies.values()]

    def fingerprint(self) -> str:
        digest = hashlib.sha256()
        for relative in sorted(self.digests):
            digest.update(f"{relative}\0{self.digests[relative]}\0".encode("utf-8", "surrogatepass"))
        return digest.hexdigest()


def render_content(records: list[Report], unread: list[Report], content_dir: Path, staging: Path, project_root: Path, *,
                   code_version: str = "", previous: dict[str, dict] | None = None,
                   previous_downloads: dict[str, dict] | None = None, workers: int = 1,
                   progress: Progress | None = None, complete=None) -> Content:
    """The new content/ in `staging`. `previous` and `previous_downloads`: Content.agencies and
    Content.downloads of the build that made content_dir (its files must be untouched since), to
    reuse unchanged agencies and download groups. `complete(group)`: an agency's records whole,
    for `records` kept slim (file_records.slim)."""
    progress = progress or Progress(quiet=True)
    agencies = group_by_agency(records)
    stage = progress.stage("render content", len(agencies) + 1)
    content = Content()
    outputs: dict[str, list] = {}
    try:
        # Loaded before the workers fork, so that they inherit it.
        places = regions.gazetteer(project_root)
        _RENDER.update(agencies=agencies, unread=unread, project_root=project_root, content_dir=content_dir,
                       staging=staging, code_version=code_version, previous=previous or {},
                       previous_downloads=previous_downloads or {}, places=places,
                       complete=complete or (lambda group: group))
        for kind, item in _rendered(download_groups(agencies, places), workers, stage):
            if kind == "site":
                for placed in item:
                    content.add(*placed)
                continue
            done, (group, key, members) = item
            for slug, agency, rendered, placed, entry in done:
                if rendered:
                    content.rendered.append(slug)
                for file in placed:
                    content.add(*file)
                content.agencies[slug] = {"key": agency, "files": {rel: digest for rel, digest, _ in placed},
                                          "search": entry}
            spans = {name: _append(_output(outputs, staging, name), member) for name, member in members.items()}
            content.downloads[group] = {"key": key, "chunks": spans}
    finally:
        _RENDER.clear()
        for out, _ in outputs.values():
            out.close()
    # In agency order, as the search index takes them.
    content.agencies = dict(sorted(content.agencies.items()))
    content.rendered.sort()
    for name, (_, digest) in outputs.items():
        content.add(name, digest.hexdigest(), not _keep_if_unchanged(name, content_dir, staging))
    sizes = {name: (staging / name).stat().st_size for name in outputs}
    for relative, data in data_pages(sizes, project_root).items():
        content.add(*_place(relative, data, content_dir, staging))
    content.written.sort()
    stage.advance()
    stage.done()
    return content


def _output(outputs: dict[str, list], staging: Path, name: str) -> list:
    """The open download `name` and its running hash, opened with its header at its first chunk."""
    if name not in outputs:
        safe_relative(name)
        (staging / name).parent.mkdir(parents=True, exist_ok=True)
        outputs[name] = [open(staging / name, "wb"), hashlib.sha256()]
        _append(outputs[name], downloads.site_file_header(name))
    return outputs[name]


def _append(output: list, chunk: bytes) -> list[int]:
    """Append to an open download and its running hash; returns [start, end]."""
    out, digest = output
    start = out.tell()
    out.write(chunk)
    digest.update(chunk)
    return [start, start + len(chunk)]
