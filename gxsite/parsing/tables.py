"""Document rows → the template's tables A, B and C, with provenance and problems.

Rows are found by the template's stable anchors (numbering and key words, not
the full wording, which spam and editors change), in the template's order, and
each row's figures are the value cells that follow its label. A row that
cannot be read exactly is null with a problem; nothing is guessed.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import combinations, compress, permutations

from gxsite import record as rec
from gxsite.reading.document import Cell, Document, Row
from gxsite.reading.normalize import Value, as_count, read_value

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

# Table A item labels (a short cell naming the item).
A_ANCHORS = {  # at the end of the label: flattened text glues the column headings before it
    "regulations": r"规章$",
    "normative_documents": r"规范性文件$",
    "licensing": r"行政许可$",
    "other_services": r"其他对外管理服务事项$",
    "penalties": r"行政处罚$",
    "enforcement": r"行政强制$",
    "fees": r"行政事业性收费$",
    "procurement": r"政府集中采购$",
}
_A_ANCHORS = {k: re.compile(v) for k, v in A_ANCHORS.items()}

_MAX_LABEL_SKIP = 2  # label broken over cells: `5.要求行政机关确认或重新出具已获取` / `信息`
_NUMBERED = re.compile(r"^[(（]?[一二三四五六七八九十\d]+[)）、.]")  # a row's own numbering: a new label


class Flat:
    """The document's cells in reading order (rowspan/colspan copies left out)."""

    __slots__ = ("cells", "row_of", "rows", "breaks", "labels", "label_texts")

    def __init__(self, cells: list[Cell], row_of: list[int], rows: list[Row]):
        self.cells = cells
        self.row_of = row_of  # the index in `rows` of each cell's row (ascending)
        self.rows = rows
        # indices of the cells that end a row's figures (labels and runs), ascending: take_values
        # bisects it instead of testing cell after cell
        self.breaks = [i for i, cell in enumerate(cells) if not cell.is_value or cell.run]
        # indices of the label cells (a text that is not a value), ascending: what _find looks at;
        # a cell with no text is a value (Cell), so the breaks that are not runs are the labels
        self.labels = [i for i in self.breaks if not cells[i].run]
        self.label_texts = [cells[i].label for i in self.labels]  # their labels (Cell.label)

    @classmethod
    def of(cls, doc: Document) -> "Flat":
        cells: list[Cell] = []
        row_of: list[int] = []
        for r, row in enumerate(doc.rows):
            for cell in row.cells:
                if not cell.span:
                    cells.append(cell)
                    row_of.append(r)
        return cls(cells, row_of, doc.rows)

    def in_table(self, i: int) -> bool:
        """Whether cell i is from an HTML table or a separated line, not from prose (asked rarely:
        looked up in its row rather than kept per cell)."""
        return self.rows[self.row_of[i]].in_table


@dataclass
class Tables:
    template: str | None = None
    active: dict = field(default_factory=dict)
    requests: dict = field(default_factory=dict)
    reviews: dict = field(default_factory=dict)
    provenance: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)
    b_span: tuple[int, int] | None = None  # cell index range of table B
    second_report_at: int | None = None  # cell index where a second table B starts


def _label(cell: Cell) -> str:
    return cell.label  # cell text is already spam-stripped (document.normalize)


def _is_value(cell: Cell) -> bool:
    return cell.is_value


# --- collecting the value cells after a label ----------------------------------

@dataclass(slots=True)
class Taken:
    cells: list[Cell]  # the value cells, in order (may exceed n: stray cells)
    end: int  # index after the last cell consumed
    run: Cell | None = None  # a flattened digit run in place of the cells


def _trim(trimmed: list[Cell], have: int, n: int, other_row: bool) -> None:
    """Drop the blank cells at the ends of a row's values that are layout, not zeros (in place)."""
    while trimmed and not trimmed[-1].text and have + len(trimmed) > n:
        trimmed.pop()
    while not have and trimmed and not trimmed[0].text and len(trimmed) > n:
        trimmed.pop(0)  # the label's merged cells, written out empty (`| 一、本年新收… | | | 27 |`)
    if have + len(trimmed) < n:
        # blank trailing cells stand for zeros only when the row is the label's own
        while trimmed and not trimmed[-1].text and other_row:
            trimmed.pop()


