"""What a build keeps for the next one, so that a rebuild after a few changed workbooks costs
about what reading them does.

``antq build`` keeps in ``<out>/.cache/state``:

- ``rows.arrow``: every row read, workbook by workbook in file order (an Arrow IPC file,
  mapped into memory by the next build, not parsed), with its file and a hash of its key;
- ``table.arrow``: the table after duplicates were settled, when that dropped or
  completed rows (else it is ``rows.arrow``);
- ``state.json``: each workbook's digest, read findings and failure; each validation
  rule's findings; where each workbook's rows are in ``tidy.csv``; and what the charts
  and the report were drawn from;
- ``yoy.index``: the key hash and byte offset of each row of ``yoy.csv``.

A rebuild re-reads the changed workbooks only, settles duplicates only when a changed
key meets another, re-runs each rule on the groups of rows the change is in
(:mod:`antq.validation.incremental`), rewrites ``tidy.csv`` and ``yoy.csv`` by
replacing the rows that changed, and draws the charts and the report again only when
what they show changed. Everything it writes is the same, byte for byte, as a build
from scratch would write. The state is trusted only when written by the same antq
for the same reading options; anything missing or damaged is rebuilt.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.ipc as ipc

from antq._io import atomic_write
from antq._memory import release_free_memory
from antq._version import __version__
from antq.findings import Finding
from antq.reading.duplicates import key_hashes

__all__ = [
    "STATE_FORMAT",
    "State",
    "concat_slices",
    "csv_bytes",
    "digests",
    "key_hashes",
    "replace_rows",
    "row_offsets",
    "write_tables",
]

#: Bumped when what the state holds changes shape.
STATE_FORMAT: int = 1


def digests(paths: Sequence[tuple[Path, str]]) -> dict[str, str]:
    """SHA-256 of each workbook (by display name), two at a time: hashing frees the GIL.

    Examples
    --------
    >>> from antq.reading.reader import find_workbooks
    >>> d = digests(find_workbooks("data/raw"))
    >>> len(d), len(d["BC_ANTQ_2020.xlsx"])
    (12, 64)
    """

    def one(path: Path) -> str:
        with path.open("rb") as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest()

    with ThreadPoolExecutor(max(1, min(4, os.cpu_count() or 1))) as pool:
        found = list(pool.map(one, [p for p, _ in paths]))
    return {display: h for (_, display), h in zip(paths, found, strict=True)}


def csv_bytes(table: pa.Table, header: bool) -> bytes:
    """``table`` as the build writes CSV (quoted where needed), without a BOM."""
    sink = pa.BufferOutputStream()
    pacsv.write_csv(table, sink, pacsv.WriteOptions(quoting_style="needed", include_header=header))
    return sink.getvalue().to_pybytes()


def row_offsets(data: bytes | memoryview, n_rows: int, *, header: bool = True) -> np.ndarray | None:
    """Byte offsets of the rows of a CSV (after its header), and of its end: ``n_rows + 1``
    offsets; None when a value holds a line break (rows cannot be told by lines).
    Without a ``header``, where each row ends: ``n_rows`` offsets.

    Examples
    --------
    >>> row_offsets(b"a,b\\n1,2\\n3,4\\n", 2).tolist()
    [4, 8, 12]
    >>> row_offsets(b"1,2\\n3,4\\n", 2, header=False).tolist()
    [4, 8]
    """
    ends = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 10)
    if len(ends) != n_rows + header:
        return None
    return ends + 1


def replace_rows(
    old: memoryview, offsets: np.ndarray, at: np.ndarray, rows: Sequence[bytes]
) -> list[memoryview | bytes]:
    """The pieces of a CSV whose rows at positions ``at`` (sorted) are replaced by ``rows``."""
    pieces: list[memoryview | bytes] = []
    start = 0
    for pos, row in zip(at.tolist(), rows, strict=True):
        pieces.append(old[start : int(offsets[pos])])
        pieces.append(row)
        start = int(offsets[pos + 1])
    pieces.append(old[start:])
    return pieces


def _map(path: Path) -> pa.Table:
    return ipc.open_file(pa.memory_map(str(path), "r")).read_all()


def _write_arrow(path: Path, table: pa.Table) -> None:
    def write(p: Path) -> None:
        with pa.OSFile(str(p), "wb") as sink, ipc.new_file(sink, table.schema) as writer:
            writer.write_table(table)

    atomic_write(path, write)


#: A rebuild writes the rows of the workbooks changed since the last full state apart (a
#: delta) while they are at most this share of all rows; past it, the state is written whole.
DELTA_SHARE: float = 0.25


def _assemble(
    order: list[str],
    base: pa.Table,
    base_spans: dict[str, tuple[int, int]],
    delta: pa.Table | None,
    delta_spans: dict[str, tuple[int, int]],
) -> tuple[pa.Table, dict[str, tuple[int, int]]]:
    """The rows of the files of ``order``, each from the delta when it is there, else from the
    base (slices: nothing is copied); and each file's span in the result."""
    pieces: list[tuple[pa.Table, int, int]] = []
    spans: dict[str, tuple[int, int]] = {}
    at = 0
    for f in order:
        if delta is not None and f in delta_spans:
            a, b = delta_spans[f]
            pieces.append((delta, a, b))
        elif f in base_spans:
            a, b = base_spans[f]
            pieces.append((base, a, b))
        else:
            continue
        spans[f] = (at, at + b - a)
        at += b - a
    return (concat_slices(pieces) if pieces else base.slice(0, 0)), spans


