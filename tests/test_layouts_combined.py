"""Layouts offices send, each fixture combining several features (one feature alone is easy).

Every fixture checks the values read to their keys, and that every other number of the
sheet is skipped with the reason it has: nothing read to a wrong key, nothing lost.
"""

import pandas as pd
import pytest
from conftest import write_book

import antq


def _read(path, **kw):
    res = antq.read(path, errors="coerce", **kw)
    acc = res.accounting
    assert (acc["numbers"] == acc["read"] + acc["skipped"]).all(), acc.T
    assert (acc["unaccounted"] == 0).all(), [f.text for f in res.findings]
    return res


def _value(df, area, indicator, col="achieved", year=None):
    rows = df[(df["area"] == area) & (df["indicator"] == indicator)]
    if year is not None:
        rows = rows[rows["year"] == year]
    assert len(rows) == 1, (area, indicator, year, df[["year", "area", "indicator"]].values)
    return rows[col].iloc[0]


def _skipped(res):
    return dict(zip(res.skipped["cell"], res.skipped["reason"], strict=True))


def test_areas_across_the_top_with_hamlets_rates_as_text_and_the_commune_last(tmp_path):
    """A ward's report of its residential groups, turned on its side."""
    rows = [
        ["UBND THÀNH PHỐ NAM ĐỊNH"],
        ["UBND PHƯỜNG LỘC HẠ"],
        ["BẢNG TỔNG HỢP KẾT QUẢ NĂM 2024"],
        [],
        ["STT", "Chỉ tiêu", "Đơn vị tính", "TDP số 1", "TDP số 2", "Toàn phường"],
        [1, "Tổng số hộ", "hộ", 254, 300, 554],
        [2, "Số hộ đạt gia đình văn hóa", "hộ", 242, 280, 522],
        [3, "Tỷ lệ hộ GĐVH", "%", "95,28%", "93,33%", "94,22%"],
        [4, "TDP đạt chuẩn an toàn về ANTT", "TDP", 1, 1, 2],
        [],
        [None, "NGƯỜI LẬP BIỂU", None, None, "CHỦ TỊCH"],
    ]
    res = _read(write_book(tmp_path / "loc_ha.xlsx", {"TDP": rows}))
    df = res.table
    assert set(df["area"]) == {"Phường Lộc Hạ"} and set(df["level"]) == {"commune"}
    assert _value(df, "Phường Lộc Hạ", "cultural_family") == 522
    assert _value(df, "Phường Lộc Hạ", "cultural_family", "total") == 554
    assert _value(df, "Phường Lộc Hạ", "cultural_family", "reported_rate") == pytest.approx(0.9422)
    assert _value(df, "Phường Lộc Hạ", "safe_residential_area") == 2
    assert _value(df, "Phường Lộc Hạ", "cultural_family", "source").endswith("!F7")
    assert _value(df, "Phường Lộc Hạ", "cultural_family", "total_source").endswith("!F6")
    assert df["district"].unique().tolist() == ["Thành phố Nam Định"]  # from the letterhead
    skipped = _skipped(res)
    assert skipped["D6"] == skipped["E9"] == "below_table_levels"
    assert skipped["A6"] == "row_number"


def test_two_tables_in_a_sheet_each_with_its_header_and_column_order(tmp_path):
    rows = [
        ["BAN CHỈ ĐẠO 138 TỈNH NAM ĐỊNH"],
        ["BÁO CÁO KẾT QUẢ NĂM 2020"],
        ["I. KẾT QUẢ XÂY DỰNG KHU DÂN CƯ, GIA ĐÌNH VĂN HÓA"],
        ["STT", "Đơn vị", "Tổng số KDC", "KDC văn hóa", "Ghi chú"],
        [1, "TP. Nam Định", 182, 153, None],
        [2, "H. Hải Hậu", 342, 275, 3],
        [None, "Tổng cộng", 524, 428, None],
        [],
        ["Ghi chú: số hộ tính đến 31/12", None, 15],
        [],
        ["II. KẾT QUẢ XÂY DỰNG PHONG TRÀO AN TOÀN VỀ ANTT"],
        ["Địa bàn", "Cơ quan", None, "Khu dân cư", None],
        [None, "Số đạt", "Tổng số", "Tổng số KDC", "Số đạt"],
        ["Toàn tỉnh", 262, 271, 524, 483],
        ["Huyện Hải Hậu", 170, 176, 342, 319],
        ["Thành phố Nam Định", 92, 95, 182, 164],
        [],
        [None, "NGƯỜI LẬP BIỂU"],
    ]
    merged = ["B12:C12", "D12:E12", "A12:A13"]
    res = _read(write_book(tmp_path / "hai_bang.xlsx", {"S": rows}, merged={"S": merged}))
    df = res.table
    assert set(df["year"]) == {2020}
    assert _value(df, "Huyện Hải Hậu", "cultural_residential_area") == 275
    assert _value(df, "Huyện Hải Hậu", "safe_agency", "total") == 176
    assert _value(df, "Thành phố Nam Định", "safe_residential_area") == 164
    assert _value(df, "Thành phố Nam Định", "safe_residential_area", "total") == 182
    assert _value(df, "Tỉnh Nam Định", "safe_agency") == 262  # the total above the areas
    assert _value(df, "Tỉnh Nam Định", "cultural_residential_area") == 428
    skipped = _skipped(res)
    assert skipped["E6"] == "notes" and skipped["C9"] == "outside_table"
    assert {f.rule for f in res.findings} >= {"read.outside_table", "read.skipped_column"}


def test_one_sheet_per_district_named_only_by_the_sheet(tmp_path):
    def sheet(communes, total):
        return [
            ["BAN CHỈ ĐẠO 138 TỈNH NAM ĐỊNH"],
            ["KẾT QUẢ NĂM 2024"],
            ["TT", "Xã, thị trấn", "Tổng số KDC", "KDC văn hóa", "So với cùng kỳ"],
            *[[i, name, t, a, "+1"] for i, (name, t, a) in enumerate(communes, start=1)],
            [None, "Cộng", *total, "+2"],
        ]

    path = write_book(
        tmp_path / "cap_xa.xlsx",
        {
            "Hải Hậu": sheet([("Xã Hải Nam", 19, 18), ("TT. Yên Định", 8, 7)], (27, 25)),
            "Vụ Bản": sheet([("Xã Hiển Khánh", 10, 9)], (10, 9)),
        },
    )
    res = _read(path)
    df = res.table
    assert _value(df, "Huyện Hải Hậu", "cultural_residential_area") == 25
    assert _value(df, "Huyện Vụ Bản", "cultural_residential_area", "total") == 10
    assert _value(df, "Thị trấn Yên Định", "cultural_residential_area") == 7
    assert df.loc[df["area"] == "Xã Hiển Khánh", "district"].tolist() == ["Huyện Vụ Bản"]
    assert set(df.loc[df["area"].str.startswith("Huyện"), "level"]) == {"district"}
    assert set(res.skipped["reason"]) == {"row_number", "difference"}


def test_parts_of_the_row_above_are_not_areas(tmp_path):
    rows = [
        ["UBND HUYỆN HẢI HẬU"],
        ["KẾT QUẢ NĂM 2024"],
        ["STT", "Xã, phường", "Tổng số KDC", "KDC an toàn về ANTT"],
        [None, "Toàn huyện", 50, 47],
        [None, "- Trong đó: thị trấn", 8, 7],
        [1, "TT. Yên Định", 8, 7],
        [2, "Xã Hải Nam", 42, 40],
        [None, "+ Khu dân cư mới", 2, 2],
        [None, "I. Khối phường", 3, 3],
        [3, "Xã Phương Định", 1, 1],  # "phương" folds as "phường" does: a name, not a header
    ]
    res = _read(write_book(tmp_path / "trong_do.xlsx", {"S": rows}))
    df = res.table
    assert sorted(set(df["area"])) == [
        "Huyện Hải Hậu",
        "Thị trấn Yên Định",
        "Xã Hải Nam",
        "Xã Phương Định",
    ]
    assert _value(df, "Huyện Hải Hậu", "safe_residential_area") == 47
    skipped = _skipped(res)
    assert {skipped[c] for c in ("C5", "D5", "C8", "D8", "C9")} == {"sub_row"}
    (f,) = [f for f in res.findings if f.rule == "read.skipped_rows"]
    assert f.source.endswith("!B5") and "3" in f.message_en


def test_one_row_per_year_under_a_merged_area_with_a_difference_row(tmp_path):
    rows = [
        ["BAN CHỈ ĐẠO 138 TỈNH NAM ĐỊNH"],
        ["KẾT QUẢ NĂM 2020 SO VỚI NĂM 2019"],
        ["STT", "Đơn vị", "Năm", "KDC văn hóa", "Cơ quan an toàn ANTT", "So với cùng kỳ (%)"],
        [1, "Huyện Hải Hậu", 2019, 276, 160, None],
        [None, None, 2020, 275, 170, 106.25],
        [None, None, "Tăng/giảm", -1, 10, None],
        [2, "Huyện Mỹ Lộc", 2019, 85, 40, None],
        [None, None, 2020, 86, 44, 110.0],
        [None, None, "Tăng/giảm", 1, 4, None],
    ]
    merged = ["B4:B6", "B7:B9", "A4:A6", "A7:A9"]
    res = _read(write_book(tmp_path / "theo_nam.xlsx", {"S": rows}, merged={"S": merged}))
    df = res.table
    assert sorted(set(df["year"])) == [2019, 2020]
    assert _value(df, "Huyện Hải Hậu", "cultural_residential_area", year=2019) == 276
    assert _value(df, "Huyện Mỹ Lộc", "safe_agency", year=2020) == 44
    skipped = _skipped(res)
    assert skipped["C4"] == skipped["C5"] == "year_label"
    assert skipped["D6"] == skipped["E9"] == "difference" and skipped["F5"] == "difference"


