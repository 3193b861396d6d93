"""A national-scale workload: one workbook per province and year, communes as rows.

63 provinces × 10 years (2015–2024) = 630 workbooks, each in the province's
standard layout: a two- or three-row merged header over all nine indicators,
the province's districts as numbered rows I, II, … each carrying the sums of
the communes listed under it, the communes by their real names, a total row
for the province (named in the title "BAN CHỈ ĐẠO 138 TỈNH …"), notes below.
The units are the real ones in force on 30/6/2025, from the area registry
(:func:`antq.registry.areas`): 10.047 communes in 691 districts, so names
repeat across provinces and, inside some provinces, across districts (and
once inside one district), as in life.

The numbers are synthetic but plausible, and add up: a district row is the sum
of its communes, the province row the sum of the districts, rates are the
rounded ratios. They are drawn deterministically from each commune's code and
the year, and the workbooks are written straight as SpreadsheetML (a few
milliseconds each, where openpyxl takes a quarter of a second), so the same
call gives the same bytes.

:func:`generate` returns the files and what was written in them
(:class:`Written`): every area row with its values, from which the exact
tidy table a complete reader must give follows (:func:`expected_table`).

    python benchmarks/workload.py OUT_DIR [--provinces 63] [--years 10]
"""

from __future__ import annotations

import argparse
import io
import random
import zipfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import NamedTuple
from xml.sax.saxutils import escape

#: The map the workload follows: the last day before the provinces merged and
#: the districts were abolished (1/7/2025).
MAP_DAY = "2025-06-30"
FIRST_YEAR = 2015

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

#: Indicator code → positions in COLUMNS of its (achieved, total, rate) values; the
#: residential-area indicators share "Tổng số KDC" as their total. A complete
#: reader gives one tidy row per area row and indicator, with these values.
INDICATORS: dict[str, tuple[int, int, int | None]] = {
    "cultural_residential_area": (1, 0, 2),
    "cultural_family": (4, 3, None),
    "residential_area_with_convention": (5, 0, None),
    "five_no_residential_area": (6, 0, None),
    "safe_residential_area": (7, 0, 8),
    "safe_commune": (10, 9, 11),
    "safe_agency": (13, 12, 14),
    "safe_enterprise": (16, 15, 17),
    "safe_school": (19, 18, 20),
}

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


def _row(r: int, row: list[object], letters: list[str]) -> str:
    cells = []
    for letter, v in zip(letters, row, strict=False):
        if v is None:
            continue
        if v.__class__ is str:
            cells.append(f'<c r="{letter}{r}" t="inlineStr"><is><t>{escape(v)}</t></is></c>')
        else:
            cells.append(f'<c r="{letter}{r}"><v>{v}</v></c>')
    return f'<row r="{r}">{"".join(cells)}</row>'


def write_xlsx(path: Path, sheet: str, rows: list[list[object]], merges: list[str]) -> None:
    """A minimal valid .xlsx with one sheet of inline strings and numbers."""
    path.write_bytes(xlsx_bytes(sheet, rows, merges))


def xlsx_bytes(sheet: str, rows: list[list[object]], merges: list[str]) -> bytes:
    """The bytes of :func:`write_xlsx`'s workbook (the same for the same rows)."""
    letters = [_col(c) for c in range(1, max(map(len, rows), default=0) + 1)]
    body = [_row(r, row, letters) for r, row in enumerate(rows, start=1)]
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
    return buf.getvalue()


# ---- the map -----------------------------------------------------------------
@dataclass(frozen=True)
class Unit:
    """A real unit of the registry: its code, its name and the units under it."""

    code: str
    name: str
    children: tuple[Unit, ...] = ()


