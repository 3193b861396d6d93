"""Load workbooks into the tidy table: the public entry points of the reading stages.

One policy object, :class:`ReadOptions`, says how to read (what to do with a bad
cell or file, size limit, hidden sheets, workers, the cache, the year, the
enclosing area, which file supersedes which). Two entry points take it:
:func:`read` returns everything reading found (the table with its detail
columns, the findings, the files that failed, the duplicates), and
:func:`load` returns the tidy table alone, warning about problems.
"""

from __future__ import annotations

import gc
import os
import sys
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from itertools import groupby
from pathlib import Path, PurePath
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from antq._gc import gc_paused
from antq._memory import system_allocator
from antq.errors import AntqError, AntqWarning, NoTableError, UnreadableFileError
from antq.findings import Finding, Word, finding
from antq.frontend import option
from antq.reading.accounting import (
    Tally,
    accounting_frame,
    empty_skipped,
    skipped_table,
)
from antq.reading.cells import MAX_FILE_BYTES, READABLE_SUFFIXES, Sheet, read_sheets
from antq.reading.duplicates import (
    SUPERSEDES_FILE,
    Duplicates,
    complete,
    find_duplicates,
    key_hashes,
    read_supersedes,
    repeated,
)
from antq.reading.layout import Layout, diagnose, find_layouts
from antq.reading.rows import ROW_COLUMNS, Same, SheetRows, rows_from_layout
from antq.schema import TIDY_COLUMNS, TIDY_DTYPES, check_tidy
from antq.types import ERROR_POLICIES, ErrorPolicy, one_of

__all__ = [
    "DETAIL_DTYPES",
    "NoYearError",
    "ReadOptions",
    "ReadResult",
    "find_workbooks",
    "folder_listing",
    "load",
    "read",
    "read_files",
    "skipped_files",
    "with_dtypes",
]

Paths = str | os.PathLike[str] | Iterable[str | os.PathLike[str]]


@dataclass(frozen=True)
class ReadOptions:
    """How to read: one policy for :func:`read`, :func:`load`, ``antq check`` and ``antq build``.

    Examples
    --------
    >>> ReadOptions(errors="coerce").with_(workers=1).workers
    1
    """

    #: ``"raise"``: a cell that should hold a number but holds text, or a file that
    #: cannot be read, raises an :class:`~antq.errors.AntqError` naming it.
    #: ``"coerce"``: the cell reads as NA and the file is skipped, each with a finding.
    errors: ErrorPolicy = "raise"
    #: Refuse workbooks larger than this many bytes.
    max_bytes: int = MAX_FILE_BYTES
    #: Also read hidden sheets (skipped by default, with a finding).
    include_hidden: bool = False
    #: Processes reading files in parallel (default: one per core for many files).
    workers: int | None = None
    #: Show a progress bar (default: when there are more than 20 files).
    progress: bool | None = None
    #: The year of workbooks whose title, sheet name or file name give none (a year a
    #: workbook gives is kept: a folder of ten years is not made one).
    year: int | None = None
    #: The area every sheet belongs to where it does not say ("Tỉnh Nam Định").
    within: str | None = None
    #: ``{newer file: (older files…)}``; default: ``supersedes.csv`` of each folder read.
    supersede: Mapping[str, tuple[str, ...]] | None = None

    def __post_init__(self) -> None:
        one_of(self.errors, ERROR_POLICIES, "errors")

    def with_(self, **changes: Any) -> ReadOptions:
        """A copy with some options changed."""
        return replace(self, **changes)


@dataclass
class ReadResult:
    """Everything reading gave: the table with detail columns, findings, files that failed,
    and the accounting of every number of every sheet.

    ``accounting`` has one row per sheet looked at: ``file``, ``sheet``, ``status``
    ("read", "hidden", "no_table"), ``numbers`` (cells holding a number), ``read``
    (cells read into the table), ``skipped``, ``unaccounted`` (numbers neither read nor
    skipped for a known reason: each sheet with some has a ``read.unaccounted``
    finding), then one column per reason of ``antq/data/skip_reasons.csv``. ``skipped``
    has one row per skipped number: ``source`` (``file!sheet!A1``), ``file``,
    ``sheet``, ``cell``, ``reason`` and ``value`` as written.
    """

    table: pd.DataFrame
    findings: list[Finding] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    #: Rows dropped because their key was read twice, with the row kept for each.
    duplicates: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: One row per sheet: numbers seen, read, skipped by reason, unaccounted.
    accounting: pd.DataFrame = field(default_factory=lambda: accounting_frame([]))
    #: One row per number skipped, with its reason.
    skipped: pd.DataFrame = field(default_factory=empty_skipped)
    #: Each row's :func:`~antq.reading.duplicates.key_hashes`, where reading made them.
    keyhash: np.ndarray | None = None


