"""Finding the table: the layouts offices send, each as a small workbook written here."""

import random
import warnings
from pathlib import Path

import pandas as pd
import pytest
from conftest import write_book
from openpyxl import Workbook

import antq
from antq.reading.cells import Sheet
from antq.reading.layout import find_layout, year_from_text

DISTRICTS = [
    ("TP. Nam Định", "Thành phố Nam Định"),
    ("H. Hải Hậu", "Huyện Hải Hậu"),
    ("Mỹ Lộc", "Huyện Mỹ Lộc"),
]


def _one(path, **kw):
    return antq.load(path, detail=True, **kw)


def _get(df, area, indicator, col="achieved"):
    row = df[(df["area"] == area) & (df["indicator"] == indicator)]
    assert len(row) == 1, (area, indicator, df[["area", "indicator"]].values.tolist())
    return row[col].iloc[0]


def sheet_of(header_rows, body_rows, title="KẾT QUẢ NĂM 2020", merged=()):
    """A Sheet straight from rows (no file), header under one title row."""
    rows = [[title], *header_rows, *body_rows]
    values = {
        (r, c): v
        for r, row in enumerate(rows, start=1)
        for c, v in enumerate(row, start=1)
        if v is not None
    }
    return Sheet.from_values("f.xlsx", "S", values, list(merged))


@pytest.mark.parametrize(
    "header, indicator, role",
    [
        ("Khu dân cư văn hóa", "cultural_residential_area", "achieved"),
        ("KHU DAN CU VAN HOA", "cultural_residential_area", "achieved"),
        ("Số KDC văn hóa", "cultural_residential_area", "achieved"),
        ("Số hộ được công nhận\n“Gia đình văn hóa”", "cultural_family", "achieved"),
        ("GĐVH (hộ)", "cultural_family", "achieved"),
        ("KDC xây dựng được hương ước, quy ước", "residential_area_with_convention", "achieved"),
        ('Khu dan cu "5 khong"', "five_no_residential_area", "achieved"),
        ("Khu dân cư đạt chuẩn an toàn về ANTT", "safe_residential_area", "achieved"),
        ("XÃ, PHƯỜNG, THỊ TRẤN AN TOÀN VỀ AN NINH, TRẬT TỰ", "safe_commune", "achieved"),
        ("Cơ quan an toàn ANTT", "safe_agency", "achieved"),
        ("DN đạt chuẩn an toàn về ANTT", "safe_enterprise", "achieved"),
        ("Cơ sở giáo dục an toàn về ANTT", "safe_school", "achieved"),
        ('Trường học đạt chuẩn "An toàn về an ninh, trật tự"', "safe_school", "achieved"),
        ("Tỷ lệ KDC văn hóa (%)", "cultural_residential_area", "rate"),
        ("TL cơ quan an toàn ANTT", "safe_agency", "rate"),
    ],
)
def test_header_spellings(header, indicator, role):
    s = sheet_of([["Đơn vị", header]], [["Hải Hậu", 5]])
    (col,) = find_layout(s).columns
    assert (col.indicator, col.role) == (indicator, role)


@pytest.mark.parametrize(
    "leaf, role",
    [
        ("Tổng số", "total"),
        ("Đạt", "achieved"),
        ("Số đạt", "achieved"),
        ("Được công nhận", "achieved"),
        ("SL", "achieved"),
        ("TL", "rate"),
        ("Tỷ lệ (%)", "rate"),
    ],
)
def test_group_and_leaf(leaf, role):
    s = sheet_of([["Đơn vị", "Cơ quan an toàn về ANTT"], [None, leaf]], [["Hải Hậu", 5]])
    (col,) = find_layout(s).columns
    assert (col.indicator, col.role) == ("safe_agency", role)


def test_total_under_its_units_heading_is_that_units_total():
    """ "Cơ quan › Tổng số" names no indicator: the agencies' total, the denominator every
    agency indicator of the row shares ("Cơ quan › An toàn về ANTT" here)."""
    s = sheet_of(
        [["Đơn vị", "Cơ quan", None], [None, "Tổng số", "An toàn về ANTT"]],
        [["Hải Hậu", 50, 45]],
        merged=[(2, 2, 2, 3)],
    )
    assert [(c.col, c.indicator, c.unit, c.role) for c in find_layout(s).columns] == [
        (2, None, "agency", "total"),
        (3, "safe_agency", "agency", "achieved"),
    ]


@pytest.mark.parametrize("header", ["Tổng số hộ GĐVH", "Tổng số KDC văn hóa"])
def test_a_total_of_an_indicator_counts_what_it_names(header):
    # "Tổng số hộ GĐVH" is the number of cultural families, not a denominator.
    s = sheet_of([["Đơn vị", header]], [["Hải Hậu", 5]])
    (col,) = find_layout(s).columns
    assert col.role == "achieved"


def test_a_column_of_numbers_without_a_header_is_unrecognised_with_no_header():
    s = sheet_of([["Đơn vị", "KDC văn hóa", None]], [["Hải Hậu", 5, 7]])
    lay = find_layout(s)
    assert lay.unrecognised == [(3, "")]
    assert [(k.col, k.header, k.reason) for k in lay.skipped] == [(3, "", "unrecognised_column")]


def test_so_luong_is_total_when_group_has_achieved():
    s = sheet_of(
        [["Đơn vị", "Doanh nghiệp an toàn ANTT", None], [None, "Số lượng", "Số đạt"]],
        [["Hải Hậu", 50, 45]],
        merged=[(2, 2, 2, 3)],
    )
    roles = {c.col: c.role for c in find_layout(s).columns}
    assert roles == {2: "total", 3: "achieved"}


def test_year_from_title_ignores_dates():
    assert year_from_text("BÁO CÁO NĂM 2019 (kèm theo ngày 05 tháng 01 năm 2020)") == 2019
    assert year_from_text("Nam Định, ngày 05 tháng 01 năm 2021") is None


def test_four_row_header_with_column_numbers(tmp_path):
    rows = [
        ["KẾT QUẢ NĂM 2021"],
        ["STT", "Đơn vị", "Kết quả phong trào", None, None, None],
        [None, None, "Đạt chuẩn an toàn về ANTT", None, None, None],
        [None, None, "Cơ quan", None, None, "Doanh nghiệp"],
        [None, None, "Tổng số", "Đạt", "Tỷ lệ (%)", "Số đạt"],
        ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"],
        [1, "TP. Nam Định", 200, 190, 95.0, 1500],
        [None, "Tổng cộng", 200, 190, 95.0, 1500],
    ]
    merged = ["A2:A5", "B2:B5", "C2:F2", "C3:F3", "C4:E4", "F4:F5"]
    df = _one(write_book(tmp_path / "four.xlsx", {"S": rows}, merged={"S": merged}))
    assert _get(df, "Thành phố Nam Định", "safe_agency", "total") == 200
    assert _get(df, "Thành phố Nam Định", "safe_enterprise") == 1500
    assert _get(df, "Toàn tỉnh", "safe_agency", "reported_rate") == pytest.approx(0.95)


@pytest.mark.parametrize("numbers", [["(1)", "(2)", "(3)", "(4)"], [1, 2, 3, 4]])
def test_column_numbers_under_a_merged_area_header_end_the_header(tmp_path, numbers):
    """ "STT" and "Đơn vị" merged down over the numbering row too, under a two-row header:
    the numbering row is no line of the header ("Tổng số › (3)"), and is skipped as such."""
    rows = [
        ["KẾT QUẢ NĂM 2023"],
        ["STT", "Đơn vị", "Khu dân cư", None, "Gia đình văn hóa", None],
        [None, None, "Tổng số KDC", "KDC văn hóa", "Tổng số hộ", "Số hộ GĐVH"],
        [None, None, *numbers],
        [1, "Huyện Hải Hậu", 300, 250, 9000, 8000],
        [2, "Huyện Giao Thủy", 200, 150, 7000, 6000],
        [None, "Tổng cộng", 500, 400, 16000, 14000],
    ]
    merged = ["A2:A4", "B2:B4", "C2:D2", "E2:F2"]
    got = antq.read(write_book(tmp_path / "n.xlsx", {"S": rows}, merged={"S": merged}))
    df = got.table
    assert _get(df, "Huyện Hải Hậu", "cultural_residential_area", "total") == 300
    assert _get(df, "Huyện Hải Hậu", "cultural_residential_area") == 250
    assert _get(df, "Toàn tỉnh", "cultural_family", "total") == 16000
    assert _get(df, "Huyện Giao Thủy", "cultural_family", "source") == "n.xlsx!S!F6"
    assert not [f for f in got.findings if f.severity != "info"]


