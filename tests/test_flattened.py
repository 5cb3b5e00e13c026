"""Cells recovered from flattened rows (gxsite.flattened): right when recovered, null otherwise."""

from __future__ import annotations

import time
from itertools import combinations, product

from hypothesis import given, settings, strategies as st

from gxsite.parsing import flattened
from gxsite.parsing.runs import chunk_readings
from gxsite import record as rec

KEYS_2019 = [k for k, _ in rec.request_rows("2019")]
KEYS_2021 = [k for k, _ in rec.request_rows("2021")]
NO_SPLIT = flattened._NO_SPLIT
MANY = flattened._MANY_SPLITS


def runs_of(rows: dict[str, list[int]], template: str = "2019") -> dict[str, str]:
    """Flattened runs of a table that is all zeros except `rows`."""
    table = {k: [0] * 7 for k, _ in rec.request_rows(template)}
    table.update(rows)
    return {k: "".join(str(v) for v in values) for k, values in table.items()}


def split_requests(*args):
    """flattened.split_requests with its problems as JSON, the shape these tests state them in."""
    values, problems = flattened.split_requests(*args)
    return values, [p.to_json() for p in problems]


def split_reviews(*args):
    values, problems = flattened.split_reviews(*args)
    return values, [p.to_json() for p in problems]


def null_problems(where: list[str], text: str, message: str) -> list[dict]:
    return [{"code": "ambiguous-split", "where": w, "text": text, "message": message} for w in where]


# --- table B ------------------------------------------------------------------------

def test_issue_example_is_recovered_from_the_table():
    # `本年新收政府信息公开申请数量801000081`: with the rest of the table it is 80, 1, 0, 0, 0, 0, 81
    rows = {"new_received": [80, 1, 0, 0, 0, 0, 81], "granted": [70, 1, 0, 0, 0, 0, 71],
            "unavailable_not_held": [10, 0, 0, 0, 0, 0, 10], "total": [80, 1, 0, 0, 0, 0, 81]}
    values, problems = split_requests(runs_of(rows, "2021"), "2021")
    assert problems == []
    assert values["new_received"] == [80, 1, 0, 0, 0, 0, 81]
    assert values["unavailable_not_held"] == [10, 0, 0, 0, 0, 0, 10]
    assert values["denied_state_secret"] == [0] * 7
    assert set(values) == set(KEYS_2021)


def test_row_ambiguous_alone_is_settled_by_the_column_rules():
    # 1110201024 splits four ways as a row; the outcome rows and the balance leave one
    rows = {"new_received": [1, 11, 0, 2, 0, 10, 24], "granted": [1, 7, 0, 0, 0, 7, 15],
            "unavailable_not_held": [0, 4, 0, 2, 0, 3, 9], "total": [1, 11, 0, 2, 0, 10, 24]}
    runs = runs_of(rows)
    assert len(flattened._row_splits([runs["new_received"]], 100)) == 4
    values, problems = split_requests(runs, "2019")
    assert problems == []
    for key, expected in rows.items():
        assert values[key] == expected


def test_cells_shared_by_every_solution_are_kept_and_the_rest_nulled():
    # 111000012 is 1|1|10, 1|11|0 or 11|1|0 then 0|0|0|12; copying it through the table settles nothing
    rows = {"new_received": [11, 1, 0, 0, 0, 0, 12], "granted": [11, 1, 0, 0, 0, 0, 12], "total": [11, 1, 0, 0, 0, 0, 12]}
    runs = runs_of(rows)
    values, problems = split_requests(runs, "2019")
    for key in rows:
        assert values[key] == [None, None, None, 0, 0, 0, 12]
    expected = []
    for key in ("new_received", "granted", "total"):
        expected += null_problems([f"requests.{key}[{i}]" for i in range(3)], runs[key], MANY)
    assert sorted(problems, key=str) == sorted(expected, key=str)


