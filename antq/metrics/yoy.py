"""Stage 6: year-over-year changes that know the breaks.

A row is compared only with what it can be compared with: the same unit the
year before, or, when the unit took others in or was formed from others
(the registry), the sum of those units the year before, where every one of
them is in the table. Where no such predecessor exists, or the indicator
counts other things from that year on (``criteria.csv``), or the user's own
``events.csv`` says nothing compares across an event, the changes are NA and
``break`` names the event.

There is one meaning of "change" for the report: ``shown_rate`` is the rate a
report shows (the one written in the file where there is one, else achieved ÷
total), ``shown_change_pp`` the change between the shown rates in percentage
points, ``change_n`` the change of the count. The summary, the charts and the
Excel report use those; ``rate``, ``rate_prev`` and ``change_pp`` are the
computed ones beside them.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd
import pyarrow as pa

from antq.metrics.rates import shown_rates
from antq.schema import as_tidy
from antq.series.events import (
    Change,
    Event,
    EventsLike,
    changing_units,
    read_events,
    row_events,
    unit_change,
)
from antq.series.harmonise import checked_uids, combine
from antq.types import Lang, as_lang
from antq.validation.keys import neighbours
from antq.vocab import word

__all__ = ["REPORT_COLUMNS", "YOY_COLUMNS", "yoy", "yoy_parts"]

YOY_COLUMNS: tuple[str, ...] = (
    "year",
    "province",
    "district",
    "area",
    "level",
    "indicator",
    "achieved",
    "achieved_prev",
    "change_n",
    "total",
    "total_prev",
    "shown_rate",
    "shown_rate_prev",
    "shown_change_pp",
    "break",
    "prev_basis",
    "prev_areas",
    "break_code",
    "rate",
    "rate_prev",
    "change_pp",
    "achieved_growth",
)
#: The columns a report shows: the shown rates and their change, never the computed ones
#: (one meaning of "change" in the summary, the charts and the Excel report).
REPORT_COLUMNS: tuple[str, ...] = YOY_COLUMNS[: YOY_COLUMNS.index("break_code")]
_SERIES = ["province", "district", "area", "level"]
#: What a ``compare`` value of an event leaves comparable.
_KEEPS_RATES = {"rate", "all"}
_KEEPS_COUNTS = {"all"}


def _codes(frame: pd.DataFrame) -> np.ndarray:
    """One integer per distinct combination of the columns of ``frame`` (NA a value)."""
    combined = np.zeros(len(frame), dtype=np.int64)
    for c in frame.columns:
        values, uniques = pd.factorize(frame[c], use_na_sentinel=False)
        combined, _ = pd.factorize(combined * (len(uniques) + 1) + values)
    return combined.astype(np.int64, copy=False)


def _series_ids(df: pd.DataFrame, tidy: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Each row's series: its registry unit (``u:uid``) where the table is as read, else its key.

    Rows of a harmonised table or a region (a ``harmonised`` column that is not NA) keep their
    key: their units are the same in every year by construction.
    """
    uids = checked_uids(df, tidy)
    if "harmonised" in df.columns:
        uids = uids.mask(df["harmonised"].notna().to_numpy())
    key = _codes(tidy[_SERIES])

    def by_key(mask: np.ndarray) -> pd.Series:
        # "k:<code>" for the rows of ``mask`` only: most rows are units of the registry.
        codes = pd.Series(key[mask], index=tidy.index[mask]).astype(str)
        return ("k:" + codes).astype("string")

    has_uid = uids.notna().to_numpy()
    sid = ("u:" + uids).astype("string")
    sid[~has_uid] = by_key(~has_uid)
    # A unit read twice in a year under two names (a data problem): each name its own series.
    again = _codes(pd.DataFrame({"y": tidy["year"], "s": sid, "i": tidy["indicator"]}))
    dup = np.bincount(again)[again] > 1
    if dup.any():
        sid[dup] = by_key(dup)
    return sid, uids.where(~dup)


