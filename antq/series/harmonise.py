"""Re-express a tidy table in the units in force on one day.

A unit of the target map is the sum of the units of each year that became
it: the 57 communes of 1/7/2025 formed from old Nam Định's 175, Thành phố
Nam Định with Huyện Mỹ Lộc inside it for the years before 1/9/2024. Achieved
counts and totals are summed, the rate recomputed; a published rate does not
carry over to a sum. Nothing is guessed: a unit that was split between new
ones is not apportioned without weights, a partial sum is not a value, and a
unit with no successor (a district after 1/7/2025) has no place in the new
map. Each such row left out is a finding, so the result never hides what it
dropped.

Two ways to call it, as :func:`antq.read` and :func:`antq.load`:

- ``harmonise(df, to=…)`` returns the table; the warnings among its findings
  are :class:`~antq.errors.AntqWarning` warnings (infos are not);
- ``harmonise(df, to=…, findings=True)`` returns :class:`Harmonised`, the
  table and the findings as a table (the catalogue's columns), and warns
  nothing.
"""

from __future__ import annotations

import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Literal, NamedTuple, TypeAlias, overload

import numpy as np
import pandas as pd

from antq import registry
from antq.errors import AntqError, AntqWarning
from antq.findings import Finding, finding, findings_frame
from antq.registry import DateLike
from antq.schema import TIDY_COLUMNS, as_tidy
from antq.types import Lang, as_lang
from antq.vocab import word

__all__ = [
    "HARMONISED_COLUMNS",
    "Harmonised",
    "Names",
    "as_day",
    "combine",
    "harmonise",
    "row_uids",
    "years_text",
]

#: Columns a harmonised table carries after the tidy ones.
HARMONISED_COLUMNS: tuple[str, ...] = ("uid", "harmonised", "sources", "from_areas")
#: Weights as a user passes them: columns old, new, weight (uids or official codes).
Weights: TypeAlias = pd.DataFrame | Mapping[tuple[str, str], float] | None


class Harmonised(NamedTuple):
    """What :func:`harmonise` gives with ``findings=True``: the table and its findings."""

    table: pd.DataFrame
    findings: pd.DataFrame


# ---- words for findings ---------------------------------------------------------------
@dataclass(frozen=True)
class Names:
    """A list of names, shortened: "A, B, C và 4 đơn vị khác" / "A, B, C and 4 more"."""

    names: tuple[str, ...]
    most: int = 4

    def render(self, lang: Lang) -> str:
        shown = list(self.names[: self.most])
        rest = len(self.names) - len(shown)
        if rest:
            return ", ".join(shown) + " " + word("and_more", lang, n=rest)
        if len(shown) > 1:
            return ", ".join(shown[:-1]) + f" {word('and', lang)} " + shown[-1]
        return "".join(shown)


def years_text(years: Iterable[int]) -> str:
    """Years as ranges: "2015–2019, 2021".

    Examples
    --------
    >>> years_text([2015, 2016, 2017, 2019])
    '2015–2017, 2019'
    """
    ys = sorted(set(years))
    parts: list[str] = []
    start = prev = ys[0] if ys else 0
    for y in [*ys[1:], None]:
        if y is not None and y == prev + 1:
            prev = y
            continue
        parts.append(str(start) if start == prev else f"{start}–{prev}")
        if y is not None:
            start = prev = y
    return ", ".join(parts) if ys else ""


@dataclass(frozen=True)
class _Day:
    """A day written as the language writes it."""

    day: date

    def render(self, lang: Lang) -> str:
        from antq.series.events import format_day

        return format_day(self.day, lang)


def _name(uid: str) -> str:
    return registry.unit(uid).name


# ---- identifying rows -----------------------------------------------------------------
def row_uids(df: pd.DataFrame) -> pd.Series:
    """Each row's registry unit: the ``uid`` column where a harmonised table carries one, else
    its area code at its level at the end of its year (:func:`antq.registry.uids`).

    Examples
    --------
    >>> t = pd.DataFrame({"area_code": ["358", "356"], "level": ["district"] * 2,
    ...     "year": [2023, 2023], "uid": [None, "D356"]})
    >>> row_uids(t).tolist()
    ['D358', 'D356']
    """
    found = registry.uids(df)
    if "uid" in df.columns:
        given = df["uid"].astype("string")
        found = given.where(given.notna(), found)
    return found


