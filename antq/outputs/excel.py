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
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter

from antq._io import atomic_write
from antq.errors import AntqError
from antq.findings import FINDING_COLUMNS
from antq.metrics.yoy import YOY_COLUMNS, yoy
from antq.outputs.figures import figures
from antq.outputs.summary import summary
from antq.schema import as_tidy
from antq.types import LEVELS, Lang
from antq.validation import validate
from antq.vocab import Words, groups, indicators, label, word, words

__all__ = [
    "COUNT_FORMAT",
    "FONT",
    "RATE_FORMAT",
    "body_cell",
    "head_cell",
    "print_setup",
    "to_excel",
]

#: Excel number formats (shown "1.234" and "94,75%" under a Vietnamese locale).
COUNT_FORMAT: str = "#,##0"
RATE_FORMAT: str = "0.00%"
PP_FORMAT: str = "+0.00;-0.00;0.00"

FONT = "Times New Roman"
_THIN = Side(style="thin", color="999999")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", start_color="FFDDEBF7", end_color="FFDDEBF7")


def _group_codes() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {g: [] for g in groups()}
    for code, ind in indicators().items():
        out[ind.group].append(code)
    return out


_YOY_COLUMNS = list(YOY_COLUMNS)
_FINDING_COLUMNS = list(FINDING_COLUMNS)


def _heads(columns: list[str], lang: Lang) -> list[str]:
    return [word(f"col.{c}", lang) if f"col.{c}" in words() else c for c in columns]


def _label(code: str, lang: Lang) -> str:
    return label(code, lang)


def _style(cell: Any, name: str, make: Callable[[], NamedStyle]) -> None:
    """Give ``cell`` the workbook's named style ``name``, registering it on first use.

    A named style is one index per cell; setting font, border and format cell by
    cell makes openpyxl hash each style object again (minutes for a national report).
    """
    wb = cell.parent.parent
    if name not in wb.named_styles:
        wb.add_named_style(make())
    cell.style = name


def head_cell(cell: Any, *, wrap: bool = True) -> None:
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


def body_cell(cell: Any, fmt: str | None = None) -> None:
    """A body cell: boxed, in the report's font, with a number format."""

    def make() -> NamedStyle:
        return NamedStyle(
            name=f"antq body {fmt}",
            font=Font(name=FONT),
            border=_BOX,
            number_format=fmt or "General",
        )

    _style(cell, f"antq body {fmt}", make)


def print_setup(ws) -> None:
    """Landscape A4, one page wide: the sheet prints as it reads on screen."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _fit_columns(ws, minimum: float = 8, maximum: float = 60) -> None:
    widths: dict[int, float] = {}
    merged = {
        (r, c)
        for rng in ws.merged_cells.ranges
        for r in range(rng.min_row, rng.max_row + 1)
        for c in range(rng.min_col, rng.max_col + 1)
        if rng.max_col > rng.min_col
    }
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is None or (cell.row, cell.column) in merged:
                continue
            if isinstance(cell.value, float):
                text = f"{cell.value:,.2f}"
            else:
                text = str(cell.value)
            longest = max(len(line) for line in text.split("\n"))
            widths[cell.column] = max(widths.get(cell.column, 0), longest * 1.1 + 2)
    for col, width in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = max(minimum, min(maximum, width))


#: The report's tables list areas level by level from the top while they fit: a committee
#: reads provinces and districts; ten thousand communes belong in the CSV, not on paper.
MAX_REPORT_AREAS: int = 300
#: Above this many rows the tidy data is left to tidy.parquet / tidy.csv.
MAX_DATA_ROWS: int = 100_000


def _report_levels(df: pd.DataFrame) -> list[str]:
    """The levels the report's tables show: from the top down, while the areas fit."""
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


def _indicator_sheet(
    wb: Workbook, df: pd.DataFrame, name: str, codes: list[str], lang: Lang
) -> None:
    w = Words("excel", lang)
    ws = wb.create_sheet(name)
    years = sorted(int(y) for y in df["year"].unique())
    areas = _area_order(df)
    ws.cell(1, 1, f"{w['title']} — {name}").font = Font(name=FONT, bold=True, size=13)
    r = 3
    for code in codes:
        sub = df[df["indicator"] == code]
        if sub.empty:
            continue
        shown = sub["reported_rate"].fillna(sub["rate"])
        counts = sub.pivot_table(
            index="area", columns="year", values="achieved", aggfunc="first"
        ).reindex(index=areas, columns=years)
        rates = (
            sub.assign(_r=shown)
            .pivot_table(index="area", columns="year", values="_r", aggfunc="first")
            .reindex(index=areas, columns=years)
        )
        for block, table, fmt in (
            (w["counts"], counts, COUNT_FORMAT),
            (w["rates"], rates, RATE_FORMAT),
        ):
            if table.isna().all().all():
                continue
            ws.cell(r, 1, f"{_label(code, lang)} — {block}").font = Font(name=FONT, bold=True)
            r += 1
            head_cell(ws.cell(r, 1, word("col.area", lang)))
            for j, y in enumerate(years, start=2):
                head_cell(ws.cell(r, j, y))
            first = r + 1
            for i, area in enumerate(table.index, start=first):
                body_cell(ws.cell(i, 1, area))
                for j, y in enumerate(years, start=2):
                    v = table.loc[area, y]
                    cell = ws.cell(
                        i, j, None if pd.isna(v) else (float(v) if fmt == RATE_FORMAT else int(v))
                    )
                    body_cell(cell, fmt)
            last = first + len(table.index) - 1
            if fmt == RATE_FORMAT:
                rng = f"B{first}:{get_column_letter(len(years) + 1)}{last}"
                # Light to dark blue: readable in grey and for colour-blind readers.
                ws.conditional_formatting.add(
                    rng,
                    ColorScaleRule(
                        start_type="min",
                        start_color="FFF7FBFF",
                        end_type="max",
                        end_color="FF6BAED6",
                    ),
                )
            r = last + 2
    ws.freeze_panes = "B3"
    _fit_columns(ws)
    print_setup(ws)
    ws.column_dimensions["A"].width = max(ws.column_dimensions["A"].width, 24)


