"""Synthetic annual reports: random but consistent figures, rendered the way real pages look.

The writer serves the parser's property tests (parse(render(report)) must give the
report back) and the benchmarks' corpora. `make_report` draws a record whose tables
obey every rule of the template (balance, row sums, outcome sums, review sums);
`render` lays it out as one of the layouts crawlers actually produce (see the seeds
in raw_reports/): HTML tables with rowspan/colspan, ` | `-joined rows, one cell per
line, cells ending in ` |`, Markdown tables, flattened rows whose cells run
together, or a crawler's text file (its header lines, then the whole page on one line,
spaces between some cells only, as in tests/corpus/pingtan-*.txt). `expected` is the ground truth: what the parser must return for a rendering.
"""

from __future__ import annotations

import collections
import functools
import html
import io
import json
import random
from pathlib import Path

import opencc

from gxsite import record as rec
from gxsite.site import regions

LAYOUTS = ["html", "pipe", "cell-lines", "pipe-lines", "markdown", "flattened", "crawler"]
# Layouts whose cells may run together: the parser reads what the arithmetic settles.
RUN_TOGETHER = ["flattened", "crawler"]
SPAM_KINDS = ["chigua", "bet36", "libo"]
ENCODINGS = ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"]

_S2T = opencc.OpenCC("s2t")
_T2S = opencc.OpenCC("t2s")

# --- agencies -------------------------------------------------------------------

_PLACES = [
    ("湖北省", "咸宁市", "通山县"), ("湖北省", "宜昌市", "秭归县"), ("江西省", "九江市", "修水县"),
    ("江西省", "赣州市", "瑞金市"), ("内蒙古自治区", "巴彦淖尔市", "五原县"), ("湖南省", "岳阳市", "平江县"),
    ("四川省", "绵阳市", "三台县"), ("浙江省", "台州市", "仙居县"), ("河南省", "洛阳市", "栾川县"),
    ("广东省", "韶关市", "乳源瑶族自治县"), ("山东省", "潍坊市", "临朐县"), ("福建省", "龙岩市", "长汀县"),
    ("云南省", "大理白族自治州", "宾川县"), ("甘肃省", "天水市", "秦安县"), ("安徽省", "安庆市", "潜山市"),
]
_TOWNS = ["和胜乡", "城关镇", "新华街道", "白沙镇", "东山乡", "青石镇", "马坪镇", "大河乡"]
_DEPARTMENTS = [
    "财政局", "教育局", "自然资源和规划局", "生态环境局", "住房和城乡建设局", "交通运输局",
    "卫生健康委员会", "市场监督管理局", "人力资源和社会保障局", "民政局", "司法局", "审计局",
    "统计局", "政府国资委", "发展和改革委员会", "人民政府办公室", "农业农村局", "水利局",
]


@functools.cache
def _counties() -> list[tuple[str, str, str]]:
    """(province, city, county) of every county in the site's gazetteer whose name is its own
    (鼓楼区 is four places): the corpora larger than _PLACES spread over the whole country, as
    a national site's do, and every body of them has a region."""
    places = regions.gazetteer(Path(__file__).resolve().parent.parent)
    named = collections.Counter(place.name for place in places.places.values())
    return [(county.parent.parent.name if county.parent.parent else county.parent.name,
             county.parent.name if county.parent.parent else county.parent.name, county.name)
            for county in places.places.values() if county.level == 2 and named[county.name] == 1]


def _place(rng: random.Random) -> tuple[str, str, str]:
    if rng.random() < 0.5:
        return rng.choice(_PLACES)
    return rng.choice(_counties())


def agency_names(rng: random.Random, n: int) -> list[str]:
    """n distinct agency names across every level of government."""
    names: list[str] = []
    seen = set()
    while len(names) < n:
        province, city, county = _place(rng)
        kind = rng.random()
        if kind < 0.15:
            name = province + rng.choice(["人民政府办公厅", "财政厅", "教育厅", "生态环境厅", "自然资源厅"])
        elif kind < 0.45:
            name = city + rng.choice(_DEPARTMENTS + ["人民政府"])
        elif kind < 0.8:
            name = county + rng.choice(_DEPARTMENTS + ["人民政府"])
        else:
            town = rng.choice(_TOWNS)
            name = county + town + ("人民政府" if town.endswith(("镇", "乡")) and rng.random() < 0.5 else "")
            if town.endswith("街道"):
                name = county + town + "办事处"
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


