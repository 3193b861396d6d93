"""The steps of ``antq build`` (:func:`antq.pipeline.build`): read, settle duplicates,
validate, write; each reusing what the last build kept (:mod:`antq.incremental`).

Every step gives the same result whether it starts from scratch or from the last
build: tables stay in file order, findings are sorted to a total order, and each
output is written from the same values the same way.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import time
import warnings
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.ipc
import pyarrow.parquet as pq

from antq import incremental as inc
from antq._io import atomic_write
from antq._memory import release_free_memory
from antq.errors import AntqError, AntqWarning
from antq.findings import Finding
from antq.incremental import State, frame_of
from antq.metrics.yoy import YOY_COLUMNS, yoy, yoy_parts
from antq.reading.reader import (
    COMPLETED,
    DETAIL_DTYPES,
    ReadOptions,
    completed,
    duplicates_among,
    read_files,
    take_rows,
    with_dtypes,
)
from antq.schema import TIDY_COLUMNS, TIDY_DTYPES
from antq.types import Lang
from antq.validation import RULES
from antq.validation.engine import once
from antq.validation.incremental import Tables, revalidate, rule_findings

__all__ = ["Inputs", "Stages", "read_step", "settle_step", "validate_step"]

_BOM = b"\xef\xbb\xbf"
#: Rows written to CSV at a time: the file is streamed, not built whole in memory.
CSV_BATCH_ROWS: int = 16_384


class Stages:
    """Seconds spent in each step of a build, in the order they ran."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        t = time.perf_counter()
        try:
            yield
        finally:
            # The next stage starts without this one's leftovers (a lower peak, measured).
            release_free_memory()
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - t


@dataclass
class Inputs:
    """What a build reads and how."""

    raw: Path
    out: Path
    lang: Lang
    files: list[tuple[Path, str]]
    options: ReadOptions
    events: pd.DataFrame
    digests: dict[str, str]
    #: Options that change what is read (a change re-reads every workbook).
    read_settings: dict[str, Any]
    #: Everything else that changes the outputs (language, supersedes, events).
    settings: dict[str, Any]
    #: A finding for each file of the folder that is not read (a .pdf, a lock file).
    skipped: list[Finding] = field(default_factory=list)

    def settings_key(self) -> str:
        blob = json.dumps(self.settings, sort_keys=True, default=str).encode()
        return hashlib.sha256(blob).hexdigest()


# ---- reading ---------------------------------------------------------------------------


@dataclass
class Reading:
    """Every row read, workbook by workbook in file order, with what was read of each."""

    rows: pa.Table
    findings: dict[str, list[Finding]]
    failed: dict[str, str]
    spans: dict[str, tuple[int, int]]
    #: Workbooks read afresh, and workbooks of the last build no longer there.
    changed: set[str]
    gone: set[str]
    stats: dict[str, int]


def without_rows(reading: Reading) -> Reading:
    """``reading`` without its rows (none of them, with the same columns), the rest kept."""
    # Not a slice: an empty slice of a table still holds all its buffers.
    return replace(reading, rows=reading.rows.schema.empty_table())


def _with_keys(df: pd.DataFrame, hashes: np.ndarray | None = None) -> pa.Table:
    """A table of rows as Arrow, with the file of each row and a hash of its key (``hashes``
    where reading made them)."""
    table = pa.Table.from_pandas(df, preserve_index=False).replace_schema_metadata(None)
    tables = table["table"]
    codes, uniques = pd.factorize(pd.Series(tables.to_pandas(), dtype="string"))
    names = pd.Series(uniques, dtype="string").str.split("!", n=1).str[0].fillna("")
    files = np.append(names.to_numpy(dtype=object), "")[codes]
    table = table.append_column("file", pa.array(files, pa.string()))
    if hashes is None:
        hashes = inc.key_hashes(table)
    return table.append_column("keyhash", pa.array(hashes, pa.uint64()))


def read_step(inp: Inputs, state: State) -> Reading:
    """Read the workbooks whose content changed; take the others' rows from the last build."""
    known = state.files() if state.rows is not None else {}
    reuse = {d for _, d in inp.files if known.get(d) == inp.digests[d]}
    to_read = [(p, d) for p, d in inp.files if d not in reuse]
    fresh = read_files(to_read, inp.options, keep_duplicates=True) if to_read else None
    fresh_rows = _with_keys(fresh.table, fresh.keyhash) if fresh is not None else None
    rows, spans = _in_file_order(inp, reuse, state, fresh_rows)
    found = {d: inc.findings_from_json(state.meta["findings"].get(d, [])) for d in reuse}
    failed = {d: m for d, m in state.meta.get("failed", {}).items() if d in reuse}
    if fresh is not None:
        for f in fresh.findings:
            found.setdefault(f.source.split("!", 1)[0], []).append(f)
        failed.update(fresh.failed)
    gone = set(known) - set(inp.digests)
    return Reading(
        rows,
        found,
        failed,
        spans,
        changed={d for _, d in to_read},
        gone=gone,
        stats={"read": len(to_read), "reused": len(reuse), "dropped": len(gone)},
    )


