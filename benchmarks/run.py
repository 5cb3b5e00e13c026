"""Build a generated corpus from scratch and print where the time, memory and bytes go.

    python benchmarks/run.py                     # N = 1,000 and 10,000
    python benchmarks/run.py --sizes 200         # a quick run
    python benchmarks/run.py --sizes 100000 --repeat 1   # national scale: about 15 minutes here
    python benchmarks/run.py --corpus DIR        # an existing folder of reports instead

For each N: a full `gxsite build` from an empty cache, the median of --repeat runs (wall time per stage:
read+parse+check, render content/, MkDocs; reports per second; peak memory),
the site's size, search index size, median and largest agency page, then a
rebuild with nothing changed and a rebuild after one report changed, and then each figure
beside the bound issue 19 sets (what static hosts accept, what a phone should load). Each build
runs in its own process, as `gxsite build` would, so peak memory and import time
are those of a real build. The corpus comes from benchmarks/make_corpus.py.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"


def make_corpus(n: int, folder: Path) -> Path:
    if folder.is_dir() and any(folder.iterdir()):
        return folder
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "make_corpus.py"), str(n), str(folder)], check=True)
    return folder


def one_build(corpus: Path, work: Path) -> dict:
    """Runs in a child process: one build, its timings and peak memory as JSON."""
    sys.path.insert(0, str(ROOT))
    from gxsite.build import build
    from gxsite.progress import Progress

    result = build(corpus, work / "content", work / "site", ROOT / "mkdocs.yml", cache_dir=work / "cache",
                   progress=Progress(quiet=True))
    return {
        "files": result.files, "records": len(result.records), "unread": len(result.unread),
        "parsed": result.parsed, "written": len(result.written), "mkdocs_ran": result.mkdocs_ran,
        "agencies_rendered": result.agencies_rendered,
        "rendered": result.rendered,
        "timings": result.timings,
        # ru_maxrss is in KiB on Linux; children = the parser worker processes.
        "peak_main_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "peak_worker_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


def run_child(corpus: Path, work: Path) -> dict:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, __file__, "--one", str(corpus), str(work)],
                          check=True, capture_output=True, text=True)
    measured = json.loads(done.stdout.strip().splitlines()[-1])
    measured["wall"] = time.perf_counter() - started
    return measured


def change_one_report(corpus: Path) -> Path:
    """Edit one figure of one report (the middle one): a real change, not just a touch."""
    files = sorted(p for p in corpus.rglob("*") if p.is_file() and p.suffix in (".txt", ".html", ".htm"))
    for path in files[len(files) // 2:] + files[:len(files) // 2]:
        data = path.read_bytes()
        match = re.search(rb"(\xe6\x9c\xac\xe5\xb9\xb4\xe6\x96\xb0\xe6\x94\xb6[^0-9]*?)(\d+)", data)  # 本年新收 … n
        if match:
            bumped = str(int(match.group(2)) + 1).encode()
            path.write_bytes(data[:match.start(2)] + bumped + data[match.end(2):])
            return path
    files[0].write_bytes(files[0].read_bytes() + b"\n")
    return files[0]


def cpu_reference() -> float:
    """Seconds for a fixed pure-Python loop, run before each size: this machine's
    speed varies from hour to hour (a shared VM), so figures from different runs
    compare only together with this one."""
    started = time.perf_counter()
    total = 0
    for i in range(10_000_000):
        total += i
    return time.perf_counter() - started


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def one_query_bytes(site: Path) -> int:
    """An upper bound of what one search loads from site/pagefind/ (the browser test measures
    real queries): the interface, the search code and its WebAssembly, the entry and metadata
    files, the largest index chunk, and the five largest result fragments."""
    bundle = site / "pagefind"
    if not bundle.is_dir():
        return 0
    fixed = sum(p.stat().st_size for p in bundle.iterdir() if p.is_file() and (
        p.name in ("pagefind-ui.js", "pagefind-ui.css", "pagefind.js", "pagefind-entry.json")
        or p.name.startswith("wasm.") or p.suffix == ".pf_meta"))
    chunks = sorted((p.stat().st_size for p in (bundle / "index").iterdir()), reverse=True)
    fragments = sorted((p.stat().st_size for p in (bundle / "fragment").iterdir()), reverse=True)
    return fixed + sum(chunks[:1]) + sum(fragments[:5])


def site_sizes(site: Path) -> dict:
    pages = sorted(p.stat().st_size for p in (site / "agencies").glob("*/index.html"))
    files = [p for p in site.rglob("*") if p.is_file()]
    largest = max(files, key=lambda p: p.stat().st_size)
    index = site / "search" / "search_index.json"  # MkDocs' search plugin, before Pagefind
    return {
        "site_mb": sum(p.stat().st_size for p in files) / 1e6,
        "files": len(files),
        "largest_file": f"{largest.relative_to(site)} {largest.stat().st_size / 1e6:.1f} MB",
        "home_kb": (site / "index.html").stat().st_size / 1e3,
        "search_index_mb": index.stat().st_size / 1e6 if index.is_file() else 0.0,
        "one_query_kb": (one_query_bytes(site) or (index.stat().st_size if index.is_file() else 0)) / 1e3,
        "agency_pages": len(pages),
        "median_page_kb": statistics.median(pages) / 1e3 if pages else 0.0,
        "largest_page_kb": pages[-1] / 1e3 if pages else 0.0,
    }


def full_builds(corpus: Path, work: Path, repeat: int) -> tuple[dict, list[float]]:
    """`repeat` full builds from an empty cache: the one with the median wall time, and every wall time.
    Before each, the previous build's output is deleted and the disk settled (os.sync), so no
    build pays for its predecessor's deletion."""
    runs = []
    for _ in range(repeat):
        for name in ("content", "site", "cache"):
            shutil.rmtree(work / name, ignore_errors=True)
        os.sync()
        runs.append(run_child(corpus, work))
    walls = [run["wall"] for run in runs]
    median = sorted(runs, key=lambda run: run["wall"])[len(runs) // 2]
    return median, walls


def bench(n: int, corpus: Path, work: Path, repeat: int = 1) -> list[str]:
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    # A copy, so editing one report for the rebuild leaves the corpus as generated.
    corpus = Path(shutil.copytree(corpus, work / "raw_reports"))
    files = sum(1 for p in corpus.rglob("*") if p.is_file())
    reference = cpu_reference()
    # The rebuilds below start from the last build's output: every full build writes the same.
    full, walls = full_builds(corpus, work, repeat)
    sizes = site_sizes(work / "site")
    same = run_child(corpus, work)
    changed_file = change_one_report(corpus)
    one = run_child(corpus, work)
    t = full["timings"]
    lines = [
        f"N = {n:,} ({files:,} files, corpus {folder_bytes(corpus) / 1e6:.0f} MB: {corpus}; "
        f"CPU reference loop {reference:.2f} s, lower is a faster machine)",
        f"  full build from an empty cache: {full['wall']:.1f} s wall "
        f"({t['parse']:.1f} s read+parse+check, {t['render']:.1f} s render content/, "
        f"{t['mkdocs']:.1f} s MkDocs and the search index, "
        f"{full['wall'] - t['total']:.1f} s start-up)"
        + (f"; the median of {repeat} builds: {', '.join(f'{w:.1f}' for w in walls)} s" if repeat > 1 else ""),
        f"  read+parse+check: {files / t['parse']:.0f} reports/s; whole build: {files / full['wall']:.0f} reports/s",
        f"  records {full['records']:,}, unread {full['unread']:,}; peak memory: build process "
        f"{full['peak_main_mb']:.0f} MB, largest worker {full['peak_worker_mb']:.0f} MB (Linux counts a forked "
        f"worker's peak from its parent's size at fork)",
        f"  site {sizes['site_mb']:.1f} MB in {sizes['files']:,} files, largest file {sizes['largest_file']}, "
        f"home page {sizes['home_kb']:.0f} KB, one search loads at most {sizes['one_query_kb']:.0f} KB; "
        f"{sizes['agency_pages']:,} agency pages: median {sizes['median_page_kb']:.1f} KB, "
        f"largest {sizes['largest_page_kb']:.1f} KB",
        f"  rebuild, nothing changed: {same['wall']:.1f} s (parsed {same['parsed']}, "
        f"render {'ran' if same['rendered'] else 'skipped'}, wrote {same['written']}, "
        f"MkDocs {'ran' if same['mkdocs_ran'] else 'skipped'})",
        f"  rebuild, one report changed ({changed_file.name}): {one['wall']:.1f} s = "
        f"{100 * one['wall'] / full['wall']:.0f}% of full (parsed {one['parsed']}, rendered "
        f"{one['agencies_rendered']} agencies, wrote {one['written']} files, "
        f"render {one['timings'].get('render', 0.0):.1f} s, MkDocs {one['timings'].get('mkdocs', 0.0):.1f} s)",
    ]
    return lines + limits(n, full, sizes, one)


# Issue 19's bounds: what GitHub Pages and GitLab Pages accept (1 GB, 200,000 files, no file
# over 100 MB in git) and what a reader's phone should download; (figure, bound, unit) by N.
def limits(n: int, full: dict, sizes: dict, one: dict) -> list[str]:
    peak = max(full["peak_main_mb"], full["peak_worker_mb"]) / 1000
    largest = float(sizes["largest_file"].rsplit(" ", 2)[1])
    bounds = [
        ("site size", sizes["site_mb"], 1000 if n > 10_000 else 250, "MB"),
        ("files", sizes["files"], 200_000, ""),
        ("largest file", largest, 100, "MB"),
        ("home page", sizes["home_kb"], 200, "KB"),
        ("largest agency page", sizes["largest_page_kb"], 60, "KB"),
        ("one search loads", sizes["one_query_kb"], 500, "KB"),
        ("peak memory (largest process)", peak, 4, "GB"),
        ("full build", full["wall"], 360, "s"),
        ("rebuild after one report changed", 100 * one["wall"] / full["wall"], 5, "% of full"),
    ]
    return [f"  {'within' if figure <= bound else 'OVER  '} {name}: "
            f"{f'{figure:,.0f}' if isinstance(figure, int) else f'{figure:,.1f}'} {unit} (bound {bound:,} {unit})".rstrip()
            for name, figure, bound, unit in bounds]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated N (default: 1000,10000)")
    parser.add_argument("--corpus", type=Path, help="use this folder of reports (one size) instead of generating")
    parser.add_argument("--repeat", type=int, default=3,
                        help="full builds per size, the median one reported (default: 3; the machine's speed varies)")
    parser.add_argument("--one", nargs=2, type=Path, metavar=("CORPUS", "WORK"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(one_build(*args.one)))
        return 0
    if args.corpus:
        runs = [(sum(1 for p in args.corpus.rglob("*") if p.is_file()), args.corpus)]
    else:
        runs = [(n, make_corpus(n, OUT / f"corpus-{n}")) for n in (int(s) for s in args.sizes.split(","))]
    for n, corpus in runs:
        for line in bench(n, corpus, OUT / f"build-{n}", args.repeat):
            print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