def _candidates(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


#: The user's table of known events beside the workbooks (:func:`antq.read_events`).
EVENTS_FILE: str = "events.csv"
#: antq's own files in the top folder: they describe the reports, they are not reports.
SIDE_FILES: frozenset[str] = frozenset({SUPERSEDES_FILE, EVENTS_FILE})


def _is_side_file(p: Path, root: Path) -> bool:
    return p.name in SIDE_FILES and p.parent == root


def _is_input(p: Path, root: Path, rel: PurePath | None = None) -> bool:
    """A file antq reads: a workbook or CSV file, not a lock file, a hidden file or one of
    the folder's :data:`SIDE_FILES` (``supersedes.csv``: which file replaces which;
    ``events.csv``: the known events). ``rel``: ``p`` relative to ``root``, if known."""
    parts = (rel if rel is not None else p.relative_to(root)).parts
    if p.name.startswith(("~$", ".")) or any(part.startswith(".") for part in parts[:-1]):
        return False
    if _is_side_file(p, root):
        return False
    return p.suffix.lower() in READABLE_SUFFIXES


def _hidden_other(rel: PurePath) -> bool:
    """A hidden file that is no spreadsheet (``.DS_Store``, a ``.git`` folder's objects):
    not worth a line, where a hidden copy of a workbook (``.backup/bc_2019.xlsx``) is."""
    hidden = any(part.startswith(".") for part in rel.parts)
    return hidden and rel.suffix.lower() not in READABLE_SUFFIXES


def folder_listing(
    path: str | os.PathLike[str],
) -> tuple[list[tuple[Path, str]], list[Finding]]:
    """:func:`find_workbooks` and :func:`skipped_files` of ``path`` from one walk of it.

    Examples
    --------
    >>> files, skipped = folder_listing("data/raw")
    >>> len(files), [f.source for f in skipped]
    (12, ['README.md'])
    """
    root = Path(path)
    if not root.is_dir():
        if not root.exists():
            raise AntqError(
                f"{root}: no such file or folder",
                vi=f"{root}: không có file hay thư mục này",
            )
        return [(root, root.name)], []
    files: list[tuple[Path, str]] = []
    skipped: list[Finding] = []
    for p in _candidates(root):
        rel = p.relative_to(root)
        name = rel.as_posix()
        if _is_input(p, root, rel):
            files.append((p, name))
        elif not _is_side_file(p, root) and not _hidden_other(rel):
            skipped.append(
                finding(
                    "read.skipped_file",
                    name,
                    expected=Word("expect.spreadsheet"),
                    found=name,
                    name=name,
                )
            )
    return files, skipped


def find_workbooks(path: str | os.PathLike[str]) -> list[tuple[Path, str]]:
    """Workbooks and CSV files under ``path`` (a file or a folder, searched recursively), sorted.

    Returns ``(path, display name)`` pairs; the display name is relative to the
    folder so sources stay short and unique. Every other file of the folder is
    reported by :func:`skipped_files`.

    Examples
    --------
    >>> [name for _, name in find_workbooks("data/raw")][:2]
    ['BC_ANTQ_2015.xlsx', 'BC_ANTQ_2016.xlsx']
    """
    return folder_listing(path)[0]


def skipped_files(path: str | os.PathLike[str]) -> list[Finding]:
    """An info finding for each file of a folder antq does not read (a .doc, a .pdf, an
    Excel lock file …): no file is left out without a line saying so.

    Examples
    --------
    >>> [f.source for f in skipped_files("data/raw")]
    ['README.md']
    """
    return folder_listing(path)[1] if Path(path).is_dir() else []


@dataclass
class _FileRead:
    """What one file gave: its tables, findings and the tally of each sheet; ``refusal`` is the
    error that refuses it (no table, no year), raised or recorded by the caller."""

    parts: list[SheetRows] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    tallies: list[Tally] = field(default_factory=list)
    refusal: AntqError | None = None


class NoYearError(AntqError):
    """A table whose year antq cannot know: not in the title, a column, the sheet or file name."""


def _no_year(display: str, layout: Layout) -> NoYearError:
    """The refusal of a table whose year appears nowhere, saying where antq looked in this
    sheet: its title as written (or that it has none), its sheet and file names."""
    sheet = layout.sheet
    title = layout.title.strip()
    if title:
        said = f"the title '{title[:80]}' (above row {layout.header_top}) names no year"
        said_vi = f"tiêu đề '{title[:80]}' (trên dòng {layout.header_top}) không ghi năm"
    else:
        said = f"there is no title above the header (row {layout.header_top})"
        said_vi = f"không có tiêu đề phía trên dòng tiêu đề cột (dòng {layout.header_top})"
    return NoYearError(
        f"{display}!{sheet.name}: no year found: {said} ('… năm 2020' was expected), no 'Năm' "
        f"column or column header gives one, nor the sheet name '{sheet.name}' or the file "
        f"name; use {option('year', 'en')}",
        vi=f"{display}!{sheet.name}: không tìm thấy năm báo cáo: {said_vi} (cần '… năm 2020'), "
        f"không có cột 'Năm' hay tiêu đề cột ghi năm, tên sheet '{sheet.name}' và tên file "
        f"cũng không; ghi năm vào tiêu đề hoặc dùng {option('year')}",
    )


def _has_year(layout: Layout, opts: ReadOptions) -> bool:
    return (
        layout.year is not None
        or opts.year is not None
        or layout.year_col is not None
        or any(c.year is not None for c in layout.columns)
    )


def _read_cells(parts: list[SheetRows]) -> set[tuple[int, int]]:
    """The file cells the tidy rows of ``parts`` were read from."""
    from openpyxl.utils import column_index_from_string

    out: set[tuple[int, int]] = set()
    for part in parts:
        cols = part.columns
        for letters, rows in (("a_col", "a_row"), ("t_col", "t_row"), ("r_col", "r_row")):
            for letter, row, *values in zip(
                cols[letters],
                cols[rows],
                cols["achieved"],
                cols["total"],
                cols["reported_rate"],
                strict=True,
            ):
                if letter is not None and row is not None and any(v is not None for v in values):
                    out.add((int(row), column_index_from_string(str(letter))))  # type: ignore[call-overload]
    return out


def _read_sheet(
    sheet: Sheet, display: str, opts: ReadOptions, out: _FileRead
) -> tuple[str, str] | None:
    """Read one sheet into ``out``; return what antq found in a sheet without a table."""
    tally = Tally.of(sheet)
    out.tallies.append(tally)
    if sheet.hidden and not opts.include_hidden:
        tally.status = "hidden"
        tally.skip_all(sheet, "hidden_sheet")
        if sheet.n_rows:
            out.findings.append(
                finding(
                    "read.hidden_sheet",
                    f"{display}!{sheet.name}",
                    sheet=sheet.name,
                    n=tally.numbers,
                )
            )
        return None
    layouts = find_layouts(sheet)
    if not layouts:
        tally.status = "no_table"
        tally.skip_all(sheet, "outside_table")
        return diagnose(sheet) if sheet.n_rows else None
    parts: list[SheetRows] = []
    for layout in layouts:
        if not _has_year(layout, opts):
            raise _no_year(display, layout)
        got = rows_from_layout(
            layout, errors=opts.errors, year=opts.year, within=opts.within, tally=tally
        )
        tally.read += got.read_cells
        parts.append(got)
        out.findings.extend(got.findings)
    outside = tally.skip_outside(sheet, [t.region() for t in layouts])
    if outside:
        cells = ", ".join(sheet.source(r, c).rsplit("!", 1)[1] for r, c in outside[:5])
        out.findings.append(
            finding(
                "read.outside_table",
                sheet.source(*outside[0]),
                expected="numbers inside an indicator table",
                found=cells,
                sheet=sheet.name,
                n=len(outside),
                cells=cells + (" …" if len(outside) > 5 else ""),
            )
        )
    out.findings.extend(tally.settle(sheet, lambda: _read_cells(parts)))
    out.parts.extend(parts)
    return None


def _no_table(display: str, without: list[tuple[str, tuple[str, str]]]) -> NoTableError:
    """The refusal of a workbook none of whose sheets holds a table, sheet by sheet."""
    en = "; ".join(f"sheet '{name}': {why[0]}" for name, why in without) or "no sheet is visible"
    vi = "; ".join(f"sheet '{name}': {why[1]}" for name, why in without) or "không sheet nào hiện"
    return NoTableError(
        f"{display}: no sheet holds an indicator table ({en}); expected a header row with "
        "'Đơn vị' over the area names and columns such as 'Khu dân cư văn hóa' or "
        "'Cơ quan › Đạt'",
        vi=f"{display}: không sheet nào có bảng chỉ tiêu ({vi}); cần dòng tiêu đề có cột "
        "'Đơn vị' và các cột như 'Khu dân cư văn hóa' hay 'Cơ quan › Đạt'",
    )


def _no_table_findings(
    display: str, without: list[tuple[str, tuple[str, str]]], tallies: list[Tally]
) -> list[Finding]:
    numbers = {t.sheet: t.numbers for t in tallies}
    return [
        finding(
            "read.no_table",
            f"{display}!{name}",
            sheet=name,
            n=numbers.get(name, 0),
            why=why[0],
            why_vi=why[1],
        )
        for name, why in without
    ]


def _read_one(path: Path, display: str, opts: ReadOptions) -> _FileRead:
    sheets = read_sheets(path, display, max_bytes=opts.max_bytes)
    if not sheets or all(not s.n_rows for s in sheets):
        raise NoTableError(
            f"{display}: the workbook is empty, expected an indicator table",
            vi=f"{display}: file không có dữ liệu, cần một bảng chỉ tiêu",
        )
    out = _FileRead()
    without: list[tuple[str, tuple[str, str]]] = []
    for sheet in sheets:
        try:
            why = _read_sheet(sheet, display, opts, out)
        except NoYearError as exc:
            if opts.errors == "raise":
                raise
            out.refusal = exc  # the file is refused, its sheets accounted for
            return out
        if why is not None:
            without.append((sheet.name, why))
    if not out.parts:
        out.refusal = _no_table(display, without)
    else:
        out.findings.extend(_no_table_findings(display, without, out.tallies))
    return out


#: Text as pandas keeps it (``large_string``): made so in the workers, it is not cast again,
#: a copy of every text column, when the table becomes pandas (:func:`_frame`).
_TEXT = pa.large_string()

_ARROW_TYPES: dict[str, pa.DataType] = {
    "year": pa.int64(),
    "province": _TEXT,
    "district": _TEXT,
    "area": _TEXT,
    "area_code": _TEXT,
    "level": _TEXT,
    "indicator": _TEXT,
    "achieved": pa.int64(),
    "total": pa.int64(),
    "reported_rate": pa.float64(),
    "a_col": _TEXT,
    "t_col": _TEXT,
    "r_col": _TEXT,
    "a_row": pa.int64(),
    "t_row": pa.int64(),
    "r_row": pa.int64(),
    "table": _TEXT,
    "row": pa.int64(),
    "is_total": pa.bool_(),
}


class _Pool:
    """One column's values: each distinct list (or repeated value) once, and which of them
    each row takes; turned into an Arrow array by one conversion and one take."""

    def __init__(self) -> None:
        self.values: list[object] = []
        self.lists: dict[int, tuple[int, list[object]]] = {}  # id → (offset, the list)
        self.same: dict[object, int] = {}
        # Per block: where its values start, how many rows, whether they run on (a list) or
        # repeat one value; the indices are made in one step (:meth:`_picks`), not an array
        # per block.
        self.starts: list[int] = []
        self.counts: list[int] = []
        self.runs: list[bool] = []

    def add(self, v: list[object] | Same, n: int) -> None:
        if isinstance(v, Same):
            at = self.same.get(v.value)
            if at is None:
                at = self.same[v.value] = len(self.values)
                self.values.append(v.value)
            self._pick(at, n, False)
            return
        known = self.lists.get(id(v))
        if known is None or known[1] is not v:
            known = self.lists[id(v)] = (len(self.values), v)
            self.values.extend(v)
        self._pick(known[0], n, True)

    def _pick(self, start: int, n: int, run: bool) -> None:
        self.starts.append(start)
        self.counts.append(n)
        self.runs.append(run)

    def _picks(self) -> np.ndarray:
        """Each block's indices in turn: start, start + 1, … for a list; start, start, …
        for a repeated value."""
        counts = np.array(self.counts, dtype=np.int64)
        total = int(counts.sum())
        first = np.repeat(np.cumsum(counts) - counts, counts)  # each row's block's first row
        step = np.repeat(np.array(self.runs, dtype=np.int64), counts)
        return np.repeat(np.array(self.starts, dtype=np.int64), counts) + step * (
            np.arange(total, dtype=np.int64) - first
        )

    def array(self, typ: pa.DataType) -> pa.Array:
        values = pa.array(self.values, typ)
        if not self.starts:
            return values
        return values.take(self._picks())

    def dictionary(self, typ: pa.DataType) -> pa.DictionaryArray:
        """The column as indices into its values: each value once, not once a row."""
        values = pa.array(self.values, typ)
        picks = self._picks() if self.starts else np.arange(len(values), dtype=np.int64)
        # A missing value is a missing index: Arrow joins dictionaries only without nulls.
        valid = values.is_valid().to_numpy(zero_copy_only=False)
        indices = pa.array(picks.astype(np.int32), mask=~valid[picks])
        return pa.DictionaryArray.from_arrays(indices, pc.fill_null(values, ""))


def _block_columns(parts: list[SheetRows]) -> dict[str, pa.Array]:
    """Each column of :data:`ROW_COLUMNS` over every block, as one Arrow array.

    A list shared by the blocks of a table (its rows' names …) is converted once and
    repeated by index; a value the same on every row of a block, from one element.
    """
    pools = {c: _Pool() for c in ROW_COLUMNS}
    for part in parts:
        for block in part.blocks:
            for c, v in block.values.items():
                pools[c].add(v, block.n)
        for pool in pools.values():
            pool.lists.clear()  # the next table's lists are new ones
    return {
        c: pools[c].dictionary(typ) if c in _DICTIONARY else pools[c].array(typ)
        for c, typ in _ARROW_TYPES.items()
    }


#: Text columns of few values, made dictionaries in the workers (each value once, and an
#: index a row): a national load's tables cross to the parent as 170 MB, not 310, and are
#: made text again once there (:func:`_frame`).
_DICTIONARY = frozenset(
    {"province", "district", "area", "area_code", "level", "indicator", "table"}
)


def _decoded(col: pa.ChunkedArray) -> pa.Array:
    """A dictionary column as text in one array: its chunks' dictionaries joined, then one
    take (no chunk decoded apart and copied again)."""
    if not col.num_chunks:
        return pa.array([], col.type.value_type)
    joined = col.unify_dictionaries()
    indices = pa.concat_arrays([chunk.indices for chunk in joined.chunks])
    return joined.chunk(0).dictionary.take(indices)


def _rounded_rates(rates: np.ndarray) -> np.ndarray:
    """Rates rounded to 12 decimals: 94.75 / 100 is 0.9475000000000001 in binary, and the
    file meant 0.9475. NumPy rounds by multiplying by 10**12 first: a rate past 1e280 (a
    number typed where a rate belongs) would become infinity, so it is kept as read.

    Examples
    --------
    >>> _rounded_rates(np.array([94.75 / 100, 1e300, np.nan])).tolist()
    [0.9475, 1e+300, nan]
    """
    out = rates.copy()
    small = np.abs(rates) < 1e280  # NaN is not: it stays
    out[small] = np.round(rates[small], 12)
    return out


def _arrow(parts: list[SheetRows]) -> pa.Table:
    """The sheets' blocks as one Arrow table, with each number's cell as text.

    Arrow arrays are built from the lists at C speed and cross from a worker
    process as buffers, not as millions of Python objects.
    """
    columns = _block_columns(parts)
    table = columns["table"].cast(_TEXT)

    def cell(letters: pa.Array, rows: pa.Array) -> pa.Array:
        # "file!sheet" + "!" + "D" + "12"; a missing column letter gives a missing source.
        joined = pc.binary_join_element_wise(letters, pc.cast(rows, _TEXT), pa.scalar("", _TEXT))
        return pc.binary_join_element_wise(table, joined, pa.scalar("!", _TEXT))

    achieved, total = columns["achieved"], columns["total"]
    rate = pc.divide(
        pc.cast(achieved, pa.float64()),
        pc.if_else(pc.equal(total, 0), None, pc.cast(total, pa.float64())),
    )
    return pa.table(
        {
            **{c: columns[c] for c in ("year", "province", "district", "area", "area_code")},
            "level": columns["level"],
            "indicator": columns["indicator"],
            "achieved": achieved,
            "total": total,
            "rate": rate,
            "reported_rate": pa.array(
                _rounded_rates(columns["reported_rate"].to_numpy(zero_copy_only=False)),
                from_pandas=True,  # NaN back to missing
            ),
            "source": cell(columns["a_col"], columns["a_row"]),
            "total_source": cell(columns["t_col"], columns["t_row"]),
            "rate_source": cell(columns["r_col"], columns["r_row"]),
            "table": columns["table"],
            "row": columns["row"],
            "is_total": columns["is_total"],
        }
    )


_TO_PANDAS = {
    pa.int64(): pd.Int64Dtype(),
    pa.float64(): pd.Float64Dtype(),
    pa.string(): pd.StringDtype("pyarrow"),
    _TEXT: pd.StringDtype("pyarrow"),
}

#: dtypes of the detail columns kept beside the tidy ones.
DETAIL_DTYPES: dict[str, str] = {
    "total_source": "string",
    "rate_source": "string",
    "table": "string",
    "row": "int64",
    "is_total": "bool",
}


#: Columns with a NumPy dtype in the table (never missing): the rest are nullable.
_NUMPY_DTYPES: dict[str, str] = {"year": "int64", "row": "int64", "is_total": "bool"}


def _frame(table: pa.Table) -> pd.DataFrame:
    """The table with detail columns (tidy dtypes) from the workers' Arrow tables.

    Each column is converted once: text into one Arrow chunk (taking rows from a column of
    many chunks copies it whole first), numbers straight to their dtype. Combining the
    whole table first and converting it after copied every number twice.
    """
    columns: dict[str, Any] = {}
    for name, col in zip(table.column_names, table.columns, strict=True):
        if name in _NUMPY_DTYPES:
            # A missing one fails in astype, as the contract wants.
            columns[name] = (
                col.to_numpy()
                if not col.null_count
                else col.to_pandas(types_mapper=_TO_PANDAS.get).astype(_NUMPY_DTYPES[name])
            )
        elif col.type == _TEXT:
            columns[name] = pd.arrays.ArrowStringArray(col.combine_chunks())
        elif pa.types.is_dictionary(col.type):
            columns[name] = pd.arrays.ArrowStringArray(_decoded(col))
        else:
            columns[name] = col.to_pandas(types_mapper=_TO_PANDAS.get).array
    return pd.DataFrame(columns, copy=False)


def with_dtypes(df: pd.DataFrame) -> pd.DataFrame:
    """The table with the contract's dtypes (after a round trip through Parquet, say)."""
    return df.astype({**TIDY_DTYPES, **{k: v for k, v in DETAIL_DTYPES.items() if k in df}})


_Chunk = tuple[
    pa.Table, list[Finding], dict[str, str], list[dict[str, object]], pa.Table, np.ndarray
]


@gc_paused()  # reading leaves no garbage in cycles to collect (antq._gc)
@system_allocator()  # a spawned worker's pool too (antq._memory)
def _read_files(items: list[tuple[Path, str]], opts: ReadOptions) -> _Chunk:
    """Read some files; a worker process runs this on its share of a folder.

    Returns the rows, the findings, the files refused, the accounting of every sheet and
    its skipped cells (Arrow tables cross from a worker as buffers), and each row's key
    hash (made here, beside the other workers, not after them in the parent).
    """
    parts: list[SheetRows] = []
    findings: list[Finding] = []
    failed: dict[str, str] = {}
    tallies: list[Tally] = []
    for fpath, display in items:
        try:
            got = _read_one(fpath, display, opts)
        except AntqError as exc:
            got = _FileRead(refusal=exc)
        tallies.extend(got.tallies)
        refusal = got.refusal
        if refusal is not None:
            if opts.errors == "raise":
                raise refusal
            failed[display] = str(refusal)
            findings.append(
                finding("read.unreadable", display, reason=str(refusal), reason_vi=refusal.vi)
            )
            continue
        parts.extend(got.parts)
        findings.extend(got.findings)
    table = _arrow(parts)
    accounted = [t.row() for t in tallies]
    return table, findings, failed, accounted, skipped_table(tallies), key_hashes(table)


#: Files per task handed to a worker process: large enough to amortise the hand-over.
CHUNK_FILES: int = 16
#: Below this many files, reading in one process is faster than starting workers.
PARALLEL_MIN_FILES: int = 24


def _workers(requested: int | None, n_files: int) -> int:
    if requested is not None:
        return max(1, requested)
    if n_files < PARALLEL_MIN_FILES:
        return 1
    return max(1, min(os.cpu_count() or 1, 8))


def _chunks(files: list[tuple[Path, str]], size: int) -> list[list[tuple[Path, str]]]:
    """The files, in order, in chunks of at most ``size``, a folder's files in one chunk
    when they fit: a district's workbooks of several years name the same areas, and a
    worker resolves a name once for all its chunks (the other worker would again).

    Examples
    --------
    >>> files = [(Path(f"{d}/{y}.xlsx"), "") for d in "ab" for y in range(3)]
    >>> [[f"{p.parent}/{p.stem}" for p, _ in c] for c in _chunks(files, 4)]
    [['a/0', 'a/1', 'a/2'], ['b/0', 'b/1', 'b/2']]
    >>> [len(c) for c in _chunks(files, 2)]
    [2, 1, 2, 1]
    """
    chunks: list[list[tuple[Path, str]]] = []
    current: list[tuple[Path, str]] = []
    for _, run in groupby(files, key=lambda item: item[0].parent):
        together = list(run)
        for i in range(0, len(together), size):
            piece = together[i : i + size]
            if current and len(current) + len(piece) > size:
                chunks.append(current)
                current = []
            current.extend(piece)
    if current:
        chunks.append(current)
    return chunks


def _run(files: list[tuple[Path, str]], opts: ReadOptions) -> list[_Chunk]:
    """Read the files in chunks, in worker processes when there are many, in order."""
    n_workers = _workers(opts.workers, len(files))
    chunks = _chunks(files, CHUNK_FILES)
    show = opts.progress if opts.progress is not None else len(files) > 20
    bar = None
    if show:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(files), desc="antq", unit="file")
    results: list[_Chunk] = []
    try:
        if n_workers == 1 or len(chunks) == 1:
            for chunk in chunks:
                results.append(_read_files(chunk, opts))
                if bar is not None:
                    bar.update(len(chunk))
        else:
            import multiprocessing as mp
            from concurrent.futures import ProcessPoolExecutor

            # Linux forks: workers start at once and need no importable __main__ (a
            # notebook or `python -` has none); elsewhere the platform's safe default.
            ctx = mp.get_context("fork" if sys.platform.startswith("linux") else "spawn")
            # A forked worker starts with the parent's objects (pandas, pyarrow, whatever the
            # caller holds): frozen, the worker's full garbage collections skip them instead
            # of walking them all again, and their pages stay shared with the parent.
            with ProcessPoolExecutor(n_workers, mp_context=ctx, initializer=gc.freeze) as pool:
                futures = [pool.submit(_read_files, chunk, opts) for chunk in chunks]
                for fut, chunk in zip(futures, chunks, strict=True):
                    results.append(fut.result())  # in order: the same table as a serial run
                    if bar is not None:
                        bar.update(len(chunk))
    finally:
        if bar is not None:
            bar.close()
    return results


