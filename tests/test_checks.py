"""The consistency rules, judged on hand-checked figures (gold) and on small
report files named after their defect (tests/fixtures), read by the real parser."""

from __future__ import annotations

import copy

import pytest
from hypothesis import given, settings, strategies as st

from conftest import ROOT, SEEDS, gold_files, load_gold, report, run_corpus_json, run_single_json
from gxsite import checks
from conftest import parse_json as parse_file
from gxsite.checks.report import body_kind
from gxsite.parsing.slugs import agency_slug
from gxsite.report import Check

FIXTURES = ROOT / "tests" / "fixtures"
ISSUE_RULES = {  # id → severity, as the issue fixes them
    "balance": "error", "row-sum": "error", "outcome-sum": "error", "review-sum": "error", "complete": "warning",
    "template": "warning", "on-time": "warning", "carry-over": "error", "in-force": "warning",
    "narrative": "warning", "source-integrity": "warning", "duplicate-copies": "error",
}
SINGLE = [r.id for r in checks.RULES if r.scope == "report"]
CORPUS = [r.id for r in checks.RULES if r.scope == "corpus"]


# --- helpers -------------------------------------------------------------------

def gold_record(stem: str) -> dict:
    """A record holding a seed's hand-checked figures, as the parser should produce them."""
    gold = copy.deepcopy(load_gold(ROOT / "tests" / "gold" / f"{stem}.json"))
    path = f"raw_reports/{gold['file']}"
    agency = {"name": gold["agency"].get("name"), "tampered": gold["agency"].get("tampered", False)}
    agency["slug"] = agency_slug(agency["name"], path)
    return {"schema": "gxsite.report/1", "source": {"path": path, "sha256": "", "format": "text"},
            "agency": agency, "year": gold["year"], "published": gold["published"], "template": gold["template"],
            "active": gold["active"], "requests": gold["requests"], "reviews": gold["reviews"],
            "narrative": {}, "provenance": {}, "problems": [], "checks": []}


WUHAN = "001_0935331167c41a19"  # table B with figures in every kind of row
XIANNING = "000_0f5bb17b6d0f1089"
JIANGXI = "004_9bfd90b2d10e5d28"  # 2019 template


def describe(check: dict) -> str:
    return checks.describe(Check.from_json(check))


def result(check: dict) -> str:
    return checks.result(Check.from_json(check))


def check_of(record_or_checks, rule: str) -> dict:
    found = record_or_checks["checks"] if isinstance(record_or_checks, dict) else record_or_checks
    return next(c for c in found if c["rule"] == rule)


def flat(check: dict) -> tuple:
    """(rule, status, [cells of each finding]): the shape the exact-findings tests compare."""
    return check["rule"], check["status"], [f["cells"] for f in check["findings"]]


def run(record: dict, rule: str) -> dict:
    return check_of(run_single_json(record), rule)


def column(rows: list[str], index: int) -> list[str]:
    return [f"requests.{row}[{index}]" for row in rows]


def row(name: str) -> list[str]:
    return [f"requests.{name}[{i}]" for i in range(7)]


BALANCE_ROWS = ["new_received", "carried_over", "total", "carried_forward"]
OUTCOMES_2021 = ["granted", "partially_granted", "denied_state_secret", "denied_prohibited_by_law",
                 "denied_three_safeties", "denied_third_party", "denied_internal_affairs",
                 "denied_process_information", "denied_enforcement_file", "denied_administrative_query",
                 "unavailable_not_held", "unavailable_needs_creation", "unavailable_unclear",
                 "not_processed_petition", "not_processed_duplicate", "not_processed_publication",
                 "not_processed_excessive", "not_processed_confirmation",
                 "other_overdue_correction", "other_unpaid_fee", "other_other"]


def outcome_column(index: int) -> list[str]:
    return column(OUTCOMES_2021, index) + [f"requests.total[{index}]"]


# --- the rule list ---------------------------------------------------------------

def test_rules_are_the_issues_twelve_each_explained_in_both_languages():
    assert {r.id: r.severity for r in checks.RULES} == ISSUE_RULES
    assert len({r.id for r in checks.RULES}) == len(checks.RULES)
    for rule in checks.RULES:
        assert rule.title_zh and rule.title_en and rule.findings is not None
        assert len(rule.explanation_zh) > 60 and len(rule.explanation_en) > 120, rule.id
        assert rule.scope in {"report", "corpus"}
    assert set(CORPUS) == {"carry-over", "in-force", "duplicate-copies"}


def test_every_rule_gives_one_check_in_rule_order():
    found = run_single_json(gold_record(WUHAN))
    assert [c["rule"] for c in found] == [r.id for r in checks.RULES]
    assert all(c["severity"] == ISSUE_RULES[c["rule"]] for c in found)


