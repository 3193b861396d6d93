"""The area registry: every administrative unit of Vietnam over time.

A name alone does not identify an area: "Xã Hồng Quang" is two communes of
Nam Định province (in Huyện Ý Yên and in Huyện Nam Trực), "Hải Hậu" is a
district until 30/6/2025 and a commune from 1/7/2025, and on 1 July 2025 the
63 provinces became 34 and the districts were abolished. The registry gives
every unit a stable ``uid``, its official code, its period of validity and
its parent, and records the events that changed the map, so that a name read
from a sheet of a given year resolves to one unit, and series can be carried
across a change.

The tables live in ``antq/data/registry`` (built by
``scripts/build_registry.py``; its README says where each fact comes from and
what was verified). They are loaded once, on first use.

Examples
--------
>>> from antq import registry
>>> registry.area("H. Hải Hậu", year=2023).name
'Huyện Hải Hậu'
>>> registry.area("Hồng Quang", year=2024, within="Huyện Ý Yên").code
'13876'
>>> registry.successors("D358", on="2024-12-31")
('D356',)
"""

from __future__ import annotations

import csv
import difflib
import gzip
import unicodedata
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from importlib import resources
from typing import TypeAlias

import numpy as np
import pandas as pd

from antq._gc import gc_paused
from antq._text import fold
from antq.errors import AreaLookupError, SchemaError
from antq.types import Level

__all__ = [
    "LEVELS",
    "Area",
    "AreaLookupError",
    "area",
    "areas",
    "candidates",
    "crosswalk",
    "events",
    "in_force",
    "inside",
    "lookup",
    "lookup_code",
    "origins",
    "predecessors",
    "reshaped",
    "resolve",
    "spelled_as",
    "spelling_texts",
    "spellings",
    "successors",
    "uids",
    "unit",
]

#: Administrative levels, from the top down.
LEVELS: tuple[str, ...] = ("province", "district", "commune")

_PACKAGE = "antq.data"
_FOLDER = "registry"
_UNIT_DTYPES = {
    "uid": "string",
    "code": "string",
    "name": "string",
    "level": "string",
    "parent_uid": "string",
    "valid_from": "string",
    "valid_to": "string",
    "verified": "bool",
    "source": "string",
}
_SPELLING_DTYPES = {
    "uid": "string",
    "spelling": "string",
    "key": "string",
    "prefixed": "bool",
    "kind": "string",
}
_EVENT_DTYPES = {
    "date": "string",
    "kind": "string",
    "old_uid": "string",
    "new_uid": "string",
    "n_new": "int64",
    "basis": "string",
    "clause": "string",
    "verified": "bool",
    "note": "string",
}
_EVENT_KINDS = frozenset({"merged_whole", "merged_part", "renamed", "kept", "abolished"})
# Open ends of a period, as day ordinals: before and after any real date.
_BEFORE, _AFTER = -1, 10**7

DateLike: TypeAlias = str | date | pd.Timestamp


@dataclass(frozen=True)
class Area:
    """One administrative unit during one period.

    ``parent``, ``province`` and ``district`` are names: the unit's parent,
    and the province and district it lies in or is (``district`` is None for
    provinces and for communes from 1/7/2025). ``valid_from`` None means in
    force before the records held (start not recorded); ``valid_to`` None
    means still in force. ``verified``: its facts were checked against a
    legal text (see the registry README).

    Examples
    --------
    >>> str(area("Xã Hồng Quang", year=2024, within="Huyện Nam Trực"))
    'Xã Hồng Quang (Huyện Nam Trực, 13984, until 2025-06-30)'
    """

    uid: str
    code: str
    name: str
    level: str
    parent: str | None
    province: str
    district: str | None
    valid_from: date | None
    valid_to: date | None
    verified: bool

    def __str__(self) -> str:
        return _describe(self, vi=False)


def _span(start: date | None, end: date | None) -> str:
    if start and end:
        return f"{start.isoformat()} – {end.isoformat()}"
    if start:
        return f"from {start.isoformat()}"
    if end:
        return f"until {end.isoformat()}"
    return ""


# ---- loading -------------------------------------------------------------------
# The tables and indexes are built with the garbage collector paused (antq._gc): some
# 200.000 objects that live as long as the process and form no cycles, whose allocation
# started full collections that took more than half the time of loading them.
@gc_paused()
def _read(name: str, dtypes: dict[str, str]) -> dict[str, list]:
    """One table as column lists of Python values: None for an empty cell.

    Plain lists, not a DataFrame: the index is built by Python loops, and
    iterating Arrow-backed string columns value by value is slow.
    """
    path = resources.files(_PACKAGE).joinpath(f"{_FOLDER}/{name}")
    with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8", newline="") as f:
        header, *rows = csv.reader(f)
    if header != list(dtypes):
        raise SchemaError(
            f"the shipped registry is broken: {name}: columns {header}, expected {list(dtypes)}"
        )
    columns: dict[str, list] = {}
    for (col, dtype), values in zip(dtypes.items(), zip(*rows, strict=True), strict=True):
        if dtype == "bool":
            _fail(name, f"{col} not True/False", set(values) - {"True", "False"})
            columns[col] = [v == "True" for v in values]
        elif dtype == "int64":
            columns[col] = [int(v) for v in values]
        else:
            # An empty cell is a missing value (no parent, open end), not "".
            columns[col] = [v or None for v in values]
    return columns


def _fail(table: str, what: str, values: Iterable[object]) -> None:
    shown = sorted({str(v) for v in values})
    if shown:
        more = f" and {len(shown) - 5} more" if len(shown) > 5 else ""
        raise SchemaError(
            f"the shipped registry is broken: {table}: {what}: {', '.join(shown[:5])}{more}"
            " (rebuild it with scripts/build_registry.py)"
        )


# Each table is read on first use, once, and checked as it is read.
@cache
def _units_raw() -> dict[str, list]:
    units = _read("units.csv.gz", _UNIT_DTYPES)
    uids = set(units["uid"])
    _fail("units", "duplicate uid", (u for u, n in Counter(units["uid"]).items() if n > 1))
    _fail("units", "unknown level", set(units["level"]) - set(LEVELS))
    _fail("units", "parent_uid not a unit", set(units["parent_uid"]) - uids - {None})
    rank = {u: LEVELS.index(v) for u, v in zip(units["uid"], units["level"], strict=True)}
    pairs = zip(units["uid"], units["parent_uid"], strict=True)
    _fail("units", "parent not above its child", (u for u, p in pairs if p and rank[p] >= rank[u]))
    return units


@cache
def _spellings_raw() -> dict[str, list]:
    spell = _read("spellings.csv.gz", _SPELLING_DTYPES)
    _fail("spellings", "uid not a unit", set(spell["uid"]) - set(_units_raw()["uid"]))
    return spell


@cache
def _events_raw() -> dict[str, list]:
    ev = _read("events.csv.gz", _EVENT_DTYPES)
    uids = set(_units_raw()["uid"])
    _fail("events", "unknown kind", set(ev["kind"]) - _EVENT_KINDS)
    _fail("events", "old_uid not a unit", set(ev["old_uid"]) - uids)
    _fail("events", "new_uid not a unit", set(ev["new_uid"]) - uids - {None})
    return ev