@system_allocator()  # fresh memory comes faster from malloc here (antq._memory)
def read_files(
    files: list[tuple[Path, str]],
    options: ReadOptions | None = None,
    *,
    keep_duplicates: bool = False,
) -> ReadResult:
    """Read ``(path, display name)`` pairs; the engine behind :func:`read` and the build cache.

    ``keep_duplicates=True`` keeps a key read twice (the cache stores each file's own rows).
    """
    opts = options or ReadOptions()
    results = _run(files, opts)
    tables = [r[0] for r in results] or [_arrow([])]
    hashes = np.concatenate([r[5] for r in results]) if results else np.zeros(0, np.uint64)
    read = ReadResult(
        pd.DataFrame(),
        [f for r in results for f in r[1]],
        {k: v for r in results for k, v in r[2].items()},
        accounting=accounting_frame([row for r in results for row in r[3]]),
        skipped=_skipped_frame([r[4] for r in results]),
    )
    del results  # the workers' tables are in ``tables``
    if keep_duplicates:
        return replace(read, table=_frame(pa.concat_tables(tables)), keyhash=hashes)
    return _deduped(read, tables, hashes, opts.supersede or {})


def _deduped(
    read: ReadResult,
    tables: list[pa.Table],
    hashes: np.ndarray,
    supersede: Mapping[str, tuple[str, ...]],
) -> ReadResult:
    """``read`` with the workers' ``tables`` as its table, one row per key (:func:`dedupe`).

    Keys read twice are looked for among the rows whose hash (made by the workers) repeats,
    a few rows taken as a frame of their own; the rows kept are copied once, dropping the
    others from the few tables that hold them (dropping them from the whole table after
    copied it all again: fresh memory, slow to come on the machine antq is measured on).
    """
    found, rows_at = duplicates_among(lambda at: _frame(take_rows(tables, at)), hashes, supersede)
    if found.pairs.empty:
        return replace(read, table=_frame(pa.concat_tables(tables)), keyhash=hashes)
    kept = _frame(pa.concat_tables(_without_rows(tables, found.keep)))
    return _without(replace(read, keyhash=hashes), found, kept, rows_at)


