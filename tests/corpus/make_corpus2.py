"""A second corpus of unseen workbooks (28 files), with the truth of every number cell.

Written by another hand than ``make_corpus.py`` (its own figures, its own table writer), so
the reader is not held only to the layouts one generator thinks of. The workbooks combine:
year rows and year column groups, transposed tables (indicators down the side), Roman
sections and category subtotals, formulas with cached values, hidden rows and columns,
English-locale and space-grouped numbers, fractions, hamlets, one sheet per area, year or
indicator, plan and "not achieved" columns, cumulative beside new-this-year counts, hostile
cells, and two CSV files (UTF-8 with ',', UTF-16 with tabs).

Writes OUT/*.xlsx|csv, OUT/expected.csv and OUT/corpus.json in the format of
tests/corpus (README.md), so ``score.py --corpus OUT`` scores them. Byte-identical on every
run: fixed workbook properties and zip timestamps (``corpus_lib.FIXED_TIME``), seeds from
the names of the things drawn.

Ported from a standalone generator (``u01`` … ``u29``), less its three legacy copies
(``u25a``/``u25b``/``u25c``: .xls and .ods saved by LibreOffice from u01, u09 and u03): no
Python package installed here writes .xls or .ods, and the corpus must not need LibreOffice.
``u10`` (a province annex: indicators down the side, years across, no area column) is a
file to refuse: a fair refusal, with a reason, for a layout that names no area.

    python tests/corpus/make_corpus2.py OUT_DIR
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import random
import re
import sys
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import get_column_letter as L

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus_lib import DISTRICTS as DISTRICTS_OF_NAM_DINH
from corpus_lib import FIXED_TIME, REASONS, deterministic_zip

OUT = Path(".")
PROV = "Tỉnh Nam Định"
RA = [
    "cultural_residential_area",
    "residential_area_with_convention",
    "five_no_residential_area",
    "safe_residential_area",
]
COMMUNES = {
    "Huyện Giao Thủy": [
        "Thị trấn Quất Lâm",
        "Xã Giao Hương",
        "Xã Hồng Thuận",
        "Xã Giao Thiện",
        "Xã Giao Thanh",
        "Thị trấn Giao Thủy",
        "Xã Bình Hòa",
    ],
    "Huyện Nam Trực": [
        "Thị trấn Nam Giang",
        "Xã Nam Điền",
        "Xã Nghĩa An",
        "Xã Nam Thắng",
        "Xã Hồng Quang",
        "Xã Tân Thịnh",
    ],
    "Huyện Trực Ninh": [
        "Thị trấn Cổ Lễ",
        "Xã Phương Định",
        "Xã Trực Chính",
        "Xã Trung Đông",
        "Xã Liêm Hải",
        "Thị trấn Cát Thành",
    ],
    "Huyện Vụ Bản": [
        "Thị trấn Gôi",
        "Xã Hiển Khánh",
        "Xã Minh Tân",
        "Xã Hợp Hưng",
        "Xã Đại An",
        "Xã Cộng Hòa",
    ],
    "Huyện Ý Yên": [
        "Thị trấn Lâm",
        "Xã Trung Nghĩa",
        "Xã Tân Minh",
        "Xã Yên Thọ",
        "Xã Phú Hưng",
        "Xã Yên Chính",
        "Xã Yên Bình",
    ],
    "Huyện Nghĩa Hưng": [
        "Thị trấn Liễu Đề",
        "Thị trấn Rạng Đông",
        "Xã Đồng Thịnh",
        "Xã Nghĩa Thái",
        "Xã Hoàng Nam",
        "Xã Nghĩa Châu",
    ],
    "Huyện Xuân Trường": [
        "Thị trấn Xuân Trường",
        "Xã Xuân Châu",
        "Xã Xuân Hồng",
        "Xã Xuân Thành",
        "Xã Xuân Thượng",
        "Xã Trà Lũ",
    ],
    "Huyện Hải Hậu": [
        "Thị trấn Yên Định",
        "Thị trấn Cồn",
        "Xã Hải Nam",
        "Xã Hải Trung",
        "Xã Hải Minh",
        "Xã Hải Anh",
        "Xã Hải Hưng",
    ],
    "Thành phố Nam Định": [
        "Phường Vị Xuyên",
        "Phường Trường Thi",
        "Phường Lộc Hạ",
        "Phường Cửa Bắc",
        "Phường Năng Tĩnh",
        "Xã Mỹ Hà",
        "Xã Mỹ Thắng",
        "Xã Mỹ Tân",
    ],
}
# The districts of Nam Định in the province's order, as the first corpus lists them.
DISTRICTS = list(DISTRICTS_OF_NAM_DINH)
SHORT = {d: d.replace("Huyện ", "").replace("Thành phố ", "TP ") for d in DISTRICTS}


def rnd(*k):
    return random.Random(hashlib.md5(repr(k).encode()).hexdigest())


def fig(area, year):
    """Figures of a unit (district figures drawn, not summed: fine for reading)."""
    r = rnd(area, year)
    big = 12 if area.startswith(("Huyện", "Thành phố")) else 1
    if area == PROV:
        big = 110
    T = r.randint(8, 22) * big
    H = r.randint(1500, 5200) * big
    A, E, S = r.randint(6, 20) * big, r.randint(4, 30) * big, r.randint(3, 8) * big
    C = r.randint(10, 24) if big > 1 else 1
    if area == PROV:
        C = 226
    f = dict(
        kdc=T,
        hh=H,
        ag=A,
        en=E,
        sc=S,
        cm=C,
        cultural_residential_area=T - r.randint(0, T // 5),
        residential_area_with_convention=T - r.randint(0, 1),
        five_no_residential_area=T // 2 + r.randint(0, T // 4),
        safe_residential_area=T - r.randint(0, T // 8),
        cultural_family=H - r.randint(H // 20, H // 8),
        safe_agency=A - r.randint(0, 2),
        safe_enterprise=E - r.randint(0, 3),
        safe_school=S - r.randint(0, 1),
        safe_commune=C - r.randint(0, 2),
    )
    return f


TOTAL_OF = {
    "cultural_family": "hh",
    "safe_agency": "ag",
    "safe_enterprise": "en",
    "safe_school": "sc",
    "safe_commune": "cm",
}
for i in RA:
    TOTAL_OF[i] = "kdc"


def rate(f, ind):
    return round(f[ind] / f[TOTAL_OF[ind]] * 100, 2)


def where(area, year):
    """province, district, level of an area (canonical name)."""
    if area == PROV:
        return PROV, "", "province"
    if area in DISTRICTS:
        return PROV, area, "district"
    for d, cs in COMMUNES.items():
        if area in cs:
            return PROV, d, "commune"
    raise KeyError(area)


ROWS: list[dict] = []
FILES: list[dict] = []


class Book:
    def __init__(self, fid, fname, features, desc, expect="read"):
        self.fid, self.fname, self.features, self.desc, self.expect = (
            fid,
            fname,
            features,
            desc,
            expect,
        )
        self.wb = Workbook()
        self.wb.remove(self.wb.active)
        self.wb.properties.creator = "antq tests/corpus (synthetic, second corpus)"
        self.wb.properties.created = FIXED_TIME
        self.wb.properties.modified = FIXED_TIME
        self.formulas: dict[tuple[str, str], float] = {}

    def sheet(self, name):
        return self.wb.create_sheet(name)

    def text(self, ws, r, c, s, merge=None):
        ws.cell(r, c, s)
        if merge:
            ws.merge_cells(start_row=r, start_column=c, end_row=merge[0], end_column=merge[1])

    def val(self, ws, r, c, year, area, inds, role, value, shown=None, formula=None):
        """A number that must be read: inds one indicator or a list (shared total)."""
        inds = [inds] if isinstance(inds, str) else inds
        prov, dist, level = where(area, year)
        if formula:
            ws.cell(r, c, formula)
            self.formulas[(ws.title, f"{L(c)}{r}")] = value if role != "rate" else value * 100
        else:
            ws.cell(r, c, value if shown is None else shown)
        v = value
        ROWS.append(
            dict(
                file=self.fname,
                sheet=ws.title,
                cell=f"{L(c)}{r}",
                kind="value",
                year=year,
                province=prov,
                district=dist,
                area=area,
                level=level,
                indicator="|".join(inds),
                role=role,
                value=_fmt(v),
                reason="",
                note="",
            )
        )

    def skip(self, ws, r, c, value, reason, note="", write=True):
        if write:
            ws.cell(r, c, value)
        ROWS.append(
            dict(
                file=self.fname,
                sheet=ws.title,
                cell=f"{L(c)}{r}",
                kind="skip",
                year="",
                province="",
                district="",
                area="",
                level="",
                indicator="",
                role="",
                value=str(value),
                reason=reason,
                note=note,
            )
        )

    def save(self):
        p = OUT / self.fname
        self.wb.save(p)
        if self.formulas:
            _cache(p, self.wb, self.formulas)
        FILES.append(
            dict(
                id=self.fid,
                file=self.fname,
                features=self.features,
                expect=self.expect,
                about=self.desc,
            )
        )


def _fmt(v):
    if isinstance(v, float) and not float(v).is_integer():
        return repr(v)
    return str(int(v)) if isinstance(v, (int, float)) else str(v)


def _cache(path, wb, formulas):
    """Give each formula its cached value, as Excel saves it."""
    names = {ws.title: i + 1 for i, ws in enumerate(wb.worksheets)}
    zin = zipfile.ZipFile(path)
    buf = io.BytesIO()
    zout = zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED)
    for item in zin.infolist():
        data = zin.read(item.filename)
        m = re.match(r"xl/worksheets/sheet(\d+)\.xml", item.filename)
        if m:
            idx = int(m.group(1))
            text = data.decode()
            for (sh, ref), v in formulas.items():
                if names[sh] != idx:
                    continue
                pat = re.compile(rf'(<c r="{ref}"[^>]*>)(<f>[^<]*</f>)(<v\s*/>|<v></v>)?')
                text, n = pat.subn(lambda mm, v=v: mm.group(1) + mm.group(2) + f"<v>{v}</v>", text)
                assert n == 1, (sh, ref, n)
            data = text.encode()
        zout.writestr(item, data)
    zout.close()
    zin.close()
    path.write_bytes(buf.getvalue())


def letterhead(b, ws, left, sub="", ncol=8):
    b.text(ws, 1, 1, left)
    if sub:
        b.text(ws, 2, 1, sub)
    b.text(ws, 1, max(4, ncol - 3), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    b.text(ws, 2, max(4, ncol - 3), "Độc lập - Tự do - Hạnh phúc")


def signature(b, ws, r, ncol, notes=()):
    for i, n in enumerate(notes):
        b.text(ws, r + i, 1, n)
    r += len(notes) + 1
    b.text(ws, r, max(3, ncol - 2), "TM. BAN CHỈ ĐẠO")
    b.text(ws, r + 1, max(3, ncol - 2), "TRƯỞNG BAN")
    b.text(ws, r + 4, max(3, ncol - 2), "Phó Chủ tịch UBND - Nguyễn Văn Hùng")


def vn(n):
    return f"{n:,}".replace(",", ".")


def en(n):
    return f"{n:,}"


def vnr(x, pct=False):
    return f"{x:.2f}".replace(".", ",") + ("%" if pct else "")


def enr(x, pct=True):
    return f"{x:.2f}" + ("%" if pct else "")


def table(
    b,
    ws,
    top,
    year,
    cols,
    rows,
    *,
    colnums=False,
    count_fmt=None,
    rate_fmt=None,
    left=1,
    rate_formula=False,
):
    """Areas down the side. Returns the row after the table."""
    depth = max(len(c["h"]) for c in cols)
    for j, c in enumerate(cols):
        col = left + j
        h = c["h"]
        if len(h) == 1:
            b.text(ws, top, col, h[0], merge=(top + depth - 1, col) if depth > 1 else None)
        else:
            for k, part in enumerate(h):
                ws.cell(top + k, col, part)
    # merge equal group cells horizontally on the first header row
    j = 0
    while j < len(cols):
        h = cols[j]["h"]
        k = j
        while (
            len(h) > 1
            and k + 1 < len(cols)
            and len(cols[k + 1]["h"]) > 1
            and cols[k + 1]["h"][0] == h[0]
        ):
            k += 1
        if k > j:
            ws.merge_cells(start_row=top, start_column=left + j, end_row=top, end_column=left + k)
        j = k + 1
    r = top + depth
    if colnums:
        for j in range(len(cols)):
            b.skip(ws, r, left + j, f"({j + 1})", "column_number")
        r += 1
    stt = 0
    for row in rows:
        kind = row.get("kind", "area")
        area = row.get("area")
        y = row.get("year", year)
        f = row.get("fig") or (fig(area, y) if area else None)
        if kind == "section":
            ws.cell(r, left, row.get("stt", ""))
            ws.cell(r, left + 1, row["label"])
            r += 1
            continue
        if row.get("hidden"):
            ws.row_dimensions[r].hidden = True
        for j, c in enumerate(cols):
            col = left + j
            k = c["kind"]
            if k == "stt":
                if kind in ("area", "hamlet") and not row.get("no_stt"):
                    stt += 1
                    b.skip(ws, r, col, stt, "row_number")
                elif row.get("stt"):
                    ws.cell(r, col, row["stt"])
                continue
            if k == "area":
                ws.cell(r, col, row["label"])
                continue
            if k == "year":
                b.skip(ws, r, col, y, "year_label")
                continue
            if k == "notes":
                if row.get("note") is not None:
                    b.skip(ws, r, col, row["note"], "notes")
                continue
            if k == "other":
                b.skip(ws, r, col, rnd(area, y, "oth").randint(1, 9), "unrecognised_column")
                continue
            ind = c.get("ind")
            if k == "kdc":
                v, role, inds = f["kdc"], "total", c["inds"]
            elif k == "ach":
                v, role, inds = f[ind], "achieved", ind
            elif k == "tot":
                v, role, inds = f[TOTAL_OF[ind]], "total", ind
            elif k == "rate":
                v, role, inds = rate(f, ind), "rate", ind
            elif k == "diff":
                v = f[ind] - fig(area, y - 1)[ind] if area else 3
                shown = (f"+{v}" if v > 0 else str(v)) if c.get("signed") else v
                b.skip(ws, r, col, shown, "difference")
                continue
            else:
                raise ValueError(k)
            if kind in ("sub", "hamlet", "diffrow"):
                reason = {
                    "sub": "sub_row",
                    "hamlet": "below_table_levels",
                    "diffrow": "difference",
                }[kind]
                b.skip(ws, r, col, v, reason)
                continue
            if role == "rate":
                shown = rate_fmt(v) if rate_fmt else v
                formula = None
                if rate_formula and c.get("of"):
                    a_col, t_col = c["of"]
                    formula = f"=ROUND({L(left + a_col)}{r}/{L(left + t_col)}{r}*100,2)"
                b.val(
                    ws,
                    r,
                    col,
                    y,
                    area,
                    inds,
                    "rate",
                    round(v / 100, 6),
                    shown=shown,
                    formula=formula,
                )
            else:
                shown = (
                    count_fmt(v)
                    if count_fmt and v >= 1000
                    else (count_fmt(v) if count_fmt else None)
                )
                b.val(ws, r, col, y, area, inds, role, v, shown=shown)
        r += 1
    return r


def comm_rows(district, year, *, total="Toàn huyện", total_first=False, hidden=(), subs=None):
    cs = COMMUNES[district]
    rows = [dict(label=c, area=c, hidden=c in hidden) for c in cs]
    for after, lab in (subs or {}).items():
        i = next(k for k, x in enumerate(rows) if x.get("label") == after)
        rows.insert(i + 1, dict(label=lab, area=after, kind="sub", fig=fig(after + lab, year)))
    t = dict(label=total, area=district, kind="total")
    return ([t, *rows]) if total_first else ([*rows, t])


def H(*h):
    return h


# ---------------------------------------------------------------- u01
def u01():
    """Giao Thủy 2018: letterhead, 2-row merged header, total as a SUM formula with cached
    values at the bottom, '- Trong đó: thị trấn' under the total, STT, notes and signature."""
    b = Book(
        "u01",
        "BC_GiaoThuy_2018.xlsx",
        ["letterhead", "merged_header", "formulas", "sub_rows", "stt", "signature"],
        "Huyện Giao Thủy 2018, communes, total as formulas, Trong đó row under it",
    )
    ws = b.sheet("Bieu 01")
    letterhead(b, ws, "UBND HUYỆN GIAO THỦY", "BAN CHỈ ĐẠO 138", 9)
    b.text(
        ws,
        4,
        1,
        "KẾT QUẢ XÂY DỰNG KHU DÂN CƯ VĂN HÓA, GIA ĐÌNH VĂN HÓA"
        " VÀ KHU DÂN CƯ AN TOÀN VỀ ANTT NĂM 2018",
    )
    b.text(ws, 5, 1, "(Kèm theo Báo cáo số 12/BC-BCĐ ngày 08/01/2019 của BCĐ 138 huyện Giao Thủy)")
    cols = [
        dict(h=H("STT"), kind="stt"),
        dict(h=H("Đơn vị"), kind="area"),
        dict(
            h=H("Khu dân cư", "Tổng số KDC"),
            kind="kdc",
            inds=["cultural_residential_area", "safe_residential_area"],
        ),
        dict(h=H("Khu dân cư", "KDC văn hóa"), kind="ach", ind="cultural_residential_area"),
        dict(h=H("Khu dân cư", "Tỷ lệ (%)"), kind="rate", ind="cultural_residential_area"),
        dict(h=H("Khu dân cư", "KDC an toàn về ANTT"), kind="ach", ind="safe_residential_area"),
        dict(h=H("Gia đình văn hóa", "Tổng số hộ"), kind="tot", ind="cultural_family"),
        dict(h=H("Gia đình văn hóa", "Số hộ đạt GĐVH"), kind="ach", ind="cultural_family"),
        dict(h=H("Gia đình văn hóa", "Tỷ lệ (%)"), kind="rate", ind="cultural_family"),
    ]
    d, y = "Huyện Giao Thủy", 2018
    cs = COMMUNES[d]
    rows = [dict(label=c, area=c) for c in cs]
    end = table(b, ws, 7, y, cols, rows)
    # the total row, sums as formulas with cached values, then a Trong đó row
    tf = {
        k: sum(fig(c, y)[k] for c in cs)
        for k in (
            "kdc",
            "hh",
            "cultural_residential_area",
            "safe_residential_area",
            "cultural_family",
        )
    }
    ws.cell(end, 2, "Tổng cộng")
    first, last = 9, end - 1
    for col, key, inds, role in (
        (3, "kdc", ["cultural_residential_area", "safe_residential_area"], "total"),
        (4, "cultural_residential_area", "cultural_residential_area", "achieved"),
        (6, "safe_residential_area", "safe_residential_area", "achieved"),
        (7, "hh", "cultural_family", "total"),
        (8, "cultural_family", "cultural_family", "achieved"),
    ):
        b.val(
            ws, end, col, y, d, inds, role, tf[key], formula=f"=SUM({L(col)}{first}:{L(col)}{last})"
        )
    b.val(
        ws,
        end,
        5,
        y,
        d,
        "cultural_residential_area",
        "rate",
        round(round(tf["cultural_residential_area"] / tf["kdc"] * 100, 2) / 100, 6),
        formula=f"=ROUND(D{end}/C{end}*100,2)",
    )
    b.formulas[(ws.title, f"E{end}")] = round(tf["cultural_residential_area"] / tf["kdc"] * 100, 2)
    b.val(
        ws,
        end,
        9,
        y,
        d,
        "cultural_family",
        "rate",
        round(round(tf["cultural_family"] / tf["hh"] * 100, 2) / 100, 6),
        formula=f"=ROUND(H{end}/G{end}*100,2)",
    )
    b.formulas[(ws.title, f"I{end}")] = round(tf["cultural_family"] / tf["hh"] * 100, 2)
    ws.cell(end + 1, 2, "- Trong đó: thị trấn")
    for col, key in (
        (3, "kdc"),
        (4, "cultural_residential_area"),
        (6, "safe_residential_area"),
        (7, "hh"),
        (8, "cultural_family"),
    ):
        b.skip(
            ws, end + 1, col, sum(fig(c, y)[key] for c in cs if c.startswith("Thị trấn")), "sub_row"
        )
    signature(
        b,
        ws,
        end + 3,
        9,
        ["Ghi chú: Số liệu tính đến ngày 15/12/2018.", "Nơi nhận: - BCĐ 138 tỉnh; - Lưu VT."],
    )
    b.save()


# ---------------------------------------------------------------- u02
def u02():
    """Nam Trực 2020: each commune on rows 2019, 2020 and '+/-' under its merged name; a
    'Năm' column; the district total first (also 3 rows); a hidden commune; title 2020."""
    b = Book(
        "u02",
        "NamTruc_2019_2020.xlsx",
        ["year_rows", "totals_above", "hidden_rows", "comparison", "letterhead"],
        "Huyện Nam Trực, communes on rows per year under merged names, total first",
    )
    ws = b.sheet("So sanh")
    letterhead(b, ws, "CÔNG AN HUYỆN NAM TRỰC", "", 8)
    b.text(ws, 4, 1, "BẢNG SO SÁNH KẾT QUẢ PHONG TRÀO TOÀN DÂN BẢO VỆ ANTQ NĂM 2020 VỚI NĂM 2019")
    hdr = [
        "TT",
        "Đơn vị",
        "Năm",
        "Tổng số KDC",
        "KDC đạt chuẩn an toàn về ANTT",
        "Tỷ lệ (%)",
        "Tổng số cơ quan",
        "Cơ quan đạt chuẩn an toàn về ANTT",
    ]
    for j, h in enumerate(hdr):
        ws.cell(6, j + 1, h)
    d = "Huyện Nam Trực"
    areas = [("Toàn huyện", d)] + [(c, c) for c in COMMUNES[d]]
    r = 7
    n = 0
    for lab, area in areas:
        ws.cell(r, 2, lab)
        ws.merge_cells(start_row=r, start_column=2, end_row=r + 2, end_column=2)
        if area != d:
            n += 1
            b.skip(ws, r, 1, n, "row_number")
            ws.merge_cells(start_row=r, start_column=1, end_row=r + 2, end_column=1)
        for k, y in enumerate((2019, 2020)):
            f = fig(area, y)
            b.skip(ws, r + k, 3, y, "year_label")
            b.val(ws, r + k, 4, y, area, ["safe_residential_area"], "total", f["kdc"])
            b.val(
                ws,
                r + k,
                5,
                y,
                area,
                "safe_residential_area",
                "achieved",
                f["safe_residential_area"],
            )
            b.val(
                ws,
                r + k,
                6,
                y,
                area,
                "safe_residential_area",
                "rate",
                round(rate(f, "safe_residential_area") / 100, 6),
                shown=rate(f, "safe_residential_area"),
            )
            b.val(ws, r + k, 7, y, area, "safe_agency", "total", f["ag"])
            b.val(ws, r + k, 8, y, area, "safe_agency", "achieved", f["safe_agency"])
        ws.cell(r + 2, 3, "+/-")
        f0, f1 = fig(area, 2019), fig(area, 2020)
        for col, key in ((4, "kdc"), (5, "safe_residential_area"), (7, "ag"), (8, "safe_agency")):
            v = f1[key] - f0[key]
            b.skip(ws, r + 2, col, v, "difference")
        b.skip(
            ws,
            r + 2,
            6,
            round(rate(f1, "safe_residential_area") - rate(f0, "safe_residential_area"), 2),
            "difference",
        )
        if area == "Xã Nghĩa An":
            for k in range(3):
                ws.row_dimensions[r + k].hidden = True
        r += 3
    signature(b, ws, r + 1, 8)
    b.save()


# ---------------------------------------------------------------- u03
def u03():
    """Trực Ninh 2021 transposed: indicators down the side in Roman-numbered sections, each
    with 'Tổng số', 'Đạt', 'Tỷ lệ (%)' rows; 'Toàn huyện' the first area column."""
    b = Book(
        "u03",
        "TrucNinh_2021_ngang.xlsx",
        ["transposed", "roman_sections", "totals_above", "letterhead"],
        "Huyện Trực Ninh 2021, indicators down the side, communes across, total first",
    )
    ws = b.sheet("2021")
    d, y = "Huyện Trực Ninh", 2021
    letterhead(b, ws, "UBND HUYỆN TRỰC NINH", "", 9)
    b.text(ws, 4, 1, "KẾT QUẢ PHONG TRÀO TOÀN DÂN BẢO VỆ AN NINH TỔ QUỐC NĂM 2021")
    ws.cell(6, 1, "TT")
    ws.cell(6, 2, "Chỉ tiêu")
    areas = [("Toàn huyện", d)] + [(c, c) for c in COMMUNES[d]]
    for j, (lab, _) in enumerate(areas):
        ws.cell(6, 3 + j, lab)
    r = 7
    secs = [
        (
            "I",
            "Xây dựng khu dân cư văn hóa",
            [("cultural_residential_area", "Khu dân cư", "KDC văn hóa")],
        ),
        (
            "II",
            "Xây dựng khu dân cư, cơ quan an toàn về ANTT",
            [
                ("safe_residential_area", "Khu dân cư", "KDC đạt chuẩn an toàn về ANTT"),
                ("safe_agency", "Cơ quan", "Cơ quan đạt chuẩn an toàn về ANTT"),
            ],
        ),
    ]
    for roman, title, items in secs:
        ws.cell(r, 1, roman)
        ws.cell(r, 2, title)
        r += 1
        for k, (ind, unit, name) in enumerate(items, 1):
            rows = [(f"Tổng số {unit.lower()}", "total"), (name, "achieved"), ("Tỷ lệ (%)", "rate")]
            for lab, role in rows:
                if role == "total":
                    ws.cell(r, 1, f"{k}")
                ws.cell(r, 2, lab)
                for j, (_, area) in enumerate(areas):
                    f = fig(area, y)
                    if role == "total":
                        b.val(ws, r, 3 + j, y, area, ind, "total", f[TOTAL_OF[ind]])
                    elif role == "achieved":
                        b.val(ws, r, 3 + j, y, area, ind, "achieved", f[ind])
                    else:
                        b.val(
                            ws,
                            r,
                            3 + j,
                            y,
                            area,
                            ind,
                            "rate",
                            round(rate(f, ind) / 100, 6),
                            shown=rate(f, ind),
                        )
                r += 1
    # the STT "1", "2" typed as text in column A are not numbers? they are: record them
    for rr in range(7, r):
        v = ws.cell(rr, 1).value
        if isinstance(v, str) and v.isdigit():
            b.skip(ws, rr, 1, v, "row_number", write=False)
    signature(b, ws, r + 1, 9)
    b.save()


# ---------------------------------------------------------------- u04
def u04():
    """Province 2017 by district, two tables on one sheet with different column orders and
    district orders, 'Toàn tỉnh' first in the second; a note between; Mỹ Lộc a district."""
    b = Book(
        "u04",
        "BCD138_tinh_2017.xlsx",
        ["multi_table", "totals_above", "stt", "letterhead", "percent_cols"],
        "Province 2017, two tables on one sheet",
    )
    ws = b.sheet("Tong hop")
    y = 2017
    letterhead(b, ws, "BAN CHỈ ĐẠO 138 TỈNH NAM ĐỊNH", "", 9)
    b.text(ws, 4, 1, "Biểu 1: KẾT QUẢ XÂY DỰNG KHU DÂN CƯ VĂN HÓA, GIA ĐÌNH VĂN HÓA NĂM 2017")
    cols = [
        dict(h=H("STT"), kind="stt"),
        dict(h=H("Đơn vị"), kind="area"),
        dict(
            h=H("Tổng số KDC"),
            kind="kdc",
            inds=["cultural_residential_area", "five_no_residential_area"],
        ),
        dict(h=H("Số KDC văn hóa"), kind="ach", ind="cultural_residential_area"),
        dict(h=H("Tỷ lệ (%)"), kind="rate", ind="cultural_residential_area"),
        dict(h=H('KDC "5 không"'), kind="ach", ind="five_no_residential_area"),
        dict(h=H("Tổng số hộ"), kind="tot", ind="cultural_family"),
        dict(h=H("Hộ GĐVH"), kind="ach", ind="cultural_family"),
        dict(h=H("Tỷ lệ (%)"), kind="rate", ind="cultural_family"),
    ]
    rows = [dict(label=d, area=d) for d in DISTRICTS] + [
        dict(label="Toàn tỉnh", area=PROV, kind="total")
    ]
    r = table(b, ws, 6, y, cols, rows)
    b.text(ws, r + 1, 1, "Ghi chú: số liệu Biểu 1 do Sở Văn hóa, Thể thao và Du lịch cung cấp.")
    b.text(
        ws,
        r + 3,
        1,
        "Biểu 2: KẾT QUẢ XÂY DỰNG CƠ QUAN, DOANH NGHIỆP, NHÀ TRƯỜNG,"
        " XÃ PHƯỜNG THỊ TRẤN AN TOÀN VỀ ANTT NĂM 2017",
    )
    cols2 = [
        dict(h=H("TT"), kind="stt"),
        dict(h=H("Địa bàn"), kind="area"),
        dict(h=H("Xã, phường, thị trấn", "Tổng số"), kind="tot", ind="safe_commune"),
        dict(
            h=H("Xã, phường, thị trấn", "Đạt chuẩn an toàn về ANTT"), kind="ach", ind="safe_commune"
        ),
        dict(h=H("Doanh nghiệp", "Tổng số"), kind="tot", ind="safe_enterprise"),
        dict(h=H("Doanh nghiệp", "Đạt chuẩn an toàn về ANTT"), kind="ach", ind="safe_enterprise"),
        dict(h=H("Cơ quan", "Tổng số"), kind="tot", ind="safe_agency"),
        dict(h=H("Cơ quan", "Đạt chuẩn an toàn về ANTT"), kind="ach", ind="safe_agency"),
        dict(h=H("Nhà trường", "Tổng số"), kind="tot", ind="safe_school"),
        dict(h=H("Nhà trường", "Đạt chuẩn an toàn về ANTT"), kind="ach", ind="safe_school"),
    ]
    rows2 = [dict(label="Toàn tỉnh", area=PROV, kind="total")] + [
        dict(label=d, area=d) for d in reversed(DISTRICTS)
    ]
    r = table(b, ws, r + 5, y, cols2, rows2)
    signature(b, ws, r + 1, 9)
    b.save()


# ---------------------------------------------------------------- u05
def u05():
    """2022, one sheet per district ('Vụ Bản', 'Ý Yên', 'Nghĩa Hưng') each with its communes,
    a 'Cộng' total, English-locale text numbers, each sheet its own column order."""
    b = Book(
        "u05",
        "KQ_2022_cac_huyen_en.xlsx",
        ["sheet_per_area", "other_locale", "stt"],
        "2022, one sheet per district, English-locale text numbers",
    )
    y = 2022
    orders = {
        "Vụ Bản": ["cultural_family", "safe_school", "safe_enterprise"],
        "Ý Yên": ["safe_enterprise", "cultural_family", "safe_school"],
        "Nghĩa Hưng": ["safe_school", "safe_enterprise", "cultural_family"],
    }
    names = {
        "cultural_family": ("Gia đình văn hóa", "Tổng số hộ", "Số hộ đạt"),
        "safe_school": ("Trường học an toàn về ANTT", "Tổng số trường", "Số trường đạt"),
        "safe_enterprise": ("Doanh nghiệp an toàn về ANTT", "Tổng số DN", "Số DN đạt"),
    }
    for sh, order in orders.items():
        ws = b.sheet(sh)
        d = "Huyện " + sh
        b.text(ws, 1, 1, f"KẾT QUẢ PHONG TRÀO TOÀN DÂN BẢO VỆ ANTQ NĂM 2022 - HUYỆN {sh.upper()}")
        cols = [dict(h=H("STT"), kind="stt"), dict(h=H("Tên xã, thị trấn"), kind="area")]
        for ind in order:
            g, t, a = names[ind]
            cols += [
                dict(h=H(g, t), kind="tot", ind=ind),
                dict(h=H(g, a), kind="ach", ind=ind),
                dict(h=H(g, "Tỷ lệ (%)"), kind="rate", ind=ind),
            ]
        table(b, ws, 3, y, cols, comm_rows(d, y, total="Cộng"), count_fmt=en, rate_fmt=enr)
    b.save()


# ---------------------------------------------------------------- u06
def u06():
    """Xã Hải Anh 2023 reports its hamlets: 'Toàn xã' first, the hamlets, a 'So với cùng kỳ'
    column, UBND XÃ letterhead, the hamlet marks 0/1 for KDC văn hóa."""
    b = Book(
        "u06",
        "Xa Hai Anh - 2023.xlsx",
        ["hamlets", "totals_above", "comparison", "letterhead", "stt"],
        "Xã Hải Anh's hamlets 2023, commune total first",
    )
    ws = b.sheet("Sheet1")
    y, c = 2023, "Xã Hải Anh"
    letterhead(b, ws, "UBND XÃ HẢI ANH", "BAN CHỈ ĐẠO PHONG TRÀO TDBVANTQ", 7)
    b.text(ws, 4, 1, "KẾT QUẢ XÂY DỰNG GIA ĐÌNH VĂN HÓA, KHU DÂN CƯ AN TOÀN VỀ ANTT NĂM 2023")
    hamlets = ["Xóm 1", "Xóm 2", "Xóm 3", "Xóm 4", "Xóm 5", "Thôn Đông Thành", "Thôn Tây Sơn"]
    hf = {}
    for h in hamlets:
        r = rnd(c, h, y)
        hh = r.randint(150, 420)
        hf[h] = dict(
            kdc=1,
            safe_residential_area=r.choice([0, 1, 1, 1]),
            hh=hh,
            cultural_family=hh - r.randint(5, 40),
        )
    cf = {
        k: sum(v[k] for v in hf.values())
        for k in ("kdc", "safe_residential_area", "hh", "cultural_family")
    }
    pf = {k: v - rnd(c, k).randint(0, 3) for k, v in cf.items()}
    cols = [
        dict(h=H("STT"), kind="stt"),
        dict(h=H("Thôn, xóm"), kind="area"),
        dict(h=H("Tổng số hộ"), kind="tot", ind="cultural_family"),
        dict(h=H("Số hộ đạt GĐVH"), kind="ach", ind="cultural_family"),
        dict(h=H("So với cùng kỳ (+/-)"), kind="diff", ind="cultural_family", signed=True),
        dict(h=H("Khu dân cư"), kind="kdc", inds=["safe_residential_area"]),
        dict(h=H("KDC đạt chuẩn an toàn về ANTT"), kind="ach", ind="safe_residential_area"),
    ]
    # write by hand: the diff column needs the commune's prior figures
    for j, col in enumerate(cols):
        ws.cell(6, j + 1, col["h"][0])
    r = 7
    ws.cell(r, 2, "Toàn xã")
    b.val(ws, r, 3, y, c, "cultural_family", "total", cf["hh"])
    b.val(ws, r, 4, y, c, "cultural_family", "achieved", cf["cultural_family"])
    b.skip(ws, r, 5, f"+{cf['cultural_family'] - pf['cultural_family'] + 7}", "difference")
    b.val(ws, r, 6, y, c, ["safe_residential_area"], "total", cf["kdc"])
    b.val(ws, r, 7, y, c, "safe_residential_area", "achieved", cf["safe_residential_area"])
    for i, h in enumerate(hamlets, 1):
        r += 1
        b.skip(ws, r, 1, i, "row_number")
        ws.cell(r, 2, h)
        b.skip(ws, r, 3, hf[h]["hh"], "below_table_levels")
        b.skip(ws, r, 4, hf[h]["cultural_family"], "below_table_levels")
        b.skip(ws, r, 5, rnd(h).randint(1, 9), "below_table_levels")
        b.skip(ws, r, 6, 1, "below_table_levels")
        b.skip(ws, r, 7, hf[h]["safe_residential_area"], "below_table_levels")
    signature(b, ws, r + 2, 7)
    b.save()


def write_csv(b, name, grid, encoding="utf-8-sig", sep=","):
    """grid: {(r, c): shown}; numbers already recorded on a throwaway sheet named after the file."""
    nr = max(r for r, _ in grid)
    nc = max(c for _, c in grid)
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=sep, lineterminator="\r\n")
    for r in range(1, nr + 1):
        w.writerow(["" if grid.get((r, c)) is None else grid[(r, c)] for c in range(1, nc + 1)])
    (OUT / name).write_bytes(buf.getvalue().encode(encoding))


class Sink:
    """A sheet-like object collecting cells for a CSV."""

    def __init__(self, title):
        self.title = title
        self.grid = {}
        self.row_dimensions = {}

    def cell(self, r, c, v=None):
        self.grid[(r, c)] = v

    def merge_cells(self, **k):
        pass


# ---------------------------------------------------------------- u07
def u07():
    """CSV (UTF-8, no BOM, ',') from Excel: Hải Hậu 2019, Vietnamese number text quoted,
    a 'Ghi chú' column with numbers, a 'Tăng, giảm' column, STT, signature lines."""
    fname = "HaiHau_2019.csv"
    b = Book(
        "u07",
        fname,
        ["csv", "notes_numbers", "comparison", "stt", "signature"],
        "CSV, Hải Hậu 2019",
    )
    ws = Sink(fname[:-4])
    y, d = 2019, "Huyện Hải Hậu"
    ws.cell(1, 1, "UBND HUYỆN HẢI HẬU")
    ws.cell(3, 1, "KẾT QUẢ XÂY DỰNG KHU DÂN CƯ, CƠ QUAN AN TOÀN VỀ AN NINH TRẬT TỰ NĂM 2019")
    cols = [
        dict(h=H("STT"), kind="stt"),
        dict(h=H("Đơn vị"), kind="area"),
        dict(h=H("Tổng số KDC"), kind="kdc", inds=["safe_residential_area"]),
        dict(h=H("KDC an toàn về ANTT"), kind="ach", ind="safe_residential_area"),
        dict(h=H("Tỷ lệ (%)"), kind="rate", ind="safe_residential_area"),
        dict(h=H("Tăng, giảm so với năm 2018"), kind="diff", ind="safe_residential_area"),
        dict(h=H("Tổng số cơ quan"), kind="tot", ind="safe_agency"),
        dict(h=H("Cơ quan an toàn về ANTT"), kind="ach", ind="safe_agency"),
        dict(h=H("Ghi chú"), kind="notes"),
    ]
    rows = comm_rows(d, y, total="Tổng cộng")
    rows[2]["note"] = 2
    rows[4]["note"] = "3"
    r = table(b, ws, 5, y, cols, rows, count_fmt=vn, rate_fmt=vnr)
    ws.cell(r + 1, 1, "Người lập biểu")
    ws.cell(r + 1, 6, "TM. BAN CHỈ ĐẠO")
    write_csv(b, fname, ws.grid)
    FILES.append(
        dict(
            id=b.fid,
            file=fname,
            features=b.features,
            expect="read",
            about=b.desc,
            csv={"encoding": "utf-8", "sep": ","},
        )
    )


# ---------------------------------------------------------------- u08
def u08():
    """Xuân Trường 2016: rates typed '80.95%' (English) beside real-number counts, a
    'Tăng (+), giảm (−)' column after each count, a hidden 'Tổng số hộ' column, Roman
    section rows 'I. Thị trấn', 'II. Các xã' without numbers, total at the bottom."""
    b = Book(
        "u08",
        "XuanTruong_2016.xlsx",
        ["other_locale", "comparison", "hidden_cols", "roman_sections"],
        "Xuân Trường 2016, English rates, difference columns, hidden column",
    )
    ws = b.sheet("KQ 2016")
    y, d = 2016, "Huyện Xuân Trường"
    letterhead(b, ws, "UBND HUYỆN XUÂN TRƯỜNG", "", 10)
    b.text(ws, 4, 1, "KẾT QUẢ XÂY DỰNG GIA ĐÌNH VĂN HÓA VÀ KHU DÂN CƯ VĂN HÓA NĂM 2016")
    cols = [
        dict(h=H("TT"), kind="stt"),
        dict(h=H("Đơn vị"), kind="area"),
        dict(h=H("Tổng số hộ"), kind="tot", ind="cultural_family"),
        dict(h=H("Số hộ GĐVH"), kind="ach", ind="cultural_family"),
        dict(h=H("Tăng (+), giảm (−)"), kind="diff", ind="cultural_family"),
        dict(h=H("Tỷ lệ (%)"), kind="rate", ind="cultural_family"),
        dict(h=H("Tổng số KDC"), kind="kdc", inds=["cultural_residential_area"]),
        dict(h=H("Số KDC văn hóa"), kind="ach", ind="cultural_residential_area"),
        dict(h=H("Tăng (+), giảm (−)"), kind="diff", ind="cultural_residential_area"),
        dict(h=H("Tỷ lệ (%)"), kind="rate", ind="cultural_residential_area"),
    ]
    cs = COMMUNES[d]
    rows = (
        [dict(label="I. Thị trấn", kind="section")]
        + [dict(label=c, area=c) for c in cs if c.startswith("Thị")]
        + [dict(label="II. Các xã", kind="section")]
        + [dict(label=c, area=c) for c in cs if not c.startswith("Thị")]
        + [dict(label="Toàn huyện", area=d, kind="total")]
    )
    table(b, ws, 6, y, cols, rows, rate_fmt=enr)
    ws.column_dimensions["C"].hidden = True
    b.save()


# ---------------------------------------------------------------- u09
def u09():
    """Hải Hậu 2016: 'Năm 2015' / 'Năm 2016' column groups, a 'So sánh (%)' column, the
    column numbers 1 2 3 typed as numbers, 'Tổng cộng' both above (formulas) and below."""
    b = Book(
        "u09",
        "HaiHau_2016_nam.xlsx",
        ["year_columns", "comparison", "column_numbers", "formulas", "title_year_differs"],
        "Hải Hậu 2016 with 2015 and 2016 column groups",
    )
    ws = b.sheet("Sheet1")
    d = "Huyện Hải Hậu"
    letterhead(b, ws, "UBND HUYỆN HẢI HẬU", "", 9)
    b.text(ws, 4, 1, "KẾT QUẢ XÂY DỰNG XÃ, THỊ TRẤN, KHU DÂN CƯ AN TOÀN VỀ ANTT NĂM 2016")
    ws.cell(6, 1, "STT")
    ws.merge_cells("A6:A7")
    ws.cell(6, 2, "Đơn vị")
    ws.merge_cells("B6:B7")
    col = 3
    for y in (2015, 2016):
        ws.cell(6, col, f"Năm {y}")
        ws.merge_cells(start_row=6, start_column=col, end_row=6, end_column=col + 2)
        for k, h in enumerate(("Tổng số KDC", "KDC an toàn về ANTT", "Tỷ lệ (%)")):
            ws.cell(7, col + k, h)
        col += 3
    ws.cell(6, col, "So sánh 2016/2015 (%)")
    ws.merge_cells(start_row=6, start_column=col, end_row=7, end_column=col)
    for j in range(col):
        b.skip(ws, 8, j + 1, j + 1, "column_number")
    cs = COMMUNES[d]
    r = 9
    for n, c in enumerate(cs, 1):
        b.skip(ws, r, 1, n, "row_number")
        ws.cell(r, 2, c)
        for k, y in enumerate((2015, 2016)):
            f = fig(c, y)
            b.val(ws, r, 3 + 3 * k, y, c, ["safe_residential_area"], "total", f["kdc"])
            b.val(
                ws,
                r,
                4 + 3 * k,
                y,
                c,
                "safe_residential_area",
                "achieved",
                f["safe_residential_area"],
            )
            b.val(
                ws,
                r,
                5 + 3 * k,
                y,
                c,
                "safe_residential_area",
                "rate",
                round(rate(f, "safe_residential_area") / 100, 6),
                shown=rate(f, "safe_residential_area"),
            )
        b.skip(
            ws,
            r,
            9,
            round(
                fig(c, 2016)["safe_residential_area"] / fig(c, 2015)["safe_residential_area"] * 100,
                1,
            ),
            "difference",
        )
        r += 1
    ws.cell(r, 2, "Tổng cộng")
    for k, y in enumerate((2015, 2016)):
        tk = sum(fig(c, y)["kdc"] for c in cs)
        ta = sum(fig(c, y)["safe_residential_area"] for c in cs)
        b.val(
            ws,
            r,
            3 + 3 * k,
            y,
            d,
            ["safe_residential_area"],
            "total",
            tk,
            formula=f"=SUM({L(3 + 3 * k)}9:{L(3 + 3 * k)}{r - 1})",
        )
        b.val(
            ws,
            r,
            4 + 3 * k,
            y,
            d,
            "safe_residential_area",
            "achieved",
            ta,
            formula=f"=SUM({L(4 + 3 * k)}9:{L(4 + 3 * k)}{r - 1})",
        )
        rt = round(ta / tk * 100, 2)
        b.val(
            ws,
            r,
            5 + 3 * k,
            y,
            d,
            "safe_residential_area",
            "rate",
            round(rt / 100, 6),
            formula=f"=ROUND({L(4 + 3 * k)}{r}/{L(3 + 3 * k)}{r}*100,2)",
        )
        b.formulas[(ws.title, f"{L(5 + 3 * k)}{r}")] = rt
    t15 = sum(fig(c, 2015)["safe_residential_area"] for c in cs)
    t16 = sum(fig(c, 2016)["safe_residential_area"] for c in cs)
    b.skip(ws, r, 9, round(t16 / t15 * 100, 1), "difference")
    signature(b, ws, r + 2, 9)
    b.save()


# ---------------------------------------------------------------- u10
def u10():
    """Province 2020 summary as the report's annex: STT | Nội dung | ĐVT | Năm 2019 | Năm 2020
    | So sánh; Roman sections; no area column (the province is the sender)."""
    b = Book(
        "u10",
        "Phu luc so sanh 2020.xlsx",
        ["refused", "transposed", "year_columns", "roman_sections", "comparison", "letterhead"],
        "Province summary, indicators down the side, years across, no area column",
    )
    ws = b.sheet("Phu luc")
    letterhead(b, ws, "BAN CHỈ ĐẠO 138 TỈNH NAM ĐỊNH", "", 6)
    b.text(ws, 4, 1, "PHỤ LỤC: KẾT QUẢ PHONG TRÀO TOÀN DÂN BẢO VỆ ANTQ NĂM 2020 SO VỚI NĂM 2019")
    for j, h in enumerate(("STT", "Nội dung", "ĐVT", "Năm 2019", "Năm 2020", "So sánh (+/-)")):
        ws.cell(6, j + 1, h)
    items = [
        ("I", "Xây dựng khu dân cư văn hóa, gia đình văn hóa", None),
        ("1", "Số khu dân cư văn hóa", ("cultural_residential_area", "achieved", "KDC")),
        ("2", "Số hộ gia đình văn hóa", ("cultural_family", "achieved", "hộ")),
        ("II", "Xây dựng các mô hình an toàn về ANTT", None),
        (
            "1",
            "Số xã, phường, thị trấn đạt chuẩn an toàn về ANTT",
            ("safe_commune", "achieved", "xã"),
        ),
        ("2", "Số cơ quan đạt chuẩn an toàn về ANTT", ("safe_agency", "achieved", "cơ quan")),
        ("3", "Số doanh nghiệp đạt chuẩn an toàn về ANTT", ("safe_enterprise", "achieved", "DN")),
        ("4", "Số nhà trường đạt chuẩn an toàn về ANTT", ("safe_school", "achieved", "trường")),
    ]
    r = 7
    for stt, text, it in items:
        ws.cell(r, 1, stt)
        if stt.isdigit():
            b.skip(ws, r, 1, stt, "row_number", write=False)
        ws.cell(r, 2, text)
        if it:
            ind, role, unit = it
            ws.cell(r, 3, unit)
            for k, y in enumerate((2019, 2020)):
                b.val(ws, r, 4 + k, y, PROV, ind, role, fig(PROV, y)[ind])
            b.skip(ws, r, 6, fig(PROV, 2020)[ind] - fig(PROV, 2019)[ind], "difference")
        r += 1
    signature(b, ws, r + 1, 6)
    b.save()
    refuse_all(b, "no area: indicators down the side, years across, the sender is no row")


def refuse_all(b, why):
    """The whole file must be refused: each of its numbers skipped as refused, and one row
    for the file (as make_corpus.py's refused files)."""
    for row in ROWS:
        if row["file"] == b.fname:
            row.update(
                kind="skip",
                year="",
                province="",
                district="",
                area="",
                level="",
                indicator="",
                role="",
                reason="refused",
                note=why,
            )
    ROWS.append(
        dict(
            file=b.fname,
            sheet="",
            cell="",
            kind="skip",
            year="",
            province="",
            district="",
            area="",
            level="",
            indicator="",
            role="",
            value="",
            reason="refused",
            note=why,
        )
    )
    FILES[-1]["expect"] = "refuse"


# ---------------------------------------------------------------- u11
def u11():
    """Province 2021 by district: a three-row header, '(1) (2) (3)=(2)/(1)' under it, rates
    as formulas with cached values, a 'Tăng/giảm so với năm 2020' row under the total."""
    b = Book(
        "u11",
        "BC_138_2021_3_dong_tieu_de.xlsx",
        ["merged_header", "column_numbers", "formulas", "comparison", "signature"],
        "Province 2021, 3-row header, formula rates, difference row",
    )
    ws = b.sheet("Biểu số 02")
    y = 2021
    letterhead(b, ws, "BAN CHỈ ĐẠO 138 TỈNH NAM ĐỊNH", "CƠ QUAN THƯỜNG TRỰC - CÔNG AN TỈNH", 9)
    b.text(ws, 4, 1, "TỔNG HỢP KẾT QUẢ XÂY DỰNG CÁC MÔ HÌNH AN TOÀN VỀ AN NINH, TRẬT TỰ NĂM 2021")
    ws.cell(6, 1, "STT")
    ws.merge_cells("A6:A8")
    ws.cell(6, 2, "Đơn vị")
    ws.merge_cells("B6:B8")
    ws.cell(6, 3, 'Kết quả xây dựng mô hình đạt chuẩn "An toàn về ANTT"')
    ws.merge_cells("C6:H6")
    groups = [("Khu dân cư", "safe_residential_area"), ("Nhà trường", "safe_school")]
    col = 3
    for g, _ind in groups:
        ws.cell(7, col, g)
        ws.merge_cells(start_row=7, start_column=col, end_row=7, end_column=col + 2)
        for k, h in enumerate(("Tổng số", "Số đạt", "Tỷ lệ (%)")):
            ws.cell(8, col + k, h)
        col += 3
    for j, t in enumerate(["A", "B", "(1)", "(2)", "(3)=(2)/(1)", "(4)", "(5)", "(6)=(5)/(4)"]):
        if t.startswith("("):
            b.skip(ws, 9, j + 1, t, "column_number")
        else:
            ws.cell(9, j + 1, t)
    r = 10
    for n, dd in enumerate([*DISTRICTS, None], 1):
        area = dd or PROV
        f = fig(area, y)
        if dd:
            b.skip(ws, r, 1, n, "row_number")
            ws.cell(r, 2, dd)
        else:
            ws.cell(r, 2, "Tổng cộng toàn tỉnh")
        for k, (_g, ind) in enumerate(groups):
            c0 = 3 + 3 * k
            b.val(ws, r, c0, y, area, ind, "total", f[TOTAL_OF[ind]])
            b.val(ws, r, c0 + 1, y, area, ind, "achieved", f[ind])
            rt = round(f[ind] / f[TOTAL_OF[ind]] * 100, 2)
            b.val(
                ws,
                r,
                c0 + 2,
                y,
                area,
                ind,
                "rate",
                round(rt / 100, 6),
                formula=f"=ROUND({L(c0 + 1)}{r}/{L(c0)}{r}*100,2)",
            )
            b.formulas[(ws.title, f"{L(c0 + 2)}{r}")] = rt
        r += 1
    ws.cell(r, 2, "Tăng/giảm so với năm 2020")
    f0, f1 = fig(PROV, 2020), fig(PROV, 2021)
    for k, (_g, ind) in enumerate(groups):
        c0 = 3 + 3 * k
        b.skip(ws, r, c0, f1[TOTAL_OF[ind]] - f0[TOTAL_OF[ind]], "difference")
        b.skip(ws, r, c0 + 1, f1[ind] - f0[ind], "difference")
        b.skip(ws, r, c0 + 2, round(rate(f1, ind) - rate(f0, ind), 2), "difference")
    signature(b, ws, r + 2, 8, ["* Ghi chú: Huyện Mỹ Lộc số liệu đến ngày 30/11/2021."])
    b.text(ws, r + 4, 6, "KT. TRƯỞNG BAN")
    b.save()


# ---------------------------------------------------------------- u12
def u12():
    """Hải Hậu 2023 communes, schools with 'Trong đó: Mầm non / Tiểu học / THCS' sub-columns,
    enterprises, a 'Số mô hình tự quản' column, total 'Toàn huyện' first."""
    b = Book(
        "u12",
        "HaiHau_2023_truong_hoc.xlsx",
        ["sub_columns", "totals_above", "unrecognised_column", "merged_header"],
        "Hải Hậu 2023, schools split 'Trong đó' in sub-columns",
    )
    ws = b.sheet("Truong hoc, DN")
    y, d = 2023, "Huyện Hải Hậu"
    letterhead(b, ws, "CÔNG AN HUYỆN HẢI HẬU", "", 10)
    b.text(ws, 4, 1, "KẾT QUẢ XÂY DỰNG NHÀ TRƯỜNG, DOANH NGHIỆP AN TOÀN VỀ ANTT NĂM 2023")
    ws.cell(6, 1, "STT")
    ws.merge_cells("A6:A8")
    ws.cell(6, 2, "Đơn vị")
    ws.merge_cells("B6:B8")
    ws.cell(6, 3, "Nhà trường")
    ws.merge_cells("C6:G6")
    ws.cell(7, 3, "Tổng số trường")
    ws.merge_cells("C7:C8")
    ws.cell(7, 4, "Trong đó")
    ws.merge_cells("D7:F7")
    ws.cell(8, 4, "Mầm non")
    ws.cell(8, 5, "Tiểu học")
    ws.cell(8, 6, "THCS")
    ws.cell(7, 7, "Số trường đạt an toàn về ANTT")
    ws.merge_cells("G7:G8")
    ws.cell(6, 8, "Doanh nghiệp")
    ws.merge_cells("H6:I6")
    ws.cell(7, 8, "Tổng số")
    ws.merge_cells("H7:H8")
    ws.cell(7, 9, "Đạt chuẩn an toàn về ANTT")
    ws.merge_cells("I7:I8")
    ws.cell(6, 10, "Số mô hình tự quản về ANTT")
    ws.merge_cells("J6:J8")
    rows = [("Toàn huyện", d)] + [(c, c) for c in COMMUNES[d]]
    r = 9
    for n, (lab, area) in enumerate(rows):
        f = fig(area, y)
        if n:
            b.skip(ws, r, 1, n, "row_number")
        ws.cell(r, 2, lab)
        b.val(ws, r, 3, y, area, "safe_school", "total", f["sc"])
        mn = f["sc"] // 3
        th = f["sc"] // 3
        b.skip(ws, r, 4, mn, "sub_row")
        b.skip(ws, r, 5, th, "sub_row")
        b.skip(ws, r, 6, f["sc"] - mn - th, "sub_row")
        b.val(ws, r, 7, y, area, "safe_school", "achieved", f["safe_school"])
        b.val(ws, r, 8, y, area, "safe_enterprise", "total", f["en"])
        b.val(ws, r, 9, y, area, "safe_enterprise", "achieved", f["safe_enterprise"])
        b.skip(ws, r, 10, rnd(area).randint(1, 5), "unrecognised_column")
        r += 1
    signature(b, ws, r + 1, 10)
    b.save()


# ---------------------------------------------------------------- u13
def u13():
    """Province 2022, one sheet per indicator named only in its title, sheets 'KDC VH',
    'CQ AT', 'DN AT'; district names abbreviated 'TP. Nam Định', 'H. Hải Hậu'; 'Toàn tỉnh'
    first; Mỹ Lộc still a district."""
    b = Book(
        "u13",
        "KQ_2022_theo_chi_tieu.xlsx",
        ["sheet_per_indicator", "abbreviations", "totals_above", "stt"],
        "Province 2022, one sheet per indicator, abbreviated district names",
    )
    y = 2022
    for sh, ind, title in (
        ("KDC VH", "cultural_residential_area", "KẾT QUẢ XÂY DỰNG KHU DÂN CƯ VĂN HÓA NĂM 2022"),
        ("CQ AT", "safe_agency", "KẾT QUẢ XÂY DỰNG CƠ QUAN ĐẠT CHUẨN AN TOÀN VỀ ANTT NĂM 2022"),
        (
            "DN AT",
            "safe_enterprise",
            "KẾT QUẢ XÂY DỰNG DOANH NGHIỆP ĐẠT CHUẨN AN TOÀN VỀ ANTT NĂM 2022",
        ),
    ):
        ws = b.sheet(sh)
        b.text(ws, 1, 1, "BAN CHỈ ĐẠO 138 TỈNH NAM ĐỊNH")
        b.text(ws, 3, 1, title)
        cols = [
            dict(h=H("STT"), kind="stt"),
            dict(h=H("Đơn vị"), kind="area"),
            dict(h=H("Tổng số"), kind="tot", ind=ind),
            dict(h=H("Số đạt"), kind="ach", ind=ind),
            dict(h=H("Tỷ lệ (%)"), kind="rate", ind=ind),
        ]
        ab = lambda dd: dd.replace("Thành phố ", "TP. ").replace("Huyện ", "H. ")  # noqa: E731
        rows = [dict(label="Toàn tỉnh", area=PROV, kind="total")] + [
            dict(label=ab(dd), area=dd) for dd in DISTRICTS
        ]
        table(b, ws, 5, y, cols, rows)
    b.save()


# ---------------------------------------------------------------- u14
def u14():
    """Ý Yên 2017 with hostile cells: 10**20 as a number, NaN, inf, a 5.000-character text,
    '#N/A', a negative count, 12.5 in a count cell, '12 hộ'."""
    b = Book("u14", "YYen_2017_loi.xlsx", ["hostile", "stt"], "Ý Yên 2017 with hostile cells")
    ws = b.sheet("2017")
    y, d = 2017, "Huyện Ý Yên"
    b.text(ws, 1, 1, "UBND HUYỆN Ý YÊN")
    b.text(ws, 3, 1, "KẾT QUẢ XÂY DỰNG GIA ĐÌNH VĂN HÓA, CƠ QUAN AN TOÀN VỀ ANTT NĂM 2017")
    cols = [
        dict(h=H("STT"), kind="stt"),
        dict(h=H("Đơn vị"), kind="area"),
        dict(h=H("Tổng số hộ"), kind="tot", ind="cultural_family"),
        dict(h=H("Số hộ GĐVH"), kind="ach", ind="cultural_family"),
        dict(h=H("Tổng số cơ quan"), kind="tot", ind="safe_agency"),
        dict(h=H("Cơ quan an toàn về ANTT"), kind="ach", ind="safe_agency"),
    ]
    table(b, ws, 5, y, cols, comm_rows(d, y))
    # now overwrite some cells with hostile values: drop their truth rows, add skip/error ones
    hostile = {
        "C6": (10**20, "int too large"),
        "D7": ("NaN", "nan"),
        "E8": (float("inf"), "inf"),
        "F9": ("x" * 5000, "5000 chars"),
        "C10": ("#N/A", "error value"),
        "D12": (12.5, "fraction of a household"),
    }
    for ref, (v, note) in hostile.items():
        ROWS[:] = [rr for rr in ROWS if not (rr["file"] == b.fname and rr["cell"] == ref)]
        if isinstance(v, float) and v != v:
            pass
        ws[ref] = v if not (isinstance(v, float) and v == float("inf")) else "inf"
        b.skip(
            ws,
            ws[ref].row,
            ws[ref].column,
            "…" if isinstance(v, str) and len(v) > 50 else v,
            "error",
            note,
            write=False,
        )
    # a negative count: read (its key is right), and validation's count.negative names the cell
    ROWS[:] = [rr for rr in ROWS if not (rr["file"] == b.fname and rr["cell"] == "F11")]
    b.val(ws, 11, 6, y, COMMUNES[d][5], "safe_agency", "achieved", -5)
    b.save()
    # NaN and inf as real numbers in the XML
    p = OUT / b.fname
    zin = zipfile.ZipFile(p)
    buf = io.BytesIO()
    zout = zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED)
    for item in zin.infolist():
        data = zin.read(item.filename)
        if item.filename == "xl/worksheets/sheet1.xml":
            t = data.decode()
            t = re.sub(r'<c r="E8"[^>]*>.*?</c>', '<c r="E8"><v>INF</v></c>', t)
            data = t.encode()
        zout.writestr(item, data)
    zout.close()
    p.write_bytes(buf.getvalue())


