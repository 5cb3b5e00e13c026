"""PDF and Word reports (issue 18): read into the same document as web pages, exactly, or
listed with a precise reason. The real PDF's every figure is held to its gold in test_corpus."""

from __future__ import annotations

import io
import random
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfWriter

from conftest import ROOT, figure_paths
from gxsite import build as build_mod
import synthetic
from conftest import parse_json as parse_file

REAL_PDF = Path(__file__).parent / "corpus" / "huaian-2024.pdf"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--no-pdf-header-footer"]


def draw(seed: int) -> dict:
    rng = random.Random(seed)
    year = rng.choice([2019, 2020, 2021, 2022, 2023])
    return synthetic.make_report(rng, synthetic.template_for(year), year, synthetic.agency_names(rng, 1)[0])


def read_as_printed(record: dict, parsed: dict) -> dict:
    """What differs between the record and its reading: figures, then the report's fields."""
    truth, got = dict(figure_paths(record)), dict(figure_paths(parsed)) if parsed["requests"] else {}
    wrong = {path: (got.get(path), value) for path, value in truth.items() if got.get(path) != value}
    for key in ("year", "template", "published"):
        if parsed[key] != record[key]:
            wrong[key] = (parsed[key], record[key])
    if parsed["agency"]["name"] != record["agency"]["name"]:
        wrong["agency"] = (parsed["agency"]["name"], record["agency"]["name"])
    return wrong


def test_the_real_pdf_says_the_page_of_each_figure():
    record = parse_file(REAL_PDF)
    assert record["source"]["format"] == "pdf"
    provenance = record["provenance"]
    assert provenance["active.regulations.issued"]["page"] == 3
    assert provenance["requests.new_received[6]"]["page"] == 4  # table B starts on page 4
    assert provenance["requests.total[6]"]["page"] == 5  # and goes on over page 5
    assert provenance["reviews.reconsideration[4]"] == {**provenance["reviews.reconsideration[4]"], "page": 5,
                                                         "text": "351"}


def print_pdf(chromium: Path, tmp_path: Path, record: dict, seed: int, style: str) -> Path:
    page = synthetic.render(record, "html", seed=seed).decode("utf-8").replace("</head>", f"<style>{style}</style></head>")
    source, target = tmp_path / "report.html", tmp_path / "report.pdf"
    source.write_text(page, encoding="utf-8")
    subprocess.run([str(chromium), *CHROMIUM_ARGS, f"--print-to-pdf={target}", source.as_uri()], check=True,
                   capture_output=True, timeout=60)
    return target


@pytest.mark.parametrize("seed, style", [
    (1, 'body { font-family: "WenQuanYi Micro Hei" } td { border: 1px solid #999 }'),
    (2, 'body { font-family: "WenQuanYi Zen Hei"; font-size: 12pt } td { border: 2px solid black }'),
    (3, "table { border-collapse: collapse } td { border: 1px solid #000 } tr:nth-child(9) { break-before: page }"),
    (4, "td { border: 1px solid #333; padding: 8px } tr:nth-child(15) { page-break-before: always }"),
])
def test_pdfs_printed_from_web_reports_read_exactly(chromium, tmp_path, seed, style):
    """Printed by headless chromium in different fonts and table borders, table B broken over pages."""
    record = draw(seed)
    assert read_as_printed(record, parse_file(print_pdf(chromium, tmp_path, record, seed, style))) == {}


def test_a_pdf_table_without_ruling_lines_is_never_misread(chromium, tmp_path):
    """Without borders the columns are not drawn: blank cells vanish. Nothing may be guessed."""
    record = draw(5)
    parsed = parse_file(print_pdf(chromium, tmp_path, record, 5, "td, table { border: none }"))
    flagged = {p["where"] for p in parsed["problems"]}
    for path, (got, printed) in read_as_printed(record, parsed).items():
        # the problem names the cell, its row or its whole table
        places = {path, path.split("[")[0], path.split(".")[0]}
        assert got is None and places & flagged, f"{path}: read {got}, printed {printed}"


@pytest.mark.parametrize("seed", range(6))
def test_word_reports_round_trip(tmp_path, seed):
    record = draw(seed)
    path = tmp_path / "report.docx"
    path.write_bytes(synthetic.render_docx(record, seed=seed))
    parsed = parse_file(path)
    assert parsed["source"]["format"] == "docx"
    assert read_as_printed(record, parsed) == {}


def _encrypted() -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(REAL_PDF.read_bytes()))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _scan() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (850, 1100), "white").save(out, "PDF")
    return out.getvalue()


def _damaged_word() -> bytes:
    out = io.BytesIO()
    import zipfile
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w:document>没有闭合")
    return out.getvalue()


UNREADABLE = {
    "扫描件.pdf": (_scan, "scanned-pdf", "扫描件，没有文字层"),
    "加密.pdf": (_encrypted, "encrypted-pdf", "PDF文件已加密"),
    "损坏.pdf": (lambda: REAL_PDF.read_bytes()[:60_000], "damaged-pdf", "PDF文件已损坏"),
    "旧版.doc": (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2048), "legacy-word", "旧版Word文档（.doc）"),
    "损坏.docx": (_damaged_word, "damaged-docx", "Word文件已损坏"),
}


@pytest.mark.parametrize("name", sorted(UNREADABLE))
def test_an_unreadable_attachment_says_why(tmp_path, name):
    make, code, reason = UNREADABLE[name]
    path = tmp_path / name
    path.write_bytes(make())
    problems = [(p["code"], p["message"]) for p in parse_file(path)["problems"] if p["where"] == "report"]
    assert len(problems) == 1 and problems[0][0] == code and problems[0][1].startswith(reason)


def test_unreadable_attachments_are_listed_on_the_unread_page(tmp_path):
    reports = tmp_path / "raw_reports"
    reports.mkdir()
    for name, (make, _, _) in UNREADABLE.items():
        (reports / name).write_bytes(make())
    (reports / "淮安.pdf").write_bytes(REAL_PDF.read_bytes())
    result = build_mod.build(reports, tmp_path / "content", tmp_path / "site", ROOT / "mkdocs.yml")
    assert (result.files, len(result.records), len(result.unread)) == (6, 1, 5)
    unread = (tmp_path / "content" / "unread.md").read_text(encoding="utf-8")
    for name, (_, _, reason) in UNREADABLE.items():
        assert name in unread and reason in unread


def test_a_word_figure_knows_its_table_and_row(tmp_path):
    record = draw(1)
    path = tmp_path / "report.docx"
    path.write_bytes(synthetic.render_docx(record, seed=1))
    provenance = parse_file(path)["provenance"]
    places = {provenance[p]["place"] for p in ("requests.new_received[0]", "requests.total[6]")}
    assert all(place.startswith("第") and "个表格第" in place and place.endswith("行") for place in places)
    assert len(places) == 2
