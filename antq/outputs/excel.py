"""The committee's Excel report of a tidy table.

The report (:func:`to_excel`) lays the tidy table out the way officials read
it: one sheet per indicator group with area × year tables of counts and
rates, the year-over-year changes, the findings, the summary text and the
charts. The reporting form is :mod:`antq.outputs.form`.

Number formats are real Excel formats ("#,##0", "0.00%"), which Excel shows
as "1.234" and "94,75%" in a Vietnamese locale.
"""

from __future__ import annotations

import io
import os
import tempfile
import weakref
from collections.abc import Callable, Sequence
from copy import copy
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from antq.findings import FINDING_COLUMNS
from antq.metrics.rates import shown_rates
from antq.metrics.yoy import REPORT_COLUMNS, yoy
from antq.outputs._sheetxml import SheetCells, save
from antq.outputs.display import area_labels
from antq.outputs.figures import figures
from antq.outputs.summary import paragraphs as yearly_paragraphs
from antq.schema import as_tidy
from antq.series.events import EventsLike
from antq.types import LEVELS, Lang, as_lang
from antq.validation import validate
from antq.vocab import Words, groups, indicators, label, word, words

__all__ = [
    "COUNT_FORMAT",
    "FONT",
    "RATE_FORMAT",
    "body_cell",
    "head_cell",
    "print_setup",
    "report_levels",
    "to_excel",
    "write_report",
]

#: Excel number formats (shown "1.234" and "94,75%" under a Vietnamese locale).
COUNT_FORMAT: str = "#,##0"
RATE_FORMAT: str = "0.00%"
#: A fall takes the minus sign of the charts and of :func:`antq.readable` (U+2212), quoted.
PP_FORMAT: str = '+0.00;"\u2212"0.00;0.00'
CHANGE_FORMAT: str = '+#,##0;"\u2212"#,##0;0'

FONT = "Times New Roman"
_THIN = Side(style="thin", color="999999")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", start_color="FFDDEBF7", end_color="FFDDEBF7")


def _group_codes() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {g: [] for g in groups()}
    for code, ind in indicators().items():
        out[ind.group].append(code)
    return out


_FINDING_COLUMNS = list(FINDING_COLUMNS)


def _heads(columns: list[str], lang: Lang) -> list[str]:
    return [word(f"col.{c}", lang) if f"col.{c}" in words() else c for c in columns]


def _label(code: str, lang: Lang) -> str:
    return label(code, lang)


#: Per workbook, the finished style of each (named style, alignment) pair: openpyxl's
#: compact per-cell style record, copied to a cell in one assignment.
_STYLE_ARRAYS: weakref.WeakKeyDictionary[
    Workbook, dict[tuple[str, int], tuple[Alignment | None, object]]
] = weakref.WeakKeyDictionary()


def _style(
    cell: Cell, name: str, make: Callable[[], NamedStyle], alignment: Alignment | None = None
) -> None:
    """Give ``cell`` the workbook's named style ``name`` (and ``alignment``), registering
    the style on first use.

    A named style is one index per cell; setting font, border and format cell by
    cell makes openpyxl hash each style object again (minutes for a national report).
    Even ``cell.style = name`` looks the style up and re-hashes it: the first cell of
    each kind is styled that way and the rest copy its style record.
    """
    wb = cell.parent.parent
    done = _STYLE_ARRAYS.setdefault(wb, {})
    # By identity: hashing an openpyxl Alignment walks its fields, for every cell. The
    # alignment is kept with its entry, so its id cannot be reused by another object.
    key = (name, id(alignment))
    if key not in done:
        if name not in wb.named_styles:
            wb.add_named_style(make())
        cell.style = name
        if alignment is not None:
            cell.alignment = alignment
        done[key] = (alignment, copy(cell._style))
        return
    cell._style = copy(done[key][1])


