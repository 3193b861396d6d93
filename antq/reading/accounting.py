"""Cell accounting: every number of a sheet is read, or skipped with a reason.

For every sheet antq looks at, each cell holding a number (a number, a date,
or text that reads as one: "1.234", "94,75%", "(3)", "+5") ends up in exactly
one place: a value of the table (its ``source``, ``total_source`` or
``rate_source``), or a skipped cell with a reason from
``antq/data/skip_reasons.csv`` (row numbers, a difference column, a hamlet
row …). A :class:`Tally` per sheet counts both; the numbers of the sheet are
also counted on their own, cell by cell, and when the two disagree the cells
nobody accounted for are found and reported (``read.unaccounted``), so a
number is never lost without a line saying so.

Counting is cheap: numbers are counted per row and column with list and set
operations; only skipped cells are listed one by one, and only a sheet whose
counts disagree is looked at cell by cell.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from antq.errors import VocabularyError
from antq.findings import Finding, finding
from antq.numbers import is_number_cell
from antq.reading.cells import Sheet, address
from antq.vocab import table_rows, vocab_cache

__all__ = [
    "ACCOUNTING_COLUMNS",
    "SKIPPED_COLUMNS",
    "Tally",
    "accounting_frame",
    "count_numbers",
    "skip_reasons",
    "skipped_table",
]

#: Columns of ``ReadResult.accounting``: one row per sheet, then one column per reason.
ACCOUNTING_COLUMNS: tuple[str, ...] = (
    "file",
    "sheet",
    "status",
    "numbers",
    "read",
    "skipped",
    "unaccounted",
)
#: Columns of ``ReadResult.skipped``: one row per skipped number.
SKIPPED_COLUMNS: tuple[str, ...] = ("source", "file", "sheet", "cell", "reason", "value")
#: How many unaccounted cells a finding names before it gives the count alone.
CELLS_NAMED: int = 5
_PLAIN = frozenset({float, int, type(None)})


@vocab_cache
def skip_reasons() -> dict[str, tuple[str, str]]:
    """Reasons a number is not read: ``{reason: (vi, en)}`` from ``skip_reasons.csv``.

    Examples
    --------
    >>> skip_reasons()["difference"][1]
    'a difference'
    """
    out: dict[str, tuple[str, str]] = {}
    for i, r in enumerate(table_rows("skip_reasons.csv"), start=2):
        if not (r["reason"] and r["vi"] and r["en"]) or r["reason"] in out:
            raise VocabularyError(
                f"skip_reasons.csv line {i}: reason, vi and en needed, once each",
                vi=f"skip_reasons.csv dòng {i}: cần reason, vi và en, mỗi lý do một lần",
            )
        out[r["reason"]] = (r["vi"], r["en"])
    return out


def count_numbers(values: list[object]) -> int:
    """How many of ``values`` hold a number (:func:`antq.numbers.is_number_cell`).

    Examples
    --------
    >>> count_numbers([1.0, None, "1.234", "Hải Hậu", "(3)"])
    3
    """
    if set(map(type, values)) <= _PLAIN:
        return len(values) - values.count(None)
    return sum(map(is_number_cell, values))


def _text(v: object) -> str | None:
    if isinstance(v, str):
        return v if len(v) <= 200 else v[:200] + "…"
    if isinstance(v, (date, time, timedelta)):
        return str(v)
    return None


@dataclass
class Tally:
    """The numbers of one sheet: how many, how many read, which skipped and why.

    Skipped cells are kept in the file's coordinates (a table read on its side
    maps its cells back) as parallel lists, turned into a table once at the end.
    """

    file: str
    sheet: str
    #: "read" (a table was read), "hidden" (not read), "no_table" (none found).
    status: str = "read"
    numbers: int = 0
    read: int = 0
    reasons: Counter[str] = field(default_factory=Counter)
    rows: list[int] = field(default_factory=list)
    cols: list[int] = field(default_factory=list)
    why: list[str] = field(default_factory=list)
    num: list[float | None] = field(default_factory=list)
    txt: list[str | None] = field(default_factory=list)
    #: Cells of the file nobody accounted for (found only when the counts disagree).
    unaccounted: list[tuple[int, int]] = field(default_factory=list)

    @classmethod
    def of(cls, sheet: Sheet, status: str = "read") -> Tally:
        """A tally of ``sheet`` with its numbers counted."""
        return cls(sheet.file, sheet.name, status, numbers=sheet.numbers)

    def skip(self, sheet: Sheet, reason: str, cells: Iterable[tuple[int, int]]) -> None:
        """Skip the numbers among ``cells`` (coordinates of ``sheet``, a view or not)."""
        for r, c in cells:
            v = sheet.get(r, c)
            fr, fc = sheet.cell_of(r, c)
            if fc and is_number_cell(v):  # column 0: the headings a view adds, no cell of the file
                self._add(reason, fr, fc, v)

    def skip_column(
        self, sheet: Sheet, reason: str, rows: list[int], col: int, values: list[object]
    ) -> None:
        """Skip the numbers of a column over ``rows`` whose values are ``values``."""
        if not values:
            return
        if set(map(type, values)) <= _PLAIN and not sheet.transposed:
            hits = [(r, v) for r, v in zip(rows, values, strict=True) if v is not None]
            n = len(hits)
            self.reasons[reason] += n
            self.rows.extend(r for r, _ in hits)
            self.cols.extend([col] * n)
            self.why.extend([reason] * n)
            self.num.extend(float(v) for _, v in hits)  # type: ignore[arg-type]
            self.txt.extend([None] * n)
            return
        for r, v in zip(rows, values, strict=True):
            if is_number_cell(v):
                fr, fc = sheet.cell_of(r, col)
                self._add(reason, fr, fc, v)

    def _add(self, reason: str, r: int, c: int, v: object) -> None:
        self.reasons[reason] += 1
        self.rows.append(r)
        self.cols.append(c)
        self.why.append(reason)
        is_float = v.__class__ is float or v.__class__ is int
        self.num.append(float(v) if is_float else None)  # type: ignore[arg-type]
        self.txt.append(None if is_float else _text(v))

    @property
    def skipped(self) -> int:
        """Numbers skipped, for every reason."""
        return sum(self.reasons.values())

    def skip_all(self, sheet: Sheet, reason: str) -> None:
        """Skip every number of the sheet (a hidden sheet, a sheet without a table)."""
        for r, row in enumerate(sheet.rows, start=1):
            if count_numbers(row):
                self.skip(
                    sheet, reason, [(r, c) for c, v in enumerate(row, start=1) if v is not None]
                )

    def skip_outside(
        self, sheet: Sheet, regions: list[tuple[int, int, int, int]]
    ) -> list[tuple[int, int]]:
        """Skip the numbers outside every table (``regions`` in the file's coordinates); return
        the cells of those that look like data (not a year, not a date)."""
        data: list[tuple[int, int]] = []
        for r in _uncovered_rows(sheet, regions):
            row = sheet.rows[r - 1]
            if not count_numbers(row):
                continue
            spans = [(c1, c2) for r1, c1, r2, c2 in regions if r1 <= r <= r2]
            for c, v in enumerate(row, start=1):
                if v is not None and not any(c1 <= c <= c2 for c1, c2 in spans):
                    data.extend(self._outside(r, c, v))
        return data

    def _outside(self, r: int, c: int, v: object) -> list[tuple[int, int]]:
        """Skip one cell outside every table: a year is a label, a date or a number is outside
        the tables; return the cell when it looks like data."""
        if not is_number_cell(v):
            return []
        year = v.__class__ in (int, float) and float(v).is_integer() and 1990 <= v <= 2100
        self._add("year_label" if year else "outside_table", r, c, v)
        return [] if year or isinstance(v, (date, time, timedelta)) else [(r, c)]

    def settle(self, sheet: Sheet, read_cells: Callable[[], set[tuple[int, int]]]) -> list[Finding]:
        """Check that every number was read or skipped; find and report those that were not.

        ``read_cells`` gives the cells read (file coordinates); it is called only when the
        counts disagree.
        """
        if self.numbers == self.read + self.skipped:
            return []
        accounted = read_cells() | set(zip(self.rows, self.cols, strict=True))
        self.unaccounted = [
            (r, c)
            for r, row in enumerate(sheet.rows, start=1)
            for c, v in enumerate(row, start=1)
            if is_number_cell(v) and (r, c) not in accounted
        ]
        # What was counted twice cannot be told from what was not counted at all: trust the
        # cells (the count of read cells then follows from them).
        self.read = self.numbers - self.skipped - len(self.unaccounted)
        if not self.unaccounted:
            return []
        named = ", ".join(address(r, c) for r, c in self.unaccounted[:CELLS_NAMED])
        more = len(self.unaccounted) - CELLS_NAMED
        cells = named + (f" … (+{more})" if more > 0 else "")
        r0, c0 = self.unaccounted[0]
        return [
            finding(
                "read.unaccounted",
                f"{self.file}!{self.sheet}!{address(r0, c0)}",
                expected="every number read, or skipped with a reason",
                found=cells,
                sheet=self.sheet,
                n=len(self.unaccounted),
                cells=cells,
            )
        ]

    def row(self) -> dict[str, object]:
        """The sheet's line of the accounting table."""
        return {
            "file": self.file,
            "sheet": self.sheet,
            "status": self.status,
            "numbers": self.numbers,
            "read": self.read,
            "skipped": self.skipped,
            "unaccounted": len(self.unaccounted),
            **{k: int(v) for k, v in self.reasons.items()},
        }


def _uncovered_rows(sheet: Sheet, regions: list[tuple[int, int, int, int]]) -> list[int]:
    """Rows not covered from side to side by a table (most rows of a sheet are)."""
    covered = bytearray(len(sheet.rows) + 2)
    for r1, c1, r2, c2 in regions:
        if c1 <= 1 and c2 >= sheet.n_cols:
            covered[max(r1, 0) : r2 + 1] = b"\x01" * (r2 + 1 - max(r1, 0))
    return [r for r in range(1, len(sheet.rows) + 1) if not covered[r]]


def skipped_table(tallies: list[Tally]) -> pa.Table:
    """The skipped cells of some sheets as one Arrow table (crosses from worker processes
    as buffers)."""
    files = [t.file for t in tallies for _ in t.rows]
    sheets = [t.sheet for t in tallies for _ in t.rows]
    rows = pa.array([r for t in tallies for r in t.rows], pa.int64())
    letters = pa.array([_letter(c) for t in tallies for c in t.cols], pa.string())
    cell = pc.binary_join_element_wise(letters, pc.cast(rows, pa.string()), "")
    file_arr = pa.array(files, pa.string())
    sheet_arr = pa.array(sheets, pa.string())
    num = pa.array([v for t in tallies for v in t.num], pa.float64())
    txt = pa.array([v for t in tallies for v in t.txt], pa.string())
    value = pc.coalesce(txt, pc.cast(num, pa.string()))
    source = pc.binary_join_element_wise(file_arr, sheet_arr, cell, "!")
    reason = pa.array([w for t in tallies for w in t.why], pa.string())
    return pa.table(
        {
            "source": source,
            "file": file_arr,
            "sheet": sheet_arr,
            "cell": cell,
            "reason": reason,
            "value": value,
        }
    )


_LETTERS: dict[int, str] = {}


def _letter(c: int) -> str:
    got = _LETTERS.get(c)
    if got is None:
        got = _LETTERS[c] = address(1, c)[:-1]
    return got


def accounting_frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    """The accounting table: one row per sheet, the counts, then one column per reason in
    the order of ``skip_reasons.csv`` (zero where none was skipped for it).

    Examples
    --------
    >>> accounting_frame([{"file": "a.xlsx", "sheet": "S", "status": "read", "numbers": 3,
    ...     "read": 2, "skipped": 1, "unaccounted": 0, "row_number": 1}])[["read", "row_number"]]
       read  row_number
    0     2           1
    """
    reasons = list(skip_reasons())
    df = pd.DataFrame(rows, columns=[*ACCOUNTING_COLUMNS, *reasons])
    counts = ["numbers", "read", "skipped", "unaccounted", *reasons]
    df[counts] = df[counts].fillna(0).astype("int64")
    return df.astype({"file": "string", "sheet": "string", "status": "string"})


def empty_skipped() -> pd.DataFrame:
    """An empty skipped-cells table with its columns."""
    return pd.DataFrame({c: pd.Series(dtype="string") for c in SKIPPED_COLUMNS})


def finite(values: list[Any]) -> bool:
    """Whether ``values``, all numbers, are finite (NaN and infinity are values gone wrong).

    One sum at C speed: NaN or infinity makes it so; a sum too large to be finite sends the
    column to the careful path, which finds the culprit.

    Examples
    --------
    >>> finite([1.0, 2]), finite([1.0, float("nan")]), finite([])
    (True, False, True)
    """
    return math.isfinite(sum(values))
