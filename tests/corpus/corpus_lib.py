"""Building blocks of the corpus: cells written together with their ground truth.

Every number a workbook of the corpus holds is written through :class:`Grid`,
which records at the same time what a reader must make of it: the key and
value it must be read to (``kind=value``) or the reason it must be skipped
(``kind=skip``). The figures come from :class:`World`, one deterministic set
of numbers per unit and year in which every total is the sum of its parts.

Nothing here knows about antq: the truth is written from what the generator
put in each cell, never from what a reader makes of it.
"""

from __future__ import annotations

import csv
import io
import random
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable
from copy import copy
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cache
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.merge import MergedCellRange

HERE = Path(__file__).resolve().parent

# ---- vocabulary -----------------------------------------------------------------

#: Columns of ``expected.csv``.
TRUTH_COLUMNS: tuple[str, ...] = (
    "file",
    "sheet",
    "cell",
    "kind",
    "year",
    "province",
    "district",
    "area",
    "level",
    "indicator",
    "role",
    "value",
    "reason",
    "note",
)
LEVELS: tuple[str, ...] = ("province", "district", "commune")
#: ``fraction`` is one cell "2.863/3.462": the achieved count and the total at once.
ROLES: tuple[str, ...] = ("achieved", "total", "rate", "fraction")

#: Why a number must not be read as data: reason → (tier, meaning).
#: Tiers: ``quiet`` (a label, not data: skipping it needs no report), ``report`` (skipped,
#: and a finding or the cell accounting must say so), ``error`` (a finding of severity
#: error must name the cell itself), ``sheet`` (a finding naming the sheet suffices),
#: ``file`` (the whole file must be refused with an antq error).
REASONS: dict[str, tuple[str, str]] = {
    "row_number": ("quiet", "an STT / TT row number (1, 2, '1.1')"),
    "column_number": ("quiet", "the row of column numbers under a header: (1) (2) … or 1 2 3"),
    "year_label": ("quiet", "a year standing as a label: the 'Năm' column, a header '2019'"),
    "notes": ("report", "a number in a 'Ghi chú' (notes) column"),
    "difference": (
        "report",
        "a comparison: 'Tăng (+), giảm (−)', 'So với cùng kỳ', '+/-', 'So sánh 2020/2019 (%)'",
    ),
    "sub_row": ("report", "a part of the row above ('- Trong đó: thị trấn', '+ KDC mới')"),
    "below_table_levels": (
        "report",
        "a hamlet (thôn, xóm, tổ dân phố) in a commune's report: below the table's levels",
    ),
    "unrecognised_column": ("report", "a column whose header names none of the nine indicators"),
    "outside_table": ("report", "a number outside any indicator table"),
    "hidden_sheet": ("sheet", "a number on a hidden (scratch) sheet"),
    "error": ("error", "hostile or ambiguous: must be an error naming the cell"),
    "refused": ("file", "the whole file must be refused with an antq error"),
}

P_ND = "Tỉnh Nam Định"
P_NB = "Tỉnh Ninh Bình"
TP_ND = "Thành phố Nam Định"
MY_LOC = "Huyện Mỹ Lộc"
#: Mỹ Lộc's communes, merged into Thành phố Nam Định on 1 September 2024 (listed there on
#: 30/6/2025); before that the city counts only its wards.
MY_LOC_COMMUNES: tuple[str, ...] = (
    "Xã Mỹ Hà",
    "Xã Mỹ Thắng",
    "Xã Mỹ Trung",
    "Xã Mỹ Tân",
    "Xã Mỹ Phúc",
    "Xã Mỹ Thuận",
    "Xã Mỹ Lộc",
)
#: The districts of Nam Định in the order the province's reports list them.
DISTRICTS: tuple[str, ...] = (
    TP_ND,
    MY_LOC,
    "Huyện Vụ Bản",
    "Huyện Ý Yên",
    "Huyện Nghĩa Hưng",
    "Huyện Nam Trực",
    "Huyện Trực Ninh",
    "Huyện Xuân Trường",
    "Huyện Giao Thủy",
    "Huyện Hải Hậu",
)

