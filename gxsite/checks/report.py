"""Rules about one report beyond its arithmetic: was everything read, the right
template, published on time, does the text agree with the tables, is the page clean."""

from __future__ import annotations

import functools
import re
from datetime import date

from gxsite import record as rec
from gxsite.checks.rulekit import (TABLE_TITLES, TABLES, NotApplicable, Rule, finding, label, row_values, shown,
                                   sum_or_none, template_of)
from gxsite.report import CellRef, Problem, Report

# Problems that mean no text was read at all: nothing to judge the page by.
NO_TEXT = {"empty-file", "binary-file", "undecodable"}


# --- complete ---------------------------------------------------------------

def _expected_cells(record: Report, table: str) -> tuple[str, ...]:
    if table == "active" and record.template not in rec.ACTIVE:
        # Unknown template: table A's fields cannot be told, so judge the cells that were found.
        return tuple(CellRef("active", item, f).path for item, fields in sorted(record.active.items())
                     if isinstance(fields, dict) for f in sorted(fields))
    return _template_cells(table, template_of(record))


@functools.lru_cache(maxsize=16)
def _template_cells(table: str, template: str) -> tuple[str, ...]:
    """Every cell path of a table of the template (a few hundred strings, made once)."""
    if table in ("requests", "reviews"):
        return tuple(path for _, paths in _template_rows(table, template) for path in paths)
    return tuple(path for item in rec.ACTIVE[template] for path in rec.item_paths(template, item))


def _doubtful_cells(record: Report, table: str) -> list[str]:
    """The table's uncertain cells (Report.uncertain), in template order, then any other
    place in the table a problem names."""
    places = record.doubted_places()
    in_table = {place for place in places if place.startswith(table + ".")}
    if not in_table and table not in places and table != "active":
        return _missing_cells(record, table, _template_rows(table, template_of(record)))
    cells = record.uncertain_cells(_expected_cells(record, table), places)
    return cells + sorted(in_table - set(cells))


