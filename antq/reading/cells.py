"""Stage 1–2: open a workbook safely and get its cells with their addresses.

Nothing here interprets the table; it only refuses unsafe or unreadable
files with a clear error and hands each sheet on as a grid of values.
"""

from __future__ import annotations

import html
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from openpyxl.utils import column_index_from_string, get_column_letter
from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

from antq._text import nfc
from antq.errors import FileTooLargeError, UnreadableFileError
from antq.numbers import is_number_cell, is_number_text
from antq.reading.csvfile import csv_rows
from antq.reading.legacy import decode_texts, looks_legacy

__all__ = [
    "MAX_COMPRESSION_RATIO",
    "MAX_FILE_BYTES",
    "MAX_UNCOMPRESSED_BYTES",
    "READABLE_SUFFIXES",
    "SPREADSHEET_SUFFIXES",
    "TEXT_SUFFIXES",
    "Sheet",
    "address",
    "read_sheets",
]

#: Default limit on a workbook's size on disk; ``load(max_bytes=...)`` raises it.
MAX_FILE_BYTES: int = 50 * 1024 * 1024
#: Limit on the total decompressed size of a workbook's parts (zip bombs).
MAX_UNCOMPRESSED_BYTES: int = 500 * 1024 * 1024
#: A part compressed more than this is refused unread: real sheets compress ~10-30×.
MAX_COMPRESSION_RATIO: int = 200
#: How much of each XML part is scanned for a DOCTYPE (it can only stand in the prologue).
_PROLOGUE_BYTES: int = 4096
#: The most cells a sheet's used range (A1 to its farthest cell holding a value) may span:
#: python-calamine allocates that rectangle whole, and one value typed at XFD1048576 would
#: ask for 17 billion cells (the process aborts, no exception). A report spans thousands.
MAX_SHEET_CELLS: int = 5_000_000

SPREADSHEET_SUFFIXES: frozenset[str] = frozenset({".xlsx", ".xlsm", ".xls", ".ods"})
#: Text tables saved from Excel ("CSV (Comma delimited)", "Unicode Text"): one sheet each.
TEXT_SUFFIXES: frozenset[str] = frozenset({".csv"})
#: Every file antq reads; any other file in a folder is reported as skipped.
READABLE_SUFFIXES: frozenset[str] = SPREADSHEET_SUFFIXES | TEXT_SUFFIXES

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def address(row: int, col: int) -> str:
    """The A1 address of a 1-based row and column.

    Examples
    --------
    >>> address(12, 4)
    'D12'
    """
    return f"{get_column_letter(col)}{row}"