def _in_file_order(
    inp: Inputs, reuse: set[str], state: State, fresh: pa.Table | None
) -> tuple[pa.Table, dict[str, tuple[int, int]]]:
    """Every workbook's rows in file order: the reused ones' from the last build, the
    others' as read now; and where each workbook's rows are."""
    sources = [(state.rows, state.spans()), (fresh, inc.file_runs(fresh["file"]) if fresh else {})]
    pieces: list[tuple[pa.Table, int, int]] = []
    spans: dict[str, tuple[int, int]] = {}
    at = 0
    for _, d in inp.files:
        table, where = sources[0] if d in reuse and d in sources[0][1] else sources[1]
        if table is None or d not in where:
            continue  # refused, or no rows
        a, b = where[d]
        pieces.append((table, a, b))
        spans[d] = (at, at + b - a)
        at += b - a
    return _concat(pieces, fresh, state.rows), spans


def _concat(pieces: list[tuple[pa.Table, int, int]], *alike: pa.Table | None) -> pa.Table:
    if pieces:
        return inc.concat_slices(pieces)
    for t in alike:
        if t is not None:
            return t.slice(0, 0)
    # No workbook at all: the columns of a table as read, which the build says is empty.
    columns = [*TIDY_COLUMNS, *DETAIL_DTYPES]
    return _with_keys(with_dtypes(pd.DataFrame({c: [] for c in columns})))


# ---- duplicates ------------------------------------------------------------------------


@dataclass
class Settled:
    """The table once keys read twice are settled, and what settling found."""

    table: pa.Table
    findings: list[Finding]
    #: No row was dropped or completed: the table is the rows.
    is_rows: bool
    #: Settled from scratch (rows of unchanged workbooks may have changed).
    anew: bool
    #: The workbooks of the keys read twice, kept for the next build; None: as before.
    pairs_files: set[str] | None = None


def _meets_another(reading: Reading) -> bool:
    """Whether a key of a changed workbook is read elsewhere too (or twice)."""
    changed = [reading.spans[d] for d in reading.changed if d in reading.spans]
    if not changed:
        return False
    keys = reading.rows["keyhash"]
    mine = np.concatenate([keys.slice(a, b - a).to_numpy() for a, b in changed])
    hits = pc.sum(pc.is_in(keys, value_set=pa.array(mine))).as_py() or 0
    return int(hits) > len(mine)


def settle_step(reading: Reading, state: State, supersede: dict[str, tuple[str, ...]]) -> Settled:
    """Settle keys read twice: from scratch, unless no key of a changed workbook meets
    another and no key read twice before was of a changed workbook; then the last build's
    settled table holds, with the changed workbooks' rows in place of their old ones."""
    touched = reading.changed | reading.gone
    if (
        state.table is not None
        and state.meta.get("supersede") == sorted(supersede.items())
        and not touched & set(state.meta.get("pairs_files", []))
        and not _meets_another(reading)
    ):
        if state.meta.get("table_is_rows"):
            return Settled(reading.rows, [], is_rows=True, anew=False)
        found = inc.findings_from_json(state.meta.get("duplicates", []))
        return Settled(_replace_files(state.table, reading), found, is_rows=False, anew=False)
    rows = reading.rows
    # Only the rows whose key hash repeats are made pandas (the whole table took 60 MB).
    dups, rows_at = duplicates_among(
        lambda at: _detail(_rows_of(rows, at)), rows["keyhash"].to_numpy(), supersede
    )
    if dups.pairs.empty:
        return Settled(rows, dups.findings, is_rows=True, anew=True)
    files = set(dups.pairs["file"]) | set(dups.pairs["kept_file"])
    return Settled(
        settled_rows(rows, dups.keep, completed(rows_at, dups.keep, dups.pairs)),
        dups.findings,
        is_rows=False,
        anew=True,
        pairs_files=files,
    )


