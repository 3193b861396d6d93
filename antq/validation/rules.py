"""Stage 5: validation findings over the tidy table.

Each rule is a small function registered in :data:`RULES`; each tolerance
is a named constant below. A rule returns :class:`~antq.findings.Finding`
objects that point at the cell a clerk should look at.

Adding a rule: write ``def _rule_x(df, lang) -> list[Finding]``, decorate it
with ``@rule("code.name")``, add its messages to ``MESSAGES`` in both
languages, and give it a test that triggers it and a near miss that must not.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd

from antq.findings import Finding, findings_frame
from antq.numbers import format_decimal, format_int, format_pct, shown_decimals
from antq.reading.cells import MAX_FILE_BYTES
from antq.reading.reader import read
from antq.schema import KEY, TIDY_COLUMNS, check_tidy
from antq.vocab import LEVELS, indicators

__all__ = [
    "DENOMINATOR_JUMP",
    "PROBLEM_SEVERITIES",
    "RATE_EPS",
    "RULES",
    "SCALE_FACTOR",
    "SPIKE_PP",
    "SPIKE_RATIO",
    "check",
    "rate_consistent",
    "validate",
]

#: Float slack when comparing a rate with the digits shown.
RATE_EPS: float = 1e-9
#: A denominator changing by more than this fraction from one year to the next is
#: flagged, by unit: residential areas and communes change only when boundaries
#: do; enterprises open and close every year.
DENOMINATOR_JUMP: dict[str, float] = {
    "residential_area": 0.05,
    "commune": 0.05,
    "household": 0.10,
    "agency": 0.10,
    "school": 0.10,
    "enterprise": 0.25,
}
#: A rate that jumps away from both neighbouring years by more than this (percentage points).
SPIKE_PP: float = 10.0
#: A count that is this many times above (or below) both neighbouring years.
SPIKE_RATIO: float = 1.5
#: A published rate about 100 times smaller than achieved / total was typed on the wrong scale.
SCALE_FACTOR: float = 100.0
#: How many whole totals around the implied one rule 3 reports.
NEAREST: int = 2

Rule = Callable[[pd.DataFrame, str], list[Finding]]
RULES: dict[str, Rule] = {}


def rule(code: str) -> Callable[[Rule], Rule]:
    """Register a validation rule under a stable code."""

    def deco(fn: Rule) -> Rule:
        RULES[code] = fn
        return fn

    return deco


MESSAGES: dict[str, dict[str, str]] = {
    "count.negative": {
        "vi": "Số {what} âm ({found}); số lượng phải từ 0 trở lên.",
        "en": "The {what} count is negative ({found}); counts must be 0 or more.",
    },
    "count.achieved_above_total": {
        "vi": "Số đạt ({a}) lớn hơn tổng số ({t}); kiểm tra lại một trong hai ô.",
        "en": "Achieved ({a}) is above the total ({t}); check one of the two cells.",
    },
    "count.total_zero": {
        "vi": "Có {a} đơn vị đạt nhưng tổng số bằng 0; điền tổng số đúng.",
        "en": "{a} units achieved but the total is 0; enter the right total.",
    },
    "rate.mismatch": {
        "vi": "Tỷ lệ ghi trong báo cáo ({r}) không khớp với {a}/{t} = {c}; "
        "tỷ lệ {r} ứng với tổng số khoảng {implied}.",
        "en": "The reported rate ({r}) does not match {a}/{t} = {c}; "
        "{r} implies a total of about {implied}.",
    },
    "rate.no_whole_total": {
        "vi": "Không có tổng số nguyên nào cho {a} đạt với tỷ lệ {r}: gần nhất là {nearest}; "
        "kiểm tra lại số đạt hoặc tỷ lệ.",
        "en": "No whole-number total gives {a} achieved at {r}: the nearest are {nearest}; "
        "check the count or the rate.",
    },
    "rate.above_100": {
        "vi": "Tỷ lệ {r} vượt quá 100%.",
        "en": "The rate {r} is above 100%.",
    },
    "rate.wrong_scale": {
        "vi": "Tỷ lệ ghi {r} nhỏ hơn khoảng 100 lần so với {a}/{t} = {c}: "
        "có thể đã nhập dạng thập phân vào cột phần trăm.",
        "en": "The reported rate {r} is about 100 times smaller than {a}/{t} = {c}: "
        "probably a fraction typed into a percent column.",
    },
    "sum.mismatch": {
        "vi": "Dòng tổng ghi {what} = {found} nhưng cộng các dòng {level} được {expected}.",
        "en": "The total row gives {what} = {found} but the {level} rows add up to {expected}.",
    },
    "denominator.inconsistent": {
        "vi": "Tổng số {unit} của {area} năm {year} khác nhau giữa các chỉ tiêu: {values}.",
        "en": "The number of {unit} of {area} in {year} differs between indicators: {values}.",
    },
    "denominator.implied": {
        "vi": "Tỷ lệ {r} của {a} đạt ứng với tổng số khoảng {implied}, "
        "nhưng tổng số {unit} ghi ở chỉ tiêu khác là {t}.",
        "en": "The rate {r} with {a} achieved implies a total of about {implied}, "
        "but the number of {unit} given for another indicator is {t}.",
    },
    "denominator.jump": {
        "vi": "Tổng số thay đổi {change} so với năm {prev} ({before} → {after}): "
        "nhập sai hoặc thay đổi địa giới?",
        "en": "The total changed by {change} since {prev} ({before} → {after}): "
        "a typo or a boundary change?",
    },
    "history.spike": {
        "vi": "{what} năm {year} ({found}) lệch hẳn so với cả năm {prev} ({before}) "
        "và năm {next} ({after}); kiểm tra lại.",
        "en": "{what} in {year} ({found}) stands apart from both {prev} ({before}) "
        "and {next} ({after}); check it.",
    },
    "coverage.missing_area": {
        "vi": "{area} có số liệu các năm {present} nhưng thiếu năm {missing}.",
        "en": "{area} has data for {present} but none for {missing}.",
    },
    "duplicate.conflict": {
        "vi": "{area}, {indicator}, năm {year} được đọc hai lần với giá trị khác nhau: "
        "{first} tại {s1} và {second} tại {s2}.",
        "en": "{area}, {indicator}, {year} is read twice with different values: "
        "{first} at {s1} and {second} at {s2}.",
    },
}

_UNIT_WORDS = {
    "vi": {
        "residential_area": "khu dân cư",
        "household": "hộ",
        "commune": "xã, phường, thị trấn",
        "agency": "cơ quan",
        "enterprise": "doanh nghiệp",
        "school": "nhà trường",
    },
    "en": {
        "residential_area": "residential areas",
        "household": "households",
        "commune": "communes",
        "agency": "agencies",
        "enterprise": "enterprises",
        "school": "schools",
    },
}
_WHAT = {
    "vi": {"achieved": "đạt", "total": "tổng số", "rate": "Tỷ lệ", "count": "Số đạt"},
    "en": {"achieved": "achieved", "total": "total", "rate": "The rate", "count": "The count"},
}


def _msg(code: str, lang: str, **kw: object) -> str:
    return MESSAGES[code][lang].format(**kw)


def _finding(
    severity: str,
    code: str,
    row: pd.Series,
    source: object,
    message: str,
    expected: object,
    found: object,
) -> Finding:
    return Finding(
        severity=severity,
        rule=code,
        source=str(source) if source is not None and not pd.isna(source) else str(row["source"]),
        message=message,
        expected=str(expected),
        found=str(found),
        year=int(row["year"]),
        area=str(row["area"]),
        level=str(row["level"]),
        indicator=str(row["indicator"]),
    )


def _src(row: pd.Series, col: str) -> object:
    return row[col] if col in row.index else None


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


def _consistent(a: np.ndarray, t: np.ndarray, r: np.ndarray) -> np.ndarray:
    """:func:`rate_consistent` over arrays (achieved, total, reported), at numpy speed."""
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


def _whole_totals(achieved: int, reported: float) -> tuple[list[int], int]:
    """Totals that give ``reported`` with ``achieved``, and the implied total."""
    implied = round(achieved / reported) if reported > 0 else 0
    span = max(3, int(implied * 0.01) + 2)
    fits = [
        t
        for t in range(max(achieved, 1, implied - span), implied + span + 1)
        if rate_consistent(achieved, t, reported)
    ]
    return fits, implied


@rule("count")
def _rule_counts(df: pd.DataFrame, lang: str) -> list[Finding]:
    out = []
    for col in ("achieved", "total"):
        bad = df[df[col].fillna(0) < 0]
        for _, row in bad.iterrows():
            src = row["source"] if col == "achieved" else _src(row, "total_source")
            out.append(
                _finding(
                    "error",
                    "count.negative",
                    row,
                    src,
                    _msg("count.negative", lang, what=_WHAT[lang][col], found=row[col]),
                    ">= 0",
                    row[col],
                )
            )
    both = df.dropna(subset=["achieved", "total"])
    for _, row in both[(both["achieved"] > both["total"]) & (both["total"] > 0)].iterrows():
        out.append(
            _finding(
                "error",
                "count.achieved_above_total",
                row,
                row["source"],
                _msg("count.achieved_above_total", lang, a=row["achieved"], t=row["total"]),
                f"<= {row['total']}",
                row["achieved"],
            )
        )
    for _, row in both[(both["total"] == 0) & (both["achieved"] > 0)].iterrows():
        out.append(
            _finding(
                "error",
                "count.total_zero",
                row,
                _src(row, "total_source"),
                _msg("count.total_zero", lang, a=row["achieved"]),
                f">= {row['achieved']}",
                0,
            )
        )
    return out


@rule("rate")
def _rule_rates(df: pd.DataFrame, lang: str) -> list[Finding]:
    out = []
    # Arrays of the three columns only; whole rows are taken for the flagged few.
    has_rate = df["reported_rate"].notna().to_numpy()
    if not has_rate.any():
        return out
    r = df["reported_rate"].to_numpy(dtype=float, na_value=np.nan)[has_rate]
    a = df["achieved"].to_numpy(dtype=float, na_value=np.nan)[has_rate]
    t = df["total"].to_numpy(dtype=float, na_value=np.nan)[has_rate]
    has_total = ~np.isnan(t) & (t > 0)
    above = r > 1 + RATE_EPS
    fine = has_total & _consistent(np.nan_to_num(a), t, r)
    # Without a total, a rate is fine when the implied whole total (or a neighbour) gives it.
    with np.errstate(divide="ignore", invalid="ignore"):
        implied = np.round(a / r)
    near_fit = np.zeros(len(r), dtype=bool)
    for delta in (-2, -1, 0, 1, 2):
        near_fit |= _consistent(np.nan_to_num(a), implied + delta, r)
    fine |= np.isnan(t) & near_fit
    check = above | (~fine & ~np.isnan(a) & (r > 0) & (has_total | np.isnan(t)))
    rows = df.iloc[np.flatnonzero(has_rate)[check]]
    for (_, row), is_above in zip(rows.iterrows(), above[check], strict=True):
        out.extend(_rate_findings(row, bool(is_above), lang))
    return out


def _rate_findings(row: pd.Series, is_above: bool, lang: str) -> list[Finding]:
    r = float(row["reported_rate"])
    src = _src(row, "rate_source")
    if is_above:
        return [
            _finding(
                "error",
                "rate.above_100",
                row,
                src,
                _msg("rate.above_100", lang, r=format_pct(r, lang)),
                "<= 100%",
                format_pct(r, lang),
            )
        ]
    a, t = int(row["achieved"]), row["total"]
    if not pd.isna(t):
        t = int(t)
        computed = a / t
        if computed > 0 and abs(computed / r - SCALE_FACTOR) < SCALE_FACTOR * 0.05:
            return [
                _finding(
                    "warning",
                    "rate.wrong_scale",
                    row,
                    src,
                    _msg(
                        "rate.wrong_scale",
                        lang,
                        r=format_pct(r, lang),
                        a=format_int(a, lang),
                        t=format_int(t, lang),
                        c=format_pct(computed, lang, 2),
                    ),
                    format_pct(computed, lang, 2),
                    format_pct(r, lang),
                )
            ]
        implied = format_int(round(a / r), lang)
        return [
            _finding(
                "warning",
                "rate.mismatch",
                row,
                src,
                _msg(
                    "rate.mismatch",
                    lang,
                    r=format_pct(r, lang),
                    a=format_int(a, lang),
                    t=format_int(t, lang),
                    c=format_pct(computed, lang, 2),
                    implied=implied,
                ),
                format_pct(computed, lang, 2),
                format_pct(r, lang),
            )
        ]
    fits, implied = _whole_totals(a, r)
    if fits:
        return []
    near = sorted(
        range(max(a, implied - NEAREST), implied + NEAREST + 1), key=lambda n: abs(a / n - r)
    )[:NEAREST]
    near_text = ", ".join(
        f"{format_int(n, lang)} ({format_pct(a / n, lang, shown_decimals(r))})"
        for n in sorted(near)
    )
    return [
        _finding(
            "warning",
            "rate.no_whole_total",
            row,
            src,
            _msg(
                "rate.no_whole_total",
                lang,
                a=format_int(a, lang),
                r=format_pct(r, lang),
                nearest=near_text,
            ),
            near_text,
            format_pct(r, lang),
        )
    ]


def _table_of(df: pd.DataFrame) -> pd.Series:
    if "table" in df.columns:
        return df["table"].astype("string")
    return df["source"].str.rsplit("!", n=1).str[0]


_LEVEL_WORD = {
    "vi": {"district": "huyện", "commune": "xã", "province": "tỉnh"},
    "en": {"district": "district", "commune": "commune", "province": "province"},
}


@rule("sum")
def _rule_sums(df: pd.DataFrame, lang: str) -> list[Finding]:
    out: list[Finding] = []
    keys = ["_table", "year", "indicator"]
    work = df.assign(_table=_table_of(df), _lvl=df["level"].map(LEVELS.index).astype(int))
    top = work.groupby(keys, sort=False)["_lvl"].transform("min")
    n_top = work.assign(_top=work["_lvl"] == top).groupby(keys, sort=False)["_top"].transform("sum")
    parents = work[(work["_lvl"] == top) & (n_top == 1)]
    children = work[work["_lvl"] == top + 1]
    if parents.empty or children.empty:
        return out
    grouped = children.groupby(keys, sort=False)[["achieved", "total"]]
    sums = grouped.sum(min_count=1).add_suffix("_sum").reset_index()
    counts = grouped.count().add_suffix("_n").reset_index()
    joined = parents.merge(sums, on=keys, how="left").merge(counts, on=keys, how="left")
    for col, src_col in (("achieved", "source"), ("total", "total_source")):
        bad = joined[
            joined[col].notna()
            & (joined[f"{col}_n"].fillna(0) > 0)
            & (joined[f"{col}_sum"] != joined[col]).fillna(False)
        ]
        for _, parent in bad.iterrows():
            expected = int(parent[f"{col}_sum"])
            child_level = LEVELS[int(parent["_lvl"]) + 1]
            out.append(
                _finding(
                    "error",
                    "sum.mismatch",
                    parent,
                    _src(parent, src_col),
                    _msg(
                        "sum.mismatch",
                        lang,
                        what=_WHAT[lang][col],
                        found=format_int(int(parent[col]), lang),
                        expected=format_int(expected, lang),
                        level=_LEVEL_WORD[lang][child_level],
                    ),
                    expected,
                    int(parent[col]),
                )
            )
    return out


@rule("denominator")
def _rule_denominators(df: pd.DataFrame, lang: str) -> list[Finding]:
    out: list[Finding] = []
    units = {code: ind.unit for code, ind in indicators().items()}
    keys = ["year", "area", "level", "_unit"]
    work = df.assign(_unit=df["indicator"].map(units))
    n_totals = work.groupby(keys, sort=False)["total"].transform("nunique")
    for (year, area, _level, unit), grp in work[n_totals > 1].groupby(keys, sort=False):
        totals = grp.dropna(subset=["total"])
        values = ", ".join(
            f"{format_int(int(t), lang)} ({ind})"
            for t, ind in zip(totals["total"], totals["indicator"], strict=True)
        )
        row = totals.iloc[0]
        out.append(
            _finding(
                "warning",
                "denominator.inconsistent",
                row,
                _src(row, "total_source"),
                _msg(
                    "denominator.inconsistent",
                    lang,
                    unit=_UNIT_WORDS[lang][str(unit)],
                    area=area,
                    year=year,
                    values=values,
                ),
                "one total",
                values,
            )
        )
    # A rate with no total must fit the one denominator its unit has on that row.
    shared = work.groupby(keys, sort=False)["total"].transform("max")
    cand = work[
        (n_totals == 1)
        & work["total"].isna()
        & work["reported_rate"].notna()
        & work["achieved"].notna()
    ]
    if cand.empty:
        return out
    t = shared[cand.index].to_numpy(dtype=float)
    fits = _consistent(
        cand["achieved"].to_numpy(dtype=float), t, cand["reported_rate"].to_numpy(dtype=float)
    )
    for (_, row), tt in zip(cand[~fits].iterrows(), t[~fits], strict=True):
        a, r = int(row["achieved"]), float(row["reported_rate"])
        if r <= 0:
            continue
        out.append(
            _finding(
                "warning",
                "denominator.implied",
                row,
                _src(row, "rate_source"),
                _msg(
                    "denominator.implied",
                    lang,
                    r=format_pct(r, lang),
                    a=format_int(a, lang),
                    implied=format_int(round(a / r), lang),
                    unit=_UNIT_WORDS[lang][str(row["_unit"])],
                    t=format_int(int(tt), lang),
                ),
                format_int(int(tt), lang),
                format_int(round(a / r), lang),
            )
        )
    return out


def _with_neighbours(df: pd.DataFrame, cols: list[str]) -> pd.DataFrame:
    """``cols`` of each row with its series' values of the year before (``_prev``) and after
    (``_next``), aligned with ``df``'s index.

    Only the key and value columns are merged: at national scale a merge of whole
    rows (with their sources) costs hundreds of megabytes.
    """
    keys = ["area", "level", "indicator"]
    base = df[["year", *keys, *cols]]
    prev = base.assign(year=base["year"] + 1).rename(columns={c: f"{c}_prev" for c in cols})
    nxt = base.assign(year=base["year"] - 1).rename(columns={c: f"{c}_next" for c in cols})
    out = base.merge(prev, on=["year", *keys], how="left").merge(
        nxt, on=["year", *keys], how="left"
    )
    out.index = df.index  # a left merge on unique keys keeps the left rows in order
    return out[[*cols, *(f"{c}_prev" for c in cols), *(f"{c}_next" for c in cols)]]


def _rows_with(df: pd.DataFrame, work: pd.DataFrame, mask: np.ndarray) -> pd.DataFrame:
    """The flagged rows, whole, with their neighbours' values."""
    extra = [c for c in work.columns if c.endswith(("_prev", "_next"))]
    return df[mask].join(work.loc[mask, extra])


