"""Stage 4b: which real unit each row is: its canonical name, level, province, district, code.

A row's name alone does not identify a unit: Nam Định province had two
"Xã Hồng Quang" (in Huyện Ý Yên and in Huyện Nam Trực), and "Hải Hậu" is a
district until 30/6/2025 and a commune after. Each row is resolved in the
area registry (:mod:`antq.registry`) for the report's year, inside the
narrowest enclosing unit the sheet states:

1. what the sheet says: a parent column, the sheet's name ("Ý Yên"), its title
   ("UBND HUYỆN Ý YÊN", "BAN CHỈ ĐẠO 138 TỈNH NAM ĐỊNH"), each looked for inside the
   ``within=`` option first (which "Huyện Châu Thành"); ``within=`` itself where the
   sheet says nothing, or where it lies inside what the sheet says;
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
from datetime import timedelta
from functools import lru_cache

from antq import registry
from antq.findings import Finding, finding
from antq.types import LEVELS
from antq.vocab import AreaMatch

__all__ = ["GENERIC_TOTALS", "Placement", "place_rows"]

#: Names a total row gets when the sheet does not name its area.
GENERIC_TOTALS: dict[str, str] = {"province": "Toàn tỉnh", "district": "Toàn huyện"}
#: Past this many unknown or ambiguous names in one sheet, one finding lists them.
NAMES_PER_FINDING: int = 20
#: Names written otherwise than the registry's shown in their finding (all are counted).
RESPELLED_SHOWN: int = 5


@dataclass
class Placement:
    """Per body row: canonical name, level, enclosing province and district, official code."""

    names: list[str] = field(default_factory=list)
    levels: list[str] = field(default_factory=list)
    provinces: list[str | None] = field(default_factory=list)
    districts: list[str | None] = field(default_factory=list)
    codes: list[str | None] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def add(
        self, name: str, level: str, province: str | None, district: str | None, code: str | None
    ) -> None:
        """Append one row."""
        self.names.append(name)
        self.levels.append(level)
        self.provinces.append(province)
        self.districts.append(district)
        self.codes.append(code)

    def copy(self) -> Placement:
        """A copy whose lists can be changed without changing this one's."""
        return Placement(
            list(self.names),
            list(self.levels),
            list(self.provinces),
            list(self.districts),
            list(self.codes),
            list(self.findings),
        )


@dataclass(frozen=True)
class _Context:
    """The unit a sheet says its rows belong to."""

    uid: str | None = None
    province: str | None = None
    district: str | None = None
    level: str | None = None

    @classmethod
    def of(
        cls, name: str | None, year: int | None, level: str | None = None, inside: str | None = None
    ) -> _Context:
        """The unit ``name`` means in ``year``: looked for inside ``inside`` first (a
        "Huyện Châu Thành" of the province the caller names), then anywhere."""
        if not name:
            return cls()
        uid = None
        for scope in (inside, None) if inside else (None,):
            uid, _n, _exact = registry.lookup(name, year=year, within=scope, level=level)
            if uid is None and level is not None:
                uid, _n, _exact = registry.lookup(name, year=year, within=scope)
            if uid is not None:
                break
        if uid is None:
            return cls()
        a = registry.unit(uid)
        return cls(uid, a.province, a.district, a.level)

    def lies_in(self, other: _Context) -> bool:
        """Whether this unit lies inside ``other``: its province or district, by uid (ten
        districts are called Huyện Châu Thành), or the province its province became (Huyện Ý
        Yên of old Nam Định lies in the Tỉnh Ninh Bình of 1/7/2025).

        Examples
        --------
        >>> y = _Context.of("Huyện Ý Yên", 2025)
        >>> y.lies_in(_Context.of("Tỉnh Ninh Bình", 2025)), y.lies_in(_Context.of("Hà Nội", 2025))
        (True, False)
        """
        if self.uid is None or other.uid is None or self.uid == other.uid:
            return False
        province, district = registry.enclosing(self.uid)
        if other.level == "district":
            return district == other.uid
        if other.level != "province":
            return False
        if province == other.uid:
            return True
        start = registry.unit(other.uid).valid_from
        return start is not None and other.uid in registry.successors(province, on=start)


def _context(
    enclosing: AreaMatch | None, within: str | None, year: int | None, inside: str | None = None
) -> _Context:
    """The narrowest unit a sheet's rows are in: what the sheet says (``within``: a parent
    column, the sheet's name, the letterhead's superior; else the letterhead,
    ``enclosing``), looked for inside ``inside`` first; ``inside`` (the caller's
    ``within=``) where the sheet says nothing, or where it lies inside what the sheet says.
    What the sheet says wins over ``inside`` otherwise: ``within=`` is the area of every
    sheet *where it does not say* (:class:`~antq.reading.reader.ReadOptions`)."""
    ctx = _Context.of(within, year, inside=inside)
    if ctx.uid is None and enclosing is not None:
        ctx = _Context.of(enclosing.name, year, enclosing.level, inside=inside)
    if inside is not None:
        given = _Context.of(inside, year)
        if ctx.uid is None or given.lies_in(ctx):
            return given
    return ctx