def concat_slices(pieces: list[tuple[pa.Table, int, int]]) -> pa.Table:
    """The rows ``a:b`` of each table in turn; a run of pieces following on in one table is
    one slice. A table of a chunk per workbook (630 at national scale) makes every later
    take, sort and factorisation join them first: a cold build's rows are one chunk.

    Examples
    --------
    >>> t = pa.table({"x": [0, 1, 2, 3, 4]})
    >>> got = concat_slices([(t, 0, 2), (t, 2, 4), (t, 0, 1)])
    >>> got["x"].to_pylist(), got["x"].num_chunks
    ([0, 1, 2, 3, 0], 2)
    """
    runs: list[tuple[pa.Table, int, int]] = []
    for table, a, b in pieces:
        if runs and runs[-1][0] is table and runs[-1][2] == a:
            runs[-1] = (table, runs[-1][1], b)
        else:
            runs.append((table, a, b))
    return pa.concat_tables([table.slice(a, b - a) for table, a, b in runs])


def _spans_of(meta: dict[str, Any], key: str) -> dict[str, tuple[int, int]]:
    return {f: (int(a), int(b)) for f, (a, b) in meta.get(key, {}).items()}


@dataclass
class State:
    """What the last build kept (see the module's description)."""

    meta: dict[str, Any] = field(default_factory=dict)
    rows: pa.Table | None = None
    table: pa.Table | None = None
    yoy_index: tuple[np.ndarray, np.ndarray] | None = None
    #: The full tables the rows and table are assembled from (a rebuild keeps them).
    base: tuple[pa.Table, pa.Table | None] | None = None

    @classmethod
    def load(cls, cache: Path, read_settings: dict[str, Any]) -> State:
        """The state in ``cache``, or an empty one when it is missing, damaged or was written
        by another antq or for other reading options."""
        folder = cache / "state"
        try:
            meta = json.loads((folder / "state.json").read_text(encoding="utf-8"))
            if (
                meta.get("format") != STATE_FORMAT
                or meta.get("antq") != __version__
                or meta.get("read_settings") != _jsonable(read_settings)
            ):
                return cls()
            base_rows = _map(folder / "rows.arrow")
            base_table = None if meta.get("table_is_rows") else _map(folder / "table.arrow")
            delta = _map(folder / "delta.arrow") if meta.get("delta_spans") else None
            order, dspans = meta["order"], _spans_of(meta, "delta_spans")
            rows, _ = _assemble(order, base_rows, _spans_of(meta, "base_spans"), delta, dspans)
            table = rows
            if base_table is not None:
                table, _ = _assemble(
                    order, base_table, _spans_of(meta, "table_spans"), delta, dspans
                )
            index = None
            if (folder / "yoy.index").exists():
                with np.load(folder / "yoy.index", allow_pickle=False) as got:
                    index = (got["keys"], got["offsets"])
            return cls(meta, rows, table, index, (base_rows, base_table))
        except (OSError, ValueError, KeyError, TypeError, pa.ArrowInvalid):
            return cls()  # a missing or damaged state is rebuilt, never trusted

    def files(self) -> dict[str, str]:
        return dict(self.meta.get("files", {}))

    def spans(self) -> dict[str, tuple[int, int]]:
        """Rows of each file in ``rows``: (start, stop)."""
        return {f: (int(a), int(b)) for f, (a, b) in self.meta.get("spans", {}).items()}

    def save(
        self,
        cache: Path,
        rows: pa.Table,
        table: pa.Table | None,
        yoy_index: tuple[np.ndarray, np.ndarray] | None,
        *,
        last: State | None = None,
        changed: set[str] = frozenset(),  # type: ignore[assignment]
        tables: dict[str, Any] | None = None,
    ) -> None:
        """Write the state: the tables first, ``state.json`` last (it vouches for them).

        With ``last`` (a rebuild that settled nothing anew), the workbooks changed since
        the last full state are written apart (``delta.arrow``) while they are few; the
        full tables stay as they are. ``table`` None: the table is the rows. ``tables``:
        what :func:`write_tables` returned, where it wrote them already (the build does,
        beside its outputs).
        """
        spans = {f: tuple(v) for f, v in self.meta["spans"].items()}
        if tables is None:
            tables = write_tables(cache, spans, rows, table, last=last, changed=changed)
        folder = cache / "state"
        meta = {
            **self.meta,
            "format": STATE_FORMAT,
            "antq": __version__,
            "order": list(spans),
            **tables,
        }
        self._save_index(folder, yoy_index)
        text = json.dumps(meta, ensure_ascii=False)

        def write_meta(p: Path) -> None:
            p.write_text(text, encoding="utf-8")

        atomic_write(folder / "state.json", write_meta)

    @staticmethod
    def _save_index(folder: Path, yoy_index: tuple[np.ndarray, np.ndarray] | None) -> None:
        if yoy_index is None:
            (folder / "yoy.index").unlink(missing_ok=True)
            return

        def write_index(p: Path) -> None:
            with p.open("wb") as fh:
                np.savez(fh, keys=yoy_index[0], offsets=yoy_index[1])

        atomic_write(folder / "yoy.index", write_index)


