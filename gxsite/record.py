"""The gxsite.report/1 record: its keys and row orders (the record itself: report.py).

Keys here are a public interface (../shared/docs/schema.md): add, never rename.
"""

from __future__ import annotations

from datetime import date

import functools

SCHEMA = "gxsite.report/1"

# Table B columns, in the template's order.
COLUMNS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
COLUMN_KEYS = ["natural_person", "commercial", "research", "public_interest", "legal_services", "other", "total"]

# Table B rows: (key, Chinese label as printed in the template), in template order.
_B_HEAD = [
    ("new_received", "一、本年新收政府信息公开申请数量"),
    ("carried_over", "二、上年结转政府信息公开申请数量"),
    ("granted", "（一）予以公开"),
    ("partially_granted", "（二）部分公开"),
    ("denied_state_secret", "（三）1.属于国家秘密"),
    ("denied_prohibited_by_law", "（三）2.其他法律行政法规禁止公开"),
    ("denied_three_safeties", "（三）3.危及“三安全一稳定”"),
    ("denied_third_party", "（三）4.保护第三方合法权益"),
    ("denied_internal_affairs", "（三）5.属于三类内部事务信息"),
    ("denied_process_information", "（三）6.属于四类过程性信息"),
    ("denied_enforcement_file", "（三）7.属于行政执法案卷"),
    ("denied_administrative_query", "（三）8.属于行政查询事项"),
    ("unavailable_not_held", "（四）1.本机关不掌握相关政府信息"),
    ("unavailable_needs_creation", "（四）2.没有现成信息需要另行制作"),
    ("unavailable_unclear", "（四）3.补正后申请内容仍不明确"),
    ("not_processed_petition", "（五）1.信访举报投诉类申请"),
    ("not_processed_duplicate", "（五）2.重复申请"),
    ("not_processed_publication", "（五）3.要求提供公开出版物"),
    ("not_processed_excessive", "（五）4.无正当理由大量反复申请"),
    ("not_processed_confirmation", "（五）5.要求行政机关确认或重新出具已获取信息"),
]
_B_OTHER = {
    "2019": [("other_processing", "（六）其他处理")],
    "2021": [
        ("other_overdue_correction", "（六）1.申请人无正当理由逾期不补正"),
        ("other_unpaid_fee", "（六）2.申请人逾期未按收费通知要求缴纳费用"),
        ("other_other", "（六）3.其他"),
    ],
}
_B_TAIL = [
    ("total", "（七）总计"),
    ("carried_forward", "四、结转下年度继续办理"),
]


def request_rows(template: str) -> list[tuple[str, str]]:
    """Table B's rows for a template version, in the order the form prints them."""
    return _B_HEAD + _B_OTHER[template] + _B_TAIL


@functools.lru_cache(maxsize=256)
def row_paths(table: str, row: str, width: int) -> tuple[str, ...]:
    """The record paths of a table B or C row's cells, 'requests.total[0]' …: the same
    strings for every report, made once."""
    return tuple(f"{table}.{row}[{i}]" for i in range(width))


@functools.lru_cache(maxsize=64)
def item_paths(template: str, item: str) -> tuple[str, ...]:
    """The record paths of a table A item's fields, 'active.regulations.issued' …, in the
    template's order: the same strings for every report, made once."""
    return tuple(f"active.{item}.{field}" for field, _ in ACTIVE[template][item][1])


# The outcome rows whose sum is （七）总计 (rule outcome-sum); made once per template.
@functools.lru_cache(maxsize=None)
def outcome_keys(template: str) -> tuple[str, ...]:
    keys = [k for k, _ in request_rows(template)]
    return tuple(keys[keys.index("granted"):keys.index("total")])


REVIEW_GROUPS = [
    ("reconsideration", "行政复议"),
    ("litigation_direct", "行政诉讼 · 未经复议直接起诉"),
    ("litigation_after_reconsideration", "行政诉讼 · 复议后起诉"),
]
REVIEW_COLUMNS = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]