#: The indicator each achieved metric counts, and its denominator.
INDICATOR: dict[str, str] = {
    "cult_ra": "cultural_residential_area",
    "families": "cultural_family",
    "convention": "residential_area_with_convention",
    "five_no": "five_no_residential_area",
    "safe_ra": "safe_residential_area",
    "commune": "safe_commune",
    "agency": "safe_agency",
    "enterprise": "safe_enterprise",
    "school": "safe_school",
}
DENOMINATOR: dict[str, str] = {
    "cult_ra": "ra_total",
    "families": "households",
    "convention": "ra_total",
    "five_no": "ra_total",
    "safe_ra": "ra_total",
    "commune": "commune_total",
    "agency": "agency_total",
    "enterprise": "enterprise_total",
    "school": "school_total",
}
#: The indicator whose own total a total metric is ("ra_total" is shared: see ``shared``).
TOTAL_OF: dict[str, str] = {
    "households": "cultural_family",
    "commune_total": "safe_commune",
    "agency_total": "safe_agency",
    "enterprise_total": "safe_enterprise",
    "school_total": "safe_school",
}
#: Residential-area indicators: a shared "Tổng số KDC" is their denominator.
RA_INDICATORS: tuple[str, ...] = (
    "cultural_residential_area",
    "residential_area_with_convention",
    "five_no_residential_area",
    "safe_residential_area",
)
METRICS: tuple[str, ...] = (
    "ra_total",
    "ra_new",
    "cult_ra",
    "convention",
    "five_no",
    "safe_ra",
    "households",
    "families",
    "commune_total",
    "commune",
    "agency_total",
    "agency",
    "enterprise_total",
    "enterprise",
    "school_total",
    "school",
    "models",
)
Figs = dict[str, int]


# ---- keys and truth -------------------------------------------------------------


@dataclass(frozen=True)
class Key:
    """Where a number belongs: the unit (and the units enclosing it) and the year.

    ``province`` and ``district`` are the path to the unit: a district row has its own
    name as ``district``, a province row has none; from 1 July 2025 no row has one.
    """

    year: int
    province: str
    district: str | None
    area: str
    level: str

    def at(self, year: int) -> Key:
        """The same unit in another year."""
        return replace(self, year=year)


@dataclass
class Truth:
    """One row of ``expected.csv``."""

    file: str
    sheet: str
    cell: str
    kind: str
    key: Key | None = None
    indicator: str = ""
    role: str = ""
    value: str = ""
    reason: str = ""
    note: str = ""

    def row(self) -> dict[str, str]:
        """The row as ``expected.csv`` writes it."""
        k = self.key
        return {
            "file": self.file,
            "sheet": self.sheet,
            "cell": self.cell,
            "kind": self.kind,
            "year": str(k.year) if k else "",
            "province": k.province if k else "",
            "district": (k.district or "") if k else "",
            "area": k.area if k else "",
            "level": k.level if k else "",
            "indicator": self.indicator,
            "role": self.role,
            "value": self.value,
            "reason": self.reason,
            "note": self.note,
        }


def truth_value(role: str, value: object) -> str:
    """A value as ``expected.csv`` writes it: counts as integers, rates as fractions.

    Examples
    --------
    >>> truth_value("achieved", 2863), truth_value("rate", 0.9475), truth_value(
    ...     "fraction", (2863, 3462))
    ('2863', '0.9475', '2863/3462')
    """
    if role == "fraction":
        a, t = value  # type: ignore[misc]
        return f"{a}/{t}"
    if role == "rate":
        return repr(round(float(value), 10))  # type: ignore[arg-type]
    return str(int(value))  # type: ignore[call-overload]


# ---- how numbers are written ----------------------------------------------------


def group(n: int, sep: str) -> str:
    """``n`` with thousands separators.

    Examples
    --------
    >>> group(507361, "."), group(63628, ","), group(-1234, ".")
    ('507.361', '63,628', '-1.234')
    """
    return f"{n:,}".replace(",", sep)


def count_cell(n: int, style: str) -> tuple[object, str | None]:
    """What a clerk typed for a count, and the cell's number format.

    Styles: ``int`` (a number shown "#,##0"), ``float`` (3462.0), ``vi`` (text
    "3.462"), ``en`` (text "3,462"), ``text`` (text "3462").
    """
    if style == "int":
        return n, "#,##0"
    if style == "float":
        return float(n), "#,##0"
    if style == "vi":
        return group(n, "."), None
    if style == "en":
        return group(n, ","), None
    if style == "text":
        return str(n), None
    raise ValueError(style)


