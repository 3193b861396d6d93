"""Stage 7: the paragraph of the annual report, in Vietnamese (or English)."""

from __future__ import annotations

import difflib
import re
import warnings
from dataclasses import dataclass
from typing import TypeVar

import pandas as pd

from antq._text import fold
from antq.errors import AntqError, AntqWarning, AreaLookupError
from antq.frontend import option
from antq.metrics.rates import shown_rate
from antq.metrics.yoy import yoy
from antq.numbers import format_decimal, format_int, format_pct
from antq.schema import as_tidy
from antq.series.events import EventsLike
from antq.series.harmonise import Names
from antq.series.regions import REGION_SUFFIX, regions
from antq.types import LEVELS, Lang, as_lang
from antq.vocab import groups, indicators, kind_word, label, unit_kinds, units, word

__all__ = ["area_note", "omissions", "paragraphs", "summary", "with_region"]

T = TypeVar("T")


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
    close = close_names(names, q)
    if close:
        listed = ", ".join(close)
        en, vi = f"close names with data: {listed}", f"tên gần giống có số liệu: {listed}"
    else:
        shown = sorted(names)[:SHOWN_AREAS]
        more = len(names) - len(shown)
        listed = ", ".join(shown)
        en = f"{len(names)} areas have data, such as {listed}"
        vi = f"có số liệu {len(names)} đơn vị, như {listed}"
        if more:
            en, vi = f"{en} and {more} more", f"{vi} và {more} đơn vị khác"
    raise AreaLookupError(
        f"no data for area {query!r} in {year}; {en}",
        vi=f"không có số liệu của đơn vị '{query}' năm {year}; {vi}",
        candidates=tuple(sorted(names)),
    )


def unit_rows(df: pd.DataFrame, area: str, year: int | None = None) -> tuple[str, pd.DataFrame]:
    """The name of the area ``area`` names in ``year`` (any year when None), and ``df``
    without the rows of other units of that name.

    Names repeat ("Phường 1" of Quận 3 and of Quận 10): a name several units of the table
    bear is refused, naming each as :func:`antq.outputs.display.area_labels` writes it,
    and one of those labels ("Phường 1 (Quận 3)") picks that unit. Before, the rows of
    all the units of a name were taken as one area: one ward's figure, or one ward's
    year against another's.

    Raises
    ------
    AreaLookupError
        ``reason="ambiguous"`` with the labels as ``candidates``; or as :func:`summary`
        for a name the table lacks.

    Examples
    --------
    >>> t = pd.DataFrame({"year": [2023] * 2, "area": ["Phường 1"] * 2,
    ...                   "district": ["Quận 3", "Quận 10"], "achieved": [5, 7]})
    >>> name, mine = unit_rows(t, "Phường 1 (Quận 10)", 2023)
    >>> name, mine["achieved"].tolist()
    ('Phường 1', [7])
    """
    from antq.outputs.display import area_labels

    labels = area_labels(df)
    here = df["year"] == year if year is not None else pd.Series(True, index=df.index)
    # Labels that name a unit beside others of its name; a plain name is matched below.
    qualified = labels[here & (labels != df["area"]).fillna(False)]
    named = {fold(str(lab)): lab for lab in qualified.unique()}
    chosen = named.get(fold(area))
    if chosen is not None and not (df["area"][here] == area).any():
        name = str(df.loc[here & (labels == chosen), "area"].iloc[0])
    else:
        names = sorted(df.loc[here, "area"].dropna().astype(str).unique())
        name = _match_area(names, area, year) if year is not None else area
        bearers = labels[here & (df["area"] == name)].unique()
        if len(bearers) > 1:
            listed = ", ".join(sorted(map(str, bearers)))
            when, when_vi = (f" in {year}", f" năm {year}") if year is not None else ("", "")
            raise AreaLookupError(
                f"{len(bearers)} units are named {name!r}{when}: {listed}; "
                "name one as written here",
                vi=f"có {len(bearers)} đơn vị tên '{name}'{when_vi}: {listed}; "
                "ghi tên một đơn vị như trên",
                name=area,
                candidates=tuple(sorted(map(str, bearers))),
                reason="ambiguous",
            )
        chosen = bearers[0] if len(bearers) else None
    if chosen is None:
        return name, df
    return name, df[(df["area"] != name).to_numpy() | (labels == chosen).to_numpy()]


