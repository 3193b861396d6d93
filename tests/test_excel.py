"""The committee's Excel report and the districts' reporting form."""

import random
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

import antq
from antq.cli import main
from antq.outputs.excel import COUNT_FORMAT, RATE_FORMAT, to_excel
from antq.outputs.form import template


@pytest.fixture(scope="module")
def report(built):
    """The report ``antq build data/raw`` wrote."""
    return load_workbook(built.out / "bao_cao_antq.xlsx")


def test_report_sheets(report):
    assert report.sheetnames == [
        "Tóm tắt",
        "Văn hóa",
        "An toàn ANTT",
        "So với năm trước",
        "Kiểm tra số liệu",
        "Biểu đồ",
        "Dữ liệu",
    ]


def test_report_tables_formats_and_colour_scale(report, bundled_tidy):
    ws = report["An toàn ANTT"]
    cells = {c.value: c for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    head = cells["Khu dân cư an toàn về ANTT — Số đạt"]
    assert [ws.cell(2, c).value for c in (1, 2, 11)] == ["Đơn vị", 2015, 2024]  # every block's
    r = head.row
    assert ws.cell(r + 1, 1).value == "Tỉnh Nam Định"
    assert ws.cell(r + 1, 7).value == 3321 and ws.cell(r + 1, 7).number_format == COUNT_FORMAT
    rates = cells["Khu dân cư an toàn về ANTT — Tỷ lệ"]
    rate_cell = ws.cell(rates.row + 1, 7)  # province, 2020: the published 94,75%
    assert rate_cell.value == pytest.approx(0.9475) and rate_cell.number_format == RATE_FORMAT
    ranges = [str(r.sqref) for r in ws.conditional_formatting]
    assert any(rng.startswith(f"B{rates.row + 1}") for rng in ranges)
    assert ws.freeze_panes == "B3"
    assert ws.column_dimensions["A"].width >= 20


def test_report_yoy_findings_summary_charts(report):
    yoy = report["So với năm trước"]
    assert yoy.freeze_panes == "A2" and yoy["A1"].value == "Năm"
    head = [c.value for c in yoy[1]]
    assert yoy.cell(2, head.index("Tỷ lệ") + 1).number_format == RATE_FORMAT
    assert yoy.cell(2, head.index("Số đạt") + 1).number_format == COUNT_FORMAT
    # The province first, then districts, then communes (it began with a 2025 commune).
    levels = [r[head.index("Cấp")] for r in yoy.iter_rows(min_row=2, values_only=True)]
    firsts = {lv: levels.index(lv) for lv in dict.fromkeys(levels)}
    assert list(firsts) == ["Tỉnh", "Huyện", "Xã"] and levels == sorted(levels, key=firsts.get)
    findings = report["Kiểm tra số liệu"]
    messages = [c.value for c in findings["I"] if c.value]
    assert any("94,75%" in m for m in messages)
    summary = report["Tóm tắt"]
    assert any("3.321 khu dân cư (chiếm tỷ lệ 94,75%" in (c.value or "") for c in summary["B"])
    assert len(report["Biểu đồ"]._images) == 8  # with old Nam Định's area across 2025


@pytest.fixture(scope="module")
def report_en(bundled_tidy, tmp_path_factory):
    """The report in English of the last three years (the words, not the volume, matter)."""
    recent = bundled_tidy[bundled_tidy["year"] >= 2023]
    path = tmp_path_factory.mktemp("en") / "r.xlsx"
    return load_workbook(to_excel(recent, path, lang="en", charts=False))


def test_report_in_english(report_en):
    wb = report_en
    assert wb.sheetnames == ["Summary", "Cultural", "Safety", "Year over year", "Findings", "Data"]
    texts = {ws_row[0].value: ws_row[1].value for ws_row in wb["Summary"].iter_rows(min_row=3)}
    assert "percentage points" in texts[2024]


def _excel_saves(path):
    """Do what Excel does on saving: store each formula's result in place of openpyxl's none."""
    wb = load_workbook(path)
    ws = wb.active
    values = {}
    for row in ws.iter_rows():
        for c in row:
            values[c.coordinate] = c.value

    def num(ref):
        v = values.get(ref)
        return v if isinstance(v, (int, float)) else None

    for row in ws.iter_rows():
        for c in row:
            f = c.value
            if not (isinstance(f, str) and f.startswith("=")):
                continue
            m = re.match(r'=IF\(COUNT\((\w+?)(\d+):\w+?(\d+)\)=0,"",SUM', f)
            if m:
                col, a, b = m.group(1), int(m.group(2)), int(m.group(3))
                nums = [num(f"{col}{r}") for r in range(a, b + 1)]
                nums = [n for n in nums if n is not None]
                c.value = sum(nums) if nums else None
                values[c.coordinate] = c.value
    for row in ws.iter_rows():
        for c in row:
            f = c.value
            if isinstance(f, str) and f.startswith("=IF(AND(ISNUMBER("):
                ach, den = re.findall(r"ISNUMBER\((\w+\d+)\)", f)
                a, t = num(ach), num(den)
                c.value = a / t if a is not None and t else None
    wb.save(path)


def test_template_blank_reads_every_area_and_indicator(tmp_path):
    form = template(tmp_path / "form.xlsx", year=2024, parent="Tỉnh Nam Định")
    res = antq.read(form)
    df = res.table
    # Nine district-level units at the end of 2024 (Mỹ Lộc inside the city), and the total.
    assert len(df) == 10 * 9 and df["achieved"].isna().all() and df["total"].isna().all()
    assert "Huyện Mỹ Lộc" not in set(df["area"])
    assert not res.findings
    assert set(df["year"]) == {2024}
    hh = df[(df["area"] == "Huyện Hải Hậu") & (df["indicator"] == "safe_school")].iloc[0]
    wb = load_workbook(form)
    ws = wb.active
    cell = hh["source"].split("!")[-1]
    assert ws[cell].protection.locked is False  # the achieved cell is an input cell
    assert ws.protection.sheet is True
    # The header (B7:B9 merged, "Đơn vị" in B7), the rates and the total row are locked.
    assert ws["B7"].value == "Đơn vị" and ws["B7"].protection.locked is True
    total = df[df["is_total"] & (df["indicator"] == "safe_school")].iloc[0]
    for src in (hh["rate_source"], total["source"], total["total_source"]):
        assert ws[src.split("!")[-1]].protection.locked is True, src
    assert ws[hh["total_source"].split("!")[-1]].protection.locked is False
    kinds = {dv.type for dv in ws.data_validations.dataValidation}
    assert kinds == {"whole", "custom"}


def test_template_takes_its_province_and_rows_from_the_registry(tmp_path):
    hanoi = antq.read(template(tmp_path / "hn.xlsx", year=2020, parent="Hà Nội")).table
    assert set(hanoi.loc[hanoi["level"] == "province", "area"]) == {"Thành phố Hà Nội"}
    assert hanoi["province"].eq("Thành phố Hà Nội").all() and hanoi["area_code"].notna().all()
    nb = antq.read(template(tmp_path / "nb.xlsx", year=2025, parent="Tỉnh Ninh Bình")).table
    assert nb["level"].value_counts().to_dict() == {"commune": 129 * 9, "province": 9}
    assert nb["district"].isna().all() and nb["area_code"].notna().all()
    with pytest.raises(antq.AntqError, match="parent="):
        template(tmp_path / "x.xlsx", year=2025)


def test_template_round_trip(tmp_path):
    form = template(tmp_path / "form.xlsx", year=2024, parent="Tỉnh Nam Định")
    blank = antq.read(form).table
    rng = random.Random(7)
    wb = load_workbook(form)
    ws = wb.active
    typed = {}
    inputs = sorted(
        {
            s.split("!")[-1]
            for col in ("source", "total_source")
            for s in blank.loc[~blank["is_total"], col].dropna()
        }
    )
    totals = {s.split("!")[-1] for s in blank["total_source"].dropna()}
    for ref in inputs:
        if ref in totals:
            typed[ref] = rng.randint(50, 5000)
    for ref in inputs:
        if ref not in totals:
            row = int(re.sub(r"\D", "", ref))
            match = blank[blank["source"].str.endswith(f"!{ref}")].iloc[0]
            den = match["total_source"].split("!")[-1]
            typed[ref] = rng.randint(0, typed[den])
            assert int(re.sub(r"\D", "", den)) == row
    for ref, v in typed.items():
        ws[ref] = v
    wb.save(form)
    _excel_saves(form)
    df = antq.load(form, detail=True)
    body = df[~df["is_total"]]
    for _, row in body.iterrows():
        assert row["achieved"] == typed[row["source"].split("!")[-1]]
        assert row["total"] == typed[row["total_source"].split("!")[-1]]
        if isinstance(row["rate_source"], str):  # the form's rate formulas, as Excel saved them
            assert row["reported_rate"] == pytest.approx(row["achieved"] / row["total"])
    total = df[df["is_total"] & (df["indicator"] == "safe_agency")].iloc[0]
    assert total["achieved"] == body[body["indicator"] == "safe_agency"]["achieved"].sum()
    assert antq.validate(df[list(antq.TIDY_COLUMNS)]).query("severity == 'error'").empty


def _cp1258_form(text):
    """Letters with their vowel marks composed and their tone marks apart, as cp1258 has them."""
    import unicodedata

    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = []
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch) and ch not in tones:
            base = out.pop()
            tone = ""
            if base in tones:  # keep the tone after the composed letter
                tone, base = base, out.pop()
            out.append(unicodedata.normalize("NFC", base + ch) + tone)
        else:
            out.append(ch)
    return "".join(out)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1258"])