def _changes(sid: pd.Series, uids: pd.Series, years: pd.Series) -> dict[tuple[str, int], Change]:
    """The registry's change of each unit between its year and the year before, where any."""
    pairs = pd.DataFrame({"sid": sid, "uid": uids, "year": years}).dropna()
    pairs = pairs.iloc[np.unique(_codes(pairs), return_index=True)[1]]
    changing = changing_units()
    pairs = pairs[pairs["uid"].isin(changing).to_numpy()]  # the others are simply themselves
    out: dict[tuple[str, int], Change] = {}
    for s, u, y in pairs.itertuples(index=False):
        change = unit_change(str(u), int(y))
        if change is not None:
            out[(str(s), int(y))] = change
    return out


def _changed(
    sid: pd.Series, years: pd.Series, changes: dict[tuple[str, int], Change]
) -> np.ndarray:
    """Per row, whether its (series, year) is in ``changes``: matched by key, not row by row."""
    if not changes:
        return np.zeros(len(sid), dtype=bool)
    keys = pd.MultiIndex.from_tuples(list(changes), names=["sid", "year"])
    return pd.MultiIndex.from_arrays([sid, years.astype("int64")]).isin(keys)


def _row_before(sid: pd.Series, indicator: pd.Series, years: pd.Series) -> np.ndarray:
    """Per row, the position of its series' row of the same indicator the year before; -1
    where there is none (:func:`~antq.validation.keys.neighbours` of their integer codes).

    One sorted search over integer keys: merging on the text columns, and summing each row's
    single "part" as a harmonised one is summed, took most of yoy's time on a national table.

    Examples
    --------
    >>> sid = pd.Series(["a", "a", "b", "a"])
    >>> ind = pd.Series(["safe_school"] * 4)
    >>> _row_before(sid, ind, pd.Series([2020, 2021, 2021, 2023])).tolist()
    [-1, 0, -1, -1]
    """
    series, _ = pd.factorize(sid, use_na_sentinel=False)
    kinds, names = pd.factorize(indicator, use_na_sentinel=False)
    key = series.astype(np.int64) * max(len(names), 1) + kinds
    return neighbours(key, years.to_numpy(dtype=np.int64))[0]


def _plan(changes: dict[tuple[str, int], Change]) -> pd.DataFrame:
    """The rows of the year before that each changed (series, year) is compared with summed:
    its predecessors, when each went into it whole (no plan: nothing to compare with)."""
    rows = [
        (year, target, f"u:{u}")
        for (target, year), change in changes.items()
        if change.origins and all(whole for _, whole in change.origins)
        for u, _ in change.origins
    ]
    plan = pd.DataFrame(rows, columns=["year", "target", "uid"])
    return pd.DataFrame(
        {
            "year": plan["year"].astype(np.int64),
            "target": plan["target"].astype("string"),
            "uid": plan["uid"].astype("string"),
            "from_year": (plan["year"] - 1).astype(np.int64),
            "weight": 1.0,
        }
    )


_PREV = {"achieved": "achieved_prev", "total": "total_prev", "reported_rate": "reported_prev"}


def _harmonised(part: pd.DataFrame, sid: pd.Series, plan: pd.DataFrame) -> pd.DataFrame:
    """The changed series' previous values: their predecessors' rows (in ``part``) summed."""
    data = part[["year", "indicator", *_PREV]].assign(uid=sid)
    if not len(plan) or not len(data):
        return pd.DataFrame(columns=["year", "sid", "indicator", *_PREV.values(), "needed"])
    prev = combine(data, plan, texts=False)
    prev = prev[prev["complete"]]
    prev = prev.rename(columns={"target": "sid", **_PREV})
    return prev[["year", "sid", "indicator", *_PREV.values(), "needed"]]