#: How many areas a "no data for that area" error lists when no name is close.
SHOWN_AREAS: int = 8


def close_names(names: list[str], folded: str) -> list[str]:
    """Names of the table close to a folded query, closest first (a typo, a missing word):
    compared on their folded form, with and without the level word.

    Examples
    --------
    >>> close_names(["Huyện Hải Hậu", "Huyện Ý Yên"], "huyen hai hau")
    ['Huyện Hải Hậu']
    """
    by_key: dict[str, str] = {}
    for n in names:
        f = fold(n)
        by_key.setdefault(f, n)
        bare = f.split(" ", 1)[-1]
        if bare != f:
            by_key.setdefault(bare, n)
    close = difflib.get_close_matches(folded, list(by_key), n=2 * SHOWN_AREAS, cutoff=0.75)
    return list(dict.fromkeys(by_key[c] for c in close))[:SHOWN_AREAS]


#: "Tỉnh Nam Định (cũ)", "Huyen Hai Hau (cu)", "Tỉnh Nam Định (former)": a region's name.
_REGION = re.compile(r"^(?P<unit>.+?)\s*\((?:cũ|cu|former)\)\s*$", re.IGNORECASE)


def with_region(df: pd.DataFrame, area: str | None) -> pd.DataFrame:
    """The table with the rows of the region ``area`` names ("Tỉnh Nam Định (cũ)"), from
    :func:`antq.regions`, when the table has no rows of that name yet; else the table.

    Examples
    --------
    >>> import antq, warnings
    >>> df = antq.load("data/raw")
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     both = with_region(df, "Tinh Nam Dinh (cu)")
    >>> sorted(both.loc[both["area"] == "Tỉnh Nam Định (cũ)", "year"].unique().tolist())[-2:]
    [2024, 2025]
    """
    m = _REGION.match(area or "")
    if m is None or fold(area or "") in {fold(str(a)) for a in df["area"].dropna().unique()}:
        return df
    return pd.concat([df, regions(df, of=m.group("unit"))], ignore_index=True)


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


def _pick_unit(df: pd.DataFrame, year: int, area: str | None) -> tuple[str, pd.DataFrame]:
    """:func:`_pick_area`, and the table without other units of its name (:func:`unit_rows`)."""
    if area is None or not (df["year"] == year).any():
        return _pick_area(df, year, area), df  # which says what the year lacks
    return unit_rows(df, area, year)


def area_note(df: pd.DataFrame, *, year: int, area: str | None, lang: Lang = "vi") -> str | None:
    """What to tell an analyst whose ``area``, written without its level, is read as one unit
    of the table while the registry knows another of that name, absent from it that year.

    "My Loc" in 2024 is Xã Mỹ Lộc of the table, not Huyện Mỹ Lộc, which joined
    Thành phố Nam Định on 1/9/2024; "Hai Hau" in 2025 is Xã Hải Hậu, not the district
    abolished on 1/7/2025. None when the name was written in full or means one unit.

    Examples
    --------
    >>> import antq
    >>> df = antq.load("data/raw")
    >>> area_note(df, year=2024, area="My Loc")
    "'My Loc' là Xã Mỹ Lộc, đơn vị có số liệu năm 2024; Huyện Mỹ Lộc (đến 31/8/2024) không \
có số liệu năm đó."
    >>> area_note(df, year=2023, area="Hai Hau") is None
    True
    """
    from antq.registry import candidates

    if area is None:
        return None
    lang = as_lang(lang)
    name, _ = _pick_unit(as_tidy(df, require_source=False), year, area)
    if fold(area) == fold(name) or area.rstrip().endswith(")"):  # named in full, or a label
        return None  # written in full: the analyst named this unit
    present = set(df.loc[df["year"] == year, "area"].astype(str))
    others = [a for a in candidates(area, any_time=True) if a.name not in present]
    if not others:
        return None
    listed = ", ".join(
        a.name + (f" ({_until(a.valid_to, lang)})" if a.valid_to is not None else "")
        for a in others
    )
    if lang == "en":
        return f"{area!r} is read as {name}, the area with data in {year}; {listed} has none."
    return f"'{area}' là {name}, đơn vị có số liệu năm {year}; {listed} không có số liệu năm đó."


