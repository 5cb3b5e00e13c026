"""The site's fixed pages: home (headline figures, charts, all agencies), the
unread-files page, data downloads with their dictionary, and the methodology.
"""

from __future__ import annotations

from gxsite.site import blocks
from gxsite.site import charts
from gxsite import checks
from gxsite.site import downloads
from gxsite.site import markup as m
from gxsite import record as rec
from gxsite.site.agency_page import agency_title, section_keys
from gxsite.checks.corpus import one_copy_each

# Why a file gave no record, in words (codes from the parser's problems).
# Problems with the whole file that still leave a report to publish: listed on the unread page too.
PARTLY_READ = {"too-large", "second-report-ignored"}

# Measured on 2026-12-03 with benchmarks/accuracy.py (real reports) and
# benchmarks/parse_accuracy.py (a 2,000-report synthetic corpus from make_corpus.py).
ACCURACY = (
    "- 15份人工逐格核对过的真实报告（5份样本报告，另10份为一个网站爬取的文本、PDF转换的Markdown、OCR识别的"
    "Markdown和一份PDF原件）：2,994个数字全部与人工核对结果一致，读错的数字为0个；机关名称、年度、模板版本、"
    "发布日期79项全部一致；算术规则和页面检查的63个结论全部与人工判断一致，没有把读取问题算作发布机关的错误。\n"
    "- 2,000份合成报告（网页表格、竖线分隔、每格一行、Markdown表格、数字粘连的纯文本、整页一行的爬虫文本等排版；"
    "GBK、UTF-16编码；繁体字；植入垃圾内容）：394,640个数字中393,786个准确、854个留空，读错的数字为0个。"
    "留空的数字来自各格数字连在一起、无法唯一拆分的文本，网站上显示为“—”并注明原因。\n"
    "- 这些真实报告只有15份，其他网站和其他排版的报告可能读得更差。读者可以自己核对：机关页面上每个数字都注明了"
    "它在原文中的文字和位置，数据下载中的每条记录都有原文件的来源；本项目代码中的 `benchmarks/accuracy.py`"
    "可重复上述测量。发现错误请按下文反馈。\n"
)


def _years(records: list[dict]) -> list[int]:
    return sorted({r["year"] for r in records if isinstance(r.get("year"), int)})


def _sum(values) -> int | float:
    return sum(v for v in values if v is not None)


def headline_figures(agencies: dict[str, list[dict]], records: list[dict]) -> str:
    years = _years(records)
    span = f"{years[0]}—{years[-1]}" if years else "不详"
    # Each figure names the reports it is made of (of a known year, as the year chart): the sum
    # over those whose figure was read, the share over those whose granted and handled figures
    # were both read, numerator and denominator alike.
    dated = [r for r in records if isinstance(r.get("year"), int)]
    received = [v for v in (charts.cell(r, "new_received", 6) for r in dated) if v is not None]
    pairs = [(charts.outcome_total(r, ("granted", "partially_granted")), charts.cell(r, "total", 6)) for r in dated]
    pairs = [(g, h) for g, h in pairs if g is not None and h is not None]
    granted, handled = (_sum(g for g, _ in pairs), _sum(h for _, h in pairs)) if pairs else (None, None)
    items = [("机关", len(agencies)), ("报告", len(records)), ("覆盖年度", span),
             (f"本年新收申请合计（{len(received)}份报告）", blocks.number(sum(received)) if received else "无法计算"),
             (f"予以公开或部分公开占比（{len(pairs)}份报告）", blocks.share(granted, handled))]
    cells = "".join(f'<div class="gx-stat"><span class="gx-stat-value">{v}</span>'
                    f'<span class="gx-stat-label">{k}</span></div>' for k, v in items)
    return f'<div class="gx-stats">{cells}</div>\n'