def test_wording_tells_publisher_error_from_reading_doubt_and_notices():
    """Issue 15: one red word for two different things; 提示-level rules counted as 不一致."""
    assert describe({"rule": "balance", "status": "fail"}) == "数字有误（发布机关）"
    assert describe({"rule": "balance", "status": "warn"}) == "无法核实（本站读取存疑）"
    assert describe({"rule": "on-time", "status": "fail"}) == "逾期发布"
    assert [result({"rule": r, "status": s}) for r, s in (("balance", "fail"), ("on-time", "fail"),
                                                                  ("balance", "warn"), ("complete", "warn"))] == [
        "error", "notice", "doubt", "doubt"]
    assert describe({"rule": "on-time", "status": "pass"}) == "通过"


# --- gold figures --------------------------------------------------------------------

@pytest.mark.parametrize("gold_path", gold_files(), ids=lambda p: p.stem)
def test_gold_figures_get_the_expected_verdicts(gold_path):
    record = gold_record(gold_path.stem)
    found = {c["rule"]: c["status"] for c in run_single_json(record)}
    expected = load_gold(gold_path)["expect_checks"]
    assert {rule: found[rule] for rule in expected} == expected
    assert found["complete"] == "pass" and found["template"] == "pass"


# --- table arithmetic --------------------------------------------------------------

def test_misprinted_total_breaks_the_three_sums_of_table_b():
    record = gold_record(WUHAN)
    record["requests"]["total"][6] = 25  # 24 + 2 = 26 in the row; 26 outcomes in the column
    found = run_single_json(record)
    assert [flat(check_of(found, r)) for r in ("balance", "row-sum", "outcome-sum")] == [
        ("balance", "fail", [column(BALANCE_ROWS, 6)]),
        ("row-sum", "fail", [row("total")]),
        ("outcome-sum", "fail", [outcome_column(6)]),
    ]
    balance = check_of(found, "balance")["findings"][0]
    assert (balance["expected"], balance["found"], balance["unverified"]) == (29, 28, False)
    assert balance["message"] == "总计列：一+二=29（27+2），三（七）总计+四=28（25+3）"
    assert check_of(found, "row-sum")["findings"][0]["message"] == \
        "（七）总计：六类申请人之和=26（24+2+0+0+0+0），总计列=25"
    assert check_of(found, "outcome-sum")["findings"][0]["message"] == "总计列：（一）至（六）各项之和=26，（七）总计=25"


def test_sums_that_only_break_with_a_garbled_cell_could_not_be_verified():
    record = gold_record(WUHAN)
    record["requests"]["total"][6] = 25
    record["problems"].append({"code": "garbled-number", "where": "requests.total[6]", "text": "25?"})
    found = run_single_json(record)
    assert [flat(check_of(found, r)) for r in ("balance", "row-sum", "outcome-sum", "complete")] == [
        ("balance", "warn", [column(BALANCE_ROWS, 6)]),
        ("row-sum", "warn", [row("total")]),
        ("outcome-sum", "warn", [outcome_column(6)]),
        ("complete", "warn", [["requests.total[6]"]]),
    ]
    balance = check_of(found, "balance")
    assert balance["findings"][0]["unverified"] is True
    assert balance["findings"][0]["message"].startswith("无法核实（（七）总计·总计读取存疑）：")
    assert describe(balance) == "无法核实（本站读取存疑）"


def test_a_certain_error_beside_a_doubtful_one_is_the_publishers():
    record = gold_record(WUHAN)
    record["requests"]["total"][6] = 25
    record["problems"].append({"code": "garbled-number", "where": "requests.total[6]", "text": "25?"})
    record["requests"]["carried_forward"][1] = 1  # column 商业企业: 2 + 0 ≠ 2 + 1
    balance = run(record, "balance")
    assert flat(balance) == ("balance", "fail", [column(BALANCE_ROWS, 1), column(BALANCE_ROWS, 6)])
    assert [f["unverified"] for f in balance["findings"]] == [False, True]


def test_a_garbled_cell_that_adds_up_passes_the_sums_and_leaves_completeness_in_doubt():
    record = gold_record(XIANNING)
    record["problems"].append({"code": "garbled-number", "where": "requests.new_received[0]", "text": "0?"})
    found = run_single_json(record)
    assert {r: check_of(found, r)["status"] for r in ("balance", "row-sum", "outcome-sum")} == \
        {"balance": "pass", "row-sum": "pass", "outcome-sum": "pass"}
    assert flat(check_of(found, "complete")) == ("complete", "warn", [["requests.new_received[0]"]])


def test_an_unread_cell_leaves_its_sums_unverified():
    record = gold_record(WUHAN)
    record["requests"]["new_received"][0] = None
    record["problems"].append({"code": "unreadable-cell", "where": "requests.new_received[0]", "text": "二十五"})
    found = run_single_json(record)
    assert [flat(check_of(found, r)) for r in ("balance", "row-sum", "complete")] == [
        ("balance", "warn", [column(BALANCE_ROWS, 0)]),
        ("row-sum", "warn", [row("new_received")]),
        ("complete", "warn", [["requests.new_received[0]"]]),
    ]
    finding = check_of(found, "balance")["findings"][0]
    assert (finding["expected"], finding["found"]) == (None, 27)
    assert "一+二=？（？+2）" in finding["message"]


