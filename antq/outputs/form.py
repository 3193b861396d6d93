"""The reporting form: a blank report in the province's standard layout that antq reads back.

:func:`template` writes it; the clerk types whole numbers into the white cells;
:func:`antq.load` reads it back exactly, each number traced to its cell.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from antq import registry
from antq._io import atomic_write
from antq.errors import AntqError
from antq.outputs.excel import COUNT_FORMAT, FONT, RATE_FORMAT, body_cell, head_cell, print_setup
from antq.vocab import resolve_area

__all__ = ["template"]

_INPUT_FILL = PatternFill("solid", start_color="FFFFFFFF", end_color="FFFFFFFF")
_CALC_FILL = PatternFill("solid", start_color="FFF2F2F2", end_color="FFF2F2F2")

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


def _form_areas(
    level: str, areas: Sequence[str] | None, parent: str | None, year: int
) -> tuple[str, list[str]]:
    """The form's enclosing unit and its rows: the units in force at the end of ``year``.

    From 1 July 2025 a province has no districts: its rows are its communes.
    """
    if parent is None:
        raise AntqError(
            "a form needs parent=: the province (or, for a commune form, the district) it is for",
            vi="biểu mẫu cần ghi rõ đơn vị cấp trên (parent=): tỉnh, hoặc huyện với biểu cấp xã",
        )
    try:
        top = registry.area(parent, year=year, level=None)
    except AntqError:
        top = registry.area(parent, year=year, level="province")
    if areas:
        return top.name, [resolve_area(a).name for a in areas]
    units = registry.areas(on=f"{year}-12-31")
    inside = units[(units["parent_uid"] == top.uid).fillna(False).to_numpy()]
    wanted = inside[inside["level"] == level]
    if wanted.empty:
        wanted = inside  # a 2025 province: its communes stand where its districts stood
    if wanted.empty:
        raise AntqError(
            f"{top.name} has no {level} in force at the end of {year}; pass areas=[...]",
            vi=f"{top.name} không có đơn vị cấp dưới vào cuối năm {year}; "
            "ghi danh sách areas=[...]",
        )
    return top.name, wanted.sort_values("code")["name"].astype(str).tolist()


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
        Area names for the rows (default: the units of ``parent`` in force at
        the end of ``year``, from the area registry).
    parent
        The enclosing area: the province ("Tỉnh Nam Định"), or for
        ``level="commune"`` the district ("Huyện Hải Hậu"). From 1 July 2025
        a province's rows are its communes.

    Examples
    --------
    >>> import antq, tempfile
    >>> form = template(Path(tempfile.mkdtemp()) / "bieu_2024.xlsx", year=2024,
    ...     parent="Tỉnh Nam Định")
    >>> blank = antq.load(form)
    >>> len(blank), int(blank["achieved"].notna().sum())
    (90, 0)
    """
    if level not in ("district", "commune"):
        raise ValueError("level must be 'district' or 'commune'")
    enclosing, names = _form_areas(level, areas, parent, year)
    # The province's steering committee heads a province's form; a district's people's
    # committee a district's (the reader takes the enclosing area from this line).
    head = "BAN CHỈ ĐẠO 138" if registry.area(enclosing, year=year).level == "province" else "UBND"
    org = f"{head} {enclosing.upper()}"
    width = 2 + len(_FORM)
    wb = Workbook()
    ws = wb.active
    ws.title = f"Năm {year}"
    ws.cell(1, 1, org).font = Font(name=FONT, bold=True)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=6)
    ws.cell(1, width - 5, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM").font = Font(name=FONT, bold=True)
    ws.cell(2, width - 5, "Độc lập - Tự do - Hạnh phúc").font = Font(name=FONT, bold=True)
    title = ws.cell(
        4, 1, f"BIỂU TỔNG HỢP KẾT QUẢ PHONG TRÀO TOÀN DÂN BẢO VỆ AN NINH TỔ QUỐC NĂM {year}"
    )
    title.font = Font(name=FONT, bold=True, size=13)
    title.alignment = Alignment(horizontal="center")
    ws.merge_cells(start_row=4, start_column=1, end_row=4, end_column=width)
    guide = ws.cell(
        5,
        1,
        "Hướng dẫn: chỉ nhập số nguyên từ 0 trở lên vào các ô trắng; số đạt "
        "không lớn hơn tổng số; các ô xám (tỷ lệ, dòng tổng cộng) tự tính, "
        "không nhập; không sửa tiêu đề, không thêm bớt cột.",
    )
    guide.font = Font(name=FONT, italic=True)
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
            head_cell(ws.cell(r, cc))
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
        body_cell(ws.cell(r, 1, i + 1))
        body_cell(ws.cell(r, 2, name))
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
                body_cell(cell, COUNT_FORMAT)
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
                body_cell(cell, RATE_FORMAT)
                cell.fill = _CALC_FILL
    ws.cell(total_row, 2, "Tổng cộng")
    for cc in range(1, width + 1):
        body_cell(ws.cell(total_row, cc))
        ws.cell(total_row, cc).font = Font(name=FONT, bold=True)
        if cc > 2:
            ws.cell(total_row, cc).fill = _CALC_FILL
    note = ws.cell(total_row + 2, 2, "Ghi chú: ô trắng do đơn vị nhập; ô xám tự tính.")
    note.font = Font(name=FONT, italic=True)
    ws.cell(total_row + 4, 2, "NGƯỜI LẬP BIỂU").font = Font(name=FONT, bold=True)
    ws.cell(total_row + 4, width - 4, "THỦ TRƯỞNG ĐƠN VỊ").font = Font(name=FONT, bold=True)
    ws.freeze_panes = ws.cell(first, 3)
    ws.column_dimensions["A"].width = 5
    ws.column_dimensions["B"].width = 24
    for cc in range(3, width + 1):
        ws.column_dimensions[get_column_letter(cc)].width = 11
    print_setup(ws)
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