def head_cell(cell: Cell, *, wrap: bool = True) -> None:
    """A header cell: bold, shaded, boxed, centred."""

    def make() -> NamedStyle:
        return NamedStyle(
            name=f"antq head {wrap}",
            font=Font(name=FONT, bold=True),
            fill=_HEAD_FILL,
            border=_BOX,
            alignment=Alignment(horizontal="center", vertical="center", wrap_text=wrap),
        )

    _style(cell, f"antq head {wrap}", make)


def body_cell(cell: Cell, fmt: str | None = None, alignment: Alignment | None = None) -> None:
    """A body cell: boxed, in the report's font, with a number format (and ``alignment``)."""

    def make() -> NamedStyle:
        return NamedStyle(
            name=f"antq body {fmt}",
            font=Font(name=FONT),
            border=_BOX,
            number_format=fmt or "General",
        )

    _style(cell, f"antq body {fmt}", make, alignment)


def print_setup(ws: Worksheet, *, title_rows: str | None = "1:1", lang: Lang = "vi") -> None:
    """A4 landscape, one page wide, ``title_rows`` repeated on every page, pages numbered.

    The sheet prints as it reads on screen, in Excel and LibreOffice alike.
    """
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    if title_rows:
        ws.print_title_rows = title_rows
    ws.oddFooter.center.text = word("excel.page", lang)


def _text_width(value: object) -> float:
    text = f"{value:,.2f}" if isinstance(value, float) else str(value)
    return max(len(line) for line in text.split("\n")) * 1.1 + 2


def _widest(values: list[object]) -> float:
    """The largest :func:`_text_width` of ``values``: of numbers, that of the largest or the
    smallest (the most digits, or a minus sign); of text, that of the longest line."""
    floats = [v for v in values if v.__class__ is float]
    ints = [v for v in values if v.__class__ is int]
    other = [v for v in values if v.__class__ is not float and v.__class__ is not int]
    candidates: list[object] = [min(floats), max(floats)] if floats else []
    candidates += [min(ints), max(ints)] if ints else []
    texts = [str(v) for v in other]
    if any("\n" in t for t in texts):
        candidates += texts
    elif texts:
        candidates.append(max(texts, key=len))
    return max((_text_width(v) for v in candidates), default=0)


def _head_lines(text: object, width: float) -> int:
    """How many lines ``text`` wraps into in a column ``width`` wide (as :func:`_row_height`
    counts a line: ``width`` × 1,05 characters)."""
    lines, line = 1, ""
    for w in str(text).split():
        if line and len(f"{line} {w}") > int(width * 1.05):
            lines, line = lines + 1, w
        else:
            line = f"{line} {w}" if line else w
    return lines


def _fit_columns(
    ws: Worksheet, minimum: float = 8, maximum: float = 60, *, head_row: int | None = None
) -> None:
    """Each column as wide as its widest value; the cells of ``head_row`` wrap, and count
    only their longest word (a header then takes two lines over a column of numbers)."""
    merged = _merged_across(ws)
    fast = _FAST.get(ws)
    widths = _fast_widths(fast, merged, head_row) if fast is not None else _cell_widths(ws, merged)
    for col, width in widths.items():
        if width:
            ws.column_dimensions[get_column_letter(col)].width = max(minimum, min(maximum, width))


def _merged_across(ws: Worksheet) -> set[tuple[int, int]]:
    """The cells of ranges merged across columns: their text spans several, widening none."""
    return {
        (r, c)
        for rng in ws.merged_cells.ranges
        for r in range(rng.min_row, rng.max_row + 1)
        for c in range(rng.min_col, rng.max_col + 1)
        if rng.max_col > rng.min_col
    }


def _fast_widths(
    fast: SheetCells, merged: set[tuple[int, int]], head_row: int | None
) -> dict[int, float]:
    """Each column's width from the values written as XML; a header counts its longest word."""
    widths: dict[int, float] = {}
    for col, values in fast.values().items():
        widths[col] = _widest([v for r, v in values if (r, col) not in merged and r != head_row])
        heads = [str(v).split() for r, v in values if r == head_row]
        widths[col] = max([widths[col], *(_text_width(w) for h in heads for w in h)])
    return widths


