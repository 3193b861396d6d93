"""Write the corpus: workbooks nobody here has seen, each with the truth of every number.

Each workbook combines several of the layouts real offices send (see
``FEATURES`` and ``README.md``); each number cell is listed in
``expected.csv`` with the key and value it must be read to, or the reason it
must be skipped. ``corpus.json`` lists the files, their features and the
sums a reader may check (a total row is the sum of the rows under it).

Run:  python tests/corpus/make_corpus.py OUT_DIR

The output is the same, byte for byte, on every run.
"""

from __future__ import annotations

import csv
import html
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from corpus_lib import (
    P_NB,
    P_ND,
    REASONS,
    TP_ND,
    TRUTH_COLUMNS,
    Book,
    CsvBook,
    Figs,
    Grid,
    Key,
    Truth,
    World,
    add,
    no_marks,
    part,
    tcvn3,
    vni,
)
from corpus_tables import (
    Across,
    Col,
    Line,
    Row,
    area,
    data,
    footer,
    heading,
    skip,
    stt,
    write_table,
    write_transposed,
)

# ---- inputs -----------------------------------------------------------------------

#: What each feature is; every one is combined with others in at least three workbooks.
FEATURES: dict[str, str] = {
    "transposed": "indicators down the side, areas across the top",
    "multi_table": "several tables in one sheet, each with its own header and column order",
    "sheet_per_area": "one sheet per district (the sheet name names it): communes and a total",
    "sub_rows": "'Trong đó' parts of the row above ('- Trong đó: thị trấn', '+ KDC mới')",
    "comparison": "'Tăng (+), giảm (−)', 'So với cùng kỳ', '+/-', 'So sánh 2020/2019 (%)'",
    "year_rows": "one row per year under an area cell merged over them, a 'Năm' column",
    "year_columns": "years as column groups ('Năm 2019', 'Năm 2020' over the same sub-headers)",
    "sheet_per_indicator": "one sheet per indicator, named only in its title",
    "title_year_differs": "a row's or column's own year differs from the title's",
    "totals_above": "total rows above the areas (and below)",
    "numbered_districts": "numbered district rows (I, II …) over their communes",
    "hamlets": "a commune's report of its hamlets; its total row is the commune",
    "other_locale": "numbers typed in the English locale where unambiguous ('63,628', '80.95%')",
    "ambiguous_number": "'1,234' in a Vietnamese sheet: 1.234 or 1,234? an error naming the cell",
    "csv": "CSV saved from Excel (UTF-8 with BOM, Windows-1258, UTF-16; ';', ',' or tab)",
    "after_2025": "a province reporting its communes directly, no district level (from 7/2025)",
    "duplicate_names": "two communes of one name in the province, under their districts (2024)",
    "legacy_text": "text typed in TCVN3 (.VnTime) or VNI (VNI-Times)",
    "no_diacritics": "headers (and titles) typed without diacritics",
    "fractions": "'đạt/tổng' fractions ('2.863/3.462')",
    "shared_denominator": "one 'Tổng số KDC' column, the total of every residential-area indicator",
    "rate_text": "rates typed as text ('94,75%')",
    "hidden_rows": "hidden rows (and columns) that hold data",
    "hidden_sheet": "a hidden scratch sheet",
    "notes_numbers": "a 'Ghi chú' column with numbers in it",
    "stt": "an STT / TT column of row numbers",
    "column_numbers": "a row of column numbers: '(1) (2) …' or 1 2 3 typed as numbers",
    "hostile": "an integer too large for int64, '#DIV/0!', 'inf', a 5.000-character cell, a date",
    "refused": "a file that must be refused with an antq error",
    "report_date": "'Kèm theo Báo cáo số … ngày 05/01/2021' under a 2020 title",
}

#: Hamlets of the communes whose own reports are in the corpus.
HAMLETS: dict[tuple[str | None, str], list[str]] = {
    ("Huyện Hải Hậu", "Xã Hải Minh"): [
        "Xóm 1",
        "Xóm 2",
        "Xóm 3",
        "Xóm 4",
        "Xóm 5",
        "Xóm 6",
        "Xóm 7",
        "Xóm 8",
        "Xóm Đông",
        "Xóm Tây",
    ],
    (TP_ND, "Phường Lộc Hạ"): [f"TDP số {i}" for i in range(1, 10)],
    (None, "Xã Hải Hậu"): [
        "TDP số 1",
        "TDP số 2",
        "TDP số 3",
        "Tổ dân phố Đông Nam",
        "Thôn 1",
        "Thôn 2",
        "Thôn Trung",
        "Thôn Nam",
        "Xóm Đông",
        "Xóm Bắc",
        "Thôn Phú Lễ",
    ],
}
LONG_TEXT = (
    "Số liệu đang được rà soát lại theo Hướng dẫn số 15/HD-BCĐ của Ban Chỉ đạo; "
    "đề nghị xem phụ lục kèm theo. "
) * 60


@dataclass(frozen=True)
class Spec:
    """A workbook of the corpus: its file, features, what it is, and how it is built."""

    file: str
    features: tuple[str, ...]
    about: str
    build: Callable[[World], Book]
    expect: str = "read"


REGISTRY: list[Spec] = []


def workbook(
    file: str, features: list[str], about: str, *, expect: str = "read"
) -> Callable[[Callable[[World], Book]], Callable[[World], Book]]:
    """Register a workbook builder."""

    def register(build: Callable[[World], Book]) -> Callable[[World], Book]:
        unknown = set(features) - set(FEATURES)
        if unknown:
            raise ValueError(f"{file}: unknown features {unknown}")
        REGISTRY.append(Spec(file, tuple(features), about, build, expect))
        return build

    return register


# ---- helpers ----------------------------------------------------------------------

_PREFIX = {
    "Thành phố ": "TP. ",
    "Huyện ": "H. ",
    "Thị trấn ": "TT. ",
    "Phường ": "P. ",
    "Xã ": "Xã ",
}


def label(name: str, style: str = "full") -> str:
    """How a clerk writes a unit's name: ``full``, ``short`` (no prefix), ``abbr`` ("H. …").

    Examples
    --------
    >>> label("Huyện Hải Hậu", "short"), label("Thành phố Nam Định", "abbr")
    ('Hải Hậu', 'TP. Nam Định')
    """
    if style == "full":
        return name
    if style == "upper":
        return name.upper()
    for long, abbr in _PREFIX.items():
        if name.startswith(long):
            rest = name[len(long) :]
            if style == "abbr":
                return abbr + rest
            if long == "Thành phố ":
                return "TP " + rest
            if long == "Thị trấn ":
                return "TT " + rest
            return rest
    return name


def row_for(w: World, key: Key, text: str, years: tuple[int, ...] = (), **kw: object) -> Row:
    """A data row of a unit, with its figures of its year and of ``years``."""
    figs = {y: w.figs(key.at(y)) for y in {key.year, *years}}
    return Row(text, key=key, figs=figs, **kw)  # type: ignore[arg-type]


def sub_row(text: str, figs: dict[int, Figs], **kw: object) -> Row:
    """A part of the row above: not an area."""
    return Row(text, kind="sub", figs=figs, **kw)  # type: ignore[arg-type]


def district_rows(
    w: World, year: int, style: str, years: tuple[int, ...] = (), order: list[str] | None = None
) -> list[Row]:
    """The province's districts, numbered 1, 2, …"""
    names = order or w.districts(year)
    return [
        row_for(w, w.key(year, d), label(d, style), years, stt=i + 1) for i, d in enumerate(names)
    ]


def commune_rows(
    w: World,
    year: int,
    district: str,
    style: str,
    years: tuple[int, ...] = (),
    *,
    stt_text: bool = False,
) -> list[Row]:
    """A district's communes, numbered 1, 2, …"""
    return [
        row_for(
            w,
            w.key(year, c, district),
            label(c, style),
            years,
            stt=str(i + 1) if stt_text else i + 1,
        )
        for i, c in enumerate(w.communes(district, year))
    ]


def total(w: World, key: Key, text: str, years: tuple[int, ...] = (), **kw: object) -> Row:
    """A total row (bold)."""
    return row_for(w, key, text, years, bold=True, **kw)


def sums_below(n: int) -> list[tuple[int, list[int]]]:
    """The last of ``n`` rows is the sum of the others."""
    return [(n - 1, list(range(n - 1)))]


def report_line(number: str, date: str, who: str = "") -> str:
    """ "(Kèm theo Báo cáo số … ngày …)"."""
    return f"(Kèm theo Báo cáo số {number} ngày {date}{' ' + who if who else ''})"


def scratch(book: Book, name: str, numbers: list[object]) -> None:
    """A hidden scratch sheet: a note and a few numbers someone tried a sum with."""
    g = book.sheet(name, hidden=True)
    g.text(1, 1, "Nháp - tính thử tỷ lệ, không in")
    for i, n in enumerate(numbers):
        g.skip(2 + i, 2, n, "hidden_sheet")


RA_GROUP = 'Đạt chuẩn "An toàn về an ninh, trật tự"'


# ---- the workbooks ----------------------------------------------------------------


@workbook(
    "BC_138_tinh_2020_tong_hop.xlsx",
    ["multi_table", "stt", "shared_denominator", "rate_text", "hidden_sheet", "report_date"],
    "Province 2020 by district: a cultural table, a note, then a safety table with another "
    "column order, its total row first and its districts in another order; a hidden scratch "
    "sheet.",
)
def w01(w: World) -> Book:
    y = 2020
    b = Book("BC_138_tinh_2020_tong_hop.xlsx")
    g = b.sheet("Tổng hợp")
    width = 10
    r = heading(
        g,
        org=("BAN CHỈ ĐẠO 138 TỈNH NAM ĐỊNH",),
        title="BÁO CÁO KẾT QUẢ PHONG TRÀO TOÀN DÂN BẢO VỆ AN NINH TỔ QUỐC NĂM 2020",
        sub=report_line("05/BC-BCĐ", "05/01/2021", "của Ban Chỉ đạo 138 tỉnh"),
        width=width,
        number="Số: 05/BC-BCĐ",
        place_date="Nam Định, ngày 05 tháng 01 năm 2021",
    )
    g.text(r, 1, "I. KẾT QUẢ XÂY DỰNG KHU DÂN CƯ, GIA ĐÌNH VĂN HÓA", to=(r, width), bold=True)
    cols = [
        stt(),
        area(),
        data(("Tổng số KDC",), "ra_total", "shared"),
        data(("KDC văn hóa", "Số lượng"), "cult_ra", "achieved"),
        data(("KDC văn hóa", "Tỷ lệ (%)"), "cult_ra", "rate", style="vi"),
        data(("Gia đình văn hóa", "Tổng số hộ"), "households", "total"),
        data(("Gia đình văn hóa", "Số hộ đạt"), "families", "achieved"),
        data(("Gia đình văn hóa", "Tỷ lệ (%)"), "families", "rate", style="vi"),
        data(("KDC có hương ước, quy ước",), "convention", "achieved"),
        data(('KDC "5 không"',), "five_no", "achieved"),
    ]
    rows = [*district_rows(w, y, "abbr"), total(w, w.key(y, P_ND), "Tổng cộng")]
    t = write_table(g, r + 1, cols, rows, year=y, sums=sums_below(len(rows)))
    r = t.bottom + 2
    g.text(r, 1, "Ghi chú: Số hộ gia đình văn hóa tính đến ngày 15/12/2020.", to=(r, width))
    r += 2
    g.text(r, 1, "II. KẾT QUẢ XÂY DỰNG PHONG TRÀO AN TOÀN VỀ AN NINH, TRẬT TỰ", to=(r, 12))
    cols = [area("Địa bàn")]
    for unit, m, mt in (
        ("Cơ quan", "agency", "agency_total"),
        ("Doanh nghiệp", "enterprise", "enterprise_total"),
        ("Nhà trường", "school", "school_total"),
        ("Xã, phường, thị trấn", "commune", "commune_total"),
    ):
        cols += [
            data((RA_GROUP, unit, "Số đạt"), m, "achieved"),
            data((RA_GROUP, unit, "Tổng số"), mt, "total"),
            data((RA_GROUP, unit, "Tỷ lệ (%)"), m, "rate"),
        ]
    cols += [
        data((RA_GROUP, "Khu dân cư", "Tổng số KDC"), "ra_total", "shared"),
        data((RA_GROUP, "Khu dân cư", "Số đạt"), "safe_ra", "achieved"),
        data((RA_GROUP, "Khu dân cư", "Tỷ lệ (%)"), "safe_ra", "rate"),
    ]
    order = sorted(w.districts(y), key=lambda d: label(d, "short"))
    rows = [
        total(w, w.key(y, P_ND), "Toàn tỉnh"),
        *[row_for(w, w.key(y, d), label(d, "full")) for d in order],
    ]
    t = write_table(g, r + 1, cols, rows, year=y, sums=[(0, list(range(1, len(rows))))])
    footer(g, t.bottom + 1, 12, place_date="Nam Định, ngày 05 tháng 01 năm 2021")
    scratch(b, "Tinh toan", [0.5, 3462, 2863, 0.827])
    return b


