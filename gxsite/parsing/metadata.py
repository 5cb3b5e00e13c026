"""Who published the report, for which year, and when: from the title, 发布机构, the signature.

The agency name is taken from the report's own words only. When spam replaced
the name, the name is null, except in one explainable case: spam removed right
before a bare organ name (`…#办公厅`) in a report that calls itself
省政府办公厅 and names exactly one province; then the province's 人民政府 is
restored (seed 004).
"""

from __future__ import annotations

import datetime as dt
import re
from itertools import islice

from gxsite.reading import spam
from gxsite.reading.document import Document

_DATE = r"(20\d\d)\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})"
_LABELED_DATE = re.compile(r"(?:发布日期|发布时间|发文日期|成文日期|印发日期|公开日期|生成日期)\s*[:]?\s*" + _DATE)
_BARE_DATE = re.compile(r"^\s*[（(]?\s*" + _DATE + r"\s*日?\s*[)）]?\s*$")
_CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_DATE = re.compile(r"^\s*([〇○零O一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日\s*$")

_TITLE = re.compile(r"(报告|年报)")
_YEAR = re.compile(r"(20\d\d)\s*年")
_REPORT_PHRASE = re.compile(r"(?:20\d\d\s*年度?)?\s*(?:度)?(?:政府信息公开|政务公开|信息公开|政府信息|政务)?(?:工作)?(?:年度)?(?:报告|年报).*$")
_ORG_END = re.compile(r"(局|委|厅|办|室|府|会|院|处|所|中心|乡|镇|街道|办事处|部|署|馆|队|站|社|司|区|县|市|州|盟|旗|省|行|团|庭|校|组|台|委员会|管委会)$")
_BARE_ORGANS = {"办公厅", "办公室", "人民政府", "政府", "人民政府办公厅", "人民政府办公室"}

_PROVINCES = {
    "北京": ("京", "北京市"), "天津": ("津", "天津市"), "上海": ("沪", "上海市"), "重庆": ("渝", "重庆市"),
    "河北": ("冀", "河北省"), "山西": ("晋", "山西省"), "辽宁": ("辽", "辽宁省"), "吉林": ("吉", "吉林省"),
    "黑龙江": ("黑", "黑龙江省"), "江苏": ("苏", "江苏省"), "浙江": ("浙", "浙江省"), "安徽": ("皖", "安徽省"),
    "福建": ("闽", "福建省"), "江西": ("赣", "江西省"), "山东": ("鲁", "山东省"), "河南": ("豫", "河南省"),
    "湖北": ("鄂", "湖北省"), "湖南": ("湘", "湖南省"), "广东": ("粤", "广东省"), "海南": ("琼", "海南省"),
    "四川": ("川", "四川省"), "贵州": ("黔", "贵州省"), "云南": ("滇", "云南省"), "陕西": ("陕", "陕西省"),
    "甘肃": ("陇", "甘肃省"), "青海": ("青", "青海省"), "内蒙古": ("蒙", "内蒙古自治区"),
    "广西": ("桂", "广西壮族自治区"), "西藏": ("藏", "西藏自治区"), "宁夏": ("宁", "宁夏回族自治区"),
    "新疆": ("新", "新疆维吾尔自治区"),
}


def _date(y: str, m: str, d: str) -> str | None:
    try:
        return dt.date(int(y), int(m), int(d)).isoformat()
    except ValueError:
        return None


_CN_NUMBER = re.compile(r"^(?:([一二三四五六七八九])?(十))?([一二三四五六七八九])?$")


def _cn_number(text: str) -> int | None:
    """一 … 三十一 → 1 … 31; None for anything else (十十)."""
    m = _CN_NUMBER.match(text)
    if not m or not text:
        return None
    tens = (_CN_DIGITS[m.group(1)] if m.group(1) else 1) if m.group(2) else 0
    return tens * 10 + (_CN_DIGITS[m.group(3)] if m.group(3) else 0)