def _typed(columns: dict[str, list], dtypes: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.array(columns[c], dtype=dtypes[c]) for c in dtypes})


@cache
def _spellings_frame() -> pd.DataFrame:
    return _typed(_spellings_raw(), _SPELLING_DTYPES)


@cache
def _events_frame() -> pd.DataFrame:
    return _typed(_events_raw(), _EVENT_DTYPES)


def _to_date(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


def _day(value: DateLike) -> date:
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(value)


@dataclass(frozen=True)
class _Index:
    """The units as arrays and dicts, built once: resolving a name touches no DataFrame."""

    uid: tuple[str, ...]
    level: np.ndarray  # 0 province, 1 district, 2 commune
    start: np.ndarray  # day ordinal; _BEFORE when not recorded
    end: np.ndarray  # day ordinal; _AFTER when still in force
    parent: np.ndarray  # row of the parent, -1 for provinces
    province: np.ndarray  # row of the province the unit lies in (or is)
    district: np.ndarray  # row of its district (or itself), -1 for none
    by_uid: dict[str, int]
    by_code: dict[tuple[int, str], tuple[int, ...]]  # (level, code) → rows
    children: dict[int, tuple[int, ...]]
    # The same as tuples of Python ints, for the per-name loop.
    levels: tuple[int, ...]
    starts: tuple[int, ...]
    ends: tuple[int, ...]


def _ordinals(values: list[str | None], missing: int) -> np.ndarray:
    return np.array(
        [missing if v is None else date.fromisoformat(v).toordinal() for v in values],
        dtype=np.int64,
    )


@cache
@gc_paused()
def _index() -> _Index:
    units = _units_raw()
    uid = tuple(units["uid"])
    by_uid = {u: i for i, u in enumerate(uid)}
    level = np.array([LEVELS.index(v) for v in units["level"]], dtype=np.int8)
    parent = np.array([-1 if p is None else by_uid[p] for p in units["parent_uid"]])
    children: dict[int, list[int]] = defaultdict(list)
    for i, p in enumerate(parent.tolist()):
        if p >= 0:
            children[p].append(i)
    by_code: dict[tuple[int, str], list[int]] = defaultdict(list)
    for i, (lv, code) in enumerate(zip(level.tolist(), units["code"], strict=True)):
        by_code[(lv, code)].append(i)
    # Levels nest at most three deep: the grandparent of a row, or its parent, or itself.
    rows = np.arange(len(uid))
    up1 = np.where(parent >= 0, parent, rows)
    up2 = np.where(parent[up1] >= 0, parent[up1], up1)
    province = np.where(level == 0, rows, np.where(level[up1] == 0, up1, up2))
    district = np.where(level == 1, rows, np.where(level[up1] == 1, up1, -1))
    start = _ordinals(units["valid_from"], _BEFORE)
    end = _ordinals(units["valid_to"], _AFTER)
    return _Index(
        uid=uid,
        level=level,
        start=start,
        end=end,
        levels=tuple(level.tolist()),
        starts=tuple(start.tolist()),
        ends=tuple(end.tolist()),
        parent=parent,
        province=province,
        district=district,
        by_uid=by_uid,
        by_code={k: tuple(v) for k, v in by_code.items()},
        children={k: tuple(v) for k, v in children.items()},
    )


@cache
@gc_paused()
def _spelling_rows() -> tuple[dict[str, tuple[int, ...]], dict[str, tuple[int, ...]]]:
    """Rows of the spellings table by folded key and by uid, in the table's order.

    One pass over the 36.000 spellings; what a key or a unit needs of them is worked out
    on first use of that key or unit (:func:`_keyed`, :func:`_unit_marks`): a process
    reading a few provinces meets a fraction of them, and building every answer up front
    cost more than the workbooks it read.
    """
    spell = _spellings_raw()
    by_key: dict[str, list[int]] = defaultdict(list)
    by_uid: dict[str, list[int]] = defaultdict(list)
    for i, (u, key) in enumerate(zip(spell["uid"], spell["key"], strict=True)):
        by_key[key].append(i)
        by_uid[u].append(i)
    # Tuples of ints: the garbage collector stops tracking them, where 50.000 lists would
    # be walked by every full collection for the rest of the process.
    return {k: tuple(v) for k, v in by_key.items()}, {u: tuple(v) for u, v in by_uid.items()}


@lru_cache(maxsize=1 << 18)
def _keyed(key: str) -> tuple[tuple[int, bool], ...]:
    """The units a folded spelling spells, each with whether the spelling is prefixed."""
    spell = _spellings_raw()
    by_uid = _index().by_uid
    keyed: dict[int, bool] = {}
    for i in _spelling_rows()[0].get(key, ()):
        row = by_uid[spell["uid"][i]]
        # One unit reached by a key both bare and prefixed counts as prefixed.
        keyed[row] = keyed.get(row, False) or spell["prefixed"][i]
    return tuple(keyed.items())


@lru_cache(maxsize=1 << 14)
def _area(row: int) -> Area:
    ix = _index()
    units = _units_raw()
    name = units["name"]
    p, d = int(ix.parent[row]), int(ix.district[row])
    return Area(
        uid=ix.uid[row],
        code=units["code"][row],
        name=name[row],
        level=units["level"][row],
        parent=name[p] if p >= 0 else None,
        province=name[ix.province[row]],
        district=name[d] if d >= 0 else None,
        valid_from=_to_date(units["valid_from"][row]),
        valid_to=_to_date(units["valid_to"][row]),
        verified=units["verified"][row],
    )


@cache
def _frame() -> pd.DataFrame:
    """The units with readable parent, province and district names."""
    units = _units_raw()
    ix = _index()
    names = np.array(units["name"], dtype=object)
    named = {
        "parent": np.where(ix.parent >= 0, names[ix.parent], None),
        "province": names[ix.province],
        "district": np.where(ix.district >= 0, names[ix.district], None),
    }
    columns = {c: units[c] for c in ("uid", "code", "name", "level", "parent_uid")}
    columns |= named
    out = {c: pd.array(v, dtype="string") for c, v in columns.items()}
    for c in ("valid_from", "valid_to"):
        out[c] = pd.to_datetime(pd.Series(units[c], dtype=object))
    out["verified"] = np.array(units["verified"], dtype=bool)
    out["source"] = pd.array(units["source"], dtype="string")
    return pd.DataFrame(out)


_COLUMNS = [
    "uid",
    "code",
    "name",
    "level",
    "parent_uid",
    "parent",
    "province",
    "district",
    "valid_from",
    "valid_to",
    "verified",
    "source",
]


# ---- periods and the choice rule ------------------------------------------------------
@dataclass(frozen=True)
class _When:
    """When a name is read: the tiers of periods to try, first choice first, and a label."""

    tiers: tuple[tuple[int, int], ...]  # (first day, last day) as ordinals; in force on any day
    label: str


def _when(year: int | None, on: DateLike | None) -> _When:
    if year is not None and on is not None:
        raise ValueError("pass year= or on=, not both")
    if on is not None:
        d = _day(on).toordinal()
        return _When(((d, d),), f"on {_day(on).isoformat()}")
    if year is not None:
        end = date(year, 12, 31).toordinal()
        return _When(((end, end), (date(year, 1, 1).toordinal(), end)), f"in {year}")
    # No date: the current map first, then any time.
    return _When(((_AFTER, _AFTER), (_BEFORE, _AFTER)), "")


def _in_force(ix: _Index, rows: np.ndarray, first: int, last: int) -> np.ndarray:
    return rows[(ix.start[rows] <= last) & (ix.end[rows] >= first)]


def _choose(
    ix: _Index,
    key: str,
    when: _When,
    inside: frozenset[int] | None,
    levels: frozenset[int] | None,
) -> tuple[tuple[int, ...], bool]:
    """The rows a folded name means: one row when it resolves, several when ambiguous.

    Returns the rows and whether they come from the first tier (in force on
    the reference day). Within a tier a prefixed match ("Xã Hồng Quang", "TP
    Nam Định") beats a bare one, and for a bare name a province or district
    beats a commune; what is left tied is ambiguous.
    """
    matches = _matches(ix, key, inside, levels)
    # Plain Python on a handful of candidates: numpy's per-call cost would dominate.
    starts, ends = ix.starts, ix.ends
    for t, (first, last) in enumerate(when.tiers):
        live = [(r, p) for r, p in matches if starts[r] <= last and ends[r] >= first]
        if live:
            return _best(ix, live), t == 0
    return (), True


def _matches(
    ix: _Index, key: str, inside: frozenset[int] | None, levels: frozenset[int] | None
) -> tuple[tuple[int, bool], ...]:
    """(row, prefixed) of the units a folded name spells, inside ``inside``, at ``levels``."""
    matches = _keyed(key)
    if inside is not None:
        matches = tuple(m for m in matches if m[0] in inside)
    if levels is not None:
        matches = tuple(m for m in matches if ix.levels[m[0]] in levels)
    return matches


def _best(ix: _Index, live: list[tuple[int, bool]]) -> tuple[int, ...]:
    """The best ranked of (row, prefixed): prefixed, then a province or district, then a commune."""
    ranks = [0 if p else (1 if ix.levels[r] < 2 else 2) for r, p in live]
    best = min(ranks)
    return tuple(r for (r, _), k in zip(live, ranks, strict=True) if k == best)


def _marks(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).lower().split())


