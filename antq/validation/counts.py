"""Counts that cannot be: negative, above their total, out of a total of zero."""

from __future__ import annotations

import numpy as np
import pandas as pd

from antq.findings import Count, Finding, Word
from antq.validation.engine import row_finding, rule

__all__: list[str] = []


def counts(df: pd.DataFrame) -> list[Finding]:
    out = []
    achieved = df["achieved"].to_numpy(dtype=float, na_value=np.nan)
    total = df["total"].to_numpy(dtype=float, na_value=np.nan)
    # Masks on arrays; whole rows are taken for the flagged few only.
    for col, src, values in (("achieved", "source", achieved), ("total", "total_source", total)):
        for _, row in df.iloc[np.flatnonzero(values < 0)].iterrows():
            n = int(row[col])
            out.append(
                row_finding(
                    "count.negative",
                    row,
                    src,
                    what=Word(f"what.{col}"),
                    found=Count(n),
                    expected=">= 0",
                )
            )
    with np.errstate(invalid="ignore"):
        above = np.flatnonzero((achieved > total) & (total > 0))
        out_of_zero = np.flatnonzero((total == 0) & (achieved > 0))
    for _, row in df.iloc[above].iterrows():
        a, t = Count(int(row["achieved"])), Count(int(row["total"]))
        out.append(
            row_finding("count.achieved_above_total", row, a=a, t=t, expected=f"<= {t.n}", found=a)
        )
    for _, row in df.iloc[out_of_zero].iterrows():
        a = Count(int(row["achieved"]))
        out.append(
            row_finding("count.total_zero", row, "total_source", a=a, expected=f">= {a.n}", found=0)
        )
    return out


rule("count")(counts)
