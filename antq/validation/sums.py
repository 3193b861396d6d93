"""Parent rows against the rows under them: at every level of a table, and across files."""

from __future__ import annotations

from functools import cache, lru_cache

import numpy as np
import pandas as pd

from antq import registry
from antq.findings import Count, Finding, Word
from antq.types import LEVELS
from antq.validation.engine import row_finding, rule
from antq.validation.keys import codes, mapped, shared_codes

__all__: list[str] = []


#: Level → its rank (province 0), for integer work.
_LEVEL_CODES: dict[object, object] = {lv: i for i, lv in enumerate(LEVELS)}


def table_of(df: pd.DataFrame) -> pd.Series:
    """The "file!sheet" each row was read from (``table`` detail column, else from source)."""
    if "table" in df.columns:
        return df["table"].astype("string")
    # One regular expression over Arrow text: a split per row in Python took 2 s on a
    # national table.
    return df["source"].astype("string[pyarrow]").str.replace(r"![^!]*$", "", regex=True)


def sums(df: pd.DataFrame) -> list[Finding]:
    """Each table's rows against the rows one level down in the same table.

    In one pass over every table at once: a row's parent level is the nearest
    level above its own that its table holds; a child names its parent by its
    district (communes) or province (districts), unless its table has a single
    parent row for the year and indicator, which then owns all its children.
    """
    if df.empty:
        return []
    # Every sum lies within one table: whole tables at a time, a part of a national table's
    # working columns at once (all of them took 350 MB).
    found: dict[str, list[tuple[np.ndarray, np.ndarray, np.ndarray]]] = {}
    tables = table_of(df)  # once: a national table's sources took 0,2 s each time
    table = np.where(tables.isna().to_numpy(), -1, codes(tables)[0])
    used = df[list(_FAMILY_COLUMNS)]  # only these are moved into each batch
    for at in _table_batches(table, SUM_BATCH_ROWS):
        work = _family(used.iloc[at], table[at])
        for col in ("achieved", "total"):
            bad = _mismatches(work, col)
            i = bad["_i"].to_numpy()
            found.setdefault(col, []).append(
                (at[i], bad["_sum"].to_numpy(), work["_clevel"].to_numpy()[i])
            )
    out: list[Finding] = []
    for col, src in (("achieved", "source"), ("total", "total_source")):
        rows, sums_, child_levels = (np.concatenate(x) for x in zip(*found[col], strict=True))
        order = np.argsort(rows, kind="stable")  # in row order, as the table is read
        for i, expected, clevel in zip(rows[order], sums_[order], child_levels[order], strict=True):
            row = df.iloc[int(i)]
            child = LEVELS[int(clevel)]
            out.append(
                row_finding(
                    "sum.mismatch",
                    row,
                    src,
                    parent=row["area"],
                    what=Word(f"what.{col}"),
                    found=Count(int(row[col])),
                    expected=Count(int(expected)),
                    child_level=Word(f"level_word.{child}"),
                )
            )
    return out


rule("sum")(sums)

#: Rows :func:`sums` works on at once (whole tables, however large one is).
SUM_BATCH_ROWS: int = 200_000


def _table_batches(tables: np.ndarray, rows: int) -> list[np.ndarray]:
    """The positions of the rows of whole tables (their codes, -1: none), about ``rows`` at
    a time, each batch in the order of the table (rows without a table fall in one).

    Examples
    --------
    >>> t = np.array([0, 1, 0, -1, 2, 2])
    >>> [b.tolist() for b in _table_batches(t, 3)]  # tables: none, 0 | 1, 2
    [[0, 2, 3], [1, 4, 5]]
    """
    table = tables + 1  # rows without a table: one more code
    sizes = np.bincount(table)
    batch = (np.cumsum(sizes) - sizes) // max(rows, 1)  # by where each table starts
    of_row = batch[table]
    order = np.argsort(of_row, kind="stable")
    return np.split(order, np.flatnonzero(np.diff(of_row[order])) + 1)