# ---------------------------------------------------------------- u15
def u15():
    """Thành phố Nam Định 2024 (Mỹ Lộc's communes now inside): 'I. Các phường' heading, the
    wards, 'Cộng phường' (a category subtotal), 'II. Các xã', communes, 'Cộng xã', then
    'Toàn thành phố'; rates as formulas."""
    b = Book(
        "u15",
        "TP_NamDinh_2024_khoi.xlsx",
        ["roman_sections", "sub_rows", "formulas", "after_merger"],
        "Thành phố Nam Định 2024, ward and commune blocks with category subtotals",
    )
    ws = b.sheet("TP Nam Dinh")
    y, d = 2024, "Thành phố Nam Định"
    letterhead(b, ws, "UBND THÀNH PHỐ NAM ĐỊNH", "", 7)
    b.text(ws, 4, 1, "KẾT QUẢ XÂY DỰNG KHU DÂN CƯ, TỔ DÂN PHỐ AN TOÀN VỀ ANTT NĂM 2024")
    for j, h in enumerate(
        ("STT", "Đơn vị", "Tổng số KDC, TDP", "Số KDC, TDP đạt chuẩn an toàn về ANTT", "Tỷ lệ (%)")
    ):
        ws.cell(6, j + 1, h)
    cs = COMMUNES[d]
    wards = [c for c in cs if c.startswith("Phường")]
    xas = [c for c in cs if c.startswith("Xã")]
    r = 7
    for roman, label, group, sub in (
        ("I", "Các phường", wards, "Cộng phường"),
        ("II", "Các xã", xas, "Cộng xã"),
    ):
        ws.cell(r, 1, roman)
        ws.cell(r, 2, label)
        r += 1
        for n, c in enumerate(group, 1):
            f = fig(c, y)
            b.skip(ws, r, 1, n, "row_number")
            ws.cell(r, 2, c)
            b.val(ws, r, 3, y, c, ["safe_residential_area"], "total", f["kdc"])
            b.val(ws, r, 4, y, c, "safe_residential_area", "achieved", f["safe_residential_area"])
            rt = rate(f, "safe_residential_area")
            b.val(
                ws,
                r,
                5,
                y,
                c,
                "safe_residential_area",
                "rate",
                round(rt / 100, 6),
                formula=f"=ROUND(D{r}/C{r}*100,2)",
            )
            b.formulas[(ws.title, f"E{r}")] = rt
            r += 1
        ws.cell(r, 2, sub)
        tk = sum(fig(c, y)["kdc"] for c in group)
        ta = sum(fig(c, y)["safe_residential_area"] for c in group)
        b.skip(ws, r, 3, tk, "sub_row")
        b.skip(ws, r, 4, ta, "sub_row")
        b.skip(ws, r, 5, round(ta / tk * 100, 2), "sub_row")
        r += 1
    ws.cell(r, 2, "Toàn thành phố")
    tk = sum(fig(c, y)["kdc"] for c in cs)
    ta = sum(fig(c, y)["safe_residential_area"] for c in cs)
    b.val(ws, r, 3, y, d, ["safe_residential_area"], "total", tk)
    b.val(ws, r, 4, y, d, "safe_residential_area", "achieved", ta)
    b.val(
        ws,
        r,
        5,
        y,
        d,
        "safe_residential_area",
        "rate",
        round(round(ta / tk * 100, 2) / 100, 6),
        shown=round(ta / tk * 100, 2),
    )
    signature(b, ws, r + 2, 5)
    b.save()


