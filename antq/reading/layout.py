"""Stage 3: find the table in a sheet.

A report sheet has title rows, a header block of one to four rows (merged
cells, group headers over sub-headers, sometimes a row of column numbers),
an area column ("Đơn vị"), one row per area, total rows, then notes and
signatures. This module finds each of those and classifies every column by
indicator, role (achieved / total / rate) and, where the header says so,
year. It reads no numbers: that is :mod:`antq.reading.rows`'s job.

Where things go
---------------
New header spellings are rows of ``data/header_terms.csv``, not code here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from antq._text import clean, contains_phrase, fold, tokens
from antq.numbers import looks_numeric
from antq.reading.cells import Sheet
from antq.vocab import AreaMatch, folded_terms, indicators, resolve_area, vocab_cache

__all__ = ["MAX_TITLE_ROWS", "Column", "Layout", "find_layout", "year_from_text"]

#: How far down a sheet the header row is looked for.
MAX_TITLE_ROWS: int = 40
#: The most header rows below the one naming the area column.
MAX_HEADER_ROWS: int = 5
#: The area column is one of the first few columns.
MAX_AREA_COL: int = 6

_YEAR = re.compile(r"\bnam (\d{4})\b")
_DATE_YEAR = re.compile(r"thang \d{1,2} nam (\d{4})")
_ANY_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_NUMBERING_CELL = re.compile(r"^\(?\s*(\d{1,2}|[A-Za-z])\s*\)?$")
_ORG = re.compile(
    r"^(?:ubnd|uy ban nhan dan|cong an|ban chi dao(?: 138)?|bcd(?: 138)?|bcd138)\s+"
    r"(tinh|huyen|thanh pho|thi xa|quan)\s+(.+)$"
)
_NOTES = ("ghi chu",)


@dataclass(frozen=True)
class Column:
    """A classified data column."""

    col: int
    header: str
    role: str  # "achieved", "total" or "rate"
    indicator: str | None  # None: a shared denominator ("Tổng số khu dân cư")
    unit: str | None
    year: int | None


@dataclass
class Layout:
    """Where the table of a sheet is and what each column holds."""

    sheet: Sheet
    header_top: int
    header_bottom: int
    body_start: int
    area_col: int
    columns: list[Column]
    unrecognised: list[tuple[int, str]] = field(default_factory=list)
    year: int | None = None
    year_from: str = ""
    title: str = ""
    enclosing: AreaMatch | None = None


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


def _find_anchor(sheet: Sheet) -> tuple[int, int] | None:
    """The cell heading the area column ("Đơn vị"), scanning top-down, left to right."""
    area_terms = [p for p, _ in folded_terms("area_header")]
    not_terms = [p for p, _ in folded_terms("not_area_header")]
    for r in range(1, min(sheet.n_rows, MAX_TITLE_ROWS) + 1):
        for c in range(1, min(sheet.n_cols, MAX_AREA_COL) + 1):
            v = sheet.get(r, c)
            if not isinstance(v, str):
                continue
            words = tokens(v)
            if any(words[: len(n)] == n for n in not_terms):
                continue
            if any(words[: len(t)] == t for t in area_terms) and len(words) <= 8:
                return r, c
    return None


def _anchor_from_areas(sheet: Sheet) -> tuple[int, int] | None:
    """When no header names the area column ("Xã, phường, thị trấn", or nothing at all):
    the first column where area names stand beside numbers, and the header cell above them.
    """
    for c in range(1, min(sheet.n_cols, MAX_AREA_COL) + 1):
        for r in range(1, min(sheet.n_rows, MAX_TITLE_ROWS + MAX_HEADER_ROWS) + 1):
            v = sheet.get(r, c)
            if not (isinstance(v, str) and resolve_area(v).level):
                continue
            if not any(looks_numeric(x) for cc, x in sheet.row_items(r) if cc > c):
                continue
            # The header: the nearest text above in this column, or the top of a merge.
            for rr in range(r - 1, max(0, r - 1 - MAX_HEADER_ROWS), -1):
                above = sheet.get(rr, c)
                if isinstance(above, str) and not resolve_area(above).level:
                    return rr, c
            for r1, c1, r2, c2 in sheet.merged:
                if c1 <= c <= c2 and r1 <= r - 1 <= r2:
                    return r1, c
            return (r - 1, c) if r > 1 else None
    return None


def _is_numbering_row(sheet: Sheet, row: int, first_col: int) -> bool:
    """A row of column numbers "(1) (2) (3) …" or "A B 1 2 …" under the header."""
    cells = [v for c, v in sheet.row_items(row) if c >= first_col]
    if len(cells) < 3:
        return False
    return all(_NUMBERING_CELL.match(str(v).strip()) for v in cells)


def _header_bottom(sheet: Sheet, top: int, area_col: int) -> int:
    bottom = top
    for r1, c1, r2, _c2 in sheet.merged:
        if r1 == top and c1 == area_col:
            bottom = max(bottom, r2)
    # Leaves merged down from the header's top rows extend the block too.
    changed = True
    while changed:
        changed = False
        for r1, c1, r2, _c2 in sheet.merged:
            if top <= r1 <= bottom and c1 > area_col and r2 > bottom and r2 - top < MAX_HEADER_ROWS:
                bottom, changed = r2, True
    # Rows below that hold only text (sub-headers) belong to the header as well.
    while bottom - top < MAX_HEADER_ROWS - 1:
        r = bottom + 1
        row = {c: v for c, v in sheet.row_items(r) if c >= area_col}
        if not row or _is_numbering_row(sheet, r, area_col):
            break
        right = [v for c, v in row.items() if c > area_col]
        if not right or any(looks_numeric(v) for v in right):
            break
        label = row.get(area_col)
        if isinstance(label, str) and (resolve_area(label).level or total_label_kind(label)):
            break
        bottom = r
    return bottom


@vocab_cache
def total_label_kind(text: str) -> str | None:
    """``"total"``, ``"province"`` or ``"district"`` for a total row's label, else None."""
    words = tokens(text)
    for phrase, value in folded_terms("total_label"):
        if words == phrase or (len(phrase) > 1 and words[: len(phrase)] == phrase):
            return value
    return None