#: The columns :func:`_family` reads.
_FAMILY_COLUMNS = (
    "year",
    "province",
    "district",
    "area",
    "level",
    "indicator",
    "achieved",
    "total",
)


def _family(df: pd.DataFrame, table: np.ndarray) -> pd.DataFrame:
    """Per row, as integer codes: its table (``table``, -1: none), level, year, indicator,
    name, the parent level in its table (-1: none), the name of its parent, and the level of
    its children (-1)."""
    level = mapped(df["level"], _LEVEL_CODES, -1).astype(np.int64)
    # One code space for every name: areas, and the districts and provinces children name.
    area, district, province = shared_codes(df, ["area", "district", "province"])
    n = len(df)
    # A row without a table (no source) or a level is in no sum.
    known = (level >= 0) & (table >= 0)
    table = np.where(known, table, 0)
    present = np.zeros((table.max(initial=0) + 1, len(LEVELS)), dtype=bool)
    present[table[known], level[known]] = True
    # The nearest level above each level present in a table, and below it.
    above = np.full(present.shape, -1, dtype=np.int64)
    below = np.full(present.shape, -1, dtype=np.int64)
    for lv in range(1, len(LEVELS)):
        above[:, lv] = np.where(present[:, lv - 1], lv - 1, above[:, lv - 1])
    for lv in range(len(LEVELS) - 2, -1, -1):
        below[:, lv] = np.where(present[:, lv + 1], lv + 1, below[:, lv + 1])
    lv_safe = np.where(known, level, 0)
    plevel = np.where(known, above[table, lv_safe], -1)
    clevel = np.where(known, below[table, lv_safe], -1)
    district_level = LEVELS.index("district")
    named = np.where(plevel == district_level, district, province)  # -1: missing
    indicator = codes(df["indicator"])[0]
    year = df["year"].to_numpy(dtype=np.int64)
    work = pd.DataFrame(
        {
            "_i": np.arange(n),
            "_t": table,
            "_level": level,
            "_year": year,
            "_ind": indicator,
            "_area": area,
            "_plevel": plevel,
            "_clevel": clevel,
        }
    )
    # A table with a single parent row for the year and indicator: it owns all the children.
    parents = work[work["_clevel"] >= 0]
    pkey = ["_t", "_level", "_year", "_ind"]
    counts = parents.groupby(pkey, sort=False)["_area"].agg(["size", "first"])
    single = counts[counts["size"] == 1]["first"].rename("_only")
    only = work[["_t", "_plevel", "_year", "_ind"]].merge(
        single, left_on=["_t", "_plevel", "_year", "_ind"], right_index=True, how="left"
    )["_only"]
    work["_parent"] = np.where(only.notna(), only.fillna(-1).to_numpy(dtype=np.int64), named)
    for col in ("achieved", "total"):
        values = df[col]
        work[f"_{col}_na"] = values.isna().to_numpy()
        work[col] = values.fillna(0).to_numpy(dtype=np.int64)
    return work


def _mismatches(work: pd.DataFrame, col: str) -> pd.DataFrame:
    """Parent rows whose ``col`` differs from the sum of their children's, all of which
    have a value: ``_i`` (the row) and ``_sum``, in table order, then row order."""
    kids = work[(work["_plevel"] >= 0) & (work["_parent"] >= 0)]
    keys = ["_t", "_plevel", "_year", "_ind", "_parent"]
    agg = (
        kids.assign(_has=~kids[f"_{col}_na"])
        .groupby(keys, sort=False)
        .agg(_sum=(col, "sum"), _n=("_has", "sum"), _size=("_has", "size"))
    )
    agg = agg[(agg["_n"] == agg["_size"]) & (agg["_n"] > 0)]
    parents = work[(work["_clevel"] >= 0) & ~work[f"_{col}_na"]]
    joined = parents.merge(
        agg, left_on=["_t", "_level", "_year", "_ind", "_area"], right_index=True, how="inner"
    )
    bad = joined[joined["_sum"] != joined[col]]
    return bad.sort_values("_i", kind="stable")[["_i", "_sum"]]


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
    if df.empty:
        return []
    work = _units_family(df)
    out: list[Finding] = []
    for col, src in (("achieved", "source"), ("total", "total_source")):
        bad = _unit_mismatches(df, work, col)
        for i, expected in zip(bad["_i"], bad["_sum"], strict=True):
            row = df.iloc[int(i)]
            year = int(row["year"])
            child = "commune" if row["level"] == "district" or year >= 2025 else "district"
            out.append(
                row_finding(
                    "sum.mismatch",
                    row,
                    src,
                    parent=row["area"],
                    what=Word(f"what.{col}"),
                    found=Count(int(row[col])),
                    expected=Count(int(expected)),
                    child_level=Word(f"level_word.{child}"),
                )
            )
    return out


