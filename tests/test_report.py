import pytest

import antq
from antq.outputs.summary import summary


@pytest.fixture(scope="module")
def text_2020(bundled_tidy):
    return summary(bundled_tidy, year=2020)


@pytest.mark.parametrize(
    "phrase",
    [
        "toàn tỉnh có 2.863/3.462 khu dân cư văn hóa",
        "507.361 hộ được công nhận gia đình văn hóa",
        "3.432 khu dân cư xây dựng được hương ước, quy ước",
        "1.568 khu dân cư “5 không”",
        "công nhận 3.321 khu dân cư (chiếm tỷ lệ 94,75%",
        "223 xã, phường, thị trấn (chiếm tỷ lệ 97,37%",
        "595 cơ quan (chiếm tỷ lệ 97,25%",
        "5.027 doanh nghiệp (chiếm tỷ lệ 92,25%",
        "772 nhà trường (chiếm tỷ lệ 98,9%",
        "đạt chuẩn “An toàn về an ninh, trật tự”",
    ],
)
def test_2020_summary_states_every_published_figure(text_2020, phrase):
    assert phrase in text_2020


def test_change_against_previous_year(text_2020):
    # 2019 file: 3.553/3.800 = 93,50%; 2020 published 94,75% → +1,25 points.
    assert "94,75%, tăng 1,25 điểm phần trăm so với năm 2019" in text_2020


def test_first_year_has_no_change(bundled_tidy):
    assert "so với năm" not in summary(bundled_tidy, year=2015)


def test_english(bundled_tidy):
    text = summary(bundled_tidy, year=2020, lang="en")
    assert "2,863/3,462 cultural residential areas" in text
    assert "3,321 residential areas (94.75%, up 1.25 percentage points on 2019)" in text
    assert "772 schools (98.9%" in text


def test_district_summary(bundled_tidy):
    text = summary(bundled_tidy, year=2023, area="Huyện Hải Hậu")
    assert text.startswith("Năm 2023, Huyện Hải Hậu có")
    assert "UBND tỉnh" not in text


def test_unknown_year_or_area_is_an_antq_error(bundled_tidy):
    with pytest.raises(antq.AntqError, match="no data for year 1999"):
        summary(bundled_tidy, year=1999)
    with pytest.raises(antq.AntqError, match="Huyện Không Có"):
        summary(bundled_tidy, year=2020, area="Huyện Không Có")


def test_an_area_with_no_data_is_answered_with_close_names_or_a_short_list(bundled_tidy):
    # A typo: the close names, not the 183 areas of 2024.
    with pytest.raises(antq.AreaLookupError) as typo:
        summary(bundled_tidy, year=2024, area="Xã Hai Nan")
    assert "Xã Hải Nam" in typo.value.vi.split("tên gần giống có số liệu: ")[1]
    assert "Huyện" not in str(typo.value) and len(typo.value.candidates) == 183
    # Nothing close: eight names and how many more.
    with pytest.raises(antq.AreaLookupError) as far:
        summary(bundled_tidy, year=2024, area="Atlantis")
    assert str(far.value).endswith(
        "183 areas have data, such as Huyện Giao Thủy, Huyện Hải Hậu, Huyện Nam Trực, "
        "Huyện Nghĩa Hưng, Huyện Trực Ninh, Huyện Vụ Bản, Huyện Xuân Trường, Huyện Ý Yên "
        "and 175 more"
    )
    assert far.value.vi.endswith("và 175 đơn vị khác")


@pytest.mark.parametrize(
    "year, area, lang, said",
    [
        (2020, None, "vi", "223 xã, phường, thị trấn ("),
        (2025, None, "vi", "124 xã, phường ("),  # no thị trấn after 1/7/2025
        (2025, None, "en", "124 communes and wards ("),
        (2023, "Huyện Hải Hậu", "vi", "35 xã, thị trấn ("),  # no wards in that district
        (2025, "Xã Hải Hậu", "vi", "1 xã ("),
    ],
)
def test_communes_are_named_by_the_kinds_in_force(bundled_tidy, year, area, lang, said):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", antq.AntqWarning)
        assert said in summary(bundled_tidy, year=year, area=area, lang=lang)