# Table A: item key → (Chinese label, [(field key, Chinese column label)]), per template.
ACTIVE = {
    "2021": {
        "regulations": ("规章", [("issued", "本年制发件数"), ("repealed", "本年废止件数"), ("in_force", "现行有效件数")]),
        "normative_documents": ("行政规范性文件", [("issued", "本年制发件数"), ("repealed", "本年废止件数"), ("in_force", "现行有效件数")]),
        "licensing": ("行政许可", [("decisions", "本年处理决定数量")]),
        "penalties": ("行政处罚", [("decisions", "本年处理决定数量")]),
        "enforcement": ("行政强制", [("decisions", "本年处理决定数量")]),
        "fees": ("行政事业性收费", [("amount_10k_yuan", "本年收费金额（万元）")]),
    },
    "2019": {
        "regulations": ("规章", [("made", "本年新制作数量"), ("published", "本年新公开数量"), ("total_published", "对外公开总数量")]),
        "normative_documents": ("规范性文件", [("made", "本年新制作数量"), ("published", "本年新公开数量"), ("total_published", "对外公开总数量")]),
        "licensing": ("行政许可", [("previous", "上一年项目数量"), ("change", "本年增/减"), ("decisions", "处理决定数量")]),
        "other_services": ("其他对外管理服务事项", [("previous", "上一年项目数量"), ("change", "本年增/减"), ("decisions", "处理决定数量")]),
        "penalties": ("行政处罚", [("previous", "上一年项目数量"), ("change", "本年增/减"), ("decisions", "处理决定数量")]),
        "enforcement": ("行政强制", [("previous", "上一年项目数量"), ("change", "本年增/减"), ("decisions", "处理决定数量")]),
        "fees": ("行政事业性收费", [("previous", "上一年项目数量"), ("change", "本年增/减")]),
        "procurement": ("政府集中采购", [("projects", "采购项目数量"), ("amount_yuan", "采购总金额（元）")]),
    },
}


def layout_template(template: str | None) -> str:
    """The template version a record's tables are laid out by, on the site and in the downloads:
    its own, or 2021's when the report's version could not be told."""
    return template if template in ACTIVE else "2021"


def newest_publication(reports) -> date | None:
    """The newest publication date among the reports, counting only plausible ones (from the
    reporting year to two years after): the date the site is "as of", never the clock."""
    dates = []
    for report in reports:
        published, year = report.published, report.year
        if not isinstance(published, str) or not isinstance(year, int):
            continue
        try:
            day = date.fromisoformat(published)
        except ValueError:
            continue
        if year <= day.year <= year + 2:
            dates.append(day)
    return max(dates) if dates else None


# Each problem code in words: the codes are for the data, never shown to a reader.
PROBLEM_WORDS = {
    "empty-file": "空文件",
    "binary-file": "二进制文件，不是文本或网页",
    "undecodable": "无法识别文字编码",
    "too-large": "文件超过大小上限，只读取了开头部分",
    "not-a-report": "不是政府信息公开工作年度报告",
    "second-report-ignored": "文件包含第二份报告，第二份未读取",
    "no-tables": "未找到报告的统计表",
    "unreadable-file": "无法打开文件",
    "missing-table": "缺少统计表",
    "scanned-pdf": "扫描件PDF，没有文字层",
    "encrypted-pdf": "加密的PDF",
    "damaged-pdf": "损坏的PDF",
    "empty-pdf": "PDF中没有文字",
    "legacy-word": "旧版Word文档（.doc）",
    "damaged-docx": "损坏的Word文件",
    "empty-docx": "Word文件中没有文字",
    "not-a-file": "不是普通文件",
    "unlistable-folder": "无法列出的文件夹",
    "outside-link": "指向报告文件夹以外的链接",
    "folder-link": "指向文件夹的链接",
    "dangling-link": "失效的链接",
    "unreadable-cell": "未能读取",
    "garbled-number": "数字残缺",
    "ambiguous-split": "数字连在一起，无法唯一拆分",
    "unit-not-stated": "未注明单位",
    "injected-markup": "页面中有网页代码",
}
