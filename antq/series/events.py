"""Known events that break a series, from three places.

- **The registry** (:mod:`antq.registry`): a unit that took others in
  (Huyện Mỹ Lộc into Thành phố Nam Định, 1/9/2024) or was formed from others
  (the communes of 1/7/2025). Found from each row's unit, nothing to declare.
- **Criteria changes** (``antq/data/criteria.csv``): from a year on, an
  indicator counts other units (Circular 124/2021/TT-BCA, 2022: schools and
  enterprises; the communes themselves, reorganised: in Nam Định on 1/9/2024,
  a row with an ``area``, and everywhere on 1/7/2025).
- **The user's own table**, ``events.csv`` beside the workbooks (or any path or
  DataFrame passed as ``events=``): what only the province knows, such as a
  merger of hamlets that changes every residential-area total.

The user's table has one row per event:

=============== ===================================================================
column          meaning
=============== ===================================================================
date            the day the change took effect ("2020-03-01"), or only its year
                ("2020"); it first shows in that year's year-end report
area            an area name as in the table; the event applies to it and every
                area within it (by the ``province`` and ``district`` columns);
                empty: every area
indicators      indicator codes or unit codes of ``units.csv``
                ("residential_area": every indicator counting residential
                areas), separated by spaces or commas; empty: every indicator
description     what happened, in Vietnamese ("sáp nhập thôn, tổ dân phố")
description_en  optional: the same in English (else the Vietnamese is used)
basis           optional: the decision or source that records it
compare         what still compares across the event: ``none`` (nothing: the
                default), ``rate`` (rates compare, counts do not), ``all`` (the
                event only explains jumps; year-over-year changes stand)
code            optional: a short id (default ``line N``)
=============== ===================================================================
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import TypeAlias

import pandas as pd

from antq import registry
from antq.errors import AntqError
from antq.reading.reader import EVENTS_FILE
from antq.types import Lang
from antq.vocab import criteria_changes, indicators, units, word

__all__ = [
    "COMPARE",
    "EVENTS_FILE",
    "EVENT_COLUMNS",
    "Event",
    "EventsLike",
    "changing_units",
    "events_beside",
    "format_day",
    "read_events",
    "row_events",
    "unit_change",
]

#: Columns of the user's table, in order.
EVENT_COLUMNS: tuple[str, ...] = (
    "date",
    "area",
    "indicators",
    "description",
    "description_en",
    "basis",
    "compare",
    "code",
)
#: What still compares across an event, strictest first.
COMPARE: tuple[str, ...] = ("none", "rate", "all")
_YEAR_ONLY = re.compile(r"^\d{4}$")
#: The user's known events as a caller may pass them: a CSV file, the folder holding
#: ``events.csv``, a table, or None (:func:`read_events`).
EventsLike: TypeAlias = str | os.PathLike[str] | pd.DataFrame | None


@dataclass(frozen=True)
class Event:
    """A known event between a year and the one before, as a series sees it.

    ``code`` is machine-readable: ``area.merged:2024-09-01`` (the unit took
    others in), ``area.reorganised:2025-07-01`` (the unit was formed from
    others), ``criteria:tt124_2021``, ``event:<code>`` (the user's table).
    ``compare`` says what still compares across it (see :data:`COMPARE`).
    """

    code: str
    year: int
    label_vi: str
    label_en: str
    compare: str = "none"

    def label(self, lang: Lang) -> str:
        """The words of the event in ``lang``."""
        return self.label_vi if lang == "vi" else self.label_en


def format_day(day: date | str, lang: Lang) -> str:
    """A day as reports write it: "1/9/2024" (vi), "2024-09-01" (en); a bare year as it is.

    Examples
    --------
    >>> format_day("2024-09-01", "vi"), format_day("2024-09-01", "en"), format_day("2020", "vi")
    ('1/9/2024', '2024-09-01', '2020')
    """
    if isinstance(day, str):
        if _YEAR_ONLY.match(day):
            return day
        day = date.fromisoformat(day)
    return f"{day.day}/{day.month}/{day.year}" if lang == "vi" else day.isoformat()


# ---- the registry ----------------------------------------------------------------------
@dataclass(frozen=True)
class Change:
    """How a unit of a year stands to the year before, when it is not simply itself.

    ``origins`` are the units in force at the end of the year before whose area
    is in the unit at the end of the year (``(uid, whole)``; empty when the
    registry does not record them); ``event`` names what happened.
    """

    origins: tuple[tuple[str, bool], ...]
    event: Event


@lru_cache(maxsize=1 << 18)
def changing_units() -> frozenset[str]:
    """The units :func:`unit_change` can find a change for (any other is simply itself).

    Examples
    --------
    >>> "D356" in changing_units()
    True
    """
    return registry.reshaped()


def unit_change(uid: str, year: int) -> Change | None:
    """What ``uid`` (as at the end of ``year``) was at the end of the year before, when the map
    changed in between; None when it was simply itself.

    Examples
    --------
    >>> c = unit_change("D356", 2024)  # Thành phố Nam Định took in Huyện Mỹ Lộc
    >>> c.origins, c.event.code
    ((('D356', True), ('D358', True)), 'area.merged:2024-09-01')
    >>> c.event.label_vi
    'sáp nhập vào Thành phố Nam Định, 1/9/2024'
    >>> unit_change("C13669@2025-07-01", 2025).event.label_vi
    'sắp xếp đơn vị hành chính, 1/7/2025'
    >>> unit_change("D359", 2024) is None
    True
    """
    before, end = date(year - 1, 12, 31), date(year, 12, 31)
    found = registry.origins(uid, on=before, at=end)
    if found == ((uid, True),):
        return None
    area = registry.unit(uid)
    if registry.in_force(uid, before):
        # It took others in: they ended the day before the event.
        ends = [d for u, _ in found if u != uid and (d := registry.unit(u).valid_to) is not None]
        day = min(ends) + timedelta(days=1) if ends else end
        key, code = "break.merged_into", "area.merged"
    else:
        day, key, code = area.valid_from or end, "break.reorganised", "area.reorganised"
    vi, en = (word(key, lang, unit=area.name, date=format_day(day, lang)) for lang in ("vi", "en"))
    return Change(found, Event(f"{code}:{day.isoformat()}", year, vi, en))


# ---- criteria and the user's table -----------------------------------------------------
def _criteria_events() -> list[tuple[Event, frozenset[str] | None, str | None]]:
    out: list[tuple[Event, frozenset[str] | None, str | None]] = []
    for c in criteria_changes():
        day = date.fromisoformat(c.in_force) if c.in_force else date(c.year, 1, 1)
        vi, en = (
            word(c.words, lang, basis=c.basis(lang), year=c.year, date=format_day(day, lang))
            for lang in ("vi", "en")
        )
        event = Event(f"criteria:{c.code}", c.year, vi, en)
        out.append((event, frozenset(c.indicators), c.area or None))
    return out


def _fail(path: str, line: int, en: str, vi: str) -> AntqError:
    return AntqError(f"{path} line {line}: {en}", vi=f"{path} dòng {line}: {vi}")


def _indicator_codes(text: str, path: str, line: int) -> str:
    known, unit_codes = indicators(), units()
    out: list[str] = []
    for token in re.split(r"[\s,;]+", text.strip()):
        if not token:
            continue
        if token in known:
            out.append(token)
        elif token in unit_codes:
            out.extend(code for code, ind in known.items() if ind.unit == token)
        else:
            raise _fail(
                path,
                line,
                f"{token!r} is neither an indicator code nor a unit of units.csv",
                f"'{token}' không phải mã chỉ tiêu hay đơn vị đếm của units.csv",
            )
    return " ".join(dict.fromkeys(out))


def _event_year(text: str, path: str, line: int) -> int:
    try:
        return int(text) if _YEAR_ONLY.match(text) else date.fromisoformat(text).year
    except ValueError:
        raise _fail(
            path,
            line,
            f"date {text!r} is neither a day (2020-03-01) nor a year (2020)",
            f"ngày '{text}' không phải một ngày (2020-03-01) hay một năm (2020)",
        ) from None


def _text(row: dict[str, str], col: str) -> str:
    """A cell of the user's table, stripped ("" when empty or absent)."""
    return (row.get(col) or "").strip()


def _check_row(row: dict[str, str], path: str, line: int) -> dict[str, object]:
    when, description = _text(row, "date"), _text(row, "description")
    if not when or not description:
        raise _fail(
            path,
            line,
            "an event needs a date and a description",
            "mỗi sự kiện cần ngày (date) và nội dung (description)",
        )
    compare = _text(row, "compare") or "none"
    if compare not in COMPARE:
        raise _fail(
            path,
            line,
            f"compare must be one of {', '.join(COMPARE)}, not {compare!r}",
            f"cột compare phải là một trong {', '.join(COMPARE)}, không phải '{compare}'",
        )
    return {
        "code": _text(row, "code") or f"line {line}",
        "year": _event_year(when, path, line),
        "date": when,
        "area": _text(row, "area") or None,
        "indicators": _indicator_codes(_text(row, "indicators"), path, line) or None,
        "description": description,
        "description_en": _text(row, "description_en") or description,
        "basis": _text(row, "basis") or None,
        "compare": compare,
        "line": line,
    }


_CHECKED_DTYPES = {
    "code": "string",
    "year": "int64",
    "date": "string",
    "area": "string",
    "indicators": "string",
    "description": "string",
    "description_en": "string",
    "basis": "string",
    "compare": "string",
    "line": "int64",
}


def read_events(source: EventsLike = None) -> pd.DataFrame:
    """The user's table of known events (see the module), checked.

    Parameters
    ----------
    source
        A CSV file, a folder holding ``events.csv`` (none there: no events), a
        DataFrame with those columns, or None (no events).

    Returns
    -------
    pandas.DataFrame
        ``code, year, date, area, indicators, description, description_en, basis,
        compare, line``: ``year`` is the first year-end report the event shows in;
        ``indicators`` are expanded to indicator codes (space-separated; NA: all).

    Raises
    ------
    AntqError
        Naming the file and line of a row without a date or description, an
        unknown indicator or unit, or a ``compare`` not in :data:`COMPARE`.

    Examples
    --------
    >>> ev = read_events("data/raw")
    >>> int(ev.loc[0, "year"]), ev.loc[0, "area"], ev.loc[0, "compare"]
    (2020, 'Tỉnh Nam Định', 'rate')
    >>> ev.loc[0, "indicators"].split()[:2]
    ['cultural_residential_area', 'residential_area_with_convention']
    """
    if source is None:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in _CHECKED_DTYPES.items()})
    if isinstance(source, pd.DataFrame):
        rows = source.astype(object).where(source.notna(), None).astype(str)
        rows = rows.where(source.notna(), "")
        records = rows.to_dict("records")
        path = "events"
    else:
        p = Path(source)
        if p.is_dir():
            p = p / EVENTS_FILE
            if not p.is_file():
                return read_events(None)
        path = str(p)
        if not p.is_file():
            raise AntqError(
                f"{path}: no such events file (a CSV with the columns date, area, description)",
                vi=f"{path}: không có file sự kiện này (CSV gồm các cột date, area, description)",
            )
        records = list(csv.DictReader(p.read_text(encoding="utf-8-sig").splitlines()))
    checked = [_check_row(r, path, i) for i, r in enumerate(records, start=2)]
    out = pd.DataFrame(checked, columns=list(_CHECKED_DTYPES))
    return out.astype(_CHECKED_DTYPES)