def test_template_for_communes_from_a_file(tmp_path, capsys, encoding):
    # As Notepad saves it: UTF-8 with a BOM, UTF-16 ("Unicode"), or the ANSI code page.
    areas = tmp_path / "xa.txt"
    text = "Xã Hải Nam\r\nTT. Yên Định\r\nXã Hải Châu\r\n"
    if encoding == "cp1258":
        text = _cp1258_form(text)  # cp1258 writes the five tone marks apart
    areas.write_bytes(text.encode(encoding))
    out = tmp_path / "hh.xlsx"
    assert (
        main(
            [
                "template",
                "--year",
                "2024",
                "--level",
                "commune",
                "--parent",
                "Huyện Hải Hậu",
                "--areas",
                str(areas),
                "--out",
                str(out),
            ]
        )
        == 0
    )
    df = antq.load(out)
    assert set(df.loc[df["level"] == "commune", "area"]) == {
        "Xã Hải Nam",
        "Thị trấn Yên Định",
        "Xã Hải Châu",
    }
    assert set(df.loc[df["level"] == "district", "area"]) == {"Huyện Hải Hậu"}


def test_build_embeds_the_charts_it_drew(report, built):
    # The build draws each chart once, for figures/, and the report embeds those files.
    drawn = sorted((built.out / "figures").glob("*.png"))
    assert len(report["Biểu đồ"]._images) == len(drawn) == 8