def _rows_of(table: pa.Table, positions: np.ndarray) -> pa.Table:
    """The rows at ``positions`` (sorted), taken chunk by chunk: a take over a table of
    several chunks joins them all first."""
    if not table.num_rows:
        return table
    return take_rows([pa.Table.from_batches([b]) for b in table.to_batches()], positions)


#: Past this many pieces, the settled table is copied whole rather than sliced from the rows.
SETTLED_PIECES: int = 64


def settled_rows(
    rows: pa.Table, keep: np.ndarray, done: tuple[np.ndarray, pd.DataFrame] | None
) -> pa.Table:
    """The rows to ``keep``, those at ``done[0]`` completed as in ``done[1]``
    (:func:`antq.reading.reader.completed`): slices of ``rows`` and the few completed rows
    where few keys are read twice, not a copy of them all; past :data:`SETTLED_PIECES`
    pieces (the national workload's 90 keys read twice make 180), one table of its own:
    every later sort and take over many chunks joined them first (validation 1,3 s slower).

    Examples
    --------
    >>> t = pa.table({"x": [0, 1, 2, 3]})
    >>> settled_rows(t, np.array([True, False, True, True]), None)["x"].to_pylist()
    [0, 2, 3]
    """
    positions = np.zeros(0, dtype=np.int64) if done is None else done[0]
    plain = keep.copy()
    plain[positions] = False  # taken from the completed rows instead
    edges = np.diff(np.concatenate([[0], plain.astype(np.int8), [0]]))
    runs = zip(
        np.flatnonzero(edges == 1).tolist(), np.flatnonzero(edges == -1).tolist(), strict=True
    )
    pieces = [(int(a), (rows, int(a), int(b))) for a, b in runs]
    if done is not None:
        patch = _rows_of(rows, positions)
        for col in COMPLETED:
            if col in done[1].columns:
                at = patch.schema.get_field_index(col)
                field_ = patch.schema.field(at)
                values = pa.array(done[1][col], type=field_.type, from_pandas=True)
                patch = patch.set_column(at, field_, values)
        pieces += [(int(p), (patch, i, i + 1)) for i, p in enumerate(positions.tolist())]
    pieces.sort(key=lambda piece: piece[0])
    table = inc.concat_slices([piece for _, piece in pieces]) if pieces else rows.slice(0, 0)
    return table.combine_chunks() if len(pieces) > SETTLED_PIECES else table


def _replace_files(settled: pa.Table, reading: Reading) -> pa.Table:
    """The last settled table with each changed workbook's rows in place of its old ones."""
    old = inc.file_runs(settled["file"])
    pieces: list[tuple[pa.Table, int, int]] = []
    for f, (a, b) in reading.spans.items():  # in file order
        if f in reading.changed:
            pieces.append((reading.rows, a, b))
        elif f in old:
            pieces.append((settled, *old[f]))
    return inc.concat_slices(pieces) if pieces else settled.slice(0, 0)


# ---- validation ------------------------------------------------------------------------

_EXTRA = ["file", "keyhash"]


def _detail(table: pa.Table) -> pd.DataFrame:
    return with_dtypes(frame_of(table.drop_columns(_EXTRA)))


def validate_step(
    inp: Inputs, reading: Reading, settled: Settled, state: State
) -> tuple[dict[str, list[Finding]], str]:
    """Each rule's findings: re-run where the changed rows are when the last build's are
    known for the same settings, else over the whole table. Returns them and how."""
    before = state.meta.get("rules")
    if (
        before is None
        or state.table is None
        or settled.anew
        or state.meta.get("settings") != inp.settings_key()
    ):
        return rule_findings(_detail(settled.table), inp.events), "whole"
    touched = pa.array(sorted(reading.changed | reading.gone), pa.string())
    old, new = state.table, settled.table
    tables = Tables(
        old.drop_columns(_EXTRA),
        new.drop_columns(_EXTRA),
        pc.is_in(old["file"], value_set=touched).to_numpy(zero_copy_only=False),
        pc.is_in(new["file"], value_set=touched).to_numpy(zero_copy_only=False),
        lambda t: with_dtypes(frame_of(t)),
    )
    previous = {code: inc.findings_from_json(f) for code, f in before.items()}
    found, how = revalidate(tables, previous, inp.events)
    whole = sorted(code for code, way in how.items() if way == "whole")
    if not whole:
        return found, "groups"
    return found, "whole" if len(whole) == len(how) else f"groups (whole: {', '.join(whole)})"