def _cell_widths(ws: Worksheet, merged: set[tuple[int, int]]) -> dict[int, float]:
    """Each column's width from the cells of an openpyxl sheet."""
    widths: dict[int, float] = {}
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is None or (cell.row, cell.column) in merged:
                continue
            widths[cell.column] = max(widths.get(cell.column, 0), _text_width(cell.value))
    return widths


#: The sheets of a workbook whose cells :mod:`antq.outputs._sheetxml` writes (big tables).
_FAST: weakref.WeakKeyDictionary[Worksheet, SheetCells] = weakref.WeakKeyDictionary()


def _fast_sheet(wb: Workbook, name: str) -> SheetCells:
    """A new sheet whose cells are written as XML directly: thousands of rows in a blink."""
    cells = SheetCells(wb.create_sheet(name))
    _FAST[cells.ws] = cells
    return cells


def _font(**kw: object) -> Callable[[Cell], None]:
    def apply(cell: Cell) -> None:
        cell.font = Font(name=FONT, **kw)

    return apply


#: The report's tables list areas level by level from the top while they fit: a committee
#: reads provinces and districts; ten thousand communes belong in the CSV, not on paper.
MAX_REPORT_AREAS: int = 300
#: Above this many rows the tidy data is left to tidy.parquet / tidy.csv.
MAX_DATA_ROWS: int = 100_000


def report_levels(df: pd.DataFrame) -> list[str]:
    """The levels the report's tables show: from the top down, while the areas fit.

    Examples
    --------
    >>> report_levels(pd.DataFrame({"level": ["province", "district"], "area": ["T", "H"]}))
    ['province', 'district']
    """
    levels: list[str] = []
    count = 0
    for level in LEVELS:
        n = df.loc[df["level"] == level, "area"].nunique()
        if n == 0:
            continue
        if levels and count + n > MAX_REPORT_AREAS:
            break
        levels.append(level)
        count += n
    return levels


def _area_order(df: pd.DataFrame) -> list[str]:
    order = df.assign(_l=df["level"].map(LEVELS.index)).drop_duplicates("area")
    return order.sort_values("_l", kind="stable")["area"].tolist()


def _title(ws: Worksheet, text: str) -> None:
    ws.cell(1, 1, text).font = Font(name=FONT, bold=True, size=13)


def _pivot(
    sub: pd.DataFrame, values: pd.Series, areas: list[str], years: list[int]
) -> pd.DataFrame:
    """``values`` (a column of ``sub``, row for row) as an ``areas`` × ``years`` table of
    floats: in each cell the first value given for that area and year (pandas'
    ``pivot_table(aggfunc="first")``, at NumPy speed: eighteen of them took a national
    report a third of a second). ``areas`` and ``years`` name each row and column once."""
    if len(values) != len(sub):
        raise ValueError(f"{len(values)} values for {len(sub)} rows")
    row = pd.Index(areas).get_indexer(sub["area"])
    col = pd.Index(years).get_indexer(sub["year"])
    v = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    given = (row >= 0) & (col >= 0) & ~np.isnan(v)
    cell = row[given] * len(years) + col[given]
    cells, first = np.unique(cell, return_index=True)  # the first row of each cell
    out = np.full(len(areas) * len(years), np.nan)
    out[cells] = v[given][first]
    return pd.DataFrame(out.reshape(len(areas), len(years)), index=areas, columns=years)


def _area_year_block(cells: SheetCells, r: int, caption: str, table: pd.DataFrame, fmt: str) -> int:
    """An area × year table under its caption from row ``r``; returns the next free row.

    Its columns are those of the sheet's header row (area, then every year)."""
    cells.put(r, 1, caption, cells.style("caption", _font(bold=True)))
    years = list(table.columns)
    first = r + 1
    cast = float if fmt == RATE_FORMAT else int
    values = table.to_numpy(dtype=float, na_value=float("nan"))
    name_style = cells.style(("body", None), body_cell)
    value_style = cells.style(("body", fmt), lambda c: body_cell(c, fmt))
    for i, (area, row) in enumerate(zip(table.index, values, strict=True), start=first):
        cells.put(i, 1, area, name_style)
        for j, v in enumerate(row.tolist(), start=2):
            cells.put(i, j, None if v != v else cast(v), value_style)  # v != v: NaN
    last = first + len(table.index) - 1
    if fmt == RATE_FORMAT:
        # Light to dark blue: readable in grey and for colour-blind readers.
        cells.ws.conditional_formatting.add(
            f"B{first}:{get_column_letter(len(years) + 1)}{last}",
            ColorScaleRule(
                start_type="min", start_color="FFF7FBFF", end_type="max", end_color="FF6BAED6"
            ),
        )
    return last + 2


