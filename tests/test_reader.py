"""antq.load on the bundled data and on small workbooks in the standard layout."""

import hashlib
import itertools
import warnings

import pandas as pd
import pytest
from conftest import RAW, STANDARD_MERGED, STANDARD_ROWS, two_years, write_book
from hypothesis import given
from hypothesis import strategies as st

import antq

PUBLISHED_2020 = {
    # indicator: (achieved, total, reported_rate) — DOMAIN.md; the file gives the totals it has.
    "cultural_residential_area": (2863, 3462, None),
    "cultural_family": (507361, None, None),
    "residential_area_with_convention": (3432, 3462, None),
    "five_no_residential_area": (1568, 3462, None),
    "safe_residential_area": (3321, 3462, 0.9475),
    "safe_commune": (223, None, 0.9737),
    "safe_agency": (595, None, 0.9725),
    "safe_enterprise": (5027, None, 0.9225),
    "safe_school": (772, None, 0.989),
}


@pytest.mark.parametrize("indicator", list(PUBLISHED_2020))
def test_2020_province_figures_from_bundled_files(bundled_tidy, indicator):
    row = bundled_tidy.query("year == 2020 and level == 'province' and indicator == @indicator")
    assert len(row) == 1
    row = row.iloc[0]
    achieved, total, reported = PUBLISHED_2020[indicator]
    assert row["area"] == "Tỉnh Nam Định"
    assert row["achieved"] == achieved
    assert (pd.isna(row["total"]) and total is None) or row["total"] == total
    if reported is None:
        assert pd.isna(row["reported_rate"])
    else:
        assert row["reported_rate"] == pytest.approx(reported, abs=1e-12)
    assert row["source"].startswith("BC_ANTQ_2020.xlsx!")


def test_total_stays_what_the_file_says(bundled_tidy):
    # 94,75% implies 3.505 areas; the file's 3.462 is kept, and the rate computed from it.
    row = bundled_tidy.query(
        "year == 2020 and level == 'province' and indicator == 'safe_residential_area'"
    ).iloc[0]
    assert row["total"] == 3462
    assert row["rate"] == pytest.approx(3321 / 3462)


def test_every_year_every_district(bundled_tidy):
    counts = bundled_tidy.groupby("year").size()
    assert counts.index.tolist() == list(range(2015, 2026))
    assert (counts[counts.index < 2024] == 11 * 9).all()
    assert counts[2024] == (1 + 9 + 175) * 9 and counts[2025] == (1 + 129) * 9
    districts = bundled_tidy.query("level == 'district'")["area"].unique()
    assert len(districts) == 10 and "Thành phố Nam Định" in districts
    assert "Huyện Giao Thủy" in districts


def test_district_rows_add_up_to_province(bundled_tidy):
    df = bundled_tidy[bundled_tidy["year"] < 2025]  # no districts from 1 July 2025
    sums = df.query("level == 'district'").groupby(["year", "indicator"])["achieved"].sum()
    prov = df.query("level == 'province'").set_index(["year", "indicator"])["achieved"]
    pd.testing.assert_series_equal(sums.sort_index(), prov.sort_index(), check_names=False)


def test_sources_point_at_the_cell_holding_the_value(bundled):
    from openpyxl import load_workbook

    sample = bundled.sample(40, random_state=1)
    books = {}
    for _, row in sample.iterrows():
        file, sheet, cell = row["source"].split("!")
        wb = books.setdefault(file, load_workbook(RAW / file, data_only=True))
        value = wb[sheet][cell].value
        if isinstance(value, str) and "/" in value:  # "2.863/3.462"
            value = int(value.split("/")[0].replace(".", ""))
        assert value == row["achieved"], row["source"]


def test_standard_layout(standard_book):
    df = antq.load(standard_book)
    assert set(df["year"]) == {2019}
    assert set(df["indicator"]) == {"cultural_residential_area", "safe_agency"}
    hh = df.query("area == 'Huyện Hải Hậu' and indicator == 'cultural_residential_area'").iloc[0]
    assert (hh["achieved"], hh["total"], hh["reported_rate"]) == (400, 500, 0.8)
    assert hh["source"] == "standard_2019.xlsx!Biểu 01!D6"
    total = df.query("level == 'province'")
    assert set(total["area"]) == {"Tỉnh Nam Định"}  # named from "BAN CHỈ ĐẠO 138 TỈNH NAM ĐỊNH"
    agency = df.query("area == 'Thành phố Nam Định' and indicator == 'safe_agency'").iloc[0]
    assert pd.isna(agency["total"]) and agency["reported_rate"] == pytest.approx(0.9524)


def test_total_row_without_enclosing_name_is_toan_tinh(tmp_path):
    rows = [r[:] for r in STANDARD_ROWS]
    rows[0][0] = None
    path = write_book(tmp_path / "x_2019.xlsx", {"S": rows}, merged={"S": STANDARD_MERGED})
    df = antq.load(path)
    assert set(df.query("level == 'province'")["area"]) == {"Toàn tỉnh"}


def test_year_argument_is_the_year_of_workbooks_that_give_none(standard_book, tmp_path):
    # The standard book gives 2019: kept (a folder of ten years is not made one).
    assert set(antq.load(standard_book, year=2021)["year"]) == {2019}
    rows = [r[:] for r in STANDARD_ROWS]
    rows[1][0] = "KẾT QUẢ PHONG TRÀO"
    path = write_book(tmp_path / "report.xlsx", {"S": rows}, merged={"S": STANDARD_MERGED})
    assert set(antq.load([standard_book, path], year=2021)["year"]) == {2019, 2021}


def test_year_from_sheet_name_and_not_from_dates(tmp_path):
    rows = [r[:] for r in STANDARD_ROWS]
    rows[1][0] = "KẾT QUẢ PHONG TRÀO (Kèm theo Báo cáo số 5 ngày 05 tháng 01 năm 2021)"
    path = write_book(
        tmp_path / "report.xlsx", {"Năm 2020": rows}, merged={"Năm 2020": STANDARD_MERGED}
    )
    assert set(antq.load(path)["year"]) == {2020}


def test_no_year_anywhere_is_an_error(tmp_path):
    rows = [r[:] for r in STANDARD_ROWS]
    rows[1][0] = "KẾT QUẢ PHONG TRÀO"
    path = write_book(tmp_path / "report.xlsx", {"S": rows}, merged={"S": STANDARD_MERGED})
    with pytest.raises(antq.AntqError, match=r"report.xlsx!S: no year found.*year=") as err:
        antq.load(path)
    # The title as written, its lines joined as they stand one over the other.
    assert "the title 'BAN CHỈ ĐẠO 138 TỈNH NAM ĐỊNH | KẾT QUẢ PHONG TRÀO'" in str(err.value)
    assert err.value.vi.startswith("report.xlsx!S: không tìm thấy năm báo cáo: tiêu đề")
    assert set(antq.load(path, year=2018)["year"]) == {2018}


def test_no_year_quotes_a_long_title_to_80_characters_in_each_language(tmp_path):
    rows = [r[:] for r in STANDARD_ROWS]
    rows[0][0] = None
    rows[1][0] = "KẾT QUẢ PHONG TRÀO TOÀN DÂN BẢO VỆ AN NINH TỔ QUỐC TRÊN ĐỊA BÀN TỈNH NAM ĐỊNH XYZ"
    path = write_book(tmp_path / "report.xlsx", {"S": rows}, merged={"S": STANDARD_MERGED})
    with pytest.raises(antq.AntqError, match="no year found") as err:
        antq.load(path)
    title = rows[1][0]
    assert len(title) > 80
    assert f"the title '{title[:80]}' (above row 3)" in str(err.value)
    assert f"tiêu đề '{title[:80]}' (trên dòng 3)" in err.value.vi


def test_no_year_and_no_title_says_there_is_no_title_in_each_language(tmp_path):
    rows = [
        ["Đơn vị", "Tổng số KDC", "KDC văn hóa"],
        ["Huyện Hải Hậu", 10, 5],
        ["Huyện Vụ Bản", 20, 6],
    ]
    path = write_book(tmp_path / "report.xlsx", {"S": rows})
    with pytest.raises(antq.AntqError, match="no year found") as err:
        antq.load(path)
    assert "there is no title above the header (row 1)" in str(err.value)
    assert "không có tiêu đề phía trên dòng tiêu đề cột (dòng 1)" in err.value.vi


