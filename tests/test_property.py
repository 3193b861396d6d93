"""Nothing lost: every number of a generated workbook comes back, traced to its cell.

Hypothesis draws a layout (header depth, group and column order, merged cells,
a numbering row, an STT column, a total row), the way values are written
(numbers, Vietnamese-formatted text, percentages or fractions) and the text
encoding (Unicode NFC or NFD, TCVN3, VNI), writes the workbook, loads it and
checks every value against the cell it was written to.
"""

import csv
import os
import unicodedata
from importlib import resources

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

import antq

GROUPS = {
    "cultural_residential_area": ["Khu dân cư văn hóa", "KDC văn hóa", "Khu dan cu van hoa"],
    "cultural_family": ["Gia đình văn hóa", "GĐVH"],
    "residential_area_with_convention": ["KDC có hương ước, quy ước"],
    "five_no_residential_area": ["Khu dân cư “5 không”", "KDC 5 khong"],
    "safe_residential_area": ["Khu dân cư an toàn về ANTT"],
    "safe_commune": ["Xã, phường, thị trấn an toàn về ANTT"],
    "safe_agency": ["Cơ quan an toàn về ANTT", "Co quan an toan ANTT"],
    "safe_enterprise": ["Doanh nghiệp an toàn về ANTT"],
    "safe_school": ["Nhà trường an toàn về ANTT", "Cơ sở giáo dục an toàn ANTT"],
}
LEAVES = {
    "total": ["Tổng số", "Tong so"],
    "achieved": ["Số đạt", "Đạt", "Được công nhận"],
    "rate": ["Tỷ lệ (%)", "TL"],
}
AREAS = [
    ("TP. Nam Định", "Thành phố Nam Định"),
    ("Huyện Mỹ Lộc", "Huyện Mỹ Lộc"),
    ("Vụ Bản", "Huyện Vụ Bản"),
    ("H. Nghĩa Hưng", "Huyện Nghĩa Hưng"),
    ("Nam Trực", "Huyện Nam Trực"),
    ("Huyện Trực Ninh", "Huyện Trực Ninh"),
    ("Xuân Trường", "Huyện Xuân Trường"),
    ("H. Giao Thủy", "Huyện Giao Thủy"),
    ("Hải Hậu", "Huyện Hải Hậu"),
]


def _encoder(name):
    text = resources.files("antq.data").joinpath(name).read_text(encoding="utf-8")
    table = dict(list(csv.reader(text.splitlines()))[1:])
    # TCVN3 has no capitals with tone marks: the "H" fonts (.VnTimeH) show the
    # lower-case codes as capitals, so a title in capitals is stored with them.
    return lambda s: "".join(
        table.get(ch, table.get(ch.lower(), ch)) for ch in unicodedata.normalize("NFC", s)
    )


ENCODE = {
    "nfc": lambda s: s,
    "nfd": lambda s: unicodedata.normalize("NFD", s),
    "tcvn3": _encoder("tcvn3.csv"),
    "vni": _encoder("vni.csv"),
}