# ---------------------------------------------------------------- u16
def u16():
    """CSV in UTF-16 tab ('Unicode Text') of Vụ Bản 2022-2023: one row per year, the commune's
    name only on its first row (the merged cell saved to text), a 'Năm' column."""
    fname = "VuBan_2022_2023.txt.csv"
    b = Book("u16", fname, ["csv", "year_rows", "merged_to_blank"], "UTF-16 tab CSV, year rows")
    ws = Sink(fname[:-4])
    d = "Huyện Vụ Bản"
    ws.cell(1, 1, "UBND HUYỆN VỤ BẢN")
    ws.cell(2, 1, "KẾT QUẢ XÂY DỰNG KHU DÂN CƯ VĂN HÓA NĂM 2023")
    for j, h in enumerate(("TT", "Đơn vị", "Năm", "Tổng số KDC", "KDC văn hóa", "Tỷ lệ (%)")):
        ws.cell(4, j + 1, h)
    r = 5
    for n, c in enumerate(COMMUNES[d] + [None], 1):
        area = c or d
        for k, y in enumerate((2022, 2023)):
            if k == 0:
                if c:
                    b.skip(ws, r, 1, n, "row_number")
                ws.cell(r, 2, c or "Toàn huyện")
            f = fig(area, y)
            b.skip(ws, r, 3, y, "year_label")
            b.val(ws, r, 4, y, area, ["cultural_residential_area"], "total", f["kdc"])
            b.val(
                ws,
                r,
                5,
                y,
                area,
                "cultural_residential_area",
                "achieved",
                f["cultural_residential_area"],
            )
            rt = rate(f, "cultural_residential_area")
            b.val(
                ws,
                r,
                6,
                y,
                area,
                "cultural_residential_area",
                "rate",
                round(rt / 100, 6),
                shown=vnr(rt),
            )
            r += 1
    write_csv(b, fname, ws.grid, encoding="utf-16", sep="\t")
    FILES.append(
        dict(
            id=b.fid,
            file=fname,
            features=b.features,
            expect="read",
            about=b.desc,
            csv={"encoding": "utf-16", "sep": "\t"},
        )
    )


