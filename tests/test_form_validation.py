"""The reporting form's data validations, read back with openpyxl and evaluated as Excel would.

Excel refuses a typed value that breaks a cell's rule. The rules are read from
the saved file and evaluated here for values a clerk might type: whole numbers
from 0, an achieved count no larger than its total, anything while the total is
still blank; never a negative, a fraction of a unit or a word.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

import antq
from antq.outputs.form import template

_REF = re.compile(r"\b([A-Z]{1,3})(\d+)\b")


class Blank(int):
    """An empty cell: equal to "" and, in a comparison with a number, 0 (as in Excel)."""

    def __eq__(self, other: object) -> bool:
        return other == "" or int.__eq__(self, other)

    def __hash__(self) -> int:
        return 0


BLANK = Blank(0)


def _int(x: object) -> int:
    if isinstance(x, str):
        raise ValueError("#VALUE!")  # INT("abc")
    return int(x // 1)  # type: ignore[operator]


def _python(formula: str, shift: tuple[int, int]) -> str:
    """The custom formula as Python for the cell ``shift`` (rows, columns) from the top left."""
    dr, dc = shift

    def ref(m: re.Match[str]) -> str:
        col = get_column_letter(column_index_from_string(m.group(1)) + dc)
        return f"V[{col + str(int(m.group(2)) + dr)!r}]"

    text = _REF.sub(ref, formula)
    text = text.replace("AND(", "_and(").replace("OR(", "_or(").replace("INT(", "_int(")
    text = text.replace("<>", "!=")
    text = re.sub(r"(?<![<>!=])=(?!=)", "==", text)
    return text


def accepts(ws: Worksheet, ref: str, value: object, others: dict[str, object]) -> bool:
    """Whether Excel takes ``value`` typed into ``ref``, the other cells holding ``others``."""
    rules = [dv for dv in ws.data_validations.dataValidation if ref in dv.sqref]
    assert len(rules) == 1, f"{ref}: {len(rules)} validations"
    dv = rules[0]
    assert dv.showErrorMessage and dv.error  # a refusal, with a message
    if value is None:
        return bool(dv.allow_blank)
    if dv.type == "whole":
        assert (dv.operator, dv.formula1) == ("greaterThanOrEqual", "0")
        return isinstance(value, int | float) and value == int(value) and value >= 0
    assert dv.type == "custom", dv.type
    top = _top_left(dv)
    m = _REF.fullmatch(ref)
    assert m is not None
    shift = (int(m.group(2)) - top[1], column_index_from_string(m.group(1)) - top[0])
    cells: dict[str, object] = {k: (BLANK if v is None else v) for k, v in others.items()}
    cells[ref] = value
    values = _Cells(cells)
    code = _python(str(dv.formula1), shift)
    try:
        return bool(eval(code, {"_and": _and, "_or": _or, "_int": _int, "V": values}))
    except (TypeError, ValueError):
        return False  # an error value (#VALUE!) fails the rule


class _Cells(dict[str, object]):
    def __missing__(self, key: str) -> object:
        return BLANK


def _and(*xs: object) -> bool:
    return all(xs)


def _or(*xs: object) -> bool:
    return any(xs)


def _top_left(dv: DataValidation) -> tuple[int, int]:
    """(column, row) of the first cell the rule's formula is written for."""
    first = sorted(dv.sqref.ranges, key=lambda r: (r.min_row, r.min_col))[0]
    return first.min_col, first.min_row


@pytest.fixture(scope="module")
def form(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pd.DataFrame]:
    path = template(
        tmp_path_factory.mktemp("form") / "form.xlsx", year=2024, parent="Tỉnh Nam Định"
    )
    return path, antq.read(path).table


def _cell(source: str) -> str:
    return source.split("!")[-1]


def test_every_input_cell_has_one_rule_and_computed_cells_none(form):
    path, blank = form
    ws = load_workbook(path).active
    body = blank[~blank["is_total"]]
    inputs = {_cell(s) for col in ("source", "total_source") for s in body[col].dropna()}
    covered = {
        f"{get_column_letter(c)}{r}"
        for dv in ws.data_validations.dataValidation
        for rng in dv.sqref.ranges
        for r in range(rng.min_row, rng.max_row + 1)
        for c in range(rng.min_col, rng.max_col + 1)
    }
    assert covered == inputs
    assert len(inputs) == 9 * 15  # nine districts × (6 totals + 9 achieved counts)
    computed = {_cell(s) for s in blank["rate_source"].dropna()}
    computed |= {
        _cell(s)
        for col in ("source", "total_source")
        for s in blank.loc[blank["is_total"], col].dropna()
    }
    assert computed and not computed & covered


@pytest.mark.parametrize(
    "value, ok",
    [(0, True), (3462, True), (None, True), (-1, False), (2.5, False), ("ba", False)],
)
def test_a_total_takes_whole_numbers_from_zero(form, value, ok):
    path, blank = form
    ws = load_workbook(path).active
    row = blank[~blank["is_total"] & (blank["indicator"] == "safe_school")].iloc[0]
    assert accepts(ws, _cell(row["total_source"]), value, {}) is ok


@pytest.mark.parametrize(
    "indicator",
    ["safe_school", "cultural_family", "cultural_residential_area", "safe_residential_area"],
)
@pytest.mark.parametrize(
    "value, total, ok",
    [
        (0, 100, True),
        (99, 100, True),
        (100, 100, True),  # achieved = total
        (101, 100, False),  # achieved above total
        (-1, 100, False),
        (2.5, 100, False),
        ("năm mươi", 100, False),
        (None, 100, True),
        (500, None, True),  # the total not typed yet
        (0, 0, True),
        (1, 0, False),
    ],
)
def test_achieved_at_most_its_total(form, indicator, value, total, ok):
    path, blank = form
    ws = load_workbook(path).active
    rows = blank[~blank["is_total"] & (blank["indicator"] == indicator)]
    for _, row in rows.iloc[[0, -1]].iterrows():  # the rule holds on the first and last rows
        others = {_cell(row["total_source"]): total}
        assert accepts(ws, _cell(row["source"]), value, others) is ok, (row["area"], value, total)


def test_the_rule_reads_the_total_of_its_own_row(form):
    path, blank = form
    ws = load_workbook(path).active
    rows = blank[~blank["is_total"] & (blank["indicator"] == "safe_agency")]
    first, second = rows.iloc[0], rows.iloc[1]
    # A total of 10 on the next row does not bound this row's count.
    others = {_cell(first["total_source"]): 100, _cell(second["total_source"]): 10}
    assert accepts(ws, _cell(first["source"]), 50, others)
    assert not accepts(ws, _cell(second["source"]), 50, others)