@workbook(
    "Hai Hau 2024 - ket qua cap xa.xlsx",
    [
        "totals_above",
        "sub_rows",
        "comparison",
        "notes_numbers",
        "hidden_rows",
        "stt",
        "column_numbers",
        "shared_denominator",
    ],
    "Huyện Hải Hậu's communes in 2024: the district total first with a '- Trong đó: thị "
    "trấn' row under it, a '+ Khu dân cư mới' row under a commune, a 'Tăng (+), giảm (−)' "
    "column, numbers in 'Ghi chú', a hidden commune row, '(1) (2) …' under the header.",
)
def w02(w: World) -> Book:
    y, d = 2024, "Huyện Hải Hậu"
    b = Book("Hai Hau 2024 - ket qua cap xa.xlsx")
    g = b.sheet("Biểu 02")
    width = 10
    r = heading(
        g,
        org=("UBND HUYỆN HẢI HẬU", "BAN CHỈ ĐẠO 138"),
        title="KẾT QUẢ XÂY DỰNG PHONG TRÀO TOÀN DÂN BẢO VỆ ANTQ NĂM 2024",
        sub=report_line("03/BC-BCĐ", "06/01/2025"),
        width=width,
        number="Số: 03/BC-BCĐ",
        place_date="Hải Hậu, ngày 06 tháng 01 năm 2025",
    )
    cols = [
        stt(),
        area("Xã, thị trấn"),
        data(("Tổng số KDC",), "ra_total", "shared"),
        data(("KDC an toàn về ANTT", "Số đạt"), "safe_ra", "achieved"),
        data(("KDC an toàn về ANTT", "Tỷ lệ (%)"), "safe_ra", "rate"),
        skip(
            ("KDC an toàn về ANTT", "Tăng (+), giảm (−) so với năm 2023"),
            "difference",
            "delta",
            metric="safe_ra",
            style="text",
        ),
        data(("Số hộ GĐVH",), "families", "achieved"),
        data(("Cơ quan an toàn về ANTT", "Tổng số"), "agency_total", "total"),
        data(("Cơ quan an toàn về ANTT", "Đạt"), "agency", "achieved"),
        skip(("Ghi chú",), "notes", "note"),
    ]
    communes = commune_rows(w, y, d, "abbr", (2023,))
    towns = [c for c in communes if c.key and c.key.area.startswith("Thị trấn")]
    dk = w.key(y, d)
    rows = [
        total(w, dk, "Toàn huyện", (2023,)),
        sub_row(
            "- Trong đó: thị trấn",
            {yy: add(c.figs[yy] for c in towns) for yy in (y, 2023)},
        ),
    ]
    first = len(rows)
    for i, c in enumerate(communes):
        if i == 4:
            c.note = 2  # two new residential areas this year
        if i == 9:
            c.note = "Sáp nhập 2 xóm"
        if i == 12:
            c.hidden = True
        if i == 15:
            c.note = 1
        rows.append(c)
        if i == 6:
            rows.append(
                sub_row("+ Khu dân cư mới", {yy: part(c.figs[yy], 0.12) for yy in (y, 2023)})
            )
    kids = [i for i in range(first, len(rows)) if rows[i].kind == "data"]
    t = write_table(g, r, cols, rows, year=y, numbering="paren", sums=[(0, kids)])
    footer(g, t.bottom + 1, width, place_date="Hải Hậu, ngày 06 tháng 01 năm 2025")
    return b


@workbook(
    "BCD138_2020_theo_nam.xlsx",
    ["year_rows", "comparison", "title_year_differs", "stt", "report_date"],
    "Province 2020: each district on three rows under its merged name (2019, 2020, "
    "'Tăng/giảm'); the title says 2020 but the first row of each is 2019.",
)
def w03(w: World) -> Book:
    y = 2020
    b = Book("BCD138_2020_theo_nam.xlsx")
    g = b.sheet("So sanh")
    width = 10
    r = heading(
        g,
        org=("BAN CHỈ ĐẠO 138 TỈNH NAM ĐỊNH",),
        title="KẾT QUẢ PHONG TRÀO TOÀN DÂN BẢO VỆ AN NINH TỔ QUỐC NĂM 2020 SO VỚI NĂM 2019",
        sub=report_line("07/BC-BCĐ", "05/01/2021"),
        width=width,
    )
    cols = [
        stt(),
        area(),
        Col(("Năm",), kind="year", width=10),
        data(("Tổng số KDC",), "ra_total", "shared"),
        data(("KDC văn hóa",), "cult_ra", "achieved"),
        data(("KDC an toàn về ANTT", "Số đạt"), "safe_ra", "achieved"),
        data(("KDC an toàn về ANTT", "Tỷ lệ (%)"), "safe_ra", "rate"),
        data(("Doanh nghiệp an toàn về ANTT", "Tổng số"), "enterprise_total", "total"),
        data(("Doanh nghiệp an toàn về ANTT", "Đạt"), "enterprise", "achieved"),
        data(("Doanh nghiệp an toàn về ANTT", "Tỷ lệ (%)"), "enterprise", "rate"),
    ]
    rows: list[Row] = []
    groups: dict[int, list[int]] = {2019: [], 2020: []}
    units = [(w.key(y, d), label(d, "full"), i + 1) for i, d in enumerate(w.districts(y))]
    units.append((w.key(y, P_ND), "Toàn tỉnh", None))
    for k, text, n in units:
        figs = {yy: w.figs(k.at(yy)) for yy in (2019, 2020)}
        for yy in (2019, 2020):
            if n is not None:
                groups[yy].append(len(rows))
            rows.append(
                Row(
                    text if yy == 2019 else None,
                    key=k,
                    figs=figs,
                    stt=n if yy == 2019 else None,
                    year=yy,
                    year_cell=yy,
                    merge_down=3 if yy == 2019 else 0,
                    bold=n is None,
                )
            )
        rows.append(Row(None, kind="diff", figs=figs, diff=(2019, 2020), year_cell="Tăng/giảm"))
    n = len(units) - 1
    sums = [(3 * n, groups[2019]), (3 * n + 1, groups[2020])]
    t = write_table(g, r, cols, rows, year=y, sums=sums)
    footer(g, t.bottom + 1, width, place_date="Nam Định, ngày 05 tháng 01 năm 2021")
    return b


def _per_indicator_sheet(
    w: World,
    g: Grid,
    *,
    title: str,
    years: tuple[int, int],
    leaves: tuple[tuple[str, str, str], ...],
    compare: Col,
    year_as_number: bool = False,
    org: tuple[str, ...] = ("BAN CHỈ ĐẠO 138 TỈNH NAM ĐỊNH",),
    sub: str | None = None,
    area_style: str = "full",
    hide: int | None = None,
    encode: Callable[[str], str] | None = None,
    headers: tuple[str, str, str] = ("STT", "Đơn vị", "Năm {}"),
) -> None:
    """A sheet of one indicator (named in the title only), one column group per year."""
    y = years[-1]
    cols = [stt(headers[0]), area(headers[1])]
    for yy in years:
        head: str | int = yy if year_as_number else headers[2].format(yy)
        for text, m, role in leaves:
            path = (head, text) if len(years) > 1 else (text,)
            cols.append(data(path, m, role, year=yy if len(years) > 1 else None))
    if len(years) > 1:
        cols.append(compare)
    width = len(cols)
    r = heading(g, org=org, title=title, sub=sub, width=width)
    rows = [
        *district_rows(w, y, area_style, years),
        total(w, w.key(y, P_ND), "Tổng cộng", years),
    ]
    if hide is not None:
        rows[hide].hidden = True
    t = write_table(g, r, cols, rows, year=y, sums=sums_below(len(rows)))
    footer(g, t.bottom + 1, width, place_date=f"Nam Định, ngày 05 tháng 01 năm {y + 1}")


@workbook(
    "KQ_KDC_an_toan_2020.xlsx",
    ["sheet_per_indicator", "year_columns", "comparison", "title_year_differs", "report_date"],
    "Province 2020, one sheet per indicator ('Biểu 1' … 'Biểu 4') named only in its title, "
    "'Năm 2019', 'Năm 2020' column groups over the same sub-headers (typed as numbers 2019, "
    "2020 on the last sheet), and a 'So sánh 2020/2019 (%)' or 'Tăng/giảm' column.",
)
def w04(w: World) -> Book:
    b = Book("KQ_KDC_an_toan_2020.xlsx")
    years = (2019, 2020)
    sub = report_line("06/BC-BCĐ", "05/01/2021")
    sheets = [
        (
            "KẾT QUẢ XÂY DỰNG KHU DÂN CƯ AN TOÀN VỀ AN NINH, TRẬT TỰ NĂM 2020",
            (("Tổng số KDC", "ra_total", "shared"), ("Số KDC đạt", "safe_ra", "achieved")),
            "safe_ra",
            "ratio",
        ),
        (
            "KẾT QUẢ XÂY DỰNG XÃ, PHƯỜNG, THỊ TRẤN ĐẠT CHUẨN AN TOÀN VỀ ANTT NĂM 2020",
            (
                ("Tổng số", "commune_total", "total"),
                ("Số đạt", "commune", "achieved"),
                ("Tỷ lệ (%)", "commune", "rate"),
            ),
            "commune",
            "delta",
        ),
        (
            "KẾT QUẢ XÂY DỰNG CƠ QUAN ĐẠT CHUẨN AN TOÀN VỀ AN NINH, TRẬT TỰ NĂM 2020",
            (
                ("Tổng số", "agency_total", "total"),
                ("Số đạt", "agency", "achieved"),
                ("Tỷ lệ (%)", "agency", "rate"),
            ),
            "agency",
            "ratio",
        ),
        (
            "KẾT QUẢ XÂY DỰNG DOANH NGHIỆP ĐẠT CHUẨN AN TOÀN VỀ ANTT NĂM 2020",
            (
                ("Tổng số", "enterprise_total", "total"),
                ("Số đạt", "enterprise", "achieved"),
                ("Tỷ lệ (%)", "enterprise", "rate"),
            ),
            "enterprise",
            "delta",
        ),
    ]
    for i, (title, leaves, m, calc) in enumerate(sheets):
        head = "So sánh 2020/2019 (%)" if calc == "ratio" else "Tăng (+), giảm (−)"
        _per_indicator_sheet(
            w,
            b.sheet(f"Biểu {i + 1}"),
            title=title,
            years=years,
            leaves=leaves,  # type: ignore[arg-type]
            compare=skip((head,), "difference", calc, metric=m, base_year=2019, year=2020),
            year_as_number=i == 3,
            sub=sub,
        )
    return b


@workbook(
    "BC_2023_so_sanh.xlsx",
    ["year_columns", "title_year_differs", "comparison", "no_diacritics", "fractions"],
    "Province 2023 (ten districts, Mỹ Lộc still one): 'Nam 2022', 'Nam 2023' column groups "
    "with headers typed without diacritics, cultural areas as 'đạt/tổng' fractions, '+/-' "
    "columns; the 2022 columns must not be read as 2023.",
)
def w05(w: World) -> Book:
    y = 2023
    b = Book("BC_2023_so_sanh.xlsx")
    g = b.sheet("Nam 2023")
    cols = [stt(), area("Don vi")]
    for yy in (2022, 2023):
        head = f"Nam {yy}"
        cols += [
            data((head, "KDC van hoa (dat/tong so)"), "cult_ra", "fraction", year=yy),
            data((head, "So ho GDVH"), "families", "achieved", year=yy),
            data((head, "KDC an toan ve ANTT", "SL"), "safe_ra", "achieved", year=yy),
            data((head, "KDC an toan ve ANTT", "TL"), "safe_ra", "rate", year=yy, style="frac"),
        ]
    cols += [
        skip(("+/-", "KDC van hoa"), "difference", "delta", metric="cult_ra", year=2023),
        skip(("+/-", "KDC an toan"), "difference", "delta", metric="safe_ra", year=2023),
    ]
    width = len(cols)
    r = heading(
        g,
        org=("CÔNG AN TỈNH NAM ĐỊNH",),
        title="BÁO CÁO KẾT QUẢ PHONG TRÀO TOÀN DÂN BẢO VỆ ANTQ NĂM 2023",
        sub=report_line("12/BC-CAT-PV05", "05/01/2024"),
        width=width,
    )
    years = (2022, 2023)
    rows = [
        *district_rows(w, y, "short", years),
        total(w, w.key(y, P_ND), "Cong", years),
    ]
    t = write_table(g, r, cols, rows, year=y, sums=sums_below(len(rows)))
    footer(g, t.bottom + 1, width, place_date="Nam Định, ngày 05 tháng 01 năm 2024")
    return b


