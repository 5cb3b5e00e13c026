"""What each optimisation the build keeps buys: full builds of one corpus with each switched off.

    python benchmarks/kept.py --corpus /tmp/c10k          # 10,000 reports: about 6 minutes
    python benchmarks/kept.py --corpus DIR --rounds 2     # each variant twice, interleaved

Issue 16 keeps an optimisation only if it saves at least 15% of the full 10,000-report build.
Each variant is one full build from an empty cache in its own process (as `gxsite build`),
with one thing changed in that process only; the package is not edited:

- as built: the build as it is;
- no deferred parts: each page's tables, charts and findings go through Python-Markdown
  inside the page (blocks.detach_deferred leaves them in place), as MkDocs would convert
  any page;
- no collector freeze: Python's cyclic garbage collector runs over the records
  (collector.paused and collector.frozen do nothing);
- one MkDocs build: MkDocs in one process (mkdocs_site.run_mkdocs never splits the pages
  over the workers), parsing and rendering still over all cores;
- one process: `--jobs 1`, no worker processes at all.

The variants run interleaved (as built, then each other, then again with --rounds 2), so a
machine that slows down during the run slows all of them. It prints the wall time of each
stage and the difference from "as built".
"""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VARIANTS = ["as built", "no deferred parts", "no collector freeze", "one MkDocs build", "one process"]


def _switch_off(variant: str) -> int | None:
    """Change this process for `variant`; returns the workers to build with."""
    from gxsite import collector
    from gxsite.site import blocks, mkdocs_site

    if variant == "no deferred parts":
        def inline(page: str) -> tuple[str, list[str]]:
            return page.replace("<!--gx-part-->", "").replace("<!--/gx-part-->", ""), []
        blocks.detach_deferred = inline
    elif variant == "no collector freeze":
        collector.paused = contextlib.nullcontext
        collector.frozen = contextlib.nullcontext
    elif variant == "one MkDocs build":
        mkdocs_site.SHARD_PAGES = 10**12
    elif variant == "one process":
        return 1
    return None


def one_build(variant: str, corpus: Path, work: Path) -> dict:
    sys.path.insert(0, str(ROOT))
    workers = _switch_off(variant)
    from gxsite.build import build
    from gxsite.progress import Progress

    started = time.perf_counter()
    result = build(corpus, work / "content", work / "site", ROOT / "mkdocs.yml", cache_dir=work / "cache",
                   workers=workers, progress=Progress(quiet=True))
    return {"wall": time.perf_counter() - started, **result.timings}


def run(variant: str, corpus: Path, work: Path) -> dict:
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, __file__, "--one", variant, str(corpus), str(work)],
                          check=True, capture_output=True, text=True)
    measured = json.loads(done.stdout.strip().splitlines()[-1])
    measured["process"] = time.perf_counter() - started
    return measured


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, help="a folder of reports (benchmarks/make_corpus.py makes one)")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--only", nargs="+", choices=VARIANTS[1:], help="measure only these beside the build as it is")
    parser.add_argument("--work", type=Path, default=ROOT / "benchmarks" / "out" / "kept")
    parser.add_argument("--one", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        variant, corpus, work = args.one
        print(json.dumps(one_build(variant, Path(corpus), Path(work))))
        return 0
    if not args.corpus:
        parser.error("--corpus is required")
    variants = ["as built", *(args.only or VARIANTS[1:])]
    results: dict[str, list[dict]] = {variant: [] for variant in variants}
    for _ in range(args.rounds):
        for variant in variants:
            results[variant].append(run(variant, args.corpus, args.work))
            last = results[variant][-1]
            print(f"{variant:20} {last['process']:6.1f} s (read+parse+check {last['parse']:.1f}, "
                  f"render {last['render']:.1f}, MkDocs {last['mkdocs']:.1f})", flush=True)
    base = sum(r["process"] for r in results["as built"]) / args.rounds
    print(f"\nas built: {base:.1f} s, the mean of {args.rounds}")
    for variant in variants[1:]:
        mean = sum(r["process"] for r in results[variant]) / args.rounds
        print(f"{variant:20} {mean:6.1f} s: switching it off costs {mean - base:+.1f} s "
              f"({100 * (mean - base) / base:+.0f}% of the full build)")
    shutil.rmtree(args.work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
