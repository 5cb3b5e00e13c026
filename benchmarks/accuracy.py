"""Reading accuracy on real reports with hand-checked gold: `.venv/bin/python benchmarks/accuracy.py`.

Parses every report of the chosen sets in-process (gxsite.file_records.parse_and_check) and
compares the record with its gold JSON:

- cells of requests/reviews/active, walked and compared as ../shared/tools/score.py
  does, so the exact and silent totals agree with it: exact, null with a problem (on the
  cell, a row or table holding it, or the whole report: a visible failure to read),
  wrong, and SILENT wrong (a wrong number shown without a problem on its own path: what
  must never happen);
- fields: agency (name, must_not_contain, tampered), year, template, published;
- verdicts: the record's status for each rule in the gold's "expect_checks"; FALSE FAILS
  (the record blames the publisher where gold says pass) and missing verdicts (gold says
  fail, the record does not) are counted separately;
- CPU seconds per report, per format (text, html, pdf, docx), and per page for PDFs.

Options:
  --set seeds,corpus         which built-in sets to read (default both; "" for none)
  --extra RAW_DIR GOLD_DIR   another folder of reports with gold (repeatable)
  --json OUT                 write the totals as JSON
  -v                         list every wrong cell (silent ones are always listed)

Exit code 0 (it is a measurement), or 1 if the parser crashed on a report.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
import time
import traceback
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gxsite.file_records import parse_and_check  # noqa: E402

SETS = {
    "seeds": (ROOT / "raw_reports", ROOT / "tests" / "gold"),
    "corpus": (ROOT / "tests" / "corpus", ROOT / "tests" / "corpus" / "gold"),
}


def same(gold, got) -> bool:
    """score.py's comparison: gold None must be got None; numbers within 1e-6 relative."""
    if gold is None:
        return got is None
    if got is None or isinstance(got, bool):
        return False
    try:
        return abs(float(gold) - float(got)) < 1e-6 * max(1.0, abs(float(gold)))
    except (TypeError, ValueError):
        return False


def cells(gold, got, prefix: str):
    """(path, gold value, got value) for every gold cell, in score.py's walk order."""
    for key, gold_value in gold.items():
        got_value = got.get(key) if isinstance(got, dict) else None
        if isinstance(gold_value, dict):
            yield from cells(gold_value, got_value if isinstance(got_value, dict) else {}, f"{prefix}.{key}")
        elif isinstance(gold_value, list):
            for i, g in enumerate(gold_value):
                o = got_value[i] if isinstance(got_value, list) and i < len(got_value) else None
                yield f"{prefix}.{key}[{i}]", g, o
        else:
            yield f"{prefix}.{key}", gold_value, got_value


def flagged_on(path: str, flagged: set) -> bool:
    """A problem on the cell itself, on a table or row holding it, or on the whole report
    (a file that could not be read at all shows every cell as visibly unread)."""
    return "report" in flagged or any(
        path == where or path.startswith(f"{where}.") or path.startswith(f"{where}[") for where in flagged)


def score_cells(gold: dict, record: dict) -> tuple[collections.Counter, list[str]]:
    counts, wrong = collections.Counter(), []
    flagged = {p.get("where") for p in record.get("problems") or []}
    for section in ("requests", "reviews", "active"):
        if section not in gold:
            continue
        for path, g, o in cells(gold[section], record.get(section), section):
            counts["total"] += 1
            if same(g, o):
                counts["exact"] += 1
            elif o is None and flagged_on(path, flagged):
                # score.py counts this as not exact too; here it is a visible failure, not an error.
                counts["null with a problem"] += 1
            else:
                counts["wrong"] += 1
                # Only a doubt on the cell itself warns the reader of that number (score.py's rule).
                silent = o is not None and path not in flagged
                counts["silent"] += silent
                wrong.append(f"{path}: gold {g} got {o}" + ("  SILENT" if silent else ""))
    return counts, wrong


def norm(text) -> str:
    return unicodedata.normalize("NFKC", text or "").replace(" ", "")


def field_checks(gold: dict, record: dict) -> list[tuple[str, bool]]:
    """(field, right?) as score.py judges them."""
    checks = []
    agency = gold.get("agency", {})
    name = (record.get("agency") or {}).get("name")
    if agency.get("name") is not None:
        want, got = norm(agency["name"]), norm(name)
        checks.append(("agency", name is not None and (want in got or got in want) and len(got) >= 2))
    for bad in agency.get("must_not_contain", []):
        checks.append((f"agency!~{bad}", not (name and bad in name)))
    if "tampered" in agency:
        checks.append(("tampered", bool((record.get("agency") or {}).get("tampered")) == agency["tampered"]))
    for key in ("year", "template", "published"):
        if key in gold:
            if gold[key] is None:
                checks.append((key, record.get(key) in (None, "")))
            else:
                checks.append((key, str(record.get(key)) == str(gold[key])))
    return checks


def score_verdicts(gold: dict, record: dict) -> tuple[collections.Counter, list[str]]:
    counts, notes = collections.Counter(), []
    status = {c.get("rule"): c.get("status") for c in record.get("checks") or []}
    for rule, want in (gold.get("expect_checks") or {}).items():
        got = status.get(rule)
        counts["total"] += 1
        if got == want:
            counts["as gold"] += 1
            continue
        if got == "fail" and want == "pass":
            counts["false fail"] += 1
            notes.append(f"FALSE FAIL {rule}: gold pass, record fail")
        elif want == "fail":
            counts["missing"] += 1
            notes.append(f"missing verdict {rule}: gold fail, record {got}")
        else:
            notes.append(f"{rule}: gold {want}, record {got}")
    return counts, notes