# ---------------------------------------------------------------- u17
def u17():
    """Giao Thủy 2024: 'đạt/tổng' fractions as text, 'Toàn huyện' both first and last (the same
    numbers), STT typed '1.', '2.', a note row with a number under the table."""
    b = Book(
        "u17",
        "GiaoThuy 2024 phan so.xlsx",
        ["fractions", "totals_above", "stt", "outside_numbers"],
        "Giao Thủy 2024 fractions, total above and below",
    )
    ws = b.sheet("Sheet1")
    y, d = 2024, "Huyện Giao Thủy"
    b.text(ws, 1, 1, "UBND HUYỆN GIAO THỦY")
    b.text(ws, 3, 1, "KẾT QUẢ XÂY DỰNG KHU DÂN CƯ VĂN HÓA, KHU DÂN CƯ AN TOÀN VỀ ANTT NĂM 2024")
    for j, h in enumerate(
        (
            "STT",
            "Xã, thị trấn",
            "KDC văn hóa (đạt/tổng số)",
            "KDC an toàn về ANTT (đạt/tổng số)",
            "Cơ quan an toàn về ANTT (đạt/tổng số)",
        )
    ):
        ws.cell(5, j + 1, h)
    cs = COMMUNES[d]
    rows = [("Toàn huyện", d)] + [(c, c) for c in cs] + [("Toàn huyện", d)]
    r = 6
    for n, (lab, area) in enumerate(rows):
        f = fig(area, y)
        if area != d:
            b.skip(ws, r, 1, f"{n}.", "row_number")
        ws.cell(r, 2, lab)
        for k, (ind, tk) in enumerate(
            (
                ("cultural_residential_area", "kdc"),
                ("safe_residential_area", "kdc"),
                ("safe_agency", "ag"),
            )
        ):
            ws.cell(r, 3 + k, f"{vn(f[ind])}/{vn(f[tk])}")
            prov, dist, level = where(area, y)
            ROWS.append(
                dict(
                    file=b.fname,
                    sheet=ws.title,
                    cell=f"{L(3 + k)}{r}",
                    kind="value",
                    year=y,
                    province=prov,
                    district=dist,
                    area=area,
                    level=level,
                    indicator=ind,
                    role="fraction",
                    value=f"{f[ind]}/{f[tk]}",
                    reason="",
                    note="",
                )
            )
        r += 1
    ws.cell(r + 1, 1, "Ghi chú: còn")
    b.skip(ws, r + 1, 2, 3, "outside_table")
    ws.cell(r + 1, 3, "xã chưa gửi báo cáo")
    b.save()