def take_values(flat: Flat, start: int, n: int, stop: re.Pattern | None = None) -> Taken:
    """The value cells following flat.cells[start - 1]: the rest of its row, then rows holding only values.

    Empty cells inside a row are figures (blank = 0); trailing empty cells of a
    row are layout unless the row needs them to have n cells.
    """
    cells, row_of, breaks = flat.cells, flat.row_of, flat.breaks
    i = start
    # A label broken over several cells: skip its continuation.
    skipped = 0
    while i < len(cells) and not cells[i].is_value and skipped < _MAX_LABEL_SKIP:
        text = cells[i].label
        if (stop and stop.search(text)) or _NUMBERED.match(text):
            break
        i += 1
        skipped += 1
    if i < len(cells) and cells[i].run:
        return Taken([], i + 1, run=cells[i])
    taken: list[Cell] = []
    label_row = row_of[start - 1] if start > 0 else -1
    # the first label or run from i on: the loop takes whole rows of values up to it
    b = bisect_left(breaks, i)
    stop_at = breaks[b] if b < len(breaks) else len(cells)
    while i < len(cells):
        row = row_of[i]
        j = bisect_right(row_of, row, i)  # the end of the row (row_of ascends)
        if stop_at < j:  # a label or a run in the row
            if row == label_row or row_of[max(i - 1, 0)] == row:
                # values then a label in the same row: take the values before it
                taken.extend(cells[i:stop_at])
                i = stop_at
            break
        trimmed = cells[i:j]
        if not (trimmed[0].text and trimmed[-1].text):  # blank cells at an end of the row: some may be layout
            _trim(trimmed, len(taken), n, row != label_row)
        taken.extend(trimmed)
        i = j
        if len(taken) >= n:
            break
    one_per_row = len(taken) == n and len(set(row_of[start:i])) >= n
    if one_per_row and i < len(cells) and row_of[i] != row_of[i - 1] and n > 1:
        # one cell per line: one more value line right after a full row is a stray cell
        # (or a row the reader does not know). Look at it so that a shifted row is not taken silently.
        nxt = i
        extra = []
        while nxt < len(cells) and row_of[nxt] == row_of[i] and _is_value(cells[nxt]) and cells[nxt].text:
            extra.append(cells[nxt])
            nxt += 1
        if extra and nxt < len(cells) and row_of[nxt] == row_of[i]:
            extra = []  # the row goes on with a label: it is the next row's
        if extra and len(extra) < n:
            taken.extend(extra)
            i = nxt
    return Taken(taken, i)


# --- reading figures -----------------------------------------------------------