@rule("denominator.jump")
def _rule_jumps(df: pd.DataFrame, lang: str) -> list[Finding]:
    out: list[Finding] = []
    work = _with_neighbours(df, ["total"])
    limit = (
        df["indicator"]
        .map({c: DENOMINATOR_JUMP[i.unit] for c, i in indicators().items()})
        .astype(float)
    )
    prev = work["total_prev"].astype("Float64")
    change = (work["total"].astype("Float64") / prev.where(prev > 0) - 1).astype(float)
    flagged = _rows_with(df, work, (change.abs() > limit + RATE_EPS).fillna(False).to_numpy())
    for (_, row), ch in zip(flagged.iterrows(), change[flagged.index], strict=True):
        text = ("+" if ch > 0 else "−") + format_decimal(abs(ch) * 100, 1, lang) + "%"
        lim = DENOMINATOR_JUMP[indicators()[str(row["indicator"])].unit]
        out.append(
            _finding(
                "warning",
                "denominator.jump",
                row,
                _src(row, "total_source"),
                _msg(
                    "denominator.jump",
                    lang,
                    change=text,
                    prev=int(row["year"]) - 1,
                    before=format_int(int(row["total_prev"]), lang),
                    after=format_int(int(row["total"]), lang),
                ),
                f"within ±{lim:.0%}",
                text,
            )
        )
    return out