def _by_marks(name: str, rows: tuple[int, ...]) -> tuple[int, ...]:
    """Of names that fold alike ("Trực Hưng", "Trực Hùng"), the one spelled as written."""
    written = _marks(name)
    uid = _index().uid
    return tuple(r for r in rows if written in _unit_marks(uid[r])[0]) or rows


@lru_cache(maxsize=1 << 18)
def _decide(
    key: str, when: _When, inside: frozenset[int] | None, levels: frozenset[int] | None
) -> tuple[str | None, int, bool]:
    """(uid or None, number of candidates, first choice) for a folded name; cached across calls."""
    ix = _index()
    rows, first = _choose(ix, key, when, inside, levels)
    return (ix.uid[rows[0]] if len(rows) == 1 else None), len(rows), first


@cache
def _descendants(row: int) -> frozenset[int]:
    ix = _index()
    out: set[int] = set()
    todo = [row]
    while todo:
        for child in ix.children.get(todo.pop(), ()):
            out.add(child)
            todo.append(child)
    return frozenset(out)


def _levels(level: Level | Iterable[Level] | None) -> frozenset[int] | None:
    if level is None:
        return None
    names = (level,) if isinstance(level, str) else tuple(level)
    unknown = [n for n in names if n not in LEVELS]
    if unknown:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}; got {unknown[0]!r}")
    return frozenset(LEVELS.index(n) for n in names)


def _container(within: str, when: _When, levels: frozenset[int] = frozenset({0, 1})) -> int:
    """The row of the province or district named by ``within``: a uid, a code or a name."""
    ix = _index()
    if within in ix.by_uid:
        return ix.by_uid[within]
    text = within.strip()
    if text.isdigit() and len(text) in (2, 3):
        level = 0 if len(text) == 2 else 1
        rows = np.array(
            ix.by_code.get((level, text), ()) if level in levels else (), dtype=np.int64
        )
        for first, last in when.tiers:
            live = _in_force(ix, rows, first, last)
            if len(live) == 1:
                return int(live[0])
        raise _lookup_error(within, when, None, [int(r) for r in rows], "no single unit has code")
    try:
        return _one(within, when, None, levels)
    except AreaLookupError as err:
        raise AreaLookupError(
            f"within={err}",
            vi=f"đơn vị cấp trên {err.vi}",
            name=err.name,
            candidates=err.candidates,
            reason=err.reason,
        ) from None


def _inside(within: str | None, when: _When) -> tuple[frozenset[int] | None, str | None]:
    if within is None:
        return None, None
    row = _container(within, when)
    return _descendants(row), _area(row).name


def _one(
    name: str,
    when: _When,
    inside: tuple[frozenset[int] | None, str | None] | None,
    levels: frozenset[int] | None,
) -> int:
    ix = _index()
    key = fold(name)
    within = inside[0] if inside else None
    rows, first = _choose(ix, key, when, within, levels)
    rows = _by_marks(name, rows)
    if len(rows) == 1:
        return rows[0]
    within_name = inside[1] if inside else None
    if rows:
        # Units of the second choice are not candidates, but worth naming.
        also = _second_choice(ix, key, rows, when, within, levels) if first else []
        raise _lookup_error(name, when, within_name, list(rows), "ambiguous", also)
    # Nothing in the period: say what the name does match, at other times or places.
    near = [r for r, _ in _keyed(key)]
    raise _lookup_error(name, when, within_name, near, "unknown")


def _second_choice(
    ix: _Index,
    key: str,
    rows: tuple[int, ...],
    when: _When,
    inside: frozenset[int] | None,
    levels: frozenset[int] | None,
) -> list[int]:
    """Units the name spells in the last tier of ``when`` (any day of the year), not ``rows``."""
    if len(when.tiers) < 2:
        return []
    lo, hi = when.tiers[-1]
    return [
        r
        for r, _ in _matches(ix, key, inside, levels)
        if r not in rows and ix.starts[r] <= hi and ix.ends[r] >= lo
    ]


def _describe(a: Area, vi: bool) -> str:
    span = _span(a.valid_from, a.valid_to)
    if vi:
        span = span.replace("from ", "từ ").replace("until ", "đến ")
    return f"{a.name} ({', '.join(p for p in (a.parent, a.code, span) if p)})"


def _listing(areas: Sequence[Area], vi: bool, most: int = 10) -> str:
    shown = ", ".join(_describe(a, vi) for a in areas[:most])
    if len(areas) > most:
        shown += f" {'và' if vi else 'and'} {len(areas) - most} {'đơn vị khác' if vi else 'more'}"
    return shown


