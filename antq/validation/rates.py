"""Written rates against their counts: mismatches, impossible rates, the wrong scale."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from antq.findings import Count, Finding, Pct, Word
from antq.numbers import format_int, format_pct, shown_decimals
from antq.types import Lang
from antq.validation.engine import RATE_EPS, row_finding, rule

__all__ = ["NEAREST", "SCALE_FACTOR", "SCALE_SLACK", "consistent", "rate_consistent"]

#: A published rate about 100 times smaller than achieved / total was typed on the wrong scale.
SCALE_FACTOR: float = 100.0
#: How far from exactly :data:`SCALE_FACTOR` times the ratio may be (a fraction of it).
SCALE_SLACK: float = 0.05
#: How many whole totals around the implied one ``rate.no_whole_total`` reports.
NEAREST: int = 2


def rate_consistent(achieved: int, total: int, reported: float) -> bool:
    """True when ``reported`` is achieved / total rounded or cut to the digits it shows.

    Examples
    --------
    >>> rate_consistent(223, 229, 0.9737)   # 97,379…% cut to 97,37%
    True
    >>> rate_consistent(3321, 3462, 0.9475)
    False
    """
    if total <= 0:
        return False
    d = shown_decimals(reported)
    pct = achieved / total * 100
    shown = reported * 100
    rounded = round(pct, d)
    cut = math.floor(pct * 10**d + RATE_EPS) / 10**d
    return abs(rounded - shown) < 10**-d / 2 - RATE_EPS or abs(cut - shown) < RATE_EPS * 10


def consistent(a: np.ndarray, t: np.ndarray, r: np.ndarray) -> np.ndarray:
    """:func:`rate_consistent` over arrays (achieved, total, reported), at numpy speed.

    Examples
    --------
    >>> consistent(np.array([223, 3321]), np.array([229, 3462]), np.array([0.9737, 0.9475]))
    array([ True, False])
    """
    a = np.asarray(a, dtype=float)
    t = np.asarray(t, dtype=float)
    shown = np.asarray(r, dtype=float) * 100
    d = np.full(shown.shape, 4.0)
    for k in range(4, -1, -1):  # the fewest decimals that write the rate exactly
        d = np.where(np.abs(np.round(shown, k) - shown) < 1e-9, k, d)
    scale = 10.0**d
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = a / t * 100
        rounded = np.round(pct * scale) / scale
        cut = np.floor(pct * scale + RATE_EPS) / scale
        ok = (np.abs(rounded - shown) < 10.0**-d / 2 - RATE_EPS) | (
            np.abs(cut - shown) < RATE_EPS * 10
        )
    return ok & (t > 0)


def whole_totals(achieved: int, reported: float) -> tuple[list[int], int]:
    """Totals that give ``reported`` with ``achieved``, and the implied total.

    Examples
    --------
    >>> whole_totals(595, 0.9725)
    ([], 612)
    >>> whole_totals(223, 0.9737)[0]
    [229]
    """
    implied = round(achieved / reported) if reported > 0 else 0
    span = max(3, int(implied * 0.01) + 2)
    fits = [
        t
        for t in range(max(achieved, 1, implied - span), implied + span + 1)
        if rate_consistent(achieved, t, reported)
    ]
    return fits, implied


def rates(df: pd.DataFrame) -> list[Finding]:
    out: list[Finding] = []
    # Arrays of the three columns only; whole rows are taken for the flagged few.
    has_rate = df["reported_rate"].notna().to_numpy()
    if not has_rate.any():
        return out
    r = df["reported_rate"].to_numpy(dtype=float, na_value=np.nan)[has_rate]
    a = df["achieved"].to_numpy(dtype=float, na_value=np.nan)[has_rate]
    t = df["total"].to_numpy(dtype=float, na_value=np.nan)[has_rate]
    has_total = ~np.isnan(t) & (t > 0)
    above = r > 1 + RATE_EPS
    fine = has_total & consistent(np.nan_to_num(a), t, r)
    # Without a total, a rate is fine when the implied whole total (or a neighbour) gives it.
    with np.errstate(divide="ignore", invalid="ignore"):
        implied = np.round(a / r)
    no_total = np.flatnonzero(np.isnan(t))
    near_fit = np.zeros(len(no_total), dtype=bool)
    for delta in (-2, -1, 0, 1, 2):
        near_fit |= consistent(np.nan_to_num(a[no_total]), implied[no_total] + delta, r[no_total])
    fine[no_total] |= near_fit
    check = above | (~fine & ~np.isnan(a) & (r > 0) & (has_total | np.isnan(t)))
    rows = df.iloc[np.flatnonzero(has_rate)[check]]
    for (_, row), is_above in zip(rows.iterrows(), above[check], strict=True):
        out.extend(_rate_findings(row, bool(is_above)))
    # A rate written over a total of zero (0/0 has none) would be shown as if earned.
    # With units achieved, count.total_zero already says the total is what is wrong.
    with np.errstate(invalid="ignore"):
        over_zero = (t == 0) & (r > 0) & ~above & ~(a > 0)
    for _, row in df.iloc[np.flatnonzero(has_rate)[over_zero]].iterrows():
        shown = Pct(float(row["reported_rate"]))
        out.append(
            row_finding(
                "rate.zero_total",
                row,
                "rate_source",
                r=shown,
                expected=Word("expected.no_rate"),
                found=shown,
            )
        )
    return out


rule("rate")(rates)


def _rate_findings(row: pd.Series, is_above: bool) -> list[Finding]:
    r = float(row["reported_rate"])
    shown = Pct(r)
    if is_above:
        return [
            row_finding(
                "rate.above_100", row, "rate_source", r=shown, expected="<= 100%", found=shown
            )
        ]
    a, t = int(row["achieved"]), row["total"]
    if not pd.isna(t):
        t = int(t)
        computed = Pct(a / t, 2)
        code = "rate.mismatch"
        if a / t > 0 and abs(a / t / r - SCALE_FACTOR) < SCALE_FACTOR * SCALE_SLACK:
            code = "rate.wrong_scale"
        return [
            row_finding(
                code,
                row,
                "rate_source",
                r=shown,
                a=Count(a),
                t=Count(t),
                c=computed,
                implied=Count(round(a / r)),
                expected=computed,
                found=shown,
            )
        ]
    fits, implied = whole_totals(a, r)
    if fits:
        return []
    near = sorted(
        range(max(a, 1, implied - NEAREST), implied + NEAREST + 1), key=lambda n: abs(a / n - r)
    )[:NEAREST]
    nearest = _Nearest(tuple(sorted(near)), a, shown_decimals(r))
    return [
        row_finding(
            "rate.no_whole_total",
            row,
            "rate_source",
            a=Count(a),
            r=shown,
            nearest=nearest,
            expected=nearest,
            found=shown,
        )
    ]


class _Nearest:
    """ "611 (97,38%), 612 (97,22%)": whole totals near the implied one, with their rates."""

    def __init__(self, totals: tuple[int, ...], achieved: int, decimals: int) -> None:
        self.totals, self.achieved, self.decimals = totals, achieved, decimals

    def render(self, lang: Lang) -> str:
        return ", ".join(
            f"{format_int(n, lang)} ({format_pct(self.achieved / n, lang, self.decimals)})"
            for n in self.totals
        )
