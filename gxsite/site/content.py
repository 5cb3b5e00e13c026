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
from gxsite.site import region_pages as pages_regions
from gxsite.site import regions
from gxsite.site import mkdocs_site as site
from gxsite.site import markup as m
from gxsite.report import Report


def group_by_agency(records: list[Report]) -> dict[str, list[Report]]:
    """slug → the agency's records, oldest first (the order of its page)."""
    grouped: dict[str, list[Report]] = defaultdict(list)
    for record in records:
        grouped[record.agency.slug].append(record)
    return {slug: sorted(group, key=pages_agency.report_order) for slug, group in sorted(grouped.items())}


def finding_links(agencies: dict[str, list[Report]]) -> dict[int, tuple[str, str, str]]:
    """id(record) → (agency name and year, link from a rule page to its agency page, section key)."""
    links = {}
    for slug, group in agencies.items():
        for key, record in zip(pages_agency.section_keys(group), group):
            year = record.year if isinstance(record.year, int) else "年度不详"
            name = f"{pages_agency.agency_title(record)}（{year}）"
            links[id(record)] = (name, f"../../agencies/{slug}/", key)
    return links


def _assets(project_root: Path) -> dict[str, bytes]:
    files = {site.PLOTLY_TARGET: site.plotly_bundle(project_root).read_bytes()}
    for item in sorted(resources.files("gxsite.site").joinpath("assets").iterdir(), key=lambda i: i.name):
        if item.is_file():
            files[f"assets/{item.name}"] = item.read_bytes()
    return files


def region_of(group: list[Report], places: regions.Gazetteer) -> regions.Region:
    """Where the agency is, by the name of its latest report."""
    return places.region_of(group[-1].agency.name)


def download_folder(region: regions.Region) -> str:
    """The folder of data/ that holds the agency's figures: its province's."""
    return region.province.slug if region.province else regions.OTHER_SLUG


def download_group(region: regions.Region) -> str:
    """The agencies whose figures share one compressed member of their province's downloads
    (downloads.members): one city's (hubei/xianning), or the province's own bodies' (hubei),
    or those of no certain place (qita). A city's agencies seldom change together, so a
    rebuild compresses one city's figures again; one agency's alone compress poorly (in xz, 35%
    larger than a province's in one member: 657 KB against 486 KB for Anhui's at 10,000 reports)."""
    folder = download_folder(region)
    return f"{folder}/{region.places[1].slug}" if len(region.places) > 1 else folder


def agency_files(slug: str, group: list[Report], region: regions.Region) -> dict[str, str]:
    """The files of one agency's folder: a pure function of the agency's records and place, so
    agencies render independently."""
    return _page_files(f"agencies/{slug}/index.md", pages_agency.agency_page(slug, group, region))


def group_folder(group: str) -> str:
    """The folder of data/ whose downloads a group (download_groups' key) has members in: hubei
    for hubei/wuhan#2."""
    return group.split("/")[0].split("#")[0]


# The most agencies of one member: a group is also a render task, and 其他 alone holds 1,600
# agencies at 100,000 reports. Members of 64 agencies compress within 1% of one member for a
# whole province (Anhui's records at 10,000 reports in xz: 489 KB, against 486 KB).
GROUP_SIZE = 64


def download_groups(agencies: dict[str, list[Report]], places: regions.Gazetteer) -> dict[str, list[str]]:
    """Each download group's agencies (slugs, sorted), in runs of at most GROUP_SIZE:
    hubei/wuhan, then hubei/wuhan#2 for its 65th agency on. Largest first, then by key: the
    order the groups render in (no large one is left to one worker at the end) and the order
    of their members in the downloads."""
    groups: dict[str, list[str]] = {}
    for slug, group in agencies.items():
        groups.setdefault(download_group(region_of(group, places)), []).append(slug)
    runs = {}
    for key in sorted(groups):
        slugs = sorted(groups[key])
        for n, start in enumerate(range(0, len(slugs), GROUP_SIZE), start=1):
            runs[key if n == 1 else f"{key}#{n}"] = slugs[start:start + GROUP_SIZE]
    return dict(sorted(runs.items(), key=lambda run: -len(run[1])))


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