def _lookup_error(
    name: str,
    when: _When,
    within: str | None,
    rows: list[int],
    reason: str,
    also: Sequence[int] = (),
) -> AreaLookupError:
    ix = _index()

    def ordered(rs: Iterable[int]) -> tuple[Area, ...]:
        return tuple(_area(r) for r in sorted(rs, key=lambda r: (ix.starts[r], ix.uid[r])))

    cands, extra = ordered(rows), ordered(also)
    label_vi = when.label.replace("in ", "năm ").replace("on ", "ngày ")
    ctx = " ".join(p for p in (f"within {within}" if within else "", when.label) if p)
    ctx_vi = " ".join(p for p in (f"thuộc {within}" if within else "", label_vi) if p)
    head = f"{name!r}" + (f" {ctx}" if ctx else "")
    head_vi = f"“{name}”" + (f" {ctx_vi}" if ctx_vi else "")
    if reason == "ambiguous":
        msg = f"{head} matches {len(cands)} units: {_listing(cands, False)}"
        vi = f"{head_vi} khớp với {len(cands)} đơn vị: {_listing(cands, True)}"
        if extra:
            msg += f" (and, earlier {when.label}, {_listing(extra, False)})"
            vi += f" (và, trước đó {label_vi}, {_listing(extra, True)})"
        msg += "; pass within= (a province or district: its name or code) or level= to choose"
        vi += "; hãy chỉ rõ đơn vị cấp trên (tỉnh, huyện) hoặc cấp hành chính"
    elif reason == "no single unit has code":
        msg = f"{head}: no single province or district has this code: {_listing(cands, False)}"
        vi = f"{head_vi}: không có đúng một tỉnh hoặc huyện mang mã này: {_listing(cands, True)}"
    elif cands:
        msg = f"{head} matches no unit; the name is that of {_listing(cands, False)}"
        vi = f"{head_vi} không khớp với đơn vị nào; tên này là của {_listing(cands, True)}"
    else:
        close = _close_names(name)
        msg = f"{head} matches no administrative unit (compared as {fold(name)!r})"
        vi = f"{head_vi} không khớp với đơn vị hành chính nào"
        if close:
            msg += f"; close names: {', '.join(close)}"
            vi += f"; tên gần giống: {', '.join(close)}"
    return AreaLookupError(msg, vi=vi, name=name, candidates=cands, reason=reason)


@cache
def _bare_names() -> dict[str, str]:
    spell = _spellings_raw()
    pairs = zip(spell["key"], spell["spelling"], spell["kind"], strict=True)
    return {key: text for key, text, kind in pairs if kind in ("bare", "name")}


def _close_names(name: str) -> list[str]:
    names = _bare_names()
    return [names[k] for k in difflib.get_close_matches(fold(name), list(names), n=3, cutoff=0.8)]


# ---- the API ---------------------------------------------------------------------------
def area(
    name: str,
    *,
    year: int | None = None,
    on: DateLike | None = None,
    within: str | None = None,
    level: Level | None = None,
) -> Area:
    """Resolve one area name, as written in a sheet, to one administrative unit.

    The name may carry its prefix ("Xã Hồng Quang"), an abbreviation ("H. Hải
    Hậu", "TP Nam Định", "TT. Gôi", "Q.1"), none ("Hồng Quang"), or no
    diacritics ("Hai Hau"): it is compared folded (lower case, no
    diacritics).

    Which unit, when several share the name:

    - **Date.** A report for year ``Y`` describes the units in force at the
      end of ``Y`` (31/12/Y): those are the first choice; a unit in force at
      any time during ``Y`` is the second, used only when no unit of the
      first choice matches ("Huyện Mỹ Lộc", merged on 1/9/2024, is still
      found in 2024 with ``level="district"``). ``on=`` asks for the units in
      force on that day only. With neither, the current map comes first, then
      any time.
    - **Prefix.** A name written with a prefix (or its abbreviation) beats a
      bare one.
    - **Bare names.** A bare name means a province or district before a
      commune: sheets write district rows bare ("Hải Hậu", "Mỹ Lộc"), and a
      commune of the same name is reached with ``within=`` its district or
      ``level="commune"``. A bare name shared by a province and a district
      ("Nam Định": Tỉnh Nam Định and Thành phố Nam Định) is ambiguous: pass
      ``level=`` or ``within=``. From 1/7/2025 there are no districts, so
      "Hải Hậu" in 2025 is Xã Hải Hậu.
    - ``within=`` (a uid, an official code, or the name of a province or
      district) keeps only units inside that one; ``level=`` only units of
      that level.

    Parameters
    ----------
    name : str
        The area name as written.
    year : int, optional
        The reporting year.
    on : str or date, optional
        A day instead of a year (ISO text or ``datetime.date``).
    within : str, optional
        A province or district that contains the unit.
    level : {"province", "district", "commune"}, optional
        The unit's level.

    Returns
    -------
    Area

    Raises
    ------
    AreaLookupError
        When the name matches no unit, or several: the message lists the
        candidates with their parents, codes and dates, ``.candidates`` holds
        them.

    Examples
    --------
    >>> area("Hải Hậu", year=2023).name
    'Huyện Hải Hậu'
    >>> a = area("Hai Hau", year=2025)
    >>> a.name, a.province, a.district
    ('Xã Hải Hậu', 'Tỉnh Ninh Bình', None)
    >>> area("TP Nam Định", year=2020).uid
    'D356'
    >>> area("Nam Định", year=2020, level="province").name
    'Tỉnh Nam Định'
    >>> area("Mỹ Lộc", year=2024, level="district").valid_to
    datetime.date(2024, 8, 31)
    """
    when = _when(year, on)
    return _area(_one(name, when, _inside(within, when), _levels(level)))


