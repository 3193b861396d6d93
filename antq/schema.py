"""The tidy table: the contract between stages and with users, defined once.

One row per year × province × district × area × level × indicator:

========== ======= ===========================================================
column     dtype   meaning
========== ======= ===========================================================
year       int64   reporting year
province   string  the province the area is in, or is (canonical name)
district   string  the district the area is in, or is; NA for province rows and
                   for every row from 1 July 2025 (districts were abolished)
area       string  canonical name ("Xã Hồng Quang"); a total row without a name
                   is "Toàn tỉnh" / "Toàn huyện"
area_code  string  official code of the area (registry); NA when unknown
level      string  "province", "district" or "commune"
indicator  string  a code of the indicator dictionary
achieved   Int64   units that met the standard
total      Int64   the denominator; NA where the file gives none (never guessed)
rate       Float64 achieved / total; NA where total is NA or 0
reported_  Float64 the rate as written in the file, as a fraction
rate
source     string  the achieved cell: ``file.xlsx!Sheet!D12``
========== ======= ===========================================================

:func:`check_tidy` checks a table strictly; :func:`as_tidy` first coerces what
is compatible (a CSV read back, a frame built by hand) and refuses, naming the
column, only what cannot be.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np
import pandas as pd

from antq.errors import SchemaError
from antq.types import LEVELS
from antq.vocab import indicators

__all__ = [
    "AREA_COLUMNS",
    "KEY",
    "TIDY_COLUMNS",
    "TIDY_DTYPES",
    "as_tidy",
    "check_tidy",
    "empty_tidy",
    "read_tidy",
]

#: Column → dtype of the tidy table, in order.
TIDY_DTYPES: dict[str, str] = {
    "year": "int64",
    "province": "string",
    "district": "string",
    "area": "string",
    "area_code": "string",
    "level": "string",
    "indicator": "string",
    "achieved": "Int64",
    "total": "Int64",
    "rate": "Float64",
    "reported_rate": "Float64",
    "source": "string",
}
TIDY_COLUMNS: tuple[str, ...] = tuple(TIDY_DTYPES)

#: The columns that identify a row.
KEY: tuple[str, ...] = ("year", "province", "district", "area", "level", "indicator")
#: The columns that say which unit a row is about.
AREA_COLUMNS: tuple[str, ...] = ("province", "district", "area", "area_code", "level")

#: Columns a table may lack when handed to a function: they are added as NA.
_OPTIONAL = ("province", "district", "area_code", "source")
#: Slack when comparing ``rate`` with achieved / total (floats written to CSV and read back).
RATE_TOLERANCE: float = 1e-9


def empty_tidy() -> pd.DataFrame:
    """A tidy table with no rows and the right dtypes.

    Examples
    --------
    >>> list(empty_tidy().columns) == list(TIDY_COLUMNS)
    True
    """
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in TIDY_DTYPES.items()})


def _fail(
    failures: list[dict[str, Any]], check: str, column: str, case: object, index: object = None
) -> None:
    failures.append({"check": check, "column": column, "failure_case": case, "index": index})


def _raise(failures: list[dict[str, Any]]) -> None:
    if not failures:
        return
    lines = []
    for f in failures[:10]:
        where = f" (row {f['index']})" if f["index"] is not None else ""
        lines.append(f"{f['column']}: {f['check']}: {f['failure_case']}{where}")
    more = f"; and {len(failures) - 10} more" if len(failures) > 10 else ""
    raise SchemaError(
        "not a tidy table: " + "; ".join(lines) + more,
        vi="bảng không đúng dạng bảng chuẩn (tidy): " + "; ".join(lines) + more,
        failures=failures,
    )


def _bad_rows(df: pd.DataFrame, mask: pd.Series, column: str, check: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for idx, value in df.loc[mask.fillna(False).to_numpy(dtype=bool), column].head(20).items():
        _fail(out, check, column, value, idx)
    return out


def check_tidy(
    df: pd.DataFrame, *, require_source: bool = True, unique: bool = True
) -> pd.DataFrame:
    """Check that ``df`` follows the tidy contract; return it unchanged.

    Every failure is collected before raising (as pandera's ``lazy=True``), so
    one error lists them all, and ``SchemaError.failure_cases`` holds them as
    a table.

    Parameters
    ----------
    df
        The table.
    require_source
        Refuse rows without a ``source`` (metrics and charts do not need one).
    unique
        Refuse a key read twice (validation takes such tables, to report them).

    A negative count is not refused: it is what a clerk typed, and validation
    reports it (``count.negative``).

    Raises
    ------
    SchemaError
        Listing each column, dtype, value or key that breaks the contract.

    Examples
    --------
    >>> check_tidy(empty_tidy()).shape
    (0, 12)
    """
    failures: list[dict[str, Any]] = []
    if tuple(df.columns) != TIDY_COLUMNS:
        _fail(failures, "columns", "*", f"{list(df.columns)}, expected {list(TIDY_COLUMNS)}")
    for col, dtype in TIDY_DTYPES.items():
        if col in df.columns and str(df[col].dtype) != dtype:
            _fail(failures, f"dtype {dtype}", col, str(df[col].dtype))
    _raise(failures)
    failures += _bad_rows(df, ~df["level"].isin(LEVELS), "level", f"one of {LEVELS}")
    failures += _bad_rows(
        df, ~df["indicator"].isin(list(indicators())), "indicator", "a code of indicators.csv"
    )
    failures += _bad_rows(df, df["area"].isna(), "area", "not missing")
    if require_source:
        failures += _bad_rows(df, df["source"].isna(), "source", "not missing")
    failures += _bad_rows(
        df, (df["level"] == "province") & df["district"].notna(), "district", "NA for a province"
    )
    dup = df.duplicated(list(KEY), keep=False) if unique else pd.Series(False, index=df.index)
    if dup.any():
        first = df.loc[dup, list(KEY)].iloc[0].tolist()
        _fail(
            failures, "unique key " + " × ".join(KEY), "*", f"{int(dup.sum())} rows, e.g. {first}"
        )
    expect = (df["achieved"] / df["total"].where(df["total"] != 0)).astype("Float64")
    off = ~((expect.isna() & df["rate"].isna()) | ((expect - df["rate"]).abs() < RATE_TOLERANCE))
    failures += _bad_rows(df, off, "rate", "achieved / total")
    _raise(failures)
    return df


def text_column(s: pd.Series) -> pd.Series:
    """``s`` as text; whole numbers read as floats without their ".0".

    Codes read back from a CSV with gaps are floats: 356.0 is the code "356", not "356.0".

    Examples
    --------
    >>> text_column(pd.Series([356.0, None, 13669.0])).tolist()
    ['356', <NA>, '13669']
    >>> text_column(pd.Series([1.5, 2.0])).tolist()
    ['1.5', '2.0']
    """
    if s.dtype.kind == "f" and (s.dropna() % 1 == 0).all():
        s = s.astype("Int64")
    return s.astype("string")


def _coerce_column(df: pd.DataFrame, col: str, dtype: str, failures: list[dict[str, Any]]) -> None:
    s = df[col]
    try:
        if dtype in ("Int64", "int64"):
            num = pd.to_numeric(s, errors="coerce")
            bad = num.notna() & (num != np.floor(num))
            bad |= s.notna() & num.isna()
            if bad.any():
                failures.extend(_bad_rows(df, bad, col, "a whole number"))
                return
            df[col] = num.astype("Int64").astype(dtype) if dtype == "int64" else num.astype(dtype)
        elif dtype == "Float64":
            num = pd.to_numeric(s, errors="coerce")
            bad = s.notna() & num.isna()
            if bad.any():
                failures.extend(_bad_rows(df, bad, col, "a number"))
                return
            df[col] = num.astype("Float64")
        else:
            df[col] = text_column(s)
    except (TypeError, ValueError) as exc:
        _fail(failures, f"convertible to {dtype}", col, str(exc))


def as_tidy(df: pd.DataFrame, *, require_source: bool = True, unique: bool = True) -> pd.DataFrame:
    """The table with the contract's columns and dtypes, coerced where compatible, then checked.

    What is coerced: text columns of any string or object dtype; whole
    numbers stored as ``int64`` or ``float64`` (a CSV read back) into
    ``Int64``; floats into ``Float64``; codes read as numbers ("01" read as
    1) are not recoverable and are taken as they are; whole numbers read as floats
    (356.0, a column with gaps) are written as whole numbers ("356"). Missing optional
    columns (``province``, ``district``, ``area_code``, and ``source`` unless
    ``require_source``) are added as NA; a missing ``rate`` is computed.
    Extra columns are dropped. ``df`` is not modified.

    Raises
    ------
    SchemaError
        Naming each column that is missing or cannot be coerced, and the
        values at fault.

    Examples
    --------
    >>> raw = pd.DataFrame({"year": [2020], "area": ["Huyện Hải Hậu"], "level": ["district"],
    ...     "indicator": ["safe_school"], "achieved": [10], "total": [20],
    ...     "reported_rate": [None]})
    >>> t = as_tidy(raw, require_source=False)
    >>> t["achieved"].dtype, float(t["rate"].iloc[0])
    (Int64Dtype(), 0.5)
    """
    failures: list[dict[str, Any]] = []
    out = df.copy(deep=False)  # copy-on-write (pandas 3): df is never changed through it
    optional = _OPTIONAL if not require_source else _OPTIONAL[:-1]
    for col in TIDY_COLUMNS:
        if col in out.columns:
            continue
        if col in optional or col == "reported_rate":
            out[col] = pd.NA
        elif col != "rate":
            _fail(failures, "column present", col, "missing")
    _raise(failures)
    for col, dtype in TIDY_DTYPES.items():
        if col in out.columns and str(out[col].dtype) != dtype:
            _coerce_column(out, col, dtype, failures)
    _raise(failures)
    computed = (out["achieved"] / out["total"].where(out["total"] != 0)).astype("Float64")
    if "rate" not in out.columns:
        out["rate"] = computed
    else:
        # Written to CSV and read back, a rate keeps ~17 digits: put back the exact quotient.
        close = (computed - out["rate"]).abs() < RATE_TOLERANCE
        out["rate"] = out["rate"].mask(close.fillna(False), computed)
    out = out[list(TIDY_COLUMNS)]
    return check_tidy(out, require_source=require_source, unique=unique)


def read_tidy(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read a tidy table written by ``antq build`` (``tidy.parquet`` or ``tidy.csv``).

    Examples
    --------
    >>> import antq, tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> antq.load("data/raw").to_csv(p, index=False)
    >>> read_tidy(str(p)).dtypes["achieved"]
    Int64Dtype()
    """
    if str(path).endswith(".parquet"):
        df = pd.read_parquet(path)
    else:
        # Codes keep their leading zeros ("01"): every text column is read as text.
        df = pd.read_csv(
            path,
            encoding="utf-8-sig",
            dtype={c: "string" for c, t in TIDY_DTYPES.items() if t == "string"},
        )
    return as_tidy(df)
