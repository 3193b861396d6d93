"""Parent rows against the rows under them, at every level of a table."""

from __future__ import annotations

import pandas as pd

from antq.findings import Count, Finding, Word
from antq.types import LEVELS
from antq.validation.engine import row_finding, rule

__all__: list[str] = []


def table_of(df: pd.DataFrame) -> pd.Series:
    """The "file!sheet" each row was read from (``table`` detail column, else from source)."""
    if "table" in df.columns:
        return df["table"].astype("string")
    return df["source"].astype("string").str.rsplit("!", n=1).str[0]


def _pairs(levels: set[str]) -> list[tuple[str, str]]:
    """(child, parent) levels: each level under the nearest level above it in the table."""
    present = [lv for lv in LEVELS if lv in levels]
    return list(zip(present[1:], present[:-1], strict=False))


@rule("sum")
def sums(df: pd.DataFrame) -> list[Finding]:
    out: list[Finding] = []
    work = df.assign(_table=table_of(df))
    for _table, tab in work.groupby("_table", sort=False):
        for child, parent in _pairs(set(tab["level"].dropna())):
            out.extend(_check(tab, child, parent))
    return out


def _check(tab: pd.DataFrame, child: str, parent: str) -> list[Finding]:
    keys = ["year", "indicator"]
    parents = tab[tab["level"] == parent]
    children = tab[tab["level"] == child]
    # A child names its parent by its district (communes) or province (districts); a
    # table with a single parent row per year and indicator owns all its children.
    named = children["district"] if parent == "district" else children["province"]
    single = parents.groupby(keys, sort=False)["area"].transform("size") == 1
    only = parents[single].set_index(keys)["area"]
    fallback = pd.Series(
        [only.get((y, i)) for y, i in zip(children["year"], children["indicator"], strict=True)],
        index=children.index,
        dtype="object",
    )
    children = children.assign(_parent=fallback.where(fallback.notna(), named.astype("object")))
    out: list[Finding] = []
    for col, src in (("achieved", "source"), ("total", "total_source")):
        grouped = children.groupby([*keys, "_parent"], sort=False)[col]
        agg = pd.DataFrame(
            {"sum": grouped.sum(min_count=1), "n": grouped.count(), "size": grouped.size()}
        )
        agg = agg[agg["n"] == agg["size"]].reset_index().rename(columns={"_parent": "area"})
        joined = parents.merge(agg, on=[*keys, "area"], how="inner")
        bad = joined[joined[col].notna() & (joined["sum"] != joined[col]).fillna(False)]
        for _, row in bad.iterrows():
            expected = Count(int(row["sum"]))
            out.append(
                row_finding(
                    "sum.mismatch",
                    row,
                    src,
                    parent=row["area"],
                    what=Word(f"what.{col}"),
                    found=Count(int(row[col])),
                    expected=expected,
                    child_level=Word(f"level_word.{child}"),
                )
            )
    return out