@dataclass
class Sheet:
    """One worksheet as a grid of values, rows of lists (1-based rows and columns in the API).

    Empty cells are None. Build one from a dict of values with :meth:`from_values`.
    """

    file: str
    name: str
    hidden: bool
    rows: list[list[object]]
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    #: Formula cells saved without a cached value: no number can be read from them.
    uncached: set[tuple[int, int]] = field(default_factory=set)
    #: A view of another sheet with rows and columns swapped (a table with the areas across
    #: the top): row ``r`` of the view is column ``r - 1`` of the file (row 1 holds headings
    #: antq derived, no cell of the file) and column ``c`` is the file's row ``c``.
    transposed: bool = False
    _n_cols: tuple[int, int] | None = field(default=None, repr=False, compare=False)
    #: How many cells hold a number (counted while reading; see :attr:`numbers`).
    _numbers: int | None = field(default=None, repr=False, compare=False)

    @classmethod
    def from_values(
        cls,
        file: str,
        name: str,
        values: dict[tuple[int, int], object],
        merged: list[tuple[int, int, int, int]] | None = None,
        *,
        hidden: bool = False,
    ) -> Sheet:
        """A sheet from ``{(row, col): value}``.

        Examples
        --------
        >>> s = Sheet.from_values("f.xlsx", "S", {(2, 3): 7})
        >>> s.get(2, 3), s.n_rows, s.n_cols, s.source(2, 3)
        (7, 2, 3, 'f.xlsx!S!C2')
        """
        n_rows = max((r for r, _ in values), default=0)
        n_cols = max((c for _, c in values), default=0)
        rows: list[list[object]] = [[None] * n_cols for _ in range(n_rows)]
        for (r, c), v in values.items():
            rows[r - 1][c - 1] = v
        return cls(file, name, hidden, rows, list(merged or []))

    @property
    def numbers(self) -> int:
        """How many cells hold a number (:func:`antq.numbers.is_number_cell`): the count the
        accounting of the sheet must reach.

        Examples
        --------
        >>> Sheet.from_values("f.xlsx", "S", {(1, 1): "Đơn vị", (2, 1): 5, (2, 2): "1.234"}).numbers
        2
        """
        if self._numbers is None:
            self._numbers = sum(1 for row in self.rows for v in row if is_number_cell(v))
        return self._numbers

    @property
    def n_rows(self) -> int:
        """Number of rows (the last row holding anything)."""
        return len(self.rows)

    @property
    def n_cols(self) -> int:
        """Number of columns (the widest row)."""
        if self._n_cols is None or self._n_cols[0] != len(self.rows):
            # Cached: the layout asks often; rows are only ever appended, never widened.
            self._n_cols = (len(self.rows), max((len(r) for r in self.rows), default=0))
        return self._n_cols[1]

    def get(self, row: int, col: int) -> object:
        """The value at (row, col), or None."""
        if 0 < row <= len(self.rows):
            cells = self.rows[row - 1]
            if 0 < col <= len(cells):
                return cells[col - 1]
        return None

    def row_items(self, row: int) -> list[tuple[int, object]]:
        """(column, value) of the non-empty cells of a row."""
        if not 0 < row <= len(self.rows):
            return []
        return [(c, v) for c, v in enumerate(self.rows[row - 1], start=1) if v is not None]

    def cell_of(self, row: int, col: int) -> tuple[int, int]:
        """(row, column) in the file of a cell of this sheet (a view's cells map back).

        Examples
        --------
        >>> s = Sheet.from_values("f.xlsx", "S", {(2, 3): 7})
        >>> s.cell_of(2, 3), s.transposed_view(2, {}).cell_of(4, 2)
        ((2, 3), (2, 3))
        """
        return (col, row - 1) if self.transposed else (row, col)

    def source(self, row: int, col: int) -> str:
        """``file!sheet!A1`` of a cell: how every number is traced to where it was read."""
        return f"{self.file}!{self.name}!{address(*self.cell_of(row, col))}"

    def transposed_view(self, last_row: int, headings: dict[int, str]) -> Sheet:
        """The sheet's rows 1 … ``last_row`` with rows and columns swapped, for a table whose
        areas stand across the top; ``headings`` (by the file's row) fill the view's first
        row. See :attr:`transposed`.

        Examples
        --------
        >>> s = Sheet.from_values("f.xlsx", "S", {(1, 1): "a", (1, 2): "b", (2, 1): 5})
        >>> v = s.transposed_view(2, {2: "h"})
        >>> v.rows, v.source(3, 1)
        ([[None, 'h'], ['a', 5], ['b', None]], 'f.xlsx!S!B1')
        """
        width = self.n_cols
        grid = [list(r) + [None] * (width - len(r)) for r in self.rows[:last_row]]
        body = [list(col) for col in zip(*grid, strict=True)] if grid else []
        head: list[object] = [headings.get(r) for r in range(1, len(grid) + 1)]
        merged = [
            (c1 + 1, r1, c2 + 1, min(r2, last_row))
            for r1, c1, r2, c2 in self.merged
            if r1 <= last_row
        ]
        uncached = {(c + 1, r) for r, c in self.uncached if r <= last_row}
        return Sheet(
            self.file, self.name, self.hidden, [head, *body], merged, uncached, transposed=True
        )

    def merged_fill(self, top: int, bottom: int) -> dict[tuple[int, int], object]:
        """Values of rows ``top``..``bottom``, merged ranges filled with their value."""
        filled = {(r, c): v for r in range(top, bottom + 1) for c, v in self.row_items(r)}
        for r1, c1, r2, c2 in self.merged:
            if r2 < top or r1 > bottom:
                continue
            v = self.get(r1, c1)
            if v is None:
                continue
            for r in range(max(r1, top), min(r2, bottom) + 1):
                for c in range(c1, c2 + 1):
                    filled[(r, c)] = v
        return filled