def _indicator_sheet(
    wb: Workbook, df: pd.DataFrame, name: str, codes: list[str], lang: Lang
) -> None:
    """One group's indicators: for each, an area × year table of counts and one of rates."""
    w = Words("excel", lang)
    cells = _fast_sheet(wb, name)
    ws = cells.ws
    years = sorted(int(y) for y in df["year"].unique())
    areas = _area_order(df)
    cells.put(1, 1, f"{w['title']} — {name}", cells.style("title", _font(bold=True, size=13)))
    # The columns of every block, under the title: frozen on screen and repeated on each
    # printed page, so that a page in the middle of a block still says which year is which.
    head = cells.style("head", head_cell)
    for j, h in enumerate([word("col.area", lang), *years], start=1):
        cells.put(2, j, h, head)
    r = 3
    for code in codes:
        sub = df[df["indicator"] == code]
        blocks = (
            (w["counts"], _pivot(sub, sub["achieved"], areas, years), COUNT_FORMAT),
            (w["rates"], _pivot(sub, shown_rates(sub), areas, years), RATE_FORMAT),
        )
        for block, table, fmt in blocks:
            if not table.isna().all().all():
                r = _area_year_block(cells, r, f"{_label(code, lang)} — {block}", table, fmt)
    ws.freeze_panes = "B3"
    _fit_columns(ws)
    ws.column_dimensions["A"].width = max(ws.column_dimensions["A"].width, 24)
    print_setup(ws, title_rows="1:2", lang=lang)


#: Columns holding long text: wrapped at this width (characters) instead of spilling over.
_WRAP_WIDTH: dict[str, float] = {"message": 70, "area": 24, "rule_name": 26}
#: The year-over-year sheet's text columns wrapped narrow: seventeen columns on A4's width.
_YOY_WRAP: dict[str, float] = {
    **_WRAP_WIDTH,
    "area": 18,
    "province": 14,
    "district": 16,
    "indicator": 18,
    "prev_areas": 20,
    "break": 22,
}
#: The findings sheet wraps more columns, so that it prints at a legible scale on A4.
_FINDINGS_WRAP: dict[str, float] = {
    **_WRAP_WIDTH,
    "message": 60,
    "area": 18,
    "rule_name": 20,
    "indicator": 20,
    "source": 22,
    "expected": 14,
    "found": 14,
}


_WRAP = Alignment(wrap_text=True, vertical="top")
_TOP = Alignment(vertical="top")


def _cell_value(v: object) -> object:
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return None
    return v.item() if hasattr(v, "item") else v  # numpy scalars to Python numbers


def _python_columns(frame: pd.DataFrame) -> list[list[object]]:
    """Each column as Python values, None where missing (numpy scalars made numbers)."""
    out = []
    for c in frame.columns:
        col = frame[c]
        values = col.astype(object).where(col.notna(), None).tolist()
        out.append(values)
    return out