def test_review_totals_must_add_up():
    record = gold_record(JIANGXI)
    assert flat(run(record, "review-sum")) == ("review-sum", "pass", [])
    record["reviews"]["litigation_direct"][4] = 4
    check = run(record, "review-sum")
    assert flat(check) == ("review-sum", "fail", [[f"reviews.litigation_direct[{i}]" for i in range(5)]])
    assert (check["findings"][0]["expected"], check["findings"][0]["found"]) == (3, 4)
    assert check["findings"][0]["message"] == "行政诉讼 · 未经复议直接起诉：维持+纠正+其他+尚未审结=3（3+0+0+0），总计=4"


def test_the_2019_templates_single_other_processing_row_is_summed():
    record = gold_record(JIANGXI)
    record["requests"]["other_processing"][4] = 1
    found = run_single_json(record)
    assert flat(check_of(found, "row-sum")) == ("row-sum", "fail", [row("other_processing")])
    outcomes_2019 = OUTCOMES_2021[:-3] + ["other_processing"]
    assert flat(check_of(found, "outcome-sum")) == ("outcome-sum", "fail", [
        column(outcomes_2019, 4) + ["requests.total[4]"]])


@st.composite
def consistent_table_b(draw) -> dict:
    """A 2021-template table B that obeys the template's arithmetic by construction."""
    requests = {key: [draw(st.integers(0, 9)) for _ in range(6)] for key in OUTCOMES_2021}
    requests["total"] = [sum(requests[k][c] for k in OUTCOMES_2021) for c in range(6)]
    requests["carried_forward"] = [draw(st.integers(0, 5)) for _ in range(6)]
    requests["carried_over"] = [draw(st.integers(0, requests["total"][c] + requests["carried_forward"][c]))
                                for c in range(6)]
    requests["new_received"] = [requests["total"][c] + requests["carried_forward"][c] - requests["carried_over"][c]
                                for c in range(6)]
    for values in requests.values():
        values.append(sum(values))
    return requests


@settings(max_examples=60, deadline=None)
@given(consistent_table_b(), st.data())
def test_every_single_typo_in_table_b_is_caught_and_named(requests, data):
    record = gold_record(XIANNING)
    record["requests"] = requests
    arithmetic = ("balance", "row-sum", "outcome-sum")
    assert [run(record, r)["status"] for r in arithmetic] == ["pass"] * 3
    key = data.draw(st.sampled_from(sorted(requests)))
    index = data.draw(st.integers(0, 6))
    requests[key][index] += data.draw(st.sampled_from([-1, 1, 10]))
    found = [run(record, r) for r in arithmetic]
    assert "fail" in [c["status"] for c in found] and "warn" not in [c["status"] for c in found]
    named = {cell for c in found for f in c["findings"] for cell in f["cells"]}
    assert f"requests.{key}[{index}]" in named


def test_a_missing_table_row_is_a_doubt_not_a_pass():
    record = gold_record(WUHAN)
    del record["requests"]["granted"]
    found = run_single_json(record)
    assert check_of(found, "row-sum")["status"] == "warn"
    assert check_of(found, "outcome-sum")["status"] == "warn"
    assert flat(check_of(found, "complete")) == ("complete", "warn", [row("granted")])


# --- nothing passes by accident ----------------------------------------------------------

@pytest.mark.parametrize("empty", [None, {}, "blank"])
def test_an_empty_record_passes_nothing(empty):
    from conftest import blank_json
    record = blank_json("raw_reports/x.txt", "", "text") if empty == "blank" else empty
    found = run_single_json(record)
    statuses = {c["rule"]: c["status"] for c in found}
    assert "pass" not in statuses.values()
    assert statuses["complete"] == "warn"
    assert [c["cells"] for c in check_of(found, "complete")["findings"]] == [["active"], ["requests"], ["reviews"]]
    assert {r: s for r, s in statuses.items() if r != "complete"} == {r: "n/a" for r in ISSUE_RULES if r != "complete"}


def test_missing_tables_make_their_rules_not_applicable_and_the_record_incomplete():
    record = gold_record(WUHAN)
    record["reviews"] = {}
    record["problems"].append({"code": "missing-table", "where": "reviews", "text": ""})
    found = run_single_json(record)
    assert check_of(found, "review-sum")["status"] == "n/a"
    assert check_of(found, "review-sum")["note"] == "表C（行政复议、行政诉讼情况）缺失"
    assert flat(check_of(found, "complete")) == ("complete", "warn", [["reviews"]])
    # our reading's limit, never the publisher's error (issue 15)
    assert result(check_of(found, "complete")) == "doubt"
    assert describe(check_of(found, "complete")) == "无法核实（本站读取存疑）"