def events_beside(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]) -> pd.DataFrame:
    """The ``events.csv`` of each folder among ``paths`` (files name none), as one table.

    What ``antq build`` and ``antq check`` use: the events table lives beside the
    workbooks, as ``supersedes.csv`` does.

    Examples
    --------
    >>> len(events_beside("data/raw")), len(events_beside(["data/raw/BC_ANTQ_2020.xlsx"]))
    (1, 0)
    """
    items = [paths] if isinstance(paths, str | os.PathLike) else list(paths)
    tables = [read_events(p) for p in map(Path, items) if p.is_dir()]
    tables = [t for t in tables if len(t)]
    return pd.concat(tables, ignore_index=True) if tables else read_events(None)


def _user_events(table: pd.DataFrame) -> list[tuple[Event, frozenset[str] | None, str | None]]:
    out = []
    for r in table.itertuples(index=False):
        when_vi, when_en = format_day(str(r.date), "vi"), format_day(str(r.date), "en")
        vi = word("break.event", "vi", description=r.description, when=when_vi)
        en = word("break.event", "en", description=r.description_en, when=when_en)
        codes = None if pd.isna(r.indicators) else frozenset(str(r.indicators).split())
        area = None if pd.isna(r.area) else str(r.area)
        out.append((Event(f"event:{r.code}", int(r.year), vi, en, str(r.compare)), codes, area))
    return out


