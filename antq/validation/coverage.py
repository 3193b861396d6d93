"""Areas present in some years of their level and missing in others."""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from antq import registry
from antq.findings import Finding, finding
from antq.validation.engine import rule
from antq.validation.keys import group_codes

__all__: list[str] = []


def missing_areas(df: pd.DataFrame) -> list[Finding]:
    out: list[Finding] = []
    unit = ["province", "district", "area"]
    levels, years = _years_by_level(df)
    # Only units seen in fewer years than their level can be missing from one: at national
    # scale almost none, so the per-unit work below runs on a handful of rows.
    narrow = df.iloc[_gaps(df, levels, years)][["level", *unit, "area_code", "year", "source"]]
    for level in levels:
        grp = narrow[(narrow["level"] == level).to_numpy()]
        if len(years[level]) < 2 or grp.empty:
            continue
        per_unit = (
            grp.sort_values("year", kind="stable")
            .groupby(unit, sort=False, dropna=False)
            .agg(
                present=("year", lambda s: sorted({int(y) for y in s})),
                code=("area_code", "first"),
                source=("source", "last"),
            )
            .reset_index()
        )
        for row in per_unit.itertuples(index=False):
            out.extend(_missing(row, str(level), years[level]))
    return out


rule("coverage.missing_area")(missing_areas)


def _years_by_level(df: pd.DataFrame) -> tuple[list[str], dict[str, list[int]]]:
    """The levels in the order the table first gives them, and the years of each."""
    levels = [str(v) for v in df["level"].unique() if not pd.isna(v)]
    year = df["year"].to_numpy(dtype=np.int64)
    level = df["level"]
    return levels, {
        lv: sorted(set(np.unique(year[(level == lv).to_numpy()]).tolist())) for lv in levels
    }


def _gaps(df: pd.DataFrame, levels: list[str], years: dict[str, list[int]]) -> np.ndarray:
    """Positions of the rows of units present in fewer years than their level."""
    unit, n_units = group_codes(df, ["level", "province", "district", "area"])
    year = df["year"].to_numpy(dtype=np.int64)
    if not len(year):
        return np.zeros(0, dtype=np.int64)
    span = int(year.max() - year.min()) + 1
    pairs = np.unique(unit * span + (year - year.min()))
    seen = np.bincount(pairs // span, minlength=n_units)
    want = np.zeros(len(df), dtype=np.int64)
    level = df["level"]
    for lv in levels:
        want[(level == lv).to_numpy()] = len(years[lv])
    return np.flatnonzero(seen[unit] < want)


def _missing(row: Any, level: str, years: list[int]) -> list[Finding]:
    # A unit that did not exist in a year is not missing from it (registry).
    missing = [
        y for y in years if y not in row.present and _existed(row.code, level, row.present[-1], y)
    ]
    if not missing:
        return []
    return [
        finding(
            "coverage.missing_area",
            str(row.source),
            area=str(row.area),
            level=level,
            present=", ".join(map(str, row.present)),
            missing=", ".join(map(str, missing)),
            expected=", ".join(map(str, years)),
            found=", ".join(map(str, row.present)),
        )
    ]


def _existed(code: object, level: object, seen: int, year: int) -> bool:
    """Whether the unit seen in ``seen`` under this code was in force at the end of ``year``.

    True when the registry does not know the code: then only the data can tell.
    """
    if code is None or pd.isna(code):
        return True
    uid, _n, _exact = registry.lookup_code(str(code), level=str(level), year=seen)
    if uid is None:
        return True
    unit = registry.unit(uid)
    end = date(year, 12, 31)
    return (unit.valid_from is None or unit.valid_from <= end) and (
        unit.valid_to is None or unit.valid_to >= end
    )