def duplicates_among(
    take: Callable[[np.ndarray], pd.DataFrame],
    hashes: np.ndarray,
    supersede: Mapping[str, tuple[str, ...]],
) -> tuple[Duplicates, Callable[[np.ndarray], pd.DataFrame]]:
    """:func:`~antq.reading.duplicates.find_duplicates` of a table known by its rows' key
    hashes (``hashes``) and ``take``, which gives its rows at some positions as a frame:
    only the rows whose hash repeats are taken, and compared by their keys.

    Returns what it finds, in positions of the whole table, and the rows at positions among
    those taken (all that :func:`completed` and :func:`_without` ask for).
    """
    alike = repeated(hashes.view(np.int64))
    few = take(alike)
    found = find_duplicates(few, supersede=supersede)
    keep = np.ones(len(hashes), dtype=bool)
    keep[alike] = found.keep
    pairs = found.pairs
    if not pairs.empty:
        pairs = pairs.assign(
            row=alike[pairs["row"].to_numpy()], kept_row=alike[pairs["kept_row"].to_numpy()]
        )

    def rows_at(positions: np.ndarray) -> pd.DataFrame:  # all among ``alike``
        return few.iloc[np.searchsorted(alike, positions)].reset_index(drop=True)

    return replace(found, keep=keep, pairs=pairs), rows_at