# ---------------------------------------------------------------- u18
def u18():
    """2019: a summary sheet 'TH' of three districts, then one sheet per district named
    'H.Ý Yên', 'H.Nam Trực', 'H.Vụ Bản', the communes typed without 'Xã'/'Thị trấn' ('Yên Thọ',
    'TT Lâm'), each sheet's total 'Cộng' first."""
    b = Book(
        "u18",
        "BC_2019_3_huyen.xlsx",
        ["sheet_per_area", "bare_names", "totals_above", "stt"],
        "2019, summary sheet and one sheet per district, commune names without prefix",
    )
    y = 2019
    ds = ["Huyện Ý Yên", "Huyện Nam Trực", "Huyện Vụ Bản"]
    cols = [
        dict(h=H("STT"), kind="stt"),
        dict(h=H("Đơn vị"), kind="area"),
        dict(h=H("Tổng số hộ"), kind="tot", ind="cultural_family"),
        dict(h=H("Hộ đạt gia đình văn hóa"), kind="ach", ind="cultural_family"),
        dict(h=H("Tổng số KDC"), kind="kdc", inds=["cultural_residential_area"]),
        dict(h=H("KDC văn hóa"), kind="ach", ind="cultural_residential_area"),
    ]
    ws = b.sheet("TH")
    b.text(ws, 1, 1, "BAN CHỈ ĐẠO 138 TỈNH NAM ĐỊNH")
    b.text(
        ws,
        3,
        1,
        "TỔNG HỢP KẾT QUẢ XÂY DỰNG GIA ĐÌNH VĂN HÓA, KHU DÂN CƯ VĂN HÓA NĂM 2019 (3 HUYỆN ĐIỂM)",
    )
    table(b, ws, 5, y, cols, [dict(label=d.replace("Huyện ", "H. "), area=d) for d in ds])
    for d in ds:
        short = d.replace("Huyện ", "")
        ws = b.sheet("H." + short)
        b.text(ws, 1, 1, f"KẾT QUẢ NĂM 2019 - HUYỆN {short.upper()}")
        rows = [dict(label="Cộng", area=d, kind="total")]
        for c in COMMUNES[d]:
            lab = c.replace("Xã ", "").replace("Thị trấn ", "TT ")
            rows.append(dict(label=lab, area=c))
        table(b, ws, 3, y, cols, rows)
    b.save()


