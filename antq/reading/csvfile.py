"""CSV files saved from Excel, read as a workbook of one sheet.

Excel saves "CSV UTF-8" with a byte-order mark, "CSV (Comma delimited)" in
the machine's code page (Windows-1258 on a Vietnamese Windows, Windows-1252
on an English one) and "Unicode Text" as UTF-16 with tabs; the separator is
the machine's list separator (``,`` or ``;``). The encoding is found from the
byte-order mark, else UTF-8 if the bytes are valid UTF-8, else Windows-1258
when its Vietnamese letters and tone marks show, else Windows-1252. Cells are
text as written; whole numbers become numbers, every other number stays text
for the reader to read in the table's locale ("1.234", "94,75%").
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from antq._text import nfc
from antq.errors import UnreadableFileError
from antq.reading.legacy import decode_texts

__all__ = ["SEPARATORS", "csv_rows", "decode_text"]

#: Separators Excel writes, tried in this order on ties.
SEPARATORS: tuple[str, ...] = (",", ";", "\t")
#: Lines looked at to choose the separator.
_SAMPLE_LINES = 60
_WHOLE = re.compile(r"^-?\d{1,15}$")
# Characters only Windows-1258 gives Vietnamese text: Ă ă Đ đ Ơ ơ Ư ư and the tone marks.
_CP1258_SIGNS = frozenset("ĂăĐđƠơƯư\u0300\u0301\u0303\u0309\u0323")


def decode_text(data: bytes, display: str) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was read with.

    Raises
    ------
    UnreadableFileError
        When the bytes are not text (a binary file named .csv).

    Examples
    --------
    >>> decode_text("Đơn vị".encode("utf-16"), "a.csv")
    ('Đơn vị', 'utf-16')
    >>> decode_text("Đơn vị tính".replace("ị", "i\\u0323").encode("cp1258"), "a.csv")[1]
    'cp1258'
    """
    for bom, encoding in (
        (b"\xef\xbb\xbf", "utf-8-sig"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if data.startswith(bom):
            return nfc(data.decode(encoding, errors="replace")), encoding
    if b"\x00" in data[:4096]:
        # UTF-16 without a mark: every other byte of Latin text is zero.
        zeros_odd = data[1:4096:2].count(0)
        if zeros_odd > len(data[1:4096:2]) // 3:
            return nfc(data.decode("utf-16-le", errors="replace")), "utf-16-le"
        raise UnreadableFileError(
            f"{display}: not a text file (it holds binary data), expected a CSV file saved "
            "from Excel",
            vi=f"{display}: không phải file văn bản (chứa dữ liệu nhị phân); cần file CSV lưu "
            "từ Excel",
        )
    try:
        return nfc(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    text = data.decode("cp1258", errors="replace")
    if _CP1258_SIGNS & set(text):
        return nfc(text), "cp1258"
    return data.decode("cp1252", errors="replace"), "cp1252"


def _separator(text: str) -> str:
    """The separator that splits the sample lines into the most fields, most consistently."""
    lines = text.splitlines()[:_SAMPLE_LINES]
    best, best_score = SEPARATORS[0], (-1, -1)
    for sep in SEPARATORS:
        counts: dict[int, int] = {}
        for fields in csv.reader(lines, delimiter=sep):
            if len(fields) > 1:
                counts[len(fields)] = counts.get(len(fields), 0) + 1
        if not counts:
            continue
        width, lines_of_width = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
        score = (lines_of_width * (width - 1), width)
        if score > best_score:
            best, best_score = sep, score
    return best


def _value(text: str) -> object:
    text = text.strip()
    if not text:
        return None
    if _WHOLE.match(text):
        return int(text)
    return text


def csv_rows(path: Path, display: str) -> list[list[object]]:
    """A CSV file's rows, as a sheet's grid: numbers as numbers, blank cells None.

    :func:`antq.reading.cells.read_sheets` makes the grid a sheet named after the
    file; this module knows nothing of sheets (cells imports it, not the reverse).

    Examples
    --------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "bc_2020.csv"
    >>> _ = p.write_bytes("Đơn vị;Cơ quan an toàn ANTT\\nHải Hậu;60\\n".encode("utf-8-sig"))
    >>> csv_rows(p, "bc_2020.csv")
    [['Đơn vị', 'Cơ quan an toàn ANTT'], ['Hải Hậu', 60]]
    """
    text, _encoding = decode_text(Path(path).read_bytes(), display)
    try:
        sep = _separator(text)
        rows: list[list[object]] = [
            [_value(v) for v in fields] for fields in csv.reader(io.StringIO(text), delimiter=sep)
        ]
    except csv.Error as exc:  # a field over the csv module's limit, a NUL character
        raise UnreadableFileError(
            f"{display}: not a CSV table Excel writes ({exc})",
            vi=f"{display}: không phải bảng CSV do Excel lưu ({exc})",
        ) from exc
    texts = {
        (r, c): v
        for r, row in enumerate(rows)
        for c, v in enumerate(row)
        if isinstance(v, str) and not v.isascii()
    }
    for (r, c), decoded in decode_texts(texts).items():
        rows[r][c] = nfc(decoded)
    while rows and all(v is None for v in rows[-1]):
        rows.pop()
    return rows
