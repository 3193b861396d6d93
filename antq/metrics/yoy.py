"""Stage 6: metrics over the tidy table (year-over-year changes)."""

from __future__ import annotations

import pandas as pd

from antq.schema import as_tidy

__all__ = ["YOY_COLUMNS", "yoy"]

YOY_COLUMNS: tuple[str, ...] = (
    "year",
    "province",
    "district",
    "area",
    "level",
    "indicator",
    "achieved",
    "achieved_prev",
    "total",
    "total_prev",
    "rate",
    "rate_prev",
    "change_pp",
    "achieved_growth",
)


def yoy(df: pd.DataFrame) -> pd.DataFrame:
    """Year-over-year change per area, level and indicator.

    The previous values come from exactly the year before: where that year
    is missing, the ``_prev`` columns are NA, never an older year's.

    Parameters
    ----------
    df
        A tidy table (see :func:`antq.load`).

    Returns
    -------
    pandas.DataFrame
        ``year, province, district, area, level, indicator, achieved, achieved_prev, total,
        total_prev, rate, rate_prev, change_pp, achieved_growth``, where
        ``change_pp`` is (rate − rate_prev) × 100 in percentage points and
        ``achieved_growth`` is achieved / achieved_prev − 1 (NA when the
        previous count is NA or 0).

    Examples
    --------
    >>> import antq
    >>> df = antq.load("data/raw")
    >>> y = yoy(df).query("year == 2016 and level == 'province' and indicator == 'safe_commune'")
    >>> y[["achieved", "achieved_prev", "change_pp"]].round(2).to_string(index=False)
    ' achieved  achieved_prev  change_pp\\n      211            208       1.31'
    """
    df = as_tidy(df, require_source=False)
    keys = ["province", "district", "area", "level", "indicator"]
    cur = df[["year", *keys, "achieved", "total", "rate"]]
    prev = cur.assign(year=cur["year"] + 1).rename(
        columns={"achieved": "achieved_prev", "total": "total_prev", "rate": "rate_prev"}
    )
    out = cur.merge(prev, on=["year", *keys], how="left", validate="one_to_one")
    out["change_pp"] = ((out["rate"] - out["rate_prev"]) * 100).astype("Float64")
    base = out["achieved_prev"].astype("Float64")
    out["achieved_growth"] = (out["achieved"] / base.where(base != 0) - 1).astype("Float64")
    out = out[list(YOY_COLUMNS)]
    return out.sort_values(["indicator", "level", "area", "year"], kind="stable").reset_index(
        drop=True
    )
