"""The way in by region: a page per province, city and county that has bodies, each
listing the places below it and the bodies at its own level (a county page: the county's
government, its departments, its towns). The home page lists the provinces. No page lists
every agency: at 100,000 reports that table was 10 MB.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gxsite import checks
from gxsite.site import blocks
from gxsite.site import charts
from gxsite.site import markup as m
from gxsite.site import templates
from gxsite.site.agency_page import agency_title, section_keys
from gxsite.site.regions import OTHER_CODE, OTHER_NAME, OTHER_SLUG, Region
from gxsite.report import Report


@dataclass
class Node:
    """A place that has bodies, or places with bodies, below it."""
    path: str  # below regions/
    name: str
    code: str  # the place's code; the unplaced bodies sort last
    bodies: list[str] = field(default_factory=list)  # slugs at this level
    children: dict[str, Node] = field(default_factory=dict)  # path → node

    def slugs(self) -> list[str]:
        """Every body at or below this place."""
        return [*self.bodies, *(slug for child in self.children.values() for slug in child.slugs())]


def region_tree(located: dict[str, Region]) -> dict[str, Node]:
    """Province path → its node, in the gazetteer's order; the unplaced last."""
    top: dict[str, Node] = {}
    for slug, region in located.items():
        level = top
        node = None
        for place, path in region.trail():
            node = level.setdefault(path, Node(path, place.name, place.code))
            level = node.children
        if node is None:
            node = top.setdefault(OTHER_SLUG, Node(OTHER_SLUG, OTHER_NAME, OTHER_CODE))
        node.bodies.append(slug)
    return _ordered(top)


def _ordered(nodes: dict[str, Node]) -> dict[str, Node]:
    for node in nodes.values():
        node.children = _ordered(node.children)
    return dict(sorted(nodes.items(), key=lambda item: item[1].code))


def summary_rows(nodes: dict[str, Node], agencies: dict[str, list[Report]], prefix: str) -> list[dict]:
    """One row per place: its link, and how many bodies, reports and reports with a figure
    proven wrong it has."""
    rows = []
    for node in nodes.values():
        slugs = node.slugs()
        records = [record for slug in slugs for record in agencies[slug]]
        rows.append({"name": node.name, "href": f"{prefix}regions/{node.path}/", "bodies": len(slugs),
                     "reports": len(records), "failing": sum(1 for r in records if _fails(r))})
    return rows


def _fails(record: Report) -> bool:
    return any(checks.result(check) == "error" for check in record.checks)


def _verdict_summary(record: Report) -> tuple[str, int]:
    results = [checks.result(c) for c in record.checks]
    errors, doubts, notices = results.count("error"), results.count("doubt"), results.count("notice")
    parts = []
    if errors:
        parts.append(f'<span class="gx-badge gx-fail">{errors}项数字有误</span>')
    if doubts:
        parts.append(f'<span class="gx-badge gx-warn">{doubts}项无法核实</span>')
    if notices:
        parts.append(f'<span class="gx-badge gx-notice">{notices}项提示</span>')
    if not parts:
        parts.append('<span class="gx-badge gx-pass">均通过</span>' if results else "—")
    return "".join(parts), errors * 10000 + doubts * 100 + notices


def agency_table(agencies: dict[str, list[Report]], prefix: str) -> str:
    """The bodies of a place, one row each with its latest report's figures and checks.
    `prefix`: the way from the page to the site's root."""
    rows = []
    for slug, records in sorted(agencies.items()):
        latest = records[-1]
        name = agency_title(latest)
        received = charts.cell(latest, "new_received", 6)
        handled = charts.cell(latest, "total", 6)
        granted = charts.outcome_total(latest, ("granted", "partially_granted"))
        verdicts, weight = _verdict_summary(latest)
        year = latest.year if isinstance(latest.year, int) else None
        rows.append([
            (f'<a href="{prefix}agencies/{slug}/">{m.text(name)}</a>', name),
            (blocks.number(year), year),
            (blocks.number(received), received),
            (m.text(blocks.share(granted, handled)), blocks.share_value(granted, handled)),
            (f'<a href="{prefix}agencies/{slug}/#{section_keys(records)[-1]}">{verdicts}</a>', weight),
        ])
    return blocks.sortable_table(["机关", "最近年度", "本年新收申请", "予以公开或部分公开占比", "检查（最近年度）"],
                                 rows, "本级机关（点击表头排序）", "按机关名称筛选")


def region_pages(agencies: dict[str, list[Report]], tree: dict[str, Node]) -> dict[str, tuple[str, str]]:
    """regions/<path>/index.md → (meta description, page) for every place with bodies.
    `tree`: region_tree() of every agency."""
    pages = {}

    def visit(node: Node, trail: list[tuple[str, str]]) -> None:
        title = " ".join([*(name for name, _ in trail), node.name])
        description = f"{title}各机关的政府信息公开工作年度报告数据与一致性检查。"
        pages_of_bodies = blocks.pages_of(sorted(node.bodies))
        for number, bodies in enumerate(pages_of_bodies, start=1):
            # regions/ and each place, and page n > 1 one folder deeper (regions/<path>/n/)
            prefix = "../" * (2 + node.path.count("/") + (number > 1))
            body = templates.render(
                "region.md", title=title, name=node.name, home=prefix,
                trail=[{"name": name, "href": f"{prefix}regions/{path}/"} for name, path in trail],
                places=summary_rows(node.children, agencies, prefix) if number == 1 else [],
                pager=templates.html(blocks.pager(number, len(pages_of_bodies))),
                bodies=templates.html(agency_table({slug: agencies[slug] for slug in bodies}, prefix)) if bodies else "",
                total=len(node.slugs()))
            folder = f"regions/{node.path}" if number == 1 else f"regions/{node.path}/{number}"
            pages[f"{folder}/index.md"] = (description, body)
        for child in node.children.values():
            visit(child, [*trail, (node.name, node.path)])

    for node in tree.values():
        visit(node, [])
    return pages