def test_years_as_column_groups_on_a_sheet_per_indicator_named_in_its_title(tmp_path):
    """The layout the issue found refused: three features that each worked alone."""

    def sheet(title):
        return [
            ["BAN CHỈ ĐẠO 138 TỈNH NAM ĐỊNH"],
            [title],
            ["STT", "Đơn vị", "Năm 2019", None, "Năm 2020", None, "Tăng/giảm"],
            [None, None, "Tổng số", "Đạt", "Tổng số", "Đạt", None],
            [1, "TP. Nam Định", 66, 54, 66, 55, "+1"],
            [2, "H. Hải Hậu", 107, 91, 107, 92, "+1"],
            [None, "Tổng cộng", 173, 145, 173, 147, "+2"],
        ]

    merged = ["C3:D3", "E3:F3", "A3:A4", "B3:B4", "G3:G4"]
    path = write_book(
        tmp_path / "tung_chi_tieu.xlsx",
        {
            "Biểu 1": sheet("KẾT QUẢ XÂY DỰNG NHÀ TRƯỜNG ĐẠT CHUẨN AN TOÀN VỀ ANTT NĂM 2020"),
            "Biểu 2": sheet("KẾT QUẢ XÂY DỰNG CƠ QUAN AN TOÀN VỀ AN NINH, TRẬT TỰ NĂM 2020"),
        },
        merged={"Biểu 1": merged, "Biểu 2": merged},
    )
    res = _read(path)
    df = res.table
    assert set(df["indicator"]) == {"safe_school", "safe_agency"}
    assert _value(df, "Huyện Hải Hậu", "safe_school", year=2019) == 91
    assert _value(df, "Huyện Hải Hậu", "safe_agency", "total", year=2020) == 107
    assert set(res.skipped["reason"]) == {"row_number", "difference"}


def test_a_communes_report_of_its_hamlets_gives_the_commune(tmp_path):
    rows = [
        ["UBND HUYỆN HẢI HẬU"],
        ["UBND XÃ HẢI MINH"],
        ["KẾT QUẢ XÂY DỰNG KHU DÂN CƯ VĂN HÓA NĂM 2020"],
        ["TT", "Thôn, xóm", "Tổng số hộ", "Số hộ đạt GĐVH", "Khu dân cư văn hóa"],
        [1, 2, 3, 4, 5],
        [1, "Xóm 1", 327, 296, 1],
        [2, "Xóm Đông", 440, 402, 0],
        [3, "Tổ dân phố số 3", 100, 90, 1],
        [None, "Cộng toàn xã", 867, 788, 2],
    ]
    res = _read(write_book(tmp_path / "thon.xlsx", {"S": rows}))
    df = res.table
    assert set(df["area"]) == {"Xã Hải Minh"} and set(df["level"]) == {"commune"}
    assert _value(df, "Xã Hải Minh", "cultural_family") == 788
    assert df["district"].unique().tolist() == ["Huyện Hải Hậu"]
    skipped = _skipped(res)
    assert skipped["C6"] == skipped["E8"] == "below_table_levels"
    assert skipped["C5"] == "column_number"


def test_numbers_typed_in_the_english_locale(tmp_path):
    rows = [
        ["KẾT QUẢ NĂM 2021"],
        ["Đơn vị", "Tổng số hộ", "Số hộ GĐVH", "Tỷ lệ (%)"],
        ["Toàn tỉnh", "63,628", "60,002", "94.30%"],
        ["Hải Hậu", "1,234,567", "1,000,000", "81.00%"],
    ]
    res = _read(write_book(tmp_path / "en.xlsx", {"S": rows}))
    df = res.table
    assert _value(df, "Toàn tỉnh", "cultural_family", "total") == 63628
    assert _value(df, "Huyện Hải Hậu", "cultural_family") == 1000000
    assert _value(df, "Toàn tỉnh", "cultural_family", "reported_rate") == pytest.approx(0.943)
    (f,) = [f for f in res.findings if f.rule == "read.other_locale"]
    assert f.severity == "info" and f.message_en.startswith("6 numbers")
    assert "60,002" in f.message_en


def test_an_ambiguous_number_among_vietnamese_numbers_is_an_error_naming_its_cell(tmp_path):
    rows = [
        ["KẾT QUẢ NĂM 2021"],
        ["Đơn vị", "Tổng số hộ", "Số hộ GĐVH", "Tỷ lệ (%)"],
        ["Mỹ Lộc", "4.770", "4.415", "92,56%"],
        ["Hải Hậu", "4.840", "2,345", "48,45%"],
    ]
    path = write_book(tmp_path / "vi.xlsx", {"S": rows})
    with pytest.raises(antq.CellValueError, match=r"vi.xlsx!S!C4.*'2,345'"):
        antq.load(path)
    res = _read(path)
    (f,) = [f for f in res.findings if f.rule == "read.ambiguous_number"]
    assert f.severity == "error" and f.source == "vi.xlsx!S!C4" and "2.345" in f.message
    assert pd.isna(_value(res.table, "Huyện Hải Hậu", "cultural_family"))
    assert _skipped(res)["C4"] == "error"


@pytest.mark.parametrize(
    "encoding, sep",
    [("utf-8-sig", ";"), ("utf-16", "\t"), ("cp1258", ","), ("utf-8", ",")],
)
def test_csv_saved_from_excel(tmp_path, encoding, sep):
    lines = [
        ["BÁO CÁO KẾT QUẢ NĂM 2024"],
        ["STT", "Đơn vị", "Tổng số hộ", "Số hộ GĐVH", "Tỷ lệ (%)"],
        ["1", "Xã Hải Nam", "1.234", "1.100", "89,14"],
        ["", "Toàn huyện", "1.234", "1.100", "89,14"],
    ]

    def cell(v):
        return f'"{v}"' if sep in v else v

    text = "\r\n".join(sep.join(cell(v) for v in row) for row in lines) + "\r\n"
    path = tmp_path / "bc_hai_hau_2024.csv"
    path.write_bytes(_cp1258(text) if encoding == "cp1258" else text.encode(encoding))
    res = _read(path, within="Huyện Hải Hậu")
    df = res.table
    assert _value(df, "Xã Hải Nam", "cultural_family") == 1100
    assert _value(df, "Huyện Hải Hậu", "cultural_family", "reported_rate") == pytest.approx(0.8914)
    assert df["source"].iloc[0].startswith("bc_hai_hau_2024.csv!bc_hai_hau_2024!")


def _cp1258(text):
    """Text as Windows-1258 stores it: letters with a hat, a breve or a horn whole, tone marks
    as separate characters after them."""
    import unicodedata

    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = []
    for ch in unicodedata.normalize("NFC", text):
        try:
            out.append(ch.encode("cp1258"))
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        out.append((base + "".join(c for c in parts if c in tones)).encode("cp1258"))
    return b"".join(out)


