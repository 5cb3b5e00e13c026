"""Layouts and hostile inputs: every file yields a record, read exactly or with problems saying why."""

from __future__ import annotations

import html
import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SEEDS, gold_files, load_gold, run_single_json, usable
from gxsite import record as rec
from conftest import parse_json as parse_file

FIXTURES = Path(__file__).parent / "fixtures" / "parse"
GOLD_001 = load_gold(gold_files()[1])
GOLD_003 = load_gold(gold_files()[3])
GOLD_004 = load_gold(gold_files()[4])


def _seed(n: int) -> str:
    return (SEEDS / load_gold(gold_files()[n])["file"]).read_text(encoding="utf-8")


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_html_grid_with_rowspan_colspan_nbsp_and_noise():
    """Seed 004's figures as an HTML page: merged cells, &nbsp; zeros, full-width digits,
    numbers inside <script>, <nav> and comments that must not be read."""
    record = parse_file(FIXTURES / "html-grid-2019.html")
    assert record["source"]["format"] == "html"
    assert record["requests"] == GOLD_004["requests"]
    assert record["reviews"] == GOLD_004["reviews"]
    assert record["template"] == "2019" and record["year"] == 2020 and record["published"] == "2021-01-28"
    assert record["agency"] == {"name": "某某市人民政府办公室", "slug": record["agency"]["slug"], "tampered": False}
    assert record["active"]["licensing"] == {"previous": 120, "change": -18, "decisions": 1234}
    assert record["active"]["penalties"] == {"previous": 0, "change": 0, "decisions": 0}  # — / 无
    assert record["active"]["procurement"] == {"projects": 103, "amount_yuan": 1213308.0}
    assert record["narrative"]["reconsideration"]["value"] == 1
    assert record["problems"] == []


def _as_layout(text: str, joiner: str) -> str:
    """Seed 001 (one cell per line) with every table row put on one line, cells joined by `joiner`."""
    lines = [ln.strip() for ln in text.split("\n")]
    out, row = [], []
    labels = ("一、", "二、", "（", "(", "1.", "2.", "3.", "4.", "5.", "6.", "7.", "8.", "四、结转")
    for ln in lines:
        if not ln:
            continue
        if ln.replace(" ", "").isdigit() and row:
            row.append(ln)
            continue
        if row:
            out.append(joiner.join(row))
        row = [ln] if ln.startswith(labels) else []
        if not row:
            out.append(ln)
    if row:
        out.append(joiner.join(row))
    return "\n".join(out)


@pytest.mark.parametrize("joiner", ["\t", "  ", " ", " | "])
def test_rows_on_one_line_with_tabs_spaces_or_pipes(tmp_path, joiner):
    path = _write(tmp_path, "layout.txt", _as_layout(_seed(1), joiner))
    record = parse_file(path)
    assert record["requests"] == GOLD_001["requests"]
    assert record["reviews"] == GOLD_001["reviews"]


def test_full_width_digits_and_thousands_separators(tmp_path):
    text = _seed(1).replace("\n25\n", "\n２５\n", 1).replace("67370", "67,370")
    record = parse_file(_write(tmp_path, "fw.txt", text))
    assert record["requests"]["new_received"][0] == 25
    assert record["active"]["licensing"]["decisions"] == 67370


def test_markdown_table_broken_into_pieces_with_a_page_footer(tmp_path):
    rows = []
    for key, label in rec.request_rows("2021"):
        rows.append(f"| {label} | " + " | ".join(str(v) for v in GOLD_001["requests"][key]) + " |")
    head = "| 项目 | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |\n|---|---|---|---|---|---|---|---|"
    middle = len(rows) // 2
    text = "\n".join(["2021年政府信息公开工作年度报告", "三、收到和处理政府信息公开申请情况", head, *rows[:middle],
                      "", "— 3 —", "", head, *rows[middle:]])
    record = parse_file(_write(tmp_path, "md.txt", text))
    assert record["requests"] == GOLD_001["requests"]