def _check_file(path: Path, display: str, max_bytes: int) -> str:
    """Refuse what is not a safe spreadsheet before any parser sees it; return its kind:
    "ole" (Excel 97-2003), "zip" (Office Open XML, OpenDocument) or "text" (CSV)."""
    if not path.is_file():
        raise UnreadableFileError(f"{display}: no such file", vi=f"{display}: không có file này")
    size = path.stat().st_size
    if size > max_bytes:
        raise FileTooLargeError(
            f"{display}: the file is {size:,} bytes, over the limit of {max_bytes:,}; "
            "pass a larger max_bytes to read it",
            vi=f"{display}: file nặng {size:,} byte, vượt giới hạn {max_bytes:,}; "
            "nâng giới hạn (max_bytes, --max-mb) để đọc",
        )
    if size == 0:
        raise UnreadableFileError(
            f"{display}: the file is empty, expected an Excel workbook",
            vi=f"{display}: file rỗng, cần một file Excel",
        )
    with path.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(_OLE_MAGIC):
        if path.suffix.lower() == ".xls":
            return "ole"  # Excel 97-2003
        # An .xlsx saved with a password is wrapped in an OLE container.
        raise UnreadableFileError(
            f"{display}: the workbook is password-protected (encrypted); "
            "remove the password in Excel and send it again",
            vi=f"{display}: file có đặt mật khẩu; gỡ mật khẩu trong Excel rồi gửi lại",
        )
    if head.startswith(_ZIP_MAGIC):
        _check_zip(path, display)
        return "zip"
    if path.suffix.lower() in TEXT_SUFFIXES:
        return "text"
    raise UnreadableFileError(
        f"{display}: not a spreadsheet, expected an Excel workbook (.xlsx, .xlsm, .xls), "
        "an OpenDocument sheet (.ods) or a CSV file saved from Excel",
        vi=f"{display}: không phải file bảng tính; cần file Excel (.xlsx, .xlsm, .xls), "
        ".ods hoặc CSV lưu từ Excel",
    )


def _check_zip(path: Path, display: str) -> None:
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            total = sum(i.file_size for i in infos)
            if total > MAX_UNCOMPRESSED_BYTES:
                raise FileTooLargeError(
                    f"{display}: its parts expand to {total:,} bytes, over the limit of "
                    f"{MAX_UNCOMPRESSED_BYTES:,}; refused as a possible zip bomb",
                    vi=f"{display}: nội dung giải nén quá lớn ({total:,} byte); "
                    "từ chối vì có thể là file độc hại (zip bomb)",
                )
            for info in infos:
                ratio = info.file_size / max(info.compress_size, 1)
                if info.file_size > 1_000_000 and ratio > MAX_COMPRESSION_RATIO:
                    raise UnreadableFileError(
                        f"{display}: part {info.filename} is compressed {ratio:,.0f}×, "
                        "refused unread as a possible zip bomb",
                        vi=f"{display}: phần {info.filename} bị nén {ratio:,.0f} lần; từ chối "
                        "vì có thể là file độc hại (zip bomb)",
                    )
                if info.filename.endswith((".xml", ".rels", ".vml")):
                    with zf.open(info) as part:
                        prologue = part.read(_PROLOGUE_BYTES)
                    if b"<!DOCTYPE" in prologue or b"<!ENTITY" in prologue:
                        raise UnreadableFileError(
                            f"{display}: part {info.filename} declares a DTD or entities, "
                            "which Excel never writes; refused as unsafe (entity expansion)",
                            vi=f"{display}: phần {info.filename} khai báo DTD/entity mà Excel "
                            "không bao giờ ghi; từ chối vì không an toàn",
                        )
    # A damaged local header can hold a name that is no UTF-8, which zipfile decodes.
    except (zipfile.BadZipFile, zlib.error, EOFError, UnicodeDecodeError) as exc:
        raise UnreadableFileError(
            f"{display}: the file is truncated or corrupt ({exc}); ask for it again",
            vi=f"{display}: file bị cắt cụt hoặc hỏng; đề nghị gửi lại",
        ) from exc