rule("sum.units")(unit_sums)


def _units_family(df: pd.DataFrame) -> pd.DataFrame:
    """Per row, as integer codes: level, year, indicator, its name, and the level and name of
    its parent (a commune's district, or since 1/7/2025 its province; a district's province)."""
    level = mapped(df["level"], _LEVEL_CODES, -1).astype(np.int64)
    area, district, province = shared_codes(df, ["area", "district", "province"])
    n = len(df)
    commune, district_level = LEVELS.index("commune"), LEVELS.index("district")
    under_district = (level == commune) & (district >= 0)
    child = level > 0  # every row below a province has a parent
    return pd.DataFrame(
        {
            "_i": np.arange(n),
            "_level": level,
            "_year": df["year"].to_numpy(dtype=np.int64),
            "_ind": codes(df["indicator"])[0],
            "_area": area,
            "_plevel": np.where(child, np.where(under_district, district_level, 0), -1),
            "_parent": np.where(child, np.where(under_district, district, province), -1),
            # A parent and its units lie in one province: two districts of one name in two
            # provinces (Huyện Châu Thành) are two parents, not one summing both's units. A
            # province is its own (its row may leave the column empty).
            "_prov": np.where(level == 0, area, province),
        }
    )


def _unit_mismatches(df: pd.DataFrame, work: pd.DataFrame, col: str) -> pd.DataFrame:
    """Rows whose ``col`` differs from the sum over the units one level down, all of which
    have a value, and all the units the registry has under them: ``_i`` and ``_sum``."""
    has = df[col].notna().to_numpy()
    value = df[col].fillna(0).to_numpy(dtype=np.int64)
    kids = work.assign(_v=value, _has=has)[(work["_plevel"] >= 0) & (work["_parent"] >= 0)]
    keys = ["_year", "_ind", "_plevel", "_parent", "_prov"]
    agg = kids.groupby(keys, sort=False).agg(
        _sum=("_v", "sum"), _n=("_has", "sum"), _size=("_has", "size")
    )
    agg = agg[agg["_n"] == agg["_size"]]
    parents = work.assign(_v=value)[(work["_level"] >= 0) & (work["_level"] < 2) & has]
    joined = parents.merge(
        agg, left_on=["_year", "_ind", "_level", "_area", "_prov"], right_index=True, how="inner"
    )
    bad = joined[joined["_sum"] != joined["_v"]].sort_values("_i", kind="stable")
    if bad.empty:
        return bad[["_i", "_sum"]]
    # Not every unit below is in the table: no sum to compare.
    rows = df[["area_code", "level", "year"]].iloc[bad["_i"].to_numpy()]
    expected = [
        _units_of(None if pd.isna(code) else str(code), str(level), int(year))
        for code, level, year in zip(rows["area_code"], rows["level"], rows["year"], strict=True)
    ]
    complete = np.array(expected, dtype=np.int64) == bad["_size"].to_numpy()
    return bad[complete][["_i", "_sum"]]


@lru_cache(maxsize=1 << 14)
def _units_of(code: str | None, level: str, year: int) -> int:
    """How many units the registry has one level below the unit with this code (−1: unknown)."""
    uid = _parent_uid(code, level, year)
    if uid is None:
        return -1
    return _units_under(year).get(uid, -1)
