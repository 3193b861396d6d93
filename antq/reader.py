"""Load workbooks into the tidy table: the public entry point of the reading stages."""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from antq.cells import MAX_FILE_BYTES, SPREADSHEET_SUFFIXES, read_sheets
from antq.errors import AntqError, AntqWarning, NoTableError
from antq.findings import Finding, read_finding
from antq.layout import find_layout
from antq.schema import KEY, TIDY_COLUMNS, TIDY_DTYPES, check_tidy
from antq.tidy import DETAIL_COLUMNS, rows_from_layout

__all__ = ["ReadResult", "find_workbooks", "load", "read"]

_ERRORS = ("raise", "coerce")
_VERDICT = {
    "vi": {True: "giá trị giống nhau.", False: "giá trị khác nhau, giữ lần đọc đầu."},
    "en": {True: "the values agree.", False: "the values differ, the first is kept."},
}


@dataclass
class ReadResult:
    """Everything reading gave: the table with detail columns, findings, files that failed."""

    table: pd.DataFrame
    findings: list[Finding] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)


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
    return [(root, root.name)]


def _read_one(
    path: Path, display: str, *, year: int | None, errors: str, max_bytes: int, include_hidden: bool
) -> tuple[list[dict[str, object]], list[Finding]]:
    sheets = read_sheets(path, display, max_bytes=max_bytes)
    if not sheets or all(not s.n_rows for s in sheets):
        raise NoTableError(f"{display}: the workbook is empty, expected an indicator table")
    records: list[dict[str, object]] = []
    findings: list[Finding] = []
    skipped: list[str] = []
    found_table = False
    for sheet in sheets:
        if sheet.hidden and not include_hidden:
            if sheet.n_rows:
                findings.append(
                    read_finding(
                        "info", "read.hidden_sheet", f"{display}!{sheet.name}", sheet=sheet.name
                    )
                )
            continue
        layout = find_layout(sheet)
        if layout is None:
            if sheet.n_rows:
                skipped.append(sheet.name)
            continue
        found_table = True
        if layout.year is None and year is None and all(c.year is None for c in layout.columns):
            raise AntqError(
                f"{display}!{sheet.name}: no year found in the title ('… năm 2020'), the sheet "
                "name or the file name; pass year=… to load()"
            )
        got = rows_from_layout(layout, errors=errors, year=year)
        records.extend(got.records)
        findings.extend(got.findings)
    if not found_table:
        raise NoTableError(
            f"{display}: no sheet holds an indicator table; expected a header row with "
            "'Đơn vị' over the area names and columns such as 'Khu dân cư văn hóa' or "
            "'Cơ quan › Đạt'"
        )
    for name in skipped:
        findings.append(read_finding("info", "read.no_table", f"{display}!{name}", sheet=name))
    return records, findings


def _frame(records: list[dict[str, object]]) -> pd.DataFrame:
    cols = list(TIDY_COLUMNS) + list(DETAIL_COLUMNS)
    df = pd.DataFrame.from_records(records, columns=cols)
    df = df.astype({c: TIDY_DTYPES[c] for c in TIDY_COLUMNS if c != "rate"})
    df["rate"] = (df["achieved"] / df["total"].where(df["total"] != 0)).astype("Float64")
    return df.astype(
        {
            "total_source": "string",
            "rate_source": "string",
            "table": "string",
            "row": "int64",
            "is_total": "bool",
        }
    )


def _dedupe(df: pd.DataFrame) -> tuple[pd.DataFrame, list[Finding]]:
    """Keep one row per key; a key read twice with other values is a finding naming both cells."""
    findings = []
    dup = df.duplicated(list(KEY), keep=False)
    if not dup.any():
        return df, findings
    values = ["achieved", "total", "reported_rate"]
    for _, grp in df[dup].groupby(list(KEY), sort=False):
        first = grp.iloc[0]
        for _, other in grp.iloc[1:].iterrows():
            same = all(
                (pd.isna(first[v]) and pd.isna(other[v])) or first[v] == other[v] for v in values
            )
            findings.append(
                read_finding(
                    "info" if same else "warning",
                    "read.duplicate",
                    str(other["source"]),
                    other=first["source"],
                    verdict_vi="giá trị giống nhau."
                    if same
                    else "giá trị khác nhau, giữ lần đọc đầu.",
                    verdict_en="the values agree."
                    if same
                    else "the values differ, the first is kept.",
                    expected=f"{first['achieved']} (at {first['source']})",
                    found=str(other["achieved"]),
                    year=int(first["year"]),
                    area=str(first["area"]),
                    level=str(first["level"]),
                    indicator=str(first["indicator"]),
                )
            )
    return df.drop_duplicates(list(KEY), keep="first").reset_index(drop=True), findings


