"""Stage 4: tidy rows with provenance, and the accounting of every number of a table.

Every number read keeps the address of its cell. The tidy table's ``source``
is the achieved cell; the total and rate cells are kept in the detail columns
``total_source`` and ``rate_source`` (``load(detail=True)``). Every number of
the table that is not read is skipped with a reason (:mod:`antq.reading.accounting`).

:func:`rows_from_layout` runs named steps:

1. :func:`_classify_rows`: what each body row is, by its label
   (:func:`antq.reading.labels.classify_label`) and a year column where there
   is one: an area, a total, a heading over a group, or a row that is not data
   (a part of the row above, a hamlet, a difference) with its reason;
2. :func:`_name_rows`: each data row's area and level; a total row is the
   unit it totals (its label's level, the group it closes, or one level above
   the rows, named from the letterhead, the sheet name or ``within``);
3. :func:`_place`: each row's province and district
   (:func:`antq.reading.places.place_rows`);
4. :func:`_read_groups`: the values of each indicator's columns, column by
   column, in the table's way of writing numbers;
5. :func:`_emit`: the columns of the tidy rows, each number with its cell;
6. :func:`_account`: every other number of the table, skipped with its reason.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from operator import itemgetter
from typing import Any, overload

from openpyxl.utils import get_column_letter

from antq._text import fold, tokens
from antq.errors import CellValueError
from antq.findings import Finding, Pct, Reading, Word, finding
from antq.numbers import (
    MAX_COUNT,
    AmbiguousNumberError,
    Locale,
    is_blank,
    is_number_cell,
    locale_of,
    looks_numeric,
    parse_fraction,
    read_count,
    read_rate,
)
from antq.reading.accounting import Tally, skip_reasons
from antq.reading.cells import Sheet
from antq.reading.labels import MAX_LABEL_CHARS, Label, classify_label
from antq.reading.layout import (
    YEARS,
    Column,
    Layout,
    cell_text,
    merged_down,
    year_cell,
    year_from_text,
)
from antq.reading.places import Placement, place_rows
from antq.reading.terms import area_prefix_levels
from antq.registry import areas, candidates
from antq.vocab import LEVELS, AreaMatch, indicators, resolve_area, vocab_cache

__all__ = ["DETAIL_COLUMNS", "ROW_COLUMNS", "Block", "Same", "SheetRows", "rows_from_layout"]

#: Columns kept beside the tidy ones when ``detail=True``: where each number came from.
DETAIL_COLUMNS: tuple[str, ...] = ("total_source", "rate_source", "table", "row", "is_total")

_EXPECTED = {
    "achieved": "a whole number (or achieved/total such as 2.863/3.462)",
    "total": "a whole number",
    "rate": "a rate such as 94,75 or 94,75%",
}
#: How much of a cell's text an error message quotes (a 5.000-character cell is not quoted whole).
QUOTE_CHARS: int = 80

#: The columns :func:`rows_from_layout` fills, one list each (built column-wise: at
#: national scale a dict per record costs more than reading the cells). ``*_col`` and
#: ``*_row`` are the column letter and row of the file's cell of each number.
ROW_COLUMNS: tuple[str, ...] = (
    "year",
    "province",
    "district",
    "area",
    "area_code",
    "level",
    "indicator",
    "achieved",
    "total",
    "reported_rate",
    "a_col",
    "t_col",
    "r_col",
    "a_row",
    "t_row",
    "r_row",
    "table",
    "row",
    "is_total",
)


@dataclass
class Block:
    """The tidy rows of one indicator group of a table, as its column lists.

    Lists the groups of a table share (the rows' names, levels, provinces …) are the
    same list objects in each of its blocks, and a value the same on every row is kept
    once (:class:`Same`): the Arrow table is built from each list once, not from a
    million repeated Python objects.
    """

    n: int
    #: Column of :data:`ROW_COLUMNS` → its values on the block's rows, or one value.
    values: dict[str, list[object] | Same]

    def column(self, name: str) -> list[object]:
        """The values of one column, one per row."""
        v = self.values[name]
        return [v.value] * self.n if isinstance(v, Same) else v


@dataclass(frozen=True)
class Same:
    """One value on every row of a block."""

    value: object


@dataclass
class SheetRows:
    """What one table gave: tidy values as blocks of columns, and findings.

    ``a_col``/``a_row``, ``t_col``/``t_row`` and ``r_col``/``r_row`` are the
    column letter and row of the achieved, total and rate cells of each row
    (None where there is none); with ``table`` ("file!sheet") they give each
    number's cell. ``read_cells`` counts the distinct cells read.
    """

    blocks: list[Block] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    read_cells: int = 0

    @property
    def columns(self) -> dict[str, list[object]]:
        """Every column of :data:`ROW_COLUMNS` as one list over the blocks."""
        return {c: [v for b in self.blocks for v in b.column(c)] for c in ROW_COLUMNS}

    def __len__(self) -> int:
        return sum(b.n for b in self.blocks)


@dataclass(frozen=True)
class _Group:
    indicator: str
    year: int | None
    achieved: Column | None
    total: Column | None
    rate: Column | None


def _groups(layout: Layout) -> tuple[list[_Group], list[Column]]:
    """Each indicator's achieved, total and rate columns; and the columns no group reads
    (a second column of the same role, a total no indicator of the table counts)."""
    by_key: dict[tuple[str, int | None], dict[str, Column]] = {}
    shared: dict[tuple[str | None, int | None], list[Column]] = {}
    unused: list[Column] = []
    for col in layout.columns:
        if col.indicator is None:
            shared.setdefault((col.unit, col.year), []).append(col)
            continue
        roles = by_key.setdefault((col.indicator, col.year), {})
        if col.role in roles:
            unused.append(col)
        roles.setdefault(col.role, col)
    groups = []
    used: set[int] = set()
    for (ind, year), roles in by_key.items():
        unit = indicators()[ind].unit
        total = roles.get("total") or _shared_for(
            shared.get((unit, year)) or shared.get((unit, None)), roles
        )
        groups.append(_Group(ind, year, roles.get("achieved"), total, roles.get("rate")))
        used |= {c.col for c in (roles.get("achieved"), total, roles.get("rate")) if c}
    unused += [c for cols in shared.values() for c in cols if c.col not in used]
    return groups, unused


def _shared_for(totals: list[Column] | None, roles: dict[str, Column]) -> Column | None:
    """The shared total ("Tổng số khu dân cư") of an indicator's columns: the nearest one
    before them when the table repeats it ("Tổng số KDC | KDC văn hóa | Tổng số KDC | KDC
    an toàn", or a section of its own for each indicator in a table on its side), else the
    first."""
    if not totals:
        return None
    first = min(c.col for c in roles.values())
    before = [c for c in totals if c.col < first]
    return before[-1] if before else totals[0]


def _duplicate_columns(layout: Layout) -> list[Finding]:
    """Two columns read as the same indicator and role: the second is not read."""
    seen: dict[tuple[object, ...], Column] = {}
    out = []
    for col in layout.columns:
        key = (col.indicator, col.unit, col.year, col.role)
        if col.indicator is None:
            continue  # a shared total: each indicator takes the nearest (see _shared_for)
        if key in seen:
            first = seen[key]
            out.append(
                finding(
                    "read.duplicate_column",
                    layout.sheet.source(layout.header_bottom, col.col),
                    expected="one column per indicator and role",
                    found=col.header,
                    header=_short(col.header),
                    first=_short(first.header),
                )
            )
        else:
            seen[key] = col
    return out


def _short(text: str) -> str:
    return text if len(text) <= QUOTE_CHARS else text[:QUOTE_CHARS] + "…"


# ---- 1. what each body row is ----------------------------------------------------------


@dataclass
class _Body:
    """The body rows of a table, sorted out."""

    #: Rows read as data, in order, with their labels.
    rows: list[int] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)
    #: The year a row's "Năm" cell gives (None: the table's year).
    years: list[int | None] = field(default_factory=list)
    has_numbers: list[bool] = field(default_factory=list)
    #: Rows that are not data, with the reason of their numbers.
    skipped: dict[int, str] = field(default_factory=dict)
    #: Rows whose label holds no area name although the row holds numbers.
    no_area: list[int] = field(default_factory=list)
    #: Rows whose "Năm" cell holds something that is no year (their numbers are errors).
    bad_years: list[int] = field(default_factory=list)
    #: Rows that are not data and hold no number in a data column (a sub-heading, a note).
    ignored: list[int] = field(default_factory=list)


def _year_of_row(layout: Layout, cells: list[object]) -> tuple[int | None, bool]:
    """(year, is_difference) of a row's "Năm" cell: 2019, or "Tăng/giảm" (a difference row);
    :data:`BAD_YEAR` when the cell holds something else ("99999999999999999999", a date)."""
    if layout.year_col is None or layout.year_col > len(cells):
        return None, False
    v = cells[layout.year_col - 1]
    if is_blank(v):
        return None, False
    year = year_cell(v)
    if year is not None:
        return year, False
    if not isinstance(v, str):
        return BAD_YEAR, False
    # A difference first: "So với năm 2019" names a year but is no row of that year.
    if classify_label(v).kind == "difference":
        return None, True
    # "Năm 2019"; anything else in the year column would leave the row to the title's year:
    # a wrong key if the cell meant another.
    return year_from_text(v) or BAD_YEAR, False


#: A row's "Năm" cell holding no year: its numbers are not read, and the cell is named.
BAD_YEAR: int = -1


#: What a row is, by its label's kind: the reason its numbers are skipped, or None (data).
_SKIPPED_KINDS: dict[str, str] = {
    "difference": "difference",
    "sub_row": "sub_row",
    "hamlet": "below_table_levels",
    "end": "notes",
    "note": "notes",
}


def _classify_rows(layout: Layout) -> _Body:
    """Step 1: what each body row is (from the layout's scan of the body)."""
    sheet = layout.sheet
    body = _Body()
    last_label: object = None
    section_year: int | None = None
    for r, label, kind, numbers in layout.body:
        year, difference = _year_of_row(layout, sheet.rows[r - 1]) if layout.year_col else _NO_YEAR
        if not numbers and (heading := _year_heading(label)) is not None:
            section_year = heading  # "II. Năm 2020" over its rows: their year
        if year is None and not difference and section_year is not None:
            year = section_year
        if label is None and layout.year_col and (year or difference):
            label = last_label  # one row per year under the area named on the first
            kind = _label_kind(label)
        if not kind or kind == "text":
            kind = _label_kind(label)
        if not _is_data(body, r, kind, numbers, difference=difference, bad_year=year == BAD_YEAR):
            continue
        last_label = label
        body.rows.append(r)
        body.labels.append(classify_label(label))  # type: ignore[arg-type]
        body.years.append(year)
        body.has_numbers.append(numbers)
    return body


def _is_data(
    body: _Body, r: int, kind: str, numbers: bool, *, difference: bool, bad_year: bool
) -> bool:
    """Whether row ``r`` is a row of data; if not, why its numbers are skipped (in ``body``).

    Its year cell first (a difference row; a year cell holding no year is an error whatever
    the label), then what its label says."""
    if difference:
        body.skipped[r] = "difference"
    elif bad_year:
        body.skipped[r] = "error"
        body.bad_years.append(r)
    elif kind in _SKIPPED_KINDS:
        body.skipped[r] = _SKIPPED_KINDS[kind]
    elif kind in ("blank", "number") or (kind == "text" and not numbers):
        if numbers:
            body.skipped[r] = "no_area"
            body.no_area.append(r)
        else:
            body.ignored.append(r)
    else:
        return True
    return False


_NO_YEAR: tuple[int | None, bool] = (None, False)


def _year_heading(label: object) -> int | None:
    """The year a row heading a section of the table names, all it says ("Năm 2019", "II.
    NĂM 2020"), else None: the rows under it are of that year, not the title's."""
    if not isinstance(label, str) or len(label) > 40:
        return None
    words = tokens(classify_label(label).name)
    if len(words) == 2 and words[0] == "nam" and words[1].isdigit():
        year = int(words[1])
        return year if year in YEARS else None
    return None


def _label_kind(label: object) -> str:
    if label is None or is_blank(label):
        return "blank"
    if not isinstance(label, str):
        return "number"  # a number or a date where the name belongs
    got = classify_label(label)
    if got.kind == "text" and len(label) > MAX_LABEL_CHARS:
        return "blank"  # a paragraph where the name belongs: no area (read.no_area names it)
    return got.kind


# ---- 2. each row's area and level ------------------------------------------------------


def _level_index(level: str | None) -> int | None:
    return LEVELS.index(level) if level in LEVELS else None


@dataclass
class _Named:
    names: list[str] = field(default_factory=list)
    levels: list[str] = field(default_factory=list)
    totals: list[bool] = field(default_factory=list)
    #: Rows that head a group (an area without numbers over the rows of the level below).
    headings: set[int] = field(default_factory=set)
    #: The level index of each area row (:func:`_row_levels`), worked out once per table.
    row_levels: list[int | None] = field(default_factory=list)


def _headings(body: _Body) -> set[int]:
    """Areas without numbers followed by areas of a lower level: headings of groups."""
    out = set()
    for i, (label, numbers) in enumerate(zip(body.labels, body.has_numbers, strict=True)):
        if numbers or label.kind != "area":
            continue
        here = _level_index(label.level)
        nxt = next((lb for lb in body.labels[i + 1 :] if lb.kind == "area"), None)
        below = _level_index(nxt.level) if nxt else None
        if here is not None and below is not None and below > here:
            out.add(i)
    return out


def _row_levels(layout: Layout, body: _Body) -> list[int | None]:
    """The level index of each area row, for telling the table's levels: None for a name
    written without its prefix that the registry knows at several levels ("Yên Bình": a
    district of Yên Bái, a commune of Ý Yên), unless every named row is such a name; one
    such row among a district's communes would make its total the province's."""
    texts = {r: text for r, text, *_ in layout.body}
    out: list[int | None] = []
    bare = 0
    for r, lb in zip(body.rows, body.labels, strict=True):
        if lb.kind != "area":
            continue
        level = _level_index(lb.level)
        text = texts.get(r)
        if level is not None and isinstance(text, str) and _bare_of_several_levels(text):
            level = None
            bare += 1
        out.append(level)
    if bare and all(lv is None for lv in out):
        return [_level_index(lb.level) for lb in body.labels if lb.kind == "area"]
    return out


@vocab_cache
def _bare_of_several_levels(text: str) -> bool:
    """Whether ``text`` is a name written without its prefix ("Yên Bình", not "Xã Yên
    Bình") that the registry knows at more than one level. Once per text: a sheet's rows
    are looked at several times, and a folder's sheets repeat their names."""
    words = tokens(text)
    if any(words[: len(p)] == p for p, _, _ in area_prefix_levels()):
        return False
    return _several_levels(text)


def _several_levels(text: str) -> bool:
    """Whether a name the registry knows at more than one level ("Yên Bình")."""
    return sum(bool(candidates(text, any_time=True, level=lv)) for lv in LEVELS) > 1


def _encloses_rows(
    area: AreaMatch | None, body: _Body, year: int | None, levels: list[int | None]
) -> bool:
    """Whether an area a sheet's name names is the one its rows are in: one level above
    them (a sheet "Hải Hậu" of communes), not one of them (a sheet "Nam Định" of districts);
    in a year without districts, a province over its communes (a sheet "Ninh Bình" of 2025)."""
    if area is None or area.level is None:
        return False
    known = [lv for lv in levels if lv is not None]
    top = min(known) if known else len(LEVELS)
    if _level_index(area.level) != _above(top, year):
        return False
    # Rows antq knows to be in another area: the name is not theirs ("Nam Định", the
    # province's sheet, is also the city's name).
    return not _rows_elsewhere(area, body, levels)


def _rows_elsewhere(area: AreaMatch, body: _Body, levels: list[int | None]) -> bool:
    """Whether a known row of the sheet lies in another unit than ``area`` (its province, or
    its district): an area row whose level counts, or any other known label."""
    at = 0 if area.level == "province" else 1

    def elsewhere(lb: Label) -> bool:
        return lb.known and _parents_of(lb.name)[at] not in (None, area.name)

    named = [lb for lb in body.labels if lb.kind == "area"]
    return any(lv is not None and elsewhere(lb) for lb, lv in zip(named, levels, strict=True)) or (
        any(lb.kind != "area" and elsewhere(lb) for lb in body.labels)
    )


def _above(level: int, year: int | None) -> int:
    """The index of the level just above ``level`` in ``year``: the province above its
    communes in a year whose end no district saw (from 1 July 2025)."""
    up = max(level - 1, 0)
    if LEVELS[up] == "district" and not _districts_at_end_of(year):
        return LEVELS.index("province")
    return up


@lru_cache(maxsize=64)
def _districts_at_end_of(year: int | None) -> bool:
    """Whether district-level units were in force at the end of ``year`` (always, unknown)."""
    if year is None:
        return True
    return bool(len(areas(on=f"{year}-12-31", level="district")))


def _parents_of(name: str) -> tuple[str | None, str | None]:
    """(province, district) a known area is in or is, at any date, where every unit of that
    name agrees; None where they differ or the name is unknown."""
    found = candidates(name, any_time=True)
    provinces = {a.province for a in found}
    districts = {a.district if a.level != "district" else a.name for a in found}
    return (
        next(iter(provinces)) if len(provinces) == 1 else None,
        next(iter(districts)) if len(districts) == 1 else None,
    )


def _contexts(
    layout: Layout, within: str | None, body: _Body, year: int | None, levels: list[int | None]
) -> list[AreaMatch]:
    """The areas a sheet says it is about: its name, its letterhead, ``within``; and the
    district all its communes lie in when none of those names a district (a district's
    communes under the province police's letterhead: their "Cộng" is the district's)."""
    named = layout.sheet_area if _encloses_rows(layout.sheet_area, body, year, levels) else None
    out = [a for a in (named, layout.enclosing) if a is not None and a.level]
    if within:
        w = resolve_area(within)
        if w.level:
            out.append(w)
    if all(a.level != "district" for a in out) and (
        district := _district_of_rows(body, levels, year)
    ):
        out.append(district)
    return out


def _district_of_rows(body: _Body, levels: list[int | None], year: int | None) -> AreaMatch | None:
    """The district every commune row of a sheet lies in, when nothing on the sheet names
    it: its total is that district's ("Cộng toàn huyện" under Trực Ninh's communes is Huyện
    Trực Ninh, not a "Toàn huyện" that every district's file would share)."""
    commune = LEVELS.index("commune")
    named = [lb for lb in body.labels if lb.kind == "area"]
    rows = [lb for lb, lv in zip(named, levels, strict=True) if lv is not None]
    if len(rows) < 2 or any(not lb.known or _level_index(lb.level) != commune for lb in rows):
        return None
    common = _common_district(rows, year)
    return AreaMatch(common, "district", True) if common else None


def _common_district(rows: list[Label], year: int | None) -> str | None:
    """The one district every row's name can be a commune of in ``year``, else None."""
    common: set[str] | None = None
    for lb in rows:
        theirs = {a.district for a in candidates(lb.name, year=year) if a.district}
        common = theirs if common is None else common & theirs
        if not common:
            return None
    return next(iter(common)) if common is not None and len(common) == 1 else None


def _total_level(
    body: _Body, contexts: list[AreaMatch], year: int | None, levels: list[int | None]
) -> str:
    """The level of a total row whose label names none: one above the rows it sums."""
    known = [lv for lv in levels if lv is not None]
    if known:
        top = min(known)
    elif "below_table_levels" in body.skipped.values():
        top = len(LEVELS)  # a commune's report of its hamlets: the total is the commune
    else:
        top = LEVELS.index("district")
    level = LEVELS[_above(top, year)]
    context_levels = {c.level for c in contexts}
    if level == "district" and "district" not in context_levels and "province" in context_levels:
        # A province's table of communes, no district named (a pilot list; none exist from
        # 2025): its total is the province's.
        level = "province"
    return level


_TOTAL_NAMES = {"province": "Toàn tỉnh", "district": "Toàn huyện", "commune": "Toàn xã"}


def _context_name(contexts: list[AreaMatch], level: str) -> str:
    for c in contexts:
        if c.level == level:
            return c.name
    return _TOTAL_NAMES[level]


@dataclass
class _Grouping:
    """The group rows seen so far, to tell which group a total row closes."""

    group: Label | None = None
    #: Groups before the current one that no total row closed.
    unclosed: int = 0
    #: How the groups' own totals were written ("cong"), folded.
    closers: set[str] = field(default_factory=set)

    def open(self, label: Label) -> None:
        self.unclosed += self.group is not None
        self.group = label

    def closed_by(self, label: Label, text: str) -> Label | None:
        """The group a total row (its label, its folded text) closes, if any.

        After groups that closed with no total of their own, or with totals written
        otherwise ("Cộng" each, then "Tổng cộng"), an unnamed total is the table's, not
        the last group's.
        """
        group = self.group
        own = group is not None and not self.unclosed and (not self.closers or text in self.closers)
        if label.level is None:
            if own:
                self.closers.add(text)
            self.group = None
        return group if own else None


def _name_rows(layout: Layout, body: _Body, within: str | None, year: int | None) -> _Named:
    """Step 2: each data row's area name and level; total rows named for what they total."""
    levels = _row_levels(layout, body)
    contexts = _contexts(layout, within, body, year, levels)
    default_total = _total_level(body, contexts, year, levels)
    known = [lv for lv in levels if lv is not None]
    child = _child_level(known, contexts, default_total)
    out = _Named(headings=_headings(body), row_levels=levels)
    groups = _Grouping()
    texts = {r: fold(str(text)) for r, text, *_ in layout.body}
    for i, label in enumerate(body.labels):
        total = False
        if i in out.headings:
            groups.open(label)
            name, level = label.name, label.level or child
        elif label.kind == "total":
            closes = groups.closed_by(label, texts.get(body.rows[i], ""))
            name, level = _total_of(label, closes, contexts, default_total)
            total = True
        else:
            name = label.name
            level = label.level if label.kind == "area" and label.level else child
        out.names.append(name)
        out.levels.append(level)
        out.totals.append(total)
    return out


def _child_level(known: list[int], contexts: list[AreaMatch], default_total: str) -> str:
    """The level of rows whose names say none ("Hải Châu"): that of the named rows, else one
    below the area the sheet is about, else one below the total."""
    if known:
        return LEVELS[min(known)]
    levels = [i for c in contexts if (i := _level_index(c.level)) is not None]
    if levels and max(levels) < len(LEVELS) - 1:
        return LEVELS[max(levels) + 1]
    return "commune" if default_total == "district" else "district"


def _total_of(
    label: Label, group: Label | None, contexts: list[AreaMatch], default: str
) -> tuple[str, str]:
    """(name, level) of a total row: the area its label names ("Cộng huyện Hải Hậu"); the
    group it closes, when its label names no other level; the level its label names or
    ``default``, named from the sheet's contexts ("Toàn huyện" when none names it)."""
    if label.name and label.level:
        return label.name, label.level
    if group is not None and group.level and label.level in (None, group.level):
        return group.name, group.level
    level = label.level or default
    return _context_name(contexts, level), level


# ---- 3. province and district ----------------------------------------------------------


@dataclass
class _Placed:
    #: Each row's name and level for the report's year (the registry's where it knows the
    #: unit; a total's as its label and the sheet name it).
    names: list[str] = field(default_factory=list)
    levels: list[str] = field(default_factory=list)
    provinces: list[str | None] = field(default_factory=list)
    districts: list[str | None] = field(default_factory=list)
    codes: list[str | None] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def _parents(layout: Layout, body: _Body) -> list[str | None]:
    """The area a parent column names for each data row (merged over its rows)."""
    c = layout.parent_col
    if c is None:
        return [None] * len(body.rows)
    fills = merged_down(layout.sheet, c, layout.body_start)
    out: list[str | None] = []
    for r in body.rows:
        v = layout.sheet.get(r, c)
        v = fills.get(r) if v is None else v
        label = classify_label(v) if isinstance(v, str) else None
        out.append(label.name if label is not None and label.kind == "area" else None)
    return out


def _place(
    layout: Layout, body: _Body, named: _Named, year: int | None, within: str | None
) -> _Placed:
    """Step 3: each data row's unit for ``year`` (its name as written resolved by the
    registry: a bare "Hải Hậu" is the district in 2024, the commune in 2025), province,
    district and code, run by run of rows that share a parent
    (:func:`antq.reading.places.place_rows` takes one ``within`` per call). Unknown,
    ambiguous and ceased names are reported there, with the year and the cell."""
    out = _Placed()
    written = [
        name if total or not label.written else label.written
        for label, name, total in zip(body.labels, named.names, named.totals, strict=True)
    ]
    cells = _Cells(layout.sheet, body.rows, layout.area_col)
    # What the sheet says comes before ``within=``, which is for sheets that do not say.
    sheet_within = None
    if _encloses_rows(layout.sheet_area, body, year, named.row_levels):
        sheet_within = layout.sheet_area.name  # type: ignore[union-attr]
    if sheet_within is None and layout.superior is not None:
        sheet_within = layout.superior.name
    parents = _parents(layout, body)
    i = 0
    while i < len(body.rows):
        j = i
        while j < len(body.rows) and parents[j] == parents[i]:
            j += 1
        placed = place_rows(
            written[i:j],
            named.levels[i:j],
            named.totals[i:j],
            enclosing=layout.enclosing,
            year=year,
            within=parents[i] or sheet_within,
            sources=cells[i:j],
            inside=within,
        )
        _take(out, placed, named, i, year)
        i = j
    return out


class _Cells(Sequence[str]):
    """The sources of a column's cells over some rows, made when asked for: a table placed
    before (:func:`~antq.reading.places.place_rows`) names none of them."""

    def __init__(self, sheet: Sheet, rows: list[int], col: int) -> None:
        self.sheet, self.rows, self.col = sheet, rows, col

    @overload
    def __getitem__(self, i: int) -> str: ...
    @overload
    def __getitem__(self, i: slice) -> _Cells: ...
    def __getitem__(self, i: int | slice) -> str | _Cells:
        if isinstance(i, slice):
            return _Cells(self.sheet, self.rows[i], self.col)
        return self.sheet.source(self.rows[i], self.col)

    def __len__(self) -> int:
        return len(self.rows)


def _take(out: _Placed, placed: Placement, named: _Named, i: int, year: int | None) -> None:
    """Rows ``i`` … of ``named`` as :func:`place_rows` placed them. A unit the registry knows
    takes its name of that year; an unknown name keeps its canonical spelling ("Xã Hải
    Mới"); a total keeps the name and level its label and the sheet give (place_rows guesses
    a total's level from the rows it sums: a commune's report of its hamlets has none), and
    takes its unit's province, district and code where the registry knows that unit."""
    for k in range(i, i + len(placed.codes)):
        at = k - i
        name, level = named.names[k], named.levels[k]
        province, district, code = placed.provinces[at], placed.districts[at], placed.codes[at]
        if named.totals[k]:
            found = candidates(name, year=year, level=level) if level else ()
            if len(found) == 1:
                unit = found[0]
                province, district, code = unit.province, unit.district, unit.code
            elif level != placed.levels[at]:
                # place_rows took the total for another level: its code is of that level's
                # unit, not of this one ("Toàn tỉnh" over one city's commune).
                code = None
        elif code is not None:
            name, level = placed.names[at], placed.levels[at]
        if level == "province":
            district = None  # a province lies in no district, whatever its rows share
        out.names.append(name)
        out.levels.append(level)
        out.provinces.append(province)
        out.districts.append(district)
        out.codes.append(code)
    out.findings += placed.findings


# ---- 4. values -------------------------------------------------------------------------


_NUMBER_TYPES = frozenset({int, float})


@dataclass
class _Reader:
    """Reads the cells of a table's columns under one policy, tallying what it reads."""

    layout: Layout
    errors: str
    findings: list[Finding]
    tally: Tally
    rows: list[int]
    body_cells: list[list[object]]
    #: Values already read, by column (a shared total is read once).
    done: dict[tuple[int, str], list[object]] = field(default_factory=dict)
    #: Cells read the English way: (row, col, text, reading).
    english: list[tuple[int, int, str, str]] = field(default_factory=list)
    _locale: Locale | None = None
    _locale_known: bool = False

    def locale(self) -> Locale:
        """How the table writes its numbers, from its text numbers (asked for only when a
        text number's reading depends on it)."""
        if not self._locale_known:
            cols = sorted({c.col for c in self.layout.columns})
            texts = [
                v
                for cells in self.body_cells
                for c in cols
                if (v := cells[c - 1]).__class__ is str and looks_numeric(v)
            ]
            self._locale, self._locale_known = locale_of(texts), True
        return self._locale or ""

    def column(self, col: Column | None, role: str) -> list[object]:
        """Parsed values of one column over the data rows (read once; not to be changed)."""
        if col is None:
            return [None] * len(self.rows)
        key = (col.col, role)
        got = self.done.get(key)
        if got is None:
            got = self.done[key] = self._read(col, role)
        return got

    def _read(self, col: Column, role: str) -> list[object]:
        raw = list(map(itemgetter(col.col - 1), self.body_cells))
        fraction = role == "rate" and _holds_fractions(raw)
        fast = _fast(raw, role, fraction, self.layout.sheet)
        if fast is not None:
            return fast
        return [self._value(r, col, v, role, fraction) for r, v in zip(self.rows, raw, strict=True)]

    def _value(self, r: int, col: Column, v: object, role: str, fraction: bool) -> object:
        """The parsed value ``v`` of the cell at row ``r`` of ``col``, under the policy."""
        sheet = self.layout.sheet
        if sheet.uncached and (r, col.col) in sheet.uncached:
            return self._bad(r, col, role, "uncached")
        if v is None:
            return None
        try:
            if role == "achieved":
                frac = parse_fraction(v, self._text_locale(v))
                if frac is not None:
                    return frac
            if role == "rate":
                got, loc = read_rate(v, None, fraction=fraction, locale=self._text_locale(v))
            else:
                got, loc = read_count(v, self._text_locale(v))
        except AmbiguousNumberError:
            return self._bad(r, col, role, "ambiguous")
        except ValueError:
            return self._bad(r, col, role, "bad")
        if loc == "en" and isinstance(v, str):
            self.english.append((r, col.col, v, _shown(got, role)))
        return got

    def _text_locale(self, v: object) -> Locale | None:
        # Numbers typed as numbers have no locale: only text asks the table for its own.
        return self.locale() if isinstance(v, str) else None

    def _bad(self, r: int, col: Column, role: str, why: str) -> object:
        """A cell that should hold a number and does not: raise, or NA and a finding."""
        sheet = self.layout.sheet
        source = sheet.source(r, col.col)
        raw = sheet.get(r, col.col)
        found: object = "a formula with no saved value" if why == "uncached" else raw
        if isinstance(found, str):
            found = _short(found)
        expected = f"{_EXPECTED[role]} (column '{_short(col.header)}')"
        if why == "uncached":
            expected += "; open the file in Excel and save it so the formula's value is stored"
        if why == "ambiguous":
            expected += (
                f"; the table writes its numbers the {_WAY[self.locale() or 'vi'][1]} way, "
                f"where {raw!r} could be read two ways"
            )
        if why == "bad" and raw.__class__ in _NUMBER_TYPES:
            expected += f" of at most {MAX_COUNT:,} in size, finite"
        bad = self._bad_finding(source, raw, found, role, why)
        if self.errors == "raise":
            raise CellValueError(source, found, expected, vi=f"{source}: {bad.message}")
        if is_number_cell(raw):
            self.tally.skip(sheet, "error", [(r, col.col)])
        self.findings.append(bad)
        return None

    def _bad_finding(self, source: str, raw: object, found: object, role: str, why: str) -> Finding:
        if why == "ambiguous":
            text = str(raw).strip()
            vi, en = _two_readings(text)
            way = self.locale() or "vi"
            return finding(
                "read.ambiguous_number",
                source,
                expected=Word(f"expect.{role}"),
                found=text,
                a=Reading(vi),
                b=Reading(en),
                way=_WAY[way][1],
                way_vi=_WAY[way][0],
            )
        rule = "read.uncached_formula" if why == "uncached" else "read.not_a_number"
        return finding(rule, source, expected=Word(f"expect.{role}"), found=str(found))


_WAY = {
    "vi": ("tiếng Việt (1.234; 94,75%)", "Vietnamese (1.234; 94,75%)"),
    "en": ("tiếng Anh (1,234; 94.75%)", "English (1,234; 94.75%)"),
}


def _two_readings(text: str) -> tuple[str, str]:
    """The two readings of an ambiguous text number, as a person would say them."""
    body = text.rstrip("%").strip()
    vi = body.replace(".", "").replace(",", ".")
    en = body.replace(",", "")
    return vi, en


def _shown(value: object, role: str) -> str:
    if role == "rate" and isinstance(value, float):
        return Pct(value).render("vi")
    if isinstance(value, tuple):
        return f"{value[0]}/{value[1]}"
    return f"{value:,}".replace(",", ".") if isinstance(value, int) else str(value)


def _fast(raw: list[Any], role: str, fraction: bool, sheet: Sheet) -> list[object] | None:
    """The common case, a whole column of plain finite numbers, at C speed; None otherwise."""
    if sheet.uncached or not set(map(type, raw)) <= _NUMBER_TYPES:
        return None
    if role == "rate":
        if not math.isfinite(sum(raw)):
            return None  # NaN or infinity: the careful path names the cell
        # Rounded to 12 places later, in one step: 94.75 / 100 is 0.9475000000000001.
        return [float(v) for v in raw] if fraction else [v / 100 for v in raw]
    # One pass for both checks: NaN fails the comparison, infinity and a count too large for
    # antq exceed the bound (a sum of real counts never does).
    if not sum(map(abs, raw)) <= MAX_COUNT:
        return None
    floats = [v for v in raw if v.__class__ is float]
    if not all(map(float.is_integer, floats)):
        return None
    return list(map(int, raw))


def _holds_fractions(raw: list[Any]) -> bool:
    """Whether a rate column holds fractions (0.9475) rather than percentages (94.75).

    python-calamine gives no number formats, so a column whose numbers are all
    at most 1 is read as fractions shown with a percent format: a column of
    rates all under 1% is not a report anyone sends.
    """
    nums = [v for v in raw if (v.__class__ is float or v.__class__ is int) and math.isfinite(v)]
    return bool(nums) and max(map(abs, nums)) <= 1


# ---- 5. the tidy rows ------------------------------------------------------------------


def _refs(sheet: Sheet, rows: list[int], col: Column | None) -> tuple[list[Any], list[Any]]:
    """Column letters and rows of the file's cells of ``col`` over ``rows``."""
    n = len(rows)
    if col is None:
        return [None] * n, [None] * n
    if not sheet.transposed:
        return [get_column_letter(col.col)] * n, rows
    cells = [sheet.cell_of(r, col.col) for r in rows]
    return [get_column_letter(c) for _, c in cells], [r for r, _ in cells]


@dataclass
class _Values:
    achieved: list[object]
    total: list[object]
    rate: list[object]
    t_letters: list[object]
    t_rows: list[object]


def _read_group(
    reader: _Reader,
    g: _Group,
    a_refs: tuple[list[object], list[object]],
    t_refs: tuple[list[object], list[object]],
) -> _Values:
    sheet = reader.layout.sheet
    achieved = reader.column(g.achieved, "achieved")
    total = reader.column(g.total, "total")
    rate = reader.column(g.rate, "rate")
    if tuple not in set(map(type, achieved)):
        return _Values(achieved, total, rate, t_refs[0], t_refs[1])
    # Fractions "2.863/3.462" give the total too: copies, the columns read stay as they are.
    achieved, total = list(achieved), list(total)
    t_letters, t_rows = list(t_refs[0]), list(t_refs[1])
    for i, v in enumerate(achieved):
        if type(v) is not tuple:
            continue
        achieved[i], frac_total = v
        if total[i] is None:
            total[i], t_letters[i], t_rows[i] = frac_total, a_refs[0][i], a_refs[1][i]
        elif total[i] != frac_total:
            reader.findings.append(
                finding(
                    "read.fraction_total",
                    sheet.source(reader.rows[i], g.achieved.col),  # type: ignore[union-attr]
                    expected=str(total[i]),
                    found=str(frac_total),
                    frac=frac_total,
                    total=total[i],
                )
            )
    return _Values(achieved, total, rate, t_letters, t_rows)


def _emit(
    out: SheetRows,
    reader: _Reader,
    groups: list[_Group],
    named: _Named,
    placed: _Placed,
    body: _Body,
    sheet_year: int | None,
) -> None:
    """Step 5: the tidy rows of every indicator, column by column."""
    sheet = reader.layout.sheet
    keep = [i for i in range(len(body.rows)) if i not in named.headings]
    pick = itemgetter(*keep) if keep else None

    def sel(values: list[Any]) -> list[object]:
        if not named.headings:
            return values  # every row is data: nothing to leave out
        if pick is None:
            return []
        got = pick(values)
        return list(got) if len(keep) > 1 else [got]

    rows = sel(body.rows)
    n = len(rows)
    years = sel([y if y is not None else sheet_year for y in body.years])
    shared: dict[str, list[object] | Same] = {
        "province": sel(placed.provinces),
        "district": sel(placed.districts),
        "area": sel(placed.names),
        "area_code": sel(placed.codes),
        "level": sel(placed.levels),
        "table": Same(f"{sheet.file}!{sheet.name}"),
        "is_total": sel(named.totals),
    }
    refs: dict[int, tuple[list[object] | Same, list[object]]] = {}  # by column: read once

    def cells(col: Column | None) -> tuple[list[object] | Same, list[object]]:
        key = col.col if col is not None else -1
        if key not in refs:
            letters, at = _refs(sheet, body.rows, col)
            refs[key] = (_same_or(sel(letters)), sel(at))
        return refs[key]

    for g in groups:
        a_refs, t_refs = (_refs(sheet, body.rows, c) for c in (g.achieved, g.total))
        v = _read_group(reader, g, a_refs, t_refs)
        # The row's own cell: its achieved count's, else its rate's or total's.
        a_letters, a_rows = cells(g.achieved if g.achieved else (g.rate if g.rate else g.total))
        t_letters, t_rows = (
            cells(g.total) if v.t_letters is t_refs[0] else (sel(v.t_letters), sel(v.t_rows))
        )
        r_letters, r_rows = cells(g.rate)
        block = {
            **shared,
            "year": years if g.year is None else Same(g.year),
            "indicator": Same(g.indicator),
            "achieved": sel(v.achieved),
            "total": sel(v.total),
            "reported_rate": sel(v.rate),
            "a_col": a_letters,
            "a_row": a_rows,
            "t_col": t_letters,
            "t_row": t_rows,
            "r_col": r_letters,
            "r_row": r_rows,
            "row": a_rows,
        }
        out.blocks.append(Block(n, block))


def _same_or(values: list[object]) -> list[object] | Same:
    """``Same(v)`` when every value is ``v`` (a column's letter on every row), else the list."""
    if values and values.count(values[0]) == len(values):
        return Same(values[0])
    return values


# ---- 6. the accounting -----------------------------------------------------------------


def _read_count(reader: _Reader) -> tuple[int, set[int]]:
    """Distinct cells read, and the columns they are in (a shared total is read once)."""
    read = 0
    counted: set[int] = set()
    for (c, _role), values in reader.done.items():
        if c not in counted:
            counted.add(c)
            read += len(values) - values.count(None)  # headings hold no number in a data column
    return read, counted


def _column_reasons(layout: Layout, unused: list[Column]) -> dict[int, tuple[str, str]]:
    """(reason, header) of each column of the table that is not read."""
    reasons = {s.col: (s.reason, s.header) for s in layout.skipped}
    reasons.update({c.col: ("unused_total", c.header) for c in unused})
    if layout.year_col is not None:
        reasons[layout.year_col] = ("year_label", reasons.get(layout.year_col, ("", ""))[1])
    return reasons


def _account(
    reader: _Reader, body: _Body, named: _Named, unused: list[Column]
) -> tuple[int, list[Finding]]:
    """Step 6: every number of the table is read or skipped with a reason; return the count
    of distinct cells read and the findings on what was skipped."""
    del named  # headings are rows of the body like any other here
    layout, tally = reader.layout, reader.tally
    sheet = layout.sheet
    findings: list[Finding] = []
    # Every row whose numbers take their column's reason: data rows, headings, rows ignored.
    data_rows = sorted(body.rows + body.ignored)
    cells_of = {r: sheet.rows[r - 1] for r in data_rows}
    read, counted = _read_count(reader)
    width = layout.last_col or max(sheet.n_cols, layout.area_col)
    _account_header(layout, tally, {s.col: (s.reason, s.header) for s in layout.skipped})
    reasons = _column_reasons(layout, unused)
    for c in range(layout.first_col, width + 1):
        reason, header = reasons.get(c, ("", ""))
        if c in counted or c == layout.area_col or not reason:
            continue  # read; the rows' names; or no numbers (else the sheet's check says so)
        values = [cells_of[r][c - 1] if c <= len(cells_of[r]) else None for r in data_rows]
        before = tally.reasons[reason]
        tally.skip_column(sheet, reason, data_rows, c, values)
        n = tally.reasons[reason] - before
        if n and reason not in ("row_number", "year_label", "column_number"):
            findings.append(_column_finding(layout, c, header, reason, n, data_rows, values))
    findings += _account_rows(layout, body, tally, reasons)
    return read, findings


def _account_header(layout: Layout, tally: Tally, reasons: dict[int, tuple[str, str]]) -> None:
    """Numbers in the header block: years, column numbers, row numbers of a table on its side."""
    sheet = layout.sheet
    for r in range(layout.header_top, layout.body_start):
        cells = [(c, v) for c, v in sheet.row_items(r) if c >= layout.first_col]
        for c, v in cells:
            if not is_number_cell(v):
                continue
            reason = "column_number" if reasons.get(c, ("",))[0] == "column_number" else None
            reason = reason or layout.header_reasons.get(r)
            if reason is None:
                reason = "year_label" if year_cell(v) in YEARS else "header"
            tally.skip(sheet, reason, [(r, c)])


def _account_rows(
    layout: Layout, body: _Body, tally: Tally, reasons: dict[int, tuple[str, str]]
) -> list[Finding]:
    """Numbers of rows that are not data take their row's reason (row numbers and years keep
    theirs); one finding per reason."""
    sheet = layout.sheet
    by_reason: dict[str, list[int]] = {}
    for r, reason in body.skipped.items():
        by_reason.setdefault(reason, []).append(r)
    findings = []
    own = ("row_number", "year_label", "column_number")
    for reason, rows in by_reason.items():
        before = tally.reasons[reason]
        # A row in error because of its year cell: that cell is the error, not a year label.
        keep = own if reason != "error" else ("row_number", "column_number")
        for r in rows:
            for c, _v in sheet.row_items(r):
                if c < layout.first_col:
                    continue
                col_reason = reasons.get(c, ("", ""))[0]
                tally.skip(sheet, col_reason if col_reason in keep else reason, [(r, c)])
        n = tally.reasons[reason] - before
        if n and reason != "no_area":
            label = _row_label(layout, rows[0], reason)
            findings.append(
                finding(
                    "read.skipped_rows",
                    sheet.source(rows[0], layout.area_col),
                    expected="areas",
                    found=_short(str(label or "")),
                    rows=len(rows),
                    label=_short(str(label or "")),
                    n=n,
                    why=skip_reasons()[reason][1],
                    why_vi=skip_reasons()[reason][0],
                )
            )
    return findings


def _row_label(layout: Layout, r: int, reason: str) -> object:
    """What a skipped row is called: its "Năm" cell when that says why ("So với năm 2019"
    under an area merged over its year rows), else its area cell or the area merged over it."""
    sheet = layout.sheet
    if reason == "difference" and layout.year_col is not None:
        said = sheet.get(r, layout.year_col)
        if isinstance(said, str):
            return said
    return sheet.get(r, layout.area_col) or merged_down(sheet, layout.area_col, r).get(r)


def _column_finding(
    layout: Layout, c: int, header: str, reason: str, n: int, rows: list[int], values: list[object]
) -> Finding:
    first = next((r for r, v in zip(rows, values, strict=True) if looks_numeric(v)), rows[0])
    source = layout.sheet.source(first, c)
    if reason == "unrecognised_column":
        return finding(
            "read.unrecognised_column",
            source,
            expected="a header naming an indicator (antq/data/header_terms.csv)",
            found=_short(header) or "(no header)",
            header=_short(header) or "(no header)",
            n=n,
        )
    return finding(
        "read.skipped_column",
        source,
        expected="a column of an indicator",
        found=_short(header) or "(no header)",
        header=_short(header) or "(no header)",
        n=n,
        why=skip_reasons()[reason][1],
        why_vi=skip_reasons()[reason][0],
    )


# ---- the steps together ----------------------------------------------------------------


def _before_start(
    layout: Layout,
    body: _Body,
    named: _Named,
    placed: _Placed,
    groups: list[_Group],
    sheet_year: int | None,
    latest: int | None,
) -> list[Finding]:
    """Rows of a year before their unit was formed, said once per table: a 2025 report's
    "Năm 2024" columns for the communes of 1/7/2025 hold figures the report recomputed
    for the new units, which must not be added to the old units of 2024."""
    by_year = {g.year for g in groups if g.year is not None}
    # Each row's years: the table's column groups, else its own year (its "Năm" cell).
    row_years: list[set[int]] = [
        by_year or ({own} if (own := y if y is not None else sheet_year) is not None else set())
        for y in body.years
    ]
    # Names resolve for the latest year: only a table reaching further back can say this
    # (most tables are of one year, and look up nothing here).
    if latest is None or all(min(ys, default=latest) >= latest for ys in row_years):
        return []
    early = _early_rows(named, placed, row_years, latest)
    if not early:
        return []
    i, start, _years = early[0]
    names = [placed.names[k] for k, _s, _y in early]
    years = sorted(set().union(*(ys for _k, _s, ys in early)))
    shown = ", ".join(names[:NAMES_SHOWN]) + (", …" if len(names) > NAMES_SHOWN else "")
    said = ", ".join(map(str, years))
    return [
        finding(
            "area.before_start",
            layout.sheet.source(body.rows[i], layout.area_col),
            n=len(names),
            years=said,
            start=f"{start.day}/{start.month}/{start.year}",
            names=shown,
            year=years[0],
            found=said,
            expected=start.isoformat(),
        )
    ]


def _early_rows(
    named: _Named, placed: _Placed, row_years: list[set[int]], latest: int
) -> list[tuple[int, date, set[int]]]:
    """(row, its unit's first day, the row's years before it) of each unit row whose
    years reach before its unit was formed."""
    out = []
    for i, code in enumerate(placed.codes):
        if code is None or named.totals[i] or i in named.headings:
            continue
        if min(row_years[i], default=latest) >= latest:
            continue  # the rows of the latest year: their units are in force in it
        start = _start_of(placed.names[i], code, placed.levels[i], latest)
        if start is None:
            continue
        before = {y for y in row_years[i] if y < start.year}
        if before:
            out.append((i, start, before))
    return out


#: Names a table-wide finding lists before "…".
NAMES_SHOWN: int = 5


def _start_of(name: str, code: str, level: str, year: int) -> date | None:
    """The first day of the unit a row was placed as (its name and code at ``level`` in
    ``year``), if the registry says: by the code alone, Xã Hợp Hưng's 13753 (until
    30/6/2025) would be Xã Hiển Khánh's (from 1/7/2025), which reuses it."""
    for unit in candidates(name, year=year, level=level):
        if unit.code == code:
            return unit.valid_from
    return None


def _no_area_findings(layout: Layout, rows: list[int]) -> list[Finding]:
    out = []
    for r in rows:
        row, col = layout.sheet.cell_of(r, layout.area_col)
        label = layout.sheet.get(r, layout.area_col)
        out.append(
            finding(
                "read.no_area",
                layout.sheet.source(r, layout.area_col),
                expected="an area name",
                found=_short(cell_text(label)) if label is not None else "",
                row=row,
                col=get_column_letter(col),
            )
        )
    return out


def _bad_year_findings(layout: Layout, rows: list[int], errors: str) -> list[Finding]:
    """Rows whose "Năm" cell holds no year: raise, or one error naming each cell."""
    out = []
    for r in rows:
        source = layout.sheet.source(r, layout.year_col)  # type: ignore[arg-type]
        raw = layout.sheet.get(r, layout.year_col)  # type: ignore[arg-type]
        found = _short(raw) if isinstance(raw, str) else raw
        bad = finding("read.not_a_number", source, expected=Word("expect.year"), found=str(found))
        if errors == "raise":
            expected = "a year (2019 or 'Năm 2019') in the year column"
            raise CellValueError(source, found, expected, vi=f"{source}: {bad.message}")
        out.append(bad)
    return out


def _english_finding(layout: Layout, english: list[tuple[int, int, str, str]]) -> list[Finding]:
    if not english:
        return []
    r, c, text, reading = english[0]
    return [
        finding(
            "read.other_locale",
            layout.sheet.source(r, c),
            expected="numbers written the Vietnamese way (1.234; 94,75%)",
            found=text,
            n=len(english),
            example=repr(text),
            reading=reading,
        )
    ]


def rows_from_layout(
    layout: Layout,
    *,
    errors: str = "raise",
    year: int | None = None,
    within: str | None = None,
    tally: Tally | None = None,
) -> SheetRows:
    """Tidy records of one table, and the accounting of its numbers.

    Parameters
    ----------
    layout
        The table's layout from :func:`antq.reading.layout.find_layouts`.
    errors
        ``"raise"``: a number cell holding text raises :class:`CellValueError`;
        ``"coerce"``: the value is NA and a finding names the cell.
    year
        The year of a table whose sheet gives none (in its title, sheet name or file
        name); a year the sheet gives, and years stated per column or row, are kept.
    within
        The area the sheet's rows belong to, where the sheet does not say.
    tally
        The sheet's :class:`~antq.reading.accounting.Tally`: what is skipped is added
        to it (default: a tally of its own).

    Examples
    --------
    >>> from antq.reading.cells import Sheet
    >>> from antq.reading.layout import find_layout
    >>> s = Sheet.from_values("f.xlsx", "2020", {(1, 1): "Đơn vị", (1, 2): "Gia đình văn hóa",
    ...     (2, 1): "Hải Hậu", (2, 2): "1.234"})
    >>> rows_from_layout(find_layout(s)).columns["achieved"]
    [1234]
    """
    sheet = layout.sheet
    tally = tally if tally is not None else Tally.of(sheet)
    out = SheetRows(findings=_duplicate_columns(layout))
    body = _classify_rows(layout)
    sheet_year = layout.year if layout.year is not None else year
    groups, unused = _groups(layout)
    # Names resolve for the latest year the table reports (years as column groups or rows);
    # ``year`` only where the table states none (it is the year of tables that give none).
    stated = [y for y in (layout.year, *(g.year for g in groups), *body.years) if y is not None]
    latest = max(stated) if stated else year
    named = _name_rows(layout, body, within, layout.year if layout.year is not None else latest)
    placed = _place(layout, body, named, latest, within)
    width = max((c.col for c in layout.columns), default=0)
    body_cells = []
    for r in body.rows:
        cells = sheet.rows[r - 1]
        body_cells.append(cells if len(cells) >= width else cells + [None] * (width - len(cells)))
    reader = _Reader(layout, errors, out.findings, tally, body.rows, body_cells)
    _emit(out, reader, groups, named, placed, body, sheet_year)
    out.read_cells, skipped_findings = _account(reader, body, named, unused)
    out.findings += placed.findings
    out.findings += _before_start(layout, body, named, placed, groups, sheet_year, latest)
    out.findings += _no_area_findings(layout, body.no_area)
    out.findings += _bad_year_findings(layout, body.bad_years, errors)
    out.findings += _english_finding(layout, reader.english)
    out.findings += skipped_findings
    return out