class Handed:
    """A table handed over to :func:`write_tables`, which lets go of it once written: where
    the caller keeps no other reference, its memory is freed then, not when the caller's
    reference goes (the rows of a national build: 360 MB, while the build validates).

    Examples
    --------
    >>> h = Handed(pa.table({"x": [1]}))
    >>> h.take().num_rows, h.take() is None
    (1, True)
    """

    def __init__(self, table: pa.Table) -> None:
        self._table: pa.Table | None = table

    def take(self) -> pa.Table | None:
        """The table, once: None after."""
        table, self._table = self._table, None
        return table

    def peek(self) -> pa.Table | None:
        """The table, left where it is (None once taken)."""
        return self._table


def _taken(handed: Handed) -> pa.Table:
    table = _rows_of(handed)
    handed.take()
    return table


def write_rows(cache: Path, rows: Handed) -> None:
    """Write a whole state's rows (``rows.arrow``), the first of its tables, and let go of
    them: a cold build does so as soon as its rows are read, beside settling them, and
    :func:`write_tables` (``rows=None``) writes the rest."""
    folder = _unvouched(cache)
    _write_arrow(folder / "rows.arrow", _taken(rows))
    release_free_memory()  # freed memory serves no large allocation until given back


def _unvouched(cache: Path) -> Path:
    """The state's folder, without the ``state.json`` that vouches for its tables."""
    folder = cache / "state"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "state.json").unlink(missing_ok=True)
    return folder


