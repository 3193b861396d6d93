"""Arrow's memory from the C library's allocator while antq reads and builds.

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
"""

from __future__ import annotations

from collections.abc import Iterator
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