@vocab_cache
def _classify(
    path: tuple[str, ...], title_words: tuple[str, ...], title_indicator: str | None
) -> tuple[str | None, str | None, str | None, int | None]:
    """(indicator, unit, role, year) of a header path; role None when unrecognised.

    Cached: a folder's workbooks repeat the same headers.
    """
    words = [tokens(p) for p in path]
    leaf = words[-1]
    year = None
    for p in path:
        y = year_from_text(p)
        if y is None and re.fullmatch(r"(19|20)\d{2}", p.strip()):
            y = int(p.strip())
        if y is not None:
            year = y
    role = None
    for kind in ("rate", "achieved", "total", "count"):
        if _first_term(leaf, kind):
            role = kind
            break
    leaf_direct = _first_term(leaf, "indicator")
    if role == "total" and leaf_direct:
        # "Tổng số hộ GĐVH" counts the cultural families themselves.
        role = "achieved"
    direct = next((d for w in reversed(words) if (d := _first_term(w, "indicator"))), None)
    unit = next((u for w in reversed(words) if (u := _first_term(w, "unit"))), None)
    leaf_unit = _first_term(leaf, "unit")
    qualified = any(_first_term(w, "qualifier") for w in words) or bool(
        _first_term(title_words, "qualifier")
    )
    if role == "total" and leaf_unit and not leaf_direct:
        # "Tổng số khu dân cư" counts every residential area of the row, whatever
        # group stands above it: the shared denominator.
        return None, leaf_unit, "total", year
    indicator = None
    if direct:
        indicator = direct
    elif unit and qualified:
        indicator = next(
            (i.code for i in indicators().values() if i.unit == unit and i.qualifier == "safe"),
            None,
        )
    elif unit and role == "total":
        return None, unit, "total", year
    elif title_indicator:
        indicator = title_indicator
    if indicator is None:
        return None, unit, None, year
    if unit is None or (direct and indicators()[direct].unit != unit and not leaf_unit):
        unit = indicators()[indicator].unit
    return indicator, unit, role or "achieved", year