def checked_uids(df: pd.DataFrame, tidy: pd.DataFrame) -> pd.Series:
    """:func:`row_uids` of ``tidy``, the checked table :func:`~antq.schema.as_tidy` made of
    ``df``, with ``df``'s own ``uid`` column where it has one.

    The codes as the contract types them: a table without ``area_code`` (NA, added) or with
    codes read back as numbers (356 → "356") is looked up as its checked table says, not
    refused with a ``KeyError`` or silently left without units.

    Examples
    --------
    >>> raw = pd.DataFrame({"year": [2024], "area": ["Thành phố Nam Định"], "area_code": [356],
    ...     "level": ["district"], "indicator": ["safe_school"], "achieved": [1], "total": [2],
    ...     "reported_rate": [None]})
    >>> from antq.schema import as_tidy
    >>> checked_uids(raw, as_tidy(raw, require_source=False)).tolist()
    ['D356']
    """
    if "uid" in df.columns:
        tidy = tidy.assign(uid=df["uid"].to_numpy())
    return row_uids(tidy)


def as_day(value: DateLike) -> date:
    """A day from ISO text, a ``date`` or a ``Timestamp``.

    Examples
    --------
    >>> as_day("2025-07-01")
    datetime.date(2025, 7, 1)
    """
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise AntqError(
            f"{value!r} is not a day; write it as 2025-07-01",
            vi=f"'{value}' không phải một ngày; hãy viết dạng 2025-07-01",
        ) from None


def _year_end(year: int) -> date:
    return date(year, 12, 31)


def _at_year_end(uids: pd.Series, years: pd.Series) -> pd.Series:
    """Whether each row's unit was in force at the end of its year (False without a unit)."""
    keys = list(zip(uids.astype(object).tolist(), years.tolist(), strict=True))
    known = {
        k: isinstance(k[0], str) and registry.in_force(k[0], _year_end(int(k[1])))
        for k in set(keys)
    }
    return pd.Series([known[k] for k in keys], index=uids.index, dtype=bool)


# ---- summing rows ---------------------------------------------------------------------
def combine(data: pd.DataFrame, plan: pd.DataFrame, *, texts: bool = True) -> pd.DataFrame:
    """Sum rows of ``data`` as ``plan`` says, only where every row it asks for is there.

    Parameters
    ----------
    data
        Rows with ``year``, ``uid``, ``indicator``, ``achieved``, ``total``,
        ``reported_rate``, ``source``, ``area`` (one row per year, uid, indicator).
    plan
        ``year`` (of the result), ``target`` (any label), ``from_year``, ``uid``
        (a row to take), ``weight`` (float; NA where a share is needed but not
        known). One plan row per part.

    Returns
    -------
    pandas.DataFrame
        Per ``year``, ``target``, ``indicator`` that any part has: ``achieved``,
        ``total`` (Int64; NA when a part's is NA), ``reported_rate`` (a single
        whole part keeps its own, a sum has none), ``source`` (the parts' cells,
        "; "-joined), ``from_areas``, ``sources`` (parts present), ``needed``
        (parts planned), ``complete`` (every part there, every weight known),
        ``from_uids`` (the uids present, as a tuple). Without ``texts``, the last
        three text columns are left out (and ``data`` needs no ``source``, ``area``).

    Examples
    --------
    >>> data = pd.DataFrame({"year": [2024, 2024], "uid": ["a", "b"],
    ...     "indicator": ["safe_school"] * 2, "achieved": [9, 19], "total": [10, 20],
    ...     "reported_rate": [0.9, None]})
    >>> plan = pd.DataFrame({"year": [2025, 2025], "target": ["ab", "ab"],
    ...     "from_year": [2024, 2024], "uid": ["a", "b"], "weight": [1.0, 1.0]})
    >>> out = combine(data, plan, texts=False)
    >>> out[["target", "achieved", "total", "sources", "complete"]].values.tolist()
    [['ab', 28, 30, 2, True]]
    >>> bool(out["reported_rate"].isna().all())  # a sum has no published rate
    True
    """
    parts = plan.merge(
        data.rename(columns={"year": "from_year"}), on=["from_year", "uid"], how="inner"
    )
    needed = plan.groupby(["year", "target"], sort=False).size().rename("needed")
    unknown = plan["weight"].isna().groupby([plan["year"], plan["target"]], sort=False).any()
    w = parts["weight"].astype(float)
    a = parts["achieved"].astype("Float64") * w
    t = parts["total"].astype("Float64") * w
    groups = parts.groupby(["year", "target", "indicator"], sort=False)
    out = pd.DataFrame(
        {
            "achieved": a.groupby(groups.ngroup()).sum(min_count=1).to_numpy(),
            "a_na": a.isna().groupby(groups.ngroup()).any().to_numpy(),
            "total": t.groupby(groups.ngroup()).sum(min_count=1).to_numpy(),
            "t_na": t.isna().groupby(groups.ngroup()).any().to_numpy(),
            "sources": groups.size().to_numpy(),
            # Distinct parts: a part with two rows (two spellings, one code) is one part.
            "parts": groups["uid"].nunique().to_numpy(),
            "single_rate": groups["reported_rate"].first().to_numpy(),
            "whole": (w == 1.0).groupby(groups.ngroup()).all().to_numpy(),
        },
        index=groups.size().index,
    )
    if texts:
        words = _texts(parts, groups.ngroup().to_numpy(), groups.ngroups)
        out = out.join(words.set_axis(out.index))
    out.index.names = ["year", "target", "indicator"]
    out = out.reset_index()
    out = out.join(needed, on=["year", "target"]).join(
        unknown.rename("unknown_weight"), on=["year", "target"]
    )
    out["complete"] = (
        (out["parts"] == out["needed"]) & (out["sources"] == out["parts"]) & ~out["unknown_weight"]
    )
    # A partial sum is not a value: a part without a count makes the sum NA.
    out["achieved"] = out["achieved"].round().mask(out["a_na"]).astype("Int64")
    out["total"] = out["total"].round().mask(out["t_na"]).astype("Int64")
    one = (out["needed"] == 1) & out["whole"]
    out["reported_rate"] = out["single_rate"].astype("Float64").where(one)
    return out.drop(columns=["a_na", "t_na", "single_rate", "whole", "unknown_weight"])