def test_english_summary_for_partners(bundled_tidy):
    text = antq.summary(bundled_tidy, year=2020, lang="en")
    assert text.startswith("In 2020, the province had 2,863/3,462 cultural residential areas")
    assert "595 agencies (97.25%" in text
    assert not re.search(r"\b(nan|NaN|<NA>|None)\b", text)  # no missing value printed as text


def test_every_sheet_prints_on_a4_landscape_one_page_wide_with_titles(report, tmp_path):
    form = load_workbook(template(tmp_path / "form.xlsx", year=2025, parent="Tỉnh Ninh Bình"))
    for ws in [*report.worksheets, form.active]:
        setup = ws.page_setup
        assert setup.orientation == "landscape", ws.title
        assert str(setup.paperSize) == str(ws.PAPERSIZE_A4), ws.title
        assert int(setup.fitToWidth) == 1 and int(setup.fitToHeight) == 0, ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert ws.print_title_rows, ws.title
    assert report["Kiểm tra số liệu"].print_title_rows == "$1:$1"
    assert form.active.print_title_rows == "$7:$9"


def test_every_printed_page_of_an_indicator_sheet_names_its_columns(report, bundled_tidy):
    # Its blocks (one per indicator, counts then rates) run over dozens of pages; the rows
    # repeated on each page must name the columns (area, years), not the title alone.
    years = sorted(int(y) for y in bundled_tidy["year"].unique())
    for name in ("Văn hóa", "An toàn ANTT"):
        ws = report[name]
        first, last = (int(n) for n in re.findall(r"\d+", ws.print_title_rows))
        repeated = [[c.value for c in ws[r]] for r in range(first, last + 1)]
        assert ["Đơn vị", *years] in repeated, name
        assert ws.freeze_panes == f"B{last + 1}", name  # on screen too


