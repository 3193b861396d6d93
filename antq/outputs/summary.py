"""Stage 7: the paragraph of the annual report, in Vietnamese (or English)."""

from __future__ import annotations

import pandas as pd

from antq.errors import AntqError
from antq.numbers import format_decimal, format_int, format_pct
from antq.schema import check_tidy
from antq.vocab import indicators

__all__ = ["shown_rate", "summary"]

_CULTURAL = (
    "cultural_residential_area",
    "cultural_family",
    "residential_area_with_convention",
    "five_no_residential_area",
)
_SAFE = ("safe_residential_area", "safe_commune", "safe_agency", "safe_enterprise", "safe_school")

_WORDS = {
    "vi": {
        "opening_province": "Năm {year}, toàn tỉnh có {items}.",
        "opening_area": "Năm {year}, {area} có {items}.",
        "safe": (
            "Kết quả năm {year}, {who} công nhận {items} đạt chuẩn “An toàn về an ninh, trật tự”."
        ),
        "who_province": "UBND tỉnh đã quyết định",
        "who_area": "đã",
        "rate": "chiếm tỷ lệ {rate}",
        "up_pp": "tăng {pp} điểm phần trăm so với năm {prev}",
        "down_pp": "giảm {pp} điểm phần trăm so với năm {prev}",
        "same_pp": "không đổi so với năm {prev}",
        "up_n": "tăng {n} so với năm {prev}",
        "down_n": "giảm {n} so với năm {prev}",
        "same_n": "không đổi so với năm {prev}",
        "sep": "; ",
    },
    "en": {
        "opening_province": "In {year}, the province had {items}.",
        "opening_area": "In {year}, {area} had {items}.",
        "safe": "In {year}, {who} recognised {items} as “safe for security and order”.",
        "who_province": "the Provincial People's Committee",
        "who_area": "the authorities",
        "rate": "{rate}",
        "up_pp": "up {pp} percentage points on {prev}",
        "down_pp": "down {pp} percentage points on {prev}",
        "same_pp": "unchanged on {prev}",
        "up_n": "up {n} on {prev}",
        "down_n": "down {n} on {prev}",
        "same_n": "unchanged on {prev}",
        "sep": "; ",
    },
}


def shown_rate(row: pd.Series) -> float | None:
    """The rate a report shows: the one written in the file, else achieved / total.

    Examples
    --------
    >>> shown_rate(pd.Series({"reported_rate": 0.9475, "rate": 0.9593}))
    0.9475
    """
    for col in ("reported_rate", "rate"):
        v = row.get(col)
        if v is not None and not pd.isna(v):
            return float(v)
    return None


def _pick_area(df: pd.DataFrame, year: int, area: str | None) -> str:
    rows = df[df["year"] == year]
    if rows.empty:
        years = sorted(df["year"].unique().tolist())
        raise AntqError(f"no data for year {year}; the table has years {years}")
    if area is not None:
        if not (rows["area"] == area).any():
            raise AntqError(
                f"no data for area {area!r} in {year}; areas: {sorted(rows['area'].unique())}"
            )
        return area
    top = rows[rows["level"] == "province"]["area"].unique().tolist()
    if len(top) == 1:
        return str(top[0])
    if not top:
        raise AntqError(f"no province-level row in {year}; pass area=… (one of the areas read)")
    raise AntqError(f"several provinces in {year} ({top}); pass area=…")


def _change(
    cur: pd.Series, prev: pd.Series | None, prev_year: int, lang: str, *, by_rate: bool
) -> str | None:
    w = _WORDS[lang]
    if prev is None:
        return None
    r, rp = shown_rate(cur), shown_rate(prev)
    if by_rate and r is not None and rp is not None:
        pp = round((r - rp) * 100, 2)
        if pp == 0:
            return w["same_pp"].format(prev=prev_year)
        key = "up_pp" if pp > 0 else "down_pp"
        return w[key].format(pp=format_decimal(abs(pp), 2, lang), prev=prev_year)
    a, ap = cur["achieved"], prev["achieved"]
    if pd.isna(a) or pd.isna(ap):
        return None
    n = int(a) - int(ap)
    if n == 0:
        return w["same_n"].format(prev=prev_year)
    key = "up_n" if n > 0 else "down_n"
    return w[key].format(n=format_int(abs(n), lang), prev=prev_year)


def _item(code: str, cur: pd.Series, prev: pd.Series | None, year: int, lang: str) -> str | None:
    if pd.isna(cur["achieved"]):
        return None
    ind = indicators()[code]
    phrase = ind.phrase_vi if lang == "vi" else ind.phrase_en
    count = format_int(int(cur["achieved"]), lang)
    notes = []
    if code in _CULTURAL:
        if not pd.isna(cur["total"]) and code == "cultural_residential_area":
            count = f"{count}/{format_int(int(cur['total']), lang)}"
    else:
        r = shown_rate(cur)
        if r is not None:
            notes.append(_WORDS[lang]["rate"].format(rate=format_pct(r, lang)))
    # Cultural counts are reported as counts, so they change in units; safety
    # results are reported with a rate, so they change in percentage points.
    change = _change(cur, prev, year - 1, lang, by_rate=code in _SAFE)
    if change:
        notes.append(change)
    text = f"{count} {phrase}"
    return f"{text} ({', '.join(notes)})" if notes else text


def summary(df: pd.DataFrame, *, year: int, area: str | None = None, lang: str = "vi") -> str:
    """The paragraph an analyst pastes into the annual report.

    Counts and rates are written as Vietnamese reports write them
    ("2.863/3.462", "94,75%"). A rate is the one written in the file where
    there is one, else achieved / total; the change against the year before
    is in percentage points between those shown rates (or, for counts
    without a rate, in units).

    Parameters
    ----------
    df
        A tidy table.
    year
        The reporting year.
    area
        An area name as in the table; default: the province's total row.
    lang
        ``"vi"`` (default) or ``"en"``.

    Examples
    --------
    >>> import antq
    >>> text = summary(antq.load("data/raw"), year=2020)
    >>> "3.321 khu dân cư (chiếm tỷ lệ 94,75%, tăng 1,25 điểm phần trăm so với năm 2019)" in text
    True
    """
    if lang not in _WORDS:
        raise ValueError(f"lang must be one of {sorted(_WORDS)}, not {lang!r}")
    check_tidy(df)
    w = _WORDS[lang]
    name = _pick_area(df, year, area)
    rows = df[df["area"] == name].set_index(["year", "indicator"])
    is_province = area is None or (df.loc[df["area"] == name, "level"] == "province").all()

    def items(codes: tuple[str, ...]) -> list[str]:
        out = []
        for code in codes:
            if (year, code) not in rows.index:
                continue
            cur = rows.loc[(year, code)]
            prev = rows.loc[(year - 1, code)] if (year - 1, code) in rows.index else None
            text = _item(code, cur, prev, year, lang)
            if text:
                out.append(text)
        return out

    parts = []
    cultural = items(_CULTURAL)
    if cultural:
        key = "opening_province" if is_province else "opening_area"
        parts.append(w[key].format(year=year, area=name, items=w["sep"].join(cultural)))
    safe = items(_SAFE)
    if safe:
        who = w["who_province"] if is_province else w["who_area"]
        parts.append(w["safe"].format(year=year, who=who, items=w["sep"].join(safe)))
    if not parts:
        raise AntqError(f"no indicator values for {name} in {year}")
    return " ".join(parts)
