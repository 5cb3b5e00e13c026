"""Cells recovered from flattened rows, where a crawler's get_text() ran the cells together.

`本年新收政府信息公开申请数量801000081` holds seven numbers with no separator. The
template's own arithmetic usually tells them apart: each row's 总计 is the sum of the
six applicant columns, each column's （七）总计 is the sum of the outcome rows, and
一 + 二 = （七）总计 + 四 in every column. A cell is recovered only when it has the same
value in every split of the whole table that satisfies all of that; anything else is
null with an `ambiguous-split` problem, because a wrong number is worse than a missing
one.

Reading a run's digits and its well-formed splits is in runs.
"""

from __future__ import annotations

import operator
from itertools import product

from gxsite import record as rec
from gxsite.report import Problem
from gxsite.parsing.runs import Budget, TooMany, all_splits, chunk_readings, set_apart, well_formed, well_formed_splits

# Enumeration caps: beyond these a row (or the table) is declared ambiguous
# rather than risk a slow build; real rows have a handful of splits at most.
MAX_ROW_SPLITS = 5000
MAX_STATES = 200_000
MAX_COMBINATIONS = 20_000
MAX_PLAIN_SPLITS = 5000

_NO_SPLIT = "没有任何拆分满足表格的勾稽关系，无法确定各单元格"
_MANY_SPLITS = "有多种拆分都满足表格的勾稽关系，无法确定该单元格"
_TOO_MANY = "可能的拆分过多，无法确定该单元格"
_BAD_TEXT = "含有无法识别为数字的字符"


# --- one row of table B: six numbers and their total ------------------------

def _row_splits(chunks: list[str], cap: int) -> list[tuple[int, ...]] | None:
    """Splits of a table-B row into six numbers followed by their sum; None when too many."""
    found: list[tuple[int, ...]] = []
    budget = Budget()  # shared by every choice of total
    last = chunks[-1]
    # The total is a suffix of the last chunk (the whole chunk when it stands alone).
    for start in range(len(last) - 1, -1, -1):
        total_text = last[start:]
        if not well_formed(total_text):
            continue
        head = chunks[:-1] + ([last[:start]] if start else [])
        parts_list = _sum_splits(head, 6, int(total_text), cap - len(found), budget)
        if parts_list is None:
            return None
        found.extend(parts + (int(total_text),) for parts in parts_list)
    return found


def _sum_splits(chunks: list[str], n: int, total: int, cap: int, budget: Budget) -> list[tuple[int, ...]] | None:
    """Splits into n numbers summing to `total`, pruned on the running sum."""
    found: list[tuple[int, ...]] = []
    max_len = len(str(total))
    digits_left = [sum(len(c) for c in chunks[i:]) for i in range(len(chunks) + 1)]

    def walk(ci: int, pos: int, parts: list[int], left: int) -> bool:
        budget.spend()
        if ci < len(chunks):
            numbers_left, digits = n - len(parts), digits_left[ci] - pos
            # every number has 1..max_len digits
            if not numbers_left <= digits <= numbers_left * max_len:
                return True
        if ci == len(chunks):
            if len(parts) == n and left == 0:
                found.append(tuple(parts))
            return len(found) <= cap
        if len(parts) >= n:
            return True
        chunk = chunks[ci]
        # no leading zeros: a number that starts with 0 is 0 (well_formed; these runs have no minus signs)
        last = pos + 1 if chunk[pos] == "0" else min(len(chunk), pos + max_len)
        for end in range(pos + 1, last + 1):
            value = int(chunk[pos:end])
            if value > left:
                break
            ci2, pos2 = (ci + 1, 0) if end == len(chunk) else (ci, end)
            if not walk(ci2, pos2, parts + [value], left - value):
                return False
        return True

    if not chunks:
        return [] if n else [()]
    try:
        return found if walk(0, 0, [], total) else None
    except TooMany:
        return None


# --- table B ----------------------------------------------------------------

# column-wise arithmetic on rows, by map() over the operator module (generator expressions were
# a measurable share of the search)
def _add(a, b):
    return tuple(map(operator.add, a, b))


def _sub(a, b):
    return tuple(map(operator.sub, a, b))


def _outcome_choices(cands: list[list[tuple]], target: tuple) -> list[set] | None:
    """For rows whose candidates must sum to `target`: the candidates used by some solution.

    Forward sets of reachable partial sums, then backward from the target, so the
    work is bounded by the number of distinct partial sums, not of combinations.
    Returns None when the state space exceeds MAX_STATES, [] when no solution.
    """
    zero = tuple(0 for _ in target)
    forward = [{zero}]
    for options in cands:
        nxt = set()
        for s in forward[-1]:
            for c in options:
                t = _add(s, c)
                if all(map(operator.le, t, target)):
                    nxt.add(t)
        if len(nxt) > MAX_STATES:
            return None
        forward.append(nxt)
    if target not in forward[-1]:
        return []
    goal = {target}
    used: list[set] = [set() for _ in cands]
    for i in range(len(cands) - 1, -1, -1):
        prev = set()
        for g in goal:
            for c in cands[i]:
                s = _sub(g, c)
                if s in forward[i]:
                    prev.add(s)
                    used[i].add(c)
        goal = prev
    return used