def test_folder_is_read_recursively(tmp_path, standard_book):
    sub = tmp_path / "nested" / "deeper"
    sub.mkdir(parents=True)
    rows = [r[:] for r in STANDARD_ROWS]
    rows[1][0] = "KẾT QUẢ PHONG TRÀO TOÀN DÂN BẢO VỆ ANTQ NĂM 2020"
    write_book(sub / "b.xlsx", {"S": rows}, merged={"S": STANDARD_MERGED})
    (tmp_path / "~$lock.xlsx").write_bytes(b"lock")
    df = antq.load(tmp_path)
    assert set(df["year"]) == {2019, 2020}
    assert df.query("year == 2020")["source"].str.startswith("nested/deeper/b.xlsx!").all()


def test_text_in_number_cell_raises_with_address_in_both_languages(tmp_path):
    import pickle

    rows = [r[:] for r in STANDARD_ROWS]
    rows[5][3] = "chưa báo cáo"  # D6
    path = write_book(tmp_path / "bad_2019.xlsx", {"S": rows}, merged={"S": STANDARD_MERGED})
    with pytest.raises(
        antq.CellValueError, match=r"bad_2019.xlsx!S!D6: found 'chưa báo cáo'"
    ) as err:
        antq.load(path)
    assert err.value.vi.startswith("bad_2019.xlsx!S!D6: Ô ghi 'chưa báo cáo' trong khi cần ")
    assert pickle.loads(pickle.dumps(err.value)).vi == err.value.vi


def test_a_file_skipped_says_what_was_expected_in_each_language(tmp_path, standard_book):
    from antq.findings import findings_frame
    from antq.reading.reader import skipped_files

    (tmp_path / "cong_van.pdf").write_bytes(b"%PDF-1.4")
    (f,) = skipped_files(tmp_path)
    assert f.expected.startswith("một bảng tính") and f.expected_en.startswith("a spreadsheet")
    assert findings_frame([f], "vi").loc[0, "expected"].startswith("một bảng tính")


def test_a_file_skipped_in_a_subfolder_is_named_by_its_path_in_the_folder(tmp_path):
    from antq.reading.reader import skipped_files

    (tmp_path / "2020").mkdir()
    (tmp_path / "2020" / "cong_van.docx").write_bytes(b"PK")
    (f,) = skipped_files(tmp_path)
    assert (f.source, f.found) == ("2020/cong_van.docx", "2020/cong_van.docx")
    assert "2020/cong_van.docx" in f.message_en


def test_coerce_gives_na_and_a_warning_naming_the_cell(tmp_path):
    rows = [r[:] for r in STANDARD_ROWS]
    rows[5][3] = "x"
    path = write_book(tmp_path / "bad_2019.xlsx", {"S": rows}, merged={"S": STANDARD_MERGED})
    with pytest.warns(antq.AntqWarning, match=r"bad_2019.xlsx!S!D6"):
        df = antq.load(path, errors="coerce")
    row = df.query("area == 'Huyện Hải Hậu' and indicator == 'cultural_residential_area'")
    assert pd.isna(row["achieved"].iloc[0]) and row["total"].iloc[0] == 500


def test_dash_and_empty_mean_not_reported(tmp_path):
    rows = [r[:] for r in STANDARD_ROWS]
    rows[5][3] = "-"
    rows[6][3] = None
    path = write_book(tmp_path / "blank_2019.xlsx", {"S": rows}, merged={"S": STANDARD_MERGED})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        df = antq.load(path)
    cra = df.query("indicator == 'cultural_residential_area' and level == 'district'")
    assert cra["achieved"].isna().sum() == 2


def test_raw_files_are_not_changed(tmp_path, standard_book):
    before = hashlib.sha256(standard_book.read_bytes()).hexdigest()
    mtime = standard_book.stat().st_mtime_ns
    antq.load(standard_book)
    antq.check(standard_book)
    assert hashlib.sha256(standard_book.read_bytes()).hexdigest() == before
    assert standard_book.stat().st_mtime_ns == mtime


def test_bad_errors_argument():
    with pytest.raises(ValueError, match="errors must be one of"):
        antq.load(RAW, errors="ignore")


def test_xlsm_is_read(tmp_path):
    path = write_book(
        tmp_path / "macro_2019.xlsm", {"S": STANDARD_ROWS}, merged={"S": STANDARD_MERGED}
    )
    assert len(antq.load(path)) == 8


def test_progress_bar_on_request(standard_book, capsys):
    antq.load(standard_book, progress=True)
    assert "1/1" in capsys.readouterr().err


def test_numbers_outside_the_table_are_found_but_not_years_or_dates(tmp_path, monkeypatch):
    import datetime

    from antq.reading import accounting

    # Column letters are remembered per process: start afresh, so they are worked out here.
    monkeypatch.setattr(accounting, "_LETTERS", {})
    rows = [r[:] for r in STANDARD_ROWS]
    # Below the signatures: a date, a year, and a number that looks like data, far right.
    rows.append([None, "Nam Định, ngày", datetime.date(2020, 1, 5), None, 2019, *[None] * 72, 123])
    path = write_book(tmp_path / "o_2019.xlsx", {"S": rows}, merged={"S": STANDARD_MERGED})
    res = antq.read(path)
    (found,) = [f for f in res.findings if f.rule == "read.outside_table"]
    assert (found.source, found.found) == ("o_2019.xlsx!S!BZ11", "BZ11")
    assert found.expected == "numbers inside an indicator table"
    skipped = res.skipped.set_index("cell")
    assert skipped.loc["E11", "reason"] == "year_label"
    assert skipped.loc["C11", "reason"] == skipped.loc["BZ11", "reason"] == "outside_table"
    assert skipped.loc["BZ11", "source"] == "o_2019.xlsx!S!BZ11"


def test_a_skipped_text_is_cut_at_200_characters():
    from antq.reading.accounting import _text

    assert _text("9" * 200) == "9" * 200
    assert _text("9" * 201) == "9" * 200 + "…"


def test_a_row_completed_from_its_duplicate_gets_its_rate():
    # The province report gives 5 and a rate; the commune annex the total, 8.
    from antq.reading.duplicates import complete

    table = pd.DataFrame(
        {
            "achieved": [5, 5],
            "total": pd.array([None, 8], dtype="Int64"),
            "reported_rate": [0.625, None],
            "rate": pd.array([None, 0.625], dtype="Float64"),
            "total_source": [None, "b.xlsx!S!C4"],
            "rate_source": ["a.xlsx!S!E4", None],
        }
    )
    pairs = pd.DataFrame({"outcome": ["same"], "row": [1], "kept_row": [0]})
    row = complete(table, pairs).loc[0]
    assert row["total"] == 8 and row["rate"] == pytest.approx(0.625)


def test_an_ambiguous_text_number_is_refused_saying_why(tmp_path):
    rows = [r[:] for r in STANDARD_ROWS]
    rows[5][4] = "2,345"  # E6, a rate: 2,345 % or 2345 %?
    path = write_book(tmp_path / "amb_2019.xlsx", {"S": rows}, merged={"S": STANDARD_MERGED})
    with pytest.raises(antq.CellValueError, match=r"E6: .*'2,345' could be read two ways"):
        antq.load(path)


def test_an_ambiguous_rate_names_its_two_readings_without_the_percent_sign(tmp_path):
    rows = [r[:] for r in STANDARD_ROWS]
    rows[5][6] = "1,234%"  # G6
    path = write_book(tmp_path / "amb_2019.xlsx", {"S": rows}, merged={"S": STANDARD_MERGED})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", antq.AntqWarning)
        res = antq.read(path, errors="coerce")
    (amb,) = [f for f in res.findings if f.rule == "read.ambiguous_number"]
    assert amb.source == "amb_2019.xlsx!S!G6"
    assert "reads 1.234 (a decimal) or 1,234 (a whole number);" in amb.message_en
    # In Vietnamese the two readings are written the Vietnamese way: never alike.
    assert "đọc là 1,234 (số thập phân) hoặc 1.234 (số nguyên);" in amb.message