@rule("history.spike")
def _rule_spikes(df: pd.DataFrame, lang: str) -> list[Finding]:
    out: list[Finding] = []
    work = _with_neighbours(df, ["rate", "achieved"])
    rate = work[["rate", "rate_prev", "rate_next"]].astype(float).to_numpy() * 100
    d1, d2 = rate[:, 0] - rate[:, 1], rate[:, 0] - rate[:, 2]
    rate_spike = (np.minimum(np.abs(d1), np.abs(d2)) > SPIKE_PP) & (d1 * d2 > 0)
    cnt = work[["achieved", "achieved_prev", "achieved_next"]].astype(float).to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        r1, r2 = cnt[:, 0] / cnt[:, 1], cnt[:, 0] / cnt[:, 2]
    positive = (cnt > 0).all(axis=1)
    count_spike = positive & (
        ((r1 > SPIKE_RATIO) & (r2 > SPIKE_RATIO))
        | ((r1 < 1 / SPIKE_RATIO) & (r2 < 1 / SPIKE_RATIO))
    )
    count_spike &= ~rate_spike
    for mask, what, cols in (
        (rate_spike, "rate", ["rate", "rate_prev", "rate_next"]),
        (count_spike, "count", ["achieved", "achieved_prev", "achieved_next"]),
    ):
        for _, row in _rows_with(df, work, mask).iterrows():
            values = [row[c] for c in cols]
            shown = (
                [format_pct(float(v), lang, 2) for v in values]
                if what == "rate"
                else [format_int(int(v), lang) for v in values]
            )
            out.append(_spike(row, what, shown, int(row["year"]), lang))
    return out