def _described(pages: dict[str, tuple[str, str]]) -> dict[str, str]:
    """Each page's meta description (what a search engine or a shared link shows of it) as its
    front matter, and its deferred blocks detached."""
    files: dict[str, str] = {}
    for relative, (description, page) in pages.items():
        files.update(_page_files(relative, m.front_matter(description) + page))
    return files


def site_pages(agencies: dict[str, list[Report]], unread: list[Report], project_root: Path) -> dict[str, str | bytes]:
    """The files that look at every agency: home, regions, checks, unread, about, and the assets
    (the data page comes last: data_pages, once the downloads are made)."""
    ordered = [record for group in agencies.values() for record in group]
    by_rule = pages_checks.checks_by_rule(ordered)
    places = regions.gazetteer(project_root)
    tree = pages_regions.region_tree({slug: region_of(group, places) for slug, group in agencies.items()})
    pages = {
        "index.md": ("各机关政府信息公开工作年度报告的数据、图表与一致性检查：收到多少申请、如何答复、"
                     "多少复议和诉讼，每个数字注明出处。", pages_overview.home_page(agencies, unread, tree)),
        "unread.md": ("本站未能读取或只读取了一部分的报告文件，及其原因。", pages_overview.unread_page(ordered, unread)),
        "about.md": ("本站的数据来源、数字提取方法与一致性检查规则。", pages_overview.about_page()),
        "search.md": ("按名称、拼音或地名搜索机关。", pages_overview.search_page()),
        "checks/index.md": ("一致性检查规则及各机关报告的检查结果。", pages_checks.index_page(by_rule)),
    }
    links = finding_links(agencies)
    for rule in checks.RULES:
        for relative, page in pages_checks.rule_pages(rule, by_rule[rule.id], links).items():
            pages[relative] = (f"一致性检查“{rule.title_zh}”：{rule.explanation_zh}", page)
    pages.update(pages_regions.region_pages(agencies, tree))
    files: dict[str, str | bytes] = {"data/rules.json": rules_file()}
    files.update(_described(pages))
    files.update(_assets(project_root))
    return files


def data_pages(sizes: dict[str, int], project_root: Path) -> dict[str, str]:
    """The data page, which lists every download with its size. `sizes`: download → bytes."""
    places = regions.gazetteer(project_root)
    return _described({"data/index.md": ("按省份下载全部年报数据（CSV、JSON，压缩）及数据字典。",
                                         pages_overview.data_page(sizes, places))})


def search_entry(slug: str, group: list[Report], region: regions.Region) -> site.SearchEntry:
    """An agency page's search entry: what its summary says (name, pinyin, years, latest figures),
    and where it is (湖北省 咸宁市 通山县), so that a reader finds it by its province or city.
    `group`: the agency's records in report_order (group_by_agency's)."""
    name = pages_agency.agency_title(group[-1])
    summary = pages_agency.summary(name, group)
    return site.SearchEntry(f"/agencies/{slug}/", name, f"{summary} {region.names}" if region.places else summary)


def search_entries(agencies: dict[str, list[Report]], places: regions.Gazetteer) -> list[site.SearchEntry]:
    return [search_entry(slug, group, region_of(group, places)) for slug, group in agencies.items()]


def render_site(records: list[Report], unread: list[Report], project_root: Path) -> dict[str, str | bytes]:
    """relative path under content/ → file contents (str for pages, bytes for downloads and assets).
    build.py renders the same pieces, the agencies spread over processes."""
    agencies = group_by_agency(records)
    places = regions.gazetteer(project_root)
    files: dict[str, str | bytes] = {}
    for slug, group in agencies.items():
        files.update(agency_files(slug, group, region_of(group, places)))
    site_wide: dict[str, list[bytes]] = {}
    for key, slugs in download_groups(agencies, places).items():
        for name, member in downloads.members(group_folder(key), [agencies[slug] for slug in slugs]).items():
            site_wide.setdefault(name, [downloads.site_file_header(name)]).append(member)
    files.update({name: b"".join(parts) for name, parts in site_wide.items()})
    files.update(site_pages(agencies, unread, project_root))
    files.update(data_pages({name: len(files[name]) for name in site_wide}, project_root))
    return dict(sorted(files.items()))