def _signature_date(line: str) -> str | None:
    m = _BARE_DATE.match(line)
    if m:
        return _date(*m.groups())
    m = _CN_DATE.match(line)
    if m:
        year = "".join(str(_CN_DIGITS[c]) for c in m.group(1))
        month, day = _cn_number(m.group(2)), _cn_number(m.group(3))
        return _date(year, str(month), str(day)) if month and day else None
    return None


def published(doc: Document) -> str | None:
    """The publication date: the page's own metadata; a labelled date (发布日期：…) from the
    report's title on, before one above it (a sidebar lists other pages with their dates); a
    date alone under the title (`（2023年1月10日）`); the signature's date."""
    m = re.match(_DATE, doc.meta.get("pubdate", ""))
    if m and _date(*m.groups()):
        return _date(*m.groups())
    start = _title_index(doc)
    lines = [text for text, _, _ in doc.lines]
    for text in lines[start:] + lines[:start]:
        # every label of _LABELED_DATE holds 日期 or 时间: the substring test spares most lines the regex
        m = _LABELED_DATE.search(text) if "日期" in text or "时间" in text else None
        if m:
            date = _date(*m.groups())
            if date:
                return date
    for text in lines[start + 1:start + 4]:
        date = _signature_date(text)
        if date:
            return date
    sig = signature(doc)
    return sig[1] if sig else None


def _title_index(doc: Document) -> int:
    """The index in doc.lines of the report's title line (0 when it is not among them)."""
    title = title_line(doc)
    if title:
        for k, (text, _, _) in enumerate(doc.lines[:60]):
            if len(text) >= 6 and (text in title or title in text):
                return k
    return 0


def signature(doc: Document) -> tuple[str | None, str] | None:
    """The (name line, date) that close the report: `咸宁市政府国资委` / `2022年1月20日`."""
    # the date is one of the last 12 prose lines, the name the line before it: the last 13,
    # from the end (not every prose line of the report)
    last = list(islice((t for t, _, in_table in reversed(doc.lines) if not in_table), 13))
    for k in range(min(len(last), 12)):
        date = _signature_date(last[k])
        if date:
            name = last[k + 1] if k + 1 < len(last) else None
            return name, date
    return None


# A crawler's or a page's field name before the title (`标题: 平潭综合实验区2021年度…报告`), or
# a Markdown heading's marks (`# 沐阳县人民政府 2025 年…报告`).
# (Its colon may be gone with spam stripped right after it: `标题: 吃瓜官网_…` → `标题…`.)
_TITLE_FIELD = re.compile(r"^\s*(?:#+\s*)?(?:(?:文章标题|标题|题目)\s*[:：]?\s*)?")


def _title_candidates(doc: Document) -> list[str]:
    """The page's title, then the first prose lines; a title printed over two lines
    (`2025 年上海市人民政府办公厅政府信息公开` / `工作年度报告`) also as the two joined."""
    heads = [t for t in (doc.meta.get("articletitle"), doc.title) if t]
    lines = [_TITLE_FIELD.sub("", t) for t, _, in_table in doc.lines[:40] if not in_table]
    candidates = [_TITLE_FIELD.sub("", t) for t in heads]
    for k, text in enumerate(lines):
        following = lines[k + 1] if k + 1 < len(lines) else ""
        # spam stripped from the second line took the name it replaced with it: the line
        # before is not that name (seed 001: `智能问答 繁体 长者专区` / `利博官网 2021年…报告`)
        if following and following.strip() not in doc.unstripped and _title_continues(text, following):
            candidates.append(text + following)
        candidates.append(text)
    return candidates


def _title_continues(text: str, following: str) -> bool:
    """Whether `following` ends the title that `text` begins: `2025 年上海市人民政府办公厅政府信息公开`
    / `工作年度报告`, or a PDF's `淮安市人民政府` / `2024 年政府信息公开工作年度报告` (a name alone on
    its line)."""
    if _TITLE.search(text) or not _TITLE.search(following) or len(text) > 40 or re.search(r"[，。；,;:]$", text):
        return False
    if _YEAR.search(text):
        return len(following) <= 20 and not _YEAR.search(following)
    return bool(_YEAR.match(following.strip())) and len(following) <= 40 and bool(_ORG_END.search(text.strip()))


