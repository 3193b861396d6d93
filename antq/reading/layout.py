"""Stage 3: find the tables in a sheet.

A report sheet has title rows, a header block of one to five rows (merged
cells, group headers over sub-headers, sometimes a row of column numbers),
an area column ("Đơn vị"), one row per area, total rows, then notes and
signatures; some sheets hold several such tables one under the other, and
some stand the table on its side (the indicators down the side, the areas
across the top). This module finds each table, where its body ends, and what
every column is: an indicator's achieved, total or rate column (with a year
where the header gives one), or a column that is not data and why (row
numbers, notes, a difference, a part of another column, a column no
indicator matches). It reads no numbers: that is :mod:`antq.reading.rows`'s job.

The steps of :func:`find_layouts`, each a function below:

1. the anchor: the cell heading the area column (:func:`_find_anchor`), or,
   failing that, the header above the first area name beside numbers
   (:func:`_anchor_from_areas`);
2. the header block under it (:func:`_header_bottom`) and a row of column
   numbers below it (:func:`_is_numbering_row`);
3. the title above it (:func:`_title_context`): the indicator a sheet per
   indicator names, the year, the sender ("UBND HUYỆN HẢI HẬU");
4. every column by an ordered table of rules (:data:`COLUMN_RULES`, then
   :data:`INDICATOR_RULES`);
5. where the body ends (:func:`_scan_body`): notes, signatures, the next
   table's header;
6. the next table below, and, when a sheet has none, a table on its side
   (:func:`_transposed_layout`).

Where things go
---------------
New header spellings are rows of ``data/header_terms.csv``; words marking
columns and rows that are not data are rows of ``data/layout_terms.csv``. Not code here.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from antq._text import clean, contains_phrase, fold, tokens
from antq.numbers import looks_numeric, parse_count, parse_rate
from antq.reading.cells import Sheet, address
from antq.reading.labels import area_match, classify_label, total_level
from antq.reading.terms import (
    area_prefix_levels,
    has_term,
    layout_terms,
    signs,
    starts_with_term,
)
from antq.types import LEVELS
from antq.vocab import AreaMatch, folded_terms, indicators, vocab_cache

__all__ = [
    "COLUMN_RULES",
    "INDICATOR_RULES",
    "MAX_TITLE_ROWS",
    "Column",
    "Layout",
    "SkippedColumn",
    "cell_text",
    "diagnose",
    "find_layout",
    "find_layouts",
    "total_label_kind",
    "year_from_text",
]

#: How far down a sheet (or below the previous table) the header row is looked for.
MAX_TITLE_ROWS: int = 40
#: The most header rows below the one naming the area column.
MAX_HEADER_ROWS: int = 5
#: The area column is one of the first few columns.
MAX_AREA_COL: int = 6
#: Years a header or a year column may name; any other number there is no year.
YEARS: range = range(1990, 2101)

_YEAR = re.compile(r"\bnam (\d{4})\b")
_DATE_YEAR = re.compile(r"thang \d{1,2} nam (\d{4})")
_ANY_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_BARE_YEAR = re.compile(r"^(?:19|20)\d{2}$")
#: A column's number, "(3)", "C", or its number with the formula of its column in terms of
#: the others: "(5)=(4)/(3)", "6 = 5/4 x 100%".
_NUMBERING_CELL = re.compile(
    r"^\(?\s*(\d{1,2}|[A-Za-z])\s*\)?(?:\s*=\s*[\d\s()+\-*/:.,x×%]*\d[\d\s()+\-*/:.,x×%]*)?$"
)


@dataclass(frozen=True)
class Column:
    """A classified data column."""

    col: int
    header: str
    role: str  # "achieved", "total" or "rate"
    indicator: str | None  # None: a shared denominator ("Tổng số khu dân cư")
    unit: str | None
    year: int | None


@dataclass(frozen=True)
class SkippedColumn:
    """A column of a table that is not data, and why (a reason of ``skip_reasons.csv``)."""

    col: int
    header: str
    reason: str


@dataclass
class Layout:
    """Where a table of a sheet is and what each column holds."""

    sheet: Sheet
    header_top: int
    header_bottom: int
    body_start: int
    area_col: int
    columns: list[Column]
    #: Columns with numbers whose header names no indicator: (column, header).
    unrecognised: list[tuple[int, str]] = field(default_factory=list)
    year: int | None = None
    year_from: str = ""
    title: str = ""
    enclosing: AreaMatch | None = None
    #: The last row of the body (notes, signatures and the next table are below it).
    body_end: int = 0
    #: The body's non-blank rows as the scan for its end saw them (see :data:`BodyRow`).
    body: list[BodyRow] = field(default_factory=list, repr=False)
    #: Every other column of the table that is not data, with its reason.
    skipped: list[SkippedColumn] = field(default_factory=list)
    #: A "Năm" column: one row per year under each area.
    year_col: int | None = None
    #: A column (left of the area column) naming the area each row is in, merged over them.
    parent_col: int | None = None
    #: The row of column numbers under the header, if any.
    numbering_row: int | None = None
    #: The first column of the table (a table on its side starts at its areas' row).
    first_col: int = 1
    #: The area the sheet's name names ("Hải Hậu"), if it names one.
    sheet_area: AreaMatch | None = None
    #: The last column of the table (another may stand beside it); 0: the sheet's last.
    last_col: int = 0
    #: Where the table beside this one is headed: (row, area column, first column).
    beside: tuple[int, int, int] | None = None
    #: Header rows whose numbers have a reason of their own (row numbers of a table on its side).
    header_reasons: dict[int, str] = field(default_factory=dict)
    #: The authority above the sender in a two-line letterhead ("UBND THÀNH PHỐ NAM ĐỊNH"
    #: over "UBND PHƯỜNG LỘC HẠ"): where the enclosing area is, when the sheet says.
    superior: AreaMatch | None = None

    def region(self) -> tuple[int, int, int, int]:
        """(first row, first column, last row, last column) of the table in the file: its
        header, body and every column; a table on its side maps back from its view.

        Examples
        --------
        >>> from antq.reading.cells import Sheet
        >>> s = Sheet.from_values("f.xlsx", "S", {(2, 1): "Đơn vị", (2, 2): "Cơ quan an toàn ANTT",
        ...     (3, 1): "Hải Hậu", (3, 2): 5})
        >>> find_layout(s).region()
        (2, 1, 3, 2)
        """
        last_col = self.last_col or max(self.sheet.n_cols, self.area_col)
        if not self.sheet.transposed:
            return self.header_top, self.first_col, self.body_end, last_col
        # View rows are the file's columns (the first is headings antq wrote), view
        # columns its rows.
        return self.first_col, max(self.header_top - 1, 1), last_col, self.body_end - 1


def year_from_text(text: str) -> int | None:
    """The reporting year a title states ("… NĂM 2020"), ignoring dates.

    Examples
    --------
    >>> year_from_text("KẾT QUẢ ... NĂM 2020")
    2020
    >>> year_from_text("Nam Định, ngày 05 tháng 01 năm 2021") is None
    True
    """
    folded = fold(text)
    dates = {m.start(1) for m in _DATE_YEAR.finditer(folded)}
    years = [int(m.group(1)) for m in _YEAR.finditer(folded) if m.start(1) not in dates]
    return years[0] if years else None


def _first_term(words: tuple[str, ...], kind: str) -> str | None:
    for phrase, value in folded_terms(kind):
        if contains_phrase(words, phrase):
            return value
    return None


def total_label_kind(text: str) -> str | None:
    """``"total"``, ``"province"``, ``"district"`` or ``"commune"`` for a total row's label.

    Examples
    --------
    >>> total_label_kind("Tổng cộng"), total_label_kind("Toàn huyện"), total_label_kind("Hải Hậu")
    ('total', 'district', None)
    """
    return total_level(tokens(text))


# ---- 1. the anchor ---------------------------------------------------------------------


@vocab_cache
def is_area_header(text: str) -> bool:
    """Whether a header cell heads the area column ("Đơn vị", "Xã, phường, thị trấn").

    Not when the cell also names an indicator, a qualifier or a role ("Xã, phường, thị
    trấn an toàn về ANTT" heads an indicator column), nor an area's row ("Tổ dân phố số 3").

    Examples
    --------
    >>> is_area_header("Xã, phường"), is_area_header("Xã, phường an toàn về ANTT")
    (True, False)
    """
    words = tokens(text)
    if not words or len(words) > 8:
        return False
    if any(words[: len(n)] == n for n, _ in folded_terms("not_area_header")):
        return False
    for term, _ in folded_terms("area_header"):
        if words[: len(term)] != term:
            continue
        rest = words[len(term) :]
        if any(w.isdigit() for w in rest) or len(rest) > 3:
            return False
        if rest and _level_words_only(term):
            return False  # "Xã Phương Định" is a commune, "Xã, phường" the header of communes
        return not any(
            _first_term(words, kind) for kind in ("indicator", "qualifier", "rate", "achieved")
        )
    return False


@vocab_cache
def _level_words_only(term: tuple[str, ...]) -> bool:
    """Whether a phrase is made only of words naming levels of areas ("xã phường thị trấn")."""
    words = {w for prefix, _c, _l in area_prefix_levels() for w in prefix}
    words |= {w for phrase in layout_terms()["hamlet"] for w in phrase}
    return all(w in words for w in term)


def _row_numbers(sheet: Sheet, row: int) -> bool:
    """Whether a row holds numbers other than years (header rows hold none)."""
    for _c, v in sheet.row_items(row):
        if looks_numeric(v) and not year_cell(v):
            return True
    return False


def year_cell(v: object) -> int | None:
    """The year a cell holds alone (2019, "2019"), else None."""
    if v.__class__ is float or v.__class__ is int:
        x = float(v)
        return int(x) if x.is_integer() and int(x) in YEARS else None
    if isinstance(v, str) and _BARE_YEAR.match(v.strip()):
        return int(v.strip())
    return None


def _find_anchor(sheet: Sheet, start: int = 1) -> tuple[int, int] | None:
    """The cell heading the area column ("Đơn vị"), scanning top-down, left to right."""
    for r in range(start, min(sheet.n_rows, start + MAX_TITLE_ROWS - 1) + 1):
        for c in range(1, min(sheet.n_cols, MAX_AREA_COL) + 1):
            v = sheet.get(r, c)
            if isinstance(v, str) and is_area_header(v) and not _row_numbers(sheet, r):
                return r, c
    return None


def _split_area_header(sheet: Sheet, top: int, col: int) -> tuple[int | None, int]:
    """(parent column, area column) where the areas stand right of the column the area
    header heads: under a header merged across columns ("Đơn vị" over a district column and
    a commune column), the right-most column of the merge that names areas beside numbers;
    or the next column, headed as an area column too ("Huyện, thành phố" | "Xã, phường, thị
    trấn"). The column left of the areas holds their parents. Else (None, ``col``)."""
    across = [c2 for r1, c1, r2, c2 in sheet.merged if r1 <= top <= r2 and c1 == col and c2 > c1]
    beside = sheet.get(top, col + 1)
    if across:
        candidates = range(max(across), col, -1)
    elif isinstance(beside, str) and is_area_header(beside):
        candidates = range(col + 1, col, -1)
    else:
        return None, col  # almost every table: no header row looked under
    first = _header_bottom(sheet, top, col) + 1
    rows = range(first, min(first + 6, sheet.n_rows + 1))
    for c in candidates:
        if any(_is_area_row(sheet, r, c) for r in rows):
            return c - 1, c
    return None, col


def _is_area_row(sheet: Sheet, r: int, c: int) -> bool:
    v = sheet.get(r, c)
    if not isinstance(v, str) or classify_label(v).kind not in ("area", "hamlet"):
        return False
    return any(looks_numeric(x) for cc, x in sheet.row_items(r) if cc > c)


def _anchor_from_areas(sheet: Sheet, start: int = 1) -> tuple[int, int] | None:
    """When no header names the area column: the first column where area names stand beside
    numbers, and the top of the header block above them."""
    last = min(sheet.n_rows, start + MAX_TITLE_ROWS + MAX_HEADER_ROWS)
    for c in range(1, min(sheet.n_cols, MAX_AREA_COL) + 1):
        for r in range(start, last + 1):
            if _is_area_row(sheet, r, c):
                return _header_above(sheet, r, c, start)
    return None


def _header_above(sheet: Sheet, r: int, c: int, start: int) -> tuple[int, int] | None:
    """The top of the header over a body whose first area row is ``r``: up past rows with
    numbers (totals, parts), to the first row of text without numbers, then to the top of the
    area column's merged cell there, or up through rows of text without numbers."""
    row = r - 1
    while row >= start and (_row_numbers(sheet, row) or not sheet.row_items(row)):
        row -= 1
    if row < start:
        return None
    for r1, c1, r2, c2 in sheet.merged:
        if c1 <= c <= c2 and r1 <= row <= r2 and r1 >= start:
            return r1, c
    top = row
    while (
        top - 1 >= max(start, row - MAX_HEADER_ROWS + 1)
        and not _row_numbers(sheet, top - 1)
        and sum(1 for cc, v in sheet.row_items(top - 1) if cc > c and isinstance(v, str)) >= 2
    ):
        top -= 1
    return top, c


# ---- 2. the header block -----------------------------------------------------------------


def _numbering_value(v: object) -> int | None:
    """The number of a column-numbering cell ("(3)", 3, "C"), 0 for a letter, else None."""
    if v.__class__ is float or v.__class__ is int:
        x = float(v)
        return int(x) if x.is_integer() and 0 < x < 100 else None
    m = _NUMBERING_CELL.match(str(v).strip())
    if not m:
        return None
    return int(m.group(1)) if m.group(1).isdigit() else 0


def _is_numbering_row(sheet: Sheet, row: int, first_col: int) -> bool:
    """A row of column numbers under the header: "(1) (2) (3) …", 1 2 3 typed as numbers,
    or "A B 1 2 …"; the numbers rise from left to right."""
    cells = [v for c, v in sheet.row_items(row) if c >= first_col]
    if len(cells) < 2:
        return False
    numbers = [_numbering_value(v) for v in cells]
    if any(n is None for n in numbers):
        return False
    digits = [n for n in numbers if n]
    if len(cells) == 2 and digits != [1, 2] and numbers != [0, 0]:
        return False  # two cells number the columns only as "(1) (2)" or "A B"
    return all(a < b for a, b in itertools.pairwise(digits))


def _merged_depth(sheet: Sheet, top: int, area_col: int) -> int:
    """The last row of the area column's header cell (merged down over the header block)."""
    bottom = top
    for r1, c1, r2, _c2 in sheet.merged:
        if r1 == top and c1 <= area_col <= _c2:
            bottom = max(bottom, min(r2, top + MAX_HEADER_ROWS - 1))
    return bottom


def _leaf_merges(sheet: Sheet, top: int, bottom: int, area_col: int) -> int:
    """Leaves merged down from the header's top rows extend the block too."""
    changed = True
    while changed:
        changed = False
        for r1, c1, r2, _c2 in sheet.merged:
            if top <= r1 <= bottom and c1 > area_col and r2 > bottom and r2 - top < MAX_HEADER_ROWS:
                bottom, changed = r2, True
    return bottom


def _is_header_text_row(sheet: Sheet, r: int, area_col: int) -> bool:
    """A row of sub-headers: text right of the area column, no numbers, no area or total."""
    row = {c: v for c, v in sheet.row_items(r) if c >= area_col}
    if not row or _is_numbering_row(sheet, r, 1):
        return False
    right = [v for c, v in row.items() if c > area_col]
    if not right or any(looks_numeric(v) and not year_cell(v) for v in right):
        return False
    label = row.get(area_col)
    return not (isinstance(label, str) and classify_label(label).kind in ("area", "total"))


def _header_bottom(sheet: Sheet, top: int, area_col: int) -> int:
    """The last row of the header block whose top row is ``top``."""
    bottom = _leaf_merges(sheet, top, _merged_depth(sheet, top, area_col), area_col)
    # "STT" and "Đơn vị" are often merged down over the row of column numbers ("(1) (2)"):
    # that row ends the header, it is not a line of it ("Tổng số KDC › (1)" is no column).
    for r in range(top + 1, bottom + 1):
        if _is_numbering_row(sheet, r, 1):
            return r - 1
    while bottom - top < MAX_HEADER_ROWS - 1 and _is_header_text_row(sheet, bottom + 1, area_col):
        bottom += 1
    return bottom


# ---- 3. the title ------------------------------------------------------------------------


def _text_of_rows(sheet: Sheet, first: int, last: int) -> list[str]:
    """The text of rows ``first`` … ``last``, notes of a table above left out."""
    out: list[str] = []
    for r in range(max(first, 1), last + 1):
        items = [v for _c, v in sheet.row_items(r) if isinstance(v, str)]
        if items and starts_with_term("table_end", tokens(items[0])):
            continue  # a note of the table above is no title of this one
        out.extend(clean(v) for v in items)
    return out


@vocab_cache
def _indicators_named(words: tuple[str, ...]) -> frozenset[str]:
    """The indicators a title names: directly ("khu dân cư văn hóa"), or as a unit with the
    qualifier ("cơ quan đạt chuẩn an toàn về ANTT") outside any indicator's own name."""
    direct: set[str] = set()
    spans: list[tuple[int, int]] = []
    for phrase, value in folded_terms("indicator"):
        for i in range(len(words) - len(phrase) + 1):
            if words[i : i + len(phrase)] == phrase:
                direct.add(value)
                spans.append((i, i + len(phrase)))
    if direct or not _first_term(words, "qualifier"):
        return frozenset(direct)
    units: set[str] = set()
    for phrase, unit in folded_terms("unit"):
        for i in range(len(words) - len(phrase) + 1):
            inside = any(a <= i and i + len(phrase) <= b for a, b in spans)
            if words[i : i + len(phrase)] == phrase and not inside:
                units.add(unit)
    return frozenset(
        i.code for i in indicators().values() if i.unit in units and i.qualifier == "safe"
    )


def _title_context(texts: list[str], sheet_name: str) -> tuple[str, tuple[str, ...], str | None]:
    """The title text, its folded words, and the one indicator a sheet per indicator names in
    its title or its sheet name (None when they name none or several)."""
    title = " | ".join(texts)
    title_words = tokens(title)
    found = _indicators_named(title_words) | _indicators_named(tokens(sheet_name))
    return title, title_words, (next(iter(found)) if len(found) == 1 else None)


def _superior_area(texts: list[str]) -> AreaMatch | None:
    """The second-lowest sender of a letterhead of two lines, if there is one."""
    found = sorted(
        (m for m in map(_sender, texts) if m is not None),
        key=lambda m: LEVELS.index(m.level),
    )
    return found[-2] if len(found) > 1 and found[-2].level != found[-1].level else None


def _enclosing_area(texts: list[str]) -> AreaMatch | None:
    """The area a sheet reports on, from its letterhead: "UBND HUYỆN HẢI HẬU", "BAN CHỈ ĐẠO
    138 TỈNH …", "CÔNG AN TỈNH …" (senders in ``layout_terms.csv``, levels in
    ``area_prefixes.csv``). A letterhead of two lines names the superior authority first
    ("UBND HUYỆN HẢI HẬU" over "UBND XÃ HẢI MINH"): the sender is the lowest."""
    found = [m for m in map(_sender, texts) if m is not None]
    return max(found, key=lambda m: LEVELS.index(m.level), default=None)


#: A letterhead line is short; a longer text is a sentence, not a sender.
MAX_LETTERHEAD_CHARS: int = 120


def _sender(text: str) -> AreaMatch | None:
    """The area a letterhead line names after its sender's title, if it is one."""
    if len(text) > MAX_LETTERHEAD_CHARS:
        return None
    words = tokens(text)
    org = starts_with_term("organisation", words)
    if not org:
        return None
    rest = words[len(org) :]
    while rest and rest[0].isdigit():
        rest = rest[1:]  # "BAN CHỈ ĐẠO 138 TỈNH …"
    name = _name_after(text, len(words) - len(rest))
    match = area_match(name) if name else None
    return match if match is not None and match.level else None


def _name_after(text: str, n_words: int) -> str:
    """``text`` without its first ``n_words`` folded words, keeping its diacritics."""
    t = clean(text)
    for i in range(len(t) + 1):
        if len(tokens(t[:i])) == n_words and (i == len(t) or not t[i].isalnum()):
            rest = t[i:].strip(" .,:-")
            return rest.title() if rest.isupper() else rest
    return ""


def _year_of(texts: list[str], sheet_texts: list[str], sheet: Sheet) -> tuple[int | None, str]:
    for where, source in (("title", texts), ("title", sheet_texts)):
        y = year_from_text(" | ".join(source))
        if y is not None:
            return y, where
    m = _ANY_YEAR.search(sheet.name)
    if m:
        return int(m.group(1)), "sheet name"
    stem = sheet.file.rsplit("/", 1)[-1]
    m = _ANY_YEAR.search(stem)
    if m:
        return int(m.group(1)), "file name"
    return None, ""


# ---- 4. the columns --------------------------------------------------------------------


@dataclass(frozen=True)
class _Path:
    """A column's header path taken apart once for every rule."""

    cells: tuple[str, ...]
    words: tuple[tuple[str, ...], ...]
    #: The title says "an toàn về ANTT" (what is qualified is safe).
    title_qualified: bool
    title_indicator: str | None

    @property
    def leaf(self) -> tuple[str, ...]:
        return self.words[-1]


def _numbering_path(p: _Path) -> str | None:
    if all(_numbering_value(c) is not None for c in p.cells):
        return "column_number"
    return None


def _notes_path(p: _Path) -> str | None:
    return "notes" if any(has_term("notes", w) for w in p.words) else None


def _difference_path(p: _Path) -> str | None:
    if any(has_term("difference", w) for w in p.words):
        return "difference"
    return "difference" if any(signs("difference_sign", c) for c in p.cells) else None


def _plan_path(p: _Path) -> str | None:
    # "Kế hoạch năm 2021 › KDC đạt chuẩn": a target (read, it took the year 2021 for a
    # result); "Kết quả thực hiện kế hoạch năm 2020" is results.
    return (
        "plan"
        if any(has_term("plan", w) and not has_term("plan_done", w) for w in p.words)
        else None
    )


def _new_in_year_path(p: _Path) -> str | None:
    # "Gia đình văn hóa › Công nhận mới trong năm" beside "› Lũy kế": this year's new ones, a
    # part of the cumulative count (read as the count, it took the indicator's key).
    return "sub_row" if any(has_term("new_in_year", w) for w in p.words) else None


def _sub_row_path(p: _Path) -> str | None:
    # "Trong đó: thị trấn", "Cộng các xã điểm": a part of another column; but "Trong đó: số hộ
    # đạt GĐVH" names what it counts, the achieved part of the column before it: data.
    if not any(starts_with_term("sub_row", w) for w in p.words):
        return None
    # "Trong đó › KDC an toàn về ANTT" names one too: a unit qualified as safe in one cell.
    names = any(
        _first_term(w, "indicator")
        or _first_term(w, "achieved")
        or (_first_term(w, "unit") and _first_term(w, "qualifier"))
        for w in p.words
    )
    return None if names else "sub_row"


def _year_column_path(p: _Path) -> str | None:
    return "year_label" if p.leaf in layout_terms()["year_column"] else None


def _row_number_path(p: _Path) -> str | None:
    return "row_number" if p.leaf in layout_terms()["row_number"] else None


#: What makes a column not data, in order: the first rule that names a reason wins; a
#: column no rule names is classified by :data:`INDICATOR_RULES`.
COLUMN_RULES: tuple[tuple[str, Callable[[_Path], str | None]], ...] = (
    ("column numbers", _numbering_path),
    ("notes", _notes_path),
    ("difference", _difference_path),
    ("plan", _plan_path),
    ("new this year, part of the cumulative count", _new_in_year_path),
    ("part of another column", _sub_row_path),
    ("year column", _year_column_path),
    ("row numbers", _row_number_path),
)


@dataclass(frozen=True)
class _Facts:
    """What a header path says about indicators, units and roles."""

    role: str | None
    direct: str | None  # the nearest cell naming an indicator directly
    leaf_direct: str | None
    unit: str | None  # the nearest cell naming a unit
    leaf_unit: str | None
    qualified: bool  # "an toàn về ANTT" in the path or the title
    title_indicator: str | None


def _role(p: _Path) -> str | None:
    for kind in ("rate", "achieved", "total", "count"):
        if _first_term(p.leaf, kind):
            return kind
    # A unit-of-measure "%" under an indicator's name (a table on its side).
    return "rate" if any(c.strip() == "%" for c in p.cells) else None


def _facts(p: _Path) -> _Facts:
    role = _role(p)
    leaf_direct = _first_term(p.leaf, "indicator")
    if role == "total" and leaf_direct:
        role = "achieved"  # "Tổng số hộ GĐVH" counts the cultural families themselves
    return _Facts(
        role=role,
        direct=next((d for w in reversed(p.words) if (d := _first_term(w, "indicator"))), None),
        leaf_direct=leaf_direct,
        unit=next((u for w in reversed(p.words) if (u := _first_term(w, "unit"))), None),
        leaf_unit=_first_term(p.leaf, "unit"),
        qualified=p.title_qualified or any(_first_term(w, "qualifier") for w in p.words),
        title_indicator=p.title_indicator,
    )


_Classified = tuple[str | None, str | None, str | None]  # indicator, unit, role


def _shared_total(f: _Facts) -> _Classified | None:
    # "Tổng số khu dân cư" counts every residential area of the row, whatever group stands
    # above it: the shared denominator.
    if f.role == "total" and f.leaf_unit and not f.leaf_direct:
        return None, f.leaf_unit, "total"
    return None


def _direct(f: _Facts) -> _Classified | None:
    return (f.direct, f.unit, f.role) if f.direct else None


def _qualified_unit(f: _Facts) -> _Classified | None:
    if not (f.unit and f.qualified):
        return None
    code = next(
        (i.code for i in indicators().values() if i.unit == f.unit and i.qualifier == "safe"),
        None,
    )
    return (code, f.unit, f.role) if code else None


def _unit_total(f: _Facts) -> _Classified | None:
    return (None, f.unit, "total") if f.unit and f.role == "total" else None


def _from_title(f: _Facts) -> _Classified | None:
    # Only a column that says what it counts of it ("Đạt", "Tổng số", "Tỷ lệ"): a sheet per
    # indicator holds other columns too ("Kinh phí"), which are not that indicator.
    return (f.title_indicator, f.unit, f.role) if f.title_indicator and f.role else None


#: How a data column's indicator is found, in order (see docs/architecture.md).
INDICATOR_RULES: tuple[tuple[str, Callable[[_Facts], _Classified | None]], ...] = (
    ("a total of a unit: the shared denominator", _shared_total),
    ("a cell naming an indicator", _direct),
    ("a unit qualified as safe by the path or the title", _qualified_unit),
    ("a unit's total", _unit_total),
    ("the one indicator the title or sheet name names", _from_title),
)


def _path_year(cells: tuple[str, ...]) -> int | None:
    year = None
    for p in cells:
        y = year_from_text(p)
        if y is None and _BARE_YEAR.match(p.strip()):
            y = int(p.strip())
        if y is not None:
            year = y
    return year


@vocab_cache
def _classify(
    path: tuple[str, ...], title_qualified: bool, title_indicator: str | None
) -> tuple[str | None, str | None, str | None, int | None]:
    """(indicator, unit, role, year) of a header path; role None when unrecognised.

    Cached: a folder's workbooks repeat the same headers (the title enters only by what
    it says of every column, not word for word: each file's title names its own year).
    """
    p = _Path(path, tuple(tokens(c) for c in path), title_qualified, title_indicator)
    facts = _facts(p)
    year = _path_year(path)
    for _name, rule in INDICATOR_RULES:
        got = rule(facts)
        if got is None:
            continue
        indicator, unit, role = got
        if indicator is None:
            return None, unit, role, year
        if unit is None or (
            facts.direct and indicators()[indicator].unit != unit and not facts.leaf_unit
        ):
            unit = indicators()[indicator].unit
        return indicator, unit, role or "achieved", year
    return None, facts.unit, None, year


@vocab_cache
def _column_reason(path: tuple[str, ...]) -> str | None:
    """Why a column with this header path is not data (the title plays no part), or None."""
    p = _Path(path, tuple(tokens(c) for c in path), False, None)
    for _name, rule in COLUMN_RULES:
        reason = rule(p)
        if reason:
            return reason
    return None


def cell_text(v: object) -> str:
    """A cell's value as a finding or a header quotes it: a whole number without ".0".

    Examples
    --------
    >>> cell_text(12345.0), cell_text(" Tổng  số "), cell_text(0.5)
    ('12345', 'Tổng số', '0.5')
    """
    if v.__class__ is float and float(v).is_integer():
        return str(int(v))
    return clean(str(v))


def _header_path(
    filled: dict[tuple[int, int], object], rows: list[int], c: int, percent_rows: list[int]
) -> tuple[str, ...]:
    path: list[str] = []
    for r in rows:
        v = filled.get((r, c))
        if v is None:
            continue
        text = cell_text(v)
        if text and (not path or path[-1] != text):
            path.append(text)
    if any(cell_text(filled.get((r, c), "")) == "%" for r in percent_rows):
        path.append("%")
    return tuple(path)


@dataclass
class _Columns:
    data: list[Column] = field(default_factory=list)
    skipped: list[SkippedColumn] = field(default_factory=list)
    unrecognised: list[tuple[int, str]] = field(default_factory=list)
    year_col: int | None = None
    #: The table's last column: another table may stand beside it.
    last_col: int = 0
    #: The anchor of the table beside it, and that table's first column.
    beside: tuple[int, int, int] | None = None


def _heads_areas(sheet: Sheet, top: int, bottom: int, c: int) -> bool:
    """Whether a header cell of column ``c`` heads an area column: another table's."""
    return any(
        isinstance(v, str) and is_area_header(v)
        for v in (sheet.get(r, c) for r in range(top, bottom + 1))
    )


def _another_table(sheet: Sheet, top: int, bottom: int, c: int) -> bool:
    """Whether column ``c`` is the area column of a table beside this one: headed like one
    ("Đơn vị"), with area names under it ("Xã, phường, thị trấn" over numbers is a group of
    indicator columns)."""
    if not _heads_areas(sheet, top, bottom, c):
        return False
    below = [v for r in range(bottom + 1, bottom + 8) if (v := sheet.get(r, c)) is not None]
    return any(isinstance(v, str) and classify_label(v).kind in ("area", "total") for v in below)


def _side_by_side(out: _Columns, c: int, top: int, bottom: int, sheet: Sheet) -> None:
    """Column ``c`` heads the areas of a table beside this one: this one ends before it (and
    before that table's row numbers)."""
    row = next(r for r in range(top, bottom + 1) if _heads_areas(sheet, r, r, c))
    first = c
    before = next((s for s in out.skipped if s.col == c - 1), None)
    if (
        before is not None
        and tokens(before.header.split(" › ")[-1]) in layout_terms()["row_number"]
    ):
        first = c - 1
        out.skipped.remove(before)
    out.last_col = first - 1
    out.beside = (row, c, first)


def _body_has_numbers(sheet: Sheet, c: int, body: int) -> bool:
    return any(looks_numeric(sheet.get(r, c)) for r in range(body, sheet.n_rows + 1))


def _classify_columns(
    sheet: Sheet,
    frame: _Frame,
    body: int,
    title_words: tuple[str, ...],
    title_indicator: str | None,
) -> _Columns:
    """Every column right of the area column: data, or skipped with a reason."""
    top, bottom, area_col = frame.top, frame.bottom, frame.area_col
    filled = sheet.merged_fill(top, bottom)
    rows = [r for r in range(top, bottom + 1) if r not in frame.header_reasons]
    percent = [r for r, why in frame.header_reasons.items() if why == "measure"]
    out = _Columns(last_col=max(sheet.n_cols, area_col))
    title_qualified = bool(_first_term(title_words, "qualifier"))
    by_unit: set[int] = set()  # rate columns whose header names a unit, not an indicator
    bare: set[int] = set()  # columns headed by a unit alone ("Khu dân cư"), no role word
    for c in range(area_col + 1, sheet.n_cols + 1):
        if not sheet.transposed and _another_table(sheet, top, bottom, c):
            _side_by_side(out, c, top, bottom, sheet)
            break
        path = _header_path(filled, rows, c, percent)
        if not path:
            if _body_has_numbers(sheet, c, body):
                out.unrecognised.append((c, ""))
                out.skipped.append(SkippedColumn(c, "", "unrecognised_column"))
            continue
        header = " › ".join(path)
        reason = _column_reason(path)
        if reason == "year_label" and out.year_col is None:
            out.year_col = c
        if reason:
            out.skipped.append(SkippedColumn(c, header, reason))
            continue
        indicator, unit, role, year = _classify(path, title_qualified, title_indicator)
        if role is None:
            out.unrecognised.append((c, header))
            out.skipped.append(SkippedColumn(c, header, "unrecognised_column"))
            continue
        col = Column(c, header, role, indicator, unit, year)
        out.data.append(col)
        _note_unit_column(col, path, by_unit, bare)
    out.data = _bare_units_as_totals(out.data, bare)
    out.data = _without_empty_twins(_resolve_counts(out.data), sheet, body)
    _rates_beside_their_count(out, by_unit)
    _attach_bare_rates(out, sheet, frame, filled, rows, title_qualified)
    return out


def _note_unit_column(
    col: Column, path: tuple[str, ...], by_unit: set[int], bare: set[int]
) -> None:
    """Note a column whose header names a unit the title qualifies, not an indicator: a
    rate (``by_unit``), or a unit alone with no role word (``bare``, "Khu dân cư")."""
    if col.indicator is None or _names_indicator(path):
        return
    if col.role == "rate":
        by_unit.add(col.col)
    elif not _says_role(path):
        bare.add(col.col)


@vocab_cache
def _says_role(path: tuple[str, ...]) -> bool:
    """Whether the header path says what it counts of its unit ("Tổng số", "Đạt", "Tỷ lệ")."""
    return _role(_Path(path, tuple(tokens(c) for c in path), False, None)) is not None


def _bare_units_as_totals(columns: list[Column], bare: set[int]) -> list[Column]:
    """A column headed by a unit alone ("Khu dân cư"), which the title's "an toàn về ANTT"
    would make the safe count, is the count of the unit (the shared total) when another
    column names that indicator's achieved count itself ("KDC đạt chuẩn an toàn về ANTT"):
    otherwise the two would read as one key, the named one dropped as a duplicate."""
    if not bare:
        return columns
    named = {(c.indicator, c.year) for c in columns if c.role == "achieved" and c.col not in bare}
    return [
        Column(c.col, c.header, "total", None, c.unit, c.year)
        if c.col in bare and c.role == "achieved" and (c.indicator, c.year) in named
        else c
        for c in columns
    ]


def _without_empty_twins(columns: list[Column], sheet: Sheet, body: int) -> list[Column]:
    """Leave out a column holding no number that reads as the same indicator and role as
    another that holds some: a section heading ("I. Xây dựng khu dân cư văn hóa") over the
    rows of its indicator in a table on its side, which would otherwise take the
    indicator's key from the row under it and read its achieved counts as empty."""

    def key(c: Column) -> tuple[object, ...]:
        return (c.indicator, c.unit, c.year, c.role)

    twins = Counter(key(c) for c in columns)
    if all(n == 1 for n in twins.values()):
        return columns
    return [c for c in columns if twins[key(c)] == 1 or _body_has_numbers(sheet, c.col, body)]


@vocab_cache
def _names_indicator(path: tuple[str, ...]) -> bool:
    """Whether the header path names its indicator itself: a cell naming one ("KDC văn hóa")
    or qualifying its unit ("Khu dân cư an toàn về ANTT"), not only a unit ("Khu dân cư")
    that the title's "an toàn về ANTT" turns into one."""
    return any(
        _first_term(words, "indicator") or _first_term(words, "qualifier")
        for words in (tokens(c) for c in path)
    )


def _rates_beside_their_count(out: _Columns, by_unit: set[int]) -> None:
    """A rate column whose header names only a unit ("Khu dân cư › Tỷ lệ (%)") is the rate
    of the count just left of it when that count names its indicator ("KDC văn hóa"), not of
    the indicator the title's "an toàn về ANTT" would make of the unit: in "KDC văn hóa |
    Tỷ lệ (%) | KDC an toàn về ANTT" the rate is the cultural areas'."""
    by_col = {c.col: c for c in out.data}
    for i, col in enumerate(out.data):
        left = by_col.get(col.col - 1)
        if (
            col.col in by_unit
            and left is not None
            and left.col not in by_unit
            and left.role == "achieved"
            and left.indicator is not None
            and left.unit == col.unit
            and left.year == col.year
        ):
            out.data[i] = Column(col.col, col.header, "rate", left.indicator, left.unit, left.year)


def _attach_bare_rates(
    out: _Columns,
    sheet: Sheet,
    frame: _Frame,
    filled: dict[tuple[int, int], object],
    rows: list[int],
    title_qualified: bool,
) -> None:
    """A column headed only "Tỷ lệ (%)" is the rate of the indicator of the column just left
    of it ("Số hộ GĐVH | Tỷ lệ (%)")."""
    by_col = {c.col: c for c in out.data}
    differences = {s.col for s in out.skipped if s.reason == "difference"}
    for c, header in list(out.unrecognised):
        path = _header_path(filled, rows, c, [])
        left, past_difference = _count_left_of(c, by_col, differences)
        if not path or left is None or not _is_bare_rate(path, title_qualified):
            continue
        if past_difference and not _rates_agree(sheet, frame, out.data, left, c):
            continue
        col = Column(c, header, "rate", left.indicator, left.unit, left.year)
        out.data.append(col)
        by_col[c] = col
        out.unrecognised.remove((c, header))
        out.skipped = [s for s in out.skipped if s.col != c]
    out.data.sort(key=lambda col: col.col)


def _count_left_of(
    c: int, by_col: dict[int, Column], differences: set[int]
) -> tuple[Column | None, bool]:
    """The count a bare rate in column ``c`` would be the rate of, and whether a difference
    column stands between them ("Số hộ GĐVH | Tăng (+), giảm (−) | Tỷ lệ (%)": then the rate
    is the count's only when the numbers say so, a rate of the change being no such rate)."""
    left = by_col.get(c - 1)
    past_difference = left is None and c - 1 in differences
    if past_difference:
        left = by_col.get(c - 2)
    if left is None or left.indicator is None or left.role == "rate":
        return None, past_difference
    return left, past_difference


def _is_bare_rate(path: tuple[str, ...], title_qualified: bool) -> bool:
    """Whether a header says "rate" and nothing of what it is the rate of."""
    facts = _facts(_Path(path, tuple(tokens(x) for x in path), title_qualified, None))
    return facts.role == "rate" and not facts.direct and not facts.unit


def _rates_agree(sheet: Sheet, frame: _Frame, data: list[Column], count: Column, c: int) -> bool:
    """Whether column ``c`` holds count ÷ total (in percent, to its rounding) on nearly every
    body row where the count, its total and ``c`` all hold numbers."""
    total = next(
        (
            d
            for d in data
            if d.role == "total"
            and d.year == count.year
            and (d.indicator == count.indicator or (d.indicator is None and d.unit == count.unit))
        ),
        None,
    )
    if total is None:
        return False
    agree = checked = 0
    start = frame.body_start or frame.bottom + 1
    for r in range(start, min(sheet.n_rows, start + 200) + 1):
        try:
            a = parse_count(sheet.get(r, count.col))
            t = parse_count(sheet.get(r, total.col))
            x = parse_rate(sheet.get(r, c))
        except (ValueError, ArithmeticError):
            continue
        if a is None or not t or x is None:
            continue
        checked += 1
        agree += abs(x - a / t) <= 0.0051
    return checked > 0 and agree >= 0.8 * checked


def _left_columns(sheet: Sheet, frame: _Frame) -> list[SkippedColumn]:
    """Columns left of the area column: row numbers (STT), or columns no indicator matches."""
    filled = sheet.merged_fill(frame.top, frame.bottom)
    out = []
    for c in range(frame.first_col, frame.area_col):
        path = _header_path(filled, list(range(frame.top, frame.bottom + 1)), c, [])
        words = tokens(path[-1]) if path else ()
        if not path or words in layout_terms()["row_number"]:
            out.append(SkippedColumn(c, " › ".join(path), "row_number"))
        else:
            out.append(SkippedColumn(c, " › ".join(path), "unrecognised_column"))
    return out


def _resolve_counts(columns: list[Column]) -> list[Column]:
    """ "Số lượng" is the total when its group also has an achieved column, else the count."""
    achieved = {(c.indicator, c.year) for c in columns if c.role == "achieved"}
    out = []
    for c in columns:
        if c.role == "count":
            role = "total" if (c.indicator, c.year) in achieved else "achieved"
            c = Column(c.col, c.header, role, c.indicator, c.unit, c.year)
        out.append(c)
    return out


# ---- 5. where the body ends ------------------------------------------------------------


def _lead_text(cells: list[object]) -> str | None:
    """The first non-empty cell of a row, when it is text."""
    for v in cells:
        if v is not None:
            return v if isinstance(v, str) else None
    return None


@vocab_cache
def _ends_table(text: str) -> bool:
    return bool(starts_with_term("table_end", tokens(text[:80])))


def _heads_table(cells: list[object]) -> bool:
    """A row heading another table: a cell of the first columns naming an area column, and no
    numbers but years."""
    for v in cells[:MAX_AREA_COL]:
        if v.__class__ is str and is_area_header(v):
            return not any(looks_numeric(x) and not year_cell(x) for x in cells)
    return False


_NUMBER_TYPES = frozenset({float, int})


def merged_down(sheet: Sheet, col: int, first: int) -> dict[int, object]:
    """Rows whose cell of ``col`` is part of a merged cell (not its top left), with the merged
    cell's value: an area named once over its rows (one per year), or across two columns."""
    out: dict[int, object] = {}
    for r1, c1, r2, c2 in sheet.merged:
        if c1 <= col <= c2 and r2 >= first and (r2 > r1 or c1 < col):
            v = sheet.get(r1, c1)
            for r in range(r1 + (c1 == col), r2 + 1):
                out[r] = v
    return out


#: A body row as the scan for the table's end saw it: (row, label as written or merged over
#: it, the label's kind ("" when not text), whether a data column of the row holds a number).
BodyRow = tuple[int, object, str, bool]

_NO_COLUMNS: Callable[[list[object]], tuple[object, ...]] = lambda cells: ()  # noqa: E731


def _numbers_in(cells: list[object], cols: list[int], pick: Callable[..., Any]) -> bool:
    """Whether a row holds a number in one of ``cols`` (type checks at C speed first)."""
    if not cols:
        return False
    values: Sequence[object]
    if len(cells) >= cols[-1]:
        got = pick(cells)
        values = got if len(cols) > 1 else (got,)  # itemgetter gives a tuple of several
    else:
        values = [cells[c - 1] for c in cols if c <= len(cells)]
    types = set(map(type, values))
    if types & _NUMBER_TYPES:
        return True
    return str in types and any(looks_numeric(v) for v in values if v.__class__ is str)


@dataclass
class _Ending:
    """What the scan of a body has seen, to tell where the table ends: text with numbers
    after a blank row or after the table's total is a count typed under the table."""

    gap: bool = False
    closed: bool = False
    seen_area: bool = False

    def ends(self, kind: str, numbers: bool) -> bool:
        """Whether a row of this kind ends the table; else note what it was."""
        if kind == "end" or (
            kind == "text" and numbers and self.seen_area and (self.gap or self.closed)
        ):
            return True
        self.seen_area |= kind in ("area", "hamlet") and numbers
        self.closed |= kind == "total" and self.seen_area
        self.gap = False
        return False


def _stops(cells: list[object], numbers: bool, first: bool) -> bool:
    """Whether a row ends the body before it is read: notes, signatures, a header."""
    lead = _lead_text(cells)
    if lead is not None and _ends_table(lead):
        return True
    # A header holds no numbers but years: a row of data is looked at no further.
    return not first and not numbers and _heads_table(cells)


def _scan_body(sheet: Sheet, body_start: int, area_col: int, data_cols: list[int]) -> list[BodyRow]:
    """The non-blank rows of a body, up to its end: before notes and signatures, the next
    table's header, or text with numbers that follows a blank row or the table's total (a
    count typed under the table). Scanned once; :mod:`antq.reading.rows` reads the rows."""
    fills = merged_down(sheet, area_col, body_start)
    pick = itemgetter(*[c - 1 for c in data_cols]) if data_cols else _NO_COLUMNS
    out: list[BodyRow] = []
    ending = _Ending()
    for r in range(body_start, sheet.n_rows + 1):
        cells = sheet.rows[r - 1]
        if cells.count(None) == len(cells):
            ending.gap = True
            continue
        numbers = _numbers_in(cells, data_cols, pick)
        if _stops(cells, numbers, r == body_start):
            break
        label = cells[area_col - 1] if area_col <= len(cells) else None
        if label is None:
            label = fills.get(r)
        kind = classify_label(label).kind if label.__class__ is str else ""
        if ending.ends(kind, numbers):
            break
        out.append((r, label, kind, numbers))
    return out


def _parent_col(sheet: Sheet, frame: _Frame, body: int, end: int) -> int | None:
    """A column left of the area column naming, merged over several rows, the area the rows
    are in (a district over its communes)."""
    c = frame.area_col - 1
    if c < frame.first_col:
        return None
    for r1, c1, r2, c2 in sheet.merged:
        if c1 <= c <= c2 and r2 > r1 and body <= r1 <= end:
            v = sheet.get(r1, c1)
            if isinstance(v, str) and classify_label(v).kind == "area":
                return c
    return None


# ---- 6. the tables of a sheet ----------------------------------------------------------


@dataclass
class _Frame:
    """Where a table's header is, and the title above it."""

    top: int
    area_col: int
    bottom: int = 0
    #: Text above the table (its own title), and the sheet's title above its first table.
    title: list[str] = field(default_factory=list)
    sheet_title: list[str] = field(default_factory=list)
    first_col: int = 1
    #: Header rows not part of a column's path: "row_number" (STT), "measure" (Đơn vị tính).
    header_reasons: dict[int, str] = field(default_factory=dict)
    body_start: int = 0


def _sheet_area(sheet: Sheet) -> AreaMatch | None:
    """The area a sheet's name names ("Hải Hậu", "H.Xuan Truong"), if it names one."""
    name = sheet.name.strip()
    if not name or _ANY_YEAR.search(name):
        return None
    label = classify_label(name)
    if label.kind != "area" or not label.level:
        return None
    return AreaMatch(label.name, label.level, label.known)


def _layout_at(sheet: Sheet, frame: _Frame) -> Layout | None:
    """The table whose area column is headed at (``frame.top``, ``frame.area_col``)."""
    if not frame.bottom:
        frame.bottom = _header_bottom(sheet, frame.top, frame.area_col)
    body = frame.body_start or frame.bottom + 1
    numbering = body if _is_numbering_row(sheet, body, frame.first_col) else None
    if numbering:
        body += 1
    title, title_words, title_indicator = _title_context(frame.title, sheet.name)
    cols = _classify_columns(sheet, frame, body, title_words, title_indicator)
    if not any(col.indicator for col in cols.data):
        return None
    year, year_from = _year_of(frame.title, frame.sheet_title, sheet)
    scan = _scan_body(sheet, body, frame.area_col, sorted({c.col for c in cols.data}))
    end = scan[-1][0] if scan else body - 1
    enclosing = _enclosing_area(frame.title) or _enclosing_area(frame.sheet_title)
    header_reasons = {r: "row_number" for r, w in frame.header_reasons.items() if w == "row_number"}
    if numbering:
        header_reasons[numbering] = "column_number"
    return Layout(
        sheet=sheet,
        header_top=frame.top,
        header_bottom=frame.bottom,
        body_start=body,
        area_col=frame.area_col,
        columns=cols.data,
        unrecognised=cols.unrecognised,
        year=year,
        year_from=year_from,
        title=title,
        enclosing=enclosing,
        body_end=end,
        body=scan,
        skipped=_left_columns(sheet, frame) + cols.skipped,
        year_col=cols.year_col,
        parent_col=_parent_col(sheet, frame, body, end),
        numbering_row=numbering,
        first_col=frame.first_col,
        sheet_area=_sheet_area(sheet),
        header_reasons=header_reasons,
        superior=_superior_area(frame.title) or _superior_area(frame.sheet_title),
        last_col=cols.last_col,
        beside=cols.beside,
    )


def find_layouts(sheet: Sheet) -> list[Layout]:
    """Every indicator table of a sheet, top to bottom; a table on its side when there is
    no other.

    Examples
    --------
    >>> from antq.reading.cells import Sheet
    >>> s = Sheet.from_values("f.xlsx", "S", {(1, 1): "Đơn vị", (1, 2): "Gia đình văn hóa",
    ...     (2, 1): "Hải Hậu", (2, 2): 1000, (4, 1): "Đơn vị", (4, 2): "Cơ quan an toàn ANTT",
    ...     (5, 1): "Hải Hậu", (5, 2): 60})
    >>> [(t.header_top, t.body_end, t.columns[0].indicator) for t in find_layouts(s)]
    [(1, 2, 'cultural_family'), (4, 5, 'safe_agency')]
    """
    tables: list[Layout] = []
    start = title_from = 1
    sheet_title: list[str] = []
    while start <= sheet.n_rows:
        anchor = _find_anchor(sheet, start) or _anchor_from_areas(sheet, start)
        if anchor is None:
            break
        top, area_col = anchor
        own = _text_of_rows(sheet, min(title_from, top), top - 1)
        if not tables:
            sheet_title = own
        parent, area_col = _split_area_header(sheet, top, area_col)
        layout = _layout_at(sheet, _Frame(top, area_col, title=own, sheet_title=sheet_title))
        if layout is None:
            start = top + 1
            continue
        if parent is not None and layout.parent_col is None:
            layout.parent_col = parent
        row = _beside(sheet, layout, own, sheet_title)
        tables.extend(row)
        start = max(max(t.body_end, t.body_start) for t in row) + 1
        # The text under a table's last figures is the next table's title ("BẢNG 2: …
        # NĂM 2021"), though the body's scan, which ends at that table's header, took it in.
        title_from = max((r for t in row for r, *_, numbers in t.body if numbers), default=0) + 1
        title_from = max(title_from, max(t.header_bottom for t in row) + 1)
    if not tables:
        turned = _transposed_layout(sheet)
        if turned is not None:
            tables.append(turned)
    return tables


def _beside(sheet: Sheet, layout: Layout, own: list[str], sheet_title: list[str]) -> list[Layout]:
    """A table and the tables standing beside it, left to right."""
    row = [layout]
    while row[-1].beside is not None:
        top, area_col, first = row[-1].beside
        frame = _Frame(top, area_col, title=own, sheet_title=sheet_title, first_col=first)
        nxt = _layout_at(sheet, frame)
        if nxt is None:
            break
        row.append(nxt)
    return row


def find_layout(sheet: Sheet) -> Layout | None:
    """The first indicator table of a sheet, or None when it has none.

    Examples
    --------
    >>> from antq.reading.cells import Sheet
    >>> s = Sheet.from_values("f.xlsx", "S", {(1, 1): "Đơn vị", (1, 2): "Gia đình văn hóa (hộ)",
    ...     (2, 1): "Hải Hậu", (2, 2): 1000})
    >>> lay = find_layout(s)
    >>> lay.columns[0].indicator, lay.body_start
    ('cultural_family', 2)
    """
    tables = find_layouts(sheet)
    return tables[0] if tables else None


# ---- a table on its side ---------------------------------------------------------------


def _areas_across(sheet: Sheet, r: int) -> list[int]:
    """Columns of row ``r`` (past the first) naming an area, a total or a hamlet."""
    out = []
    for c, v in sheet.row_items(r):
        if c > 1 and isinstance(v, str) and classify_label(v).kind in ("area", "hamlet", "total"):
            out.append(c)
    return out


def _numbers_below(sheet: Sheet, r: int, cols: list[int]) -> bool:
    return any(
        looks_numeric(sheet.get(rr, c))
        for rr in range(r + 1, min(r + 12, sheet.n_rows) + 1)
        for c in cols
    )


def _areas_row(sheet: Sheet) -> tuple[int, list[int]] | None:
    """The row naming the areas across the top (the lowest of consecutive such rows)."""
    for r in range(1, min(sheet.n_rows, MAX_TITLE_ROWS) + 1):
        cols = _areas_across(sheet, r)
        if len(cols) >= 2 and _numbers_below(sheet, r, cols):
            while len(_areas_across(sheet, r + 1)) >= 2:
                r += 1
            return r, _areas_across(sheet, r)
    return None


def _side_headings(sheet: Sheet, r0: int, c0: int, end: int) -> dict[int, str]:
    """For rows whose indicator label is bulleted ("- Cơ quan"), the heading above them
    ("Đạt chuẩn an toàn về ANTT", a row without numbers)."""
    out: dict[int, str] = {}
    heading: str | None = None
    for r in range(r0 + 1, end + 1):
        labels = [v for c, v in sheet.row_items(r) if c < c0 and isinstance(v, str)]
        numbers = any(looks_numeric(v) for c, v in sheet.row_items(r) if c >= c0)
        if labels and not numbers:
            heading = labels[0]
        elif labels and heading and any(signs("bullet", lb) for lb in labels):
            out[r] = heading
        elif numbers:
            heading = None
    return out


def _side_end(sheet: Sheet, r0: int) -> int:
    last = r0
    for r in range(r0 + 1, sheet.n_rows + 1):
        lead = _lead_text(sheet.rows[r - 1])
        if lead is not None and starts_with_term("table_end", tokens(lead[:80])):
            break
        if sheet.row_items(r):
            last = r
    return last


def _labels_name_indicators(sheet: Sheet, r0: int, c0: int) -> bool:
    """Whether the columns left of the areas, under their row, name indicators or units."""
    for r in range(r0 + 1, sheet.n_rows + 1):
        for c, v in sheet.row_items(r):
            if c < c0 and isinstance(v, str):
                words = tokens(v)
                if _first_term(words, "indicator") or _first_term(words, "unit"):
                    return True
    return False


def _parent_row(sheet: Sheet, r0: int) -> int | None:
    """The row above the areas naming, merged over them, the areas they are in."""
    if r0 <= 1 or not _areas_across(sheet, r0 - 1):
        return None
    merged = any(r1 == r0 - 1 and c2 > c1 for r1, c1, _r2, c2 in sheet.merged)
    return r0 - 1 if merged else None


def _side_reasons(sheet: Sheet, r0: int, c0: int, top: int) -> dict[int, str]:
    """Columns left of the areas that are row numbers (STT) or units of measure ("Đơn vị
    tính"), by the view's row: they are no part of an indicator's name."""
    reasons: dict[int, str] = {}
    for c in range(1, c0):
        heads = [sheet.get(r, c) for r in range(r0, top - 1, -1)]
        fill = merged_down(sheet, c, top).get(r0)
        head = next((h for h in [*heads, fill] if h is not None), "")
        words = tokens(cell_text(head))
        for why in ("row_number", "measure"):
            if words in layout_terms()[why]:
                reasons[c + 1] = why
    return reasons


def _transposed_layout(sheet: Sheet) -> Layout | None:
    """A table with the areas across the top and the indicators down the side, read through
    a transposed view of the sheet (:meth:`Sheet.transposed_view`)."""
    found = _areas_row(sheet)
    if found is None:
        return None
    r0, cols = found
    c0 = min(cols)
    if not _labels_name_indicators(sheet, r0, c0):
        return None
    end = _side_end(sheet, r0)
    view = sheet.transposed_view(end, _side_headings(sheet, r0, c0, end))
    parent = _parent_row(sheet, r0)
    first = parent or r0
    texts = _text_of_rows(sheet, 1, first - 1)
    frame = _Frame(
        top=1,
        area_col=r0,
        bottom=c0,
        title=texts,
        sheet_title=texts,
        first_col=first,
        header_reasons=_side_reasons(sheet, r0, c0, first),
        body_start=c0 + 1,
    )
    layout = _layout_at(view, frame)
    if layout is not None and parent is not None:
        layout.parent_col = parent
    return layout


# ---- why a sheet has no table ----------------------------------------------------------


def diagnose(sheet: Sheet) -> tuple[str, str]:
    """What antq found in a sheet without an indicator table, and what it expected: a
    sentence in English and one in Vietnamese, in terms of this sheet.

    Examples
    --------
    >>> from antq.reading.cells import Sheet
    >>> s = Sheet.from_values("f.xlsx", "S", {(1, 1): "KẾT QUẢ AN TOÀN VỀ ANTT",
    ...     (3, 1): "Đơn vị", (3, 2): "Kinh phí", (4, 1): "Hải Hậu", (4, 2): 5})
    >>> for part in diagnose(s)[0].split("; "):
    ...     print(part)
    row 3 has 'Đơn vị' (A3) but no column names an indicator: its columns are headed 'Kinh phí'
    the title mentions 'an toàn về ANTT'
    1 number in the sheet
    """
    anchor = _find_anchor(sheet) or _anchor_from_areas(sheet)
    numbers = sum(1 for row in sheet.rows for v in row if looks_numeric(v))
    mentions = _mentions(sheet, anchor[0] if anchor else MAX_TITLE_ROWS)
    en, vi = _no_anchor_found(sheet) if anchor is None else _no_indicator_found(sheet, *anchor)
    if mentions:
        quoted = ", ".join(f"'{m}'" for m in mentions)
        en += f"; the title mentions {quoted}"
        vi += f"; tiêu đề có {quoted}"
    en += f"; {numbers} number{'s' if numbers != 1 else ''} in the sheet"
    vi += f"; sheet có {numbers} số"
    return en, vi


def _no_anchor_found(sheet: Sheet) -> tuple[str, str]:
    """What :func:`diagnose` says of a sheet where no area column was found."""
    found_en, found_vi = _found_instead(sheet)
    cols = f"A–{address(1, MAX_AREA_COL)[:-1]}"
    en = (
        f"{found_en}; no cell of rows 1–{MAX_TITLE_ROWS}, columns {cols}, names the area "
        "column ('Đơn vị', 'Địa bàn', 'Xã, phường' …) and no column lists area names beside "
        "numbers"
    )
    vi = (
        f"{found_vi}; không ô nào ở dòng 1–{MAX_TITLE_ROWS}, cột {cols} ghi tên cột đơn vị "
        "('Đơn vị', 'Địa bàn', 'Xã, phường' …) và không cột nào ghi tên đơn vị bên cạnh số liệu"
    )
    return en, vi


def _no_indicator_found(sheet: Sheet, top: int, c: int) -> tuple[str, str]:
    """What :func:`diagnose` says of a sheet whose area column (row ``top``, column ``c``)
    has no column naming an indicator beside it."""
    bottom = _header_bottom(sheet, top, c)
    filled = sheet.merged_fill(top, bottom)
    heads: list[str] = []
    for cc in range(c + 1, sheet.n_cols + 1):
        path = _header_path(filled, list(range(top, bottom + 1)), cc, [])
        if path and " › ".join(path) not in heads:
            heads.append(" › ".join(path))
    quoted = ", ".join(f"'{h[:40]}'" for h in heads[:5])
    shown, shown_vi = quoted or "nothing", quoted or "(trống)"
    head = sheet.get(top, c)
    if head is None:
        # Found from the area names, with nothing heading them: quote the first one.
        first = next(
            (r for r in range(top + 1, sheet.n_rows + 1) if _is_area_row(sheet, r, c)), top
        )
        where = sheet.source(first, c).rsplit("!", 1)[1]
        name = f"'{cell_text(sheet.get(first, c))[:40]}' ({where})"
        en = (
            f"area names stand from {name} down, but no header above them (row {top}) "
            f"names an indicator: its columns are headed {shown}"
        )
        vi = (
            f"tên đơn vị bắt đầu từ {name}, nhưng không dòng tiêu đề nào phía trên (dòng "
            f"{top}) ghi tên chỉ tiêu: các cột là {shown_vi}"
        )
        return en, vi
    cell = f"'{cell_text(head)[:40]}' ({sheet.source(top, c).rsplit('!', 1)[1]})"
    en = f"row {top} has {cell} but no column names an indicator: its columns are headed {shown}"
    vi = f"dòng {top} có {cell} nhưng không cột nào ghi tên chỉ tiêu: các cột là {shown_vi}"
    return en, vi


def _found_instead(sheet: Sheet) -> tuple[str, str]:
    """What a sheet without an area column holds where a header was expected: its first row
    of several headings ("row 2 is headed 'Nội dung', 'Số tiền'"), else its first text."""
    first: tuple[int, int, str] | None = None
    for r in range(1, min(sheet.n_rows, MAX_TITLE_ROWS) + 1):
        texts = [
            (c, v) for c, v in sheet.row_items(r) if isinstance(v, str) and not looks_numeric(v)
        ]
        texts = [(c, v) for c, v in texts if cell_text(v)]
        if len(texts) >= 2:
            shown = ", ".join(f"'{cell_text(v)[:30]}'" for _c, v in texts[:5])
            return f"row {r} is headed {shown}", f"dòng {r} ghi {shown}"
        if texts and first is None:
            first = (r, texts[0][0], texts[0][1])
    if first is None:
        return "it holds no text", "sheet không có chữ"
    r, c, v = first
    where = sheet.source(r, c).rsplit("!", 1)[1]
    return (
        f"its only heading is '{cell_text(v)[:60]}' ({where})",
        f"chỉ có dòng chữ '{cell_text(v)[:60]}' ({where})",
    )


def _mentions(sheet: Sheet, until: int) -> list[str]:
    """Indicator, unit and qualifier terms the title above row ``until`` uses, as written
    in the vocabulary."""
    from antq.vocab import header_terms

    words = tokens(" ".join(_text_of_rows(sheet, 1, min(until - 1, MAX_TITLE_ROWS))))
    out: list[str] = []
    for kind in ("indicator", "qualifier", "unit"):
        for term, _value in header_terms().get(kind, []):
            if contains_phrase(words, tokens(term)) and term not in out:
                out.append(term)
    # "an toàn" is said once, as the longer "an toàn về ANTT" that holds it.
    out = [t for t in out if not any(o != t and contains_phrase(tokens(o), tokens(t)) for o in out)]
    return out[:4]