# ---------------------------------------------------------------- u19
def u19():
    """Trực Ninh 2020 offset to D5, a 'Mã đơn vị' code column between STT and the names, 'Số
    đạt' before 'Tổng số' in each group, a hidden commune row, the total at the bottom."""
    b = Book(
        "u19",
        "TrucNinh_2020_ma_dv.xlsx",
        ["offset", "code_column", "reversed_roles", "hidden_rows", "merged_header"],
        "Trực Ninh 2020, code column, achieved before total",
    )
    ws = b.sheet("Data")
    y, d = 2020, "Huyện Trực Ninh"
    b.text(ws, 2, 4, "KẾT QUẢ XÂY DỰNG CƠ QUAN, DOANH NGHIỆP, KHU DÂN CƯ AN TOÀN VỀ ANTT NĂM 2020")
    codes = {
        "Thị trấn Cổ Lễ": 14011,
        "Xã Phương Định": 14014,
        "Xã Trực Chính": 14017,
        "Xã Trung Đông": 14020,
        "Xã Liêm Hải": 14023,
        "Thị trấn Cát Thành": 14026,
        d: 364,
    }
    top = 5
    ws.cell(top, 4, "STT")
    ws.merge_cells(start_row=top, start_column=4, end_row=top + 1, end_column=4)
    ws.cell(top, 5, "Mã ĐV")
    ws.merge_cells(start_row=top, start_column=5, end_row=top + 1, end_column=5)
    ws.cell(top, 6, "Tên đơn vị")
    ws.merge_cells(start_row=top, start_column=6, end_row=top + 1, end_column=6)
    groups = [
        ("Cơ quan", "safe_agency"),
        ("Doanh nghiệp", "safe_enterprise"),
        ("Khu dân cư", "safe_residential_area"),
    ]
    col = 7
    for g, _ind in groups:
        ws.cell(top, col, g)
        ws.merge_cells(start_row=top, start_column=col, end_row=top, end_column=col + 1)
        ws.cell(top + 1, col, "Số đạt")
        ws.cell(top + 1, col + 1, "Tổng số")
        col += 2
    r = top + 2
    areas = COMMUNES[d] + [d]
    for n, a in enumerate(areas, 1):
        f = fig(a, y)
        if a != d:
            b.skip(ws, r, 4, n, "row_number")
            ws.cell(r, 6, a)
        else:
            ws.cell(r, 6, "Cộng toàn huyện")
        b.skip(ws, r, 5, codes[a], "unrecognised_column")
        for k, (_g, ind) in enumerate(groups):
            b.val(ws, r, 7 + 2 * k, y, a, ind, "achieved", f[ind])
            b.val(ws, r, 8 + 2 * k, y, a, ind, "total", f[TOTAL_OF[ind]])
        if a == "Xã Trung Đông":
            ws.row_dimensions[r].hidden = True
        r += 1
    b.save()


