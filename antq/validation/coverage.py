"""Areas present in some years of their level and missing in others."""

from __future__ import annotations

from datetime import date

import pandas as pd

from antq import registry
from antq.findings import Finding, finding
from antq.validation.engine import rule

__all__: list[str] = []


def missing_areas(df: pd.DataFrame) -> list[Finding]:
    out: list[Finding] = []
    unit = ["province", "district", "area"]
    narrow = df[["level", *unit, "area_code", "year", "source"]]  # a national table is big
    for level, grp in narrow.groupby("level", sort=False):
        years = sorted({int(y) for y in grp["year"].unique()})
        if len(years) < 2:
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
        for row in per_unit[per_unit["present"].map(len) < len(years)].itertuples(index=False):
            # A unit that did not exist in a year is not missing from it (registry).
            missing = [
                y
                for y in years
                if y not in row.present and _existed(row.code, level, row.present[-1], y)
            ]
            if not missing:
                continue
            out.append(
                finding(
                    "coverage.missing_area",
                    str(row.source),
                    area=str(row.area),
                    level=str(level),
                    present=", ".join(map(str, row.present)),
                    missing=", ".join(map(str, missing)),
                    expected=", ".join(map(str, years)),
                    found=", ".join(map(str, row.present)),
                )
            )
    return out


rule("coverage.missing_area")(missing_areas)


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