def test_complete_lists_every_cell_the_other_rules_doubt():
    # One answer to "is this cell doubtful?" (rulekit.uncertain): an amount whose unit is a guess
    # leaves the record incomplete, as it leaves unverified any rule that names it.
    record = gold_record(JIANGXI)
    assert run(record, "complete")["status"] == "pass"
    record["problems"].append({"code": "unit-not-stated", "where": "active.procurement.amount_yuan", "text": "121"})
    assert flat(run(record, "complete")) == ("complete", "warn", [["active.procurement.amount_yuan"]])

# --- template ------------------------------------------------------------------------------

def test_template_must_match_the_reporting_year():
    late_adopter = gold_record(JIANGXI)
    late_adopter["year"] = 2021
    check = run(late_adopter, "template")
    assert flat(check) == ("template", "fail", [["template", "year"]])
    assert (check["findings"][0]["expected"], check["findings"][0]["found"]) == ("2021", "2019")
    assert check["severity"] == "warning"
    early = gold_record(XIANNING)
    early["year"] = 2020
    assert flat(run(early, "template")) == ("template", "fail", [["template", "year"]])
    for year, status in ((2018, "n/a"), (None, "n/a"), (2019, "fail"), (2024, "pass")):
        record = gold_record(XIANNING)
        record["year"] = year
        assert run(record, "template")["status"] == status, year


def test_a_doubtful_year_makes_a_template_mismatch_unverified():
    record = gold_record(JIANGXI)
    record["year"] = 2021
    record["problems"].append({"code": "ambiguous-year", "where": "year", "text": "2020—2021年"})
    assert run(record, "template")["status"] == "warn"


# --- on-time ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name, kind", [
    ("咸宁市政府国资委", "department"), ("市国资委", "department"), ("江西省人民政府办公厅", "department"),
    ("武汉市江汉区人民政府办公室", "department"), ("示例市统计局", "department"), ("省教育厅", "department"),
    ("示例市政务服务中心", "department"), ("示例市卫生健康委员会", "department"),
    ("江西省人民政府", "government"), ("武汉市江汉区人民政府", "government"), ("江汉区政府", "government"),
    ("五原县和胜乡", "government"), ("示例县城关镇", "government"), ("示例区花园街道办事处", "government"),
    ("示例区花园街道", "government"), ("示例市自来水有限公司", None), ("", None), (None, None),
    ("示例经济技术开发区管理委员会", None), ("示例高新区管委会", None),
    ("示例县人民政府（本级）", "government"), ("示例自治州政府", "government"), ("示例旗某某苏木", "government"),
    ("平潭综合实验区", "government"), ("示例市", "government"), ("示例自治县", "government"),
    ("平潭县人民政府国有资产监督管理委员会", "department"),
])
def test_kind_of_body_is_told_from_its_name(name, kind):
    assert body_kind(name) == kind


@pytest.mark.parametrize("name, published, status", [
    ("咸宁市政府国资委", "2022-01-31", "pass"), ("咸宁市政府国资委", "2022-02-01", "fail"),
    ("五原县和胜乡", "2022-03-31", "pass"), ("五原县和胜乡", "2022-04-01", "fail"),
    ("江西省人民政府办公厅", "2022-03-01", "fail"),
    ("示例市自来水有限公司", "2022-06-01", "n/a"), (None, "2022-06-01", "n/a"), ("咸宁市政府国资委", None, "n/a"),
    ("咸宁市政府国资委", "2021-12-30", "n/a"), ("咸宁市政府国资委", "2022年1月", "n/a"),
])
def test_reports_are_due_by_january_or_march(name, published, status):
    record = gold_record(XIANNING)  # reporting year 2021
    record["agency"]["name"], record["published"] = name, published
    check = run(record, "on-time")
    assert check["status"] == status
    if status == "fail":
        assert flat(check) == ("on-time", "fail", [["published"]])
        assert check["findings"][0]["found"] == published


def test_a_late_report_says_when_it_was_due():
    record = gold_record(XIANNING)
    record["published"] = "2022-02-15"
    finding = run(record, "on-time")["findings"][0]
    assert finding["expected"] == "2022-01-31"
    assert finding["message"] == "咸宁市政府国资委属政府部门，应于2022年1月31日前公布2021年度报告，实际发布于2022年2月15日"


# --- narrative -----------------------------------------------------------------------------------

def _wuhan_narrative() -> dict:
    sentence = "2021年共收到网上申请、邮寄申请及现场申请的依申请公开事项27件,其中自然人申请25件,法人申请2件"
    return {
        "received": {"value": 27, "sentence": sentence},
        "received_natural_person": {"value": 25, "sentence": sentence},
        "received_legal_person": {"value": 2, "sentence": sentence},
        "handled": {"value": 26, "sentence": "共办结26件"},
        "carried_over": {"value": 2, "sentence": "上年结转2件"},
        "carried_forward": {"value": 3, "sentence": "3件承转到下一年办结"},
        "reconsideration": {"value": 1, "sentence": "行政复议1件"},
        "litigation": {"value": 2, "sentence": "行政诉讼2件"},
    }