def pct(a: int, t: int) -> float:
    """The rate in percent, two decimals, as reports write it."""
    return round(a / t * 100, 2)


def rate_cell(a: int, t: int, style: str) -> tuple[object, float, str | None]:
    """(what is written, the rate as a fraction, number format) for ``a`` of ``t``.

    Styles: ``pct`` (94.75), ``frac`` (0.9475 shown "0.00%"), ``vi`` (text
    "94,75%"), ``vi_bare`` (text "94,75"), ``en`` (text "94.75%").
    """
    p = pct(a, t)
    truth = round(p / 100, 6)
    if style == "pct":
        return p, truth, "0.00"
    if style == "frac":
        f = round(a / t, 4)
        return f, f, "0.00%"
    if style == "vi":
        return f"{p:.2f}".replace(".", ",") + "%", truth, None
    if style == "vi_bare":
        return f"{p:.2f}".replace(".", ","), truth, None
    if style == "en":
        return f"{p:.2f}%", truth, None
    raise ValueError(style)


def signed(n: int, style: str = "int") -> object:
    """A difference as written: a number, or text with its sign ("+12", "−3")."""
    if style == "int":
        return n
    if n > 0:
        return f"+{group(n, '.')}"
    if n < 0:
        return f"−{group(-n, '.')}"  # a real minus sign, as Word and Excel autocorrect type it
    return "0"


# ---- legacy encodings -----------------------------------------------------------


@cache
def _legacy_table(name: str) -> dict[str, str]:
    with (HERE / name).open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh))[1:]
    return dict(rows)


def tcvn3(text: str) -> str:
    """``text`` as typed with a TCVN3 (ABC) font such as .VnTime.

    TCVN3 has no capitals with tone marks: the ".VnTimeH" fonts show the
    lower-case codes as capitals, so capitals are stored with them.

    Examples
    --------
    >>> tcvn3("Khu dân cư văn hóa")
    'Khu d©n c\\xad v¨n hãa'
    """
    table = _legacy_table("legacy_tcvn3.csv")
    nfc = unicodedata.normalize("NFC", text)
    return "".join(table.get(ch, table.get(ch.lower(), ch)) for ch in nfc)


def vni(text: str) -> str:
    """``text`` as typed with a VNI font such as VNI-Times (a letter, then its marks).

    Examples
    --------
    >>> vni("Tổng số")
    'Toång soá'
    """
    table = _legacy_table("legacy_vni.csv")
    nfc = unicodedata.normalize("NFC", text)
    return "".join(table.get(ch, ch) for ch in nfc)


def no_marks(text: str) -> str:
    """``text`` typed without diacritics ("Khu dan cu van hoa").

    Examples
    --------
    >>> no_marks("Đơn vị Hải Hậu")
    'Don vi Hai Hau'
    """
    text = text.replace("Đ", "D").replace("đ", "d")
    nfd = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in nfd if not unicodedata.combining(ch))


#: Marks that make a letter of its own in Vietnamese: circumflex, breve, horn.
_SHAPE_MARKS = frozenset("\u0302\u0306\u031b")


def cp1258(text: str) -> bytes:
    """``text`` in Windows-1258, as Excel saves "CSV (Comma delimited)" on a Vietnamese Windows.

    Windows-1258 has â, ê, ô, ơ, ư, ă, đ as letters but most tone marks only as
    combining characters, so text is decomposed and recomposed to what it can hold.

    Examples
    --------
    >>> cp1258("Hải Hậu").decode("cp1258") == unicodedata.normalize("NFD", "Hải Hậu")
    False
    >>> unicodedata.normalize("NFC", cp1258("Hải Hậu").decode("cp1258"))
    'Hải Hậu'
    """
    out: list[str] = []
    for ch in unicodedata.normalize("NFC", text):
        try:
            ch.encode("cp1258")
            out.append(ch)
            continue
        except UnicodeEncodeError:
            pass
        base, *marks = unicodedata.normalize("NFD", ch)
        # The letter keeps its shape marks (â ă ơ …); tone marks follow it as combining marks.
        shape = "".join(m for m in marks if m in _SHAPE_MARKS)
        tones = "".join(m for m in marks if m not in _SHAPE_MARKS)
        out.append(unicodedata.normalize("NFC", base + shape) + tones)
    return "".join(out).encode("cp1258")


