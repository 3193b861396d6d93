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

from antq._version import __version__
from antq.errors import (
    AntqError,
    AntqWarning,
    AreaLookupError,
    CellValueError,
    FileTooLargeError,
    NoTableError,
    NothingToDrawError,
    SchemaError,
    UnreadableFileError,
    VocabularyError,
)
from antq.metrics.yoy import yoy
from antq.outputs.annotate import annotate
from antq.outputs.display import readable
from antq.outputs.excel import to_excel
from antq.outputs.form import template
from antq.outputs.summary import summary
from antq.pipeline import build, check
from antq.reading.reader import ReadOptions, ReadResult, load, read
from antq.registry import area, areas
from antq.schema import KEY, TIDY_COLUMNS, TIDY_DTYPES, as_tidy, check_tidy, read_tidy
from antq.series import Harmonised, harmonise, read_events, regions
from antq.validation import validate
from antq.vocab import indicator_table

__all__ = [
    "KEY",
    "TIDY_COLUMNS",
    "TIDY_DTYPES",
    "AntqError",
    "AntqWarning",
    "AreaLookupError",
    "CellValueError",
    "FileTooLargeError",
    "Harmonised",
    "NoTableError",
    "NothingToDrawError",
    "ReadOptions",
    "ReadResult",
    "SchemaError",
    "UnreadableFileError",
    "VocabularyError",
    "__version__",
    "annotate",
    "area",
    "areas",
    "as_tidy",
    "build",
    "check",
    "check_tidy",
    "harmonise",
    "indicator_table",
    "load",
    "read",
    "read_events",
    "read_tidy",
    "readable",
    "regions",
    "summary",
    "template",
    "to_excel",
    "validate",
    "yoy",
]