def _table_sheet(
    wb: Workbook, name: str, head: list[str], frame: pd.DataFrame, formats: dict[int, str]
) -> None:
    ws = wb.create_sheet(name)
    for j, h in enumerate(head, start=1):
        head_cell(ws.cell(1, j, h))
    for i, row in enumerate(frame.itertuples(index=False), start=2):
        for j, v in enumerate(row, start=1):
            value = None if v is None or (not isinstance(v, str) and pd.isna(v)) else v
            if value is not None and hasattr(value, "item"):
                value = value.item()  # numpy scalars to Python numbers
            body_cell(ws.cell(i, j, value), formats.get(j))
    ws.freeze_panes = "A2"
    print_setup(ws)
    if len(frame):
        ws.auto_filter.ref = f"A1:{get_column_letter(len(head))}{len(frame) + 1}"
    _fit_columns(ws)


def to_excel(
    df: pd.DataFrame,
    path: str | os.PathLike[str],
    *,
    findings: pd.DataFrame | None = None,
    lang: Lang = "vi",
    charts: bool = True,
) -> Path:
    """Write the committee's Excel report of a tidy table.

    Sheets: the summary text of each year; one sheet per indicator group
    with area × year tables of counts ("#,##0") and rates ("0.00%", with a
    colour scale); the year-over-year table; the findings; the charts; the
    tidy data. Header rows are frozen and columns sized to fit. The file is
    written atomically.

    Parameters
    ----------
    df
        A tidy table.
    path
        The .xlsx file to write.
    findings
        A findings table (default: :func:`antq.validate` of ``df``).
    lang
        "vi" (default) or "en".
    charts
        Embed the standard charts (PNG) on a sheet of their own.

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
    df = as_tidy(df, require_source=False)
    w = Words("excel", lang)
    if findings is None:
        findings = validate(df, lang=lang)
    full = df
    df = df[df["level"].isin(_report_levels(df))]
    wb = Workbook()
    ws = wb.active
    ws.title = w["summary"]
    ws.cell(1, 1, w["title"]).font = Font(name=FONT, bold=True, size=13)
    r = 3
    for y in sorted((int(y) for y in df["year"].unique()), reverse=True):
        try:
            text = summary(df, year=y, lang=lang)
        except AntqError:
            continue
        year_cell = ws.cell(r, 1, y)
        year_cell.font = Font(name=FONT, bold=True)
        year_cell.alignment = Alignment(vertical="top")
        cell = ws.cell(r, 2, text)
        cell.font = Font(name=FONT)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[r].height = 15 * (len(text) // 110 + 1)
        r += 1
    ws.column_dimensions["A"].width = 8
    ws.column_dimensions["B"].width = 120
    print_setup(ws)
    for group, codes in _group_codes().items():
        _indicator_sheet(wb, df, groups()[group].label(lang), codes, lang)
    changes = yoy(df)
    changes = changes.assign(
        level=changes["level"].map(lambda lv: word(f"level.{lv}", lang)),
        indicator=changes["indicator"].map(lambda c: _label(c, lang)),
    )
    _table_sheet(
        wb,
        w["yoy"],
        _heads(_YOY_COLUMNS, lang),
        changes,
        {
            5: COUNT_FORMAT,
            6: COUNT_FORMAT,
            7: COUNT_FORMAT,
            8: COUNT_FORMAT,
            9: RATE_FORMAT,
            10: RATE_FORMAT,
            11: PP_FORMAT,
            12: RATE_FORMAT,
        },
    )
    if findings.empty:
        ws_f = wb.create_sheet(w["findings"])
        ws_f.cell(1, 1, w["no_findings"])
    else:
        _table_sheet(wb, w["findings"], _heads(_FINDING_COLUMNS, lang), findings, {})
    if charts:
        _charts_sheet(wb, df, w["charts"], lang)
    if len(full) <= MAX_DATA_ROWS:
        data = full.assign(level=full["level"].map(lambda lv: word(f"level.{lv}", lang)))
        _table_sheet(
            wb,
            w["data"],
            list(full.columns),
            data,
            {5: COUNT_FORMAT, 6: COUNT_FORMAT, 7: RATE_FORMAT, 8: RATE_FORMAT},
        )
    else:
        wb.create_sheet(w["data"]).cell(1, 1, w["data_elsewhere"].format(n=len(full)))
    return atomic_write(Path(path), wb.save)


def _charts_sheet(wb: Workbook, df: pd.DataFrame, name: str, lang: Lang) -> None:
    from openpyxl.drawing.image import Image

    ws = wb.create_sheet(name)
    tmp = Path(tempfile.mkdtemp(prefix="antq-charts-"))
    row = 1
    for png in figures(df, tmp, lang=lang):
        img = Image(io.BytesIO(png.read_bytes()))
        scale = 720 / img.width
        img.width, img.height = int(img.width * scale), int(img.height * scale)
        ws.add_image(img, f"A{row}")
        row += int(img.height / 20) + 2
        png.unlink()
    tmp.rmdir()