def test_narrative_figures_that_agree_with_the_tables_pass():
    record = gold_record(WUHAN)
    record["narrative"] = _wuhan_narrative()
    assert flat(run(record, "narrative")) == ("narrative", "pass", [])


def test_a_narrative_figure_that_disagrees_is_a_warning_level_failure():
    record = gold_record(WUHAN)
    record["narrative"] = _wuhan_narrative()
    record["narrative"]["handled"] = {"value": 24, "sentence": "其中24件全部办结"}
    record["narrative"]["litigation"] = {"value": 3, "sentence": "行政诉讼3件"}
    check = run(record, "narrative")
    assert flat(check) == ("narrative", "fail", [
        ["requests.total[6]", "narrative.handled"],
        ["reviews.litigation_direct[4]", "reviews.litigation_after_reconsideration[4]", "narrative.litigation"],
    ])
    assert check["severity"] == "warning"
    handled = check["findings"][0]
    assert (handled["expected"], handled["found"], handled["sentence"]) == (26, 24, "其中24件全部办结")
    assert handled["message"] == "正文称24件（“其中24件全部办结”），表中三（七）总计·总计为26件"


def test_narrative_without_figures_or_tables_is_not_applicable():
    assert run(gold_record(WUHAN), "narrative")["status"] == "n/a"
    record = gold_record(WUHAN)
    record["narrative"] = {"reconsideration": {"value": 1, "sentence": "行政复议1件"}}
    record["reviews"] = {}
    assert run(record, "narrative")["status"] == "n/a"


# --- source-integrity ---------------------------------------------------------------------------

def test_a_tampered_page_fails_source_integrity_quoting_the_spam():
    record = gold_record(WUHAN)
    # quoted from the problems that name removed spam (the record has no other list of it)
    record["problems"] += [{"code": "spam-removed", "where": "report", "text": t} for t in ("利博官网", "利博-利博官网", "利博官网")]
    check = run(record, "source-integrity")
    assert flat(check) == ("source-integrity", "fail", [["agency.tampered"]])
    assert check["findings"][0]["found"] == ["利博官网", "利博-利博官网"]
    assert check["findings"][0]["message"] == "页面中发现垃圾广告或其他注入文字，读取时已去除：“利博官网”、“利博-利博官网”"
    assert describe(check) == "发现注入内容（页面被篡改）"


def test_a_spam_problem_fails_source_integrity_even_without_the_flag():
    record = gold_record("003_78cb5ee3af34762b")
    assert run(record, "source-integrity")["status"] == "pass"
    record["problems"].append({"code": "spam-removed", "where": "report", "text": "bet36体育投注"})
    check = run(record, "source-integrity")
    assert check["status"] == "fail"
    assert check["findings"][0]["found"] == ["bet36体育投注"]


# --- corpus rules -----------------------------------------------------------------------------------

def _year_pair(carried_over: list[int]) -> tuple[dict, dict]:
    """The Wuhan figures as 2021, and a synthetic 2022 report of the same agency."""
    earlier = gold_record(WUHAN)
    earlier["agency"].update(name="示例区人民政府", slug=agency_slug("示例区人民政府", "a"))
    later = copy.deepcopy(earlier)
    later["source"]["path"], later["year"], later["published"] = "raw_reports/2022.txt", 2022, "2023-03-01"
    b = later["requests"]
    b["carried_over"] = carried_over
    b["new_received"] = [10, 0, 0, 0, 0, 0, 10]
    for key in b:
        if key not in ("new_received", "carried_over"):
            b[key] = [0] * 7
    b["granted"] = [10 + carried_over[0], 0, 0, 0, 0, 0, 10 + carried_over[0]]
    b["total"] = list(b["granted"])
    later["active"]["normative_documents"] = {"issued": 4, "repealed": 1, "in_force": 25}  # 22 + 4 − 1
    return earlier, later


def _corpus(*records: dict) -> list[dict]:
    for record in records:
        record["checks"] = run_single_json(record)
    run_corpus_json(list(records))
    return list(records)


def test_single_reports_leave_corpus_rules_to_the_build():
    found = run_single_json(gold_record(WUHAN))
    assert {r: check_of(found, r)["status"] for r in CORPUS} == {r: "n/a" for r in CORPUS}


def test_gxsite_parse_judges_one_file_and_leaves_corpus_rules_to_the_build(capsys):
    import json

    from gxsite import cli
    assert cli.main(["parse", "--json", str(SEEDS / "000_0f5bb17b6d0f1089.txt")]) == 0
    record = json.loads(capsys.readouterr().out)
    found = {c["rule"]: c["status"] for c in record["checks"]}
    assert list(found) == [r.id for r in checks.RULES]
    assert (found["balance"], found["source-integrity"]) == ("pass", "fail")
    assert {r: found[r] for r in CORPUS} == {r: "n/a" for r in CORPUS}