def test_a_table_that_breaks_both_identities_is_nulled_not_guessed():
    # （七）总计 says 11 but the only outcome row says 10, and 一 says 10: neither the outcome sums
    # nor the balance hold in any split, so no row is settled by more than its own total
    rows = {"new_received": [10, 0, 0, 0, 0, 0, 10], "granted": [10, 0, 0, 0, 0, 0, 10], "total": [11, 0, 0, 0, 0, 0, 11]}
    runs = runs_of(rows)
    values, problems = split_requests(runs, "2019")
    for key in rows:
        assert values[key] == [None] * 7
    assert values["carried_over"] == [0] * 7
    expected = []
    for key in rows:
        expected += null_problems([f"requests.{key}[{i}]" for i in range(7)], runs[key], NO_SPLIT)
    assert sorted(problems, key=str) == sorted(expected, key=str)


def test_a_row_only_its_own_wrong_total_settles_is_not_made_up():
    """A review: 10,25,5,10,0,5 printed with the total 54 (10255100554) was read as
    1,0,2,551,0,0,554 with no doubt, and outcome-sum then blamed the publisher with made-up figures."""
    rows = {"new_received": [55, 0, 0, 0, 0, 0, 55], "total": [55, 0, 0, 0, 0, 0, 55],
            "granted": [10, 25, 5, 10, 0, 5, 54], "unavailable_not_held": [0] * 7}
    runs = runs_of(rows)
    runs["granted"] = "10255100554"
    values, problems = split_requests(runs, "2019")
    assert values["granted"] == [None] * 7
    assert {p["where"] for p in problems} >= {f"requests.granted[{i}]" for i in range(7)}


def test_seven_digits_whose_row_does_not_add_up_are_not_read_one_a_cell():
    """A run of exactly seven digits was split one digit a cell with no arithmetic (issue 14): a row
    25,2,0,0,0,0,27 that lost digits reads 2520027, which must not become 2,5,2,0,0,2,7 and then a
    row-sum failure blamed on the publisher."""
    runs = runs_of({"new_received": [0] * 7})
    runs["new_received"] = "2520027"
    values, problems = split_requests(runs, "2019")
    assert values["new_received"] == [None] * 7
    assert {p["where"] for p in problems} == {f"requests.new_received[{i}]" for i in range(7)}
    runs["new_received"] = "2 5 2 0 0 2 7"  # every cell set apart: what was printed, even if wrong
    assert split_requests(runs, "2019")[0]["new_received"] == [2, 5, 2, 0, 0, 2, 7]


def test_a_row_with_no_valid_split_is_null_and_its_rules_dropped():
    runs = runs_of({"new_received": [3, 0, 0, 0, 0, 0, 3], "granted": [3, 0, 0, 0, 0, 0, 3], "total": [3, 0, 0, 0, 0, 0, 3]})
    runs["carried_forward"] = "12345678"  # no six numbers before a suffix add up to it
    values, problems = split_requests(runs, "2019")
    assert values["carried_forward"] == [None] * 7
    assert problems == null_problems([f"requests.carried_forward[{i}]" for i in range(7)], "12345678", NO_SPLIT)
    assert values["granted"] == [3, 0, 0, 0, 0, 0, 3]


def test_letters_are_not_numbers_in_table_b():
    runs = runs_of({})
    runs["granted"] = "1x10000"
    values, problems = split_requests(runs, "2019")
    assert values["granted"] == [None] * 7
    assert {p["where"] for p in problems} == {f"requests.granted[{i}]" for i in range(7)}
    assert all(p["code"] == "ambiguous-split" and p["text"] == "1x10000" for p in problems)


def test_a_dash_in_table_b_is_a_zero_not_a_sign():
    # table B has no negative figures: `1-00001` is 1 | - | 0 | 0 | 0 | 0 | 1
    runs = runs_of({"granted": [1, 0, 0, 0, 0, 0, 1], "new_received": [1, 0, 0, 0, 0, 0, 1], "total": [1, 0, 0, 0, 0, 0, 1]})
    runs["granted"] = "1-00001"
    values, problems = split_requests(runs, "2019")
    assert values["granted"] == [1, 0, 0, 0, 0, 0, 1] and problems == []


