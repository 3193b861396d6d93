"""Regenerate the bundled workbooks in data/raw, deterministically.

The numbers are ILLUSTRATIVE (synthetic), except the 2020 province total
row, which carries the figures published in the report of the provincial
Steering Committee 138's 2020 conference (see ../shared/DOMAIN.md).
District rows are synthetic and add up to the province row.

Three layouts, as real offices change their forms over the years:

- 2015-2017 "A": one sheet, three-row merged header, totals for every unit.
- 2018-2021 "B": two sheets (cultural "VH", safety "ANTT"), two-row header;
  the ANTT title carries "An toàn về an ninh, trật tự" and its groups read
  only "Khu dân cư", "Cơ quan"…; 2020-2021 give no totals for communes,
  agencies, enterprises and schools (as the published report), only rates;
  the 2020 province rates are typed as text, as published ("94,75%").
- 2022-2024 "C": one sheet named for the year (no year in the title),
  headers without diacritics, cultural areas as "đạt/tổng" fractions, rates
  as fractions with a percent format, a row of column numbers, a sheet of
  movement models and a hidden scratch sheet.

Run:  python scripts/make_data.py [OUT_DIR]   (default: data/raw)
"""

from __future__ import annotations

import functools
import io
import random
import sys
import zipfile
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

# ---- inputs ------------------------------------------------------------------
PROVINCE = "NAM ĐỊNH"
DISTRICTS = [
    "Thành phố Nam Định",
    "Huyện Mỹ Lộc",
    "Huyện Vụ Bản",
    "Huyện Ý Yên",
    "Huyện Nghĩa Hưng",
    "Huyện Nam Trực",
    "Huyện Trực Ninh",
    "Huyện Xuân Trường",
    "Huyện Giao Thủy",
    "Huyện Hải Hậu",
]
# How the districts are written in each layout (clerks abbreviate).
SHORT = {
    "A": lambda n: n.replace("Thành phố", "TP.").replace("Huyện ", "H. "),
    "B": lambda n: n,
    "C": lambda n: n.replace("Thành phố ", "TP ").replace("Huyện ", ""),
}
RA_WEIGHTS = [330, 125, 265, 445, 375, 335, 315, 255, 365, 505]
HH_WEIGHTS = [78, 23, 41, 71, 55, 52, 47, 40, 57, 70]
COMMUNES = [25, 11, 18, 32, 25, 20, 21, 20, 22, 35]  # 229, the province's communes
AGENCY_W = [190, 25, 35, 45, 40, 38, 36, 33, 38, 45]
ENTERPRISE_W = [2100, 180, 260, 420, 380, 350, 310, 330, 420, 600]
SCHOOL_W = [95, 40, 60, 105, 85, 70, 75, 62, 80, 112]

YEARS = list(range(2015, 2025))
#: Huyện Mỹ Lộc merged whole into Thành phố Nam Định on 1 September 2024.
MY_LOC_MERGED = 2024
LAYOUT = {y: "A" if y <= 2017 else "B" if y <= 2021 else "C" for y in YEARS}
# Province series. 2020 is the published report; the rest is synthetic.
RA_TOTAL = [3812, 3810, 3806, 3803, 3800, 3462, 3460, 3458, 3455, 3455]  # hamlets merged 2019-20
CULT_RA_RATE = [0.742, 0.755, 0.768, 0.781, 0.795, None, 0.835, 0.842, 0.851, 0.858]
FAMILIES = [468210, 475390, 483120, 490870, 499050, 507361, 510420, 513980, 517200, 520650]
HOUSEHOLDS = [561300, 565800, 570100]  # only layout A reports households
CONVENTION = [3650, 3671, 3689, 3702, 3731, 3432, 3440, 3446, 3450, 3451]
FIVE_NO = [812, 906, 1010, 1185, 1350, 1568, 1702, 1840, 1965, 2078]
SAFE_RA_RATE = [0.866, 0.881, 0.897, 0.912, 0.935, None, 0.951, 0.957, 0.962, 0.968]
# 2024: 175 units after the merger of 1/9/2024 (Resolution 1104/NQ-UBTVQH15).
COMMUNE_ACH = [208, 211, 214, 218, 220, 223, 224, 225, 226, 171]
AGENCY_TOTAL = [598, 601, 603, 606, 609, 612, 610, 608, 605, 603]
AGENCY_RATE = [0.93, 0.94, 0.948, 0.955, 0.962, None, 0.974, 0.977, 0.98, 0.983]
# From 2022 (Circular 124/2021/TT-BCA) small and micro enterprises and primary schools and
# kindergartens no longer count: those denominators drop.
ENT_TOTAL = [3820, 4105, 4410, 4790, 5120, 5449, 5730, 2405, 2480, 2555]
ENT_RATE = [0.86, 0.872, 0.884, 0.897, 0.91, None, 0.925, 0.905, 0.912, 0.921]
SCHOOL_TOTAL = [772, 775, 776, 778, 779, 780, 782, 318, 320, 322]
SCHOOL_RATE = [0.95, 0.958, 0.965, 0.971, 0.978, None, 0.99, 0.975, 0.981, 0.984]
# The 2020 province row exactly as published (DOMAIN.md).
PUBLISHED_2020 = {
    "cult_ra": 2863,
    "ra_total": 3462,
    "families": 507361,
    "convention": 3432,
    "five_no": 1568,
    "safe_ra": 3321,
    "safe_ra_rate": "94,75%",
    "commune": 223,
    "commune_rate": "97,37%",
    "agency": 595,
    "agency_rate": "97,25%",
    "enterprise": 5027,
    "enterprise_rate": "92,25%",
    "school": 772,
    "school_rate": "98,9%",
}
NOTE = (
    "Ghi chú: Số liệu minh họa do antq tạo ra, không phải số liệu thật; riêng dòng toàn tỉnh "
    "năm 2020 lấy theo báo cáo tổng kết phong trào năm 2020 đã công bố."
)
FIXED_TIME = datetime(2021, 1, 5, 8, 0, 0)
# Each district's own lean, fixed across years so district series move smoothly.
JITTER = [random.Random(138 + k).uniform(0.97, 1.03) for k in range(len(DISTRICTS))]


