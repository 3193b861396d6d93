"""Workbooks for the committee and the districts: the Excel report and the reporting form.

The report (:func:`to_excel`) lays the tidy table out the way officials read
it: one sheet per indicator group with area × year tables of counts and
rates, the year-over-year changes, the findings, the summary text and the
charts. The form (:func:`template`) is a blank report in the province's
standard layout that :func:`antq.load` reads exactly.

Number formats are real Excel formats ("#,##0", "0.00%"), which Excel shows
as "1.234" and "94,75%" in a Vietnamese locale.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from antq._io import atomic_write
from antq.errors import AntqError
from antq.metrics.yoy import yoy
from antq.outputs.summary import summary
from antq.schema import check_tidy
from antq.vocab import LEVELS, indicators, resolve_area

__all__ = ["COUNT_FORMAT", "RATE_FORMAT", "template", "to_excel"]

#: Excel number formats (shown "1.234" and "94,75%" under a Vietnamese locale).
COUNT_FORMAT: str = "#,##0"
RATE_FORMAT: str = "0.00%"
PP_FORMAT: str = "+0.00;-0.00;0.00"

_FONT = "Times New Roman"
_THIN = Side(style="thin", color="999999")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", start_color="FFDDEBF7", end_color="FFDDEBF7")
_INPUT_FILL = PatternFill("solid", start_color="FFFFFFFF", end_color="FFFFFFFF")
_CALC_FILL = PatternFill("solid", start_color="FFF2F2F2", end_color="FFF2F2F2")
_GROUPS = {
    "vi": {
        "Văn hóa": [c for c, i in indicators().items() if not i.qualifier],
        "An toàn ANTT": [c for c, i in indicators().items() if i.qualifier == "safe"],
    },
    "en": {
        "Cultural": [c for c, i in indicators().items() if not i.qualifier],
        "Safety": [c for c, i in indicators().items() if i.qualifier == "safe"],
    },
}
_WORDS = {
    "vi": {
        "area": "Đơn vị",
        "counts": "Số đạt",
        "rates": "Tỷ lệ",
        "summary": "Tóm tắt",
        "yoy": "So với năm trước",
        "findings": "Kiểm tra số liệu",
        "charts": "Biểu đồ",
        "data": "Dữ liệu",
        "title": "KẾT QUẢ PHONG TRÀO TOÀN DÂN BẢO VỆ AN NINH TỔ QUỐC",
        "no_findings": "Không phát hiện vấn đề.",
        "data_elsewhere": "{n} dòng: xem tidy.parquet hoặc tidy.csv.",
        "level": "Cấp",
        "levels": {"province": "Tỉnh", "district": "Huyện", "commune": "Xã"},
    },
    "en": {
        "area": "Area",
        "counts": "Achieved",
        "rates": "Rate",
        "summary": "Summary",
        "yoy": "Year over year",
        "findings": "Findings",
        "charts": "Charts",
        "data": "Data",
        "title": "RESULTS OF THE MOVEMENT ALL PEOPLE PROTECT NATIONAL SECURITY",
        "no_findings": "No problems found.",
        "data_elsewhere": "{n} rows: see tidy.parquet or tidy.csv.",
        "level": "Level",
        "levels": {"province": "Province", "district": "District", "commune": "Commune"},
    },
}
_YOY_HEAD = {
    "vi": [
        "Năm",
        "Đơn vị",
        "Cấp",
        "Chỉ tiêu",
        "Số đạt",
        "Số đạt năm trước",
        "Tổng số",
        "Tổng số năm trước",
        "Tỷ lệ",
        "Tỷ lệ năm trước",
        "Thay đổi (điểm %)",
        "Tăng số đạt",
    ],
    "en": [
        "Year",
        "Area",
        "Level",
        "Indicator",
        "Achieved",
        "Achieved, previous year",
        "Total",
        "Total, previous year",
        "Rate",
        "Rate, previous year",
        "Change (pp)",
        "Growth of achieved",
    ],
}
_FINDING_HEAD = {
    "vi": [
        "Mức độ",
        "Quy tắc",
        "Năm",
        "Đơn vị",
        "Cấp",
        "Chỉ tiêu",
        "Ô",
        "Nội dung",
        "Giá trị đúng",
        "Giá trị ghi",
    ],
    "en": [
        "Severity",
        "Rule",
        "Year",
        "Area",
        "Level",
        "Indicator",
        "Cell",
        "Message",
        "Expected",
        "Found",
    ],
}


def _label(code: str, lang: str) -> str:
    ind = indicators()[code]
    return ind.label_vi if lang == "vi" else ind.label_en


def _head(cell, *, wrap: bool = True) -> None:
    cell.font = Font(name=_FONT, bold=True)
    cell.fill = _HEAD_FILL
    cell.border = _BOX
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=wrap)


def _body(cell, fmt: str | None = None) -> None:
    cell.font = Font(name=_FONT)
    cell.border = _BOX
    if fmt:
        cell.number_format = fmt


def _print_setup(ws) -> None:
    """Landscape A4, one page wide: the sheet prints as it reads on screen."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _fit_columns(ws, minimum: float = 8, maximum: float = 60) -> None:
    widths: dict[int, float] = {}
    merged = {
        (r, c)
        for rng in ws.merged_cells.ranges
        for r in range(rng.min_row, rng.max_row + 1)
        for c in range(rng.min_col, rng.max_col + 1)
        if rng.max_col > rng.min_col
    }
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is None or (cell.row, cell.column) in merged:
                continue
            if isinstance(cell.value, float):
                text = f"{cell.value:,.2f}"
            else:
                text = str(cell.value)
            longest = max(len(line) for line in text.split("\n"))
            widths[cell.column] = max(widths.get(cell.column, 0), longest * 1.1 + 2)
    for col, width in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = max(minimum, min(maximum, width))


