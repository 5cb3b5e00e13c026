"""Rules on the arithmetic printed in the template itself: tables B and C add up."""

from __future__ import annotations

from gxsite import record as rec
from gxsite.report import Report
from gxsite.checks.rulekit import Rule, finding, require_table, rows_values, shown, sum_or_none, template_of


def _cell(row: str, column: int) -> str:
    return rec.row_paths("requests", row, len(rec.COLUMNS))[column]


_BALANCE_ROWS = ("new_received", "carried_over", "total", "carried_forward")


def balance(record: Report):
    require_table(record, "requests")
    rows = rows_values(record, "requests", _BALANCE_ROWS, len(rec.COLUMNS))
    for column, (name, (new, carried, total, forward)) in enumerate(zip(rec.COLUMNS, zip(*rows))):
        # sum_or_none of two figures, spelled out: the rule adds 14 pairs per report
        incoming = None if new is None or carried is None else new + carried
        outgoing = None if total is None or forward is None else total + forward
        if incoming is None or outgoing is None or incoming != outgoing:
            cells = [_cell(row, column) for row in _BALANCE_ROWS]
            yield finding(record, cells, incoming, outgoing,
                          f"{name}列：一+二={shown(incoming)}（{shown(new)}+{shown(carried)}），"
                          f"三（七）总计+四={shown(outgoing)}（{shown(total)}+{shown(forward)}）")


def _adds_up(values: list | tuple) -> bool:
    """The last figure is the sum of the ones before it (False when any is unknown).
    Rules judge a few hundred sums per report and nearly all add up: paths and
    messages are made only for the ones that do not."""
    return None not in values and sum(values[:-1]) == values[-1]


def _last_is_sum(record: Report, cells: list[str], values: list, label: str, parts_name: str, total_name: str):
    """The finding for a row whose last cell is not the sum of the cells before it (or cannot be told)."""
    expected = sum_or_none(values[:-1])
    if all(v is None for v in values):  # not "=？（？+？+？+？+？+？）"
        return finding(record, cells, None, None, f"{label}：整行未能读取，无法核对", explained=True, unverified=True)
    parts = "+".join(shown(v) for v in values[:-1])
    return finding(record, cells, expected, values[-1],
                   f"{label}：{parts_name}={shown(expected)}（{parts}），{total_name}={shown(values[-1])}")


def row_sum(record: Report):
    require_table(record, "requests")
    rows = rec.request_rows(template_of(record))
    figures = rows_values(record, "requests", [row for row, _ in rows], len(rec.COLUMNS))
    for (row, row_label), values in zip(rows, figures):
        if not _adds_up(values):
            cells = list(rec.row_paths("requests", row, len(rec.COLUMNS)))
            yield _last_is_sum(record, cells, values, row_label, "六类申请人之和", "总计列")


def outcome_sum(record: Report):
    require_table(record, "requests")
    outcomes = rec.outcome_keys(template_of(record))
    rows = rows_values(record, "requests", [*outcomes, "total"], len(rec.COLUMNS))
    # zip(*rows): the table's columns, each the outcome figures then the total
    for column, (name, column_values) in enumerate(zip(rec.COLUMNS, zip(*rows))):
        if _adds_up(column_values):
            continue
        expected, total = sum_or_none(column_values[:-1]), column_values[-1]
        cells = [_cell(row, column) for row in outcomes]
        yield finding(record, cells + [_cell("total", column)], expected, total,
                      f"{name}列：（一）至（六）各项之和={shown(expected)}，（七）总计={shown(total)}")


def review_sum(record: Report):
    require_table(record, "reviews")
    groups = rows_values(record, "reviews", [group for group, _ in rec.REVIEW_GROUPS], len(rec.REVIEW_COLUMNS))
    for (group, group_label), values in zip(rec.REVIEW_GROUPS, groups):
        if not _adds_up(values):
            cells = list(rec.row_paths("reviews", group, len(rec.REVIEW_COLUMNS)))
            yield _last_is_sum(record, cells, values, group_label, "维持+纠正+其他+尚未审结", "总计")


RULES = [
    Rule(
        "balance", "表B勾稽关系：一+二=三+四", "Table B balance: new + carried over = handled + carried forward",
        "表B每一列都应满足表格角上印明的勾稽关系：第一项（本年新收）加第二项（上年结转）之和，等于第三项（七）总计"
        "（本年度办理结果）加第四项（结转下年度继续办理）之和。收到的申请要么在本年办结，要么结转下年，"
        "不会凭空出现或消失；等式不成立，说明表中至少有一个数字有误。",
        "Every column of table B must satisfy the relation printed in the form's corner: item 1 (new requests) plus "
        "item 2 (carried over from last year) equals item 3 (7) total (requests handled this year) plus item 4 (carried "
        "forward to next year). A request is either handled or carried forward; it cannot appear or vanish. When the "
        "equation fails, at least one figure in the table is wrong.",
        "error", "report", balance),
    Rule(
        "row-sum", "表B行合计：总计=各类申请人之和", "Table B rows: total = sum of the applicant columns",
        "表B每一行的“总计”列应等于自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他这六列之和。"
        "总计与分列不符，说明某一类申请人的数字或总计抄写、计算有误。",
        "In every row of table B the 总计 (total) column must equal the sum of the six applicant columns (natural "
        "persons, businesses, research institutions, public-interest organisations, legal-service organisations, "
        "others). A mismatch means an applicant figure or the total was copied or added up wrongly.",
        "error", "report", row_sum),
    Rule(
        "outcome-sum", "表B办理结果：（七）总计=各项结果之和", "Table B outcomes: (7) total = sum of the outcome rows",
        "表B每一列的“三、本年度办理结果（七）总计”应等于（一）予以公开、（二）部分公开、（三）不予公开1–8、"
        "（四）无法提供1–3、（五）不予处理1–5、（六）其他处理各细项之和。每件办结的申请恰好有一种结果，"
        "总计与细项不符说明办理结果的统计有误。",
        "In every column of table B, item 3 (7) total must equal the sum of the outcome rows: (1) granted, (2) partially "
        "granted, (3) denied 1–8, (4) unavailable 1–3, (5) not processed 1–5 and (6) other processing. Each handled "
        "request has exactly one outcome, so a mismatch means the outcomes were miscounted.",
        "error", "report", outcome_sum),
    Rule(
        "review-sum", "表C合计：总计=维持+纠正+其他+尚未审结", "Table C: total = upheld + corrected + other + pending",
        "表C中行政复议、未经复议直接起诉的行政诉讼、复议后起诉的行政诉讼三组，每组的“总计”应等于结果维持、结果纠正、"
        "其他结果、尚未审结四项之和。每起案件只有一种状态，不符说明复议或诉讼数字有误。",
        "In table C, for each of the three groups (administrative reconsideration, lawsuits filed directly, lawsuits "
        "after reconsideration) the total must equal upheld + corrected + other result + pending. Each case is in "
        "exactly one state, so a mismatch means a reconsideration or lawsuit figure is wrong.",
        "error", "report", review_sum),
]