def is_title(text: str) -> bool:
    """A line that reads as a report's title: short, naming a report (报告, 年报) and a year."""
    return bool(_TITLE.search(text) and _YEAR.search(text) and len(text) <= 90)


def title_line(doc: Document) -> str | None:
    # a sentence (`…报告正文。`) is not a title, nor a list item with its date (a page's
    # sidebar: `2023年度政府信息公开工作年度报告 发布时间：2024-01-20`)
    candidates = [t for t in _title_candidates(doc)
                  if not re.search(r"[。；;]\s*$", t) and not _LABELED_DATE.search(t)]
    for text in candidates:
        if is_title(text) and "根据" not in text:
            return text
    for text in candidates:
        if _TITLE.search(text) and len(text) <= 90 and "根据" not in text:
            return text
    return None


def year(doc: Document, published_on: str | None) -> int | None:
    title = title_line(doc)
    if title:
        m = _YEAR.search(spam.strip(title))
        if m:
            return int(m.group(1))
    head = " ".join(t for t, _, _ in doc.lines[:30])
    m = re.search(r"统计(?:期限|时限|时间)[^。]{0,6}?(20\d\d)年1月1日", head) or re.search(r"(20\d\d)年度", head)
    if m:
        return int(m.group(1))
    if published_on:
        return int(published_on[:4]) - 1
    return None


# --- agency name ---------------------------------------------------------------

def _spam_right_before(name: str, original: str | None) -> bool:
    """Whether the report's text had a spam run ending right where `name` begins."""
    if not original:
        return False
    return any(original[m.end():].lstrip().startswith(name) for m in spam.find(original))


def _clean_name(text: str | None, original: str | None = None) -> tuple[str | None, bool]:
    """A candidate name → (name or None, whether spam stood right before it)."""
    if not text:
        return None, False
    name = re.sub(r"^[^\u4e00-\u9fff]+|[^\u4e00-\u9fff)]+$", "", spam.strip(text)).replace(" ", "")
    if len(name) < 2 or len(name) > 40 or not _ORG_END.search(name) or re.search(r"[,。;:、]", name):
        return None, False
    return name, _spam_right_before(name, original)


# A year as titles write it: 2022年, 2022 年度, 二〇二二年度.
_TITLE_YEAR = r"(?:20\d\d|[〇○零一二三四五六七八九]{4})\s*年度?"
_SUBJECT = re.compile(r"关于|政府信息公开|政务公开|信息公开工作")
_TRAILING_SUBJECT = re.compile(r"(?:关于|(?:政府信息公开|政务公开|信息公开)(?:工作)?)$")


def _from_title(title: str | None, original: str | None) -> tuple[str | None, bool]:
    """The body a title names: what stands before the report's year (平潭综合实验区财政金融局2022年度…,
    X政府信息公开工作2022年度报告, X关于2022年度…的公告, X二〇二二年度…), or, when the year leads
    (2023年度市国资委政务公开工作报告), before the report's subject."""
    if not title:
        return None, False
    text = re.sub(r"\(.*?\)$", "", spam.strip(title).strip())
    text = re.sub(r"^【[^】]*】", "", text).strip()  # 【年度报告】 before the title
    text = re.sub(r"^\s*" + _TITLE_YEAR, "", text)
    year = re.search(_TITLE_YEAR, text)
    if year:
        text = _TRAILING_SUBJECT.sub("", text[:year.start()].strip())
    else:
        subject = _SUBJECT.search(text)
        text = text[:subject.start()] if subject else _REPORT_PHRASE.sub("", text)
    return _clean_name(text.strip(" _-#:"), original)


# Where a metadata field's value ends: the next field's name (normalization may have
# removed the space between them), a wide gap, or the end of the line.
_NEXT_FIELD = (r"\s*(?:发文日期|成文日期|发布日期|发布时间|印发日期|文号|发文字号|生成日期|公开方式|公开时限|主题分类|分类"
               r"|索引号|浏览次数|访问量|字号|效力状态)|\s{2,}|\s|$")