def resolve(
    names: Sequence[str] | pd.Series,
    *,
    year: int | None = None,
    on: DateLike | None = None,
    within: str | None = None,
    level: Level | Iterable[Level] | None = None,
) -> pd.DataFrame:
    """Resolve many names at once, by the rules of :func:`area`, without raising.

    Each distinct name is folded and looked up once; the registry is indexed
    by folded spelling on first use. Built for the reader: a national folder
    holds about a million names.

    Parameters
    ----------
    names : sequence of str
        Area names as written; missing values give no match.
    year, on, within, level
        As for :func:`area` (``level`` may also be a collection of levels).

    Returns
    -------
    pandas.DataFrame
        One row per name, in order (with the index of ``names`` when it
        is a Series): ``uid`` (string, NA unless
        exactly one unit matches); ``candidates`` (int: 1 when resolved, 0
        when nothing matches, the number of tied units when ambiguous);
        ``exact`` (bool: the unit is of the first choice, in force at the end
        of the year or on the day).

    Examples
    --------
    >>> r = resolve(["Hải Hậu", "Xã Hồng Quang", "Vụ Bản", "Atlantis"], year=2023)
    >>> r
        uid  candidates  exact
    0  D366           1   True
    1  <NA>           6  False
    2  D359           1   True
    3  <NA>           0  False
    >>> resolve(["Xã Hồng Quang"], year=2023, within="Huyện Nam Trực")["uid"].tolist()
    ['C13984']
    """
    when = _when(year, on)
    inside, _ = _inside(within, when)
    levels = _levels(level)
    if isinstance(names, pd.Series):
        codes, uniques = pd.factorize(names)
        distinct, index = uniques.tolist(), names.index
    else:
        # A dict numbers the distinct names faster than an object array and
        # pandas.factorize (about a third of the time on a million names).
        seen: dict[object, int] = {}
        codes = np.fromiter((seen.setdefault(x, len(seen)) for x in names), dtype=np.int64)
        distinct, index = list(seen), None
    uid_of: list[str | None] = []
    count = np.zeros(len(distinct) + 1, dtype=np.int64)
    exact = np.zeros(len(distinct) + 1, dtype=bool)
    for i, raw in enumerate(distinct):
        if isinstance(raw, str):
            found, count[i], exact[i] = _decide(fold(raw), when, inside, levels)
        elif raw is None or pd.isna(raw):
            found = None  # a missing name: no uid, no candidate
        else:
            found, count[i], exact[i] = _decide(fold(str(raw)), when, inside, levels)
        uid_of.append(found)
    # A missing name (code -1) takes the last slot: no uid, no candidate.
    uid_of.append(None)
    uid_col = pd.array(uid_of, dtype="string").take(codes)
    return pd.DataFrame(
        {
            "uid": uid_col,
            "candidates": count[codes],
            "exact": exact[codes] & (count[codes] == 1),
        },
        index=index,
    )


@cache
def _level_set(level: str) -> frozenset[int]:
    """The set of one level's index, one object per level: it keys :func:`_decide`'s cache,
    where a new set per call is one more object for the garbage collector to walk."""
    return frozenset({LEVELS.index(level)})


@lru_cache(maxsize=1 << 16)
def _when_cached(year: int | None) -> _When:
    return _when(year, None)


@lru_cache(maxsize=1 << 12)
def _inside_cached(within: str | None, year: int | None) -> frozenset[int] | None:
    if within is None:
        return None
    try:
        return _inside(within, _when_cached(year))[0]
    except AreaLookupError:
        return None  # an unknown container restricts nothing: the caller reports the name


def lookup(
    name: str, *, year: int | None = None, within: str | None = None, level: str | None = None
) -> tuple[str | None, int, bool]:
    """``(uid, candidates, exact)`` of one name by the rules of :func:`area`, cached, never raising.

    The reader calls this once per area row: ``uid`` is None unless exactly one
    unit matches; ``candidates`` is 0 for an unknown name and above 1 for an
    ambiguous one; ``exact`` says the match is of the first choice (in force at
    the end of the year). A ``within`` that names no single unit restricts nothing.

    Examples
    --------
    >>> lookup("Hồng Quang", year=2024, within="Huyện Nam Trực", level="commune")
    ('C13984', 1, True)
    >>> lookup("Xã Hồng Quang", year=2024, within="Tỉnh Nam Định")
    (None, 2, True)
    >>> lookup("Mỹ Lộc", year=2024, level="district")
    ('D358', 1, False)
    """
    # Years in which the same units are in force (2015 … 2023 on today's registry) give
    # the same answers: one cache entry serves them all.
    return _lookup(name, _epoch(year), within, level)


@cache
def _bounds() -> tuple[list[int], list[int]]:
    """The distinct first and last days of the units, sorted."""
    ix = _index()
    return sorted(set(ix.starts)), sorted(set(ix.ends))


#: An epoch → a year that has it.
_EPOCH_YEAR: dict[tuple[int, ...], int | None] = {}


@lru_cache(maxsize=1 << 12)
def _epoch(year: int | None) -> tuple[int, ...]:
    """Where each tier of ``year`` falls among the units' first and last days: years with
    the same epoch have the same units in force in every tier, so every name means the
    same in them."""
    if year is None:
        return ()
    starts, ends = _bounds()
    # A unit is in force in a tier when it starts by the tier's last day and ends on or
    # after its first: all that matters is how many first and last days lie on either side.
    epoch = tuple(
        n
        for first, last in _when_cached(year).tiers
        for n in (bisect_right(starts, last), bisect_left(ends, first))
    )
    _EPOCH_YEAR.setdefault(epoch, year)
    return epoch


def same_units_year(year: int | None) -> int | None:
    """The first year asked of those in which the same units are in force as in ``year``
    (``year`` itself the first time): a cache keyed by it answers them all at once.

    Examples
    --------
    >>> same_units_year(2016) == same_units_year(2019), same_units_year(2025)
    (True, 2025)
    """
    return _EPOCH_YEAR[_epoch(year)] if year is not None else None


@lru_cache(maxsize=1 << 18)
def _lookup(
    name: str, epoch: tuple[int, ...], within: str | None, level: str | None
) -> tuple[str | None, int, bool]:
    year = _EPOCH_YEAR.get(epoch) if epoch else None
    levels = None if level is None else _level_set(level)
    when, inside = _when_cached(year), _inside_cached(within, year)
    uid, n, exact = _decide(fold(name), when, inside, levels)
    if n > 1:
        rows = _by_marks(name, _choose(_index(), fold(name), when, inside, levels)[0])
        if len(rows) == 1:
            return _index().uid[rows[0]], 1, exact
    return uid, n, exact


_ANY_TIME = _When(((_BEFORE, _AFTER),), "")


@lru_cache(maxsize=1 << 16)
def lookup_code(code: str, *, level: str, year: int | None = None) -> tuple[str | None, int, bool]:
    """``(uid, candidates, exact)`` of an official code at a level, as :func:`lookup` gives them.

    Codes are reused over time (37 is old and new Ninh Bình): the unit in force
    at the end of ``year`` comes first, then one in force during it.

    Examples
    --------
    >>> lookup_code("358", level="district", year=2023)
    ('D358', 1, True)
    >>> lookup_code("358", level="district", year=2024)
    ('D358', 1, False)
    >>> lookup_code("358", level="district", year=2025)
    (None, 0, True)
    """
    # Years with the same units in force give the same answer: one cache entry for them all.
    return _lookup_code(code, LEVELS.index(level), _epoch(year))


@lru_cache(maxsize=1 << 18)
def _lookup_code(code: str, level: int, epoch: tuple[int, ...]) -> tuple[str | None, int, bool]:
    year = _EPOCH_YEAR.get(epoch) if epoch else None
    ix = _index()
    rows = np.array(ix.by_code.get((level, code), ()), dtype=np.int64)
    for t, (first, last) in enumerate(_when_cached(year).tiers):
        live = _in_force(ix, rows, first, last)
        if len(live):
            return (ix.uid[int(live[0])] if len(live) == 1 else None), len(live), t == 0
    return None, 0, True