@functools.lru_cache(maxsize=16)
def _template_rows(table: str, template: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Table B's or C's rows of the template: (row key, its cell paths)."""
    if table == "requests":
        return tuple((row, rec.row_paths(table, row, len(rec.COLUMNS))) for row, _ in rec.request_rows(template))
    return tuple((group, rec.row_paths(table, group, len(rec.REVIEW_COLUMNS))) for group, _ in rec.REVIEW_GROUPS)


def _missing_cells(record: Report, table: str, rows: tuple[tuple[str, tuple[str, ...]], ...]) -> list[str]:
    """The cells of the rows that hold no figure, in template order. A row is looked at
    cell by cell only when it is incomplete: most reports have none."""
    missing = []
    figures = getattr(record, table)
    for row, cells in rows:
        values = figures.get(row)
        if type(values) is list and len(values) == len(cells) and None not in values:
            continue  # the common row, every figure read: told without row_values' copy
        values = row_values(record, table, row, len(cells))
        if None in values:
            missing.extend(cell for cell, value in zip(cells, values) if value is None)
    return missing


def _row_of(path: str) -> str:
    """The row a doubtful place belongs to ('requests.total' of 'requests.total[6]'); a place that
    is no cell (a whole table's problem) stands for itself."""
    ref = CellRef.parse(path)
    if ref is None:
        return path
    if ref.column is None and ref.table == "active":
        return "active"  # a problem on a whole item of table A is listed with the table's
    return CellRef(ref.table, ref.row).path


def complete(record: Report):
    # Cells we could not read are our limit, not the publisher's error: every finding is a
    # doubt ("warn", 无法核实), never a red "fail". An incomplete record still never looks
    # like a clean one.
    for table in TABLES:
        if not getattr(record, table):
            yield finding(record, [table], "表格", None, f"{TABLE_TITLES[table]}缺失（未找到或未能读取）",
                          unverified=True, explained=True)
            continue
        rows: dict[str, list[str]] = {}
        for cell in _doubtful_cells(record, table):
            rows.setdefault(_row_of(cell), []).append(cell)
        for row, cells in rows.items():
            yield finding(record, cells, "已读取", [record.at(c) for c in cells], _unread_text(row, cells),
                          unverified=True, explained=True)


def _unread_text(row: str, cells: list[str]) -> str:
    width = {"requests": len(rec.COLUMNS), "reviews": len(rec.REVIEW_COLUMNS)}.get(row.partition(".")[0])
    if len(cells) == width:
        return f"{label(row)}：整行{width}个单元格未能读取或读取存疑"
    return f"{len(cells)}个单元格未能读取或读取存疑：{'、'.join(label(c) for c in cells)}"


# --- template ---------------------------------------------------------------

_NOTICES = {"2019": "国办公开办函〔2019〕60号", "2021": "国办公开办函〔2021〕30号"}


def template(record: Report):
    year, used = record.year, record.template
    if year is None or used is None:
        raise NotApplicable("报告年度或模板版本未知")
    if year < 2019:
        raise NotApplicable("2019年度以前没有全国统一模板")
    expected = "2021" if year >= 2021 else "2019"
    if used != expected:
        yield finding(record, ["template", "year"], expected, used,
                      f"{year}年度报告应使用{expected}年版模板（{_NOTICES[expected]}），实际使用{used}年版")


# --- on-time ----------------------------------------------------------------

# Regulations art. 49-50: departments publish by 31 January, people's governments
# (their own report, compiled from the departments') by 31 March. Checked in this
# order: "人民政府办公厅" is a department although it names a government.
_GOVERNMENT_ENDINGS = ("人民政府", "省政府", "市政府", "区政府", "县政府", "州政府", "乡政府", "镇政府",
                       "街道办事处", "街道办", "街道", "乡", "镇", "苏木",
                       # a report titled with a place alone (平潭综合实验区2023年度…报告) is its government's
                       "省", "市", "县", "区", "州", "旗", "盟")
# Development-zone committees publish as a government in some provinces and as a
# department in others: the name alone does not tell.
_EITHER_ENDINGS = ("管理委员会", "管委会")
# …of a zone; a 管理委员会 of anything else (国有资产监督管理委员会) is a department.
_ZONE = re.compile(r"开发区|高新区|新区|园区|试验区|实验区|保税区|度假区|风景区|合作区|示范区|自贸区|港区")
_DEPARTMENT_ENDINGS = ("办公厅", "办公室", "委员会", "局", "委", "厅", "中心", "办", "署")


_REMARK = re.compile(r"[（(][^（）()]*[）)]$")


def body_kind(name: str | None) -> str | None:
    """'government', 'department', or None when the name does not tell."""
    # A trailing remark such as "（本级）" says nothing about the kind of body.
    name = _REMARK.sub("", (name or "").strip())
    if not name:
        return None
    if name.endswith(_GOVERNMENT_ENDINGS):
        return "government"
    if name.endswith(_EITHER_ENDINGS) and _ZONE.search(name):
        return None
    if name.endswith(_DEPARTMENT_ENDINGS):
        return "department"
    return None


def deadline(kind: str, year: int) -> date:
    return date(year + 1, 1, 31) if kind == "department" else date(year + 1, 3, 31)


def _chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def on_time(record: Report):
    name, year, published = record.agency.name, record.year, record.published
    kind = body_kind(name)
    if kind is None or year is None or not published:
        raise NotApplicable("发布日期、报告年度或机关类型无法确定")
    try:
        day = date.fromisoformat(published)
    except (TypeError, ValueError):
        raise NotApplicable(f"发布日期无法识别：{published}") from None
    if day.year <= year:
        # Before the reporting year ended: the date or the year was misread, not a timely report.
        raise NotApplicable(f"发布日期{published}早于{year}年度结束，日期或年度可能读取有误")
    due = deadline(kind, year)
    if day > due:
        who = "人民政府" if kind == "government" else "政府部门"
        yield finding(record, ["published"], due.isoformat(), published,
                      f"{name}属{who}，应于{_chinese_date(due)}前公布{year}年度报告，实际发布于{_chinese_date(day)}")


# --- narrative --------------------------------------------------------------

# Narrative key → the readings of the table the words allow (each a list of cells whose sum
# the text may state), and how the table names the first. 收到/受理 N 件 may count last
# year's carried-over requests with this year's (pingtan 2022: 收到75件 = 74 new + 1 carried
# over): only a figure that matches no reading is the publisher's inconsistency.
_NEW = "requests.new_received"
_CARRIED = "requests.carried_over"
NARRATIVE_CELLS = {
    "received": ([[f"{_NEW}[6]"], [f"{_NEW}[6]", f"{_CARRIED}[6]"]], "一、本年新收·总计"),
    "received_natural_person": ([[f"{_NEW}[0]"], [f"{_NEW}[0]", f"{_CARRIED}[0]"]], "一、本年新收·自然人"),
    "received_legal_person": ([[f"{_NEW}[{c}]" for c in range(1, 6)],
                               [f"{t}[{c}]" for t in (_NEW, _CARRIED) for c in range(1, 6)]],
                              "一、本年新收·法人或其他组织"),
    "handled": ([["requests.total[6]"]], "三（七）总计·总计"),
    "carried_over": ([[f"{_CARRIED}[6]"]], "二、上年结转·总计"),
    "carried_forward": ([["requests.carried_forward[6]"]], "四、结转下年度继续办理·总计"),
    "granted": ([["requests.granted[6]"]], "（一）予以公开·总计"),
    "partially_granted": ([["requests.partially_granted[6]"]], "（二）部分公开·总计"),
    "granted_or_partially_granted": ([["requests.granted[6]", "requests.partially_granted[6]"]],
                                     "（一）予以公开+（二）部分公开·总计"),
    "reconsideration": ([["reviews.reconsideration[4]"]], "行政复议·总计"),
    "litigation": ([["reviews.litigation_direct[4]", "reviews.litigation_after_reconsideration[4]"]],
                   "行政诉讼（直接起诉+复议后起诉）·总计"),
}
_SENTENCE_LIMIT = 200


def narrative(record: Report):
    stated = record.narrative
    compared = 0
    for key, (readings, table_label) in NARRATIVE_CELLS.items():
        entry = stated.get(key)
        cells = readings[0]
        if not isinstance(entry, dict) or entry.get("value") is None or not getattr(record, CellRef.parse(cells[0]).table):
            continue
        if entry.get("others"):
            continue  # the text states this figure with different values: it says no one thing
        compared += 1
        sums = [sum_or_none(record.at(c) for c in reading) for reading in readings]
        if entry["value"] not in sums:
            in_table = sums[0]
            used = list(dict.fromkeys(c for reading in readings for c in reading))
            sentence = str(entry.get("sentence") or "")[:_SENTENCE_LIMIT]
            also = f"，加上年结转为{shown(sums[1])}件" if len(sums) > 1 else ""
            yield finding(record, used + [f"narrative.{key}"], in_table, entry["value"],
                          f"正文称{shown(entry['value'])}件（“{sentence}”），表中{table_label}为{shown(in_table)}件{also}",
                          sentence=sentence)
    if not compared:
        raise NotApplicable("正文中没有可与表格核对的数字")


# --- source-integrity ---------------------------------------------------------

_QUOTES_SHOWN = 10
_QUOTE_LIMIT = 60


def _is_spam_code(code: str) -> bool:
    return any(word in code for word in ("spam", "inject", "tamper"))


def _quotes(spam_problems: list[Problem]) -> list[str]:
    found = [p.text or "" for p in spam_problems]
    unique = list(dict.fromkeys(q.strip()[:_QUOTE_LIMIT] for q in found if q and q.strip()))
    return unique[:_QUOTES_SHOWN]


def source_integrity(record: Report):
    spam_problems = [p for p in record.problems if _is_spam_code(p.code or "")]
    tampered = record.agency.tampered is True
    if not tampered and not spam_problems:
        read_nothing = any(p.code in NO_TEXT for p in record.problems)
        if read_nothing or not any(getattr(record, t) for t in TABLES):
            raise NotApplicable("未读到报告内容")
        return
    quotes = _quotes(spam_problems)
    message = "页面中发现垃圾广告或其他注入文字，读取时已去除"
    if quotes:
        message += "：" + "、".join(f"“{q}”" for q in quotes)
    yield finding(record, ["agency.tampered"], "无注入内容", quotes, message, unverified=False)


RULES = [
    Rule(
        "complete", "数据完整：表A、B、C每个单元格都已读取", "Complete: every cell of tables A, B and C was read",
        "检查表A（主动公开）、表B（依申请公开）、表C（复议诉讼）的每个单元格都已读出确定的数字：没有缺失的表格、"
        "没有未能读取的单元格、没有读取存疑的数字（如“0?”）。数据不完整时，其他规则可能无法核实，"
        "网站上的数字也不能当作完整数据使用。这是本站读取的局限（表格以图片发布、排版错乱、数字连在一起无法拆分），"
        "不是发布机关的错误：缺失的表格或单元格、字迹残缺的数字（如“0?”）都判为“无法核实”，从不判为红色的错误。",
        "Checks that every cell of table A (proactive disclosure), table B (requests) and table C (reviews and lawsuits) "
        "was read as a definite number: no table missing, no unreadable cell, no doubtful number such as '0?'. When "
        "data is incomplete other rules may not be verifiable and the figures shown cannot be taken as complete. This is "
        "a limit of our reading (tables published as images, broken layout, digits run together), not the publisher's "
        "error: missing tables or cells and garbled numbers ('0?') are all marked could-not-verify, never a red error.",
        "warning", "report", complete),
    Rule(
        "template", "模板与年度相符", "Template matches the reporting year",
        "2019、2020年度报告应使用国办公开办函〔2019〕60号模板，2021年度起应使用国办公开办函〔2021〕30号新模板"
        "（表A改列制发、废止、现行有效件数，表B“其他处理”分为三项）。模板用错，说明报告没有按规定格式编制，"
        "不同年度、不同机关的数字也难以比较。",
        "Reports for 2019 and 2020 must use the 2019 template (国办公开办函〔2019〕60号); reports from 2021 on must "
        "use the 2021 template (国办公开办函〔2021〕30号), whose table A counts documents issued, repealed and in force "
        "and whose table B splits 'other processing' into three rows. A wrong template means the report does not follow "
        "the required form, and its figures are hard to compare with other years and bodies.",
        "warning", "report", template, fail_zh="模板与年度不符", fail_en="wrong template for the year"),
    Rule(
        "on-time", "按时发布", "Published on time",
        "《政府信息公开条例》第四十九、五十条：政府部门应于每年1月31日前公布上一年度报告，县级以上人民政府、"
        "乡镇人民政府和街道办事处应于3月31日前公布本级政府的年度报告（人民政府办公厅、办公室属部门）。"
        "机关类型由名称判断，发布日期或机关类型无法确定时不适用。",
        "Regulations art. 49-50: a government department must publish its report for a year by 31 January of the next "
        "year; a people's government (including townships and sub-district offices) publishes its own report by 31 "
        "March (a government's general office counts as a department). The kind of body is told from its name; the rule "
        "does not apply when the publication date or the kind of body cannot be told.",
        "warning", "report", on_time, fail_zh="逾期发布", fail_en="published late"),
    Rule(
        "narrative", "正文数字与表格一致", "Numbers in the text agree with the tables",
        "报告正文常常复述关键数字，如“收到政府信息公开申请N件”“办结N件”“行政复议N件”。这些数字应与表B、表C"
        "中对应的单元格一致。不一致说明正文或表格至少有一处有误，读者不知道该相信哪一个。只比较意思确定的说法："
        "“收到/受理申请N件”可能含上年结转，与本年新收或本年新收加上年结转相符均算一致；“予以公开及部分公开N件”"
        "对应（一）加（二）；“答复N件”不等于办结，不作比较。",
        "The report's text often repeats key figures ('received N requests', 'handled N', 'N reconsiderations'). They "
        "must agree with the matching cells of tables B and C. A disagreement means the text or the table is wrong, and "
        "readers cannot tell which to believe. Only statements whose meaning is exact are compared: 'received N' may "
        "include last year's carried-over requests, so it agrees with new requests alone or with new plus carried over; "
        "'granted and partially granted N' is (1)+(2); 'answered N' is not 'handled' and is not compared.",
        "warning", "report", narrative, fail_zh="正文与表格不一致", fail_en="text disagrees with the tables"),
    Rule(
        "source-integrity", "页面未被篡改", "No injected text in the source",
        "检查报告页面中是否发现垃圾广告（如博彩、“吃瓜”网站名称）或其他被注入的文字，例如机关名称或“政府信息公开”"
        "等字样被替换。发现时，读取过程会去除这些文字，但原页面已被篡改，其中的数字也应谨慎对待，并应提醒发布机关修复。",
        "Checks whether spam (gambling or gossip-site names) or other injected text was found in the report's page, "
        "e.g. the body's name or the words 政府信息公开 replaced. Such text is removed when reading, but the page was "
        "tampered with: its figures deserve caution and the publisher should be told to repair it.",
        "warning", "report", source_integrity, fail_zh="发现注入内容（页面被篡改）", fail_en="injected text found (page tampered)"),
]