@cache
def provinces() -> tuple[Unit, ...]:
    """The 63 provinces in force on :data:`MAP_DAY`, by official code, with their
    districts and communes (each by code), from the area registry."""
    from antq import registry

    units = registry.areas(on=MAP_DAY)
    units = units.sort_values("code", key=lambda s: s.astype(int), kind="stable")
    kids: dict[str, list[Unit]] = {}
    for level in ("commune", "district"):
        part = units[(units["level"] == level).to_numpy()]
        for uid, code, name, parent in zip(
            part["uid"], part["code"], part["name"], part["parent_uid"], strict=True
        ):
            kids.setdefault(parent, []).append(Unit(code, name, tuple(kids.get(uid, ()))))
    top = units[(units["level"] == "province").to_numpy()]
    return tuple(
        Unit(code, name, tuple(kids.get(uid, ())))
        for uid, code, name in zip(top["uid"], top["code"], top["name"], strict=True)
    )


def roman(n: int) -> str:
    """I, II, … XXX: the numbering of district rows.

    >>> [roman(n) for n in (1, 4, 9, 14, 30)]
    ['I', 'IV', 'IX', 'XIV', 'XXX']
    """
    out = ""
    for value, letters in ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out += letters
            n -= value
    return out


# ---- the numbers ---------------------------------------------------------------
@cache
def _size(code: str) -> tuple[int, int, float, tuple[int, int, int, int]]:
    """A commune's size, kept from year to year: residential areas, households, how
    far along it is, and its communes (itself), agencies, enterprises and schools."""
    rng = random.Random(int(code))
    ra, hh, lean = rng.randint(5, 40), rng.randint(800, 6000), rng.uniform(0.6, 0.8)
    return ra, hh, lean, (1, rng.randint(2, 15), rng.randint(5, 120), rng.randint(2, 12))


def commune_values(code: str, year: int, noise: float, revision: int = 0) -> list[int | float]:
    """The 21 numbers of one commune's row in one year: stable size, slow progress.

    The shares grow by 1,5 points a year, plus ``noise`` (a point at most). ``revision``
    > 0 is a corrected resubmission: that many more households.
    """
    ra, hh, lean, units = _size(code)
    step = year - FIRST_YEAR
    hh += 15 * step + revision
    share = min(1.0, lean + 0.015 * step + noise)
    cra = round(ra * share)
    fam = round(hh * min(1.0, share + 0.1))
    sra = round(ra * min(1.0, share + 0.15))
    vals: list[int | float] = [
        ra,
        cra,
        _pct(cra, ra),
        hh,
        fam,
        round(ra * min(1.0, share + 0.2)),
        round(ra * share * 0.5),
        sra,
        _pct(sra, ra),
    ]
    for total in units:
        a = round(total * min(1.0, share + 0.2))
        vals += [total, a, _pct(a, total)]
    return vals


def _pct(a: int, t: int) -> float:
    return round(a / t * 100, 2)


def _sum_row(rows: Iterable[list[int | float]]) -> list[int | float]:
    """The row of sums, with its rates recomputed from the summed counts."""
    sums: list[int | float] = [sum(col) for col in zip(*rows, strict=True)]
    for a, t, r in INDICATORS.values():
        if r is not None:
            sums[r] = _pct(int(sums[a]), int(sums[t]))
    return sums


# ---- one workbook ----------------------------------------------------------------
class AreaRow(NamedTuple):
    """One area row as written: its unit, the row it is on and its 21 numbers."""

    level: str
    code: str
    name: str
    district: str | None
    row: int
    values: list[int | float]


@dataclass
class Sheet:
    """One workbook as written: its rows and merges, and each area row (in order).

    ``file`` is the workbook's path relative to the workload folder (antq's
    display name, the start of every ``source``), set by :func:`generate`.
    """

    province: str
    year: int
    rows: list[list[object]]
    merges: list[str]
    areas: list[AreaRow]
    file: str = ""

    @property
    def name(self) -> str:
        return sheet_name(self.year)

    @property
    def cells(self) -> int:
        """Non-empty cells: title, header, names, numbers, notes."""
        return sum(v is not None for row in self.rows for v in row)


def _header(top: int, three_rows: bool) -> tuple[list[list[object]], list[str]]:
    """The merged header block starting at row ``top``: two rows, or three with a band."""
    ncol = 2 + len(COLUMNS)
    depth = 3 if three_rows else 2
    header: list[list[object]] = [[None] * ncol for _ in range(depth)]
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
    return header, merges