def candidates(
    name: str,
    *,
    year: int | None = None,
    within: str | None = None,
    level: str | None = None,
    any_time: bool = False,
) -> tuple[Area, ...]:
    """The units a name could mean (one when it resolves, none when unknown), never raising.

    ``any_time=True`` weighs units of every date alike (the year is ignored).

    Examples
    --------
    >>> [a.district for a in candidates("Xã Hồng Quang", year=2024, within="Tỉnh Nam Định")]
    ['Huyện Ý Yên', 'Huyện Nam Trực']
    >>> [a.name for a in candidates("Hải Hậu", any_time=True)]
    ['Huyện Hải Hậu']
    """
    # Cached: the reader asks for a name's candidates once to classify its label and once
    # to check its diacritics, and again in every workbook naming it.
    return _candidates(name, year, within, level, any_time)


@lru_cache(maxsize=1 << 16)
def _candidates(
    name: str, year: int | None, within: str | None, level: str | None, any_time: bool
) -> tuple[Area, ...]:
    levels = None if level is None else _level_set(level)
    when = _ANY_TIME if any_time else _when_cached(year)
    ix = _index()
    rows, _ = _choose(ix, fold(name), when, _inside_cached(within, year), levels)
    return tuple(_area(r) for r in sorted(rows))


def areas(
    *,
    on: DateLike | None = None,
    level: Level | Iterable[Level] | None = None,
    province: str | None = None,
) -> pd.DataFrame:
    """The registry's units, optionally those in force on a day, of a level, in a province.

    Parameters
    ----------
    on : str or date, optional
        Keep the units in force on this day.
    level : str or collection of str, optional
        Keep units of these levels.
    province : str, optional
        Keep the province (a uid, its code or its name) and the units inside
        it. With ``on``, the province in force that day; without, the current
        one first ("Tỉnh Ninh Bình" is the province of 1/7/2025, "P37" the old
        one).

    Returns
    -------
    pandas.DataFrame
        ``uid``, ``code``, ``name``, ``level``, ``parent_uid``, ``parent``,
        ``province``, ``district`` (names), ``valid_from``, ``valid_to``
        (datetime64, NaT for an open end), ``verified``, ``source``.

    Examples
    --------
    >>> len(areas(on="2025-06-30", level="province")), len(areas(on="2025-07-01", level="province"))
    (63, 34)
    >>> nd = areas(on="2025-06-30", province="Tỉnh Nam Định", level="commune")
    >>> len(nd), nd["district"].nunique()
    (175, 9)
    """
    frame = _frame()
    keep = np.ones(len(frame), dtype=bool)
    if on is not None:
        d = pd.Timestamp(_day(on))
        keep &= (frame["valid_from"].isna() | (frame["valid_from"] <= d)).to_numpy()
        keep &= (frame["valid_to"].isna() | (frame["valid_to"] >= d)).to_numpy()
    levels = _levels(level)
    if levels is not None:
        keep &= frame["level"].isin([LEVELS[i] for i in levels]).to_numpy()
    if province is not None:
        when = _when(None, on)
        row = _container(province, when, frozenset({0}))
        inside = np.zeros(len(frame), dtype=bool)
        inside[[row, *_descendants(row)]] = True
        keep &= inside
    return frame.loc[keep, _COLUMNS].reset_index(drop=True)


@lru_cache(maxsize=1 << 16)
def _unit_marks(uid: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """A unit's spellings with their diacritics (NFC, lower case), and those of them
    without a prefix; empty for a uid without spellings."""
    spell = _spellings_raw()
    rows = _spelling_rows()[1].get(uid, ())
    marks = {_marks(spell["spelling"][i]) for i in rows}
    bare = {_marks(spell["spelling"][i]) for i in rows if not spell["prefixed"][i]}
    return frozenset(marks), tuple(sorted(bare))


@lru_cache(maxsize=1 << 16)
def spelling_texts(uid: str) -> tuple[str, ...]:
    """The spellings of one unit as written, in the registry's order (cached; no DataFrame).

    Examples
    --------
    >>> spelling_texts("D356")[:2] == tuple(spellings("D356")["spelling"][:2])
    True
    """
    spell = _spellings_raw()
    return tuple(spell["spelling"][i] for i in _spelling_rows()[1].get(uid, ()))


@lru_cache(maxsize=1 << 16)  # once per row read: names repeat from year to year
def spelled_as(uid: str, name: str) -> bool:
    """Whether ``name`` spells the unit with the diacritics the registry gives it.

    Names are matched with their diacritics folded away ("Hai Hau", "Đông Sơn"
    find Hải Hậu and Đồng Sơn); this tells a name written as the registry
    writes it (case, spacing and the prefix's own spelling aside) from one
    read by its folded form only.

    Examples
    --------
    >>> spelled_as("C14014", "XÃ ĐỒNG SƠN"), spelled_as("C14014", "X. Đồng Sơn")
    (True, True)
    >>> spelled_as("C14014", "Xã Đông Sơn"), spelled_as("D356", "TP Nam Dinh")
    (False, False)
    """
    marks, bare = _unit_marks(uid)
    written = _marks(name)
    # The prefix may be written any way ("X.", "Xa"): the name after it decides.
    return written in marks or any(written.endswith(" " + b) for b in bare)


def spellings(uid: str | None = None) -> pd.DataFrame:
    """The spellings units are known by, all or those of one unit.

    Columns: ``uid``, ``spelling``, ``key`` (folded), ``prefixed``, ``kind``.

    Examples
    --------
    >>> sorted(spellings("D356")["spelling"])[:3]
    ['Nam Định', 'TP Nam Định', 'TP. Nam Định']
    """
    spell = _spellings_frame()
    out = spell if uid is None else spell[(spell["uid"] == uid).to_numpy()]
    return out.reset_index(drop=True)


def events(
    *,
    uid: str | None = None,
    kind: str | None = None,
    on: DateLike | None = None,
    verified: bool | None = None,
) -> pd.DataFrame:
    """The events that changed the map, with the old and new units' names.

    Parameters
    ----------
    uid : str, optional
        Keep events whose old or new unit is this one.
    kind : str, optional
        ``merged_whole``, ``merged_part``, ``renamed``, ``kept`` or ``abolished``.
    on : str or date, optional
        Keep events of this day (the first day of the new map).
    verified : bool, optional
        Keep verified (or unverified) events only.

    Returns
    -------
    pandas.DataFrame
        ``date`` (datetime64), ``kind``, ``old_uid``, ``old_name``, ``new_uid``,
        ``new_name``, ``n_new`` (how many new units the old one was split
        between), ``basis``, ``clause``, ``verified``, ``note``.

    Examples
    --------
    >>> e = events(uid="D358")
    >>> e[["kind", "old_name", "new_name", "basis"]].iloc[0].tolist()
    ['merged_whole', 'Huyện Mỹ Lộc', 'Thành phố Nam Định', '1104/NQ-UBTVQH15']
    """
    ev = _events_frame()
    units = _units_raw()
    name = dict(zip(units["uid"], units["name"], strict=True))
    keep = np.ones(len(ev), dtype=bool)
    if uid is not None:
        keep &= ((ev["old_uid"] == uid) | (ev["new_uid"] == uid)).fillna(False).to_numpy()
    if kind is not None:
        if kind not in _EVENT_KINDS:
            raise ValueError(f"kind must be one of {', '.join(sorted(_EVENT_KINDS))}; got {kind!r}")
        keep &= (ev["kind"] == kind).to_numpy()
    if on is not None:
        keep &= (ev["date"] == _day(on).isoformat()).to_numpy()
    if verified is not None:
        keep &= (ev["verified"] == verified).to_numpy()
    out = ev.loc[keep].reset_index(drop=True)
    out.insert(3, "old_name", out["old_uid"].map(name).astype("string"))
    out.insert(5, "new_name", out["new_uid"].map(name, na_action="ignore").astype("string"))
    out["date"] = pd.to_datetime(out["date"])
    return out


def crosswalk(on: DateLike, *, level: str | None = None) -> pd.DataFrame:
    """The mapping old unit → new unit of one change of the map, for harmonising series.

    Every old unit that ended the day before ``on`` and went somewhere (the
    abolished districts have no row: their communes carry them). An old
    unit split between several new ones has one row each (``n_new`` > 1).

    Parameters
    ----------
    on : str or date
        The first day of the new map: ``"2025-07-01"``, ``"2024-09-01"``.
    level : str, optional
        Keep old units of this level.

    Returns
    -------
    pandas.DataFrame
        ``old_uid``, ``old_name``, ``new_uid``, ``new_name``, ``kind``,
        ``n_new``, ``verified``.

    Examples
    --------
    >>> cw = crosswalk("2025-07-01", level="commune")
    >>> cw.loc[cw["old_name"] == "Thị trấn Gôi", "new_name"].tolist()
    ['Xã Vụ Bản']
    >>> crosswalk("2024-09-01")[["old_name", "new_name"]].values.tolist()
    [['Huyện Mỹ Lộc', 'Thành phố Nam Định']]
    """
    ev = events(on=on)
    ev = ev[ev["new_uid"].notna().to_numpy()]
    if level is not None:
        units = _units_raw()
        lv = dict(zip(units["uid"], units["level"], strict=True))
        ev = ev[(ev["old_uid"].map(lv) == level).to_numpy()]
    cols = ["old_uid", "old_name", "new_uid", "new_name", "kind", "n_new", "verified"]
    return ev[cols].reset_index(drop=True)


@cache
def _moves() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]], dict[str, str]]:
    """Events as old → new uids, new → old uids, and old uid → the day of its event."""
    ev = _events_raw()
    fwd: dict[str, list[str]] = defaultdict(list)
    back: dict[str, list[str]] = defaultdict(list)
    day: dict[str, str] = {}
    for old, new, when in zip(ev["old_uid"], ev["new_uid"], ev["date"], strict=True):
        day[old] = when
        if isinstance(new, str):
            fwd[old].append(new)
            back[new].append(old)
    return (
        {k: tuple(v) for k, v in fwd.items()},
        {k: tuple(v) for k, v in back.items()},
        day,
    )