def _spike(row: pd.Series, what: str, shown: list[str], y: int, lang: str) -> Finding:
    src = row["source"] if what == "count" else _src(row, "rate_source")
    return _finding(
        "warning",
        "history.spike",
        row,
        src,
        _msg(
            "history.spike",
            lang,
            what=_WHAT[lang][what],
            year=y,
            found=shown[0],
            prev=y - 1,
            before=shown[1],
            next=y + 1,
            after=shown[2],
        ),
        f"{shown[1]} … {shown[2]}",
        shown[0],
    )


@rule("coverage.missing_area")
def _rule_missing_areas(df: pd.DataFrame, lang: str) -> list[Finding]:
    out: list[Finding] = []
    narrow = df[["level", "area", "year", "source"]]  # not whole rows: a national table is big
    for level, grp in narrow.groupby("level", sort=False):
        years = sorted(set(int(y) for y in grp["year"].unique()))
        if len(years) < 2:
            continue
        n_years = grp.groupby("area", sort=False)["year"].nunique()
        for area in n_years[n_years < len(years)].index:
            agrp = grp[grp["area"] == area]
            have = sorted(set(int(y) for y in agrp["year"]))
            missing = [y for y in years if y not in have]
            row = agrp.sort_values("year").iloc[-1]
            out.append(
                Finding(
                    severity="warning",
                    rule="coverage.missing_area",
                    source=str(row["source"]),
                    message=_msg(
                        "coverage.missing_area",
                        lang,
                        area=area,
                        present=", ".join(map(str, have)),
                        missing=", ".join(map(str, missing)),
                    ),
                    expected=", ".join(map(str, years)),
                    found=", ".join(map(str, have)),
                    area=str(area),
                    level=str(level),
                )
            )
    return out


