"""Table B (收到和处理政府信息公开申请情况): where it starts, which template its rows follow,
and its rows' figures, including rows run together, wrapped or torn from their labels."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from itertools import compress, permutations

from gxsite import record as rec
from gxsite.report import CellRef, Problem
from gxsite.parsing.figures import Reader, Tables, clip, count_read
from gxsite.parsing.flat import MAX_RUN, NUMBERED, Flat, Taken, as_run, find_label, take_values
from gxsite.reading.document import Cell


# Table B row anchors, matched on the normalized, spam-stripped label.
B_ANCHORS = {
    "new_received": r"本年新收",
    "carried_over": r"上年结转",
    "granted": r"(?<!不)予以公开",
    "partially_granted": r"部分公开",
    "denied_state_secret": r"国家秘密",
    "denied_prohibited_by_law": r"禁止公开",
    "denied_three_safeties": r"三安全|一稳定",
    "denied_third_party": r"第三方",
    "denied_internal_affairs": r"内部事务",
    "denied_process_information": r"过程性",
    "denied_enforcement_file": r"执法案卷",
    "denied_administrative_query": r"行政查询|查询事项",
    "unavailable_not_held": r"不掌握",
    "unavailable_needs_creation": r"另行制作|现成信息",
    "unavailable_unclear": r"不明确",
    "not_processed_petition": r"信访|举报|投诉",
    "not_processed_duplicate": r"重复申请",
    "not_processed_publication": r"出版物",
    "not_processed_excessive": r"大量反复|反复申请",
    "not_processed_confirmation": r"重新出具|确认",
    "other_processing": r"其他处理",
    "other_overdue_correction": r"不补正",
    "other_unpaid_fee": r"缴纳费用|收费通知|缴费",
    "other_other": r"^(?:\(六\))?(?:\d[.、])?其他(?:情形)?$",
    "total": r"总计",
    "carried_forward": r"结转下年|下年度继续|转下年",
}
_B_ANCHORS = {k: re.compile(v) for k, v in B_ANCHORS.items()}


def _row_sum_ok(vals: tuple) -> bool:
    return sum(vals[:6]) == vals[6]


_COUNTED = re.compile(r"[件个条项次]")


def find_table_b(flat: Flat, start: int = 0) -> int | None:
    """Index of the 本年新收 label that starts a table B (one followed by figures)."""
    i = start
    fallback = None
    while True:
        i = find_label(flat, _B_ANCHORS["new_received"], i, len(flat.cells))
        if i is None:
            return fallback
        if len(flat.cells[i].label) <= 40:
            taken = take_values(flat, i + 1, 7)
            after = flat.cells[taken.end].text if taken.end < len(flat.cells) else ""
            # `本年新收申请27件` / `本年新收申请 5 件` in the prose is a sentence, not the table's row
            counted = bool(_COUNTED.match(after))
            if (taken.run and not counted) or len(taken.cells) >= 7:
                return i
            if taken.cells and not counted and fallback is None:
                fallback = i  # a short row: still table B, read with problems
        i += 1


def end_of(flat: Flat, start: int) -> int:
    """About where the table B that starts at `start` ends (a second report is looked for after
    it): a few cells past its last row's label, 四、结转下年度继续办理."""
    at = find_label(flat, _B_ANCHORS["carried_forward"], start, len(flat.cells))
    return (at + 8) if at is not None else start + 1


# any of the words _b_template looks for
_B_TEMPLATE_WORDS = re.compile("|".join(B_ANCHORS[k] for k in ("other_overdue_correction", "other_unpaid_fee",
                                                                "other_processing")))


def _b_template(flat: Flat, start: int, end: int) -> str | None:
    overdue, unpaid = _B_ANCHORS["other_overdue_correction"], _B_ANCHORS["other_unpaid_fee"]
    # Only a label holds these words: the labels in [start, end) that hold any of them, found by map(),
    # are the cells looked at, in order.
    labels = flat.labels
    lo, hi = bisect_left(labels, start), bisect_left(labels, end)
    found = [labels[k] for k in compress(range(lo, hi), map(_B_TEMPLATE_WORDS.search, flat.label_texts[lo:hi]))]
    # The 2021 rows under （六） decide wherever they stand: their heading `（六）其他处理` may be
    # followed by digits glued to it (`其他处理 1.申请人…`), which alone would look like 2019's row.
    if any(overdue.search(flat.cells[i].label) or unpaid.search(flat.cells[i].label) for i in found):
        return "2021"
    for i in found:
        if i + 1 < end and flat.cells[i + 1].is_value and flat.cells[i + 1].text:
            return "2019"
    return None


_B_END = re.compile(r"行政复议|行政诉讼|^[五六]、")


