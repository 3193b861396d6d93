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

import pandas as pd

from antq.cells import MAX_FILE_BYTES
from antq.findings import Finding, findings_frame, read_finding
from antq.numbers import format_decimal, format_int, format_pct, shown_decimals
from antq.reader import read
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
    rated = df.dropna(subset=["reported_rate"])
    for _, row in rated.iterrows():
        r = float(row["reported_rate"])
        src = _src(row, "rate_source")
        if r > 1 + RATE_EPS:
            out.append(
                _finding(
                    "error",
                    "rate.above_100",
                    row,
                    src,
                    _msg("rate.above_100", lang, r=format_pct(r, lang)),
                    "<= 100%",
                    format_pct(r, lang),
                )
            )
            continue
        a, t = row["achieved"], row["total"]
        if pd.isna(a) or r <= 0:
            continue
        a = int(a)
        if not pd.isna(t) and int(t) > 0:
            t = int(t)
            computed = a / t
            if rate_consistent(a, t, r):
                continue
            if computed > 0 and abs(computed / r - SCALE_FACTOR) < SCALE_FACTOR * 0.05:
                out.append(
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
                )
                continue
            implied = format_int(round(a / r), lang)
            out.append(
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
            )
        elif pd.isna(t):
            fits, implied = _whole_totals(a, r)
            if fits:
                continue
            near = sorted(
                range(max(a, implied - NEAREST), implied + NEAREST + 1),
                key=lambda n: abs(a / n - r),
            )[:NEAREST]
            near_text = ", ".join(
                f"{format_int(n, lang)} ({format_pct(a / n, lang, shown_decimals(r))})"
                for n in sorted(near)
            )
            out.append(
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
            )
    return out


def _table_of(df: pd.DataFrame) -> pd.Series:
    if "table" in df.columns:
        return df["table"].astype("string")
    return df["source"].str.rsplit("!", n=1).str[0]


@rule("sum")
def _rule_sums(df: pd.DataFrame, lang: str) -> list[Finding]:
    out = []
    work = df.assign(_table=_table_of(df), _lvl=df["level"].map(LEVELS.index))
    for (_tbl, _year, _ind), grp in work.groupby(["_table", "year", "indicator"], sort=False):
        top = grp["_lvl"].min()
        parents = grp[grp["_lvl"] == top]
        children = grp[grp["_lvl"] == top + 1]
        if len(parents) != 1 or children.empty:
            continue
        parent = parents.iloc[0]
        for col, src_col in (("achieved", "source"), ("total", "total_source")):
            if pd.isna(parent[col]) or children[col].isna().all():
                continue
            expected = int(children[col].sum())
            if expected != int(parent[col]):
                level_word = {
                    "vi": {"district": "huyện", "commune": "xã", "province": "tỉnh"},
                    "en": {"district": "district", "commune": "commune", "province": "province"},
                }[lang][str(children.iloc[0]["level"])]
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
                            level=level_word,
                        ),
                        expected,
                        int(parent[col]),
                    )
                )
    return out


@rule("denominator")
def _rule_denominators(df: pd.DataFrame, lang: str) -> list[Finding]:
    out = []
    units = {code: ind.unit for code, ind in indicators().items()}
    work = df.assign(_unit=df["indicator"].map(units))
    for (year, area, _level, unit), grp in work.groupby(
        ["year", "area", "level", "_unit"], sort=False
    ):
        totals = grp.dropna(subset=["total"])
        distinct = sorted(set(int(t) for t in totals["total"]))
        unit_word = _UNIT_WORDS[lang][str(unit)]
        if len(distinct) > 1:
            values = ", ".join(
                f"{format_int(int(r['total']), lang)} ({r['indicator']})"
                for _, r in totals.iterrows()
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
                        unit=unit_word,
                        area=area,
                        year=year,
                        values=values,
                    ),
                    "one total",
                    values,
                )
            )
        if len(distinct) == 1:
            t = distinct[0]
            no_total = grp[
                grp["total"].isna() & grp["reported_rate"].notna() & grp["achieved"].notna()
            ]
            for _, row in no_total.iterrows():
                a, r = int(row["achieved"]), float(row["reported_rate"])
                if r > 0 and not rate_consistent(a, t, r):
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
                                unit=unit_word,
                                t=format_int(t, lang),
                            ),
                            format_int(t, lang),
                            format_int(round(a / r), lang),
                        )
                    )
    return out


def _by_series(df: pd.DataFrame) -> pd.core.groupby.DataFrameGroupBy:
    return df.sort_values("year").groupby(["area", "level", "indicator"], sort=False)


@rule("denominator.jump")
def _rule_jumps(df: pd.DataFrame, lang: str) -> list[Finding]:
    out = []
    for (_a, _l, ind), grp in _by_series(df.dropna(subset=["total"])):
        limit = DENOMINATOR_JUMP[indicators()[str(ind)].unit]
        prev = None
        for _, row in grp.iterrows():
            if prev is not None and prev["year"] == row["year"] - 1 and int(prev["total"]) > 0:
                change = int(row["total"]) / int(prev["total"]) - 1
                if abs(change) > limit + RATE_EPS:
                    text = (
                        ("+" if change > 0 else "−")
                        + format_decimal(abs(change) * 100, 1, lang)
                        + "%"
                    )
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
                                prev=int(prev["year"]),
                                before=format_int(int(prev["total"]), lang),
                                after=format_int(int(row["total"]), lang),
                            ),
                            f"within ±{limit:.0%}",
                            text,
                        )
                    )
            prev = row
    return out


@rule("history.spike")
def _rule_spikes(df: pd.DataFrame, lang: str) -> list[Finding]:
    out = []
    for _, grp in _by_series(df):
        rows = {int(r["year"]): r for _, r in grp.iterrows()}
        for y, row in rows.items():
            before, after = rows.get(y - 1), rows.get(y + 1)
            if before is None or after is None:
                continue
            rate = (row["rate"], before["rate"], after["rate"])
            if not any(pd.isna(v) for v in rate):
                d1, d2 = (rate[0] - rate[1]) * 100, (rate[0] - rate[2]) * 100
                if min(abs(d1), abs(d2)) > SPIKE_PP and d1 * d2 > 0:
                    out.append(
                        _spike(row, "rate", [format_pct(float(v), lang, 2) for v in rate], y, lang)
                    )
                    continue
            cnt = (row["achieved"], before["achieved"], after["achieved"])
            if any(pd.isna(v) or v <= 0 for v in cnt):
                continue
            r1, r2 = cnt[0] / cnt[1], cnt[0] / cnt[2]
            if (r1 > SPIKE_RATIO and r2 > SPIKE_RATIO) or (
                r1 < 1 / SPIKE_RATIO and r2 < 1 / SPIKE_RATIO
            ):
                out.append(_spike(row, "count", [format_int(int(v), lang) for v in cnt], y, lang))
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
    out = []
    for level, grp in df.groupby("level", sort=False):
        years = sorted(set(int(y) for y in grp["year"]))
        if len(years) < 2:
            continue
        for area, agrp in grp.groupby("area", sort=False):
            have = sorted(set(int(y) for y in agrp["year"]))
            missing = [y for y in years if y not in have]
            if not missing:
                continue
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
    unreadable = [
        read_finding("error", "read.unreadable", name, reason=message)
        for name, message in result.failed.items()
    ]
    read_findings = findings_frame(unreadable + result.findings, lang)
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
