"""The build's worker processes are bounded by the machine and end with the build (issue 17 #7);
parallel.map, the one way the build runs work over them (issue 16)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from conftest import ROOT, forks_during
from gxsite import cli
from gxsite import parallel as workers


def test_jobs_beyond_the_cores_are_the_cores():
    """--jobs 100000 forked every worker at once; the build was killed for lack of memory."""
    cores = os.cpu_count() or 1
    assert workers.bounded(100_000) == cores
    assert workers.bounded(None) == cores
    assert workers.bounded(1) == 1


@pytest.mark.parametrize("jobs", ["0", "-3"])
def test_jobs_below_one_is_a_usage_error(jobs, capsys):
    with pytest.raises(SystemExit) as stop:
        cli.main(["build", "--jobs", jobs])
    assert stop.value.code == 2 and "--jobs must be 1 or more" in capsys.readouterr().err


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
        return handle.read().split()[2] != "Z"


def test_workers_end_when_the_build_is_killed(tmp_path):
    """A kill -9 of the build process left its workers running."""
    script = tmp_path / "build.py"
    script.write_text(
        "import os, sys, time\n"
        "from gxsite import parallel as workers\n"
        "def pid(_):\n"
        "    time.sleep(0.2)\n"
        "    return os.getpid()\n"
        "if __name__ == '__main__':\n"
        "    with workers.pool(2, 'fork') as pool:\n"
        "        print(*sorted(set(pool.map(pid, range(4)))), flush=True)\n"
        "        time.sleep(60)\n", encoding="utf-8")
    build = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    pids = [int(p) for p in build.stdout.readline().split()]
    assert pids and all(_alive(p) for p in pids)
    build.send_signal(signal.SIGKILL)
    build.wait()
    deadline = time.monotonic() + 10
    while any(_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(p) for p in pids)


def _numbered(batch: list[int]) -> tuple[list[int], int]:
    if batch[0] == 0:
        time.sleep(0.5)  # the first batch ends last
    return [n * 10 for n in batch], os.getpid()


TWO_CORES = pytest.mark.skipif(workers.bounded(2) < 2, reason="a pool needs two cores")


@TWO_CORES
def test_map_yields_each_batch_result_in_the_order_of_the_batches():
    done = list(workers.map(_numbered, ([n] for n in range(6)), workers=2, items=workers.POOL_THRESHOLD))
    assert [result for result, _ in done] == [[n * 10] for n in range(6)]
    assert os.getpid() not in {pid for _, pid in done}


def _touch(batch: tuple[str, int]) -> int:
    folder, n = batch
    open(os.path.join(folder, str(n)), "w").close()
    return n


@TWO_CORES
def test_map_starts_a_batch_while_the_next_is_still_being_made(tmp_path):
    """Stage 1 hashes the files while the first ones are parsed: a map that read every batch
    before it submitted one would leave the workers idle until every file was hashed."""
    started_before_next = []

    def batches():
        for n in range(3):
            yield str(tmp_path), n
            deadline = time.monotonic() + 10
            while not (tmp_path / str(n)).exists() and time.monotonic() < deadline:
                time.sleep(0.01)
            started_before_next.append((tmp_path / str(n)).exists())

    assert list(workers.map(_touch, batches(), workers=2, items=workers.POOL_THRESHOLD)) == [0, 1, 2]
    assert started_before_next == [True, True, True]


def test_map_below_the_threshold_or_with_one_worker_runs_in_this_process_as_asked():
    made = []

    def batches():
        for n in range(3):
            made.append(n)
            yield [n]

    for jobs, items in ((2, workers.POOL_THRESHOLD - 1), (1, 10_000)):
        made.clear()
        results = workers.map(_numbered, batches(), workers=jobs, items=items)
        assert next(results) == ([0], os.getpid())
        assert made == [0]  # the next batch is made only when its result is asked for
        assert list(results) == [([10], os.getpid()), ([20], os.getpid())]


def test_map_of_no_batches_starts_no_pool():
    done, forks = forks_during(list, workers.map(_numbered, iter([]), workers=2, items=10_000))
    assert (done, forks) == ([], 0)
