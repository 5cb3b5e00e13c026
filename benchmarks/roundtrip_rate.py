"""How well the parser reads synthetic reports: `python benchmarks/roundtrip_rate.py [K]`.

For each layout, K random reports (seeded, so runs compare) are rendered and parsed;
prints the share that round-trip exactly, the share of figure cells exact / null /
wrong (a wrong cell is a silent error unless a check catches it), and for the
flattened layout how many cells the template's arithmetic could recover at all.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gxsite.parsing import flattened
import synthetic  # noqa: E402
from gxsite.parsing import parse_file  # noqa: E402

VARIANTS = [(layout, {}) for layout in synthetic.LAYOUTS] + [
    ("pipe", {"encoding": "gbk"}), ("html", {"encoding": "utf-16"}), ("cell-lines", {"traditional": True}),
    ("pipe", {"spam": "chigua"}), ("html", {"spam": "bet36"}), ("cell-lines", {"spam": "libo"}),
    ("markdown", {"split_tables": True}),
] + [(layout, {"noisy": True}) for layout in synthetic.LAYOUTS] + [
    (layout, {"stray": True}) for layout in ("html", "pipe", "cell-lines", "pipe-lines")
]


def cells(record: dict):
    for key, values in record.get("requests", {}).items():
        for i, v in enumerate(values):
            yield f"requests.{key}[{i}]", v
    for key, values in record.get("reviews", {}).items():
        for i, v in enumerate(values):
            yield f"reviews.{key}[{i}]", v
    for item, fields in record.get("active", {}).items():
        for field, v in fields.items():
            yield f"active.{item}.{field}", v


def draw(seed: int) -> dict:
    rng = random.Random(seed)
    year = rng.choice([2019, 2020, 2021, 2022, 2023])
    name = synthetic.agency_names(rng, 1)[0]
    if not synthetic.traditional_safe(name):
        name = "咸宁市财政局"
    return synthetic.make_report(rng, synthetic.template_for(year), year, name)


def measure(layout: str, options: dict, k: int, folder: Path) -> dict:
    tally: Counter = Counter()
    for seed in range(k):
        record = draw(seed)
        truth = synthetic.expected(record, spam=options.get("spam"))
        path = folder / f"r{seed}.txt"
        path.write_bytes(synthetic.render(record, layout, seed=seed, **options))
        parsed = parse_file(path, path.name).to_json()
        got = dict(cells(parsed))
        exact = all(parsed.get(key) == truth[key] for key in ("year", "template", "published", "requests", "reviews", "active"))
        exact = exact and parsed["agency"]["name"] == truth["agency"]["name"]
        tally["reports"] += 1
        tally["exact"] += exact
        for path_, want in cells(truth):
            value = got.get(path_)
            tally["cells"] += 1
            tally["null" if value is None else "right" if value == want else "wrong"] += 1
        if layout == "flattened":
            runs, review = synthetic.flattened_runs(record)
            b, _ = flattened.split_requests(runs, record["template"])
            c, _ = flattened.split_reviews(review)
            determinable = [v for row in list(b.values()) + list(c.values()) for v in row]
            tally["bc_cells"] += len(determinable)
            tally["bc_determinable"] += sum(v is not None for v in determinable)
    return tally


def main() -> int:
    k = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    print(f"{'layout':34} {'exact reports':>14} {'cells right':>12} {'null':>7} {'wrong':>6}")
    with tempfile.TemporaryDirectory() as tmp:
        for layout, options in VARIANTS:
            start = time.perf_counter()
            t = measure(layout, options, k, Path(tmp))
            label = layout + (" " + ",".join(f"{a}={b}" for a, b in options.items()) if options else "")
            print(f"{label:34} {t['exact']:>6}/{t['reports']:<7} {t['right'] / t['cells']:>11.2%} "
                  f"{t['null']:>7} {t['wrong']:>6}  ({time.perf_counter() - start:.1f} s)")
            if layout == "flattened":
                print(f"{'':34} tables B+C cells the arithmetic can recover: {t['bc_determinable'] / t['bc_cells']:.2%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
