"""The build cache: keyed by content, never trusted when stale; parallel reads equal serial."""

import json
import sys

import pandas as pd
import pytest
from conftest import RAW, ROOT, ROWS, set_cell

import antq
from antq.pipeline import build
from antq.reading.cache import read_cached

sys.path.insert(0, str(ROOT / "benchmarks"))
from workload import expected_table, generate, provinces

#: Three small provinces (Bắc Kạn, Lai Châu, Hà Nam: about a hundred communes each).
SMALL = [4, 8, 23]


def test_rebuild_reads_only_what_changed(raw_copy, tmp_path):
    cache = tmp_path / "cache"
    _, first = read_cached(raw_copy, cache)
    assert first == {"read": 12, "reused": 0, "dropped": 0}
    set_cell(raw_copy, 2024, "Thành phố Nam Định", "safe_residential_area", 300)
    (raw_copy / "BC_ANTQ_2015.xlsx").unlink()
    result, stats = read_cached(raw_copy, cache)
    assert stats == {"read": 1, "reused": 10, "dropped": 1}
    df = result.table
    row = df[
        (df["year"] == 2024)
        & (df["area"] == "Thành phố Nam Định")
        & (df["indicator"] == "safe_residential_area")
    ]
    assert row["achieved"].tolist() == [300]
    assert 2015 not in set(df["year"])
    antq.check_tidy(df[list(antq.TIDY_COLUMNS)])
    fresh = antq.read(raw_copy, errors="coerce")
    cols = list(antq.TIDY_COLUMNS)
    key = ["year", "area", "indicator"]
    pd.testing.assert_frame_equal(
        df[cols].sort_values(key).reset_index(drop=True),
        fresh.table[cols].sort_values(key).reset_index(drop=True),
    )


def test_a_rebuild_s_accounting_is_numbered_afresh_one_line_per_sheet(raw_copy, tmp_path):
    cache = tmp_path / "cache"
    read_cached(raw_copy, cache)
    set_cell(raw_copy, 2024, "Thành phố Nam Định", "safe_residential_area", 300)
    result, stats = read_cached(raw_copy, cache)
    assert (stats["read"], stats["reused"]) == (1, 11)
    acc = result.accounting
    fresh = antq.read(raw_copy, errors="coerce").accounting
    # Lines kept from the cache and lines read again: one index, as antq.read gives it.
    assert acc.index.tolist() == list(range(len(fresh)))
    key = ["file", "sheet"]
    pd.testing.assert_frame_equal(
        acc.sort_values(key).reset_index(drop=True), fresh.sort_values(key).reset_index(drop=True)
    )


def test_same_bytes_under_a_new_time_are_reused(raw_copy, tmp_path):
    cache = tmp_path / "cache"
    read_cached(raw_copy, cache)
    f = raw_copy / "BC_ANTQ_2020.xlsx"
    f.write_bytes(f.read_bytes())  # touched, same content
    assert read_cached(raw_copy, cache)[1]["read"] == 0


def test_damaged_cache_is_not_trusted(raw_copy, tmp_path):
    cache = tmp_path / "cache"
    read_cached(raw_copy, cache)
    (cache / "rows.parquet").write_bytes(b"garbage")
    result, stats = read_cached(raw_copy, cache)
    assert stats["read"] == 12 and len(result.table) == ROWS
    manifest = json.loads((cache / "manifest.json").read_text())
    manifest["antq"] = "0.0.0-old"
    (cache / "manifest.json").write_text(json.dumps(manifest))
    assert read_cached(raw_copy, cache)[1]["read"] == 12


