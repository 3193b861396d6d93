"""Tables as offices write them: title block, header block, body, footer.

Two writers: :func:`write_table` (areas down the side, one column per
indicator and role) and :func:`write_transposed` (indicators down the side,
areas across the top). Both write every number through
:class:`corpus_lib.Grid`, so each number's truth is recorded where it is
written, and both record which totals are the sums of which cells.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from corpus_lib import (
    DENOMINATOR,
    INDICATOR,
    RA_INDICATORS,
    TOTAL_OF,
    Figs,
    Grid,
    Key,
    count_cell,
    pct,
    rate_cell,
    signed,
)

#: The reason a whole row (or column) of numbers is skipped, by its kind.
ROW_REASON: dict[str, str] = {
    "sub": "sub_row",
    "hamlet": "below_table_levels",
    "diff": "difference",
}
_NUMERIC_TEXT = "0123456789.,%()+-−/ "


def numeric_text(s: str) -> bool:
    """Whether a text looks like a number to a reader ("1.234", "(3)", "1.1").

    Examples
    --------
    >>> numeric_text("(3)"), numeric_text("1.1"), numeric_text("II"), numeric_text("A")
    (True, True, False, False)
    """
    s = s.strip()
    return bool(s) and any(ch.isdigit() for ch in s) and all(ch in _NUMERIC_TEXT for ch in s)


# ---- title and footer -----------------------------------------------------------


def heading(
    g: Grid,
    *,
    org: tuple[str, ...],
    title: list[str] | str,
    sub: str | None,
    width: int,
    number: str | None = None,
    place_date: str | None = None,
) -> int:
    """The organisation, the national motto, the title and the line under it.

    Returns the first free row (after one blank row).
    """
    right = max(width - 3, 3)
    for i, line in enumerate(org):
        g.text(1 + i, 1, line, to=(1 + i, right - 1), bold=True, center=True)
    g.text(1, right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", to=(1, width), bold=True, center=True)
    g.text(2, right, "Độc lập - Tự do - Hạnh phúc", to=(2, width), bold=True, center=True)
    r = max(3, 1 + len(org))
    if number:
        g.text(r, 1, number, to=(r, right - 1), center=True)
    if place_date:
        g.text(r, right, place_date, to=(r, width), italic=True, center=True)
    r += 2
    for line in [title] if isinstance(title, str) else title:
        g.text(r, 1, line, to=(r, width), bold=True, center=True)
        r += 1
    if sub:
        g.text(r, 1, sub, to=(r, width), italic=True, center=True)
        r += 1
    return r + 1


def footer(
    g: Grid,
    r: int,
    width: int,
    *,
    notes: list[str] = (),  # type: ignore[assignment]
    place_date: str | None = None,
    left: str = "NGƯỜI LẬP BIỂU",
    right: tuple[str, ...] = ("TM. BAN CHỈ ĐẠO", "TRƯỞNG BAN"),
    names: tuple[str, str] = ("Trần Thị Minh Hương", "Nguyễn Văn An"),
) -> int:
    """Notes, place and date, the signature blocks; returns the row after them."""
    r += 1
    for line in notes:
        g.text(r, 1, line, to=(r, width), italic=True)
        r += 1
    rc = max(width - 3, 3)
    r += 1
    if place_date:
        g.text(r, rc, place_date, to=(r, width), italic=True, center=True)
        r += 1
    g.text(r, 2, left, to=(r, max(rc - 1, 2)), bold=True, center=True)
    for i, line in enumerate(right):
        g.text(r + i, rc, line, to=(r + i, width), bold=True, center=True)
    r += max(len(right), 1) + 3
    g.text(r, 2, names[0], to=(r, max(rc - 1, 2)), bold=True, center=True)
    g.text(r, rc, names[1], to=(r, width), bold=True, center=True)
    return r + 1


# ---- areas down the side --------------------------------------------------------


@dataclass
class Col:
    """A column of a table: its header path (top to bottom) and what its cells hold.

    ``kind``: ``stt``, ``area``, ``year`` (the "Năm" column of one-row-per-year
    tables), ``data`` or ``skip``. Data columns have a ``metric`` and a ``role``
    (``achieved``, ``total``, ``rate``, ``fraction``, or ``shared`` for a "Tổng số
    KDC" that is the denominator of the residential-area indicators of its row).
    Skip columns have a ``reason`` and a ``calc``: ``delta`` (this year minus the
    base year), ``ratio`` (this year ÷ base year, %), ``rate_delta`` (points),
    ``note`` (the row's note) or ``metric`` (a figure no indicator names).
    """

    path: tuple[str | int | None, ...]
    kind: str = "data"
    metric: str | None = None
    role: str | None = None
    year: int | None = None
    reason: str | None = None
    calc: str | None = None
    base_year: int | None = None
    style: str = "int"
    tag: str = ""
    hidden: bool = False
    width: float | None = None


def stt(label: str = "STT") -> Col:
    """The row-number column."""
    return Col((label,), kind="stt", width=5)


def area(label: str = "Đơn vị") -> Col:
    """The area column."""
    return Col((label,), kind="area", width=24)


def data(path: tuple[str | int | None, ...], metric: str, role: str, **kw: object) -> Col:
    """A data column (``role`` achieved, total, rate, fraction or shared).

    Rates are written as percentages (94.75) unless ``style`` says otherwise.
    """
    if role == "rate":
        kw.setdefault("style", "pct")
    tag = str(kw.pop("tag", f"{metric}:{role}"))
    return Col(path, metric=metric, role=role, tag=tag, **kw)  # type: ignore[arg-type]


def skip(path: tuple[str | int | None, ...], reason: str, calc: str, **kw: object) -> Col:
    """A column whose numbers are not data."""
    return Col(path, kind="skip", reason=reason, calc=calc, **kw)  # type: ignore[arg-type]


@dataclass
class Row:
    """A body row: an area with its figures, a sub-row, a hamlet, a difference, a heading.

    ``figs`` holds the figures by year; ``key`` is the row's unit (for ``data``
    rows); ``diff`` is (base year, year) for a difference row. ``override`` maps a
    column tag to a hostile value written instead of the number.
    """

    label: str | None
    kind: str = "data"
    key: Key | None = None
    figs: dict[int, Figs] = field(default_factory=dict)
    stt: object = None
    year: int | None = None
    year_cell: object = None
    diff: tuple[int, int] | None = None
    note: object = None
    hidden: bool = False
    bold: bool = False
    merge_down: int = 0
    override: dict[str, object] = field(default_factory=dict)


@dataclass
class Table:
    """Where a written table stands: its first and last rows, and each body row's sheet row."""

    top: int
    bottom: int
    rows: list[int]
    first_col: int
    last_col: int


def _shared_indicators(cols: list[Col], year: int | None) -> list[str]:
    """The residential-area indicators a shared "Tổng số KDC" of ``year`` is the total of."""
    own = {
        INDICATOR[c.metric]
        for c in cols
        if c.kind == "data" and c.role in ("achieved", "rate", "fraction") and c.year == year
    }
    return [i for i in RA_INDICATORS if i in own]


def _header(
    g: Grid, top: int, cols: list[Col], left: int, numbering: str | None
) -> tuple[int, int]:
    """Write the header block (merged), and the numbering row; return (depth, body row)."""
    depth = max(len(c.path) for c in cols)
    for i, col in enumerate(cols):
        c = left + i
        for lv, label in enumerate(col.path):
            leaf = lv == len(col.path) - 1
            if not leaf:
                prev = cols[i - 1] if i else None
                if prev and len(prev.path) > lv + 1 and prev.path[: lv + 1] == col.path[: lv + 1]:
                    continue  # inside a group written further left
                run = 1
                while (
                    i + run < len(cols)
                    and len(cols[i + run].path) > lv + 1
                    and cols[i + run].path[: lv + 1] == col.path[: lv + 1]
                ):
                    run += 1
                _head_cell(g, top + lv, c, label, to=(top + lv, c + run - 1))
            else:
                _head_cell(g, top + lv, c, label, to=(top + depth - 1, c))
        if col.hidden:
            g.hidden_cols.add(c)
        if col.width:
            g.widths[c] = col.width
    right = left + len(cols) - 1
    g.box(top, left, top + depth - 1, right)
    r = top + depth
    if numbering:
        for i, _col in enumerate(cols):
            c = left + i
            if numbering == "letters" and i < 2:
                g.text(r, c, "AB"[i], center=True)
            elif numbering == "paren":
                g.skip(r, c, f"({i + 1})", "column_number", center=True)
            else:
                n = i + 1 if numbering == "int" else i - 1
                g.skip(r, c, n, "column_number", center=True)
        g.box(r, left, r, right)
        r += 1
    return depth, r


def _head_cell(g: Grid, r: int, c: int, label: str | int | None, *, to: tuple[int, int]) -> None:
    if label is None:
        g.merge(r, c, *to)
        return
    if isinstance(label, int):
        g.skip(r, c, label, "year_label", bold=True, center=True)  # a year typed as a number
        g.merge(r, c, *to)
        return
    g.text(r, c, label, to=to, bold=True, center=True)


def _number(col: Col, f: Figs) -> tuple[object, object, str | None]:
    """(written, truth value, number format) of a data column for one set of figures."""
    m = col.metric
    assert m is not None
    if col.role in ("achieved", "total", "shared"):
        written, fmt = count_cell(f[m], col.style)
        return written, f[m], fmt
    a, t = f[m], f[DENOMINATOR[m]]
    if col.role == "rate" and t == 0:
        return "-", None, None  # nothing to rate: clerks type a dash
    if col.role == "rate":
        written, truth, fmt = rate_cell(a, t, col.style)
        return written, truth, fmt
    if col.role == "fraction":
        sep = "," if col.style == "en" else "."
        text = f"{a:,}/{t:,}".replace(",", sep)
        return text, (a, t), None
    raise ValueError(col.role)


def _difference(col: Col, row: Row) -> object:
    """A difference row's cell for a data column: this year minus the base year."""
    y0, y1 = row.diff  # type: ignore[misc]
    f0, f1 = row.figs[y0], row.figs[y1]
    m = col.metric
    assert m is not None
    if col.role == "rate":
        return round(pct(f1[m], f1[DENOMINATOR[m]]) - pct(f0[m], f0[DENOMINATOR[m]]), 2)
    return signed(f1[m] - f0[m], "text" if col.style in ("vi", "en") else "int")


def _skip_value(col: Col, row: Row, y: int) -> object:
    """The number a skip column shows on a row (None: nothing written)."""
    if col.calc == "note":
        return row.note
    if not row.figs or y not in row.figs:
        return None
    f = row.figs[y]
    m = col.metric
    if col.calc == "metric":
        return f[m]  # type: ignore[index]
    base = col.base_year or y - 1
    if base not in row.figs:
        return None
    f0 = row.figs[base]
    if col.calc == "delta":
        return signed(f[m] - f0[m], col.style)  # type: ignore[index]
    if col.calc == "ratio":
        return round(f[m] / f0[m] * 100, 2) if f0[m] else None  # type: ignore[index]
    if col.calc == "rate_delta":
        d = DENOMINATOR[m]  # type: ignore[index]
        return round(pct(f[m], f[d]) - pct(f0[m], f0[d]), 2)  # type: ignore[index]
    raise ValueError(col.calc)


def write_table(
    g: Grid,
    top: int,
    cols: list[Col],
    rows: list[Row],
    *,
    year: int,
    left: int = 1,
    numbering: str | None = None,
    sums: list[tuple[int, list[int]]] = (),  # type: ignore[assignment]
) -> Table:
    """Write a header block and body rows; record each number's truth and the sums.

    ``sums`` pairs a total row with the rows it adds up (indices into ``rows``).
    """
    _depth, r = _header(g, top, cols, left, numbering)
    right = left + len(cols) - 1
    shared = {c.year: _shared_indicators(cols, c.year) for c in cols if c.role == "shared"}
    sheet_rows: list[int] = []
    for row in rows:
        sheet_rows.append(r)
        if row.kind == "blank":
            r += 1
            continue
        if row.kind == "text":
            g.text(r, left, row.label or "", to=(r, right), italic=True)
            r += 1
            continue
        if row.hidden:
            g.hidden_rows.add(r)
        for i, col in enumerate(cols):
            c = left + i
            _body_cell(g, r, c, col, row, year, shared)
        g.box(r, left, r, right)
        r += 1
    bottom = r - 1
    for total, parts in sums:
        for i, col in enumerate(cols):
            if col.kind != "data" or col.role not in ("achieved", "total", "shared"):
                continue
            if col.tag in rows[total].override or any(col.tag in rows[p].override for p in parts):
                continue
            c = left + i
            g.sum_check((sheet_rows[total], c), [(sheet_rows[p], c) for p in parts])
    return Table(top, bottom, sheet_rows, left, right)


def _body_cell(
    g: Grid, r: int, c: int, col: Col, row: Row, year: int, shared: dict[int | None, list[str]]
) -> None:
    style = {"bold": row.bold}
    if col.kind == "stt":
        if row.merge_down and row.stt is not None:
            g.merge(r, c, r + row.merge_down - 1, c)
        _label(g, r, c, row.stt, "row_number", center=True, **style)
        return
    if col.kind == "area":
        if row.label is not None:
            g.text(r, c, row.label, **style)
        if row.merge_down:
            g.merge(r, c, r + row.merge_down - 1, c)
        return
    if col.kind == "year":
        _label(g, r, c, row.year_cell, "year_label", center=True, **style)
        return
    if row.kind == "heading":
        return
    y = col.year or row.year or year
    reason = ROW_REASON.get(row.kind)
    if col.kind == "skip":
        v = _skip_value(col, row, y) if row.kind != "diff" else None
        if v is None:
            return
        if isinstance(v, str) and not _looks_numeric(v):
            g.text(r, c, v, **style)
            return
        g.skip(r, c, v, reason or col.reason, **style)  # type: ignore[arg-type]
        return
    if col.tag in row.override:
        g.skip(r, c, row.override[col.tag], "error", note="hostile or ambiguous", **style)
        return
    if row.kind == "diff":
        g.skip(r, c, _difference(col, row), "difference", **style)
        return
    written, truth, fmt = _number(col, row.figs[y])
    if truth is None:
        g.text(r, c, str(written), **style)
        return
    if reason:
        g.skip(r, c, written, reason, fmt=fmt, **style)
        return
    assert row.key is not None, row.label
    role = "total" if col.role == "shared" else col.role
    if col.role == "shared":
        indicator: str | list[str] = shared[col.year]
    elif col.role == "total":
        indicator = TOTAL_OF[col.metric]  # type: ignore[index]
    else:
        indicator = INDICATOR[col.metric]  # type: ignore[index]
    g.value(
        r,
        c,
        written,
        key=row.key.at(y),
        indicator=indicator,
        role=role,
        value=truth,
        fmt=fmt,
        **style,
    )


def _looks_numeric(v: object) -> bool:
    return not isinstance(v, str) or numeric_text(v)


def _label(g: Grid, r: int, c: int, v: object, reason: str, **style: bool) -> None:
    """A row number or a year label: skipped when it looks like a number, else text."""
    if v is None:
        return
    if isinstance(v, str) and not numeric_text(v):
        g.text(r, c, v, **style)
    else:
        g.skip(r, c, v, reason, **style)


# ---- indicators down the side ---------------------------------------------------


@dataclass
class Line:
    """A row of a transposed table: an indicator and role, a heading, or a sub-row."""

    label: str
    kind: str = "data"
    metric: str | None = None
    role: str | None = None
    style: str = "int"
    unit: str = ""
    stt: object = None
    note: object = None


@dataclass
class Across:
    """A column of a transposed table: an area (or a hamlet) and its figures."""

    label: str
    key: Key | None
    figs: Figs
    kind: str = "data"
    group: str | None = None


def write_transposed(
    g: Grid,
    top: int,
    areas: list[Across],
    lines: list[Line],
    *,
    year: int,
    head: tuple[str, ...] = ("STT", "Chỉ tiêu", "Đơn vị tính"),
    numbering: str | None = None,
    delta: tuple[str, int, Figs] | None = None,
    notes: str | None = None,
    sums: list[tuple[int, list[int]]] = (),  # type: ignore[assignment]
) -> Table:
    """Write a table with the indicators down the side and the areas across the top.

    ``head`` names the leading columns (STT, label, unit; any may be left out by
    giving fewer). Areas with a ``group`` get a header row above them (a district
    over its communes). ``delta`` adds a difference column: (header, base year,
    base-year figures of the last area). ``notes`` adds a notes column holding
    each line's ``note``. ``sums`` pairs an area with the areas it adds up.
    """
    n_head = len(head)
    grouped = any(a.group for a in areas)
    depth = 2 if grouped else 1
    for i, label in enumerate(head):
        g.text(top, 1 + i, label, to=(top + depth - 1, 1 + i), bold=True, center=True)
    label_col = 2 if n_head >= 2 else 1
    g.widths[label_col] = 34
    c0 = n_head + 1
    i = 0
    while i < len(areas):
        a = areas[i]
        c = c0 + i
        if grouped and a.group:
            run = 1
            while i + run < len(areas) and areas[i + run].group == a.group:
                run += 1
            g.text(top, c, a.group, to=(top, c + run - 1), bold=True, center=True)
            for k in range(run):
                g.text(top + 1, c + k, areas[i + k].label, bold=True, center=True)
            i += run
            continue
        g.text(top, c, a.label, to=(top + depth - 1, c), bold=True, center=True)
        i += 1
    extra = c0 + len(areas)
    if delta:
        g.text(top, extra, delta[0], to=(top + depth - 1, extra), bold=True, center=True)
    if notes:
        ce = extra + (1 if delta else 0)
        g.text(top, ce, notes, to=(top + depth - 1, ce), bold=True, center=True)
    right = extra - 1 + (1 if delta else 0) + (1 if notes else 0)
    g.box(top, 1, top + depth - 1, right)
    r = top + depth
    if numbering:
        for c in range(1, right + 1):
            g.skip(r, c, f"({c})" if numbering == "paren" else c, "column_number", center=True)
        r += 1
    ra_lines = {
        INDICATOR[ln.metric] for ln in lines if ln.kind == "data" and ln.metric in INDICATOR
    }
    shared = [i for i in RA_INDICATORS if i in ra_lines]
    sheet_rows = []
    for ln in lines:
        sheet_rows.append(r)
        if n_head >= 2:
            _label(g, r, 1, ln.stt, "row_number", center=True)
        g.text(r, label_col, ln.label, bold=ln.kind == "heading")
        if n_head >= 3 and ln.unit:
            g.text(r, n_head, ln.unit, center=True)
        if ln.kind != "heading":
            for k, a in enumerate(areas):
                _across_cell(g, r, c0 + k, ln, a, year, shared)
            if delta and ln.kind == "data" and ln.role in ("achieved", "total", "shared"):
                _header, _base, f0 = delta
                m = ln.metric
                g.skip(r, extra, signed(areas[-1].figs[m] - f0[m], "text"), "difference")  # type: ignore[index]
        if notes and ln.note is not None:
            ce = extra + (1 if delta else 0)
            if _looks_numeric(ln.note):
                g.skip(r, ce, ln.note, "notes")
            else:
                g.text(r, ce, str(ln.note))
        g.box(r, 1, r, right)
        r += 1
    for total, parts in sums:
        for k, ln in enumerate(lines):
            if ln.kind == "data" and ln.role in ("achieved", "total", "shared"):
                g.sum_check((sheet_rows[k], c0 + total), [(sheet_rows[k], c0 + p) for p in parts])
    return Table(top, r - 1, sheet_rows, 1, right)


def _across_cell(
    g: Grid, r: int, c: int, ln: Line, a: Across, year: int, shared: list[str]
) -> None:
    style = "pct" if ln.role == "rate" and ln.style == "int" else ln.style
    col = Col((), metric=ln.metric, role=ln.role, style=style)
    written, truth, fmt = _number(col, a.figs)
    if truth is None:
        g.text(r, c, str(written))
        return
    reason = ROW_REASON.get(ln.kind) or ROW_REASON.get(a.kind)
    if reason:
        g.skip(r, c, written, reason, fmt=fmt)
        return
    assert a.key is not None
    if ln.role == "shared":
        indicator: str | list[str] = shared
    elif ln.role == "total":
        indicator = TOTAL_OF[ln.metric]  # type: ignore[index]
    else:
        indicator = INDICATOR[ln.metric]  # type: ignore[index]
    role = "total" if ln.role == "shared" else ln.role
    g.value(r, c, written, key=a.key.at(year), indicator=indicator, role=role, value=truth, fmt=fmt)  # type: ignore[arg-type]