# ---- the world: units and their figures ----------------------------------------


@dataclass(frozen=True)
class Unit:
    """A commune-level unit of the reference list."""

    province: str
    district: str | None
    name: str
    code: str


class World:
    """Units of Nam Định (before 1 July 2025) and Ninh Bình (after), and their figures.

    A commune's figures are drawn once from a seed of its name, drift a little
    each year, and every higher unit's figures are the sum of its communes':
    the same district in two workbooks of the same year has the same numbers.
    Hamlet-level reports draw each hamlet, and their commune is their sum.
    """

    def __init__(self) -> None:
        self.units: list[Unit] = []
        with (HERE / "units.csv").open(encoding="utf-8") as fh:
            for r in csv.DictReader(fh):
                self.units.append(
                    Unit(r["province"], r["district"] or None, r["commune"], r["code"])
                )
        self._by_district: dict[str | None, list[str]] = {}
        for u in self.units:
            self._by_district.setdefault(u.district, []).append(u.name)
        self.hamlets: dict[tuple[str | None, str], list[str]] = {}
        self._figs: dict[tuple[int, str, str | None, str], Figs] = {}

    # -- which units exist --
    def districts(self, year: int) -> list[str]:
        """Nam Định's districts at the end of ``year`` (Mỹ Lộc until 1 September 2024)."""
        if year >= 2025:
            raise ValueError("no districts from 1 July 2025")
        return [d for d in DISTRICTS if year < 2024 or d != MY_LOC]

    def communes(self, district: str, year: int) -> list[str]:
        """The communes of a Nam Định district at the end of ``year``.

        Names are those of 30/6/2025; before 2024 the city counts only its wards and
        Mỹ Lộc its own communes. (Before the 2024 mergers some districts had more
        communes than the names listed here: the lists are shorter, not wrong.)
        """
        if district == MY_LOC:
            if year >= 2024:
                raise ValueError("Mỹ Lộc was merged into Thành phố Nam Định on 1/9/2024")
            return list(MY_LOC_COMMUNES)
        names = list(self._by_district.get(district, ()))
        if district == TP_ND and year < 2024:
            names = [n for n in names if n not in MY_LOC_COMMUNES]
        if not names:
            raise KeyError(district)
        return names

    def new_communes(self) -> list[str]:
        """The communes of Tỉnh Ninh Bình from 1 July 2025, in the catalogue's order."""
        return list(self._by_district[None])

    # -- keys --
    def key(self, year: int, area: str, district: str | None = None) -> Key:
        """The key of a unit: the province, a district, or a commune (with its district)."""
        province = P_NB if year >= 2025 else P_ND
        if area in (P_ND, P_NB):
            return Key(year, area, None, area, "province")
        if year < 2025 and area in DISTRICTS:
            return Key(year, province, area, area, "district")
        if year >= 2025:
            if area not in self.new_communes():
                raise KeyError(area)
            return Key(year, province, None, area, "commune")
        if district is None or area not in self.communes(district, year):
            raise KeyError((area, district))
        return Key(year, province, district, area, "commune")

    # -- figures --
    def figs(self, key: Key) -> Figs:
        """The figures of a unit in its key's year."""
        ck = (key.year, key.province, key.district, key.area)
        if ck not in self._figs:
            self._figs[ck] = self._compute(key)
        return self._figs[ck]

    def children(self, key: Key) -> list[Key]:
        """The keys of the units a unit's figures are the sum of."""
        y = key.year
        if key.level == "province":
            if y >= 2025:
                return [self.key(y, n) for n in self.new_communes()]
            return [self.key(y, d) for d in self.districts(y)]
        if key.level == "district":
            return [self.key(y, c, key.area) for c in self.communes(key.area, y)]
        return []

    def code(self, key: Key) -> str:
        """The catalogue code of a commune (Mỹ Lộc's communes are listed under the city)."""
        for u in self.units:
            if u.province == key.province and u.name == key.area:
                if u.district == key.district or (key.district == MY_LOC and u.district == TP_ND):
                    return u.code
        return f"{key.province}|{key.district}|{key.area}"

    def _compute(self, key: Key) -> Figs:
        kids = self.children(key)
        if kids:
            return add(self.figs(k) for k in kids)
        figs = commune_figs(self.code(key), key.year)
        hamlets = self.hamlets.get((key.district, key.area))
        if hamlets:
            sums = add(self.hamlet_figs(key, h) for h in hamlets)
            figs.update({m: sums[m] for m in HAMLET_METRICS})
        return figs

    def hamlet_figs(self, commune: Key, hamlet: str) -> Figs:
        """The figures of one hamlet (a single residential area) of a commune."""
        return hamlet_figs(f"{commune.district}|{commune.area}|{hamlet}", commune.year)