def _table_sheet(
    wb: Workbook,
    name: str,
    frame: pd.DataFrame,
    formats: dict[str, str],
    lang: Lang,
    wrap: dict[str, float] = _WRAP_WIDTH,
) -> Worksheet:
    """A table with a header row of words (``col.*``), frozen, filtered, long text wrapped."""
    cells = _fast_sheet(wb, name)
    ws = cells.ws
    columns = list(frame.columns)
    head = cells.style("head", head_cell)
    for j, h in enumerate(_heads(columns, lang), start=1):
        cells.put(1, j, h, head)
    wrapped = [j for j, c in enumerate(columns, start=1) if c in wrap]
    styles = [
        _body_style(cells, formats.get(c), _WRAP if j in wrapped else _TOP)
        for j, c in enumerate(columns, start=1)
    ]
    values = _python_columns(frame)
    for i, row in enumerate(zip(*values, strict=True), start=2):
        for j, (v, style) in enumerate(zip(row, styles, strict=True), start=1):
            cells.put(i, j, v, style)
        _row_height(cells, i, [(row[j - 1], wrap[columns[j - 1]]) for j in wrapped])
    ws.freeze_panes = "A2"
    if len(frame):
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(frame) + 1}"
    _fit_columns(ws, head_row=1)
    for j in wrapped:
        ws.column_dimensions[get_column_letter(j)].width = wrap[columns[j - 1]]
    heads = zip(_heads(columns, lang), range(1, len(columns) + 1), strict=True)
    lines = max(_head_lines(h, ws.column_dimensions[get_column_letter(j)].width) for h, j in heads)
    if lines > 1:  # Excel does not grow a row when a file is opened
        cells.height(1, 15 * lines)
    print_setup(ws, lang=lang)
    return ws


def _body_style(cells: SheetCells, fmt: str | None, alignment: Alignment) -> int:
    return cells.style(("body", fmt, id(alignment)), lambda c: body_cell(c, fmt, alignment))