_PUBLISHED_BY = re.compile(r"(?:发布机构|发文机关|发布单位|发文单位)\s*[:]?\s*([^\s:].*?)(?=" + _NEXT_FIELD + ")")
_SOURCE = re.compile(r"(?:信息来源|来源)\s*[:]\s*(\S+?)(?=" + _NEXT_FIELD + ")")


def _published_by(doc: Document) -> str | None:
    for text, _, _ in doc.lines[:60]:
        m = _PUBLISHED_BY.search(text) if "发" in text else None  # every field name starts with 发
        if m:
            return m.group(1).strip()
    return None


def _source_line(doc: Document) -> tuple[str, str] | None:
    """(name, whole line) from `来源:` / `信息来源:`."""
    for text, _, _ in doc.lines:
        # the substring test skips the regex on the lines without the field (nearly all)
        m = _SOURCE.search(text) if "来源" in text else None
        if m:
            return m.group(1), text
    return None


def agency_name(doc: Document) -> str | None:
    """The publisher's name."""
    sig = signature(doc)
    title = title_line(doc)
    source = _source_line(doc)
    titled = _from_title(title, doc.unstripped.get(title or ""))
    candidates = [
        _clean_name(sig[0], doc.unstripped.get(sig[0] or "")) if sig else (None, False),
        _clean_name(_published_by(doc)),
        _clean_name(doc.meta.get("contentsource"), doc.unstripped.get(doc.meta.get("contentsource", ""))),
        titled,
        _clean_name(source[0], doc.unstripped.get(source[1])) if source else (None, False),
    ]
    named = [name for name, _ in candidates if name and name not in _BARE_ORGANS]
    if titled[0] and titled[0] not in _BARE_ORGANS:
        # The report is named as its title names it (平潭综合实验区, not the 管委会办公室 that
        # posted it), unless another place gives the same name more fully (市政府国资委 is
        # 咸宁市政府国资委 in the signature).
        fuller = [name for name in named if name.endswith(titled[0]) and len(name) > len(titled[0])]
        return fuller[0] if fuller else titled[0]
    if named:
        return named[0]
    for name, spam_before in candidates:
        if name in _BARE_ORGANS and spam_before:
            # the report's prose, made only in this rare case
            restored = _restore_province(name, _prose_body(doc))
            if restored:
                return restored
    return None


def _prose_body(doc: Document) -> str:
    """The report's prose lines (not table lines) as one spam-stripped text."""
    return spam.strip("\n".join(t for t, _, in_table in doc.lines if not in_table))


def _restore_province(organ: str, body: str) -> str | None:
    """`办公厅` after removed spam, in a report that calls itself 省政府办公厅 and names one province."""
    if organ not in ("办公厅", "办公室", "人民政府办公厅", "人民政府办公室"):
        return None
    suffix = "办公厅" if organ.endswith("厅") else "办公室"
    if not re.search(r"省(?:人民)?政府" + suffix, body):
        return None
    named = {p for p in _PROVINCES if p in body}
    named |= {p for p, (abbr, _) in _PROVINCES.items() if "涉" + abbr in body}
    if len(named) != 1:
        return None
    full = _PROVINCES[named.pop()][1]
    return f"{full}人民政府{suffix}"


# A crawler's note of where it found the page (`原文链接: https://…`), near the top.
_ADDRESS_LINE = re.compile(r"^\s*(?:原文链接|原文地址|原始链接|来源链接|网址|URL|url)\s*[:：]\s*(https?://\S+)")
_ADDRESS = re.compile(r"https?://[A-Za-z0-9.-]+(?::\d+)?(?:/[^\s<>\"'{}|\\^`]*)?")


def address(doc: Document) -> str | None:
    """The address the report was published at, when the file says it: a crawler's 原文链接 line
    or the page's canonical link. Only an http(s) address of plain URL characters is kept: it
    becomes a link on the site."""
    found = doc.meta.get("url")
    if not found:
        for text, _, _ in doc.lines[:15]:
            m = _ADDRESS_LINE.match(text) if "http" in text else None
            if m:
                found = m.group(1)
                break
    m = _ADDRESS.fullmatch(found.strip()) if found else None
    return m.group(0) if m and len(found) <= 500 else None