def all_findings(
    skipped: list[Finding], reading: Reading, settled: Settled, rules: dict[str, list[Finding]]
) -> list[Finding]:
    """Every finding of the build: files skipped, what reading and settling found, and the
    rules' findings made unique."""
    read = [f for _, d in sorted(reading.findings.items()) for f in d]
    ruled = once([f for code in RULES for f in rules.get(code, [])])
    return skipped + read + settled.findings + ruled


# ---- writing ---------------------------------------------------------------------------


def tidy_table(settled: Settled) -> pa.Table:
    """The tidy columns, typed as pandas writes them (its metadata kept for pandas)."""
    return settled.table.select(list(TIDY_COLUMNS))


def _pandas_metadata(columns: dict[str, str]) -> dict[bytes, bytes]:
    empty = pd.DataFrame({c: pd.Series(dtype=t) for c, t in columns.items()})
    meta = pa.Table.from_pandas(empty, preserve_index=False).schema.metadata
    return dict(meta or {})


def write_parquet(table: pa.Table, path: Path) -> None:
    """``tidy.parquet``, read back by pandas with the contract's dtypes."""
    meta = _pandas_metadata(TIDY_DTYPES)
    table = table.replace_schema_metadata(meta)
    atomic_write(path, lambda p: pq.write_table(table, p))


def stream_csv(tables: Iterable[pa.Table], path: Path) -> np.ndarray | None:
    """Write ``tables`` one after the other as one CSV (UTF-8 with a BOM and the first one's
    header), batch by batch; return each row's byte offset and the end's (None when a
    value holds a line break).

    Each table is written in a thread while the next one is made: Arrow's CSV writer lets
    go of the GIL (yoy's nine indicators: 1,2 of 4,9 s were spent writing). One table is
    written at a time, in order, and at most one waits for it.
    """
    offsets: list[np.ndarray] = []
    ok = True

    def put(fh: Any, table: pa.Table, at: int) -> int:
        nonlocal ok
        for batch in table.to_batches(max_chunksize=CSV_BATCH_ROWS):
            data = inc.csv_bytes(pa.Table.from_batches([batch]), header=False)
            fh.write(data)
            ends = inc.row_offsets(data, batch.num_rows, header=False)
            if ends is None:
                ok = False
            else:
                offsets.append(ends + at)
            at += len(data)
        return at

    def write(p: Path) -> None:
        with p.open("wb") as fh, ThreadPoolExecutor(1) as pool:
            at = -1
            written: Future[int] | None = None
            for table in tables:
                if written is not None:
                    at = written.result()  # the table before, written
                if at < 0:
                    head = inc.csv_bytes(table.slice(0, 0), header=True)
                    fh.write(_BOM + head)
                    at = len(_BOM) + len(head)
                    offsets.append(np.array([at], dtype=np.int64))
                written = pool.submit(put, fh, table, at)
                del table  # the thread holds it until written
            if written is not None:
                written.result()

    atomic_write(path, write)
    return np.concatenate(offsets) if ok else None


def splice_file(path: Path, pieces: list[tuple[int, int] | bytes]) -> None:
    """Rewrite ``path`` (atomically) from ``pieces``: (start, stop) ranges of its bytes, copied
    by the kernel, and new bytes."""
    with path.open("rb") as src:

        def write(p: Path) -> None:
            with p.open("wb") as dst:
                for piece in pieces:
                    if isinstance(piece, bytes):
                        dst.write(piece)
                        continue
                    start, stop = piece
                    dst.flush()
                    _copy_range(src, dst, start, stop - start)

        atomic_write(path, write)


def _copy_range(src: Any, dst: Any, start: int, length: int) -> None:
    """Copy ``length`` bytes of ``src`` from ``start`` to the end of ``dst``."""
    done = 0
    try:
        while done < length:
            n = os.copy_file_range(src.fileno(), dst.fileno(), length - done, start + done)
            if n == 0:
                break
            done += n
    except (AttributeError, OSError):
        pass  # no copy_file_range here: copy through memory
    if done < length:
        src.seek(start + done)
        dst.write(src.read(length - done))
    dst.seek(0, os.SEEK_END)


def splice_csv(path: Path, offsets: np.ndarray, at: np.ndarray, rows: list[bytes]) -> np.ndarray:
    """Rewrite ``path`` with its rows at ``at`` (sorted) replaced by ``rows``; the new offsets."""
    pieces: list[tuple[int, int] | bytes] = []
    start = 0
    for pos, row in zip(at.tolist(), rows, strict=True):
        pieces.append((start, int(offsets[pos])))
        pieces.append(row)
        start = int(offsets[pos + 1])
    pieces.append((start, int(offsets[-1])))
    splice_file(path, pieces)
    lengths = np.diff(offsets)
    lengths[at] = [len(r) for r in rows]
    return np.r_[offsets[0], offsets[0] + np.cumsum(lengths)]