def take_rows(tables: list[pa.Table], positions: np.ndarray) -> pa.Table:
    """The rows at ``positions`` (sorted) of the tables one after the other, taken table by
    table: a take across many chunks would join them into one first."""
    bounds = np.cumsum([0, *(t.num_rows for t in tables)])
    parts = [
        t.take(pa.array(positions[a:b] - bounds[i]))
        for i, (t, a, b) in enumerate(
            zip(
                tables,
                np.searchsorted(positions, bounds[:-1]),
                np.searchsorted(positions, bounds[1:]),
                strict=True,
            )
        )
        if b > a
    ]
    return pa.concat_tables(parts) if parts else tables[0].slice(0, 0)


def _without_rows(tables: list[pa.Table], keep: np.ndarray) -> list[pa.Table]:
    """The tables (one after the other, ``keep`` spanning them) without the rows not kept."""
    out: list[pa.Table] = []
    at = 0
    for t in tables:
        mine = keep[at : at + t.num_rows]
        at += t.num_rows
        out.append(t if mine.all() else t.filter(pa.array(mine, pa.bool_())))
    return out


def _skipped_frame(tables: list[pa.Table]) -> pd.DataFrame:
    if not tables:
        return empty_skipped()
    return pa.concat_tables(tables).to_pandas(types_mapper=_TO_PANDAS.get)