def write_tables(
    cache: Path,
    spans: dict[str, tuple[int, int]],
    rows: pa.Table | Handed | None,
    table: pa.Table | None,
    *,
    last: State | None = None,
    changed: set[str] = frozenset(),  # type: ignore[assignment]
) -> dict[str, Any]:
    """Write the state's tables (:meth:`State.save`'s first half) and return what
    ``state.json`` says of them; the state is not trusted until :meth:`State.save` ends.

    ``spans``: each workbook's rows in ``rows``. A build calls this as soon as the rows are
    settled, in a thread beside its outputs: a national state is 800 MB to write. ``rows``
    may be :class:`Handed` over, to be let go of once written, or None where
    :func:`write_rows` wrote them (a whole state, ``last`` None).
    """
    if rows is None and last is not None:
        raise ValueError("the rows of a state written in part are needed")
    folder = _unvouched(cache)
    meta: dict[str, Any] = {}
    delta_files = set(last.meta.get("delta_spans", {})) | changed if last else set()
    if last is not None and rows is not None and _apart(last, spans, delta_files, rows, table):
        # The full tables stay; the rows of the workbooks changed since go apart.
        keep = [f for f in spans if f in delta_files]
        delta, dspans = _assemble(keep, _rows_of(rows), spans, None, {})
        _write_arrow(folder / "delta.arrow", delta)
        meta["delta_spans"] = dspans
        meta["base_spans"] = last.meta["base_spans"]
        meta["table_spans"] = last.meta.get("table_spans", {})
    else:
        if isinstance(rows, Handed):
            write_rows(cache, rows)
        elif rows is not None:
            _write_arrow(folder / "rows.arrow", rows)
        meta["base_spans"] = spans
        meta["delta_spans"] = {}
        if table is not None:
            _write_arrow(folder / "table.arrow", table)
            meta["table_spans"] = file_runs(table["file"])
    return meta


def _apart(
    last: State,
    spans: dict[str, tuple[int, int]],
    delta_files: set[str],
    rows: pa.Table | Handed,
    table: pa.Table | None,
) -> bool:
    """Whether the workbooks changed since the last full state go apart (a delta)."""
    delta_rows = sum(b - a for f, (a, b) in spans.items() if f in delta_files)
    return (
        last.base is not None
        and (table is None) == (last.base[1] is None)
        and delta_rows <= DELTA_SHARE * max(_rows_of(rows).num_rows, 1)
    )


def _rows_of(rows: pa.Table | Handed) -> pa.Table:
    """The rows, a handed over table looked at without being taken."""
    table = rows.peek() if isinstance(rows, Handed) else rows
    if table is None:
        raise ValueError("the rows were handed over once already")
    return table


def file_runs(files: pa.ChunkedArray) -> dict[str, tuple[int, int]]:
    """(start, stop) of each file's run of rows, the rows being in file order.

    Each row's file is compared with the one before it by Arrow: a million rows' names as
    Python strings took 70 MB and a tenth of a second.

    Examples
    --------
    >>> file_runs(pa.chunked_array([["a", "a"], ["b", "c", "c"]]))
    {'a': (0, 2), 'b': (2, 3), 'c': (3, 5)}
    """
    n = len(files)
    if not n:
        return {}
    changed = pc.fill_null(pc.not_equal(files.slice(1), files.slice(0, n - 1)), True)
    starts = np.concatenate([[0], np.flatnonzero(changed.to_numpy()) + 1])
    stops = np.concatenate([starts[1:], [n]])
    names = files.take(pa.array(starts)).to_pylist()
    return {str(f): (int(a), int(b)) for f, a, b in zip(names, starts, stops, strict=True)}


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


def findings_to_json(found: Iterable[Finding]) -> list[dict[str, Any]]:
    return [asdict(f) for f in found]


def findings_from_json(rows: Iterable[dict[str, Any]]) -> list[Finding]:
    return [Finding(**r) for r in rows]


def frame_of(table: pa.Table) -> pd.DataFrame:
    """An Arrow table of the build as pandas, text as Arrow-backed strings (no copy)."""
    mapping = {
        pa.string(): pd.StringDtype("pyarrow"),
        pa.large_string(): pd.StringDtype("pyarrow"),
        pa.int64(): pd.Int64Dtype(),
        pa.float64(): pd.Float64Dtype(),
    }
    return table.to_pandas(types_mapper=mapping.get)