def test_a_stray_value_cell_is_resolved_by_the_row_sum_or_left_null(tmp_path):
    text = _seed(1)
    # a stray `0` before the figures of 本年新收: only one deletion satisfies 总计 = sum
    stray = text.replace("一、本年新收政府信息公开申请数量\n\n25", "一、本年新收政府信息公开申请数量\n\n7\n\n25", 1)
    record = parse_file(_write(tmp_path, "stray.txt", stray))
    assert record["requests"]["new_received"] == [25, 2, 0, 0, 0, 0, 27]
    # an extra zero among zeros: every reading agrees, so nothing is lost
    extra = text.replace("二、上年结转政府信息公开申请数量\n\n2 \n\n0", "二、上年结转政府信息公开申请数量\n\n2 \n\n0\n\n0", 1)
    assert parse_file(_write(tmp_path, "extra.txt", extra))["requests"]["carried_over"] == [2, 0, 0, 0, 0, 0, 2]
    # two readings satisfy the row sum: nothing is guessed
    ambiguous = text.replace("(一)予以公开\n\n12 \n\n0", "(一)予以公开\n\n12 \n\n12\n\n0", 1)
    record = parse_file(_write(tmp_path, "ambiguous.txt", ambiguous))
    granted = record["requests"]["granted"]
    assert granted == [12, 0, 0, 0, 0, 0, 12] or granted == [None] * 7
    if granted == [None] * 7:
        assert {p["where"] for p in record["problems"]} >= {f"requests.granted[{i}]" for i in range(7)}


def test_short_row_is_null_with_a_problem_never_shifted(tmp_path):
    text = _seed(1).replace("4.保护第三方合法权益\n\n1\n\n0", "4.保护第三方合法权益\n\n1", 1)
    record = parse_file(_write(tmp_path, "short.txt", text))
    assert record["requests"]["denied_third_party"] == [None] * 7
    assert "requests.denied_third_party[0]" in {p["where"] for p in record["problems"] if p["code"] == "unreadable-cell"}
    assert record["requests"]["denied_internal_affairs"] == [0] * 7  # the next row is unaffected


def test_flattened_rows_are_split_only_when_the_arithmetic_allows(tmp_path):
    runs = {key: "".join(str(v) for v in vals) for key, vals in GOLD_001["requests"].items()}
    body = "".join(label + runs[key] for key, label in rec.request_rows("2021"))
    review = "".join(str(v) for g, _ in rec.REVIEW_GROUPS for v in GOLD_001["reviews"][g])
    text = "\n".join(["2021年政府信息公开工作年度报告", "三、收到和处理政府信息公开申请情况",
                      "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）申请人情况自然人法人或其他组织总计" + body,
                      "四、政府信息公开行政复议、行政诉讼情况",
                      "行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计未经复议直接起诉复议后起诉" + review])
    record = parse_file(_write(tmp_path, "flat.txt", text))
    uncertain = {p["where"] for p in record["problems"] if p["code"] == "ambiguous-split"}
    read = 0
    for key, values in GOLD_001["requests"].items():
        for i, value in enumerate(values):
            got = record["requests"][key][i]
            if got is None:
                assert f"requests.{key}[{i}]" in uncertain
            else:
                assert got == value
                read += 1
    assert read >= 150  # most rows are single digits: one split only
    assert record["reviews"] == GOLD_001["reviews"]


def test_tables_published_as_images(tmp_path):
    text = "\n".join(line for line in _seed(3).split("\n") if not line.strip().replace(" ", "").isdigit())
    record = parse_file(_write(tmp_path, "images.txt", text))
    assert not usable(record)
    problem = [p for p in record["problems"] if p["where"] == "report"]
    assert problem and problem[0]["code"] == "no-tables" and problem[0]["message"]