def dedupe(result: ReadResult, supersede: Mapping[str, tuple[str, ...]]) -> ReadResult:
    """Keep one row per key: duplicates become findings (both cells) and ``result.duplicates``;
    the cells only dropped rows were read from are skipped as ``duplicate`` in the accounting."""
    found = find_duplicates(result.table, supersede=supersede, hashes=result.keyhash)
    if found.pairs.empty:
        return result
    table = result.table

    def rows_at(positions: np.ndarray) -> pd.DataFrame:
        return table.iloc[positions].reset_index(drop=True)

    return _without(result, found, _filtered(table, found.keep), rows_at)


def _without(
    result: ReadResult,
    found: Duplicates,
    kept: pd.DataFrame,
    rows_at: Callable[[np.ndarray], pd.DataFrame],
) -> ReadResult:
    """``result`` without the rows ``found`` drops. ``kept``: the rows it keeps
    (``found.keep``), with a new index, to be completed from the readings dropped;
    ``rows_at``: the rows of the table read at some positions (those of ``found.pairs``)."""
    table = _kept(rows_at, kept, found.keep, found.pairs)
    dropped = rows_at(np.flatnonzero(~found.keep))
    accounting, skipped = _drop_accounted(result, table, dropped)
    return ReadResult(
        table,
        result.findings + found.findings,
        result.failed,
        found.pairs,
        accounting=accounting,
        skipped=skipped,
        keyhash=None if result.keyhash is None else result.keyhash[found.keep],
    )


