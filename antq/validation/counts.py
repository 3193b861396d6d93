"""Counts that cannot be: negative, above their total, out of a total of zero."""

from __future__ import annotations

import pandas as pd

from antq.findings import Count, Finding, Word
from antq.validation.engine import row_finding, rule

__all__: list[str] = []


def counts(df: pd.DataFrame) -> list[Finding]:
    out = []
    for col, src in (("achieved", "source"), ("total", "total_source")):
        for _, row in df[df[col].fillna(0) < 0].iterrows():
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
    both = df.dropna(subset=["achieved", "total"])
    for _, row in both[(both["achieved"] > both["total"]) & (both["total"] > 0)].iterrows():
        a, t = Count(int(row["achieved"])), Count(int(row["total"]))
        out.append(
            row_finding("count.achieved_above_total", row, a=a, t=t, expected=f"<= {t.n}", found=a)
        )
    for _, row in both[(both["total"] == 0) & (both["achieved"] > 0)].iterrows():
        a = Count(int(row["achieved"]))
        out.append(
            row_finding("count.total_zero", row, "total_source", a=a, expected=f">= {a.n}", found=0)
        )
    return out


rule("count")(counts)
