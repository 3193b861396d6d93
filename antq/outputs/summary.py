"""Stage 7: the paragraph of the annual report, in Vietnamese (or English)."""

from __future__ import annotations

import pandas as pd

from antq.errors import AntqError
from antq.metrics.rates import shown_rate
from antq.numbers import format_decimal, format_int, format_pct
from antq.schema import as_tidy
from antq.types import Lang, as_lang
from antq.vocab import groups, indicators, word

__all__ = ["summary"]


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
    cur: pd.Series, prev: pd.Series | None, prev_year: int, lang: Lang, *, by_rate: bool
) -> str | None:
    if prev is None:
        return None
    r, rp = shown_rate(cur), shown_rate(prev)
    if by_rate and r is not None and rp is not None:
        pp = round((r - rp) * 100, 2)
        if pp == 0:
            return word("summary.same_pp", lang, prev=prev_year)
        key = "summary.up_pp" if pp > 0 else "summary.down_pp"
        return word(key, lang, pp=format_decimal(abs(pp), 2, lang), prev=prev_year)
    a, ap = cur["achieved"], prev["achieved"]
    if pd.isna(a) or pd.isna(ap):
        return None
    n = int(a) - int(ap)
    if n == 0:
        return word("summary.same_n", lang, prev=prev_year)
    key = "summary.up_n" if n > 0 else "summary.down_n"
    return word(key, lang, n=format_int(abs(n), lang), prev=prev_year)


def _item(code: str, cur: pd.Series, prev: pd.Series | None, year: int, lang: Lang) -> str | None:
    if pd.isna(cur["achieved"]):
        return None
    ind = indicators()[code]
    count = format_int(int(cur["achieved"]), lang)
    notes = []
    if ind.shown_as == "fraction" and not pd.isna(cur["total"]):
        count = f"{count}/{format_int(int(cur['total']), lang)}"
    elif ind.shown_as == "rate":
        r = shown_rate(cur)
        if r is not None:
            notes.append(word("summary.rate", lang, rate=format_pct(r, lang)))
    # Counts reported as counts change in units; results reported with a rate
    # change in percentage points (indicators.csv, change_in).
    change = _change(cur, prev, year - 1, lang, by_rate=ind.change_in == "rate")
    if change:
        notes.append(change)
    text = f"{count} {ind.phrase(lang)}"
    return f"{text} ({', '.join(notes)})" if notes else text


def summary(df: pd.DataFrame, *, year: int, area: str | None = None, lang: Lang = "vi") -> str:
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
    lang = as_lang(lang)
    df = as_tidy(df, require_source=False)
    name = _pick_area(df, year, area)
    rows = df[df["area"] == name].set_index(["year", "indicator"])
    is_province = area is None or (df.loc[df["area"] == name, "level"] == "province").all()

    def items(codes: list[str]) -> list[str]:
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
    sep = word("summary.sep", lang)
    for group in groups().values():
        found = items([c for c, ind in indicators().items() if ind.group == group.group])
        if found:
            key = f"{group.sentence}.{'province' if is_province else 'area'}"
            parts.append(word(key, lang, year=year, area=name, items=sep.join(found)))
    if not parts:
        raise AntqError(f"no indicator values for {name} in {year}")
    return " ".join(parts)