def template_for(year: int) -> str:
    return "2019" if year <= 2020 else "2021"


# --- figures ---------------------------------------------------------------------

def _small(rng: random.Random, scale: int, zero_share: float = 0.6) -> int:
    """A count that is usually 0 and otherwise skewed small."""
    if scale == 0 or rng.random() < zero_share:
        return 0
    return min(scale, int(rng.random() ** 3 * scale) + 1)


def _scale(rng: random.Random) -> int:
    """How busy an agency is: most get few requests, a few get thousands."""
    return rng.choice([0, 0, 3, 10, 30, 100, 300, 3000])


def _split(rng: random.Random, total: int, weights: list[float]) -> list[int]:
    """total spread over len(weights) parts, in proportion to weights (random, exact)."""
    parts = [0] * len(weights)
    for _ in range(min(total, 200)):
        parts[rng.choices(range(len(weights)), weights)[0]] += 1
    if total > 200:  # large totals: proportional share, remainder to the heaviest
        extra = total - 200
        shares = [int(extra * w / sum(weights)) for w in weights]
        shares[weights.index(max(weights))] += extra - sum(shares)
        parts = [p + s for p, s in zip(parts, shares)]
    return parts


def _requests(rng: random.Random, template: str, carried_over: list[int] | None, scale: int) -> dict:
    keys = [k for k, _ in rec.request_rows(template)]
    outcome = rec.outcome_keys(template)
    # Natural persons file most requests; companies some; the rest rarely.
    column_scale = [scale, scale // 4, scale // 20, scale // 20, scale // 10, scale // 10]
    new = [_small(rng, s, 0.3 if i == 0 else 0.7) for i, s in enumerate(column_scale)]
    over = list(carried_over[:6]) if carried_over else [_small(rng, max(1, s // 10), 0.7) for s in column_scale]
    weights = [8 if k == "granted" else 2 if k in ("partially_granted", "unavailable_not_held") else 0.3 for k in outcome]
    rows = {k: [0] * 6 for k in keys}
    for c in range(6):
        available = new[c] + over[c]
        forward = rng.randint(0, available // 5) if available else 0
        handled = _split(rng, available - forward, weights)
        for key, value in zip(outcome, handled):
            rows[key][c] = value
        rows["new_received"][c] = new[c]
        rows["carried_over"][c] = over[c]
        rows["carried_forward"][c] = forward
        rows["total"][c] = available - forward
    return {k: v + [sum(v)] for k, v in rows.items()}


def _reviews(rng: random.Random, scale: int) -> dict:
    out = {}
    for key, _ in rec.REVIEW_GROUPS:
        four = [_small(rng, max(1, scale // 30), 0.8) for _ in range(4)]
        out[key] = four + [sum(four)]
    return out


def _decimal(rng: random.Random, digits: int) -> float:
    """A money amount written with up to `digits` decimals, exactly representable as typed."""
    if rng.random() < 0.5:
        return 0.0
    whole = rng.randint(0, 20000)
    frac = rng.randint(0, 10 ** digits - 1)
    return float(f"{whole}.{frac:0{digits}d}".rstrip("0").rstrip("."))


def _active(rng: random.Random, template: str, scale: int) -> dict:
    big = scale * 100
    if template == "2021":
        return {
            "regulations": {"issued": _small(rng, 3, 0.9), "repealed": _small(rng, 2, 0.9), "in_force": _small(rng, 30, 0.7)},
            "normative_documents": {"issued": _small(rng, 20), "repealed": _small(rng, 10), "in_force": _small(rng, 300, 0.3)},
            "licensing": {"decisions": _small(rng, big)},
            "penalties": {"decisions": _small(rng, big)},
            "enforcement": {"decisions": _small(rng, big // 3)},
            "fees": {"amount_10k_yuan": _decimal(rng, rng.choice([2, 4, 5]))},
        }
    def items() -> dict:
        previous = _small(rng, 300, 0.5)
        return {"previous": previous, "change": rng.randint(-previous, 30) if rng.random() < 0.5 else 0, "decisions": _small(rng, big)}
    made = _small(rng, 20)
    fees_prev = _small(rng, 30)
    amount_wan = _decimal(rng, 4)
    return {
        "regulations": {"made": 0, "published": 0, "total_published": _small(rng, 200, 0.7)},
        "normative_documents": {"made": made, "published": made, "total_published": made + _small(rng, 500, 0.3)},
        "licensing": items(),
        "other_services": items(),
        "penalties": items(),
        "enforcement": items(),
        "fees": {"previous": fees_prev, "change": rng.randint(-fees_prev, 3) if rng.random() < 0.3 else 0},
        # amounts are printed in 万元 with four decimals, i.e. a whole number of 元
        "procurement": {"projects": _small(rng, 200, 0.4), "amount_yuan": float(round(amount_wan * 10000))},
    }


def make_report(
    rng: random.Random,
    template: str,
    year: int,
    agency_name: str,
    *,
    carried_over: list[int] | None = None,
    published: str | None = "",
    inconsistent: bool = False,
) -> dict:
    """A random record obeying every rule of the template (unless `inconsistent`).

    `carried_over`: last year's 四、结转下年度继续办理, so a series of years chains up.
    `published`: ISO date, None for a report that prints no date, "" to draw one.
    `inconsistent`: one cell of table B is off by one, as a publisher's typo would be.
    """
    scale = _scale(rng)
    if published == "":
        published = f"{year + 1}-{rng.randint(1, 3):02d}-{rng.randint(1, 28):02d}"
    record = {
        "schema": rec.SCHEMA,
        "agency": {"name": agency_name, "tampered": False},
        "year": year,
        "published": published,
        "template": template,
        "active": _active(rng, template, scale),
        "requests": _requests(rng, template, carried_over, scale),
        "reviews": _reviews(rng, scale),
        "inconsistent": inconsistent,
    }
    if inconsistent:
        key = rng.choice(rec.outcome_keys(template))
        record["requests"][key][rng.randrange(6)] += 1  # row sum and outcome sum now fail
    record["narrative"] = _narrative_figures(record)
    return record


def _narrative_figures(record: dict) -> dict:
    b, c = record["requests"], record["reviews"]
    return {
        "received": b["new_received"][6],
        "received_natural_person": b["new_received"][0],
        "received_legal_person": sum(b["new_received"][1:6]),
        "carried_over": b["carried_over"][6],
        "handled": b["total"][6],
        "carried_forward": b["carried_forward"][6],
        "reconsideration": c["reconsideration"][4],
        "litigation": c["litigation_direct"][4] + c["litigation_after_reconsideration"][4],
    }


# --- the document: blocks every layout renders ---------------------------------------

class Cell:
    """One table cell as the page's HTML has it."""

    def __init__(self, text: str, rowspan: int = 1, colspan: int = 1, number: bool = False, path: str = ""):
        self.text, self.rowspan, self.colspan, self.number = text, rowspan, colspan, number
        self.path = path  # the record path of the figure a number cell shows


def _num(value, path: str = "") -> Cell:
    if isinstance(value, float):
        text = "0" if value == 0 else repr(value)
    else:
        text = str(value)
    return Cell(text, number=True, path=path)


def _b_label(text: str, ascii_parens: bool) -> str:
    return text.replace("（", "(").replace("）", ")") if ascii_parens else text


def _table_a(record: dict, ascii_parens: bool) -> list[list[Cell]]:
    template = record["template"]
    spec = rec.ACTIVE[template]
    a = record["active"]
    p = (lambda s: s.replace("（", "(").replace("）", ")")) if ascii_parens else (lambda s: s)
    rows: list[list[Cell]] = []

    def section(item: str, keys: list[str], headers: list[str]) -> None:
        rows.append([Cell(p(item), colspan=4)])
        rows.append([Cell("信息内容")] + [Cell(h, colspan=4 - len(headers) if i == len(headers) - 1 else 1) for i, h in enumerate(headers)])
        for key in keys:
            label, fields = spec[key]
            rows.append([Cell(label)] + [_num_cell(a[key][f], i == len(fields) - 1, 4 - len(fields), key, f) for i, (f, _) in enumerate(fields)])

    def _num_cell(value, last, span, key, field):
        cell = _num(value, f"active.{key}.{field}")
        if key == "procurement" and field == "amount_yuan":
            wan = value / 10000
            cell.text = (f"{wan:.4f}".rstrip("0").rstrip(".") + "万元") if value else "0"
        if last:
            cell.colspan = span
        return cell

    if template == "2021":
        section("第二十条第（一）项", ["regulations", "normative_documents"], ["本年制发件数", "本年废止件数", "现行有效件数"])
        section("第二十条第（五）项", ["licensing"], ["本年处理决定数量"])
        section("第二十条第（六）项", ["penalties", "enforcement"], ["本年处理决定数量"])
        section("第二十条第（八）项", ["fees"], ["本年收费金额（单位：万元）"])
    else:
        section("第二十条第（一）项", ["regulations", "normative_documents"], ["本年新制作数量", "本年新公开数量", "对外公开总数量"])
        section("第二十条第（五）项", ["licensing", "other_services"], ["上一年项目数量", "本年增/减", "处理决定数量"])
        section("第二十条第（六）项", ["penalties", "enforcement"], ["上一年项目数量", "本年增/减", "处理决定数量"])
        section("第二十条第（八）项", ["fees"], ["上一年项目数量", "本年增/减"])
        section("第二十条第（九）项", ["procurement"], ["采购项目数量", "采购总金额"])
    return rows


# The form prints some labels longer than record.py's short forms.
_FULL_LABELS = {
    "other_overdue_correction": "（六）1.申请人无正当理由逾期不补正、行政机关不再处理其申请",
    "other_unpaid_fee": "（六）2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其申请",
}


def _table_b(record: dict, ascii_parens: bool) -> list[list[Cell]]:
    template = record["template"]
    b = record["requests"]
    p = (lambda s: _b_label(s, True)) if ascii_parens else (lambda s: s)
    rows = [
        [Cell("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", rowspan=3, colspan=3), Cell("申请人情况", colspan=7)],
        [Cell("自然人", rowspan=2), Cell("法人或其他组织", colspan=5), Cell("总计", rowspan=2)],
        [Cell(c) for c in rec.COLUMNS[1:6]],
    ]
    rows = [[Cell(p(c.text), c.rowspan, c.colspan) for c in row] for row in rows]
    labels = dict(rec.request_rows(template))
    outcome = rec.outcome_keys(template)
    groups = {"（三）": "（三）不予公开", "（四）": "（四）无法提供", "（五）": "（五）不予处理", "（六）": "（六）其他处理"}
    group_size = {g: sum(1 for k in outcome if labels[k].startswith(g)) for g in groups}
    seen_groups = set()
    for i, (key, label) in enumerate(rec.request_rows(template)):
        numbers = [_num(v, f"requests.{key}[{i}]") for i, v in enumerate(b[key])]
        if key not in outcome:
            if key == "total":
                rows.append([Cell(p(label), colspan=2)] + numbers)
            else:
                rows.append([Cell(p(label), colspan=3)] + numbers)
            continue
        row: list[Cell] = []
        if key == outcome[0]:
            row.append(Cell("三、本年度办理结果", rowspan=len(outcome) + 1))
        label = _FULL_LABELS.get(key, label)
        group = label[:3]
        if group in groups and group_size[group] > 1:
            if group not in seen_groups:
                seen_groups.add(group)
                row.append(Cell(p(groups[group]), rowspan=group_size[group]))
            row.append(Cell(label[3:]))
        else:
            if key == "partially_granted":
                label += "（区分处理的，只计这一情形，不计其他情形）"

            row.append(Cell(p(label), colspan=2))
        rows.append(row + numbers)
    return rows


def _table_c(record: dict) -> list[list[Cell]]:
    c = record["reviews"]
    five = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    return [
        [Cell("行政复议", colspan=5), Cell("行政诉讼", colspan=10)],
        [Cell(h, rowspan=2) for h in five] + [Cell("未经复议直接起诉", colspan=5), Cell("复议后起诉", colspan=5)],
        [Cell(h) for h in five * 2],
        [_num(v, f"reviews.{key}[{i}]") for key, _ in rec.REVIEW_GROUPS for i, v in enumerate(c[key])],
    ]


_CN_NUM = "一二三四五六"


def _paragraphs(record: dict, name: str) -> dict[str, list[str]]:
    """Narrative text per part; the figures stated agree with the tables."""
    year = record["year"]
    n = record["narrative"]
    return {
        "intro": [
            f"根据《中华人民共和国政府信息公开条例》（以下简称《条例》）规定，特向社会公布{year}年度{name}政府信息公开工作年度报告。"
            f"本报告所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。"
        ],
        "一": [
            f"{year}年，{name}认真贯彻落实《条例》和上级关于政务公开工作的部署要求，坚持以公开为常态、不公开为例外，"
            "不断完善主动公开、依申请公开和政府信息管理工作机制。",
            "（一）主动公开。通过门户网站、政务新媒体等渠道及时发布政策文件、部门预算决算和重点领域信息。",
        ],
        "二": ["主动公开政府信息情况如下表。"],
        "三": [
            f"{year}年，本机关共收到政府信息公开申请{n['received']}件，其中自然人申请{n['received_natural_person']}件，"
            f"法人或其他组织申请{n['received_legal_person']}件；上年结转{n['carried_over']}件。"
            f"共办结{n['handled']}件，结转下年度继续办理{n['carried_forward']}件。"
        ],
        "四": [f"全年因政府信息公开工作被申请行政复议{n['reconsideration']}件，被提起行政诉讼{n['litigation']}件。"],
        "五": ["政府信息公开工作仍存在公开内容不够全面、政策解读形式较为单一等问题。下一步将加强业务培训，提升公开质量。"],
        "六": ["本机关未收取信息处理费。无其他需要报告的事项。"],
    }


_HEADINGS = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
]


def _blocks(record: dict, rng: random.Random, name: str, split_markdown: bool) -> list[tuple]:
    """The report as a sequence of ("title"|"meta"|"para"|"heading"|"table"|"sign", payload)."""
    ascii_parens = rng.random() < 0.5
    paras = _paragraphs(record, name)
    blocks: list[tuple] = [("title", f"{name}{record['year']}年政府信息公开工作年度报告")]
    meta_style = rng.choice(["block", "sign", "both"]) if record["published"] else "none"
    if meta_style in ("block", "both"):
        blocks.append(("meta", f"发布机构：{name}　　发布日期：{record['published']}"))
    elif meta_style == "none":
        blocks.append(("meta", f"发布机构：{name}"))
    blocks += [("para", t) for t in paras["intro"]]
    tables = {"二": _table_a(record, ascii_parens), "三": _table_b(record, ascii_parens), "四": _table_c(record)}
    for numeral, heading in zip(_CN_NUM, _HEADINGS):
        blocks.append(("heading", heading))
        blocks += [("para", t) for t in paras[numeral]]
        if numeral in tables:
            table = tables[numeral]
            if numeral == "三" and split_markdown:
                cut = len(table) // 2
                blocks += [("table", table[:cut]), ("para", "（续表）"), ("table", table[cut:])]
            else:
                blocks.append(("table", table))
    if meta_style in ("sign", "both"):
        y, m, d = record["published"].split("-")
        blocks.append(("sign", f"{name}\n{int(y)}年{int(m)}月{int(d)}日"))
    return blocks


# --- grids and layouts -------------------------------------------------------------------

def _expanded(table: list[list[Cell]]) -> list[list[str]]:
    """The table as a full grid, spanned positions empty (what a crawler writes as `||`).

    A piece of a split table may hold rows whose rowspan ran past its end; the
    span is clipped there, and a row left short has its numbers pushed to the
    right edge so they stay under their column headers.
    """
    width = 2 * max(sum(c.colspan for c in row) for row in table)
    grid: list[list[Cell | None]] = [[None] * width for _ in table]
    blank = Cell("")
    for r, row in enumerate(table):
        col = 0
        for cell in row:
            while grid[r][col] is not None:
                col += 1
            for dr in range(min(cell.rowspan, len(table) - r)):
                for dc in range(cell.colspan):
                    grid[r + dr][col + dc] = cell if (dr, dc) == (0, 0) else blank
            col += cell.colspan
    used = max(max((i + 1 for i, c in enumerate(row) if c is not None), default=0) for row in grid)
    out = []
    for row in grid:
        cells = [c or blank for c in row[:used]]
        end = max((i + 1 for i, c in enumerate(row) if c is not None), default=0)
        if end < used and cells[end - 1].number:
            first = min(i for i, c in enumerate(cells) if c.number)
            cells = cells[:first] + [blank] * (used - end) + cells[first:end]
        out.append([c.text for c in cells])
    return out


def render_docx(record: dict, *, seed: int = 0) -> bytes:
    """The report as a Word file: its paragraphs, and its tables with their merged cells."""
    import docx  # only the tests of Word reports need it

    document = docx.Document()
    for kind, payload in _blocks(record, random.Random(seed), record["agency"]["name"], False):
        if kind == "table":
            _docx_table(document, payload)
        else:
            for line in payload.split("\n"):
                document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _docx_table(document, table: list[list[Cell]]) -> None:
    width = max(sum(c.colspan for c in row) for row in table)
    grid = document.add_table(rows=len(table), cols=width)
    taken = [[False] * width for _ in table]
    for r, row in enumerate(table):
        col = 0
        for cell in row:
            while col < width and taken[r][col]:
                col += 1
            if col >= width:
                break
            bottom, right = min(r + cell.rowspan, len(table)) - 1, min(col + cell.colspan, width) - 1
            target = grid.cell(r, col)
            if (bottom, right) != (r, col):
                target = target.merge(grid.cell(bottom, right))
            target.text = cell.text
            for dr in range(r, bottom + 1):
                for dc in range(col, right + 1):
                    taken[dr][dc] = True
            col = right + 1


def _row_width(table: list[list[Cell]]) -> int:
    return sum(c.colspan for c in table[0])


def _html(blocks: list[tuple], rng: random.Random, charset: str) -> str:
    out = [f'<!DOCTYPE html>\n<html><head><meta charset="{charset}">',
           f"<title>{html.escape(blocks[0][1])}</title>",
           "<style>td{border:1px solid #ccc}</style>",
           '<script>var _hmt = _hmt || []; document.write("首页");</script></head><body>',
           '<div class="nav"><a href="/">首页</a> &gt; <a href="/zwgk/">信息公开</a> &gt; 年度报告</div>']
    for kind, payload in blocks:
        if kind == "title":
            out.append(f"<h1>{html.escape(payload)}</h1>")
        elif kind == "meta":
            out.append(f'<div class="info">{html.escape(payload)}</div>')
        elif kind == "heading":
            out.append(f"<p><strong>{html.escape(payload)}</strong></p>")
        elif kind in ("para", "sign"):
            out.append("<p>" + "<br>".join(html.escape(line) for line in payload.split("\n")) + "</p>")
        elif kind == "table":
            out.append('<table border="1" cellspacing="0">')
            for row in payload:
                tds = []
                for c in row:
                    attrs = (f' rowspan="{c.rowspan}"' if c.rowspan > 1 else "") + (f' colspan="{c.colspan}"' if c.colspan > 1 else "")
                    text = "&nbsp;" if c.number and c.text == "0" and rng.random() < 0.2 else html.escape(c.text)
                    tds.append(f"<td{attrs}><p>{text}</p></td>")
                out.append("<tr>" + "".join(tds) + "</tr>")
            out.append("</table>")
    out.append('<div class="footer">主办单位：本网站　　<script>console.log(1)</script></div></body></html>')
    return "\n".join(out)


def _text(blocks: list[tuple], table_lines) -> str:
    lines: list[str] = []
    for kind, payload in blocks:
        if kind == "table":
            lines += table_lines(payload)
        else:
            lines += payload.split("\n")
    return "\n".join(lines) + "\n"


def _pipe_table(table: list[list[Cell]]) -> list[str]:
    # like seed 000: cells joined by " | ", then one "|" per position a span covered
    width = _row_width(table)
    lines = []
    for row in table:
        texts = [c.text for c in row]
        lines.append(" | ".join(texts) + " |" + "|" * max(0, width - len(texts) - 1))
    return lines


def _cell_lines_table(table: list[list[Cell]]) -> list[str]:
    # like seeds 001/004: every cell alone on its line, blank lines between
    lines = []
    for row in table:
        for c in row:
            lines += [c.text, ""]
    return lines


def _pipe_lines_table(table: list[list[Cell]]) -> list[str]:
    # like seed 002: each cell ends in " |"; a spanned cell is followed by a line of "|"
    lines = []
    for row in table:
        for c in row:
            lines.append(c.text + " |")
            if c.colspan > 1:
                lines.append("|" * (c.colspan - 1))
    return lines


def _markdown_table(table: list[list[Cell]]) -> list[str]:
    grid = _expanded(table)
    width = len(grid[0])
    lines = ["", "| " + " | ".join(grid[0]) + " |", "|" + "---|" * width]
    lines += ["| " + " | ".join(row) + " |" for row in grid[1:]]
    return lines + [""]


def _flattened_table(table: list[list[Cell]]) -> list[str]:
    # a crawler's get_text(): every cell of the table run together on one line
    return ["".join(c.text for row in table for c in row)]


def _crawler(blocks: list[tuple], rng: random.Random, published: str | None) -> str:
    # like tests/corpus/pingtan-*.txt: nine header lines, then the page's text on one line,
    # the table cells run together with a space between some of them only (a per-page habit)
    title = next(payload for kind, payload in blocks if kind == "title")
    head = [f"标题: {title}", f"发布时间: {published} 16:34" if published else "发布时间: ", "文号: ", "发布机构: ",
            "栏目: 政府信息公开年报", f"原文链接: https://www.example.gov.cn/zwgk/t{rng.randrange(10 ** 8)}.htm",
            f"本地目录: zwgk/{title}", "页面链接与图片详见 links.tsv(同目录)", "=" * 20 + " 正文 " + "=" * 20]
    spacing = rng.choice([0.0, 0.2, 0.5, 1.0])
    body = [f"当前位置： 首页政务公开政府信息公开年报 {title} 来源：本网 微信 微博 文字版 --> "]
    for kind, payload in blocks:
        if kind == "table":
            cells = [c.text for row in payload for c in row]
            body.append("".join(text + (" " if rng.random() < spacing else "") for text in cells))
        elif kind != "title":
            body.append(payload.replace("\n", ""))
    return "\n".join(head) + "\n" + "".join(body) + "\n"


_TABLE_LINES = {
    "pipe": _pipe_table,
    "cell-lines": _cell_lines_table,
    "pipe-lines": _pipe_lines_table,
    "markdown": _markdown_table,
    "flattened": _flattened_table,
}


# --- spam -----------------------------------------------------------------------------------

def _spam(text: str, kind: str, name: str) -> str:
    """Inject SEO spam the way the hacked seed pages carry it."""
    if kind == "chigua":  # seed 000
        text = text.replace("政府信息公开", "51吃瓜网").replace("政务公开", "51黑料网")
        title_end = text.index("年度报告") + 4 if "年度报告" in text else 0
        head = text[:title_end]
        return head.replace(name, "吃瓜官网_黑料正能量_" + name, 1) + text[title_end:]
    if kind == "bet36":  # seed 004
        text = text.replace(name, "bet36体育投注_2024欧洲杯在哪投注#" + name, 1)
        for word in ("新时代", "办公厅", "政府信息与政务公开"):
            text = text.replace(word, "bet36体育投注:" + word)
        return text
    if kind == "libo":  # seed 001: the agency's own name replaced everywhere
        return text.replace(name, "利博-利博官网")
    raise ValueError(f"unknown spam kind {kind!r}")


# --- public API -----------------------------------------------------------------------------

def render(
    record: dict,
    layout: str,
    *,
    encoding: str = "utf-8",
    traditional: bool = False,
    spam: str | None = None,
    seed: int = 0,
    split_tables: bool = False,
    noisy: bool = False,
    stray: bool = False,
    garbled: frozenset[str] | set[str] = frozenset(),
) -> bytes:
    """The report as the bytes of a scraped page in `layout` (see LAYOUTS).

    `seed` drives the cosmetic choices (parentheses style, metadata placement,
    `&nbsp;` zeros) so a rendering is reproducible. `split_tables`: Markdown
    table B broken in two pieces. `noisy`: numbers written the many ways reports
    write them (`无`, `—`, `/` for zero, `1,234`, full-width digits). `stray`: seed
    002's stray cells (a `0` in table B's header, a repeated figure after 行政事业性收费).
    None of these changes what the parser must read. `garbled`: record paths whose
    cells are printed with a trailing `?` like seed 000's `0?` (the parser keeps the
    figure and adds a garbled-number problem).
    """
    rng = random.Random(seed)
    name = record["agency"]["name"]
    blocks = _blocks(record, rng, name, split_tables and layout == "markdown")
    if stray:
        _add_stray_cells(blocks)
    if garbled:  # before the noise, which leaves a garbled `0?` alone
        _garble(blocks, set(garbled))
    if noisy:
        _add_noise(blocks, rng, thousands=layout not in RUN_TOGETHER)
    charset = {"utf-8-sig": "utf-8", "utf-16": "utf-16"}.get(encoding, encoding)
    if layout == "html":
        text = _html(blocks, rng, charset)
    elif layout == "crawler":
        text = _crawler(blocks, rng, record["published"])
    elif layout in _TABLE_LINES:
        text = _text(blocks, _TABLE_LINES[layout])
    else:
        raise ValueError(f"unknown layout {layout!r}")
    if spam:
        text = _spam(text, spam, name)
    if traditional:
        text = _S2T.convert(text)
    try:
        return text.encode(encoding)
    except UnicodeEncodeError:
        return text.encode("gb18030")  # GBK's superset, as such sites serve it


_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
_ZERO_WORDS = ["无", "—", "-", "/", "0"]


def _add_noise(blocks: list[tuple], rng: random.Random, thousands: bool) -> None:
    for kind, table in blocks:
        if kind != "table":
            continue
        for row in table:
            for cell in row:
                if not (cell.number and cell.text.isdigit()):
                    continue
                value = int(cell.text)
                if value == 0 and rng.random() < 0.3:
                    cell.text = rng.choice(_ZERO_WORDS)
                elif value >= 1000 and thousands and rng.random() < 0.5:
                    cell.text = f"{value:,}"
                elif rng.random() < 0.05:
                    cell.text = cell.text.translate(_FULL_WIDTH)


def _garble(blocks: list[tuple], paths: set[str]) -> None:
    for kind, table in blocks:
        if kind == "table":
            for row in table:
                for cell in row:
                    if cell.path in paths:
                        cell.text += "?"


def _add_stray_cells(blocks: list[tuple]) -> None:
    tables = [payload for kind, payload in blocks if kind == "table"]
    active, requests = tables[0], tables[1]
    requests[2].append(Cell("0"))  # after 其他, in table B's header
    for row in active:
        # the same figure again; only where the row has one figure (template 2021),
        # since `2 | 0 | 0` for two fields could not be told apart by anyone
        if row[0].text == "行政事业性收费" and len(row) == 2:
            row.append(Cell(row[-1].text, number=True))


def traditional_safe(name: str) -> bool:
    """Whether a name survives simplified → traditional → simplified unchanged."""
    return _T2S.convert(_S2T.convert(name)) == name


def expected(record: dict, *, spam: str | None = None) -> dict:
    """What parsing a rendering must give: the record's figures and metadata."""
    truth = json.loads(json.dumps(record))  # a deep copy, several times faster than copy.deepcopy
    truth.pop("inconsistent", None)
    truth["agency"]["tampered"] = bool(spam)
    if spam == "libo":
        truth["agency"]["name"] = None  # replaced everywhere: nobody can tell it
    return truth


def flattened_runs(record: dict) -> tuple[dict[str, str], str]:
    """The digit runs a flattened rendering prints for table B's rows and for table C."""
    runs = {key: "".join(str(v) for v in values) for key, values in record["requests"].items()}
    review = "".join(str(v) for key, _ in rec.REVIEW_GROUPS for v in record["reviews"][key])
    return runs, review