class Reader:
    def __init__(self, flat: Flat, out: Tables):
        self.flat = flat
        self.out = out

    def _where(self, path: str, cell: Cell, value) -> None:
        # spam is stripped from the whole record at the end (parsing._finish), not per figure
        self.out.provenance[path] = {"text": cell.raw or cell.text, "line": cell.line, "offset": cell.offset}

    def problem(self, code: str, where: str, text: str, message: str) -> None:
        self.out.problems.append(rec.problem(code, where, _clip(text), message))

    def counts(self, taken: Taken, n: int, paths: Sequence[str], signed: bool = False,
               consistent=None) -> list[int | None]:
        """Value cells → n counts, or nulls with problems when the cells do not give exactly n figures."""
        cells = taken.cells
        if len(cells) > n:
            cells = self._drop_stray(cells, n, signed, consistent)
            if cells is None:
                text = " | ".join(c.text for c in taken.cells)
                for p in paths:
                    self.problem("unreadable-cell", p, text,
                                 f"该行有{len(taken.cells)}个数值单元格，应为{n}个，无法确定对应关系")
                return [None] * n
        if len(cells) < n:
            text = " | ".join(c.text for c in cells) or (taken.cells and taken.cells[0].text) or ""
            for p in paths:
                self.problem("unreadable-cell", p, text, f"该行只找到{len(cells)}个数值，应为{n}个")
            return [None] * n
        # Clean figures, the common case, are read inline (count() and _where() calls per cell were a
        # measurable share of table B); anything unreadable or garbled goes through count() for its problem.
        values = []
        provenance, known = self.out.provenance, _COUNTS[signed]
        for cell, path in zip(cells, paths):
            text = cell.text
            value, garbled = known.get(text) or _count_read(text, signed)
            if value is None or garbled:
                values.append(self.count(cell, path, signed))
            else:
                provenance[path] = {"text": cell.raw or text, "line": cell.line, "offset": cell.offset}  # as _where
                values.append(value)
        return values

    def count(self, cell: Cell, path: str, signed: bool = False) -> int | None:
        text = cell.text
        n, garbled = _COUNTS[signed].get(text) or _count_read(text, signed)
        if n is None:
            self.problem("unreadable-cell", path, cell.raw or cell.text, "无法读取为数字")
            return None
        if garbled:
            self.problem("garbled-number", path, cell.raw or cell.text, f"数字残缺，按{n}读取")
        self._where(path, cell, n)
        return n

    def _drop_stray(self, cells: list[Cell], n: int, signed: bool, consistent) -> list[Cell] | None:
        """More value cells than the row has columns: keep the reading only if every way of dropping
        the extra cells that satisfies the row's own arithmetic gives the same figures."""
        extra = len(cells) - n
        if extra > 2:
            return None
        readings: dict[tuple, list[Cell]] = {}
        for drop in combinations(range(len(cells)), extra):
            kept = [c for k, c in enumerate(cells) if k not in drop]
            vals = tuple(as_count(read_value(c.text), signed) for c in kept)
            if None in vals:
                continue
            if consistent is not None and not consistent(vals):
                continue
            readings.setdefault(vals, kept)
        if len(readings) == 1:
            return next(iter(readings.values()))
        return None


def _count_of(text: str, signed: bool) -> tuple[int | None, bool]:
    """A cell text read as a count: (the count or None, garbled?)."""
    v = read_value(text)
    n = as_count(v, signed) if v.number is not None else None
    return n, v.status == "garbled"


# The same few figures (`0`, `1`, `12`) fill every table: each text is read once per process
# (a dict per signedness, not an lru_cache: the lookup is most of a clean cell's reading). Long
# texts are not kept, and a dict is emptied when full, so a hostile file cannot fill memory.
_COUNTS: tuple[dict[str, tuple[int | None, bool]], ...] = ({}, {})  # [signed]
_CACHED_COUNT = 40
_COUNTS_KEPT = 8192


def _count_read(text: str, signed: bool) -> tuple[int | None, bool]:
    """_count_of, remembered in _COUNTS."""
    reading = _count_of(text, signed)
    if len(text) <= _CACHED_COUNT:
        known = _COUNTS[signed]
        if len(known) >= _COUNTS_KEPT:
            known.clear()
        known[text] = reading
    return reading


_MAX_PROBLEM_TEXT = 200  # a hostile row of 200,000 cells must not become a 1 MB problem
_MAX_RUN = 120  # a real flattened row is a few dozen digits; longer runs are not split


def _clip(text: str) -> str:
    return text if len(text) <= _MAX_PROBLEM_TEXT else text[:_MAX_PROBLEM_TEXT] + "…"


def _row_sum_ok(vals: tuple) -> bool:
    return sum(vals[:6]) == vals[6]


def _review_sum_ok(vals: tuple) -> bool:
    return all(sum(vals[g:g + 4]) == vals[g + 4] for g in (0, 5, 10))


# --- table B -------------------------------------------------------------------

_PROSE = re.compile(r"[,。;、]")