def _with_previous(
    out: pd.DataFrame,
    tidy: pd.DataFrame,
    before: np.ndarray,
    changed: np.ndarray,
    harmonised: pd.DataFrame,
) -> pd.DataFrame:
    """``out`` with each row's previous values: its own series' row of the year before
    (``before``, a position in ``tidy``), a changed row's from ``harmonised``; ``needed`` is
    the number of rows summed (NA: nothing to compare with)."""
    for col, name in _PREV.items():
        out[name] = tidy[col].array.take(before, allow_fill=True)
    needed = np.where(before >= 0, 1.0, np.nan)
    at = np.flatnonzero(changed)
    if len(at) and len(harmonised):
        keys = out.iloc[at][["year", "sid", "indicator"]].reset_index(drop=True)
        found = keys.merge(harmonised, on=["year", "sid", "indicator"], how="left")
        for name in _PREV.values():
            out.loc[out.index[at], name] = found[name].array
        needed[at] = found["needed"].to_numpy(dtype=float, na_value=np.nan)
    out["needed"] = needed
    return out


def _events(
    out: pd.DataFrame,
    changed_rows: np.ndarray,
    changes: dict[tuple[str, int], Change],
    user: pd.DataFrame,
    lang: Lang,
) -> tuple[dict[int, list[Event]], np.ndarray, np.ndarray]:
    """Per row: its events (rows without any are left out), whether rates and whether counts
    still compare across them."""
    listed: dict[int, list[Event]] = {}
    rates = np.ones(len(out), dtype=bool)
    counts = np.ones(len(out), dtype=bool)
    changed = np.flatnonzero(changed_rows)
    keys = zip(out["sid"].iloc[changed].tolist(), out["year"].iloc[changed].tolist(), strict=True)
    for pos, key in zip(changed.tolist(), keys, strict=True):
        listed[pos] = [changes[key].event]
    for pos, evs in row_events(out, user).items():
        listed.setdefault(pos, []).extend(evs)
        rates[pos] = all(e.compare in _KEEPS_RATES for e in evs)
        counts[pos] = all(e.compare in _KEEPS_COUNTS for e in evs)
    return listed, rates, counts


