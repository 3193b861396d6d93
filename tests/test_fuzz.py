"""Fuzzing: damaged workbooks are read, or refused with an antq error; nothing else escapes.

The bundled workbooks and the messy fixtures are damaged at random: junk text, numbers too
large for any count, NaN and infinity, dates and very long text where counts belong, rows
and columns deleted, merged cells unmerged or merged at random. Every read must succeed or
raise an :class:`antq.AntqError` (``errors="raise"``); with ``errors="coerce"`` it must not
raise at all, its table must keep the tidy contract and its accounting must add up.

Most examples damage the cells as python-calamine hands them over (fast: no file is
written); a few damage the file itself. ``ANTQ_FUZZ_EXAMPLES`` sets how many (default 40,
a few seconds); run with e.g. ``ANTQ_FUZZ_EXAMPLES=2000`` for a long hunt.
"""

import copy
import datetime
import io
import os
import time
from functools import cache
from pathlib import Path

import pytest
from conftest import RAW, STANDARD_MERGED, STANDARD_ROWS, write_book
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

import antq
from antq.reading import reader
from antq.reading.cells import Sheet, read_sheets

EXAMPLES = int(os.environ.get("ANTQ_FUZZ_EXAMPLES", "40"))
#: "Quickly": a damaged workbook of a few hundred cells is read or refused in well under a
#: second; the bound is generous for a busy machine, and catches a runaway loop or blow-up.
SECONDS_PER_READ = 15.0
HOSTILE = [
    "99999999999999999999",
    1e20,
    -1e300,
    float("nan"),
    float("inf"),
    "inf",
    "NaN",
    datetime.date(2022, 3, 12),
    datetime.time(10, 0),
    True,
    "x" * 5000,
    "Tổng số " * 700,
    "=1/0",
    "#DIV/0!",
    "",
    "-",
    "2,345",
    "1.234,5",
    "63,628",
    "80.95%",
    "(3)",
    "+5",
    "\u22121",
    "2.863/3.462",
    "1/0",
    "Trong đó",
    "Tổng cộng",
    "Đơn vị",
    "Năm 2019",
    "Ghi chú",
    "Xóm 1",
    "Tăng/giảm",
    0,
    -5,
    12.5,
    2019,
]


def _fixture_books(folder: Path) -> list[Path]:
    """The messy fixtures, as workbooks: each combining several layouts."""
    books = [
        write_book(
            folder / "standard_2019.xlsx", {"S": STANDARD_ROWS}, merged={"S": STANDARD_MERGED}
        )
    ]
    rows = [
        ["UBND HUYỆN HẢI HẬU"],
        ["UBND XÃ HẢI MINH"],
        ["KẾT QUẢ NĂM 2020"],
        ["TT", "Thôn, xóm", "Tổng số hộ", "Số hộ đạt GĐVH", "Khu dân cư văn hóa", "Ghi chú"],
        [1, 2, 3, 4, 5, 6],
        [1, "Xóm 1", 327, 296, 1, 2],
        [None, "Cộng toàn xã", 327, 296, 1, None],
        [],
        ["Đơn vị", "Cơ quan an toàn ANTT", "Tăng/giảm"],
        ["Toàn huyện", 50, "+1"],
        ["- Trong đó: thị trấn", 5, "0"],
        ["Xã Hải Nam", 45, "+1"],
    ]
    books.append(write_book(folder / "mixed_2020.xlsx", {"S": rows}))
    side = [
        ["BẢNG TỔNG HỢP NĂM 2024"],
        ["STT", "Chỉ tiêu", "Đơn vị tính", "Hải Hậu", "Mỹ Lộc", "Toàn tỉnh"],
        [1, "Tổng số khu dân cư", "KDC", 342, 100, 442],
        [2, "Khu dân cư văn hóa", "KDC", 275, 86, 361],
        [None, "Tỷ lệ KDC văn hóa", "%", "80,41%", "86,00%", "81,67%"],
    ]
    books.append(write_book(folder / "side_2024.xlsx", {"Biểu": side}))
    return books


@cache
def _sources(folder: str) -> tuple[tuple[str, tuple[Sheet, ...]], ...]:
    paths = sorted(RAW.glob("*.xlsx"))[:4] + _fixture_books(Path(folder))
    return tuple((p.name, tuple(read_sheets(p))) for p in paths)


@pytest.fixture(scope="module")
def sources(tmp_path_factory):
    return _sources(str(tmp_path_factory.mktemp("fuzz")))