def test_an_unknown_name_and_a_difference_row(tmp_path):
    rows = [r[:] for r in STANDARD_ROWS]
    rows[6][1] = "Đồng Xuân Mới"  # B7: no area antq knows, kept as written
    rows.insert(7, [None, "Tăng/giảm so với năm 2018", 10, 5, None, 3, None])  # B8
    path = write_book(tmp_path / "u_2019.xlsx", {"S": rows}, merged={"S": STANDARD_MERGED})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", antq.AntqWarning)
        res = antq.read(path)
    assert "Đồng Xuân Mới" in set(res.table["area"])
    (unknown,) = [f for f in res.findings if f.rule == "area.unknown"]
    assert (unknown.source, unknown.found) == ("u_2019.xlsx!S!B7", "Đồng Xuân Mới")
    assert "Area 'Đồng Xuân Mới' is not in antq's list of areas" in unknown.message_en
    (diff,) = [f for f in res.findings if f.rule == "read.skipped_rows"]
    assert (diff.source, diff.found) == ("u_2019.xlsx!S!B8", "Tăng/giảm so với năm 2018")
    assert diff.expected == "areas"


def test_a_second_column_of_one_indicator_is_named_in_its_finding(tmp_path):
    rows = [[*r, None] for r in STANDARD_ROWS]
    rows[2][7], rows[3][7] = "KDC văn hóa", "Số lượng"  # H3, H4: column D copied
    for r, v in zip(range(4, 8), (250, 400, 150, 800), strict=True):
        rows[r][7] = v
    path = write_book(tmp_path / "dup_2019.xlsx", {"S": rows}, merged={"S": STANDARD_MERGED})
    (dup,) = [f for f in antq.read(path).findings if f.rule == "read.duplicate_column"]
    assert dup.source == "dup_2019.xlsx!S!H4"
    assert dup.found == "KDC văn hóa › Số lượng"
    assert dup.message_en == (
        "Column 'KDC văn hóa › Số lượng' reads as the same column as 'KDC văn hóa › Số lượng'; "
        "only the first is read."
    )


def test_communes_under_their_districts_merged_down_a_column(tmp_path):
    rows = [
        ["KẾT QUẢ NĂM 2024"],
        ["Huyện", "Đơn vị", "Tổng số KDC", "KDC văn hóa"],
        ["Huyện Ý Yên", "Xã Yên Thọ", 10, 8],
        [None, "Xã Hồng Quang", 12, 9],  # two communes of this name: the district says which
        ["Huyện Nam Trực", "Xã Nam Thắng", 14, 10],
        [None, "Xã Hồng Quang", 20, 15],
    ]
    path = write_book(tmp_path / "parent.xlsx", {"S": rows}, merged={"S": ["A3:A4", "A5:A6"]})
    df = antq.load(path, detail=True)
    hq = df[df["area"] == "Xã Hồng Quang"].drop_duplicates("source")
    assert sorted(zip(hq["district"], hq["area_code"], hq["achieved"], strict=True)) == [
        ("Huyện Nam Trực", "13984", 15),
        ("Huyện Ý Yên", "13876", 9),
    ]


def _loses_differences(monkeypatch):
    """A reader that loses the numbers of difference columns from its accounting: no layout
    loses numbers today, so the loss is made."""
    from antq.reading.accounting import Tally

    kept = Tally.skip_column

    def skip_column(self, sheet, reason, rows, col, values):
        if reason != "difference":
            kept(self, sheet, reason, rows, col, values)

    monkeypatch.setattr(Tally, "skip_column", skip_column)


def test_numbers_read_nowhere_are_named_cell_by_cell(tmp_path, monkeypatch):
    _loses_differences(monkeypatch)
    rows = [
        ["KẾT QUẢ NĂM 2020"],
        ["Đơn vị", "KDC văn hóa", "Tăng/giảm"],
        ["Huyện Hải Hậu", 275, 1],
        ["Huyện Mỹ Lộc", 86, -2],
    ]
    res = antq.read(write_book(tmp_path / "mat_so.xlsx", {"A": rows}), errors="coerce")
    (lost,) = [f for f in res.findings if f.rule == "read.unaccounted"]
    # The cells lost, not those read (B3, B4).
    assert lost.source == "mat_so.xlsx!A!C3" and lost.found == "C3, C4"
    assert lost.expected_en == "every number read, or skipped with a reason"
    acc = res.accounting.iloc[0]
    assert (acc["read"], acc["unaccounted"]) == (2, 2)


def test_numbers_read_nowhere_leave_out_totals_read_without_their_count(tmp_path, monkeypatch):
    _loses_differences(monkeypatch)
    rows = [
        ["KẾT QUẢ NĂM 2020"],
        ["Đơn vị", "Tổng số KDC", "KDC văn hóa", "Tăng/giảm"],
        ["Huyện Hải Hậu", 10, None, 1],  # B3: a total read without its count
        ["Huyện Mỹ Lộc", 20, 6, -2],
    ]
    res = antq.read(write_book(tmp_path / "mat_so.xlsx", {"A": rows}), errors="coerce")
    (lost,) = [f for f in res.findings if f.rule == "read.unaccounted"]
    assert lost.source == "mat_so.xlsx!A!D3" and lost.found == "D3, D4"
    acc = res.accounting.iloc[0]
    assert (acc["read"], acc["unaccounted"]) == (3, 2)


def _year_rows(year_cell):
    return [
        ["KẾT QUẢ PHONG TRÀO"],
        ["Đơn vị", "Năm", "Tổng số KDC", "KDC văn hóa"],
        ["Huyện Hải Hậu", 2019, 10, 5],
        ["Huyện Hải Hậu", year_cell, 11, 6],
    ]