def yoy(df: pd.DataFrame, *, events: EventsLike = None, lang: Lang = "vi") -> pd.DataFrame:
    """Year-over-year change per area, level and indicator, across the known breaks.

    The previous values come from exactly the year before: where that year
    is missing, the ``_prev`` columns are NA, never an older year's. A unit
    is compared with itself, or, where the map changed between the two years
    (the registry), with the units it was made of the year before, summed
    (Thành phố Nam Định 2024 with the city and Huyện Mỹ Lộc of 2023; a
    commune of 1/7/2025 with its former communes of 2024), when each of them
    is in the table and went into it whole. A harmonised table
    (:func:`antq.harmonise`) or a region (:func:`antq.regions`) is compared
    row key with row key: its units are the same in every year.

    Parameters
    ----------
    df
        A tidy table (see :func:`antq.load`).
    events
        The user's known events: ``events.csv`` (a path, the folder holding
        it, or a table, :func:`antq.read_events`); ``criteria.csv`` and the
        registry are always used.
    lang
        Language of the ``break`` column.

    Returns
    -------
    pandas.DataFrame
        One row per row of ``df``: ``year, province, district, area, level,
        indicator``, then

        - ``achieved``, ``achieved_prev``, ``change_n`` (achieved −
          achieved_prev), ``total``, ``total_prev``, ``shown_rate``,
          ``shown_rate_prev`` (the rate written in the file where there is one,
          else achieved ÷ total; a sum of units has only the computed one) and
          ``shown_change_pp`` (their change in percentage points; where one of the
          two is written in a file and the other computed, the computed one is
          rounded as the written one is, so that rounding is no change): **the change a
          report states** (:data:`REPORT_COLUMNS`: what the summary, the charts and
          the Excel report use);
        - ``prev_basis``: ``"same"`` (the unit itself), ``"harmonised"`` (its
          predecessors summed) or NA (nothing to compare with);
          ``prev_areas``: the predecessors' names ("Thành phố Nam Định + Huyện
          Mỹ Lộc") where harmonised;
        - ``break``: the events between the two years that touch the row, in
          words ("sáp nhập vào Thành phố Nam Định, 1/9/2024"; "sắp xếp đơn vị
          hành chính, 1/7/2025"; "tiêu chí mới theo Thông tư 124/2021/TT-BCA,
          2022"), and ``break_code``, the same as codes (``area.merged:…``,
          ``area.reorganised:…``, ``criteria:…``, ``event:…``). Where no
          comparison could be made across them, the changes are NA; where the
          row was compared with its harmonised predecessors, or the event
          leaves rates comparable (``compare = rate``), the changes it allows
          stand.
        - ``rate``, ``rate_prev`` (achieved ÷ total), ``change_pp`` ((rate −
          rate_prev) × 100) and ``achieved_growth`` (achieved ÷ achieved_prev −
          1; NA when the previous count is NA or 0): the computed values, last.

    Examples
    --------
    >>> import antq
    >>> df = antq.load("data/raw")
    >>> y = yoy(df).query("year == 2016 and level == 'province' and indicator == 'safe_commune'")
    >>> y[["achieved", "achieved_prev", "change_pp"]].round(2).to_string(index=False)
    ' achieved  achieved_prev  change_pp\\n      211            208       1.31'
    >>> y = yoy(df).query("year == 2022 and level == 'province' and indicator == 'safe_school'")
    >>> y["break"].iloc[0], bool(y["shown_change_pp"].isna().iloc[0])
    ('tiêu chí mới theo Thông tư 124/2021/TT-BCA, 2022', True)
    >>> y = yoy(df).query("year == 2020 and area == 'Tỉnh Nam Định'").set_index("indicator")
    >>> y.loc["safe_residential_area", ["shown_change_pp", "change_pp"]].astype(float).round(2)
    ... # doctest: +NORMALIZE_WHITESPACE
    shown_change_pp    1.25
    change_pp          2.43
    Name: safe_residential_area, dtype: float64
    """
    parts = list(yoy_parts(df, events=events, lang=lang))
    return parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)


def yoy_parts(
    df: pd.DataFrame, *, events: EventsLike = None, lang: Lang = "vi", rows: int | None = None
) -> Iterator[pd.DataFrame]:
    """:func:`yoy` a few indicators at a time, in its order: joined, they are its table.

    Every step compares rows of one indicator with rows of the same indicator, so the
    indicators can be done apart: whole indicators, about ``rows`` rows at a time
    (default :data:`PART_ROWS`; a national table's nine indicators one by one, not all
    its memory at once). Each row's unit, and the map's changes, are found once for all.

    Examples
    --------
    >>> import antq
    >>> df = antq.load("data/raw")
    >>> [len(p) for p in yoy_parts(df)] == [len(df)]  # a province's table: one part
    True
    >>> parts = list(yoy_parts(df, rows=1))
    >>> len(parts), sum(map(len, parts)) == len(df), parts[0]["indicator"].nunique()
    (9, True, 1)
    """
    lang = as_lang(lang)
    user = read_events(events)
    tidy = as_tidy(df, require_source=False)
    sid, uids = _series_ids(df, tidy)
    changes = _changes(sid, uids, tidy["year"])
    changed = _changed(sid, tidy["year"], changes)
    # A changed row is compared with its predecessors summed, never with its own last year.
    before = np.where(changed, -1, _row_before(sid, tidy["indicator"], tidy["year"]))
    plan = _plan(changes)
    feeds = sid.isin(plan["uid"].unique()).to_numpy(dtype=bool)  # the predecessors' rows
    shown = shown_rates(tidy)
    used = tidy.drop(columns=["area_code", "source"])  # not in yoy's table: not moved
    for at in _indicator_parts(tidy, PART_ROWS if rows is None else rows):
        part, part_sid, part_changed = used.take(at), sid.take(at), changed[at]
        out = part.assign(sid=part_sid, shown_rate=shown.take(at)).reset_index(drop=True)
        mine = feeds[at]
        harmonised = _harmonised(part[mine], part_sid[mine], plan)
        out = _with_previous(out, tidy, before[at], part_changed, harmonised)
        listed, rates_ok, counts_ok = _events(out, part_changed, changes, user, lang)
        out = _measures(out, part_changed, changes, rates_ok, counts_ok)
        out["break"], out["break_code"] = _breaks(listed, len(out), lang)
        yield out[list(YOY_COLUMNS)]


