"""Realistic records for the site tests, made from the hand-checked gold figures,
and a helper that renders records into a real MkDocs site.

The gold files hold a report's figures minus provenance and checks; these
helpers add provenance (each figure's text and a line number, as the parser
records them), a slug and the real checks, so the site is tested on the real
shape of a record without depending on the state of the parser.
"""

from __future__ import annotations


import copy
from pathlib import Path

from conftest import ROOT, figure_paths, gold_files, load_gold, blank_json, report, run_corpus_json, run_single_json
from gxsite.site import content as site_content
from gxsite.site.content import group_by_agency, search_entries
from gxsite.site.regions import gazetteer
from gxsite.site.mkdocs_site import run_mkdocs, search_index
from gxsite.parsing.slugs import agency_slug


def gold_record(gold_path: Path, year: int | None = None, path: str | None = None) -> dict:
    gold = load_gold(gold_path)
    source = path or f"raw_reports/{gold['file']}"
    record = blank_json(source, "0" * 64, "text")
    record["agency"]["name"] = gold["agency"]["name"]
    record["agency"]["tampered"] = bool(gold["agency"].get("tampered"))
    record["agency"]["slug"] = agency_slug(gold["agency"]["name"], source)
    record["year"] = year or gold["year"]
    record["published"] = gold["published"]
    record["template"] = gold["template"]
    for table in ("active", "requests", "reviews"):
        record[table] = copy.deepcopy(gold[table])
    for line, (where, value) in enumerate(figure_paths(record), start=40):
        if value is not None:
            text = f"{value:g}" if isinstance(value, float) else str(value)
            record["provenance"][where] = {"text": text, "line": line, "offset": line * 30}
    received = record["requests"]["new_received"][6]
    record["narrative"] = {"received": {"value": received, "sentence": f"本年度共收到政府信息公开申请{received}件。"}}
    return record


def gold_records() -> list[dict]:
    records = [gold_record(path) for path in gold_files()]
    for record in records:
        record["checks"] = run_single_json(record)
    run_corpus_json(records)
    return records


def with_checks(records: list[dict]) -> list[dict]:
    for record in records:
        record["checks"] = run_single_json(record)
    run_corpus_json(records)
    return records


def render_site(records: list[dict], unread: list[dict], project_root: Path) -> dict[str, str | bytes]:
    """content.render_site of JSON records (the tests' fixtures), as typed Reports."""
    return site_content.render_site([report(r) for r in records], [report(r) for r in unread], project_root)


def build_site(records: list[dict], unread: list[dict], out: Path) -> Path:
    """records → content/ and site/ under `out` (render_site + MkDocs, as build.py does)."""
    content = out / "content"
    for relative, data in render_site(records, unread, ROOT).items():
        target = content / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    run_mkdocs(ROOT / "mkdocs.yml", content, out / "site")
    search_index(out / "site", search_entries(group_by_agency([report(r) for r in records]), gazetteer(ROOT)))
    return out


def expanded(html: str, parts: list[str] | None = None):
    """The page as the browser shows it once gxsite/site/hooks.py ran: each placeholder
    replaced by its detached part (`parts`, from the page's .parts.html)."""
    from bs4 import BeautifulSoup

    from gxsite.site.blocks import attach_deferred, detach_deferred

    markdown, inline = detach_deferred(html)  # a page of render_site(), its parts still inline
    return BeautifulSoup(attach_deferred(markdown, parts if parts is not None else inline), "lxml")


def expanded_file(files: dict, relative: str):
    """expanded() for a page of render_site's files, with its detached parts."""
    from gxsite.site.blocks import parts_name, split_parts

    parts = files.get(parts_name(relative))
    return expanded(files[relative], split_parts(parts) if parts else None)


def expand_runs(coded: list) -> list:
    """A table's data-src list with each run [entry, n] written out n times (report_tables.runs),
    as assets/tables.js reads it."""
    entries = []
    for entry in coded:
        if isinstance(entry, list) and isinstance(entry[1], int):
            entries.extend([entry[0]] * entry[1])
        else:
            entries.append(entry)
    return entries


def year_rows(table) -> list[tuple[str, str, list]]:
    """(row label, year, the row's value cells) of a table B or C as the page shows it
    (report_tables: each template row's label on a row of its own, a row per year under it)."""
    rows, label = [], None
    for row in table.select("tbody tr"):
        head = row.find("th")
        if head.has_attr("colspan"):
            label = head.get_text()
            continue
        rows.append((label, head.get_text(), row.find_all("td")))
    return rows
