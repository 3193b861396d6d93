"""Areas present in some years of their level and missing in others."""

from __future__ import annotations

import pandas as pd

from antq.findings import Finding, finding
from antq.validation.engine import rule

__all__: list[str] = []


@rule("coverage.missing_area")
def missing_areas(df: pd.DataFrame) -> list[Finding]:
    out: list[Finding] = []
    unit = ["province", "district", "area"]
    narrow = df[["level", *unit, "year", "source"]]  # not whole rows: a national table is big
    for level, grp in narrow.groupby("level", sort=False):
        years = sorted({int(y) for y in grp["year"].unique()})
        if len(years) < 2:
            continue
        have = grp.groupby(unit, sort=False, dropna=False)["year"].agg(lambda s: sorted(set(s)))
        for key, present in have[have.map(len) < len(years)].items():
            missing = [y for y in years if y not in present]
            mask = (grp["area"] == key[2]) & (grp["year"] == present[-1])
            last = grp[mask.fillna(False)].iloc[0]
            out.append(
                finding(
                    "coverage.missing_area",
                    str(last["source"]),
                    area=str(key[2]),
                    level=str(level),
                    present=", ".join(map(str, present)),
                    missing=", ".join(map(str, missing)),
                    expected=", ".join(map(str, years)),
                    found=", ".join(map(str, present)),
                )
            )
    return out
