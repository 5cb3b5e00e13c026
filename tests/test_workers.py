"""The build's worker processes are bounded by the machine and end with the build (issue 17 #7)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from conftest import ROOT
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