def reports(set_names: list[str], extras: list[tuple[str, str]]):
    """(report path, shown path, gold) for every gold file whose report exists."""
    folders = [SETS[name] for name in set_names] + [(Path(raw), Path(gold)) for raw, gold in extras]
    for raw_dir, gold_dir in folders:
        for gold_file in sorted(gold_dir.glob("*.json")):
            gold = json.loads(gold_file.read_text(encoding="utf-8"))
            path = raw_dir / gold["file"]
            if not path.is_file():
                print(f"skipped {gold_file}: report {path} not found")
                continue
            try:
                shown = str(path.resolve().relative_to(ROOT))
            except ValueError:
                shown = str(path)
            yield path, shown, gold


def percent(part: int, whole: int) -> str:
    return f"{part / whole:.1%}" if whole else "n/a"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Reading accuracy on reports with hand-checked gold.")
    parser.add_argument("--set", default="seeds,corpus", help="comma list of: " + ", ".join(SETS))
    parser.add_argument("--extra", nargs=2, action="append", default=[], metavar=("RAW_DIR", "GOLD_DIR"))
    parser.add_argument("--json", metavar="OUT", help="write the totals as JSON")
    parser.add_argument("-v", action="store_true", help="list every wrong cell")
    args = parser.parse_args(argv)
    set_names = [name for name in args.set.split(",") if name]
    for name in set_names:
        if name not in SETS:
            parser.error(f"unknown set {name!r}; choose from {', '.join(SETS)}")

    cell_total, field_total, verdict_total = collections.Counter(), collections.Counter(), collections.Counter()
    count = crashed = 0
    cpu = 0.0
    by_format: dict[str, list[float]] = collections.defaultdict(lambda: [0.0, 0, 0])  # CPU s, reports, PDF pages
    for path, shown, gold in reports(set_names, args.extra):
        started = time.process_time()
        try:
            record = parse_and_check(path, shown).to_json()  # judged as the JSON it publishes
        except Exception:
            crashed += 1
            print(f"{shown}: PARSER CRASHED")
            traceback.print_exc(file=sys.stdout)
            continue
        spent = time.process_time() - started
        cpu += spent
        count += 1
        timing = by_format[record["source"]["format"] or "unread"]
        timing[0] += spent
        timing[1] += 1
        timing[2] += max((entry.get("page", 0) for entry in record["provenance"].values()), default=0)

        cell_counts, wrong = score_cells(gold, record)
        fields = field_checks(gold, record)
        fields_wrong = [name for name, right in fields if not right]
        verdicts, verdict_notes = score_verdicts(gold, record)
        cell_total.update(cell_counts)
        field_total.update(total=len(fields), right=len(fields) - len(fields_wrong))
        verdict_total.update(verdicts)

        print(f"{path.name:32s} cells {cell_counts['exact']:4d}/{cell_counts['total']:<4d} exact, "
              f"{cell_counts['null with a problem']:3d} null with a problem, {cell_counts['wrong']:3d} wrong, "
              f"{cell_counts['silent']:3d} silent; fields wrong {fields_wrong or 'none'}; "
              f"verdicts {verdicts['as gold']}/{verdicts['total']}")
        for line in wrong:
            if args.v or "SILENT" in line:
                print(f"    {line}")
        for note in verdict_notes:
            print(f"    {note}")

    totals = {
        "reports": count,
        "crashed": crashed,
        "cells": cell_total["total"],
        "cells_exact": cell_total["exact"],
        "cells_null_with_problem": cell_total["null with a problem"],
        "cells_wrong": cell_total["wrong"],
        "cells_silent": cell_total["silent"],
        "fields": field_total["total"],
        "fields_right": field_total["right"],
        "verdicts": verdict_total["total"],
        "verdicts_as_gold": verdict_total["as gold"],
        "verdicts_false_fail": verdict_total["false fail"],
        "verdicts_missing": verdict_total["missing"],
        "cpu_seconds_per_report": round(cpu / count, 4) if count else None,
    }
    print(f"TOTAL {count} reports: cells {totals['cells_exact']}/{totals['cells']} exact "
          f"({percent(totals['cells_exact'], totals['cells'])}), "
          f"{totals['cells_null_with_problem']} null with a problem, {totals['cells_wrong']} wrong, "
          f"{totals['cells_silent']} silent; fields {totals['fields_right']}/{totals['fields']}; "
          f"verdicts {totals['verdicts_as_gold']}/{totals['verdicts']} as gold, "
          f"{totals['verdicts_false_fail']} false fail; "
          f"{cpu / count if count else 0:.3f} s CPU per report")
    for fmt, (spent, reports_read, pages) in sorted(by_format.items()):
        per_page = f", {spent / pages:.3f} s per page ({pages} pages up to the last figure)" if pages else ""
        print(f"  {fmt}: {reports_read} reports, {spent / reports_read:.3f} s CPU per report{per_page}")
    if totals["verdicts_false_fail"]:
        print(f"!!! {totals['verdicts_false_fail']} FALSE FAIL verdict(s): the record blames the publisher where gold says pass")
    if totals["verdicts_missing"]:
        print(f"{totals['verdicts_missing']} missing verdict(s): gold says fail, the record does not")
    if crashed:
        print(f"!!! the parser crashed on {crashed} report(s); see the tracebacks above")
    if args.json:
        Path(args.json).write_text(json.dumps(totals, indent=1) + "\n", encoding="utf-8")
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