# ---- process -----------------------------------------------------------------
def split(total: int, weights: list[float]) -> list[int]:
    """Split a whole number by weights, largest remainder first (sums exactly)."""
    s = sum(weights)
    raw = [total * w / s for w in weights]
    base = [int(x) for x in raw]
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - base[i]), i))
    for i in order[: total - sum(base)]:
        base[i] += 1
    return base


def split_achieved(achieved: int, totals: list[int], rng: random.Random) -> list[int]:
    """District achieved counts that sum to ``achieved`` and never exceed their totals."""
    weights = [t * (1 + rng.uniform(-0.015, 0.015)) for t in totals]
    out = split(achieved, weights)
    for _ in range(1000):
        over = [i for i, (a, t) in enumerate(zip(out, totals, strict=True)) if a > t]
        if not over:
            break
        i = over[0]
        slack = max(range(len(out)), key=lambda j: totals[j] - out[j])
        out[i] -= 1
        out[slack] += 1
    return out


def series(y: int, rng: random.Random) -> dict[str, object]:
    """Province and district figures of one year."""
    i = YEARS.index(y)
    ra_total = RA_TOTAL[i]
    if y == 2020:
        cult, safe_ra = PUBLISHED_2020["cult_ra"], PUBLISHED_2020["safe_ra"]
        commune = PUBLISHED_2020["commune"]
        agency, ent, school = (PUBLISHED_2020[k] for k in ("agency", "enterprise", "school"))
    else:
        cult = round(CULT_RA_RATE[i] * ra_total)
        safe_ra = round(SAFE_RA_RATE[i] * ra_total)
        commune = COMMUNE_ACH[i]
        agency = round(AGENCY_RATE[i] * AGENCY_TOTAL[i])
        ent = round(ENT_RATE[i] * ENT_TOTAL[i])
        school = round(SCHOOL_RATE[i] * SCHOOL_TOTAL[i])
    d_ra = split(ra_total, [w * JITTER[k] for k, w in enumerate(RA_WEIGHTS)])
    d = {
        "ra_total": d_ra,
        "cult_ra": split_achieved(cult, d_ra, rng),
        "convention": split_achieved(CONVENTION[i], d_ra, rng),
        "five_no": split_achieved(FIVE_NO[i], d_ra, rng),
        "safe_ra": split_achieved(safe_ra, d_ra, rng),
        "families": split(
            FAMILIES[i], [w * (1 + 0.004 * i * JITTER[k]) for k, w in enumerate(HH_WEIGHTS)]
        ),
        "commune_total": list(COMMUNES),
        "agency_total": split(AGENCY_TOTAL[i], AGENCY_W),
        "ent_total": split(
            ENT_TOTAL[i], [w * (1 + 0.01 * i * JITTER[k]) for k, w in enumerate(ENTERPRISE_W)]
        ),
        "school_total": split(SCHOOL_TOTAL[i], SCHOOL_W),
    }
    d["commune"] = split_achieved(commune, d["commune_total"], rng)
    d["agency"] = split_achieved(agency, d["agency_total"], rng)
    d["enterprise"] = split_achieved(ent, d["ent_total"], rng)
    d["school"] = split_achieved(school, d["school_total"], rng)
    if i < len(HOUSEHOLDS):
        hh = split(HOUSEHOLDS[i], HH_WEIGHTS)
        d["households"] = [max(h, f + 500) for h, f in zip(hh, d["families"], strict=True)]
    names = list(DISTRICTS)
    if y >= MY_LOC_MERGED:
        # Huyện Mỹ Lộc is inside Thành phố Nam Định from 1/9/2024: nine district-level rows.
        d = {k: [v[0] + v[1], *v[2:]] for k, v in d.items()}
        names = [DISTRICTS[0], *DISTRICTS[2:]]
        d["commune_total"] = [len(communes_2024()[n]) for n in names]
        d["commune"] = split_achieved(commune, d["commune_total"], rng)
    p = {k: sum(v) for k, v in d.items()}
    return {"d": d, "p": p, "names": names}