@pytest.mark.parametrize(
    "numbers",
    [
        ["(1)", "(2)", "(3)", "(4)", "(5)=(4)/(3)"],
        ["A", "B", "1", "2", "3 = 2/1"],
        [1, 2, 3, 4, "5 = 4/3 x 100%"],
    ],
)
def test_column_numbers_with_the_formula_of_a_rate_column_end_the_header(tmp_path, numbers):
    """A numbering row that writes a rate column's formula ("(5)=(4)/(3)") numbers the
    columns as well: it was read as a line of the header, and the count of achieved
    read from the total's column."""
    rows = [
        ["BAN CHỈ ĐẠO 138 TỈNH NAM ĐỊNH"],
        ["KẾT QUẢ NĂM 2023"],
        ["STT", "Đơn vị", "Khu dân cư an toàn về ANTT", None, None],
        [None, None, "Tổng số KDC", "Số KDC đạt", "Tỷ lệ (%)"],
        numbers,
        [1, "Huyện Hải Hậu", 300, 290, 96.67],
        [2, "Huyện Ý Yên", 250, 240, 96.0],
        [None, "Tổng cộng", 550, 530, 96.36],
    ]
    merged = ["A3:A4", "B3:B4", "C3:E3"]
    got = antq.read(write_book(tmp_path / "f.xlsx", {"S": rows}, merged={"S": merged}))
    df = got.table
    assert _get(df, "Huyện Hải Hậu", "safe_residential_area") == 290
    assert _get(df, "Huyện Hải Hậu", "safe_residential_area", "total") == 300
    assert _get(df, "Tỉnh Nam Định", "safe_residential_area", "reported_rate") == 0.9636
    assert _get(df, "Huyện Ý Yên", "safe_residential_area", "source") == "f.xlsx!S!D7"
    assert [f.rule for f in got.findings] == []


def test_title_carries_the_top_of_the_header(tmp_path):
    rows = [
        ["KẾT QUẢ CÔNG NHẬN ĐẠT CHUẨN “AN TOÀN VỀ AN NINH, TRẬT TỰ” NĂM 2022"],
        ["Đơn vị", "Khu dân cư", None, "Cơ quan", "Doanh nghiệp"],
        [None, "Tổng số KDC", "Đạt", "Đạt", "Đạt"],
        ["Hải Hậu", 500, 480, 50, 700],
    ]
    df = _one(write_book(tmp_path / "t.xlsx", {"S": rows}, merged={"S": ["B2:C2", "A2:A3"]}))
    assert set(df["indicator"]) == {"safe_residential_area", "safe_agency", "safe_enterprise"}
    assert _get(df, "Huyện Hải Hậu", "safe_residential_area", "total") == 500


def test_sheet_per_indicator_named_in_sheet_name(tmp_path):
    rows = [
        ["NĂM 2019"],
        ["Đơn vị", "Tổng số hộ", "Số hộ đạt", "Tỷ lệ (%)"],
        ["Hải Hậu", 70000, 60000, 85.71],
    ]
    df = _one(write_book(tmp_path / "s.xlsx", {"GĐVH": rows}))
    assert _get(df, "Huyện Hải Hậu", "cultural_family", "total") == 70000


def test_shared_denominator_and_count_only(tmp_path):
    rows = [
        ["NĂM 2020"],
        ["Đơn vị", "Tổng số khu dân cư", "KDC văn hóa", "KDC 5 không", "Gia đình văn hóa (hộ)"],
        ["Hải Hậu", 500, 400, 100, 65000],
    ]
    df = _one(write_book(tmp_path / "d.xlsx", {"S": rows}))
    for ind in ("cultural_residential_area", "five_no_residential_area"):
        assert _get(df, "Huyện Hải Hậu", ind, "total") == 500
    assert pd.isna(_get(df, "Huyện Hải Hậu", "cultural_family", "total"))


def test_columns_in_any_order_give_the_same_table(tmp_path):
    header = ["Đơn vị", "Tổng số KDC", "KDC văn hóa", "Cơ quan an toàn ANTT", "Ghi chú"]
    body = [["TP. Nam Định", 300, 250, 100, "đủ"], ["H. Hải Hậu", 500, 400, 60, None]]
    order = [0, 3, 1, 4, 2]
    a = write_book(tmp_path / "a_2020.xlsx", {"S": [["NĂM 2020"], header, *body]})
    b = write_book(
        tmp_path / "b_2020.xlsx",
        {"S": [["NĂM 2020"], [header[i] for i in order], *[[r[i] for i in order] for r in body]]},
    )
    cols = ["area", "indicator", "achieved", "total"]
    ta = antq.load(a)[cols].sort_values(cols[:2]).reset_index(drop=True)
    tb = antq.load(b)[cols].sort_values(cols[:2]).reset_index(drop=True)
    pd.testing.assert_frame_equal(ta, tb)


def test_unrelated_column_with_numbers_is_reported(tmp_path):
    rows = [["NĂM 2020"], ["Đơn vị", "Cơ quan an toàn ANTT", "Tính toán tạm"], ["Hải Hậu", 60, 0.5]]
    res = antq.read(write_book(tmp_path / "u.xlsx", {"S": rows}))
    assert len(res.table) == 1
    (f,) = [f for f in res.findings if f.rule == "read.unrecognised_column"]
    assert f.source == "u.xlsx!S!C3" and "Tính toán tạm" in f.message


