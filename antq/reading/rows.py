"""Stage 4: tidy rows with provenance, from a sheet whose layout is known.

Every number read keeps the address of its cell. The tidy table's
``source`` is the achieved cell; the total and rate cells are kept in the
detail columns ``total_source`` and ``rate_source`` (``load(detail=True)``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from operator import itemgetter

from openpyxl.utils import get_column_letter

from antq.errors import CellValueError
from antq.findings import Finding, Word, finding
from antq.numbers import is_blank, looks_numeric, parse_count, parse_fraction, parse_rate
from antq.reading.cells import Sheet
from antq.reading.layout import Column, Layout, total_label_kind
from antq.reading.places import place_rows
from antq.vocab import LEVELS, AreaMatch, indicators, resolve_area

__all__ = ["DETAIL_COLUMNS", "ROW_COLUMNS", "SheetRows", "rows_from_layout"]

#: Columns kept beside the tidy ones when ``detail=True``: where each number came from.
DETAIL_COLUMNS: tuple[str, ...] = ("total_source", "rate_source", "table", "row", "is_total")

_EXPECTED = {
    "achieved": "a whole number (or achieved/total such as 2.863/3.462)",
    "total": "a whole number",
    "rate": "a rate such as 94,75 or 94,75%",
}


#: The columns :func:`rows_from_layout` fills, one list each (built column-wise: at
#: national scale a dict per record costs more than reading the cells).
ROW_COLUMNS: tuple[str, ...] = (
    "year",
    "province",
    "district",
    "area",
    "area_code",
    "level",
    "indicator",
    "achieved",
    "total",
    "reported_rate",
    "a_col",
    "t_col",
    "r_col",
    "table",
    "row",
    "is_total",
)


@dataclass
class SheetRows:
    """What one sheet gave: tidy values as columns of lists, and findings.

    ``a_col``, ``t_col`` and ``r_col`` are the column letters of the achieved,
    total and rate cells of each row (None where there is none); with
    ``table`` ("file!sheet") and ``row`` they give each number's cell.
    """

    columns: dict[str, list[object]] = field(default_factory=lambda: {c: [] for c in ROW_COLUMNS})
    findings: list[Finding] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.columns["year"])


@dataclass(frozen=True)
class _Group:
    indicator: str
    year: int | None
    achieved: Column | None
    total: Column | None
    rate: Column | None


def _groups(layout: Layout) -> list[_Group]:
    by_key: dict[tuple[str, int | None], dict[str, Column]] = {}
    shared: dict[tuple[str | None, int | None], Column] = {}
    for col in layout.columns:
        if col.indicator is None:
            shared.setdefault((col.unit, col.year), col)
            continue
        roles = by_key.setdefault((col.indicator, col.year), {})
        roles.setdefault(col.role, col)
    groups = []
    for (ind, year), roles in by_key.items():
        unit = indicators()[ind].unit
        total = roles.get("total") or shared.get((unit, year)) or shared.get((unit, None))
        groups.append(_Group(ind, year, roles.get("achieved"), total, roles.get("rate")))
    return groups


def _duplicate_columns(layout: Layout) -> list[Finding]:
    """Two columns read as the same indicator and role: the second is not read."""
    seen: dict[tuple[object, ...], Column] = {}
    out = []
    for col in layout.columns:
        key = (col.indicator, col.unit, col.year, col.role)
        if key in seen:
            first = seen[key]
            out.append(
                finding(
                    "read.duplicate_column",
                    layout.sheet.source(layout.header_top, col.col),
                    expected="one column per indicator and role",
                    found=col.header,
                    header=col.header,
                    first=first.header,
                )
            )
        else:
            seen[key] = col
    return out


def rows_from_layout(
    layout: Layout, *, errors: str = "raise", year: int | None = None, within: str | None = None
) -> SheetRows:
    """Tidy records of one sheet.

    Parameters
    ----------
    layout
        The sheet's layout from :func:`antq.reading.layout.find_layout`.
    errors
        ``"raise"``: a number cell holding text raises :class:`CellValueError`;
        ``"coerce"``: the value is NA and a finding names the cell.
    year
        Overrides the year found in the sheet (not years stated per column).
    within
        The area the sheet's rows belong to, where the sheet does not say.

    Examples
    --------
    >>> from antq.reading.cells import Sheet
    >>> from antq.reading.layout import find_layout
    >>> s = Sheet.from_values("f.xlsx", "2020", {(1, 1): "Đơn vị", (1, 2): "Gia đình văn hóa",
    ...     (2, 1): "Hải Hậu", (2, 2): "1.234"})
    >>> rows_from_layout(find_layout(s)).columns["achieved"]
    [1234]
    """
    sheet = layout.sheet
    out = SheetRows(findings=_duplicate_columns(layout))
    groups = _groups(layout)
    mapped = sorted({c.col for c in layout.columns} | {c for c, _ in layout.unrecognised})
    body: list[tuple[int, str, str | None, bool]] = []  # row, area, level, is_total
    unknown: list[tuple[int, str, AreaMatch]] = []
    area_i = layout.area_col - 1
    for r in range(layout.body_start, sheet.n_rows + 1):
        cells = sheet.rows[r - 1]
        label = cells[area_i] if area_i < len(cells) else None
        if type(label) is str and not is_blank(label):
            if total_label_kind(label):
                body.append((r, label, None, True))
                continue
            match = resolve_area(label)
            if match.level is None and not _has_number(cells, mapped):
                continue  # notes, signatures, sub-headings without numbers
            if not match.known:
                unknown.append((r, label, match))
            # The name as written: which unit it is depends on the year (places.py).
            body.append((r, match.written or match.name, match.level, False))
        elif label is not None and not is_blank(label):
            body.append((r, str(label), None, False))  # a number or date as a name: kept
        elif _has_number(cells, mapped):
            col = get_column_letter(layout.area_col)
            out.findings.append(
                finding(
                    "read.no_area",
                    sheet.source(r, layout.area_col),
                    expected="an area name",
                    found="",
                    row=r,
                    col=col,
                )
            )
    del unknown  # unknown names are reported once they are placed, with the year
    if not body:
        return out
    known_levels = [LEVELS.index(lv) for _, _, lv, tot in body if lv and not tot]
    top_level = min(known_levels) if known_levels else LEVELS.index("district")
    total_level = LEVELS[max(top_level - 1, 0)]
    enclosing = layout.enclosing
    if enclosing is not None and enclosing.level and LEVELS.index(enclosing.level) < top_level:
        # A province's table of communes (no districts since 2025): its total is the province.
        total_level = enclosing.level
    child_default = LEVELS[top_level]
    sheet_year = year if year is not None else layout.year
    table = f"{sheet.file}!{sheet.name}"
    cols = out.columns
    plan = [
        (
            g,
            g.year if g.year is not None else sheet_year,
            _letter(g.achieved),
            _letter(g.total),
            _letter(g.rate),
        )
        for g in groups
    ]
    rows = [r for r, *_ in body]
    names, levels, totals = [], [], []
    for _r, name, level, is_total in body:
        if is_total:
            name, level = _total_area(layout, name, total_level), total_level
        elif level is None:
            level = child_default
        names.append(name)
        levels.append(level)
        totals.append(is_total)
    area_cells = [sheet.source(r, layout.area_col) for r in rows]
    placed = place_rows(
        names,
        levels,
        totals,
        enclosing=enclosing,
        # Names resolve for the latest year the table reports (years as column groups).
        year=max((y for _g, y, *_ in plan if y is not None), default=sheet_year),
        within=within,
        sources=area_cells,
    )
    names, levels = placed.names, placed.levels
    out.findings.extend(placed.findings)
    n = len(rows)
    width = max((c.col for c in layout.columns), default=0)
    body_cells = []
    for r in rows:
        cells = sheet.rows[r - 1]
        body_cells.append(cells if len(cells) >= width else cells + [None] * (width - len(cells)))
    for g, g_year, a_col, t_col, r_col in plan:
        # Column by column: one pass over a column's cells, numbers on a fast path.
        achieved = _column(sheet, rows, body_cells, g.achieved, "achieved", errors, out.findings)
        total = _column(sheet, rows, body_cells, g.total, "total", errors, out.findings)
        rate = _column(sheet, rows, body_cells, g.rate, "rate", errors, out.findings)
        t_cols = [t_col] * n
        for i, v in enumerate(achieved):
            if type(v) is tuple:
                achieved[i], total[i], t_cols[i] = _fraction(
                    sheet, rows[i], g, v, total[i], t_col, a_col, out.findings
                )
        cols["year"].extend([g_year] * n)
        cols["province"].extend(placed.provinces)
        cols["district"].extend(placed.districts)
        cols["area"].extend(names)
        cols["area_code"].extend(placed.codes)
        cols["level"].extend(levels)
        cols["indicator"].extend([g.indicator] * n)
        cols["achieved"].extend(achieved)
        cols["total"].extend(total)
        cols["reported_rate"].extend(rate)
        cols["a_col"].extend([a_col or r_col or t_col] * n)
        cols["t_col"].extend(t_cols)
        cols["r_col"].extend([r_col] * n)
        cols["table"].extend([table] * n)
        cols["row"].extend(rows)
        cols["is_total"].extend(totals)
    for c, header in layout.unrecognised:
        numbers = [r for r, *_ in body if looks_numeric(sheet.get(r, c))]
        if numbers:
            out.findings.append(
                finding(
                    "read.unrecognised_column",
                    sheet.source(numbers[0], c),
                    expected="a header naming an indicator (antq/data/header_terms.csv)",
                    found=header or "(no header)",
                    header=header or "(no header)",
                    n=len(numbers),
                )
            )
    return out


def _total_area(layout: Layout, label: str, level: str) -> str:
    kind = total_label_kind(label)
    enclosing = layout.enclosing
    if enclosing is not None and enclosing.level == level:
        return enclosing.name
    if kind in ("province", "district") and kind != level:
        level = kind
    return "Toàn tỉnh" if level == "province" else "Toàn huyện"


#: Past this many unknown names in one sheet, one finding lists them instead of one each.
UNKNOWN_AREAS_PER_SHEET: int = 20


def _unknown_areas(
    sheet: Sheet, layout: Layout, unknown: list[tuple[int, str, AreaMatch]]
) -> list[Finding]:
    """Findings for area names not in the reference table: kept as written, and reported.

    A sheet of a province the reference table does not cover would give one
    finding per row; past :data:`UNKNOWN_AREAS_PER_SHEET` they are reported
    together, naming the first cell and the count.
    """
    if len(unknown) <= UNKNOWN_AREAS_PER_SHEET:
        return [
            finding(
                "area.unknown",
                sheet.source(r, layout.area_col),
                expected="a known area name (antq/data/areas.csv)",
                found=label,
                name=match.name,
            )
            for r, label, match in unknown
        ]
    r0, label0, _ = unknown[0]
    names = ", ".join(m.name for _, _, m in unknown[:5])
    return [
        finding(
            "area.unknown_many",
            sheet.source(r0, layout.area_col),
            expected="known area names (antq/data/areas.csv)",
            found=label0,
            n=len(unknown),
            names=names,
        )
    ]


def _has_number(cells: list[object], mapped: list[int]) -> bool:
    return any(c <= len(cells) and looks_numeric(cells[c - 1]) for c in mapped)


_NUMBER_TYPES = frozenset({int, float})


def _column(
    sheet: Sheet,
    rows: list[int],
    body_cells: list[list[object]],
    col: Column | None,
    role: str,
    errors: str,
    findings: list[Finding],
) -> list[object]:
    """Parsed values of one column over the body rows (``body_cells``: those rows, padded)."""
    if col is None:
        return [None] * len(rows)
    c = col.col
    raw = list(map(itemgetter(c - 1), body_cells))
    fraction = role == "rate" and _holds_fractions(raw)
    if not sheet.uncached and set(map(type, raw)) <= _NUMBER_TYPES:
        # The common case, a whole column of numbers, at C speed.
        if role == "rate":
            # Rounded to 12 places later, in one step: 94.75 / 100 is 0.9475000000000001.
            return [float(v) for v in raw] if fraction else [v / 100 for v in raw]
        floats = [v for v in raw if v.__class__ is float]
        if all(map(float.is_integer, floats)):
            return list(map(int, raw))
    return [
        _value(sheet, r, col, v, role, errors, findings, fraction)
        for r, v in zip(rows, raw, strict=True)
    ]


def _holds_fractions(raw: list[object]) -> bool:
    """Whether a rate column holds fractions (0.9475) rather than percentages (94.75).

    python-calamine gives no number formats, so a column whose numbers are all
    at most 1 is read as fractions shown with a percent format: a column of
    rates all under 1% is not a report anyone sends.
    """
    nums = [v for v in raw if v.__class__ is float or v.__class__ is int]
    return bool(nums) and max(map(abs, nums)) <= 1


def _letter(col: Column | None) -> str | None:
    return get_column_letter(col.col) if col is not None else None


def _value(
    sheet: Sheet,
    r: int,
    col: Column,
    v: object,
    role: str,
    errors: str,
    findings: list[Finding],
    fraction: bool = False,
) -> object:
    """The parsed value ``v`` of the cell at row ``r`` of ``col``, applying the errors policy."""
    c = col.col
    if sheet.uncached and (r, c) in sheet.uncached:
        return _bad(sheet, r, col, role, errors, findings, uncached=True)
    if v is None:
        return None
    t = type(v)
    if role == "rate":
        if t is int or t is float:
            return float(v) if fraction else v / 100
    elif t is int or (t is float and v.is_integer()):
        return int(v)
    if role == "achieved":
        frac = parse_fraction(v)
        if frac is not None:
            return frac
    try:
        if role == "rate":
            return parse_rate(v, None, fraction=fraction)
        return parse_count(v)
    except ValueError:
        return _bad(sheet, r, col, role, errors, findings)


def _bad(
    sheet: Sheet,
    r: int,
    col: Column,
    role: str,
    errors: str,
    findings: list[Finding],
    *,
    uncached: bool = False,
) -> None:
    """A cell that should hold a number and does not: raise, or NA and a finding."""
    source = sheet.source(r, col.col)
    found = "a formula with no saved value" if uncached else sheet.get(r, col.col)
    expected = f"{_EXPECTED[role]} (column '{col.header}')"
    if uncached:
        expected += "; open the file in Excel and save it so the formula's value is stored"
    if errors == "raise":
        raise CellValueError(source, found, expected)
    rule = "read.uncached_formula" if uncached else "read.not_a_number"
    findings.append(
        finding(
            rule,
            source,
            expected=Word(f"expect.{role}"),
            found=str(found),
        )
    )
    return None


def _fraction(
    sheet: Sheet,
    r: int,
    g: _Group,
    frac: tuple[int, int],
    total: object,
    t_col: str | None,
    a_col: str | None,
    findings: list[Finding],
) -> tuple[int, object, str | None]:
    """Achieved, total and the total's column for a cell "2.863/3.462"."""
    achieved, frac_total = frac
    if total is None:
        return achieved, frac_total, a_col
    if total != frac_total:
        findings.append(
            finding(
                "read.fraction_total",
                sheet.source(r, g.achieved.col),  # type: ignore[union-attr]
                expected=str(total),
                found=str(frac_total),
                frac=frac_total,
                total=total,
            )
        )
    return achieved, total, t_col