def _hamlet_table(
    w: World,
    g: Grid,
    r: int,
    commune: Key,
    *,
    headers: dict[str, str],
    total_label: str,
    numbering: str | None = None,
    rate_style: str = "pct",
    count_style: str = "int",
    notes: dict[int, object] | None = None,
) -> int:
    """A commune's table of its hamlets: one row each, and the commune's total row."""
    hamlets = w.hamlets[(commune.district, commune.area)]
    cols = [
        stt(headers["stt"]),
        area(headers["area"]),
        data((headers["households"],), "households", "total", style=count_style),
        data((headers["families"],), "families", "achieved", style=count_style),
        data((headers["rate"],), "families", "rate", style=rate_style),
        data((headers["cult"],), "cult_ra", "achieved"),
        data((headers["convention"],), "convention", "achieved"),
        data((headers["five_no"],), "five_no", "achieved"),
        data((headers["safe"],), "safe_ra", "achieved"),
    ]
    if notes is not None:
        cols.append(skip(("Ghi chú",), "notes", "note"))
    rows = [
        Row(
            h,
            kind="hamlet",
            figs={commune.year: w.hamlet_figs(commune, h)},
            stt=i + 1,
            note=(notes or {}).get(i),
        )
        for i, h in enumerate(hamlets)
    ]
    rows.append(total(w, commune, total_label))
    t = write_table(
        g, r, cols, rows, year=commune.year, numbering=numbering, sums=sums_below(len(rows))
    )
    return t.bottom + 1


HAMLET_HEADERS = {
    "stt": "TT",
    "area": "Thôn, xóm",
    "households": "Tổng số hộ",
    "families": "Số hộ đạt GĐVH",
    "rate": "Tỷ lệ hộ GĐVH (%)",
    "cult": "Khu dân cư văn hóa",
    "convention": "KDC có hương ước, quy ước",
    "five_no": 'KDC "5 không"',
    "safe": "KDC an toàn về ANTT",
}


@workbook(
    "xa_hai_minh_2020_thon.xlsx",
    ["hamlets", "legacy_text", "stt", "column_numbers", "report_date"],
    "Xã Hải Minh (Hải Hậu) reports its ten hamlets ('Xóm 1' … 'Xóm Tây') in 2020, typed in "
    "TCVN3 (.VnTime), column numbers 1 2 3 typed as numbers; 'Cộng toàn xã' is the commune.",
)
def w06(w: World) -> Book:
    b = Book("xa_hai_minh_2020_thon.xlsx")
    g = b.sheet("Thon xom", encode=tcvn3, font=".VnTime")
    commune = w.key(2020, "Xã Hải Minh", "Huyện Hải Hậu")
    r = heading(
        g,
        org=("UBND HUYỆN HẢI HẬU", "UBND XÃ HẢI MINH"),
        title="KẾT QUẢ XÂY DỰNG KHU DÂN CƯ VĂN HÓA, GIA ĐÌNH VĂN HÓA NĂM 2020",
        sub=report_line("02/BC-UBND", "05/01/2021"),
        width=9,
        number="Số: 02/BC-UBND",
        place_date="Hải Minh, ngày 05 tháng 01 năm 2021",
    )
    r = _hamlet_table(
        w, g, r, commune, headers=HAMLET_HEADERS, total_label="Cộng toàn xã", numbering="int"
    )
    footer(
        g,
        r,
        9,
        place_date="Hải Minh, ngày 05 tháng 01 năm 2021",
        right=("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"),
    )
    return b


@workbook(
    "P Loc Ha 2024 - TDP.xlsx",
    ["hamlets", "transposed", "rate_text", "hidden_rows"],
    "Phường Lộc Hạ (Thành phố Nam Định) 2024: its nine residential groups ('TDP số 1' …) "
    "across the top, the indicators down the side, 'Toàn phường' last; rates as text; one "
    "indicator row hidden.",
)
def w07(w: World) -> Book:
    y = 2024
    b = Book("P Loc Ha 2024 - TDP.xlsx")
    g = b.sheet("Tổng hợp TDP")
    commune = w.key(y, "Phường Lộc Hạ", TP_ND)
    hamlets = w.hamlets[(TP_ND, "Phường Lộc Hạ")]
    areas = [Across(h, None, w.hamlet_figs(commune, h), kind="hamlet") for h in hamlets]
    areas.append(Across("Toàn phường", commune, w.figs(commune)))
    lines = [
        Line("Tổng số hộ", metric="households", role="total", unit="hộ", stt=1),
        Line("Số hộ đạt gia đình văn hóa", metric="families", role="achieved", unit="hộ", stt=2),
        Line("Tỷ lệ hộ GĐVH", metric="families", role="rate", style="vi", unit="%", stt=3),
        Line("Tổ dân phố văn hóa", metric="cult_ra", role="achieved", unit="TDP", stt=4),
        Line("TDP có hương ước, quy ước", metric="convention", role="achieved", unit="TDP", stt=5),
        Line("TDP đạt chuẩn an toàn về ANTT", metric="safe_ra", role="achieved", unit="TDP", stt=6),
    ]
    width = 3 + len(areas)
    r = heading(
        g,
        org=("UBND THÀNH PHỐ NAM ĐỊNH", "UBND PHƯỜNG LỘC HẠ"),
        title="BẢNG TỔNG HỢP KẾT QUẢ PHONG TRÀO TOÀN DÂN BẢO VỆ ANTQ NĂM 2024",
        sub=report_line("11/BC-UBND", "03/01/2025"),
        width=width,
    )
    t = write_transposed(
        g, r, areas, lines, year=y, sums=[(len(areas) - 1, list(range(len(areas) - 1)))]
    )
    g.hidden_rows.add(t.rows[2])
    footer(g, t.bottom + 1, width, right=("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"))
    return b


@workbook(
    "BC_2025_tinh_Ninh_Binh.xlsx",
    ["after_2025", "totals_above", "sub_rows", "stt", "shared_denominator", "hidden_sheet"],
    "The new Tỉnh Ninh Bình's 129 communes in 2025, no district level: 'Toàn tỉnh' first, "
    "then '- Trong đó: phường' and '- Trong đó: xã'; a hidden sheet with a copy of a few "
    "numbers.",
)
def w08(w: World) -> Book:
    y = 2025
    b = Book("BC_2025_tinh_Ninh_Binh.xlsx")
    g = b.sheet("BC 2025")
    cols = [
        stt(),
        area("Xã, phường"),
        data(("Tổng số KDC",), "ra_total", "shared"),
        data(("KDC văn hóa",), "cult_ra", "achieved"),
        data(("KDC an toàn về ANTT", "Số đạt"), "safe_ra", "achieved"),
        data(("KDC an toàn về ANTT", "Tỷ lệ (%)"), "safe_ra", "rate"),
        data(("Số hộ GĐVH",), "families", "achieved"),
        data(("Cơ quan đạt chuẩn an toàn về ANTT", "Tổng số"), "agency_total", "total"),
        data(("Cơ quan đạt chuẩn an toàn về ANTT", "Số đạt"), "agency", "achieved"),
    ]
    width = len(cols)
    r = heading(
        g,
        org=("CÔNG AN TỈNH NINH BÌNH",),
        title="KẾT QUẢ PHONG TRÀO TOÀN DÂN BẢO VỆ AN NINH TỔ QUỐC NĂM 2025",
        sub=report_line("15/BC-CAT", "08/01/2026"),
        width=width,
        number="Số: 15/BC-CAT",
        place_date="Ninh Bình, ngày 08 tháng 01 năm 2026",
    )
    communes = [row_for(w, w.key(y, c), c, stt=i + 1) for i, c in enumerate(w.new_communes())]
    wards = [c for c in communes if c.label and c.label.startswith("Phường")]
    rest = [c for c in communes if c not in wards]
    rows = [
        total(w, w.key(y, P_NB), "Toàn tỉnh"),
        sub_row("- Trong đó: phường", {y: add(c.figs[y] for c in wards)}),
        sub_row("- Trong đó: xã", {y: add(c.figs[y] for c in rest)}),
        *communes,
    ]
    idx = {id(row): i for i, row in enumerate(rows)}
    t = write_table(
        g,
        r,
        cols,
        rows,
        year=y,
        sums=[
            (0, list(range(3, len(rows)))),
            (1, [idx[id(c)] for c in wards]),
            (2, [idx[id(c)] for c in rest]),
        ],
    )
    footer(g, t.bottom + 1, width, right=("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"))
    scratch(b, "Sheet2", [w.figs(w.key(y, P_NB))["ra_total"], 0.9475, 129])
    return b


@workbook(
    "NB_2025_phuong_xa.xlsx",
    ["after_2025", "multi_table", "comparison", "notes_numbers"],
    "Tỉnh Ninh Bình 2025 in two tables on one sheet: the 32 wards, then (after a note) the "
    "97 communes with another column order and 'Ghi chú' numbers; each ends with a category "
    "subtotal ('Cộng phường', not an area), the second with the province total; 'So với cùng "
    "kỳ' columns.",
)
def w09(w: World) -> Book:
    y = 2025
    b = Book("NB_2025_phuong_xa.xlsx")
    g = b.sheet("BC 2025")
    width = 8
    r = heading(
        g,
        org=("UBND TỈNH NINH BÌNH", "BAN CHỈ ĐẠO PHONG TRÀO TOÀN DÂN BẢO VỆ ANTQ"),
        title="KẾT QUẢ XÂY DỰNG KHU DÂN CƯ VĂN HÓA, GIA ĐÌNH VĂN HÓA NĂM 2025",
        sub=report_line("20/BC-BCĐ", "09/01/2026"),
        width=width,
    )
    names = w.new_communes()
    wards = [n for n in names if n.startswith("Phường")]
    xas = [n for n in names if not n.startswith("Phường")]
    g.text(r, 1, "A. CÁC PHƯỜNG", to=(r, width), bold=True)
    cols = [
        stt("TT"),
        area("Phường"),
        data(("KDC văn hóa", "Đạt"), "cult_ra", "achieved"),
        data(("KDC văn hóa", "Tổng số"), "ra_total", "shared"),
        data(("KDC văn hóa", "Tỷ lệ (%)"), "cult_ra", "rate"),
        data(("Gia đình văn hóa (hộ)",), "families", "achieved"),
        skip(("So với cùng kỳ (±)",), "difference", "delta", metric="families"),
    ]
    rows = [row_for(w, w.key(y, n), n, (2024,), stt=i + 1) for i, n in enumerate(wards)]
    ward_rows = list(rows)
    rows.append(
        sub_row(
            "Cộng phường", {yy: add(x.figs[yy] for x in ward_rows) for yy in (y, 2024)}, bold=True
        )
    )
    t1 = write_table(g, r + 1, cols, rows, year=y, sums=sums_below(len(rows)))
    r = t1.bottom + 2
    g.text(
        r,
        1,
        "Ghi chú: Số liệu so sánh cùng kỳ tính theo địa giới đơn vị hành chính mới.",
        to=(r, width),
    )
    r += 2
    g.text(r, 1, "B. CÁC XÃ", to=(r, width), bold=True)
    cols = [
        stt("TT"),
        area("Tên xã"),
        data(("Gia đình văn hóa (hộ)",), "families", "achieved"),
        skip(("So với cùng kỳ (±)",), "difference", "delta", metric="families"),
        data(("KDC văn hóa", "Tổng số"), "ra_total", "shared"),
        data(("KDC văn hóa", "Đạt"), "cult_ra", "achieved"),
        data(("KDC văn hóa", "Tỷ lệ (%)"), "cult_ra", "rate"),
        skip(("Ghi chú",), "notes", "note"),
    ]
    rows = [row_for(w, w.key(y, n), n, (2024,), stt=i + 1) for i, n in enumerate(xas)]
    for i in (3, 17, 40):
        rows[i].note = 1 + i % 3
    rows[25].note = "Xã mới thành lập"
    xa_rows = list(rows)
    rows.append(
        sub_row("Cộng xã", {yy: add(x.figs[yy] for x in xa_rows) for yy in (y, 2024)}, bold=True)
    )
    rows.append(total(w, w.key(y, P_NB), "Tổng cộng toàn tỉnh", (2024,)))
    t2 = write_table(g, r + 1, cols, rows, year=y, sums=[(len(rows) - 2, list(range(len(xas))))])
    # The province total adds up both tables.
    for c1, c2 in ((3, 6), (4, 5), (6, 3)):
        g.sum_check(
            (t2.rows[-1], c2),
            [(rr, c1) for rr in t1.rows[:-1]] + [(rr, c2) for rr in t2.rows[:-2]],
        )
    footer(g, t2.bottom + 1, width)
    return b