def successors(uid: str, *, on: DateLike | None = None, children: bool = True) -> tuple[str, ...]:
    """The units that ``uid`` became, in force on ``on`` (default: the current map).

    Follows the events forward. A unit still in force on ``on`` is its own
    successor. A district abolished on 1/7/2025 continues as the new units
    its communes went to (unless ``children=False``).

    Parameters
    ----------
    uid : str
        A unit's uid.
    on : str or date, optional
        The day whose map to reach.
    children : bool
        Follow an abolished unit into the units its children became. With
        False, an abolished unit has no successor: only events that name a
        new unit for it are followed (what a series of *its* figures can
        continue as).

    Returns
    -------
    tuple of str
        The uids, sorted; empty when the unit has no recorded successor.

    Examples
    --------
    >>> successors("D358", on="2024-12-31")
    ('D356',)
    >>> successors("C13768")  # Xã Quang Trung (Huyện Vụ Bản)
    ('C13753@2025-07-01',)
    >>> len(successors("D358"))  # Mỹ Lộc → Thành phố Nam Định → its communes' new wards
    8
    >>> successors("D358", children=False)  # the district level ended on 1/7/2025
    ()
    """
    ix = _index()
    if uid not in ix.by_uid:
        raise AreaLookupError(f"{uid!r} is not a uid of the registry", name=uid)
    target = _AFTER if on is None else _day(on).toordinal()
    fwd, _, day = _moves()
    out: set[str] = set()
    seen: set[str] = set()
    todo = [uid]
    while todo:
        u = todo.pop()
        if u in seen:
            continue
        seen.add(u)
        row = ix.by_uid[u]
        if ix.start[row] <= target <= ix.end[row]:
            out.add(u)
        elif ix.end[row] < target:
            if fwd.get(u):
                todo.extend(fwd[u])
            elif u in day and children:  # abolished: its children carry it on
                last = date.fromisoformat(day[u]).toordinal() - 1
                todo.extend(
                    ix.uid[c] for c in ix.children.get(row, ()) if ix.start[c] <= last <= ix.end[c]
                )
    return tuple(sorted(out))


def predecessors(uid: str) -> tuple[str, ...]:
    """The units that became ``uid`` by one event (empty when none is recorded).

    Examples
    --------
    >>> [unit(u).name for u in predecessors("C13669@2025-07-01")][:3]
    ['Phường Vị Xuyên', 'Phường Trần Hưng Đạo', 'Phường Cửa Bắc']
    """
    _, back, _ = _moves()
    return back.get(uid, ())


def unit(uid: str) -> Area:
    """The unit with this uid.

    Examples
    --------
    >>> unit("P37@2025-07-01").name
    'Tỉnh Ninh Bình'
    """
    ix = _index()
    if uid not in ix.by_uid:
        raise AreaLookupError(f"{uid!r} is not a uid of the registry", name=uid)
    return _area(ix.by_uid[uid])


def enclosing(uid: str) -> tuple[str, str | None]:
    """The uids of the province a unit lies in (or is) and of its district (or itself; None
    for a province and for a commune without a district).

    Examples
    --------
    >>> enclosing("C13984")  # Xã Hồng Quang of Huyện Nam Trực
    ('P36', 'D362')
    >>> enclosing("P36")
    ('P36', None)
    """
    ix = _index()
    if uid not in ix.by_uid:
        raise AreaLookupError(f"{uid!r} is not a uid of the registry", name=uid)
    row = ix.by_uid[uid]
    d = int(ix.district[row])
    return ix.uid[int(ix.province[row])], (ix.uid[d] if d >= 0 else None)


def in_force(uid: str, on: DateLike) -> bool:
    """Whether the unit was in force on the day ``on``.

    A unit whose start is not recorded is taken as in force on every day before its end.

    Examples
    --------
    >>> in_force("D358", "2024-08-31"), in_force("D358", "2024-09-01")
    (True, False)
    """
    ix = _index()
    if uid not in ix.by_uid:
        raise AreaLookupError(f"{uid!r} is not a uid of the registry", name=uid)
    row, day = ix.by_uid[uid], _day(on).toordinal()
    return bool(ix.start[row] <= day <= ix.end[row])