def test_table_c_missing_is_a_missing_table_problem(tmp_path):
    text = _seed(3)
    text = text[:text.index("四、政府信息公开行政复议")] + text[text.index("五、存在的主要问题"):]
    record = parse_file(_write(tmp_path, "no-c.txt", text))
    assert record["requests"] == GOLD_003["requests"]
    assert record["reviews"] == {}
    assert {"code": "missing-table", "where": "reviews"}.items() <= next(
        p for p in record["problems"] if p["code"] == "missing-table").items()


@pytest.mark.parametrize("content", [
    "<html><head><title>404 Not Found</title></head><body><h1>页面不存在</h1><p>返回首页</p></body></html>",
    "通知\n各单位：请于本周五前报送材料。\n办公室\n2022年3月1日",
    "<div><p>",
])
def test_pages_that_are_not_reports(tmp_path, content):
    record = parse_file(_write(tmp_path, "page.html", content))
    assert not usable(record)
    codes = [p["code"] for p in record["problems"] if p["where"] == "report"]
    assert codes in (["not-a-report"], ["no-tables"])


def test_two_reports_in_one_file_read_the_first_and_name_the_second(tmp_path):
    text = _seed(3) + "\n\n" + _seed(1)
    record = parse_file(_write(tmp_path, "two.txt", text))
    assert record["requests"] == GOLD_003["requests"]
    assert record["agency"]["name"] == "市国资委" and record["year"] == 2023
    second = [p for p in record["problems"] if p["code"] == "second-report-ignored"]
    assert len(second) == 1 and second[0]["where"] == "report"
    assert "2021年政府信息公开工作年度报告" in second[0]["text"] and "利博" not in second[0]["text"]


def test_the_first_of_two_reports_keeps_the_evidence_for_its_agency_name(tmp_path):
    # Seed 004's name is recovered from where spam stood; cutting the file at the
    # second report once dropped that evidence (and the page's <meta>), leaving no name.
    record = parse_file(_write(tmp_path, "two.txt", _seed(4) + "\n\n" + _seed(3)))
    assert record["agency"]["name"] == GOLD_004["agency"]["name"] and record["year"] == GOLD_004["year"]
    assert record["requests"] == GOLD_004["requests"]


def test_markup_in_a_text_report_stays_text(tmp_path):
    text = _seed(0).replace("????咸宁市政府国资委", "<script>alert(1)</script>咸宁市政府国资委")
    record = parse_file(_write(tmp_path, "x.txt", text))
    # the parser does not interpret markup in text files; escaping is the renderer's job
    assert record["requests"]["total"] == [0] * 7
    assert record["agency"]["name"] in (None, "咸宁市政府国资委")


def test_scripts_in_an_html_report_are_not_content(tmp_path):
    html = (FIXTURES / "html-grid-2019.html").read_text(encoding="utf-8").replace(
        "<h1>", "<h1><script>alert('x')</script><img src=x onerror=alert(1)>")
    record = parse_file(_write(tmp_path, "x.html", html))
    assert "alert" not in json.dumps(record, ensure_ascii=False)


@pytest.mark.parametrize("name", ["report with spaces.txt", "quote's \"double\".txt", "semi;colon.txt",
                                  "江西省 报告.txt", "-starts-with-dash.txt"])