def test_hidden_rows_and_columns_are_read(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "S"
    for row in [
        ["NĂM 2020"],
        ["Đơn vị", "Ghi chú", "Cơ quan an toàn ANTT"],
        ["Hải Hậu", "x", 60],
        ["Mỹ Lộc", None, 40],
    ]:
        ws.append(row)
    ws.row_dimensions[4].hidden = True
    ws.column_dimensions["C"].hidden = True
    wb.save(tmp_path / "h.xlsx")
    df = antq.load(tmp_path / "h.xlsx")
    assert sorted(df["achieved"].tolist()) == [40, 60]


def test_hidden_sheet_skipped_with_finding_and_readable_on_request(tmp_path):
    rows = [["NĂM 2020"], ["Đơn vị", "Cơ quan an toàn ANTT"], ["Hải Hậu", 60]]
    rows_2019 = [["NĂM 2019"], ["Đơn vị", "Cơ quan an toàn ANTT"], ["Hải Hậu", 55]]
    path = write_book(tmp_path / "h.xlsx", {"S": rows, "Old": rows_2019}, hidden=["Old"])
    res = antq.read(path)
    assert set(res.table["year"]) == {2020}
    assert [f.rule for f in res.findings] == ["read.hidden_sheet"]
    assert set(antq.load(path, include_hidden=True)["year"]) == {2019, 2020}


def test_sheet_without_table_skipped_when_another_has_one(tmp_path):
    rows = [["NĂM 2020"], ["Đơn vị", "Cơ quan an toàn ANTT"], ["Hải Hậu", 60]]
    models = [["DANH SÁCH MÔ HÌNH"], ["STT", "Tên mô hình"], [1, "Camera an ninh"]]
    res = antq.read(write_book(tmp_path / "m.xlsx", {"Mô hình": models, "S": rows}))
    assert len(res.table) == 1
    assert [f.rule for f in res.findings] == ["read.no_table"]
    # What antq found instead, in English as in Vietnamese.
    assert "skipped (1 number): row 2 is headed 'STT', 'Tên mô hình'" in res.findings[0].message_en


def test_fractions_and_vietnamese_number_text(tmp_path):
    rows = [
        ["NĂM 2020"],
        [
            "Đơn vị",
            "KDC văn hóa (đạt/tổng số)",
            "Gia đình văn hóa",
            "Cơ quan an toàn ANTT",
            "Tỷ lệ cơ quan an toàn ANTT",
        ],
        ["Hải Hậu", "2.863/3.462", "507.361", "595", "97,25%"],
        ["Mỹ Lộc", "10/20", 1234, 5, "94,5"],
    ]
    df = _one(write_book(tmp_path / "n.xlsx", {"S": rows}))
    assert _get(df, "Huyện Hải Hậu", "cultural_residential_area", "total") == 3462
    assert _get(df, "Huyện Hải Hậu", "cultural_family") == 507361
    assert _get(df, "Huyện Hải Hậu", "safe_agency", "reported_rate") == pytest.approx(0.9725)
    assert _get(df, "Huyện Mỹ Lộc", "safe_agency", "reported_rate") == pytest.approx(0.945)


@pytest.mark.parametrize(
    "rates, expected", [([94.75, 100], [0.9475, 1.0]), ([0.9475, 1.0], [0.9475, 1.0])]
)
def test_rates_as_percentages_or_fractions(tmp_path, rates, expected):
    rows = [
        ["NĂM 2020"],
        ["Đơn vị", "Cơ quan an toàn ANTT", "TL cơ quan an toàn ANTT"],
        ["Hải Hậu", 60, rates[0]],
        ["Mỹ Lộc", 40, rates[1]],
    ]
    df = antq.load(write_book(tmp_path / "r.xlsx", {"S": rows}))
    assert df["reported_rate"].tolist() == pytest.approx(expected)


def test_legacy_encoded_workbook(tmp_path):
    rows = [
        ["KÕT QU¶ N¡M 2018"],
        ["§¬n vÞ", "Tæng sè khu d©n c\xad", "Khu d©n c\xad v¨n hãa"],
        ["HuyÖn H¶i HËu", 500, 400],
        ["Tæng céng", 500, 400],
    ]
    df = antq.load(write_book(tmp_path / "tcvn3.xlsx", {"S": rows}))
    assert set(df["area"]) == {"Huyện Hải Hậu", "Toàn tỉnh"} and set(df["year"]) == {2018}
    vni = [["BAÙO CAÙO NAÊM 2018"], ["Ñôn vò", "Cô quan an toaøn ANTT"], ["Huyeän Haûi Haäu", 60]]
    df = antq.load(write_book(tmp_path / "vni.xlsx", {"S": vni}))
    assert df[["area", "indicator"]].values.tolist() == [["Huyện Hải Hậu", "safe_agency"]]


def test_nfd_text_is_read(tmp_path):
    import unicodedata

    nfd = lambda s: unicodedata.normalize("NFD", s)  # noqa: E731
    rows = [
        [nfd("KẾT QUẢ NĂM 2020")],
        [nfd("Đơn vị"), nfd("Cơ quan an toàn ANTT")],
        [nfd("Huyện Hải Hậu"), 60],
    ]
    df = antq.load(write_book(tmp_path / "nfd.xlsx", {"S": rows}))
    assert df["area"].tolist() == ["Huyện Hải Hậu"]


def test_district_report_of_communes(tmp_path):
    rows = [
        ["UBND HUYỆN HẢI HẬU"],
        ["BÁO CÁO KẾT QUẢ NĂM 2020"],
        ["TT", "Đơn vị", "Tổng số KDC", "KDC văn hóa"],
        [1, "Xã Hải Nam", 12, 10],
        [2, "TT. Yên Định", 20, 18],
        [3, "Xã Hải Mới", 15, 11],
        [None, "Toàn huyện", 47, 39],
    ]
    res = antq.read(write_book(tmp_path / "hh.xlsx", {"S": rows}))
    df = res.table
    total = df[df["is_total"]].iloc[0]
    assert (total["area"], total["level"], total["achieved"]) == ("Huyện Hải Hậu", "district", 39)
    assert set(df.loc[~df["is_total"], "level"]) == {"commune"}
    assert "Thị trấn Yên Định" in set(df["area"])
    unknown = [f for f in res.findings if f.rule == "area.unknown"]
    assert [f.found for f in unknown] == ["Xã Hải Mới"]  # kept as written, and reported
    assert "Xã Hải Mới" in set(df["area"])


def test_numbered_district_rows_over_communes(tmp_path):
    rows = [
        ["KẾT QUẢ NĂM 2020"],
        ["STT", "Đơn vị", "Cơ quan an toàn ANTT"],
        ["I", "Huyện Hải Hậu", 30],
        [1, "Xã Hải Nam", 10],
        [2, "TT. Yên Định", 20],
        ["II", "Huyện Mỹ Lộc", 5],
        [1, "Xã Mỹ Hà", 5],
        [None, "Tổng cộng", 35],
    ]
    df = antq.load(write_book(tmp_path / "nested.xlsx", {"S": rows}))
    levels = dict(zip(df["area"], df["level"], strict=True))
    assert levels["Huyện Hải Hậu"] == "district" and levels["Xã Hải Nam"] == "commune"
    assert levels["Toàn tỉnh"] == "province"
    assert antq.validate(df).query("rule == 'sum.mismatch'").empty


def test_several_years_as_column_groups(tmp_path):
    rows = [
        ["KẾT QUẢ XÂY DỰNG KHU DÂN CƯ VĂN HÓA GIAI ĐOẠN 2016 - 2018"],
        ["Đơn vị", "Năm 2016", None, "Năm 2017", None, "Năm 2018", None],
        [None, "Số đạt", "Tỷ lệ (%)", "Số đạt", "Tỷ lệ (%)", "Số đạt", "Tỷ lệ (%)"],
        ["Hải Hậu", 400, 80.0, 410, 82.0, 420, 84.0],
    ]
    df = antq.load(
        write_book(
            tmp_path / "y.xlsx",
            {"KDC văn hóa": rows},
            merged={"KDC văn hóa": ["B2:C2", "D2:E2", "F2:G2"]},
        )
    )
    assert df[["year", "achieved"]].values.tolist() == [[2016, 400], [2017, 410], [2018, 420]]
    assert (df["indicator"] == "cultural_residential_area").all()


def test_year_from_header_cell_and_file_name(tmp_path):
    rows = [["BÁO CÁO KẾT QUẢ"], ["Đơn vị", "Cơ quan an toàn ANTT năm 2019"], ["Hải Hậu", 60]]
    assert antq.load(write_book(tmp_path / "a.xlsx", {"S": rows}))["year"].tolist() == [2019]
    rows = [["BÁO CÁO KẾT QUẢ"], ["Đơn vị", "Cơ quan an toàn ANTT"], ["Hải Hậu", 60]]
    assert antq.load(write_book(tmp_path / "bc_2017.xlsx", {"S": rows}))["year"].tolist() == [2017]


def test_total_row_labels(tmp_path):
    for label in ("Tổng cộng", "Cộng", "Tổng", "Toàn tỉnh", "TỔNG CỘNG"):
        rows = [
            ["NĂM 2020"],
            ["Đơn vị", "Cơ quan an toàn ANTT"],
            ["Hải Hậu", 60],
            ["Mỹ Lộc", 40],
            [label, 100],
        ]
        df = antq.load(write_book(tmp_path / "t.xlsx", {"S": rows}))
        assert _get(df, "Toàn tỉnh", "safe_agency") == 100, label


def test_formula_without_cached_value(tmp_path):
    rows = [
        ["NĂM 2020"],
        ["Đơn vị", "Tổng số KDC", "KDC văn hóa"],
        ["Hải Hậu", 500, 400],
        ["Mỹ Lộc", 200, 150],
        ["Tổng cộng", "=B3+B4", "=C3+C4"],
    ]
    path = write_book(tmp_path / "formula.xlsx", {"S": rows})
    with pytest.raises(antq.CellValueError, match=r"formula.xlsx!S!C5.*formula with no saved"):
        antq.load(path)
    res = antq.read(path, errors="coerce")
    assert {f.source for f in res.findings if f.rule == "read.uncached_formula"} == {
        "formula.xlsx!S!B5",
        "formula.xlsx!S!C5",
    }


@pytest.mark.parametrize("name", ["standard_2019.xls", "standard_2019.ods"])
def test_legacy_and_opendocument_formats(name):
    from conftest import ROOT

    df = antq.load(ROOT / "tests" / "data" / name)
    assert _get(df, "Huyện Hải Hậu", "cultural_residential_area") == 400
    assert _get(df, "Huyện Hải Hậu", "cultural_residential_area", "total") == 500
    assert _get(df, "Toàn tỉnh", "safe_agency", "reported_rate") == pytest.approx(0.9569)


def test_shuffled_district_order_keeps_values(tmp_path):
    rng = random.Random(3)
    body = [[w, 100 + i, 90 + i] for i, (w, _) in enumerate(DISTRICTS)]
    rng.shuffle(body)
    rows = [["NĂM 2020"], ["Đơn vị", "Tổng số KDC", "KDC văn hóa"], *body]
    df = antq.load(write_book(tmp_path / "s.xlsx", {"S": rows}))
    for i, (_, canonical) in enumerate(DISTRICTS):
        assert _get(df, canonical, "cultural_residential_area") == 90 + i


@pytest.mark.parametrize(
    "label",
    ["Đơn vị", "Tên đơn vị", "Địa bàn", "Huyện, thị xã, thành phố", "ĐƠN VỊ BÁO CÁO", "Don vi"],
)
def test_area_column_headers(label):
    s = sheet_of([["STT", label, "Cơ quan an toàn ANTT"]], [[1, "Hải Hậu", 5]])
    layout = find_layout(s)
    assert layout is not None and layout.area_col == 2


def test_unit_of_measure_column_is_not_the_area_column():
    s = sheet_of([["Đơn vị tính", "Đơn vị", "Cơ quan an toàn ANTT"]], [["cơ quan", "Hải Hậu", 5]])
    assert find_layout(s).area_col == 2


def test_area_column_without_a_known_header(tmp_path):
    rows = [
        ["UBND HUYỆN HẢI HẬU"],
        ["KẾT QUẢ NĂM 2021"],
        ["TT", "Xã, phường, thị trấn", "Tổng số KDC", "KDC văn hóa"],
        [1, "Xã Hải Nam", 12, 10],
        [2, "TT. Yên Định", 20, 18],
        [None, "Toàn huyện", 32, 28],
    ]
    df = antq.load(write_book(tmp_path / "x.xlsx", {"S": rows}))
    assert _get(df, "Huyện Hải Hậu", "cultural_residential_area") == 28
    assert _get(df, "Thị trấn Yên Định", "cultural_residential_area", "total") == 20


def test_area_column_with_an_empty_header_cell(tmp_path):
    rows = [
        ["KẾT QUẢ NĂM 2021"],
        ["STT", None, "Cơ quan an toàn ANTT", None],
        [None, None, "Tổng số", "Đạt"],
        [1, "Hải Hậu", 50, 48],
        [2, "Mỹ Lộc", 30, 29],
    ]
    path = write_book(tmp_path / "e.xlsx", {"S": rows}, merged={"S": ["C2:D2", "A2:A3", "B2:B3"]})
    df = antq.load(path)
    assert _get(df, "Huyện Mỹ Lộc", "safe_agency", "total") == 30


@pytest.fixture
def fresh_vocab(tmp_path):
    """Labels and headers classified afresh: ``vocab.use`` (the package's tables here) clears
    the caches, so they are worked out, not remembered from an earlier test in the process."""
    from antq.vocab import use

    with use(tmp_path):
        yield


@pytest.mark.parametrize(
    "text, kind, name, level",
    [
        ("X. Hải Nam", "area", "Xã Hải Nam", "commune"),  # "X." abbreviates "Xã"
        # "Tân Thành" alone matches no unit (unlike "Hải Nam"): only "X." makes it a commune.
        ("X. Tân Thành", "area", "Xã Tân Thành", "commune"),
        ("X. Khối huyện", "sub_row", "", None),  # the tenth group, a category
        ("X. KẾT QUẢ KHÁC", "text", "KẾT QUẢ KHÁC", None),  # a tenth heading, no commune
        ("Cộng xã Hải Nam", "total", "Xã Hải Nam", "commune"),  # the total of one commune
        ("Cộng xã", "sub_row", "", None),  # the communes' subtotal, a category
        ("Cộng các xã điểm", "sub_row", "", None),  # a category, not an area "Xã điểm"
        ("Cộng huyện Hải Hậu", "total", "Huyện Hải Hậu", "district"),
        # A level of two words ("thành phố") before the name: kept with it, the city's total.
        ("Tổng cộng thành phố Nam Định", "total", "Thành phố Nam Định", "district"),
        # A name beginning with an X: nothing of it is cut with the label's words.
        ("Toàn huyện Xuân Trường", "total", "Huyện Xuân Trường", "district"),
        ("Cộng xã Tân Thành", "total", "Xã Tân Thành", "commune"),  # the level word says which
        ("Toàn huyện", "total", "", "district"),
        ("Tổng cộng (10 huyện, thành phố)", "total", "", "province"),  # counts the districts
        ("Toàn tỉnh Nam Định", "total", "Tỉnh Nam Định", "province"),  # not the city
        ("Tổng cộng", "total", "", None),
        # The registry holds every unit of the country, matched without diacritics: "hộ"
        # (households) folds as Phường Hồ does, and is none.
        ("Tổng số hộ", "text", "Tổng số hộ", None),
        ("hộ", "text", "hộ", None),
        ("Hai Hau", "area", "Huyện Hải Hậu", "district"),  # typed without diacritics
        ("XÃ YÊN THỌ", "area", "Xã Yên Thọ", "commune"),  # several: the sheet says which
        # "Thành phố" names a city of a province's level here, as every unit of the name is.
        ("Thành phố Hà Nội", "area", "Thành phố Hà Nội", "province"),
        ("- 1. Hải Hậu", "area", "Huyện Hải Hậu", "district"),  # a bullet, then its number
    ],
)
def test_labels_naming_an_area_a_category_or_a_total(fresh_vocab, text, kind, name, level):
    from antq.reading.labels import classify_label

    got = classify_label(text)
    assert (got.kind, got.name, got.level) == (kind, name, level)


def test_a_total_naming_its_area_says_whether_antq_knows_it(fresh_vocab):
    from antq.reading.labels import classify_label

    assert classify_label("Cộng huyện Hải Hậu").known is True
    assert classify_label("Tổng cộng").known is False


def test_a_label_naming_an_area_antq_does_not_have_is_not_known(fresh_vocab):
    from antq.reading.labels import classify_label

    total = classify_label("Cộng huyện Không Có Thật")
    assert (total.kind, total.name, total.known) == ("total", "Huyện Không Có Thật", False)
    area = classify_label("Xã Không Có Thật")
    assert (area.kind, area.level, area.known) == ("area", "commune", False)


def test_a_table_on_its_side_of_one_indicator_row(tmp_path):
    rows = [
        ["KẾT QUẢ NĂM 2024"],
        ["STT", "Chỉ tiêu", "Huyện Hải Hậu", "Huyện Vụ Bản"],
        [1, "KDC đạt chuẩn an toàn về ANTT", 319, 164],
    ]
    df = _one(write_book(tmp_path / "ngang.xlsx", {"S": rows}))
    assert _get(df, "Huyện Hải Hậu", "safe_residential_area") == 319
    assert _get(df, "Huyện Vụ Bản", "safe_residential_area", "source") == "ngang.xlsx!S!D3"


def test_a_year_column_of_a_one_year_table_is_skipped_as_year_labels(tmp_path, fresh_vocab):
    from conftest import STANDARD_MERGED, STANDARD_ROWS

    rows = [[*r, None] for r in STANDARD_ROWS]
    rows[2][7] = "Năm"  # H3:H4, 2019 on every row
    for r in range(4, 8):
        rows[r][7] = 2019
    path = write_book(
        tmp_path / "y_2019.xlsx", {"S": rows}, merged={"S": [*STANDARD_MERGED, "H3:H4"]}
    )
    res = antq.read(path)
    assert len(res.table) == 8 and not res.findings
    skipped = res.skipped.set_index("cell")["reason"]
    assert skipped[[f"H{r}" for r in range(5, 9)]].tolist() == ["year_label"] * 4


def test_a_numbered_row_after_a_headings_bullets_is_not_under_the_heading(tmp_path):
    # On its side: "2. Đạt chuẩn an toàn về ANTT" heads "- Khu dân cư"; "3. Cơ quan" is an item
    # of its own (no qualifier: not read as safe agencies).
    rows = [
        ["KẾT QUẢ NĂM 2020"],
        ["STT", "Chỉ tiêu", "Huyện Hải Hậu", "Huyện Vụ Bản"],
        [1, "Tổng số khu dân cư", 10, 12],
        [2, "Đạt chuẩn an toàn về ANTT"],
        [None, "- Khu dân cư", 8, 9],
        [3, "Cơ quan", 30, 40],
    ]
    res = antq.read(write_book(tmp_path / "ngang.xlsx", {"S": rows}), errors="coerce")
    assert set(res.table["indicator"]) == {"safe_residential_area"}
    assert _get(res.table, "Huyện Vụ Bản", "safe_residential_area") == 9
    assert _get(res.table, "Huyện Vụ Bản", "safe_residential_area", "total") == 12


def _read(tmp_path, rows, merged=(), name="r.xlsx"):
    path = write_book(tmp_path / name, {"S": rows}, merged={"S": list(merged)})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", antq.AntqWarning)
        return antq.read(path, errors="coerce")


def _findings(res):
    return [(f.rule, f.source) for f in res.findings]


HEAD = ["STT", "Đơn vị", "Tổng số KDC", "KDC văn hóa"]


def test_a_second_bare_rate_column_is_not_the_rate_of_a_rate(tmp_path):
    rows = [
        ["KẾT QUẢ NĂM 2020"],
        ["Đơn vị", "Tổng số KDC", "KDC văn hóa", "Tỷ lệ (%)", "Tỷ lệ (%)"],
        ["Hải Hậu", 10, 5, 50, 51],
        ["Vụ Bản", 12, 6, 50, 52],
    ]
    res = _read(tmp_path, rows)
    assert res.table["reported_rate"].tolist() == [0.5, 0.5]  # D, beside KDC văn hóa
    assert _findings(res) == [("read.unrecognised_column", "r.xlsx!S!E3")]


def test_a_column_of_numbers_without_a_header_is_reported(tmp_path):
    rows = [["KẾT QUẢ NĂM 2020"], HEAD, [1, "Hải Hậu", 10, 5, 7], [2, "Vụ Bản", 12, 6, 8]]
    (f,) = _read(tmp_path, rows).findings
    assert (f.rule, f.source) == ("read.unrecognised_column", "r.xlsx!S!E3")
    assert f.message_en.startswith("Column '(no header)' holds 2 numbers")


def test_an_unknown_column_left_of_the_areas_is_reported_not_lost(tmp_path):
    rows = [
        ["KẾT QUẢ NĂM 2020"],
        ["STT", "Mã số", "Đơn vị", "KDC văn hóa"],
        [1, 11, "Hải Hậu", 5],
        [2, 12, "Vụ Bản", 6],
    ]
    res = _read(tmp_path, rows)
    assert _findings(res) == [("read.unrecognised_column", "r.xlsx!S!B3")]
    assert res.accounting["unaccounted"].tolist() == [0]


def test_a_numbered_heading_under_the_header_is_a_row_of_the_body(tmp_path):
    # "1 | Khối huyện" heads the districts: its row number is one, not a header's number.
    rows = [["KẾT QUẢ NĂM 2020"], HEAD, [1, "Khối huyện"], [None, "Hải Hậu", 10, 5]]
    rows.append([None, "Vụ Bản", 12, 6])
    res = _read(tmp_path, rows)
    assert len(res.table) == 2 and not res.findings
    assert res.skipped.set_index("cell").loc["A3", "reason"] == "row_number"


def test_a_heading_naming_the_rows_level_first_under_the_header(tmp_path):
    rows = [
        ["KẾT QUẢ NĂM 2020"],
        ["Đơn vị", "KDC văn hóa"],
        ["Huyện, thành phố"],  # says what the rows are; not another table's header
        ["Hải Hậu", 5],
        ["Vụ Bản", 6],
    ]
    df = _read(tmp_path, rows).table
    got = dict(zip(df["area"], df["achieved"], strict=True))
    assert (got["Huyện Hải Hậu"], got["Huyện Vụ Bản"]) == (5, 6)


@pytest.mark.parametrize(
    "after",
    [
        [[]],  # a blank row
        [[None, "Tổng cộng", 22, 11]],  # the table's total
    ],
)
def test_a_count_typed_under_the_table_is_outside_it(tmp_path, after):
    rows = [["KẾT QUẢ NĂM 2020"], HEAD, [1, "Hải Hậu", 10, 5], [2, "Vụ Bản", 12, 6], *after]
    rows.append([None, "Số liệu bổ sung", 3])
    res = _read(tmp_path, rows)
    assert "Số liệu bổ sung" not in set(res.table["area"])
    assert _findings(res) == [("read.outside_table", "r.xlsx!S!C6")]


def test_communes_under_districts_merged_down_past_the_last_row(tmp_path):
    # The last district is merged over its commune and the blank row under the table.
    rows = [
        ["KẾT QUẢ NĂM 2024"],
        ["Huyện", "Đơn vị", "Tổng số KDC", "KDC văn hóa"],
        ["Huyện Ý Yên", "Xã Hồng Quang", 12, 9],
        ["Huyện Nam Trực", "Xã Hồng Quang", 20, 15],
    ]
    res = _read(tmp_path, rows, merged=["A4:A5"])
    df = res.table.drop_duplicates("source")
    assert sorted(zip(df["district"], df["area_code"], df["achieved"], strict=True)) == [
        ("Huyện Nam Trực", "13984", 15),
        ("Huyện Ý Yên", "13876", 9),
    ]
    assert not res.findings


def test_a_number_below_the_shorter_of_two_tables_side_by_side_is_outside_both(tmp_path):
    rows = [
        ["KẾT QUẢ NĂM 2020"],
        ["STT", "Đơn vị", "KDC văn hóa", None, "STT", "Đơn vị", "Cơ quan an toàn ANTT"],
        [1, "Huyện Hải Hậu", 275, None, 1, "Huyện Mỹ Lộc", 44],
        [2, "Huyện Mỹ Lộc", 86, None, 2, "Huyện Hải Hậu", 170],
        [3, "Huyện Vụ Bản", 50, None, None, "Ghi chú: số liệu minh họa", None],
        [4, "Huyện Ý Yên", 60, None, None, None, 99],
    ]
    res = _read(tmp_path, rows)
    assert len(res.table) == 6
    assert _findings(res) == [("read.outside_table", "r.xlsx!S!G6")]
    assert res.accounting["unaccounted"].tolist() == [0]


def test_a_letterhead_of_two_lines_places_rows_in_the_superior_unit(tmp_path):
    # The district does not hold the ward: the province over it does (three wards of this
    # name in 2020, one in Nam Định).
    rows = [["UBND TỈNH NAM ĐỊNH"], ["UBND HUYỆN Ý YÊN"], ["KẾT QUẢ NĂM 2020"], HEAD]
    rows.append([1, "Phường Trường Thi", 10, 5])
    res = _read(tmp_path, rows)
    row = res.table.iloc[0]
    assert (row["district"], row["area_code"]) == ("Thành phố Nam Định", "13657")
    assert not res.findings


def test_a_difference_header_with_an_en_dash_is_skipped(tmp_path, fresh_vocab):
    # "+/–" typed with an en dash (header classification is cached: the caches are cleared).
    rows = [
        ["KẾT QUẢ NĂM 2020"],
        [*HEAD, "+/–"],
        [1, "Hải Hậu", 10, 5, 1],
        [2, "Vụ Bản", 12, 6, -1],
    ]
    res = _read(tmp_path, rows)
    assert len(res.table) == 2 and _findings(res) == [("read.skipped_column", "r.xlsx!S!E3")]
    assert set(res.skipped.set_index("cell").loc[["E3", "E4"], "reason"]) == {"difference"}


def test_an_area_column_merged_down_from_the_first_row_tops_the_header(tmp_path, fresh_vocab):
    # No title, no area header: the header starts at row 1, where the empty area cell B1:B2
    # starts; the group over E ("Cơ quan an toàn ANTT") is part of its column's name.
    rows = [
        ["STT", None, "Cơ quan an toàn ANTT", None, None],
        [None, None, "Tổng số", "Đạt", "Ghi chú"],
        [1, "Hải Hậu", 50, 48, 3],
        [2, "Mỹ Lộc", 30, 29, 4],
    ]
    res = _read(tmp_path, rows, ["A1:A2", "B1:B2", "C1:E1"], name="r_2021.xlsx")
    assert _get(res.table, "Huyện Mỹ Lộc", "safe_agency", "total") == 30
    (notes,) = [f for f in res.findings if f.rule == "read.skipped_column"]
    assert (notes.source, notes.found) == ("r_2021.xlsx!S!E3", "Cơ quan an toàn ANTT › Ghi chú")


def test_groups_in_the_first_row_above_an_unnamed_area_column_are_read(tmp_path, fresh_vocab):
    rows = [
        ["STT", None, "Cơ quan an toàn ANTT", None, "DN đạt chuẩn an toàn về ANTT", None],
        [None, None, "Tổng số", "Đạt", "Tổng số", "Đạt"],
        [1, "Hải Hậu", 50, 48, 7, 6],
        [2, "Mỹ Lộc", 30, 29, 5, 4],
    ]
    res = _read(tmp_path, rows, ["C1:D1", "E1:F1"], name="r_2021.xlsx")
    assert _get(res.table, "Huyện Mỹ Lộc", "safe_agency", "total") == 30
    assert _get(res.table, "Huyện Hải Hậu", "safe_enterprise") == 6


def test_a_title_above_the_columns_is_no_part_of_the_header(tmp_path, fresh_vocab):
    # The title centred over the columns (C1), one text right of the area column: a title,
    # not a header row; its year is the table's.
    rows = [
        [None, None, "KẾT QUẢ NĂM 2021"],
        [None, None, "Tổng số KDC", "KDC văn hóa"],
        [1, "Hải Hậu", 50, 48],
        [2, "Mỹ Lộc", 30, 29],
    ]
    res = _read(tmp_path, rows)
    assert set(res.table["year"]) == {2021}
    assert _get(res.table, "Huyện Hải Hậu", "cultural_residential_area") == 48


def test_a_header_of_text_rows_reaches_up_at_most_five_rows():
    from antq.reading.layout import MAX_HEADER_ROWS, _header_above

    def rows_of_text(n):
        rows = [[None, None, f"a{i}", f"b{i}"] for i in range(n)]
        return Sheet.from_values(
            "f.xlsx",
            "S",
            {
                (r, c): v
                for r, row in enumerate([*rows, [None, "Hải Hậu", 1, 2]], start=1)
                for c, v in enumerate(row, start=1)
                if v is not None
            },
        )

    assert MAX_HEADER_ROWS == 5
    assert _header_above(rows_of_text(5), 6, 2, 1) == (1, 2)
    assert _header_above(rows_of_text(6), 7, 2, 1) == (2, 2)


def test_a_row_naming_the_area_column_beside_a_row_number_does_not_end_the_table(tmp_path):
    # "Xã, phường, thị trấn" heads an area column, but row 4 has a number (its STT): a row of
    # the table, not the next table's header; Mỹ Lộc under it is read.
    rows = [
        ["KẾT QUẢ NĂM 2020"],
        HEAD,
        [1, "Huyện Hải Hậu", 10, 5],
        [2, "Xã, phường, thị trấn", None, None],
        [3, "Huyện Mỹ Lộc", 20, 6],
    ]
    res = _read(tmp_path, rows)
    assert _get(res.table, "Huyện Mỹ Lộc", "cultural_residential_area") == 6
    assert "read.outside_table" not in {f.rule for f in res.findings}


def test_a_units_total_column_under_its_group_is_the_shared_denominator(tmp_path, fresh_vocab):
    rows = [
        ["KẾT QUẢ NĂM 2020"],
        ["Đơn vị", "Khu dân cư", None],
        [None, "Tổng số", "KDC văn hóa"],
        ["Hải Hậu", 10, 5],
        ["Mỹ Lộc", 20, 6],
    ]
    res = _read(tmp_path, rows, ["B2:C2", "A2:A3"])
    assert _get(res.table, "Huyện Mỹ Lộc", "cultural_residential_area", "total") == 20
    assert not res.findings


def test_a_side_row_with_a_number_under_its_first_area_heads_no_bullets(tmp_path, fresh_vocab):
    # On its side: "Khu dân cư văn hóa" has a number (under Hải Hậu only), so it is a row of
    # data, not a heading: "- Cơ quan" under it is a column of its own, not recognised.
    rows = [
        ["KẾT QUẢ NĂM 2020"],
        ["STT", "Chỉ tiêu", "Huyện Hải Hậu", "Huyện Vụ Bản"],
        [1, "Tổng số khu dân cư", 10, 12],
        [2, "Khu dân cư văn hóa", 7, None],
        [None, "- Cơ quan", 3, 4],
    ]
    res = _read(tmp_path, rows)
    assert _get(res.table, "Huyện Hải Hậu", "cultural_residential_area") == 7
    (col,) = [f for f in res.findings if f.rule != "area.unknown"]
    assert (col.rule, col.source, col.found) == (
        "read.unrecognised_column",
        "r.xlsx!S!C5",
        "- Cơ quan",
    )


def test_a_row_of_districts_not_merged_over_the_communes_is_not_their_parent(tmp_path):
    # On its side, under a merged title: the districts of row 2 stand one over each commune,
    # unmerged: not their parents. Mỹ Lộc has no Xã Minh Tân: the one of Nam Định (the
    # province of Xã Hải Nam) is in Vụ Bản.
    rows = [
        ["KẾT QUẢ NĂM 2024"],
        [None, None, "Huyện Hải Hậu", "Huyện Mỹ Lộc"],
        ["STT", "Chỉ tiêu", "Xã Hải Nam", "Xã Minh Tân"],
        [1, "KDC đạt chuẩn an toàn về ANTT", 3, 4],
    ]
    res = _read(tmp_path, rows, ["A1:D1"])
    got = res.table.set_index("area")["district"]
    assert got.to_dict() == {"Xã Hải Nam": "Huyện Hải Hậu", "Xã Minh Tân": "Huyện Vụ Bản"}
    assert not res.findings


def test_a_sheet_without_a_table_is_described_by_its_title_and_numbers(fresh_vocab):
    from antq.reading.layout import diagnose

    # The title (row 1) mentions safety; the header (row 3) and the rows under it are not the
    # title, whatever units they name.
    s = Sheet.from_values(
        "f.xlsx",
        "S",
        {
            (1, 1): "KẾT QUẢ AN TOÀN VỀ ANTT",
            (3, 1): "Đơn vị",
            (3, 2): "Kinh phí khu dân cư",
            (4, 1): "Hải Hậu",
            (4, 2): 5,
            (5, 1): "Trường học",
            (5, 2): 6,
        },
    )
    en, vi = diagnose(s)
    assert en.endswith("; the title mentions 'an toàn về ANTT'; 2 numbers in the sheet")
    assert vi.endswith("; tiêu đề có 'an toàn về ANTT'; sheet có 2 số")


def _no_table_titled(title):
    return Sheet.from_values(
        "f.xlsx",
        "S",
        {(1, 1): title, (3, 1): "Đơn vị", (3, 2): "Kinh phí", (4, 1): "Hải Hậu", (4, 2): 5},
    )


def test_a_sheet_without_a_table_quotes_the_indicator_its_title_names(fresh_vocab):
    from antq.reading.layout import diagnose

    # "khu dân cư văn hóa" (an indicator) is said, not only the unit "khu dân cư" it holds.
    en, vi = diagnose(_no_table_titled("KẾT QUẢ XÂY DỰNG KHU DÂN CƯ VĂN HÓA NĂM 2020"))
    assert en.endswith("; the title mentions 'khu dân cư văn hóa'; 1 number in the sheet")
    assert vi.endswith("; tiêu đề có 'khu dân cư văn hóa'; sheet có 1 số")


def test_a_sheet_without_a_table_is_described_with_a_vocabulary_without_qualifiers(tmp_path):
    from antq.reading.layout import diagnose
    from antq.vocab import use

    # A user's header_terms.csv need not have every kind of term: none of "qualifier" here.
    lines = (Path(antq.__file__).parent / "data" / "header_terms.csv").read_text("utf-8")
    kept = [line for line in lines.splitlines() if not line.startswith("qualifier,")]
    (tmp_path / "header_terms.csv").write_text("\n".join(kept) + "\n", encoding="utf-8")
    with use(tmp_path):
        en, _vi = diagnose(_no_table_titled("KẾT QUẢ KHU DÂN CƯ VĂN HÓA AN TOÀN VỀ ANTT"))
    assert en.endswith("; the title mentions 'khu dân cư văn hóa'; 1 number in the sheet")


def _reasons(res):
    return dict(zip(res.skipped["cell"], res.skipped["reason"], strict=True))


def test_two_columns_numbered_one_and_two_under_the_header_are_column_numbers(tmp_path):
    rows = [
        ["KẾT QUẢ NĂM 2020"],
        ["Đơn vị", "KDC văn hóa"],
        ["(1)", "(2)"],
        ["Hải Hậu", 60],
        ["Vụ Bản", 40],
    ]
    res = _read(tmp_path, rows)
    assert res.table["achieved"].tolist() == [60, 40] and not res.findings
    assert _reasons(res) == {"A3": "column_number", "B3": "column_number"}


def test_column_numbers_under_a_one_row_header_merged_down_over_them_end_the_header(tmp_path):
    # "STT" and "Đơn vị" merged over the row of column numbers, right under the header's only
    # row: "(3)" is no line of "Tổng số KDC".
    rows = [
        ["KẾT QUẢ NĂM 2020"],
        ["STT", "Đơn vị", "Tổng số KDC", "KDC văn hóa", "Tỷ lệ (%)"],
        [None, None, "(3)", "(4)", "(5)"],
        [1, "Hải Hậu", 70, 60, 85.71],
        [2, "Vụ Bản", 50, 40, 80],
    ]
    res = _read(tmp_path, rows, ["A2:A3", "B2:B3"])
    assert res.table["total"].tolist() == [70, 50] and not res.findings
    assert res.table["reported_rate"].tolist() == [0.8571, 0.8]
    assert {c: _reasons(res)[c] for c in ("C3", "D3", "E3")} == dict.fromkeys(
        ("C3", "D3", "E3"), "column_number"
    )


def test_numbers_under_an_area_header_merged_down_over_them_are_no_row_of_areas(tmp_path):
    """A row of numbers inside the merged "Đơn vị" cell ("5=4/3" keeps it from being read as
    column numbers) belongs to the header: "Đơn vị" is no area, its numbers no values."""
    rows = [
        ["KẾT QUẢ NĂM 2020"],
        ["STT", "Đơn vị", "Tổng số KDC", "KDC văn hóa", "Tỷ lệ (%)"],
        [None, None, 3, 4, "5=4/3"],
        [1, "Hải Hậu", 70, 60, 85.7],
        [2, "Vụ Bản", 50, 40, 80],
    ]
    res = _read(tmp_path, rows, ["A2:A3", "B2:B3"])
    assert res.table["area"].tolist() == ["Huyện Hải Hậu", "Huyện Vụ Bản"]
    assert res.table["achieved"].tolist() == [60, 40]
    assert not any(f.source.endswith("!B3") or f.source.endswith("!E3") for f in res.findings)


def test_a_bare_rate_column_and_a_named_rate_of_one_indicator_are_a_duplicate(tmp_path):
    # D, "Tỷ lệ (%)" beside the households, is their rate; E names the same rate again.
    rows = [
        ["KẾT QUẢ NĂM 2020"],
        ["Đơn vị", "Tổng số hộ", "Số hộ gia đình văn hóa", "Tỷ lệ (%)", "Tỷ lệ hộ GĐVH (%)"],
        ["Hải Hậu", 100, 80, 80, 80],
        ["Vụ Bản", 50, 40, 80, 80],
    ]
    res = _read(tmp_path, rows)
    assert res.table["reported_rate"].tolist() == [0.8, 0.8]
    assert ("read.duplicate_column", "r.xlsx!S!E2") in _findings(res)


def test_a_total_row_merged_across_the_number_and_name_columns_is_read(tmp_path):
    rows = [
        ["KẾT QUẢ NĂM 2020"],
        HEAD,
        [1, "Hải Hậu", 70, 60],
        [2, "Vụ Bản", 50, 40],
        ["Tổng cộng", None, 120, 100],  # A5:B5 merged: the label stands in the STT column
    ]
    res = _read(tmp_path, rows, ["A5:B5"])
    assert res.table["is_total"].tolist() == [False, False, True]
    assert res.table["achieved"].tolist() == [60, 40, 100] and not res.findings


def test_a_district_heading_with_dashes_for_numbers_is_no_row(tmp_path):
    """A dash is no number: the district over its communes is a heading, not a row of NAs."""
    rows = [
        ["KẾT QUẢ NĂM 2024"],
        ["Đơn vị", "Tổng số KDC", "KDC văn hóa"],
        ["Huyện Hải Hậu", "-", "-"],
        ["Xã Hải Minh", 10, 8],
        ["Xã Hải Anh", 12, 9],
    ]
    res = _read(tmp_path, rows)
    assert res.table["area"].tolist() == ["Xã Hải Minh", "Xã Hải Anh"]
    assert res.table["district"].tolist() == ["Huyện Hải Hậu"] * 2


def test_a_year_found_only_in_the_sheet_or_file_name_says_where_it_came_from():
    rows = {(1, 1): "KẾT QUẢ PHONG TRÀO", (2, 1): "Đơn vị", (2, 2): "KDC văn hóa"}
    rows |= {(3, 1): "Hải Hậu", (3, 2): 5}
    by_sheet = find_layout(Sheet.from_values("f.xlsx", "Năm 2019", rows, []))
    assert (by_sheet.year, by_sheet.year_from) == (2019, "sheet name")
    by_file = find_layout(Sheet.from_values("bc_2018.xlsx", "S", rows, []))
    assert (by_file.year, by_file.year_from) == (2018, "file name")


def _sheet(rows, merged=(), file="f.xlsx", name="S"):
    values = {
        (r, c): v for r, row in enumerate(rows, start=1) for c, v in enumerate(row, start=1) if v
    }
    return Sheet.from_values(file, name, values, list(merged))


def test_a_table_on_its_side_naming_its_areas_in_the_first_row_is_found():
    s = _sheet(
        [
            ["STT", "Chỉ tiêu", "Huyện Hải Hậu", "Huyện Vụ Bản"],
            [1, "KDC đạt chuẩn an toàn về ANTT", 319, 164],
        ]
    )
    lay = find_layout(s)
    assert [(c.indicator, c.role) for c in lay.columns] == [("safe_residential_area", "achieved")]
    assert lay.region() == (1, 1, 2, 4)


def test_a_sheet_on_its_side_whose_labels_name_no_indicator_is_no_table():
    """Districts across the top, but the labels down the left count delegates and meetings:
    the title's "KDC văn hóa" does not make "Số lượng đại biểu" a count of cultural areas."""
    s = _sheet(
        [
            ["HỘI NGHỊ SƠ KẾT XÂY DỰNG KDC VĂN HÓA NĂM 2020"],
            ["STT", "Nội dung", "Huyện Hải Hậu", "Huyện Vụ Bản"],
            [1, "Số lượng đại biểu", 120, 80],
            [2, "Số hội nghị đã tổ chức", 3, 2],
        ]
    )
    assert find_layout(s) is None


def test_a_sheet_without_an_area_column_quotes_its_headings_to_30_characters():
    from antq.reading.layout import diagnose

    s = _sheet([["Danh sách"], ["Nội dung chi tiêu ngân sách nhà nước", "Số tiền"], [None, 5]])
    en, vi = diagnose(s)
    assert en.startswith("row 2 is headed 'Nội dung chi tiêu ngân sách nh', 'Số tiền'; ")
    assert vi.startswith("dòng 2 ghi 'Nội dung chi tiêu ngân sách nh', 'Số tiền'; ")


def test_bare_years_under_an_indicator_give_each_column_its_year():
    s = sheet_of(
        [["Đơn vị", "KDC văn hóa", None], [None, "2019", 2020]],
        [["Hải Hậu", 5, 6]],
        merged=[(2, 2, 2, 3)],
    )
    assert [(c.col, c.indicator, c.year) for c in find_layout(s).columns] == [
        (2, "cultural_residential_area", 2019),
        (3, "cultural_residential_area", 2020),
    ]


@pytest.mark.parametrize("spaces, last_row", [(72, 3), (73, 4)])
def test_a_note_ends_a_table_on_its_side_as_upright_only_within_its_first_80_characters(
    spaces, last_row
):
    # "Nơi nhận" pushed right by blanks: within the first 80 characters it is a note under
    # the table, past them it is not looked at, whichever way the table stands.
    note = " " * spaces + "Nơi nhận"
    side = _sheet(
        [
            ["KẾT QUẢ NĂM 2024"],
            ["STT", "Chỉ tiêu", "Huyện Hải Hậu", "Huyện Vụ Bản"],
            [1, "KDC đạt chuẩn an toàn về ANTT", 319, 164],
            [note],
        ]
    )
    upright = _sheet(
        [
            ["KẾT QUẢ NĂM 2024"],
            ["STT", "Đơn vị", "KDC đạt chuẩn an toàn về ANTT"],
            [1, "Huyện Hải Hậu", 319],
            [note],
        ]
    )
    assert find_layout(side).region() == (2, 1, last_row, 4)
    assert find_layout(upright).region() == (2, 1, last_row, 3)


def test_a_part_column_saying_it_counts_the_achieved_is_data():
    # A sheet per indicator: "Trong đó: đạt" names no indicator but says what it counts.
    s = sheet_of(
        [["Đơn vị", "Tổng số", "Trong đó: đạt"]],
        [["Hải Hậu", 5, 3]],
        title="KẾT QUẢ XÂY DỰNG KHU DÂN CƯ VĂN HÓA NĂM 2020",
    )
    lay = find_layout(s)
    assert [(c.col, c.indicator, c.role) for c in lay.columns] == [
        (2, "cultural_residential_area", "total"),
        (3, "cultural_residential_area", "achieved"),
    ]
    assert lay.skipped == []


def test_a_letterhead_of_three_lines_names_the_one_above_the_sender_superior():
    s = _sheet(
        [
            ["UBND TỈNH NAM ĐỊNH"],
            ["UBND HUYỆN HẢI HẬU"],
            ["UBND XÃ HẢI MINH"],
            ["KẾT QUẢ NĂM 2020"],
            ["Đơn vị", "KDC văn hóa"],
            ["Xóm 1", 5],
        ]
    )
    lay = find_layout(s)
    assert (lay.enclosing.name, lay.superior.name) == ("Xã Hải Minh", "Huyện Hải Hậu")


def test_a_layout_built_without_a_last_column_reaches_the_sheets_last_column():
    from antq.reading.layout import Layout

    s = _sheet([[], ["Đơn vị", "KDC văn hóa"], ["Hải Hậu", 5, None, 7]])
    lay = Layout(s, header_top=2, header_bottom=2, body_start=3, area_col=1, columns=[])
    lay.body_end = 3
    assert lay.region() == (2, 1, 3, 4)


def test_a_total_above_the_areas_does_not_end_the_table_at_a_name_antq_does_not_know():
    s = sheet_of(
        [["STT", "Đơn vị", "Tổng số KDC", "KDC văn hóa"]],
        [[None, "Tổng cộng", 22, 11], [1, "Cơ quan tỉnh", 10, 5], [2, "Vụ Bản", 12, 6]],
    )
    lay = find_layout(s)
    assert lay.body_end == 5
    assert [(r, label, kind) for r, label, kind, _n in lay.body] == [
        (3, "Tổng cộng", "total"),
        (4, "Cơ quan tỉnh", "text"),
        (5, "Vụ Bản", "area"),
    ]


@pytest.mark.parametrize(
    "row, numbering",
    [
        ([1, 2, 3, 4], True),
        (["(1)", "(2)", "(3)"], True),
        ([1, 2, 2, 3], False),
        ([1, 1, 2], False),
    ],
)
def test_a_row_numbers_the_columns_only_when_its_numbers_rise(row, numbering):
    from antq.reading.layout import _is_numbering_row

    s = Sheet.from_values("f.xlsx", "S", {(1, c): v for c, v in enumerate(row, start=1)})
    assert _is_numbering_row(s, 1, 1) is numbering


@pytest.mark.parametrize(
    "text, bullet",
    [("- Trong đó: thị trấn", True), ("• Cơ quan", True), ("Tỉnh Bà Rịa - Vũng Tàu", False)],
)
def test_a_bullet_opens_the_text_a_dash_inside_a_name_is_none(text, bullet):
    from antq.reading.labels import classify_label
    from antq.reading.terms import signs

    assert signs("bullet", text) is bullet
    if not bullet:  # the province whose name holds a dash is an area, not a part of a row
        assert classify_label(text).name == "Tỉnh Bà Rịa - Vũng Tàu"


def test_a_row_of_column_numbers_above_the_header_does_not_end_it():
    # Some templates number the columns above their header, not under it.
    s = _sheet(
        [
            ["KẾT QUẢ NĂM 2020"],
            ["(1)", "(2)", "(3)"],
            ["Đơn vị", "Tổng số KDC", "KDC văn hóa"],
            ["Hải Hậu", 10, 5],
        ]
    )
    lay = find_layout(s)
    assert (lay.header_top, lay.header_bottom) == (3, 3)
    assert [(c.col, c.indicator, c.role) for c in lay.columns] == [
        (2, None, "total"),
        (3, "cultural_residential_area", "achieved"),
    ]


def test_a_bare_unit_under_a_qualifying_title_alone_is_the_safe_count():
    """ "Khu dân cư" alone under a title saying "an toàn về ANTT", with no column naming the
    safe count itself, is that safe count (it becomes the unit's total only beside one)."""
    s = sheet_of(
        [["Đơn vị", "Khu dân cư"]],
        [["Hải Hậu", 5]],
        title="KẾT QUẢ KHU DÂN CƯ AN TOÀN VỀ ANTT NĂM 2020",
    )
    assert [(c.indicator, c.role) for c in find_layout(s).columns] == [
        ("safe_residential_area", "achieved")
    ]


def test_a_sheet_without_an_area_column_says_where_it_was_looked_for(fresh_vocab):
    from antq.reading.layout import MAX_AREA_COL, MAX_TITLE_ROWS, diagnose

    s = Sheet.from_values(
        "f.xlsx", "S", {(1, 1): "KẾT QUẢ NĂM 2020", (3, 2): "Kinh phí", (4, 2): 5}
    )
    en, vi = diagnose(s)
    last = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[MAX_AREA_COL - 1]
    assert en == (
        f"its only heading is 'KẾT QUẢ NĂM 2020' (A1); no cell of rows 1–{MAX_TITLE_ROWS}, "
        f"columns A–{last}, names the area column ('Đơn vị', 'Địa bàn', 'Xã, phường' …) and "
        "no column lists area names beside numbers; 1 number in the sheet"
    )
    assert vi.startswith("chỉ có dòng chữ 'KẾT QUẢ NĂM 2020' (A1); không ô nào ở dòng 1–")


def test_an_area_column_beside_unheaded_numbers_says_its_columns_are_headed_nothing(fresh_vocab):
    from antq.reading.layout import diagnose

    s = Sheet.from_values(
        "f.xlsx", "S", {(1, 1): "KẾT QUẢ NĂM 2020", (3, 1): "Đơn vị", (4, 1): "Hải Hậu", (4, 2): 5}
    )
    en, vi = diagnose(s)
    assert en == (
        "row 3 has 'Đơn vị' (A3) but no column names an indicator: its columns are headed "
        "nothing; 1 number in the sheet"
    )
    assert vi.endswith(": các cột là (trống); sheet có 1 số")


def test_area_names_under_no_header_are_quoted_from_the_first(fresh_vocab):
    from antq.reading.layout import diagnose

    s = Sheet.from_values(
        "f.xlsx",
        "S",
        {
            (1, 1): "KẾT QUẢ NĂM 2020",
            (3, 2): "Kinh phí",
            (4, 1): "Huyện Hải Hậu",
            (4, 2): 5,
            (5, 1): "Huyện Giao Thủy",
            (5, 2): 6,
        },
    )
    en, _vi = diagnose(s)
    assert en.startswith(
        "area names stand from 'Huyện Hải Hậu' (A4) down, but no header above them (row 3) "
        "names an indicator: its columns are headed 'Kinh phí'"
    )