@cache
def _into() -> dict[str, tuple[tuple[int, str, bool], ...]]:
    """Events by new unit: ``new uid → ((day ordinal, old uid, whole), …)``."""
    ev = _events_raw()
    out: dict[str, list[tuple[int, str, bool]]] = defaultdict(list)
    rows = zip(ev["old_uid"], ev["new_uid"], ev["date"], ev["kind"], strict=True)
    for old, new, when, kind in rows:
        if isinstance(new, str):
            out[new].append((date.fromisoformat(when).toordinal(), old, kind != "merged_part"))
    return {k: tuple(v) for k, v in out.items()}


@cache
def reshaped() -> frozenset[str]:
    """The uids whose make-up can differ from one day to another: units formed or changed by
    an event, or with a recorded first day. Every other unit is, on any day it is in force,
    its own only origin (:func:`origins`).

    Examples
    --------
    >>> "D356" in reshaped(), "D359" in reshaped()  # Thành phố Nam Định took Mỹ Lộc in
    (True, False)
    """
    units = _units_raw()
    started = {u for u, start in zip(units["uid"], units["valid_from"], strict=True) if start}
    return frozenset(_into()) | frozenset(started)


@lru_cache(maxsize=1 << 18)
def _origins(uid: str, day: int, at: int) -> tuple[tuple[str, bool], ...]:
    ix = _index()
    into = _into()
    found: dict[str, bool] = {}
    todo = [(uid, True)]
    seen: set[tuple[str, bool]] = set()
    while todo:
        u, whole = todo.pop()
        if (u, whole) in seen:
            continue
        seen.add((u, whole))
        row = ix.by_uid[u]
        later = [(old, whole and w) for d, old, w in into.get(u, ()) if day < d <= at]
        if ix.start[row] <= day <= ix.end[row]:
            # A part reached by one path and the whole by another: the whole came.
            found[u] = found.get(u, False) or whole
        elif not later:
            return ()  # what this unit was made of on that day is not recorded
        todo.extend(later)
    return tuple(sorted(found.items()))


def origins(uid: str, *, on: DateLike, at: DateLike | None = None) -> tuple[tuple[str, bool], ...]:
    """The units in force on ``on`` whose area is part of ``uid`` on ``at``; whether all of it is.

    Follows the events backward from ``uid`` as it stood on ``at`` to the day
    ``on``: the answer to "what was this unit made of then?". A unit in force
    on both days, that took no other unit in between, is its own only origin.
    ``whole`` is False for a unit that was split (``merged_part``), only part
    of which went into ``uid``.

    Parameters
    ----------
    uid : str
        A unit's uid, in force on ``at``.
    on : str or date
        The earlier day.
    at : str or date, optional
        The later day (default: the unit's last day, or today's map): events
        after it are not followed.

    Returns
    -------
    tuple of (str, bool)
        ``(uid, whole)`` pairs, sorted by uid; empty when the registry does not
        record what the unit was made of on that day.

    Examples
    --------
    >>> origins("D356", on="2023-12-31")  # Thành phố Nam Định took Huyện Mỹ Lộc on 1/9/2024
    (('D356', True), ('D358', True))
    >>> origins("D356", on="2024-12-31")
    (('D356', True),)
    >>> origins("D356", on="2022-12-31", at="2023-12-31")  # Mỹ Lộc was not in it yet
    (('D356', True),)
    >>> [u for u, _ in origins("P37@2025-07-01", on="2024-12-31")]  # the new Tỉnh Ninh Bình
    ['P35', 'P36', 'P37']
    >>> [(unit(u).name, whole) for u, whole in origins("C13285@2025-07-01", on="2024-12-31")]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('Phường Quang Trung', False), ('Phường Châu Cầu', True), ('Phường Liêm Chính', True),
     ('Phường Thanh Châu', True)]
    """
    ix = _index()
    if uid not in ix.by_uid:
        raise AreaLookupError(f"{uid!r} is not a uid of the registry", name=uid)
    return _origins(uid, _day(on).toordinal(), _AFTER if at is None else _day(at).toordinal())


def inside(uid: str, *, on: DateLike, level: Level | None = None) -> tuple[str, ...]:
    """The units in force on ``on`` that lie within ``uid`` (its descendants), sorted.

    Examples
    --------
    >>> len(inside("P36", on="2025-06-30", level="commune"))
    175
    >>> len(inside("D356", on="2025-06-30"))  # Mỹ Lộc's communes stand under the city
    21
    """
    ix = _index()
    if uid not in ix.by_uid:
        raise AreaLookupError(f"{uid!r} is not a uid of the registry", name=uid)
    day = _day(on).toordinal()
    wanted = _levels(level)
    rows = [
        r
        for r in _descendants(ix.by_uid[uid])
        if ix.starts[r] <= day <= ix.ends[r] and (wanted is None or ix.levels[r] in wanted)
    ]
    return tuple(sorted(ix.uid[r] for r in rows))


def uids(df: pd.DataFrame) -> pd.Series:
    """The registry uid of each row of a tidy table: its ``area_code`` at its ``level``, in force
    at the end of its ``year``; NA where the code is missing or names no single unit.

    Each distinct (code, level, year) is looked up once.

    Examples
    --------
    >>> t = pd.DataFrame({"area_code": ["358", "13669", "13669", None],
    ...     "level": ["district", "commune", "commune", "commune"],
    ...     "year": [2023, 2024, 2025, 2025]})
    >>> uids(t).tolist()
    ['D358', 'C13669', 'C13669@2025-07-01', <NA>]
    """
    keys = df[["area_code", "level", "year"]]
    # A code at a level means the same unit in every year with the same units in force:
    # looked up once for them all, not once a year (a national table's 100.000 lookups).
    at, years = pd.factorize(keys["year"])  # a missing year: -1, missing again below
    same = [same_units_year(int(y)) for y in years] + [None]
    keys = keys.assign(year=pd.array(same, dtype="Int64")[at])
    # Each column factorised on its own (fast on Arrow text), then their combination.
    combined = np.zeros(len(keys), dtype=np.int64)
    missing = np.zeros(len(keys), dtype=bool)
    for c in keys.columns:
        values, distinct = pd.factorize(keys[c])
        missing |= values < 0
        combined, _ = pd.factorize(combined * (len(distinct) + 1) + values)
    groups, first, codes = np.unique(
        np.where(missing, -1, combined), return_index=True, return_inverse=True
    )
    found: list[str | None] = []
    firsts = keys.iloc[first]
    rows = zip(
        groups.tolist(),
        firsts["area_code"].tolist(),
        firsts["level"].tolist(),
        firsts["year"].tolist(),
        strict=True,
    )
    for group, code, level, year in rows:
        if group < 0 or not isinstance(code, str) or level not in LEVELS:
            found.append(None)  # a key with a missing part
            continue
        uid, _n, _exact = lookup_code(code, level=str(level), year=int(year))
        found.append(uid)
    return pd.Series(pd.array(found, dtype="string").take(codes), index=df.index, name="uid")