def test_a_long_header_wraps_instead_of_widening_a_column_of_numbers(report):
    # "Tổng số năm trước" over numbers of five digits made the column 21 wide: seventeen
    # such columns printed one page wide at under half size.
    ws = report["So với năm trước"]
    letter = {c.value: c.column_letter for c in ws[1]}
    for name in ("Số đạt năm trước", "Tổng số năm trước", "Tỷ lệ năm trước", "Thay đổi (điểm %)"):
        assert ws.column_dimensions[letter[name]].width <= 12, name
    assert 30 <= ws.row_dimensions[1].height <= 45  # two or three lines, not one per word
    assert ws["A1"].alignment.wrap_text
    # A text that fills its column's line exactly ("Khu dân cư văn hóa", 18) takes one line.
    assert ws["F2"].value == "Khu dân cư văn hóa" and ws.row_dimensions[2].height is None


def test_a_fall_is_written_with_the_charts_minus_sign(report, tmp_path):
    # The charts and antq.readable write "−0,30" (U+2212); the report wrote "-0,30".
    from antq.outputs.excel import CHANGE_FORMAT, PP_FORMAT
    from antq.plot import MINUS

    ws = report["So với năm trước"]
    letter = {c.value: c.column_letter for c in ws[1]}
    fell = next(
        c for c in ws[letter["Thay đổi (điểm %)"]][1:] if isinstance(c.value, float) and c.value < 0
    )
    assert fell.number_format == PP_FORMAT
    for fmt in (PP_FORMAT, CHANGE_FORMAT):
        plus, minus, _zero = fmt.split(";")
        assert plus.startswith("+") and MINUS in minus and "-" not in minus


def test_each_chart_prints_on_a_page_of_its_own(report):
    ws = report["Biểu đồ"]
    images = ws._images
    assert len(ws.row_breaks.brk) == len(images) - 1
    emu_per_px = 9525
    for img in images:  # inside A4 landscape's margins
        assert img.anchor.ext.width <= 900 * emu_per_px
        assert img.anchor.ext.height <= 480 * emu_per_px


def test_codes_are_shown_as_words(report, report_en):
    findings = report["Kiểm tra số liệu"]
    head = [c.value for c in findings[1]]
    assert head[:3] == ["Mức độ", "Quy tắc", "Loại vấn đề"]
    rows = list(findings.iter_rows(min_row=2, values_only=True))
    assert {r[0] for r in rows} <= {"Lỗi", "Cảnh báo", "Thông tin"}
    mismatch = next(r for r in rows if r[1] == "rate.mismatch")
    assert mismatch[2] == "Tỷ lệ không khớp với số liệu"
    assert mismatch[5] == "Tỉnh" and mismatch[6] == "Khu dân cư an toàn về ANTT"
    message = findings.cell(2, head.index("Nội dung") + 1)
    assert message.alignment.wrap_text
    assert findings.column_dimensions["I"].width <= 80
    data = report["Dữ liệu"]
    assert [c.value for c in data[1]][:6] == ["Năm", "Tỉnh", "Huyện", "Đơn vị", "Mã đơn vị", "Cấp"]
    values = {c.value for row in data.iter_rows(min_row=2, max_row=200) for c in row}
    assert not values & {"district", "province", "safe_residential_area", "warning"}
    rows = list(report_en["Findings"].iter_rows(min_row=2, values_only=True))
    assert {r[0] for r in rows} <= {"Error", "Warning", "Information"}