@rule("duplicate.conflict")
def _rule_duplicates(df: pd.DataFrame, lang: str) -> list[Finding]:
    out = []
    dup = df[df.duplicated(list(KEY), keep=False)]
    for _, grp in dup.groupby(list(KEY), sort=False):
        first = grp.iloc[0]
        for _, other in grp.iloc[1:].iterrows():
            vals = ("achieved", "total", "reported_rate")
            if all((pd.isna(first[v]) and pd.isna(other[v])) or first[v] == other[v] for v in vals):
                continue
            out.append(
                _finding(
                    "warning",
                    "duplicate.conflict",
                    other,
                    other["source"],
                    _msg(
                        "duplicate.conflict",
                        lang,
                        area=first["area"],
                        indicator=first["indicator"],
                        year=first["year"],
                        first=first["achieved"],
                        s1=first["source"],
                        second=other["achieved"],
                        s2=other["source"],
                    ),
                    first["achieved"],
                    other["achieved"],
                )
            )
    return out


def validate(df: pd.DataFrame, *, lang: str = "vi", rules: list[str] | None = None) -> pd.DataFrame:
    """Check a tidy table and return one row per problem found.

    Parameters
    ----------
    df
        A tidy table; with ``load(detail=True)`` the findings point at the
        total and rate cells too, not only at the achieved cell.
    lang
        Language of the messages: ``"vi"`` (default) or ``"en"``.
    rules
        Codes of :data:`RULES` to run (default: all).

    Returns
    -------
    pandas.DataFrame
        ``severity, rule, year, area, level, indicator, source, message,
        expected, found``, errors first.

    Examples
    --------
    >>> import antq
    >>> f = validate(antq.load("data/raw"))
    >>> sorted(f.query("year == 2020 and level == 'province'")["rule"].unique())
    ['denominator.jump', 'rate.mismatch', 'rate.no_whole_total']
    """
    if lang not in ("vi", "en"):
        raise ValueError(f"lang must be 'vi' or 'en', not {lang!r}")
    missing = [c for c in TIDY_COLUMNS if c not in df.columns]
    if missing:
        from antq.errors import SchemaError

        raise SchemaError(f"not a tidy table: missing columns {missing}")
    findings: list[Finding] = []
    for code, fn in RULES.items():
        if rules is None or code in rules:
            findings.extend(fn(df, lang))
    # Indicators sharing one denominator cell would repeat the same finding.
    unique = list({(f.rule, f.source, f.message): f for f in findings}.values())
    return findings_frame(unique)


