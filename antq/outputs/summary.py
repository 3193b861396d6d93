"""Stage 7: the paragraph of the annual report, in Vietnamese (or English)."""

from __future__ import annotations

import warnings

import pandas as pd

from antq._text import fold
from antq.errors import AntqError, AntqWarning, AreaLookupError
from antq.frontend import option
from antq.metrics.rates import shown_rate
from antq.numbers import format_decimal, format_int, format_pct
from antq.schema import as_tidy
from antq.types import Lang, as_lang
from antq.vocab import groups, indicators, label, word

__all__ = ["omissions", "summary"]


def _match_area(names: list[str], query: str, year: int) -> str:
    """The area ``query`` names: written as in the table, or without diacritics, case or
    prefix ("Hai Hau" → "Huyện Hải Hậu").

    Raises
    ------
    AreaLookupError
        Naming the candidates when several areas match, or none does.
    """
    if query in names:
        return query
    q = fold(query)
    found = [n for n in names if fold(n) == q] or [n for n in names if fold(n).endswith(" " + q)]
    if len(found) == 1:
        return found[0]
    if found:
        listed = ", ".join(sorted(found))
        raise AreaLookupError(
            f"{query!r} matches several areas in {year}: {listed}; write the full name",
            vi=f"'{query}' ứng với nhiều đơn vị năm {year}: {listed}; ghi đầy đủ tên đơn vị",
            candidates=tuple(sorted(found)),
        )
    listed = ", ".join(sorted(names))
    raise AreaLookupError(
        f"no data for area {query!r} in {year}; areas: {listed}",
        vi=f"không có số liệu của đơn vị '{query}' năm {year}; các đơn vị có số liệu: {listed}",
        candidates=tuple(sorted(names)),
    )


def _pick_area(df: pd.DataFrame, year: int, area: str | None) -> str:
    rows = df[df["year"] == year]
    if rows.empty:
        years = sorted(int(y) for y in df["year"].unique())
        shown = f"{years[0]}–{years[-1]}" if years else "—"
        raise AntqError(
            f"no data for year {year}; the table has years {shown}",
            vi=f"không có số liệu năm {year}; bảng có số liệu các năm {shown}",
        )
    if area is not None:
        return _match_area(sorted(rows["area"].unique()), area, year)
    top = rows[rows["level"] == "province"]["area"].unique().tolist()
    if len(top) == 1:
        return str(top[0])
    if not top:
        raise AntqError(
            f"no province-level row in {year}; pass area=… (one of the areas read)",
            vi=f"năm {year} không có dòng toàn tỉnh; chọn một đơn vị ({option('area')})",
        )
    raise AntqError(
        f"several provinces in {year} ({top}); pass area=…",
        vi=f"năm {year} có nhiều tỉnh ({', '.join(top)}); chọn một ({option('area')})",
    )


def omissions(
    df: pd.DataFrame, *, year: int, area: str | None = None, lang: Lang = "vi"
) -> list[str]:
    """What the paragraph of :func:`summary` cannot say, one sentence per indicator.

    An indicator the area reports in some year but not in ``year``, or whose
    count in ``year`` could not be read (a text cell read with
    ``errors="coerce"``), is left out of the paragraph; this says so, naming
    the cell where there is one.

    Examples
    --------
    >>> import antq
    >>> df = antq.load("data/raw")
    >>> omissions(df, year=2020)
    []
    >>> broken = df.assign(achieved=df["achieved"].mask(df["source"].str.endswith("ANTT!D19")))
    >>> omissions(broken, year=2020)
    ['chưa có số liệu khu dân cư an toàn về ANTT năm 2020: ô BC_ANTQ_2020.xlsx!ANTT!D19 \
không đọc được']
    """
    lang = as_lang(lang)
    df = as_tidy(df, require_source=False)
    name = _pick_area(df, year, area)
    rows = df[df["area"] == name]
    out = []
    for code in indicators():
        mine = rows[rows["indicator"] == code]
        if mine.empty:
            continue
        this = mine[mine["year"] == year]
        what = label(code, lang)
        what = what[:1].lower() + what[1:]
        if this.empty:
            out.append(word("summary.missing", lang, what=what, year=year))
        elif this["achieved"].isna().all():
            source = this["source"].iloc[0]
            key = "summary.unread" if pd.notna(source) else "summary.missing"
            out.append(word(key, lang, what=what, year=year, cell=source))
    return out


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
        An area name as in the table, or without diacritics or prefix ("Hai Hau");
        default: the province's total row.
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
    for sentence in omissions(df, year=year, area=name, lang=lang):
        warnings.warn(AntqWarning(sentence), stacklevel=2)
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
        raise AntqError(
            f"no indicator values for {name} in {year}",
            vi=f"không có số liệu chỉ tiêu nào của {name} năm {year}",
        )
    return " ".join(parts)