def test_every_finding_rule_has_a_readable_name():
    from antq.findings import catalogue
    from antq.vocab import words

    missing = [rule for rule in catalogue() if f"rule.{rule}" not in words()]
    assert not missing


def test_a_header_wraps_at_word_boundaries_into_as_few_lines_as_its_column_holds():
    from antq.outputs.excel import _head_lines

    # A column 12 wide holds 12 characters a line (× 1,05, rounded down), as _row_height counts.
    assert _head_lines("Tổng số năm trước", 12) == 2  # "Tổng số năm" / "trước"
    assert _head_lines("Số đạt năm trước", 6) == 3  # "Số đạt" / "năm" / "trước"
    assert _head_lines("Khu dân cư", 10) == 1  # fills its line exactly
    assert _head_lines("Năm", 3) == 1  # a word as wide as its column
    assert _head_lines("Tổng số năm trước", 60) == 1


@pytest.fixture(scope="module")
def small_reports(tmp_path_factory):
    """The report of a province and a district over two years, in Vietnamese and English."""
    import pandas as pd

    rows = [
        {
            "year": year,
            "province": "Tỉnh Nam Định",
            "district": district,
            "area": area,
            "area_code": code,
            "level": level,
            "indicator": indicator,
            "achieved": achieved + year - 2023,
            "total": total,
            "rate": (achieved + year - 2023) / total,
            "reported_rate": None,
            "source": "BC.xlsx!Sheet1!A1",
        }
        for year in (2023, 2024)
        for area, code, level, district, achieved, total in (
            ("Tỉnh Nam Định", "36", "province", None, 900, 1000),
            ("Huyện Ý Yên", "358", "district", "Huyện Ý Yên", 90, 100),
        )
        for indicator in ("safe_residential_area", "safe_school")
    ]
    folder = tmp_path_factory.mktemp("small")
    return {
        lang: load_workbook(
            to_excel(pd.DataFrame(rows), folder / f"{lang}.xlsx", lang=lang, charts=False)
        )
        for lang in ("vi", "en")
    }


def test_an_indicator_sheet_has_its_title_its_columns_then_its_first_block(small_reports):
    ws, en = small_reports["vi"]["An toàn ANTT"], small_reports["en"]["Safety"]
    assert ws["A1"].value.endswith(" — An toàn ANTT")
    assert ws["A1"].font.b and ws["A1"].font.sz == 13
    assert [c.value for c in ws[2]] == ["Đơn vị", 2023, 2024]
    assert [c.value for c in en[2]] == ["Area", 2023, 2024]
    assert all(c.style == "antq head True" for c in ws[2])  # bold, shaded, boxed
    # The first block right under the columns' names: no blank row between.
    assert ws["A3"].value == "Khu dân cư an toàn về ANTT — Số đạt"
    assert [c.value for c in ws[4]] == ["Tỉnh Nam Định", 900, 901]


def test_a_rates_block_is_coloured_from_its_lowest_rate_light_to_its_highest_dark(small_reports):
    ws = small_reports["vi"]["An toàn ANTT"]
    scales = [rule.colorScale for cf in ws.conditional_formatting for rule in cf.rules]
    assert len(scales) == 2  # one per indicator's rates
    for scale in scales:
        assert [o.type for o in scale.cfvo] == ["min", "max"]
        assert [c.rgb.upper() for c in scale.color] == ["FFF7FBFF", "FF6BAED6"]