def _text_cell(v: str) -> str | None:
    """A text cell: None when blank, NFC otherwise (decomposed text is common in old files)."""
    if not v or v.isspace():
        return None
    return v if v.isascii() else nfc(v)


def _sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → path of its XML part, from the workbook's relationships."""
    ns_main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    ns_rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    try:
        book = ElementTree.fromstring(zf.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return {}
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    parts = {}
    for sh in book.iter(f"{ns_main}sheet"):
        target = targets.get(sh.get(f"{ns_rel}id"), "")
        if target:
            parts[sh.get("name", "")] = (
                target.lstrip("/") if target.startswith("/") else ("xl/" + target)
            )
    return parts


_CELL_XML = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_REF = re.compile(rb'\br="([A-Z]{1,3})([0-9]+)"')
_VALUE = re.compile(rb"<(?:\w+:)?v\b[^>]*>([^<]+)</(?:\w+:)?v>")
_FORMULA = re.compile(rb"<(?:\w+:)?f\b")


@dataclass
class _Special:
    """Cells python-calamine reads as empty although they are not, in one sheet."""

    #: Formulas saved without a value (a file written by a program, never by Excel).
    uncached: set[tuple[int, int]] = field(default_factory=set)
    #: Cells holding an error value ("#DIV/0!", "#N/A"), by cell: a number gone wrong.
    errors: dict[tuple[int, int], str] = field(default_factory=dict)


def _special_cell(attrs: bytes, inner: bytes) -> tuple[str, str] | None:
    """("error", "#DIV/0!") or ("uncached", "") for a cell calamine reads as empty, else None."""
    value = _VALUE.search(inner)
    if b't="e"' in attrs:
        # The text as saved in XML: "#N/A" may be written "&#35;N/A".
        return (
            ("error", html.unescape(value.group(1).decode("utf-8", "replace"))) if value else None
        )
    if not _FORMULA.search(inner):
        return None
    # A formula returning "" is cached as an empty <v> with t="str".
    if value or b't="str"' in attrs:
        return None
    return "uncached", ""


def _may_hold_formula(data: bytes) -> bool:
    """Whether ``data`` holds ``<f`` or ``:f`` (a formula, with or without a namespace
    prefix). The letter f is rare in a sheet's XML: each is found at memchr speed and the
    byte before it looked at (searching for "<f" stops at every "<": 0,35 ms of the
    largest national sheet). Past a few dozen, the plain search."""
    at = data.find(b"f")
    for _ in range(_F_LOOKS):
        if at < 0:
            return False
        if at and data[at - 1] in _F_OPENERS:
            return True
        at = data.find(b"f", at + 1)
    return at >= 0 and (b"<f" in data or b":f" in data)


_F_OPENERS = frozenset(b"<:")
_F_LOOKS = 64


def _special_of(data: bytes) -> _Special | None:
    """Formula cells without a cached value and cells holding error values, in one sheet's
    XML: python-calamine reads both as '' (and drops a trailing row made only of them)."""
    # An error value is saved as its text, which starts with "#" ("#DIV/0!"); the byte is
    # rare in a sheet's XML and found at memchr speed, where 't="e"' is searched slowly.
    if not _may_hold_formula(data) and (b"#" not in data or b't="e"' not in data):
        return None
    special: _Special | None = None
    for m in _CELL_XML.finditer(data):
        found = _special_cell(m.group(1), m.group(2) or b"")
        ref = _REF.search(m.group(1))
        if found is None or ref is None:
            continue
        cell = (int(ref.group(2)), column_index_from_string(ref.group(1).decode()))
        if special is None:
            special = _Special()
        if found[0] == "error":
            special.errors[cell] = found[1]
        else:
            special.uncached.add(cell)
    return special


_VALUED = re.compile(rb"<(?:\w+:)?(?:v|is)\b")


# No \b before r=": a pattern starting with a literal is searched for as a literal (twice as
# fast), and whatever else ends in r=" and a cell reference only makes the bound larger.
_REF_COLUMN = re.compile(rb'r="([A-Z]{1,3})[0-9]+"')
_REF_ROW = re.compile(rb'r="[A-Z]{1,3}([0-9]+)"')


def _by_size(digits_or_letters: bytes) -> tuple[int, bytes]:
    return len(digits_or_letters), digits_or_letters  # "AA" after "Z", "100" after "99"


def _rough_extent(data: bytes) -> int:
    """Rows × columns from A1 to the farthest cell reference of a sheet's XML, valued or
    not: never less than what the exact scan finds, and found by the regex engine alone
    (the exact scan looks at each cell in Python: ~10 ms a workbook)."""
    columns = set(_REF_COLUMN.findall(data))
    if not columns:
        return 0
    rows = set(_REF_ROW.findall(data))
    far_col = max(columns, key=_by_size).decode()
    return int(max(rows, key=_by_size)) * column_index_from_string(far_col)


#: A cell reference past row 999 or column ZZ. A sheet without one spans at most
#: :data:`SMALL_SHEET_CELLS`: one search of its XML, a quarter of :func:`_rough_extent`'s time.
_PAST_SMALL = re.compile(rb'r="(?:[A-Z]{3}[0-9]|[A-Z]{1,2}[0-9]{4})')
SMALL_SHEET_CELLS = 999 * column_index_from_string("ZZ")


def _check_reach(data: bytes, display: str, sheet: str) -> None:
    """Refuse a sheet whose farthest value lies so far from A1 that the rectangle up to it
    is over :data:`MAX_SHEET_CELLS` cells, naming the sheet and the cell."""
    if _PAST_SMALL.search(data) is None or _rough_extent(data) <= MAX_SHEET_CELLS:
        return  # every sheet of a report: no need to look at each cell
    rows = cols = 0
    far = ""
    for m in _CELL_XML.finditer(data):
        ref = _REF.search(m.group(1))
        if ref is None or not _VALUED.search(m.group(2) or b""):
            continue
        r, c = int(ref.group(2)), column_index_from_string(ref.group(1).decode())
        if r > rows or c > cols:
            rows, cols = max(rows, r), max(cols, c)
            far = f"{ref.group(1).decode()}{r}"
    if rows * cols > MAX_SHEET_CELLS:
        raise _too_far(display, sheet, far, rows, cols)


def _scan_sheet_xml(path: Path, display: str) -> dict[str, _Special]:
    """One pass over each sheet's XML before python-calamine opens the workbook: refuse a
    sheet reaching too far (:func:`_check_reach`), and find the cells calamine reads as ''
    (:func:`_special_of`), by sheet."""
    out: dict[str, _Special] = {}
    try:
        with zipfile.ZipFile(path) as zf:
            for name, part in _sheet_parts(zf).items():
                try:
                    data = zf.read(part)
                except KeyError:
                    continue
                _check_reach(data, display, name)
                special = _special_of(data)
                if special is not None:
                    out[name] = special
    except (zipfile.BadZipFile, zlib.error, EOFError, UnicodeDecodeError):
        return {}  # the parser says what is wrong with the file
    return out


_ODS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_ODS_CALCEXT = "{urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0}"
_ODS_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


@dataclass
class _OdsSheet:
    """What python-calamine does not give of an OpenDocument sheet: its merged ranges
    (it gives none, and a report's group headers are merged) and its error values."""

    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    special: _Special = field(default_factory=_Special)


def _ods_sheets(path: Path) -> dict[str, _OdsSheet]:
    """Merged ranges and error cells of each sheet of an .ods file, from its content.xml
    (refused before if unsafe: :func:`_check_zip`)."""
    try:
        with zipfile.ZipFile(path) as zf:
            root = ElementTree.fromstring(zf.read("content.xml"))
    except (KeyError, ElementTree.ParseError, zipfile.BadZipFile, zlib.error, EOFError):
        return {}  # the parser says what is wrong with the file
    out: dict[str, _OdsSheet] = {}
    for table in root.iter(f"{_ODS_TABLE}table"):
        sheet = _OdsSheet()
        row = 0
        for tr in table.iter(f"{_ODS_TABLE}table-row"):
            row += 1
            _ods_row(tr, row, sheet)
            row += int(tr.get(f"{_ODS_TABLE}number-rows-repeated", "1")) - 1
        out[table.get(f"{_ODS_TABLE}name", "")] = sheet
    return out


def _ods_row(tr: ElementTree.Element, row: int, sheet: _OdsSheet) -> None:
    col = 0
    for cell in tr:
        col += 1
        if cell.tag == f"{_ODS_TABLE}table-cell":
            across = int(cell.get(f"{_ODS_TABLE}number-columns-spanned", "1"))
            down = int(cell.get(f"{_ODS_TABLE}number-rows-spanned", "1"))
            if across > 1 or down > 1:
                sheet.merged.append((row, col, row + down - 1, col + across - 1))
            if cell.get(f"{_ODS_CALCEXT}value-type") == "error":
                text = "".join("".join(p.itertext()) for p in cell.iter(f"{_ODS_TEXT}p"))
                sheet.special.errors[(row, col)] = text or "#VALUE!"
        col += int(cell.get(f"{_ODS_TABLE}number-columns-repeated", "1")) - 1


def _too_far(display: str, sheet: str, far: str, rows: int, cols: int) -> UnreadableFileError:
    return UnreadableFileError(
        f"{display}: sheet '{sheet}' holds a value as far as {far} "
        f"({cols:,} columns × {rows:,} rows from A1), far beyond any report "
        f"table (at most {MAX_SHEET_CELLS:,} cells are read); delete what "
        "stands far from the table, save and send it again",
        vi=f"{display}: sheet '{sheet}' có giá trị tận ô {far} ({cols:,} cột × "
        f"{rows:,} dòng tính từ A1), quá xa bảng số liệu; xóa phần đó, lưu "
        "lại rồi gửi lại",
    )


def _open(path: Path, display: str) -> CalamineWorkbook:
    try:
        return CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for broken files
        raise UnreadableFileError(
            f"{display}: could not be opened as a spreadsheet ({type(exc).__name__}: {exc})",
            vi=f"{display}: không mở được file bảng tính ({exc}); đề nghị lưu lại bằng Excel "
            "và gửi lại",
        ) from exc


_PLAIN = frozenset({float, int, type(None)})
_PLAIN_TEXT = _PLAIN | {str}


def _text_row(
    r: int, row: list[Any], types: set[type], texts: dict[tuple[int, int], str]
) -> tuple[list[Any], int]:
    """A row holding text: cleaned (blank text as None), its non-ASCII texts noted in
    ``texts`` for the legacy decoder, and how many of its cells hold a number."""
    plain = types <= _PLAIN_TEXT
    numbers = len(row) - row.count(None) if plain else sum(map(is_number_cell, row))
    # A row of a table holds a name or two among its numbers: only those are looked at.
    for i in [i for i, t in enumerate(map(type, row)) if t is str]:
        v = _text_cell(row[i])
        row[i] = v
        if v is None:
            if plain:
                numbers -= 1  # blank text: an empty cell
            continue
        if not v.isascii():
            texts[(r, i + 1)] = v
        if plain and not is_number_text(v):
            numbers -= 1  # text that is no number
    return row, numbers


def _grid(raw: list[list[Any]]) -> tuple[list[list[Any]], int]:
    """Rows of a sheet: text cleaned (NFC, blank text as None) and legacy text decoded;
    trailing empty rows dropped; and how many cells hold a number. Numbers stay as
    calamine gives them (floats)."""
    width = len(raw[0]) if raw else 0
    # calamine gives a rectangle of numbers, text and blanks: the sheet is looked at whole.
    # Anything else (rows of other widths, a date, a boolean) goes row by row.
    if any(len(row) != width for row in raw):
        return _grid_by_row(raw)
    flat = list(chain.from_iterable(raw))
    types = list(map(type, flat))
    if not set(types) <= _PLAIN_TEXT:
        return _grid_by_row(raw)
    numbers = len(flat) - flat.count(None)
    texts: dict[tuple[int, int], str] = {}
    legacy = False
    memo = _TEXTS
    at = types.index
    i = -1
    while True:
        try:
            i = at(str, i + 1)  # the next text, found at C speed: a sheet is mostly numbers
        except ValueError:
            break
        text = flat[i]
        value, number, wide, odd = memo.get(text) or _remember(text)
        r, c = divmod(i, width)
        raw[r][c] = value
        numbers -= not number
        if wide is not None:
            texts[(r + 1, c + 1)] = wide
            legacy |= odd
    if legacy:
        for (r, c), decoded in decode_texts(texts).items():
            raw[r - 1][c - 1] = nfc(decoded)
    while raw and all(v is None for v in raw[-1]):
        raw.pop()
    return raw, numbers


#: Each short text met, as :func:`_text_seen` sees it: headers and names come back in
#: every workbook of a folder. Emptied when it holds :data:`_TEXTS_KEPT` texts (of at most
#: :data:`_TEXT_KEPT_CHARS` characters: a few megabytes at most).
_TEXTS: dict[str, tuple[str | None, bool, str | None, bool]] = {}
_TEXTS_KEPT = 1 << 14
_TEXT_KEPT_CHARS = 128


def _remember(text: str) -> tuple[str | None, bool, str | None, bool]:
    """:func:`_text_seen` of a text not yet remembered, remembered when it is short (names
    and headers; a long note is not kept)."""
    seen = _text_seen(text)
    if len(text) <= _TEXT_KEPT_CHARS:
        if len(_TEXTS) >= _TEXTS_KEPT:
            _TEXTS.clear()
        _TEXTS[text] = seen
    return seen


def _text_seen(text: str) -> tuple[str | None, bool, str | None, bool]:
    """A text cell's value (:func:`_text_cell`), whether it holds a number, the value again
    when it goes beyond ASCII (the legacy decoder looks at those), whether it looks legacy."""
    value = _text_cell(text)
    if value is None:
        return None, False, None, False
    if value.isascii():
        return value, is_number_text(value), None, False
    return value, is_number_text(value), value, looks_legacy(value)


def _grid_by_row(raw: list[list[Any]]) -> tuple[list[list[Any]], int]:
    """:func:`_grid`, row by row: for sheets holding dates or booleans (or, never from
    calamine, rows of different widths)."""
    rows: list[list[Any]] = []
    texts: dict[tuple[int, int], str] = {}
    numbers = 0
    for r, row in enumerate(raw, start=1):
        types = set(map(type, row))
        if str in types:
            row, n = _text_row(r, row, types, texts)
        elif types <= _PLAIN:
            n = len(row) - row.count(None)  # most rows of a table: counted in one step
        else:
            n = sum(map(is_number_cell, row))  # a date, a boolean: rare
        rows.append(row)
        numbers += n
    for (r, c), decoded in decode_texts(texts).items():
        rows[r - 1][c - 1] = nfc(decoded)
    while rows and all(v is None for v in rows[-1]):
        rows.pop()
    return rows, numbers


def _place_special(rows: list[list[Any]], special: _Special) -> None:
    """Put back what calamine read as empty: rows it dropped, and error values as text."""
    cells = special.uncached | set(special.errors)
    if not cells:
        return
    height = max(r for r, _ in cells)
    width = max(c for _, c in cells)
    while len(rows) < height:
        rows.append([None] * width)
    for (r, c), text in special.errors.items():
        row = rows[r - 1]
        if len(row) < c:
            row.extend([None] * (c - len(row)))
        row[c - 1] = text


def read_sheets(
    path: Path, display: str | None = None, *, max_bytes: int = MAX_FILE_BYTES
) -> list[Sheet]:
    """Open a workbook (or a CSV file) safely and return its sheets as grids.

    Values are the cached values Excel saved (formulas are not recomputed);
    text is NFC, and cells typed in TCVN3 or VNI are decoded to Unicode. A cell
    holding an error value ("#DIV/0!") holds its text, so that reading it is an
    error naming it. A CSV file is one sheet named after the file
    (:func:`antq.reading.csvfile.csv_rows`).

    Parameters
    ----------
    path
        The workbook (.xlsx, .xlsm, .xls, .ods) or CSV file. It is opened read-only and
        never written.
    display
        How the file is named in sources and messages (default: its name).
    max_bytes
        Refuse files larger than this.

    Raises
    ------
    UnreadableFileError
        Not a spreadsheet, corrupt, encrypted, unsafe, or over the size limit.

    Examples
    --------
    >>> sheets = read_sheets(Path("data/raw/BC_ANTQ_2020.xlsx"))
    >>> [s.name for s in sheets], sheets[1].source(19, 4), sheets[1].get(19, 4)
    (['VH', 'ANTT'], 'BC_ANTQ_2020.xlsx!ANTT!D19', 3321.0)
    """
    path = Path(path)
    display = display or path.name
    kind = _check_file(path, display, max_bytes)
    if kind == "text":
        return [Sheet(display, Path(display).stem, False, csv_rows(path, display))]
    ods = _ods_sheets(path) if kind == "zip" and path.suffix.lower() == ".ods" else {}
    if ods:
        special = {name: got.special for name, got in ods.items()}
    else:
        special = _scan_sheet_xml(path, display) if kind == "zip" else {}
    wb = _open(path, display)
    try:
        return [
            _sheet(wb, meta, display, special.get(meta.name, _Special()), ods.get(meta.name))
            for meta in wb.sheets_metadata
            if meta.typ == SheetTypeEnum.WorkSheet  # chart sheets hold no cells
        ]
    except UnreadableFileError:
        raise
    except Exception as exc:  # a damaged part: calamine raises its own error types
        raise UnreadableFileError(
            f"{display}: a sheet could not be read, the file is damaged "
            f"({type(exc).__name__}: {exc}); ask for it again",
            vi=f"{display}: không đọc được một sheet, file bị hỏng ({exc}); đề nghị gửi lại",
        ) from exc
    finally:
        wb.close()


def _sheet(
    wb: CalamineWorkbook, meta: Any, display: str, special: _Special, ods: _OdsSheet | None
) -> Sheet:
    """One worksheet of an open workbook as a :class:`Sheet` (``ods``: the merged ranges an
    .ods file's XML gives, :func:`_ods_sheets`)."""
    ws = wb.get_sheet_by_name(meta.name)
    if ws.end is not None:
        # An .xls or .ods is not checked before it is opened (see _check_reach): its
        # rectangle is checked before it becomes Python lists (16 million cells of a value at
        # IV65536 take 20 seconds and gigabytes).
        rows_, cols_ = ws.end[0] + 1, ws.end[1] + 1
        if rows_ * cols_ > MAX_SHEET_CELLS:
            raise _too_far(display, meta.name, address(rows_, cols_), rows_, cols_)
    rows, numbers = _grid(ws.to_python(skip_empty_area=False))
    _place_special(rows, special)  # error values are text, not numbers: the count holds
    merged = [
        (r1 + 1, c1 + 1, r2 + 1, c2 + 1) for (r1, c1), (r2, c2) in (ws.merged_cell_ranges or [])
    ]
    if ods is not None and not merged:
        merged = ods.merged
    hidden = meta.visible != SheetVisibleEnum.Visible
    sheet = Sheet(display, meta.name, hidden, rows, merged, special.uncached)
    sheet._numbers = numbers
    return sheet