#: Severities that make ``antq check`` exit 1 ("info" does not).
PROBLEM_SEVERITIES: frozenset[str] = frozenset({"error", "warning"})


def check(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    lang: str = "vi",
    max_bytes: int = MAX_FILE_BYTES,
) -> pd.DataFrame:
    """Read workbooks leniently and return every problem found, read and validation alike.

    Unreadable files and cells that hold text where a number belongs are
    findings here (severity ``"error"``), not exceptions, so one bad file
    does not hide the problems of the others.

    Parameters
    ----------
    paths
        Workbooks or folders.
    lang
        Language of the validation messages.
    max_bytes
        Refuse workbooks larger than this.

    Returns
    -------
    pandas.DataFrame
        The findings table of :func:`antq.validate`.

    Examples
    --------
    >>> import antq
    >>> f = antq.check("data/raw")
    >>> f.query("rule == 'rate.no_whole_total'")["source"].tolist()
    ['BC_ANTQ_2020.xlsx!ANTT!I19']
    """
    result = read(paths, errors="coerce", max_bytes=max_bytes)

    read_findings = findings_frame(result.findings, lang)
    if result.table.empty:
        return read_findings
    check_tidy(result.table[list(TIDY_COLUMNS)])
    found = validate(result.table, lang=lang)
    both = pd.concat([read_findings, found], ignore_index=True) if len(read_findings) else found
    order = {"error": 0, "warning": 1, "info": 2}
    return (
        both.assign(_k=both["severity"].map(order))
        .sort_values(["_k", "source"], kind="stable")
        .drop(columns="_k")
        .reset_index(drop=True)
    )