def _until(day: object, lang: Lang) -> str:
    d = pd.Timestamp(day)
    return f"until {d.date().isoformat()}" if lang == "en" else f"đến {d.day}/{d.month}/{d.year}"


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
    name, df = _pick_unit(as_tidy(df, require_source=False), year, area)
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


def _names(text: str, lang: Lang) -> str:
    """ "A + B + C" (yoy's ``prev_areas``) as a sentence writes it: "A, B và C"."""
    return Names(tuple(text.split(" + "))).render(lang)


def _basis(change: pd.Series, area: str, lang: Lang) -> tuple[str, str] | None:
    """What the previous year's value is when it is not the area's own: ``("including",
    "Huyện Mỹ Lộc")`` (the area took others in) or ``("sum_of", "Xã A, Xã B và Xã C")``
    (it was formed from others), for the words ``summary.<kind>``."""
    if change["prev_basis"] != "harmonised" or pd.isna(change["prev_areas"]):
        return None
    names = str(change["prev_areas"]).split(" + ")
    if area in names:  # the area took others in: name those
        return "including", _names(" + ".join(n for n in names if n != area), lang)
    return "sum_of", _names(" + ".join(names), lang)


def _moved(change: pd.Series, prev_year: int, lang: Lang, *, by_rate: bool) -> str | None:
    """The shown change (yoy's ``shown_change_pp`` or ``change_n``) in words, or None."""
    if by_rate and pd.notna(change["shown_change_pp"]):
        pp = round(float(change["shown_change_pp"]), 2)
        if pp == 0:
            return word("summary.same_pp", lang, prev=prev_year)
        key = "summary.up_pp" if pp > 0 else "summary.down_pp"
        return word(key, lang, pp=format_decimal(abs(pp), 2, lang), prev=prev_year)
    rates = pd.notna(change["shown_rate"]) and pd.notna(change["shown_rate_prev"])
    if pd.isna(change["change_n"]) or (by_rate and rates):
        return None  # across a break: the rates do not compare, so neither do counts here
    n = int(change["change_n"])
    if n == 0:
        return word("summary.same_n", lang, prev=prev_year)
    key = "summary.up_n" if n > 0 else "summary.down_n"
    return word(key, lang, n=format_int(abs(n), lang), prev=prev_year)


@dataclass(frozen=True)
class _Item:
    """An indicator's words in the paragraph, before the notes a paragraph may say once.

    ``notes`` are the count's own (its rate, its change); ``basis`` what the
    previous year's value was when not the area's own ("khi đó tính cả Huyện Mỹ
    Lộc"); ``reason`` the event no change can be stated across.
    """

    text: str
    notes: tuple[str, ...]
    moved: bool = False
    basis: tuple[str, str] | None = None
    reason: str | None = None

    def render(self, extra: tuple[str, ...] = ()) -> str:
        notes = self.notes + extra
        return f"{self.text} ({', '.join(notes)})" if notes else self.text


def _kinds_in_force(cur: pd.Series, year: int) -> tuple[str, ...]:
    """The kinds of commune-level unit in the row's area at the end of ``year`` ("Xã",
    "Phường"…): those of the units it is the sum of (a region, a harmonised row), a
    commune's own, else the registry's units in force inside its province (or district);
    () when unknown."""
    from antq.registry import areas

    parts = cur.get("from_areas")
    if isinstance(parts, str) and parts:
        names = parts.split("; ")
    elif cur["level"] == "commune":
        names = [str(cur["area"])]  # a commune's own report: its own kind
    elif cur["level"] in ("province", "district") and pd.notna(cur.get("province")):
        try:
            units_ = areas(on=f"{year}-12-31", level="commune", province=str(cur["province"]))
        except AntqError:
            return ()  # a province the registry does not know, or not in force then
        if cur["level"] == "district":
            units_ = units_[(units_["district"] == cur["area"]).to_numpy(dtype=bool)]
        names = units_["name"].tolist()
    else:
        return ()
    return tuple(k for k in unit_kinds("commune") if any(n.startswith(k + " ") for n in names))


