"""Which real unit each row is: names resolved for the report's year, inside the sheet's context."""

import warnings

import pandas as pd
import pytest
from conftest import write_book

import antq
from antq.reading.places import place_rows

HEAD = ["STT", "Đơn vị", "Tổng số KDC", "KDC văn hóa"]


def _read(tmp_path, rows, name="r.xlsx", **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", antq.AntqWarning)
        return antq.read(write_book(tmp_path / name, {"S": rows}), errors="coerce", **kw)


def test_two_communes_of_one_name_under_their_district_rows(tmp_path):
    rows = [
        ["BAN CHỈ ĐẠO 138 TỈNH NAM ĐỊNH"],
        ["KẾT QUẢ CẤP XÃ NĂM 2024"],
        HEAD,
        ["I", "Huyện Ý Yên", 30, 20],
        [1, "Xã Hồng Quang", 30, 20],
        ["II", "Huyện Nam Trực", 25, 15],
        [1, "Xã Hồng Quang", 25, 15],
    ]
    res = _read(tmp_path, rows)
    hq = res.table[res.table["area"] == "Xã Hồng Quang"]
    assert sorted(zip(hq["district"], hq["area_code"], strict=True)) == [
        ("Huyện Nam Trực", "13984"),
        ("Huyện Ý Yên", "13876"),
    ]
    assert not [f for f in res.findings if f.rule.startswith(("area.", "duplicate."))]


def test_an_ambiguous_name_is_a_finding_naming_the_cell_and_within_settles_it(tmp_path):
    rows = [["KẾT QUẢ NĂM 2024"], HEAD, [1, "Xã Hồng Quang", 30, 20], [2, "Xã Hải Nam", 12, 9]]
    res = _read(tmp_path, rows)
    amb = [f for f in res.findings if f.rule == "area.ambiguous"]
    assert [f.source for f in amb] == ["r.xlsx!S!B3"]
    assert "Huyện Ý Yên" in amb[0].message and "Huyện Nam Trực" in amb[0].message
    assert res.table.loc[res.table["area"] == "Xã Hồng Quang", "area_code"].isna().all()
    settled = _read(tmp_path, rows, within="Huyện Ý Yên")
    assert not [f for f in settled.findings if f.rule == "area.ambiguous"]
    assert set(settled.table.loc[settled.table["area"] == "Xã Hồng Quang", "area_code"]) == {
        "13876"
    }


@pytest.mark.parametrize(
    "year, area, level, district",
    [
        (2023, "Huyện Hải Hậu", "district", "Huyện Hải Hậu"),
        (2025, "Xã Hải Hậu", "commune", None),
    ],
)
def test_a_name_resolves_for_the_year_of_the_report(tmp_path, year, area, level, district):
    rows = [[f"KẾT QUẢ NĂM {year}"], HEAD, [1, "Hải Hậu", 30, 20], [2, "Giao Thủy", 25, 15]]
    df = _read(tmp_path, rows).table
    row = df[df["area"] == area].iloc[0]
    assert row["level"] == level
    assert (None if row["district"] is None or row["district"] is pd.NA else row["district"]) == (
        district
    )


def test_a_2025_province_report_of_its_communes(tmp_path):
    rows = [
        ["UBND TỈNH NINH BÌNH"],
        ["KẾT QUẢ PHONG TRÀO TOÀN DÂN BẢO VỆ AN NINH TỔ QUỐC NĂM 2025"],
        ["STT", "Xã, phường", "Tổng số KDC", "KDC văn hóa"],
        [1, "Phường Nam Định", 60, 50],
        [2, "Xã Hải Hậu", 40, 31],
        [3, "Phường Hoa Lư", 55, 40],
        [None, "Toàn tỉnh", 155, 121],
    ]
    df = _read(tmp_path, rows).table
    assert df["district"].isna().all() and set(df["province"]) == {"Tỉnh Ninh Bình"}
    total = df[df["level"] == "province"].iloc[0]
    assert (total["area"], total["area_code"]) == ("Tỉnh Ninh Bình", "37")
    assert set(df.loc[df["level"] == "commune", "area"]) == {
        "Phường Nam Định",
        "Xã Hải Hậu",
        "Phường Hoa Lư",
    }


def test_a_unit_that_ceased_during_the_year_is_read_and_reported(tmp_path):
    rows = [
        ["BAN CHỈ ĐẠO 138 TỈNH NAM ĐỊNH"],
        ["KẾT QUẢ NĂM 2024"],
        HEAD,
        [1, "TP. Nam Định", 30, 20],
        [2, "Mỹ Lộc", 10, 8],
    ]
    res = _read(tmp_path, rows)
    assert "Huyện Mỹ Lộc" in set(res.table["area"])
    ceased = [f for f in res.findings if f.rule == "area.ceased"]
    assert [f.source for f in ceased] == ["r.xlsx!S!B5"]
    assert "2024-08-31" in ceased[0].message and "Thành phố Nam Định" in ceased[0].message


def test_an_unnamed_total_keeps_its_name_and_takes_the_province_its_rows_share(tmp_path):
    rows = [["KẾT QUẢ NĂM 2020"], HEAD, [1, "Hải Hậu", 30, 20], [2, "Vụ Bản", 25, 15]]
    rows.append([None, "Toàn tỉnh", 55, 35])
    df = _read(tmp_path, rows).table
    total = df[df["level"] == "province"].iloc[0]
    assert (total["area"], total["province"]) == ("Toàn tỉnh", "Tỉnh Nam Định")


def test_place_rows_alone():
    p = place_rows(
        ["Huyện Ý Yên", "Xã Hồng Quang", "Toàn huyện"],
        ["district", "commune", "district"],
        [False, False, True],
        enclosing=None,
        year=2024,
        sources=["f!S!B1", "f!S!B2", "f!S!B3"],
    )
    assert p.names == ["Huyện Ý Yên", "Xã Hồng Quang", "Toàn tỉnh"]
    assert p.levels == ["district", "commune", "province"]
    assert p.provinces == ["Tỉnh Nam Định"] * 3