def file_spans(offsets: np.ndarray | None, spans: dict[str, tuple[int, int]]) -> dict[str, Any]:
    """Byte spans of each file's rows in a CSV whose row offsets are ``offsets``."""
    if offsets is None:
        return {}
    return {f: (int(offsets[a]), int(offsets[b])) for f, (a, b) in spans.items()}


def table_digest(*tables: pa.Table) -> str:
    """A digest of tables' values (what the charts and the report show), as Arrow IPC writes
    them: a slice is its values only, whatever larger buffer it is a view of."""
    h = hashlib.sha256()
    for table in tables:
        sink = pa.BufferOutputStream()
        with pa.ipc.new_stream(sink, table.schema) as writer:
            writer.write_table(table.combine_chunks() if table.num_rows else table)
        h.update(sink.getvalue().to_pybytes())
    return h.hexdigest()


def yoy_table(tidy: pd.DataFrame, events: pd.DataFrame, lang: Lang) -> pa.Table:
    return pa.Table.from_pandas(
        yoy(tidy, events=events, lang=lang)[list(YOY_COLUMNS)], preserve_index=False
    )


@dataclass
class Outputs:
    """What the outputs were written from, for the next build."""

    meta: dict[str, Any] = field(default_factory=dict)
    yoy_index: tuple[np.ndarray, np.ndarray] | None = None


