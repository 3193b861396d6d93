"""Denominators: one total per unit and row, and no jump from year to year beyond tolerance."""

from __future__ import annotations

import numpy as np
import pandas as pd

from antq import registry
from antq.findings import Count, Finding, Pct, Phrase, Word, finding
from antq.numbers import format_decimal
from antq.series.events import Event, row_events, unit_change
from antq.types import LEVELS, Lang
from antq.validation.engine import RATE_EPS, row_finding, rule
from antq.validation.keys import group_codes, mapped, neighbours
from antq.validation.rates import consistent
from antq.vocab import indicators, units, word

__all__ = ["with_neighbours"]

#: What identifies a series of one unit across years.
SERIES = ["province", "district", "area", "level", "indicator"]


def denominators(df: pd.DataFrame) -> list[Finding]:
    unit_of = {code: ind.unit for code, ind in indicators().items()}
    keys = ["year", "province", "district", "area", "level", "_unit"]
    unit = mapped(df["indicator"], unit_of)
    n_totals, shared = _totals_per_unit(df, unit)
    out: list[Finding] = []
    inconsistent = np.flatnonzero(n_totals > 1)
    work = df.iloc[inconsistent].assign(_unit=unit[inconsistent])
    for _, grp in work.groupby(keys, sort=False, dropna=False):
        totals = grp.dropna(subset=["total"])
        values = _Values(list(zip(totals["total"], totals["indicator"], strict=True)))
        row = totals.iloc[0]
        out.append(
            row_finding(
                "denominator.inconsistent",
                row,
                "total_source",
                unit=_unit_word(str(row["_unit"])),
                values=values,
                expected="one total",
                found=values,
            )
        )
    # A rate with no total must fit the one denominator its unit has on that row.
    rate = df["reported_rate"].to_numpy(dtype=float, na_value=np.nan)
    achieved = df["achieved"].to_numpy(dtype=float, na_value=np.nan)
    pick = np.flatnonzero(
        (n_totals == 1)
        & df["total"].isna().to_numpy()
        & ~np.isnan(rate)
        & ~np.isnan(achieved)
        & (np.nan_to_num(rate) > 0)
    )
    if not len(pick):
        return out
    cand = df.iloc[pick].assign(_unit=unit[pick])
    t = shared[pick]
    fits = consistent(achieved[pick], t, rate[pick])
    for (_, row), tt in zip(cand[~fits].iterrows(), t[~fits], strict=True):
        if np.isnan(tt):
            continue
        a, r = int(row["achieved"]), float(row["reported_rate"])
        out.append(
            row_finding(
                "denominator.implied",
                row,
                "rate_source",
                r=Pct(r),
                a=Count(a),
                implied=Count(round(a / r)),
                unit=_unit_word(str(row["_unit"])),
                t=Count(int(tt)),
                expected=Count(int(tt)),
                found=Count(round(a / r)),
            )
        )
    return out


rule("denominator")(denominators)


def _unit_word(unit: str) -> Word:
    return Word(f"unit.{unit}")


def _totals_per_unit(df: pd.DataFrame, unit: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row, how many distinct totals the row's unit has on its row (year, area and
    level), and the largest of them (NaN: none), on integer codes."""
    place, n_places = group_codes(df, ["year", "province", "district", "area", "level"])
    unit_code, units = pd.factorize(pd.Series(unit, dtype=object), use_na_sentinel=False)
    group, n_groups = pd.factorize(place * (len(units) + 1) + unit_code)
    del n_places
    has = df["total"].notna().to_numpy()
    total = df["total"].to_numpy(dtype=np.int64, na_value=0)
    g, v = group[has], total[has]
    order = np.lexsort((v, g))
    g, v = g[order], v[order]
    new = np.r_[True, (g[1:] != g[:-1]) | (v[1:] != v[:-1])] if len(g) else np.zeros(0, bool)
    distinct = np.bincount(g[new], minlength=len(n_groups))
    largest = np.full(len(n_groups), np.nan)
    last = np.r_[g[1:] != g[:-1], True] if len(g) else np.zeros(0, bool)
    largest[g[last]] = v[last]  # sorted by value within each group: the last is the largest
    return distinct[group], largest[group]


class _Values:
    """ "3.462 (safe_residential_area), 3.505 (cultural_residential_area)"."""

    def __init__(self, pairs: list[tuple[object, object]]) -> None:
        self.pairs = pairs

    def render(self, lang: Lang) -> str:
        return ", ".join(f"{Count(int(str(t))).render(lang)} ({ind})" for t, ind in self.pairs)


def with_neighbours(df: pd.DataFrame, cols: list[str]) -> pd.DataFrame:
    """``cols`` of each row with its series' values of the year before (``_prev``) and after
    (``_next``), aligned with ``df``'s index.

    Rows are matched on integer codes of their series (:mod:`antq.validation.keys`):
    at national scale a merge on the text columns costs seconds.
    """
    series, _n = group_codes(df, SERIES)
    prev, nxt = neighbours(series, df["year"].to_numpy(dtype=np.int64))
    out = {c: df[c] for c in cols}
    for suffix, at in (("_prev", prev), ("_next", nxt)):
        for c in cols:
            values = df[c].array.take(at, allow_fill=True)
            out[f"{c}{suffix}"] = pd.Series(values, index=df.index, name=f"{c}{suffix}")
    return pd.DataFrame(out, index=df.index)[
        [*cols, *(f"{c}_prev" for c in cols), *(f"{c}_next" for c in cols)]
    ]


def rows_with(df: pd.DataFrame, work: pd.DataFrame, mask: np.ndarray) -> pd.DataFrame:
    """The flagged rows, whole, with their neighbours' values."""
    extra = [c for c in work.columns if c.endswith(("_prev", "_next"))]
    return df[mask].join(work.loc[mask, extra])