@workbook(
    "xa_hai_hau_2025_thon.csv",
    ["after_2025", "hamlets", "csv"],
    "The new Xã Hải Hậu (2025) reports its hamlets and residential groups ('TDP số 1', "
    "'Thôn Trung', 'Xóm Đông' …): CSV in UTF-8 with a BOM and ';', Vietnamese numbers; "
    "'Tổng cộng' is the commune (province Ninh Bình, no district).",
)
def w10(w: World) -> Book:
    b = CsvBook("xa_hai_hau_2025_thon.csv", encoding="utf-8-sig", sep=";", locale="vi")
    g = b.sheet()
    commune = w.key(2025, "Xã Hải Hậu")
    r = heading(
        g,
        org=("UBND XÃ HẢI HẬU",),
        title="KẾT QUẢ XÂY DỰNG KHU DÂN CƯ VĂN HÓA, GIA ĐÌNH VĂN HÓA NĂM 2025",
        sub=report_line("04/BC-UBND", "06/01/2026"),
        width=10,
    )
    headers = {**HAMLET_HEADERS, "stt": "STT", "area": "Thôn, tổ dân phố"}
    r = _hamlet_table(
        w,
        g,
        r,
        commune,
        headers=headers,
        total_label="Tổng cộng",
        rate_style="pct",
        notes={2: 3, 6: "Mới sáp nhập"},
    )
    footer(g, r, 10, right=("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"))
    return b


def _province_communes_2024(
    w: World, *, district_label: Callable[[int, str], tuple[object, str]], first_total: bool
) -> tuple[list[Row], list[tuple[int, list[int]]]]:
    """Rows of a 2024 province report of communes under numbered district rows."""
    y = 2024
    rows: list[Row] = []
    sums: list[tuple[int, list[int]]] = []
    heads: list[int] = []
    if first_total:
        rows.append(total(w, w.key(y, P_ND), "TOÀN TỈNH"))
    for i, d in enumerate(w.districts(y)):
        n, text = district_label(i, d)
        heads.append(len(rows))
        rows.append(total(w, w.key(y, d), text, stt=n))
        kids = commune_rows(w, y, d, "full")
        sums.append((len(rows) - 1, list(range(len(rows), len(rows) + len(kids)))))
        rows += kids
    if first_total:
        sums.append((0, heads))
    return rows, sums


ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


@workbook(
    "BC_2024_cap_xa_toan_tinh.xlsx",
    ["duplicate_names", "numbered_districts", "totals_above", "stt"],
    "Province 2024 by commune (175 communes, nine districts after Mỹ Lộc's merger): "
    "'TOÀN TỈNH' first, each district on a numbered row (I, II …) carrying its communes' "
    "sums; two 'Xã Hồng Quang' (Ý Yên, Nam Trực) and two 'Xã Nam Điền' (Nghĩa Hưng, Nam "
    "Trực).",
)
def w11(w: World) -> Book:
    b = Book("BC_2024_cap_xa_toan_tinh.xlsx")
    g = b.sheet("Cap xa 2024")
    cols = [
        stt(),
        area(),
        data(("Tổng số KDC",), "ra_total", "shared"),
        data(("KDC văn hóa",), "cult_ra", "achieved"),
        data(("KDC an toàn về ANTT", "Số đạt"), "safe_ra", "achieved"),
        data(("KDC an toàn về ANTT", "Tỷ lệ (%)"), "safe_ra", "rate"),
        data(("Xã, phường, thị trấn đạt chuẩn an toàn về ANTT",), "commune", "achieved"),
    ]
    width = len(cols)
    r = heading(
        g,
        org=("BAN CHỈ ĐẠO 138 TỈNH NAM ĐỊNH",),
        title="KẾT QUẢ PHONG TRÀO TOÀN DÂN BẢO VỆ ANTQ CẤP XÃ NĂM 2024",
        sub=report_line("09/BC-BCĐ", "07/01/2025"),
        width=width,
    )
    rows, sums = _province_communes_2024(
        w, district_label=lambda i, d: (ROMAN[i], d), first_total=True
    )
    t = write_table(g, r, cols, rows, year=2024, sums=sums)
    footer(g, t.bottom + 1, width)
    return b


@workbook(
    "KQ_2024_theo_huyen.xlsx",
    ["sheet_per_area", "duplicate_names", "fractions", "no_diacritics"],
    "2024, one sheet per district ('Ý Yên', 'H.Nam Truc', 'Nghia Hung'): communes and a "
    "'Cong' total; the district is named by the sheet name (and on the first sheet the title "
    "too); headers without diacritics, 'đạt/tổng' fractions; both Hồng Quang and both Nam "
    "Điền.",
)
def w12(w: World) -> Book:
    y = 2024
    b = Book("KQ_2024_theo_huyen.xlsx")
    for sheet, d, org, title in (
        (
            "Ý Yên",
            "Huyện Ý Yên",
            ("BAN CHỈ ĐẠO 138 TỈNH NAM ĐỊNH",),
            "KET QUA XAY DUNG PHONG TRAO TOAN DAN BAO VE ANTQ NAM 2024 - HUYEN Y YEN",
        ),
        (
            "H.Nam Truc",
            "Huyện Nam Trực",
            (),
            "KET QUA XAY DUNG PHONG TRAO TOAN DAN BAO VE ANTQ NAM 2024",
        ),
        (
            "Nghia Hung",
            "Huyện Nghĩa Hưng",
            ("BAN CHI DAO 138 TINH NAM DINH",),
            "KET QUA XAY DUNG PHONG TRAO TOAN DAN BAO VE ANTQ NAM 2024",
        ),
    ):
        g = b.sheet(sheet)
        cols = [
            stt(),
            area("Ten xa"),
            data(("KDC van hoa (dat/tong)",), "cult_ra", "fraction"),
            data(("KDC an toan ve ANTT (dat/tong)",), "safe_ra", "fraction"),
            data(("So ho GDVH",), "families", "achieved"),
            data(("Co quan an toan ANTT", "Tong so"), "agency_total", "total"),
            data(("Co quan an toan ANTT", "Dat"), "agency", "achieved"),
        ]
        width = len(cols)
        r = heading(g, org=org, title=title, sub=None, width=width)
        rows = [*commune_rows(w, y, d, "full"), total(w, w.key(y, d), "Cong")]
        t = write_table(g, r, cols, rows, year=y, sums=sums_below(len(rows)))
        footer(g, t.bottom + 1, width, left="NGUOI LAP BIEU", right=("TRUONG BAN",))
    return b


@workbook(
    "2024_xa_trung_ten_ngang.xlsx",
    ["transposed", "duplicate_names", "column_numbers", "rate_text"],
    "2024, pilot communes across the top under their districts' names (both Hồng Quang, "
    "both Nam Điền), indicators down the side, '(1) (2) …' under the header, rates as text, "
    "and a 'Cộng các xã điểm' column that is no unit.",
)
def w13(w: World) -> Book:
    y = 2024
    b = Book("2024_xa_trung_ten_ngang.xlsx")
    g = b.sheet("Xa diem")
    picks = [
        ("Huyện Ý Yên", "Xã Yên Thọ"),
        ("Huyện Ý Yên", "Xã Hồng Quang"),
        ("Huyện Ý Yên", "Xã Yên Cường"),
        ("Huyện Nam Trực", "Xã Nam Điền"),
        ("Huyện Nam Trực", "Xã Hồng Quang"),
        ("Huyện Nam Trực", "Xã Nam Thắng"),
        ("Huyện Nghĩa Hưng", "Xã Nam Điền"),
        ("Huyện Nghĩa Hưng", "Xã Nghĩa Lâm"),
    ]
    areas = []
    for d, c in picks:
        k = w.key(y, c, d)
        areas.append(Across(c, k, w.figs(k), group=d))
    areas.append(Across("Cộng các xã điểm", None, add(a.figs for a in areas), kind="sub"))
    lines = [
        Line("Tổng số khu dân cư", metric="ra_total", role="shared", unit="KDC", stt=1),
        Line("Khu dân cư văn hóa", metric="cult_ra", role="achieved", unit="KDC", stt=2),
        Line("Tỷ lệ KDC văn hóa", metric="cult_ra", role="rate", style="vi", unit="%"),
        Line("KDC đạt chuẩn an toàn về ANTT", metric="safe_ra", role="achieved", unit="KDC", stt=3),
        Line("Tỷ lệ KDC an toàn về ANTT", metric="safe_ra", role="rate", style="vi", unit="%"),
        Line("Số hộ gia đình văn hóa", metric="families", role="achieved", unit="hộ", stt=4),
    ]
    width = 3 + len(areas)
    r = heading(
        g,
        org=("BAN CHỈ ĐẠO 138 TỈNH NAM ĐỊNH",),
        title="KẾT QUẢ XÂY DỰNG MÔ HÌNH ĐIỂM TẠI CÁC XÃ NĂM 2024",
        sub=report_line("10/BC-BCĐ", "08/01/2025"),
        width=width,
    )
    t = write_transposed(
        g,
        r,
        areas,
        lines,
        year=y,
        numbering="paren",
        sums=[(len(areas) - 1, list(range(len(areas) - 1)))],
    )
    footer(g, t.bottom + 1, width)
    return b


@workbook(
    "BC_tinh_2019_nguoc.xlsx",
    ["transposed", "sub_rows", "stt", "comparison", "report_date"],
    "Province 2019 with the ten districts across the top and 'Toàn tỉnh' last, the "
    "indicators down the side under a heading 'Đạt chuẩn an toàn về ANTT', a '- Trong đó: "
    "KDC mới thành lập' row, and a 'Tăng/giảm so với năm 2018' column.",
)
def w14(w: World) -> Book:
    y = 2019
    b = Book("BC_tinh_2019_nguoc.xlsx")
    g = b.sheet("Bieu tong hop")
    ds = w.districts(y)
    areas = [Across(label(d, "abbr"), w.key(y, d), w.figs(w.key(y, d))) for d in ds]
    pk = w.key(y, P_ND)
    areas.append(Across("Toàn tỉnh", pk, w.figs(pk)))
    lines = [
        Line("Tổng số khu dân cư", metric="ra_total", role="shared", unit="KDC", stt=1),
        Line(
            "- Trong đó: KDC mới thành lập",
            kind="sub",
            metric="ra_new",
            role="achieved",
            unit="KDC",
        ),
        Line("Khu dân cư văn hóa", metric="cult_ra", role="achieved", unit="KDC", stt=2),
        Line("Tỷ lệ KDC văn hóa", metric="cult_ra", role="rate", unit="%"),
        Line("Gia đình văn hóa", metric="families", role="achieved", unit="hộ", stt=3),
        Line("KDC có hương ước, quy ước", metric="convention", role="achieved", unit="KDC", stt=4),
        Line('KDC "5 không"', metric="five_no", role="achieved", unit="KDC", stt=5),
        Line("Đạt chuẩn an toàn về ANTT", kind="heading", stt=6),
        Line("- Khu dân cư", metric="safe_ra", role="achieved", unit="KDC"),
        Line("- Xã, phường, thị trấn", metric="commune", role="achieved", unit="xã"),
        Line("- Cơ quan", metric="agency", role="achieved", unit="cơ quan"),
        Line("- Doanh nghiệp", metric="enterprise", role="achieved", unit="DN"),
        Line("- Nhà trường", metric="school", role="achieved", unit="trường"),
    ]
    width = 4 + len(areas)
    r = heading(
        g,
        org=("BAN CHỈ ĐẠO 138 TỈNH NAM ĐỊNH",),
        title="KẾT QUẢ PHONG TRÀO TOÀN DÂN BẢO VỆ AN NINH TỔ QUỐC NĂM 2019",
        sub=report_line("04/BC-BCĐ", "06/01/2020"),
        width=width,
    )
    t = write_transposed(
        g,
        r,
        areas,
        lines,
        year=y,
        delta=("Tăng/giảm so với năm 2018", 2018, w.figs(pk.at(2018))),
        sums=[(len(areas) - 1, list(range(len(areas) - 1)))],
    )
    footer(g, t.bottom + 1, width, place_date="Nam Định, ngày 06 tháng 01 năm 2020")
    return b