def test_a_figure_left_out_is_said_not_silent(bundled_tidy):
    from antq.outputs.summary import omissions

    df = bundled_tidy.copy()
    cell = df["source"].str.endswith("ANTT!D19")
    df["achieved"] = df["achieved"].mask(cell)
    with pytest.warns(antq.AntqWarning, match="khu dân cư an toàn về ANTT năm 2020: ô "):
        text = summary(df, year=2020)
    assert "3.321" not in text
    assert omissions(df, year=2020, lang="en") == [
        "no figure for residential areas safe for security and order in 2020: "
        "cell BC_ANTQ_2020.xlsx!ANTT!D19 could not be read"
    ]
    gone = df[~cell]
    assert omissions(gone, year=2020) == [
        "chưa có số liệu khu dân cư an toàn về ANTT năm 2020: không có trong các báo cáo đã đọc"
    ]


def test_area_names_without_diacritics(bundled_tidy):
    assert summary(bundled_tidy, year=2023, area="hai hau").startswith("Năm 2023, Huyện Hải Hậu")
    with pytest.raises(antq.AreaLookupError) as exc:
        summary(bundled_tidy, year=2023, area="Nam Dinh")
    assert exc.value.candidates == ("Thành phố Nam Định", "Tỉnh Nam Định")


def test_a_csv_read_back_with_pandas_goes_into_every_output(bundled_tidy, tmp_path):
    # pd.read_csv gives int64/float64/object columns: every function taking the table coerces.
    import pandas as pd
    from openpyxl import load_workbook

    path = tmp_path / "tidy.csv"
    bundled_tidy.to_csv(path, index=False, encoding="utf-8-sig")
    plain = pd.read_csv(path, encoding="utf-8-sig")
    assert summary(plain, year=2020) == summary(bundled_tidy, year=2020)
    assert len(antq.yoy(plain)) == len(bundled_tidy)
    book = load_workbook(antq.to_excel(plain, tmp_path / "r.xlsx", charts=False))
    assert "An toàn ANTT" in book.sheetnames


def test_a_bare_name_of_a_former_district_read_as_a_commune_is_warned(bundled_tidy):
    with pytest.warns(antq.AntqWarning, match="Huyện Hải Hậu \\(đến 30/6/2025\\)"):
        text = antq.summary(bundled_tidy, year=2025, area="Hai Hau")
    assert text.startswith("Năm 2025, Xã Hải Hậu")
    note = antq.outputs.summary.area_note(bundled_tidy, year=2025, area="Hai Hau", lang="en")
    assert note == (
        "'Hai Hau' is read as Xã Hải Hậu, the area with data in 2025; "
        "Huyện Hải Hậu (until 2025-06-30) has none."
    )
    assert antq.outputs.summary.area_note(bundled_tidy, year=2025, area="Xã Hải Hậu") is None


def _three_wards_named_phuong_1(tmp_path):
    """Three wards named "Phường 1" (Quận 3, 10, 4) in a city's 2022 and 2023 reports."""
    from conftest import write_book

    for year, got in ((2022, (8, 9, 7)), (2023, (9, 10, 6))):
        head = [
            ["ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH"],
            [f"KẾT QUẢ XÂY DỰNG KHU DÂN CƯ AN TOÀN VỀ ANTT NĂM {year}"],
            [],
            ["STT", "Đơn vị", "Tổng số KDC", "Số KDC đạt chuẩn an toàn về ANTT"],
        ]
        body = []
        for n, (district, v) in enumerate(zip(("Quận 3", "Quận 10", "Quận 4"), got, strict=True)):
            body += [[("I", "II", "III")[n], district, 10, v], [1, "Phường 1", 10, v]]
        write_book(tmp_path / f"HCM_{year}.xlsx", {"S": head + body})
    return antq.load(tmp_path)


def test_a_name_several_units_bear_is_refused_and_a_label_picks_one(tmp_path):
    df = _three_wards_named_phuong_1(tmp_path)
    assert (df["area"] == "Phường 1").sum() == 6
    # It took one ward's figure (or one ward's 2023 against another's 2022), silently.
    with pytest.raises(antq.AreaLookupError, match="3 units are named 'Phường 1' in 2023") as err:
        summary(df, year=2023, area="Phường 1")
    assert err.value.reason == "ambiguous"
    assert err.value.candidates == (
        "Phường 1 (Quận 10)",
        "Phường 1 (Quận 3)",
        "Phường 1 (Quận 4)",
    )
    text = summary(df, year=2023, area="Phuong 1 (Quan 4)")  # as labelled, folded
    assert "6 khu dân cư (chiếm tỷ lệ 60%, giảm 10,00 điểm phần trăm so với năm 2022)" in text
    assert "10 khu dân cư (chiếm tỷ lệ 100%" in summary(df, year=2023, area="Phường 1 (Quận 10)")
