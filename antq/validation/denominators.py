"""Denominators: one total per unit and row, and no jump from year to year beyond tolerance."""

from __future__ import annotations

import numpy as np
import pandas as pd

from antq.findings import Count, Finding, Pct, Word
from antq.numbers import format_decimal
from antq.types import Lang
from antq.validation.engine import RATE_EPS, row_finding, rule
from antq.validation.keys import group_codes, mapped, neighbours
from antq.validation.rates import consistent
from antq.vocab import indicators, units

__all__ = ["with_neighbours"]

#: What identifies a series of one unit across years.
SERIES = ["province", "district", "area", "level", "indicator"]


@rule("denominator")
def denominators(df: pd.DataFrame) -> list[Finding]:
    unit_of = {code: ind.unit for code, ind in indicators().items()}
    keys = ["year", "province", "district", "area", "level", "_unit"]
    unit = mapped(df["indicator"], unit_of)
    n_totals, shared = _totals_per_unit(df, unit)
    out: list[Finding] = []
    inconsistent = np.flatnonzero(n_totals > 1)
    work = df.iloc[inconsistent].assign(_unit=unit[inconsistent])
    for _, grp in work.groupby(keys, sort=False, dropna=False):
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
    rate = df["reported_rate"].to_numpy(dtype=float, na_value=np.nan)
    achieved = df["achieved"].to_numpy(dtype=float, na_value=np.nan)
    pick = np.flatnonzero(
        (n_totals == 1)
        & df["total"].isna().to_numpy()
        & ~np.isnan(rate)
        & ~np.isnan(achieved)
        & (np.nan_to_num(rate) > 0)
    )
    if not len(pick):
        return out
    cand = df.iloc[pick].assign(_unit=unit[pick])
    t = shared[pick]
    fits = consistent(achieved[pick], t, rate[pick])
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


def _unit_word(unit: str) -> Word:
    return Word(f"unit.{unit}")


def _totals_per_unit(df: pd.DataFrame, unit: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row, how many distinct totals the row's unit has on its row (year, area and
    level), and the largest of them (NaN: none), on integer codes."""
    place, n_places = group_codes(df, ["year", "province", "district", "area", "level"])
    unit_code, units = pd.factorize(pd.Series(unit, dtype=object), use_na_sentinel=False)
    group, n_groups = pd.factorize(place * (len(units) + 1) + unit_code)
    del n_places
    has = df["total"].notna().to_numpy()
    total = df["total"].to_numpy(dtype=np.int64, na_value=0)
    g, v = group[has], total[has]
    order = np.lexsort((v, g))
    g, v = g[order], v[order]
    new = np.r_[True, (g[1:] != g[:-1]) | (v[1:] != v[:-1])] if len(g) else np.zeros(0, bool)
    distinct = np.bincount(g[new], minlength=len(n_groups))
    largest = np.full(len(n_groups), np.nan)
    last = np.r_[g[1:] != g[:-1], True] if len(g) else np.zeros(0, bool)
    largest[g[last]] = v[last]  # sorted by value within each group: the last is the largest
    return distinct[group], largest[group]


class _Values:
    """ "3.462 (safe_residential_area), 3.505 (cultural_residential_area)"."""

    def __init__(self, pairs: list[tuple[object, object]]) -> None:
        self.pairs = pairs

    def render(self, lang: Lang) -> str:
        return ", ".join(f"{Count(int(str(t))).render(lang)} ({ind})" for t, ind in self.pairs)


def with_neighbours(df: pd.DataFrame, cols: list[str]) -> pd.DataFrame:
    """``cols`` of each row with its series' values of the year before (``_prev``) and after
    (``_next``), aligned with ``df``'s index.

    Rows are matched on integer codes of their series (:mod:`antq.validation.keys`):
    at national scale a merge on the text columns costs seconds.
    """
    series, _n = group_codes(df, SERIES)
    prev, nxt = neighbours(series, df["year"].to_numpy(dtype=np.int64))
    out = {c: df[c] for c in cols}
    for suffix, at in (("_prev", prev), ("_next", nxt)):
        for c in cols:
            values = df[c].array.take(at, allow_fill=True)
            out[f"{c}{suffix}"] = pd.Series(values, index=df.index, name=f"{c}{suffix}")
    return pd.DataFrame(out, index=df.index)[
        [*cols, *(f"{c}_prev" for c in cols), *(f"{c}_next" for c in cols)]
    ]


def rows_with(df: pd.DataFrame, work: pd.DataFrame, mask: np.ndarray) -> pd.DataFrame:
    """The flagged rows, whole, with their neighbours' values."""
    extra = [c for c in work.columns if c.endswith(("_prev", "_next"))]
    return df[mask].join(work.loc[mask, extra])


@rule("denominator.jump")
def jumps(df: pd.DataFrame) -> list[Finding]:
    out: list[Finding] = []
    work = with_neighbours(df, ["total"])
    tolerance = {code: units()[ind.unit].denominator_jump for code, ind in indicators().items()}
    limit = pd.Series(mapped(df["indicator"], tolerance, np.nan), index=df.index, dtype=float)
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


class _Signed:
    """A signed percentage with a real minus sign: "+2,5%", "−9,1%"."""

    def __init__(self, pct: float) -> None:
        self.pct = pct

    def render(self, lang: Lang) -> str:
        sign = "+" if self.pct > 0 else "−"
        return sign + format_decimal(abs(self.pct), 1, lang) + "%"
