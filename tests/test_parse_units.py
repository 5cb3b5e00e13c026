"""The parser's pieces: normalization, cell values, spam, metadata and narrative sentences."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gxsite.reading import document, html_document, text_document
from gxsite.parsing import metadata
from gxsite.parsing import narrative
from gxsite.reading import spam
from gxsite.reading.normalize import as_count, normalize, read_value
from gxsite.report import Source


@pytest.mark.parametrize("raw, expected", [
    ("（一）予以公开", "(一)予以公开"),
    ("１２３", "123"),
    ("五原縣和勝鄉(xiāng)", "五原县和胜乡"),
    ("政府信息公開(kāi)工作年度報(bào)告", "政府信息公开工作年度报告"),
    ("结 果 维 持", "结果维持"),
    ("地址(xx)", "地址(xx)"),  # no tone mark: not a pinyin gloss
])
def test_normalize(raw, expected):
    assert normalize(raw) == expected


@pytest.mark.parametrize("cell, number, status", [
    ("0", 0, "ok"), ("", 0, "ok"), ("无", 0, "ok"), ("—", 0, "ok"), ("-", 0, "ok"), ("/", 0, "ok"),
    ("1,234", 1234, "ok"), ("-18538", -18538, "ok"), ("27件", 27, "ok"),
    ("0?", 0, "garbled"), ("12？", 12, "garbled"),
    ("1O", None, "unreadable"), ("见附件", None, "unreadable"),
])
def test_read_value(cell, number, status):
    value = read_value(cell)
    assert value.status == status
    assert value.number == (Decimal(number) if number is not None else None)


def test_amount_keeps_its_unit():
    value = read_value("121.3308万元")
    assert value.number == Decimal("121.3308") and value.unit == "万元"


def test_counts_are_whole_and_unsigned_unless_the_template_allows():
    assert as_count(read_value("-5")) is None
    assert as_count(read_value("-5"), signed=True) == -5
    assert as_count(read_value("2.5")) is None


@pytest.mark.parametrize("text, clean", [
    ("吃瓜官网_黑料正能量_市政府国资委2021年", "市政府国资委2021年"),
    ("本年新收51吃瓜网申请数量", "本年新收申请数量"),
    ("bet36体育投注_2024欧洲杯在哪投注#办公厅", "办公厅"),
    ("与bet36体育投注:办公厅政府信息", "与办公厅政府信息"),
    ("利博-利博官网 发文日期", "发文日期"),
])
def test_spam_runs_are_removed_with_their_glue(text, clean):
    assert spam.strip(text) == clean
    assert spam.contains(text)


@pytest.mark.parametrize("text", [
    "市体育局加强体育彩票销售管理", "公安局依法打击赌博违法犯罪", "通过省政府门户网站发布信息",
    "本年新收政府信息公开申请数量", "alphabet and betting odds in English",
])
def test_legitimate_words_are_not_spam(text):
    assert spam.strip(text) == text and not spam.contains(text)


def _doc(text: str) -> document.Document:
    return text_document.from_text(text)


@pytest.mark.parametrize("text, date", [
    ("发布日期：2022-01-20", "2022-01-20"),
    ("成文日期: 2024年1月15日", "2024-01-15"),
    ("发布时间：2021/01/29 16:18", "2021-01-29"),
    ("正文。\n某某局\n2022年1月20日", "2022-01-20"),
    ("正文。\n某某局\n二〇二二年一月二十日", "2022-01-20"),
    ("正文只说了2022年1月20日前完成。", None),
    ("发布日期：2022-13-40", None),
])
def test_published(text, date):
    assert metadata.published(_doc(text)) == date


@pytest.mark.parametrize("text, year", [
    ("某局2021年政府信息公开工作年度报告\n发布日期：2022-01-20", 2021),
    ("2023年度市国资委政务公开工作报告(文字版)\n", 2023),
    ("某局政府信息公开工作年度报告\n本报告中所列数据的统计期限自2020年1月1日起至2020年12月31日止。", 2020),
    ("某局政府信息公开工作年度报告\n发布日期：2022-01-20", 2021),  # only the publication date: the year before
])
def test_reporting_year(text, year):
    doc = _doc(text)
    assert metadata.year(doc, metadata.published(doc)) == year


@pytest.mark.parametrize("text, name", [
    ("五原县和胜乡2021年政府信息公开工作年度报告", "五原县和胜乡"),
    ("2021年某某市交通运输局政府信息公开工作年度报告", "某某市交通运输局"),
    ("索引号：1 发布机构：市国资委 成文日期：2024-01-15\n2023年度政务公开工作报告", "市国资委"),
    ("利博官网 2021年政府信息公开工作年度报告\n发布机构 利博-利博官网 发文日期 2022-02-17", None),
    ("某局年度报告正文。\n咸宁市政府国资委\n2022年1月20日", "咸宁市政府国资委"),
])
def test_agency_name(text, name):
    doc = _doc(text)
    assert metadata.agency_name(doc) == name


def test_narrative_figures_keep_their_sentence():
    figures = narrative.figures([
        "2021年共收到依申请公开27件，自然人申请25件，法人申请2件，共办结26件（含上年结转2件），未办结3件结转2022年继续办理。",
        "处理行政复议案件1件、行政诉讼案件3件。",
    ])
    assert {k: v["value"] for k, v in figures.items()} == {
        "received": 27, "received_natural_person": 25, "received_legal_person": 2, "handled": 26,
        "carried_over": 2, "carried_forward": 3, "reconsideration": 1, "litigation": 3}
    assert figures["litigation"]["sentence"] == "处理行政复议案件1件、行政诉讼案件3件。"


def test_narrative_reads_only_what_the_words_mean_exactly():
    """Issue 14: 予以公开及部分公开42件 was compared with （二） alone, 同意公开答复9件 with 办结."""
    figures = narrative.figures(["办结依申请公开81件,其中:予以公开及部分公开42件,占51.85%;",
                                 "对申请人同意公开答复9件。"])
    assert {k: v["value"] for k, v in figures.items()} == {"handled": 81, "granted_or_partially_granted": 42}


@pytest.mark.parametrize("text", [
    "如有疑问请发送邮件至zfxxgk@163.com或登录区政府官方网站首页", "金沙县人民政府2021年政府信息公开工作年度报告",
    "依法打击跨境赌博和六合彩、老虎机等违法活动", "2022世界杯期间开展全民健身活动", "规范电子娱乐场所经营",
])
def test_report_wording_that_looks_like_spam_is_not(text):
    assert spam.strip(text) == text and not spam.contains(text)


@pytest.mark.parametrize("line", ["二〇二二年十十月一日", "二〇二二年十三月一日", "二〇二二年二月三十日"])
def test_impossible_chinese_dates_are_not_dates(line):
    assert metadata.published(_doc("正文。\n某某局\n" + line)) is None


def test_a_few_quoted_traditional_characters_do_not_convert_a_simplified_report():
    text = "2023年度乾县国资委政务公开工作报告\n" + "正文段落。" * 400 + "\n引述：開會報告國際"
    assert _doc(text).lines[0][0].startswith("2023年度乾县国资委")


def test_traditional_html_page_with_heavy_markup_is_still_converted():
    from conftest import SEEDS
    text = (SEEDS / "002_26925f727e4ff8e1.txt").read_text(encoding="utf-8")
    page = "<html><head><script>" + "var x = 1;" * 10000 + "</script></head><body><p>" + \
        text.replace("\n", "</p><p>") + "</p></body></html>"
    assert html_document.from_html(page).lines[0][0].startswith("五原县和胜乡2021年政府信息公开工作年度报告")


@pytest.mark.parametrize("head, url", [
    ("原文链接: https://www.pingtan.gov.cn/zwgk/t20220208_80613.htm",
     "https://www.pingtan.gov.cn/zwgk/t20220208_80613.htm"),
    ("原文链接: javascript:alert(1)", None),
    ('原文链接: https://x.gov.cn/"><script>', None),
    ("正文", None),
])
def test_the_reports_address_is_read_from_a_crawlers_header(head, url):
    assert metadata.address(_doc(head + "\n某某局2021年政府信息公开工作年度报告")) == url


def test_only_a_government_sites_address_becomes_a_link():
    from gxsite.site.agency_page import original
    gov = original(Source("raw/a.txt", "", "text", "https://www.pingtan.gov.cn/zwgk/t1.htm"))
    assert gov.startswith('原文：<a href="') and 'rel="nofollow noopener noreferrer"' in gov
    other = original(Source("raw/a.txt", "", "text", "https://casino.example.com/gov.cn/x"))
    assert "<a" not in other and "casino.example.com" in other
    assert original(Source("/home/maintainer/raw/a.txt", "", "text", None)) == "来源文件：<code>a.txt</code>"


@pytest.mark.parametrize("invisible", ["\u200b", "\ufeff", "\u00ad", "\u202e", "\u2066", "\u200d"])
def test_a_name_with_an_invisible_character_is_the_same_agency(invisible):
    """Issue 17 #10: names differing by a zero-width space, BOM, soft hyphen or RLO made separate
    agencies that display the same name."""
    from gxsite.parsing.slugs import agency_slug
    plain = metadata.agency_name(_doc("发布机构：示例市财政局\n2021年政府信息公开工作年度报告"))
    hidden = metadata.agency_name(_doc(f"发布机构：示例市{invisible}财政局\n2021年政府信息公开工作年度报告"))
    assert hidden == plain == "示例市财政局"
    assert agency_slug(hidden, "a.txt") == agency_slug(plain, "b.txt")


@pytest.mark.parametrize("sentence", [
    "全年12345热线共办结群众诉求工单3600件。", "全年共受理行政许可申请10690件，办结10690件。",
    "全年办结人大代表建议45件、政协委员提案60件。", "全年受理群众来信来访申请300件。",
    "与2021年收到政府信息公开申请70件相比，2022年有所增加。",
])
def test_figures_about_something_else_are_not_the_reports_requests(sentence):
    """A second reader's variants: each of these was read as the year's requests, and the narrative
    rule then blamed the publisher for a text that agreed with its table."""
    assert not {"received", "handled"} & set(narrative.figures([sentence]))


def test_a_figure_stated_with_two_values_says_no_one_thing():
    found = narrative.figures(["2022年，管委会办公室收到政府信息公开申请20件，各部门收到55件，全区合计75件。"])
    assert found["received"]["value"] == 20 and found["received"]["others"] == [75]


def test_context_carries_to_the_next_sentence_of_the_paragraph():
    found = narrative.figures(["2021年，本机关共收到政府信息公开申请2件；上年结转4件。共办结6件，结转下年度继续办理0件。"])
    assert {k: v["value"] for k, v in found.items()} == {"received": 2, "carried_over": 4, "handled": 6,
                                                         "carried_forward": 0}


@pytest.mark.parametrize("title", [
    "平潭综合实验区财政金融局政府信息公开工作2022年度报告", "平潭综合实验区财政金融局二〇二二年度政府信息公开工作年度报告",
    "平潭综合实验区财政金融局关于2022年度政府信息公开工作年度报告的公告",
    "【年度报告】平潭综合实验区财政金融局2022年度政府信息公开工作年度报告",
])
def test_the_body_a_title_names_in_every_order(title):
    assert metadata.agency_name(_doc(f"{title}\n正文。")) == "平潭综合实验区财政金融局"


def test_a_sidebar_of_other_reports_gives_neither_the_date_nor_the_year():
    text = ("关于开展2024年政务公开培训的通知 发布时间：2024-06-01\n2023年度政府信息公开工作年度报告 发布时间：2024-01-20\n"
            "福州市鼓楼区财政局2022年度政府信息公开工作年度报告\n发布时间：2023-01-16\n正文。")
    doc = _doc(text)
    assert metadata.published(doc) == "2023-01-16" and metadata.year(doc, "2023-01-16") == 2022


@pytest.mark.parametrize("line", ["（2023年1月10日）", "(2023年1月10日)"])
def test_a_date_in_brackets_under_the_title_is_the_publication_date(line):
    assert metadata.published(_doc(f"平潭综合实验区财政金融局2022年度政府信息公开工作年度报告\n{line}\n正文。")) == "2023-01-10"