def read_b(flat: Flat, out: Tables, reader: Reader, start: int, template_hint: str | None, split_requests) -> str | None:
    end_anchor = find_label(flat, _B_END, start + 1, len(flat.cells))
    end = end_anchor if end_anchor is not None else len(flat.cells)
    template = _b_template(flat, start, end) or template_hint or "2021"
    rows = rec.request_rows(template)
    keys = [k for k, _ in rows]
    pos = start
    runs: dict[str, Cell] = {}
    last = start
    spans: dict[str, tuple[int, int]] = {}  # each row found: its label's index and the end of its figures
    for n_key, key in enumerate(keys):
        following = _B_ANCHORS[keys[n_key + 1]] if n_key + 1 < len(keys) else None
        at = find_label(flat, _B_ANCHORS[key], pos, end)
        paths = rec.row_paths("requests", key, 7)
        if at is None:
            continue
        taken = as_run(take_values(flat, at + 1, 7, stop=following), 7)
        taken = _past_a_blank_label_row(flat, taken, following) or taken
        if not _holds_a_row(taken):
            at, taken = _row_with_figures(flat, _B_ANCHORS[key], following, at, end, taken)
        if taken.run is not None:
            runs[key] = taken.run
            out.requests[key] = [None] * 7
        else:
            out.requests[key] = reader.counts(taken, 7, paths, consistent=_row_sum_ok)
        pos = max(taken.end, at + 1)
        spans[key] = (at, pos)
        last = pos
    _place_torn_rows(flat, out, reader, keys, spans, start, end)
    for key in keys:
        if key not in out.requests:
            out.requests[key] = [None] * 7
            for p in rec.row_paths("requests", key, 7):
                reader.problem("unreadable-cell", p, "", "表格中找不到这一行")
    if runs:
        known = {k: " ".join(str(v) for v in vals) for k, vals in out.requests.items()
                 if k not in runs and None not in vals}
        _split_b_runs(runs, known, template, out, reader, split_requests)
    out.b_span = (start, last)
    return template


# Table B labels as the 2021 form prints them in full, where record.py keeps them short: a
# label torn from its figures leaves a piece of these beside them.
_FULL_B_LABELS = {
    "partially_granted": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "other_overdue_correction": "（六）1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "other_unpaid_fee": "（六）2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
}
_MAX_TORN = 6  # rows missing in one gap: beyond this the placements are not enumerated
_HAN = re.compile(r"[^\u4e00-\u9fff]")


def _label_fits(fragment: str, key: str, labels: dict[str, str]) -> bool:
    """Whether a piece of label text beside a row's figures can be part of `key`'s label."""
    words = _HAN.sub("", fragment)
    return len(words) < 2 or words in _HAN.sub("", _FULL_B_LABELS.get(key, labels[key]))


def _figure_rows(flat: Flat, lo: int, hi: int) -> list[tuple[list[Cell], str]]:
    """Lines in [lo, hi) holding seven figures: their cells and the label text beside them."""
    found = []
    i = lo
    while i < hi:
        j = min(bisect_right(flat.row_of, flat.row_of[i], i), hi)
        cells = flat.cells[i:j]
        values = [c for c in cells if c.is_value]
        while len(values) > 7 and not values[-1].text:
            values.pop()  # the blank closing cell of a Markdown row
        if len(values) == 7 and not any(c.run for c in cells):
            found.append((values, "".join(c.label for c in cells if not c.is_value)))
        i = j
    return found