def _solve_requests(cands: dict[str, list[tuple]], outcome: list[str], use_balance: bool = True) -> dict[str, set] | None:
    """Candidates of each row that take part in some full solution; None: too many to tell.

    Rows absent from `cands` are unknown: the constraints that involve them are
    dropped (and so is the balance without `use_balance`, the outcome sums with an
    empty `outcome`). Every set empty means the table has no consistent split at all.
    """
    allowed: dict[str, set] = {key: set(options) for key, options in cands.items()}
    if "total" not in cands:
        return allowed  # both column rules need （七）总计: each row stands alone
    balance = use_balance and all(k in cands for k in ("new_received", "carried_over", "carried_forward"))
    outcome_rows = [k for k in outcome if k in cands] if all(k in cands for k in outcome) else []
    heads = ["total", "carried_forward", "new_received"] if balance else ["total"]
    carried = set(cands["carried_over"]) if balance else set()
    for key in heads + outcome_rows + (["carried_over"] if balance else []):
        allowed[key] = set()
    combos = 0
    for choice in product(*(cands[k] for k in heads)):
        combos += 1
        if combos > MAX_COMBINATIONS:
            return None
        picked = dict(zip(heads, choice))
        if balance:
            # 一 + 二 = （七） + 四, so 二 is determined by the other three
            picked["carried_over"] = _sub(_add(picked["total"], picked["carried_forward"]), picked["new_received"])
            if picked["carried_over"] not in carried:
                continue
        if outcome_rows:
            used = _outcome_choices([cands[k] for k in outcome_rows], picked["total"])
            if used is None:
                return None
            if not used:
                continue
            for key, options in zip(outcome_rows, used):
                allowed[key] |= options
        for key, value in picked.items():
            allowed[key].add(value)
    if not allowed["total"]:
        return {key: set() for key in cands}
    return allowed


def _null_row(key: str, run: str, message: str, problems: list[Problem]) -> list[None]:
    for i in range(7):
        problems.append(Problem("ambiguous-split", f"requests.{key}[{i}]", run, message))
    return [None] * 7


def _agreed(options: set, width: int) -> list[int | None]:
    """Per column, the value every option shares, else None."""
    values: list[int | None] = []
    for i in range(width):
        seen = {o[i] for o in options}
        values.append(seen.pop() if len(seen) == 1 else None)
    return values


def split_requests(runs: dict[str, str], template: str) -> tuple[dict[str, list[int | None]], list[dict]]:
    """Recover table B's cells from flattened rows. Keys of `runs` are table-B row keys."""
    order = [k for k, _ in rec.request_rows(template) if k in runs]
    order += [k for k in runs if k not in order]
    outcome = rec.outcome_keys(template)
    problems: list[Problem] = []
    result: dict[str, list[int | None]] = {}
    fixed: dict[str, tuple] = {}      # read by format alone: what was printed
    cands: dict[str, list[tuple]] = {}
    unreadable: dict[str, str] = {}   # key → message
    written: dict[str, int] = {}      # key → ways the run can be written as 7 figures, sums aside
    for key in order:
        readings = chunk_readings(runs[key])
        if readings is None:
            unreadable[key] = _BAD_TEXT
            continue
        unique = set_apart(readings, 7)
        if unique is not None:
            fixed[key] = unique
            cands[key] = [unique]
            continue
        format_splits = all_splits(readings, lambda c: well_formed_splits(c, 7, 2))
        written[key] = len(format_splits) if format_splits is not None else MAX_ROW_SPLITS
        splits = all_splits(readings, lambda c: _row_splits(c, MAX_ROW_SPLITS))
        if splits is None:
            unreadable[key] = _TOO_MANY
        elif not splits:
            unreadable[key] = _NO_SPLIT
        else:
            cands[key] = splits
    allowed = _solve_requests(cands, outcome)
    no_solution = allowed is not None and cands and not any(allowed.values())
    bound = set(cands)  # rows an identity besides their own total settles
    if no_solution:
        # The publisher's columns break one of the table's two identities. If the table can be
        # split with exactly one of them (the balance, or the outcome sums), the rows that
        # identity binds are read by it, and the other identity is the publisher's error.
        # (pingtan-2020: its outcome rows sum to 26 where （七）总计 says 20.)
        heads = {"total", "carried_forward", "new_received", "carried_over"}
        families = [(_solve_requests(cands, [], True), heads),
                    (_solve_requests(cands, outcome, False), set(outcome) | {"total"})]
        solvable = [(found, rows) for found, rows in families if found is not None and found.get("total")]
        if len(solvable) == 1:
            allowed, bound = solvable[0]
            no_solution = False
    for key in order:
        run = runs[key]
        if key in fixed:
            result[key] = list(fixed[key])
        elif key in unreadable:
            result[key] = _null_row(key, run, unreadable[key], problems)
        elif no_solution and written[key] == 1 and len(cands[key]) == 1:
            # seven digits can only be seven cells, and its own total confirms them
            result[key] = list(cands[key][0])
        elif no_solution:
            result[key] = _null_row(key, run, _NO_SPLIT, problems)
        elif key not in bound and written[key] > 2:
            # Only its own total settles this row, and the run can be written many ways: the one
            # split its total allows may be made up to fit a total the publisher got wrong
            # (`10255100554` printed for 10,25,5,10,0,5 with 54 reads 1,0,2,551,0,0,554).
            result[key] = _null_row(key, run, _MANY_SPLITS, problems)
        else:
            options = allowed[key] if allowed is not None else set(cands[key])
            values = _agreed(options, 7)
            message = _MANY_SPLITS if allowed is not None else _TOO_MANY
            for i, v in enumerate(values):
                if v is None:
                    problems.append(Problem("ambiguous-split", f"requests.{key}[{i}]", run, message))
            result[key] = values
    return result, problems


