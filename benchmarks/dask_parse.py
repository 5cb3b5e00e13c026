"""gxsite's parse stage run by Dask, and checked against gxsite's own run of it.

    python benchmarks/dask_parse.py                      # a generated corpus of 2,000 reports
    python benchmarks/dask_parse.py DIR                  # an existing folder of reports
    python benchmarks/dask_parse.py DIR --scheduler tcp://HOST:8786

Stage 1 of a build is a map: each report file becomes one record, a pure function of
the file's bytes and its shown path (gxsite.file_records.parse_and_check), followed by the
corpus checks over all records (gxsite.checks.run_corpus), which need every record and
run where the records are gathered. This script hands the map to Dask as it is —
dask.bag over the sorted file list, 16 files to a partition, calling parse_and_check
unchanged — gathers the records, runs the corpus checks, and compares the result with
gxsite's own stage 1 (gxsite.build.read_reports, its process pool, no cache) over the
same folder: the JSON gxsite writes for every record (jsonio.dumps), in the build's
order, usable records and unread files alike. It prints the number of files and
records, the seconds each took (listing, parse, checks and corpus checks on both sides;
starting the Dask cluster and importing gxsite in its workers is shown apart) and "identical: yes" or "no" (exit 1).

Dask is a benchmark-only dependency: benchmarks/requirements.txt pins it (make bench
installs it into .venv). gxsite itself neither imports nor needs it.

On a cluster
------------
Without --scheduler the script starts a LocalCluster of --workers worker processes
(default 2) on this machine. With --scheduler it connects to a running Dask scheduler
instead and the same map runs on that cluster's workers, unchanged:

    # on the scheduler machine
    dask scheduler                                   # listens on tcp://HOST:8786
    # on each worker machine (one process per core; threads would share one interpreter)
    dask worker tcp://HOST:8786 --nworkers auto --nthreads 1
    # anywhere that sees the reports
    python benchmarks/dask_parse.py /shared/reports --scheduler tcp://HOST:8786

Two things must hold on every worker, and the script checks both before it starts:
- the reports folder is at the same path (a shared file system: NFS, a mounted bucket),
  since parse_and_check reads the file by its path; the shown path is computed here, so
  records name the file as a local build would;
- the same gxsite, at the same pinned dependencies, is importable (install this checkout
  with `pip install -r requirements.lock && pip install --no-deps -e .`, or use one image
  for the client and the workers). Each worker's gxsite.version.code_version() is
  compared with this process's; a difference is printed, and the records will say no.
gxsite's own run, for the comparison, is always on this machine.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import argparse  # noqa: E402
import gc  # noqa: E402
import importlib  # noqa: E402
import os  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402

from gxsite import checks, jsonio  # noqa: E402
from gxsite.build import read_reports  # noqa: E402
from gxsite.file_records import parse_and_check  # noqa: E402
from gxsite.reading.listing import report_files, shown_path  # noqa: E402
from gxsite.parallel import bounded  # noqa: E402
from gxsite.version import code_version  # noqa: E402

# Files per Dask partition (one task): as gxsite's own pool batches them, so that the
# scheduler's cost per task is paid every 16 files, not every file.
PARTITION = 16


def dask_stage(client, reports_dir: Path) -> tuple[int, list[dict], list[dict]]:
    """(files, usable records, unread records) as read_reports gives them, the map run by Dask."""
    import dask.bag

    files = report_files(reports_dir)
    tasks = [(path, shown_path(reports_dir, path)) for path in files]
    bag = dask.bag.from_sequence(tasks, partition_size=PARTITION).starmap(parse_and_check)
    gathered = client.compute(bag).result()
    records = [r for r in gathered if r.usable]
    unread = [r for r in gathered if not r.usable]
    checks.run_corpus(records)  # the reduce: needs every record, runs where they are gathered
    return len(files), records, unread


def prepare_workers(client, reports_dir: Path) -> None:
    """Stop if a worker cannot see the reports; say so if a worker runs other gxsite code.
    Each worker imports gxsite.file_records here, before the clock starts (1.5 s a process on this
    machine), as gxsite's own pool forks its workers from a process that has imported it.
    (A LocalCluster's workers have already imported it: they load this script on start;
    workers started by `dask worker` have not.)"""
    client.run(importlib.import_module, "gxsite.file_records")
    blind = [worker for worker, seen in client.run(os.path.isdir, str(reports_dir)).items() if not seen]
    if blind:
        sys.exit(f"distributed.py: {len(blind)} worker(s) cannot see {reports_dir} ({blind[0]} …): "
                 "the reports must be at the same path on every worker")
    mine = code_version()
    other = {v for v in client.run(code_version).values() if v != mine}
    if other:
        print(f"warning: workers run other gxsite code (code version {sorted(other)[0][:12]}…, "
              f"here {mine[:12]}…)", file=sys.stderr)


def encoded(records: list) -> list[bytes]:
    return [jsonio.dumps(r.to_json()) for r in records]


def first_difference(mine: list[bytes], theirs: list[bytes]) -> str:
    for index, (a, b) in enumerate(zip(mine, theirs)):
        if a != b:
            return f"record {index + 1} ({jsonio.loads(a)['source']['path']}) differs"
    return f"{len(mine)} records against {len(theirs)}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("reports", nargs="?", type=Path,
                        help="folder of reports (default: benchmarks/out/corpus-SIZE, generated if missing)")
    parser.add_argument("--size", type=int, default=2000, help="reports in the generated corpus (default 2000)")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="a running Dask scheduler (tcp://HOST:8786); default: a LocalCluster on this machine")
    parser.add_argument("--workers", type=int, default=2,
                        help="worker processes of the LocalCluster, and of gxsite's own pool (default 2)")
    args = parser.parse_args(argv)

    reports_dir = args.reports or ROOT / "benchmarks" / "out" / f"corpus-{args.size}"
    if args.reports is None and not reports_dir.is_dir():
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "make_corpus.py"), str(args.size), str(reports_dir)], check=True)
    if not reports_dir.is_dir():
        parser.error(f"no folder {reports_dir}")
    reports_dir = reports_dir.resolve()
    # Every file read once before either side is timed: neither pays for the disk.
    for path in report_files(reports_dir):
        path.read_bytes()

    started = time.perf_counter()
    own = read_reports(reports_dir, cache=None, workers=args.workers)
    own_seconds = time.perf_counter() - started
    # Only the JSON is kept, so that Dask's run does not carry gxsite's records: held as
    # objects, every garbage collection walks them (unpickling Dask's 2,000 records, 18 MB,
    # took 0.9 s with them held, 0.6 s without).
    theirs = encoded(own.records) + encoded(own.unread)
    own_files, own_usable, own_unread = own.files, len(own.records), len(own.unread)
    del own
    gc.collect()

    from distributed import Client, LocalCluster

    started = time.perf_counter()
    if args.scheduler:
        cluster, client = None, Client(args.scheduler)
    else:
        cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    try:
        prepare_workers(client, reports_dir)
        workers = len(client.scheduler_info()["workers"])
        startup = time.perf_counter() - started
        started = time.perf_counter()
        files, records, unread = dask_stage(client, reports_dir)
        dask_seconds = time.perf_counter() - started
    finally:
        client.close()
        if cluster is not None:
            cluster.close()

    mine = encoded(records) + encoded(unread)
    identical = mine == theirs
    # every file listed is one record, and Dask's list is gxsite's (a FIFO or a link out of the
    # folder, which gxsite lists as unread without opening it, is not in report_files)
    accounted = files == len(records) + len(unread) == own_files
    where = f"scheduler {args.scheduler}" if args.scheduler else "LocalCluster"
    print(f"folder: {reports_dir}")
    print(f"files: {files} (gxsite's listing: {own_files})")
    print(f"records: {len(records) + len(unread)} ({len(records)} usable, {len(unread)} unread; "
          f"gxsite: {own_usable} usable, {own_unread} unread)")
    print(f"dask: {dask_seconds:.2f} s ({workers} workers, {where}; starting it took {startup:.2f} s more)")
    print(f"gxsite's own pool: {own_seconds:.2f} s ({bounded(args.workers)} workers)")
    print(f"every file accounted for: {'yes' if accounted else 'no'}")
    print(f"identical: {'yes' if identical and accounted else 'no'}")
    if not identical:
        print(f"  first difference: {first_difference(mine, theirs)}")
    return 0 if identical and accounted else 1


if __name__ == "__main__":
    sys.exit(main())