def _phrase(code: str, kinds: tuple[str, ...], lang: Lang) -> str:
    """The indicator's phrase, its unit's word ("xã, phường, thị trấn") replaced by the
    kinds of unit the area had that year ("xã, phường" after 1 July 2025)."""
    ind = indicators()[code]
    phrase, unit_word = ind.phrase(lang), units()[ind.unit].word(lang)
    # Only a unit that is a level of the map has kinds that change with the map.
    if not kinds or ind.unit not in LEVELS or unit_word not in phrase:
        return phrase
    said = [kind_word(k, lang) for k in kinds]
    joined = said[-1]
    if len(said) > 1:
        joined = ", ".join(said[:-1]) + word("kinds.last", lang) + joined
    return phrase.replace(unit_word, joined)


def _item(
    code: str,
    cur: pd.Series,
    change: pd.Series | None,
    year: int,
    lang: Lang,
    kinds: tuple[str, ...] = (),
) -> _Item | None:
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
    text = f"{count} {_phrase(code, kinds, lang)}"
    if change is None:
        return _Item(text, tuple(notes))
    # Counts reported as counts change in units; results reported with a rate
    # change in percentage points (indicators.csv, change_in).
    moved = _moved(change, year - 1, lang, by_rate=ind.change_in == "rate")
    if moved is None:
        reason = None if pd.isna(change["break"]) else str(change["break"])
        return _Item(text, tuple(notes), reason=reason)
    basis = _basis(change, str(cur["area"]), lang)
    return _Item(text, (*notes, moved), moved=True, basis=basis)


def _common_events(reasons: list[str | None], sep: str) -> list[str]:
    """The events (``break`` joins them with ``sep``) that every one of several items is
    broken by, in the order the first lists them; [] when an item has none."""
    if len(reasons) < 2 or any(r is None for r in reasons):
        return []
    lists = [str(r).split(sep) for r in reasons]
    return [e for e in lists[0] if all(e in other for other in lists[1:])]


def _shared(values: list[T | None]) -> T | None:
    """The one value every item has, when there are several items and they all have it."""
    found = set(values)
    return found.pop() if len(values) > 1 and len(found) == 1 and None not in found else None


def _paragraph_items(items: list[_Item], prev: int, lang: Lang) -> tuple[list[str], list[str]]:
    """Each item's words, and the sentences that say once what every item would repeat: the
    event none compares across, or the units the previous year's values are sums of."""
    sep = word("break.sep", lang)
    common = _common_events([i.reason for i in items], sep)
    if common:
        # The events every item is broken by, said once; an item's other events beside it.
        own = [[e for e in str(i.reason).split(sep) if e not in common] for i in items]
        said = [
            i.render((word("summary.break", lang, prev=prev, reason=sep.join(rest)),))
            if rest
            else i.render()
            for i, rest in zip(items, own, strict=True)
        ]
        return said, [word("summary.break_all", lang, prev=prev, reason=sep.join(common))]
    basis = _shared([i.basis for i in items if i.moved])
    texts = []
    for i in items:
        extra: tuple[str, ...] = ()
        if i.reason is not None:
            extra = (word("summary.break", lang, prev=prev, reason=i.reason),)
        elif i.basis is not None and basis is None:
            extra = (word(f"summary.{i.basis[0]}", lang, areas=i.basis[1]),)
        texts.append(i.render(extra))
    if basis is None:
        return texts, []
    return texts, [word(f"summary.{basis[0]}_all", lang, prev=prev, areas=basis[1])]


def _changes(
    df: pd.DataFrame, year: int, name: str, events: EventsLike, lang: Lang
) -> pd.DataFrame:
    """The area's row of :func:`antq.yoy` for ``year``, by indicator (the units the year
    before are all of that year's rows: a merged unit is compared with its parts summed)."""
    near = df[df["year"].isin([year - 1, year])]
    changes = yoy(near, events=events, lang=lang)
    mine = changes[(changes["year"] == year) & (changes["area"] == name)]
    return mine.drop_duplicates("indicator").set_index("indicator")


