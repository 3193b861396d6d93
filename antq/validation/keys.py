"""Integer codes of the table's columns, computed once per column and shared by the rules.

At national scale (a million rows) every rule groups rows by a few text columns
(the unit of a row, its series across years, its table). Factorising a text
column costs tens of milliseconds, a merge on text columns seconds; the rules
instead work on integer codes, and the codes of one column (or one combination
of columns) are computed once for all the rules that ask: the cache is keyed by
the identity of the column's data and forgets it when the data is freed.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["codes", "group_codes", "mapped", "neighbours", "shared_codes"]

#: id of a column's data → (a weak reference to it, its codes, its distinct values).
_CODES: dict[int, tuple[weakref.ref[Any], np.ndarray, Any]] = {}
#: ids of several columns' data → their combined codes and the number of groups.
_GROUPS: dict[tuple[int, ...], tuple[tuple[weakref.ref[Any], ...], np.ndarray, int]] = {}


#: Combined codes stay below this bound (64-bit integers).
_LIMIT = 2**62


def _data(s: pd.Series) -> object | None:
    """The Arrow data of a column (text), or None: not cached.

    Arrow data is immutable (setting a value gives the column new data), so codes
    cached by its identity cannot go stale; NumPy-backed columns can be changed in
    place and are factorised each time (numbers are cheap to factorise anyway).
    """
    return getattr(s.array, "_pa_array", None)


def _factorize(s: pd.Series) -> tuple[np.ndarray, int]:
    values, uniques = _factorize_values(s)
    return values, len(uniques)


def _factorize_values(s: pd.Series) -> tuple[np.ndarray, Any]:
    values, uniques = pd.factorize(s, use_na_sentinel=False)
    return values.astype(np.int64, copy=False), uniques


def _cached(s: pd.Series) -> tuple[np.ndarray, Any]:
    """Codes and distinct values of a column, from the cache when its data is known."""
    data = _data(s)
    if data is None:
        return _factorize_values(s)
    key = id(data)
    hit = _CODES.get(key)
    if hit is not None and hit[0]() is data and len(hit[1]) == len(s):
        return hit[1], hit[2]
    values, uniques = _factorize_values(s)
    try:
        ref = weakref.ref(data, _forget(_CODES, key))
    except TypeError:
        return values, uniques
    _CODES[key] = (ref, values, uniques)
    return values, uniques


def codes(s: pd.Series) -> tuple[np.ndarray, int]:
    """``(codes, n)``: an integer per row (0 … n−1; equal values, and NA, share one).

    Examples
    --------
    >>> c, n = codes(pd.Series(["b", "a", "b", None], dtype="string"))
    >>> c.tolist(), n
    ([0, 1, 0, 2], 3)
    """
    values, uniques = _cached(s)
    return values, len(uniques)


def mapped(s: pd.Series, mapping: Mapping[Any, Any], default: object = None) -> np.ndarray:
    """``mapping`` applied to each value of ``s`` (``default`` where it has none), looked up
    once per distinct value.

    Examples
    --------
    >>> mapped(pd.Series(["a", "b", "a"]), {"a": 1.5}, np.nan).tolist()
    [1.5, nan, 1.5]
    """
    values, uniques = _cached(s)
    table: np.ndarray = np.array([mapping.get(u, default) for u in uniques] + [default])
    return table[values] if len(values) else table[:0]


def shared_codes(df: pd.DataFrame, columns: Sequence[str]) -> list[np.ndarray]:
    """Codes of several columns in one space (equal values, one code; NA −1), so that one
    column's values can be matched with another's (a row's district with a row's area).

    Examples
    --------
    >>> df = pd.DataFrame({"area": ["A", "B"], "parent": [None, "A"]}, dtype="string")
    >>> [c.tolist() for c in shared_codes(df, ["area", "parent"])]
    [[0, 1], [-1, 0]]
    """
    space: dict[object, int] = {}
    out = []
    for c in columns:
        values, uniques = _cached(df[c])
        remap = np.array(
            [-1 if pd.isna(u) else space.setdefault(u, len(space)) for u in uniques] + [-1],
            dtype=np.int64,
        )
        out.append(remap[values])
    return out


def group_codes(df: pd.DataFrame, columns: Sequence[str]) -> tuple[np.ndarray, int]:
    """``(codes, n)``: one integer per distinct combination of ``columns`` (NA a value).

    Examples
    --------
    >>> df = pd.DataFrame({"a": ["x", "x", "y"], "b": [1, 2, 1]})
    >>> group_codes(df, ["a", "b"])[0].tolist()
    [0, 1, 2]
    """
    datas = [_data(df[c]) for c in columns]
    key = tuple(id(d) for d in datas)
    hit = _GROUPS.get(key)
    if hit is not None and all(r() is d for r, d in zip(hit[0], datas, strict=True)):
        if len(hit[1]) == len(df):
            return hit[1], hit[2]
    combined = np.zeros(len(df), dtype=np.int64)
    bound = 1
    for c in columns:
        values, n = codes(df[c])
        if bound * (n + 1) >= _LIMIT:  # keep the combination within 64 bits
            combined, bound = _factorize(pd.Series(combined, copy=False))
        combined = combined * (n + 1) + values
        bound *= n + 1
    result = _factorize(pd.Series(combined, copy=False)) if len(columns) else (combined, 1)
    if all(d is not None for d in datas):
        _GROUPS[key] = (tuple(weakref.ref(d, _forget(_GROUPS, key)) for d in datas), *result)
    return result


def _forget(cache: dict[Any, Any], key: object) -> Any:
    """A weak reference's callback dropping ``key`` from ``cache`` once the data is freed."""

    def drop(_ref: object) -> None:
        cache.pop(key, None)

    return drop


def neighbours(series: np.ndarray, year: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row, the position of the row of the same series one year before and one year
    after (−1 where there is none; of several such rows, the first).

    Examples
    --------
    >>> prev, nxt = neighbours(np.array([0, 0, 1, 0]), np.array([2020, 2021, 2021, 2023]))
    >>> prev.tolist(), nxt.tolist()
    ([-1, 0, -1, -1], [1, -1, -1, -1])
    """
    n = len(series)
    if n == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    y = year.astype(np.int64)
    span = int(y.max() - y.min()) + 3
    key = series.astype(np.int64) * span + (y - y.min() + 1)
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    out = []
    for step in (-1, 1):
        want = key + step
        at = np.searchsorted(sorted_key, want, side="left")
        found = at < n
        found[found] = sorted_key[at[found]] == want[found]
        out.append(np.where(found, order[np.minimum(at, n - 1)], -1))
    return out[0], out[1]
