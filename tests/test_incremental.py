"""A rebuild after some workbooks changed: the same outputs, byte for byte, as a build from
scratch, with validation re-run only where the change can matter (antq/incremental.py,
antq/validation/incremental.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from conftest import RAW, ROOT, set_cell, write_book
from hypothesis import given
from hypothesis import strategies as st

import antq
from antq.pipeline import build
from antq.reading.reader import ReadOptions, read, with_dtypes
from antq.series.events import read_events
from antq.validation.incremental import Tables, revalidate, rule_findings

sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests" / "corpus"))
from corpus_lib import DISTRICTS
from workload import generate, province_sheet, write_sheet


def outputs(out: Path) -> dict[str, bytes]:
    """Every file a build wrote (its state aside), by path."""
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and ".cache" not in p.relative_to(out).parts
    }


def same_as_cold(raw: Path, rebuilt: Path, tmp: Path) -> None:
    """``rebuilt`` holds what a build from scratch of ``raw`` writes, file for file."""
    cold = tmp / f"cold{len(list(tmp.iterdir()))}"
    build(raw, cold)
    want, got = outputs(cold), outputs(rebuilt)
    assert sorted(got) == sorted(want)
    differ = [name for name in want if got[name] != want[name]]
    assert differ == [], f"rebuild differs from a cold build in {differ}"


def test_rebuild_after_changes_equals_a_cold_build_bundled(raw_copy, tmp_path):
    out, colds = tmp_path / "out", tmp_path / "colds"
    colds.mkdir()
    build(raw_copy, out)
    set_cell(raw_copy, 2023, "Thành phố Nam Định", "safe_residential_area", 301)
    report = build(raw_copy, out)
    # Each rule on the rows the change is in; the jumps the events explain, on the whole table.
    assert report.seconds["validated"] == "groups (whole: denominator.jump)"
    same_as_cold(raw_copy, out, colds)
    # A total changed: the rates of every indicator sharing it are judged again.
    set_cell(raw_copy, 2020, "Huyện Hải Hậu", "safe_residential_area", 5, "total_source")
    build(raw_copy, out)
    same_as_cold(raw_copy, out, colds)
    # The commune annex duplicates the district rows: its keys meet another file's.
    set_cell(raw_copy, 2024, "Tỉnh Nam Định", "cultural_family", 1)
    build(raw_copy, out)
    same_as_cold(raw_copy, out, colds)


def test_a_file_not_read_added_or_removed_is_rebuilt_as_a_cold_build_would(tmp_path):
    # A .pdf or an Excel lock file is a line of findings.csv and of the report: a rebuild
    # said "up to date" and kept the old lines (and, once not, spliced yoy.csv of nothing).
    raw, out, colds = tmp_path / "raw", tmp_path / "out", tmp_path / "colds"
    raw.mkdir()
    colds.mkdir()
    for year in (2019, 2020):
        (raw / f"BC_ANTQ_{year}.xlsx").write_bytes((RAW / f"BC_ANTQ_{year}.xlsx").read_bytes())
    build(raw, out)
    (raw / "ghi_chu.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    (raw / "~$BC_ANTQ_2020.xlsx").write_bytes(b"lock")
    report = build(raw, out)
    assert report.seconds["validated"] != "whole"  # nothing read again, nothing judged again
    same_as_cold(raw, out, colds)
    assert b"ghi_chu.pdf" in (out / "findings.csv").read_bytes()
    (raw / "ghi_chu.pdf").unlink()
    build(raw, out)
    same_as_cold(raw, out, colds)
    assert b"ghi_chu.pdf" not in (out / "findings.csv").read_bytes()


def test_rebuild_after_changes_equals_a_cold_build_workload(tmp_path, monkeypatch):
    import antq._build

    raw, out, colds = tmp_path / "raw", tmp_path / "out", tmp_path / "colds"
    colds.mkdir()
    generate(raw, [4, 8], 4)  # Bắc Kạn and Lai Châu, 2015–2018: no key read twice
    beside = "yoy of the changed units (beside validation)"
    assert beside not in build(raw, out).seconds  # a table's whole yoy: after validation
    for p, year, revision in [(8, 2016, 7), (4, 2018, 2), (8, 2016, 0)]:
        write_sheet(raw, p, province_sheet(p, year, revision=revision))
        with monkeypatch.context() as m:  # the changed units' rows spliced, never all made
            m.setattr(antq._build, "write_yoy_whole", None)
            report = build(raw, out)
        assert report.seconds["validated"] == "groups"
        assert beside in report.seconds  # the changed units' yoy, beside validation
        same_as_cold(raw, out, colds)
    # A workbook gone, then back: keys go and come (yoy.csv is written whole).
    gone = raw / "tinh_04" / "bao_cao_2016.xlsx"
    data = gone.read_bytes()
    gone.unlink()
    build(raw, out)
    same_as_cold(raw, out, colds)
    gone.write_bytes(data)
    build(raw, out)
    same_as_cold(raw, out, colds)
    state = out / ".cache" / "state"
    assert (state / "delta.arrow").exists() and (state / "rows.arrow").exists()


def test_a_damaged_state_is_rebuilt_not_trusted(raw_copy, tmp_path):
    out, colds = tmp_path / "out", tmp_path / "colds"
    colds.mkdir()
    build(raw_copy, out)
    (out / ".cache" / "state" / "rows.arrow").write_bytes(b"not arrow")
    set_cell(raw_copy, 2019, "Huyện Hải Hậu", "safe_school", 60)
    report = build(raw_copy, out)
    assert "12" in report.splitlines()[0]  # every workbook read again
    same_as_cold(raw_copy, out, colds)


# ---- validation re-run where the change is ---------------------------------------------

TITLE = [
    ["BAN CHỈ ĐẠO 138 TỈNH NAM ĐỊNH"],
    ["KẾT QUẢ PHONG TRÀO NĂM 2023"],
    ["STT", "Đơn vị", "Cơ quan an toàn ANTT"],
]


def _districts(raw: Path, values: list[int]) -> None:
    rows = [[i + 1, n, v] for i, (n, v) in enumerate(zip(DISTRICTS, values, strict=True))]
    write_book(raw / "huyen.xlsx", {"S": TITLE + rows})


def test_a_change_in_one_file_refires_a_sum_across_files(tmp_path):
    """The province's row is in one workbook, its ten districts in another: a district
    changed re-checks the province's row, in the workbook that did not change."""
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    write_book(raw / "tinh.xlsx", {"S": [*TITLE, [1, "Tỉnh Nam Định", 100]]})
    _districts(raw, [10] * 10)
    build(raw, out)
    assert "sum.mismatch" not in set(pd.read_csv(out / "findings.csv")["rule"])
    _districts(raw, [10] * 9 + [11])
    report = build(raw, out)
    assert report.seconds["validated"] == "groups" and "1" in report.splitlines()[0]
    found = pd.read_csv(out / "findings.csv")
    mismatch = found[found["rule"] == "sum.mismatch"]
    assert mismatch["source"].tolist() == ["tinh.xlsx!S!C4"]  # the unchanged file's cell
    same_as_cold(raw, out, tmp_path)
    _districts(raw, [10] * 10)  # corrected: the finding goes
    build(raw, out)
    assert "sum.mismatch" not in set(pd.read_csv(out / "findings.csv")["rule"])


