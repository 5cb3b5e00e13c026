"""The synthetic report writer: consistent figures, faithful layouts, reproducible bytes."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from gxsite import record as rec
import synthetic

ROOT = Path(__file__).resolve().parent.parent


def reports(n: int, template: str, **kwargs):
    rng = random.Random(f"synthetic-{template}")
    year = 2020 if template == "2019" else 2022
    return [synthetic.make_report(rng, template, year, f"测试县{i}局", **kwargs) for i in range(n)]


def rule_violations(r: dict) -> list[str]:
    b, c, t = r["requests"], r["reviews"], r["template"]
    bad = []
    for key, row in b.items():
        if sum(row[:6]) != row[6]:
            bad.append(f"row-sum {key}")
    for col in range(7):
        if b["new_received"][col] + b["carried_over"][col] != b["total"][col] + b["carried_forward"][col]:
            bad.append(f"balance {col}")
        if sum(b[k][col] for k in rec.outcome_keys(t)) != b["total"][col]:
            bad.append(f"outcome-sum {col}")
    for key, values in c.items():
        if sum(values[:4]) != values[4]:
            bad.append(f"review-sum {key}")
    if any(v < 0 for row in b.values() for v in row) or any(v < 0 for g in c.values() for v in g):
        bad.append("negative")
    return bad


@pytest.mark.parametrize("template", ["2019", "2021"])
def test_reports_obey_every_rule_of_the_template(template):
    drawn = reports(300, template)
    for r in drawn:
        assert rule_violations(r) == []
        assert list(r["requests"]) == [k for k, _ in rec.request_rows(template)]
        assert [list(v) for v in r["active"].values()] == [[f for f, _ in spec[1]] for spec in rec.ACTIVE[template].values()]
    # realistic: many zeros, but some busy agencies too
    zeros = sum(v == 0 for r in drawn for row in r["requests"].values() for v in row)
    cells = sum(len(row) for r in drawn for row in r["requests"].values())
    assert 0.5 < zeros / cells < 0.99
    assert max(r["requests"]["new_received"][6] for r in drawn) >= 100
    assert any(r["requests"]["new_received"][6] == 0 for r in drawn)


def test_inconsistent_reports_break_the_rules():
    for r in reports(50, "2021", inconsistent=True):
        assert any(v.startswith(("row-sum", "outcome-sum")) for v in rule_violations(r))


def test_carry_over_chains_years():
    rng = random.Random(1)
    first = synthetic.make_report(rng, "2021", 2021, "甲局")
    second = synthetic.make_report(rng, "2021", 2022, "甲局", carried_over=first["requests"]["carried_forward"])
    assert second["requests"]["carried_over"] == first["requests"]["carried_forward"]
    assert rule_violations(second) == []


def test_narrative_states_the_tables_figures():
    r = reports(1, "2021")[0]
    text = synthetic.render(r, "pipe").decode("utf-8")
    n = r["narrative"]
    assert f"共收到政府信息公开申请{n['received']}件" in text
    assert f"共办结{n['handled']}件" in text
    assert n["received"] == r["requests"]["new_received"][6]
    assert n["litigation"] == r["reviews"]["litigation_direct"][4] + r["reviews"]["litigation_after_reconsideration"][4]


@pytest.mark.parametrize("layout", synthetic.LAYOUTS)
def test_rendering_is_reproducible(layout):
    r = reports(1, "2019")[0]
    assert synthetic.render(r, layout, seed=3) == synthetic.render(r, layout, seed=3)


def test_html_has_spans_like_real_pages():
    r = reports(1, "2021")[0]
    page = synthetic.render(r, "html", seed=2).decode("utf-8")
    assert '<td colspan="5"><p>法人或其他组织</p></td>' in page
    assert f'<td rowspan="{len(rec.outcome_keys("2021")) + 1}"><p>三、本年度办理结果</p></td>' in page
    assert '<td rowspan="8"><p>（三）不予公开</p></td>' in page or '<td rowspan="8"><p>(三)不予公开</p></td>' in page
    assert "<script>" in page  # navigation and scripts the parser must ignore


def test_text_layouts_look_like_the_seeds():
    r = reports(1, "2021")[0]
    pipe = synthetic.render(r, "pipe", seed=1).decode()
    assert "一、本年新收政府信息公开申请数量 | " in pipe and "||" in pipe
    lines = synthetic.render(r, "cell-lines", seed=1).decode().splitlines()
    i = lines.index("一、本年新收政府信息公开申请数量")
    assert lines[i + 1] == "" and lines[i + 2] == str(r["requests"]["new_received"][0])
    pipe_lines = synthetic.render(r, "pipe-lines", seed=1).decode().splitlines()
    assert "一、本年新收政府信息公开申请数量 |" in pipe_lines and "|||" in pipe_lines
    md = synthetic.render(r, "markdown", seed=1, split_tables=True).decode()
    assert sum(line.startswith("|---|") for line in md.splitlines()) == 4  # tables A, B in two pieces, C


def test_flattened_rows_run_together():
    r = reports(1, "2021")[0]
    text = synthetic.render(r, "flattened", seed=1).decode()
    runs, review = synthetic.flattened_runs(r)
    assert "一、本年新收政府信息公开申请数量" + runs["new_received"] + "二、" in text
    assert text.rstrip().count("\n") < 40  # each table on one line
    assert review in text


@pytest.mark.parametrize("encoding", synthetic.ENCODINGS)
def test_encodings(encoding):
    r = reports(1, "2021")[0]
    data = synthetic.render(r, "pipe", encoding=encoding)
    assert data.decode(encoding) == synthetic.render(r, "pipe").decode("utf-8")
    if encoding == "utf-8-sig":
        assert data.startswith(b"\xef\xbb\xbf")


def test_traditional_characters():
    r = reports(1, "2021")[0]
    text = synthetic.render(r, "pipe", traditional=True).decode()
    assert "政府信息公開工作年度報告" in text and "申請" in text


def test_spam_like_the_seeds():
    r = reports(1, "2021")[0]
    name = r["agency"]["name"]
    chigua = synthetic.render(r, "pipe", spam="chigua").decode()
    assert chigua.startswith("吃瓜官网_黑料正能量_" + name) and "本年新收51吃瓜网申请数量" in chigua
    assert "政府信息公开" not in chigua
    bet = synthetic.render(r, "html", spam="bet36").decode()
    assert "bet36体育投注_2024欧洲杯在哪投注#" + name in bet
    libo = synthetic.render(r, "pipe", spam="libo").decode()
    assert name not in libo and "利博-利博官网" in libo
    assert synthetic.expected(r, spam="libo")["agency"] == {"name": None, "tampered": True}
    assert synthetic.expected(r, spam="chigua")["agency"] == {"name": name, "tampered": True}
    assert synthetic.expected(r)["agency"] == {"name": name, "tampered": False}


def test_make_corpus_is_deterministic_and_varied(tmp_path):
    script = ROOT / "benchmarks" / "make_corpus.py"
    for out in ("a", "b"):
        subprocess.run([sys.executable, str(script), "400", str(tmp_path / out), "--truth", str(tmp_path / f"{out}.jsonl")],
                       check=True, capture_output=True)
    files = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert len(files) == 400
    assert files == sorted(p.name for p in (tmp_path / "b").iterdir())
    assert all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files)
    truths = [json.loads(line) for line in (tmp_path / "a.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [t["file"] for t in truths] == files
    reports_ = [t for t in truths if "rendering" in t]
    assert {t["rendering"]["layout"] for t in reports_} == set(synthetic.LAYOUTS)
    assert {t["template"] for t in reports_} == {"2019", "2021"}
    assert any(t["rendering"]["encoding"] in ("gbk", "gb18030") for t in reports_)
    assert any(t["rendering"]["spam"] for t in reports_)
    assert any(t["rendering"]["traditional"] for t in reports_)
    assert any(t["rendering"]["inconsistent"] for t in reports_)
    # about four years per agency, mostly chained
    agencies = {f.split("_")[1] for f in files}
    assert 90 <= len(agencies) <= 101
