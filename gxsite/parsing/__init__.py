"""Source text → gxsite.report/1 record.

parse_file reads one file; parse_source turns a decoded Source into a record.
Neither raises for bad content: whatever cannot be read becomes a problem in
the record, so that no report vanishes and no figure is guessed.
"""

from __future__ import annotations

import functools
from bisect import bisect_right
from pathlib import Path
from urllib.parse import urlsplit

from gxsite.reading import document, html_document, text_document
from gxsite.parsing import metadata
from gxsite.parsing import narrative
from gxsite.reading import spam
from gxsite.report import Problem, Report
from gxsite.reading.source import Source, read_source
from gxsite.parsing.slugs import agency_slug, is_bare

from gxsite.parsing import flattened, table_a, table_b, table_c
from gxsite.parsing.figures import Reader, Tables
from gxsite.parsing.flat import Flat


def _splitters():
    return flattened.split_requests, flattened.split_reviews, flattened.split_plain


_FILE_MESSAGES = {
    "empty-file": "文件是空的",
    "binary-file": "文件不是文本（二进制文件）",
    "undecodable": "无法识别文件的文字编码",
}


def parse_source(source: Source) -> Report:
    record = Report.blank(source.path, source.sha256, source.format)
    if source.truncated:
        record.problems.append(Problem(
            "too-large", "report", "",
            f"文件超过{source.limit // (1024 * 1024)} MB上限，只读取了前{source.limit // (1024 * 1024)} MB"))
    if source.text is None:
        code = source.code or "undecodable"
        record.problems.append(Problem(code, "report", "", _FILE_MESSAGES.get(code, source.reason or code)))
        return _finish(record)
    maybe_spam = spam.might_contain(source.text)
    read = html_document.from_html if source.format == "html" else text_document.from_text
    doc = read(source.text, maybe_spam)
    # the document notes every line it stripped spam from
    record.agency.tampered = bool(doc.unstripped)
    if source.format != "html":
        _note_injected_markup(source.text, record)
    doc, flat, b_start = _first_report(doc, record)
    _read_tables(doc, flat, b_start, record)
    _read_metadata(doc, record)
    if not record.usable:
        _explain_unusable(doc, record)
    if source.pages or source.places:
        _add_places(record, source.pages or [], source.places or [])
    return _finish(record, maybe_spam)


def _add_places(record: Report, pages: list[int], places: list[str]) -> None:
    """A PDF's or Word file's figures: where each was read in the file (its page; its table,
    row or paragraph), beside its line in the text laid out from it."""
    for entry in record.provenance.values():
        line = entry.line
        if not isinstance(line, int) or line < 1:
            continue
        if pages:
            entry.page = bisect_right(pages, line)
            entry.place = f"第{entry.page}页"
        elif line <= len(places):
            entry.place = places[line - 1]


def _note_injected_markup(text: str, record: Report) -> None:
    found = spam.injected_markup(text)
    if found:
        record.agency.tampered = True
        record.problems.append(Problem(
            "injected-markup", "report", found, "报告文本中有网页代码（HTML标签、脚本链接或模板语法），页面可能被篡改；已按原文文字显示"))


def _first_report(doc: document.Document, record: Report) -> tuple[document.Document, Flat, int | None]:
    """A file holding two reports: keep the first, and say which one was left out.

    Returns the document to read, its cells and where its table B starts."""
    flat = Flat.of(doc)
    first = table_b.find_table_b(flat)
    if first is None:
        return doc, flat, None
    end = table_b.end_of(flat, first)
    second = table_b.find_table_b(flat, end)
    if second is None:
        return doc, flat, first
    cut_cell = second
    title = None
    for i in range(second - 1, end, -1):
        text = flat.cells[i].text
        if metadata.is_title(text):
            cut_cell, title = i, spam.strip(text)
            break
    cut_row = flat.row_of[cut_cell]
    cut_line = flat.cells[cut_cell].line
    record.problems.append(Problem(
        "second-report-ignored", "report", title or "",
        f"文件中还有第二份报告{('《' + title + '》') if title else ''}，只读取了第一份"))
    doc = document.Document(doc.rows[:cut_row], [ln for ln in doc.lines if ln[1] < cut_line], doc.title,
                            meta=doc.meta, unstripped=doc.unstripped)
    flat = Flat.of(doc)
    return doc, flat, table_b.find_table_b(flat)