def _texts(parts: pd.DataFrame, ids: np.ndarray, n: int) -> pd.DataFrame:
    """Per group: the parts' cells and area names ("; "-joined) and their uids (a tuple).

    Plain lists filled in one pass: a pandas aggregation calling Python per
    group is many times slower.
    """
    cells: list[list[str]] = [[] for _ in range(n)]
    names: list[list[str]] = [[] for _ in range(n)]
    uids: list[list[str]] = [[] for _ in range(n)]
    rows = zip(
        ids.tolist(),
        parts["source"].astype(object).tolist(),
        parts["area"].astype(object).tolist(),
        parts["uid"].astype(object).tolist(),
        strict=True,
    )
    for i, cell, name, uid in rows:
        cells[i].append(str(cell))
        names[i].append(str(name))
        uids[i].append(str(uid))
    return pd.DataFrame(
        {
            "source": ["; ".join(c) for c in cells],
            "from_areas": ["; ".join(c) for c in names],
            "from_uids": [tuple(c) for c in uids],
        }
    )


def _weights(weights: Weights) -> dict[tuple[str, str], float]:
    if weights is None:
        return {}
    if isinstance(weights, pd.DataFrame):
        missing = {"old", "new", "weight"} - set(weights.columns)
        if missing:
            raise AntqError(
                f"weights need the columns old, new, weight; missing {sorted(missing)}",
                vi=f"bảng trọng số cần các cột old, new, weight; thiếu {sorted(missing)}",
            )
        items = zip(weights["old"], weights["new"], weights["weight"], strict=True)
        pairs = {(str(o), str(n)): float(x) for o, n, x in items}
    else:
        pairs = {(str(o), str(n)): float(x) for (o, n), x in weights.items()}
    bad = [k for k, x in pairs.items() if not 0 <= x <= 1]
    if bad:
        raise AntqError(
            f"a weight is a share between 0 and 1; {bad[0]} has {pairs[bad[0]]}",
            vi=f"trọng số là tỷ lệ từ 0 đến 1; {bad[0]} là {pairs[bad[0]]}",
        )
    return pairs


def _weight(pairs: dict[tuple[str, str], float], old: str, new: str) -> float | None:
    for key in ((old, new), (registry.unit(old).code, registry.unit(new).code)):
        if key in pairs:
            return pairs[key]
    return None


# ---- the plan -------------------------------------------------------------------------
@dataclass
class _Plan:
    """What harmonising needs to sum, and what it leaves out and why."""

    rows: list[tuple[int, str, int, str, float]]  # year, target, from year, uid, weight
    split: dict[tuple[str, tuple[str, ...]], set[int]]  # (target, split uids) → years
    abolished: dict[str, set[int]]  # uid → years
    after: dict[str, set[int]]  # uid → years