def test_carry_over_that_matches_last_years_carried_forward_passes():
    earlier, later = _corpus(*_year_pair([3, 0, 0, 0, 0, 0, 3]))
    assert flat(check_of(later, "carry-over")) == ("carry-over", "pass", [])
    assert flat(check_of(later, "in-force")) == ("in-force", "pass", [])
    assert check_of(later, "balance")["status"] == "pass"  # the synthetic year is itself consistent
    assert check_of(earlier, "carry-over")["status"] == "n/a"
    assert check_of(earlier, "carry-over")["note"] == "没有该机关2020年度的报告"


def test_carry_over_that_differs_from_last_year_fails_per_column():
    earlier, later = _corpus(*_year_pair([1, 0, 0, 0, 0, 0, 1]))
    check = check_of(later, "carry-over")
    assert flat(check) == ("carry-over", "fail", [["requests.carried_over[0]"], ["requests.carried_over[6]"]])
    assert [(f["expected"], f["found"], f["other_source"]) for f in check["findings"]] == [
        (3, 1, "raw_reports/001_0935331167c41a19.txt"), (3, 1, "raw_reports/001_0935331167c41a19.txt")]
    assert check["findings"][1]["message"] == "总计列：本年“二、上年结转”=1，2021年度报告“四、结转下年度继续办理”=3"


def test_carry_over_against_a_doubtful_figure_of_last_year_is_unverified():
    earlier, later = _year_pair([1, 0, 0, 0, 0, 0, 1])
    earlier["problems"].append({"code": "garbled-number", "where": "requests.carried_forward", "text": "3?"})
    _corpus(earlier, later)
    check = check_of(later, "carry-over")
    assert flat(check) == ("carry-over", "warn", [["requests.carried_over[0]"], ["requests.carried_over[6]"]])
    assert check["findings"][1]["message"] == \
        "无法核实（相关数字读取存疑）：总计列：本年“二、上年结转”=1，2021年度报告“四、结转下年度继续办理”=3"


def test_in_force_documents_must_follow_from_last_year():
    earlier, later = _year_pair([3, 0, 0, 0, 0, 0, 3])
    later["active"]["normative_documents"]["in_force"] = 30
    _corpus(earlier, later)
    check = check_of(later, "in-force")
    assert flat(check) == ("in-force", "fail", [[f"active.normative_documents.{f}" for f in ("issued", "repealed", "in_force")]])
    assert (check["findings"][0]["expected"], check["findings"][0]["found"]) == (25, 30)
    assert check["findings"][0]["message"] == "行政规范性文件：上年现行有效22+本年制发4−本年废止1=25，本年现行有效30"


def test_in_force_needs_the_2021_template_both_years():
    earlier, later = _year_pair([3, 0, 0, 0, 0, 0, 3])
    earlier["template"] = "2019"
    _corpus(earlier, later)
    assert check_of(later, "in-force")["status"] == "n/a"


def test_unnamed_agencies_are_never_taken_for_one_another():
    earlier, later = _year_pair([1, 0, 0, 0, 0, 0, 1])
    for record in (earlier, later):
        record["agency"].update(name=None, slug=agency_slug(None, record["source"]["path"]))
    _corpus(earlier, later)
    assert check_of(later, "carry-over")["status"] == "n/a"


def test_names_without_their_city_are_never_taken_for_one_another():
    earlier, later = _year_pair([1, 0, 0, 0, 0, 0, 1])
    first, second = gold_record("003_78cb5ee3af34762b"), gold_record("003_78cb5ee3af34762b")
    second["source"]["path"] = "raw_reports/another-city.txt"
    second["requests"]["new_received"][0] = 3
    for record in (earlier, later):
        record["agency"].update(name="市国资委", slug=agency_slug("市国资委", "a"))
    _corpus(earlier, later, first, second)
    assert [check_of(r, rule)["status"] for r in (later, first) for rule in ("carry-over", "duplicate-copies")] == \
        ["n/a"] * 4


def _named(*records: dict) -> None:
    """Seed 001's name was replaced by spam: these copies are given one for the corpus rules."""
    for record in records:
        record["agency"]["name"] = "武汉市江汉区人民政府"
        record["agency"]["slug"] = agency_slug("武汉市江汉区人民政府", "")


