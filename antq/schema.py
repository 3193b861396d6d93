"""The tidy table: the contract between stages and with users, defined once.

One row per year × area × indicator.
"""

from __future__ import annotations

import pandas as pd

from antq.errors import SchemaError
from antq.vocab import LEVELS, indicators

__all__ = ["KEY", "TIDY_COLUMNS", "TIDY_DTYPES", "check_tidy", "empty_tidy"]

#: Column → dtype of the tidy table, in order.
TIDY_DTYPES: dict[str, str] = {
    "year": "int64",
    "area": "string",
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
KEY: tuple[str, ...] = ("year", "area", "level", "indicator")


def empty_tidy() -> pd.DataFrame:
    """A tidy table with no rows and the right dtypes.

    Examples
    --------
    >>> list(empty_tidy().columns) == list(TIDY_COLUMNS)
    True
    """
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in TIDY_DTYPES.items()})


def check_tidy(df: pd.DataFrame) -> pd.DataFrame:
    """Check that ``df`` follows the tidy contract; return it unchanged.

    Every failure is collected before raising, so one error lists them all.

    Raises
    ------
    SchemaError
        Listing each column, dtype, value or key that breaks the contract.

    Examples
    --------
    >>> check_tidy(empty_tidy()).shape
    (0, 9)
    """
    problems: list[str] = []
    if tuple(df.columns) != TIDY_COLUMNS:
        problems.append(f"columns are {list(df.columns)}, expected {list(TIDY_COLUMNS)}")
    for col, dtype in TIDY_DTYPES.items():
        if col in df.columns and str(df[col].dtype) != dtype:
            problems.append(f"column {col!r} has dtype {df[col].dtype}, expected {dtype}")
    if problems:
        raise SchemaError("; ".join(problems))
    bad_level = ~df["level"].isin(LEVELS)
    if bad_level.any():
        problems.append(f"level not one of {LEVELS}: {sorted(set(df.loc[bad_level, 'level']))}")
    bad_ind = ~df["indicator"].isin(list(indicators()))
    if bad_ind.any():
        problems.append(f"unknown indicator codes: {sorted(set(df.loc[bad_ind, 'indicator']))}")
    for col in ("area", "source"):
        if df[col].isna().any():
            problems.append(f"column {col!r} has missing values")
    dup = df.duplicated(list(KEY), keep=False)
    if dup.any():
        first = df.loc[dup, list(KEY)].iloc[0].tolist()
        problems.append(
            f"{int(dup.sum())} rows share a year × area × level × indicator, e.g. {first}"
        )
    expect_rate = (df["achieved"] / df["total"].where(df["total"] != 0)).astype("Float64")
    both_na = expect_rate.isna() & df["rate"].isna()
    close = (expect_rate - df["rate"]).abs() < 1e-12
    if not (both_na | close.fillna(False)).all():
        problems.append("rate differs from achieved / total")
    if problems:
        raise SchemaError("; ".join(problems))
    return df