# --- table C ----------------------------------------------------------------

def _review_splits(chunks: list[str], cap: int) -> list[tuple[int, ...]] | None:
    """Splits into three groups of four numbers each followed by their sum."""
    found: list[tuple[int, ...]] = []
    digits_left = [sum(len(c) for c in chunks[i:]) for i in range(len(chunks) + 1)]
    budget = Budget()

    def walk(ci: int, pos: int, parts: list[int]) -> bool:
        budget.spend()
        if ci < len(chunks) and 15 - len(parts) > digits_left[ci] - pos:
            return True
        if len(parts) % 5 == 4:
            # the group total is forced: the next number must spell the sum
            want = str(sum(parts[-4:]))
            if ci == len(chunks) or not chunks[ci].startswith(want, pos):
                return True
            end = pos + len(want)
            ci2, pos2 = (ci + 1, 0) if end == len(chunks[ci]) else (ci, end)
            return walk(ci2, pos2, parts + [int(want)])
        if ci == len(chunks):
            if len(parts) == 15:
                found.append(tuple(parts))
            return len(found) <= cap
        if len(parts) == 15:
            return True
        chunk = chunks[ci]
        for end in range(pos + 1, len(chunk) + 1):
            part = chunk[pos:end]
            if not well_formed(part):
                break
            ci2, pos2 = (ci + 1, 0) if end == len(chunk) else (ci, end)
            if not walk(ci2, pos2, parts + [int(part)]):
                return False
        return True

    try:
        return found if walk(0, 0, []) else None
    except TooMany:
        return None


def split_reviews(run: str) -> tuple[dict[str, list[int | None]], list[dict]]:
    """Recover table C's 15 cells from one flattened run."""
    groups = [key for key, _ in rec.REVIEW_GROUPS]
    readings = chunk_readings(run)
    values: list[int | None]
    message = ""
    if readings is None:
        values, message = [None] * 15, _BAD_TEXT
    elif set_apart(readings, 15) is not None:
        values = list(set_apart(readings, 15))
    else:
        splits = all_splits(readings, lambda c: _review_splits(c, MAX_ROW_SPLITS))
        if splits is None:
            values, message = [None] * 15, _TOO_MANY
        elif not splits:
            values, message = [None] * 15, _NO_SPLIT
        else:
            values, message = _agreed(set(splits), 15), _MANY_SPLITS
    problems = [
        Problem("ambiguous-split", f"reviews.{groups[i // 5]}[{i % 5}]", run, message)
        for i, v in enumerate(values) if v is None
    ]
    return {g: values[5 * i:5 * i + 5] for i, g in enumerate(groups)}, problems


# --- cells with no arithmetic -------------------------------------------------

def split_plain(run: str, n: int) -> list[int | None] | None:
    """n numbers with no arithmetic to lean on: cells every well-formed split agrees on.

    Minus signs are read (table A's 本年增/减 may be negative). None when the run
    cannot be n numbers at all (or has too many splits to tell).
    """
    readings = chunk_readings(run, signed=True)
    if readings is None:
        return None
    splits = all_splits(readings, lambda c: well_formed_splits(c, n, MAX_PLAIN_SPLITS))
    if not splits:
        return None
    return _agreed(set(splits), n)