def test_a_folder_says_which_files_it_did_not_read(tmp_path, standard_book):
    (tmp_path / "cong_van.doc").write_bytes(b"\xd0\xcf\x11\xe0 not a workbook")
    (tmp_path / "bao_cao.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "~$standard_2019.xlsx").write_bytes(b"lock")
    (tmp_path / "hong.csv").write_bytes(b"\x00\x01\x02\x03 binary")
    res = antq.read(tmp_path, errors="coerce")
    skipped = {f.source for f in res.findings if f.rule == "read.skipped_file"}
    assert skipped == {"cong_van.doc", "bao_cao.pdf", "~$standard_2019.xlsx"}
    assert "hong.csv" in res.failed and "not a text file" in res.failed["hong.csv"]
    assert len(res.table)


def test_hostile_values_are_errors_naming_their_cells(tmp_path):
    import datetime

    rows = [
        ["KẾT QUẢ NĂM 2022"],
        ["Đơn vị", "Tổng số hộ", "Số hộ GĐVH", "Tỷ lệ (%)", "Cơ quan an toàn ANTT"],
        ["Hải Hậu", "99999999999999999999", 1e20, "inf", datetime.date(2022, 3, 12)],
        ["Mỹ Lộc", "x" * 5000, 12.5, -1e300, "=1/0"],
        ["x" * 5000, 1, 2, 3, 4],
    ]
    path = write_book(tmp_path / "hostile.xlsx", {"S": rows})
    with pytest.raises(antq.CellValueError) as err:
        antq.load(path)
    assert "hostile.xlsx!S!" in str(err.value) and len(str(err.value)) < 600
    res = antq.read(path, errors="coerce")
    bad = {f.source.rsplit("!", 1)[1] for f in res.findings if f.severity == "error"}
    assert {"B3", "C3", "D3", "E3", "B4", "C4", "D4"} <= bad
    assert all(len(f.message) < 600 for f in res.findings)
    # A paragraph where the area's name belongs is no area (it was read as an area named "").
    assert set(res.table["area"]) == {"Huyện Hải Hậu", "Huyện Mỹ Lộc"}
    (f,) = [f for f in res.findings if f.rule == "read.no_area"]
    assert f.source == "hostile.xlsx!S!A5" and f.severity == "warning"
    assert _skipped(res)["B5"] == "no_area"


def test_hostile_text_in_a_csv_with_a_year_column_names_each_cell(tmp_path):
    """A CSV (no cell types: everything is text) with a "Năm" column, row numbers, hostile
    numbers in every role and 5.000-character text as a name and as a year."""
    long = "x" * 5000
    lines = [
        "BÁO CÁO KẾT QUẢ NĂM 2024",
        "STT;Đơn vị;Năm;Tổng số hộ;Số hộ GĐVH;Tỷ lệ (%)",
        "1;Xã Hải Nam;2024;99999999999999999999;90;NaN",
        "2;Xã Hải Minh;2024;200;-inf;75",
        f"3;Xã Hải Nam;{long};100;90;90",
        f"4;{long};2024;100;90;90",
        "5;Xã Hải Minh;99999999999999999999;1e400;nan;1e20",
        "6;Toàn huyện;2024;300;180;60",
    ]
    path = tmp_path / "hh_2024.csv"
    path.write_text("\r\n".join(lines), encoding="utf-8-sig")
    with pytest.raises(antq.CellValueError, match=r"^hh_2024.csv!hh_2024!E4: found '-inf'"):
        antq.load(path, within="Huyện Hải Hậu")
    res = _read(path, within="Huyện Hải Hậu")
    errors = {f.source.rsplit("!", 1)[1] for f in res.findings if f.severity == "error"}
    assert errors == {"D3", "F3", "E4", "C5", "C7"}  # row 7: its year cell, not its numbers
    assert all(len(f.message) < 600 for f in res.findings)
    assert [f.source for f in res.findings if f.rule == "read.no_area"] == [
        "hh_2024.csv!hh_2024!B6"
    ]
    # The text where the name belongs, quoted short: 80 characters and an ellipsis.
    (no_area,) = [f for f in res.findings if f.rule == "read.no_area"]
    assert no_area.found == "x" * 80 + "…"
    df = res.table
    assert sorted(df["source"].str.rsplit("!", n=1).str[1]) == ["E3", "E4", "E8"]
    assert _value(df, "Xã Hải Nam", "cultural_family") == 90
    assert pd.isna(_value(df, "Xã Hải Nam", "cultural_family", "total"))
    assert _value(df, "Huyện Hải Hậu", "cultural_family", "total") == 300
    skipped = _skipped(res)
    assert {skipped[c] for c in ("D5", "E5", "F5", "C7")} == {"error"}
    assert {skipped[c] for c in ("D6", "E6", "F6")} == {"no_area"}


def test_a_sheet_without_a_table_says_what_it_found(tmp_path):
    rows = [
        ["KẾT QUẢ XÂY DỰNG CƠ QUAN AN TOÀN VỀ ANTT NĂM 2020"],
        [],
        ["Đơn vị", "Kinh phí (triệu đồng)", "Số buổi tuyên truyền"],
        ["Hải Hậu", 15, 3],
    ]
    path = write_book(tmp_path / "kinh_phi.xlsx", {"Kinh phí": rows})
    with pytest.raises(antq.NoTableError) as err:
        antq.load(path)
    message = str(err.value)
    assert "sheet 'Kinh phí': row 3 has 'Đơn vị' (A3)" in message
    assert "'Kinh phí (triệu đồng)'" in message and "an toàn về ANTT" in message
    assert "dòng 3" in err.value.vi


def test_a_workbook_of_sheets_without_tables_says_what_each_holds(tmp_path):
    """Each sheet's refusal in its own terms: the headings it has instead of an area column,
    the area column it has without an indicator column, the note that is all it holds."""
    path = write_book(
        tmp_path / "khong_bang.xlsx",
        {
            "Kinh phí": [
                ["DỰ TOÁN KINH PHÍ NĂM 2020"],
                ["Nội dung", "Số tiền (đồng)"],
                ["Hội nghị", 15_000_000],
            ],
            "Mô hình": [
                ["DANH SÁCH MÔ HÌNH TỰ QUẢN, TỔ AN TOÀN VỀ ANTT NĂM 2020"],
                ["STT", "Tên mô hình", "Địa bàn", "Số thành viên"],
                [1, "Tổ tự quản", "Hải Hậu", 12],
            ],
            "Ghi chú": [["Ghi chú: số liệu tính đến 31/12/2020"]],
        },
    )
    with pytest.raises(antq.NoTableError) as err:
        antq.load(path)
    message = str(err.value)
    assert "sheet 'Kinh phí': row 2 is headed 'Nội dung', 'Số tiền (đồng)'" in message
    assert "sheet 'Mô hình': row 2 has 'Địa bàn' (C2) but no column names an indicator" in message
    assert "'Số thành viên'" in message and "the title mentions 'an toàn về ANTT'" in message
    assert "sheet 'Ghi chú': its only heading is 'Ghi chú: số liệu tính đến 31/12/2020' (A1)" in (
        message
    )
    assert "dòng 2 ghi 'Nội dung'" in err.value.vi
    res = antq.read(path, errors="coerce")
    assert res.table.empty and set(res.accounting["status"]) == {"no_table"}
    assert set(res.skipped["reason"]) == {"outside_table"}
    assert res.failed["khong_bang.xlsx"] == message  # the same words in the lenient read


def test_a_table_whose_year_appears_nowhere_quotes_its_title(tmp_path):
    rows = [
        ["UBND HUYỆN HẢI HẬU"],
        ["KẾT QUẢ XÂY DỰNG KHU DÂN CƯ VĂN HÓA"],
        ["Đơn vị", "KDC văn hóa"],
        ["Xã Hải Nam", 5],
    ]
    path = write_book(tmp_path / "bao_cao.xlsx", {"Biểu 1": rows})
    with pytest.raises(antq.AntqError) as err:
        antq.load(path)
    message = str(err.value)
    assert message.startswith("bao_cao.xlsx!Biểu 1: no year found: the title")
    assert "KẾT QUẢ XÂY DỰNG KHU DÂN CƯ VĂN HÓA'" in message and "'Biểu 1'" in message
    assert antq.load(path, year=2020)["year"].tolist() == [2020]


def test_tables_side_by_side_each_read_with_its_own_areas(tmp_path):
    rows = [
        ["KẾT QUẢ NĂM 2020"],
        ["STT", "Đơn vị", "KDC văn hóa", None, "STT", "Đơn vị", "Cơ quan an toàn ANTT"],
        [1, "Huyện Hải Hậu", 275, None, 1, "Huyện Mỹ Lộc", 44],
        [2, "Huyện Mỹ Lộc", 86, None, 2, "Huyện Hải Hậu", 170],
    ]
    res = _read(write_book(tmp_path / "canh_nhau.xlsx", {"S": rows}))
    df = res.table
    assert _value(df, "Huyện Hải Hậu", "safe_agency") == 170  # its own area, not the left's
    assert _value(df, "Huyện Mỹ Lộc", "cultural_residential_area") == 86
    assert set(res.skipped["reason"]) == {"row_number"}


def test_a_rate_column_mostly_fractions_is_not_misread(tmp_path):
    rows = [
        ["KẾT QUẢ NĂM 2020"],
        ["Đơn vị", "Cơ quan an toàn ANTT", "Tỷ lệ (%)"],
        ["Hải Hậu", 60, 0.95],
        ["Mỹ Lộc", 40, 1],
        ["Vụ Bản", 20, 0.9],
    ]
    df = _read(write_book(tmp_path / "ty_le.xlsx", {"S": rows})).table
    assert _value(df, "Huyện Mỹ Lộc", "safe_agency", "reported_rate") == 1.0
    assert _value(df, "Huyện Vụ Bản", "safe_agency", "reported_rate") == pytest.approx(0.9)


def test_a_sheet_named_like_a_district_does_not_move_other_districts_communes(tmp_path):
    rows = [
        ["BAN CHỈ ĐẠO 138 TỈNH NAM ĐỊNH"],
        ["KẾT QUẢ NĂM 2024"],
        ["Đơn vị", "Cơ quan an toàn ANTT"],
        ["Xã Hải Nam", 3],
        ["TT. Yên Định", 12],
        ["I. Khối huyện", 15],
    ]
    res = _read(write_book(tmp_path / "tinh.xlsx", {"Nam Định": rows}))
    df = res.table
    assert set(df.loc[df["level"] == "commune", "district"]) == {"Huyện Hải Hậu"}
    assert _skipped(res)["B6"] == "sub_row"


def test_keys_of_many_distinct_values_never_collide():
    """Codes of the key columns multiplied would pass int64: two keys must still differ."""
    from antq.reading.duplicates import _key_codes

    n = 70_000
    df = pd.DataFrame(
        {
            "year": range(n),
            "province": [f"p{i}" for i in range(n)],
            "district": [f"d{i}" for i in range(n)],
            "area": [f"a{i}" for i in range(n)],
            "level": ["commune"] * n,
            "indicator": [f"i{i % 7}" for i in range(n)],
        }
    )
    assert len(set(_key_codes(df))) == n


def test_year_rows_as_text_with_comparisons_parts_of_columns_and_a_named_total(tmp_path):
    """A district's communes by year on a sheet named for the district: "Năm 2019" as text in
    the year column under areas merged over their rows, a "So với năm 2019" row (a difference,
    though it names a year), "X. Hải Nam" for the commune, a bare name taking the level below
    the sheet's district, a "Trong đó: số hộ đạt GĐVH" column that is data beside a
    "Trong đó: KDC mới" column that is a part of another, a "Cộng các xã điểm" category row
    and a total naming its district."""
    rows = [
        ["BAN CHỈ ĐẠO 138 TỈNH NAM ĐỊNH"],
        ["KẾT QUẢ NĂM 2020 SO VỚI NĂM 2019"],
        [
            "STT",
            "Đơn vị",
            "Năm",
            "Tổng số hộ",
            "Trong đó: số hộ đạt GĐVH",
            "Tổng số KDC",
            "Trong đó: KDC mới thành lập",
            "KDC văn hóa",
        ],
        [1, "X. Hải Nam", "Năm 2019", 100, 90, 10, 1, 8],
        [None, None, "Năm 2020", 102, 93, 10, 0, 9],
        [None, None, "So với năm 2019", 2, 3, 0, -1, 1],
        [2, "Hải Minh", "Năm 2019", 200, 150, 12, 2, 9],
        [None, None, "Năm 2020", 204, 160, 12, 0, 10],
        [None, None, "So với năm 2019", 4, 10, 0, -2, 1],
        [None, "Cộng các xã điểm", "Năm 2020", 306, 253, 22, 0, 19],
        [None, "Cộng huyện Hải Hậu", "Năm 2020", 306, 253, 22, 0, 19],
    ]
    merged = ["B4:B6", "B7:B9", "A4:A6", "A7:A9"]
    path = write_book(tmp_path / "nam_chu.xlsx", {"Hải Hậu": rows}, merged={"Hải Hậu": merged})
    res = _read(path)
    df = res.table
    assert _value(df, "Xã Hải Nam", "cultural_family", year=2019) == 90
    assert _value(df, "Xã Hải Nam", "cultural_family", "total", year=2020) == 102
    assert _value(df, "Xã Hải Nam", "cultural_residential_area", year=2020) == 9
    assert _value(df, "Huyện Hải Hậu", "cultural_family", year=2020) == 253
    assert _value(df, "Huyện Hải Hậu", "cultural_family", "source", year=2020).endswith("!E11")
    minh = df[df["source"].str.endswith(("!E7", "!E8", "!H7", "!H8"))]
    assert len(minh) == 4 and set(minh["area"]) == {"Xã Hải Minh"}  # in the sheet's district
    assert set(minh["level"]) == {"commune"}
    assert set(minh["district"]) == {"Huyện Hải Hậu"}
    assert sorted(minh["year"]) == [2019, 2019, 2020, 2020]
    assert set(df["year"]) == {2019, 2020} and len(df) == 10  # no row of the comparisons
    skipped = _skipped(res)
    assert {skipped[f"{c}{r}"] for c in "DEFGH" for r in (6, 9)} == {"difference"}
    assert {skipped[f"{c}10"] for c in "DEFGH"} == {"sub_row"}
    assert {skipped[f"G{r}"] for r in (4, 5, 7, 8, 11)} == {"sub_row"}
    said = {f.source: f.message_en for f in res.findings if f.rule == "read.skipped_rows"}
    assert "'So với năm 2019'" in said["nam_chu.xlsx!Hải Hậu!B6"]  # what the row says it is
    assert "'Cộng các xã điểm'" in said["nam_chu.xlsx!Hải Hậu!B10"]


def test_a_csv_on_its_side_in_the_english_locale_with_a_part_row_and_a_difference_column(
    tmp_path,
):
    """A province's table turned on its side (districts across, 'Toàn tỉnh' first), saved as
    CSV on an English-locale machine: counts '63,628' and rates '94.30%', a '- Trong đó: KDC
    mới' indicator row, a 'Tăng/giảm' column, the report's date under the title."""
    lines = [
        ["BAN CHỈ ĐẠO 138 TỈNH NAM ĐỊNH"],
        ["KẾT QUẢ PHONG TRÀO TOÀN DÂN BẢO VỆ AN NINH TỔ QUỐC NĂM 2022"],
        ["(Kèm theo Báo cáo số 12/BC-BCĐ ngày 05/01/2023)"],
        [],
        ["STT", "Chỉ tiêu", "Toàn tỉnh", "Huyện Hải Hậu", "Huyện Mỹ Lộc", "Tăng/giảm so với 2021"],
        ["1", "Tổng số hộ", "63,628", "41,000", "22,628", "+1,200"],
        ["2", "Số hộ đạt gia đình văn hóa", "60,002", "38,500", "21,502", "+900"],
        ["3", "Tỷ lệ hộ GĐVH", "94.30%", "93.90%", "95.02%", "+0.5%"],
        ["4", "Tổng số khu dân cư", "524", "342", "182", "0"],
        ["", "- Trong đó: KDC mới thành lập", "3", "2", "1", "+3"],
        ["5", "KDC đạt chuẩn an toàn về ANTT", "483", "319", "164", "+10"],
        [],
        ["", "NGƯỜI LẬP BIỂU", "", "", "TRƯỞNG BAN"],
    ]
    text = "\r\n".join(",".join(f'"{v}"' if "," in v else v for v in row) for row in lines)
    path = tmp_path / "bc_tinh_2022.csv"
    path.write_bytes(text.encode("utf-8-sig"))
    res = _read(path)
    df = res.table
    assert set(df["year"]) == {2022}  # the title's, not the report's date
    assert _value(df, "Tỉnh Nam Định", "cultural_family", "total") == 63628
    assert _value(df, "Huyện Hải Hậu", "cultural_family") == 38500
    assert _value(df, "Huyện Mỹ Lộc", "cultural_family", "reported_rate") == pytest.approx(0.9502)
    assert _value(df, "Huyện Mỹ Lộc", "safe_residential_area") == 164
    assert _value(df, "Huyện Mỹ Lộc", "safe_residential_area", "total") == 182
    assert _value(df, "Huyện Mỹ Lộc", "safe_residential_area", "source").endswith("!E11")
    assert set(df["level"]) == {"province", "district"} and len(df) == 6
    skipped = _skipped(res)
    assert {skipped[c] for c in ("C10", "D10", "E10")} == {"sub_row"}
    assert {skipped[f"F{r}"] for r in range(6, 12)} == {"difference"}
    (f,) = [f for f in res.findings if f.rule == "read.other_locale"]
    assert "'60,002'" in f.message_en and "60.002" in f.message_en


def test_a_sheet_per_district_each_with_two_tables_totals_above_and_notes(tmp_path):
    """Two districts' sheets (one with a letterhead, one named only by its sheet), each with a
    table of residential areas (column numbers, a difference and a notes column, 'Cộng'
    below) and, after a note, a table of agencies in another column order with the district's
    total above its communes, a '- Trong đó: thị trấn' row and its communes in reverse order;
    and a hidden scratch sheet."""

    def district(letterhead, communes, town):
        tot = [sum(c[i] for c in communes) for i in range(1, 6)]
        head = [[letterhead]] if letterhead else []
        return [
            *head,
            ["BÁO CÁO KẾT QUẢ NĂM 2023"],
            ["Biểu 1. KẾT QUẢ XÂY DỰNG KHU DÂN CƯ"],
            [
                "STT",
                "Xã, thị trấn",
                "Tổng số KDC",
                "KDC văn hóa",
                "KDC an toàn về ANTT",
                "Tăng (+), giảm (-)",
                "Ghi chú",
            ],
            [1, 2, 3, 4, 5, 6, 7],
            *[
                [i, c[0], c[1], c[2], c[3], "+1", 15 if i == 1 else None]
                for i, c in enumerate(communes, 1)
            ],
            [None, "Cộng", tot[0], tot[1], tot[2], "+3", None],
            [],
            ["Ghi chú: số liệu tính đến ngày 15/12/2023"],
            [],
            ["Biểu 2. KẾT QUẢ XÂY DỰNG CƠ QUAN AN TOÀN VỀ ANTT"],
            ["Đơn vị", "Cơ quan, doanh nghiệp", None, "So với cùng kỳ"],
            [None, "Số đạt", "Tổng số", None],
            ["Toàn huyện", tot[4], tot[3], "+2"],
            ["- Trong đó: thị trấn", town[1], town[0], None],
            *[[c[0], c[5], c[4], None] for c in reversed(communes)],
        ]

    hai_hau = [("Xã Hải Nam", 19, 18, 17, 6, 5), ("TT. Yên Định", 8, 7, 8, 20, 18)]
    vu_ban = [("TT. Gôi", 10, 9, 9, 4, 4), ("Xã Hiển Khánh", 11, 10, 11, 3, 2)]
    path = write_book(
        tmp_path / "bc_2023_hai_huyen.xlsx",
        {
            "Hải Hậu": district("UBND HUYỆN HẢI HẬU", hai_hau, (20, 18)),
            "Vụ Bản": district(None, vu_ban, (4, 4)),
            "Data": [["Đơn vị", "KDC văn hóa"], ["Xã Hải Nam", 99]],
        },
        hidden=["Data"],
    )
    res = _read(path)
    df = res.table
    assert _value(df, "Huyện Hải Hậu", "cultural_residential_area") == 25
    assert _value(df, "Huyện Hải Hậu", "safe_agency") == 23  # the total above its communes
    assert _value(df, "Huyện Hải Hậu", "safe_agency", "total") == 26
    assert _value(df, "Thị trấn Yên Định", "safe_agency") == 18  # not the 'Trong đó' row's
    assert _value(df, "Thị trấn Yên Định", "safe_agency", "source").endswith("Hải Hậu!B17")
    assert _value(df, "Xã Hải Nam", "safe_residential_area") == 17  # not the hidden 99
    assert _value(df, "Huyện Vụ Bản", "safe_residential_area", "total") == 21
    assert _value(df, "Xã Hiển Khánh", "safe_agency", "total") == 3
    communes = df[df["level"] == "commune"]
    assert dict(zip(communes["area"], communes["district"], strict=False)) == {
        "Xã Hải Nam": "Huyện Hải Hậu",
        "Thị trấn Yên Định": "Huyện Hải Hậu",
        "Thị trấn Gôi": "Huyện Vụ Bản",
        "Xã Hiển Khánh": "Huyện Vụ Bản",
    }
    assert len(df) == 2 * 9  # per sheet: three rows of two residential indicators, agencies
    acc = res.accounting.set_index("sheet")
    assert acc.loc["Data", "status"] == "hidden" and acc.loc["Data", "hidden_sheet"] == 1
    assert acc.loc["Hải Hậu", "column_number"] == acc.loc["Vụ Bản", "column_number"] == 7
    skipped = res.skipped.set_index(["sheet", "cell"])["reason"]
    assert skipped[("Hải Hậu", "G6")] == "notes" and skipped[("Vụ Bản", "F7")] == "difference"
    assert skipped[("Hải Hậu", "B16")] == skipped[("Hải Hậu", "C16")] == "sub_row"
    assert skipped[("Vụ Bản", "D14")] == "difference"


def test_a_province_total_beside_one_commune_lies_in_no_district(tmp_path):
    """Found by the fuzz test: the total's level from its label ("Toàn tỉnh") and the rows'
    district from the placing of one commune; a province row in a district breaks the tidy
    contract."""
    side = [
        ["BẢNG TỔNG HỢP NĂM 2024"],
        ["STT", "Chỉ tiêu", "Đơn vị tính", "Xã Hải Nam", "Toàn tỉnh"],
        [1, "Tổng số khu dân cư", "KDC", 19, 442],
        [2, "Khu dân cư văn hóa", "KDC", 18, 361],
    ]
    res = _read(write_book(tmp_path / "mot_xa_2024.xlsx", {"Biểu": side}))
    df = antq.check_tidy(res.table[list(antq.TIDY_COLUMNS)])
    total = df[df["level"] == "province"].iloc[0]
    assert total["area"] == "Toàn tỉnh"  # no letterhead names the province: kept as written
    assert pd.isna(total["district"]) and total["province"] == "Tỉnh Nam Định"
    assert _value(df, "Xã Hải Nam", "cultural_residential_area") == 18


def test_a_csv_of_numbered_districts_with_a_shortened_rate_header_and_a_shared_name(tmp_path):
    """Two districts' communes under numbered district rows (both have a Xã Hồng Quang),
    saved as CSV with Vietnamese numbers; the rate's header shortens its count's qualifier
    ("Tỷ lệ KDC an toàn (%)" beside "KDC an toàn về ANTT")."""
    lines = [
        "BAN CHỈ ĐẠO 138 TỈNH NAM ĐỊNH,,,,",
        "KẾT QUẢ NĂM 2024,,,,",
        "STT,Đơn vị,Tổng số KDC,KDC an toàn về ANTT,Tỷ lệ KDC an toàn (%)",
        'I,HUYỆN Ý YÊN,30,28,"93,33"',
        '1,Xã Hồng Quang,10,9,"90,00"',
        '2,Xã Yên Thọ,20,19,"95,00"',
        'II,HUYỆN NAM TRỰC,12,11,"91,67"',
        '1,Xã Hồng Quang,12,11,"91,67"',
    ]
    path = tmp_path / "cum_2024.csv"
    path.write_bytes("\r\n".join(lines).encode("utf-8-sig"))
    res = _read(path)
    df = res.table
    assert not [f for f in res.findings if f.rule == "read.unrecognised_column"]
    hq = df[df["area"] == "Xã Hồng Quang"].set_index("district")
    assert hq.loc["Huyện Ý Yên", "achieved"] == 9 and hq.loc["Huyện Nam Trực", "total"] == 12
    assert hq.loc["Huyện Nam Trực", "reported_rate"] == pytest.approx(0.9167)
    assert hq.loc["Huyện Ý Yên", "rate_source"].endswith("!E5")
    assert _value(df, "Huyện Ý Yên", "safe_residential_area", "reported_rate") == pytest.approx(
        0.9333
    )
    assert set(res.skipped["reason"]) == {"row_number"}


def test_communes_across_the_top_under_their_districts_with_a_heading_and_no_row_numbers_header(
    tmp_path,
):
    """A province's table of communes on its side: districts merged over their communes (two
    communes of one name, told apart by them), a heading row over bulleted indicators, a
    column of row numbers without a header, the title merged across."""
    rows = [
        ["BAN CHỈ ĐẠO 138 TỈNH NAM ĐỊNH"],
        ["KẾT QUẢ NĂM 2024"],
        [],
        [None, "Chỉ tiêu", "Huyện Ý Yên", None, "Huyện Nam Trực", None],
        [None, None, "Xã Yên Thọ", "Xã Hồng Quang", "Xã Nam Thắng", "Xã Hồng Quang"],
        [1, "Tổng số khu dân cư", 10, 12, 14, 20],
        [2, "Đạt chuẩn an toàn về ANTT"],
        [None, "- Khu dân cư", 8, 9, 10, 15],
        [None, "- Cơ quan", 3, 4, 5, 6],
        [3, "Số hộ gia đình văn hóa", 100, 120, 140, 200],
        [],
        [None, "NGƯỜI LẬP BIỂU"],
    ]
    merged = ["A1:F1", "C4:D4", "E4:F4", "B4:B5"]
    res = _read(write_book(tmp_path / "xa_ngang.xlsx", {"S": rows}, merged={"S": merged}))
    df = res.table
    assert len(df) == 12 and set(df["level"]) == {"commune"}
    hq = df[(df["area"] == "Xã Hồng Quang") & (df["indicator"] == "safe_residential_area")]
    assert sorted(
        zip(hq["district"], hq["area_code"], hq["achieved"], hq["total"], strict=True)
    ) == [
        ("Huyện Nam Trực", "13984", 15, 20),
        ("Huyện Ý Yên", "13876", 9, 12),
    ]
    assert _value(df, "Xã Nam Thắng", "safe_agency") == 5
    assert _value(df, "Xã Yên Thọ", "cultural_family") == 100
    assert _value(df, "Xã Yên Thọ", "cultural_family", "source").endswith("!C10")
    assert set(_skipped(res).values()) == {"header"}  # A6, A7, A10: the unheaded row numbers


def test_communes_across_under_their_district_with_the_district_total_merged_down(tmp_path):
    """On its side: "Huyện Ý Yên" merged over its two communes, "Toàn huyện" merged down
    beside them: the areas are the communes' row (two names), not the district's."""
    rows = [
        ["BAN CHỈ ĐẠO 138 TỈNH NAM ĐỊNH"],
        ["KẾT QUẢ NĂM 2024"],
        ["STT", "Chỉ tiêu", "Huyện Ý Yên", None, "Toàn huyện"],
        [None, None, "Xã Yên Thọ", "Xã Hồng Quang", None],
        [1, "Tổng số khu dân cư", 10, 12, 22],
        [2, "KDC đạt chuẩn an toàn về ANTT", 8, 9, 17],
    ]
    merged = ["C3:D3", "E3:E4", "A3:A4", "B3:B4"]
    res = _read(write_book(tmp_path / "huyen_ngang.xlsx", {"S": rows}, merged={"S": merged}))
    df = res.table
    communes = df[df["level"] == "commune"]
    assert sorted(
        zip(communes["area"], communes["area_code"], communes["achieved"], strict=True)
    ) == [
        ("Xã Hồng Quang", "13876", 9),
        ("Xã Yên Thọ", "13810", 8),
    ]
    assert set(communes["district"]) == {"Huyện Ý Yên"}
    assert not [f for f in res.findings if f.rule.startswith(("area.", "duplicate."))]


def test_a_table_under_an_empty_one_is_read(tmp_path):
    """A header with no rows under it (a form left blank, closed by a note) ends on its
    header: the next table, headed on the very next row, is found and read."""
    rows = [
        ["KẾT QUẢ NĂM 2020"],
        ["Đơn vị", "KDC văn hóa"],
        ["Ghi chú: chưa có số liệu"],
        ["Đơn vị", "Cơ quan an toàn ANTT"],
        ["Huyện Hải Hậu", 60],
        ["Huyện Mỹ Lộc", 40],
    ]
    res = _read(write_book(tmp_path / "r_2020.xlsx", {"S": rows}))
    assert res.table["source"].tolist() == ["r_2020.xlsx!S!B5", "r_2020.xlsx!S!B6"]
    assert set(res.table["indicator"]) == {"safe_agency"} and not res.findings


def test_a_csv_row_shorter_than_the_header_keeps_its_numbers(tmp_path):
    """A CSV row may stop early ("Huyện Hải Hậu;30", no achieved count): its total is still a
    number of the row, and the district a row of the table, not a heading over its communes."""
    path = tmp_path / "bc_2024.csv"
    path.write_text(
        "KẾT QUẢ NĂM 2024\n"
        "Đơn vị;Tổng số KDC;KDC văn hóa\n"
        "Huyện Hải Hậu;30\n"
        "Xã Hải Minh;10;8\n"
        "Xã Hải Anh;12;9\n",
        encoding="utf-8-sig",
    )
    df = _read(path).table
    assert df["area"].tolist() == ["Huyện Hải Hậu", "Xã Hải Minh", "Xã Hải Anh"]
    assert df["total"].tolist() == [30, 10, 12]


def test_a_table_beside_headed_a_row_lower_starts_at_its_own_header():
    from antq.reading.cells import Sheet
    from antq.reading.layout import find_layouts

    # The left table's header is two rows (a group over its columns); the right one's is
    # its second row only.
    rows = [
        ["KẾT QUẢ NĂM 2020"],
        ["Đơn vị", "Khu dân cư văn hóa", None, None, None],
        [None, "Tổng số KDC", "KDC văn hóa", "Đơn vị", "Cơ quan an toàn ANTT"],
        ["Huyện Hải Hậu", 10, 7, "Huyện Mỹ Lộc", 44],
        ["Huyện Mỹ Lộc", 9, 6, "Huyện Hải Hậu", 170],
    ]
    values = {(r, c): v for r, row in enumerate(rows, 1) for c, v in enumerate(row, 1) if v}
    left, right = find_layouts(
        Sheet.from_values("f.xlsx", "S", values, [(2, 1, 3, 1), (2, 2, 2, 3)])
    )
    assert left.region() == (2, 1, 5, 3)
    assert (right.header_top, right.area_col, right.region()) == (3, 4, (3, 4, 5, 5))
    assert [(c.col, c.indicator) for c in right.columns] == [(5, "safe_agency")]


def test_a_rate_under_a_unit_group_is_the_rate_of_the_count_on_its_left(tmp_path):
    """ "Khu dân cư › Tỷ lệ (%)" between "KDC văn hóa" and "KDC an toàn về ANTT", under a title
    saying "an toàn về ANTT": the rate of the cultural areas, not of the safe ones."""
    rows = [
        ["UBND HUYỆN GIAO THỦY"],
        ["KẾT QUẢ XÂY DỰNG KHU DÂN CƯ VĂN HÓA VÀ KHU DÂN CƯ AN TOÀN VỀ ANTT NĂM 2018"],
        ["STT", "Đơn vị", "Khu dân cư", None, None, None],
        [None, None, "Tổng số KDC", "KDC văn hóa", "Tỷ lệ (%)", "KDC an toàn về ANTT"],
        [1, "Xã Giao Hương", 14, 14, 100, 13],
        [2, "Xã Giao Thiện", 13, 11, 84.62, 12],
        [None, "Toàn huyện", 27, 25, 92.59, 25],
    ]
    res = _read(write_book(tmp_path / "gt.xlsx", {"S": rows}, merged={"S": ["C3:F3"]}))
    df = res.table
    assert _value(df, "Xã Giao Thiện", "cultural_residential_area", "reported_rate") == (
        pytest.approx(0.8462)
    )
    assert _value(df, "Xã Giao Thiện", "cultural_residential_area", "rate_source").endswith("!E6")
    assert pd.isna(_value(df, "Xã Giao Thiện", "safe_residential_area", "reported_rate"))
    assert _value(df, "Xã Giao Thiện", "safe_residential_area") == 12


def test_a_table_on_its_side_in_roman_sections_each_with_its_own_total_of_areas(tmp_path):
    """Indicators down the side in sections "I. …", "II. …" (rows without numbers naming the
    indicator), each with its own "Tổng số khu dân cư": the heading rows take no key, the
    achieved rows under them are read, each total serves the indicator of its section."""
    rows = [
        ["UBND HUYỆN TRỰC NINH"],
        ["KẾT QUẢ PHONG TRÀO TOÀN DÂN BẢO VỆ AN NINH TỔ QUỐC NĂM 2021"],
        ["TT", "Chỉ tiêu", "Toàn huyện", "Thị trấn Cổ Lễ", "Xã Liêm Hải"],
        ["I", "Xây dựng khu dân cư văn hóa"],
        ["1", "Tổng số khu dân cư", 30, 14, 16],
        [None, "KDC văn hóa", 27, 12, 15],
        [None, "Tỷ lệ (%)", 90, 85.71, 93.75],
        ["II", "Xây dựng khu dân cư, cơ quan an toàn về ANTT"],
        ["1", "Tổng số khu dân cư", 31, 14, 17],
        [None, "KDC đạt chuẩn an toàn về ANTT", 29, 13, 16],
        ["2", "Tổng số cơ quan", 20, 9, 11],
        [None, "Cơ quan đạt chuẩn an toàn về ANTT", 19, 8, 11],
    ]
    res = _read(write_book(tmp_path / "tn.xlsx", {"2021": rows}))
    df = res.table
    assert _value(df, "Xã Liêm Hải", "cultural_residential_area") == 15
    assert _value(df, "Xã Liêm Hải", "cultural_residential_area", "source").endswith("!E6")
    assert _value(df, "Xã Liêm Hải", "cultural_residential_area", "total") == 16
    assert _value(df, "Xã Liêm Hải", "safe_residential_area") == 16
    assert _value(df, "Xã Liêm Hải", "safe_residential_area", "total") == 17
    assert _value(df, "Xã Liêm Hải", "safe_residential_area", "total_source").endswith("!E9")
    assert _value(df, "Huyện Trực Ninh", "safe_agency", "total") == 20
    assert "unused_total" not in set(res.skipped["reason"])


def test_a_column_headed_by_a_unit_alone_beside_the_named_count_is_its_total(tmp_path):
    """A commune's report of its hamlets, the commune first, under a title saying "an toàn về
    ANTT": "Khu dân cư" alone counts the areas (the total), "KDC đạt chuẩn an toàn về ANTT"
    the safe ones; the first is not the safe count, the second no duplicate."""
    rows = [
        ["UBND XÃ HẢI ANH"],
        ["KẾT QUẢ XÂY DỰNG GIA ĐÌNH VĂN HÓA, KHU DÂN CƯ AN TOÀN VỀ ANTT NĂM 2023"],
        [
            "STT",
            "Thôn, xóm",
            "Tổng số hộ",
            "Số hộ đạt GĐVH",
            "Khu dân cư",
            "KDC đạt chuẩn an toàn về ANTT",
        ],
        [None, "Toàn xã", 560, 520, 2, 1],
        [1, "Xóm 1", 300, 280, 1, 1],
        [2, "Xóm 2", 260, 240, 1, 0],
    ]
    res = _read(write_book(tmp_path / "ha.xlsx", {"Sheet1": rows}))
    df = res.table
    assert _value(df, "Xã Hải Anh", "safe_residential_area") == 1
    assert _value(df, "Xã Hải Anh", "safe_residential_area", "source").endswith("!F4")
    assert _value(df, "Xã Hải Anh", "safe_residential_area", "total") == 2
    assert _value(df, "Xã Hải Anh", "cultural_family") == 520
    assert not [f for f in res.findings if f.rule == "read.duplicate_column"]


def test_a_rate_right_of_a_difference_is_the_counts_when_its_numbers_say_so(tmp_path):
    """ "Số hộ GĐVH | Tăng (+), giảm (−) | Tỷ lệ (%)" with rates typed the English way: the
    rate is the count's (it equals count ÷ total); a "Tỷ lệ (%)" right of a difference that
    does not (a rate of the change) stays unread and reported."""
    head = ["TT", "Đơn vị", "Tổng số hộ", "Số hộ GĐVH", "Tăng (+), giảm (−)", "Tỷ lệ (%)"]
    rows = [
        ["UBND HUYỆN XUÂN TRƯỜNG"],
        ["KẾT QUẢ XÂY DỰNG GIA ĐÌNH VĂN HÓA VÀ KHU DÂN CƯ VĂN HÓA NĂM 2016"],
        [*head, "Tổng số KDC", "Số KDC văn hóa", "Tăng (+), giảm (−)", "Tỷ lệ (%)"],
        [1, "Xã Xuân Châu", 4816, 4349, 12, "90.30%", 20, 14, 2, "16.67%"],
        [2, "Xã Trà Lũ", 3877, 3619, -5, "93.35%", 16, 11, -1, "-8.33%"],
        [None, "Toàn huyện", 8693, 7968, 7, "91.66%", 36, 25, 1, "4.17%"],
    ]
    res = antq.read(write_book(tmp_path / "xt.xlsx", {"KQ 2016": rows}), errors="coerce")
    df = res.table
    assert _value(df, "Xã Trà Lũ", "cultural_family", "reported_rate") == pytest.approx(0.9335)
    assert _value(df, "Xã Trà Lũ", "cultural_family", "rate_source").endswith("!F5")
    assert pd.isna(_value(df, "Xã Trà Lũ", "cultural_residential_area", "reported_rate"))
    assert _skipped(res)["J5"] == "unrecognised_column"


def test_a_district_sheet_of_bare_commune_names_one_also_a_district_elsewhere(tmp_path):
    """A sheet "H.Ý Yên" of communes written without "Xã" ("Yên Bình" is also Huyện Yên Bình
    of Yên Bái), its "Cộng" first: the total is Huyện Ý Yên, not the province."""
    rows = [
        ["KẾT QUẢ NĂM 2019 - HUYỆN Ý YÊN"],
        [],
        ["STT", "Đơn vị", "Tổng số hộ", "Hộ đạt gia đình văn hóa"],
        [None, "Cộng", 9000, 8200],
        [1, "TT Lâm", 3000, 2800],
        [2, "Yên Thọ", 2500, 2300],
        [3, "Yên Bình", 3500, 3100],
    ]
    res = _read(write_book(tmp_path / "bc_2019.xlsx", {"H.Ý Yên": rows}))
    df = res.table
    assert _value(df, "Huyện Ý Yên", "cultural_family") == 8200
    assert _value(df, "Huyện Ý Yên", "cultural_family", "level") == "district"
    assert _value(df, "Xã Yên Bình", "cultural_family", "district") == "Huyện Ý Yên"
    assert "Toàn tỉnh" not in set(df["area"]) and "Tỉnh Nam Định" not in set(df["area"])


def test_trong_do_over_the_achieved_columns_of_a_total_is_data(tmp_path):
    """ "Tổng số KDC" then "Trong đó" over "KDC văn hóa", "KDC an toàn về ANTT" and "Tỷ lệ KDC
    an toàn (%)" (a rate stored as a fraction with a percent format): every column is data; a
    "Trong đó" over kinds of schools ("Mầm non", "Tiểu học") stays a part, skipped."""
    head = ["STT", "Đơn vị", "Tổng số KDC", "Trong đó", None, None, "Tổng số trường", "Trong đó"]
    sub = [None, None, None, "KDC văn hóa", "KDC an toàn về ANTT", "Tỷ lệ KDC an toàn (%)", None]
    rows = [
        ["BAN CHỈ ĐẠO 138 TỈNH NAM ĐỊNH"],
        ["KẾT QUẢ XÂY DỰNG KHU DÂN CƯ NĂM 2023"],
        head,
        [*sub, "Mầm non", "Tiểu học"],
        [1, "Huyện Vụ Bản", 108, 87, 100, 0.9259, 40, 14, 13],
        [2, "Huyện Ý Yên", 252, 249, 240, 0.9524, 70, 24, 23],
    ]
    merged = {"S": ["A3:A4", "B3:B4", "C3:C4", "D3:F3", "G3:G4", "H3:I3"]}
    formats = {"S": {"F5": "0.00%", "F6": "0.00%"}}
    res = _read(write_book(tmp_path / "td.xlsx", {"S": rows}, merged=merged, formats=formats))
    df = res.table
    assert _value(df, "Huyện Ý Yên", "cultural_residential_area") == 249
    assert _value(df, "Huyện Ý Yên", "safe_residential_area") == 240
    assert _value(df, "Huyện Ý Yên", "safe_residential_area", "total") == 252
    assert _value(df, "Huyện Ý Yên", "safe_residential_area", "reported_rate") == (
        pytest.approx(0.9524)
    )
    skipped = _skipped(res)
    assert skipped["H6"] == skipped["I6"] == "sub_row"


def test_a_total_under_one_districts_communes_no_sheet_naming_it_is_that_district(tmp_path):
    """No letterhead, no district sheet name: "Cộng toàn huyện" under Trực Ninh's communes (a
    code column left of the names, "Số đạt" before "Tổng số") is Huyện Trực Ninh, not a
    "Toàn huyện" every district's file would share in a folder."""
    rows = [
        ["KẾT QUẢ XÂY DỰNG CƠ QUAN AN TOÀN VỀ ANTT NĂM 2020"],
        ["STT", "Mã ĐV", "Tên đơn vị", "Cơ quan", None],
        [None, None, None, "Số đạt", "Tổng số"],
        [1, 14011, "Thị trấn Cổ Lễ", 12, 13],
        [2, 14014, "Xã Phương Định", 9, 9],
        [3, 14020, "Xã Trung Đông", 7, 8],
        [None, None, "Cộng toàn huyện", 28, 30],
    ]
    merged = {"Data": ["A2:A3", "B2:B3", "C2:C3", "D2:E2"]}
    res = _read(write_book(tmp_path / "tn.xlsx", {"Data": rows}, merged=merged))
    df = res.table
    assert _value(df, "Huyện Trực Ninh", "safe_agency") == 28
    assert _value(df, "Huyện Trực Ninh", "safe_agency", "total") == 30
    assert "Toàn huyện" not in set(df["area"])
    assert _skipped(res)["B4"] == "unrecognised_column"


def test_abbreviated_headers_under_merged_groups_with_areas_merged_across_two_columns(tmp_path):
    """ "KDC VH › SL / TL (%)", "Đạt chuẩn AT về ANTT › CQ / DN / NT", each area's name merged
    over two columns, "(1) (2) …" under the header."""
    rows = [
        ["UBND HUYỆN GIAO THỦY"],
        ["KẾT QUẢ PHONG TRÀO TOÀN DÂN BẢO VỆ ANTQ NĂM 2021"],
        ["TT", "Đơn vị", None, "KDC VH", None, "Đạt chuẩn AT về ANTT", None, None],
        [None, None, None, "SL", "TL (%)", "CQ", "DN", "NT"],
        ["(1)", "(2)", None, "(3)", "(4)", "(5)", "(6)", "(7)"],
        [1, "Xã Giao Hương", None, 12, 92.31, 9, 22, 4],
        [2, "Xã Giao Thiện", None, 10, 83.33, 8, 15, 3],
        [None, "Tổng cộng", None, 22, 88, 17, 37, 7],
    ]
    merged = {"GT": ["A3:A4", "B3:C4", "D3:E3", "F3:H3", "B6:C6", "B7:C7", "B8:C8"]}
    res = _read(write_book(tmp_path / "gt_2021.xlsx", {"GT": rows}, merged=merged))
    df = res.table
    assert _value(df, "Xã Giao Thiện", "cultural_residential_area") == 10
    assert _value(df, "Xã Giao Thiện", "cultural_residential_area", "reported_rate") == (
        pytest.approx(0.8333)
    )
    assert _value(df, "Xã Giao Thiện", "safe_agency") == 8
    assert _value(df, "Xã Giao Thiện", "safe_enterprise") == 15
    assert _value(df, "Huyện Giao Thủy", "safe_school") == 7
    assert not [f for f in res.findings if f.rule == "read.unrecognised_column"]


def test_area_names_with_their_header_rows_deleted_are_quoted_not_none(tmp_path):
    """The header rows deleted (as a clerk might before sending): the refusal quotes the first
    area name and its cell, not the empty cell above them ("row 4 has 'None' (B4)"), in
    Vietnamese without English words."""
    rows = [
        ["UBND HUYỆN HẢI HẬU"],
        [],
        [],
        ["KẾT QUẢ XÂY DỰNG XÃ, KHU DÂN CƯ AN TOÀN VỀ ANTT NĂM 2016"],
        [],
        [1, 2, 3, None, None, 6],
        [1, "Thị trấn Yên Định", 22, 22, 100, 13],
        [2, "Thị trấn Cồn", 16, 16, 100, 14],
    ]
    path = write_book(tmp_path / "hh.xlsx", {"Sheet1": rows})
    with pytest.raises(antq.NoTableError) as err:
        antq.load(path)
    assert "'None'" not in str(err.value) and "'None'" not in err.value.vi
    assert "area names stand from 'Thị trấn Yên Định' (B7) down" in str(err.value)
    assert "nothing" not in err.value.vi


def test_a_plan_for_next_year_beside_the_results_is_no_data_of_that_year(tmp_path):
    """ "Kết quả năm 2020" (achieved before its total) beside "Kế hoạch năm 2021": the plan's
    numbers are targets, skipped as a plan, never read as 2021 results."""
    safe = "KDC đạt chuẩn an toàn về ANTT"
    rows = [
        ["BAN CHỈ ĐẠO 138 TỈNH NAM ĐỊNH"],
        ["KẾT QUẢ XÂY DỰNG KHU DÂN CƯ AN TOÀN VỀ ANTT NĂM 2020 VÀ KẾ HOẠCH NĂM 2021"],
        ["STT", "Đơn vị", "Kết quả năm 2020", None, "Kế hoạch năm 2021", None],
        [None, None, safe, "Tổng số KDC", safe, "Tỷ lệ (%)"],
        [1, "Huyện Vụ Bản", 180, 192, 192, 100],
        [2, "Huyện Ý Yên", 150, 156, 156, 100],
    ]
    merged = {"S": ["A3:A4", "B3:B4", "C3:D3", "E3:F3"]}
    res = _read(write_book(tmp_path / "kh.xlsx", {"S": rows}, merged=merged))
    df = res.table
    assert set(df["year"]) == {2020}
    assert _value(df, "Huyện Ý Yên", "safe_residential_area") == 150
    assert _value(df, "Huyện Ý Yên", "safe_residential_area", "total") == 156
    skipped = _skipped(res)
    assert skipped["E6"] == skipped["F6"] == "plan"


def test_new_this_year_beside_the_cumulative_count_is_a_part_of_it(tmp_path):
    """ "Gia đình văn hóa › Tổng số | Công nhận mới trong năm | Lũy kế": the cumulative count is
    the indicator; this year's new ones are a part of it, skipped, not read in its place."""
    rows = [
        ["UBND HUYỆN NAM TRỰC"],
        ["KẾT QUẢ XÂY DỰNG GIA ĐÌNH VĂN HÓA NĂM 2020"],
        ["TT", "Đơn vị", "Gia đình văn hóa", None, None],
        [None, None, "Tổng số", "Công nhận mới trong năm", "Lũy kế"],
        [1, "Xã Nam Điền", 2400, 115, 2210],
        [2, "Xã Nghĩa An", 2300, 108, 2050],
        [None, "Toàn huyện", 4700, 223, 4260],
    ]
    merged = {"S": ["A3:A4", "B3:B4", "C3:E3"]}
    res = _read(write_book(tmp_path / "lk.xlsx", {"S": rows}, merged=merged))
    df = res.table
    assert _value(df, "Xã Nghĩa An", "cultural_family") == 2050
    assert _value(df, "Xã Nghĩa An", "cultural_family", "total") == 2300
    assert _value(df, "Huyện Nam Trực", "cultural_family") == 4260
    assert _skipped(res)["D6"] == "sub_row"


def test_a_rate_whose_group_qualifies_its_unit_stays_with_that_group(tmp_path):
    """ "KDC có hương ước › Số đạt | Khu dân cư an toàn về ANTT › Tỷ lệ (%) | … › Số đạt": the
    rate's own group names the safe areas; it is theirs, not the count's on its left (found
    by the property test)."""
    rows = [
        ["KẾT QUẢ NĂM 2021"],
        ["Đơn vị", "KDC có hương ước, quy ước", "Khu dân cư an toàn về ANTT", None],
        [None, "Số đạt", "Tỷ lệ (%)", "Số đạt"],
        ["TP. Nam Định", 1, 50, 1],
    ]
    merged = {"S": ["A2:A3", "C2:D2"]}
    res = _read(write_book(tmp_path / "q.xlsx", {"S": rows}, merged=merged))
    df = res.table
    assert _value(df, "Thành phố Nam Định", "safe_residential_area", "rate_source").endswith("!C4")
    assert pd.isna(
        _value(df, "Thành phố Nam Định", "residential_area_with_convention", "reported_rate")
    )


def test_year_sections_down_the_sheet_give_their_rows_year_not_the_titles(tmp_path):
    """ "I. Năm 2019" and "II. Năm 2020" heading the same districts under a 2020 title: the
    first section's rows are 2019's (read as 2020 before, the true 2020 dropped as duplicates)."""
    rows = [
        ["BAN CHỈ ĐẠO 138 TỈNH NAM ĐỊNH"],
        ["KẾT QUẢ XÂY DỰNG CƠ QUAN AN TOÀN VỀ ANTT NĂM 2020 SO VỚI NĂM 2019"],
        [],
        ["STT", "Đơn vị", "Tổng số cơ quan", "Cơ quan đạt chuẩn an toàn về ANTT"],
        ["I", "Năm 2019"],
        [1, "Huyện Vụ Bản", 100, 90],
        [2, "Huyện Ý Yên", 120, 110],
        [None, "Cộng", 220, 200],
        ["II", "Năm 2020"],
        [1, "Huyện Vụ Bản", 101, 95],
        [2, "Huyện Ý Yên", 121, 115],
        [None, "Cộng", 222, 210],
    ]
    res = _read(write_book(tmp_path / "ys.xlsx", {"TH": rows}))
    df = res.table
    assert _value(df, "Huyện Ý Yên", "safe_agency", year=2019) == 110
    assert _value(df, "Huyện Ý Yên", "safe_agency", year=2020) == 115
    assert _value(df, "Tỉnh Nam Định", "safe_agency", "total", year=2019) == 220
    assert not [f for f in res.findings if f.rule.startswith("duplicate")]


def test_a_rate_on_its_side_known_by_its_unit_of_measure(tmp_path):
    """A table on its side whose rate row says "rate" only by its unit of measure ("%" in the
    "Đơn vị tính" column): the row is the rate of the count above it."""
    side = [
        ["BẢNG TỔNG HỢP NĂM 2024"],
        ["STT", "Chỉ tiêu", "Đơn vị tính", "Xã Hải Nam", "Xã Hải Vân"],
        [1, "Tổng số hộ", "hộ", 100, 200],
        [2, "Hộ gia đình văn hóa", "hộ", 90, 180],
        [3, "Hộ gia đình văn hóa", "%", 90, 90],
    ]
    res = _read(write_book(tmp_path / "hai_hau_2024.xlsx", {"Biểu": side}))
    rate = _value(res.table, "Xã Hải Vân", "cultural_family", "reported_rate")
    assert rate == pytest.approx(0.9)


def test_a_rate_right_of_a_difference_without_a_total_stays_unread(tmp_path):
    """ "Số hộ GĐVH | Tăng (+), giảm (−) | Tỷ lệ (%)" with no total beside them: nothing shows
    the rate is the count's (it may be the change's), so it stays unread and reported."""
    rows = [
        ["KẾT QUẢ NĂM 2016"],
        ["TT", "Đơn vị", "Số hộ GĐVH", "Tăng (+), giảm (−)", "Tỷ lệ (%)"],
        [1, "Xã Xuân Châu", 4349, 12, "90.30%"],
        [2, "Xã Trà Lũ", 3619, -5, "93.35%"],
    ]
    res = antq.read(write_book(tmp_path / "xt.xlsx", {"KQ 2016": rows}), errors="coerce")
    assert pd.isna(_value(res.table, "Xã Trà Lũ", "cultural_family", "reported_rate"))
    assert _skipped(res)["E4"] == "unrecognised_column"


def test_a_total_under_two_communes_of_one_district_is_that_district(tmp_path):
    """Two communes are enough to name the district of their "Cộng toàn huyện"."""
    rows = [
        ["KẾT QUẢ XÂY DỰNG CƠ QUAN AN TOÀN VỀ ANTT NĂM 2020"],
        ["STT", "Tên đơn vị", "Cơ quan an toàn về ANTT", "Tổng số cơ quan"],
        [1, "Thị trấn Cổ Lễ", 12, 13],
        [2, "Xã Phương Định", 9, 9],
        [None, "Cộng toàn huyện", 21, 22],
    ]
    res = _read(write_book(tmp_path / "tn.xlsx", {"Data": rows}))
    assert _value(res.table, "Huyện Trực Ninh", "safe_agency") == 21
    assert "Toàn huyện" not in set(res.table["area"])


def test_a_rate_right_of_a_difference_agreeing_on_7_rows_of_9_stays_unread(tmp_path):
    """A "Tỷ lệ (%)" right of a difference is the count's only if it equals count ÷ total on at
    least 80 % of the rows: 7 of 9 is not enough."""
    names = ["Xuân Châu", "Trà Lũ", "Xuân Hồng", "Xuân Thành", "Xuân Thượng", "Xuân Phong"]
    names += ["Xuân Đài", "Xuân Tân", "Xuân Thủy"]
    rows = [
        ["KẾT QUẢ NĂM 2016"],
        ["TT", "Đơn vị", "Tổng số hộ", "Số hộ GĐVH", "Tăng (+), giảm (−)", "Tỷ lệ (%)"],
    ]
    for i, name in enumerate(names, start=1):
        rows.append([i, f"Xã {name}", 100, 90, 1, "90.00%" if i <= 7 else "50.00%"])
    res = antq.read(write_book(tmp_path / "xt.xlsx", {"KQ 2016": rows}), errors="coerce")
    assert _skipped(res)["F3"] == "unrecognised_column"


def test_a_total_of_communes_under_a_province_letterhead_and_a_district_title_is_the_districts(
    tmp_path,
):
    """The sheet names both the province (letterhead) and the district (title): its unnamed
    "Cộng" under communes is the district's; only a province's table of communes that names
    no district has its total at province level."""
    rows = [
        ["CÔNG AN TỈNH NAM ĐỊNH"],
        ["KẾT QUẢ XÂY DỰNG CƠ QUAN AN TOÀN VỀ ANTT HUYỆN HẢI HẬU NĂM 2020"],
        ["STT", "Tên đơn vị", "Cơ quan an toàn về ANTT", "Tổng số cơ quan"],
        [1, "Xã Hải Anh", 12, 13],
        [2, "Xã Hải Minh", 9, 9],
        [None, "Cộng", 21, 22],
    ]
    res = _read(write_book(tmp_path / "hh.xlsx", {"Data": rows}))
    total = res.table[res.table["achieved"] == 21].iloc[0]
    assert (total["area"], total["level"]) == ("Huyện Hải Hậu", "district")


def test_numbered_district_rows_over_communes_with_a_row_per_year_merged(tmp_path):
    """Roman-numbered districts (I, III: also the names of Vị Thanh's wards) over their
    communes, each area merged over a row per year: the numbers are row numbers, not a
    column of parents, and each Xã Hồng Quang is its district's."""
    rows = [
        ["BAN CHỈ ĐẠO 138 TỈNH NAM ĐỊNH"],
        ["KẾT QUẢ NĂM 2024 SO VỚI NĂM 2023"],
        ["STT", "Đơn vị", "Năm", "Tổng số KDC", "KDC văn hóa"],
    ]
    merged = []
    groups = [("I", "Huyện Ý Yên"), (1, "Xã Hồng Quang"), ("III", "Huyện Nam Trực")]
    for k, (stt, name) in enumerate([*groups, (1, "Xã Hồng Quang")]):
        rows += [[stt, name, 2023, 20 + k, 10 + k], [None, None, 2024, 20 + k, 11 + k]]
        merged += [f"A{len(rows) - 1}:A{len(rows)}", f"B{len(rows) - 1}:B{len(rows)}"]
    res = _read(write_book(tmp_path / "nam.xlsx", {"S": rows}, merged={"S": merged}))
    hq = res.table[res.table["area"] == "Xã Hồng Quang"]
    got = sorted(zip(hq["source"], hq["district"], hq["area_code"], hq["achieved"], strict=True))
    assert got == [
        ("nam.xlsx!S!E10", "Huyện Nam Trực", "13984", 13),
        ("nam.xlsx!S!E11", "Huyện Nam Trực", "13984", 14),
        ("nam.xlsx!S!E6", "Huyện Ý Yên", "13876", 11),
        ("nam.xlsx!S!E7", "Huyện Ý Yên", "13876", 12),
    ]
    assert not [f for f in res.findings if f.rule.startswith(("area.", "duplicate."))]
    assert {_skipped(res)[c] for c in ("A6", "A10")} == {"row_number"}


def test_the_second_table_of_a_sheet_keeps_its_own_title_year_and_qualifier(tmp_path):
    first = [
        ["BAN CHỈ ĐẠO 138 TỈNH NAM ĐỊNH"],
        [],
        ["BẢNG 1: KẾT QUẢ XÂY DỰNG KHU DÂN CƯ VĂN HÓA NĂM 2022"],
        ["STT", "Đơn vị", "Tổng số KDC", "KDC văn hóa"],
        [1, "Huyện Hải Hậu", 300, 250],
        [2, "Huyện Giao Thủy", 200, 150],
        [None, "Cộng", 500, 400],
        [],
        [],
    ]
    # Its title stood in the first table's body: the second table took 2022 from the
    # sheet's title, silently, and a column named only by the title was not read at all.
    second = [
        ["BẢNG 2: KẾT QUẢ CÔNG NHẬN CƠ QUAN AN TOÀN VỀ ANTT NĂM 2021"],
        ["STT", "Đơn vị", "Tổng số", "Số đạt"],
        [1, "Huyện Hải Hậu", 50, 48],
        [2, "Huyện Giao Thủy", 40, 39],
        [None, "Tổng cộng", 90, 87],
    ]
    write_book(tmp_path / "bc.xlsx", {"S": first + second})
    res = antq.read(tmp_path, errors="coerce")
    got = res.table.groupby(["indicator", "year"]).size().to_dict()
    assert got == {("cultural_residential_area", 2022): 3, ("safe_agency", 2021): 3}
    assert res.table.loc[res.table["indicator"] == "safe_agency", "source"].tolist() == [
        "bc.xlsx!S!D12",
        "bc.xlsx!S!D13",
        "bc.xlsx!S!D14",
    ]
    assert res.accounting["outside_table"].sum() == 0


@pytest.mark.parametrize(
    ("merged_parents", "headed"),
    [(True, False), (False, False), (True, True), (False, True)],
    ids=["one_header_parents_merged", "one_header_every_row", "two_headers_merged", "two_headers"],
)
def test_an_area_header_over_a_district_and_a_commune_column_reads_the_communes(
    tmp_path, merged_parents, headed
):
    # "Đơn vị" merged over both columns, or "Huyện, thành phố" | "Xã, phường, thị trấn"
    # (the workbook was refused: no column named an indicator).
    names = ["Huyện, thành phố", "Xã, phường, thị trấn"] if headed else ["Đơn vị", None]
    head = [
        ["BAN CHỈ ĐẠO 138 TỈNH LÂM ĐỒNG"],
        ["KẾT QUẢ CÔNG NHẬN KHU DÂN CƯ AN TOÀN VỀ ANTT NĂM 2023"],
        [],
        ["STT", *names, "Tổng số KDC", "Số KDC đạt", "Tỷ lệ (%)"],
    ]
    body = [
        [1, "Thành phố Đà Lạt", "Phường 1", 10, 9, 90],
        [2, "Thành phố Đà Lạt", "Phường 2", 10, 8, 80],
        [3, "Thành phố Bảo Lộc", "Phường 1", 12, 11, 91.67],
        [4, "Thành phố Bảo Lộc", "Phường 2", 12, 10, 83.33],
    ]
    merged = [] if headed else ["B4:C4"]
    if merged_parents:
        body[1][1] = body[3][1] = None
        merged += ["B5:B6", "B7:B8"]
    write_book(tmp_path / "LD_2023.xlsx", {"S": head + body}, merged={"S": merged})
    # The communes' figures were read as their cities' own (one of two kept, the other a
    # "duplicate"), or, one commune a city, silently as the city's figure.
    df = antq.load(tmp_path)
    got = df[["district", "area", "level", "achieved", "source"]].values.tolist()
    assert got == [
        ["Thành phố Đà Lạt", "Phường 1", "commune", 9, "LD_2023.xlsx!S!E5"],
        ["Thành phố Đà Lạt", "Phường 2", "commune", 8, "LD_2023.xlsx!S!E6"],
        ["Thành phố Bảo Lộc", "Phường 1", "commune", 11, "LD_2023.xlsx!S!E7"],
        ["Thành phố Bảo Lộc", "Phường 2", "commune", 10, "LD_2023.xlsx!S!E8"],
    ]
    assert df["area_code"].notna().all()