def test_two_reports_that_name_no_body_are_never_one_agency():
    """A review: unnamed reports in cityA/2022.html and cityB/2022.html were one agency, and
    duplicate-copies blamed two unrelated bodies."""
    first, second = gold_record(WUHAN), gold_record(WUHAN)
    first["source"]["path"], second["source"]["path"] = "raw_reports/cityA/2022.txt", "raw_reports/cityB/2022.txt"
    for record in (first, second):
        record["agency"]["slug"] = agency_slug(None, record["source"]["path"])
    second["reviews"]["reconsideration"] = [0, 0, 1, 0, 1]
    assert first["agency"]["slug"] != second["agency"]["slug"]
    _corpus(first, second)
    assert check_of(first, "duplicate-copies")["status"] == check_of(second, "duplicate-copies")["status"] == "n/a"


def test_duplicate_copies_that_differ_are_both_flagged_naming_each_other():
    first, second = gold_record(WUHAN), gold_record(WUHAN)
    _named(first, second)
    second["source"]["path"] = "raw_reports/copy.txt"
    second["reviews"]["reconsideration"] = [0, 0, 1, 0, 1]
    _corpus(first, second)
    cells = ["reviews.reconsideration[1]", "reviews.reconsideration[2]"]
    assert flat(check_of(first, "duplicate-copies")) == ("duplicate-copies", "fail", [cells])
    assert flat(check_of(second, "duplicate-copies")) == ("duplicate-copies", "fail", [cells])
    assert check_of(first, "duplicate-copies")["findings"][0]["other_source"] == "raw_reports/copy.txt"
    assert check_of(second, "duplicate-copies")["findings"][0]["other_source"] == "raw_reports/001_0935331167c41a19.txt"
    assert check_of(first, "duplicate-copies")["findings"][0]["message"] == (
        "与同一机关同一年度的另一份报告（raw_reports/copy.txt）数字不一致，共2处："
        "行政复议·结果纠正：本件1，另一份0；行政复议·其他结果：本件0，另一份1")
    assert check_of(first, "duplicate-copies")["findings"][0]["found"] == \
        {"reviews.reconsideration[1]": 1, "reviews.reconsideration[2]": 0}


def test_duplicate_copies_that_agree_pass_and_a_single_copy_is_not_applicable():
    first, second, other_year = gold_record(WUHAN), gold_record(WUHAN), gold_record(WUHAN)
    _named(first, second, other_year)
    second["source"]["path"] = "raw_reports/copy.txt"
    other_year["source"]["path"], other_year["year"] = "raw_reports/2020.txt", 2020
    _corpus(first, second, other_year)
    assert check_of(first, "duplicate-copies")["status"] == "pass"
    assert check_of(second, "duplicate-copies")["status"] == "pass"
    assert check_of(other_year, "duplicate-copies")["status"] == "n/a"


def test_run_corpus_fills_records_that_were_never_checked():
    earlier, later = _year_pair([3, 0, 0, 0, 0, 0, 3])
    run_corpus_json([earlier, later])
    assert [c["rule"] for c in later["checks"]] == [r.id for r in checks.RULES]
    assert check_of(later, "carry-over")["status"] == "pass"


# --- fixtures read by the real parser ----------------------------------------------------------------

def parsed(name: str, shown: str | None = None) -> dict:
    record = parse_file(FIXTURES / name, shown or f"tests/fixtures/{name}")
    record["agency"]["slug"] = agency_slug(record["agency"]["name"], record["source"]["path"])
    record["checks"] = run_single_json(record)
    return record


ALL_PASS = {rule: "pass" for rule in SINGLE} | {"narrative": "n/a"}
COLUMN_0_6 = [column(BALANCE_ROWS, 0), column(BALANCE_ROWS, 6)]
# Fixture → the single-report rules that do not pass, with the cells of each finding.
# All are in the pipe layout of seed 000 except *-cell-lines.txt (one cell per line, as seeds 001/003).
FIXTURE_VERDICTS = {
    "consistent.txt": {"narrative": ("pass", [])},
    "consistent-cell-lines.txt": {"narrative": ("pass", [])},
    "outcome-sum-broken-cell-lines.txt": {"outcome-sum": ("fail", [outcome_column(0), outcome_column(6)])},
    "government-published-in-march.txt": {},
    "balance-broken.txt": {"balance": ("fail", COLUMN_0_6)},
    "balance-doubtful.txt": {"balance": ("warn", COLUMN_0_6),
                             "complete": ("warn", [["requests.carried_forward[0]", "requests.carried_forward[6]"]])},
    "row-sum-broken.txt": {"row-sum": ("fail", [row("granted"), row("partially_granted")])},
    "outcome-sum-broken.txt": {"outcome-sum": ("fail", [outcome_column(0), outcome_column(6)])},
    "review-sum-broken.txt": {"review-sum": ("fail", [[f"reviews.reconsideration[{i}]" for i in range(5)]])},
    "garbled-number.txt": {"complete": ("warn", [["requests.new_received[0]"]])},
    "table-c-missing.txt": {"review-sum": ("n/a", []), "complete": ("warn", [["reviews"]])},
    "template-mismatch.txt": {"template": ("fail", [["template", "year"]])},
    "published-late.txt": {"on-time": ("fail", [["published"]])},
    "narrative-mismatch.txt": {"narrative": ("fail", [["requests.new_received[6]", "requests.carried_over[6]", "narrative.received"]])},
    "spam-injected.txt": {"source-integrity": ("fail", [["agency.tampered"]])},
}