def getter(s: dict[str, object], k: int | None):
    """Value of a district (index k) or, for k None, of the province."""
    d, p = s["d"], s["p"]
    return (lambda key: d[key][k]) if k is not None else (lambda key: p[key])


def pct(a: int, t: int) -> float:
    return round(a / t * 100, 2)


THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
FONT = "Times New Roman"


def style_range(ws, r1: int, c1: int, r2: int, c2: int, *, bold: bool = False) -> None:
    for r in range(r1, r2 + 1):
        for c in range(c1, c2 + 1):
            cell = ws.cell(r, c)
            cell.border = BOX
            cell.font = Font(name=FONT, size=11, bold=bold)
            if bold:
                cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def put(ws, r: int, c: int, value: object, *, r2: int | None = None, c2: int | None = None) -> None:
    ws.cell(r, c, value)
    if (r2 and r2 != r) or (c2 and c2 != c):
        ws.merge_cells(start_row=r, start_column=c, end_row=r2 or r, end_column=c2 or c)


def right_block(width: int) -> int:
    """First column of the right-hand blocks (motto, signature)."""
    return max(width - 5, 4)


def heading(ws, org: str, title: str, subtitle: str | None, width: int) -> int:
    """Organisation, national motto, title; returns the next free row."""
    right = right_block(width)
    put(ws, 1, 1, org, c2=right - 1)
    put(ws, 1, right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", c2=width)
    put(ws, 2, right, "Độc lập - Tự do - Hạnh phúc", c2=width)
    for r in (1, 2):
        for c in (1, right):
            ws.cell(r, c).font = Font(name=FONT, bold=True, size=11)
            ws.cell(r, c).alignment = Alignment(horizontal="center")
    put(ws, 4, 1, title, c2=width)
    ws.cell(4, 1).font = Font(name=FONT, bold=True, size=13)
    ws.cell(4, 1).alignment = Alignment(horizontal="center", wrap_text=True)
    ws.row_dimensions[4].height = 36
    row = 5
    if subtitle:
        put(ws, 5, 1, subtitle, c2=width)
        ws.cell(5, 1).font = Font(name=FONT, italic=True, size=11)
        ws.cell(5, 1).alignment = Alignment(horizontal="center")
        row = 6
    return row + 1


def footer(ws, row: int, width: int, place_date: str) -> None:
    put(ws, row + 1, 1, NOTE, c2=width)
    ws.cell(row + 1, 1).font = Font(name=FONT, italic=True, size=10)
    ws.cell(row + 1, 1).alignment = Alignment(wrap_text=True)
    ws.row_dimensions[row + 1].height = 30
    right = right_block(width)
    put(ws, row + 3, right, place_date, c2=width)
    put(ws, row + 4, 2, "NGƯỜI LẬP BIỂU", c2=right - 1)
    put(ws, row + 4, right, "TM. BAN CHỈ ĐẠO", c2=width)
    put(ws, row + 5, right, "PHÓ TRƯỞNG BAN THƯỜNG TRỰC", c2=width)
    put(ws, row + 9, 2, "Trần Thị Minh Hương", c2=right - 1)
    put(ws, row + 9, right, "Đại tá Nguyễn Văn An", c2=width)
    for r in range(row + 3, row + 10):
        for c in (2, right):
            ws.cell(r, c).font = Font(name=FONT, bold=r in (row + 4, row + 5), size=11)
            ws.cell(r, c).alignment = Alignment(horizontal="center")


def widths(ws, first: list[float], rest: float, n: int) -> None:
    for c in range(1, n + 1):
        w = first[c - 1] if c <= len(first) else rest
        ws.column_dimensions[get_column_letter(c)].width = w


def layout_a(wb: Workbook, y: int, s: dict[str, object]) -> None:
    """2015-2017: one sheet, three header rows, totals everywhere."""
    _d, _p = s["d"], s["p"]
    ws = wb.active
    ws.title = "Biểu 01"
    width = 25
    top = heading(
        ws,
        f"BAN CHỈ ĐẠO 138 TỈNH {PROVINCE}",
        f"KẾT QUẢ PHONG TRÀO TOÀN DÂN BẢO VỆ AN NINH TỔ QUỐC NĂM {y}",
        f"(Kèm theo Báo cáo số {40 + y - 2015}/BC-BCĐ ngày 28/12/{y})",
        width,
    )
    h1, h2, h3 = top, top + 1, top + 2
    put(ws, h1, 1, "STT", r2=h3)
    put(ws, h1, 2, "Đơn vị", r2=h3)
    put(ws, h1, 3, "Tổng số KDC", r2=h3)
    put(ws, h1, 4, "Xây dựng khu dân cư, gia đình văn hóa", c2=10)
    put(ws, h2, 4, "KDC văn hóa", c2=5)
    put(ws, h3, 4, "Số lượng")
    put(ws, h3, 5, "Tỷ lệ (%)")
    put(ws, h2, 6, "Gia đình văn hóa", c2=8)
    put(ws, h3, 6, "Tổng số hộ")
    put(ws, h3, 7, "Số hộ đạt")
    put(ws, h3, 8, "Tỷ lệ (%)")
    put(ws, h2, 9, "KDC có hương ước, quy ước", r2=h3)
    put(ws, h2, 10, 'KDC "5 không"', r2=h3)
    put(ws, h1, 11, 'Đạt chuẩn "An toàn về an ninh, trật tự"', c2=24)
    groups = [
        ("Khu dân cư", 11, False),
        ("Xã, phường, thị trấn", 13, True),
        ("Cơ quan", 16, True),
        ("Doanh nghiệp", 19, True),
        ("Nhà trường", 22, True),
    ]
    for label, c, has_total in groups:
        n = 3 if has_total else 2
        put(ws, h2, c, label, c2=c + n - 1)
        leaves = ["Tổng số", "Đạt", "Tỷ lệ (%)"] if has_total else ["Số đạt", "Tỷ lệ (%)"]
        for k, leaf in enumerate(leaves):
            put(ws, h3, c + k, leaf)
    put(ws, h1, 25, "Ghi chú", r2=h3)
    style_range(ws, h1, 1, h3, width, bold=True)
    rows = [(str(k + 1), SHORT["A"](name), k) for k, name in enumerate(s["names"])]
    rows.append(("", "Tổng cộng", None))
    r = h3 + 1
    for stt, label, k in rows:
        v = getter(s, k)
        vals = [
            stt,
            label,
            v("ra_total"),
            v("cult_ra"),
            pct(v("cult_ra"), v("ra_total")),
            v("households"),
            v("families"),
            pct(v("families"), v("households")),
            v("convention"),
            v("five_no"),
            v("safe_ra"),
            pct(v("safe_ra"), v("ra_total")),
        ]
        for a, t in (
            ("commune", "commune_total"),
            ("agency", "agency_total"),
            ("enterprise", "ent_total"),
            ("school", "school_total"),
        ):
            vals += [v(t), v(a), pct(v(a), v(t))]
        for c, val in enumerate(vals, start=1):
            ws.cell(r, c, val)
        style_range(ws, r, 1, r, width, bold=False)
        for c in range(3, width):
            ws.cell(r, c).number_format = "0.00" if c in (5, 8, 12, 15, 18, 21, 24) else "#,##0"
        if k is None:
            for c in range(1, width + 1):
                ws.cell(r, c).font = Font(name=FONT, bold=True, size=11)
        r += 1
    footer(ws, r, width, f"Nam Định, ngày 28 tháng 12 năm {y}")
    widths(ws, [5, 22, 9], 9.5, width)
    ws.freeze_panes = ws.cell(h3 + 1, 3)


def layout_b(wb: Workbook, y: int, s: dict[str, object]) -> None:
    """2018-2021: a cultural sheet and a safety sheet, two header rows each."""
    _d, _p = s["d"], s["p"]
    rows = [(str(k + 1), SHORT["B"](name), k) for k, name in enumerate(s["names"])]
    rows.append(("", "Toàn tỉnh", None))
    subtitle = f"(Kèm theo Báo cáo số 05/BC-BCĐ ngày 05/01/{y + 1} của Ban Chỉ đạo 138 tỉnh)"
    # Cultural sheet
    ws = wb.active
    ws.title = "VH"
    width = 7
    top = heading(
        ws,
        f"BAN CHỈ ĐẠO 138 TỈNH {PROVINCE}",
        f"KẾT QUẢ XÂY DỰNG KHU DÂN CƯ VĂN HÓA, GIA ĐÌNH VĂN HÓA NĂM {y}",
        subtitle,
        width,
    )
    h1, h2 = top, top + 1
    put(ws, h1, 1, "TT", r2=h2)
    put(ws, h1, 2, "Đơn vị\n(huyện, thành phố)", r2=h2)
    put(ws, h1, 3, "Tổng số\nkhu dân cư", r2=h2)
    put(ws, h1, 4, "Khu dân cư văn hóa", r2=h2)
    put(ws, h1, 5, "Số hộ được công nhận Gia đình văn hóa", r2=h2)
    put(ws, h1, 6, "Khu dân cư xây dựng được hương ước, quy ước", r2=h2)
    put(ws, h1, 7, 'Khu dân cư\n"5 không"', r2=h2)
    style_range(ws, h1, 1, h2, width, bold=True)
    ws.row_dimensions[h1].height = 30
    ws.row_dimensions[h2].height = 30
    r = h2 + 1
    for stt, label, k in rows:
        v = getter(s, k)
        for c, val in enumerate(
            [stt, label, v("ra_total"), v("cult_ra"), v("families"), v("convention"), v("five_no")],
            start=1,
        ):
            ws.cell(r, c, val)
            if c >= 3:
                ws.cell(r, c).number_format = "#,##0"
        style_range(ws, r, 1, r, width)
        r += 1
    footer(ws, r, width, f"Nam Định, ngày 05 tháng 01 năm {y + 1}")
    widths(ws, [5, 22, 12, 14, 18, 18, 12], 12, width)
    # Safety sheet
    ws = wb.create_sheet("ANTT")
    with_totals = y <= 2019
    per = 3 if with_totals else 2
    width = 2 + 3 + 4 * per
    top = heading(
        ws,
        f"BAN CHỈ ĐẠO 138 TỈNH {PROVINCE}",
        f'KẾT QUẢ CÔNG NHẬN ĐẠT CHUẨN "AN TOÀN VỀ AN NINH, TRẬT TỰ" NĂM {y}',
        subtitle,
        width,
    )
    h1, h2 = top, top + 1
    put(ws, h1, 1, "TT", r2=h2)
    put(ws, h1, 2, "Đơn vị\n(huyện, thành phố)", r2=h2)
    put(ws, h1, 3, "Khu dân cư", c2=5)
    for k, leaf in enumerate(["Tổng số KDC", "Số đạt", "Tỷ lệ (%)"]):
        put(ws, h2, 3 + k, leaf)
    units = [
        ("Xã, phường, thị trấn", "commune", "commune_total"),
        ("Cơ quan", "agency", "agency_total"),
        ("Doanh nghiệp", "enterprise", "ent_total"),
        ("Nhà trường", "school", "school_total"),
    ]
    c = 6
    for label, *_ in units:
        put(ws, h1, c, label, c2=c + per - 1)
        leaves = ["Tổng số", "Số đạt", "Tỷ lệ (%)"] if with_totals else ["Số đạt", "Tỷ lệ (%)"]
        for k, leaf in enumerate(leaves):
            put(ws, h2, c + k, leaf)
        c += per
    style_range(ws, h1, 1, h2, width, bold=True)
    r = h2 + 1
    for stt, label, k in rows:
        v = getter(s, k)
        vals: list[object] = [stt, label, v("ra_total"), v("safe_ra")]
        published = y == 2020 and k is None
        vals.append(
            PUBLISHED_2020["safe_ra_rate"] if published else pct(v("safe_ra"), v("ra_total"))
        )
        for _label, a, t in units:
            if with_totals:
                vals.append(v(t))
            vals.append(v(a))
            vals.append(PUBLISHED_2020[f"{a}_rate"] if published else pct(v(a), v(t)))
        for cc, val in enumerate(vals, start=1):
            cell = ws.cell(r, cc, val)
            if isinstance(val, float):
                cell.number_format = "0.00"
            elif isinstance(val, int):
                cell.number_format = "#,##0"
            elif published and cc > 2:
                cell.alignment = Alignment(horizontal="right")
        style_range(ws, r, 1, r, width)
        r += 1
    footer(ws, r, width, f"Nam Định, ngày 05 tháng 01 năm {y + 1}")
    widths(ws, [5, 22], 10, width)


def layout_c(wb: Workbook, y: int, s: dict[str, object]) -> None:
    """2022-2024: year in the sheet name only, no diacritics, fractions, % formats."""
    _d, _p = s["d"], s["p"]
    ws = wb.active
    ws.title = f"Nam {y}"
    width = 17
    top = heading(
        ws,
        f"CÔNG AN TỈNH {PROVINCE}",
        "BÁO CÁO KẾT QUẢ PHONG TRÀO TOÀN DÂN BẢO VỆ ANTQ",
        f"(Kèm theo Báo cáo số 12/BC-CAT-PV05 ngày 05/01/{y + 1})",
        width,
    )
    h1, h2 = top, top + 1
    put(ws, h1, 1, "STT", r2=h2)
    put(ws, h1, 2, "Don vi", r2=h2)
    put(ws, h1, 3, "Tong so KDC", r2=h2)
    put(ws, h1, 4, "KDC van hoa\n(dat/tong so)", r2=h2)
    put(ws, h1, 5, "So ho GDVH", r2=h2)
    put(ws, h1, 6, "KDC co huong uoc, quy uoc", r2=h2)
    put(ws, h1, 7, "KDC 5 khong", r2=h2)
    put(ws, h1, 8, "KDC an toan ve ANTT", c2=9)
    put(ws, h2, 8, "SL")
    put(ws, h2, 9, "TL")
    for k, label in enumerate(
        [
            "Xa, phuong, thi tran an toan ANTT",
            "Co quan an toan ANTT",
            "Doanh nghiep an toan ANTT",
            "Nha truong an toan ANTT",
        ]
    ):
        c = 10 + 2 * k if k == 0 else 12 + 2 * (k - 1)
        put(ws, h1, c, label, c2=c + 1)
        put(ws, h2, c, "Dat")
        put(ws, h2, c + 1, "TL")
    put(ws, h1, 18, "Ghi chu", r2=h2)
    width = 18
    style_range(ws, h1, 1, h2, width, bold=True)
    num = h2 + 1
    for c in range(1, width + 1):
        ws.cell(num, c, f"({c})")
    style_range(ws, num, 1, num, width)
    r = num + 1
    rows = [(str(k + 1), SHORT["C"](name), k) for k, name in enumerate(s["names"])]
    rows.append(("", "Cộng", None))
    for stt, label, k in rows:
        v = getter(s, k)
        frac = f"{v('cult_ra'):,}/{v('ra_total'):,}".replace(",", ".")
        vals: list[object] = [
            stt,
            label,
            v("ra_total"),
            frac,
            v("families"),
            v("convention"),
            v("five_no"),
            v("safe_ra"),
            round(v("safe_ra") / v("ra_total"), 4),
        ]
        for a, t in (
            ("commune", "commune_total"),
            ("agency", "agency_total"),
            ("enterprise", "ent_total"),
            ("school", "school_total"),
        ):
            vals += [v(a), round(v(a) / v(t), 4)]
        for cc, val in enumerate(vals, start=1):
            cell = ws.cell(r, cc, val)
            if isinstance(val, float):
                cell.number_format = "0.00%"
            elif isinstance(val, int):
                cell.number_format = "#,##0"
        style_range(ws, r, 1, r, width)
        r += 1
    footer(ws, r, width, f"Nam Định, ngày 05 tháng 01 năm {y + 1}")
    widths(ws, [5, 18, 10, 14], 10, width)
    models = wb.create_sheet("Mo hinh")
    models["A1"] = f"DANH SÁCH MÔ HÌNH, PHONG TRÀO TOÀN DÂN BẢO VỆ ANTQ NĂM {y}"
    for k, (name, who) in enumerate(
        [
            ("Camera an ninh", "Công an tỉnh phối hợp"),
            ("Tổ tự quản an ninh trật tự", "Cấp huyện"),
            ("Dòng họ không có tội phạm", "UBND tỉnh"),
            ("Tiếng kẻng an ninh", "Cấp xã"),
        ],
        start=3,
    ):
        models.cell(k, 1, k - 2)
        models.cell(k, 2, name)
        models.cell(k, 3, who)
    scratch = wb.create_sheet("Tinh toan")
    scratch["A1"] = "Nháp: tính thử tỷ lệ"
    scratch["A2"] = 0.5
    scratch.sheet_state = "hidden"


def workbook_bytes(y: int) -> bytes:
    rng = random.Random(138_000 + y)
    wb = Workbook()
    wb.properties.creator = "antq scripts/make_data.py (synthetic)"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    {"A": layout_a, "B": layout_b, "C": layout_c}[LAYOUT[y]](wb, y, series(y, rng))
    buf = io.BytesIO()
    wb.save(buf)
    return _deterministic_zip(buf.getvalue())


def _deterministic_zip(data: bytes) -> bytes:
    """Same entries with fixed timestamps, so the files are identical on every run."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                import re

                body = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2021-01-05T08:00:00Z", body
                )
            zi = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            zi.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(zi, body)
    return out.getvalue()


# ---- the real map after 2024: communes of Nam Định, the new Ninh Bình ------------------------
@functools.cache
def communes_2024() -> dict[str, list[tuple[str, str]]]:
    """Tỉnh Nam Định's commune-level units at the end of 2024, (code, name) by district.

    Real names and codes from antq's area registry: 175 units under nine
    district-level units after the merger of 1 September 2024.
    """
    from antq import registry

    units = registry.areas(on="2024-12-31", province="Tỉnh Nam Định", level="commune")
    out: dict[str, list[tuple[str, str]]] = {}
    for district, code, name in sorted(
        zip(units["district"], units["code"], units["name"], strict=True), key=lambda r: r[1]
    ):
        out.setdefault(str(district), []).append((str(code), str(name)))
    return out


def ninh_binh_2025() -> list[tuple[str, str, tuple[str, ...]]]:
    """The new Tỉnh Ninh Bình's 129 communes: (code, name, codes of old Nam Định predecessors)."""
    from antq import registry

    units = registry.areas(on="2025-07-01", province="Tỉnh Ninh Bình", level="commune")
    out = []
    for uid, code, name in sorted(
        zip(units["uid"], units["code"], units["name"], strict=True), key=lambda r: r[1]
    ):
        old = [registry.unit(u) for u in registry.predecessors(str(uid))]
        from_nd = tuple(sorted(a.code for a in old if a.province == "Tỉnh Nam Định"))
        out.append((str(code), str(name), from_nd))
    return out


#: What a commune-level row carries (the keys of series(), split over communes).
COMMUNE_KEYS = (
    "ra_total",
    "cult_ra",
    "families",
    "convention",
    "five_no",
    "safe_ra",
    "commune_total",
    "commune",
    "agency_total",
    "agency",
    "ent_total",
    "enterprise",
    "school_total",
    "school",
)
_ACHIEVED_OF = {
    "cult_ra": "ra_total",
    "convention": "ra_total",
    "five_no": "ra_total",
    "safe_ra": "ra_total",
    "commune": "commune_total",
    "agency": "agency_total",
    "enterprise": "ent_total",
    "school": "school_total",
}


def commune_values(s: dict[str, object], rng: random.Random) -> dict[str, dict[str, int]]:
    """Each 2024 commune's figures, split from its district's so that they add up exactly."""
    out: dict[str, dict[str, int]] = {}
    for k, district in enumerate(s["names"]):
        units = communes_2024()[district]
        v = getter(s, k)
        weights = [random.Random(int(code)).uniform(0.6, 1.4) for code, _ in units]
        vals: dict[str, list[int]] = {}
        for key in ("ra_total", "families", "agency_total", "ent_total", "school_total"):
            vals[key] = split(v(key), weights)
        vals["commune_total"] = [1] * len(units)
        for key, total in _ACHIEVED_OF.items():
            vals[key] = split_achieved(v(key), vals[total], rng)
        for i, (code, _name) in enumerate(units):
            out[code] = {key: vals[key][i] for key in COMMUNE_KEYS}
    return out


def values_2025(c2024: dict[str, dict[str, int]]) -> list[tuple[str, dict[str, int]]]:
    """Figures of the new Ninh Bình's communes in 2025.

    A commune formed from old Nam Định communes starts from their 2024 sums and
    moves a little; the others (from old Hà Nam and Ninh Bình) are drawn at random.
    """
    out = []
    for code, name, from_nd in ninh_binh_2025():
        rng = random.Random(20_250 + int(code))
        if from_nd:
            base = {key: sum(c2024[c][key] for c in from_nd) for key in COMMUNE_KEYS}
            base["commune_total"] = 1
            base["commune"] = 1 if rng.random() < 0.985 else 0
            base["families"] = round(base["families"] * rng.uniform(1.002, 1.01))
        else:
            ra = rng.randint(14, 48)
            base = {
                "ra_total": ra,
                "families": round(ra * rng.uniform(240, 330)),
                "commune_total": 1,
                "commune": 1 if rng.random() < 0.97 else 0,
                "agency_total": rng.randint(4, 16),
                "ent_total": rng.randint(6, 45),
                "school_total": rng.randint(2, 6),
            }
            for key, share in (
                ("cult_ra", 0.86),
                ("convention", 0.97),
                ("five_no", 0.62),
                ("safe_ra", 0.95),
            ):
                base[key] = round(ra * min(1.0, share * rng.uniform(0.95, 1.05)))
            for key in ("agency", "enterprise", "school"):
                total = base[_ACHIEVED_OF[key]]
                base[key] = total - (1 if rng.random() < 0.25 else 0)
        for key, total_key in _ACHIEVED_OF.items():
            if from_nd and key not in ("commune",):
                grown = round(base[key] * rng.uniform(1.0, 1.02))
                base[key] = min(grown, base[total_key])
        out.append((name, base))
    return out


COMMUNE_HEADER = [
    ("Tổng số KDC", None),
    ("KDC văn hóa", None),
    ("Số hộ GĐVH", None),
    ("KDC có hương ước, quy ước", None),
    ('KDC "5 không"', None),
]
SAFE_GROUPS = [
    ("Khu dân cư", ["Số đạt", "Tỷ lệ (%)"], ("safe_ra", "ra_total")),
    ("Xã, phường, thị trấn", ["Tổng số", "Số đạt"], ("commune", "commune_total")),
    ("Cơ quan", ["Tổng số", "Số đạt", "Tỷ lệ (%)"], ("agency", "agency_total")),
    ("Doanh nghiệp", ["Tổng số", "Số đạt", "Tỷ lệ (%)"], ("enterprise", "ent_total")),
    ("Nhà trường", ["Tổng số", "Số đạt", "Tỷ lệ (%)"], ("school", "school_total")),
]


def _commune_table_header(ws, top: int, area_header: str) -> tuple[int, int]:
    """The two-row header of the commune-level tables; returns (first body row, width)."""
    h1, h2 = top, top + 1
    put(ws, h1, 1, "STT", r2=h2)
    put(ws, h1, 2, area_header, r2=h2)
    c = 3
    for label, _ in COMMUNE_HEADER:
        put(ws, h1, c, label, r2=h2)
        c += 1
    put(ws, h1, c, 'Đạt chuẩn "An toàn về an ninh, trật tự"', c2=c + 12)
    for label, leaves, _keys in SAFE_GROUPS:
        put(ws, h2, c, label, c2=c + len(leaves) - 1)
        c += len(leaves)
    # Leaves under the groups: a third header row.
    h3 = h2 + 1
    c = 3 + len(COMMUNE_HEADER)
    for _label, leaves, _keys in SAFE_GROUPS:
        for leaf in leaves:
            put(ws, h3, c, leaf)
            c += 1
    for col in range(1, 3 + len(COMMUNE_HEADER)):
        ws.merge_cells(start_row=h1, start_column=col, end_row=h3, end_column=col)
    width = c - 1
    style_range(ws, h1, 1, h3, width, bold=True)
    return h3 + 1, width


def _commune_row(v) -> list[object]:
    vals: list[object] = [v("ra_total"), v("cult_ra"), v("families"), v("convention"), v("five_no")]
    for _label, leaves, (a, t) in SAFE_GROUPS:
        for leaf in leaves:
            if leaf == "Tổng số":
                vals.append(v(t))
            elif leaf == "Số đạt":
                vals.append(v(a))
            else:
                vals.append(pct(v(a), v(t)) if v(t) else None)
    return vals


def _write_rows(ws, r: int, rows: list[tuple[str, str, object, bool]], width: int) -> int:
    for stt, label, v, bold in rows:
        ws.cell(r, 1, stt)
        ws.cell(r, 2, label)
        for c, val in enumerate(_commune_row(v), start=3):
            cell = ws.cell(r, c, val)
            cell.number_format = "0.00" if isinstance(val, float) else "#,##0"
        style_range(ws, r, 1, r, width)
        if bold:
            for c in range(1, width + 1):
                ws.cell(r, c).font = Font(name=FONT, bold=True, size=11)
        r += 1
    return r


ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


def annex_2024(wb: Workbook, s: dict[str, object], values: dict[str, dict[str, int]]) -> None:
    """The 2024 annex: every commune of the province under its numbered district row."""
    ws = wb.active
    ws.title = "Phu luc cap xa"
    top = heading(
        ws,
        f"BAN CHỈ ĐẠO 138 TỈNH {PROVINCE}",
        "PHỤ LỤC: KẾT QUẢ PHONG TRÀO TOÀN DÂN BẢO VỆ AN NINH TỔ QUỐC CẤP XÃ NĂM 2024",
        "(Kèm theo Báo cáo số 05/BC-BCĐ ngày 06/01/2025 của Ban Chỉ đạo 138 tỉnh)",
        20,
    )
    body, width = _commune_table_header(ws, top, "Đơn vị")
    rows: list[tuple[str, str, object, bool]] = []
    for k, district in enumerate(s["names"]):
        rows.append((ROMAN[k], district, getter(s, k), True))
        for i, (code, name) in enumerate(communes_2024()[district], start=1):
            rows.append((str(i), name, values[code].__getitem__, False))
    rows.append(("", "Toàn tỉnh", getter(s, None), True))
    r = _write_rows(ws, body, rows, width)
    footer(ws, r, width, "Nam Định, ngày 06 tháng 01 năm 2025")
    widths(ws, [6, 24], 9, width)
    ws.freeze_panes = ws.cell(body, 3)


def report_2025(wb: Workbook, c2024: dict[str, dict[str, int]]) -> None:
    """2025: the new Tỉnh Ninh Bình reports its 129 communes directly (no district level)."""
    ws = wb.active
    ws.title = "Năm 2025"
    top = heading(
        ws,
        "BAN CHỈ ĐẠO 138 TỈNH NINH BÌNH",
        "KẾT QUẢ PHONG TRÀO TOÀN DÂN BẢO VỆ AN NINH TỔ QUỐC NĂM 2025",
        "(Kèm theo Báo cáo số 03/BC-BCĐ ngày 06/01/2026 của Ban Chỉ đạo 138 tỉnh)",
        20,
    )
    body, width = _commune_table_header(ws, top, "Xã, phường")
    communes = values_2025(c2024)
    total = {key: sum(v[key] for _, v in communes) for key in COMMUNE_KEYS}
    rows = [(str(i), name, v.__getitem__, False) for i, (name, v) in enumerate(communes, start=1)]
    rows.append(("", "Toàn tỉnh", total.__getitem__, True))
    r = _write_rows(ws, body, rows, width)
    footer(ws, r, width, "Ninh Bình, ngày 06 tháng 01 năm 2026")
    widths(ws, [6, 24], 9, width)
    ws.freeze_panes = ws.cell(body, 3)


def extra_workbooks() -> dict[str, bytes]:
    """The 2024 commune annex of Nam Định and the 2025 report of the new Ninh Bình."""
    rng = random.Random(138_000 + 2024)
    s = series(2024, rng)
    c2024 = commune_values(s, random.Random(138_224))
    wb = Workbook()
    annex_2024(wb, s, c2024)
    out = {"BC_ANTQ_2024_phu_luc_cap_xa.xlsx": _save(wb)}
    wb = Workbook()
    report_2025(wb, c2024)
    out["BC_ANTQ_2025.xlsx"] = _save(wb)
    return out


def _save(wb: Workbook) -> bytes:
    wb.properties.creator = "antq scripts/make_data.py (synthetic)"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    buf = io.BytesIO()
    wb.save(buf)
    return _deterministic_zip(buf.getvalue())


# ---- the known events of the synthetic province ------------------------------------------
#: events.csv (antq.read_events): the 2020 merger of hamlets behind RA_TOTAL's drop
#: (3.800 → 3.462). Part of the synthetic data: the event is as made up as the numbers.
EVENTS_CSV = (
    "date,area,indicators,description,description_en,basis,compare,code\n"
    '2020,Tỉnh Nam Định,residential_area,"sáp nhập thôn, tổ dân phố",'
    '"hamlets and residential groups merged",'
    '"số liệu minh họa của antq (scripts/make_data.py), không phải văn bản thật",'
    "rate,sap_nhap_thon_2020\n"
)


# ---- outputs -----------------------------------------------------------------
def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for y in YEARS:
        (out / f"BC_ANTQ_{y}.xlsx").write_bytes(workbook_bytes(y))
    extra = extra_workbooks()
    for name, data in extra.items():
        (out / name).write_bytes(data)
    (out / "events.csv").write_bytes(EVENTS_CSV.encode("utf-8"))
    print(f"wrote {len(YEARS) + len(extra)} workbooks and events.csv to {out}")


if __name__ == "__main__":
    main(
        Path(sys.argv[1])
        if len(sys.argv) > 1
        else Path(__file__).resolve().parents[1] / "data" / "raw"
    )