@workbook(
    "BC_2021_en_locale.xlsx",
    ["other_locale", "shared_denominator", "totals_above", "rate_text"],
    "Province 2021 by district typed on an English-locale machine: counts as text '63,628', "
    "rates '80.95%' (unambiguous in this sheet); 'Toàn tỉnh' first.",
)
def w15(w: World) -> Book:
    y = 2021
    b = Book("BC_2021_en_locale.xlsx")
    g = b.sheet("2021")
    cols = [
        stt(),
        area(),
        data(("Tổng số KDC",), "ra_total", "shared", style="en"),
        data(("KDC văn hóa", "Số lượng"), "cult_ra", "achieved", style="en"),
        data(("KDC văn hóa", "Tỷ lệ (%)"), "cult_ra", "rate", style="en"),
        data(("Số hộ GĐVH",), "families", "achieved", style="en"),
        data(
            ("Doanh nghiệp đạt chuẩn an toàn về ANTT", "Tổng số"),
            "enterprise_total",
            "total",
            style="en",
        ),
        data(
            ("Doanh nghiệp đạt chuẩn an toàn về ANTT", "Số đạt"),
            "enterprise",
            "achieved",
            style="en",
        ),
        data(
            ("Doanh nghiệp đạt chuẩn an toàn về ANTT", "Tỷ lệ (%)"),
            "enterprise",
            "rate",
            style="en",
        ),
    ]
    width = len(cols)
    r = heading(
        g,
        org=("BAN CHỈ ĐẠO 138 TỈNH NAM ĐỊNH",),
        title="KẾT QUẢ PHONG TRÀO TOÀN DÂN BẢO VỆ ANTQ NĂM 2021",
        sub=report_line("03/BC-BCĐ", "07/01/2022"),
        width=width,
    )
    rows = [total(w, w.key(y, P_ND), "Toàn tỉnh"), *district_rows(w, y, "full")]
    t = write_table(g, r, cols, rows, year=y, sums=[(0, list(range(1, len(rows))))])
    footer(
        g,
        t.bottom + 1,
        width,
        notes=["Ghi chú: số liệu xuất từ phần mềm quản lý (định dạng số kiểu Anh)."],
    )
    return b


@workbook(
    "BC_2022_locale_csv.csv",
    ["csv", "other_locale", "transposed"],
    "Province 2022, transposed (districts across), saved as 'CSV (Comma delimited)' on a "
    "Vietnamese Windows in Windows-1258 with ',' and English-locale numbers ('63,628' "
    "quoted, '80.95%').",
)
def w16(w: World) -> Book:
    y = 2022
    b = CsvBook("BC_2022_locale_csv.csv", encoding="cp1258", sep=",", locale="en")
    g = b.sheet()
    ds = w.districts(y)
    areas = [Across(label(d, "short"), w.key(y, d), w.figs(w.key(y, d))) for d in ds]
    pk = w.key(y, P_ND)
    areas.append(Across("Tổng cộng", pk, w.figs(pk)))
    lines = [
        Line("Tổng số KDC", metric="ra_total", role="shared", style="en", stt=1),
        Line("KDC văn hóa", metric="cult_ra", role="achieved", style="en", stt=2),
        Line("Tỷ lệ KDC văn hóa (%)", metric="cult_ra", role="rate", style="en"),
        Line("Số hộ gia đình văn hóa", metric="families", role="achieved", style="en", stt=3),
        Line(
            "Nhà trường an toàn về ANTT - Tổng số",
            metric="school_total",
            role="total",
            style="en",
            stt=4,
        ),
        Line("Nhà trường an toàn về ANTT - Đạt", metric="school", role="achieved", style="en"),
        Line("Nhà trường an toàn về ANTT - Tỷ lệ (%)", metric="school", role="rate", style="en"),
    ]
    width = 2 + len(areas)
    r = heading(
        g,
        org=("BAN CHỈ ĐẠO 138 TỈNH NAM ĐỊNH",),
        title="KẾT QUẢ PHONG TRÀO TOÀN DÂN BẢO VỆ ANTQ NĂM 2022",
        sub=report_line("02/BC-BCĐ", "06/01/2023"),
        width=width,
    )
    write_transposed(
        g,
        r,
        areas,
        lines,
        year=y,
        head=("TT", "Chỉ tiêu"),
        sums=[(len(areas) - 1, list(range(len(areas) - 1)))],
    )
    return b


@workbook(
    "bc_giao_thuy_2024.csv",
    ["csv", "ambiguous_number", "sub_rows", "totals_above"],
    "Huyện Giao Thủy's communes in 2024, CSV in UTF-8 with a BOM and ';' (Vietnamese "
    "numbers '1.234'), 'Toàn huyện' first with '- Trong đó: thị trấn' under it; one "
    "household count typed '2,345' (1.234 or 1,234?).",
)
def w17(w: World) -> Book:
    y, d = 2024, "Huyện Giao Thủy"
    b = CsvBook("bc_giao_thuy_2024.csv", encoding="utf-8-sig", sep=";", locale="vi")
    g = b.sheet()
    cols = [
        stt(),
        area("Xã, thị trấn"),
        data(("Tổng số hộ",), "households", "total", style="vi"),
        data(("Số hộ đạt GĐVH",), "families", "achieved", style="vi"),
        data(("Tỷ lệ (%)",), "families", "rate", style="vi_bare"),
        data(("Tổng số KDC",), "ra_total", "shared"),
        data(("KDC an toàn về ANTT",), "safe_ra", "achieved"),
    ]
    width = len(cols)
    r = heading(
        g,
        org=("UBND HUYỆN GIAO THỦY", "BAN CHỈ ĐẠO 138"),
        title="KẾT QUẢ XÂY DỰNG PHONG TRÀO TOÀN DÂN BẢO VỆ ANTQ NĂM 2024",
        sub=report_line("02/BC-BCĐ", "07/01/2025"),
        width=width,
    )
    communes = commune_rows(w, y, d, "full")
    towns = [c for c in communes if c.label and c.label.startswith("Thị trấn")]
    rows = [
        total(w, w.key(y, d), "Toàn huyện"),
        sub_row("- Trong đó: thị trấn", {y: add(c.figs[y] for c in towns)}),
        *communes,
    ]
    bad = rows[7]
    n = bad.figs[y]["families"]
    bad.override["families:achieved"] = f"{n // 1000},{n % 1000:03d}"
    t = write_table(g, r, cols, rows, year=y, sums=[(0, list(range(2, len(rows))))])
    footer(g, t.bottom + 1, width)
    return b


@workbook(
    "BC_2020_utf16.csv",
    ["csv", "year_rows", "comparison", "stt", "report_date"],
    "Huyện Trực Ninh 2020, each commune on two rows (2019, 2020) under its merged name, a "
    "'So sánh 2020/2019 (%)' column on the 2020 rows; saved as 'Unicode Text' (UTF-16 with "
    "a BOM, tab-separated) and named .csv.",
)
def w18(w: World) -> Book:
    y, d = 2020, "Huyện Trực Ninh"
    b = CsvBook("BC_2020_utf16.csv", encoding="utf-16", sep="\t", locale="vi")
    g = b.sheet()
    cols = [
        stt(),
        area(),
        Col(("Năm",), kind="year"),
        data(("Tổng số KDC",), "ra_total", "shared"),
        data(("KDC văn hóa",), "cult_ra", "achieved"),
        data(('KDC "5 không"',), "five_no", "achieved"),
        data(("Số hộ GĐVH",), "families", "achieved"),
        skip(("So sánh 2020/2019 (%)",), "difference", "ratio", metric="families", base_year=2019),
    ]
    width = len(cols)
    r = heading(
        g,
        org=("UBND HUYỆN TRỰC NINH",),
        title="KẾT QUẢ XÂY DỰNG KHU DÂN CƯ VĂN HÓA NĂM 2020",
        sub=report_line("01/BC-UBND", "05/01/2021"),
        width=width,
    )
    rows: list[Row] = []
    groups: dict[int, list[int]] = {2019: [], 2020: []}
    units = [(w.key(y, c, d), c, i + 1) for i, c in enumerate(w.communes(d, y))] + [
        (w.key(y, d), "Toàn huyện", None)
    ]
    for k, text, n in units:
        figs = {yy: w.figs(k.at(yy)) for yy in (2019, 2020)}
        for yy in (2019, 2020):
            if n is not None:
                groups[yy].append(len(rows))
            rows.append(
                Row(
                    text if yy == 2019 else None,
                    key=k,
                    figs=figs,
                    stt=n if yy == 2019 else None,
                    year=yy,
                    year_cell=str(yy),
                    merge_down=2 if yy == 2019 else 0,
                )
            )
    sums = [(len(rows) - 2, groups[2019]), (len(rows) - 1, groups[2020])]
    t = write_table(g, r, cols, rows, year=y, sums=sums)
    footer(g, t.bottom + 1, width)
    return b


@workbook(
    "BC_2023_nhieu_bang_vni.xlsx",
    ["multi_table", "legacy_text", "rate_text"],
    "Province 2023 typed in VNI (VNI-Times): 'Biểu 1' cultural table, then 'Biểu 2' safety "
    "table with another column order, 'Toàn tỉnh' first and the districts in reverse order; "
    "rates as text.",
)
def w19(w: World) -> Book:
    y = 2023
    b = Book("BC_2023_nhieu_bang_vni.xlsx")
    g = b.sheet("BC2023", encode=vni, font="VNI-Times")
    width = 7
    r = heading(
        g,
        org=("BAN CHỈ ĐẠO 138 TỈNH NAM ĐỊNH",),
        title="BÁO CÁO KẾT QUẢ PHONG TRÀO TOÀN DÂN BẢO VỆ ANTQ NĂM 2023",
        sub=report_line("01/BC-BCĐ", "04/01/2024"),
        width=width,
    )
    g.text(
        r,
        1,
        "Biểu 1: Kết quả xây dựng khu dân cư văn hóa, gia đình văn hóa",
        to=(r, width),
        bold=True,
    )
    cols = [
        stt(),
        area(),
        data(("KDC văn hóa", "Tổng số KDC"), "ra_total", "shared"),
        data(("KDC văn hóa", "Đạt"), "cult_ra", "achieved"),
        data(("KDC văn hóa", "Tỷ lệ (%)"), "cult_ra", "rate", style="vi"),
        data(("Gia đình văn hóa", "Tổng số hộ"), "households", "total"),
        data(("Gia đình văn hóa", "Số hộ đạt"), "families", "achieved"),
    ]
    rows = [*district_rows(w, y, "full"), total(w, w.key(y, P_ND), "Cộng")]
    t = write_table(g, r + 1, cols, rows, year=y, sums=sums_below(len(rows)))
    r = t.bottom + 3
    g.text(
        r,
        1,
        "Biểu 2: Kết quả xây dựng phong trào an toàn về an ninh, trật tự",
        to=(r, width),
        bold=True,
    )
    cols = [
        area(),
        data(("Nhà trường an toàn về ANTT", "Tổng số"), "school_total", "total"),
        data(("Nhà trường an toàn về ANTT", "Đạt"), "school", "achieved"),
        data(("Nhà trường an toàn về ANTT", "Tỷ lệ (%)"), "school", "rate", style="vi"),
        data(("KDC an toàn về ANTT", "Tổng số"), "ra_total", "shared"),
        data(("KDC an toàn về ANTT", "Đạt"), "safe_ra", "achieved"),
        data(("KDC an toàn về ANTT", "Tỷ lệ (%)"), "safe_ra", "rate", style="vi"),
    ]
    rows = [
        total(w, w.key(y, P_ND), "Toàn tỉnh"),
        *[row_for(w, w.key(y, d), label(d, "short")) for d in reversed(w.districts(y))],
    ]
    t = write_table(g, r + 1, cols, rows, year=y, sums=[(0, list(range(1, len(rows))))])
    footer(g, t.bottom + 1, width)
    return b


