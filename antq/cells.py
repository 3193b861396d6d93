"""Stage 1–2: open a workbook safely and get its cells with their addresses.

Nothing here interprets the table; it only refuses unsafe or unreadable
files with a clear error and hands each sheet on as a grid of values.
"""

from __future__ import annotations

import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from antq._text import nfc
from antq.errors import FileTooLargeError, UnreadableFileError

__all__ = [
    "MAX_COMPRESSION_RATIO",
    "MAX_FILE_BYTES",
    "MAX_UNCOMPRESSED_BYTES",
    "SPREADSHEET_SUFFIXES",
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

SPREADSHEET_SUFFIXES: frozenset[str] = frozenset({".xlsx", ".xlsm", ".xls", ".ods"})

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
    """One worksheet as a sparse grid of non-empty values (1-based rows and columns)."""

    file: str
    name: str
    hidden: bool
    values: dict[tuple[int, int], object]
    formats: dict[tuple[int, int], str]
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    n_rows: int = 0
    n_cols: int = 0

    def get(self, row: int, col: int) -> object:
        """The value at (row, col), or None."""
        return self.values.get((row, col))

    def number_format(self, row: int, col: int) -> str:
        """The cell's number format ("General" when none)."""
        return self.formats.get((row, col), "General")

    def source(self, row: int, col: int) -> str:
        """``file!sheet!A1`` of a cell: how every number is traced to where it was read."""
        return f"{self.file}!{self.name}!{address(row, col)}"

    def merged_fill(self) -> dict[tuple[int, int], object]:
        """Values with each merged range's value copied into all of its cells."""
        filled = dict(self.values)
        for r1, c1, r2, c2 in self.merged:
            v = self.values.get((r1, c1))
            if v is None:
                continue
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    filled[(r, c)] = v
        return filled


def _check_file(path: Path, display: str, max_bytes: int) -> str:
    """Refuse what is not a safe spreadsheet before any parser sees it; return its kind."""
    if not path.is_file():
        raise UnreadableFileError(f"{display}: no such file")
    size = path.stat().st_size
    if size > max_bytes:
        raise FileTooLargeError(
            f"{display}: the file is {size:,} bytes, over the limit of {max_bytes:,}; "
            "pass a larger max_bytes to read it"
        )
    if size == 0:
        raise UnreadableFileError(f"{display}: the file is empty, expected an Excel workbook")
    with path.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(_OLE_MAGIC):
        if path.suffix.lower() == ".xls":
            raise UnreadableFileError(
                f"{display}: legacy .xls (Excel 97-2003) is not read yet; "
                "save it as .xlsx in Excel or LibreOffice"
            )
        # An .xlsx saved with a password is wrapped in an OLE container.
        raise UnreadableFileError(
            f"{display}: the workbook is password-protected (encrypted); "
            "remove the password in Excel and send it again"
        )
    if not head.startswith(_ZIP_MAGIC):
        raise UnreadableFileError(
            f"{display}: not a spreadsheet, expected an Excel workbook (.xlsx, .xlsm)"
        )
    _check_zip(path, display)
    return "zip"


def _check_zip(path: Path, display: str) -> None:
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            total = sum(i.file_size for i in infos)
            if total > MAX_UNCOMPRESSED_BYTES:
                raise FileTooLargeError(
                    f"{display}: its parts expand to {total:,} bytes, over the limit of "
                    f"{MAX_UNCOMPRESSED_BYTES:,}; refused as a possible zip bomb"
                )
            for info in infos:
                ratio = info.file_size / max(info.compress_size, 1)
                if info.file_size > 1_000_000 and ratio > MAX_COMPRESSION_RATIO:
                    raise UnreadableFileError(
                        f"{display}: part {info.filename} is compressed {ratio:,.0f}×, "
                        "refused unread as a possible zip bomb"
                    )
                if info.filename.endswith((".xml", ".rels", ".vml")):
                    with zf.open(info) as part:
                        prologue = part.read(_PROLOGUE_BYTES)
                    if b"<!DOCTYPE" in prologue or b"<!ENTITY" in prologue:
                        raise UnreadableFileError(
                            f"{display}: part {info.filename} declares a DTD or entities, "
                            "which Excel never writes; refused as unsafe (entity expansion)"
                        )
    except zipfile.BadZipFile as exc:
        raise UnreadableFileError(
            f"{display}: the file is truncated or corrupt ({exc}); ask for it again"
        ) from exc


def read_sheets(
    path: Path, display: str | None = None, *, max_bytes: int = MAX_FILE_BYTES
) -> list[Sheet]:
    """Open a workbook safely and return its sheets as grids.

    Parameters
    ----------
    path
        The workbook. It is opened read-only and never written.
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
    (['VH', 'ANTT'], 'BC_ANTQ_2020.xlsx!ANTT!D19', 3321)
    """
    path = Path(path)
    display = display or path.name
    _check_file(path, display, max_bytes)
    try:
        with warnings.catch_warnings():
            # openpyxl warns about data validation and styles it cannot read; harmless here.
            warnings.simplefilter("ignore")
            wb = load_workbook(path, data_only=True, read_only=False)
    except Exception as exc:  # openpyxl raises many types for broken files
        raise UnreadableFileError(
            f"{display}: could not be opened as an Excel workbook ({type(exc).__name__}: {exc})"
        ) from exc
    sheets: list[Sheet] = []
    try:
        for ws in wb.worksheets:
            values: dict[tuple[int, int], object] = {}
            formats: dict[tuple[int, int], str] = {}
            for row in ws.iter_rows():
                for cell in row:
                    v = cell.value
                    if v is None:
                        continue
                    if isinstance(v, str):
                        v = nfc(v)
                        if not v.strip():
                            continue
                    values[(cell.row, cell.column)] = v
                    fmt = cell.number_format
                    if fmt and fmt != "General":
                        formats[(cell.row, cell.column)] = fmt
            merged = [(m.min_row, m.min_col, m.max_row, m.max_col) for m in ws.merged_cells.ranges]
            sheets.append(
                Sheet(
                    file=display,
                    name=ws.title,
                    hidden=ws.sheet_state != "visible",
                    values=values,
                    formats=formats,
                    merged=merged,
                    n_rows=ws.max_row,
                    n_cols=ws.max_column,
                )
            )
    finally:
        wb.close()
    return sheets