def test_zero_words_and_spaces_are_cell_boundaries():
    runs = runs_of({})
    runs["granted"] = "0 0 无 0 — 0 0"
    values, problems = split_requests(runs, "2019")
    assert values["granted"] == [0] * 7 and problems == []


def test_long_runs_finish_fast():
    # a busy agency: 4-5 digit figures, ~35 digits a row
    rows = {"new_received": [12034, 2310, 105, 77, 980, 1201, 16707],
            "granted": [9000, 2000, 100, 70, 900, 1200, 13270],
            "unavailable_not_held": [3034, 310, 5, 7, 80, 1, 3437],
            "total": [12034, 2310, 105, 77, 980, 1201, 16707]}
    start = time.perf_counter()
    values, problems = split_requests(runs_of(rows, "2021"), "2021")
    assert time.perf_counter() - start < 2.0
    for key, expected in rows.items():
        assert [v for v in values[key] if v is not None] == [e for e, v in zip(expected, values[key]) if v is not None]


def test_explosive_runs_fall_back_to_ambiguous():
    runs = runs_of({})
    runs["granted"] = "1" * 60
    start = time.perf_counter()
    values, problems = split_requests(runs, "2019")
    assert time.perf_counter() - start < 5.0
    assert values["granted"] == [None] * 7
    assert {p["where"] for p in problems} == {f"requests.granted[{i}]" for i in range(7)}


# --- reference: every consistent split of the whole table, by brute force -------------

def _row_options(run: str) -> list[tuple]:
    options = []
    for cuts in combinations(range(1, len(run)), 6):
        bounds = (0,) + cuts + (len(run),)
        parts = [run[a:b] for a, b in zip(bounds, bounds[1:])]
        if all(p == "0" or p[0] != "0" for p in parts):
            values = tuple(int(p) for p in parts)
            if sum(values[:6]) == values[6]:
                options.append(values)
    return options


def _brute_force(runs: dict[str, str], template: str) -> list[dict]:
    keys = list(runs)
    outcome = rec.outcome_keys(template)
    solutions = []
    for choice in product(*(_row_options(runs[k]) for k in keys)):
        t = dict(zip(keys, choice))
        if all(t["new_received"][c] + t["carried_over"][c] == t["total"][c] + t["carried_forward"][c]
               and sum(t[k][c] for k in outcome) == t["total"][c] for c in range(7)):
            solutions.append(t)
    return solutions


small = st.sampled_from([0, 0, 0, 1, 2, 3, 10, 11, 12, 20, 101])


@st.composite
def small_tables(draw):
    """A consistent 2019 table with few non-zero rows, so brute force stays cheap."""
    new = [draw(small) for _ in range(6)]
    over = [draw(st.sampled_from([0, 0, 1, 10])) for _ in range(6)]
    forward = [draw(st.integers(0, n + o)) if draw(st.booleans()) else 0 for n, o in zip(new, over)]
    granted = [draw(st.integers(0, n + o - f)) for n, o, f in zip(new, over, forward)]
    rows = {"new_received": new, "carried_over": over, "carried_forward": forward, "granted": granted,
            "unavailable_not_held": [n + o - f - g for n, o, f, g in zip(new, over, forward, granted)],
            "total": [n + o - f for n, o, f in zip(new, over, forward)]}
    return {k: v + [sum(v)] for k, v in rows.items()}


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(small_tables())
def test_recovered_cells_are_exactly_those_every_solution_agrees_on(rows):
    runs = runs_of(rows)
    values, problems = split_requests(runs, "2019")
    solutions = _brute_force(runs, "2019")
    assert solutions  # the true table is one of them
    nulled = {p["where"] for p in problems}
    for key in runs:
        for c in range(7):
            seen = {s[key][c] for s in solutions}
            if len(seen) == 1:
                assert values[key][c] == seen.pop(), (key, c)
            else:
                assert values[key][c] is None and f"requests.{key}[{c}]" in nulled, (key, c)
    assert all(p["code"] == "ambiguous-split" for p in problems)
    assert len(nulled) == len(problems)


# --- table C ------------------------------------------------------------------------