def _in_area(df: pd.DataFrame, area: str | None) -> pd.Series:
    if area is None:
        return pd.Series(True, index=df.index)
    hit = df["area"] == area
    for col in ("province", "district"):
        if col in df.columns:
            hit |= df[col] == area
    return hit.fillna(False).astype(bool)


def row_events(df: pd.DataFrame, events: pd.DataFrame | None = None) -> dict[int, list[Event]]:
    """The criteria and user events between each row's year and the year before.

    Parameters
    ----------
    df
        A tidy table (any index).
    events
        The user's events (:func:`read_events`), or None.

    Returns
    -------
    dict
        Row position (0-based) → the events that apply to it, in table order
        (criteria first). Rows without one are absent.

    Examples
    --------
    >>> t = pd.DataFrame({"year": [2021, 2022], "area": ["Tỉnh Nam Định"] * 2,
    ...     "indicator": ["safe_school"] * 2})
    >>> {k: [e.code for e in v] for k, v in row_events(t).items()}
    {1: ['criteria:tt124_2021']}
    """
    found: dict[int, list[Event]] = {}
    user = _user_events(events) if events is not None and len(events) else []
    year = df["year"].to_numpy()
    for ev, codes, area in [*_criteria_events(), *user]:
        mask = (year == ev.year) & _in_area(df, area).to_numpy()
        if codes is not None:
            mask &= df["indicator"].isin(list(codes)).to_numpy()
        for pos in mask.nonzero()[0].tolist():
            found.setdefault(pos, []).append(ev)
    return found