def add(parts: Iterable[Figs]) -> Figs:
    """The sum of several units' figures."""
    out = dict.fromkeys(METRICS, 0)
    for p in parts:
        for m in METRICS:
            out[m] += p.get(m, 0)
    return out


def part(figs: Figs, share: float) -> Figs:
    """A share of a unit's figures (a sub-row: '+ Khu dân cư mới'); achieved stays ≤ total."""
    return {m: round(v * share) for m, v in figs.items()}


def _rated(rng: random.Random, total: int, base: float, year: int, step: float) -> int:
    """An achieved count: a base rate that rises a little each year, never above the total."""
    rate = min(1.0, max(0.0, base + step * (year - 2018) + rng.uniform(-0.02, 0.02)))
    return min(total, round(total * rate))


def commune_figs(seed: str, year: int) -> Figs:
    """A commune's figures in ``year``, drawn from its seed (deterministic)."""
    base = random.Random(seed)
    ra = base.randint(6, 22)
    households = base.randint(1200, 5200)
    agencies = base.randint(3, 12)
    enterprises = base.randint(2, 60)
    schools = base.randint(2, 6)
    rates = {m: base.uniform(lo, hi) for m, lo, hi in _BASE_RATES}
    rng = random.Random(f"{seed}|{year}")
    hh = round(households * (1 + 0.006 * (year - 2018)))
    ent = max(1, enterprises + (year - 2018) * base.randint(0, 2))
    figs = {
        "ra_total": ra,
        "ra_new": base.randint(0, 2),
        "cult_ra": _rated(rng, ra, rates["cult_ra"], year, 0.01),
        "convention": _rated(rng, ra, rates["convention"], year, 0.005),
        "five_no": _rated(rng, ra, rates["five_no"], year, 0.02),
        "safe_ra": _rated(rng, ra, rates["safe_ra"], year, 0.008),
        "households": hh,
        "families": _rated(rng, hh, rates["families"], year, 0.004),
        "commune_total": 1,
        "commune": 1 if rng.random() < 0.95 else 0,
        "agency_total": agencies,
        "agency": _rated(rng, agencies, rates["agency"], year, 0.005),
        "enterprise_total": ent,
        "enterprise": _rated(rng, ent, rates["enterprise"], year, 0.01),
        "school_total": schools,
        "school": _rated(rng, schools, rates["school"], year, 0.004),
        "models": base.randint(0, 4),
    }
    return figs


_BASE_RATES = (
    ("cult_ra", 0.72, 0.9),
    ("convention", 0.9, 0.99),
    ("five_no", 0.3, 0.5),
    ("safe_ra", 0.85, 0.95),
    ("families", 0.84, 0.93),
    ("agency", 0.9, 0.99),
    ("enterprise", 0.82, 0.94),
    ("school", 0.7, 0.95),
)
#: What a hamlet report tells of its commune: residential areas and households.
HAMLET_METRICS: tuple[str, ...] = (
    "ra_total",
    "cult_ra",
    "convention",
    "five_no",
    "safe_ra",
    "households",
    "families",
)


def hamlet_figs(seed: str, year: int) -> Figs:
    """A hamlet: one residential area (each indicator 0 or 1) and its households."""
    base = random.Random(seed)
    rng = random.Random(f"{seed}|{year}")
    hh = round(base.randint(90, 480) * (1 + 0.006 * (year - 2018)))
    return {
        "ra_total": 1,
        "cult_ra": int(rng.random() < 0.85),
        "convention": 1,
        "five_no": int(rng.random() < 0.45),
        "safe_ra": int(rng.random() < 0.92),
        "households": hh,
        "families": _rated(rng, hh, base.uniform(0.84, 0.94), year, 0.004),
    }