def test_build_up_to_date_then_rebuilds_after_a_change(raw_copy, tmp_path):
    out = tmp_path / "out"
    assert f"{ROWS:,} rows" in build(raw_copy, out, lang="en")  # 3,726 rows
    assert build(raw_copy, out, lang="en").startswith("antq build: up to date")
    (out / "yoy.csv").unlink()  # an output missing: not up to date
    assert "read 0 workbooks" in build(raw_copy, out, lang="en")
    set_cell(raw_copy, 2023, "Thành phố Nam Định", "safe_residential_area", 301)
    report = build(raw_copy, out, lang="en")
    assert "read 1 workbook " in report and "11 reused" in report
    tidy = pd.read_parquet(out / "tidy.parquet")
    row = tidy[
        (tidy["year"] == 2023)
        & (tidy["area"] == "Thành phố Nam Định")
        & (tidy["indicator"] == "safe_residential_area")
    ]
    assert row["achieved"].tolist() == [301]
    # events.csv is an input too: without it, the 2020 hamlet merger is a warning per total cell.
    jumps = pd.read_csv(out / "findings.csv", encoding="utf-8-sig")["rule"]
    assert (jumps == "denominator.jump").sum() == 0
    (raw_copy / "events.csv").unlink()
    assert "read 0 workbooks" in build(raw_copy, out, lang="en")
    jumps = pd.read_csv(out / "findings.csv", encoding="utf-8-sig")["rule"]
    assert (jumps == "denominator.jump").sum() == 22


def test_parallel_read_equals_serial(tmp_path):
    generate(tmp_path / "wl", provinces=SMALL, years=6)  # 18 files: two chunks, two processes
    serial = antq.read(tmp_path / "wl", workers=1)
    parallel = antq.read(tmp_path / "wl", workers=2)
    pd.testing.assert_frame_equal(serial.table, parallel.table)
    assert [f.text for f in serial.findings] == [f.text for f in parallel.findings]
    assert len(serial.table) == 9 * serial.table.groupby(["table", "row"]).ngroups


def test_workload_total_rows_are_the_province(tmp_path):
    generate(tmp_path / "wl", provinces=[24], years=1)  # Nam Định
    df = antq.load(tmp_path / "wl")
    top = df[df["level"] == "province"]
    assert set(top["area"]) == {provinces()[23].name} == {"Tỉnh Nam Định"} and len(top) == 9
    assert antq.validate(df).empty  # districts add up to their communes, the province to both


def test_workload_is_read_completely(tmp_path):
    """Every area row the generator wrote is one row per indicator, with its values and
    cell: the two Xã Hồng Quang of Nam Định (Ý Yên, Nam Trực) each their own."""
    written = generate(tmp_path / "wl", provinces=[24], years=2)
    got = antq.load(tmp_path / "wl")
    want = expected_table(written.sheets)
    key = ["year", "level", "area_code", "indicator"]
    cols = list(want.columns)
    pd.testing.assert_frame_equal(
        got[cols].sort_values(key).reset_index(drop=True),
        want.sort_values(key).reset_index(drop=True),
    )
    assert written.repeated_names("district") == {}
    assert written.repeated_names("province")[("Tỉnh Nam Định", "Xã Hồng Quang")] == 2
    assert len(got.query("area == 'Xã Hồng Quang'")) == 2 * 2 * 9


def test_errors_cross_from_worker_processes(tmp_path):
    import pickle

    err = pickle.loads(pickle.dumps(antq.CellValueError("f.xlsx!S!D6", "x", "a whole number")))
    assert (err.source, err.found, str(err)) == (
        "f.xlsx!S!D6",
        "x",
        "f.xlsx!S!D6: found 'x', expected a whole number",
    )
    err = pickle.loads(pickle.dumps(antq.NoTableError("a.xlsx: no table", vi="a.xlsx: không có")))
    assert isinstance(err, antq.NoTableError) and err.vi == "a.xlsx: không có"
    generate(tmp_path / "wl", provinces=SMALL, years=6)  # 19 files: two chunks, two processes
    bad = sorted((tmp_path / "wl").rglob("*.xlsx"))[-1]
    (bad.parent / "zz_broken.xlsx").write_text("not a workbook")
    with pytest.raises(antq.UnreadableFileError, match="zz_broken.xlsx: not a spreadsheet"):
        antq.read(tmp_path / "wl", workers=2)
    res = antq.read(tmp_path / "wl", workers=2, errors="coerce")
    assert list(res.failed) == ["tinh_23/zz_broken.xlsx"]


def test_a_reused_read_keeps_what_was_skipped(tmp_path):
    cache = tmp_path / "cache"
    first, _ = read_cached(RAW, cache)
    again, stats = read_cached(RAW, cache)
    assert stats["reused"] == stats["read"] + stats["reused"] and len(first.skipped)
    pd.testing.assert_frame_equal(
        again.skipped.reset_index(drop=True), first.skipped.reset_index(drop=True)
    )
