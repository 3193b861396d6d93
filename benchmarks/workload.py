"""A national-scale workload: one workbook per province and year, communes as rows.

63 provinces × 10 years ≈ 630 workbooks and about 2,5 million numbers, in the
province's standard layout: a two- or three-row merged header over all nine
indicators, one row per commune, a total row, notes below. The workbooks are
written straight as SpreadsheetML (a few milliseconds each, where openpyxl
takes a quarter of a second), deterministically from a seed.

    python benchmarks/workload.py OUT_DIR [--provinces 63] [--years 10]
"""

from __future__ import annotations

import argparse
import io
import random
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

# Columns after STT and Đơn vị: (group, leaf) with the shared denominator first.
COLUMNS = [
    (None, "Tổng số KDC"),
    ("Khu dân cư văn hóa", "Số đạt"),
    ("Khu dân cư văn hóa", "Tỷ lệ (%)"),
    ("Gia đình văn hóa", "Tổng số hộ"),
    ("Gia đình văn hóa", "Số hộ đạt"),
    ("KDC có hương ước, quy ước", None),
    ("KDC “5 không”", None),
    ("KDC an toàn về ANTT", "Số đạt"),
    ("KDC an toàn về ANTT", "Tỷ lệ (%)"),
]
for _unit in ("Xã, phường, thị trấn", "Cơ quan", "Doanh nghiệp", "Nhà trường"):
    COLUMNS += [(f"{_unit} an toàn về ANTT", leaf) for leaf in ("Tổng số", "Số đạt", "Tỷ lệ (%)")]

FIXED = (2024, 1, 1, 0, 0, 0)
_CT = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_BOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)