#: Rows :func:`yoy_parts` takes at a time, whole indicators (a province's table: one part).
PART_ROWS: int = 120_000


def _indicator_parts(tidy: pd.DataFrame, rows: int) -> list[np.ndarray]:
    """The positions of the rows in yoy's order (indicator, level, area, year; ties in the
    table's order), whole indicators about ``rows`` at a time.

    The order is found once, from integer codes, and each part's rows taken in it: sorting
    each part's result moved every column again.

    Examples
    --------
    >>> t = pd.DataFrame({"indicator": ["b", "a", "b", "a"], "level": ["district"] * 4,
    ...     "area": ["Y", "X", "X", "X"], "year": [2021, 2021, 2020, 2020]})
    >>> [p.tolist() for p in _indicator_parts(t, 10)]
    [[3, 1, 2, 0]]
    >>> [p.tolist() for p in _indicator_parts(t, 1)]
    [[3, 1], [2, 0]]
    """
    codes = [
        pd.factorize(tidy[c], sort=True, use_na_sentinel=False)[0]
        for c in ("indicator", "level", "area")
    ]
    order = np.lexsort((tidy["year"].to_numpy(), *reversed(codes)))  # stable; last key first
    if len(order) <= rows:
        return [order]
    sizes = np.bincount(codes[0])  # rows per indicator, in the sorted order of their names
    group = (np.cumsum(sizes) - sizes) // max(rows, 1)
    ends = np.flatnonzero(np.append(group[1:] != group[:-1], True))
    return np.split(order, np.cumsum(sizes)[ends][:-1])


def _breaks(
    listed: dict[int, list[Event]], n: int, lang: Lang
) -> tuple[pd.arrays.ArrowStringArray, pd.arrays.ArrowStringArray]:
    """The ``break`` and ``break_code`` columns: NA but on the rows with events."""
    words: list[str | None] = [None] * n
    codes: list[str | None] = [None] * n
    sep = word("break.sep", lang)
    for pos, evs in listed.items():
        words[pos] = sep.join(e.label(lang) for e in evs) or None
        codes[pos] = ";".join(e.code for e in evs) or None
    return _text_array(words), _text_array(codes)


def _text_array(values: list[str | None]) -> pd.arrays.ArrowStringArray:
    """A string column from a list mostly of None: Arrow builds it in a tenth of the time
    pandas takes (it looks at each value in Python)."""
    return pd.arrays.ArrowStringArray(pa.array(values, pa.large_string()))


#: Decimals a change of shown rates is rounded to: far below any rate written in a report,
#: far above the ~1e-14 a difference of two binary fractions is off by.
_NOISE_DECIMALS = 10