@lru_cache(maxsize=1 << 16)  # once per row read: names repeat from year to year
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
    tries: list[tuple[str | None, bool]]
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
    found = (
        registry.lookup(name, year=year, level=level)
        for name, level, is_total in zip(names, levels, totals, strict=True)
        if not is_total and level
    )
    votes = [exact and uid is not None for uid, _n, exact in found]
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
    inside: str | None = None,
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
        The area the sheet says its rows are in, beyond its letterhead: a parent column,
        the sheet's name.
    sources
        The cell of each row's name, for findings.
    inside
        The caller's ``load(within=…)``: the rows' area where the sheet says none (or a
        narrower one than it says), and where what the sheet says is looked for first.

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
    # A table placed before, in a year with the same units in force, is placed alike: a
    # province's yearly reports list the same units in the same order. Only a placement
    # without findings is kept (findings name the cells and the year).
    year_of_units = registry.same_units_year(year)
    key = (tuple(names), tuple(levels), tuple(totals), enclosing, year_of_units, within, inside)
    known = _PLACED.get(key)
    if known is not None:
        return known.copy()
    out = _place_rows(names, levels, totals, enclosing, year, within, sources, inside)
    if not out.findings:
        if len(_PLACED) >= PLACED_KEPT:
            _PLACED.clear()
        _PLACED[key] = out.copy()
    return out


#: How many placements :func:`place_rows` keeps, by what decides them.
PLACED_KEPT: int = 4096


class _Kept(dict[tuple[object, ...], Placement]):
    """Placements by what decides them; ``cache_clear`` as on the memoised functions."""

    def cache_clear(self) -> None:
        self.clear()


_PLACED = _Kept()


def _place_rows(
    names: Sequence[str],
    levels: Sequence[str],
    totals: Sequence[bool],
    enclosing: AreaMatch | None,
    year: int | None,
    within: str | None,
    sources: Sequence[str] | None,
    inside: str | None,
) -> Placement:
    ctx = _context(enclosing, within, year, inside)
    cells = list(sources) if sources is not None else [""] * len(names)
    # The province of the rows, where the sheet does not say: the one they all share.
    placer = _Placer(
        ctx,
        year,
        shared=_shared_province(names, levels, totals, year, ctx),
        trust=_levels_hold(names, levels, totals, year),
        parent=ctx.uid if ctx.level == "district" else None,
    )
    out = placer.out
    for name, level, is_total, cell in zip(names, levels, totals, cells, strict=True):
        if is_total:
            out.add(name, level, None, None, None)
        else:
            placer.place(name, level, cell)
    _place_totals(out, totals, ctx, year)
    out.findings.extend(_name_findings(placer.unknown, placer.ambiguous, year))
    out.findings.extend(_ceased_findings(placer.ceased, year))
    out.findings.extend(_respelled_findings(placer.respelled))
    return out


