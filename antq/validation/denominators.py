"""Denominators: one total per unit and row, and no jump from year to year beyond tolerance."""

from __future__ import annotations

import numpy as np
import pandas as pd

from antq.findings import Count, Finding, Pct, Word
from antq.numbers import format_decimal
from antq.types import Lang
from antq.validation.engine import RATE_EPS, row_finding, rule
from antq.validation.rates import consistent
from antq.vocab import indicators, units

__all__ = ["with_neighbours"]

#: What identifies a series of one unit across years.
SERIES = ["province", "district", "area", "level", "indicator"]


def denominators(df: pd.DataFrame) -> list[Finding]:
    unit_of = {code: ind.unit for code, ind in indicators().items()}
    keys = ["year", "province", "district", "area", "level", "_unit"]
    work = df.assign(_unit=df["indicator"].map(unit_of))
    grouped = work.groupby(keys, sort=False, dropna=False)["total"]
    n_totals = grouped.transform("nunique")
    out: list[Finding] = []
    for _, grp in work[n_totals > 1].groupby(keys, sort=False, dropna=False):
        totals = grp.dropna(subset=["total"])
        values = _Values(list(zip(totals["total"], totals["indicator"], strict=True)))
        row = totals.iloc[0]
        out.append(
            row_finding(
                "denominator.inconsistent",
                row,
                "total_source",
                unit=_unit_word(str(row["_unit"])),
                values=values,
                expected="one total",
                found=values,
            )
        )
    # A rate with no total must fit the one denominator its unit has on that row.
    shared = grouped.transform("max")
    cand = work[
        (n_totals == 1)
        & work["total"].isna()
        & work["reported_rate"].notna()
        & work["achieved"].notna()
        & (work["reported_rate"] > 0)
    ]
    if cand.empty:
        return out
    t = shared[cand.index].to_numpy(dtype=float, na_value=np.nan)
    fits = consistent(
        cand["achieved"].to_numpy(dtype=float), t, cand["reported_rate"].to_numpy(dtype=float)
    )
    for (_, row), tt in zip(cand[~fits].iterrows(), t[~fits], strict=True):
        if np.isnan(tt):
            continue
        a, r = int(row["achieved"]), float(row["reported_rate"])
        out.append(
            row_finding(
                "denominator.implied",
                row,
                "rate_source",
                r=Pct(r),
                a=Count(a),
                implied=Count(round(a / r)),
                unit=_unit_word(str(row["_unit"])),
                t=Count(int(tt)),
                expected=Count(int(tt)),
                found=Count(round(a / r)),
            )
        )
    return out


rule("denominator")(denominators)


def _unit_word(unit: str) -> Word:
    return Word(f"unit.{unit}")


class _Values:
    """ "3.462 (safe_residential_area), 3.505 (cultural_residential_area)"."""

    def __init__(self, pairs: list[tuple[object, object]]) -> None:
        self.pairs = pairs

    def render(self, lang: Lang) -> str:
        return ", ".join(f"{Count(int(str(t))).render(lang)} ({ind})" for t, ind in self.pairs)


def with_neighbours(df: pd.DataFrame, cols: list[str]) -> pd.DataFrame:
    """``cols`` of each row with its series' values of the year before (``_prev``) and after
    (``_next``), aligned with ``df``'s index.

    Only the key and value columns are merged: at national scale a merge of whole
    rows (with their sources) costs hundreds of megabytes.
    """
    base = df[["year", *SERIES, *cols]]
    prev = base.assign(year=base["year"] + 1).rename(columns={c: f"{c}_prev" for c in cols})
    nxt = base.assign(year=base["year"] - 1).rename(columns={c: f"{c}_next" for c in cols})
    out = base.merge(prev, on=["year", *SERIES], how="left").merge(
        nxt, on=["year", *SERIES], how="left"
    )
    out.index = df.index  # a left merge on unique keys keeps the left rows in order
    return out[[*cols, *(f"{c}_prev" for c in cols), *(f"{c}_next" for c in cols)]]


def rows_with(df: pd.DataFrame, work: pd.DataFrame, mask: np.ndarray) -> pd.DataFrame:
    """The flagged rows, whole, with their neighbours' values."""
    extra = [c for c in work.columns if c.endswith(("_prev", "_next"))]
    return df[mask].join(work.loc[mask, extra])


def jumps(df: pd.DataFrame) -> list[Finding]:
    out: list[Finding] = []
    work = with_neighbours(df, ["total"])
    tolerance = {code: units()[ind.unit].denominator_jump for code, ind in indicators().items()}
    limit = df["indicator"].map(tolerance).astype(float)
    prev = work["total_prev"].astype("Float64")
    change = (work["total"].astype("Float64") / prev.where(prev > 0) - 1).astype(float)
    flagged = rows_with(df, work, (change.abs() > limit + RATE_EPS).fillna(False).to_numpy())
    for (_, row), ch in zip(flagged.iterrows(), change[flagged.index], strict=True):
        text = _Signed(ch * 100)
        lim = tolerance[str(row["indicator"])]
        out.append(
            row_finding(
                "denominator.jump",
                row,
                "total_source",
                change=text,
                prev=int(row["year"]) - 1,
                before=Count(int(row["total_prev"])),
                after=Count(int(row["total"])),
                expected=f"within ±{lim:.0%}",
                found=text,
            )
        )
    return out


rule("denominator.jump")(jumps)


class _Signed:
    """A signed percentage with a real minus sign: "+2,5%", "−9,1%"."""

    def __init__(self, pct: float) -> None:
        self.pct = pct

    def render(self, lang: Lang) -> str:
        sign = "+" if self.pct > 0 else "−"
        return sign + format_decimal(abs(self.pct), 1, lang) + "%"