def _find(flat: Flat, pattern: re.Pattern, start: int, end: int, prose: bool = True) -> int | None:
    """The first label cell in [start, end) matching pattern; prose=False skips sentences
    (`没有行政许可/审批事项` in the text before table A is not its row)."""
    # Only label cells can match: the search walks the Flat's label index from `start`
    # (table B's rows are found one after the other, each a few labels further on).
    labels, texts, search = flat.labels, flat.label_texts, pattern.search
    for k in range(bisect_left(labels, start), bisect_left(labels, end)):
        if search(texts[k]) and (prose or not _PROSE.search(flat.cells[labels[k]].text)):
            return labels[k]
    return None


_COUNTED = re.compile(r"[件个条项次]")


def find_table_b(flat: Flat, start: int = 0) -> int | None:
    """Index of the 本年新收 label that starts a table B (one followed by figures)."""
    i = start
    fallback = None
    while True:
        i = _find(flat, _B_ANCHORS["new_received"], i, len(flat.cells))
        if i is None:
            return fallback
        if len(_label(flat.cells[i])) <= 40:
            taken = take_values(flat, i + 1, 7)
            after = flat.cells[taken.end].text if taken.end < len(flat.cells) else ""
            # `本年新收申请27件` / `本年新收申请 5 件` in the prose is a sentence, not the table's row
            counted = bool(_COUNTED.match(after))
            if (taken.run and not counted) or len(taken.cells) >= 7:
                return i
            if taken.cells and not counted and fallback is None:
                fallback = i  # a short row: still table B, read with problems
        i += 1


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
        if i + 1 < end and _is_value(flat.cells[i + 1]) and flat.cells[i + 1].text:
            return "2019"
    return None


_B_END = re.compile(r"行政复议|行政诉讼|^[五六]、")


def read_b(flat: Flat, out: Tables, reader: Reader, start: int, template_hint: str | None, split_requests) -> str | None:
    end_anchor = _find(flat, _B_END, start + 1, len(flat.cells))
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
        at = _find(flat, _B_ANCHORS[key], pos, end)
        paths = rec.row_paths("requests", key, 7)
        if at is None:
            continue
        taken = _as_run(take_values(flat, at + 1, 7, stop=following), 7)
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
        trial[key] = [_count_read(c.text, False)[0] for c in cells]
    outcome = [key for key in keys if key not in ("new_received", "carried_over", "total", "carried_forward")]
    rows = [trial.get(key) for key in outcome + ["total"]]
    if any(row is None or None in row for row in rows):
        return
    if any(sum(row[c] for row in rows[:-1]) != rows[-1][c] for c in range(7)):
        return
    for key, cells in placed.items():
        out.requests[key] = reader.counts(Taken(cells, 0), 7, rec.row_paths("requests", key, 7),
                                          consistent=_row_sum_ok)