def province_sheet(
    p: int, year: int, *, three_rows: bool | None = None, revision: int = 0
) -> Sheet:
    """One province's report of one year: title, header, districts over their communes, total.

    ``p`` counts the provinces from 1 in the order of their codes (1 is Hà Nội,
    24 Nam Định). ``three_rows`` defaults to alternating by province and year.
    ``revision`` > 0 is a corrected resubmission of the same report: the first
    commune has that many more households (and the sums above it follow).
    """
    province = provinces()[p - 1]
    if three_rows is None:
        three_rows = (p + year) % 2 == 0
    rows: list[list[object]] = [
        [f"BAN CHỈ ĐẠO 138 {province.name.upper()}"],
        [f"KẾT QUẢ PHONG TRÀO TOÀN DÂN BẢO VỆ AN NINH TỔ QUỐC NĂM {year}"],
        [],
    ]
    header, merges = _header(len(rows) + 1, three_rows)
    rows += header
    areas: list[AreaRow] = []
    district_sums = []
    rng = random.Random(int(province.code) * 10_000 + year)  # this year's noise, commune by commune
    first = True
    for k, district in enumerate(province.children, start=1):
        values = []
        for commune in district.children:
            noise = rng.uniform(-0.01, 0.01)
            values.append(commune_values(commune.code, year, noise, revision if first else 0))
            first = False
        sums = _sum_row(values)
        district_sums.append(sums)
        rows.append([roman(k), district.name, *sums])
        areas.append(
            AreaRow("district", district.code, district.name, district.name, len(rows), sums)
        )
        for n, (commune, vals) in enumerate(zip(district.children, values, strict=True), 1):
            rows.append([n, commune.name, *vals])
            areas.append(
                AreaRow("commune", commune.code, commune.name, district.name, len(rows), vals)
            )
    total = _sum_row(district_sums)
    rows.append([None, "Tổng cộng", *total])
    areas.append(AreaRow("province", province.code, province.name, None, len(rows), total))
    rows += [[], [None, "Ghi chú: số liệu giả lập cho phép đo tốc độ (antq benchmarks)."]]
    return Sheet(province.name, year, rows, merges, areas)


def province_rows(
    p: int, year: int, *, three_rows: bool | None = None, revision: int = 0
) -> tuple[list[list[object]], list[str]]:
    """The rows and merges of :func:`province_sheet`, for :func:`write_xlsx`."""
    s = province_sheet(p, year, three_rows=three_rows, revision=revision)
    return s.rows, s.merges


def sheet_name(year: int) -> str:
    return f"Năm {year}"


def workbook_path(out: Path, p: int, year: int) -> Path:
    return out / f"tinh_{p:02d}" / f"bao_cao_{year}.xlsx"


def write_sheet(out: Path, p: int, sheet: Sheet) -> Path:
    """Write one province-year under ``out`` (unless the same bytes are there); set its file."""
    path = workbook_path(out, p, sheet.year)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = xlsx_bytes(sheet.name, sheet.rows, sheet.merges)
    if not path.exists() or path.read_bytes() != data:
        path.write_bytes(data)
    sheet.file = path.relative_to(out).as_posix()
    return path


# ---- the whole workload -------------------------------------------------------
@dataclass
class Written:
    """The workload: its files and, per workbook, what was written in it."""

    provinces: list[int] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    sheets: list[Sheet] = field(default_factory=list)

    @property
    def cells(self) -> int:
        """Non-empty cells written (titles, headers, names, numbers, notes)."""
        return sum(s.cells for s in self.sheets)

    @property
    def numbers(self) -> int:
        """Number cells written in the area rows."""
        return sum(len(a.values) for s in self.sheets for a in s.areas)

    def rows(self, level: str | None = None) -> int:
        """Area rows written (of one level)."""
        return sum(1 for s in self.sheets for a in s.areas if level in (None, a.level))

    def units(self, level: str) -> int:
        """Distinct units of a level written (a commune in ten workbooks counts once)."""
        return len({a.code for s in self.sheets for a in s.areas if a.level == level})

    def repeated_names(self, scope: str) -> dict[tuple[str, str], int]:
        """Commune names borne by more than one commune, ``scope`` "nation", "province" or
        "district": (the province or district, or "" for the nation; name) → communes."""
        seen: Counter[tuple[str, str]] = Counter()
        for p in self.provinces:
            province = provinces()[p - 1]
            for district in province.children:
                where = {"nation": "", "province": province.name}.get(
                    scope, f"{district.name} ({province.name})"
                )
                for commune in district.children:
                    seen[(where, commune.name)] += 1
        return {k: n for k, n in seen.items() if n > 1}

    @property
    def mb(self) -> float:
        return sum(f.stat().st_size for f in self.files) / 1e6