# ---- sheets and workbooks -------------------------------------------------------

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
FIXED_TIME = datetime(2021, 1, 5, 8, 0, 0)


@dataclass
class Cell:
    """A written cell and how it looks."""

    value: object
    fmt: str | None = None
    bold: bool = False
    italic: bool = False
    center: bool = False
    box: bool = False


@dataclass
class Grid:
    """One sheet being written: its cells, merges, hidden rows, and the truth of its numbers."""

    book: Book
    name: str
    encode: Callable[[str], str] = lambda s: s
    font: str = "Times New Roman"
    hidden: bool = False
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    hidden_rows: set[int] = field(default_factory=set)
    hidden_cols: set[int] = field(default_factory=set)
    widths: dict[int, float] = field(default_factory=dict)

    def _put(self, r: int, c: int, cell: Cell) -> None:
        if (r, c) in self.cells:
            raise ValueError(f"{self.book.name}!{self.name}!{addr(r, c)} written twice")
        self.cells[(r, c)] = cell

    def merge(self, r1: int, c1: int, r2: int, c2: int) -> None:
        """Merge a range (nothing is written in its other cells)."""
        if (r1, c1) != (r2, c2):
            self.merges.append((r1, c1, r2, c2))

    def text(
        self,
        r: int,
        c: int,
        s: str,
        *,
        to: tuple[int, int] | None = None,
        encode: bool = True,
        **style: bool,
    ) -> None:
        """Write text (in the sheet's encoding), merged to ``to`` if given."""
        self._put(r, c, Cell(self.encode(s) if encode else s, **style))
        if to:
            self.merge(r, c, *to)

    def value(
        self,
        r: int,
        c: int,
        written: object,
        *,
        key: Key,
        indicator: str | Iterable[str],
        role: str,
        value: object,
        fmt: str | None = None,
        note: str = "",
        **style: bool,
    ) -> None:
        """Write a number that must be read to ``key`` as ``indicator``/``role`` = ``value``."""
        self._put(r, c, Cell(written, fmt=fmt, **style))
        ind = indicator if isinstance(indicator, str) else "|".join(indicator)
        self.book.truths.append(
            Truth(
                self.book.name,
                self.name,
                addr(r, c),
                "value",
                key=key,
                indicator=ind,
                role=role,
                value=truth_value(role, value),
                note=note,
            )
        )

    def skip(
        self,
        r: int,
        c: int,
        written: object,
        reason: str,
        *,
        fmt: str | None = None,
        note: str = "",
        **style: bool,
    ) -> None:
        """Write a number (or a hostile value) that must not be read as data, and why."""
        if reason not in REASONS:
            raise ValueError(reason)
        self._put(r, c, Cell(written, fmt=fmt, **style))
        self.book.truths.append(
            Truth(self.book.name, self.name, addr(r, c), "skip", reason=reason, note=note)
        )

    def sum_check(self, total: tuple[int, int], parts: list[tuple[int, int]]) -> None:
        """Record that the number at ``total`` is the sum of those at ``parts``."""
        self.book.sums.append(
            {
                "file": self.book.name,
                "sheet": self.name,
                "total": addr(*total),
                "parts": [addr(*p) for p in parts],
            }
        )

    def box(self, r1: int, c1: int, r2: int, c2: int) -> None:
        """Draw the table's grid lines over a range."""
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                cell = self.cells.get((r, c))
                if cell is None:
                    cell = self.cells[(r, c)] = Cell(None)
                cell.box = True


def addr(r: int, c: int) -> str:
    """The A1 address of a cell.

    Examples
    --------
    >>> addr(12, 4)
    'D12'
    """
    return f"{get_column_letter(c)}{r}"


