"""Parser accuracy on a corpus with ground truth: `python benchmarks/parse_accuracy.py DIR TRUTH.jsonl`.

Make the corpus with `python benchmarks/make_corpus.py N DIR --truth TRUTH.jsonl`. Every
printed cell is counted as exact, null with a problem (a visible failure to read), or
wrong (a silent error: what the bar says must never happen). Also counts metadata
mismatches, narrative figures and CPU time per report.
"""

from __future__ import annotations

import collections
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gxsite.parsing import parse_file  # noqa: E402
from gxsite.checks.rulekit import value as cell_value  # noqa: E402
from gxsite.checks.corpus import figures  # noqa: E402


def main(folder: Path, truth_file: Path) -> None:
    truths = [json.loads(line) for line in truth_file.read_text(encoding="utf-8").splitlines()]
    cells, meta, narrative = collections.Counter(), collections.Counter(), collections.Counter()
    examples = []
    started = time.process_time()
    for truth in truths:
        record = parse_file(folder / truth["file"], truth["file"]).to_json()
        flagged = {p["where"] for p in record["problems"]}
        if "requests" not in truth:  # a file that is not a report: it must say why
            cells["unreadable files"] += 1
            cells["unreadable files with a reason"] += any(p["where"] == "report" for p in record["problems"])
            continue
        for path, value in figures(truth).items():
            table, got = path.split(".", 1)[0], cell_value(record, path)
            if got == value:
                cells[f"{table}: exact"] += 1
            elif got is None and (path in flagged or table in flagged):
                cells[f"{table}: null with a problem"] += 1
            else:
                cells[f"{table}: WRONG"] += 1
                examples.append((truth["file"], path, got, value))
        for key in ("year", "published", "template"):
            if key in truth and record[key] != truth[key]:
                meta[key] += 1
                examples.append((truth["file"], key, record[key], truth[key]))
        if "agency" in truth:
            for key in ("name", "tampered"):
                if record["agency"][key] != truth["agency"][key]:
                    meta[f"agency.{key}"] += 1
                    examples.append((truth["file"], key, record["agency"][key], truth["agency"][key]))
        for key, value in (truth.get("narrative") or {}).items():
            got = record["narrative"].get(key, {}).get("value")
            narrative["same" if got == value else ("missing" if got is None else "different")] += 1
    elapsed = time.process_time() - started
    for name, count in sorted(cells.items()):
        print(f"{name}: {count}")
    print(f"metadata mismatches: {dict(meta) or 'none'}")
    print(f"narrative figures: {dict(narrative)}")
    for example in examples[:20]:
        print("  ", example)
    print(f"{elapsed / len(truths) * 1000:.2f} ms CPU per report ({len(truths)} files)")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