def _selection(chosen: int | Sequence[int]) -> list[int]:
    if isinstance(chosen, int):
        return list(range(1, chosen + 1))
    return list(chosen)


def generate(out: Path, provinces: int | Sequence[int] = 63, years: int = 10) -> Written:
    """Write the workload under ``out`` and return what was written.

    ``provinces``: how many (the first, by code), or which (numbered from 1, as
    in :func:`province_sheet`). A file already there with the same bytes is left
    as it is; one that differs (a changed copy left by an interrupted run) is
    rewritten.
    """
    out.mkdir(parents=True, exist_ok=True)
    written = Written(provinces=_selection(provinces))
    for p in written.provinces:
        for y in range(FIRST_YEAR, FIRST_YEAR + years):
            sheet = province_sheet(p, y)
            written.files.append(write_sheet(out, p, sheet))
            written.sheets.append(sheet)
    return written


def expected_table(sheets: Iterable[Sheet]):  # -> pandas.DataFrame
    """The tidy rows a complete reader gives: one per area row written and indicator.

    Columns ``year``, ``province``, ``district``, ``area``, ``area_code``,
    ``level``, ``indicator``, ``achieved``, ``total`` (Int64), ``reported_rate``
    (Float64, a fraction: 94,75 → 0.9475; NA where the layout has no rate
    column) and ``source`` (the achieved cell, ``file!sheet!D12``).
    """
    import numpy as np
    import pandas as pd

    meta: dict[str, list[object]] = {
        k: [] for k in ("year", "province", "district", "area", "area_code", "level")
    }
    cells: list[tuple[str, int]] = []  # "file!sheet!" and row, for the sources
    values = []
    for s in sheets:
        for a in s.areas:
            meta["year"].append(s.year)
            meta["province"].append(s.province)
            meta["district"].append(a.district if a.level != "province" else None)
            meta["area"].append(a.name)
            meta["area_code"].append(a.code)
            meta["level"].append(a.level)
            cells.append((f"{s.file}!{s.name}!", a.row))
            values.append(a.values)
    grid = np.array(values, dtype=float).reshape(len(values), len(COLUMNS))
    parts = []
    for indicator, (a, t, r) in INDICATORS.items():
        part = pd.DataFrame(meta)
        part["indicator"] = indicator
        part["achieved"] = pd.array(grid[:, a].astype(np.int64), dtype="Int64")
        part["total"] = pd.array(grid[:, t].astype(np.int64), dtype="Int64")
        rate = [None] * len(grid) if r is None else np.round(grid[:, r] / 100, 12)
        part["reported_rate"] = pd.array(rate, dtype="Float64")
        letter = _col(3 + a)
        part["source"] = [f"{table}{letter}{row}" for table, row in cells]
        parts.append(part)
    df = pd.concat(parts, ignore_index=True)
    for c in ("province", "district", "area", "area_code", "level", "indicator", "source"):
        df[c] = df[c].astype("string")
    df["year"] = df["year"].astype("int64")
    return df


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--provinces", type=int, default=63)
    ap.add_argument("--years", type=int, default=10)
    a = ap.parse_args()
    w = generate(a.out, a.provinces, a.years)
    print(
        f"{len(w.files)} workbooks in {a.out}: {w.units('commune'):,} communes "
        f"({w.rows('commune'):,} commune rows), {w.numbers:,} numbers, {w.mb:.0f} MB"
    )
