"""Stage 4b: which real unit each row is: its canonical name, level, province, district, code.

A row's name alone does not identify a unit: Nam Định province had two
"Xã Hồng Quang" (in Huyện Ý Yên and in Huyện Nam Trực), and "Hải Hậu" is a
district until 30/6/2025 and a commune after. Each row is resolved in the
area registry (:mod:`antq.registry`) for the report's year, inside the
narrowest enclosing unit the sheet states:

1. the ``within=`` option, or the sheet's title ("UBND HUYỆN Ý YÊN", "BAN CHỈ
   ĐẠO 138 TỈNH NAM ĐỊNH");
2. for a commune, the district row above it in the table (numbered rows I, II
   … over their communes);
3. for a district, the province the sheet names, or that its other rows share.

A name that still matches several units is kept as written with no district
and no code, and reported with the candidates (``area.ambiguous``); a name the
registry does not know is kept as written and reported (``area.unknown``). A
total row the sheet does not name stays "Toàn tỉnh" / "Toàn huyện" (DOMAIN.md),
with the province (and district) its rows share, where they share one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from antq import registry
from antq.findings import Finding, finding
from antq.types import LEVELS
from antq.vocab import AreaMatch

__all__ = ["GENERIC_TOTALS", "Placement", "place_rows"]

#: Names a total row gets when the sheet does not name its area.
GENERIC_TOTALS: dict[str, str] = {"province": "Toàn tỉnh", "district": "Toàn huyện"}
#: Past this many unknown or ambiguous names in one sheet, one finding lists them.
NAMES_PER_FINDING: int = 20


@dataclass
class Placement:
    """Per body row: canonical name, level, enclosing province and district, official code."""

    names: list[str] = field(default_factory=list)
    levels: list[str] = field(default_factory=list)
    provinces: list[str | None] = field(default_factory=list)
    districts: list[str | None] = field(default_factory=list)
    codes: list[str | None] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


@dataclass(frozen=True)
class _Context:
    """The unit a sheet says its rows belong to."""

    uid: str | None = None
    province: str | None = None
    district: str | None = None
    level: str | None = None

    @classmethod
    def of(cls, name: str | None, year: int | None, level: str | None = None) -> _Context:
        if not name:
            return cls()
        uid, _n, _exact = registry.lookup(name, year=year, level=level)
        if uid is None and level is not None:
            uid, _n, _exact = registry.lookup(name, year=year)
        if uid is None:
            return cls()
        a = registry.unit(uid)
        return cls(uid, a.province, a.district, a.level)


def _context(enclosing: AreaMatch | None, within: str | None, year: int | None) -> _Context:
    ctx = _Context.of(within, year)
    if ctx.uid is None and enclosing is not None:
        ctx = _Context.of(enclosing.name, year, enclosing.level)
    return ctx


def _resolve(
    name: str,
    level: str | None,
    year: int | None,
    within: str | None,
    *,
    trust_level: bool = False,
) -> tuple[registry.Area | None, int]:
    """The unit a row names, and how many it could be.

    A unit in force at the end of the year beats one that ceased during it,
    at the level the sheet suggests first, then at any level: a bare "Hải Hậu"
    in a 2025 report is the commune, not the district abolished in July. But in
    a table whose other rows are districts of that year (``trust_level``), a
    district that ceased during the year is still that district ("Mỹ Lộc" in a
    2024 report of districts), not the commune of the same name.
    """
    if not level:
        tries = [(None, True), (None, False)]
    elif trust_level:
        tries = [(level, True), (level, False), (None, True), (None, False)]
    else:
        tries = [(level, True), (None, True), (level, False), (None, False)]
    most = 0
    for lv, want_exact in tries:
        uid, n, exact = registry.lookup(name, year=year, within=within, level=lv)
        if uid is not None and exact == want_exact:
            return registry.unit(uid), 1
        if n > 1 and exact == want_exact:
            most = max(most, n)
    return None, most


def _levels_hold(
    names: Sequence[str], levels: Sequence[str], totals: Sequence[bool], year: int | None
) -> bool:
    """Whether most rows name units in force at the end of the year at the level suggested."""
    votes = [
        registry.lookup(name, year=year, level=level)[2]
        and registry.lookup(name, year=year, level=level)[0] is not None
        for name, level, is_total in zip(names, levels, totals, strict=True)
        if not is_total and level
    ]
    return bool(votes) and sum(votes) * 2 >= len(votes)


def place_rows(
    names: Sequence[str],
    levels: Sequence[str],
    totals: Sequence[bool],
    *,
    enclosing: AreaMatch | None,
    year: int | None,
    within: str | None = None,
    sources: Sequence[str] | None = None,
) -> Placement:
    """Canonical name, level, province, district and code of each row of a table, in order.

    Parameters
    ----------
    names, levels, totals
        Per body row: the name as read (a total row: the enclosing area's name
        or "Toàn tỉnh"/"Toàn huyện"), the level the layout suggests, and
        whether the row is a total row.
    enclosing
        The area the sheet's title names, if any.
    year
        The report's year: names resolve to the units in force then.
    within
        The area every row belongs to, where the sheet does not say (``load(within=…)``).
    sources
        The cell of each row's name, for findings.

    Examples
    --------
    >>> p = place_rows(["Huyện Ý Yên", "Xã Hồng Quang", "Huyện Nam Trực", "Xã Hồng Quang"],
    ...     ["district", "commune", "district", "commune"], [False] * 4, enclosing=None, year=2024)
    >>> p.districts
    ['Huyện Ý Yên', 'Huyện Ý Yên', 'Huyện Nam Trực', 'Huyện Nam Trực']
    >>> p.codes
    ['360', '13876', '362', '13984']
    >>> place_rows(["Hải Hậu"], ["district"], [False], enclosing=None, year=2025).names
    ['Xã Hải Hậu']
    """
    ctx = _context(enclosing, within, year)
    cells = list(sources) if sources is not None else [""] * len(names)
    out = Placement()
    unknown: list[tuple[str, str]] = []
    ambiguous: list[tuple[str, str, tuple[registry.Area, ...]]] = []
    ceased: list[tuple[registry.Area, str]] = []
    # The province of the rows, where the sheet does not say: the one they all share.
    shared = _shared_province(names, levels, totals, year, ctx)
    trust = _levels_hold(names, levels, totals, year)
    parent = ctx.uid if ctx.level == "district" else None
    for name, level, is_total, cell in zip(names, levels, totals, cells, strict=True):
        if is_total:
            out.names.append(name)
            out.levels.append(level)
            out.provinces.append(None)
            out.districts.append(None)
            out.codes.append(None)
            continue
        scope = parent if level == "commune" and parent else (ctx.uid or shared)
        unit, n = _resolve(name, level, year, scope, trust_level=trust)
        if unit is None and scope is not None and n == 0:
            # The sheet's context was wrong (or the unit lies elsewhere): look everywhere.
            unit, n = _resolve(name, level, year, None, trust_level=trust)
        if unit is None:
            (ambiguous if n > 1 else unknown).append((name, cell))
            if n > 1:
                ambiguous[-1] = (name, cell, registry.candidates(name, year=year, within=scope))
            out.names.append(name)
            out.levels.append(level)
            out.provinces.append(ctx.province or _name_of(shared))
            out.districts.append(_district_name(parent) if level == "commune" else None)
            out.codes.append(None)
            continue
        if unit.level == "district":
            parent = unit.uid
        if year is not None and unit.valid_to is not None and unit.valid_to.year <= year:
            ceased.append((unit, cell))
        out.names.append(unit.name)
        out.levels.append(unit.level)
        out.provinces.append(unit.province)
        out.districts.append(unit.district)
        out.codes.append(unit.code)
    _place_totals(out, totals, ctx, year)
    out.findings.extend(_name_findings(unknown, ambiguous, year))
    out.findings.extend(_ceased_findings(ceased, year))
    return out


def _ceased_findings(ceased: list[tuple[registry.Area, str]], year: int | None) -> list[Finding]:
    """A unit listed in a report of a year whose end it did not see (merged, abolished)."""
    out = []
    for unit, cell in ceased:
        after = unit.valid_to.isoformat() if unit.valid_to else ""
        went = [registry.unit(u).name for u in registry.successors(unit.uid, on=f"{year}-12-31")]
        out.append(
            finding(
                "area.ceased",
                cell,
                name=unit.name,
                until=after,
                successors=", ".join(went) or "—",
                year=year,
                area=unit.name,
                level=unit.level,
                found=unit.name,
                expected=", ".join(went),
            )
        )
    return out


def _name_of(uid: str | None) -> str | None:
    return registry.unit(uid).name if uid else None


def _district_name(uid: str | None) -> str | None:
    return registry.unit(uid).name if uid else None


def _shared_province(
    names: Sequence[str],
    levels: Sequence[str],
    totals: Sequence[bool],
    year: int | None,
    ctx: _Context,
) -> str | None:
    """The province uid most rows resolve into, when the sheet names none."""
    if ctx.uid is not None:
        return None
    votes: Counter[str] = Counter()
    for name, level, is_total in zip(names, levels, totals, strict=True):
        if is_total or level == "province":
            continue
        unit, _ = _resolve(name, level, year, None)
        if unit is not None:
            votes[unit.province] += 1
    if not votes:
        return None
    province, n = votes.most_common(1)[0]
    uid, _n, _exact = registry.lookup(province, year=year, level="province")
    return uid if n * 2 > sum(votes.values()) else None


def _total_level(out: Placement, rows: list[int], ctx: _Context) -> str:
    """One level above the rows a total sums; the sheet's own unit when that is higher."""
    top = min((LEVELS.index(out.levels[i]) for i in rows), default=LEVELS.index("district"))
    if ctx.level is not None and LEVELS.index(ctx.level) < top:
        return ctx.level
    level = LEVELS[max(top - 1, 0)]
    if level == "district" and rows and not any(out.districts[i] for i in rows):
        return "province"  # communes without districts: since 1/7/2025, or never stated
    return level