#: The report's tables list areas level by level from the top while they fit: a committee
#: reads provinces and districts; ten thousand communes belong in the CSV, not on paper.
MAX_REPORT_AREAS: int = 300
#: Above this many rows the tidy data is left to tidy.parquet / tidy.csv.
MAX_DATA_ROWS: int = 100_000


def _report_levels(df: pd.DataFrame) -> list[str]:
    """The levels the report's tables show: from the top down, while the areas fit."""
    levels, count = [], 0
    for level in LEVELS:
        n = df.loc[df["level"] == level, "area"].nunique()
        if n == 0:
            continue
        if levels and count + n > MAX_REPORT_AREAS:
            break
        levels.append(level)
        count += n
    return levels


def _area_order(df: pd.DataFrame) -> list[str]:
    order = df.assign(_l=df["level"].map(LEVELS.index)).drop_duplicates("area")
    return order.sort_values("_l", kind="stable")["area"].tolist()


def _indicator_sheet(
    wb: Workbook, df: pd.DataFrame, name: str, codes: list[str], lang: str
) -> None:
    w = _WORDS[lang]
    ws = wb.create_sheet(name)
    years = sorted(int(y) for y in df["year"].unique())
    areas = _area_order(df)
    ws.cell(1, 1, f"{w['title']} — {name}").font = Font(name=_FONT, bold=True, size=13)
    r = 3
    for code in codes:
        sub = df[df["indicator"] == code]
        if sub.empty:
            continue
        shown = sub["reported_rate"].fillna(sub["rate"])
        counts = sub.pivot_table(
            index="area", columns="year", values="achieved", aggfunc="first"
        ).reindex(index=areas, columns=years)
        rates = (
            sub.assign(_r=shown)
            .pivot_table(index="area", columns="year", values="_r", aggfunc="first")
            .reindex(index=areas, columns=years)
        )
        for block, table, fmt in (
            (w["counts"], counts, COUNT_FORMAT),
            (w["rates"], rates, RATE_FORMAT),
        ):
            if table.isna().all().all():
                continue
            ws.cell(r, 1, f"{_label(code, lang)} — {block}").font = Font(name=_FONT, bold=True)
            r += 1
            _head(ws.cell(r, 1, w["area"]))
            for j, y in enumerate(years, start=2):
                _head(ws.cell(r, j, y))
            first = r + 1
            for i, area in enumerate(table.index, start=first):
                _body(ws.cell(i, 1, area))
                for j, y in enumerate(years, start=2):
                    v = table.loc[area, y]
                    cell = ws.cell(
                        i, j, None if pd.isna(v) else (float(v) if fmt == RATE_FORMAT else int(v))
                    )
                    _body(cell, fmt)
            last = first + len(table.index) - 1
            if fmt == RATE_FORMAT:
                rng = f"B{first}:{get_column_letter(len(years) + 1)}{last}"
                # Light to dark blue: readable in grey and for colour-blind readers.
                ws.conditional_formatting.add(
                    rng,
                    ColorScaleRule(
                        start_type="min",
                        start_color="FFF7FBFF",
                        end_type="max",
                        end_color="FF6BAED6",
                    ),
                )
            r = last + 2
    ws.freeze_panes = "B3"
    _fit_columns(ws)
    _print_setup(ws)
    ws.column_dimensions["A"].width = max(ws.column_dimensions["A"].width, 24)