def quiet(fn: Callable[[], Any]) -> Any:
    """``fn()`` without antq's warnings (a figure left out is a finding already)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AntqWarning)
        try:
            return fn()
        except AntqError:
            return None


def file_mark(path: Path) -> dict[str, int]:
    """What tells a CSV the build wrote from another file: its size, inode and time.

    A rebuild splices ``yoy.csv`` and ``tidy.csv`` at the byte offsets the state recorded.
    A file replaced since (saved again by a spreadsheet program, sorted, restored from
    another build's folder) can keep its size while its rows moved: spliced, it would be
    garbage. Any write of it, atomic or in place, gives it a new inode or time.
    """
    st = path.stat()
    return {"size": st.st_size, "ino": st.st_ino, "mtime_ns": st.st_mtime_ns}


def same_file(path: Path, mark: dict[str, Any]) -> bool:
    """Whether ``path`` is the file :func:`file_mark` marked (False when it is gone)."""
    return path.exists() and all(mark.get(k) == v for k, v in file_mark(path).items())


def write_tidy(out: Path, settled: Settled, reading: Reading, state: State) -> dict[str, Any]:
    """``tidy.parquet`` and ``tidy.csv``; the CSV by replacing the changed workbooks' rows
    when the last one is known. Returns where each workbook's rows are in the CSV."""
    tidy = tidy_table(settled)
    write_parquet(tidy, out / "tidy.parquet")
    path = out / "tidy.csv"
    spans = reading.spans if settled.is_rows else inc.file_runs(settled.table["file"])
    last = state.meta.get("tidy_csv") or {}
    if not settled.anew and same_file(path, last):
        return _splice_tidy(path, tidy, spans, reading, last)
    offsets = stream_csv([tidy], path)
    return {**file_mark(path), "spans": file_spans(offsets, spans)}


def _splice_tidy(
    path: Path,
    tidy: pa.Table,
    spans: dict[str, tuple[int, int]],
    reading: Reading,
    last: dict[str, Any],
) -> dict[str, Any]:
    old_spans = {f: tuple(v) for f, v in last.get("spans", {}).items()}
    head = min((a for a, _ in old_spans.values()), default=last["size"])
    pieces: list[tuple[int, int] | bytes] = [(0, head)]
    new_spans: dict[str, tuple[int, int]] = {}
    at = head
    for f, (a, b) in spans.items():  # in file order
        if f in old_spans and f not in reading.changed:
            x, y = old_spans[f]
            pieces.append((x, y))
            size = y - x
        else:
            data = inc.csv_bytes(tidy.slice(a, b - a), header=False)
            pieces.append(data)
            size = len(data)
        new_spans[f] = (at, at + size)
        at += size
    splice_file(path, pieces)
    return {**file_mark(path), "spans": new_spans}


def write_yoy_whole(
    path: Path, tidy: pd.DataFrame, events: pd.DataFrame, lang: Lang
) -> tuple[np.ndarray, np.ndarray] | None:
    """``yoy.csv`` of the whole table, an indicator at a time (a national table whole took
    700 MB more at once); its rows' key hashes and byte offsets."""
    keys: list[np.ndarray] = []

    def tables() -> Iterator[pa.Table]:
        for part in yoy_parts(tidy, events=events, lang=lang):
            table = pa.Table.from_pandas(part[list(YOY_COLUMNS)], preserve_index=False)
            keys.append(inc.key_hashes(table))
            del part
            release_free_memory()  # each indicator's work, before the next one's
            yield table

    offsets = stream_csv(tables(), path)
    return None if offsets is None else (np.concatenate(keys), offsets)


def _linked_codes(uids: set[str]) -> set[tuple[str, str]]:
    """(code, level) of the units one or two events away from ``uids`` (either way)."""
    from antq import registry

    ev = registry.events()
    pairs = list(zip(ev["old_uid"].astype(object), ev["new_uid"].astype(object), strict=True))
    near = set(uids)
    for _ in range(2):
        near |= {b for a, b in pairs if a in near and isinstance(b, str)}
        near |= {a for a, b in pairs if b in near and isinstance(a, str)}
    out = set()
    for u in near:
        unit = registry.unit(u)
        out.add((unit.code, unit.level))
    return out


def write_yoy_changed(
    path: Path,
    settled: Settled,
    reading: Reading,
    state: State,
    events: pd.DataFrame,
    lang: Lang,
) -> tuple[np.ndarray, np.ndarray] | None:
    """``yoy.csv`` with the rows of the changed units' series replaced, computed from those
    series and the units they are compared with; None when that cannot be done (keys came
    or went): the caller writes it whole."""
    from antq import registry

    assert state.yoy_index is not None and state.table is not None
    keys, offsets = state.yoy_index
    if not (reading.changed or reading.gone):
        return keys, offsets  # no workbook changed (a .pdf came): yoy.csv stands
    touched = pa.array(sorted(reading.changed | reading.gone), pa.string())
    new, old = settled.table, state.table
    mine_new = new.filter(pc.is_in(new["file"], value_set=touched))
    mine_old = old.filter(pc.is_in(old["file"], value_set=touched))
    if sorted(mine_new["keyhash"].to_pylist()) != sorted(mine_old["keyhash"].to_pylist()):
        return None  # rows came or went: their places in the sorted file move
    changed = _detail(pa.concat_tables([mine_new, mine_old]))
    uids = {u for u in registry.uids(changed).dropna()}
    linked = _linked_codes(uids)
    codes = {c for c in changed["area_code"].dropna()} | {c for c, _ in linked}
    series = changed[["province", "district", "area", "level"]].drop_duplicates()
    by_code = pc.is_in(new["area_code"], value_set=pa.array(sorted(codes), pa.string()))
    by_name = pc.is_in(new["area"], value_set=pa.array(series["area"].unique().tolist()))
    subset = _detail(new.filter(pc.or_(pc.fill_null(by_code, False), by_name)))
    got = yoy_table(subset[list(TIDY_COLUMNS)], events, lang)
    # The rows to replace: the changed units' own series and those their change feeds.
    targets = {c for c in changed["area_code"].dropna()} | {c for c, _ in linked if c is not None}
    is_target = subset["area_code"].isin(targets).to_numpy() | subset.merge(
        series.assign(_t=True), how="left", on=["province", "district", "area", "level"]
    )["_t"].fillna(False).to_numpy(dtype=bool)
    target_keys = set(
        inc.key_hashes(pa.Table.from_pandas(subset[is_target], preserve_index=False)).tolist()
    )
    got_keys = inc.key_hashes(got)
    pick = np.flatnonzero(np.isin(got_keys, np.array(sorted(target_keys), dtype=np.uint64)))
    position = pd.Series(np.arange(len(keys)), index=keys)
    if not pd.Index(got_keys[pick]).isin(position.index).all():
        return None
    at = position.loc[got_keys[pick]].to_numpy()
    order = np.argsort(at)
    rows = got.take(pick[order])
    data = inc.csv_bytes(rows, header=False)
    ends = inc.row_offsets(data, rows.num_rows, header=False)
    if ends is None:
        return None
    pieces = [data[int(a) : int(b)] for a, b in itertools.pairwise([0, *ends.tolist()])]
    new_offsets = splice_csv(path, offsets, at[order], pieces)
    return keys, new_offsets


# ---- the outputs drawn from the whole table ---------------------------------------------


class Whole:
    """The tidy table as pandas, made once and only if an output needs it whole."""

    def __init__(self, settled: Settled) -> None:
        self.settled = settled
        self._tidy: pd.DataFrame | None = None

    def tidy(self) -> pd.DataFrame:
        if self._tidy is None:
            self._tidy = with_dtypes(frame_of(tidy_table(self.settled)))
        return self._tidy


def splices_yoy(inp: Inputs, settled: Settled, state: State) -> bool:
    """Whether ``yoy.csv`` can be rewritten from the last build's: only the rows of the
    changed units' series (:func:`write_yoy_changed`)."""
    path = inp.out / "yoy.csv"
    last = state.meta.get("yoy_csv") or {}
    return (
        state.yoy_index is not None
        and state.table is not None
        and not settled.anew
        and same_file(path, last)
    )


def write_yoy(inp: Inputs, whole: Whole, changed: Future[Any] | None = None) -> Any:
    """``yoy.csv``: the changed units' rows replaced, else whole.

    ``changed``: :func:`write_yoy_changed`, started beside validation by the caller where
    :func:`splices_yoy` said it can be; where it is None or gives None, the file is written
    whole.
    """
    got = changed.result() if changed is not None else None
    if got is not None:
        return got
    return write_yoy_whole(inp.out / "yoy.csv", whole.tidy(), inp.events, inp.lang)


def province_rows(table: pa.Table) -> pd.DataFrame:
    """The rows of the areas named at province level (all a province's paragraph reads)."""
    level = table["level"]
    names = pc.unique(table.filter(pc.equal(level, "province"))["area"])
    return with_dtypes(frame_of(tidy_table_of(table.filter(pc.is_in(table["area"], names)))))


def tidy_table_of(table: pa.Table) -> pa.Table:
    return table.select(list(TIDY_COLUMNS))


def _first_area(table: pa.Table) -> str | None:
    """The area the province trend charts show: the first of the highest level present."""
    from antq.types import LEVELS

    for level in LEVELS:
        rows = table.filter(pc.equal(table["level"], level))
        if rows.num_rows:
            return str(rows["area"][0].as_py())
    return None


def chart_input(table: pa.Table) -> tuple[pa.Table, pa.Table]:
    """What the standard charts read of the table (:func:`antq.outputs.figures.figures`): the
    rows of the level they compare, of the area of the province trends, of each former
    province and the years after its end; and which areas each level has each year."""
    from antq import registry
    from antq.outputs.figures import chart_level

    distinct = (
        table.group_by(["level", "year", "area"])
        .aggregate([])
        .sort_by([("level", "ascending"), ("year", "ascending"), ("area", "ascending")])
    )
    level, _year = chart_level(frame_of(distinct))
    keep = pc.equal(table["level"], level) if level is not None else None
    top = _first_area(table)
    if top is not None:
        hit = pc.equal(table["area"], top)
        keep = hit if keep is None else pc.or_(keep, hit)
    # A former province's region (antq.regions) reads its rows and those after its end.
    provinces = registry.areas(level="province")
    ended = provinces[provinces["valid_to"].notna()]
    names = set(ended["name"]) & set(pc.unique(table["area"]).to_pylist())
    if names:
        first_end = int(ended[ended["name"].isin(names)]["valid_to"].dt.year.min())
        later = pc.greater_equal(table["year"], first_end)
        if pc.any(later).as_py():
            hit = pc.or_(pc.is_in(table["area"], pa.array(sorted(names))), later)
            keep = hit if keep is None else pc.or_(keep, hit)
    rows = table.filter(keep) if keep is not None else table.slice(0, 0)
    return pa.concat_tables([tidy_table_of(rows)]), distinct


def _pictures(out: Path, names: list[str]) -> list[Path]:
    return [out / "figures" / n for n in names]


def draw_charts(inp: Inputs, settled: Settled, state: State, kept: Outputs) -> list[Path]:
    """The charts, drawn again only when what they read changed (or a PNG is missing)."""
    from antq.outputs.figures import chart_level, figures

    rows, distinct = chart_input(settled.table)
    digest = table_digest(rows, distinct) + inp.settings_key()
    last = state.meta.get("charts") or {}
    names = last.get("files", [])
    if last.get("digest") == digest and all(p.exists() for p in _pictures(inp.out, names)):
        kept.meta["charts"] = last
        return _pictures(inp.out, names)
    # From the rows they read, not the whole table (a national one took 300 MB more).
    compare = chart_level(frame_of(distinct))
    drawn = with_dtypes(frame_of(rows))
    pngs = figures(drawn, inp.out / "figures", lang=inp.lang, events=inp.events, compare=compare)
    kept.meta["charts"] = {"digest": digest, "files": [p.name for p in pngs]}
    # A chart of an earlier build this table no longer gives (a ranking of another latest
    # year) is not left behind.
    for old in (inp.out / "figures").glob("*.png"):
        if old not in pngs:
            old.unlink()
    return pngs


def write_excel(
    inp: Inputs,
    settled: Settled,
    state: State,
    kept: Outputs,
    findings: pd.DataFrame,
    pngs: list[Path],
    paragraphs: dict[int, str] | None = None,
) -> None:
    """The report, written again only when what it shows changed (or it is missing);
    ``paragraphs``: the summaries by year, as written to ``summary/``."""
    from antq.outputs.excel import MAX_DATA_ROWS, report_levels, write_report

    table = settled.table
    pairs = frame_of(
        table.group_by(["level", "area"])
        .aggregate([])
        .sort_by([("level", "ascending"), ("area", "ascending")])
    )
    shown = table.filter(pc.is_in(table["level"], pa.array(report_levels(pairs))))
    small = table.num_rows <= MAX_DATA_ROWS
    parts = [tidy_table_of(shown), pa.Table.from_pandas(findings, preserve_index=False)]
    if small:
        parts.append(tidy_table_of(table))
    digest = (
        table_digest(*parts)
        + inp.settings_key()
        + str(table.num_rows)
        + "".join(hashlib.sha256(p.read_bytes()).hexdigest() for p in pngs)
    )
    path = inp.out / "bao_cao_antq.xlsx"
    last = state.meta.get("report") or {}
    kept.meta["report"] = {"digest": digest}
    if last.get("digest") == digest and path.exists():
        return
    shown_df = with_dtypes(frame_of(tidy_table_of(shown)))
    data: pd.DataFrame | int = (
        with_dtypes(frame_of(tidy_table_of(table))) if small else table.num_rows
    )
    write_report(
        shown_df,
        data,
        path,
        findings=findings,
        lang=inp.lang,
        events=inp.events,
        pictures=pngs,
        paragraphs=paragraphs,
    )


def code_digest() -> str:
    """A digest of antq's own code: outputs kept by a build are not trusted by another code."""
    root = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.suffix in (".py", ".csv", ".gz") and "__pycache__" not in path.parts:
            h.update(path.relative_to(root).as_posix().encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def keep_state(
    inp: Inputs,
    reading: Reading,
    settled: Settled,
    rules: dict[str, list[Finding]],
    kept: Outputs,
    state: State,
    tables: dict[str, Any] | None = None,
) -> None:
    """Write what the next build needs (:class:`antq.incremental.State`); ``tables``: what
    :func:`state_tables` wrote already."""
    meta = {
        "read_settings": json.loads(json.dumps(inp.read_settings, default=str)),
        "settings": inp.settings_key(),
        "files": inp.digests,
        "failed": reading.failed,
        "findings": {d: inc.findings_to_json(f) for d, f in reading.findings.items()},
        "spans": reading.spans,
        "table_is_rows": settled.is_rows,
        "duplicates": inc.findings_to_json(settled.findings),
        "pairs_files": sorted(
            settled.pairs_files
            if settled.pairs_files is not None
            else state.meta.get("pairs_files", [])
        ),
        "supersede": sorted((inp.options.supersede or {}).items()),
        "rules": {code: inc.findings_to_json(f) for code, f in rules.items()},
        **kept.meta,
    }
    yoy_path = inp.out / "yoy.csv"
    meta["yoy_csv"] = file_mark(yoy_path) if kept.yoy_index is not None else {}
    State(meta).save(
        inp.out / ".cache",
        reading.rows,
        None if settled.is_rows else settled.table,
        kept.yoy_index,
        last=None if settled.anew or state.rows is None else state,
        changed=reading.changed,
        tables=tables,
    )


def state_tables(
    inp: Inputs,
    reading: Reading,
    rows: inc.Handed | Future[None],
    settled: Settled,
    state: State,
) -> dict[str, Any]:
    """Write the state's tables (:func:`antq.incremental.write_tables`), as
    :func:`keep_state` would: known once the rows are settled. ``rows``: the rows as read,
    handed over (``reading`` holds none of them: see :func:`without_rows`), or the writing
    of them already under way (:func:`antq.incremental.write_rows`)."""
    if isinstance(rows, Future):
        rows.result()  # written (or failed: said here)
    return inc.write_tables(
        inp.out / ".cache",
        reading.spans,
        rows if isinstance(rows, inc.Handed) else None,
        None if settled.is_rows else settled.table,
        last=None if settled.anew or state.rows is None else state,
        changed=reading.changed,
    )