@dataclass
class Book:
    """A workbook being written; ``save`` writes it and its truth stays in ``truths``."""

    name: str
    grids: list[Grid] = field(default_factory=list)
    truths: list[Truth] = field(default_factory=list)
    sums: list[dict[str, object]] = field(default_factory=list)

    def sheet(self, name: str, **kw: object) -> Grid:
        """A new sheet."""
        g = Grid(self, name, **kw)  # type: ignore[arg-type]
        self.grids.append(g)
        return g

    def refuse(self, note: str) -> None:
        """The whole file must be refused: one truth row for the file, and its cells."""
        self.truths.append(Truth(self.name, "", "", "skip", reason="refused", note=note))

    def render(self) -> bytes:
        """The workbook as .xlsx bytes, identical on every run."""
        wb = Workbook()
        wb.remove(wb.active)
        wb.properties.creator = "antq tests/corpus (synthetic)"
        wb.properties.created = FIXED_TIME
        wb.properties.modified = FIXED_TIME
        # One style per combination, copied from cell to cell: openpyxl hashes every style
        # object it is given, which would take most of the corpus's build time.
        styles: dict[tuple[object, ...], object] = {}
        for g in self.grids:
            ws = wb.create_sheet(g.name)
            for (r, c), cell in sorted(g.cells.items()):
                x = ws.cell(r, c)
                if cell.value is not None:
                    x.value = cell.value
                # A date keeps the date format openpyxl gave it with the value: a style copied
                # from a number cell would turn it into a plain number (44632) in the file.
                dated = isinstance(cell.value, datetime)
                look = (g.font, cell.bold, cell.italic, cell.center, cell.box, cell.fmt, dated)
                if look in styles:
                    x._style = copy(styles[look])  # type: ignore[attr-defined]
                    continue
                if cell.fmt:
                    x.number_format = cell.fmt
                x.font = Font(name=g.font, size=11, bold=cell.bold, italic=cell.italic)
                if cell.center:
                    x.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
                if cell.box:
                    x.border = BOX
                styles[look] = copy(x._style)  # type: ignore[attr-defined]
            for r1, c1, r2, c2 in g.merges:
                # What merge_cells does, less restyling every edge cell (slow): the grid
                # writes nothing but the top-left cell of a merged range.
                ws.merged_cells.add(MergedCellRange(ws, f"{addr(r1, c1)}:{addr(r2, c2)}"))
            for r in sorted(g.hidden_rows):
                ws.row_dimensions[r].hidden = True
            for c in sorted(g.hidden_cols):
                ws.column_dimensions[get_column_letter(c)].hidden = True
            for c, w in sorted(g.widths.items()):
                ws.column_dimensions[get_column_letter(c)].width = w
            if g.hidden:
                ws.sheet_state = "hidden"
        buf = io.BytesIO()
        wb.save(buf)
        return deterministic_zip(buf.getvalue())

    def save(self, out: Path) -> None:
        """Write the workbook into the folder ``out``."""
        (out / self.name).write_bytes(self.render())


@dataclass
class CsvBook(Book):
    """A CSV file saved from Excel: one sheet (named, as Excel names it, after the file)."""

    encoding: str = "utf-8-sig"
    sep: str = ";"
    locale: str = "vi"

    def sheet(self, name: str | None = None, **kw: object) -> Grid:
        """The one sheet of the file, named after the file."""
        if self.grids:
            raise ValueError("a CSV file holds one sheet")
        return super().sheet(self.stem, **kw)

    @property
    def stem(self) -> str:
        """The file name without its suffix: the name Excel gives the sheet of a CSV."""
        return self.name.rsplit(".", 1)[0]

    def _text(self, cell: Cell) -> str:
        v = cell.value
        if v is None:
            return ""
        if isinstance(v, bool):
            return str(v).upper()
        if isinstance(v, int):
            return group(v, "." if self.locale == "vi" else ",") if cell.fmt == "#,##0" else str(v)
        if isinstance(v, float):
            text = repr(v) if not v.is_integer() else str(int(v))
            return text.replace(".", ",") if self.locale == "vi" else text
        return str(v)

    def render(self) -> bytes:
        """The file as Excel saves it: every row as wide as the sheet, CRLF line ends."""
        (g,) = self.grids
        n_rows = max(r for r, _ in g.cells)
        n_cols = max(c for _, c in g.cells)
        buf = io.StringIO()
        w = csv.writer(buf, delimiter=self.sep, lineterminator="\r\n")
        for r in range(1, n_rows + 1):
            w.writerow([self._text(g.cells.get((r, c), Cell(None))) for c in range(1, n_cols + 1)])
        text = buf.getvalue()
        if self.encoding == "cp1258":
            return cp1258(text)
        return text.encode(self.encoding)


def deterministic_zip(data: bytes) -> bytes:
    """The same zip with fixed timestamps, so a workbook is identical on every run."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2021-01-05T08:00:00Z", body
                )
            zi = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            zi.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(zi, body)
    return out.getvalue()