def test_cli_json_lines_for_awkward_file_names(tmp_path, name):
    path = tmp_path / name
    path.write_text(_seed(3), encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    out = subprocess.run([sys.executable, "-m", "gxsite", "parse", "--json", "--", str(path), str(empty)],
                         cwd=ROOT, capture_output=True, text=True, check=True).stdout.splitlines()
    assert len(out) == 2
    first, second = (json.loads(line) for line in out)
    assert first["source"]["path"] == str(path) and first["requests"] == GOLD_003["requests"]
    assert second["problems"][0]["code"] == "empty-file"


def test_cli_summary_names_every_file(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    out = subprocess.run([sys.executable, "-m", "gxsite", "parse", str(SEEDS / GOLD_003["file"]), str(empty)],
                         cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert "市国资委" in out and "2023" in out and "empty-file" in out


def test_comma_separated_rows_and_thousands_in_prose(tmp_path):
    lines = ["2021年政府信息公开工作年度报告", "三、收到和处理政府信息公开申请情况",
             "项目,自然人,商业企业,科研机构,社会公益组织,法律服务机构,其他,总计"]
    for key, label in rec.request_rows("2021"):
        label = label.replace("（二）部分公开", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）")
        lines.append(label + "," + ",".join(str(v) for v in GOLD_001["requests"][key]))
    lines += ["四、政府信息公开行政复议、行政诉讼情况", "行政复议,,,,,行政诉讼",
              "结果维持,结果纠正,其他结果,尚未审结,总计," * 3,
              ",".join(str(v) for g, _ in rec.REVIEW_GROUPS for v in GOLD_001["reviews"][g]),
              "全年共收到政府信息公开申请1,234件，办结1,200件。"]
    record = parse_file(_write(tmp_path, "csv.txt", "\n".join(lines)))
    assert record["requests"] == GOLD_001["requests"]
    assert record["reviews"] == GOLD_001["reviews"]
    assert record["narrative"]["received"]["value"] == 1234
    assert record["narrative"]["handled"]["value"] == 1200


def test_nbsp_entities_left_in_text_are_blank_cells(tmp_path):
    text = _seed(0).replace("行政许可 | 0 |", "行政许可 | &nbsp; |").replace(
        "二、上年结转51吃瓜网申请数量 | 0 | 0 |", "二、上年结转51吃瓜网申请数量 | &nbsp; | 0 |")
    assert text.count("&nbsp;") == 2
    record = parse_file(_write(tmp_path, "nbsp.txt", text))
    assert record["active"]["licensing"]["decisions"] == 0
    assert record["requests"]["carried_over"] == [0] * 7


def test_table_c_printed_one_group_per_row(tmp_path):
    text = _seed(0)
    rows = "\n".join(["项目 | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |",
                      "行政复议 | 1 | 0 | 0 | 0 | 1 |",
                      "行政诉讼（未经复议直接起诉） | 3 | 0 | 0 | 0 | 3 |",
                      "行政诉讼（复议后起诉） | 0 | 0 | 1 | 0 | 1 |"])
    layout = text[:text.index("行政复议 | 行政诉讼")] + rows + "\n" + text[text.index("五、存在的主要问题"):]
    record = parse_file(_write(tmp_path, "c-rows.txt", layout))
    assert record["reviews"] == {"reconsideration": [1, 0, 0, 0, 1], "litigation_direct": [3, 0, 0, 0, 3],
                                 "litigation_after_reconsideration": [0, 0, 1, 0, 1]}
    # a total that is not its sum: the row layout is not trusted, the figures stay unknown
    broken = layout.replace("行政复议 | 1 | 0 | 0 | 0 | 1 |", "行政复议 | 1 | 0 | 0 | 0 | 2 |")
    record = parse_file(_write(tmp_path, "c-rows-broken.txt", broken))
    assert record["reviews"]["reconsideration"] == [None] * 5
    assert "reviews.reconsideration[0]" in {p["where"] for p in record["problems"]}


def test_xhtml_with_an_xml_declaration_is_still_html(tmp_path):
    html = '<?xml version="1.0" encoding="utf-8"?>\n' + (FIXTURES / "html-grid-2019.html").read_text(encoding="utf-8")
    record = parse_file(_write(tmp_path, "x.html", html))
    assert record["source"]["format"] == "html" and record["requests"] == GOLD_004["requests"]


def test_government_site_meta_tags_give_title_date_and_source(tmp_path):
    html = (FIXTURES / "html-grid-2019.html").read_text(encoding="utf-8")
    html = html.replace("<title>某某市人民政府办公室2020年政府信息公开工作年度报告</title>",
                        '<meta name="ArticleTitle" content="某某县交通运输局2020年政府信息公开工作年度报告">'
                        '<meta name="PubDate" content="2021-01-15 10:00">'
                        '<meta name="ContentSource" content="某某县交通运输局">'
                        "<title>政府信息公开年报_某某县人民政府</title>")
    for removed in ("<p>发布日期：2021-01-28</p>", "<h1>某某市人民政府办公室2020年政府信息公开工作年度报告</h1>",
                    '<p style="text-align:right">某某市人民政府办公室<br>2021年1月28日</p>'):
        assert removed in html
        html = html.replace(removed, "")
    record = parse_file(_write(tmp_path, "meta.html", html))
    assert (record["agency"]["name"], record["published"], record["year"]) == ("某某县交通运输局", "2021-01-15", 2020)
    spammed = html.replace('content="某某县交通运输局"', 'content="bet36体育投注_2024欧洲杯在哪投注#"')
    record = parse_file(_write(tmp_path, "meta-spam.html", spammed))
    assert record["agency"]["name"] == "某某县交通运输局" and record["agency"]["tampered"] is True


_TORN_ROWS = {
    "new_received": [5, 1, 0, 0, 0, 0, 6], "carried_over": [0] * 7, "granted": [2, 0, 0, 0, 0, 0, 2],
    "partially_granted": [1, 0, 0, 0, 0, 0, 1], "unavailable_not_held": [1, 0, 0, 0, 0, 0, 1],
    "not_processed_duplicate": [0, 1, 0, 0, 0, 0, 1], "not_processed_confirmation": [1, 0, 0, 0, 0, 0, 1],
    "total": [5, 1, 0, 0, 0, 0, 6],
}


def _torn_report(overdue_label: str | None) -> str:
    """A 2021 table B as a PDF→Markdown converter leaves it: the labels of （五）5 and （六）1
    printed above the table, their figures further down with no label or a piece of one."""
    lines = ["示例市统计局2021年政府信息公开工作年度报告", "三、收到和处理政府信息公开申请情况",
             "5.要求行政机关确认或重新出具", "已获取信息", "1.申请人无正当理由逾期不补正、",
             "| 项目 | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |",
             "|---|---|---|---|---|---|---|---|"]
    for key, label in rec.request_rows("2021"):
        figures = " | ".join(str(v) for v in _TORN_ROWS.get(key, [0] * 7))
        if key == "not_processed_confirmation" or (key == "other_overdue_correction" and overdue_label is None):
            lines.append(f"| {figures} |")
        elif key == "other_overdue_correction":
            lines.append(f"| {overdue_label} | {figures} |")
        else:
            lines.append(f"| {label} | {figures} |")
    lines += ["四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况"]
    return "\n".join(lines) + "\n"


def test_rows_torn_from_their_labels_are_placed_only_where_the_label_pieces_leave_one_way(tmp_path):
    """Issue 14: a row of figures placed on the wrong row (8/2/…/10 shown as 0) with no doubt marker."""
    record = parse_file(_write(tmp_path, "torn.txt", _torn_report("行政机关不再处理其政府信息公")))
    assert record["requests"]["not_processed_confirmation"] == [1, 0, 0, 0, 0, 0, 1]
    assert record["requests"]["other_overdue_correction"] == [0] * 7
    assert not [p for p in record["problems"] if p["where"].startswith("requests.")]


def test_rows_torn_from_their_labels_stay_unread_when_two_placements_fit(tmp_path):
    record = parse_file(_write(tmp_path, "torn.txt", _torn_report(None)))
    for key in ("not_processed_confirmation", "other_overdue_correction"):
        assert record["requests"][key] == [None] * 7
        assert {p["where"] for p in record["problems"]} >= set(rec.row_paths("requests", key, 7))


@pytest.mark.parametrize("written", ["1 234", "x", "×", "null"])
def test_a_figure_written_1_234_or_x_is_doubtful_not_a_certain_reading(tmp_path, written):
    """Issue 17 #5 and issue 14: in the one-cell-per-line layout `1 234` was read as two certain
    figures (the row shifted, row-sum failed as the publisher's error); `x`, `×`, `null` as 0."""
    lines = _seed(1).split("\n")
    at = lines.index("一、本年新收政府信息公开申请数量") + 2
    assert lines[at] == "25"
    lines[at] = written
    record = parse_file(_write(tmp_path, "cell.txt", "\n".join(lines)))
    assert record["requests"]["new_received"] == [None, 2, 0, 0, 0, 0, 27]
    assert "requests.new_received[0]" in {p["where"] for p in record["problems"]}
    verdicts = {c["rule"]: c["status"] for c in run_single_json(record)}
    assert "fail" not in (verdicts["row-sum"], verdicts["balance"])


@pytest.mark.parametrize("header", ["本年收费金额(单位:万元)", "本年收费(万元)", "本年收费"])
def test_a_2021_fee_is_in_the_forms_unit_whatever_the_header_says(tmp_path, header):
    """Issue 14: a 2021 fee (a 万元 column) under a header without 金额 was divided by 10,000."""
    text = _seed(0).replace("信息内容 | 本年收费金额(单位:万元) |", f"信息内容 | {header} |", 1)
    text = text.replace("行政事业性收费 | 0 |", "行政事业性收费 | 12.5 |", 1)
    record = parse_file(_write(tmp_path, "fee.txt", text))
    assert record["active"]["fees"] == {"amount_10k_yuan": 12.5}
    assert "active.fees.amount_10k_yuan" not in {p["where"] for p in record["problems"]}


@pytest.mark.parametrize("first, expected", [("22", {"issued": 22, "repealed": 55, "in_force": 235}),
                                             ("21", {"issued": None, "repealed": None, "in_force": None})])
def test_a_table_a_row_that_lost_a_cell_takes_it_from_loose_lines_only_when_they_agree(tmp_path, first, expected):
    """PDF→Markdown: `| 规章 | 22 | 235 |` lost its middle cell, whose figures the converter printed
    as loose lines under 第二十条第（一）项 (22 / （其中修订16件）/ 55)."""
    table_a = ["二、主动公开政府信息情况", "第二十条第（一）项", first, "（其中修订 16 件）", "55", "（含自然失效 29 件）",
               "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |", "|---|---|---|---|",
               "| 规章 | 22 | 235 |", "| 行政规范性文件 | 34 | 189 |"]
    lines = _torn_report("行政机关不再处理其政府信息公").split("\n")
    lines[1:1] = table_a
    record = parse_file(_write(tmp_path, "loose.txt", "\n".join(lines)))
    assert record["active"]["regulations"] == expected
    assert record["active"]["normative_documents"] == {"issued": None, "repealed": None, "in_force": None}


def test_a_gbk_file_with_a_stray_nul_is_read_as_gbk(tmp_path):
    """Issue 17 #10: a GBK file with one NUL byte was called binary."""
    data = _seed(3).encode("gbk", errors="replace")
    record = parse_file(_write_bytes(tmp_path, "gbk.txt", data[:500] + b"\x00" + data[500:]))
    assert record["requests"] == GOLD_003["requests"] and record["agency"]["name"] == GOLD_003["agency"]["name"]


@pytest.mark.parametrize("depth", [300, 5000])
def test_html_nested_deeper_than_the_parser_likes_is_still_read(tmp_path, depth):
    """Issue 17 #10: HTML nested deeper than 255 levels lost its text with a wrong reason."""
    paragraphs = "".join(f"<p>{html.escape(line)}</p>" for line in _seed(3).split("\n"))
    page = f"<html><body>{'<div>' * depth}{paragraphs}{'</div>' * depth}</body></html>"
    record = parse_file(_write(tmp_path, "deep.html", page))
    assert record["source"]["format"] == "html"
    assert record["requests"] == GOLD_003["requests"] and record["reviews"] == GOLD_003["reviews"]


def _write_bytes(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path
