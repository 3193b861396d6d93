"""Regions: the area of a former unit, followed after it ceased to exist.

"Tỉnh Nam Định (cũ)" is the area old Nam Định covered on its last day, 30/6/2025:
its own rows until 2024, and in 2025 the sum of the 57 new communes formed
from its 175. A former district is followed the same way where its communes
went whole into new communes lying inside it; a new commune drawing on two
former districts (Thành Nam, Trường Thi: the city and Vụ Bản; Vị Khê, Hồng
Quang: the city and Nam Trực) is not split, and the regions it straddles get
no figures for that year (a finding says which and why).

For the years the unit existed, the region is the unit as it stood on its last
day: Thành phố Nam Định (cũ) includes Huyện Mỹ Lộc in every year, as the city
did from 1/9/2024 (:func:`antq.harmonise` to the unit's last day).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Literal, overload

import pandas as pd

from antq import registry
from antq.errors import AntqError, AntqWarning, AreaLookupError
from antq.findings import Finding, finding, findings_frame
from antq.schema import as_tidy
from antq.series.harmonise import (
    Harmonised,
    Names,
    checked_uids,
    combine,
    empty_harmonised,
    harmonise_at,
    partial_findings,
    with_extras,
    years_text,
)
from antq.types import LEVELS, Lang, Level, as_lang

__all__ = ["REGION_SUFFIX", "regions"]

#: What a region's name adds to its former unit's: "Tỉnh Nam Định (cũ)".
REGION_SUFFIX = " (cũ)"


def _end(year: int) -> date:
    return date(year, 12, 31)


def _former(
    df: pd.DataFrame, uids: pd.Series, of: str | Iterable[str] | None, level: str | None = None
) -> list[str]:
    """The former units asked for (uids, names), or every province and district (or unit of
    ``level``) of the table that no longer existed at the end of its last year."""
    if of is None:
        last = _end(int(df["year"].max()))
        levels = [level] if level is not None else ["province", "district"]
        seen = uids[df["level"].isin(levels).to_numpy()].dropna().unique()
        return sorted(u for u in seen if not registry.in_force(str(u), last))
    out = []
    for item in [of] if isinstance(of, str) else list(of):
        try:
            uid = registry.unit(item).uid
        except AreaLookupError:
            uid = registry.area(item).uid
        if registry.unit(uid).valid_to is None:
            raise AntqError(
                f"{registry.unit(uid).name} still exists: a region follows a former unit",
                vi=f"{registry.unit(uid).name} vẫn còn tồn tại: vùng chỉ dùng cho đơn vị cũ",
            )
        out.append(uid)
    return out


@dataclass
class _Cover:
    """The units of one year that make up a former area, or why they do not."""

    members: list[str] = field(default_factory=list)
    straddle: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    def problem(self) -> tuple[str, tuple[str, ...], int] | None:
        """(rule, units named, units needed), or None when the cover is exact."""
        if self.straddle:
            return "region.straddle", tuple(self.straddle), 0
        if self.missing:
            return "region.partial", tuple(self.missing), len(self.members) + len(self.missing)
        return None


def _classify(
    last: date, year: int, present: list[str], inside: set[str]
) -> tuple[list[str], list[str], set[str]]:
    """Units of ``year`` wholly inside the former area, those straddling it, and what they cover."""
    members, straddle, covered = [], [], set()
    for v in present:
        origins = registry.origins(v, on=last, at=_end(year))
        touched = {u for u, _ in origins} & inside
        if not touched:
            continue
        whole = {u for u, w in origins if u in inside and w}
        if len(whole) < len(origins):
            straddle.append(v)
        else:
            members.append(v)
            covered |= whole
    return members, straddle, covered


def _cover(former: str, last: date, year: int, by_level: dict[str, list[str]]) -> _Cover | None:
    """The units of ``year`` (tried level by level, coarse to fine) that exactly make up
    ``former``'s area on ``last``; else the problem of the finest level that touches it; None
    when no unit of the year touches it."""
    inside = set(registry.inside(former, on=last)) | {former}
    level_of = {u: registry.unit(u).level for u in inside}
    problem: _Cover | None = None
    for level in LEVELS:
        members, straddle, covered = _classify(last, year, by_level.get(level, []), inside)
        if not members and not straddle:
            continue
        levels = {level_of[u] for u in covered}
        need = {u for u in inside if level_of[u] in levels}
        if not straddle and covered == need:
            return _Cover(members)
        lost = {
            v for u in need - covered for v in registry.successors(u, on=_end(year), children=False)
        }
        problem = _Cover(members, straddle, sorted(lost))
    return problem


def _named(frame: pd.DataFrame, former: str) -> pd.DataFrame:
    """Rows of the former unit's area under the region's name."""
    a = registry.unit(former)
    return frame.assign(
        area=a.name + REGION_SUFFIX,
        province=a.province,
        district=a.name if a.level == "district" else None,
        area_code=None,
        level=a.level,
        uid=None,
    )


def _later(
    former: str, tidy: pd.DataFrame, uids: pd.Series, years: list[int]
) -> tuple[list[tuple[int, str, int, str, float]], list[Finding]]:
    """The years after the unit ceased: the units of each year that make up its area (a plan
    for :func:`~antq.series.harmonise.combine`), and why a year has none."""
    a = registry.unit(former)
    assert a.valid_to is not None
    plan: list[tuple[int, str, int, str, float]] = []
    problems: dict[tuple[str, tuple[str, ...], int], set[int]] = {}
    for year in years:
        here = uids[(tidy["year"] == year).to_numpy()].dropna()
        levels = tidy.loc[here.index, "level"]
        by_level: dict[str, list[str]] = {
            lv: sorted(set(here[(levels == lv).to_numpy()])) for lv in LEVELS
        }
        cover = _cover(former, a.valid_to, year, by_level)
        problem = ("region.unknown", (), 0) if cover is None else cover.problem()
        if problem is None and cover is not None:
            plan += [(year, former, year, v, 1.0) for v in cover.members]
        elif problem is not None:
            problems.setdefault(problem, set()).add(year)
    found = [
        finding(
            rule,
            "",
            area=a.name + REGION_SUFFIX,
            level=a.level,
            years=years_text(ys),
            units=Names(tuple(registry.unit(u).name for u in named)),
            missing=Names(tuple(registry.unit(u).name for u in named)),
            n=n,
        )
        for (rule, named, n), ys in problems.items()
    ]
    return plan, found


def _const(name: str) -> Callable[[str], str]:
    return lambda _uid: name


def _summed(
    plan: list[tuple[int, str, int, str, float]], tidy: pd.DataFrame, uids: pd.Series
) -> tuple[list[pd.DataFrame], list[Finding]]:
    """The later years of every region at once, and the indicators some part lacked."""
    if not plan:
        return [], []
    frame = pd.DataFrame(plan, columns=["year", "target", "from_year", "uid", "weight"])
    data = tidy[["year", "indicator", "achieved", "total", "reported_rate", "source", "area"]]
    summed = combine(data.assign(uid=uids.to_numpy()).dropna(subset=["uid"]), frame)
    found: list[Finding] = []
    parts: list[pd.DataFrame] = []
    for former, rows in summed.groupby("target", sort=False):
        a = registry.unit(str(former))
        assert a.valid_to is not None
        name = a.name + REGION_SUFFIX
        found += partial_findings(
            rows,
            frame[frame["target"] == former],
            a.valid_to,
            "region.partial",
            _const(name),
        )
        parts.append(_named(rows[rows["complete"]].assign(harmonised=True), str(former)))
    return parts, found


def _regions(
    df: pd.DataFrame, of: str | Iterable[str] | None, level: str | None = None
) -> tuple[pd.DataFrame, list[Finding]]:
    tidy = as_tidy(df, require_source=False)
    uids = checked_uids(df, tidy)
    years = sorted(int(y) for y in tidy["year"].unique())
    parts: list[pd.DataFrame] = []
    found: list[Finding] = []
    plan: list[tuple[int, str, int, str, float]] = []
    at_last: dict[date, tuple[pd.DataFrame, list[Finding]]] = {}
    for former in _former(tidy, uids, of, level):
        a = registry.unit(former)
        assert a.valid_to is not None
        if a.valid_to not in at_last:
            at_last[a.valid_to] = harmonise_at(df, a.valid_to, {})
        harmonised, notes = at_last[a.valid_to]
        parts.append(_named(harmonised[(harmonised["uid"] == former).to_numpy()], former))
        # What harmonising said about this unit (a predecessor missing in a year).
        found += [f for f in notes if f.area == a.name and f.rule.startswith("harmonise.p")]
        more, notes = _later(former, tidy, uids, [y for y in years if _end(y) > a.valid_to])
        plan += more
        found += notes
    later, notes = _summed(plan, tidy, uids)
    parts += later
    found += notes
    if not parts:
        return empty_harmonised(), found
    table = with_extras(pd.concat(parts, ignore_index=True))
    return table.sort_values(["area", "year"], kind="stable").reset_index(drop=True), found


@overload
def regions(
    df: pd.DataFrame,
    *,
    of: str | Iterable[str] | None = None,
    level: Level | None = None,
    findings: Literal[False] = False,
    lang: Lang = "vi",
) -> pd.DataFrame: ...


@overload
def regions(
    df: pd.DataFrame,
    *,
    of: str | Iterable[str] | None = None,
    level: Level | None = None,
    findings: Literal[True],
    lang: Lang = "vi",
) -> Harmonised: ...


def regions(
    df: pd.DataFrame,
    *,
    of: str | Iterable[str] | None = None,
    level: Level | None = None,
    findings: bool = False,
    lang: Lang = "vi",
) -> pd.DataFrame | Harmonised:
    """Series of the areas of former units, across the years they ceased in.

    A region is named after its unit with " (cũ)" ("Tỉnh Nam Định (cũ)",
    "Huyện Hải Hậu (cũ)"). For each year the unit existed it is the unit as it
    stood on its last day (:func:`antq.harmonise` to that day: Thành phố Nam
    Định (cũ) includes Huyện Mỹ Lộc before 2024 too); for each later year, the
    units of that year that make up exactly its area, summed, the coarsest
    level that does so first. Where no such units are in the table, the year
    has no row and a finding says why: units straddling the area's boundary
    (``region.straddle``: not split), units missing (``region.partial``), or no
    unit the registry records inside it (``region.unknown``).

    Parameters
    ----------
    df
        A tidy table (:func:`antq.load`).
    of
        The former units: names ("Tỉnh Nam Định", "Huyện Hải Hậu") or registry
        uids. Default: every province and district of the table that no longer
        existed at the end of its last year.
    level
        Without ``of``: only the former units of this level (``"province"``).
    findings
        Return :class:`Harmonised` (the table and the findings table) instead of
        the table alone, and warn nothing.
    lang
        Language of the findings table's messages.

    Returns
    -------
    pandas.DataFrame or Harmonised
        Tidy rows (``province`` is the former unit's province, ``district`` the
        former district of a district's region, ``area_code`` NA: a region is no
        unit), then ``uid`` (NA), ``harmonised``, ``sources`` and ``from_areas``
        as :func:`antq.harmonise` gives them. Concatenated with the table they
        came from, they are series of their own for :func:`antq.yoy` and the
        charts.

    Warns
    -----
    AntqWarning
        Without ``findings=True``, one per finding of severity warning.

    Examples
    --------
    >>> import antq
    >>> df = antq.load("data/raw")
    >>> r, f = regions(df, of="Tỉnh Nam Định", findings=True)
    >>> nd = r.query("indicator == 'safe_residential_area'")
    >>> nd["year"].tolist() == list(range(2015, 2026)), nd["area"].iloc[0]
    (True, 'Tỉnh Nam Định (cũ)')
    >>> int(nd["sources"].iloc[-1])  # 2025: the 57 new communes
    57
    """
    lang = as_lang(lang)
    table, found = _regions(df, of, level)
    if findings:
        return Harmonised(table, findings_frame(found, lang))
    for f in found:
        if f.severity != "info":
            warnings.warn(AntqWarning(f), stacklevel=2)
    return table
