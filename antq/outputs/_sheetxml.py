"""Big report sheets written as SpreadsheetML directly, and a report that is the same bytes
for the same table.

openpyxl makes an object per cell and writes it through an XML serialiser: about a
tenth of a millisecond a cell, seconds for the year-over-year sheet of a national
report. :class:`SheetCells` keeps a sheet's cells as (value, style number) and
writes its ``<sheetData>`` as text in one pass; openpyxl still writes everything
else of the sheet (widths, frozen panes, filters, print setup, colour scales) and
the workbook around it, styles included: a cell's style number is the one openpyxl
gives a cell styled the same way. :func:`save` puts the rows in and fixes the
times a workbook records, so the same report is the same file.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from collections.abc import Callable, Hashable
from datetime import UTC, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import IllegalCharacterError
from openpyxl.worksheet.worksheet import Worksheet

from antq._io import atomic_write

__all__ = ["SheetCells", "fixed_time", "save"]

#: A row far below any table: where a style is tried on before its number is known.
_SCRATCH_ROW = 1_048_576
#: Excel's limit on the text of one cell (openpyxl cuts longer text the same way).
_MAX_TEXT = 32_767


def fixed_time() -> datetime:
    """The time a report records as made: ``SOURCE_DATE_EPOCH`` when set (the convention of
    reproducible builds), else 1 January 2000, so the same table gives the same bytes.

    Examples
    --------
    >>> fixed_time().year >= 2000
    True
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC).replace(tzinfo=None)
    return datetime(2000, 1, 1)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class SheetCells:
    """The cells of one worksheet as values and style numbers, written as XML by :func:`save`.

    Every cell of the sheet goes through here (openpyxl's own cells of the sheet would
    be replaced). Values are text, numbers, booleans or None (an empty cell, still
    styled: a table's borders).

    Examples
    --------
    >>> wb = Workbook()
    >>> cells = SheetCells(wb.active)
    >>> bold = cells.style("bold", lambda c: setattr(c, "number_format", "0.00"))
    >>> cells.put(1, 1, "Xã <1>", bold)
    >>> cells.put(2, 2, 3)
    >>> print(cells.xml().replace("</row>", "</row>\\n"))
    <row r="1"><c r="A1" s="1" t="inlineStr"><is><t>Xã &lt;1&gt;</t></is></c></row>
    <row r="2"><c r="B2" t="n"><v>3</v></c></row>
    <BLANKLINE>
    """

    def __init__(self, ws: Worksheet) -> None:
        self.ws = ws
        self.rows: dict[int, list[tuple[int, object, int]]] = {}
        self.heights: dict[int, float] = {}
        self._styles: dict[Hashable, int] = {}

    def style(self, key: Hashable, apply: Callable[[Cell], None]) -> int:
        """The style number of cells styled by ``apply`` (known by ``key``): openpyxl's own,
        found by styling a cell once."""
        got = self._styles.get(key)
        if got is None:
            cell = self.ws.cell(_SCRATCH_ROW, 1)
            apply(cell)
            got = self._styles[key] = cell.style_id if cell.has_style else 0
            del self.ws._cells[(_SCRATCH_ROW, 1)]  # the try-on cell is not part of the sheet
        return got

    def put(self, row: int, col: int, value: object, style: int = 0) -> None:
        """Set the cell at (``row``, ``col``)."""
        self.rows.setdefault(row, []).append((col, value, style))

    def height(self, row: int, points: float) -> None:
        """A row's height, in points."""
        self.heights[row] = points

    def dimension(self) -> str:
        """The range the cells span ("A1:N5068")."""
        if not self.rows:
            return "A1:A1"
        cols = [c for cells in self.rows.values() for c, _, _ in cells]
        return (
            f"{get_column_letter(min(cols))}{min(self.rows)}:"
            f"{get_column_letter(max(cols))}{max(self.rows)}"
        )

    def values(self) -> dict[int, list[tuple[int, object]]]:
        """Per column, (row, value) of its cells that hold a value."""
        out: dict[int, list[tuple[int, object]]] = {}
        for r, cells in self.rows.items():
            for c, v, _ in cells:
                if v is not None:
                    out.setdefault(c, []).append((r, v))
        return out

    def xml(self) -> str:
        """The rows as SpreadsheetML, as openpyxl writes them (text inline)."""
        letters: dict[int, str] = {}
        out = []
        for r in sorted(self.rows.keys() | self.heights.keys()):
            cells = []
            for c, v, s in sorted(self.rows.get(r, ()), key=lambda cell: cell[0]):
                letter = letters.get(c) or letters.setdefault(c, get_column_letter(c))
                cells.append(_cell(f"{letter}{r}", v, s))
            ht = self.heights.get(r)
            attrs = f' ht="{ht:g}" customHeight="1"' if ht is not None else ""
            out.append(f'<row r="{r}"{attrs}>{"".join(cells)}</row>')
        return "".join(out)


