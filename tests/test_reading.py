"""Bytes → text: encodings are detected, not assumed; limits and broken files are reported."""

from __future__ import annotations

import opencc
import pytest

from conftest import SEEDS, gold_files, load_gold
from gxsite.reading import source as reading
from conftest import parse_json as parse_file

SEED_003 = SEEDS / "003_78cb5ee3af34762b.txt"
GOLD_003 = load_gold(gold_files()[3])


def _seed_text() -> str:
    return SEED_003.read_text(encoding="utf-8")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16", "utf-16-le", "utf-16-be"])
def test_encodings_are_detected_and_figures_survive(tmp_path, encoding):
    path = tmp_path / f"seed-{encoding}.txt"
    path.write_bytes(_seed_text().replace("\xa0", " ").encode(encoding))
    record = parse_file(path)
    assert record["requests"] == GOLD_003["requests"]
    assert record["agency"]["name"] == GOLD_003["agency"]["name"]
    assert not [p for p in record["problems"] if p["where"] == "report"]


def test_big5_traditional_report_is_read_in_simplified(tmp_path):
    path = tmp_path / "big5.txt"
    # characters Big5 lacks become `?` in narrative text, as a legacy site would serve them
    path.write_bytes(opencc.OpenCC("s2t").convert(_seed_text()).encode("big5", errors="replace"))
    record = parse_file(path)
    assert record["requests"] == GOLD_003["requests"]
    assert record["agency"]["name"] == "市国资委"


def test_decode_prefers_the_encoding_that_reads_as_chinese():
    data = "政府信息公開工作年度報告，收到申請情況".encode("big5")
    text, encoding = reading.decode(data)
    assert encoding == "big5" and "公開" in text


def test_truncated_utf8_is_cut_at_a_character_boundary():
    data = ("数" * 10).encode("utf-8")[:-1]  # last character cut in half
    text, encoding = reading.decode(data, truncated=True)
    assert encoding == "utf-8" and text == "数" * 9


def test_file_over_the_limit_is_read_up_to_it_and_says_so(tmp_path, monkeypatch):
    monkeypatch.setattr(reading, "MAX_BYTES", 4000)
    path = tmp_path / "huge.txt"
    path.write_text(_seed_text() + "填充。" * 5000, encoding="utf-8")
    source = reading.read_source(path, "huge.txt")
    assert source.truncated and len(source.text.encode("utf-8")) <= 4000
    record = parse_file(path)
    too_large = [p for p in record["problems"] if p["code"] == "too-large"]
    assert too_large and too_large[0]["where"] == "report" and "MB" in too_large[0]["message"]


@pytest.mark.parametrize("content, code", [
    (b"", "empty-file"),
    (b"  \n\r\n\t ", "empty-file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "binary-file"),
    (bytes(range(256)) * 20, "binary-file"),
])
def test_files_that_are_not_text(tmp_path, content, code):
    path = tmp_path / "f.txt"
    path.write_bytes(content)
    record = parse_file(path, "raw_reports/f.txt")
    assert [p["code"] for p in record["problems"]] == [code]
    assert record["problems"][0]["where"] == "report" and record["problems"][0]["message"]
    assert record["requests"] == {} and record["agency"]["slug"]


def test_a_path_that_cannot_be_opened_still_gives_a_record(tmp_path):
    record = parse_file(tmp_path, "raw_reports/a-folder")
    assert record["problems"][0]["code"] == "unreadable-file"
    assert record["source"]["path"] == "raw_reports/a-folder"


@pytest.mark.parametrize("text, expected", [
    ("<table><tr><td>1</td></tr></table>", "html"),
    ("<P>段落</P>", "html"),
    ("一、本年新收 | 1 | 2", "text"),
    ("a < b and c > d", "text"),
])
def test_format_is_sniffed_from_content(text, expected):
    assert reading.sniff_format(text) == expected