def _table_sheet(
    wb: Workbook, name: str, head: list[str], frame: pd.DataFrame, formats: dict[int, str]
) -> None:
    ws = wb.create_sheet(name)
    for j, h in enumerate(head, start=1):
        _head(ws.cell(1, j, h))
    for i, row in enumerate(frame.itertuples(index=False), start=2):
        for j, v in enumerate(row, start=1):
            value = None if v is None or (not isinstance(v, str) and pd.isna(v)) else v
            if hasattr(value, "item"):
                value = value.item()
            _body(ws.cell(i, j, value), formats.get(j))
    ws.freeze_panes = "A2"
    _print_setup(ws)
    if len(frame):
        ws.auto_filter.ref = f"A1:{get_column_letter(len(head))}{len(frame) + 1}"
    _fit_columns(ws)


def to_excel(
    df: pd.DataFrame,
    path: str | os.PathLike[str],
    *,
    findings: pd.DataFrame | None = None,
    lang: str = "vi",
    charts: bool = True,
) -> Path:
    """Write the committee's Excel report of a tidy table.

    Sheets: the summary text of each year; one sheet per indicator group
    with area × year tables of counts ("#,##0") and rates ("0.00%", with a
    colour scale); the year-over-year table; the findings; the charts; the
    tidy data. Header rows are frozen and columns sized to fit. The file is
    written atomically.

    Parameters
    ----------
    df
        A tidy table.
    path
        The .xlsx file to write.
    findings
        A findings table (default: :func:`antq.validate` of ``df``).
    lang
        "vi" (default) or "en".
    charts
        Embed the standard charts (PNG) on a sheet of their own.

    Returns
    -------
    Path

    Examples
    --------
    >>> import antq, tempfile
    >>> out = to_excel(antq.load("data/raw"), Path(tempfile.mkdtemp()) / "bao_cao.xlsx")
    >>> from openpyxl import load_workbook
    >>> load_workbook(out).sheetnames[:4]
    ['Tóm tắt', 'Văn hóa', 'An toàn ANTT', 'So với năm trước']
    """
    from antq.validation.rules import validate

    check_tidy(df)
    w = _WORDS[lang]
    if findings is None:
        findings = validate(df, lang=lang)
    full = df
    df = df[df["level"].isin(_report_levels(df))]
    wb = Workbook()
    ws = wb.active
    ws.title = w["summary"]
    ws.cell(1, 1, w["title"]).font = Font(name=_FONT, bold=True, size=13)
    r = 3
    for y in sorted((int(y) for y in df["year"].unique()), reverse=True):
        try:
            text = summary(df, year=y, lang=lang)
        except AntqError:
            continue
        year_cell = ws.cell(r, 1, y)
        year_cell.font = Font(name=_FONT, bold=True)
        year_cell.alignment = Alignment(vertical="top")
        cell = ws.cell(r, 2, text)
        cell.font = Font(name=_FONT)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[r].height = 15 * (len(text) // 110 + 1)
        r += 1
    ws.column_dimensions["A"].width = 8
    ws.column_dimensions["B"].width = 120
    _print_setup(ws)
    for name, codes in _GROUPS[lang].items():
        _indicator_sheet(wb, df, name, codes, lang)
    changes = yoy(df)
    changes = changes.assign(
        level=changes["level"].map(w["levels"]),
        indicator=changes["indicator"].map(lambda c: _label(c, lang)),
    )
    _table_sheet(
        wb,
        w["yoy"],
        _YOY_HEAD[lang],
        changes,
        {
            5: COUNT_FORMAT,
            6: COUNT_FORMAT,
            7: COUNT_FORMAT,
            8: COUNT_FORMAT,
            9: RATE_FORMAT,
            10: RATE_FORMAT,
            11: PP_FORMAT,
            12: RATE_FORMAT,
        },
    )
    if findings.empty:
        ws_f = wb.create_sheet(w["findings"])
        ws_f.cell(1, 1, w["no_findings"])
    else:
        _table_sheet(wb, w["findings"], _FINDING_HEAD[lang], findings, {})
    if charts:
        _charts_sheet(wb, df, w["charts"], lang)
    if len(full) <= MAX_DATA_ROWS:
        data = full.assign(level=full["level"].map(w["levels"]))
        _table_sheet(
            wb,
            w["data"],
            list(full.columns),
            data,
            {5: COUNT_FORMAT, 6: COUNT_FORMAT, 7: RATE_FORMAT, 8: RATE_FORMAT},
        )
    else:
        wb.create_sheet(w["data"]).cell(1, 1, w["data_elsewhere"].format(n=len(full)))
    return atomic_write(Path(path), wb.save)


def _charts_sheet(wb: Workbook, df: pd.DataFrame, name: str, lang: str) -> None:
    from openpyxl.drawing.image import Image

    from antq.pipeline import figures

    ws = wb.create_sheet(name)
    tmp = Path(tempfile.mkdtemp(prefix="antq-charts-"))
    row = 1
    for png in figures(df, tmp, lang=lang):
        img = Image(io.BytesIO(png.read_bytes()))
        scale = 720 / img.width
        img.width, img.height = int(img.width * scale), int(img.height * scale)
        ws.add_image(img, f"A{row}")
        row += int(img.height / 20) + 2
        png.unlink()
    tmp.rmdir()


# ---- the reporting form --------------------------------------------------------------------

#: The form's columns: (group, indicator, leaf, role). The shared denominator comes first.
_FORM = [
    (None, None, "Tổng số khu dân cư", "ra_total"),
    ("Khu dân cư văn hóa", "cultural_residential_area", "Số đạt", "achieved"),
    ("Khu dân cư văn hóa", "cultural_residential_area", "Tỷ lệ (%)", "rate"),
    ("Gia đình văn hóa", "cultural_family", "Tổng số hộ", "total"),
    ("Gia đình văn hóa", "cultural_family", "Số hộ đạt", "achieved"),
    ("Gia đình văn hóa", "cultural_family", "Tỷ lệ (%)", "rate"),
    ("KDC có hương ước, quy ước", "residential_area_with_convention", "Số đạt", "achieved"),
    ("KDC “5 không”", "five_no_residential_area", "Số đạt", "achieved"),
    ("KDC an toàn về ANTT", "safe_residential_area", "Số đạt", "achieved"),
    ("KDC an toàn về ANTT", "safe_residential_area", "Tỷ lệ (%)", "rate"),
]
for _unit, _code in (
    ("Xã, phường, thị trấn", "safe_commune"),
    ("Cơ quan", "safe_agency"),
    ("Doanh nghiệp", "safe_enterprise"),
    ("Nhà trường", "safe_school"),
):
    _g = f"{_unit} an toàn về ANTT"
    _FORM += [
        (_g, _code, "Tổng số", "total"),
        (_g, _code, "Số đạt", "achieved"),
        (_g, _code, "Tỷ lệ (%)", "rate"),
    ]


def _form_areas(level: str, areas: Sequence[str] | None, parent: str | None) -> list[str]:
    if areas:
        return [resolve_area(a).name for a in areas]
    from antq.vocab import _rows

    rows = _rows("areas.csv")
    parent = parent or next(
        r["name"] for r in rows if r["level"] == "province" and r["name"].startswith("Tỉnh")
    )
    names = [r["name"] for r in rows if r["level"] == level and r["parent"] == parent]
    if not names:
        raise AntqError(f"no {level} of {parent} in antq's list of areas; pass areas=[...]")
    return names


def template(
    path: str | os.PathLike[str],
    *,
    year: int,
    level: str = "district",
    areas: Sequence[str] | None = None,
    parent: str | None = None,
) -> Path:
    """Write a blank reporting form in the standard layout for ``year``.

    One row per area (the province's districts, or a district's communes),
    a total row, instructions, data validation on every input cell (whole
    numbers ≥ 0; achieved ≤ total), protected headers, and rates and totals
    as formulas. :func:`antq.load` reads a blank form as every area ×
    indicator with NA counts, and reads back whatever is typed into it.

    Parameters
    ----------
    path
        The .xlsx file to write.
    year
        The reporting year, written into the title.
    level
        "district" (a form for the province's districts) or "commune" (for a
        district's communes).
    areas
        Area names for the rows (default: from antq's list of areas).
    parent
        The enclosing area (default: the province of antq's list; for
        ``level="commune"`` pass the district, e.g. "Huyện Hải Hậu").

    Examples
    --------
    >>> import antq, tempfile
    >>> form = template(Path(tempfile.mkdtemp()) / "bieu_2025.xlsx", year=2025)
    >>> blank = antq.load(form)
    >>> len(blank), int(blank["achieved"].notna().sum())
    (99, 0)
    """
    if level not in ("district", "commune"):
        raise ValueError("level must be 'district' or 'commune'")
    names = _form_areas(level, areas, parent)
    if parent is None and level == "commune":
        raise AntqError("a commune form needs parent=, the district it is for")
    enclosing = parent or "Tỉnh Nam Định"
    org = enclosing.upper().replace("TỈNH", "BAN CHỈ ĐẠO 138 TỈNH").replace("HUYỆN", "UBND HUYỆN")
    width = 2 + len(_FORM)
    wb = Workbook()
    ws = wb.active
    ws.title = f"Năm {year}"
    ws.cell(1, 1, org).font = Font(name=_FONT, bold=True)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=6)
    ws.cell(1, width - 5, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM").font = Font(name=_FONT, bold=True)
    ws.cell(2, width - 5, "Độc lập - Tự do - Hạnh phúc").font = Font(name=_FONT, bold=True)
    title = ws.cell(
        4, 1, f"BIỂU TỔNG HỢP KẾT QUẢ PHONG TRÀO TOÀN DÂN BẢO VỆ AN NINH TỔ QUỐC NĂM {year}"
    )
    title.font = Font(name=_FONT, bold=True, size=13)
    title.alignment = Alignment(horizontal="center")
    ws.merge_cells(start_row=4, start_column=1, end_row=4, end_column=width)
    guide = ws.cell(
        5,
        1,
        "Hướng dẫn: chỉ nhập số nguyên từ 0 trở lên vào các ô trắng; số đạt "
        "không lớn hơn tổng số; các ô xám (tỷ lệ, dòng tổng cộng) tự tính, "
        "không nhập; không sửa tiêu đề, không thêm bớt cột.",
    )
    guide.font = Font(name=_FONT, italic=True)
    guide.alignment = Alignment(wrap_text=True)
    ws.merge_cells(start_row=5, start_column=1, end_row=5, end_column=width)
    ws.row_dimensions[5].height = 30
    h1, h2, h3 = 7, 8, 9
    for c, text in ((1, "STT"), (2, "Đơn vị")):
        ws.cell(h1, c, text)
        ws.merge_cells(start_row=h1, start_column=c, end_row=h3, end_column=c)
    ws.cell(h1, 3, "Tổng số khu dân cư")
    ws.merge_cells(start_row=h1, start_column=3, end_row=h3, end_column=3)
    cultural_end = 2 + 8
    ws.cell(h1, 4, "Xây dựng khu dân cư, gia đình văn hóa")
    ws.merge_cells(start_row=h1, start_column=4, end_row=h1, end_column=cultural_end)
    ws.cell(h1, cultural_end + 1, "Đạt chuẩn “An toàn về an ninh, trật tự”")
    ws.merge_cells(start_row=h1, start_column=cultural_end + 1, end_row=h1, end_column=width)
    col_of: dict[tuple[str | None, str], int] = {}
    c = 3
    groups: dict[str, list[int]] = {}
    for group, code, leaf, role in _FORM:
        col_of[(code, role)] = c
        if group:
            groups.setdefault(group, []).append(c)
            ws.cell(h3, c, leaf)
        c += 1
    for group, cols in groups.items():
        ws.cell(h2, cols[0], group)
        if len(cols) > 1:
            ws.merge_cells(start_row=h2, start_column=cols[0], end_row=h2, end_column=cols[-1])
        else:
            ws.merge_cells(start_row=h2, start_column=cols[0], end_row=h3, end_column=cols[0])
    for r in (h1, h2, h3):
        for cc in range(1, width + 1):
            _head(ws.cell(r, cc))
    ws.row_dimensions[h2].height = 45
    first = h3 + 1
    last = first + len(names) - 1
    total_row = last + 1
    whole = DataValidation(
        type="whole",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Số liệu không hợp lệ",
        error="Chỉ nhập số nguyên từ 0 trở lên.",
    )
    ws.add_data_validation(whole)
    for i, name in enumerate(names):
        r = first + i
        _body(ws.cell(r, 1, i + 1))
        _body(ws.cell(r, 2, name))
    for _group, code, _leaf, role in _FORM:
        col = col_of[(code, role)]
        letter = get_column_letter(col)
        denominator = col_of.get((code, "total")) or col_of[(None, "ra_total")]
        den = get_column_letter(denominator)
        if role in ("achieved", "total", "ra_total"):
            rng = f"{letter}{first}:{letter}{last}"
            if role == "achieved":
                dv = DataValidation(
                    type="custom",
                    formula1=f"AND(INT({letter}{first})={letter}{first},{letter}{first}>=0,"
                    f'OR({den}{first}="",{letter}{first}<={den}{first}))',
                    allow_blank=True,
                    showErrorMessage=True,
                    errorTitle="Số liệu không hợp lệ",
                    error="Nhập số nguyên từ 0 trở lên, không lớn hơn tổng số.",
                )
                ws.add_data_validation(dv)
                dv.add(rng)
            else:
                whole.add(rng)
            for r in range(first, last + 1):
                cell = ws.cell(r, col)
                _body(cell, COUNT_FORMAT)
                cell.protection = Protection(locked=False)
                cell.fill = _INPUT_FILL
            ws.cell(
                total_row, col, f'=IF(COUNT({rng})=0,"",SUM({rng}))'
            ).number_format = COUNT_FORMAT
        else:
            ach = get_column_letter(col_of[(code, "achieved")])
            for r in (*range(first, last + 1), total_row):
                cell = ws.cell(
                    r,
                    col,
                    f"=IF(AND(ISNUMBER({ach}{r}),ISNUMBER({den}{r}),"
                    f'N({den}{r})>0),{ach}{r}/{den}{r},"")',
                )
                _body(cell, RATE_FORMAT)
                cell.fill = _CALC_FILL
    ws.cell(total_row, 2, "Tổng cộng")
    for cc in range(1, width + 1):
        _body(ws.cell(total_row, cc))
        ws.cell(total_row, cc).font = Font(name=_FONT, bold=True)
        if cc > 2:
            ws.cell(total_row, cc).fill = _CALC_FILL
    note = ws.cell(total_row + 2, 2, "Ghi chú: ô trắng do đơn vị nhập; ô xám tự tính.")
    note.font = Font(name=_FONT, italic=True)
    ws.cell(total_row + 4, 2, "NGƯỜI LẬP BIỂU").font = Font(name=_FONT, bold=True)
    ws.cell(total_row + 4, width - 4, "THỦ TRƯỞNG ĐƠN VỊ").font = Font(name=_FONT, bold=True)
    ws.freeze_panes = ws.cell(first, 3)
    ws.column_dimensions["A"].width = 5
    ws.column_dimensions["B"].width = 24
    for cc in range(3, width + 1):
        ws.column_dimensions[get_column_letter(cc)].width = 11
    _print_setup(ws)
    ws.print_title_rows = f"{h1}:{h3}"
    ws.protection.sheet = True
    ws.protection.formatCells = False
    ws.protection.formatColumns = False

    def save(p: Path) -> None:
        wb.save(p)
        _cache_blank_formulas(p)

    return atomic_write(Path(path), save)


def _as_empty_string(m: re.Match[bytes]) -> bytes:
    """A formula cell whose saved result is the empty string (t="str", one t attribute)."""
    attrs = re.sub(rb'\s+t="[^"]*"', b"", m.group(1))
    return b"<c " + attrs + b' t="str">' + m.group(2) + b"<v></v>"


def _cache_blank_formulas(path: Path) -> None:
    """Store each formula's result for an empty form ("") as Excel would.

    openpyxl saves formulas without results; a reader then cannot tell a
    blank form from one never opened in Excel. Every formula of the form
    yields "" while nothing is entered, so that is cached as a string.
    """
    src = zipfile.ZipFile(path)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.startswith("xl/worksheets/sheet"):
                data = re.sub(rb"<c ([^>]*?)>(<f>[^<]*</f>)<v\s*/>", _as_empty_string, data)
            dst.writestr(info, data)
    src.close()
    path.write_bytes(out.getvalue())
