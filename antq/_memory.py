"""Memory: Arrow's from the C library's allocator while antq reads and builds, and what is
freed handed back to the system between the stages of a build.

pyarrow allocates from mimalloc by default. On the machine antq is measured on (a
virtual machine whose fresh pages are slow to come), mimalloc's first use of new
memory was about four times slower than the C library's: turning the workers' Arrow
tables into the tidy table (``reader._frame``) took 0,8 s of fresh 40 MB columns with
mimalloc and 0,22 s with the system allocator; the national load went from 6,4 s to
5,2 s and a cold build from 18,8 s to 16,9 s, with a lower peak (benchmarks/run.py).
Arrow's memory pool is a process-wide setting: antq changes it only for the span of
its own call and puts the caller's back after, so a notebook's own Arrow work keeps
whatever pool it chose. Buffers remember the pool they came from, so a table made
inside lives on safely outside.

The C library keeps what a process frees for its own next allocations:
:func:`release_free_memory` gives it back after each stage of a build (glibc's
``malloc_trim``), so that no stage's peak stands on what the stages before it freed.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pyarrow as pa


@contextmanager
def system_allocator() -> Iterator[None]:
    """Run the block (or, as ``@system_allocator()``, the function) with Arrow allocating
    from the C library's ``malloc``; the pool in use before is restored after, nested
    calls included.

    Examples
    --------
    >>> before = pa.default_memory_pool().backend_name
    >>> with system_allocator():
    ...     pa.default_memory_pool().backend_name
    'system'
    >>> pa.default_memory_pool().backend_name == before
    True
    """
    before = pa.default_memory_pool()
    pa.set_memory_pool(pa.system_memory_pool())
    try:
        yield
    finally:
        pa.set_memory_pool(before)


_TRIM: Callable[[int], int] | None = None
_TRIM_LOOKED = False


def _malloc_trim() -> Callable[[int], int] | None:
    global _TRIM, _TRIM_LOOKED
    if not _TRIM_LOOKED:
        _TRIM_LOOKED = True
        name = ctypes.util.find_library("c") if sys.platform.startswith("linux") else None
        try:
            _TRIM = ctypes.CDLL(name).malloc_trim if name else None
        except (OSError, AttributeError):  # musl and other C libraries have none
            _TRIM = None
    return _TRIM


def release_free_memory() -> bool:
    """Give the memory freed so far back to the system; whether the C library can.

    The C library's ``malloc`` keeps what a process frees for its next allocations
    instead of returning it: after a national read, 370 MB of the process's 915 MB were
    freed tables kept so (measured with glibc). Each stage of a build starts from the last
    one's leftovers, and the peak of the build stands on all of them. glibc's
    ``malloc_trim`` hands the free pages back (a few milliseconds); elsewhere nothing is done.

    Examples
    --------
    >>> release_free_memory() in (True, False)
    True
    """
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True