@dataclass
class _Placer:
    """Places the rows of one table in order: a district row is the parent of the communes
    under it; names not placed, or of units that ceased, are kept for findings."""

    ctx: _Context
    year: int | None
    shared: str | None  # the province uid the rows share, where the sheet names none
    trust: bool  # the levels the layout suggests hold (see _levels_hold)
    parent: str | None  # the district uid of the communes that follow
    #: A district row the registry does not know: the communes that follow are its own.
    unknown_parent: str | None = None
    out: Placement = field(default_factory=Placement)
    unknown: list[tuple[str, str]] = field(default_factory=list)
    ambiguous: list[tuple[str, str, tuple[registry.Area, ...]]] = field(default_factory=list)
    ceased: list[tuple[registry.Area, str]] = field(default_factory=list)
    #: Names found only with their diacritics folded away: (as written, cell, unit).
    respelled: list[tuple[str, str, registry.Area]] = field(default_factory=list)

    def place(self, name: str, level: str, cell: str) -> None:
        unit, n, scope, district = self._find(name, level)
        if unit is None:
            self._not_placed(name, level, cell, scope, n)
            return
        if unit.level == "district":
            self.parent, self.unknown_parent = unit.uid, None
        if self.year is not None and unit.valid_to is not None and unit.valid_to.year <= self.year:
            self.ceased.append((unit, cell))
        if not registry.spelled_as(unit.uid, name):
            self.respelled.append((name, cell, unit))
        self.out.add(unit.name, unit.level, unit.province, district or unit.district, unit.code)

    def _find(
        self, name: str, level: str
    ) -> tuple[registry.Area | None, int, str | None, str | None]:
        """(unit, candidates, the scope it was looked for in, the sheet's district where
        that is the row's rather than the registry's) of one row's name."""
        scope = self.parent if level == "commune" and self.parent else (self.ctx.uid or self.shared)
        # A name means the same in every year with the same units in force: one entry of
        # _resolve's cache serves a province's ten yearly reports, not one each.
        year = registry.same_units_year(self.year)
        unit, n = _resolve(name, level, year, scope, trust_level=self.trust)
        if unit is not None or scope is None or n:
            return unit, n, scope, None
        unit, district = self._under_successor(name, level, year, scope)
        if unit is not None:
            return unit, 1, scope, district
        # The sheet's context was wrong (or the unit lies elsewhere): look everywhere.
        unit, n = _resolve(name, level, year, None, trust_level=self.trust)
        if unit is not None and not registry.spelled_as(unit.uid, name):
            # Outside the sheet's context and only with other diacritics ("Tân Thành" in
            # Hải Hậu read as Huyện Tân Thạnh, Long An): two guesses stacked. Kept as written
            # and reported unknown.
            unit, n = None, 0
        return unit, n, None, None

    def _under_successor(
        self, name: str, level: str, year: int | None, scope: str
    ) -> tuple[registry.Area | None, str | None]:
        """A commune not found in the sheet's district, looked for in the district it
        merged into; with the sheet's district where that was still in force at the end of
        the year. The registry keeps the communes of Huyện Mỹ Lộc (merged into Thành phố
        Nam Định on 1/9/2024) under their parent of 30/6/2025, with no earlier one: a 2023
        report of Mỹ Lộc's communes says which district they were in that year."""
        district = registry.unit(scope)
        if district.level != "district" or district.valid_to is None:
            return None, None
        stated = self.year is not None and registry.in_force(scope, f"{self.year}-12-31")
        after = district.valid_to + timedelta(days=1)
        for became in registry.successors(scope, on=after, children=False):
            unit, _n = _resolve(name, level, year, became, trust_level=self.trust)
            if unit is not None and unit.level == "commune":
                # Only a unit whose start the registry does not record: one it records
                # began in the new district, under no other.
                return unit, district.name if stated and unit.valid_from is None else None
        return None, None

    def _not_placed(self, name: str, level: str, cell: str, scope: str | None, n: int) -> None:
        """A name kept as written: ambiguous (with its candidates) or unknown."""
        if n > 1:
            cands = registry.candidates(name, year=self.year, within=scope)
            self.ambiguous.append((name, cell, cands))
        else:
            self.unknown.append((name, cell))
        if level == "district":
            # Its communes are its own, not those of the district before it.
            self.parent, self.unknown_parent = None, name
        district = None
        if level == "commune":
            district = _district_name(self.parent) or self.unknown_parent
        self.out.add(name, level, self.ctx.province or _name_of(self.shared), district, None)


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


def _respelled_findings(respelled: list[tuple[str, str, registry.Area]]) -> list[Finding]:
    """One finding per table for the names read only once their diacritics were folded
    away: a wrong mark ("Đông Sơn" for Đồng Sơn) can hide another unit, so it is said."""
    if not respelled:
        return []
    shown = "; ".join(
        f"'{name}' ({cell.rsplit('!', 1)[-1]}) → {unit.name}"
        for name, cell, unit in respelled[:RESPELLED_SHOWN]
    )
    more = "; …" if len(respelled) > RESPELLED_SHOWN else ""
    name, _cell, unit = respelled[0]
    return [
        finding(
            "area.respelled",
            respelled[0][1],
            n=len(respelled),
            names=shown + more,
            found=name,
            expected=unit.name,
        )
    ]


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
    # A total the sheet does not name keeps "Toàn tỉnh"/"Toàn huyện" (DOMAIN.md), but its
    # province and district are those its rows share, where they share one.
    province = ctx.province or _only(out, rows)
    district = None if level == "province" else (ctx.district or _shared(out, rows, level))
    for i in (i for i, t in enumerate(totals) if t):
        name = _total_name(out.names[i], ctx, level)
        unit = None if name in GENERIC_TOTALS.values() else _resolve(name, level, year, None)[0]
        out.levels[i] = level
        out.names[i] = unit.name if unit else name
        out.provinces[i] = unit.province if unit else province
        out.districts[i] = unit.district if unit and level != "province" else district
        out.codes[i] = unit.code if unit else None


def _total_name(name: str, ctx: _Context, level: str) -> str:
    """A total row's name: the sheet's own unit at the total's level, else as the sheet wrote it
    ("Toàn tỉnh" and "Toàn huyện" follow the level)."""
    if ctx.uid is not None and ctx.level == level:
        return registry.unit(ctx.uid).name
    if name in GENERIC_TOTALS.values():
        return GENERIC_TOTALS[level]
    return name


def _shared(out: Placement, rows: list[int], level: str) -> str | None:
    """The province (``level`` province) or district every row names, when all name the same."""
    found = {(out.provinces if level == "province" else out.districts)[i] for i in rows}
    return next(iter(found)) if len(found) == 1 and None not in found else None


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