def jumps(df: pd.DataFrame, *, events: pd.DataFrame | None = None) -> list[Finding]:
    out: list[Finding] = []
    work = with_neighbours(df, ["total"])
    tolerance = {code: units()[ind.unit].denominator_jump for code, ind in indicators().items()}
    limit = pd.Series(mapped(df["indicator"], tolerance, np.nan), index=df.index, dtype=float)
    prev = work["total_prev"].astype("Float64")
    change = (work["total"].astype("Float64") / prev.where(prev > 0) - 1).astype(float)
    flagged = rows_with(df, work, (change.abs() > limit + RATE_EPS).fillna(False).to_numpy())
    known = _known_events(flagged, events)
    explained: dict[tuple[str, str], list[pd.Series]] = {}
    for pos, ((_, row), ch) in enumerate(
        zip(flagged.iterrows(), change[flagged.index], strict=True)
    ):
        if pos in known:
            # A jump a known event explains: one line per event, below.
            unit = indicators()[str(row["indicator"])].unit
            explained.setdefault((known[pos], unit), []).append(row)
            continue
        text = _Signed(ch * 100)
        lim = tolerance[str(row["indicator"])]
        out.append(
            row_finding(
                "denominator.jump",
                row,
                "total_source",
                change=text,
                prev=int(row["year"]) - 1,
                before=Count(int(row["total_prev"])),
                after=Count(int(row["total"])),
                expected=Phrase("expect.within", pct=Pct(lim)),
                found=text,
            )
        )
    labels = {e.code: e for evs in _all_events(flagged, events).values() for e in evs}
    for (code, unit), rows in explained.items():
        out.append(_event_finding(labels[code], unit, rows))
    return out


rule("denominator.jump", events=True)(jumps)


def _all_events(flagged: pd.DataFrame, events: pd.DataFrame | None) -> dict[int, list[Event]]:
    """The known events of each flagged row (by position): the registry's, criteria, the user's."""
    found = row_events(flagged, events)
    uids = registry.uids(flagged) if len(flagged) else pd.Series(dtype="string")
    for pos, (uid, year) in enumerate(zip(uids, flagged["year"], strict=True)):
        change = unit_change(str(uid), int(year)) if isinstance(uid, str) else None
        if change is not None:
            found.setdefault(pos, []).insert(0, change.event)
    return found


def _known_events(flagged: pd.DataFrame, events: pd.DataFrame | None) -> dict[int, str]:
    """Flagged row position → the code of the first known event that explains its jump."""
    return {pos: evs[0].code for pos, evs in _all_events(flagged, events).items() if evs}


def _event_finding(event: Event, unit: str, rows: list[pd.Series]) -> Finding:
    seen: dict[str, tuple[int, int]] = {}
    # The province first, then its districts, then communes: the biggest change leads.
    rows = sorted(rows, key=lambda r: LEVELS.index(str(r["level"])))
    for r in rows:
        seen.setdefault(str(r["area"]), (int(r["total_prev"]), int(r["total"])))
    first = rows[0]
    codes = {str(r["indicator"]) for r in rows}
    src = first.get("total_source") if "total_source" in first.index else None
    return finding(
        "denominator.jump_event",
        str(src if isinstance(src, str) and src else first["source"]),
        year=int(first["year"]),
        area=str(first["area"]) if len(seen) == 1 else None,
        level=str(first["level"]) if len(seen) == 1 else None,
        indicator=codes.pop() if len(codes) == 1 else None,
        unit=_unit_word(unit),
        examples=_Jumps(tuple((a, b, c) for a, (b, c) in seen.items())),
        event=_EventWords(event),
        expected=_EventWords(event),
        found=_Jumps(tuple((a, b, c) for a, (b, c) in seen.items()), most=len(seen)),
    )


class _EventWords:
    """An event's words in each language."""

    def __init__(self, event: Event) -> None:
        self.event = event

    def render(self, lang: Lang) -> str:
        return self.event.label(lang)


class _Jumps:
    """ "Tỉnh Nam Định 3.800 → 3.462, Huyện Vụ Bản 308 → 281 và 9 đơn vị khác"."""

    def __init__(self, items: tuple[tuple[str, int, int], ...], most: int = 3) -> None:
        self.items, self.most = items, most

    def render(self, lang: Lang) -> str:
        shown = [
            f"{a} {Count(b).render(lang)} → {Count(c).render(lang)}"
            for a, b, c in self.items[: self.most]
        ]
        rest = len(self.items) - len(shown)
        return ", ".join(shown) + (" " + word("and_more", lang, n=rest) if rest else "")


class _Signed:
    """A signed percentage with a real minus sign: "+2,5%", "−9,1%"."""

    def __init__(self, pct: float) -> None:
        self.pct = pct

    def render(self, lang: Lang) -> str:
        sign = "+" if self.pct > 0 else "−"
        return sign + format_decimal(abs(self.pct), 1, lang) + "%"