def test_reviews_all_zero():
    values, problems = split_reviews("0" * 15)
    assert values == {g: [0] * 5 for g, _ in rec.REVIEW_GROUPS} and problems == []


def test_reviews_recovered_by_group_sums():
    # 1|0|0|1|2  0|0|0|0|0  10|0|0|2|12 → 16 digits, one consistent split
    run = "10012" + "00000" + "1000212"
    values, problems = split_reviews(run)
    assert problems == []
    assert values == {"reconsideration": [1, 0, 0, 1, 2], "litigation_direct": [0] * 5,
                      "litigation_after_reconsideration": [10, 0, 0, 2, 12]}


def test_reviews_ambiguous_cells_are_null_with_problems():
    run = "0011011" + "0" * 10  # 0|0|1|10|11 or 0|0|11|0|11
    values, problems = split_reviews(run)
    solutions = flattened._review_splits(chunk_readings(run)[0], 100)
    assert len(solutions) == 2
    assert values["reconsideration"] == [0, 0, None, None, 11]
    flat = [v for g, _ in rec.REVIEW_GROUPS for v in values[g]]
    for i, v in enumerate(flat):
        seen = {s[i] for s in solutions}
        assert v == (seen.pop() if len(seen) == 1 else None)
    wheres = {p["where"] for p in problems}
    assert wheres == {f"reviews.{rec.REVIEW_GROUPS[i // 5][0]}[{i % 5}]" for i, v in enumerate(flat) if v is None}
    assert wheres  # some cell is ambiguous


def test_reviews_that_do_not_add_up_are_null():
    run = "1000200000000000"  # 1|0|0|0|2 cannot be: 1 ≠ 2, and no other split adds up
    values, problems = split_reviews(run)
    assert all(v is None for g, _ in rec.REVIEW_GROUPS for v in values[g])
    assert len(problems) == 15 and {p["message"] for p in problems} == {NO_SPLIT}


# --- plain cells ----------------------------------------------------------------------

def test_plain_unique_by_format():
    assert flattened.split_plain("0015", 3) == [0, 0, 15]
    assert flattened.split_plain("100", 2) == [10, 0]  # "1|00" is not how a number is written
    assert flattened.split_plain("1 0 3", 3) == [1, 0, 3]


def test_plain_ambiguous_and_impossible():
    assert flattened.split_plain("12315", 3) == [None, None, None]
    assert flattened.split_plain("12", 3) is None
    assert flattened.split_plain("abc", 1) is None


def test_plain_reads_signed_changes():
    assert flattened.split_plain("10 -5 20", 3) == [10, -5, 20]
    # 10|-5|20, 10|-52|0 or 1|0|-520: nothing can be told
    assert flattened.split_plain("10-520", 3) == [None, None, None]


def test_a_double_dash_may_be_one_zero_or_two():
    # `——` is how many reports write one zero; two `—` cells side by side look the same
    runs = runs_of({})
    runs["granted"] = "——0000无"      # seven zeros: — — 0 0 0 0 无
    runs["carried_over"] = "——00000"  # seven zeros with `——` as one: —— 0 0 0 0 0 … or two
    values, problems = split_requests(runs, "2019")
    assert values["granted"] == [0] * 7 and values["carried_over"] == [0] * 7 and problems == []
    assert flattened.split_plain("——5", 2) == [0, 5]
    assert flattened.split_plain("——5", 3) == [0, 0, 5]


def test_a_thousands_comma_between_spaces_belongs_to_its_figure():
    """A second reader's variant: `1,200 30 2 5 8 0 1,245` was unreadable ('含有无法识别为数字的字符')."""
    runs = runs_of({"new_received": [0] * 7})
    runs["new_received"] = "1,200 30 2 5 8 0 1,245"
    assert split_requests(runs, "2019")[0]["new_received"] == [1200, 30, 2, 5, 8, 0, 1245]
    runs["new_received"] = "1,2003025801,245"  # glued: the commas may end cells as well
    assert split_requests(runs, "2019")[0]["new_received"] == [None] * 7
