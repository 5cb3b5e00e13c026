"""The build's worker processes: as many as the machine has cores at most, and gone with the build.

`--jobs 100000` forked every worker at once (the build process was killed for lack of
memory, leaving ~5,800 orphans holding 24 GB); a kill -9 of the build left its workers
running. Every pool of the build is made here: bounded by the cores, and each worker asks
the kernel to end it when the process that started it dies (Linux's PR_SET_PDEATHSIG).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import multiprocessing
import os
import signal
from concurrent.futures import ProcessPoolExecutor

_PR_SET_PDEATHSIG = 1


def bounded(workers: int | None) -> int:
    """The number of worker processes for a request of `workers` (None: one per core)."""
    cores = os.cpu_count() or 1
    return max(1, min(workers or cores, cores))


def _die_with_parent(initializer, initargs) -> None:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass  # not Linux: the workers then end when their queue closes, as before
    if initializer is not None:
        initializer(*initargs)


def pool(workers: int, start: str | None = None, initializer=None, initargs: tuple = ()) -> ProcessPoolExecutor:
    """A process pool of bounded(workers) processes, started by `start` ("fork", "spawn" or the default)."""
    context = multiprocessing.get_context(start) if start else None
    return ProcessPoolExecutor(max_workers=bounded(workers), mp_context=context,
                               initializer=_die_with_parent, initargs=(initializer, initargs))
