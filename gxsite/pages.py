"""Records → the Markdown pages of content/ (MkDocs' docs_dir).

Every string that comes from a report goes through markup.text(): report text
is untrusted and must never become markup, a link or a template expression.
"""

from __future__ import annotations

from . import charts
from . import markup as m
from . import record as rec


def _figure(spec: dict | None) -> str:
    if spec is None:
        return ""
    return f'<div class="gx-chart" data-figure="{m.json_attr(spec)}"></div>\n'


def _cell(value: object) -> str:
    return "—" if value is None else m.text(value)


def requests_table(record: dict) -> str:
    template = record.get("template") or "2021"
    lines = ["| 项目 | " + " | ".join(rec.COLUMNS) + " |", "|---|" + "---:|" * 7]
    for key, label in rec.request_rows(template):
        row = record["requests"].get(key) or [None] * 7
        lines.append(f"| {label} | " + " | ".join(_cell(v) for v in row) + " |")
    return "\n".join(lines) + "\n"


def agency_title(record: dict) -> str:
    return record["agency"]["name"] or f"未识别机关（{record['source']['path'].rsplit('/', 1)[-1]}）"


def agency_page(slug: str, records: list[dict]) -> str:
    title = m.text(agency_title(records[0]))
    parts = [f"# {title}\n"]
    for record in sorted(records, key=lambda r: (r["year"] or 0, r["source"]["path"])):
        year = record["year"] or "年份不详"
        parts.append(f"## {m.text(year)} 年度\n")
        parts.append(f"来源文件：`{m.text(record['source']['path'])}`\n")
        if record["requests"]:
            parts.append("### 收到和处理政府信息公开申请情况\n")
            parts.append(requests_table(record))
            parts.append(_figure(charts.requests_by_applicant(record)))
    return "\n".join(parts)


def home_page(agencies: dict[str, list[dict]], unread: list[dict]) -> str:
    lines = ["# 政府信息公开工作年度报告数据\n", "| 机关 | 年度 |", "|---|---|"]
    for slug, records in sorted(agencies.items()):
        years = "、".join(str(r["year"]) for r in records if r["year"])
        lines.append(f"| [{m.text(agency_title(records[0]))}](agencies/{slug}/index.md) | {years} |")
    lines.append("")
    lines.append(f"[未能读取的报告（{len(unread)}）](unread.md)\n")
    return "\n".join(lines)


def unread_page(unread: list[dict]) -> str:
    lines = ["# 未能读取的报告\n", "| 文件 | 原因 |", "|---|---|"]
    for record in unread:
        reason = "；".join(p.get("message") or p["code"] for p in record["problems"] if p["where"] == "report")
        lines.append(f"| {m.text(record['source']['path'])} | {m.text(reason)} |")
    return "\n".join(lines) + "\n"
