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
from typing import Literal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from antq import registry
from antq._io import atomic_write
from antq._text import fold
from antq.errors import AntqError
from antq.frontend import option
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
    # The advice names the option as the front end spells it: parent=… or --parent TÊN.
    if parent is None:
        raise AntqError(
            f"a form needs {option('parent', 'en')}: the province"
            " (or, for a commune form, the district) it is for",
            vi=f"biểu mẫu cần ghi rõ đơn vị cấp trên ({option('parent')}): tỉnh,"
            " hoặc huyện với biểu cấp xã",
        )
    try:
        top = registry.area(parent, year=year, level=None)
    except AntqError:
        top = registry.area(parent, year=year, level="province")
    if areas is not None:
        return top.name, _listed_areas(areas)
    units = registry.areas(on=f"{year}-12-31")
    inside = units[(units["parent_uid"] == top.uid).fillna(False).to_numpy()]
    wanted = inside[inside["level"] == level]
    if wanted.empty:
        wanted = inside  # a 2025 province: its communes stand where its districts stood
    if wanted.empty:
        raise AntqError(
            f"{top.name} has no {level} in force at the end of {year};"
            f" give the list of areas ({option('areas', 'en')})",
            vi=f"{top.name} không có đơn vị cấp dưới vào cuối năm {year};"
            f" ghi danh sách đơn vị ({option('areas')})",
        )
    return top.name, wanted.sort_values("code")["name"].astype(str).tolist()


def _listed_areas(areas: Sequence[str]) -> list[str]:
    """The canonical names of a form's own list of areas; an empty list, or a name the
    registry does not know (a typo, "Xã Hải Anhh"), is refused: a form goes out to be
    filled in, and its rows come back as written."""
    found = [resolve_area(a) for a in areas if a.strip()]
    if not found:
        raise AntqError(
            f"the list of areas ({option('areas', 'en')}) is empty",
            vi=f"danh sách đơn vị ({option('areas')}) không có tên nào",
        )
    unknown = [m.name for m in found if not m.known]
    if unknown:
        from antq.outputs.summary import close_names

        known = registry.areas()["name"].astype(str).unique().tolist()
        listed = "; ".join(
            f"'{n}'"
            + (f" (≈ {', '.join(close)})" if (close := close_names(known, fold(n))[:3]) else "")
            for n in unknown
        )
        raise AntqError(
            f"not an administrative unit the registry knows: {listed}; check the spelling",
            vi=f"không phải tên đơn vị hành chính có trong danh mục: {listed}; kiểm tra lại "
            "chính tả",
        )
    return [m.name for m in found]


#: Rows of the form's three-row header.
_H1, _H2, _H3 = 7, 8, 9


def _heading(ws: Worksheet, year: int, enclosing: str, width: int) -> None:
    """The issuing body, the national motto, the title and the instructions."""
    # The province's steering committee heads a province's form; a district's people's
    # committee a district's (the reader takes the enclosing area from this line).
    head = "BAN CHỈ ĐẠO 138" if registry.area(enclosing, year=year).level == "province" else "UBND"
    org = f"{head} {enclosing.upper()}"
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


def _merge_down(ws: Worksheet, col: int, text: str) -> None:
    ws.cell(_H1, col, text)
    ws.merge_cells(start_row=_H1, start_column=col, end_row=_H3, end_column=col)


def _header(ws: Worksheet, width: int) -> dict[tuple[str | None, str], int]:
    """The three-row merged header; returns the column of each (indicator, role)."""
    for col, text in ((1, "STT"), (2, "Đơn vị"), (3, "Tổng số khu dân cư")):
        _merge_down(ws, col, text)
    cultural_end = 2 + 8
    ws.cell(_H1, 4, "Xây dựng khu dân cư, gia đình văn hóa")
    ws.merge_cells(start_row=_H1, start_column=4, end_row=_H1, end_column=cultural_end)
    ws.cell(_H1, cultural_end + 1, "Đạt chuẩn “An toàn về an ninh, trật tự”")
    ws.merge_cells(start_row=_H1, start_column=cultural_end + 1, end_row=_H1, end_column=width)
    col_of: dict[tuple[str | None, str], int] = {}
    by_group: dict[str, list[int]] = {}
    for c, (group, code, leaf, role) in enumerate(_FORM, start=3):
        col_of[(code, role)] = c
        if group:
            by_group.setdefault(group, []).append(c)
            ws.cell(_H3, c, leaf)
    for group, cols in by_group.items():
        ws.cell(_H2, cols[0], group)
        # A group of one column spans the two lower header rows.
        bottom = _H2 if len(cols) > 1 else _H3
        ws.merge_cells(start_row=_H2, start_column=cols[0], end_row=bottom, end_column=cols[-1])
    for r in (_H1, _H2, _H3):
        for cc in range(1, width + 1):
            head_cell(ws.cell(r, cc))
    ws.row_dimensions[_H2].height = 45
    return col_of


