"""Tables and labels as a reader reads them (antq.outputs.display)."""

from __future__ import annotations

import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd
import pytest
from openpyxl import load_workbook

import antq
import antq.plot as ap
from antq.outputs.display import area_labels
from antq.outputs.excel import to_excel


def _communes(bundled_tidy: pd.DataFrame, year: int) -> pd.DataFrame:
    return bundled_tidy[(bundled_tidy["year"] == year) & (bundled_tidy["level"] == "commune")]


def test_two_units_of_one_name_get_their_district(bundled_tidy):
    rows = _communes(bundled_tidy, 2024)
    rows = rows[rows["indicator"] == "safe_residential_area"]
    labels = set(area_labels(rows))
    assert {"Xã Hồng Quang (Huyện Ý Yên)", "Xã Hồng Quang (Huyện Nam Trực)"} <= labels
    assert "Xã Hồng Quang" not in labels
    assert len(labels) == len(rows)  # every commune of 2024 is a row of its own
    # A name borne by one unit stays as written.
    assert "Xã Yên Phong" in labels


@pytest.mark.parametrize("years", [None, [2023, 2024, 2024]])
def test_a_unit_keeps_one_label_when_its_district_changes(years):
    # Mỹ Lộc's communes moved into Thành phố Nam Định in 2024: same code, one label; with
    # years, the same unit in the registry (an unknown code falls back on the code).
    t = pd.DataFrame(
        {
            "area": ["Xã Mỹ Hà", "Xã Mỹ Hà", "Xã Mỹ Hà"],
            "area_code": ["13678", "13678", "99999"],
            "level": ["commune"] * 3,
            "province": ["Tỉnh Nam Định"] * 3,
            "district": ["Huyện Mỹ Lộc", "Thành phố Nam Định", "Huyện Khác"],
        }
    )
    if years:
        t["year"] = years
    assert area_labels(t).tolist() == [
        "Xã Mỹ Hà (Thành phố Nam Định)",
        "Xã Mỹ Hà (Thành phố Nam Định)",
        "Xã Mỹ Hà (Huyện Khác)",
    ]


def test_a_new_commune_that_kept_an_old_ones_code_is_another_row(bundled_tidy):
    """Xã Minh Tân of 1/7/2025 (Minh Tân and Cộng Hòa merged) kept code 13750 of the old
    Xã Minh Tân: another unit in the registry, so another row of a report, not one row
    whose 2024 and 2025 look like a change of one commune."""
    rows = bundled_tidy[bundled_tidy["area"].eq("Xã Minh Tân")]
    labels = dict(zip(rows["year"], area_labels(rows), strict=True))
    assert set(rows["area_code"]) == {"13750"}
    assert labels[2024] == "Xã Minh Tân (Huyện Vụ Bản)"
    assert labels[2025] == "Xã Minh Tân (Tỉnh Ninh Bình)"


def test_ranking_draws_one_bar_per_commune(bundled_tidy):
    rows = _communes(bundled_tidy, 2024)
    n = rows.loc[rows["indicator"] == "safe_residential_area", "rate"].notna().sum()
    fig, ax = plt.subplots(figsize=(8, 30))
    ap.ranking(bundled_tidy, indicator="safe_residential_area", year=2024, level="commune", ax=ax)
    names = [t.get_text() for t in ax.get_yticklabels()]
    plt.close(fig)
    assert len(ax.patches) == n == len(set(names))
    assert "Xã Hồng Quang (Huyện Nam Trực)" in names


def test_report_tables_keep_both_communes_of_one_name(bundled_tidy, tmp_path):
    rows = bundled_tidy[
        (bundled_tidy["level"] == "commune") & bundled_tidy["area"].eq("Xã Hồng Quang")
    ]
    rows = rows[rows["year"] == 2024]
    assert len(rows) >= 2
    wb = load_workbook(to_excel(rows, tmp_path / "r.xlsx", findings=rows.iloc[:0], charts=False))
    first_column = {c.value for ws in wb.worksheets[1:3] for c in ws["A"]}
    assert {"Xã Hồng Quang (Huyện Ý Yên)", "Xã Hồng Quang (Huyện Nam Trực)"} <= first_column


def test_a_readable_table_shows_words_left_and_whole_numbers_right_in_a_notebook():
    from antq.outputs.display import readable

    message = "Sheet 'Mo hinh' không có bảng chỉ tiêu nên được bỏ qua: " + "x" * 80
    t = pd.DataFrame({"year": [2024, 2025], "message": [message, "ngắn"], "achieved": [5027, -15]})
    html = readable(t)._repr_html_()
    assert message in html  # whole: pandas cuts text at 50 characters
    # The index's header cell is cell 1; year, message, achieved are cells 2, 3, 4.
    ident = re.search(r'<div id="(antq-t\d+)">', html).group(1)
    assert (
        f"#{ident} td:nth-child(3), #{ident} thead th:nth-child(3) {{ text-align: left; }}" in html
    )
    assert "nth-child(2)" not in html and "nth-child(4)" not in html
    # A slice is shown the same way, under an id of its own.
    part = readable(t).iloc[:1]._repr_html_()
    assert "text-align: left" in part and ident not in part


def test_a_column_of_numbers_with_a_blank_stays_right_aligned_and_numbers_alone_get_no_rule():
    from antq.outputs.display import readable

    # A missing count is written "" (blank): the column is still one of numbers.
    t = pd.DataFrame({"message": ["a", "b"], "achieved": [5027, None]})
    html = readable(t)._repr_html_()
    assert "nth-child(2)" in html and "nth-child(3)" not in html
    # A table of numbers alone: no rule, nothing but the table inside its box.
    html = readable(pd.DataFrame({"achieved": [5027, -15]}))._repr_html_()
    assert "<style>" not in html
    assert re.match(r'<div id="antq-t\d+"><(div|table)\b', html)


def test_a_named_index_is_shown_as_a_column_its_codes_as_words():
    from antq.outputs.display import readable

    t = pd.DataFrame({"indicator": ["safe_school"], "achieved": [5027]}).set_index("indicator")
    out = readable(t)
    assert out.index.name == "Chỉ tiêu"
    assert out.index.tolist() == ["Nhà trường an toàn về ANTT"]
    years = readable(pd.DataFrame({"year": [2024], "achieved": [1]}).set_index("year"))
    assert years.index.name == "Năm" and years.index.tolist() == [2024]


def test_codes_and_years_read_back_as_floats_are_shown_as_written():
    """A table read back from CSV with gaps holds its codes and years as floats: a code is
    "13669", never "13.669" (a count's thousands dot) nor "13669.0"; a year "2015"."""
    df = pd.DataFrame(
        {"year": [2015.0, None], "area_code": [13669.0, None], "achieved": [13669, 5]}
    )
    out = antq.readable(df)
    assert out.iloc[0].tolist() == ["2015", "13669", "13.669"]
    assert out.iloc[1].tolist() == ["", "", "5"]