def test_a_year_cell_holding_no_year_is_refused_or_reported_as_written(tmp_path):
    path = write_book(tmp_path / "nam.xlsx", {"S": _year_rows("Năm ngoái")})
    with pytest.raises(antq.CellValueError, match=r"nam.xlsx!S!B4: found 'Năm ngoái'"):
        antq.load(path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", antq.AntqWarning)
        res = antq.read(path, errors="coerce")
    (bad,) = [f for f in res.findings if f.rule == "read.not_a_number"]
    assert (bad.source, bad.found) == ("nam.xlsx!S!B4", "Năm ngoái")


def test_a_number_in_the_year_column_that_is_no_year_is_refused_naming_it(tmp_path):
    path = write_book(tmp_path / "nam.xlsx", {"S": _year_rows(20190)})  # a digit too many
    with pytest.raises(antq.CellValueError, match=r"nam.xlsx!S!B4: found 20190"):
        antq.load(path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", antq.AntqWarning)
        res = antq.read(path, errors="coerce")
    (bad,) = [f for f in res.findings if f.rule == "read.not_a_number"]
    assert bad.source == "nam.xlsx!S!B4" and bad.found.startswith("20190")
    assert res.table["total"].tolist() == [10]  # the 2019 row alone


def test_a_row_without_a_name_in_error_for_its_year_is_reported_without_a_label(tmp_path):
    rows = _year_rows(2020)
    rows.append([None, "Năm ngoái", 12, 7])  # no area, and no year: skipped as an error
    path = write_book(tmp_path / "nam.xlsx", {"S": rows})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", antq.AntqWarning)
        res = antq.read(path, errors="coerce")
    (row,) = [f for f in res.findings if f.rule == "read.skipped_rows"]
    assert (row.source, row.found) == ("nam.xlsx!S!A5", "")


def test_the_numbers_of_a_skipped_row_keep_their_columns_reasons(tmp_path):
    # "(4)" heads a column of column numbers; a part of the row above is skipped, but its row
    # number and its column number keep their own reasons: one number of the row is the part's.
    rows = [
        ["KẾT QUẢ NĂM 2020"],
        ["STT", "Đơn vị", "KDC văn hóa", "(4)"],
        [1, "Huyện Hải Hậu", 60, 1],
        [2, "- Trong đó: thị trấn", 8, 2],
        [3, "Huyện Mỹ Lộc", 40, 3],
    ]
    res = antq.read(write_book(tmp_path / "stt.xlsx", {"S": rows}))
    reasons = res.skipped.set_index("cell")["reason"]
    assert reasons[["A4", "C4", "D4"]].tolist() == ["row_number", "sub_row", "column_number"]
    assert reasons["D2"] == "column_number"  # "(4)" in the header numbers its column too
    (part,) = [f for f in res.findings if f.rule == "read.skipped_rows"]
    assert part.source == "stt.xlsx!S!B4" and "1 number" in part.message_en


def test_a_group_of_a_total_and_a_rate_points_at_the_rate_cell(tmp_path):
    rows = [
        ["KẾT QUẢ NĂM 2020"],
        ["Đơn vị", "Tổng số KDC", "Tỷ lệ KDC văn hóa (%)"],
        ["Huyện Hải Hậu", 10, 50],
        ["Huyện Vụ Bản", 20, 40],
    ]
    df = antq.load(write_book(tmp_path / "tl.xlsx", {"S": rows}), detail=True)
    row = df[df["area"] == "Huyện Vụ Bản"].iloc[0]
    assert (row["source"], row["rate_source"], row["total_source"]) == (
        "tl.xlsx!S!C4",
        "tl.xlsx!S!C4",
        "tl.xlsx!S!B4",
    )


def test_a_second_total_column_of_one_unit_is_skipped_as_unused(tmp_path):
    rows = [
        ["KẾT QUẢ NĂM 2020"],
        ["Đơn vị", "Tổng số KDC", "KDC văn hóa", "Tổng số KDC"],
        ["Huyện Hải Hậu", 10, 5, 10],
        ["Huyện Vụ Bản", 20, 6, 20],
    ]
    res = antq.read(write_book(tmp_path / "tong.xlsx", {"S": rows}))
    assert res.table["total"].tolist() == [10, 20]
    reasons = res.skipped.set_index("cell")["reason"]
    assert reasons[["D3", "D4"]].tolist() == ["unused_total"] * 2


def _two_files(folder):
    for name, value in (("HH.xlsx", 250), ("HH_v2.xlsx", 260)):
        rows = [r[:] for r in STANDARD_ROWS]
        rows[5][3] = value  # D6: Hải Hậu's KDC văn hóa
        write_book(folder / name, {"Biểu 01": rows}, merged={"Biểu 01": STANDARD_MERGED})


def test_a_file_declared_to_supersede_another_gives_the_value(tmp_path):
    _two_files(tmp_path)
    (tmp_path / "supersedes.csv").write_text("file,supersedes\nHH_v2.xlsx,HH.xlsx\n")
    res = antq.read(tmp_path)
    df = res.table
    row = df[(df["area"] == "Huyện Hải Hậu") & (df["indicator"] == "cultural_residential_area")]
    assert row["achieved"].tolist() == [260] and row["source"].iloc[0].startswith("HH_v2.xlsx!")
    assert {f.rule for f in res.findings} == {"duplicate.superseded"}
    # Every row the older file gave is dropped, each beside the row kept.
    assert set(res.duplicates["outcome"]) == {"superseded"}
    assert len(res.duplicates) == len(df) and set(res.duplicates["file"]) == {"HH.xlsx"}


def test_a_superseded_file_finding_names_the_indicator_of_its_example(tmp_path):
    _two_files(tmp_path)
    (tmp_path / "supersedes.csv").write_text("file,supersedes\nHH_v2.xlsx,HH.xlsx\n")
    (f,) = antq.read(tmp_path).findings
    # The example is the value that changed, Hải Hậu's cultural residential areas (D6),
    # and the finding names its unit and indicator.
    assert (f.area, f.indicator, f.source) == (
        "Huyện Hải Hậu",
        "cultural_residential_area",
        "HH.xlsx!Biểu 01!D6",
    )
    assert "Huyện Hải Hậu, Khu dân cư văn hóa, năm 2019" in f.message


@pytest.mark.parametrize("missing", [None, pd.NA])
def test_a_key_read_twice_with_a_value_missing_in_one_reading_agrees(missing):
    from antq.reading.duplicates import find_duplicates

    # Built by hand, as in the test above: values as Python objects, missing as None or NA.
    # The second reading lacks the total the first gives: the same values, one row kept.
    key = {"year": 2020, "province": "P", "district": "D", "area": "A", "level": "district"}
    df = pd.DataFrame(
        [
            {**key, "indicator": "i", "achieved": 5, "total": 10, "reported_rate": missing},
            {**key, "indicator": "i", "achieved": 5, "total": missing, "reported_rate": missing},
        ]
    ).assign(source=["a.xlsx!S!C3", "b.xlsx!S!C3"])
    found = find_duplicates(df)
    assert found.keep.tolist() == [True, False]
    assert [f.rule for f in found.findings] == ["duplicate.same"]


def test_many_files_are_read_by_at_most_eight_workers(monkeypatch):
    from antq.reading import reader

    monkeypatch.setattr(reader.os, "cpu_count", lambda: 64)
    assert reader._workers(None, reader.PARALLEL_MIN_FILES) == 8
    assert reader._workers(None, reader.PARALLEL_MIN_FILES - 1) == 1


def test_workbooks_are_read_with_the_garbage_collector_paused_and_it_is_on_after(
    monkeypatch, standard_book
):
    import gc

    from antq.reading import reader

    seen = []
    real = reader._read_one

    def spy(*args, **kwargs):
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(reader, "_read_one", spy)
    assert gc.isenabled()
    antq.load(standard_book, workers=1)
    assert seen == [False]  # reading leaves no garbage in cycles: nothing to collect
    assert gc.isenabled()
    gc.disable()  # a caller's own pause holds
    try:
        antq.load(standard_book, workers=1)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_worker_processes_freeze_what_they_inherit(monkeypatch, tmp_path):
    import concurrent.futures
    import gc

    made = []

    class Pool(concurrent.futures.ThreadPoolExecutor):
        def __init__(self, workers, mp_context=None, initializer=None):
            made.append(initializer)
            super().__init__(workers)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Pool)
    for year in (2019, 2020):
        rows = [[f"KẾT QUẢ NĂM {year}"], ["Đơn vị", "Tổng số KDC", "KDC văn hóa"]]
        write_book(tmp_path / f"{year}.xlsx", {"S": [*rows, ["Huyện Hải Hậu", 10, 5]]})
    monkeypatch.setattr(antq.reading.reader, "CHUNK_FILES", 1)
    assert len(antq.load(tmp_path, workers=2)) == 2
    assert made == [gc.freeze]


def test_a_second_total_column_s_finding_says_why_it_is_not_read(tmp_path):
    rows = [
        ["KẾT QUẢ NĂM 2020"],
        ["Đơn vị", "Tổng số KDC", "KDC văn hóa", "Tổng số KDC"],
        ["Huyện Hải Hậu", 10, 5, 10],
        ["Huyện Vụ Bản", 20, 6, 20],
    ]
    res = antq.read(write_book(tmp_path / "tong.xlsx", {"S": rows}))
    (col,) = [f for f in res.findings if f.rule == "read.skipped_column"]
    assert (col.source, col.expected, col.found) == (
        "tong.xlsx!S!D3",
        "a column of an indicator",
        "Tổng số KDC",
    )
    assert col.message_en.endswith("not read: the column is a total no indicator uses.")


def test_a_number_where_the_area_name_belongs_is_no_area(tmp_path):
    rows = [
        ["KẾT QUẢ NĂM 2020"],
        ["Đơn vị", "Tổng số KDC", "KDC văn hóa"],
        ["Huyện Hải Hậu", 10, 5],
        [2021, 20, 6],  # A4: a number, not a name
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", antq.AntqWarning)
        res = antq.read(write_book(tmp_path / "so_2020.xlsx", {"S": rows}), errors="coerce")
    assert res.table["area"].tolist() == ["Huyện Hải Hậu"]
    (row,) = [f for f in res.findings if f.rule == "read.no_area"]
    assert row.source == "so_2020.xlsx!S!A4"
    assert row.message_en.startswith("Row 4 has numbers but no area name in column A")


def test_a_rate_written_the_english_way_is_shown_as_read(tmp_path):
    rows = [
        ["KẾT QUẢ NĂM 2020"],
        ["Đơn vị", "Tổng số KDC", "Tỷ lệ KDC văn hóa (%)"],
        ["Huyện Hải Hậu", 1000, "94.75%"],
        ["Huyện Vụ Bản", 2000, "40.5%"],
    ]
    res = antq.read(write_book(tmp_path / "en_2020.xlsx", {"S": rows}))
    assert res.table["reported_rate"].tolist() == [0.9475, 0.405]
    (en,) = [f for f in res.findings if f.rule == "read.other_locale"]
    assert (en.source, en.found) == ("en_2020.xlsx!S!C3", "94.75%")
    assert "read as 94,75%" in en.message_en
    assert en.expected == "numbers written the Vietnamese way (1.234; 94,75%)"


def test_the_year_of_a_skipped_row_keeps_its_columns_reason(tmp_path):
    # A part of the row above, with its year in the "Năm" column: the year is a year label,
    # its two counts are the part's ("2 numbers in 1 row").
    rows = [
        ["KẾT QUẢ PHONG TRÀO"],
        ["Đơn vị", "Năm", "Tổng số KDC", "KDC văn hóa"],
        ["Huyện Hải Hậu", 2020, 10, 5],
        ["- Trong đó: thị trấn", 2020, 3, 1],
        ["Huyện Mỹ Lộc", 2020, 20, 6],
    ]
    res = antq.read(write_book(tmp_path / "nam.xlsx", {"S": rows}))
    reasons = res.skipped.set_index("cell")["reason"]
    assert reasons[["B4", "C4", "D4"]].tolist() == ["year_label", "sub_row", "sub_row"]
    (part,) = [f for f in res.findings if f.rule == "read.skipped_rows"]
    assert part.message_en.startswith("Not read: 2 numbers in 1 row (such as '- Trong đó")


def test_a_row_in_error_for_its_year_keeps_its_column_numbers_reason(tmp_path):
    # "(5)" numbers its column; the row whose year is "Năm ngoái" is an error, but its
    # column number stays a column number: two numbers of the row are the error's.
    rows = [
        ["KẾT QUẢ PHONG TRÀO"],
        ["Đơn vị", "Năm", "Tổng số KDC", "KDC văn hóa", "(5)"],
        ["Huyện Hải Hậu", 2019, 10, 5, 1],
        ["Huyện Hải Hậu", 2020, 11, 6, 2],
        [None, "Năm ngoái", 12, 7, 3],
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", antq.AntqWarning)
        res = antq.read(write_book(tmp_path / "nam.xlsx", {"S": rows}), errors="coerce")
    reasons = res.skipped.set_index("cell")["reason"]
    assert reasons[["C5", "D5", "E5"]].tolist() == ["error", "error", "column_number"]
    (row,) = [f for f in res.findings if f.rule == "read.skipped_rows"]
    assert row.message_en.startswith("Not read: 2 numbers in 1 row")


def test_a_skipped_row_under_an_area_merged_down_is_named_by_that_area(tmp_path):
    rows = [
        ["KẾT QUẢ PHONG TRÀO"],
        ["Đơn vị", "Năm", "Tổng số KDC", "KDC văn hóa"],
        ["Huyện Hải Hậu", 2019, 10, 5],
        [None, 2020, 11, 6],
        [None, "Năm ngoái", 12, 7],  # B5: no year, an error; A5 is under the merge A3:A5
    ]
    path = write_book(tmp_path / "mg.xlsx", {"S": rows}, merged={"S": ["A3:A5"]})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", antq.AntqWarning)
        res = antq.read(path, errors="coerce")
    (row,) = [f for f in res.findings if f.rule == "read.skipped_rows"]
    assert (row.source, row.found) == ("mg.xlsx!S!A5", "Huyện Hải Hậu")
    assert "(such as 'Huyện Hải Hậu')" in row.message_en


def test_a_text_row_without_numbers_between_areas_is_passed_over(tmp_path):
    rows = [
        ["KẾT QUẢ NĂM 2020"],
        ["STT", "Đơn vị", "Tổng số KDC", "KDC văn hóa"],
        [1, "Huyện Hải Hậu", 10, 5],
        [None, "Khối các huyện ven biển"],  # A4: text, no numbers
        [2, "Huyện Mỹ Lộc", 20, 6],
    ]
    res = antq.read(write_book(tmp_path / "r_2020.xlsx", {"S": rows}))
    assert res.table["area"].tolist() == ["Huyện Hải Hậu", "Huyện Mỹ Lộc"]
    assert res.table["achieved"].tolist() == [5, 6] and not res.findings


def test_districts_without_numbers_head_their_communes_and_are_no_rows(tmp_path):
    rows = [
        ["KẾT QUẢ NĂM 2020"],
        ["STT", "Đơn vị", "Tổng số KDC", "KDC văn hóa"],
        [None, "Huyện Hải Hậu"],
        [1, "Xã Hải Nam", 10, 5],
        [2, "Xã Hải Tây", 20, 6],
        [None, "Huyện Vụ Bản"],
        [3, "Xã Minh Tân", 7, 3],
    ]
    df = antq.read(write_book(tmp_path / "r_2020.xlsx", {"S": rows})).table
    got = list(zip(df["district"], df["area"], df["achieved"], strict=True))
    assert got == [
        ("Huyện Hải Hậu", "Xã Hải Nam", 5),
        ("Huyện Hải Hậu", "Xã Hải Tây", 6),
        ("Huyện Vụ Bản", "Xã Minh Tân", 3),
    ]


def test_numbers_without_an_area_name_are_one_finding_naming_the_empty_cell(tmp_path):
    rows = [
        ["KẾT QUẢ NĂM 2020"],
        ["Đơn vị", "Tổng số KDC", "KDC văn hóa"],
        ["Huyện Hải Hậu", 10, 5],
        [None, 20, 6],  # A4 empty
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", antq.AntqWarning)
        res = antq.read(write_book(tmp_path / "r_2020.xlsx", {"S": rows}), errors="coerce")
    assert [(f.rule, f.source, f.found) for f in res.findings] == [
        ("read.no_area", "r_2020.xlsx!S!A4", "")
    ]


def test_a_number_in_the_first_row_above_the_title_is_outside_the_table(tmp_path):
    rows = [
        [None, 42],  # B1
        ["KẾT QUẢ NĂM 2020"],
        ["Đơn vị", "Tổng số KDC", "KDC văn hóa"],
        ["Hải Hậu", 10, 5],
        ["Vụ Bản", 20, 6],
    ]
    res = antq.read(write_book(tmp_path / "r_2020.xlsx", {"S": rows}))
    assert [(f.rule, f.source) for f in res.findings] == [
        ("read.outside_table", "r_2020.xlsx!S!B1")
    ]
    assert res.accounting[["read", "skipped", "unaccounted"]].values.tolist() == [[4, 1, 0]]


def test_a_district_heading_the_registry_does_not_know_still_heads_its_communes(tmp_path):
    """A heading keeps its level (a district, by its "Huyện") when its name is unknown: the
    communes under it are read and the unknown name is reported at its cell."""
    rows = [
        ["KẾT QUẢ NĂM 2020"],
        ["STT", "Đơn vị", "Tổng số KDC", "KDC văn hóa"],
        [None, "Huyện Đông Phong"],  # B3: no such district
        [1, "Xã Hải Minh", 10, 5],
        [2, "Xã Hải Anh", 20, 6],
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", antq.AntqWarning)
        res = antq.read(write_book(tmp_path / "r_2020.xlsx", {"S": rows}), errors="coerce")
    assert res.table["area"].tolist() == ["Xã Hải Minh", "Xã Hải Anh"]
    assert res.table["achieved"].tolist() == [5, 6]
    assert ("area.unknown", "r_2020.xlsx!S!B3") in [(f.rule, f.source) for f in res.findings]


def test_an_uncached_formula_error_says_to_save_the_file_in_excel(tmp_path):
    rows = [
        ["NĂM 2020"],
        ["Đơn vị", "Tổng số KDC", "KDC văn hóa"],
        ["Hải Hậu", 500, 400],
        ["Tổng cộng", "=B3", 400],
    ]
    path = write_book(tmp_path / "formula.xlsx", {"S": rows})
    with pytest.raises(antq.CellValueError) as err:
        antq.load(path)
    assert str(err.value).endswith(
        "expected a whole number (column 'Tổng số KDC'); "
        "open the file in Excel and save it so the formula's value is stored"
    )


def test_a_number_too_large_error_names_its_column_and_the_limit(tmp_path):
    rows = [
        ["NĂM 2020"],
        ["Đơn vị", "Tổng số KDC", "KDC văn hóa"],
        ["Hải Hậu", 500, 1e30],
    ]
    path = write_book(tmp_path / "huge.xlsx", {"S": rows})
    with pytest.raises(antq.CellValueError) as err:
        antq.load(path)
    message = str(err.value)
    assert message.startswith("huge.xlsx!S!C3: found 1e+30, expected ")
    assert "(column 'KDC văn hóa') of at most " in message and message.endswith(" in size, finite")


def _coerced(path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", antq.AntqWarning)
        return antq.read(path, errors="coerce")


def test_names_antq_does_not_know_under_no_named_area_are_districts(tmp_path):
    """No row names its level and nothing names the sheet's area: the rows are one level below
    the province their total is."""
    rows = [
        ["KẾT QUẢ NĂM 2020"],
        ["Đơn vị", "KDC văn hóa"],
        ["Khu Bắc", 5],
        ["Khu Nam", 6],
        ["Tổng cộng", 11],
    ]
    df = _coerced(write_book(tmp_path / "khu.xlsx", {"S": rows})).table
    assert df[["area", "level"]].values.tolist() == [
        ["Khu Bắc", "district"],
        ["Khu Nam", "district"],
        ["Toàn tỉnh", "province"],
    ]


def test_an_unknown_name_among_districts_is_a_district_whatever_level_the_total_names(tmp_path):
    rows = [
        ["KẾT QUẢ NĂM 2020"],
        ["Đơn vị", "KDC văn hóa"],
        ["Hải Hậu", 5],
        ["Khu kinh tế", 6],
        ["Toàn tỉnh", 11],
    ]
    df = _coerced(write_book(tmp_path / "kkt.xlsx", {"S": rows})).table
    assert df["level"].tolist() == ["district", "district", "province"]


@pytest.mark.parametrize(
    "sheet, body, total",
    [
        # The sheet names the province its districts are in: the total is that province.
        ("Tỉnh Nam Định", [["Hải Hậu", 5], ["Vụ Bản", 6], ["Tổng cộng", 11]], "Tỉnh Nam Định"),
        # Districts of Nam Định on a sheet named for another province: the name is not theirs.
        ("Tỉnh Thái Bình", [["Hải Hậu", 5], ["Vụ Bản", 6], ["Tổng cộng", 11]], "Toàn tỉnh"),
        # Xã Hiển Khánh was Nam Định's and is, since 2025, Ninh Bình's: at some date it was in
        # the sheet's province, which is enough.
        (
            "Tỉnh Nam Định",
            [["Huyện Vụ Bản", None], ["Xã Hiển Khánh", 5], ["Xã Kim Thái", 6], ["Toàn tỉnh", 11]],
            "Tỉnh Nam Định",
        ),
    ],
)
def test_a_total_takes_the_name_of_a_province_the_sheet_is_named_for_when_its_rows_are_in_it(
    tmp_path, sheet, body, total
):
    rows = [["KẾT QUẢ NĂM 2024"], ["Đơn vị", "KDC văn hóa"], *body]
    df = _coerced(write_book(tmp_path / "tinh.xlsx", {sheet: rows})).table
    tot = df[df["is_total"]]
    assert tot[["area", "level", "province"]].values.tolist() == [
        [total, "province", "Tỉnh Nam Định"]
    ]


def test_a_year_column_at_the_right_edge_gives_each_row_its_year(tmp_path):
    rows = [
        ["KẾT QUẢ PHONG TRÀO"],
        ["Đơn vị", "KDC văn hóa", "Năm"],
        ["Hải Hậu", 5, 2019],
        [None, 6, 2020],
    ]
    df = _coerced(write_book(tmp_path / "nam.xlsx", {"S": rows})).table
    assert df[["area", "year", "achieved"]].values.tolist() == [
        ["Huyện Hải Hậu", 2019, 5],
        ["Huyện Hải Hậu", 2020, 6],
    ]


def test_a_total_of_a_unit_no_indicator_of_the_table_counts_is_skipped_as_unused(tmp_path):
    rows = [
        ["KẾT QUẢ NĂM 2020"],
        ["Đơn vị", "Tổng số hộ", "KDC văn hóa"],
        ["Hải Hậu", 100, 5],
        ["Vụ Bản", 90, 6],
    ]
    res = _coerced(write_book(tmp_path / "ho.xlsx", {"S": rows}))
    assert res.table["total"].isna().all()
    reasons = res.skipped.set_index("cell")["reason"]
    assert reasons[["B3", "B4"]].tolist() == ["unused_total"] * 2
    assert [(f.rule, f.source) for f in res.findings] == [("read.skipped_column", "ho.xlsx!S!B3")]


@pytest.mark.parametrize(
    "counts, rate", [(["63.628", "60.002"], "94,750"), (["63,628", "60,002"], "94.750")]
)
def test_a_rate_of_three_decimals_is_read_the_way_the_table_writes_its_numbers(
    tmp_path, counts, rate
):
    """ "94,750" alone could be 94.750 or 94,750; the table's text numbers settle which."""
    rows = [
        ["KẾT QUẢ NĂM 2021"],
        ["Đơn vị", "Tổng số hộ", "Số hộ GĐVH", "Tỷ lệ (%)"],
        ["Hải Hậu", *counts, rate],
    ]
    res = _coerced(write_book(tmp_path / "tl.xlsx", {"S": rows}))
    assert res.table["reported_rate"].tolist() == [0.9475]
    assert "read.ambiguous_number" not in {f.rule for f in res.findings}


def test_a_workbook_without_a_table_names_each_sheet_in_its_refusal(tmp_path):
    rows = [["DỰ TOÁN KINH PHÍ 2020"], ["Nội dung", "Số tiền"], ["Hội nghị", 15]]
    path = write_book(tmp_path / "kp.xlsx", {"Một": rows, "Hai": rows})
    with pytest.raises(antq.NoTableError) as err:
        antq.read(path)
    en, vi = str(err.value), err.value.vi
    assert "no sheet holds an indicator table (sheet 'Một': row 2 is headed" in en
    assert "; sheet 'Hai': row 2 is headed 'Nội dung', 'Số tiền';" in en
    assert "; sheet 'Hai': dòng 2 ghi 'Nội dung', 'Số tiền';" in vi


def test_a_workbook_whose_only_table_is_on_a_hidden_sheet_says_no_sheet_is_visible(tmp_path):
    path = write_book(tmp_path / "an.xlsx", {"Trống": [], "Cũ": STANDARD_ROWS}, hidden=["Cũ"])
    with pytest.raises(antq.NoTableError) as err:
        antq.read(path)
    assert "an.xlsx: no sheet holds an indicator table (no sheet is visible);" in str(err.value)
    assert "(không sheet nào hiện)" in err.value.vi


def test_a_sheet_without_a_table_beside_one_is_reported_at_that_sheet(tmp_path):
    notes = [["Ghi chú"], ["Số liệu tạm tính", 5]]
    sheets = {"Biểu 01": STANDARD_ROWS, "Ghi chú": notes}
    path = write_book(tmp_path / "hai.xlsx", sheets, merged={"Biểu 01": STANDARD_MERGED})
    (f,) = [f for f in antq.read(path).findings if f.rule == "read.no_table"]
    assert f.source == "hai.xlsx!Ghi chú"


def test_a_hidden_sheet_s_numbers_are_skipped_with_their_values(tmp_path):
    sheets = {"Biểu 01": STANDARD_ROWS, "Cũ": STANDARD_ROWS}
    path = write_book(
        tmp_path / "an.xlsx", sheets, merged={"Biểu 01": STANDARD_MERGED}, hidden=["Cũ"]
    )
    skipped = antq.read(path).skipped.set_index("source")
    # Hải Hậu's 500 areas, 400 cultural, 80 %: as the hidden sheet holds them.
    assert skipped.loc["an.xlsx!Cũ!C6", ["reason", "value"]].tolist() == ["hidden_sheet", "500"]
    assert skipped.loc["an.xlsx!Cũ!D6", "value"] == "400"
    assert skipped.loc["an.xlsx!Cũ!E6", "value"] == "80"


def test_load_does_not_warn_of_an_info_finding_such_as_a_hidden_sheet(tmp_path):
    sheets = {"Biểu 01": STANDARD_ROWS, "Cũ": STANDARD_ROWS}
    path = write_book(
        tmp_path / "an.xlsx", sheets, merged={"Biểu 01": STANDARD_MERGED}, hidden=["Cũ"]
    )
    assert [(f.severity, f.rule) for f in antq.read(path).findings] == [
        ("info", "read.hidden_sheet")
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("error", antq.AntqWarning)
        df = antq.load(path)  # read(...).findings and antq.check() say it; no warning
    assert len(df) > 0


def _yearly_books(folder, n, with_stt):
    """``n`` small books of Hải Hậu, one a year from 2008, its count the year's index; the
    first ``with_stt`` with a row number (STT) to skip."""
    for i in range(n):
        stt = i < with_stt
        rows = [[f"KẾT QUẢ NĂM {2008 + i}"], ["STT", "Đơn vị", "Cơ quan an toàn ANTT"][1 - stt :]]
        rows += [[1, "Huyện Hải Hậu", i][1 - stt :]]
        write_book(folder / f"{2008 + i}.xlsx", {"S": rows})


def test_files_read_in_chunks_some_without_a_skipped_number_give_one_skipped_table(tmp_path):
    # Sixteen files a chunk: the seventeenth, read alone, has no row numbers to skip.
    _yearly_books(tmp_path, 17, with_stt=16)
    res = antq.read(tmp_path, workers=1)
    assert res.table["achieved"].tolist() == list(range(17))
    assert res.skipped["cell"].tolist() == ["A3"] * 16
    assert set(res.skipped["reason"]) == {"row_number"}


def test_workers_are_spawned_off_linux_where_forking_is_unsafe_or_missing(tmp_path, monkeypatch):
    import multiprocessing as mp
    import sys

    _yearly_books(tmp_path, 17, with_stt=17)  # two chunks: two workers
    asked = []
    real = mp.get_context
    # Asked for "spawn", as on macOS or Windows; handed a fork context, quicker to start here.
    monkeypatch.setattr(mp, "get_context", lambda method=None: asked.append(method) or real("fork"))
    monkeypatch.setattr(sys, "platform", "darwin")
    res = antq.read(tmp_path, workers=2)
    monkeypatch.undo()
    assert asked == ["spawn"]
    assert res.table["achieved"].tolist() == list(range(17))


def test_a_workbook_in_a_hidden_folder_is_not_read_but_listed_as_skipped(tmp_path):
    """A copy kept by a sync tool or an editor under ".backup/" is no report: the folder's
    own workbook is read, the hidden one is listed as a file not read."""
    from antq.reading.reader import find_workbooks, skipped_files

    write_book(tmp_path / "bc_2019.xlsx", {"S": STANDARD_ROWS}, merged={"S": STANDARD_MERGED})
    (tmp_path / ".backup").mkdir()
    write_book(tmp_path / ".backup" / "bc_2019.xlsx", {"S": STANDARD_ROWS})
    assert [name for _, name in find_workbooks(tmp_path)] == ["bc_2019.xlsx"]
    assert [f.source for f in skipped_files(tmp_path)] == [".backup/bc_2019.xlsx"]
    assert set(antq.load(tmp_path)["source"].str.split("!").str[0]) == {"bc_2019.xlsx"}


def test_names_unknown_in_a_districts_sheet_are_its_communes(tmp_path):
    """A district's sheet (its letterhead names it) whose rows' names antq does not know and
    that say no level: they are kept as written, as the district's communes."""
    rows = [
        ["UBND HUYỆN HẢI HẬU"],
        ["KẾT QUẢ NĂM 2020"],
        ["STT", "Đơn vị", "Tổng số KDC", "KDC văn hóa"],
        [1, "Phong Lạc Mới", 10, 5],
        [2, "Hòa Bình Mới", 20, 6],
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", antq.AntqWarning)
        res = antq.read(write_book(tmp_path / "hh.xlsx", {"S": rows}))
    got = res.table[["area", "level", "district"]].drop_duplicates()
    assert got.values.tolist() == [
        ["Phong Lạc Mới", "commune", "Huyện Hải Hậu"],
        ["Hòa Bình Mới", "commune", "Huyện Hải Hậu"],
    ]
    assert [f.rule for f in res.findings] == ["area.unknown", "area.unknown"]


def test_the_total_of_a_provinces_sheet_of_communes_is_the_provinces(tmp_path):
    """From 1 July 2025 a province lists its communes with no district between: the letterhead
    names the province, so the unnamed total row is the province's."""
    rows = [
        ["UBND TỈNH NINH BÌNH"],
        ["KẾT QUẢ NĂM 2025"],
        ["STT", "Đơn vị", "Tổng số KDC", "KDC văn hóa"],
        [1, "Phường Nam Định", 10, 5],
        [2, "Xã Hải Hậu", 20, 6],
        [None, "Tổng cộng", 30, 11],
    ]
    res = antq.read(write_book(tmp_path / "nb_2025.xlsx", {"S": rows}))
    got = res.table[["area", "level", "province"]].drop_duplicates().values.tolist()
    assert got == [
        ["Phường Nam Định", "commune", "Tỉnh Ninh Bình"],
        ["Xã Hải Hậu", "commune", "Tỉnh Ninh Bình"],
        ["Tỉnh Ninh Bình", "province", "Tỉnh Ninh Bình"],
    ]
    assert not res.findings


def test_unknown_communes_under_a_district_heading_under_the_province_heading(tmp_path):
    """Headings of two levels, the province's then each district's, over communes antq does
    not know: each commune is in its heading's district, in the province above it."""
    rows = [
        ["KẾT QUẢ NĂM 2020"],
        ["STT", "Đơn vị", "Tổng số KDC", "KDC văn hóa"],
        [None, "Tỉnh Nam Định"],
        [None, "Huyện Hải Hậu"],
        [1, "Xã Phong Lạc Mới", 10, 5],
        [2, "Xã Hòa Bình Mới", 20, 6],
        [None, "Huyện Vụ Bản"],
        [3, "Xã Quang Minh Mới", 30, 7],
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", antq.AntqWarning)
        res = antq.read(write_book(tmp_path / "h.xlsx", {"S": rows}))
    got = res.table[["area", "district", "province"]].drop_duplicates().values.tolist()
    assert got == [
        ["Xã Phong Lạc Mới", "Huyện Hải Hậu", "Tỉnh Nam Định"],
        ["Xã Hòa Bình Mới", "Huyện Hải Hậu", "Tỉnh Nam Định"],
        ["Xã Quang Minh Mới", "Huyện Vụ Bản", "Tỉnh Nam Định"],
    ]
    assert [f.source for f in res.findings] == ["h.xlsx!S!B5", "h.xlsx!S!B6", "h.xlsx!S!B8"]


@pytest.mark.parametrize(
    ("year", "communes", "level", "district"),
    [
        (2025, ["Phường Nam Định", "Xã Hải Hậu"], "province", None),
        (2024, ["Xã Hải Minh", "Xã Hải Anh"], "district", "Huyện Hải Hậu"),
    ],
)
def test_an_unnamed_total_of_communes_is_the_province_in_a_year_without_districts(
    tmp_path, year, communes, level, district
):
    """No district was in force at the end of 2025: a total over communes, with nothing
    else to say what it totals, is the province's (it was read as "Toàn huyện")."""
    rows = [
        [f"KẾT QUẢ NĂM {year}"],
        ["STT", "Đơn vị", "Tổng số KDC", "KDC văn hóa"],
        [1, communes[0], 10, 5],
        [2, communes[1], 20, 6],
        [None, "Tổng cộng", 30, 11],
    ]
    res = antq.read(write_book(tmp_path / f"bc_{year}.xlsx", {"Sheet1": rows}))
    total = res.table.iloc[-1]
    assert (total["level"], total["achieved"]) == (level, 11)
    assert (None if pd.isna(total["district"]) else total["district"]) == district
    assert not res.findings


def test_the_total_of_a_2025_sheet_of_communes_named_after_the_province_is_the_provinces(
    tmp_path,
):
    rows = [
        ["KẾT QUẢ NĂM 2025"],
        ["STT", "Đơn vị", "Tổng số KDC", "KDC văn hóa"],
        [1, "Phường Nam Định", 10, 5],
        [2, "Xã Hải Hậu", 20, 6],
        [None, "Tổng cộng", 30, 11],
    ]
    res = antq.read(write_book(tmp_path / "bc_2025.xlsx", {"Ninh Bình": rows}))
    total = res.table.iloc[-1]
    assert (total["area"], total["level"]) == ("Tỉnh Ninh Bình", "province")


def test_unknown_names_are_reported_in_every_district_of_a_district_column(tmp_path):
    """A "Huyện" column merged over each district's communes: the rows are placed district
    by district, and an unknown name is reported in each, not only in the last."""
    rows = [
        ["KẾT QUẢ NĂM 2020"],
        ["Huyện", "Đơn vị", "Tổng số KDC", "KDC văn hóa"],
        ["Huyện Hải Hậu", "Phong Lạc Mới", 10, 5],
        [None, "Hải Minh", 20, 6],
        ["Huyện Vụ Bản", "Hòa Bình Mới", 30, 7],
        [None, "Minh Tân", 40, 8],
    ]
    path = write_book(tmp_path / "p.xlsx", {"S": rows}, merged={"S": ["A3:A4", "A5:A6"]})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", antq.AntqWarning)
        res = antq.read(path)
    got = res.table[["area", "district"]].drop_duplicates().values.tolist()
    assert got == [
        ["Phong Lạc Mới", "Huyện Hải Hậu"],
        ["Xã Hải Minh", "Huyện Hải Hậu"],
        ["Hòa Bình Mới", "Huyện Vụ Bản"],
        ["Xã Minh Tân", "Huyện Vụ Bản"],
    ]
    assert [(f.rule, f.source) for f in res.findings] == [
        ("area.unknown", "p.xlsx!S!B3"),
        ("area.unknown", "p.xlsx!S!B5"),
    ]


def test_reading_leaves_the_callers_arrow_memory_pool_as_it_was():
    """antq reads with Arrow allocating from malloc (antq._memory) and puts the pool the
    caller chose back after, when the read fails too."""
    import pyarrow as pa

    before = pa.default_memory_pool().backend_name
    antq.load(RAW / "BC_ANTQ_2020.xlsx")
    assert pa.default_memory_pool().backend_name == before
    with pytest.raises(antq.AntqError):
        antq.load(RAW.parent.parent / "README.md")
    assert pa.default_memory_pool().backend_name == before


def test_each_stage_of_a_build_gives_back_what_it_freed(monkeypatch):
    """A stage of a build ends by handing its freed memory back (antq._memory), failed too:
    the next stage's peak does not stand on its leftovers."""
    from antq import _build

    calls = []
    monkeypatch.setattr(_build, "release_free_memory", lambda: calls.append(1) or True)
    stages = _build.Stages()
    with stages("read"):
        pass
    with pytest.raises(ValueError), stages("validate"):
        raise ValueError
    assert len(calls) == 2 and list(stages.seconds) == ["read", "validate"]


def test_freed_memory_is_handed_back_only_where_the_c_library_can(monkeypatch):

    from antq import _memory

    for platform, can in (("darwin", False), ("win32", False), ("linux", True)):
        monkeypatch.setattr(_memory, "_TRIM_LOOKED", False)
        monkeypatch.setattr(_memory.sys, "platform", platform)
        assert _memory.release_free_memory() is can, platform


def test_text_of_few_values_crosses_from_the_workers_as_dictionaries():
    """A worker's names, levels, indicators and tables go to the parent as dictionaries (each
    value once); made text again there, the table is the one plain text gives."""
    import pyarrow as pa

    from antq.reading import reader

    files = [(p, p.name) for p in sorted(RAW.glob("BC_ANTQ_202[45]*.xlsx"))]
    chunk = reader._read_files(files, reader.ReadOptions(progress=False))
    table = chunk[0]
    coded = {
        n
        for n, t in zip(table.column_names, table.schema.types, strict=True)
        if pa.types.is_dictionary(t)
    }
    assert coded == set(reader._DICTIONARY)
    assert table["district"].null_count > 0  # provinces, and every unit from 1/7/2025
    plain = pa.table(
        [
            c.cast(pa.large_string()) if n in coded else c
            for n, c in zip(table.column_names, table.columns, strict=True)
        ],
        names=table.column_names,
    )
    pd.testing.assert_frame_equal(reader._frame(table), reader._frame(plain))
    # Chunks with dictionaries of their own, and missing values, joined in one take.
    a = pa.DictionaryArray.from_arrays(
        pa.array([0, 1, None], pa.int32()), pa.array(["x", "y"], pa.large_string())
    )
    b = pa.DictionaryArray.from_arrays(
        pa.array([1, 0], pa.int32()), pa.array(["z", "x"], pa.large_string())
    )
    got = reader._decoded(pa.chunked_array([a, b]))
    assert got.to_pylist() == ["x", "y", None, "x", "z"] and got.type == pa.large_string()
    assert reader._decoded(pa.chunked_array([], a.type)).to_pylist() == []


def test_a_huge_number_where_a_rate_belongs_is_kept_as_read_not_made_infinite(tmp_path):
    """Rates are rounded to 12 decimals by NumPy, which multiplies by 10**12 first: a
    number of 1e300 typed in a rate column became infinity (with a RuntimeWarning), so
    the value the file gave was lost. It is kept as read, for validation to name."""
    path = write_book(
        tmp_path / "huge.xlsx",
        {
            "2020": [
                ["Đơn vị", "Tổng số KDC", "Số KDC an toàn về ANTT", "Tỷ lệ KDC an toàn"],
                ["Huyện Hải Hậu", 100, 90, 1e300],
                ["Huyện Giao Thủy", 100, 90, 94.75],
            ]
        },
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        df = antq.load(path, errors="coerce")
    rates = df.set_index("area")["reported_rate"]
    assert rates["Huyện Hải Hậu"] == 1e300 / 100 and rates["Huyện Giao Thủy"] == 0.9475


@given(st.lists(st.integers(1, 25), max_size=12), st.integers(1, 16))
def test_chunks_keep_a_folders_files_together_when_they_fit(folders, size):
    from pathlib import Path

    from antq.reading.reader import _chunks

    files = [(Path(f"tinh_{d}/{y}.xlsx"), "") for d, n in enumerate(folders) for y in range(n)]
    chunks = _chunks(files, size)
    assert [f for c in chunks for f in c] == files  # all of them, in order
    assert all(0 < len(c) <= size for c in chunks)
    for d, n in enumerate(folders):
        holding = [c for c in chunks if any(p.parent.name == f"tinh_{d}" for p, _ in c)]
        assert len(holding) == -(-n // size)  # split only when larger than a chunk
    # Folders that fit together share a chunk: no chunk could take the next one's first files.
    for a, b in itertools.pairwise(chunks):
        first = [f for f in b if f[0].parent == b[0][0].parent]
        assert len(a) + len(first[:size]) > size or a[-1][0].parent == b[0][0].parent


_SKIPPABLE = st.one_of(
    st.none(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.sampled_from(["12", "1.234", "(3)", "abc", "  ", "I", "94,5%", "x" * 250]),
    st.dates(),
)


@given(st.lists(_SKIPPABLE, min_size=1, max_size=12))
def test_a_column_skipped_whole_is_what_skipping_each_cell_gives(values):
    from antq.reading.accounting import Tally
    from antq.reading.cells import Sheet

    rows = list(range(3, 3 + len(values)))
    sheet = Sheet.from_values(
        "f.xlsx", "S", {(1, 1): "Đơn vị", **{(r, 4): v for r, v in zip(rows, values, strict=True)}}
    )
    whole, each = Tally.of(sheet), Tally.of(sheet)
    whole.skip_column(sheet, "header", rows, 4, [sheet.get(r, 4) for r in rows])
    each.skip(sheet, "header", [(r, 4) for r in rows])
    got = (whole.reasons, whole.rows, whole.cols, whole.why, whole.num, whole.txt)
    assert got == (each.reasons, each.rows, each.cols, each.why, each.num, each.txt)


def test_year_given_does_not_move_the_names_of_a_table_that_states_its_years(tmp_path):
    # No year in the title, years as column groups: year=2026 (for tables that give none)
    # must not resolve the names for 2026, when no district exists.
    head = two_years(2023, 2024)
    rows = [["KẾT QUẢ PHONG TRÀO"], *head, [1, "Huyện Hải Hậu", 40, 30, 40, 32]]
    path = write_book(tmp_path / "bc.xlsx", {"S": rows}, merged={"S": ["C2:D2", "E2:F2"]})
    for year in (None, 2026):
        res = antq.read(path, errors="coerce", year=year)
        assert res.table[["year", "area_code"]].values.tolist() == [[2023, "366"], [2024, "366"]]
        assert not res.findings


def test_hidden_files_that_are_no_spreadsheet_are_not_listed(tmp_path):
    # A raw folder under git, or written on a Mac: .git's objects and .DS_Store are no
    # reports, and a line each (and a rebuild after every commit) would be noise.
    from antq.reading.reader import skipped_files

    write_book(tmp_path / "bc_2019.xlsx", {"S": STANDARD_ROWS}, merged={"S": STANDARD_MERGED})
    (tmp_path / ".git" / "objects").mkdir(parents=True)
    (tmp_path / ".git" / "objects" / "ab12").write_bytes(b"x")
    (tmp_path / ".DS_Store").write_bytes(b"x")
    (tmp_path / "ghi_chu.pdf").write_bytes(b"%PDF")
    assert [f.source for f in skipped_files(tmp_path)] == ["ghi_chu.pdf"]


def test_a_folder_without_spreadsheets_raises_or_is_a_finding(tmp_path):
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4")
    with pytest.raises(antq.AntqError, match="no spreadsheet"):
        antq.load(tmp_path)
    res = antq.read([tmp_path, RAW / "BC_ANTQ_2020.xlsx"], errors="coerce")
    refused = [f for f in res.findings if f.rule == "read.unreadable"]
    assert [f.source for f in refused] == [str(tmp_path)]
    assert len(res.table) > 0  # the other path is read
