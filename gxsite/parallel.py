"""The build's worker processes: as many as the machine has cores at most, and gone with the build;
and the one way the build runs work over them, `map`.

`--jobs 100000` forked every worker at once (the build process was killed for lack of
memory, leaving ~5,800 orphans holding 24 GB); a kill -9 of the build left its workers
running. Every pool of the build is made here: bounded by the cores, and each worker asks
the kernel to end it when the process that started it dies (Linux's PR_SET_PDEATHSIG).
"""

from __future__ import annotations

import builtins
import ctypes
import ctypes.util
import multiprocessing
import os
import signal
from concurrent.futures import ProcessPoolExecutor
from typing import Callable, Iterable, Iterator, TypeVar

_PR_SET_PDEATHSIG = 1

# Below this many items (files, agencies) in all, starting processes costs more than they save.
POOL_THRESHOLD = 32

Batch = TypeVar("Batch")
Result = TypeVar("Result")


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


def map(function: Callable[[Batch], Result], batches: Iterable[Batch], *, workers: int, items: int,
        start: str | None = None) -> Iterator[Result]:
    """function(batch) for each batch, yielded in the order of `batches`, like the builtin map.

    Over a pool of bounded(workers) processes when there is more than one and the batches hold
    `items` ≥ POOL_THRESHOLD things in all (the caller knows how many before it makes them);
    in this process otherwise, or where the start method `start` is not available (a function
    that reads module state the build process set needs "fork").

    `batches` is read one batch at a time and each batch is submitted as soon as it is made:
    the workers start on the first while the caller still makes the next. In a pool every batch
    is submitted before the first result is yielded (results wait in memory until asked for,
    so a long batch put first holds no worker back); in this process a batch is made only
    when its result is asked for. No process is started before there is a first batch: a
    build that finds nothing to do forks nothing."""
    workers = bounded(workers)
    if workers == 1 or items < POOL_THRESHOLD or (start and start not in multiprocessing.get_all_start_methods()):
        yield from builtins.map(function, batches)
        return
    executor = pool(workers, start)  # its processes are forked with the first batch submitted
    try:
        yield from executor.map(function, batches)
    finally:
        # When the caller stops early or a batch fails, the batches not yet started are dropped.
        executor.shutdown(cancel_futures=True)

