"""Rules that need the other reports of the build: last year's report of the
same agency, and other copies of the same report."""

from __future__ import annotations

from gxsite import record as rec
from gxsite.parsing.slugs import is_bare
from gxsite.checks.rulekit import TABLES, NotApplicable, Rule, finding, label, require_table, row_values, shown
from gxsite.report import CellRef, Report



def agency_key(record: Report) -> str | None:
    """The agency a record is compared with others of: None for a report that names no body, or
    names it without its place (市国资委, 县财政局: two such reports may be different bodies)."""
    name = (record.agency.name or "").strip()
    if not name or is_bare(name):
        return None
    return record.agency.slug or name


class Corpus:
    """The usable records of one build, indexed by agency and year."""

    def __init__(self, records: list[Report]):
        self._by_key: dict[tuple[str, int], list[Report]] = {}
        for record in sorted(records, key=_source):
            key, year = agency_key(record), record.year
            if key is not None and year is not None:
                self._by_key.setdefault((key, year), []).append(record)

    def _same_agency(self, record: Report, year_offset: int) -> list[Report]:
        key, year = agency_key(record), record.year
        if key is None or year is None:
            raise NotApplicable("机关名称未知或未写明所在地（如“市国资委”），或报告年度未知，无法与其他报告对照")
        return self._by_key.get((key, year + year_offset), [])

    def previous(self, record: Report) -> Report:
        """Last year's report of the same agency (the first by source path when there are copies)."""
        found = self._same_agency(record, -1)
        if not found:
            raise NotApplicable(f"没有该机关{record.year - 1}年度的报告")
        return found[0]

    def copies(self, record: Report) -> list[Report]:
        return [r for r in self._same_agency(record, 0) if r is not record]


def one_copy_each(records: list[Report]) -> list[Report]:
    """The records with each report counted once: of the copies of one agency's report for a
    year (the duplicate-copies rule compares them), the first by source path."""
    seen: set[tuple[str, int]] = set()
    kept = []
    for record in sorted(records, key=_source):
        key, year = agency_key(record), record.year
        if key is not None and year is not None:
            if (key, year) in seen:
                continue
            seen.add((key, year))
        kept.append(record)
    return kept


def _source(record: Report) -> str:
    return record.source.path or ""


# --- carry-over ---------------------------------------------------------------

def carry_over(record: Report, corpus: Corpus):
    previous = corpus.previous(record)
    require_table(record, "requests")
    if not previous.requests:
        raise NotApplicable("上一年度报告缺少表B")
    width = len(rec.COLUMNS)
    carried_over = row_values(record, "requests", "carried_over", width)
    if None not in carried_over and carried_over == row_values(previous, "requests", "carried_forward", width):
        return  # every column carries over (most agencies): no paths or messages to make
    for column, name in enumerate(rec.COLUMNS):
        here, there = CellRef("requests", "carried_over", column).path, CellRef("requests", "carried_forward", column).path
        now, before = record.at(here), previous.at(there)
        if now is None or before is None or now != before:
            yield finding(record, [here], before, now,
                          f"{name}列：本年“二、上年结转”={shown(now)}，{previous.year}年度报告"
                          f"“四、结转下年度继续办理”={shown(before)}",
                          unverified=record.uncertain(here) or previous.uncertain(there),
                          other_source=_source(previous))


# --- in-force -----------------------------------------------------------------

_IN_FORCE_ITEMS = (("regulations", "规章"), ("normative_documents", "行政规范性文件"))


def in_force(record: Report, corpus: Corpus):
    if record.template != "2021":
        raise NotApplicable("仅适用于2021年版模板")
    previous = corpus.previous(record)
    if previous.template != "2021":
        raise NotApplicable("上一年度报告不是2021年版模板，没有“现行有效件数”")
    require_table(record, "active")
    if not previous.active:
        raise NotApplicable("上一年度报告缺少表A")
    for item, item_label in _IN_FORCE_ITEMS:
        cells = [CellRef("active", item, f).path for f in ("issued", "repealed", "in_force")]
        issued, repealed, now = (record.at(c) for c in cells)
        before = previous.at(CellRef("active", item, "in_force").path)
        expected = None if None in (before, issued, repealed) else before + issued - repealed
        if expected is None or now is None or expected != now:
            yield finding(record, cells, expected, now,
                          f"{item_label}：上年现行有效{shown(before)}+本年制发{shown(issued)}−本年废止{shown(repealed)}"
                          f"={shown(expected)}，本年现行有效{shown(now)}",
                          unverified=any(record.uncertain(c) for c in cells)
                          or previous.uncertain(CellRef("active", item, "in_force").path),
                          other_source=_source(previous))