def _book(sheet: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<sheets><sheet name="{escape(sheet)}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )


def _col(n: int) -> str:
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def _cell(ref: str, v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, str):
        return f'<c r="{ref}" t="inlineStr"><is><t>{escape(v)}</t></is></c>'
    return f'<c r="{ref}"><v>{v}</v></c>'


def write_xlsx(path: Path, sheet: str, rows: list[list[object]], merges: list[str]) -> None:
    """A minimal valid .xlsx with one sheet of inline strings and numbers."""
    body = []
    for r, row in enumerate(rows, start=1):
        cells = "".join(_cell(f"{_col(c)}{r}", v) for c, v in enumerate(row, start=1))
        body.append(f'<row r="{r}">{cells}</row>')
    merge = "".join(f'<mergeCell ref="{m}"/>' for m in merges)
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{''.join(body)}</sheetData>"
        + (f'<mergeCells count="{len(merges)}">{merge}</mergeCells>' if merges else "")
        + "</worksheet>"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in (
            ("[Content_Types].xml", _CT),
            ("_rels/.rels", _RELS),
            ("xl/workbook.xml", _book(sheet)),
            ("xl/_rels/workbook.xml.rels", _BOOK_RELS),
            ("xl/worksheets/sheet1.xml", xml),
        ):
            zf.writestr(zipfile.ZipInfo(name, FIXED), data)
    path.write_bytes(buf.getvalue())


def province_rows(
    p: int, year: int, rng: random.Random, communes: int, three_rows: bool
) -> tuple[list[list[object]], list[str]]:
    """Title, merged header and one row per commune with a total row, for one province-year."""
    ncol = 2 + len(COLUMNS)
    rows: list[list[object]] = [
        [f"BAN CHỈ ĐẠO 138 TỈNH SỐ {p:02d}"],
        [f"KẾT QUẢ PHONG TRÀO TOÀN DÂN BẢO VỆ AN NINH TỔ QUỐC NĂM {year}"],
        [],
    ]
    top = len(rows) + 1
    depth = 3 if three_rows else 2
    header = [[None] * ncol for _ in range(depth)]
    header[0][0], header[0][1] = "STT", "Đơn vị"
    merges = [f"A{top}:A{top + depth - 1}", f"B{top}:B{top + depth - 1}"]
    group_row = 1 if three_rows else 0
    if three_rows:
        header[0][2] = "Kết quả phong trào"
        merges.append(f"C{top}:{_col(ncol)}{top}")
    c = 3
    i = 0
    while i < len(COLUMNS):
        group, leaf = COLUMNS[i]
        span = 1
        while i + span < len(COLUMNS) and group and COLUMNS[i + span][0] == group:
            span += 1
        r0 = top + group_row
        if group is None or leaf is None:
            header[group_row][c - 1] = group or leaf
            merges.append(f"{_col(c)}{r0}:{_col(c)}{top + depth - 1}")
        else:
            header[group_row][c - 1] = group
            if span > 1:
                merges.append(f"{_col(c)}{r0}:{_col(c + span - 1)}{r0}")
            for k in range(span):
                header[depth - 1][c - 1 + k] = COLUMNS[i + k][1]
        c += span
        i += span
    rows += header
    sums = [0] * len(COLUMNS)
    base = random.Random(p)  # a commune keeps its name and size from year to year
    step = year - 2015
    for n in range(1, communes + 1):
        kind = base.choice(("Xã", "Xã", "Xã", "Phường", "Thị trấn"))
        ra = base.randint(5, 40)
        hh = base.randint(800, 6000) + 15 * step
        lean = base.uniform(0.6, 0.8)
        share = min(1.0, lean + 0.015 * step + rng.uniform(-0.01, 0.01))
        vals: list[float] = []
        cra = round(ra * share)
        fam = round(hh * min(1.0, share + 0.1))
        sra = round(ra * min(1.0, share + 0.15))
        vals += [
            ra,
            cra,
            round(cra / ra * 100, 2),
            hh,
            fam,
            round(ra * min(1.0, share + 0.2)),
            round(ra * share * 0.5),
            sra,
            round(sra / ra * 100, 2),
        ]
        for hi in (1, base.randint(2, 15), base.randint(5, 120), base.randint(2, 12)):
            t = hi
            a = round(t * min(1.0, share + 0.2))
            vals += [t, a, round(a / t * 100, 2)]
        for k, v in enumerate(vals):
            sums[k] += v
        rows.append([n, f"{kind} {p:02d}-{n:03d}", *vals])
    total: list[object] = []
    for k, (_group, leaf) in enumerate(COLUMNS):
        if leaf == "Tỷ lệ (%)":
            den = sums[k - 2] if COLUMNS[k - 2][1] in ("Tổng số", "Tổng số hộ") else sums[0]
            total.append(round(sums[k - 1] / den * 100, 2))
        else:
            total.append(sums[k])
    rows.append([None, "Tổng cộng", *total])
    rows += [[], [None, "Ghi chú: số liệu giả lập cho phép đo tốc độ (antq benchmarks)."]]
    return rows, merges


def generate(out: Path, provinces: int = 63, years: int = 10, seed: int = 138) -> list[Path]:
    """Write the workload; return the files (already there and complete: kept as they are)."""
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    sizes = [rng.randint(100, 260) for _ in range(provinces)]  # ~10.600 communes in all
    paths = []
    for p in range(1, provinces + 1):
        for y in range(2015, 2015 + years):
            path = out / f"tinh_{p:02d}" / f"bao_cao_{y}.xlsx"
            paths.append(path)
            if path.exists():
                continue
            path.parent.mkdir(exist_ok=True)
            rows, merges = province_rows(
                p,
                y,
                random.Random(seed * 1000 + p * 100 + y),
                sizes[p - 1],
                three_rows=(p + y) % 2 == 0,
            )
            write_xlsx(path, f"Năm {y}", rows, merges)
    return paths


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--provinces", type=int, default=63)
    ap.add_argument("--years", type=int, default=10)
    a = ap.parse_args()
    print(len(generate(a.out, a.provinces, a.years)), "workbooks in", a.out)