def _verdict_summary(record: dict) -> tuple[str, int]:
    results = [checks.result(c) for c in record.get("checks") or []]
    errors, doubts, notices = results.count("error"), results.count("doubt"), results.count("notice")
    parts = []
    if errors:
        parts.append(f'<span class="gx-badge gx-fail">{errors}项数字有误</span>')
    if doubts:
        parts.append(f'<span class="gx-badge gx-warn">{doubts}项无法核实</span>')
    if notices:
        parts.append(f'<span class="gx-badge gx-notice">{notices}项提示</span>')
    if not parts:
        parts.append('<span class="gx-badge gx-pass">均通过</span>' if results else "—")
    return "".join(parts), errors * 10000 + doubts * 100 + notices


def agency_table(agencies: dict[str, list[dict]]) -> str:
    rows = []
    for slug, records in sorted(agencies.items()):
        latest = records[-1]
        name = agency_title(latest)
        received = charts.cell(latest, "new_received", 6)
        handled = charts.cell(latest, "total", 6)
        granted = charts.outcome_total(latest, ("granted", "partially_granted"))
        verdicts, weight = _verdict_summary(latest)
        year = latest.get("year") if isinstance(latest.get("year"), int) else None
        rows.append([
            (f'<a href="agencies/{slug}/">{m.text(name)}</a>', name),
            (blocks.number(year), year),
            (blocks.number(received), received),
            (m.text(blocks.share(granted, handled)), blocks.share_value(granted, handled)),
            (f'<a href="agencies/{slug}/#{section_keys(records)[-1]}">{verdicts}</a>', weight),
        ])
    return blocks.sortable_table(["机关", "最近年度", "本年新收申请", "予以公开或部分公开占比", "检查（最近年度）"],
                                 rows, "全部机关（点击表头排序）", "按机关名称筛选")


def updated(records: list[dict]) -> str:
    """数据更新于: the date the site is as of (record.newest_publication, as the build's date)."""
    newest = rec.newest_publication(records)
    if newest is None:
        return ""
    return f"数据更新于{newest.year}年{newest.month}月{newest.day}日（最新一份报告的发布日期）。"


def home_page(agencies: dict[str, list[dict]], unread: list[dict]) -> str:
    # a report saved twice (two copies of one page) is one report in every figure and chart
    records = one_copy_each([r for group in agencies.values() for r in group])
    parts = [
        "# 政府信息公开工作年度报告数据\n",
        "本站汇集各级行政机关发布的《政府信息公开工作年度报告》，从报告原文中提取统计表"
        "（主动公开、依申请公开、行政复议和行政诉讼）的数字，逐项核对报告自身的算术关系，"
        "并公开全部数据。数据来自各机关在其网站上发布的报告原文；每个数字都可追溯到原文。\n",
        headline_figures(agencies, records),
        f"{updated(records)}另有 [{len(unread)} 个文件未能读取](unread.md)。"
        f"占比只在办理件数不少于{blocks.SMALL_SAMPLE}件时计算。检查方法见[关于本站](about.md)。\n",
    ]
    for chart in (charts.corpus_requests_by_year(records), charts.corpus_outcomes(records),
                  charts.corpus_rule_pass_share(records, checks.RULES)):
        parts.append(blocks.deferred(blocks.chart(chart)) + "\n" if chart else "")
    parts.append("## 全部机关\n")
    parts.append(agency_table(agencies))
    return "\n".join(p for p in parts if p)


def unread_reason(record: dict) -> str:
    problems = [p for p in record.get("problems") or [] if p.get("where") == "report"]
    if not problems:
        return "未找到表B或表C的数字"
    return "；".join(_reason_text(p) for p in problems)


def _reason_text(problem: dict) -> str:
    """The reason in words, with the parser's message after it unless the message says it already."""
    reason = rec.PROBLEM_WORDS.get(problem.get("code"), "读取存疑")
    message = problem.get("message") or ""
    if not message:
        return reason
    return message if reason in message else f"{reason}（{message}）"