#: The columns :func:`~antq.reading.duplicates.complete` may change in a kept row.
COMPLETED: tuple[str, ...] = (
    "achieved",
    "total",
    "reported_rate",
    "rate",
    "source",
    "total_source",
    "rate_source",
)


def _filtered(table: pd.DataFrame, keep: np.ndarray) -> pd.DataFrame:
    """``table[keep]`` with a new index; Arrow filters the text columns, a third of the time
    pandas takes to gather a million strings by position."""
    mask = pa.array(keep, pa.bool_())
    columns: dict[str, Any] = {}
    for name in table.columns:
        values = table[name].array
        if isinstance(values, pd.arrays.ArrowStringArray):
            columns[name] = pd.arrays.ArrowStringArray(values.__arrow_array__().filter(mask))
        else:
            columns[name] = values[keep]
    return pd.DataFrame(columns, copy=False)


def completed(
    rows_at: Callable[[np.ndarray], pd.DataFrame], keep: np.ndarray, pairs: pd.DataFrame
) -> tuple[np.ndarray, pd.DataFrame] | None:
    """The kept rows a reading that agrees completes (:func:`~antq.reading.duplicates.complete`):
    their positions in the table read, and their rows completed (a frame of their own, the
    columns of ``rows_at``); None when no reading agrees with another.

    ``rows_at``: the rows of the table read at some positions (those of ``pairs``).
    """
    if not (pairs["outcome"] == "same").any():
        return None  # only readings that agree complete one another
    row, kept_row = pairs["row"].to_numpy(), pairs["kept_row"].to_numpy()
    involved = np.unique(np.concatenate([row, kept_row]))
    at = {"row": np.searchsorted(involved, row), "kept_row": np.searchsorted(involved, kept_row)}
    done = complete(rows_at(involved), pairs.assign(**at))
    mine = keep[involved]
    return involved[mine], done[mine].reset_index(drop=True)


def _kept(
    rows_at: Callable[[np.ndarray], pd.DataFrame],
    out: pd.DataFrame,
    keep: np.ndarray,
    pairs: pd.DataFrame,
) -> pd.DataFrame:
    """The rows of the table read to keep (``out``: those where ``keep``), each completed
    from the readings dropped for its key (``rows_at``: the rows read at some positions).

    Only the rows of ``pairs`` are completed, as a small table of their own, and written
    back into the kept rows: completing the whole table would copy every column.
    """
    got = completed(rows_at, keep, pairs)
    if got is None:
        return out
    positions, done = got
    where = (np.cumsum(keep) - 1)[positions]  # where they are in ``out``
    for col in COMPLETED:
        if col not in out.columns:
            continue
        # Writing into a text column copies all of it: only the values completion changed.
        new, old = done[col].array, out[col].array[where]
        same = (new == old).to_numpy(dtype=bool, na_value=False) | (new.isna() & old.isna())
        if not same.all():
            out.iloc[where[~same], out.columns.get_loc(col)] = new[~same]
    return out


_SOURCES = (("source", "achieved"), ("total_source", "total"), ("rate_source", "reported_rate"))


