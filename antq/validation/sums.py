"""Parent rows against the rows under them: at every level of a table, and across files."""

from __future__ import annotations

from functools import cache

import pandas as pd

from antq import registry
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


def sums(df: pd.DataFrame) -> list[Finding]:
    out: list[Finding] = []
    work = df.assign(_table=table_of(df))
    for _table, tab in work.groupby("_table", sort=False):
        for child, parent in _pairs(set(tab["level"].dropna())):
            out.extend(_check(tab, child, parent))
    return out


rule("sum")(sums)


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


@cache
def _units_under(year: int) -> dict[str, int]:
    """How many units each registry unit has one level down at the end of ``year``, by uid."""
    units = registry.areas(on=f"{year}-12-31")
    return units.groupby("parent_uid").size().astype(int).to_dict()


def _parent_uid(code: object, level: str, year: int) -> str | None:
    if code is None or pd.isna(code):
        return None
    uid, _n, _exact = registry.lookup_code(str(code), level=level, year=year)
    return uid


def unit_sums(df: pd.DataFrame) -> list[Finding]:
    """A unit's row against its units one level down, wherever they were read, when all are.

    The province's summary and a commune annex are often two files: this checks
    the communes of each district against the district's row even so, but only
    when every unit the registry says the parent had at the end of the year is
    there (a report of some communes is not a sum to check).
    """
    out: list[Finding] = []
    child_rows = df[df["level"] != "province"]
    # A commune's parent is its district, or since 1/7/2025 its province.
    under_district = (child_rows["level"] == "commune") & child_rows["district"].notna()
    parent_name = child_rows["district"].where(under_district, child_rows["province"])
    parent_level = pd.Series("province", index=child_rows.index).where(~under_district, "district")
    kids = child_rows.assign(_parent=parent_name, _plevel=parent_level)
    keys = ["year", "indicator", "_plevel", "_parent"]
    for col, src in (("achieved", "source"), ("total", "total_source")):
        grouped = kids.groupby(keys, sort=False, dropna=True)[col]
        agg = pd.DataFrame(
            {"sum": grouped.sum(min_count=1), "n": grouped.count(), "size": grouped.size()}
        ).reset_index()
        agg = agg[agg["n"] == agg["size"]]  # every child has the value
        parents = df[df["level"] != "commune"].rename(columns={"area": "_parent"})
        parents = parents.assign(_plevel=parents["level"])
        joined = parents.merge(agg, on=keys, how="inner")
        bad = joined[joined[col].notna() & (joined["sum"] != joined[col]).fillna(False)]
        for _, row in bad.iterrows():
            year = int(row["year"])
            uid = _parent_uid(row["area_code"], str(row["level"]), year)
            if uid is None or _units_under(year).get(uid) != int(row["size"]):
                continue  # not every unit below is in the table: no sum to compare
            child = "commune" if row["level"] == "district" or year >= 2025 else "district"
            out.append(
                row_finding(
                    "sum.mismatch",
                    row.rename({"_parent": "area"}),
                    src,
                    parent=row["_parent"],
                    what=Word(f"what.{col}"),
                    found=Count(int(row[col])),
                    expected=Count(int(row["sum"])),
                    child_level=Word(f"level_word.{child}"),
                )
            )
    return out


rule("sum.units")(unit_sums)
