"""antq: the yearly results of the movement "Toàn dân bảo vệ an ninh Tổ quốc", as tidy tables.

Load district Excel reports into one tidy table, check it, compute
year-over-year rates and write the annual summary.

Examples
--------
>>> import antq
>>> df = antq.load("data/raw")
>>> int(df.query("year == 2020 and area == 'Tỉnh Nam Định' and indicator == 'safe_commune'")
...     ["achieved"].iloc[0])
223
"""

from antq.errors import (
    AntqError,
    AntqWarning,
    CellValueError,
    FileTooLargeError,
    NoTableError,
    SchemaError,
    UnreadableFileError,
)
from antq.metrics.yoy import yoy
from antq.outputs.excel import template, to_excel
from antq.outputs.summary import summary
from antq.reading.reader import load, read
from antq.schema import TIDY_COLUMNS, TIDY_DTYPES, check_tidy
from antq.validation.rules import check, validate
from antq.vocab import indicator_table

__version__ = "0.1.0"

__all__ = [
    "TIDY_COLUMNS",
    "TIDY_DTYPES",
    "AntqError",
    "AntqWarning",
    "CellValueError",
    "FileTooLargeError",
    "NoTableError",
    "SchemaError",
    "UnreadableFileError",
    "check",
    "check_tidy",
    "indicator_table",
    "load",
    "read",
    "summary",
    "template",
    "to_excel",
    "validate",
    "yoy",
]
