"""Behaviours that small planted bugs broke without a test failing (issue 15).

Each test names the bug it guards against: the total column beaten by a
fraction's total, a rate where the total is 0, ``workers=`` ignored, a row
with numbers but no name dropped without a word, the build cache ignoring the
language, the first of two copies not the one kept.
"""

from __future__ import annotations

import concurrent.futures
import shutil
import sys

import pandas as pd
import pytest
from conftest import ROOT, write_book

import antq
from antq.metrics.yoy import yoy
from antq.pipeline import build
from antq.reading.duplicates import find_duplicates

sys.path.insert(0, str(ROOT / "benchmarks"))
from workload import generate

HEAD = ["Đơn vị", "Tổng số cơ quan", "Cơ quan an toàn ANTT"]


def _agencies(table: pd.DataFrame) -> pd.DataFrame:
    return table[table["indicator"] == "safe_agency"].set_index("area")


# ---- a fraction "50/61" beside a total column of 60 ----------------------------------------


def test_the_total_column_beats_a_fractions_total(tmp_path):
    rows = [["NĂM 2020"], HEAD, ["Hải Hậu", 60, "50/61"], ["Vụ Bản", 30, "20/30"]]
    res = antq.read(write_book(tmp_path / "f.xlsx", {"S": rows}))
    hh = _agencies(res.table).loc["Huyện Hải Hậu"]
    assert (hh["achieved"], hh["total"]) == (50, 60)
    assert hh["source"] == "f.xlsx!S!C3" and hh["total_source"] == "f.xlsx!S!B3"
    assert hh["rate"] == pytest.approx(50 / 60)
    (f,) = [f for f in res.findings if f.rule == "read.fraction_total"]
    assert (f.source, f.expected, f.found) == ("f.xlsx!S!C3", "60", "61")
    # Where they agree, nothing to say.
    assert _agencies(res.table).loc["Huyện Vụ Bản", "total"] == 30
    assert len([f for f in res.findings if f.rule == "read.fraction_total"]) == 1


def test_without_a_total_column_the_fraction_gives_the_total(tmp_path):
    rows = [["NĂM 2020"], ["Đơn vị", "Cơ quan an toàn ANTT"], ["Hải Hậu", "50/61"]]
    res = antq.read(write_book(tmp_path / "f.xlsx", {"S": rows}))
    hh = _agencies(res.table).loc["Huyện Hải Hậu"]
    assert (hh["achieved"], hh["total"], hh["total_source"]) == (50, 61, "f.xlsx!S!B3")
    assert not res.findings


# ---- the rate where the total is 0 --------------------------------------------------------


def _tidy(total: int | None, achieved: int) -> pd.DataFrame:
    return antq.as_tidy(
        pd.DataFrame(
            {
                "year": [2019, 2020],
                "area": "Huyện Hải Hậu",
                "level": "district",
                "indicator": "safe_agency",
                "achieved": [achieved, achieved],
                "total": [10, total],
                "reported_rate": None,
                "source": ["a!S!A1", "b!S!A1"],
            }
        )
    )


@pytest.mark.parametrize("achieved", [0, 3])
def test_rate_is_na_where_the_total_is_zero(achieved):
    df = _tidy(0, achieved)
    assert pd.isna(df["rate"].iloc[1]) and df["rate"].iloc[0] == pytest.approx(achieved / 10)
    assert pd.isna(yoy(df)["change_pp"].iloc[1])


def test_a_rate_given_where_the_total_is_zero_is_refused():
    df = _tidy(0, 0).assign(rate=[0.0, 0.0])
    with pytest.raises(antq.SchemaError) as err:
        antq.check_tidy(df)
    assert "rate" in set(err.value.failure_cases["column"])


def test_a_workbook_total_of_zero_reads_as_no_rate(tmp_path):
    rows = [["NĂM 2020"], HEAD, ["Hải Hậu", 0, 0], ["Vụ Bản", 4, 2]]
    df = antq.load(write_book(tmp_path / "z.xlsx", {"S": rows}))
    ag = _agencies(df)
    assert pd.isna(ag.loc["Huyện Hải Hậu", "rate"]) and ag.loc["Huyện Vụ Bản", "rate"] == 0.5


# ---- workers= --------------------------------------------------------------------------------