# ---------------------------------------------------------------- u20
def u20():
    """Nghĩa Hưng, one sheet per year ('2018', '2019', '2020'), no year in the titles or the
    file name; the communes in another order each year; 'Tổng' at the bottom."""
    b = Book(
        "u20",
        "NghiaHung_KDC_AT.xlsx",
        ["sheet_per_year", "stt", "letterhead"],
        "Nghĩa Hưng, one sheet per year, year only in the sheet name",
    )
    d = "Huyện Nghĩa Hưng"
    for k, y in enumerate((2018, 2019, 2020)):
        ws = b.sheet(str(y))
        letterhead(b, ws, "UBND HUYỆN NGHĨA HƯNG", "", 6)
        b.text(ws, 4, 1, "KẾT QUẢ XÂY DỰNG KHU DÂN CƯ, XÃ, THỊ TRẤN AN TOÀN VỀ ANTT")
        cols = [
            dict(h=H("STT"), kind="stt"),
            dict(h=H("Xã, thị trấn"), kind="area"),
            dict(h=H("Tổng số KDC"), kind="kdc", inds=["safe_residential_area"]),
            dict(h=H("KDC đạt chuẩn an toàn về ANTT"), kind="ach", ind="safe_residential_area"),
            dict(h=H("Tỷ lệ (%)"), kind="rate", ind="safe_residential_area"),
        ]
        cs = COMMUNES[d][k:] + COMMUNES[d][:k]
        rows = [dict(label=c, area=c) for c in cs] + [dict(label="Tổng", area=d, kind="total")]
        table(b, ws, 6, y, cols, rows)
    b.save()


# ---------------------------------------------------------------- u21
def u21():
    """Province 2023 by district: 'Tổng số KDC' then a 'Trong đó' group over the achieved
    columns ('KDC văn hóa', 'KDC 5 không', 'KDC an toàn về ANTT'), rates stored as fractions
    with a percent format, counts typed '1 234' with a space, 'Toàn tỉnh' last."""
    b = Book(
        "u21",
        "BC_2023_trong_do.xlsx",
        ["trong_do_header", "percent_format", "space_thousands", "merged_header"],
        "Province 2023, 'Trong đó' as a group over achieved columns",
    )
    ws = b.sheet("Bieu 1")
    y = 2023
    b.text(ws, 1, 1, "BAN CHỈ ĐẠO 138 TỈNH NAM ĐỊNH")
    b.text(ws, 3, 1, "KẾT QUẢ XÂY DỰNG KHU DÂN CƯ NĂM 2023")
    ws.cell(5, 1, "STT")
    ws.merge_cells("A5:A6")
    ws.cell(5, 2, "Đơn vị")
    ws.merge_cells("B5:B6")
    ws.cell(5, 3, "Tổng số KDC")
    ws.merge_cells("C5:C6")
    ws.cell(5, 4, "Trong đó")
    ws.merge_cells("D5:G5")
    for j, h in enumerate(
        ("KDC văn hóa", 'KDC "5 không"', "KDC an toàn về ANTT", "Tỷ lệ KDC an toàn (%)")
    ):
        ws.cell(6, 4 + j, h)
    inds = ["cultural_residential_area", "five_no_residential_area", "safe_residential_area"]
    r = 7
    for n, a in enumerate(DISTRICTS[:1] + DISTRICTS[2:] + [PROV], 1):
        f = fig(a, y)
        if a != PROV:
            b.skip(ws, r, 1, n, "row_number")
            ws.cell(r, 2, a)
        else:
            ws.cell(r, 2, "Toàn tỉnh")
        sp = lambda v: f"{v:,}".replace(",", " ")  # noqa: E731
        b.val(
            ws,
            r,
            3,
            y,
            a,
            inds,
            "total",
            f["kdc"],
            shown=sp(f["kdc"]) if f["kdc"] >= 1000 else f["kdc"],
        )
        for j, ind in enumerate(inds):
            v = f[ind]
            b.val(ws, r, 4 + j, y, a, ind, "achieved", v, shown=sp(v) if v >= 1000 else v)
        rt = round(f["safe_residential_area"] / f["kdc"], 4)
        b.val(ws, r, 7, y, a, "safe_residential_area", "rate", rt)
        ws.cell(r, 7).number_format = "0.00%"
        r += 1
    b.save()


# ---------------------------------------------------------------- u22
def u22():
    """Giao Thủy 2021: abbreviated headers under merged groups ('KDC VH' › 'SL' / 'TL'),
    'Đạt chuẩn AT về ANTT' › 'CQ' / 'DN' / 'NT', each area merged over columns B:C, a row
    '(1)' … under the header, notes with numbers under the table."""
    b = Book(
        "u22",
        "GiaoThuy_2021_viet_tat.xlsx",
        ["abbreviations", "merged_area_cells", "column_numbers", "outside_numbers"],
        "Giao Thủy 2021, abbreviated headers, area cells merged across two columns",
    )
    ws = b.sheet("GT")
    y, d = 2021, "Huyện Giao Thủy"
    letterhead(b, ws, "UBND HUYỆN GIAO THỦY", "", 10)
    b.text(ws, 4, 1, "KẾT QUẢ PHONG TRÀO TOÀN DÂN BẢO VỆ ANTQ NĂM 2021")
    ws.cell(6, 1, "TT")
    ws.merge_cells("A6:A7")
    ws.cell(6, 2, "Đơn vị")
    ws.merge_cells("B6:C7")
    ws.cell(6, 4, "KDC VH")
    ws.merge_cells("D6:E6")
    ws.cell(7, 4, "SL")
    ws.cell(7, 5, "TL (%)")
    ws.cell(6, 6, "GĐVH")
    ws.merge_cells("F6:G6")
    ws.cell(7, 6, "SL")
    ws.cell(7, 7, "TL (%)")
    ws.cell(6, 8, "Đạt chuẩn AT về ANTT")
    ws.merge_cells("H6:J6")
    ws.cell(7, 8, "CQ")
    ws.cell(7, 9, "DN")
    ws.cell(7, 10, "NT")
    for j in range(1, 11):
        if j in (2, 3):
            continue
        b.skip(ws, 8, j, f"({j})", "column_number")
    r = 9
    for n, a in enumerate(COMMUNES[d] + [d], 1):
        f = fig(a, y)
        if a != d:
            b.skip(ws, r, 1, n, "row_number")
        ws.cell(r, 2, a if a != d else "Tổng cộng")
        ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=3)
        b.val(
            ws, r, 4, y, a, "cultural_residential_area", "achieved", f["cultural_residential_area"]
        )
        b.val(
            ws,
            r,
            5,
            y,
            a,
            "cultural_residential_area",
            "rate",
            round(rate(f, "cultural_residential_area") / 100, 6),
            shown=rate(f, "cultural_residential_area"),
        )
        b.val(ws, r, 6, y, a, "cultural_family", "achieved", f["cultural_family"])
        b.val(
            ws,
            r,
            7,
            y,
            a,
            "cultural_family",
            "rate",
            round(rate(f, "cultural_family") / 100, 6),
            shown=rate(f, "cultural_family"),
        )
        b.val(ws, r, 8, y, a, "safe_agency", "achieved", f["safe_agency"])
        b.val(ws, r, 9, y, a, "safe_enterprise", "achieved", f["safe_enterprise"])
        b.val(ws, r, 10, y, a, "safe_school", "achieved", f["safe_school"])
        r += 1
    ws.cell(r + 1, 1, "Ghi chú: Năm 2021 có")
    b.skip(ws, r + 1, 4, 2, "outside_table")
    ws.cell(r + 1, 5, "KDC mới chia tách")
    b.save()


# ---------------------------------------------------------------- u23
def u23():
    """Province 2020 by district with a plan column group 'Kế hoạch năm 2021' (targets, not
    data), 'Đạt' before 'Tổng số', and a copy of the sheet ('Sheet1 (2)') left in the file."""
    b = Book(
        "u23",
        "BC_2020_ke_hoach_2021.xlsx",
        ["plan_columns", "sheet_copy", "reversed_roles"],
        "Province 2020 with plan columns for 2021 and a copied sheet",
    )
    y = 2020
    for sh in ("Sheet1", "Sheet1 (2)"):
        ws = b.sheet(sh)
        b.text(ws, 1, 1, "BAN CHỈ ĐẠO 138 TỈNH NAM ĐỊNH")
        b.text(
            ws, 3, 1, "KẾT QUẢ XÂY DỰNG KHU DÂN CƯ AN TOÀN VỀ ANTT NĂM 2020 VÀ KẾ HOẠCH NĂM 2021"
        )
        ws.cell(5, 1, "STT")
        ws.merge_cells("A5:A6")
        ws.cell(5, 2, "Đơn vị")
        ws.merge_cells("B5:B6")
        ws.cell(5, 3, "Kết quả năm 2020")
        ws.merge_cells("C5:E5")
        ws.cell(6, 3, "KDC đạt chuẩn an toàn về ANTT")
        ws.cell(6, 4, "Tổng số KDC")
        ws.cell(6, 5, "Tỷ lệ (%)")
        ws.cell(5, 6, "Kế hoạch năm 2021")
        ws.merge_cells("F5:G5")
        ws.cell(6, 6, "KDC đạt chuẩn an toàn về ANTT")
        ws.cell(6, 7, "Tỷ lệ (%)")
        r = 7
        for n, a in enumerate([*DISTRICTS, PROV], 1):
            f = fig(a, y)
            if a != PROV:
                b.skip(ws, r, 1, n, "row_number")
                ws.cell(r, 2, a)
            else:
                ws.cell(r, 2, "Toàn tỉnh")
            b.val(ws, r, 3, y, a, "safe_residential_area", "achieved", f["safe_residential_area"])
            b.val(ws, r, 4, y, a, ["safe_residential_area"], "total", f["kdc"])
            b.val(
                ws,
                r,
                5,
                y,
                a,
                "safe_residential_area",
                "rate",
                round(rate(f, "safe_residential_area") / 100, 6),
                shown=rate(f, "safe_residential_area"),
            )
            b.skip(ws, r, 6, f["kdc"], "unrecognised_column", "a plan, not data")
            b.skip(ws, r, 7, 100, "unrecognised_column", "a plan, not data")
            r += 1
    b.save()


