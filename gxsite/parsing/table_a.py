"""Table A (主动公开政府信息情况): where it starts, its template, and its items' figures
(counts, signed changes and amounts with their units)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from gxsite import record as rec
from gxsite.parsing.figures import Reader, Tables
from gxsite.parsing.flat import MAX_RUN, Flat, find_label, take_values
from gxsite.reading.document import Cell
from gxsite.reading.normalize import Value, read_value


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


_SECTION = re.compile(r"第二十条")
_PART = re.compile(r"主动公开政府信息")


def start_of(flat: Flat, end: int) -> int:
    """Where table A starts, before `end` (table B's start): its own first label (第二十条第（一）项)
    before the part's name, which the introduction also lists (`…总体情况、主动公开政府信息情况、…`)."""
    at = find_label(flat, _SECTION, 0, end)
    if at is None:
        at = find_label(flat, _PART, 0, end)
    return at if at is not None else 0


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
        at = find_label(flat, _A_ANCHORS[key], pos, end, prose=False)
        if at is None:
            at = find_label(flat, _A_ANCHORS[key], start, end, prose=False)
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


def _with_loose_first_cells(flat: Flat, start: int, end: int, key: str, at: int, cells: list[Cell],
                            n: int) -> list[Cell] | None:
    """A table A row that lost one cell (`| 规章 | 22 | 235 |`), where the PDF→Markdown
    converter printed the row's first cells as loose lines under its item's heading
    (`第二十条第（一）项` / `22` / `（其中修订 16 件）` / `55`). The loose figures are the row's
    first columns when they agree with the row's own first figure, and one way only of
    putting the lost cell back makes them agree everywhere."""
    heading = find_label(flat, re.compile(rf"第二十条第[(（]{_ITEM_SECTIONS[key]}[)）]项"), start, end)
    if heading is None:
        return None
    following = find_label(flat, _SECTION, heading + 1, end)
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
    if len(run.text) > MAX_RUN:
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
        reader.where(path, run, v)
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
    reader.where(path, cell, float(amount))
    return float(amount)