def _arrow(df: pd.DataFrame) -> pa.Table:
    return pa.Table.from_pandas(df, preserve_index=False)


def _frame(table: pa.Table) -> pd.DataFrame:
    return with_dtypes(table.to_pandas(types_mapper={pa.string(): pd.StringDtype("pyarrow")}.get))


def _revalidated(base: pd.DataFrame, new: pd.DataFrame, file: str):
    events = read_events(RAW)
    mine = base["table"].str.startswith(file + "!").to_numpy()
    tables = Tables(
        _arrow(base),
        _arrow(new),
        mine,
        new["table"].str.startswith(file + "!").to_numpy(),
        _frame,
    )
    return revalidate(tables, rule_findings(base, events), events)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_revalidate_equals_validating_the_whole_table(seed):
    """Numbers of one workbook changed at random: every rule's findings, re-run on the groups
    of rows the workbook is in, are the findings over the whole new table."""
    base = read(RAW, ReadOptions(errors="coerce", workers=1)).table.reset_index(drop=True)
    rng = np.random.default_rng(seed)
    files = base["table"].str.split("!").str[0]
    file = str(rng.choice(sorted(set(files))))
    new = base.copy()
    rows = new.index[(files == file).to_numpy()]
    pick = rng.choice(rows, size=max(1, len(rows) // 4), replace=False)
    new.loc[pick, "achieved"] = new.loc[pick, "achieved"] * 3
    new["rate"] = (new["achieved"] / new["total"].where(new["total"] != 0)).astype("Float64")
    found, how = _revalidated(base, new, file)
    want = rule_findings(new, read_events(RAW))
    for code, findings in want.items():
        assert sorted(map(repr, found[code])) == sorted(map(repr, findings)), code
    assert "groups" in how.values()


def test_a_rule_without_groups_runs_on_the_whole_table(monkeypatch):
    from antq.validation import incremental

    base = read(RAW, ReadOptions(errors="coerce", workers=1)).table.reset_index(drop=True)
    monkeypatch.delitem(incremental.SCOPES, "rate")
    _found, how = _revalidated(base, base.copy(), "BC_ANTQ_2020.xlsx")
    assert how["rate"] == "whole" and how["count"] == "groups"


# ---- the charts are drawn again only when what they read changed -----------------------


def test_the_charts_read_nothing_but_their_input(tmp_path):
    """Every row the build leaves out of the charts' input (antq._build.chart_input) can
    change without changing a chart: each PNG stays the same, byte for byte."""
    from antq._build import chart_input
    from antq.outputs.figures import figures

    tidy = antq.load(RAW)
    rows, _distinct = chart_input(pa.Table.from_pandas(tidy, preserve_index=False))
    read = set(rows["source"].to_pylist())
    other = ~tidy["source"].isin(read)
    assert other.any() and (~other).any()
    changed = tidy.copy()
    changed.loc[other, "achieved"] = (changed.loc[other, "achieved"] * 2 // 3).astype("Int64")
    changed["rate"] = (changed["achieved"] / changed["total"].where(changed["total"] != 0)).astype(
        "Float64"
    )
    events = read_events(RAW)
    a = figures(tidy, tmp_path / "a", events=events)
    b = figures(changed, tmp_path / "b", events=events)
    assert [p.name for p in a] == [p.name for p in b]
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]


def test_charts_drawn_again_only_when_their_input_changed(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    generate(raw, [4, 8, 23], 3)  # three provinces: the charts compare them
    build(raw, out)
    drawn = {p.name: p.stat().st_mtime_ns for p in (out / "figures").glob("*.png")}
    assert drawn
    # A commune's households: its district's and province's rows change too.
    write_sheet(raw, 8, province_sheet(8, 2016, revision=5))
    build(raw, out)
    again = {p.name: p.stat().st_mtime_ns for p in (out / "figures").glob("*.png")}
    assert again != drawn  # the province trends show the changed province row
    same_as_cold(raw, out, tmp_path)
    # Households moved between two communes of one district: the district's and the
    # province's rows stay the same, and so does every chart.
    sheet = province_sheet(8, 2017)
    first, second = [a.row for a in sheet.areas if a.level == "commune"][:2]
    households = 2 + 3  # after STT and Đơn vị, the fourth number: "Tổng số hộ"
    sheet.rows[first - 1][households] += 4  # type: ignore[operator]
    sheet.rows[second - 1][households] -= 4  # type: ignore[operator]
    write_sheet(raw, 8, sheet)
    report = build(raw, out)
    assert "1" in report.splitlines()[0]
    assert {p.name: p.stat().st_mtime_ns for p in (out / "figures").glob("*.png")} == again
    same_as_cold(raw, out, tmp_path)


def test_a_workbook_removed_revalidates_as_the_whole_table():
    """Hải Hậu's own 2020 report removed: the district is missing from 2020, a finding of the
    groups it is in (checked against the years the whole table reports districts in, which
    its own rows no longer show), and every rule finds what it finds over the whole table."""
    base = read(RAW, ReadOptions(errors="coerce", workers=1)).table.reset_index(drop=True)
    own = ((base["area"] == "Huyện Hải Hậu") & (base["year"] == 2020)).to_numpy()
    assert own.any()
    for col in ("table", "source", "total_source", "rate_source"):
        base.loc[own, col] = base.loc[own, col].str.replace(
            "BC_ANTQ_2020.xlsx!", "HaiHau_2020.xlsx!", regex=False
        )
    new = base[~own].reset_index(drop=True)
    found, how = _revalidated(base, new, "HaiHau_2020.xlsx")
    want = rule_findings(new, read_events(RAW))
    for code, findings in want.items():
        assert sorted(map(repr, found[code])) == sorted(map(repr, findings)), code
    assert how["coverage.missing_area"] == "groups"
    (missing,) = found["coverage.missing_area"]
    assert missing.area == "Huyện Hải Hậu" and missing.message_en.endswith("but none for 2020.")


def test_the_rows_of_a_build_are_one_chunk_not_one_per_workbook(tmp_path):
    """A cold build's rows, and the state a rebuild maps, hold the workbooks' rows as few
    chunks (runs of one table), not a chunk per workbook: every sort and take over 630
    chunks joined them first (a national cold build: 17,8 → 14 s)."""
    from antq.incremental import State

    raw, out = tmp_path / "raw", tmp_path / "out"
    generate(raw, [4, 8], 4)  # eight workbooks
    build(raw, out)
    import json

    settings = json.loads((out / ".cache" / "state" / "state.json").read_text())["read_settings"]
    got = State.load(out / ".cache", settings)
    assert got.rows is not None and len(got.spans()) == 8
    assert got.rows["year"].num_chunks == 1
    write_sheet(raw, 8, province_sheet(8, 2016, revision=7))
    build(raw, out)
    again = State.load(out / ".cache", settings)
    assert again.rows is not None and again.rows["year"].num_chunks <= 3


# ---- settling without copying the rows -------------------------------------------------
SETTLE_HEAD = [
    ["BAN CHỈ ĐẠO 138 TỈNH NAM ĐỊNH"],
    ["KẾT QUẢ PHONG TRÀO NĂM 2019"],
    ["STT", "Đơn vị", "Tổng số KDC", "KDC văn hóa", "Tỷ lệ (%)"],
]


def _settle_books(raw: Path) -> None:
    """Keys read twice: agreeing (one reading without the total the other gives: the kept
    row is completed), conflicting, and superseded; among rows read once."""
    names = ["Huyện Hải Hậu", "Huyện Giao Thủy", "Huyện Ý Yên", "Huyện Nam Trực"]
    first = [[i + 1, n, 40 + i, 30 + i, None] for i, n in enumerate(names)]
    first[0][2] = None  # Hải Hậu without its total: the copy's completes it
    write_book(raw / "a.xlsx", {"S": SETTLE_HEAD + first})
    again = [[1, "Huyện Hải Hậu", 40, 30, 75], [2, "Huyện Ý Yên", 42, 35, None]]
    write_book(raw / "b.xlsx", {"S": SETTLE_HEAD + again})
    write_book(raw / "c.xlsx", {"S": [*SETTLE_HEAD, [1, "Huyện Nam Trực", 50, 40, None]]})
    write_book(raw / "d.xlsx", {"S": [*SETTLE_HEAD, [1, "Huyện Xuân Trường", 20, 10, None]]})
    (raw / "supersedes.csv").write_text("file,supersedes\nc.xlsx,a.xlsx\n")


@pytest.mark.parametrize("pieces", [64, 1])
def test_the_settled_table_is_the_rows_kept_and_completed(tmp_path, monkeypatch, pieces):
    """Settling slices the rows (or, past SETTLED_PIECES pieces, copies them): the same table
    as dropping the rows from a copy and completing the kept ones (reader.dedupe)."""
    from antq import _build, pipeline
    from antq.incremental import State
    from antq.reading.reader import ReadResult, dedupe

    raw = tmp_path / "raw"
    raw.mkdir()
    _settle_books(raw)
    monkeypatch.setattr(_build, "SETTLED_PIECES", pieces)
    inp = pipeline._inputs(raw, tmp_path / "out", ReadOptions(progress=False), "vi")
    reading = _build.read_step(inp, State())
    supersede = dict(inp.options.supersede or {})
    settled = _build.settle_step(reading, State(), supersede)
    rows = reading.rows
    df = with_dtypes(_build.frame_of(rows.drop_columns(_build._EXTRA)))
    want = dedupe(ReadResult(df, [], {}, keyhash=rows["keyhash"].to_numpy()), supersede)
    assert set(want.duplicates["outcome"]) == {"same", "conflict", "superseded"}
    expected = _build._with_keys(want.table, want.keyhash)
    assert not settled.is_rows and settled.table.equals(expected)
    assert [f.rule for f in settled.findings] == [f.rule for f in want.findings]
    hai_hau = settled.table.filter(pa.compute.equal(settled.table["area"], "Huyện Hải Hậu"))
    assert hai_hau["total"].to_pylist() == [40]  # completed from b.xlsx
    assert hai_hau["total_source"].to_pylist() == ["b.xlsx!S!C4"]
    # Slices of the rows, not a copy of them: as many chunks as pieces, unless past the limit.
    chunks = settled.table["area"].num_chunks
    assert chunks == 1 if pieces == 1 else chunks > 1


def test_a_build_lets_go_of_the_rows_once_settling_copied_them():
    """An empty slice of a table holds all its buffers: the rows are let go of whole."""
    from antq._build import Reading, without_rows

    rows = pa.table({"x": np.arange(100_000), "s": [f"n{i}" for i in range(100_000)]})
    reading = Reading(rows, {}, {}, {}, set(), set(), {})
    light = without_rows(reading)
    assert light.rows.schema == rows.schema and light.rows.num_rows == 0
    assert light.rows.get_total_buffer_size() < 100
    assert rows.slice(0, 0).get_total_buffer_size() > 100_000  # what a slice would keep


def test_yoy_csv_written_an_indicator_at_a_time_is_the_whole_tables(tmp_path, bundled_tidy):
    from antq._build import stream_csv, write_yoy_whole, yoy_table
    from antq.incremental import key_hashes

    events = read_events(RAW)
    got = write_yoy_whole(tmp_path / "parts.csv", bundled_tidy, events, "vi")
    table = yoy_table(bundled_tidy, events, "vi")
    offsets = stream_csv([table], tmp_path / "whole.csv")
    assert (tmp_path / "parts.csv").read_bytes() == (tmp_path / "whole.csv").read_bytes()
    assert got is not None and offsets is not None
    keys, at = got
    assert np.array_equal(at, offsets) and np.array_equal(keys, key_hashes(table))
    assert len(keys) == table.num_rows == len(at) - 1


def test_a_state_written_in_two_steps_is_the_state_written_at_once(tmp_path):
    """A cold build writes its rows to the state while it settles them (write_rows), then the
    rest (write_tables without rows): the same files and the same record as in one step.
    Handed-over rows are let go of once written."""
    from antq.incremental import Handed, write_rows, write_tables

    rows = pa.table({"file": ["a.xlsx", "a.xlsx", "b.xlsx"], "x": [1, 2, 3]})
    table = rows.slice(0, 2)
    spans = {"a.xlsx": (0, 2), "b.xlsx": (2, 3)}
    at_once = write_tables(tmp_path / "one", spans, rows, table)
    handed = Handed(rows)
    write_rows(tmp_path / "two", handed)
    assert handed.peek() is None  # taken: the writer let go of it
    in_two = write_tables(tmp_path / "two", spans, None, table)
    assert (
        in_two
        == at_once
        == {
            "base_spans": spans,
            "delta_spans": {},
            "table_spans": {"a.xlsx": (0, 2)},
        }
    )
    for name in ("rows.arrow", "table.arrow"):
        one = (tmp_path / "one" / "state" / name).read_bytes()
        assert (tmp_path / "two" / "state" / name).read_bytes() == one
    with pytest.raises(ValueError, match="once already"):
        write_rows(tmp_path / "three", handed)


def test_the_charts_drawn_from_what_they_read_are_those_of_the_whole_table(tmp_path):
    """antq build draws the charts from their input (chart_input) and the level and year the
    whole table compares: the same PNGs, byte for byte, as from the whole table."""
    from antq._build import chart_input
    from antq.incremental import frame_of
    from antq.outputs.figures import chart_level, figures

    tidy = antq.load(RAW)
    rows, distinct = chart_input(pa.Table.from_pandas(tidy, preserve_index=False))
    assert rows.num_rows < len(tidy)
    events = read_events(RAW)
    whole = figures(tidy, tmp_path / "whole", events=events)
    compare = chart_level(frame_of(distinct))
    part = figures(with_dtypes(frame_of(rows)), tmp_path / "part", events=events, compare=compare)
    assert [p.name for p in part] == [p.name for p in whole] and len(whole) >= 8
    assert [p.read_bytes() for p in part] == [p.read_bytes() for p in whole]


def test_a_build_draws_the_charts_the_whole_table_gives(tmp_path):
    """antq build's PNGs are figures() of the whole table, byte for byte, though the build
    draws them from the rows they read."""
    from antq.outputs.figures import figures

    build(RAW, tmp_path / "out")
    whole = figures(antq.load(RAW), tmp_path / "whole", events=read_events(RAW))
    built = sorted((tmp_path / "out" / "figures").glob("*.png"))
    assert [p.name for p in built] == sorted(p.name for p in whole)
    assert [p.read_bytes() for p in built] == [p.read_bytes() for p in sorted(whole)]


def test_a_build_validates_without_the_rows_it_settled(tmp_path, monkeypatch):
    """Where settling copies the rows (keys read twice), validation and the outputs run
    without the rows as read: the state has them (360 MB at national scale)."""
    from antq import pipeline

    raw = tmp_path / "raw"
    raw.mkdir()
    _settle_books(raw)
    seen = []
    real = pipeline.validate_step

    def validate(inp, reading, settled, state):
        seen.append((reading.rows.num_rows, settled.is_rows, settled.table.num_rows))
        return real(inp, reading, settled, state)

    monkeypatch.setattr(pipeline, "validate_step", validate)
    build(raw, tmp_path / "out")
    assert len(seen) == 1 and seen[0][0] == 0 and not seen[0][1] and seen[0][2] > 0


def test_tables_streamed_while_the_next_is_made_are_one_csv_in_order(tmp_path, monkeypatch):
    """stream_csv writes each table in a thread while the next is made: many tables of
    several batches give the CSV of the tables joined, offsets and all; a line break in a
    value gives no offsets; a table that fails to be made leaves no file behind."""
    import antq._build as b

    monkeypatch.setattr(b, "CSV_BATCH_ROWS", 3)
    made: list[int] = []

    def tables(n: int, fail_at: int | None = None):
        for i in range(n):
            if i == fail_at:
                raise RuntimeError("made wrong")
            made.append(i)
            yield pa.table({"i": list(range(i * 10, i * 10 + 7)), "s": [f"t{i}, ô"] * 7})

    got = b.stream_csv(tables(6), tmp_path / "parts.csv")
    whole = b.stream_csv([pa.concat_tables(list(tables(6)))], tmp_path / "whole.csv")
    assert (tmp_path / "parts.csv").read_bytes() == (tmp_path / "whole.csv").read_bytes()
    assert got is not None and whole is not None and np.array_equal(got, whole)
    data = (tmp_path / "parts.csv").read_bytes()
    assert [data[got[i] : got[i + 1]].decode() for i in (0, 1)] == [
        '0,"t0, ô"\n',
        '1,"t0, ô"\n',
    ]
    broken = pa.table({"s": ["a", "b\nc"]})
    assert b.stream_csv([broken, broken], tmp_path / "broken.csv") is None
    with pytest.raises(RuntimeError, match="made wrong"):
        b.stream_csv(tables(5, fail_at=3), tmp_path / "failed.csv")
    assert not (tmp_path / "failed.csv").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.csv", "parts.csv", "whole.csv"]


def test_a_table_that_cannot_be_written_last_fails_the_stream(tmp_path):
    """A failure in the writing thread, of the last table too, is raised, and no file left."""
    from antq._build import stream_csv

    good = pa.table({"x": [1, 2]})
    unwritable = pa.table({"x": pa.array([[1], [2]])})  # a list column: no CSV for it
    # The header's table, one the thread writes between two others, the last one.
    for tables in ([unwritable, good], [good, unwritable, good], [good, unwritable]):
        with pytest.raises(pa.ArrowException):
            stream_csv(tables, tmp_path / "t.csv")
        assert not (tmp_path / "t.csv").exists()


def test_a_rebuild_fails_when_yoy_beside_validation_fails(raw_copy, tmp_path, monkeypatch):
    """yoy of the changed units runs in a thread beside validation: its failure is the
    build's, not lost; no stamp or state vouches for what the failed build wrote."""
    import antq.pipeline as pipeline

    out = tmp_path / "out"
    build(raw_copy, out)
    set_cell(raw_copy, 2023, "Thành phố Nam Định", "safe_residential_area", 301)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("yoy broke")

    monkeypatch.setattr(pipeline, "write_yoy_changed", broken)
    with pytest.raises(RuntimeError, match="yoy broke"):
        build(raw_copy, out)
    assert not (out / ".cache" / "build.json").exists()
    assert not (out / ".cache" / "state" / "state.json").exists()
    monkeypatch.undo()
    build(raw_copy, out)
    same_as_cold(raw_copy, out, tmp_path)


def test_outputs_of_a_failed_build_are_not_spliced_by_the_next(raw_copy, tmp_path, monkeypatch):
    """A rebuild splices only the CSVs its state marked: after a build that failed once it
    had rewritten yoy.csv and tidy.csv (its state no longer vouched for), and after
    yoy.csv was replaced by a file of the same size whose rows moved, they are written
    whole, as a cold build writes them; the files the state marked are spliced."""
    import antq._build
    import antq.pipeline as pipeline
    from antq._build import file_mark, same_file

    out = tmp_path / "out"
    build(raw_copy, out)
    set_cell(raw_copy, 2023, "Thành phố Nam Định", "safe_residential_area", 302)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("charts broke")

    with monkeypatch.context() as m:
        m.setattr(pipeline, "draw_charts", broken)
        with pytest.raises(RuntimeError, match="charts broke"):
            build(raw_copy, out)
    spliced: list[str] = []
    real_yoy, real_tidy = pipeline.write_yoy_changed, antq._build._splice_tidy
    monkeypatch.setattr(
        pipeline, "write_yoy_changed", lambda *a, **k: spliced.append("yoy") or real_yoy(*a, **k)
    )
    monkeypatch.setattr(
        antq._build, "_splice_tidy", lambda *a, **k: spliced.append("tidy") or real_tidy(*a, **k)
    )
    set_cell(raw_copy, 2019, "Huyện Hải Hậu", "safe_school", 60)
    build(raw_copy, out)
    assert spliced == []  # both written whole: no state vouches for the failed build's
    set_cell(raw_copy, 2019, "Huyện Hải Hậu", "safe_school", 59)
    build(raw_copy, out)
    assert spliced == ["yoy", "tidy"]  # the files this state marked: spliced
    spliced.clear()
    same_as_cold(raw_copy, out, tmp_path)
    # Rows moved, the size the same (two rows of different lengths swapped), in a new
    # file: the next build writes yoy.csv whole again; at the old offsets it was garbage.
    path = out / "yoy.csv"
    mark = file_mark(path)
    assert same_file(path, mark) and not same_file(tmp_path / "gone.csv", mark)
    head, *rows = path.read_bytes().splitlines(keepends=True)
    i = next(i for i in range(len(rows) - 1) if len(rows[i]) != len(rows[i + 1]))
    rows[i], rows[i + 1] = rows[i + 1], rows[i]
    path.unlink()
    path.write_bytes(b"".join([head, *rows]))
    assert file_mark(path)["size"] == mark["size"] and not same_file(path, mark)
    set_cell(raw_copy, 2019, "Huyện Hải Hậu", "safe_school", 61)
    build(raw_copy, out)
    assert spliced == ["tidy"]  # yoy.csv written whole, tidy.csv (untouched) spliced
    same_as_cold(raw_copy, out, tmp_path)


def test_a_build_that_fails_half_way_is_not_up_to_date_once_its_inputs_are_back(
    raw_copy, tmp_path, monkeypatch
):
    """yoy.csv is spliced beside validation: a validation that fails (or is interrupted)
    once it has been leaves no stamp, so putting the workbook back does not make the next
    build say "up to date" over a yoy.csv of the aborted input."""
    import time

    import antq.pipeline as pipeline

    out = tmp_path / "out"
    build(raw_copy, out)
    book = raw_copy / "BC_ANTQ_2023.xlsx"
    before = book.read_bytes()
    yoy_mark = (out / "yoy.csv").stat().st_ino
    set_cell(raw_copy, 2023, "Thành phố Nam Định", "safe_residential_area", 302)
    real = pipeline.validate_step

    def fails_once_yoy_is_spliced(*args: object, **kwargs: object) -> None:
        deadline = time.monotonic() + 60
        while (out / "yoy.csv").stat().st_ino == yoy_mark and time.monotonic() < deadline:
            time.sleep(0.01)
        raise KeyboardInterrupt

    with monkeypatch.context() as m:
        m.setattr(pipeline, "validate_step", fails_once_yoy_is_spliced)
        with pytest.raises(KeyboardInterrupt):
            build(raw_copy, out)
    assert (out / "yoy.csv").stat().st_ino != yoy_mark  # spliced by the failed build
    assert not (out / ".cache" / "build.json").exists()
    book.write_bytes(before)
    report = build(raw_copy, out)
    assert report.seconds and real is pipeline.validate_step  # built, not "up to date"
    same_as_cold(raw_copy, out, tmp_path)


_KEY_VALUE = st.one_of(st.none(), st.just(pd.NA), st.sampled_from(["Xã A", "Xã B", "P. 1"]))


@given(
    st.lists(st.tuples(_KEY_VALUE, st.sampled_from([2020, 2021]), _KEY_VALUE), max_size=25),
    st.lists(st.tuples(_KEY_VALUE, st.sampled_from([2020, 2021]), _KEY_VALUE), max_size=8),
)
def test_a_groups_rows_are_found_as_a_merge_on_their_keys_finds_them(keys, wanted):
    from antq.validation.incremental import _member

    cols = ["area", "year", "district"]
    k = pd.DataFrame(keys, columns=cols, dtype=object)
    w = pd.DataFrame(wanted, columns=cols, dtype=object).drop_duplicates()
    merged = k.merge(w.assign(_in=True), on=cols, how="left")["_in"]
    assert _member(k, w).tolist() == merged.fillna(False).astype(bool).tolist()