def _as_run(taken: Taken, n: int) -> Taken:
    """A row whose figures are one string of at least n digits set apart from its label
    (`（二）部分公开… 8100009`): the cells run together, as in a flattened line."""
    cells = taken.cells
    if taken.run is None and len(cells) == 1 and cells[0].text.isascii() and cells[0].text.isdigit() \
            and n <= len(cells[0].text) <= _MAX_RUN:
        return Taken([], taken.end, run=cells[0])
    return taken


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
    if (label.is_value or _NUMBERED.match(label.label) or label.label.startswith("其中")
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
    limit = _find(flat, following, at + 1, end) if following else None
    limit = limit if limit is not None else end
    again = _find(flat, anchor, at + 1, limit)
    while again is not None:
        other = take_values(flat, again + 1, 7, stop=following)
        if _holds_a_row(other):
            return again, other
        again = _find(flat, anchor, again + 1, limit)
    return at, taken


def _split_b_runs(runs: dict[str, Cell], known: dict[str, str], template: str, out: Tables, reader: Reader,
                  split_requests) -> None:
    """Flattened rows → figures via the template's arithmetic; rows read normally are passed as
    space-separated figures so that the splitter can use them as constraints."""
    too_long = {k for k, c in runs.items() if len(c.text) > _MAX_RUN}
    for key in too_long:
        out.requests[key] = [None] * 7
        for c in range(7):
            reader.problem("ambiguous-split", f"requests.{key}[{c}]", runs[key].text, "单元格连在一起且过长，无法拆分")
    runs = {k: c for k, c in runs.items() if k not in too_long}
    if not runs:
        return
    values, problems = split_requests({**known, **{k: c.text for k, c in runs.items()}}, template)
    problems = [p for p in problems if p["where"].split("[")[0].removeprefix("requests.") in runs]
    for key, cell in runs.items():
        row = values.get(key, [None] * 7)
        out.requests[key] = row
        for c, v in enumerate(row):
            if v is not None:
                reader._where(f"requests.{key}[{c}]", cell, v)
    for p in problems:
        out.problems.append(rec.problem(p.get("code", "ambiguous-split"), p["where"], _clip(p.get("text", "")),
                                        p.get("message", "")))


# --- table C -------------------------------------------------------------------

_C_ANCHOR = re.compile(r"行政复议")
_C_HEADER = re.compile(r"维持|纠正|尚未审结")
_C_STOP = re.compile(r"^[五六]、")
_C_PATHS = tuple(p for g, _ in rec.REVIEW_GROUPS for p in rec.row_paths("reviews", g, 5))


def read_c(flat: Flat, out: Tables, reader: Reader, start: int, split_reviews) -> bool:
    anchor = _find(flat, _C_ANCHOR, start, len(flat.cells))
    if anchor is None:
        return False
    header = _find(flat, _C_HEADER, anchor, min(anchor + 60, len(flat.cells)))
    if header is None:
        return False
    i = header
    limit = min(header + 60, len(flat.cells))
    while i < limit and not (_is_value(flat.cells[i]) and flat.cells[i].text):
        i += 1
    if i >= limit:
        return False
    while i > header + 1 and flat.row_of[i - 1] == flat.row_of[i] and _is_value(flat.cells[i - 1]):
        i -= 1  # blank (&nbsp;) cells that open the figures' row are zeros
    taken = _as_run(take_values(flat, i, 15, stop=_C_STOP), 15)
    paths = _C_PATHS
    if taken.run is not None and len(taken.run.text) > _MAX_RUN:
        for g, _ in rec.REVIEW_GROUPS:
            out.reviews[g] = [None] * 5
        for p in paths:
            reader.problem("ambiguous-split", p, taken.run.text, "单元格连在一起且过长，无法拆分")
        return True
    if taken.run is not None:
        values, problems = split_reviews(taken.run.text)
        for g, _ in rec.REVIEW_GROUPS:
            out.reviews[g] = values.get(g, [None] * 5)
            for c, v in enumerate(out.reviews[g]):
                if v is not None:
                    reader._where(f"reviews.{g}[{c}]", taken.run, v)
        for p in problems:
            out.problems.append(rec.problem(p.get("code", "ambiguous-split"), p["where"], _clip(p.get("text", "")),
                                            p.get("message", "")))
        return True
    if len(taken.cells) < 15:
        by_rows = _c_by_rows(flat, header)
        if by_rows is not None:
            taken = Taken(by_rows, taken.end)
    values = reader.counts(taken, 15, paths, consistent=_review_sum_ok)
    for k, (g, _) in enumerate(rec.REVIEW_GROUPS):
        out.reviews[g] = values[k * 5:(k + 1) * 5]
    return True


def _c_by_rows(flat: Flat, header: int) -> list[Cell] | None:
    """Table C printed one group per row (`行政复议 | 1 | 0 | 0 | 0 | 1`, `未经复议直接起诉 | …`):
    the figures of the table's rows, in order, accepted only when there are exactly 15 and
    every group's total is its sum (anything less certain stays null with a problem)."""
    end = _find(flat, re.compile(r"^[五六]、|存在的主要问题"), header, len(flat.cells))
    end = end if end is not None else len(flat.cells)
    if _find(flat, re.compile(r"直接起诉"), header, end) is None:
        return None
    cells = [flat.cells[k] for k in range(header, end)
             if flat.in_table(k) and flat.cells[k].text and _is_value(flat.cells[k]) and not flat.cells[k].run]
    if len(cells) != 15:
        return None
    vals = tuple(as_count(read_value(c.text)) for c in cells)
    if None in vals or not _review_sum_ok(vals):
        return None
    return cells


# --- table A -------------------------------------------------------------------

def a_template(flat: Flat, start: int, end: int) -> str | None:
    for i in range(start, end):
        text = flat.cells[i].text
        if "本年制发" in text or "本年废止" in text or "现行有效" in text:
            return "2021"
        if "本年新制作" in text or "本年新公开" in text or "上一年项目" in text or "采购项目" in text:
            return "2019"
    return None


def read_a(flat: Flat, out: Tables, reader: Reader, start: int, end: int, template: str, split_plain) -> bool:
    items = rec.ACTIVE[template]
    found = False
    missing: list = []
    pos = start
    for key, (label, fields) in items.items():
        at = _find(flat, _A_ANCHORS[key], pos, end, prose=False)
        if at is None:
            at = _find(flat, _A_ANCHORS[key], start, end, prose=False)
        paths = rec.item_paths(template, key)
        if at is None:
            missing.append((key, fields, paths))
            continue
        found = True
        n = len(fields)
        taken = take_values(flat, at + 1, n)
        if taken.run is not None:
            values = _split_a_run(taken.run, n, paths, reader, split_plain)
            cells = [taken.run] * n
        else:
            cells = taken.cells
            if len(cells) > n:
                first = [read_value(c.text).number for c in cells]
                if len(set(first)) == 1:  # a stray copy of the same figure (seed 002's `0 |`)
                    cells = cells[:n]
            if len(cells) == n - 1:
                cells = _with_loose_first_cells(flat, start, end, key, at, cells, n) or cells
            values = _a_values(cells, n, paths, fields, key, template, flat, start, end, reader, taken)
        out.active[key] = {f: v for (f, _), v in zip(fields, values)}
        pos = max(taken.end, at + 1)
    if found:  # the table is there but an item is not: its figures are unknown, and said so
        for key, fields, paths in missing:
            out.active[key] = {f: None for f, _ in fields}
            for p in paths:
                reader.problem("unreadable-cell", p, "", "表格中找不到这一项")
    return found


# The item of 第二十条 each table A row belongs to: where its loose cells may stand.
_ITEM_SECTIONS = {"regulations": "一", "normative_documents": "一", "licensing": "五", "other_services": "五",
                  "penalties": "六", "enforcement": "六", "fees": "八", "procurement": "九"}
_SECTION = re.compile(r"第二十条")


def _with_loose_first_cells(flat: Flat, start: int, end: int, key: str, at: int, cells: list[Cell],
                            n: int) -> list[Cell] | None:
    """A table A row that lost one cell (`| 规章 | 22 | 235 |`), where the PDF→Markdown
    converter printed the row's first cells as loose lines under its item's heading
    (`第二十条第（一）项` / `22` / `（其中修订 16 件）` / `55`). The loose figures are the row's
    first columns when they agree with the row's own first figure, and one way only of
    putting the lost cell back makes them agree everywhere."""
    heading = _find(flat, re.compile(rf"第二十条第[(（]{_ITEM_SECTIONS[key]}[)）]项"), start, end)
    if heading is None:
        return None
    following = _find(flat, _SECTION, heading + 1, end)
    loose = []
    for i in range(heading + 1, min(at, following if following is not None else end)):
        cell = flat.cells[i]
        if flat.in_table(i):
            break
        in_note = i > 0 and re.search(r"[(（][^)）]*$", flat.cells[i - 1].text)  # `（其中修订 16 件）`
        if cell.is_value and cell.text and not cell.run and not in_note:
            loose.append(cell)
    if not 2 <= len(loose) <= n or read_value(loose[0].text).number != read_value(cells[0].text).number:
        return None
    fits = []
    for lost in range(1, n):
        row = cells[:lost] + [None] + cells[lost:]
        if lost < len(loose) and all(row[i] is None or read_value(row[i].text).number == read_value(loose[i].text).number
                                     for i in range(len(loose))):
            fits.append([loose[i] if row[i] is None else row[i] for i in range(n)])
    return fits[0] if len(fits) == 1 else None


def _split_a_run(run: Cell, n: int, paths: Sequence[str], reader: Reader, split_plain) -> list:
    """A table-A label with its figures run together: only what every split agrees on is kept."""
    if len(run.text) > _MAX_RUN:
        values = [None] * n
    elif n == 1:
        value = read_value(run.text)  # one figure: the whole run is it (decimals included)
        values = [value.number] if value.status == "ok" else [None]
    else:
        values = _plain_split(run.text, n, split_plain)
    out = []
    for path, v in zip(paths, values):
        if v is not None and v < 0 and not path.endswith(".change"):
            v = None  # only 本年增/减 can be negative: a dash here was a zero, and the split is unsure
        if v is None:
            reader.problem("ambiguous-split", path, run.text, "单元格连在一起，无法确定如何拆分")
            out.append(None)
            continue
        v = float(v) if path.endswith(("amount_10k_yuan", "amount_yuan")) else int(v)
        reader._where(path, run, v)
        out.append(v)
    return out


def _plain_split(run: str, n: int, split_plain) -> list:
    """A dash in a run is a minus sign (本年增/减) or a word for zero (`-`): keep only the
    figures both readings agree on."""
    readings = [split_plain(run, n)]
    if "-" in run:
        readings.append(split_plain(run.replace("-", " 0 "), n))
    readings = [r for r in readings if r is not None]
    if not readings:
        return [None] * n
    return [v if all(r[i] == v for r in readings) else None for i, v in enumerate(readings[0])]


def _a_values(cells, n, paths, fields, key, template, flat, start, end, reader: Reader, taken) -> list:
    if len(cells) != n:
        text = " | ".join(c.text for c in taken.cells)
        for p in paths:
            reader.problem("unreadable-cell", p, text, f"该行有{len(taken.cells)}个数值，应为{n}个")
        return [None] * n
    values = []
    for (field_key, _), cell, path in zip(fields, cells, paths):
        if field_key in ("amount_10k_yuan", "amount_yuan"):
            values.append(_amount(cell, path, field_key, flat, start, end, reader))
        else:
            values.append(reader.count(cell, path, signed=(field_key == "change")))
    return values


def _amount(cell: Cell, path: str, field_key: str, flat: Flat, start: int, end: int, reader: Reader) -> float | None:
    v: Value = read_value(cell.text)
    if v.number is None or v.number < 0:
        reader.problem("unreadable-cell", path, cell.raw or cell.text, "无法读取为金额")
        return None
    amount: Decimal = v.number
    if field_key == "amount_10k_yuan":
        # The 2021 form fixes this column's unit (本年收费金额（单位：万元）): only a cell that
        # says 元 itself is converted. A header that says 元 contradicts the form: the figure is
        # kept in the form's unit, with a doubt.
        if v.unit == "元":
            amount = amount / Decimal(10000)
        elif not v.unit and amount != 0 and any(re.search(r"(?<!万)元", flat.cells[i].text) and "万元" not in
                                                flat.cells[i].text for i in range(start, end)):
            reader.problem("unit-not-stated", path, cell.raw or cell.text,
                           "表头写的单位是元，模板规定本栏为万元，单位存疑")
    elif v.unit == "万元":
        amount = amount * Decimal(10000)
    elif not v.unit and amount != 0:
        # The 2019 form leaves 采购总金额's unit to the publisher: a unit the cell does not state
        # is a guess from the header (or 元 by default), shown with a doubt.
        by_header = any("万元" in flat.cells[i].text for i in range(start, end))
        if by_header:
            amount = amount * Decimal(10000)
        reader.problem("unit-not-stated", path, cell.raw or cell.text,
                       f"单元格未注明单位，按{'表头所写万元' if by_header else '元'}换算为{amount}元")
    if v.status == "garbled":
        reader.problem("garbled-number", path, cell.raw or cell.text, f"数字残缺，按{amount}读取")
    reader._where(path, cell, float(amount))
    return float(amount)