# --- duplicate-copies -----------------------------------------------------------

_DIFFERENCES_SHOWN = 5


def figures(record: Report) -> dict[str, object]:
    """Every figure of tables A, B and C by record path."""
    flat: dict[str, object] = {}
    for item, fields in record.active.items():
        for field, number in (fields or {}).items():
            flat[CellRef("active", item, field).path] = number
    for table in ("requests", "reviews"):
        for row, numbers in getattr(record, table).items():
            for index, number in enumerate(numbers or []):
                flat[CellRef(table, row, index).path] = number
    return flat


def _difference(record: Report, other: Report, paths: list[str], mine: dict, theirs: dict, doubtful: bool) -> dict:
    listed = "；".join(f"{label(p)}：本件{shown(mine[p])}，另一份{shown(theirs[p])}" for p in paths[:_DIFFERENCES_SHOWN])
    more = f"等{len(paths)}处" if len(paths) > _DIFFERENCES_SHOWN else f"共{len(paths)}处"
    return finding(record, paths, {p: theirs[p] for p in paths}, {p: mine[p] for p in paths},
                   f"与同一机关同一年度的另一份报告（{_source(other)}）数字不一致，{more}：{listed}",
                   unverified=doubtful, other_source=_source(other))


def duplicate_copies(record: Report, corpus: Corpus):
    others = corpus.copies(record)
    if not others:
        raise NotApplicable("该机关该年度只有一份报告")
    if not any(getattr(record, t) for t in TABLES):
        raise NotApplicable("本件没有读到表格数字")
    mine = figures(record)
    for other in others:
        theirs = figures(other)
        # A figure missing from one copy is a reading gap (rule complete), not a disagreement.
        differing = [p for p in mine if mine[p] is not None and theirs.get(p) is not None and mine[p] != theirs[p]]
        doubtful = [p for p in differing if record.uncertain(p) or other.uncertain(p)]
        certain = [p for p in differing if p not in doubtful]
        if certain:
            yield _difference(record, other, certain, mine, theirs, doubtful=False)
        if doubtful:
            yield _difference(record, other, doubtful, mine, theirs, doubtful=True)


RULES = [
    Rule(
        "carry-over", "跨年度衔接：本年上年结转=上年结转下年", "Carry-over: this year's carried over = last year's carried forward",
        "本年表B“二、上年结转政府信息公开申请数量”应等于同一机关上一年度报告表B“四、结转下年度继续办理”，逐列核对。"
        "上一年结转下来的申请必须在本年出现，否则说明某一年的数字有误。没有该机关上一年度的报告、"
        "或机关名称未写明所在地（如“市国资委”）时不适用（单独读取一份报告时也不适用）。",
        "Table B's item 2 (carried over from last year) must equal item 4 (carried forward to next year) in the same "
        "agency's report for the previous year, column by column. Requests carried forward must show up the next year; "
        "otherwise one of the two years is wrong. Not applicable without the previous year's report, when the name does "
        "not say which city or county the body belongs to (市国资委), or when a single report is parsed on its own.",
        "error", "corpus", carry_over),
    Rule(
        "in-force", "现行有效件数衔接", "Documents in force carry over across years",
        "2021年版模板表A中，规章和行政规范性文件的“现行有效件数”应等于上一年度的现行有效件数加本年制发件数、"
        "减本年废止件数。不符说明文件清理或统计口径有变化而未说明，或数字有误。没有上一年度报告（或上一年度"
        "不是2021年版模板）时不适用。",
        "In table A of the 2021 template, the number of regulations and of normative documents in force must equal last "
        "year's number in force plus those issued this year minus those repealed this year. A mismatch means an "
        "unexplained change of counting or a wrong figure. Not applicable without the previous year's report on the "
        "2021 template.",
        "warning", "corpus", in_force),
    Rule(
        "duplicate-copies", "同一报告的多份副本数字一致", "Copies of the same report agree",
        "同一机关同一年度的报告有时被多次收录（不同网址、转载）。这些副本的表格数字应完全一致；不一致时两份都会被标记，"
        "并指出另一份的来源，因为无法判断哪一份是正确的。只有一份时不适用。",
        "The same agency's report for a year is sometimes collected more than once (different addresses, reposts). "
        "The copies' figures must be identical; when they differ both are flagged, each naming the other's source, "
        "because there is no telling which is right. Not applicable when there is a single copy.",
        "error", "corpus", duplicate_copies, fail_zh="副本之间数字不一致", fail_en="copies disagree"),
]
