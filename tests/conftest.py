"""Shared fixtures: small workbooks written by the tests, and the bundled data."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import sys
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

import antq

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
#: Rows of the bundled tidy table: 11 areas × 9 indicators a year in 2015–2023, then the 2024
#: province, 9 districts and 175 communes, and the 2025 province and its 129 communes.
ROWS = 9 * 11 * 9 + 9 * (1 + 9 + 175) + 9 * (1 + 129)


#: The stages mutmut mutates (``[tool.mutmut] only_mutate``) and the vocabulary that calls them.
_MUTATED = ("antq.reading", "antq.validation", "antq.metrics", "antq.vocab")
#: The mutants whose process has had its memos cleared (one process runs one mutant's tests).
_MUTANTS_CLEARED: set[str] = set()


def memo_caches() -> list[object]:
    """The memoised functions (``functools.cache``, ``vocab_cache``) of the mutated stages."""
    found: dict[int, object] = {}
    for name, module in list(sys.modules.items()):
        if name.startswith(_MUTATED):
            for value in vars(module).values():
                if callable(getattr(value, "cache_clear", None)):
                    found[id(value)] = value
    return list(found.values())


@pytest.fixture(autouse=True)
def _memos_fresh_under_mutmut() -> None:
    """Under mutmut, results memoised by the clean code must not stand in for a mutant's.

    mutmut forks each mutant's process from the one that ran the clean tests, so a cached
    label classification (say) answers without running the mutated code below it, and the
    stats run records only the first test that calls through a cache. Cleared before each
    test of the stats run (every caller is recorded), and once in each mutant's process
    (its first test fills the caches with the mutant's own results). Outside mutmut
    (``MUTANT_UNDER_TEST`` unset or empty) nothing is cleared.
    """
    mutant = os.environ.get("MUTANT_UNDER_TEST", "")
    if mutant == "stats" or (mutant and mutant not in _MUTANTS_CLEARED):
        for fn in memo_caches():
            fn.cache_clear()  # type: ignore[attr-defined]
        _MUTANTS_CLEARED.add(mutant)


def write_book(
    path: Path,
    sheets: dict[str, Sequence[Sequence[object]]],
    *,
    merged: dict[str, list[str]] | None = None,
    formats: dict[str, dict[str, str]] | None = None,
    hidden: Sequence[str] = (),
    start_row: int = 1,
) -> Path:
    """Write rows to sheets (None leaves a cell empty); merge ranges; set number formats."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r, row in enumerate(rows, start=start_row):
            for c, v in enumerate(row, start=1):
                if v is not None:
                    ws.cell(r, c, v)
        for rng in (merged or {}).get(name, []):
            ws.merge_cells(rng)
        for addr, fmt in (formats or {}).get(name, {}).items():
            ws[addr].number_format = fmt
        if name in hidden:
            ws.sheet_state = "hidden"
    wb.save(path)
    return path


# The province's standard summary layout, small: title, 2-row merged header, 3 districts, total.
STANDARD_ROWS: list[list[object]] = [
    ["BAN CHỈ ĐẠO 138 TỈNH NAM ĐỊNH", None, None, None, None, None, None],
    ["KẾT QUẢ PHONG TRÀO TOÀN DÂN BẢO VỆ ANTQ NĂM 2019", None, None, None, None, None, None],
    [
        "STT",
        "Đơn vị",
        "Tổng số KDC",
        "KDC văn hóa",
        None,
        "Cơ quan đạt chuẩn an toàn về ANTT",
        None,
    ],
    [None, None, None, "Số lượng", "Tỷ lệ (%)", "Số đạt", "Tỷ lệ (%)"],
    [1, "TP. Nam Định", 300, 250, 83.33, 100, 95.24],
    [2, "H. Hải Hậu", 500, 400, 80.0, 60, 96.77],
    [3, "Mỹ Lộc", 200, 150, 75.0, 40, 97.56],
    [None, "Tổng cộng", 1000, 800, 80.0, 200, 95.69],
    [None, "Ghi chú: số liệu minh họa", None, None, None, None, None],
    [None, "NGƯỜI LẬP BIỂU", None, None, None, "TRƯỞNG BAN", None],
]


def two_years(before: int, year: int, area: str = "Đơn vị") -> list[list[object]]:
    """A header of two rows: the years as column groups (C:D, E:F, to merge where the
    header stands), each with the residential areas' total and the cultural ones."""
    return [
        ["STT", area, f"Năm {before}", None, f"Năm {year}", None],
        [None, None, "Tổng số KDC", "KDC văn hóa", "Tổng số KDC", "KDC văn hóa"],
    ]


STANDARD_MERGED = ["A3:A4", "B3:B4", "C3:C4", "D3:E3", "F3:G3", "A1:C1", "A2:G2"]


@pytest.fixture
def standard_book(tmp_path: Path) -> Path:
    """A small workbook in the province's standard layout (2019)."""
    return write_book(
        tmp_path / "standard_2019.xlsx",
        {"Biểu 01": STANDARD_ROWS},
        merged={"Biểu 01": STANDARD_MERGED},
    )


@pytest.fixture(scope="session")
def bundled() -> pd.DataFrame:
    """The tidy table of the bundled data, with detail columns."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", antq.AntqWarning)
        return antq.load(RAW, detail=True)


@pytest.fixture(scope="session")
def bundled_tidy(bundled: pd.DataFrame) -> pd.DataFrame:
    return bundled[list(antq.TIDY_COLUMNS)]


@dataclass(frozen=True)
class Built:
    """What ``antq build data/raw`` did, once per test session: its exit code, what it
    printed, and the folder it wrote."""

    code: int
    out: Path
    stdout: str


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The bundled data built once, as ``antq build`` does it; tests read its outputs."""
    from antq.cli import main

    out = tmp_path_factory.mktemp("built") / "processed"
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        code = main(["build", str(RAW), "--out", str(out)])
    return Built(code, out, printed.getvalue())


@pytest.fixture(autouse=True)
def _chdir_root(monkeypatch: pytest.MonkeyPatch) -> None:
    # Doctests and the CLI use paths relative to the project root.
    monkeypatch.chdir(ROOT)


@pytest.fixture
def raw_copy(tmp_path):
    """A copy of the bundled workbooks that a test may change."""
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    return raw


def set_cell(raw: Path, year: int, area: str, indicator: str, value: int, col: str = "source"):
    """Type a new value into the cell antq read a row's number from (``col``: the
    achieved cell, or ``total_source`` / ``rate_source``)."""
    df = antq.load(raw / f"BC_ANTQ_{year}.xlsx", detail=True)
    src = df[(df["area"] == area) & (df["indicator"] == indicator)][col].dropna().iloc[0]
    file, sheet, cell = src.split("!")
    wb = load_workbook(raw / file)
    wb[sheet][cell] = value
    wb.save(raw / file)