def unread_page(records: list[dict], unread: list[dict]) -> str:
    files = len(records) + len(unread)
    rows = "".join(f"<tr><td><code>{m.text(r['source']['path'])}</code></td><td>{m.text(unread_reason(r))}</td></tr>"
                   for r in sorted(unread, key=lambda r: r["source"]["path"]))
    table = (f'<table class="gx-unread" data-search-exclude><caption>未能读取的文件（{len(unread)}）</caption>'
             f"<thead><tr><th>文件</th><th>原因</th></tr></thead><tbody>{rows}</tbody></table>\n") if unread else ""
    partly = sorted((r for r in records if any(p.get("where") == "report" and p.get("code") in PARTLY_READ
                                                for p in r.get("problems") or [])),
                    key=lambda r: r["source"]["path"])
    partly_rows = "".join(
        f'<tr><td><a href="../agencies/{m.attr(r["agency"]["slug"])}/"><code>{m.text(r["source"]["path"])}</code></a>'
        f"</td><td>{m.text(unread_reason(r))}</td></tr>" for r in partly)
    partly_table = (f'<table class="gx-unread" data-search-exclude><caption>只读取了一部分的报告（{len(partly)}）'
                    f"</caption><thead><tr><th>文件</th><th>原因</th></tr></thead><tbody>{partly_rows}</tbody></table>\n"
                    if partly else "")
    told = (f"{len(unread)} 个文件未能读取，列于下表。" if unread else "所有文件均已读取。")
    return "\n".join(p for p in [
        "# 未能读取的报告\n",
        f"共收到 {files} 个文件：{len(records)} 份报告已读取并发布，{told}没有任何文件被悄悄丢弃。\n",
        table,
        partly_table and "下列报告已发布，但文件只读取了一部分：\n",
        partly_table,
    ] if p)


def data_page() -> str:
    request_rows = "\n".join(f"| `{key}` | {label} |" for key, label in rec.request_rows("2021")
                             + [("other_processing", "（六）其他处理（2019年版）")])
    review_rows = "\n".join(f"| `{key}` | {label} |" for key, label in rec.REVIEW_GROUPS)
    column_rows = "\n".join(f"| `{key}` | {label} |" for key, label in zip(rec.COLUMN_KEYS, rec.COLUMNS))
    review_column_rows = "\n".join(f"| `{key}` | {label} |"
                                   for key, label in zip(downloads.REVIEW_COLUMN_KEYS, rec.REVIEW_COLUMNS))
    active = {(item, field): (f"{item_label}·{field_label}（{template}年版）", downloads.ACTIVE_UNITS[field])
              for template in ("2019", "2021") for item, (item_label, fields) in rec.ACTIVE[template].items()
              for field, field_label in fields}
    active_rows = "\n".join(f"| `{item}` | `{field}` | {label} | {unit} |"
                            for (item, field), (label, unit) in active.items())
    return f"""# 数据下载

全部数据可自由下载，便于核对与研究。

- [reports.jsonl](reports.jsonl)：每行一份报告的完整记录（格式 `gxsite.report/1`），包括数字、原文出处、读取问题和检查结果。
- [requests.csv](requests.csv)：表B（依申请公开）长格式数据。
- [reviews.csv](reviews.csv)：表C（行政复议、行政诉讼）长格式数据。
- [active.csv](active.csv)：表A（主动公开）长格式数据。

每个机关页面另有该机关的 JSON 和 CSV 数据。

## 数据字典

CSV 文件的列：

| 列 | 含义 |
|---|---|
| `table` | 表：`active`（表A）、`requests`（表B）、`reviews`（表C） |
| `agency` | 机关名称（无法识别时为空） |
| `slug` | 机关页面地址 `/agencies/<slug>/` 中的标识，长期不变 |
| `year` | 报告年度（统计年度，不是发布年份） |
| `source` | 报告原文文件 |
| `row` | 行（表B为行键，表C为类别，表A为“项目.指标”） |
| `column` | 列（表B为申请人类型，表C为审理结果） |
| `value` | 数字；无法读取时为空 |
| `uncertain` | `1` 表示读取存疑（见 reports.jsonl 中的 `problems`） |
| `unit` | `value` 的单位：件、项、元或万元 |

表B的行：

| 行键 | 报告中的行 |
|---|---|
{request_rows}

表C的类别：

| 类别键 | 含义 |
|---|---|
{review_rows}

表B的列（`column`）：

| 列键 | 含义 |
|---|---|
{column_rows}

表C的列（`column`）：

| 列键 | 含义 |
|---|---|
{review_column_rows}

表A的项目和指标（`row` 为项目键，`column` 为指标键；两版模板的指标不同）：

| 项目键 | 指标键 | 含义 | 单位 |
|---|---|---|---|
{active_rows}

无法读取的数字一律为空（JSON 中为 `null`），从不猜测为 0；报告中的空白、“无”、“—”按 0 记录。

**电子表格安全**：文字单元格如以 `=`、`+`、`-`、`@` 开头，下载文件会在前面加一个英文单引号 `'`，
避免电子表格软件把报告中的文字当作公式执行；数字不受影响。JSON 文件中的 `<`、`>`、`&` 以 `\\u` 转义写出，
解析后与原文相同。

## 引用建议

> 政府信息公开工作年度报告数据（gxsite），根据各机关发布的《政府信息公开工作年度报告》整理，
> 数据文件 reports.jsonl，访问日期：＿＿＿＿。

引用具体数字时，请同时注明机关名称、报告年度，并核对机关页面上显示的报告原文。
"""