def _targets(uid: str, year: int, day: date) -> tuple[str, ...]:
    if not registry.in_force(uid, _year_end(year)):
        return ()
    return registry.successors(uid, on=day, children=False)


def _plan(pairs: pd.DataFrame, day: date, weights: dict[tuple[str, str], float]) -> _Plan:
    """The parts of each unit of ``day`` in each year, from the (year, uid) pairs of the table."""
    plan = _Plan([], {}, {}, {})
    targets: set[tuple[int, str]] = set()
    for year, uid in pairs.itertuples(index=False):
        found = _targets(uid, year, day)
        if found:
            targets.update((year, v) for v in found)
        elif not registry.in_force(uid, _year_end(year)):
            continue  # not a unit of its year's end: reported with the unidentified rows
        elif (start := registry.unit(uid).valid_from) is not None and start > day:
            plan.after.setdefault(uid, set()).add(year)
        else:
            plan.abolished.setdefault(uid, set()).add(year)
    for year, v in sorted(targets):
        split: list[str] = []
        for w, whole in registry.origins(v, on=_year_end(year), at=day):
            share = 1.0 if whole else _weight(weights, w, v)
            if share is None:
                split.append(w)
            plan.rows.append((year, v, year, w, np.nan if share is None else share))
        if split:
            plan.split.setdefault((v, tuple(split)), set()).add(year)
    return plan


def _data(tidy: pd.DataFrame, uids: pd.Series) -> pd.DataFrame:
    cols = ["year", "indicator", "achieved", "total", "reported_rate", "source", "area"]
    return tidy[cols].assign(uid=uids.to_numpy()).dropna(subset=["uid"])


# ---- findings -------------------------------------------------------------------------
def partial_findings(
    out: pd.DataFrame,
    plan: pd.DataFrame,
    to: date,
    rule: str = "harmonise.partial",
    name: Callable[[str], str] = _name,
) -> list[Finding]:
    """One finding per unit and set of missing parts, naming the years; and one per unit
    and set of parts read more than once in a year (``harmonise.repeated``)."""
    found = repeated_findings(out, name)
    bad = out[(out["parts"] < out["needed"])]
    if bad.empty:
        return found
    wanted = plan.groupby(["year", "target"])["uid"].agg(tuple)
    groups: dict[tuple[str, tuple[str, ...]], tuple[set[int], str]] = {}
    for r in bad.drop_duplicates(["year", "target"]).itertuples(index=False):
        need = wanted[(r.year, r.target)]
        # The parts missing for the year: those no indicator of the unit had.
        have = set().union(
            *bad.loc[(bad["year"] == r.year) & (bad["target"] == r.target), "from_uids"]
        )
        missing = tuple(u for u in need if u not in have) or tuple(need)
        key = (str(r.target), missing)
        years, source = groups.get(key, (set(), str(r.source).split("; ")[0]))
        groups[key] = ({*years, int(r.year)}, source)
    for (target, missing), (years, source) in groups.items():
        n = len(wanted[(min(years), target)])
        found.append(
            finding(
                rule,
                source,
                area=name(target),
                level=registry.unit(target).level,
                years=years_text(years),
                to=_Day(to),
                n=n,
                missing=Names(tuple(_name(u) for u in missing)),
            )
        )
    return found


def repeated_findings(out: pd.DataFrame, name: Callable[[str], str] = _name) -> list[Finding]:
    """A unit whose part has more than one row in a year (written under two names, a data
    problem the key does not catch): left out, as a sum would count the part twice."""
    bad = out[out["sources"] > out["parts"]].drop_duplicates(["year", "target"])
    groups: dict[tuple[str, tuple[str, ...]], tuple[set[int], str]] = {}
    for r in bad.itertuples(index=False):
        counts = Counter(r.from_uids)
        twice = tuple(sorted(u for u, k in counts.items() if k > 1))
        key = (str(r.target), twice)
        years, source = groups.get(key, (set(), str(r.source).split("; ")[0]))
        groups[key] = ({*years, int(r.year)}, source)
    return [
        finding(
            "harmonise.repeated",
            source,
            area=name(target),
            level=registry.unit(target).level,
            years=years_text(years),
            year=min(years),
            repeated=Names(tuple(_name(u) for u in twice)),
        )
        for (target, twice), (years, source) in groups.items()
    ]