def _read_tables(doc: document.Document, flat: Flat, b_start: int | None, record: Report) -> None:
    split_requests, split_reviews, split_plain = _splitters()
    out = Tables()
    reader = Reader(flat, out)
    a_end = b_start if b_start is not None else len(flat.cells)
    a_start = table_a.start_of(flat, a_end)
    a_template = table_a.a_template(flat, a_start, a_end)
    template = None
    if b_start is not None:
        template = table_b.read_b(flat, out, reader, b_start, a_template, split_requests)
    template = template or a_template
    c_from = out.b_span[1] if out.b_span else a_start
    has_c = table_c.read_c(flat, out, reader, c_from, split_reviews)
    if template is None and (has_c or b_start is not None):
        year = metadata.year(doc, None)
        template = "2019" if year and year < 2021 else "2021"
    has_a = bool(template) and table_a.read_a(flat, out, reader, a_start, a_end, a_template or template, split_plain)
    record.template = template
    record.active, record.requests, record.reviews = out.active, out.requests, out.reviews
    record.provenance = out.provenance
    record.problems.extend(out.problems)
    if b_start is None or has_c or has_a:
        for table, present, what in (("requests", b_start is not None, "收到和处理政府信息公开申请情况（表二）"),
                                     ("reviews", has_c, "行政复议、行政诉讼情况（表三）"),
                                     ("active", has_a, "主动公开政府信息情况（表一）")):
            if not present and (b_start is not None or has_c or has_a):
                record.problems.append(Problem("missing-table", table, "", f"找不到{what}，可能以图片形式发布"))


def _read_metadata(doc: document.Document, record: Report) -> None:
    record.published = metadata.published(doc)
    record.year = metadata.year(doc, record.published)
    record.agency.name = metadata.agency_name(doc)
    title = metadata.title_line(doc)
    record.title = spam.strip(title).strip() if title else None
    record.source.url = metadata.address(doc)
    record.narrative = narrative.figures([text for text, _, in_table in doc.lines if not in_table])


def _explain_unusable(doc: document.Document, record: Report) -> None:
    text = " ".join(t for t, _, _ in doc.lines[:400])
    if "信息公开" in text and ("报告" in text or "年报" in text):
        record.problems.append(Problem(
            "no-tables", "report", "",
            "这份报告中找不到申请处理情况表和行政复议、行政诉讼情况表（可能以图片形式发布）"))
    else:
        record.problems.append(Problem(
            "not-a-report", "report", "", "文件不是政府信息公开工作年度报告（找不到报告的表格）"))


# An agency's slug (its name in pinyin) depends on the name alone, and every year's
# report of an agency carries the same name: computed once per name and process
# (pypinyin was ~4% of the parse). Short names only, so a hostile file cannot fill memory.
_name_slug = functools.lru_cache(maxsize=4096)(lambda name: agency_slug(name, ""))


def _slug(name: str | None, path: str, place: str | None) -> str:
    if name and len(name) <= 100 and not is_bare(name):
        return _name_slug(name)
    return agency_slug(name, path, place)


def _finish(record: Report, maybe_spam: bool = False) -> Report:
    url = record.source.url
    place = urlsplit(url).hostname if url else None
    record.agency.slug = _slug(record.agency.name, record.source.path, place)
    if maybe_spam:
        _strip_spam(record)
    return record


def _strip_spam(record: Report) -> None:
    """Spam must not travel into the site: strip it from every text the record carries but its
    source and slug (the figures are numbers; the paths keying provenance are ours)."""
    record.agency.name = _stripped(record.agency.name)
    record.published, record.template, record.title = map(_stripped, (record.published, record.template, record.title))
    record.narrative = _stripped(record.narrative)
    for entry in record.provenance.values():
        entry.text, entry.place = _stripped(entry.text), _stripped(entry.place)
    for p in record.problems:
        p.code, p.where, p.text, p.message = map(_stripped, (p.code, p.where, p.text, p.message))


def _stripped(value):
    """A JSON-like value with spam stripped from every string in it."""
    if isinstance(value, dict):
        return {k: _stripped(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_stripped(v) for v in value]
    if isinstance(value, str):
        return spam.strip(value)
    return value


def parse_file(path: Path, shown_path: str | None = None) -> Report:
    """One file → one record. Never raises for bad content: problems say what went wrong."""
    return parse_source(read_source(path, shown_path or str(path)))