@st.composite
def workbooks(draw):
    codes = draw(st.lists(st.sampled_from(sorted(GROUPS)), min_size=1, max_size=4, unique=True))
    groups = []
    for code in codes:
        roles = ["achieved"]
        if draw(st.booleans()):
            roles.append("total")
        if draw(st.booleans()):
            roles.append("rate")
        roles = draw(st.permutations(roles))
        label = draw(st.sampled_from(GROUPS[code]))
        leaves = {r: draw(st.sampled_from(LEAVES[r])) for r in roles}
        groups.append((code, label, list(roles), leaves))
    areas = draw(st.lists(st.sampled_from(AREAS), min_size=1, max_size=6, unique=True))
    rows = []
    for _ in areas:
        row = {}
        for code, *_ in groups:
            total = draw(st.integers(min_value=2, max_value=60000))
            achieved = draw(st.integers(min_value=total // 2, max_value=total))
            row[code] = (achieved, total)
        rows.append(row)
    return {
        "groups": groups,
        "areas": areas,
        "rows": rows,
        "depth": draw(st.sampled_from([2, 3])),
        "stt": draw(st.booleans()),
        "numbering": draw(st.booleans()),
        "total_row": draw(st.booleans()),
        "encoding": draw(st.sampled_from(sorted(ENCODE))),
        "count_style": draw(st.sampled_from(["int", "float", "text"])),
        "rate_style": draw(st.sampled_from(["percent", "fraction", "text"])),
    }


def _count(n, style):
    return {"int": n, "float": float(n), "text": f"{n:,}".replace(",", ".")}[style]


def _rate(a, t, style):
    pct = round(a / t * 100, 2)
    if style == "percent":
        return pct, pct / 100
    if style == "fraction":
        return round(a / t, 4), round(a / t, 4)
    return f"{pct:.2f}".replace(".", ",") + "%", pct / 100


def write(spec, path):
    enc = ENCODE[spec["encoding"]]
    wb = Workbook()
    ws = wb.active
    ws.title = "Biểu"
    ws.cell(1, 1, enc("KẾT QUẢ PHONG TRÀO NĂM 2021"))
    top = 3
    leaf_row = top + spec["depth"] - 1
    c = 1
    if spec["stt"]:
        ws.cell(top, c, "STT")
        ws.merge_cells(start_row=top, start_column=c, end_row=leaf_row, end_column=c)
        c += 1
    area_col = c
    ws.cell(top, c, enc("Đơn vị"))
    ws.merge_cells(start_row=top, start_column=c, end_row=leaf_row, end_column=c)
    c += 1
    first_data = c
    group_row = top + 1 if spec["depth"] == 3 else top
    expected = {}  # cell address -> (column of the tidy table, value)
    layout = []  # (col, code, role)
    for code, label, roles, leaves in spec["groups"]:
        ws.cell(group_row, c, enc(label))
        if roles == ["achieved"]:
            ws.merge_cells(start_row=group_row, start_column=c, end_row=leaf_row, end_column=c)
        else:
            if len(roles) > 1:
                ws.merge_cells(
                    start_row=group_row,
                    start_column=c,
                    end_row=group_row,
                    end_column=c + len(roles) - 1,
                )
            for k, role in enumerate(roles):
                ws.cell(leaf_row, c + k, enc(leaves[role]))
        layout += [(c + k, code, role) for k, role in enumerate(roles)]
        c += len(roles)
    if spec["depth"] == 3:
        ws.cell(top, first_data, enc("Kết quả"))
        if c - 1 > first_data:
            ws.merge_cells(start_row=top, start_column=first_data, end_row=top, end_column=c - 1)
    r = leaf_row + 1
    if spec["numbering"]:
        for k in range(1, c):
            ws.cell(r, k, f"({k})")
        r += 1
    body = list(zip(spec["areas"], spec["rows"], strict=True))
    if spec["total_row"]:
        sums = {
            code: (sum(row[code][0] for _, row in body), sum(row[code][1] for _, row in body))
            for code, *_ in spec["groups"]
        }
        body.append((("Tổng cộng", "Toàn tỉnh"), sums))
    for n, ((written, canonical), values) in enumerate(body, start=1):
        if spec["stt"] and canonical != "Toàn tỉnh":
            ws.cell(r, 1, n)
        ws.cell(r, area_col, enc(written))
        for col, code, role in layout:
            a, t = values[code]
            if role == "rate":
                shown, fraction = _rate(a, t, spec["rate_style"])
                ws.cell(r, col, shown)
                if spec["rate_style"] == "fraction":
                    ws.cell(r, col).number_format = "0.00%"
                expected[f"{get_column_letter(col)}{r}"] = (
                    canonical,
                    code,
                    "reported_rate",
                    fraction,
                )
            else:
                v = a if role == "achieved" else t
                ws.cell(r, col, _count(v, spec["count_style"]))
                expected[f"{get_column_letter(col)}{r}"] = (canonical, code, role, v)
        r += 1
    ws.cell(r + 1, area_col, enc("Ghi chú: số liệu minh họa"))
    wb.save(path)
    return expected


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(spec=workbooks())
def test_every_value_comes_back_from_its_cell(tmp_path, spec):
    path = tmp_path / "gen.xlsx"
    expected = write(spec, path)
    result = antq.read(path)
    df = result.table
    assert not [f for f in result.findings if f.severity in ("error", "warning")], result.findings
    assert set(df["year"]) == {2021}
    by_cell = {}
    for _, row in df.iterrows():
        for col, src in (
            ("achieved", "source"),
            ("total", "total_source"),
            ("reported_rate", "rate_source"),
        ):
            if isinstance(row[src], str):
                by_cell.setdefault(row[src].rsplit("!", 1)[1], []).append((row, col))
    for cell, (area, code, col, value) in expected.items():
        hits = [
            (row, c) for row, c in by_cell.get(cell, []) if row["indicator"] == code and c == col
        ]
        assert hits, f"{cell} ({area}, {code}, {col}) was not read"
        row, c = hits[0]
        assert row["area"] == area
        if col == "reported_rate":
            assert abs(row[c] - value) < 1e-9
        else:
            assert row[c] == value


# ---- the accounting: every number read to its key, or skipped with its reason ----------

SUB_ROWS = ["- Trong đó: thị trấn", "+ KDC mới thành lập", "Trong đó: khu vực nông thôn"]
DIFFERENCE_HEADERS = ["Tăng/giảm so với năm 2020", "Tăng (+), giảm (-)", "So với cùng kỳ", "+/-"]


@st.composite
def messy_workbooks(draw):
    spec = draw(workbooks())
    n = len(spec["areas"])
    spec.update(
        total_at=draw(st.sampled_from(["none", "top", "bottom"])),
        notes=draw(st.booleans()),
        difference=draw(st.sampled_from([None, *DIFFERENCE_HEADERS])),
        sub_rows={
            i: draw(st.sampled_from(SUB_ROWS))
            for i in draw(st.sets(st.integers(0, n - 1), max_size=2))
        },
        note_number=draw(st.booleans()),
        numbering_style=draw(st.sampled_from(["paren", "int"])),
        seed=draw(st.integers(0, 10**6)),
    )
    return spec


def write_messy(spec, path):
    """A workbook with what is not data around the data; returns {cell: expectation}."""
    import random

    rng = random.Random(spec["seed"])
    enc = ENCODE[spec["encoding"]]
    wb = Workbook()
    ws = wb.active
    ws.title = "Biểu"
    ws.cell(1, 1, enc("KẾT QUẢ PHONG TRÀO NĂM 2021"))
    top = 3
    leaf_row = top + 1
    expected = {}
    c = 1
    if spec["stt"]:
        ws.cell(top, c, "STT")
        ws.merge_cells(start_row=top, start_column=c, end_row=leaf_row, end_column=c)
        c += 1
    area_col = c
    ws.cell(top, c, enc("Đơn vị"))
    ws.merge_cells(start_row=top, start_column=c, end_row=leaf_row, end_column=c)
    c += 1
    layout = []
    for code, label, roles, leaves in spec["groups"]:
        ws.cell(top, c, enc(label))
        if len(roles) > 1:
            ws.merge_cells(
                start_row=top, start_column=c, end_row=top, end_column=c + len(roles) - 1
            )
        for k, role in enumerate(roles):
            ws.cell(leaf_row, c + k, enc(leaves[role]))
        layout += [(c + k, code, role) for k, role in enumerate(roles)]
        c += len(roles)
    extra = {}
    if spec["notes"]:
        ws.cell(top, c, enc("Ghi chú"))
        ws.merge_cells(start_row=top, start_column=c, end_row=leaf_row, end_column=c)
        extra[c] = "notes"
        c += 1
    if spec["difference"]:
        ws.cell(top, c, enc(spec["difference"]))
        ws.merge_cells(start_row=top, start_column=c, end_row=leaf_row, end_column=c)
        extra[c] = "difference"
        c += 1
    width = c - 1
    r = leaf_row + 1
    if spec["numbering"]:
        for k in range(1, width + 1):
            ws.cell(r, k, f"({k})" if spec["numbering_style"] == "paren" else k)
            expected[f"{get_column_letter(k)}{r}"] = ("skip", "column_number")
        r += 1
    body = [("area", a, v) for a, v in zip(spec["areas"], spec["rows"], strict=True)]
    if spec["total_at"] != "none":
        sums = {
            code: (sum(v[code][0] for _, _, v in body), sum(v[code][1] for _, _, v in body))
            for code, *_ in spec["groups"]
        }
        total = ("total", ("Tổng cộng", "Toàn tỉnh"), sums)
        body = [total, *body] if spec["total_at"] == "top" else [*body, total]
    n = 0
    for kind, (written, canonical), values in body:
        n += kind == "area"
        if spec["stt"] and kind == "area":
            ws.cell(r, 1, n)
            expected[f"A{r}"] = ("skip", "row_number")
        ws.cell(r, area_col, enc(written))
        for col, code, role in layout:
            a, t = values[code]
            cell = f"{get_column_letter(col)}{r}"
            if role == "rate":
                shown, fraction = _rate(a, t, spec["rate_style"])
                ws.cell(r, col, shown)
                if spec["rate_style"] == "fraction":
                    ws.cell(r, col).number_format = "0.00%"
                expected[cell] = ("value", canonical, code, "reported_rate", fraction)
            else:
                v = a if role == "achieved" else t
                ws.cell(r, col, _count(v, spec["count_style"]))
                expected[cell] = ("value", canonical, code, role, v)
        for col, reason in extra.items():
            if rng.random() < 0.6:
                ws.cell(r, col, rng.choice([rng.randint(0, 50), f"+{rng.randint(1, 9)}"]))
                expected[f"{get_column_letter(col)}{r}"] = ("skip", reason)
        r += 1
        index = n - 1
        if kind == "area" and index in spec["sub_rows"]:
            ws.cell(r, area_col, enc(spec["sub_rows"][index]))
            for col, _code, _role in layout:
                ws.cell(r, col, rng.randint(0, 9))
                expected[f"{get_column_letter(col)}{r}"] = ("skip", "sub_row")
            for col in extra:
                if rng.random() < 0.5:
                    ws.cell(r, col, rng.randint(0, 9))
                    expected[f"{get_column_letter(col)}{r}"] = ("skip", "sub_row")
            r += 1
    r += 1
    ws.cell(r, area_col, enc("Ghi chú: số liệu minh họa"))
    if spec["note_number"]:
        ws.cell(r, width, 37)
        expected[f"{get_column_letter(width)}{r}"] = ("skip", "outside_table")
    ws.cell(r + 2, area_col, enc("NGƯỜI LẬP BIỂU"))
    wb.save(path)
    return expected


@settings(
    max_examples=int(os.environ.get("ANTQ_PROPERTY_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(spec=messy_workbooks())
def test_every_number_is_read_to_its_key_or_skipped_with_its_reason(tmp_path, spec):
    path = tmp_path / "messy.xlsx"
    expected = write_messy(spec, path)
    result = antq.read(path, errors="coerce")
    (acc,) = result.accounting.to_dict("records")
    assert acc["unaccounted"] == 0 and acc["numbers"] == acc["read"] + acc["skipped"], acc
    assert acc["numbers"] == len(expected)
    read = {}
    for _, row in result.table.iterrows():
        for col, src in (
            ("achieved", "source"),
            ("total", "total_source"),
            ("reported_rate", "rate_source"),
        ):
            if isinstance(row[src], str) and not pd.isna(row[col]):
                read.setdefault(row[src].rsplit("!", 1)[1], []).append((row, col))
    skipped = dict(zip(result.skipped["cell"], result.skipped["reason"], strict=True))
    assert set(read) | set(skipped) == set(expected), "a number read or skipped from nowhere"
    assert not set(read) & set(skipped)
    for cell, want in expected.items():
        if want[0] == "skip":
            assert skipped.get(cell) == want[1], (cell, want, skipped.get(cell), read.get(cell))
            continue
        _, area, code, col, value = want
        hits = [(row, c) for row, c in read.get(cell, []) if row["indicator"] == code and c == col]
        assert hits, f"{cell} ({area}, {code}, {col}) was not read; skipped as {skipped.get(cell)}"
        for row, _c in read[cell]:  # never read to a wrong key
            assert row["area"] == area and row["year"] == 2021, (cell, row.to_dict())
        row, c = hits[0]
        if col == "reported_rate":
            assert abs(row[c] - value) < 1e-9
        else:
            assert row[c] == value