def read(
    path: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    year: int | None = None,
    errors: str = "raise",
    max_bytes: int = MAX_FILE_BYTES,
    include_hidden: bool = False,
    progress: bool | None = None,
) -> ReadResult:
    """Read workbooks and return the table with detail columns, findings and failures.

    Unlike :func:`load`, an unreadable file does not stop the others when
    ``errors="coerce"``: it is listed in ``failed``. See :func:`load` for the
    parameters.

    Examples
    --------
    >>> res = read("data/raw")
    >>> res.table.columns[-5:].tolist()
    ['total_source', 'rate_source', 'table', 'row', 'is_total']
    """
    if errors not in _ERRORS:
        raise ValueError(f"errors must be one of {_ERRORS}, not {errors!r}")
    paths = [path] if isinstance(path, (str, os.PathLike)) else list(path)
    files = [f for p in paths for f in find_workbooks(p)]
    records: list[dict[str, object]] = []
    findings: list[Finding] = []
    failed: dict[str, str] = {}
    show = progress if progress is not None else len(files) > 20
    iterator = files
    if show:
        from tqdm.auto import tqdm

        iterator = tqdm(files, desc="antq", unit="file")
    for fpath, display in iterator:
        try:
            recs, finds = _read_one(
                fpath,
                display,
                year=year,
                errors=errors,
                max_bytes=max_bytes,
                include_hidden=include_hidden,
            )
        except AntqError as exc:
            if errors == "raise":
                raise
            failed[display] = str(exc)
            continue
        records.extend(recs)
        findings.extend(finds)
    df = _frame(records)
    df, dup_findings = _dedupe(df)
    df = df.sort_values(["year", "table", "row", "indicator"], kind="stable").reset_index(drop=True)
    return ReadResult(df, findings + dup_findings, failed)


def load(
    path: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    year: int | None = None,
    errors: str = "raise",
    max_bytes: int = MAX_FILE_BYTES,
    include_hidden: bool = False,
    detail: bool = False,
    progress: bool | None = None,
) -> pd.DataFrame:
    """Load one workbook or a folder of them into the tidy table.

    Parameters
    ----------
    path
        A workbook, a folder (searched recursively), or a list of them.
        Files are opened read-only and never written.
    year
        Use this year instead of the one found in the title, sheet name or
        file name.
    errors
        ``"raise"`` (default): a cell that should hold a number but holds
        text, or a file that cannot be read, raises an :class:`AntqError`
        naming it. ``"coerce"``: such a cell reads as NA and such a file is
        skipped, each with an :class:`AntqWarning` naming it.
    max_bytes
        Refuse workbooks larger than this (default 50 MB).
    include_hidden
        Also read hidden sheets (skipped by default, with a warning).
    detail
        Keep the provenance columns ``total_source``, ``rate_source``,
        ``table``, ``row`` and ``is_total`` after the tidy ones.
    progress
        Show a progress bar (default: when there are more than 20 files).

    Returns
    -------
    pandas.DataFrame
        One row per year × area × indicator: ``year, area, level, indicator,
        achieved, total, rate, reported_rate, source`` (see :mod:`antq.schema`).

    Examples
    --------
    >>> import antq
    >>> df = antq.load("data/raw")
    >>> row = df.query("year == 2020 and level == 'province' and indicator == 'safe_school'")
    >>> r = row.iloc[0]
    >>> r["area"], int(r["achieved"]), float(r["reported_rate"]), r["source"]
    ('Tỉnh Nam Định', 772, 0.989, 'BC_ANTQ_2020.xlsx!ANTT!L19')
    """
    result = read(
        path,
        year=year,
        errors=errors,
        max_bytes=max_bytes,
        include_hidden=include_hidden,
        progress=progress,
    )
    for name, message in result.failed.items():
        warnings.warn(
            AntqWarning(read_finding("error", "read.unreadable", name, reason=message)),
            stacklevel=2,
        )
    # Info findings (a skipped hidden sheet, a sheet without a table) are not
    # warnings: they are in read(...).findings and antq.check().
    for f in result.findings:
        if f.severity != "info":
            warnings.warn(AntqWarning(f), stacklevel=2)
    tidy = check_tidy(result.table[list(TIDY_COLUMNS)])
    return result.table if detail else tidy