def _district_sheet(
    w: World,
    g: Grid,
    d: str,
    *,
    org: tuple[str, ...],
    cols: list[Col],
    year: int,
    style: str,
    years: tuple[int, ...] = (),
    hide: int | None = None,
    numbering: str | None = None,
    total_label: str = "Cộng",
) -> None:
    """One district's sheet: its communes and a total row below."""
    width = len(cols)
    r = heading(
        g,
        org=org,
        title=f"KẾT QUẢ XÂY DỰNG PHONG TRÀO TOÀN DÂN BẢO VỆ ANTQ NĂM {year}",
        sub=None,
        width=width,
    )
    rows = [*commune_rows(w, year, d, style, years), total(w, w.key(year, d), total_label, years)]
    if hide is not None:
        rows[hide].hidden = True
    t = write_table(g, r, cols, rows, year=year, numbering=numbering, sums=sums_below(len(rows)))
    footer(g, t.bottom + 1, width)


@workbook(
    "KQ_cap_xa_2024_ba_huyen.xlsx",
    ["sheet_per_area", "comparison", "hidden_sheet", "stt"],
    "2024, one sheet per district ('Hải Hậu', 'Giao Thủy', 'H.Xuan Truong'), two of them "
    "with their district's letterhead, one named only by its sheet; 'So với cùng kỳ' and a "
    "'Số mô hình tự quản' column no indicator names; a hidden 'Data' sheet.",
)
def w20(w: World) -> Book:
    y = 2024
    b = Book("KQ_cap_xa_2024_ba_huyen.xlsx")
    cols = [
        stt(),
        area(),
        data(("KDC an toàn về ANTT", "Tổng số KDC"), "ra_total", "shared"),
        data(("KDC an toàn về ANTT", "Đạt"), "safe_ra", "achieved"),
        data(("KDC an toàn về ANTT", "Tỷ lệ (%)"), "safe_ra", "rate"),
        skip(
            ("KDC an toàn về ANTT", "So với cùng kỳ"),
            "difference",
            "delta",
            metric="safe_ra",
            style="text",
        ),
        data(("Nhà trường đạt chuẩn an toàn về ANTT", "Tổng số"), "school_total", "total"),
        data(("Nhà trường đạt chuẩn an toàn về ANTT", "Đạt"), "school", "achieved"),
        skip(("Số mô hình tự quản về ANTT",), "unrecognised_column", "metric", metric="models"),
    ]
    for sheet, d, org in (
        ("Hải Hậu", "Huyện Hải Hậu", ("UBND HUYỆN HẢI HẬU",)),
        ("Giao Thủy", "Huyện Giao Thủy", ()),
        ("H.Xuan Truong", "Huyện Xuân Trường", ("UBND HUYỆN XUÂN TRƯỜNG", "BAN CHỈ ĐẠO 138")),
    ):
        _district_sheet(
            w, b.sheet(sheet), d, org=org, cols=cols, year=y, style="abbr", years=(2023,)
        )
    g = b.sheet("Data", hidden=True)
    g.text(1, 1, "Số liệu năm 2023 (để so sánh)")
    for i, d in enumerate(("Huyện Hải Hậu", "Huyện Giao Thủy", "Huyện Xuân Trường")):
        g.text(2 + i, 1, d)
        g.skip(2 + i, 2, w.figs(w.key(2023, d))["safe_ra"], "hidden_sheet")
    return b


@workbook(
    "BC_xa_2024_tcvn3.xlsx",
    ["sheet_per_area", "legacy_text", "column_numbers", "hidden_rows"],
    "2024, sheets 'Xuan Truong' and 'Truc Ninh' typed in TCVN3 (.VnTime), 'A B 1 2 3 …' "
    "under the header (the numbers typed as numbers), one commune row hidden on each sheet.",
)
def w21(w: World) -> Book:
    y = 2024
    b = Book("BC_xa_2024_tcvn3.xlsx")
    cols = [
        stt("TT"),
        area("Tên xã, thị trấn"),
        data(("Tổng số KDC",), "ra_total", "shared"),
        data(("KDC văn hóa",), "cult_ra", "achieved"),
        data(("Tỷ lệ (%)",), "cult_ra", "rate"),
        data(('KDC "5 không"',), "five_no", "achieved"),
        data(("Gia đình văn hóa (hộ)",), "families", "achieved"),
    ]
    for sheet, d, org, hide in (
        ("Xuan Truong", "Huyện Xuân Trường", ("UBND HUYỆN XUÂN TRƯỜNG",), 5),
        ("Truc Ninh", "Huyện Trực Ninh", ("UBND HUYỆN TRỰC NINH",), 11),
    ):
        g = b.sheet(sheet, encode=tcvn3, font=".VnTime")
        _district_sheet(
            w,
            g,
            d,
            org=org,
            cols=cols,
            year=y,
            style="full",
            hide=hide,
            numbering="letters",
            total_label="Tổng cộng",
        )
    return b


@workbook(
    "BC_VuBan_2022.xlsx",
    ["hostile", "no_diacritics", "fractions", "column_numbers"],
    "Huyện Vụ Bản's communes in 2022, headers without diacritics, 'đạt/tổng' fractions, "
    "'(1) (2) …' under the header; hostile cells: '99999999999999999999' typed as text, a "
    "date in a count cell, '#DIV/0!' and 'inf' where rates belong.",
)
def w22(w: World) -> Book:
    y, d = 2022, "Huyện Vụ Bản"
    b = Book("BC_VuBan_2022.xlsx")
    g = b.sheet("Sheet1")
    cols = [
        stt(),
        area("Don vi"),
        data(("Tong so KDC",), "ra_total", "shared"),
        data(("KDC van hoa (dat/tong)",), "cult_ra", "fraction"),
        data(("KDC an toan ve ANTT", "SL"), "safe_ra", "achieved"),
        data(("KDC an toan ve ANTT", "TL"), "safe_ra", "rate", style="frac"),
        data(("Doanh nghiep an toan ANTT", "Tong so"), "enterprise_total", "total"),
        data(("Doanh nghiep an toan ANTT", "Dat"), "enterprise", "achieved"),
        data(("Doanh nghiep an toan ANTT", "TL"), "enterprise", "rate", style="frac"),
    ]
    width = len(cols)
    r = heading(
        g,
        org=("UBND HUYỆN VỤ BẢN", "BAN CHỈ ĐẠO 138"),
        title="KẾT QUẢ PHONG TRÀO TOÀN DÂN BẢO VỆ ANTQ NĂM 2022",
        sub=report_line("01/BC-BCĐ", "05/01/2023"),
        width=width,
    )
    rows = [*commune_rows(w, y, d, "full"), total(w, w.key(y, d), "Cộng")]
    rows[2].override["enterprise:achieved"] = "99999999999999999999"
    rows[5].override["safe_ra:achieved"] = datetime(2022, 3, 12)
    rows[8].override["enterprise:rate"] = "#DIV/0!"
    rows[11].override["safe_ra:rate"] = "inf"
    t = write_table(g, r, cols, rows, year=y, numbering="paren", sums=sums_below(len(rows)))
    footer(g, t.bottom + 1, width)
    return b


@workbook(
    "BC_2022_nghia_hung.xlsx",
    ["hostile", "ambiguous_number", "notes_numbers", "rate_text"],
    "Huyện Nghĩa Hưng's communes in 2022 with Vietnamese number text ('1.234', '94,75%'); "
    "a 5.000-character explanation in a count cell, 1E+20 in another, '3,127' in a third, "
    "numbers in 'Ghi chú'.",
)
def w23(w: World) -> Book:
    y, d = 2022, "Huyện Nghĩa Hưng"
    b = Book("BC_2022_nghia_hung.xlsx")
    g = b.sheet("Nghia Hung")
    cols = [
        stt(),
        area("Xã, thị trấn"),
        data(("Tổng số hộ",), "households", "total", style="vi"),
        data(("Số hộ GĐVH",), "families", "achieved", style="vi"),
        data(("Tỷ lệ (%)",), "families", "rate", style="vi"),
        data(("KDC văn hóa",), "cult_ra", "achieved"),
        data(("Tổng số KDC",), "ra_total", "shared"),
        skip(("Ghi chú",), "notes", "note"),
    ]
    width = len(cols)
    r = heading(
        g,
        org=("UBND HUYỆN NGHĨA HƯNG",),
        title="KẾT QUẢ XÂY DỰNG GIA ĐÌNH VĂN HÓA, KHU DÂN CƯ VĂN HÓA NĂM 2022",
        sub=report_line("02/BC-UBND", "06/01/2023"),
        width=width,
    )
    rows = [*commune_rows(w, y, d, "full"), total(w, w.key(y, d), "Tổng cộng")]
    rows[1].override["households:total"] = LONG_TEXT[:5000]
    rows[4].override["families:achieved"] = 1e20
    n = rows[9].figs[y]["families"]
    rows[9].override["families:achieved"] = f"{n // 1000},{n % 1000:03d}"
    rows[3].note = 2
    rows[6].note = "Tách 1 xóm"
    rows[13].note = 4
    t = write_table(g, r, cols, rows, year=y, sums=sums_below(len(rows)))
    footer(g, t.bottom + 1, width, right=("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"))
    return b


@workbook(
    "BC_2021_y_yen_loi.xlsx",
    ["ambiguous_number", "hostile", "year_rows", "title_year_differs"],
    "Huyện Ý Yên 2021 with each commune on two rows (2020, 2021) under its merged name; the "
    "title says 2021; counts as Vietnamese text; a '#DIV/0!' rate and '2,104'-style "
    "ambiguous count.",
)
def w24(w: World) -> Book:
    y, d = 2021, "Huyện Ý Yên"
    b = Book("BC_2021_y_yen_loi.xlsx")
    g = b.sheet("Y Yen")
    cols = [
        stt(),
        area("Xã, thị trấn"),
        Col(("Năm",), kind="year"),
        data(("Tổng số hộ",), "households", "total", style="vi"),
        data(("Số hộ đạt GĐVH",), "families", "achieved", style="vi"),
        data(("Tỷ lệ (%)",), "families", "rate"),
        data(("KDC an toàn về ANTT", "Tổng số KDC"), "ra_total", "shared"),
        data(("KDC an toàn về ANTT", "Số đạt"), "safe_ra", "achieved"),
    ]
    width = len(cols)
    r = heading(
        g,
        org=("UBND HUYỆN Ý YÊN", "BAN CHỈ ĐẠO 138"),
        title="KẾT QUẢ PHONG TRÀO TOÀN DÂN BẢO VỆ ANTQ NĂM 2021",
        sub=report_line("03/BC-BCĐ", "07/01/2022"),
        width=width,
    )
    rows: list[Row] = []
    groups: dict[int, list[int]] = {2020: [], 2021: []}
    units = [(w.key(y, c, d), c, i + 1) for i, c in enumerate(w.communes(d, y))]
    units.append((w.key(y, d), "Toàn huyện", None))
    for k, text, n in units:
        figs = {yy: w.figs(k.at(yy)) for yy in (2020, 2021)}
        for yy in (2020, 2021):
            if n is not None:
                groups[yy].append(len(rows))
            rows.append(
                Row(
                    text if yy == 2020 else None,
                    key=k,
                    figs=figs,
                    stt=n if yy == 2020 else None,
                    year=yy,
                    year_cell=yy,
                    merge_down=2 if yy == 2020 else 0,
                    bold=n is None,
                )
            )
    rows[6].override["families:rate"] = "#DIV/0!"
    f = rows[13].figs[2021]["households"]
    rows[13].override["households:total"] = f"{f // 1000},{f % 1000:03d}"
    sums = [(len(rows) - 2, groups[2020]), (len(rows) - 1, groups[2021])]
    t = write_table(g, r, cols, rows, year=y, sums=sums)
    footer(g, t.bottom + 1, width)
    return b