def _drop_accounted(
    result: ReadResult, kept: pd.DataFrame, dropped: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The accounting once the rows not ``kept`` are ``dropped``: a cell no kept row of its
    table reads is skipped as ``duplicate`` (its key was read from another cell too)."""
    tables = set(dropped["table"].dropna())
    cells = {s for col, _ in _SOURCES for s in dropped[col].dropna()}
    # Which of the dropped rows' few cells a kept row of their tables reads too, asked of
    # each column at once: a Python set of every kept cell would walk a hundred thousand
    # rows.
    mine = np.flatnonzero(kept["table"].isin(tables).to_numpy(dtype=bool))
    kept_cells: set[str] = set()
    for col, _ in _SOURCES:
        theirs = kept[col].iloc[mine]
        kept_cells.update(theirs[theirs.isin(cells).to_numpy(dtype=bool, na_value=False)])
    lost: dict[str, str] = {}
    for col, value in _SOURCES:
        for src, v in zip(dropped[col], dropped[value], strict=True):
            if isinstance(src, str) and not pd.isna(v) and src not in kept_cells:
                lost.setdefault(src, str(v))
    if not lost:
        return result.accounting, result.skipped
    rows = []
    for src, v in lost.items():
        where, cell = src.rsplit("!", 1)
        file, sheet = where.split("!", 1)
        rows.append(
            {
                "source": src,
                "file": file,
                "sheet": sheet,
                "cell": cell,
                "reason": "duplicate",
                "value": v,
            }
        )
    extra = pd.DataFrame(rows).astype(result.skipped.dtypes.to_dict())
    accounting = result.accounting.copy()
    counts = extra.groupby(["file", "sheet"]).size()
    # Each sheet's count, aligned on the accounting's rows at once (a .loc per sheet costs
    # milliseconds each).
    sheets = pd.MultiIndex.from_frame(accounting[["file", "sheet"]])
    n = counts.reindex(sheets, fill_value=0).to_numpy()
    accounting["read"] -= n
    accounting["skipped"] += n
    accounting["duplicate"] += n
    return accounting, pd.concat([result.skipped, extra], ignore_index=True)


def _supersedes(
    paths: list[str | os.PathLike[str]], opts: ReadOptions
) -> dict[str, tuple[str, ...]]:
    if opts.supersede is not None:
        return dict(opts.supersede)
    out: dict[str, tuple[str, ...]] = {}
    for p in paths:
        if Path(p).is_dir():
            out.update(read_supersedes(Path(p)))
    return out


def read(paths: Paths, options: ReadOptions | None = None, **changes: Any) -> ReadResult:
    """Read workbooks and return the table with detail columns, findings and failures.

    Unlike :func:`load`, an unreadable file does not stop the others when
    ``errors="coerce"``: it is listed in ``failed``.

    Parameters
    ----------
    paths
        A workbook, a folder (searched recursively), or a list of them.
    options
        A :class:`ReadOptions`; keywords (``errors="coerce"``, ``workers=1`` …)
        change single options.

    Examples
    --------
    >>> res = read("data/raw")
    >>> res.table.columns[-5:].tolist()
    ['total_source', 'rate_source', 'table', 'row', 'is_total']
    """
    opts = (options or ReadOptions()).with_(**changes)
    roots = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    # One walk of each folder gives the files to read and the findings of those it skips.
    listed = [folder_listing(p) for p in roots]
    files = _told_apart([(Path(root), got) for root, (got, _) in zip(roots, listed, strict=True)])
    empty = {
        str(r): _no_spreadsheet(r) for r, (got, _) in zip(roots, listed, strict=True) if not got
    }
    if empty and opts.errors == "raise":
        raise next(iter(empty.values()))  # before the other folders are read
    result = read_files(files, opts.with_(supersede=_supersedes(roots, opts)))
    result.findings = (
        [f for _, skipped in listed for f in skipped]
        + [finding("read.unreadable", r, reason=str(e), reason_vi=e.vi) for r, e in empty.items()]
        + result.findings
    )
    return result


def _no_spreadsheet(folder: str | os.PathLike[str]) -> UnreadableFileError:
    """A folder holding no file antq reads: a mistyped or empty folder is said, not read as a
    table of no rows that looks clean."""
    kinds = ", ".join(sorted(READABLE_SUFFIXES))
    return UnreadableFileError(
        f"{folder}: no spreadsheet ({kinds}) in this folder",
        vi=f"{folder}: thư mục không có file bảng tính nào ({kinds})",
    )


def _told_apart(listed: list[tuple[Path, list[tuple[Path, str]]]]) -> list[tuple[Path, str]]:
    """The files of several roots, a name two roots share prefixed by its root's folder
    name: two folders' "hai_hau_2024.xlsx" would be one name in every source and finding.

    Examples
    --------
    >>> import tempfile
    >>> a, b = (Path(tempfile.mkdtemp()) / d for d in "ab")
    >>> a.mkdir(), b.mkdir()
    (None, None)
    >>> _told_apart([(a, [(a / "h.xlsx", "h.xlsx")]), (b, [(b / "h.xlsx", "h.xlsx")])])[1][1]
    'b/h.xlsx'
    """
    seen = Counter(name for _root, files in listed for _p, name in files)
    out = []
    for root, files in listed:
        folder = root.name if root.is_dir() else root.parent.name  # a file given alone
        out += [(p, f"{folder}/{name}" if seen[name] > 1 else name) for p, name in files]
    return out


def load(
    paths: Paths, options: ReadOptions | None = None, *, detail: bool = False, **changes: Any
) -> pd.DataFrame:
    """Load one workbook or a folder of them into the tidy table.

    Parameters
    ----------
    paths
        A workbook, a folder (searched recursively), or a list of them.
        Files are opened read-only and never written.
    options
        A :class:`ReadOptions`; or change single options with keywords:
        ``errors`` ("raise", the default, or "coerce"), ``max_bytes``,
        ``include_hidden``, ``workers``, ``progress``, ``year``, ``within``,
        ``supersede`` (see :class:`ReadOptions`).
    detail
        Keep the provenance columns ``total_source``, ``rate_source``,
        ``table``, ``row`` and ``is_total`` after the tidy ones.

    Returns
    -------
    pandas.DataFrame
        One row per year × province × district × area × level × indicator
        (see :mod:`antq.schema`). Problems met while reading are
        :class:`~antq.errors.AntqWarning` warnings; :func:`read` returns them.

    Examples
    --------
    >>> import antq
    >>> df = antq.load("data/raw")
    >>> row = df.query("year == 2020 and level == 'province' and indicator == 'safe_school'")
    >>> r = row.iloc[0]
    >>> r["area"], int(r["achieved"]), float(r["reported_rate"]), r["source"]
    ('Tỉnh Nam Định', 772, 0.989, 'BC_ANTQ_2020.xlsx!ANTT!L19')
    """
    result = read(paths, options, **changes)
    # Info findings (a skipped hidden sheet, a sheet without a table) are not
    # warnings: they are in read(...).findings and antq.check().
    for f in result.findings:
        if f.severity != "info":
            warnings.warn(AntqWarning(f), stacklevel=2)
    # read() keeps one row per key (dedupe): checking that again would cost a third of the
    # time spent after the workers return.
    tidy = check_tidy(result.table[list(TIDY_COLUMNS)], unique=False)
    return result.table if detail else tidy