@pytest.fixture
def pools(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The max_workers of every process pool the reader starts."""
    started: list[int] = []
    real = concurrent.futures.ProcessPoolExecutor

    class Spy(real):  # type: ignore[misc, valid-type]
        def __init__(self, max_workers: int | None = None, **kw: object) -> None:
            started.append(max_workers or 0)
            super().__init__(max_workers, **kw)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Spy)
    return started


def test_workers_is_the_number_of_processes(tmp_path, pools):
    generate(tmp_path / "wl", provinces=3, years=6)  # 18 files: two chunks
    antq.read(tmp_path / "wl", workers=2)
    assert pools == [2]
    antq.read(tmp_path / "wl", workers=1)
    assert pools == [2]  # one process: no pool


def test_few_files_are_read_in_one_process_unless_told(tmp_path, pools):
    generate(tmp_path / "wl", provinces=3, years=6)
    antq.read(tmp_path / "wl")  # 18 files: below the threshold for workers
    assert pools == []


# ---- a row with numbers but no name ---------------------------------------------------------


def test_a_row_with_numbers_and_no_name_is_reported_not_dropped_silently(tmp_path):
    rows = [["NĂM 2020"], HEAD, ["Hải Hậu", 60, 50], [None, 30, 20], [None, None, None]]
    res = antq.read(write_book(tmp_path / "n.xlsx", {"S": rows}))
    assert list(_agencies(res.table).index) == ["Huyện Hải Hậu"]
    (f,) = [f for f in res.findings if f.rule == "read.no_area"]
    assert f.source == "n.xlsx!S!A4" and f.severity == "warning"
    assert "4" in f.message and "A" in f.message


def test_a_number_where_the_name_belongs_is_quoted_as_written(tmp_path):
    rows = [["NĂM 2020"], HEAD, ["Hải Hậu", 60, 50], [12345, 30, 20]]
    res = antq.read(write_book(tmp_path / "n.xlsx", {"S": rows}))
    (f,) = [f for f in res.findings if f.rule == "read.no_area"]
    assert (f.source, f.found) == ("n.xlsx!S!A4", "12345")  # not "12345.0"


# ---- the build cache and the language -------------------------------------------------------


def test_build_in_another_language_is_not_up_to_date(tmp_path, standard_book):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(standard_book, raw)
    out = tmp_path / "out"
    build(raw, out, lang="vi")
    assert build(raw, out, lang="vi").startswith("antq build: đã cập nhật")
    report = build(raw, out, lang="en")
    assert not report.startswith("antq build: up to date"), report
    findings = pd.read_csv(out / "findings.csv")
    text = (out / "summary" / "summary_2019.txt").read_text(encoding="utf-8")
    assert text.startswith("In 2019"), text
    assert findings.empty or not findings["message"].str.contains("Tỷ lệ|Số ").any()
    assert build(raw, out, lang="en").startswith("antq build: up to date")


# ---- two copies of one key: the first file's is kept ----------------------------------------


def test_of_two_copies_the_first_file_is_kept_whatever_the_order():
    def copies(*given: tuple[str, int]) -> pd.DataFrame:
        row = dict(year=2020, area="Huyện Hải Hậu", level="district", indicator="safe_agency")
        rows = [dict(row, total=60, reported_rate=None, source=s, achieved=a) for s, a in given]
        return antq.as_tidy(pd.DataFrame(rows), unique=False)

    a, b = ("a.xlsx!S!C5", 50), ("b.xlsx!S!C9", 51)
    for df in (copies(a, b), copies(b, a)):
        kept = df[find_duplicates(df).keep]
        assert kept["source"].tolist() == ["a.xlsx!S!C5"] and kept["achieved"].tolist() == [50]
    # Within one file, the first row read.
    df = copies(("a.xlsx!S!C5", 50), ("a.xlsx!S!C9", 51))
    assert df[find_duplicates(df).keep]["source"].tolist() == ["a.xlsx!S!C5"]


def test_a_part_name_that_is_no_utf8_in_a_damaged_header_is_refused_as_corrupt(tmp_path):
    """A local header flagged UTF-8 whose part name is not (found by the fuzz test): zipfile
    raised UnicodeDecodeError; antq refuses the file as corrupt, naming it."""
    import struct

    data = bytearray((ROOT / "data" / "raw" / "BC_ANTQ_2015.xlsx").read_bytes())
    at = data.index(b"PK\x03\x04")
    while True:
        n = struct.unpack_from("<H", data, at + 26)[0]
        if data[at + 30 : at + 30 + n].endswith(b".xml"):
            break
        at = data.index(b"PK\x03\x04", at + 4)
    flags = struct.unpack_from("<H", data, at + 6)[0]
    struct.pack_into("<H", data, at + 6, flags | 0x800)
    data[at + 30] = 0xCF  # a lead byte followed by an ASCII letter: no UTF-8
    path = tmp_path / "broken.xlsx"
    path.write_bytes(bytes(data))
    with pytest.raises(antq.UnreadableFileError, match=r"broken\.xlsx: the file is truncated"):
        antq.load(path)