@workbook(
    "KQ_2023_tung_chi_tieu_khong_dau.xlsx",
    ["sheet_per_indicator", "no_diacritics", "hidden_rows", "stt"],
    "Province 2023, sheets 'Sheet1' … 'Sheet3', one indicator each named only in its title "
    "typed without diacritics ('KET QUA XAY DUNG KHU DAN CU VAN HOA NAM 2023'); a district "
    "row hidden on the first sheet.",
)
def w25(w: World) -> Book:
    b = Book("KQ_2023_tung_chi_tieu_khong_dau.xlsx")
    y = 2023
    sheets = [
        (
            no_marks("KẾT QUẢ XÂY DỰNG KHU DÂN CƯ VĂN HÓA NĂM 2023"),
            (
                ("Tong so KDC", "ra_total", "shared"),
                ("So KDC dat", "cult_ra", "achieved"),
                ("Ty le (%)", "cult_ra", "rate"),
            ),
            3,
        ),
        (
            no_marks("KẾT QUẢ XÂY DỰNG GIA ĐÌNH VĂN HÓA NĂM 2023"),
            (
                ("Tong so ho", "households", "total"),
                ("So ho dat", "families", "achieved"),
                ("Ty le (%)", "families", "rate"),
            ),
            None,
        ),
        (
            no_marks("KẾT QUẢ XÂY DỰNG TRƯỜNG HỌC ĐẠT CHUẨN AN TOÀN VỀ ANTT NĂM 2023"),
            (
                ("Tong so truong", "school_total", "total"),
                ("So truong dat", "school", "achieved"),
                ("Ty le (%)", "school", "rate"),
            ),
            None,
        ),
    ]
    for i, (title, leaves, hide) in enumerate(sheets):
        _per_indicator_sheet(
            w,
            b.sheet(f"Sheet{i + 1}"),
            title=title,
            years=(y,),
            leaves=leaves,  # type: ignore[arg-type]
            compare=Col(()),
            org=("BAN CHI DAO 138 TINH NAM DINH",),
            sub="(Kem theo Bao cao so 08/BC-BCD ngay 05/01/2024)",
            area_style="short",
            hide=hide,
            headers=("STT", "Don vi", "Nam {}"),
        )
    return b


@workbook(
    "KQ_2020_tung_chi_tieu_vni.xlsx",
    ["sheet_per_indicator", "legacy_text", "year_columns", "title_year_differs"],
    "Province 2020 in VNI (VNI-Times), one sheet per indicator named in its title, 'Năm "
    "2019', 'Năm 2020' groups and a 'Tăng/giảm' column; the 2019 columns under a 2020 title.",
)
def w26(w: World) -> Book:
    b = Book("KQ_2020_tung_chi_tieu_vni.xlsx")
    years = (2019, 2020)
    sheets = [
        (
            "KẾT QUẢ XÂY DỰNG KHU DÂN CƯ VĂN HÓA NĂM 2020",
            (("Tổng số KDC", "ra_total", "shared"), ("Đạt", "cult_ra", "achieved")),
            "cult_ra",
        ),
        (
            "KẾT QUẢ XÂY DỰNG GIA ĐÌNH VĂN HÓA NĂM 2020",
            (("Tổng số hộ", "households", "total"), ("Số hộ đạt", "families", "achieved")),
            "families",
        ),
        (
            "KẾT QUẢ XÂY DỰNG NHÀ TRƯỜNG ĐẠT CHUẨN AN TOÀN VỀ ANTT NĂM 2020",
            (
                ("Tổng số", "school_total", "total"),
                ("Đạt", "school", "achieved"),
                ("Tỷ lệ (%)", "school", "rate"),
            ),
            "school",
        ),
    ]
    for i, (title, leaves, m) in enumerate(sheets):
        g = b.sheet(f"Bieu {i + 1}", encode=vni, font="VNI-Times")
        _per_indicator_sheet(
            w,
            g,
            title=title,
            years=years,
            leaves=leaves,  # type: ignore[arg-type]
            compare=skip(
                ("Tăng/giảm",),
                "difference",
                "delta",
                metric=m,
                base_year=2019,
                year=2020,
                style="text",
            ),
            sub=report_line("05/BC-BCĐ", "05/01/2021"),
            area_style="abbr",
        )
    return b


@workbook(
    "BC_2024_xa_nhom_huyen.xlsx",
    ["duplicate_names", "notes_numbers", "fractions", "stt"],
    "Province 2024 by commune grouped under heading rows ('HUYỆN Ý YÊN', no numbers), each "
    "group closed by a 'Cộng' row that is the district, 'TỔNG CỘNG TOÀN TỈNH' at the end; "
    "'đạt/tổng' fractions; numbers in 'Ghi chú'.",
)
def w27(w: World) -> Book:
    y = 2024
    b = Book("BC_2024_xa_nhom_huyen.xlsx")
    g = b.sheet("Tong hop")
    cols = [
        stt(),
        area("Tên đơn vị"),
        data(("KDC văn hóa (đạt/tổng số)",), "cult_ra", "fraction"),
        data(("Gia đình văn hóa (hộ)",), "families", "achieved"),
        data(("Nhà trường an toàn về ANTT", "Tổng số"), "school_total", "total"),
        data(("Nhà trường an toàn về ANTT", "Đạt"), "school", "achieved"),
        skip(("Ghi chú",), "notes", "note"),
    ]
    width = len(cols)
    r = heading(
        g,
        org=("BAN CHỈ ĐẠO 138 TỈNH NAM ĐỊNH",),
        title="KẾT QUẢ PHONG TRÀO TOÀN DÂN BẢO VỆ ANTQ CẤP XÃ NĂM 2024",
        sub=report_line("11/BC-BCĐ", "08/01/2025"),
        width=width,
    )
    rows: list[Row] = []
    sums: list[tuple[int, list[int]]] = []
    subtotals = []
    for d in w.districts(y):
        rows.append(Row(d.upper(), kind="heading", bold=True))
        kids = commune_rows(w, y, d, "full")
        for i, k in enumerate(kids):
            if i % 7 == 3:
                k.note = 1 + i % 2
        start = len(rows)
        rows += kids
        sums.append((len(rows), list(range(start, len(rows)))))
        subtotals.append(len(rows))
        rows.append(total(w, w.key(y, d), "Cộng"))
    rows.append(total(w, w.key(y, P_ND), "TỔNG CỘNG TOÀN TỈNH"))
    sums.append((len(rows) - 1, subtotals))
    t = write_table(g, r, cols, rows, year=y, sums=sums)
    footer(g, t.bottom + 1, width)
    return b


@workbook(
    "BC_2019_Ghi_chu_va_so_cot.xlsx",
    ["column_numbers", "notes_numbers", "hidden_sheet", "report_date"],
    "Province 2019 by district, column numbers 1 2 3 typed as numbers, numbers in 'Ghi "
    "chú', a 'Số mô hình tự quản' column, a count typed beside the table, a visible sheet of "
    "movement models (no indicator table) and a hidden scratch sheet.",
)
def w28(w: World) -> Book:
    y = 2019
    b = Book("BC_2019_Ghi_chu_va_so_cot.xlsx")
    g = b.sheet("Bieu 1")
    cols = [
        stt(),
        area(),
        data(("Tổng số KDC",), "ra_total", "shared"),
        data(("KDC văn hóa", "Số lượng"), "cult_ra", "achieved"),
        data(("KDC văn hóa", "Tỷ lệ"), "cult_ra", "rate", style="frac"),
        data(("KDC an toàn về ANTT", "Số đạt"), "safe_ra", "achieved"),
        data(("KDC an toàn về ANTT", "Tỷ lệ"), "safe_ra", "rate", style="frac"),
        skip(("Số mô hình tự quản về ANTT",), "unrecognised_column", "metric", metric="models"),
        skip(("Ghi chú",), "notes", "note"),
    ]
    width = len(cols)
    r = heading(
        g,
        org=("BAN CHỈ ĐẠO 138 TỈNH NAM ĐỊNH",),
        title="KẾT QUẢ PHONG TRÀO TOÀN DÂN BẢO VỆ AN NINH TỔ QUỐC NĂM 2019",
        sub=report_line("02/BC-BCĐ", "06/01/2020"),
        width=width,
    )
    rows = [*district_rows(w, y, "abbr"), total(w, w.key(y, P_ND), "Tổng cộng")]
    rows[2].note = 5
    rows[6].note = "Nhập 3 thôn"
    rows[8].note = 12
    t = write_table(g, r, cols, rows, year=y, numbering="int", sums=sums_below(len(rows)))
    r = t.bottom + 2
    g.text(r, 2, "Tổng số mô hình, phong trào đang duy trì:")
    g.skip(r, 4, 37, "outside_table")
    footer(g, r + 1, width)
    m = b.sheet("Mo hinh")
    m.text(1, 1, "DANH SÁCH MÔ HÌNH TỰ QUẢN VỀ AN NINH, TRẬT TỰ NĂM 2019", to=(1, 4), bold=True)
    m.text(2, 1, "STT")
    m.text(2, 2, "Tên mô hình")
    m.text(2, 3, "Số lượng")
    for i, (name, n) in enumerate(
        [
            ("Camera an ninh", 14),
            ("Tổ tự quản ANTT", 9),
            ("Dòng họ không có tội phạm", 6),
            ("Tiếng kẻng an ninh", 8),
        ]
    ):
        m.skip(3 + i, 1, i + 1, "row_number")
        m.text(3 + i, 2, name)
        m.skip(3 + i, 3, n, "outside_table")
    scratch(b, "Nhap", [1250, 1187, 0.9496])
    return b


@workbook(
    "TP Nam Dinh 2024.xlsx",
    ["totals_above", "sub_rows", "stt", "comparison"],
    "Thành phố Nam Định 2024 (Mỹ Lộc's seven communes now inside): 'Toàn thành phố' first, "
    "then numbered groups 'I. Khối phường' and 'II. Khối xã' carrying the sums of the rows "
    "under them (not areas), a 'Tăng/giảm so với năm 2023' column.",
)
def w29(w: World) -> Book:
    y, d = 2024, TP_ND
    b = Book("TP Nam Dinh 2024.xlsx")
    g = b.sheet("TP Nam Dinh")
    cols = [
        stt(),
        area(),
        data(("Tổng số KDC",), "ra_total", "shared"),
        data(("KDC văn hóa",), "cult_ra", "achieved"),
        data(("KDC an toàn về ANTT", "Số đạt"), "safe_ra", "achieved"),
        data(("KDC an toàn về ANTT", "Tỷ lệ (%)"), "safe_ra", "rate"),
        skip(
            ("KDC an toàn về ANTT", "Tăng/giảm so với năm 2023"),
            "difference",
            "delta",
            metric="safe_ra",
        ),
    ]
    width = len(cols)
    r = heading(
        g,
        org=("UBND THÀNH PHỐ NAM ĐỊNH", "BAN CHỈ ĐẠO 138"),
        title="KẾT QUẢ XÂY DỰNG PHONG TRÀO TOÀN DÂN BẢO VỆ ANTQ NĂM 2024",
        sub=report_line("05/BC-BCĐ", "06/01/2025"),
        width=width,
    )
    communes = commune_rows(w, y, d, "full", (2023,))
    wards = [c for c in communes if c.label and c.label.startswith("Phường")]
    xas = [c for c in communes if c not in wards]
    for i, c in enumerate(xas):
        c.stt = i + 1
    rows = [
        total(w, w.key(y, d), "Toàn thành phố", (2023,)),
        sub_row(
            "Khối phường",
            {yy: add(c.figs[yy] for c in wards) for yy in (y, 2023)},
            stt="I",
            bold=True,
        ),
        *wards,
        sub_row(
            "Khối xã", {yy: add(c.figs[yy] for c in xas) for yy in (y, 2023)}, stt="II", bold=True
        ),
        *xas,
    ]
    n_w = len(wards)
    sums = [
        (0, [*range(2, 2 + n_w), *range(3 + n_w, len(rows))]),
        (1, list(range(2, 2 + n_w))),
        (2 + n_w, list(range(3 + n_w, len(rows)))),
    ]
    t = write_table(g, r, cols, rows, year=y, sums=sums)
    footer(g, t.bottom + 1, width)
    return b


