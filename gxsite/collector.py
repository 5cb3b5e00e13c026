"""Keeping Python's cyclic garbage collector off the build's records.

10,000 records are ~20 million objects, which every full collection scanned
again (~1.5 s while decoding them, more in the later stages) although JSON
values hold no cycles. Frozen objects are left out of collections and still
freed by reference counting; a process forked while they are frozen does not
copy their memory pages by collecting them.
"""

from __future__ import annotations

import contextlib
import gc
from typing import Iterator


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """No collection in the block (while records are decoded)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextlib.contextmanager
def frozen() -> Iterator[None]:
    """Every object that exists now frozen for the block. gc.unfreeze() thaws all, so an
    outer block's freeze (the build's records) is kept: only the outermost block thaws."""
    outermost = gc.get_freeze_count() == 0
    gc.freeze()
    try:
        yield
    finally:
        if outermost:
            gc.unfreeze()