def _place_totals(out: Placement, totals: Sequence[bool], ctx: _Context, year: int | None) -> None:
    """Total rows: the level above the rows they sum, named after their unit where known."""
    rows = [i for i, t in enumerate(totals) if not t]
    level = _total_level(out, rows, ctx)
    for i in (i for i, t in enumerate(totals) if t):
        name = out.names[i]
        if ctx.uid is not None and ctx.level == level:
            name = registry.unit(ctx.uid).name
        elif name in GENERIC_TOTALS.values():
            name = GENERIC_TOTALS[level]
        generic = name in GENERIC_TOTALS.values()
        unit = None if generic else _resolve(name, level, year, None)[0]
        # A total the sheet does not name keeps "Toàn tỉnh"/"Toàn huyện" (DOMAIN.md), but its
        # province and district are those its rows share, where they share one.
        shared = {(out.provinces if level == "province" else out.districts)[i] for i in rows}
        one = next(iter(shared)) if len(shared - {None}) == 1 and None not in shared else None
        out.levels[i] = level
        out.names[i] = unit.name if unit else name
        out.provinces[i] = unit.province if unit else (ctx.province or _only(out, rows))
        if level == "province":
            out.districts[i] = None
        else:
            out.districts[i] = unit.district if unit else (ctx.district or one)
        out.codes[i] = unit.code if unit else None


def _only(out: Placement, rows: list[int]) -> str | None:
    """The province every row lies in, if they share one."""
    found = {out.provinces[i] for i in rows} - {None}
    return next(iter(found)) if len(found) == 1 else None


def _name_findings(
    unknown: list[tuple[str, str]],
    ambiguous: list[tuple[str, str, tuple[registry.Area, ...]]],
    year: int | None,
) -> list[Finding]:
    out: list[Finding] = []
    if len(unknown) > NAMES_PER_FINDING:
        names = ", ".join(n for n, _ in unknown[:5])
        out.append(finding("area.unknown_many", unknown[0][1], n=len(unknown), names=names))
    else:
        out += [finding("area.unknown", cell, name=name, found=name) for name, cell in unknown]
    for name, cell, cands in ambiguous[:NAMES_PER_FINDING]:
        listing = "; ".join(str(a) for a in cands[:5])
        out.append(
            finding(
                "area.ambiguous",
                cell,
                name=name,
                n=len(cands),
                candidates=listing,
                year=year,
                found=name,
                expected="one unit (its district row above it, or within=…)",
            )
        )
    return out
