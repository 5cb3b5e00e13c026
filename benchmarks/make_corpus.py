"""Write N realistic synthetic reports into DIR: `python benchmarks/make_corpus.py N DIR [--truth FILE]`.

About N/4 agencies with four consecutive years each (carry-over chained between
years, as real series mostly are), both templates, every layout the parser reads,
some GBK/GB18030/UTF-16/BOM files, some in traditional characters, some hacked
with spam, some writing numbers every way reports do (无, —, 1,234, full-width), a few
with garbled figures (`0?`), a few deliberately inconsistent and a few unreadable (empty, binary,
a page that is not a report). The same N always gives the same files.

`--truth FILE` writes the ground truth, one JSON object per file (JSON Lines),
for measuring the parser against the corpus.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import synthetic  # noqa: E402

# Shares of the corpus; the rest is UTF-8, simplified, clean, consistent.
LAYOUT_WEIGHTS = {"html": 40, "pipe": 12, "cell-lines": 15, "pipe-lines": 8, "markdown": 10, "flattened": 10, "crawler": 5}
ENCODING_WEIGHTS = {"utf-8": 75, "gbk": 12, "gb18030": 3, "utf-8-sig": 6, "utf-16": 4}
TRADITIONAL = 0.05
SPAM = 0.05
NOISY = 0.2         # 无/—// for zeros, thousands separators, full-width digits
STRAY = 0.03        # seed 002's stray cells
GARBLED = 0.03      # seed 000's `0?`
INCONSISTENT = 0.02
BROKEN_CHAIN = 0.1   # a year whose 上年结转 does not follow last year's 结转下年度
UNREADABLE = 0.01
YEARS_PER_AGENCY = 4

NOT_A_REPORT = (
    "<html><head><meta charset=\"utf-8\"><title>页面不存在</title></head>"
    "<body><h1>404</h1><p>您访问的页面不存在或已被删除，请返回首页。</p></body></html>"
)


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), list(weights.values()))[0]


def _unreadable(rng: random.Random) -> tuple[bytes, str, str]:
    """(bytes, extension, reason) of a file that yields no report."""
    kind = rng.choice(["empty", "binary", "not-a-report"])
    if kind == "empty":
        return b"", ".txt", kind
    if kind == "binary":
        return bytes(rng.randrange(256) for _ in range(2048)), ".txt", kind
    return NOT_A_REPORT.encode("utf-8"), ".html", kind


def _one_report(rng: random.Random, name: str, year: int, carried: list[int] | None):
    """(bytes, extension, truth, next year's carry-over) of one rendered report."""
    inconsistent = rng.random() < INCONSISTENT
    record = synthetic.make_report(
        rng, synthetic.template_for(year), year, name,
        carried_over=carried, published=None if rng.random() < 0.05 else "", inconsistent=inconsistent,
    )
    layout = _pick(rng, LAYOUT_WEIGHTS)
    encoding = _pick(rng, ENCODING_WEIGHTS)
    traditional = rng.random() < TRADITIONAL and synthetic.traditional_safe(name)
    spam = rng.choice(synthetic.SPAM_KINDS) if rng.random() < SPAM else None
    noisy = rng.random() < NOISY
    stray = rng.random() < STRAY and layout != "markdown"
    garbled = sorted(rng.sample([f"requests.{key}[{i}]" for key in record["requests"] for i in range(7)], 2)) if rng.random() < GARBLED else []
    data = synthetic.render(
        record, layout, encoding=encoding, traditional=traditional, spam=spam,
        seed=rng.randrange(2**32), split_tables=rng.random() < 0.3, noisy=noisy, stray=stray, garbled=set(garbled),
    )
    ext = ".html" if layout == "html" and rng.random() < 0.8 else ".txt"
    truth = synthetic.expected(record, spam=spam)
    truth["rendering"] = {"layout": layout, "encoding": encoding, "traditional": traditional,
                          "spam": spam, "inconsistent": inconsistent, "noisy": noisy, "stray": stray,
                          "garbled": garbled}
    return data, ext, truth, record["requests"]["carried_forward"]


def make_corpus(n: int, folder: Path, truth_path: Path | None = None) -> int:
    """Write n files into folder; returns the number written."""
    rng = random.Random(f"gxsite-corpus-{n}")
    folder.mkdir(parents=True, exist_ok=True)
    agencies = synthetic.agency_names(rng, max(1, -(-n // YEARS_PER_AGENCY)))
    truths = []
    written = 0
    for a, name in enumerate(agencies):
        first = rng.choice([2019, 2020, 2021])
        carried = None
        for year in range(first, first + YEARS_PER_AGENCY):
            if written == n:
                break
            stem = f"{written:05d}_a{a:04d}_{year}"
            if rng.random() < UNREADABLE:
                data, ext, reason = _unreadable(rng)
                truth = {"unreadable": reason}
                carried = None
            else:
                chained = carried if rng.random() >= BROKEN_CHAIN else None
                data, ext, truth, carried = _one_report(rng, name, year, chained)
            (folder / (stem + ext)).write_bytes(data)
            truth["file"] = stem + ext
            truths.append(truth)
            written += 1
    if truth_path:
        with truth_path.open("w", encoding="utf-8") as out:
            for truth in truths:
                out.write(json.dumps(truth, ensure_ascii=False, sort_keys=True) + "\n")
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of files to write")
    parser.add_argument("dir", type=Path, help="folder to write them into")
    parser.add_argument("--truth", type=Path, help="write the ground truth here (JSON Lines)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    count = make_corpus(args.n, args.dir, args.truth)
    print(f"wrote {count} reports to {args.dir} in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
