"""Source text → gxsite.report/1 record.

Walking-skeleton parser: finds table B's rows by their labels and reads the
numbers that follow. The parser issue replaces this with the full reader.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from bs4 import BeautifulSoup

from . import record as rec
from .reading import Source, read_source

_NUMBER = re.compile(r"^-?\d[\d,]*(?:\.\d+)?$")
_ROW_PATTERNS = {
    "new_received": r"本年新收",
    "carried_over": r"上年结转",
    "total": r"（七）总计",
    "carried_forward": r"结转下年度继续办理",
}


def _normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace("(", "（").replace(")", "）")


def _cells(source: Source) -> list[str]:
    text = source.text or ""
    if source.format == "html":
        soup = BeautifulSoup(text, "lxml")
        text = "\n".join(cell.get_text(" ", strip=True) for cell in soup.find_all(["td", "th", "p", "h1", "h2", "h3", "title"]))
    cells = []
    for line in _normalize(text).splitlines():
        cells.extend(part.strip() for part in line.split("|"))
    return [cell for cell in cells if cell]


def _read_row(cells: list[str], start: int) -> list[int | None]:
    values: list[int | None] = []
    for cell in cells[start + 1:]:
        if len(values) == 7:
            break
        if _NUMBER.match(cell.rstrip("?")):
            values.append(int(cell.rstrip("?").replace(",", "")))
        elif values:
            break
    return values + [None] * (7 - len(values))


def parse_source(source: Source) -> dict:
    record = rec.blank_record(source.path, source.sha256, source.format)
    if source.text is None:
        record["problems"].append(rec.problem("unreadable", "report", "", source.reason or "unreadable"))
        return record
    cells = _cells(source)
    template = "2021" if any("逾期不补正" in c for c in cells) else "2019"
    requests = {}
    for key, pattern in _ROW_PATTERNS.items():
        for i, cell in enumerate(cells):
            if re.search(pattern, cell):
                requests[key] = _read_row(cells, i)
                break
    if not requests:
        record["problems"].append(rec.problem("no-table", "report", "", "table B (收到和处理政府信息公开申请情况) not found"))
        return record
    record["template"] = template
    record["requests"] = requests
    years = re.findall(r"(20\d\d)年", _normalize(source.text[:3000]))
    record["year"] = int(years[0]) if years else None
    record["agency"]["name"] = None
    return record


def parse_file(path: Path, shown_path: str | None = None) -> dict:
    """One file → one record. Never raises for bad content: problems say what went wrong."""
    return parse_source(read_source(path, shown_path or str(path)))
