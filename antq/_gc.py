"""The cyclic garbage collector paused while antq builds what it keeps or reads workbooks.

Reading makes objects that refcounting frees (rows, cells, Arrow buffers) or that live as
long as the process (the registry, memoised names), and no garbage in cycles: 180
workbooks of the national workload leave none. Meanwhile every 700 allocations start a
collection, and the full ones walk every object of the process, pandas' included: a
tenth of the reading's time, and more the more names are memoised.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Run the block (or, as ``@gc_paused()``, the function) with the collector off, and
    switch it back on after if it was on: nested pauses, and a caller's own, hold."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