def _measures(
    out: pd.DataFrame,
    changed: np.ndarray,
    changes: dict[tuple[str, int], Change],
    rates_ok: np.ndarray,
    counts_ok: np.ndarray,
) -> pd.DataFrame:
    """The computed and shown changes, NA where an event leaves nothing to compare."""
    total_prev = out["total_prev"].astype("Float64")
    out["rate_prev"] = (out["achieved_prev"] / total_prev.where(total_prev != 0)).astype("Float64")
    out["shown_rate_prev"] = out["reported_prev"].fillna(out["rate_prev"]).astype("Float64")
    out["shown_rate"], out["shown_rate_prev"] = _same_precision(out)
    rates = pd.Series(rates_ok, index=out.index)
    counts = pd.Series(counts_ok, index=out.index)
    out["change_pp"] = ((out["rate"] - out["rate_prev"]) * 100).astype("Float64").where(rates)
    # Shown rates are written to a few decimals: their difference is too, once the binary
    # fractions' noise is rounded off (95,35 % → 99 % is +3,65, not 3.6499999999999977).
    shown = ((out["shown_rate"] - out["shown_rate_prev"]) * 100).astype("Float64")
    out["shown_change_pp"] = shown.round(_NOISE_DECIMALS).where(rates)
    base = out["achieved_prev"].astype("Float64")
    growth = out["achieved"] / base.where(base != 0) - 1
    out["achieved_growth"] = growth.astype("Float64").where(counts)
    out["change_n"] = (out["achieved"] - out["achieved_prev"]).astype("Int64").where(counts)
    has_prev = out["needed"].notna().to_numpy()  # a complete previous value was found
    out["prev_basis"] = pd.array(
        np.where(~has_prev, pd.NA, np.where(changed, "harmonised", "same")), dtype="string"
    )
    areas: list[str | None] = [None] * len(out)
    at = np.flatnonzero(has_prev & changed)
    keys = zip(out["sid"].iloc[at].tolist(), out["year"].iloc[at].tolist(), strict=True)
    for pos, key in zip(at.tolist(), keys, strict=True):
        areas[pos] = " + ".join(_names(changes[key]))
    out["prev_areas"] = _text_array(areas)
    return out


def _published_decimals(rates: pd.Series) -> pd.Series:
    """Decimals of a fraction as a file writes it in percent (0.9459 → 4: "94,59%"), NA where
    there is none; a fraction with more than four decimals in percent counts as computed.

    Examples
    --------
    >>> _published_decimals(pd.Series([0.9459, None, 0.97], dtype="Float64")).tolist()
    [4, <NA>, 2]
    """
    pct = rates.astype("Float64") * 100
    out = pd.Series(pd.NA, index=rates.index, dtype="Int64")
    for d in range(4, -1, -1):  # the fewest decimals that write it wins
        # NA (no rate) is no match: the digits stay NA, as said.
        out = out.mask(((pct - pct.round(d)).abs() < 1e-9).fillna(False), d + 2)
    return out


def _rounded(values: pd.Series, digits: pd.Series) -> pd.Series:
    """Each value rounded to its row's ``digits`` (as it is where they are NA): one
    vectorised rounding per number of digits, not a Python loop over a national table."""
    out = values.astype("Float64").copy()
    for d in pd.unique(digits.dropna()):
        at = (digits == d).fillna(False).to_numpy(dtype=bool)
        out[at] = out[at].round(int(d))
    return out


def _same_precision(out: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """The shown rates, the computed one of a pair rounded as the published one is written.

    A file writes 94,59%; the sum of a merged commune's parts the year before is 94,5946%:
    compared as they are, rounding alone would show as a change of −0,0046 points.
    """
    shown, prev = out["shown_rate"].astype("Float64"), out["shown_rate_prev"].astype("Float64")
    published = out["reported_rate"].notna().to_numpy()
    published_prev = out["reported_prev"].notna().to_numpy()
    # Only the rows of a mixed pair are rounded: a few, looked at alone (a national table's
    # million rows took 0,4 s).
    for values, written, mixed in (
        (prev, out["reported_rate"], published & ~published_prev),
        (shown, out["reported_prev"], published_prev & ~published),
    ):
        at = np.flatnonzero(mixed)
        if len(at):
            part = values.iloc[at]
            values.iloc[at] = _rounded(part, _published_decimals(written.iloc[at])).array
    return shown, prev


def _names(change: Change) -> list[str]:
    from antq import registry

    return [registry.unit(u).name for u, _ in change.origins]