# ---------------------------------------------------------------- u24
def u24():
    """Nam Trực 2020: per indicator 'Công nhận mới trong năm' (new this year, a flow) beside
    'Lũy kế' (the stock: the indicator), and 'Tổng số' of units; total at the bottom."""
    b = Book(
        "u24",
        "NamTruc_2020_luy_ke.xlsx",
        ["cumulative_columns", "merged_header", "letterhead"],
        "Nam Trực 2020, new-this-year beside cumulative counts",
    )
    ws = b.sheet("2020")
    y, d = 2020, "Huyện Nam Trực"
    letterhead(b, ws, "UBND HUYỆN NAM TRỰC", "", 8)
    b.text(ws, 4, 1, "KẾT QUẢ XÂY DỰNG GIA ĐÌNH VĂN HÓA, KHU DÂN CƯ VĂN HÓA NĂM 2020")
    ws.cell(6, 1, "TT")
    ws.merge_cells("A6:A7")
    ws.cell(6, 2, "Đơn vị")
    ws.merge_cells("B6:B7")
    col = 3
    for g, _ind in (
        ("Gia đình văn hóa", "cultural_family"),
        ("Khu dân cư văn hóa", "cultural_residential_area"),
    ):
        ws.cell(6, col, g)
        ws.merge_cells(start_row=6, start_column=col, end_row=6, end_column=col + 2)
        ws.cell(7, col, "Tổng số")
        ws.cell(7, col + 1, "Công nhận mới trong năm")
        ws.cell(7, col + 2, "Lũy kế")
        col += 3
    r = 8
    for n, a in enumerate(COMMUNES[d] + [d], 1):
        f = fig(a, y)
        if a != d:
            b.skip(ws, r, 1, n, "row_number")
        ws.cell(r, 2, a if a != d else "Toàn huyện")
        for k, (ind, tk) in enumerate(
            (("cultural_family", "hh"), ("cultural_residential_area", "kdc"))
        ):
            c0 = 3 + 3 * k
            b.val(
                ws,
                r,
                c0,
                y,
                a,
                ind if ind == "cultural_family" else ["cultural_residential_area"],
                "total",
                f[tk],
            )
            b.skip(
                ws, r, c0 + 1, max(1, f[ind] // 20), "unrecognised_column", "new this year: a flow"
            )
            b.val(ws, r, c0 + 2, y, a, ind, "achieved", f[ind])
        r += 1
    b.save()


# ---------------------------------------------------------------- u26
def u26():
    """Province by district 'GIAI ĐOẠN 2016 - 2021' with one column group 'Năm 2021', the
    districts numbered in their own cells ('1. TP. Nam Định', no STT column), 'Tổng' last."""
    b = Book(
        "u26",
        "BC_giai_doan_2016_2021.xlsx",
        ["numbered_names", "period_title", "year_columns"],
        "Province, period title, one 'Năm 2021' group, numbered names",
    )
    ws = b.sheet("TH")
    y = 2021
    b.text(ws, 1, 1, "BAN CHỈ ĐẠO 138 TỈNH NAM ĐỊNH")
    b.text(ws, 3, 1, "KẾT QUẢ PHONG TRÀO TOÀN DÂN BẢO VỆ ANTQ GIAI ĐOẠN 2016 - 2021")
    ws.cell(5, 1, "Đơn vị")
    ws.merge_cells("A5:A6")
    ws.cell(5, 2, "Năm 2021")
    ws.merge_cells("B5:D5")
    ws.cell(6, 2, "Tổng số cơ quan")
    ws.cell(6, 3, "Cơ quan đạt chuẩn an toàn về ANTT")
    ws.cell(6, 4, "Tỷ lệ (%)")
    r = 7
    for n, a in enumerate([*DISTRICTS, PROV], 1):
        f = fig(a, y)
        ab = a.replace("Thành phố ", "TP. ").replace("Huyện ", "H. ")
        ws.cell(r, 1, f"{n}. {ab}" if a != PROV else "Tổng")
        b.val(ws, r, 2, y, a, "safe_agency", "total", f["ag"])
        b.val(ws, r, 3, y, a, "safe_agency", "achieved", f["safe_agency"])
        b.val(
            ws,
            r,
            4,
            y,
            a,
            "safe_agency",
            "rate",
            round(rate(f, "safe_agency") / 100, 6),
            shown=rate(f, "safe_agency"),
        )
        r += 1
    b.save()


# ---------------------------------------------------------------- u27
def u27():
    """Hải Hậu 2022: one sheet per commune ('Xã Hải Nam', 'Xã Hải Trung'), each the commune's
    hamlets and its 'Cộng' total; no year in the sheet names, the title has it."""
    b = Book(
        "u27",
        "HaiHau_2022_thon_xom_cac_xa.xlsx",
        ["sheet_per_commune", "hamlets", "stt"],
        "One sheet per commune of hamlets",
    )
    y = 2022
    for c in ("Xã Hải Nam", "Xã Hải Trung"):
        ws = b.sheet(c)
        b.text(ws, 1, 1, "KẾT QUẢ XÂY DỰNG KHU DÂN CƯ VĂN HÓA, GIA ĐÌNH VĂN HÓA NĂM 2022")
        for j, h in enumerate(
            ("STT", "Thôn, xóm", "Tổng số hộ", "Số hộ đạt GĐVH", "Đạt KDC văn hóa (1 = đạt)")
        ):
            ws.cell(3, j + 1, h)
        hs = [f"Xóm {k}" for k in range(1, 6)] + ["Thôn Nam Hải"]
        tot_h = tot_f = tot_k = 0
        r = 4
        for n, h in enumerate(hs, 1):
            rr = rnd(c, h, y)
            hh = rr.randint(150, 400)
            ff = hh - rr.randint(5, 30)
            kk = rr.choice([0, 1, 1])
            tot_h += hh
            tot_f += ff
            tot_k += kk
            b.skip(ws, r, 1, n, "row_number")
            ws.cell(r, 2, h)
            b.skip(ws, r, 3, hh, "below_table_levels")
            b.skip(ws, r, 4, ff, "below_table_levels")
            b.skip(ws, r, 5, kk, "below_table_levels")
            r += 1
        ws.cell(r, 2, "Cộng")
        b.val(ws, r, 3, y, c, "cultural_family", "total", tot_h)
        b.val(ws, r, 4, y, c, "cultural_family", "achieved", tot_f)
        b.val(ws, r, 5, y, c, "cultural_residential_area", "achieved", tot_k)
    b.save()


# ---------------------------------------------------------------- u28
def u28():
    """Vụ Bản 2024: per indicator 'Tổng số | Đạt | Chưa đạt | Tỷ lệ đạt (%)' and households
    'Số hộ không đạt GĐVH': the 'not achieved' counts are no indicator's data."""
    b = Book(
        "u28",
        "VuBan_2024_chua_dat.xlsx",
        ["not_achieved_columns", "merged_header", "stt"],
        "Vụ Bản 2024 with 'Chưa đạt' and 'không đạt' columns",
    )
    ws = b.sheet("VB")
    y, d = 2024, "Huyện Vụ Bản"
    b.text(ws, 1, 1, "UBND HUYỆN VỤ BẢN")
    b.text(ws, 3, 1, "KẾT QUẢ XÂY DỰNG KHU DÂN CƯ AN TOÀN VỀ ANTT, GIA ĐÌNH VĂN HÓA NĂM 2024")
    ws.cell(5, 1, "STT")
    ws.merge_cells("A5:A6")
    ws.cell(5, 2, "Đơn vị")
    ws.merge_cells("B5:B6")
    ws.cell(5, 3, "Khu dân cư an toàn về ANTT")
    ws.merge_cells("C5:F5")
    for j, h in enumerate(("Tổng số", "Đạt", "Chưa đạt", "Tỷ lệ đạt (%)")):
        ws.cell(6, 3 + j, h)
    ws.cell(5, 7, "Gia đình văn hóa")
    ws.merge_cells("G5:I5")
    for j, h in enumerate(("Tổng số hộ", "Số hộ đạt GĐVH", "Số hộ không đạt GĐVH")):
        ws.cell(6, 7 + j, h)
    r = 7
    for n, a in enumerate(COMMUNES[d] + [d], 1):
        f = fig(a, y)
        if a != d:
            b.skip(ws, r, 1, n, "row_number")
        ws.cell(r, 2, a if a != d else "Toàn huyện")
        ind = "safe_residential_area"
        b.val(ws, r, 3, y, a, ind, "total", f["kdc"])
        b.val(ws, r, 4, y, a, ind, "achieved", f[ind])
        b.skip(ws, r, 5, f["kdc"] - f[ind], "unrecognised_column", "not achieved")
        b.val(ws, r, 6, y, a, ind, "rate", round(rate(f, ind) / 100, 6), shown=rate(f, ind))
        b.val(ws, r, 7, y, a, "cultural_family", "total", f["hh"])
        b.val(ws, r, 8, y, a, "cultural_family", "achieved", f["cultural_family"])
        b.skip(ws, r, 9, f["hh"] - f["cultural_family"], "unrecognised_column", "not achieved")
        r += 1
    b.save()


# ---------------------------------------------------------------- u29
def u29():
    """Province, 'I. Năm 2019' and 'II. Năm 2020' sections of the same districts under a 2020
    title, each closed by a 'Cộng' (the province)."""
    b = Book(
        "u29",
        "BC_2020_hai_nam_theo_khoi.xlsx",
        ["year_sections", "title_year_differs", "stt"],
        "Year sections down the sheet",
    )
    ws = b.sheet("TH")
    b.text(ws, 1, 1, "BAN CHỈ ĐẠO 138 TỈNH NAM ĐỊNH")
    b.text(
        ws, 2, 1, "KẾT QUẢ XÂY DỰNG CƠ QUAN, DOANH NGHIỆP AN TOÀN VỀ ANTT NĂM 2020 SO VỚI NĂM 2019"
    )
    for j, h in enumerate(
        (
            "STT",
            "Đơn vị",
            "Tổng số cơ quan",
            "Cơ quan đạt chuẩn an toàn về ANTT",
            "Tổng số DN",
            "DN đạt chuẩn an toàn về ANTT",
        )
    ):
        ws.cell(4, j + 1, h)
    r = 5
    for roman, y in (("I", 2019), ("II", 2020)):
        ws.cell(r, 1, roman)
        ws.cell(r, 2, f"Năm {y}")
        r += 1
        for n, a in enumerate([*DISTRICTS, PROV], 1):
            f = fig(a, y)
            if a != PROV:
                b.skip(ws, r, 1, n, "row_number")
                ws.cell(r, 2, a)
            else:
                ws.cell(r, 2, "Cộng")
            b.val(ws, r, 3, y, a, "safe_agency", "total", f["ag"])
            b.val(ws, r, 4, y, a, "safe_agency", "achieved", f["safe_agency"])
            b.val(ws, r, 5, y, a, "safe_enterprise", "total", f["en"])
            b.val(ws, r, 6, y, a, "safe_enterprise", "achieved", f["safe_enterprise"])
            r += 1
    b.save()


BUILDERS = (
    u01,
    u02,
    u03,
    u04,
    u05,
    u06,
    u07,
    u08,
    u09,
    u10,
    u11,
    u12,
    u13,
    u14,
    u15,
    u16,
    u17,
    u18,
    u19,
    u20,
    u21,
    u22,
    u23,
    u24,
    u26,
    u27,
    u28,
    u29,
)


def build(out):
    """Write every file, ``expected.csv`` and ``corpus.json`` into ``out``; the manifest."""
    global OUT
    OUT = Path(out)
    OUT.mkdir(parents=True, exist_ok=True)
    ROWS.clear()
    FILES.clear()
    for fn in BUILDERS:
        fn()
    for e in FILES:  # formulas cached and hostile values patched: fix every zip's timestamps
        if e["file"].endswith(".xlsx"):
            p = OUT / e["file"]
            p.write_bytes(deterministic_zip(p.read_bytes()))
    with (OUT / "expected.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(ROWS[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(ROWS)
    manifest = {
        "files": FILES,
        "features": sorted({f for e in FILES for f in e["features"]}),
        "reasons": {k: {"tier": t, "meaning": m} for k, (t, m) in REASONS.items()},
    }
    (OUT / "corpus.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return json.loads(json.dumps(manifest))


def main(argv):
    """``python tests/corpus/make_corpus2.py OUT_DIR``."""
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[-1].strip(), file=sys.stderr)
        return 2
    manifest = build(Path(argv[1]))
    print(f"wrote {len(manifest['files'])} files, expected.csv and corpus.json to {argv[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