def _validation(formula: str | None = None) -> DataValidation:
    """Excel refuses what breaks it, with a message in Vietnamese."""
    if formula is None:
        return DataValidation(
            type="whole",
            operator="greaterThanOrEqual",
            formula1="0",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Số liệu không hợp lệ",
            error="Chỉ nhập số nguyên từ 0 trở lên.",
        )
    return DataValidation(
        type="custom",
        formula1=formula,
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Số liệu không hợp lệ",
        error="Nhập số nguyên từ 0 trở lên, không lớn hơn tổng số.",
    )


def _input_column(
    ws: Worksheet, col: int, den: str, role: str, rows: range, whole: DataValidation
) -> None:
    """White cells the clerk types into, checked by Excel, and their sum on the total row."""
    letter = get_column_letter(col)
    first, last = rows.start, rows.stop - 1
    rng = f"{letter}{first}:{letter}{last}"
    if role == "achieved":
        top = f"{letter}{first}"
        dv = _validation(f'AND(INT({top})={top},{top}>=0,OR({den}{first}="",{top}<={den}{first}))')
        ws.add_data_validation(dv)
        dv.add(rng)
    else:
        whole.add(rng)
    for r in rows:
        cell = ws.cell(r, col)
        body_cell(cell, COUNT_FORMAT)
        cell.protection = Protection(locked=False)
        cell.fill = _INPUT_FILL
    ws.cell(last + 1, col, f'=IF(COUNT({rng})=0,"",SUM({rng}))').number_format = COUNT_FORMAT


def _rate_column(ws: Worksheet, col: int, ach: str, den: str, rows: range) -> None:
    """Grey cells computing achieved / total, on the total row too."""
    for r in (*rows, rows.stop):
        cell = ws.cell(
            r,
            col,
            f'=IF(AND(ISNUMBER({ach}{r}),ISNUMBER({den}{r}),N({den}{r})>0),{ach}{r}/{den}{r},"")',
        )
        body_cell(cell, RATE_FORMAT)
        cell.fill = _CALC_FILL


def _body(ws: Worksheet, names: list[str], col_of: dict[tuple[str | None, str], int]) -> range:
    """One row per area: number, name, input cells and computed rates; returns the rows."""
    rows = range(_H3 + 1, _H3 + 1 + len(names))
    for i, name in enumerate(names):
        body_cell(ws.cell(rows.start + i, 1, i + 1))
        body_cell(ws.cell(rows.start + i, 2, name))
    whole = _validation()
    ws.add_data_validation(whole)
    for _group, code, _leaf, role in _FORM:
        col = col_of[(code, role)]
        den = get_column_letter(col_of.get((code, "total")) or col_of[(None, "ra_total")])
        if role == "rate":
            ach = get_column_letter(col_of[(code, "achieved")])
            _rate_column(ws, col, ach, den, rows)
        else:
            _input_column(ws, col, den, role, rows, whole)
    return rows


def _footer(ws: Worksheet, total_row: int, width: int) -> None:
    """The total row (grey, computed), a note and the signature lines."""
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


def _finish(ws: Worksheet, first: int, width: int) -> None:
    """Column widths, frozen header, print setup and protection (headers locked)."""
    ws.freeze_panes = ws.cell(first, 3)
    ws.column_dimensions["A"].width = 5
    ws.column_dimensions["B"].width = 24
    for cc in range(3, width + 1):
        ws.column_dimensions[get_column_letter(cc)].width = 11
    print_setup(ws, title_rows=f"{_H1}:{_H3}")
    ws.protection.sheet = True
    ws.protection.formatCells = False
    ws.protection.formatColumns = False


def template(
    path: str | os.PathLike[str],
    *,
    year: int,
    level: Literal["district", "commune"] = "district",
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
    width = 2 + len(_FORM)
    wb = Workbook()
    ws = wb.active
    ws.title = f"Năm {year}"
    _heading(ws, year, enclosing, width)
    col_of = _header(ws, width)
    rows = _body(ws, names, col_of)
    _footer(ws, rows.stop, width)
    _finish(ws, rows.start, width)

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
