"""Records → every file of content/ (MkDocs' docs_dir), as a pure mapping.

render_site() decides what the site contains; build.py decides how and when
the files are written (only changed files, atomically). Same records in, same
files out: everything is sorted and nothing depends on the clock.
"""

from __future__ import annotations

from collections import defaultdict
from importlib import resources
from pathlib import Path

from gxsite.site import blocks
from gxsite import checks
from gxsite.site import downloads
from gxsite.site import agency_page as pages_agency
from gxsite.site import check_pages as pages_checks
from gxsite.site import overview_pages as pages_overview
from gxsite.site import mkdocs_site as site
from gxsite.site import markup as m


def group_by_agency(records: list[dict]) -> dict[str, list[dict]]:
    """slug → the agency's records, oldest first (the order of its page)."""
    grouped: dict[str, list[dict]] = defaultdict(list)
    for record in records:
        grouped[record["agency"]["slug"]].append(record)
    return {slug: sorted(group, key=pages_agency.report_order) for slug, group in sorted(grouped.items())}


def finding_links(agencies: dict[str, list[dict]]) -> dict[int, tuple[str, str, str]]:
    """id(record) → (agency name and year, link from a rule page to its agency page, section key)."""
    links = {}
    for slug, group in agencies.items():
        for key, record in zip(pages_agency.section_keys(group), group):
            year = record["year"] if isinstance(record.get("year"), int) else "年度不详"
            name = f"{pages_agency.agency_title(record)}（{year}）"
            links[id(record)] = (name, f"../../agencies/{slug}/", key)
    return links


def _assets(project_root: Path) -> dict[str, bytes]:
    files = {site.PLOTLY_TARGET: site.plotly_bundle(project_root).read_bytes()}
    for item in sorted(resources.files("gxsite.site").joinpath("assets").iterdir(), key=lambda i: i.name):
        if item.is_file():
            files[f"assets/{item.name}"] = item.read_bytes()
    return files


def agency_files(slug: str, group: list[dict]) -> tuple[dict[str, str | bytes], dict[str, bytes]]:
    """(the files of one agency's folder, its chunk of each site-wide download):
    a pure function of the agency's records, so agencies render independently."""
    return _page_files(f"agencies/{slug}/index.md", pages_agency.agency_page(slug, group)), \
        downloads.agency_downloads(slug, group)


def _page_files(relative: str, page: str) -> dict[str, str]:
    """A page's Markdown with its deferred blocks detached into <name>.parts.html beside it."""
    markdown, parts = blocks.detach_deferred(page)
    files = {relative: markdown}
    if parts:
        files[blocks.parts_name(relative)] = blocks.join_parts(parts)
    return files


def rules_file() -> str:
    """data/rules.json: every consistency rule as the checks' results name it, in Chinese and in
    English, for researchers who use the downloads (the site itself speaks Chinese only)."""
    return m.safe_json([{"id": r.id, "severity": r.severity, "scope": r.scope, "title_zh": r.title_zh,
                         "title_en": r.title_en, "explanation_zh": r.explanation_zh,
                         "explanation_en": r.explanation_en, "fail_zh": r.fail_zh, "fail_en": r.fail_en}
                        for r in checks.RULES]) + "\n"


def site_pages(agencies: dict[str, list[dict]], unread: list[dict], project_root: Path) -> dict[str, str | bytes]:
    """The files that look at every agency: home, checks, data, unread, about, and the assets."""
    ordered = [record for group in agencies.values() for record in group]
    # Each page's meta description: what a search engine or a shared link shows of it.
    pages = {
        "index.md": ("各机关政府信息公开工作年度报告的数据、图表与一致性检查：收到多少申请、如何答复、"
                     "多少复议和诉讼，每个数字注明出处。", pages_overview.home_page(agencies, unread)),
        "unread.md": ("本站未能读取或只读取了一部分的报告文件，及其原因。", pages_overview.unread_page(ordered, unread)),
        "about.md": ("本站的数据来源、数字提取方法与一致性检查规则。", pages_overview.about_page()),
        "search.md": ("按名称、拼音或地名搜索机关。", pages_overview.search_page()),
        "data/index.md": ("下载全部年报数据（CSV、JSON）及数据字典。", pages_overview.data_page()),
        "checks/index.md": ("一致性检查规则及各机关报告的检查结果。", pages_checks.index_page(ordered)),
    }
    links = finding_links(agencies)
    for rule in checks.RULES:
        pages[f"checks/{rule.id}.md"] = (f"一致性检查“{rule.title_zh}”：{rule.explanation_zh}",
                                         pages_checks.rule_page(rule, ordered, links))
    files: dict[str, str | bytes] = {"data/rules.json": rules_file()}
    for relative, (description, page) in pages.items():
        files.update(_page_files(relative, m.front_matter(description) + page))
    files.update(_assets(project_root))
    return files


def search_entry(slug: str, group: list[dict]) -> site.SearchEntry:
    """An agency page's search entry: what its summary says (name, pinyin, years, latest figures).
    `group`: the agency's records in report_order (group_by_agency's)."""
    name = pages_agency.agency_title(group[-1])
    return site.SearchEntry(f"/agencies/{slug}/", name, pages_agency.summary(name, group))


def search_entries(agencies: dict[str, list[dict]]) -> list[site.SearchEntry]:
    return [search_entry(slug, group) for slug, group in agencies.items()]


def render_site(records: list[dict], unread: list[dict], project_root: Path) -> dict[str, str | bytes]:
    """relative path under content/ → file contents (str for pages, bytes for downloads and assets).
    build.py renders the same pieces, the agencies spread over processes."""
    agencies = group_by_agency(records)
    files: dict[str, str | bytes] = {}
    site_wide = {name: [downloads.site_file_header(name)] for name in downloads.SITE_FILES}
    for slug, group in agencies.items():
        own, chunks = agency_files(slug, group)
        files.update(own)
        for name, chunk in chunks.items():
            site_wide[name].append(chunk)
    files.update({name: b"".join(parts) for name, parts in site_wide.items()})
    files.update(site_pages(agencies, unread, project_root))
    return dict(sorted(files.items()))