def summary(
    df: pd.DataFrame,
    *,
    year: int,
    area: str | None = None,
    lang: Lang = "vi",
    events: EventsLike = None,
) -> str:
    """The paragraph an analyst pastes into the annual report.

    Counts and rates are written as Vietnamese reports write them
    ("2.863/3.462", "94,75%"). A rate is the one written in the file where
    there is one, else achieved / total; the change against the year before
    is :func:`antq.yoy`'s shown change: in percentage points between those
    shown rates (or, for counts without a rate, in units), against the units
    the area was made of the year before where the map changed ("…so với
    năm 2023, khi đó tính cả Huyện Mỹ Lộc"). Across a break with nothing
    comparable (a new unit, new criteria, an event of ``events``) the
    sentence says so and names the event instead of printing a change.

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
    events
        The user's known events (``events.csv``, its folder, or a table;
        :func:`antq.read_events`).

    Examples
    --------
    >>> import antq
    >>> df = antq.load("data/raw")
    >>> text = summary(df, year=2020)
    >>> "3.321 khu dân cư (chiếm tỷ lệ 94,75%, tăng 1,25 điểm phần trăm so với năm 2019)" in text
    True
    >>> text = summary(df, year=2022)
    >>> "không so sánh được với năm 2021: tiêu chí mới theo Thông tư 124/2021/TT-BCA, 2022" in text
    True
    """
    lang = as_lang(lang)
    full = with_region(df, area)  # with its detail columns: a region's units are in them
    df = as_tidy(full, require_source=False)
    note = area_note(df, year=year, area=area, lang=lang)
    name, df = _pick_unit(df, year, area)
    for sentence in [*([note] if note else []), *omissions(df, year=year, area=name, lang=lang)]:
        warnings.warn(AntqWarning(sentence), stacklevel=2)
    rows = df[(df["area"] == name) & (df["year"] == year)].drop_duplicates("indicator")
    rows = rows.set_index("indicator")
    changes = _changes(df, year, name, events, lang)
    # A region ("Tỉnh Nam Định (cũ)") is an area, not the province of the report.
    is_province = not name.endswith(REGION_SUFFIX) and (
        area is None or (df.loc[df["area"] == name, "level"] == "province").all()
    )
    mine = full[((full["area"] == name) & (full["year"] == year)).to_numpy(dtype=bool)]
    kinds = _kinds_in_force(mine.iloc[0], year) if len(mine) else ()
    found = {
        code: item
        for code in indicators()
        if code in rows.index
        and (item := _item(code, rows.loc[code], _row(changes, code), year, lang, kinds))
        is not None
    }
    if not found:
        raise AntqError(
            f"no indicator values for {name} in {year}",
            vi=f"không có số liệu chỉ tiêu nào của {name} năm {year}",
        )
    words, closing = _paragraph_items(list(found.values()), year - 1, lang)
    texts = dict(zip(found, words, strict=True))
    parts = []
    sep = word("summary.sep", lang)
    for group in groups().values():
        mine = [t for c, t in texts.items() if indicators()[c].group == group.group]
        if mine:
            key = f"{group.sentence}.{'province' if is_province else 'area'}"
            parts.append(word(key, lang, year=year, area=name, items=sep.join(mine)))
    return " ".join(parts + closing)


def _row(changes: pd.DataFrame, code: str) -> pd.Series | None:
    return changes.loc[code] if code in changes.index else None


def paragraphs(df: pd.DataFrame, *, lang: Lang = "vi", events: EventsLike = None) -> dict[int, str]:
    """:func:`summary` of the province for each year the table has one province row.

    What a paragraph leaves out is not warned about here (``antq build`` lists it
    with the findings); a year :func:`summary` has no paragraph for is left out.

    Examples
    --------
    >>> import antq
    >>> texts = paragraphs(antq.load("data/raw"))
    >>> min(texts), max(texts), texts[2020].startswith("Năm 2020")
    (2015, 2025, True)
    """
    out: dict[int, str] = {}
    provinces = df[(df["level"] == "province").to_numpy()]
    for y in sorted(int(y) for y in df["year"].unique()):
        if provinces.loc[(provinces["year"] == y).to_numpy(), "area"].nunique() != 1:
            continue  # no single province row that year: summary() has no paragraph to give
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", AntqWarning)
                out[y] = summary(df, year=y, lang=lang, events=events)
        except AntqError:
            continue  # a year without one province row has no province paragraph
    return out