def _plan_findings(plan: _Plan, to: date, sources: Mapping[str, str]) -> list[Finding]:
    found = []
    for (target, split), years in plan.split.items():
        new = sorted({v for w in split for v in registry.successors(w, on=to, children=False)})
        found.append(
            finding(
                "harmonise.split",
                sources.get(split[0], ""),
                area=_name(target),
                level=registry.unit(target).level,
                years=years_text(years),
                to=_Day(to),
                old=Names(tuple(_name(w) for w in split)),
                new=Names(tuple(_name(v) for v in new)),
            )
        )
    for uid, years in plan.abolished.items():
        a = registry.unit(uid)
        ended = a.valid_to or to
        found.append(
            finding(
                "harmonise.abolished",
                sources.get(uid, ""),
                area=a.name,
                level=a.level,
                years=years_text(years),
                to=_Day(to),
                date=_Day(date.fromordinal(ended.toordinal() + 1)),
            )
        )
    if plan.after:
        names = tuple(_name(u) for u in plan.after)
        years_all = set().union(*plan.after.values())
        found.append(
            finding(
                "harmonise.after",
                sources.get(next(iter(plan.after)), ""),
                n=sum(len(y) for y in plan.after.values()),
                units=Names(names),
                years=years_text(years_all),
                to=_Day(to),
            )
        )
    return found


def _unidentified(tidy: pd.DataFrame, mask: pd.Series) -> list[Finding]:
    if not mask.any():
        return []
    rows = tidy[mask.to_numpy()]
    names = tuple(dict.fromkeys(rows["area"].astype(str)))
    return [
        finding(
            "harmonise.unidentified",
            str(rows["source"].iloc[0]) if rows["source"].notna().any() else "",
            n=len(rows),
            areas=Names(names),
        )
    ]


# ---- the table ------------------------------------------------------------------------
def with_extras(frame: pd.DataFrame) -> pd.DataFrame:
    """A tidy table (checked) from ``frame``'s tidy columns, with the harmonised columns after."""
    tidy = as_tidy(frame[[c for c in TIDY_COLUMNS if c != "rate"]])
    extra = frame[list(HARMONISED_COLUMNS)].astype(
        {"uid": "string", "harmonised": "bool", "sources": "Int64", "from_areas": "string"}
    )
    return pd.concat([tidy, extra.set_axis(tidy.index)], axis=1).reset_index(drop=True)


def _table(summed: pd.DataFrame) -> pd.DataFrame:
    """Rows of the target units, as a tidy table with the harmonised columns."""
    keep = summed[summed["complete"]].copy()
    units = {v: registry.unit(v) for v in keep["target"].unique()}
    for col in ("province", "district", "level", "name"):
        keep[col] = keep["target"].map(lambda v, c=col: getattr(units[v], c))
    keep["area_code"] = keep["target"].map(lambda v: units[v].code)
    same = keep["from_uids"].map(len).eq(1) & (
        keep["from_uids"].map(lambda t: t[0]) == keep["target"]
    )
    keep = keep.assign(
        area=keep["name"],
        uid=keep["target"],
        harmonised=~same,
        from_areas=keep["from_areas"].where(~same),
    )
    return with_extras(keep)


def harmonise_at(
    df: pd.DataFrame, day: date, weights: dict[tuple[str, str], float]
) -> tuple[pd.DataFrame, list[Finding]]:
    """The work of :func:`harmonise` on a checked day and weights (regions call it too)."""
    tidy = as_tidy(df, require_source=False)
    uids = checked_uids(df, tidy)
    ends = _at_year_end(uids, tidy["year"])
    data = _data(tidy[ends], uids[ends])
    pairs = data[["year", "uid"]].drop_duplicates()
    plan = _plan(pairs, day, weights)
    frame = pd.DataFrame(plan.rows, columns=["year", "target", "from_year", "uid", "weight"])
    summed = combine(data, frame) if len(frame) else None
    sources = dict(zip(data["uid"], data["source"].astype(str), strict=False))
    found = _unidentified(tidy, ~ends) + _plan_findings(plan, day, sources)
    if summed is None:
        return empty_harmonised(), found
    found += partial_findings(summed, frame, day)
    table = _table(summed)
    order = table.sort_values(["year", "level", "area_code"], kind="stable").index
    return table.loc[order].reset_index(drop=True), found