def search_page() -> str:
    """The search page: assets/search.js mounts Pagefind's interface on #gx-search."""
    return """# 搜索机关

按机关名称、拼音（如 pingtan）或地名查找；也可以在[首页](index.md)的机关列表中筛选。

<div id="gx-search" data-search-exclude></div>
<noscript><p>搜索需要浏览器启用JavaScript；也可以在首页的机关列表中按名称筛选。</p></noscript>
"""


def about_page() -> str:
    rules = "\n".join(f"- [{m.text(rule.title_zh)}](checks/{rule.id}.md)（{'数字' if rule.severity == 'error' else '提示'}）"
                      for rule in checks.RULES)
    results = "\n".join(f'- <span class="gx-badge gx-{blocks.RESULT_CLASS[kind]}">{checks.RESULT_TEXT[kind]}</span>：'
                         f"{checks.RESULT_EXPLANATION[kind]}" for kind in checks.RESULTS)
    return f"""# 关于本站与方法

## 数据从哪里来

本站读取各机关网站上发布的《政府信息公开工作年度报告》（网页、文本、PDF或Word文件），识别报告所用的模板版本
（2019年版或2021年版），按模板提取三张统计表：表A（主动公开政府信息情况）、表B（收到和处理政府信息公开申请情况）、
表C（政府信息公开行政复议、行政诉讼情况），以及正文中提到的主要数字。部分原网页被植入了赌博、色情等无关内容，
这些内容在读取时被识别并剔除，相关页面会注明。

## 数字如何提取

- 每个数字都记录了它在报告原文中的文字和行号，在机关页面上悬停或轻触数字即可查看。
- 无法确定的数字显示为“—”，从不猜测；读数存疑（例如原文为“0?”）的数字会标出。
- 未能读取的文件全部列在[未能读取的报告](unread.md)中，并注明原因。

## 如何检查

每份报告都按模板自身的算术关系和填报要求逐项检查。检查结果分为五种，在全站用同一个词、同一种颜色：

{results}

检查规则（详见[检查规则](checks/index.md)）：

{rules}

## 准确率

{ACCURACY}

## 报告错误

如发现数字与报告原文不符，请注明机关页面地址、报告年度、表格和行列，以及原文中的数字，
通过本项目的问题反馈渠道提交。我们核实后会修正读取程序，并在下次更新时重新发布全部数据。
"""