def test_a_wrapped_cell_makes_its_row_as_tall_as_its_lines():
    from openpyxl import Workbook

    from antq.outputs._sheetxml import SheetCells
    from antq.outputs.excel import _row_height

    cells = SheetCells(Workbook().active)
    # A column 70 wide holds 73 characters a line (× 1,05).
    _row_height(cells, 2, [("x" * 150, 70)])  # three lines
    _row_height(cells, 3, [("x" * 73, 70)])  # one line, full: the row as Excel makes it
    _row_height(cells, 4, [("x" * 74, 70), (None, 20)])  # two lines; an empty cell none
    _row_height(cells, 5, [(None, 70)])  # nothing to wrap: the row as Excel makes it
    _row_height(cells, 6, [])
    assert cells.heights == {2: 45, 4: 30}


def test_the_long_text_columns_wrap_and_no_others(small_reports):
    ws = small_reports["vi"]["So với năm trước"]
    wrapped = {c.value for c in ws[1] if ws.cell(2, c.column).alignment.wrap_text}
    assert wrapped == {
        "Tỉnh",
        "Huyện",
        "Đơn vị",
        "Chỉ tiêu",
        "Sự kiện giữa hai năm",
        "Đơn vị năm trước",
    }


def test_a_long_header_over_numbers_wraps_rather_than_widening_its_column(small_reports):
    ws = small_reports["vi"]["So với năm trước"]
    letter = {c.value: c.column_letter for c in ws[1]}
    assert ws.column_dimensions[letter["Tổng số năm trước"]].width <= 12
    assert ws.row_dimensions[1].height >= 30


def test_pages_are_numbered_in_the_reports_language_and_the_filter_spans_the_rows(small_reports):
    assert small_reports["vi"]["An toàn ANTT"].oddFooter.center.text == "Trang &P/&N"
    assert small_reports["en"]["Safety"].oddFooter.center.text == "Page &P of &N"
    ws = small_reports["vi"]["So với năm trước"]
    assert ws.max_row == 9  # the header and 8 rows: 2 areas × 2 indicators × 2 years
    assert ws.auto_filter.ref == "A1:Q9"


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["Xã A", "Xã B", "Xã C", "Xã D"]),
            st.sampled_from([2019, 2020, 2021]),
            st.one_of(st.none(), st.integers(0, 50)),
        ),
        max_size=30,
    ),
    st.sampled_from(["Int64", "Float64"]),
)
def test_an_area_year_table_takes_each_cells_first_value_as_pandas_pivot_table_does(rows, dtype):
    from antq.outputs.excel import _pivot

    sub = pd.DataFrame(rows, columns=["area", "year", "v"]).astype(
        {"area": "string", "year": "int64", "v": dtype}
    )
    areas, years = ["Xã A", "Xã B", "Xã C"], [2019, 2020, 2021, 2022]  # Xã D shown nowhere
    got = _pivot(sub, sub["v"], areas, years)
    assert list(got.index) == areas and list(got.columns) == years
    if sub["v"].notna().any():
        expected = (
            sub.assign(_v=sub["v"])
            .pivot_table(index="area", columns="year", values="_v", aggfunc="first")
            .reindex(index=areas, columns=years)
        )
        np.testing.assert_array_equal(
            got.to_numpy(float), expected.to_numpy(dtype=float, na_value=np.nan)
        )
    else:
        assert got.isna().all().all()
    if len(sub):
        with pytest.raises(ValueError, match="values for"):
            _pivot(sub, sub["v"].iloc[1:], areas, years)


@pytest.mark.parametrize(
    ("areas", "message"),
    [
        (["Xã Hải Anhh", "Xã Hải Hưng"], r"'Xã Hải Anhh' \(≈ Xã Hải Anh"),
        ([], "is empty"),
        (["", "  "], "is empty"),
    ],
    ids=["typo", "empty", "blank_lines"],
)
def test_a_forms_own_list_of_areas_is_checked(tmp_path, areas, message):
    # A typo went into the form as written, and an empty list gave every commune.
    with pytest.raises(antq.AntqError, match=message):
        antq.template(
            tmp_path / "f.xlsx", year=2025, level="commune", parent="Tỉnh Ninh Bình", areas=areas
        )
    assert not (tmp_path / "f.xlsx").exists()