def _cell(ref: str, v: object, s: int) -> str:
    style = f' s="{s}"' if s else ""
    if v is None:
        return f'<c r="{ref}"{style} t="n" />'
    if v.__class__ is bool:
        return f'<c r="{ref}"{style} t="b"><v>{int(v)}</v></c>'
    if isinstance(v, (int, float)):
        number = f"{v:.16g}"  # as openpyxl writes numbers
        return f'<c r="{ref}"{style} t="n"><v>{number}</v></c>'
    text = str(v)[:_MAX_TEXT]
    if ILLEGAL_CHARACTERS_RE.search(text):
        raise IllegalCharacterError(f"{text} cannot be used in worksheets.")
    stripped = text.strip()
    space = ' xml:space="preserve"' if stripped and stripped != text else ""
    return f'<c r="{ref}"{style} t="inlineStr"><is><t{space}>{_escape(text)}</t></is></c>'


_EMPTY_DATA = b"<sheetData></sheetData>"
_DIMENSION = re.compile(rb'<dimension ref="[^"]*" />')
_TIMES = re.compile(
    rb"(<dcterms:(?:created|modified) xsi:type=\"dcterms:W3CDTF\">)[^<]*(</dcterms:)"
)


def _sheet_xml(data: bytes, cells: SheetCells) -> bytes:
    if _EMPTY_DATA not in data:
        raise ValueError(f"{cells.ws.title}: openpyxl wrote cells of its own into a fast sheet")
    data = _DIMENSION.sub(f'<dimension ref="{cells.dimension()}" />'.encode(), data, count=1)
    rows = cells.xml().encode("utf-8")
    return data.replace(_EMPTY_DATA, b"<sheetData>" + rows + b"</sheetData>", 1)


def save(wb: Workbook, path: Path, sheets: list[SheetCells]) -> Path:
    """Write ``wb`` to ``path`` atomically, the rows of ``sheets`` put into their sheets, with
    the same bytes for the same workbook: the document's times and the zip's fixed
    (:func:`fixed_time`)."""
    made = fixed_time()
    wb.properties.created = made
    buf = io.BytesIO()
    wb.save(buf)
    stamp = made.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    by_part = {ws.ws.path.lstrip("/"): ws for ws in sheets}
    zip_time = (max(made.year, 1980), made.month, made.day, made.hour, made.minute, made.second)

    def write(p: Path) -> None:
        with zipfile.ZipFile(buf) as src, zipfile.ZipFile(p, "w") as dst:
            for info in src.infolist():
                data = src.read(info.filename)
                if info.filename in by_part:
                    data = _sheet_xml(data, by_part[info.filename])
                elif info.filename == "docProps/core.xml":
                    data = _TIMES.sub(rb"\g<1>" + stamp + rb"\g<2>", data)
                part = zipfile.ZipInfo(info.filename, date_time=zip_time)
                part.compress_type = zipfile.ZIP_DEFLATED
                dst.writestr(part, data, compresslevel=1)

    return atomic_write(Path(path), write)