def _title_context(sheet: Sheet, header_top: int) -> tuple[str, tuple[str, ...], str | None]:
    texts = [
        clean(v) for r in range(1, header_top) for _c, v in sheet.row_items(r) if isinstance(v, str)
    ]
    title = " | ".join(texts)
    title_words = tokens(title)
    # A sheet per indicator names it in its title or its sheet name.
    found = set()
    for words in (title_words, tokens(sheet.name)):
        for phrase, value in folded_terms("indicator"):
            if contains_phrase(words, phrase):
                found.add(value)
    return title, title_words, (found.pop() if len(found) == 1 else None)


_ORG_PREFIX = {
    "tinh": "Tỉnh",
    "huyen": "Huyện",
    "thanh pho": "Thành phố",
    "thi xa": "Thị xã",
    "quan": "Quận",
}


def _enclosing_area(sheet: Sheet, header_top: int) -> AreaMatch | None:
    """The area a sheet reports on, from "UBND HUYỆN HẢI HẬU", "BAN CHỈ ĐẠO 138 TỈNH …"."""
    for r in range(1, header_top):
        for _c, v in sheet.row_items(r):
            if not isinstance(v, str):
                continue
            m = _ORG.match(fold(v))
            if not m:
                continue
            words = clean(v).split()
            name_words = len(m.group(2).split())
            # Keep the name with its diacritics: the same number of words from the end.
            original = " ".join(words[-name_words:]) if name_words <= len(words) else m.group(2)
            name = original.title() if original.isupper() else original
            match = resolve_area(f"{_ORG_PREFIX[m.group(1)]} {name}")
            if match.level:
                return match
    return None


def _year_of_sheet(sheet: Sheet, title: str) -> tuple[int | None, str]:
    y = year_from_text(title)
    if y is not None:
        return y, "title"
    m = _ANY_YEAR.search(sheet.name)
    if m:
        return int(m.group(1)), "sheet name"
    stem = sheet.file.rsplit("/", 1)[-1]
    m = _ANY_YEAR.search(stem)
    if m:
        return int(m.group(1)), "file name"
    return None, ""


def find_layout(sheet: Sheet) -> Layout | None:
    """Find the indicator table of a sheet, or None when it has none.

    Examples
    --------
    >>> from antq.reading.cells import Sheet
    >>> s = Sheet.from_values("f.xlsx", "S", {(1, 1): "Đơn vị", (1, 2): "Gia đình văn hóa (hộ)",
    ...     (2, 1): "Hải Hậu", (2, 2): 1000})
    >>> lay = find_layout(s)
    >>> lay.columns[0].indicator, lay.body_start
    ('cultural_family', 2)
    """
    anchor = _find_anchor(sheet) or _anchor_from_areas(sheet)
    if anchor is None:
        return None
    top, area_col = anchor
    bottom = _header_bottom(sheet, top, area_col)
    body = bottom + 1
    if _is_numbering_row(sheet, body, area_col):
        body += 1
    title, title_words, title_indicator = _title_context(sheet, top)
    filled = sheet.merged_fill(top, bottom)
    columns: list[Column] = []
    unrecognised: list[tuple[int, str]] = []
    for c in range(area_col + 1, sheet.n_cols + 1):
        path: list[str] = []
        for r in range(top, bottom + 1):
            v = filled.get((r, c))
            if v is None:
                continue
            text = clean(str(v))
            if text and (not path or path[-1] != text):
                path.append(text)
        if not path:
            if any(sheet.get(r, c) is not None for r in range(body, sheet.n_rows + 1)):
                unrecognised.append((c, ""))
            continue
        header = " › ".join(path)
        if any(fold(p).startswith(_NOTES) for p in path):
            continue
        indicator, unit, role, year = _classify(tuple(path), title_words, title_indicator)
        if role is None:
            unrecognised.append((c, header))
            continue
        columns.append(Column(c, header, role, indicator, unit, year))
    columns = _resolve_counts(columns)
    if not any(col.indicator for col in columns):
        return None
    year, year_from = _year_of_sheet(sheet, title)
    return Layout(
        sheet=sheet,
        header_top=top,
        header_bottom=bottom,
        body_start=body,
        area_col=area_col,
        columns=columns,
        unrecognised=unrecognised,
        year=year,
        year_from=year_from,
        title=title,
        enclosing=_enclosing_area(sheet, top),
    )


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
