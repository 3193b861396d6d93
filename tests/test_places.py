"""Which real unit each row is: names resolved for the report's year, inside the sheet's context."""

import warnings

import pandas as pd
import pytest
from conftest import two_years, write_book

import antq
from antq.reading import places
from antq.reading.places import place_rows
from antq.vocab import AreaMatch

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


def _codes(res, area="Xã Hồng Quang"):
    rows = res.table[res.table["area"] == area]
    return sorted(zip(rows["source"], rows["district"], rows["area_code"], strict=True))


def test_within_gives_way_to_what_the_sheet_says(tmp_path):
    # within= is the area of every sheet where it does not say (ReadOptions): here each
    # sheet says (its name, its letterhead), and the province given holds them all.
    sheets = {
        d: [["KẾT QUẢ NĂM 2024"], HEAD, [1, "Xã Hồng Quang", 20, v]]
        for d, v in (("Ý Yên", 10), ("Nam Trực", 13))
    }
    write_book(tmp_path / "cap_xa_2024.xlsx", sheets)
    rows = [["UBND HUYỆN Ý YÊN"], ["KẾT QUẢ NĂM 2023"], HEAD, [1, "Xã Hồng Quang", 20, 9]]
    write_book(tmp_path / "y_yen_2023.xlsx", {"S": rows})
    expected = [
        ("cap_xa_2024.xlsx!Nam Trực!D3", "Huyện Nam Trực", "13984"),
        ("cap_xa_2024.xlsx!Ý Yên!D3", "Huyện Ý Yên", "13876"),
        ("y_yen_2023.xlsx!S!D4", "Huyện Ý Yên", "13876"),
    ]
    for within in (None, "Tỉnh Nam Định"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", antq.AntqWarning)
            res = antq.read(tmp_path, errors="coerce", within=within)
        assert _codes(res) == expected, within
        assert not [f for f in res.findings if f.rule.startswith(("area.", "duplicate."))]
    # A district given that the sheet contradicts: the sheet says, and is believed.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", antq.AntqWarning)
        res = antq.read(tmp_path / "cap_xa_2024.xlsx", errors="coerce", within="Huyện Ý Yên")
    assert _codes(res) == expected[:2]


def test_a_letterhead_many_districts_share_is_looked_for_within_the_province_given(tmp_path):
    # Ten districts are called Huyện Châu Thành, and Kiên Giang has a Xã Bình An in two of
    # them: the province given says which Châu Thành the letterhead is, and that settles it.
    rows = [
        ["UBND HUYỆN CHÂU THÀNH"],
        ["KẾT QUẢ NĂM 2024"],
        HEAD,
        [1, "Xã Bình An", 30, 20],
        [2, "Xã Thạnh Lộc", 12, 9],
    ]
    res = _read(tmp_path, rows, within="Tỉnh Kiên Giang")
    assert res.table[["province", "district", "area_code"]].values.tolist() == [
        ["Tỉnh Kiên Giang", "Huyện Châu Thành", "30898"],
        ["Tỉnh Kiên Giang", "Huyện Châu Thành", "30901"],
    ]
    assert not [f for f in res.findings if f.rule.startswith("area.")]
    alone = _read(tmp_path, rows)
    assert [f.source for f in alone.findings if f.rule == "area.ambiguous"] == [
        "r.xlsx!S!B4",
        "r.xlsx!S!B5",
    ]


def test_within_narrower_than_the_letterhead_settles_the_rows(tmp_path):
    rows = [["BAN CHỈ ĐẠO 138 TỈNH NAM ĐỊNH"], ["KẾT QUẢ NĂM 2024"], HEAD]
    rows.append([1, "Xã Hồng Quang", 25, 15])
    res = _read(tmp_path, rows, within="Huyện Nam Trực")
    assert _codes(res) == [("r.xlsx!S!D4", "Huyện Nam Trực", "13984")]


def test_my_loc_s_communes_are_in_my_loc_until_it_merged_as_the_sheet_says(tmp_path):
    # The registry keeps the communes of Huyện Mỹ Lộc under Thành phố Nam Định, their parent
    # of 30/6/2025, with no earlier one: a 2023 report of Mỹ Lộc says where they were then.
    def rows(year):
        return [
            ["UBND HUYỆN MỸ LỘC"],
            [f"KẾT QUẢ NĂM {year}"],
            HEAD,
            [1, "Xã Mỹ Hà", 10, 9],
            [2, "Xã Mỹ Thắng", 11, 8],
            [None, "Toàn huyện", 21, 17],
        ]

    res = _read(tmp_path, rows(2023), name="my_loc_2023.xlsx")
    got = res.table[["district", "area", "area_code"]].values.tolist()
    assert got == [
        ["Huyện Mỹ Lộc", "Xã Mỹ Hà", "13711"],
        ["Huyện Mỹ Lộc", "Xã Mỹ Thắng", "13717"],
        ["Huyện Mỹ Lộc", "Huyện Mỹ Lộc", "358"],
    ]
    assert not [f for f in res.findings if f.rule.startswith("area.")]
    found = antq.validate(res.table)
    assert not found["rule"].str.startswith("sum").any()
    # Mỹ Lộc ended on 31/8/2024: at the end of 2024 its communes are the city's.
    res = _read(tmp_path, rows(2024), name="my_loc_2024.xlsx")
    communes = res.table[res.table["level"] == "commune"]
    assert set(communes["district"]) == {"Thành phố Nam Định"}
    assert list(communes["area_code"]) == ["13711", "13717"]


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


def test_a_bare_name_inside_a_province_is_the_unit_of_the_report_year():
    # The district Mỹ Lộc ceased on 31 August 2024; a 2024 row "Mỹ Lộc" alone is the commune.
    p = place_rows(
        ["Mỹ Lộc"], ["district"], [False], enclosing=None, year=2024, within="Tỉnh Nam Định"
    )
    assert (p.names, p.levels, p.districts) == (["Xã Mỹ Lộc"], ["commune"], ["Thành phố Nam Định"])


def test_an_ambiguous_name_lists_the_units_of_its_year():
    # Three wards were called Trường Thi in 2020 (since 2025 one, in Ninh Bình).
    p = place_rows(["Phường Trường Thi"], ["commune"], [False], enclosing=None, year=2020)
    (amb,) = p.findings
    assert amb.rule == "area.ambiguous"
    assert amb.message_en.startswith("The name 'Phường Trường Thi' matches 3 units in 2020 (")
    for district in ("Thành phố Nam Định", "Thành phố Thanh Hóa", "Thành phố Vinh"):
        assert district in amb.message_en


def test_an_unknown_name_takes_the_province_its_rows_share():
    p = place_rows(
        ["Hải Hậu", "Vụ Bản", "Xã Không Có Thật"],
        ["district", "district", "commune"],
        [False] * 3,
        enclosing=None,
        year=2020,
    )
    assert p.names[2] == "Xã Không Có Thật" and p.codes[2] is None
    assert p.provinces[2] == "Tỉnh Nam Định" and p.districts[2] == "Huyện Vụ Bản"


def test_a_district_total_within_a_district_is_named_after_it():
    p = place_rows(
        ["Xã Yên Thọ", "Xã Yên Bình", "Toàn huyện"],
        ["commune"] * 3,
        [False, False, True],
        enclosing=None,
        year=2024,
        within="Huyện Ý Yên",
    )
    assert (p.names[2], p.levels[2], p.codes[2]) == ("Huyện Ý Yên", "district", "360")
    assert p.districts[2] == "Huyện Ý Yên"


def test_a_named_district_total_keeps_its_district_when_its_rows_do_not_share_one():
    # "Xã Hải Vân" is unknown (no district): the total names its own.
    p = place_rows(
        ["Xã Hải Nam", "Xã Hải Vân", "Huyện Hải Hậu"],
        ["commune"] * 3,
        [False, False, True],
        enclosing=None,
        year=2020,
    )
    assert p.districts[1] is None
    assert (p.names[2], p.levels[2], p.districts[2]) == (
        "Huyện Hải Hậu",
        "district",
        "Huyện Hải Hậu",
    )


def test_an_unknown_commune_of_a_districts_sheet_lies_in_that_district():
    p = place_rows(
        ["Xã Yên Thọ", "Xã Không Có Thật"],
        ["commune"] * 2,
        [False] * 2,
        enclosing=None,
        year=2024,
        within="Huyện Ý Yên",
        sources=["f!S!B1", "f!S!B2"],
    )
    assert (p.names[1], p.districts[1], p.codes[1]) == ("Xã Không Có Thật", "Huyện Ý Yên", None)
    (unknown,) = p.findings
    assert unknown.source == "f!S!B2" and "Area 'Xã Không Có Thật'" in unknown.message_en


def test_a_district_total_of_a_communes_sheet_lies_in_the_communes_district():
    # The sheet is a commune's (within): its total of communes is its district's, even when
    # a row is unknown (and so in no district).
    p = place_rows(
        ["Xã Hải Minh", "Xã Không Có Thật", "Toàn huyện"],
        ["commune"] * 3,
        [False, False, True],
        enclosing=None,
        year=2020,
        within="Xã Hải Nam",
    )
    assert p.districts[1] is None
    assert (p.names[2], p.levels[2], p.districts[2]) == ("Toàn huyện", "district", "Huyện Hải Hậu")


def test_an_unnamed_district_total_takes_the_district_its_communes_share():
    # No letterhead, no within: the communes all lie in Hải Hậu, and so does their total.
    p = place_rows(
        ["Xã Hải Nam", "Xã Hải Tây", "Toàn huyện"],
        ["commune"] * 3,
        [False, False, True],
        enclosing=None,
        year=2020,
    )
    assert (p.names[2], p.levels[2]) == ("Toàn huyện", "district")
    assert (p.provinces[2], p.districts[2]) == ("Tỉnh Nam Định", "Huyện Hải Hậu")


def test_the_district_a_sheets_title_names_settles_a_name_shared_by_two_communes():
    # "UBND HUYỆN Ý YÊN" over the table: its Xã Hồng Quang is Ý Yên's, not Nam Trực's.
    p = place_rows(
        ["Xã Hồng Quang", "Xã Yên Thọ"],
        ["commune"] * 2,
        [False] * 2,
        enclosing=AreaMatch("Huyện Ý Yên", "district", True),
        year=2024,
    )
    assert p.districts == ["Huyện Ý Yên"] * 2
    assert p.codes == ["13876", "13810"]
    assert p.findings == []


def test_a_bare_city_name_among_districts_gives_the_province_an_unknown_name_lies_in():
    """ "Nam Định" alone is the province or its city; among districts it is the city, and so
    counts for the province the rows share, which the unknown district is then placed in."""
    p = place_rows(
        ["Nam Định", "Huyện Không Có Thật"],
        ["district"] * 2,
        [False] * 2,
        enclosing=None,
        year=2020,
    )
    assert (p.names[0], p.codes[0]) == ("Thành phố Nam Định", "356")
    assert (p.names[1], p.provinces[1], p.codes[1]) == (
        "Huyện Không Có Thật",
        "Tỉnh Nam Định",
        None,
    )


def test_an_ambiguous_names_finding_says_what_would_settle_it():
    p = place_rows(["Phường Trường Thi"], ["commune"], [False], enclosing=None, year=2020)
    (amb,) = p.findings
    assert amb.found == "Phường Trường Thi"
    assert amb.expected == "one unit (its district row above it, or within=…)"


@pytest.mark.parametrize("text", ["Xóm 3", "Tổ 5", "Khu số 3", "Khối 2"])
def test_a_hamlet_label_keeps_its_name_as_written(tmp_path, text):
    """A hamlet ("Xóm …") and one named by its number ("Tổ 5") alike; classified from cleared
    caches (``vocab.use``), not remembered from an earlier test."""
    from antq.reading.labels import Label, classify_label
    from antq.vocab import use

    with use(tmp_path):
        assert classify_label(text) == Label("hamlet", text)


def test_a_grand_total_under_the_last_of_several_unclosed_groups_is_the_tables(tmp_path):
    """ "Tổng cộng" after two districts' communes, no "Cộng" after either: the province's
    total (60, every commune), not the last district's (it was read as Giao Thủy's 22)."""
    rows = [
        ["KẾT QUẢ NĂM 2020"],
        HEAD,
        [None, "Huyện Hải Hậu"],
        [1, "Xã Hải Minh", 10, 5],
        [2, "Xã Hải Anh", 20, 6],
        [None, "Huyện Giao Thủy"],
        [1, "Xã Giao An", 10, 5],
        [2, "Xã Giao Hà", 20, 6],
        [None, "Tổng cộng", 60, 22],
    ]
    t = _read(tmp_path, rows).table
    total = t[t["level"] != "commune"]
    assert total[["area", "level", "total", "achieved"]].values.tolist() == [
        ["Toàn tỉnh", "province", 60, 22]
    ]
    assert set(t.loc[t["area"] == "Xã Giao Hà", "district"]) == {"Huyện Giao Thủy"}


def test_a_grand_total_written_otherwise_than_the_groups_own_totals_is_the_tables(tmp_path):
    """Hải Hậu closed by "Cộng", Giao Thủy by nothing, then "Tổng cộng": written otherwise
    than the groups' own total, it is the table's (60), not Giao Thủy's."""
    rows = [
        ["KẾT QUẢ NĂM 2020"],
        HEAD,
        [None, "Huyện Hải Hậu"],
        [1, "Xã Hải Minh", 10, 5],
        [2, "Xã Hải Anh", 20, 6],
        [None, "Cộng", 30, 11],
        [None, "Huyện Giao Thủy"],
        [1, "Xã Giao An", 10, 5],
        [2, "Xã Giao Hà", 20, 6],
        [None, "Tổng cộng", 60, 22],
    ]
    t = _read(tmp_path, rows).table
    assert t.loc[t["level"] != "commune", ["area", "level", "total"]].values.tolist() == [
        ["Huyện Hải Hậu", "district", 30],
        ["Toàn tỉnh", "province", 60],
    ]


def test_a_group_closed_by_its_own_total_still_takes_it(tmp_path):
    rows = [
        ["KẾT QUẢ NĂM 2020"],
        HEAD,
        [None, "Huyện Giao Thủy"],
        [1, "Xã Giao An", 10, 5],
        [2, "Xã Giao Hà", 20, 6],
        [None, "Cộng", 30, 11],
    ]
    t = _read(tmp_path, rows).table
    assert t.loc[t["level"] == "district", ["area", "achieved"]].values.tolist() == [
        ["Huyện Giao Thủy", 11]
    ]


def test_communes_under_an_unknown_district_are_not_put_in_the_district_before_it(tmp_path):
    rows = [
        ["KẾT QUẢ NĂM 2020"],
        HEAD,
        [None, "Huyện Hải Hậu"],
        [1, "Xã Hải Minh", 10, 5],
        [None, "Huyện Đông Phong"],  # B5: no such district
        [1, "Xã Không Tên", 10, 5],  # B6: no such commune either
    ]
    res = _read(tmp_path, rows)
    t = res.table.set_index("area")
    assert t.loc["Xã Hải Minh", "district"] == "Huyện Hải Hậu"
    assert t.loc["Xã Không Tên", "district"] == "Huyện Đông Phong"  # as the sheet says
    assert pd.isna(t.loc["Xã Không Tên", "area_code"])
    found = {(f.rule, f.source) for f in res.findings}
    assert {("area.unknown", "r.xlsx!S!B5"), ("area.unknown", "r.xlsx!S!B6")} <= found


def test_a_name_read_only_with_its_marks_folded_away_is_said_with_its_cell():
    names = ["Huyện Nam Trực", "Xã Đông Sơn", "Hồng Quang", "NAM ĐIỀN", "Nam Dien"]
    cells = [f"a.xlsx!S!B{r}" for r in range(5, 10)]
    levels = ["district"] + ["commune"] * 4
    p = place_rows(names, levels, [False] * 5, enclosing=None, year=2024, sources=cells)
    # Read as the registry's units, codes and all ...
    assert p.names[1:] == ["Xã Đồng Sơn", "Xã Hồng Quang", "Xã Nam Điền", "Xã Nam Điền"]
    assert p.codes[1] == "14014"
    # ... and one finding for the table says which were written otherwise, where; a
    # bare name or one in capitals is no other spelling.
    (f,) = [f for f in p.findings if f.rule == "area.respelled"]
    assert (f.severity, f.source, f.found, f.expected) == (
        "info",
        "a.xlsx!S!B6",
        "Xã Đông Sơn",
        "Xã Đồng Sơn",
    )
    assert f.message.startswith("2 tên đơn vị viết khác danh mục")
    assert f.message.endswith("'Xã Đông Sơn' (B6) → Xã Đồng Sơn; 'Nam Dien' (B9) → Xã Nam Điền")
    assert f.message_en.startswith("2 area names written otherwise than in the registry")


def test_names_written_as_the_registry_writes_them_are_not_said():
    names = ["TP Nam Định", "Huyện Hải Hậu", "HUYỆN Ý YÊN", "Nam Trực"]
    p = place_rows(names, ["district"] * 4, [False] * 4, enclosing=None, year=2024)
    assert [f.rule for f in p.findings] == []


def test_many_names_written_otherwise_are_counted_and_five_shown():
    plain = ["Hai Hau", "Y Yen", "Nam Truc", "Truc Ninh", "Giao Thuy", "Xuan Truong", "Vu Ban"]
    cells = [f"a.xlsx!S!B{r}" for r in range(5, 12)]
    p = place_rows(plain, ["district"] * 7, [False] * 7, enclosing=None, year=2024, sources=cells)
    (f,) = [f for f in p.findings if f.rule == "area.respelled"]
    assert f.message.startswith("7 tên đơn vị")
    assert f.message.endswith("'Giao Thuy' (B9) → Huyện Giao Thủy; …")
    assert "Xuan Truong" not in f.message


def test_a_name_outside_the_sheets_province_keeps_the_level_its_rows_hold():
    # The sheet says Lào Cai; its rows are provinces of 2025. Looked for everywhere, "Nam
    # Định" among provinces is still the province (merged on 1 July), not the ward.
    p = place_rows(
        ["Tỉnh Ninh Bình", "Nam Định", "Tỉnh Phú Thọ"],
        ["province"] * 3,
        [False] * 3,
        enclosing=None,
        year=2025,
        within="Tỉnh Lào Cai",
    )
    assert p.names == ["Tỉnh Ninh Bình", "Tỉnh Nam Định", "Tỉnh Phú Thọ"]
    assert p.levels == ["province"] * 3
    assert [f.rule for f in p.findings] == ["area.ceased"]


def test_a_name_without_a_suggested_level_is_the_unit_in_force_at_the_years_end():
    # The district Hải Hậu ceased on 30 June 2025: a bare "Hải Hậu" of 2025 is the commune.
    p = place_rows(["Hải Hậu"], [""], [False], enclosing=None, year=2025)
    assert (p.names, p.levels, p.codes, p.findings) == (["Xã Hải Hậu"], ["commune"], ["14215"], [])


def test_a_name_unknown_within_the_district_given_is_not_taken_from_another_province(tmp_path):
    rows = [
        ["KẾT QUẢ NĂM 2020"],
        ["STT", "Đơn vị", "Tổng số KDC", "KDC văn hóa"],
        [1, "Tân Thành", 10, 5],
        [2, "Hải Minh", 20, 6],
    ]
    res = _read(tmp_path, rows, within="Huyện Hải Hậu")
    assert set(res.table["province"]) == {"Tỉnh Nam Định"}
    assert set(res.table["district"]) == {"Huyện Hải Hậu"}
    # Kept as written and said: not read as Huyện Tân Thạnh (Long An), another province,
    # level and spelling.
    assert "Tân Thành" in set(res.table["area"])
    assert {f.rule for f in res.findings} >= {"area.unknown"}
    assert "area.respelled" not in {f.rule for f in res.findings}


def test_a_name_unknown_under_a_letterhead_does_not_move_the_next_rows_elsewhere(tmp_path):
    rows = [
        ["UBND HUYỆN HẢI HẬU"],
        ["KẾT QUẢ NĂM 2020"],
        ["STT", "Đơn vị", "Tổng số KDC", "KDC văn hóa"],
        [1, "Tân Thành", 10, 5],
        [2, "Hải Minh", 20, 6],
    ]
    got = _read(tmp_path, rows).table[["area", "district", "province"]].drop_duplicates()
    assert got.values.tolist() == [
        ["Tân Thành", "Huyện Hải Hậu", "Tỉnh Nam Định"],
        ["Xã Hải Minh", "Huyện Hải Hậu", "Tỉnh Nam Định"],
    ]


def test_a_total_naming_a_known_unit_takes_its_registry_name():
    # "Huyện Hai Hau", typed without diacritics, totals its communes: the registry's unit.
    p = place_rows(
        ["Xã Hải Minh", "Xã Hải Anh", "Huyện Hai Hau"],
        ["commune", "commune", "district"],
        [False, False, True],
        enclosing=None,
        year=2020,
    )
    assert (p.names[2], p.levels[2], p.codes[2]) == ("Huyện Hải Hậu", "district", "366")


def test_a_letterhead_naming_the_area_without_its_prefix_settles_an_ambiguous_ward(tmp_path):
    # Three wards were called Trường Thi in 2020; "CÔNG AN NAM ĐỊNH" says which.
    rows = [
        ["CÔNG AN NAM ĐỊNH"],
        ["KẾT QUẢ NĂM 2020"],
        ["STT", "Đơn vị", "Tổng số KDC", "KDC văn hóa"],
        [1, "Phường Trường Thi", 10, 5],
    ]
    res = _read(tmp_path, rows)
    got = res.table[["area", "district", "province", "area_code"]].drop_duplicates()
    assert got.values.tolist() == [
        ["Phường Trường Thi", "Thành phố Nam Định", "Tỉnh Nam Định", "13657"]
    ]
    assert not res.findings


# ---- a table placed before is placed alike (the memo of place_rows) ------------------------
ND_DISTRICTS = ["Hải Hậu", "Mỹ Lộc", "Ý Yên", "Nam Trực", "Toàn tỉnh"]


def _placed(names, year, within=None, sources=None):
    levels = ["district"] * (len(names) - 1) + ["province"]
    totals = [False] * (len(names) - 1) + [True]
    return place_rows(
        names, levels, totals, enclosing=None, year=year, within=within, sources=sources
    )


def _fields(p):
    return (p.names, p.levels, p.provinces, p.districts, p.codes, [f.message for f in p.findings])


@pytest.mark.parametrize("order", [range(2015, 2027), range(2026, 2014, -1)])
def test_a_table_placed_before_is_placed_as_if_afresh_in_every_year(order):
    # Mỹ Lộc ceased in 2024 and districts in 2025; Hải Hậu is a commune from July 2025:
    # years of other units in force must not share a placement, in either order of years.
    tables = [
        (ND_DISTRICTS, ["district"] * 4 + ["province"], [False] * 4 + [True], "Tỉnh Nam Định"),
        (["Hải Hậu", "Xã Hải Hậu"], ["commune"] * 2, [False] * 2, None),
    ]
    fresh = {}
    for year in order:
        for i, (names, levels, totals, within) in enumerate(tables):
            places._PLACED.cache_clear()
            got = place_rows(names, levels, totals, enclosing=None, year=year, within=within)
            fresh[year, i] = _fields(got)
    places._PLACED.cache_clear()
    for year in order:
        for i, (names, levels, totals, within) in enumerate(tables):
            got = place_rows(names, levels, totals, enclosing=None, year=year, within=within)
            assert _fields(got) == fresh[year, i], (year, i)
    assert fresh[2023, 0][0][:2] == ["Huyện Hải Hậu", "Huyện Mỹ Lộc"]
    assert fresh[2026, 0][0][:2] == ["Xã Hải Hậu", "Phường Mỹ Lộc"]
    assert fresh[2024, 0][5] and not fresh[2023, 0][5]  # Mỹ Lộc ceased during 2024: said
    assert fresh[2023, 1][4] == ["366", None] and fresh[2025, 1][4] == ["14215", "14215"]


def test_a_placement_is_reused_only_in_the_same_context():
    places._PLACED.cache_clear()
    commune, level, total = ["Xã Hồng Quang"], ["commune"], [False]
    yen = place_rows(commune, level, total, enclosing=None, year=2024, within="Huyện Ý Yên")
    truc = place_rows(commune, level, total, enclosing=None, year=2024, within="Huyện Nam Trực")
    assert (yen.codes, truc.codes) == (["13876"], ["13984"])
    titled = [
        place_rows(commune, level, total, enclosing=AreaMatch(d, "district", True), year=2024)
        for d in ("Huyện Nam Trực", "Huyện Ý Yên")
    ]
    assert [p.codes for p in titled] == [["13984"], ["13876"]]
    # The same names, the last a total row or not: the province, or the city.
    names, levels = ["Ý Yên", "Nam Trực", "Nam Định"], ["district"] * 3
    as_total = place_rows(names, levels, [False, False, True], enclosing=None, year=2023)
    as_row = place_rows(names, levels, [False] * 3, enclosing=None, year=2023)
    assert (as_total.names[2], as_row.names[2]) == ("Tỉnh Nam Định", "Thành phố Nam Định")
    # The same name at the level of a district or of a commune.
    my_loc = [
        place_rows(["Mỹ Lộc"], [lv], [False], enclosing=None, year=2023, within="Tỉnh Nam Định")
        for lv in ("district", "commune")
    ]
    assert [p.codes for p in my_loc] == [["358"], ["13735"]]


def test_a_table_placed_before_is_not_placed_again(monkeypatch):
    places._PLACED.cache_clear()
    calls = []
    real = places._place_rows
    monkeypatch.setattr(places, "_place_rows", lambda *a: calls.append(a) or real(*a))
    first = _placed(ND_DISTRICTS[2:], 2016, within="Tỉnh Nam Định")
    again = _placed(ND_DISTRICTS[2:], 2019, within="Tỉnh Nam Định")  # the same units in force
    assert len(calls) == 1 and _fields(again) == _fields(first)
    again.names[0] = "changed"  # a copy: the next table is not placed with it
    assert _placed(ND_DISTRICTS[2:], 2017, within="Tỉnh Nam Định").names[0] == "Huyện Ý Yên"


def test_findings_are_made_for_each_table_with_its_own_cells():
    places._PLACED.cache_clear()
    names = ["Huyện Không Có", "Ý Yên", "Toàn tỉnh"]
    a = _placed(names, 2016, "Tỉnh Nam Định", ["a.xlsx!S!B4", "a.xlsx!S!B5", "a.xlsx!S!B6"])
    b = _placed(names, 2016, "Tỉnh Nam Định", ["b.xlsx!S!B4", "b.xlsx!S!B5", "b.xlsx!S!B6"])
    assert [f.source for f in a.findings] == ["a.xlsx!S!B4"]
    assert [f.source for f in b.findings] == ["b.xlsx!S!B4"]


def test_a_new_unit_s_figures_of_a_year_before_it_was_formed_are_said_once(tmp_path):
    def rows(before, year, names):
        head = two_years(before, year)
        body = [[i + 1, n, 40, 30, 40, 32] for i, n in enumerate(names)]
        return [[f"KẾT QUẢ NĂM {year} SO VỚI NĂM {before}"], *head, *body]

    new = ["Xã Hải Hậu", "Phường Nam Định", "Phường Hồng Quang"]
    merged = {"S": ["C2:D2", "E2:F2"]}
    path = write_book(tmp_path / "nb.xlsx", {"S": rows(2024, 2025, new)}, merged=merged)
    res = antq.read(path, errors="coerce", within="Tỉnh Ninh Bình")
    (f,) = [f for f in res.findings if f.rule == "area.before_start"]
    assert f.source == "nb.xlsx!S!B4"
    assert f.message_en.startswith(
        "3 units have figures for 2024, before 1/7/2025, when they were formed: Xã Hải Hậu, "
        "Phường Nam Định, Phường Hồng Quang;"
    )
    assert len(res.table) == 6  # kept as read: 3 units, 2 years
    # Units of both years (Nam Định's districts in 2023 and 2024): nothing to say.
    old = write_book(
        tmp_path / "nd.xlsx",
        {"S": rows(2023, 2024, ["Huyện Hải Hậu", "Huyện Ý Yên"])},
        merged=merged,
    )
    assert not [f for f in antq.read(old).findings if f.rule == "area.before_start"]


def test_a_new_unit_s_row_of_the_year_before_under_a_year_column_is_said(tmp_path):
    head = ["STT", "Đơn vị", "Năm", "Tổng số KDC", "KDC văn hóa"]
    rows = [["UBND TỈNH NINH BÌNH"], ["KẾT QUẢ NĂM 2025"], head]
    rows += [[1, "Xã Hải Hậu", 2024, 40, 30], [None, None, 2025, 41, 32]]
    path = write_book(tmp_path / "nb.xlsx", {"S": rows}, merged={"S": ["A4:A5", "B4:B5"]})
    res = antq.read(path, errors="coerce")
    (f,) = [f for f in res.findings if f.rule == "area.before_start"]
    assert (f.source, f.year) == ("nb.xlsx!S!B4", 2024)
    assert sorted(res.table["year"]) == [2024, 2025]


def test_a_unit_whose_code_a_new_unit_reuses_is_not_said_to_start_later(tmp_path):
    # Xã Hợp Hưng (13753, until 30/6/2025) in a 2025 report with 2024 columns: 13753 is
    # Xã Hiển Khánh's from 1/7/2025, but Hợp Hưng's 2024 is no year before its start.
    head = two_years(2024, 2025)
    rows = [["UBND HUYỆN VỤ BẢN"], ["KẾT QUẢ NĂM 2025 SO VỚI NĂM 2024"], *head]
    rows.append([1, "Xã Hợp Hưng", 40, 30, 40, 32])
    path = write_book(tmp_path / "vb.xlsx", {"S": rows}, merged={"S": ["C3:D3", "E3:F3"]})
    res = antq.read(path, errors="coerce")
    assert set(res.table["area_code"]) == {"13753"}
    assert [f.rule for f in res.findings] == ["area.ceased"]


def test_within_outside_the_province_the_letterhead_names_does_not_place_the_rows(tmp_path):
    # Huyện Thanh Miện (Hải Dương) has a Xã Hồng Quang too: given for a Nam Định sheet, it
    # contradicts the letterhead, which is believed (the name stays ambiguous there).
    rows = [["BAN CHỈ ĐẠO 138 TỈNH NAM ĐỊNH"], ["KẾT QUẢ NĂM 2024"], HEAD]
    rows.append([1, "Xã Hồng Quang", 25, 15])
    res = _read(tmp_path, rows, within="Huyện Thanh Miện")
    assert res.table["area_code"].isna().all()
    assert [f.rule for f in res.findings] == ["area.ambiguous"]


def test_within_a_district_of_a_province_that_merged_lies_in_the_new_one(tmp_path):
    # A 2025 report under the new Tỉnh Ninh Bình's letterhead, given within="Huyện Ý Yên":
    # Ý Yên (old Nam Định) lies in what Nam Định became, so it settles Xã Yên Phong (one of
    # five in the country), a commune that ceased on 30/6/2025 (said).
    rows = [["UBND TỈNH NINH BÌNH"], ["KẾT QUẢ NĂM 2025"], HEAD, [1, "Xã Yên Phong", 10, 8]]
    res = _read(tmp_path, rows, within="Huyện Ý Yên")
    assert res.table[["district", "area_code"]].values.tolist() == [["Huyện Ý Yên", "13846"]]
    assert [f.rule for f in res.findings] == ["area.ceased"]