@workbook(
    "BC_2024_cum_thi_dua_en.xlsx",
    ["numbered_districts", "multi_table", "other_locale", "duplicate_names"],
    "Province 2024 by commune in two emulation-cluster tables on one sheet, districts on "
    "numbered rows (I, II …) over their communes, the second table with another column "
    "order and 'Toàn tỉnh' at its end; numbers typed in the English locale ('1,234', "
    "'95.24%').",
)
def w30(w: World) -> Book:
    y = 2024
    b = Book("BC_2024_cum_thi_dua_en.xlsx")
    g = b.sheet("Cum thi dua")
    width = 6
    r = heading(
        g,
        org=("BAN CHỈ ĐẠO 138 TỈNH NAM ĐỊNH",),
        title="KẾT QUẢ PHONG TRÀO TOÀN DÂN BẢO VỆ ANTQ THEO CỤM THI ĐUA NĂM 2024",
        sub=report_line("12/BC-BCĐ", "09/01/2025"),
        width=width,
    )
    clusters = [
        ("CỤM THI ĐUA SỐ 1", [TP_ND, "Huyện Vụ Bản", "Huyện Ý Yên", "Huyện Nam Trực"]),
        (
            "CỤM THI ĐUA SỐ 2",
            [
                "Huyện Nghĩa Hưng",
                "Huyện Trực Ninh",
                "Huyện Xuân Trường",
                "Huyện Giao Thủy",
                "Huyện Hải Hậu",
            ],
        ),
    ]
    col_sets = [
        [
            stt(),
            area(),
            data(("Số hộ GĐVH",), "families", "achieved", style="en"),
            data(("KDC an toàn về ANTT", "Tổng số KDC"), "ra_total", "shared", style="en"),
            data(("KDC an toàn về ANTT", "Số đạt"), "safe_ra", "achieved", style="en"),
            data(("KDC an toàn về ANTT", "Tỷ lệ (%)"), "safe_ra", "rate", style="en"),
        ],
        [
            stt(),
            area(),
            data(("KDC an toàn về ANTT", "Số đạt"), "safe_ra", "achieved", style="en"),
            data(("KDC an toàn về ANTT", "Tỷ lệ (%)"), "safe_ra", "rate", style="en"),
            data(("KDC an toàn về ANTT", "Tổng số KDC"), "ra_total", "shared", style="en"),
            data(("Số hộ GĐVH",), "families", "achieved", style="en"),
        ],
    ]
    tables = []
    n = 0
    for (name, ds), cols in zip(clusters, col_sets, strict=True):
        g.text(r, 1, name, to=(r, width), bold=True)
        rows: list[Row] = []
        sums = []
        for d in ds:
            rows.append(total(w, w.key(y, d), d, stt=ROMAN[n]))
            n += 1
            kids = commune_rows(w, y, d, "full")
            sums.append((len(rows) - 1, list(range(len(rows), len(rows) + len(kids)))))
            rows += kids
        last = name.endswith("2")
        if last:
            rows.append(total(w, w.key(y, P_ND), "Toàn tỉnh"))
        t = write_table(g, r + 1, cols, rows, year=y, sums=sums)
        tables.append((t, cols, [i for i, _ in sums]))
        r = t.bottom + 3
    # 'Toàn tỉnh' adds up the district rows of both tables.
    (t1, c1, h1), (t2, c2, h2) = tables
    for k, col in enumerate(c2):
        if col.kind == "data" and col.role in ("achieved", "shared"):
            k1 = next(j for j, cc in enumerate(c1) if cc.tag == col.tag)
            g.sum_check(
                (t2.rows[-1], k + 1),
                [(t1.rows[i], k1 + 1) for i in h1] + [(t2.rows[i], k + 1) for i in h2],
            )
    footer(g, r, width)
    return b


@workbook(
    "bao_cao_xa_hai_minh.xlsx",
    ["refused", "hamlets", "stt"],
    "Xã Hải Minh's hamlets with no year anywhere: not in the title, the sheet name or the "
    "file name (only the date it was signed, 05/01/2021, which is no reporting year). "
    "Refused: the year cannot be known.",
    expect="refuse",
)
def w31(w: World) -> Book:
    b = Book("bao_cao_xa_hai_minh.xlsx")
    g = b.sheet("Sheet1")
    commune = w.key(2020, "Xã Hải Minh", "Huyện Hải Hậu")
    r = heading(
        g,
        org=("UBND XÃ HẢI MINH",),
        title="BÁO CÁO KẾT QUẢ XÂY DỰNG KHU DÂN CƯ VĂN HÓA, GIA ĐÌNH VĂN HÓA",
        sub=report_line("02/BC-UBND", "05/01/2021"),
        width=9,
        place_date="Hải Minh, ngày 05 tháng 01 năm 2021",
    )
    headers = {**HAMLET_HEADERS, "stt": "STT"}
    r = _hamlet_table(w, g, r, commune, headers=headers, total_label="Cộng")
    footer(g, r, 9, right=("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"))
    refuse_all(b, "no reporting year in the title, the sheet name or the file name")
    return b


def refuse_all(b: Book, why: str) -> None:
    """Every number of the file is skipped because the whole file must be refused."""
    b.truths = [
        Truth(t.file, t.sheet, t.cell, "skip", reason="refused", note=why) for t in b.truths
    ]
    b.refuse(why)


@workbook(
    "BC_2020_bi_loi.xlsx",
    ["refused"],
    "A province report cut off in transfer (the first 45% of its bytes): a truncated zip.",
    expect="refuse",
)
def w32(w: World) -> Book:
    whole = w01(w)

    class Truncated(Book):
        def render(self) -> bytes:
            data = whole.render()
            return data[: int(len(data) * 0.45)]

    b = Truncated("BC_2020_bi_loi.xlsx")
    b.refuse("a truncated file (no cells can be read)")
    return b


@workbook(
    "BC_2021_xuat_tu_phan_mem.xls",
    ["refused"],
    "An HTML table saved with an .xls name, as web software exports it: not a spreadsheet.",
    expect="refuse",
)
def w33(w: World) -> Book:
    y = 2021
    rows = "".join(
        f"<tr><td>{i + 1}</td><td>{html.escape(d)}</td>"
        f"<td>{w.figs(w.key(y, d))['ra_total']}</td><td>{w.figs(w.key(y, d))['cult_ra']}</td></tr>"
        for i, d in enumerate(w.districts(y))
    )
    page = (
        '<html><head><meta charset="utf-8"></head><body>'
        "<h3>KẾT QUẢ XÂY DỰNG KHU DÂN CƯ VĂN HÓA NĂM 2021</h3>"
        "<table border=1><tr><th>STT</th><th>Đơn vị</th><th>Tổng số KDC</th>"
        f"<th>KDC văn hóa</th></tr>{rows}</table></body></html>"
    )

    class Html(Book):
        def render(self) -> bytes:
            return page.encode("utf-8")

    b = Html("BC_2021_xuat_tu_phan_mem.xls")
    b.refuse("an HTML page named .xls, not a spreadsheet")
    return b


@workbook(
    "BC_2024_cum_csv.csv",
    ["csv", "numbered_districts", "duplicate_names", "stt"],
    "The communes of Huyện Ý Yên and Huyện Nam Trực in 2024 (both have a Xã Hồng Quang) "
    "under numbered district rows, exported as CSV in UTF-8 with a BOM and ',' with "
    'Vietnamese numbers (rates quoted: "94,75").',
)
def w34(w: World) -> Book:
    y = 2024
    b = CsvBook("BC_2024_cum_csv.csv", encoding="utf-8-sig", sep=",", locale="vi")
    g = b.sheet()
    cols = [
        stt(),
        area("Đơn vị"),
        data(("Tổng số KDC",), "ra_total", "shared"),
        data(("KDC an toàn về ANTT",), "safe_ra", "achieved"),
        data(("Tỷ lệ KDC an toàn (%)",), "safe_ra", "rate", style="vi_bare"),
        data(("Số hộ GĐVH",), "families", "achieved", style="vi"),
    ]
    width = len(cols)
    r = heading(
        g,
        org=("BAN CHỈ ĐẠO 138 TỈNH NAM ĐỊNH",),
        title="KẾT QUẢ KIỂM TRA PHONG TRÀO TOÀN DÂN BẢO VỆ ANTQ NĂM 2024 - HUYỆN Ý YÊN, NAM TRỰC",
        sub=report_line("13/BC-BCĐ", "10/01/2025"),
        width=width,
    )
    rows: list[Row] = []
    sums = []
    for i, d in enumerate(("Huyện Ý Yên", "Huyện Nam Trực")):
        rows.append(total(w, w.key(y, d), d.upper(), stt=ROMAN[i]))
        kids = commune_rows(w, y, d, "full")
        sums.append((len(rows) - 1, list(range(len(rows), len(rows) + len(kids)))))
        rows += kids
    t = write_table(g, r, cols, rows, year=y, sums=sums)
    footer(g, t.bottom + 1, width)
    return b


@workbook(
    "Bieu mau 2022 - Xuan Truong.xlsx",
    ["hidden_rows", "other_locale", "stt", "sub_rows"],
    "Huyện Xuân Trường's communes in 2022 typed on an English-locale machine ('1,234', "
    "'92.31%'), a hidden 'Tổng số KDC' column, a hidden commune row, '+ KDC mới thành lập' "
    "under two communes, the total below.",
)
def w35(w: World) -> Book:
    y, d = 2022, "Huyện Xuân Trường"
    b = Book("Bieu mau 2022 - Xuan Truong.xlsx")
    g = b.sheet("Xuan Truong 2022")
    cols = [
        stt(),
        area(),
        data(("Tổng số KDC",), "ra_total", "shared", style="en", hidden=True),
        data(("KDC văn hóa",), "cult_ra", "achieved", style="en"),
        data(("Tỷ lệ KDC văn hóa (%)",), "cult_ra", "rate", style="en"),
        data(("Tổng số hộ",), "households", "total", style="en"),
        data(("Số hộ GĐVH",), "families", "achieved", style="en"),
    ]
    width = len(cols)
    r = heading(
        g,
        org=("UBND HUYỆN XUÂN TRƯỜNG", "BAN CHỈ ĐẠO 138"),
        title="KẾT QUẢ XÂY DỰNG KHU DÂN CƯ VĂN HÓA, GIA ĐÌNH VĂN HÓA NĂM 2022",
        sub=report_line("01/BC-BCĐ", "05/01/2023"),
        width=width,
    )
    communes = commune_rows(w, y, d, "abbr")
    rows: list[Row] = []
    kids = []
    for i, c in enumerate(communes):
        kids.append(len(rows))
        rows.append(c)
        if i in (2, 8):
            rows.append(sub_row("+ KDC mới thành lập", {y: part(c.figs[y], 0.15)}))
    communes[6].hidden = True
    rows.append(total(w, w.key(y, d), "Tổng cộng"))
    t = write_table(g, r, cols, rows, year=y, sums=[(len(rows) - 1, kids)])
    footer(g, t.bottom + 1, width)
    return b


# ---- outputs ----------------------------------------------------------------------


def build(out: Path) -> dict[str, object]:
    """Write every workbook, ``expected.csv`` and ``corpus.json`` into ``out``.

    Returns the manifest (what ``corpus.json`` holds).
    """
    out.mkdir(parents=True, exist_ok=True)
    world = World()
    world.hamlets.update(HAMLETS)
    truths: list[Truth] = []
    files = []
    sums: list[dict[str, object]] = []
    for i, spec in enumerate(REGISTRY, start=1):
        book = spec.build(world)
        if book.name != spec.file:
            raise ValueError(f"{spec.file}: the builder wrote {book.name}")
        book.save(out)
        truths += book.truths
        sums += book.sums
        entry: dict[str, object] = {
            "id": f"w{i:02d}",
            "file": spec.file,
            "features": list(spec.features),
            "expect": spec.expect,
            "about": spec.about,
        }
        if isinstance(book, CsvBook):
            entry["csv"] = {"encoding": book.encoding, "sep": book.sep, "locale": book.locale}
        files.append(entry)
    with (out / "expected.csv").open("w", newline="", encoding="utf-8") as fh:
        wr = csv.DictWriter(fh, fieldnames=list(TRUTH_COLUMNS), lineterminator="\n")
        wr.writeheader()
        for t in truths:
            wr.writerow(t.row())
    manifest = {
        "files": files,
        "features": FEATURES,
        "reasons": {k: {"tier": t, "meaning": m} for k, (t, m) in REASONS.items()},
        "sums": sums,
    }
    (out / "corpus.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return manifest


def main(argv: list[str]) -> int:
    """``python tests/corpus/make_corpus.py OUT_DIR``."""
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[-3], file=sys.stderr)
        return 2
    manifest = build(Path(argv[1]))
    n = len(manifest["files"])  # type: ignore[arg-type]
    print(f"wrote {n} files, expected.csv and corpus.json to {argv[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
