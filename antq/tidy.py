"""Stage 4: tidy rows with provenance, from a sheet whose layout is known.

Every number read keeps the address of its cell. The tidy table's
``source`` is the achieved cell; the total and rate cells are kept in the
detail columns ``total_source`` and ``rate_source`` (``load(detail=True)``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from antq.cells import Sheet
from antq.errors import CellValueError
from antq.findings import Finding, read_finding
from antq.layout import Column, Layout, total_label_kind
from antq.numbers import is_blank, looks_numeric, parse_count, parse_fraction, parse_rate
from antq.vocab import LEVELS, indicators, resolve_area

__all__ = ["DETAIL_COLUMNS", "SheetRows", "rows_from_layout"]

#: Columns kept beside the tidy ones when ``detail=True``: where each number came from.
DETAIL_COLUMNS: tuple[str, ...] = ("total_source", "rate_source", "table", "row", "is_total")

_EXPECTED_VI = {
    "achieved": "một số nguyên (hoặc đạt/tổng số như 2.863/3.462)",
    "total": "một số nguyên",
    "rate": "một tỷ lệ như 94,75 hoặc 94,75%",
}
_EXPECTED = {
    "achieved": "a whole number (or achieved/total such as 2.863/3.462)",
    "total": "a whole number",
    "rate": "a rate such as 94,75 or 94,75%",
}


@dataclass
class SheetRows:
    """What one sheet gave: tidy records (dicts) and findings."""

    records: list[dict[str, object]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


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
                read_finding(
                    "warning",
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
    layout: Layout, *, errors: str = "raise", year: int | None = None
) -> SheetRows:
    """Tidy records of one sheet.

    Parameters
    ----------
    layout
        The sheet's layout from :func:`antq.layout.find_layout`.
    errors
        ``"raise"``: a number cell holding text raises :class:`CellValueError`;
        ``"coerce"``: the value is NA and a finding names the cell.
    year
        Overrides the year found in the sheet (not years stated per column).

    Examples
    --------
    >>> from antq.cells import Sheet
    >>> from antq.layout import find_layout
    >>> s = Sheet.from_values("f.xlsx", "2020", {(1, 1): "Đơn vị", (1, 2): "Gia đình văn hóa",
    ...     (2, 1): "Hải Hậu", (2, 2): "1.234"})
    >>> rows_from_layout(find_layout(s)).records[0]["achieved"]
    1234
    """
    sheet = layout.sheet
    out = SheetRows(findings=_duplicate_columns(layout))
    groups = _groups(layout)
    mapped = sorted({c.col for c in layout.columns} | {c for c, _ in layout.unrecognised})
    body: list[tuple[int, str, str | None, bool]] = []  # row, area, level, is_total
    for r in range(layout.body_start, sheet.n_rows + 1):
        label = sheet.get(r, layout.area_col)
        cells = [sheet.get(r, c) for c in mapped]
        has_number = any(looks_numeric(v) for v in cells)
        if label is None or (isinstance(label, str) and is_blank(label)):
            if has_number:
                col = sheet.source(r, layout.area_col).rsplit("!", 1)[1][: -len(str(r))]
                out.findings.append(
                    read_finding(
                        "warning",
                        "read.no_area",
                        sheet.source(r, layout.area_col),
                        expected="an area name",
                        found="",
                        row=r,
                        col=col,
                    )
                )
            continue
        text = str(label)
        if total_label_kind(text):
            body.append((r, text, None, True))
            continue
        match = resolve_area(text)
        if match.level is None and not has_number:
            continue  # notes, signatures, sub-headings without numbers
        if not match.known:
            out.findings.append(
                read_finding(
                    "warning" if match.level is None else "info",
                    "read.unknown_area",
                    sheet.source(r, layout.area_col),
                    expected="a known area name (antq/data/areas.csv)",
                    found=text,
                    name=match.name,
                )
            )
        body.append((r, match.name, match.level, False))
    if not body:
        return out
    fractions = _fraction_columns(layout)
    known_levels = [LEVELS.index(lv) for _, _, lv, tot in body if lv and not tot]
    top_level = min(known_levels) if known_levels else LEVELS.index("district")
    total_level = LEVELS[max(top_level - 1, 0)]
    child_default = LEVELS[top_level]
    for r, name, level, is_total in body:
        if is_total:
            name, level = _total_area(layout, name, total_level), total_level
        elif level is None:
            level = child_default
        for g in groups:
            rec = _record(layout, g, r, errors, year, out.findings, fractions)
            rec.update(area=name, level=level, is_total=is_total)
            out.records.append(rec)
    for c, header in layout.unrecognised:
        numbers = [r for r, *_ in body if looks_numeric(sheet.get(r, c))]
        if numbers:
            out.findings.append(
                read_finding(
                    "warning",
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


def _fraction_columns(layout: Layout) -> set[int]:
    """Rate columns holding fractions (0.9475) rather than percentages (94.75).

    Without number formats (python-calamine gives none) a column whose numbers
    are all at most 1 holds fractions shown with a percent format: a column of
    rates all under 1% is not a report anyone sends.
    """
    out = set()
    for col in layout.columns:
        if col.role != "rate":
            continue
        nums = [
            v
            for r in range(layout.body_start, layout.sheet.n_rows + 1)
            if isinstance(v := layout.sheet.get(r, col.col), (int, float))
            and not isinstance(v, bool)
        ]
        if nums and all(abs(v) <= 1 for v in nums):
            out.add(col.col)
    return out


def _cell(
    sheet: Sheet,
    r: int,
    col: Column | None,
    role: str,
    errors: str,
    findings: list[Finding],
    fraction: bool = False,
) -> object:
    """The parsed value of one cell, applying the errors policy."""
    if col is None:
        return None
    if (r, col.col) in sheet.uncached:
        return _bad(sheet, r, col, role, errors, findings, uncached=True)
    value = sheet.get(r, col.col)
    if role == "achieved":
        frac = parse_fraction(value)
        if frac is not None:
            return frac
    try:
        if role == "rate":
            return parse_rate(value, None, fraction=fraction)
        return parse_count(value)
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
        read_finding(
            "error",
            rule,
            source,
            expected=_EXPECTED[role],
            found=str(found),
            expected_vi=_EXPECTED_VI[role],
            expected_en=_EXPECTED[role],
        )
    )
    return None


def _record(
    layout: Layout,
    g: _Group,
    r: int,
    errors: str,
    year: int | None,
    findings: list[Finding],
    fractions: set[int],
) -> dict[str, object]:
    sheet = layout.sheet
    achieved = _cell(sheet, r, g.achieved, "achieved", errors, findings)
    total = _cell(sheet, r, g.total, "total", errors, findings)
    as_fraction = g.rate is not None and g.rate.col in fractions
    rate = _cell(sheet, r, g.rate, "rate", errors, findings, as_fraction)
    total_source = sheet.source(r, g.total.col) if g.total else None
    if isinstance(achieved, tuple):
        frac_total = achieved[1]
        achieved = achieved[0]
        if total is None:
            total, total_source = frac_total, sheet.source(r, g.achieved.col)  # type: ignore[union-attr]
        elif total != frac_total:
            findings.append(
                read_finding(
                    "warning",
                    "read.fraction_total",
                    sheet.source(r, g.achieved.col),  # type: ignore[union-attr]
                    expected=str(total),
                    found=str(frac_total),
                    frac=frac_total,
                    total=total,
                )
            )
    anchor = g.achieved or g.rate or g.total
    return {
        "year": g.year if g.year is not None else (year if year is not None else layout.year),
        "indicator": g.indicator,
        "achieved": achieved,
        "total": total,
        "reported_rate": rate,
        "source": sheet.source(r, anchor.col),  # type: ignore[union-attr]
        "total_source": total_source,
        "rate_source": sheet.source(r, g.rate.col) if g.rate else None,
        "table": f"{sheet.file}!{sheet.name}",
        "row": r,
    }