def _place_torn_rows(flat: Flat, out: Tables, reader: Reader, keys: list[str], spans: dict[str, tuple[int, int]],
                     start: int, end: int) -> None:
    """Rows whose labels were torn from their figures (PDF→Markdown: `5.要求行政机关确认或重新出具` /
    `已获取信息` printed above the table, `| 0 | 0 | … |` further down with no label).

    Between two rows that were found, the lines of seven figures left over are the missing
    rows' figures. Their order on the page is a guess, so every assignment of lines to rows
    is tried that the label pieces beside the figures allow; a row is read only when every
    such assignment gives it the same figures, and only if （七）总计 is then the sum of the
    outcome rows in every column."""
    labels = dict(rec.request_rows("2021") + rec.request_rows("2019"))
    placed: dict[str, list[Cell]] = {}
    k = 0
    while k < len(keys):
        if keys[k] in spans:
            k += 1
            continue
        gap = k
        while k < len(keys) and keys[k] not in spans:
            k += 1
        missing = keys[gap:k]
        lo = spans[keys[gap - 1]][1] if gap > 0 else start
        hi = spans[keys[k]][0] if k < len(keys) else end
        lines = _figure_rows(flat, lo, hi)
        if len(lines) != len(missing) or len(missing) > _MAX_TORN:
            continue
        options: dict[str, set[tuple]] = {key: set() for key in missing}
        choice: dict[str, list[Cell]] = {}
        for order in permutations(range(len(lines))):
            if not all(_label_fits(lines[line][1], key, labels) for key, line in zip(missing, order)):
                continue
            for key, line in zip(missing, order):
                options[key].add(tuple(c.text for c in lines[line][0]))
                choice[key] = lines[line][0]
        placed.update({key: choice[key] for key in missing if len(options[key]) == 1})
    if not placed:
        return
    trial = dict(out.requests)
    for key, cells in placed.items():
        trial[key] = [count_read(c.text, False)[0] for c in cells]
    outcome = [key for key in keys if key not in ("new_received", "carried_over", "total", "carried_forward")]
    rows = [trial.get(key) for key in outcome + ["total"]]
    if any(row is None or None in row for row in rows):
        return
    if any(sum(row[c] for row in rows[:-1]) != rows[-1][c] for c in range(7)):
        return
    for key, cells in placed.items():
        out.requests[key] = reader.counts(Taken(cells, 0), 7, rec.row_paths("requests", key, 7),
                                          consistent=_row_sum_ok)


def _past_a_blank_label_row(flat: Flat, taken: Taken, following: re.Pattern | None) -> Taken | None:
    """A label wrapped by a PDF→Markdown converter: its first part alone in a row of blank cells,
    the rest of it on the next row with the figures
    (`| 1.申请人无正当理由逾期不补正、 | | | | | | | |` / `| 行政机关不再处理其…申请 | 40 | 1 | … |`).
    The blank cells are the layout of the wrapped label, not seven zeros: the figures are the
    next row's, when it opens with the label's continuation (text that is not a row of its own)."""
    cells = taken.cells
    if taken.run is not None or len(cells) != 7 or any(c.text for c in cells) or taken.end >= len(flat.cells):
        return None
    label = flat.cells[taken.end]
    if (label.is_value or NUMBERED.match(label.label) or label.label.startswith("其中")
            or (following and following.search(label.label))):
        return None
    if any(anchor.search(label.label) for anchor in _B_ANCHORS.values()):
        return None
    after = take_values(flat, taken.end + 1, 7, stop=following)
    if after.run is not None or len(after.cells) != 7 or flat.row_of[taken.end] != flat.row_of[after.end - 1]:
        return None
    return after


def _holds_a_row(taken: Taken) -> bool:
    """Seven figures, or a run with at least a digit for each."""
    if taken.run is not None:
        return sum(c.isdigit() for c in taken.run.text) >= 7
    return len(taken.cells) == 7


def _row_with_figures(flat: Flat, anchor: re.Pattern, following: re.Pattern | None, at: int, end: int,
                      taken: Taken) -> tuple[int, Taken]:
    """The row's label again, before the next row's, with its seven figures after it: the first
    match was a heading (`### 一、本年新收…` over a table whose columns are 数据1…数据6) or a
    column header (`| 结转下年度 | 总计 |`). Without one, the first match stands."""
    limit = find_label(flat, following, at + 1, end) if following else None
    limit = limit if limit is not None else end
    again = find_label(flat, anchor, at + 1, limit)
    while again is not None:
        other = take_values(flat, again + 1, 7, stop=following)
        if _holds_a_row(other):
            return again, other
        again = find_label(flat, anchor, again + 1, limit)
    return at, taken


def _split_b_runs(runs: dict[str, Cell], known: dict[str, str], template: str, out: Tables, reader: Reader,
                  split_requests) -> None:
    """Flattened rows → figures via the template's arithmetic; rows read normally are passed as
    space-separated figures so that the splitter can use them as constraints."""
    too_long = {k for k, c in runs.items() if len(c.text) > MAX_RUN}
    for key in too_long:
        out.requests[key] = [None] * 7
        for c in range(7):
            reader.problem("ambiguous-split", f"requests.{key}[{c}]", runs[key].text, "单元格连在一起且过长，无法拆分")
    runs = {k: c for k, c in runs.items() if k not in too_long}
    if not runs:
        return
    values, problems = split_requests({**known, **{k: c.text for k, c in runs.items()}}, template)
    problems = [p for p in problems if CellRef.parse(p.where).row in runs]
    for key, cell in runs.items():
        row = values.get(key, [None] * 7)
        out.requests[key] = row
        for c, v in enumerate(row):
            if v is not None:
                reader.where(f"requests.{key}[{c}]", cell, v)
    for p in problems:
        out.problems.append(Problem(p.code, p.where, clip(p.text), p.message))