def empty_harmonised() -> pd.DataFrame:
    """A harmonised table without rows: the tidy columns and the harmonised ones."""
    from antq.schema import empty_tidy

    out = empty_tidy()
    for col, dtype in zip(HARMONISED_COLUMNS, ("string", "bool", "Int64", "string"), strict=True):
        out[col] = pd.Series(dtype=dtype)
    return out


@overload
def harmonise(
    df: pd.DataFrame,
    *,
    to: DateLike,
    weights: Weights = None,
    findings: Literal[False] = False,
    lang: Lang = "vi",
) -> pd.DataFrame: ...


@overload
def harmonise(
    df: pd.DataFrame,
    *,
    to: DateLike,
    weights: Weights = None,
    findings: Literal[True],
    lang: Lang = "vi",
) -> Harmonised: ...


def harmonise(
    df: pd.DataFrame,
    *,
    to: DateLike,
    weights: Weights = None,
    findings: bool = False,
    lang: Lang = "vi",
) -> pd.DataFrame | Harmonised:
    """The table re-expressed in the units in force on the day ``to``.

    Each row's unit is found in the registry (its area code at its level, at
    the end of its year) and followed forward to the units of ``to``. A unit
    of ``to`` gets a row for a year and indicator when every unit it was made
    of then is in the table: achieved and total are summed, ``rate``
    recomputed and ``reported_rate`` NA (a published rate belongs to the unit
    it was published for; a unit that simply continues keeps its own). What
    cannot be expressed is left out, each case a finding:

    - a part of a unit split between several new ones, without ``weights``
      (``harmonise.split``: never apportioned by guess);
    - a unit some of whose predecessors are missing that year
      (``harmonise.partial``: a partial sum is not a value);
    - a unit that ended with no unit taking it whole, such as a district on
      1/7/2025 (``harmonise.abolished``: :func:`antq.regions` follows its area);
    - units formed after ``to`` (``harmonise.after``: harmonising goes forward);
    - rows with no registry unit (``harmonise.unidentified``).

    Parameters
    ----------
    df
        A tidy table (:func:`antq.load`).
    to
        The day whose units to use: ``"2025-07-01"`` (the new communes, no
        districts), ``"2024-09-01"`` (nine district-level units, Mỹ Lộc inside
        Thành phố Nam Định).
    weights
        Shares of split units: a DataFrame with columns ``old``, ``new``
        (uids or official codes) and ``weight`` (the share of the old unit's
        counts that went into the new one, 0–1), or a mapping ``{(old, new):
        weight}``. Apportioned counts are rounded to whole units.
    findings
        Return :class:`Harmonised` (the table and the findings table) instead of
        the table alone, and warn nothing.
    lang
        Language of the findings table's messages.

    Returns
    -------
    pandas.DataFrame or Harmonised
        The tidy columns, then ``uid`` (the unit of ``to``), ``harmonised``
        (True where the row was re-expressed: a sum, or a unit under its new
        identity), ``sources`` (how many rows went into it) and ``from_areas``
        (their names, "; "-joined; NA for a row that is its unit's own);
        ``source`` lists every cell summed. :func:`antq.yoy` and the charts take
        it as it is: its units are the same in every year.

    Warns
    -----
    AntqWarning
        Without ``findings=True``, one per finding of severity warning.

    Examples
    --------
    >>> import antq
    >>> df = antq.load("data/raw")
    >>> h, f = harmonise(df, to="2024-09-01", findings=True)
    >>> city = h.query("area == 'Thành phố Nam Định' and indicator == 'safe_commune'")
    >>> city.loc[city["year"] == 2023, ["achieved", "sources", "from_areas"]].values.tolist()
    [[36, 2, 'Thành phố Nam Định; Huyện Mỹ Lộc']]
    >>> h, f = harmonise(df, to="2025-07-01", findings=True)
    >>> h.query("year == 2024 and level == 'commune'")["area"].nunique()
    57
    >>> f["rule"].value_counts().sort_index().to_dict()
    {'harmonise.abolished': 10, 'harmonise.partial': 1}
    """
    lang = as_lang(lang)
    day = as_day(to)
    table, found = harmonise_at(df, day, _weights(weights))
    if findings:
        return Harmonised(table, findings_frame(found, lang))
    for f in found:
        if f.severity != "info":
            warnings.warn(AntqWarning(f), stacklevel=2)
    return table