@pytest.mark.parametrize("name", sorted(FIXTURE_VERDICTS))
def test_fixture_breaks_exactly_the_rule_it_is_named_after(name):
    record = parsed(name)
    found = sorted(flat(check_of(record, rule)) for rule in SINGLE)
    expected = {rule: (status, []) for rule, status in ALL_PASS.items()} | FIXTURE_VERDICTS[name]
    assert found == sorted((rule, status, cells) for rule, (status, cells) in expected.items())


def test_fixture_findings_carry_the_publishers_figures():
    balance = check_of(parsed("balance-broken.txt"), "balance")["findings"]
    assert [(f["expected"], f["found"], f["unverified"]) for f in balance] == [(6, 7, False), (8, 9, False)]
    narrative = check_of(parsed("narrative-mismatch.txt"), "narrative")["findings"][0]
    assert (narrative["expected"], narrative["found"]) == (7, 9)
    late = check_of(parsed("published-late.txt"), "on-time")["findings"][0]
    assert (late["expected"], late["found"]) == ("2022-01-31", "2022-02-15")


def test_fixture_years_carry_over_and_copies_agree():
    kept = [parsed("carry-over-2021.txt"), parsed("carry-over-kept-2022.txt"),
            parsed("carry-over-kept-2022.txt", "tests/fixtures/copy/carry-over-kept-2022.txt")]
    run_corpus_json(kept)
    assert [flat(check_of(kept[1], r)) for r in CORPUS] == [
        ("carry-over", "pass", []), ("in-force", "pass", []), ("duplicate-copies", "pass", [])]
    assert [check_of(kept[0], r)["status"] for r in CORPUS] == ["n/a", "n/a", "n/a"]


def test_fixture_years_whose_carry_over_breaks():
    records = [parsed("carry-over-2021.txt"), parsed("carry-over-broken-2022.txt")]
    run_corpus_json(records)
    assert [flat(check_of(records[1], r)) for r in CORPUS] == [
        ("carry-over", "fail", [["requests.carried_over[0]"], ["requests.carried_over[6]"]]),
        ("in-force", "fail", [[f"active.normative_documents.{f}" for f in ("issued", "repealed", "in_force")]]),
        ("duplicate-copies", "n/a", []),
    ]


def test_fixture_copies_that_differ_flag_each_other():
    records = [parsed("carry-over-kept-2022.txt"), parsed("duplicate-differs-2022.txt")]
    run_corpus_json(records)
    cells = ["reviews.reconsideration[0]", "reviews.reconsideration[1]"]
    assert [flat(check_of(r, "duplicate-copies")) for r in records] == [("duplicate-copies", "fail", [cells])] * 2
    assert check_of(records[0], "duplicate-copies")["findings"][0]["other_source"] == \
        "tests/fixtures/duplicate-differs-2022.txt"


# --- the seeds through the whole pipeline ----------------------------------------------------------------

def test_seeds_get_their_expected_verdicts_through_parse_and_checks():
    records = []
    for gold_path in gold_files():
        source = SEEDS / load_gold(gold_path)["file"]
        record = parse_file(source, f"raw_reports/{source.name}")
        record["agency"]["slug"] = agency_slug(record["agency"]["name"], record["source"]["path"])
        record["checks"] = run_single_json(record)
        records.append(record)
    run_corpus_json(records)
    found = {r["source"]["path"]: {c["rule"]: c["status"] for c in r["checks"]} for r in records}
    expected = {f"raw_reports/{load_gold(p)['file']}": load_gold(p)["expect_checks"] for p in gold_files()}
    assert {path: {rule: found[path][rule] for rule in rules} for path, rules in expected.items()} == expected


# --- derived figures ---------------------------------------------------------------------------

def test_a_rate_is_never_derived_from_a_doubtful_cell_or_a_total_left_blank():
    """Issue 14: a report whose publisher left the 总计 column blank showed 予以公开或部分公开占比 0.0%."""
    from gxsite.site import agency_page as pages_agency
    record = gold_record(JIANGXI)
    assert "无法计算" not in pages_agency.headline(report(record))
    blank = copy.deepcopy(record)
    blank["requests"]["granted"][6] = 0
    blank["provenance"]["requests.granted[6]"] = {"text": "", "line": 1, "offset": 0}
    assert "予以公开或部分公开占比：无法计算" in pages_agency.headline(report(blank))
    doubtful = copy.deepcopy(record)
    doubtful["problems"].append({"code": "garbled-number", "where": "requests.total[6]", "text": "2?"})
    assert "予以公开或部分公开占比：无法计算" in pages_agency.headline(report(doubtful))