def _mutate(sheet: Sheet, data: st.DataObject) -> Sheet:
    """A damaged copy of a sheet."""
    s = copy.deepcopy(sheet)
    s._numbers = None  # counted afresh
    s._n_cols = None
    for _ in range(data.draw(st.integers(1, 8))):
        what = data.draw(st.sampled_from(["cell", "cell", "cell", "row", "col", "merge", "swap"]))
        if not s.rows:
            break
        r = data.draw(st.integers(0, len(s.rows) - 1))
        if what == "cell" and s.rows[r]:
            c = data.draw(st.integers(0, len(s.rows[r]) - 1))
            s.rows[r][c] = data.draw(st.sampled_from(HOSTILE))
        elif what == "row":
            del s.rows[r]
        elif what == "col":
            c = data.draw(st.integers(0, 12))
            for row in s.rows:
                if c < len(row):
                    del row[c]
        elif what == "merge":
            if s.merged and data.draw(st.booleans()):
                del s.merged[data.draw(st.integers(0, len(s.merged) - 1))]
            else:
                r1, c1 = data.draw(st.integers(1, 40)), data.draw(st.integers(1, 12))
                r2, c2 = r1 + data.draw(st.integers(0, 4)), c1 + data.draw(st.integers(0, 4))
                s.merged.append((r1, c1, r2, c2))
        elif what == "swap":
            r2 = data.draw(st.integers(0, len(s.rows) - 1))
            s.rows[r], s.rows[r2] = s.rows[r2], s.rows[r]
    return s


def _timed(read):
    start = time.perf_counter()
    result = read()
    took = time.perf_counter() - start
    assert took < SECONDS_PER_READ, f"a damaged workbook took {took:.1f} s to read"
    return result


def _read_or_refuse(read) -> None:
    """Read, or be refused with an antq error (anything else escapes and fails), quickly."""
    start = time.perf_counter()
    try:
        read()
    except antq.AntqError:
        pass
    took = time.perf_counter() - start
    assert took < SECONDS_PER_READ, f"a damaged workbook took {took:.1f} s to read or refuse"


def _check(result: antq.ReadResult) -> None:
    antq.check_tidy(result.table[list(antq.TIDY_COLUMNS)], unique=False)
    acc = result.accounting
    assert (acc["numbers"] == acc["read"] + acc["skipped"] + acc["unaccounted"]).all(), acc.T
    unaccounted = set(acc.loc[acc["unaccounted"] > 0, "sheet"])
    reported = {f.source.split("!")[1] for f in result.findings if f.rule == "read.unaccounted"}
    assert unaccounted <= reported


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_damaged_cells_are_read_or_refused_with_an_antq_error(sources, monkeypatch, data):
    _name, sheets = data.draw(st.sampled_from(sources))
    damaged = [_mutate(s, data) for s in sheets]
    monkeypatch.setattr(reader, "read_sheets", lambda *a, **k: [copy.deepcopy(s) for s in damaged])
    path = RAW / "BC_ANTQ_2020.xlsx"  # opened by no one: the damaged sheets stand in for it
    year = data.draw(st.sampled_from([None, 2020]))
    _read_or_refuse(lambda: antq.read(path, year=year))
    _check(_timed(lambda: antq.read(path, errors="coerce")))


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    """The workbooks to damage, written once (their bytes must not change between examples)."""
    return sorted(RAW.glob("*.xlsx"))[:3] + _fixture_books(tmp_path_factory.mktemp("books"))


@settings(
    max_examples=max(3, EXAMPLES // 8),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_damaged_files_are_read_or_refused_with_an_antq_error(books, tmp_path, data):
    src = data.draw(st.sampled_from(books))
    path = tmp_path / f"damaged_{src.name}"
    how = data.draw(st.sampled_from(["cut", "bytes", "rows", "cols", "unmerge"]))
    raw = src.read_bytes()
    if how == "cut":
        path.write_bytes(raw[: data.draw(st.integers(0, len(raw)))])
    elif how == "bytes":
        buf = bytearray(raw)
        for _ in range(data.draw(st.integers(1, 20))):
            buf[data.draw(st.integers(0, len(buf) - 1))] = data.draw(st.integers(0, 255))
        path.write_bytes(bytes(buf))
    else:
        wb = load_workbook(io.BytesIO(raw))
        for ws in wb.worksheets:
            if how == "rows":
                ws.delete_rows(data.draw(st.integers(1, 30)), data.draw(st.integers(1, 5)))
            elif how == "cols":
                ws.delete_cols(data.draw(st.integers(1, 10)), data.draw(st.integers(1, 3)))
            else:
                for rng in list(ws.merged_cells.ranges):
                    ws.unmerge_cells(str(rng))
        wb.save(path)
    _read_or_refuse(lambda: antq.read(path))
    _check(_timed(lambda: antq.read(path, errors="coerce")))
