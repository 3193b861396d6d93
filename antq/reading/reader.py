"""Load workbooks into the tidy table: the public entry points of the reading stages.

One policy object, :class:`ReadOptions`, says how to read (what to do with a bad
cell or file, size limit, hidden sheets, workers, the cache, the year, the
enclosing area, which file supersedes which). Two entry points take it:
:func:`read` returns everything reading found (the table with its detail
columns, the findings, the files that failed, the duplicates), and
:func:`load` returns the tidy table alone, warning about problems.
"""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from antq.errors import AntqError, AntqWarning, NoTableError
from antq.findings import Finding, finding
from antq.frontend import option
from antq.reading.cells import MAX_FILE_BYTES, SPREADSHEET_SUFFIXES, read_sheets
from antq.reading.duplicates import complete, find_duplicates, read_supersedes
from antq.reading.layout import find_layout
from antq.reading.rows import ROW_COLUMNS, SheetRows, rows_from_layout
from antq.schema import TIDY_COLUMNS, TIDY_DTYPES, check_tidy
from antq.types import ERROR_POLICIES, ErrorPolicy, one_of

__all__ = [
    "DETAIL_DTYPES",
    "ReadOptions",
    "ReadResult",
    "find_workbooks",
    "load",
    "read",
    "read_files",
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
    #: Use this year instead of the one found in the title, sheet name or file name.
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
    """Everything reading gave: the table with detail columns, findings, files that failed."""

    table: pd.DataFrame
    findings: list[Finding] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    #: Rows dropped because their key was read twice, with the row kept for each.
    duplicates: pd.DataFrame = field(default_factory=pd.DataFrame)


def find_workbooks(path: str | os.PathLike[str]) -> list[tuple[Path, str]]:
    """Workbooks under ``path`` (a file or a folder, searched recursively), sorted.

    Returns ``(path, display name)`` pairs; the display name is relative to the
    folder so sources stay short and unique. Excel's lock files (``~$…``) are skipped.

    Examples
    --------
    >>> [name for _, name in find_workbooks("data/raw")][:2]
    ['BC_ANTQ_2015.xlsx', 'BC_ANTQ_2016.xlsx']
    """
    root = Path(path)
    if root.is_dir():
        files = sorted(
            p
            for p in root.rglob("*")
            if p.is_file()
            and p.suffix.lower() in SPREADSHEET_SUFFIXES
            and not p.name.startswith(("~$", "."))
        )
        return [(p, p.relative_to(root).as_posix()) for p in files]
    if not root.exists():
        raise AntqError(
            f"{root}: no such file or folder",
            vi=f"{root}: không có file hay thư mục này",
        )
    return [(root, root.name)]


def _read_one(path: Path, display: str, opts: ReadOptions) -> tuple[list[SheetRows], list[Finding]]:
    sheets = read_sheets(path, display, max_bytes=opts.max_bytes)
    if not sheets or all(not s.n_rows for s in sheets):
        raise NoTableError(
            f"{display}: the workbook is empty, expected an indicator table",
            vi=f"{display}: file không có dữ liệu, cần một bảng chỉ tiêu",
        )
    parts: list[SheetRows] = []
    findings: list[Finding] = []
    skipped: list[str] = []
    for sheet in sheets:
        if sheet.hidden and not opts.include_hidden:
            if sheet.n_rows:
                findings.append(
                    finding("read.hidden_sheet", f"{display}!{sheet.name}", sheet=sheet.name)
                )
            continue
        layout = find_layout(sheet)
        if layout is None:
            if sheet.n_rows:
                skipped.append(sheet.name)
            continue
        if (
            layout.year is None
            and opts.year is None
            and all(c.year is None for c in layout.columns)
        ):
            raise AntqError(
                f"{display}!{sheet.name}: no year found in the title ('… năm 2020'), the sheet "
                f"name or the file name; use {option('year', 'en')}",
                vi=f"{display}!{sheet.name}: không tìm thấy năm báo cáo ở tiêu đề ('… năm "
                f"2020'), tên sheet hay tên file; ghi năm vào tiêu đề hoặc dùng {option('year')}",
            )
        got = rows_from_layout(layout, errors=opts.errors, year=opts.year, within=opts.within)
        parts.append(got)
        findings.extend(got.findings)
    if not parts:
        raise NoTableError(
            f"{display}: no sheet holds an indicator table; expected a header row with "
            "'Đơn vị' over the area names and columns such as 'Khu dân cư văn hóa' or "
            "'Cơ quan › Đạt'",
            vi=f"{display}: không sheet nào có bảng chỉ tiêu; cần dòng tiêu đề có cột 'Đơn vị' "
            "và các cột như 'Khu dân cư văn hóa' hay 'Cơ quan › Đạt'",
        )
    for name in skipped:
        findings.append(finding("read.no_table", f"{display}!{name}", sheet=name))
    return parts, findings


def _arrow(parts: list[SheetRows]) -> pa.Table:
    """The sheets' column lists as one Arrow table, with each number's cell as text.

    Arrow arrays are built from the lists at C speed and cross from a worker
    process as buffers, not as millions of Python objects.
    """
    columns: dict[str, list[Any]] = {c: [] for c in ROW_COLUMNS}
    for part in parts:
        for c in ROW_COLUMNS:
            columns[c].extend(part.columns[c])
    table = pa.array(columns["table"], pa.string())
    row = pa.array(columns["row"], pa.int64())
    row_text = pc.cast(row, pa.string())

    def cell(letters: list[Any]) -> pa.Array:
        # "file!sheet" + "!" + "D" + "12"; a missing column letter gives a missing source.
        joined = pc.binary_join_element_wise(pa.array(letters, pa.string()), row_text, "")
        return pc.binary_join_element_wise(table, joined, "!")

    achieved = pa.array(columns["achieved"], pa.int64())
    total = pa.array(columns["total"], pa.int64())
    rate = pc.divide(
        pc.cast(achieved, pa.float64()),
        pc.if_else(pc.equal(total, 0), None, pc.cast(total, pa.float64())),
    )
    text = {c: pa.array(columns[c], pa.string()) for c in ("province", "district", "area")}
    return pa.table(
        {
            "year": pa.array(columns["year"], pa.int64()),
            **text,
            "area_code": pa.array(columns["area_code"], pa.string()),
            "level": pa.array(columns["level"], pa.string()),
            "indicator": pa.array(columns["indicator"], pa.string()),
            "achieved": achieved,
            "total": total,
            "rate": rate,
            # 94.75 / 100 is 0.9475000000000001 in binary; the file meant 0.9475.
            "reported_rate": pa.array(
                np.round(pa.array(columns["reported_rate"], pa.float64()).to_numpy(False), 12),
                from_pandas=True,  # NaN back to missing
            ),
            "source": cell(columns["a_col"]),
            "total_source": cell(columns["t_col"]),
            "rate_source": cell(columns["r_col"]),
            "table": table,
            "row": row,
            "is_total": pa.array(columns["is_total"], pa.bool_()),
        }
    )


_TO_PANDAS = {
    pa.int64(): pd.Int64Dtype(),
    pa.float64(): pd.Float64Dtype(),
    pa.string(): pd.StringDtype("pyarrow"),
}

#: dtypes of the detail columns kept beside the tidy ones.
DETAIL_DTYPES: dict[str, str] = {
    "total_source": "string",
    "rate_source": "string",
    "table": "string",
    "row": "int64",
    "is_total": "bool",
}


def _frame(tables: list[pa.Table]) -> pd.DataFrame:
    """The table with detail columns (tidy dtypes) from the workers' Arrow tables."""
    df = pa.concat_tables(tables or [_arrow([])]).to_pandas(types_mapper=_TO_PANDAS.get)
    return df.astype({"year": "int64", "row": "int64", "is_total": "bool"})


def with_dtypes(df: pd.DataFrame) -> pd.DataFrame:
    """The table with the contract's dtypes (after a round trip through Parquet, say)."""
    return df.astype({**TIDY_DTYPES, **{k: v for k, v in DETAIL_DTYPES.items() if k in df}})


def _read_files(
    items: list[tuple[Path, str]], opts: ReadOptions
) -> tuple[pa.Table, list[Finding], dict[str, str]]:
    """Read some files; a worker process runs this on its share of a folder."""
    parts: list[SheetRows] = []
    findings: list[Finding] = []
    failed: dict[str, str] = {}
    for fpath, display in items:
        try:
            got, finds = _read_one(fpath, display, opts)
        except AntqError as exc:
            if opts.errors == "raise":
                raise
            failed[display] = str(exc)
            findings.append(finding("read.unreadable", display, reason=str(exc), reason_vi=exc.vi))
            continue
        parts.extend(got)
        findings.extend(finds)
    return _arrow(parts), findings, failed


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


def _run(
    files: list[tuple[Path, str]], opts: ReadOptions
) -> list[tuple[pa.Table, list[Finding], dict[str, str]]]:
    """Read the files in chunks, in worker processes when there are many, in order."""
    n_workers = _workers(opts.workers, len(files))
    chunks = [files[i : i + CHUNK_FILES] for i in range(0, len(files), CHUNK_FILES)]
    show = opts.progress if opts.progress is not None else len(files) > 20
    bar = None
    if show:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(files), desc="antq", unit="file")
    results: list[tuple[pa.Table, list[Finding], dict[str, str]]] = []
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
            with ProcessPoolExecutor(n_workers, mp_context=ctx) as pool:
                futures = [pool.submit(_read_files, chunk, opts) for chunk in chunks]
                for fut, chunk in zip(futures, chunks, strict=True):
                    results.append(fut.result())  # in order: the same table as a serial run
                    if bar is not None:
                        bar.update(len(chunk))
    finally:
        if bar is not None:
            bar.close()
    return results


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
    df = _frame([r[0] for r in results])
    findings = [f for r in results for f in r[1]]
    failed = {k: v for r in results for k, v in r[2].items()}
    result = ReadResult(df, findings, failed)
    return result if keep_duplicates else dedupe(result, opts.supersede or {})


def dedupe(result: ReadResult, supersede: Mapping[str, tuple[str, ...]]) -> ReadResult:
    """Keep one row per key: duplicates become findings (both cells) and ``result.duplicates``."""
    found = find_duplicates(result.table, supersede=supersede)
    if found.pairs.empty:
        return result
    table = complete(result.table, found.pairs)[found.keep].reset_index(drop=True)
    return ReadResult(table, result.findings + found.findings, result.failed, found.pairs)


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
    files = [f for p in roots for f in find_workbooks(p)]
    return read_files(files, opts.with_(supersede=_supersedes(roots, opts)))


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
    tidy = check_tidy(result.table[list(TIDY_COLUMNS)])
    return result.table if detail else tidy