def _row_height(cells: SheetCells, r: int, texts: list[tuple[object, float]]) -> None:
    """Room for the wrapped lines: Excel does not grow a row when a file is opened."""
    lines = max(
        (-(-len(str(t)) // int(width * 1.05)) for t, width in texts if _cell_value(t)), default=1
    )
    if lines > 1:
        cells.height(r, 15 * lines)


def _labelled(frame: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """Codes as words of ``lang``: levels, indicators, severities; a rule's name beside it."""
    out = frame.copy()
    if "level" in out:
        out["level"] = out["level"].map(lambda v: word(f"level.{v}", lang) if pd.notna(v) else v)
    if "indicator" in out:
        out["indicator"] = out["indicator"].map(lambda v: _label(v, lang) if pd.notna(v) else v)
    if "prev_basis" in out:
        out["prev_basis"] = out["prev_basis"].map(
            lambda v: word(f"prev.{v}", lang) if pd.notna(v) else v
        )
    if "severity" in out:
        out["severity"] = out["severity"].map(lambda v: word(f"severity.{v}", lang))
    if "rule" in out:
        names = out["rule"].map(lambda v: word(f"rule.{v}", lang) if f"rule.{v}" in words() else v)
        out.insert(out.columns.get_loc("rule") + 1, "rule_name", names)
    return out


def _summary_sheet(
    wb: Workbook,
    df: pd.DataFrame,
    lang: Lang,
    events: EventsLike,
    paragraphs: dict[int, str] | None = None,
) -> None:
    """The annual paragraph of each year, latest first."""
    w = Words("excel", lang)
    ws = wb.create_sheet(w["summary"])
    _title(ws, w["title"])
    r = 3
    if paragraphs is None:
        paragraphs = yearly_paragraphs(df, lang=lang, events=events)
    for y, text in sorted(paragraphs.items(), reverse=True):
        year_cell = ws.cell(r, 1, y)
        year_cell.font = Font(name=FONT, bold=True)
        year_cell.alignment = Alignment(vertical="top")
        cell = ws.cell(r, 2, text)
        cell.font = Font(name=FONT)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        # About 170 characters of Times New Roman fit a line of a column 120 wide.
        ws.row_dimensions[r].height = 15 * (len(text) // 170 + 1)
        r += 1
    ws.column_dimensions["A"].width = 8
    ws.column_dimensions["B"].width = 120
    print_setup(ws, lang=lang)


def _yoy_sheet(wb: Workbook, df: pd.DataFrame, lang: Lang, events: EventsLike = None) -> None:
    """The year-over-year table as a report states it: shown rates and their change only."""
    formats = {c: COUNT_FORMAT for c in ("achieved", "achieved_prev", "total", "total_prev")}
    formats |= {"shown_rate": RATE_FORMAT, "shown_rate_prev": RATE_FORMAT}
    formats |= {"shown_change_pp": PP_FORMAT, "change_n": CHANGE_FORMAT}
    changes = yoy(df, events=events, lang=lang)[list(REPORT_COLUMNS)]
    # The province first, then its districts, then communes; indicators in the report's order.
    order = pd.DataFrame(
        {
            "level": changes["level"].map({v: i for i, v in enumerate(LEVELS)}),
            "indicator": changes["indicator"].map({c: i for i, c in enumerate(indicators())}),
        }
    )
    changes = changes.loc[
        order.assign(area=changes["area"], year=changes["year"])
        .sort_values(["level", "indicator", "area", "year"], kind="stable")
        .index
    ]
    frame = _labelled(changes.reset_index(drop=True), lang)
    _table_sheet(wb, word("excel.yoy", lang), frame, formats, lang, wrap=_YOY_WRAP)


def _findings_sheet(wb: Workbook, findings: pd.DataFrame, lang: Lang) -> None:
    name = word("excel.findings", lang)
    if findings.empty:
        ws = wb.create_sheet(name)
        ws.cell(1, 1, word("excel.no_findings", lang)).font = Font(name=FONT, bold=True)
        print_setup(ws, lang=lang)
        return
    frame = _labelled(findings[_FINDING_COLUMNS], lang)
    _table_sheet(wb, name, frame, {}, lang, wrap=_FINDINGS_WRAP)


def _data_sheet(wb: Workbook, df: pd.DataFrame | int, lang: Lang) -> None:
    name = word("excel.data", lang)
    if isinstance(df, int) or len(df) > MAX_DATA_ROWS:
        ws = wb.create_sheet(name)
        n = df if isinstance(df, int) else len(df)
        ws.cell(1, 1, word("excel.data_elsewhere", lang, n=n))
        print_setup(ws, lang=lang)
        return
    formats = {"achieved": COUNT_FORMAT, "total": COUNT_FORMAT}
    formats |= {"rate": RATE_FORMAT, "reported_rate": RATE_FORMAT}
    _table_sheet(wb, name, _labelled(df, lang), formats, lang)


def to_excel(
    df: pd.DataFrame,
    path: str | os.PathLike[str],
    *,
    findings: pd.DataFrame | None = None,
    lang: Lang = "vi",
    charts: bool = True,
    events: EventsLike = None,
    pictures: Sequence[Path] | None = None,
    paragraphs: dict[int, str] | None = None,
) -> Path:
    """Write the committee's Excel report of a tidy table.

    Sheets: the summary text of each year; one sheet per indicator group
    with area × year tables of counts ("#,##0") and rates ("0.00%", with a
    colour scale); the year-over-year table (the shown rates and their
    change, as the summary states it, and the event where none compares);
    the findings; the charts; the tidy data. Codes are shown as words of
    ``lang`` (levels, indicators, severities, and a readable name beside each
    rule code). Header rows are frozen, columns sized to fit, long messages
    wrapped. Every sheet prints
    on A4 landscape, one page wide, its header row repeated on each page;
    each chart prints on a page of its own. The file is written atomically.

    Parameters
    ----------
    df
        A tidy table (anything :func:`antq.as_tidy` accepts).
    path
        The .xlsx file to write.
    findings
        A findings table (default: :func:`antq.validate` of ``df``).
    lang
        "vi" (default) or "en".
    charts
        Embed the standard charts (PNG) on a sheet of their own.
    events
        The user's known events (``events.csv``, its folder, or a table;
        :func:`antq.read_events`): the summaries, the year-over-year sheet and
        the charts say the same about them.
    pictures
        The charts already drawn (PNG files, e.g. by :func:`antq.outputs.figures.figures`
        for the same table and ``lang``): embedded instead of drawing them again.

    Returns
    -------
    Path

    Examples
    --------
    >>> import antq, tempfile
    >>> out = to_excel(antq.load("data/raw"), Path(tempfile.mkdtemp()) / "bao_cao.xlsx")
    >>> from openpyxl import load_workbook
    >>> load_workbook(out).sheetnames[:4]
    ['Tóm tắt', 'Văn hóa', 'An toàn ANTT', 'So với năm trước']
    """
    lang = as_lang(lang)
    df = as_tidy(df, require_source=False)
    if findings is None:
        findings = validate(df, lang=lang, events=events)
    shown = df[df["level"].isin(report_levels(df))]
    return write_report(
        shown,
        df if len(df) <= MAX_DATA_ROWS else len(df),
        Path(path),
        findings=findings,
        lang=lang,
        charts=charts,
        events=events,
        pictures=pictures,
    )


def write_report(
    shown: pd.DataFrame,
    data: pd.DataFrame | int,
    path: Path,
    *,
    findings: pd.DataFrame,
    lang: Lang,
    charts: bool = True,
    events: EventsLike = None,
    pictures: Sequence[Path] | None = None,
    paragraphs: dict[int, str] | None = None,
) -> Path:
    """The report of :func:`to_excel` from its parts: ``shown``, the rows of the levels its
    tables show (:func:`report_levels`); ``data``, the table for the data sheet, or its
    number of rows when above :data:`MAX_DATA_ROWS` (the sheet then says where the data is).

    ``antq build`` calls this with parts it keeps, not with a national table, and with
    ``paragraphs``, the summaries it wrote to ``summary/`` by year (computed here when None).
    """
    wb = Workbook()
    wb.remove(wb.active)
    _summary_sheet(wb, shown, lang, events, paragraphs)
    # Area × year tables have one row per unit: names several units bear get their district.
    by_label = shown.assign(area=area_labels(shown))
    for group, codes in _group_codes().items():
        _indicator_sheet(wb, by_label, groups()[group].label(lang), codes, lang)
    _yoy_sheet(wb, shown, lang, events)
    _findings_sheet(wb, findings, lang)
    if charts:
        _charts_sheet(wb, shown, lang, events, pictures)
    _data_sheet(wb, data, lang)
    return save(wb, Path(path), [_FAST[ws] for ws in wb.worksheets if ws in _FAST])


#: The largest picture a page holds, in pixels at 96 dpi: A4 landscape within default margins,
#: below the repeated title row.
_PAGE_PX: tuple[int, int] = (900, 480)
#: Excel's default row height in pixels (15 points).
_ROW_PX: int = 20


def _charts_sheet(
    wb: Workbook,
    df: pd.DataFrame,
    lang: Lang,
    events: EventsLike,
    pictures: Sequence[Path] | None,
) -> None:
    """Each standard chart on a page of its own, scaled to fit the page whole."""
    if pictures is None:
        with tempfile.TemporaryDirectory(prefix="antq-charts-") as tmp:
            _embed(wb, figures(df, Path(tmp), lang=lang, events=events), lang)
    else:
        _embed(wb, pictures, lang)


def _embed(wb: Workbook, pictures: Sequence[Path], lang: Lang) -> None:
    from openpyxl.drawing.image import Image

    name = word("excel.charts", lang)
    ws = wb.create_sheet(name)
    _title(ws, f"{word('excel.title', lang)} — {name}")
    row = 3
    for k, png in enumerate(pictures):
        img = Image(io.BytesIO(png.read_bytes()))
        scale = min(_PAGE_PX[0] / img.width, _PAGE_PX[1] / img.height)
        img.width, img.height = int(img.width * scale), int(img.height * scale)
        if k:
            ws.row_breaks.append(Break(id=row - 1))
        ws.add_image(img, f"A{row}")
        rows = -(-img.height // _ROW_PX) + 2
        for r in range(row, row + rows):
            # Explicit heights: Excel and LibreOffice then agree where the picture ends.
            ws.row_dimensions[r].height = _ROW_PX * 0.75
        row += rows
    print_setup(ws, lang=lang)
