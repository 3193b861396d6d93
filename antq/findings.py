"""The findings table: read problems and validation results share one shape."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import pandas as pd

__all__ = [
    "FINDING_COLUMNS",
    "READ_MESSAGES",
    "SEVERITIES",
    "Finding",
    "findings_frame",
    "read_finding",
]

#: Severities, most serious first.
SEVERITIES: tuple[str, ...] = ("error", "warning", "info")

FINDING_COLUMNS: tuple[str, ...] = (
    "severity",
    "rule",
    "year",
    "area",
    "level",
    "indicator",
    "source",
    "message",
    "expected",
    "found",
)


@dataclass(frozen=True)
class Finding:
    """One problem, pointing at a file, sheet and cell where it can."""

    severity: str
    rule: str
    source: str
    message: str
    expected: str = ""
    found: str = ""
    year: int | None = None
    area: str | None = None
    level: str | None = None
    indicator: str | None = None
    #: The message in English, where it was written in both languages.
    message_en: str = ""

    @property
    def text(self) -> str:
        """One line: ``source: severity [rule] message``."""
        return f"{self.source}: {self.severity} [{self.rule}] {self.message}"


#: Messages of the problems found while reading, in Vietnamese and English.
READ_MESSAGES: dict[str, dict[str, str]] = {
    "read.unreadable": {"vi": "{reason_vi}", "en": "{reason}"},
    "read.not_a_number": {
        "vi": "Ô ghi {found!r} trong khi cần {expected_vi}; đọc là trống (NA).",
        "en": "The cell holds {found!r} where {expected_en} was expected; read as NA.",
    },
    "read.uncached_formula": {
        "vi": "Ô chứa công thức chưa được tính (file lưu bằng chương trình, chưa mở bằng Excel); "
        "mở file bằng Excel, lưu lại rồi đọc lại.",
        "en": "The cell holds a formula with no saved value (the file was written by a program "
        "and never saved by Excel); open it in Excel, save it and read it again.",
    },
    "read.no_area": {
        "vi": "Dòng {row} có số liệu nhưng không có tên đơn vị ở cột {col}; số liệu của dòng "
        "này không được đọc.",
        "en": "Row {row} has numbers but no area name in column {col}; its numbers were not read.",
    },
    "read.unknown_area": {
        "vi": "Đơn vị '{name}' không có trong danh mục của antq; giữ nguyên như đã ghi.",
        "en": "Area '{name}' is not in antq's list of areas; kept as written.",
    },
    "read.unknown_areas": {
        "vi": "{n} đơn vị không có trong danh mục của antq (như {names}, …); giữ nguyên như đã "
        "ghi.",
        "en": "{n} areas are not in antq's list of areas (such as {names}, …); kept as written.",
    },
    "read.unrecognised_column": {
        "vi": "Cột '{header}' có {n} số liệu nhưng tiêu đề không ứng với chỉ tiêu nào; các số "
        "này không được đọc.",
        "en": "Column '{header}' holds {n} numbers but its header names no known indicator; "
        "they were not read.",
    },
    "read.duplicate_column": {
        "vi": "Cột '{header}' trùng vai trò với cột '{first}'; chỉ đọc cột thứ nhất.",
        "en": "Column '{header}' reads as the same column as '{first}'; only the first is read.",
    },
    "read.fraction_total": {
        "vi": "Tổng số trong phân số ({frac}) khác cột tổng số ({total}); dùng cột tổng số.",
        "en": "The fraction's total ({frac}) differs from the total column ({total}); "
        "the total column is used.",
    },
    "read.hidden_sheet": {
        "vi": "Sheet '{sheet}' bị ẩn nên không đọc; dùng include_hidden=True để đọc.",
        "en": "Sheet '{sheet}' is hidden and was not read; pass include_hidden=True to read it.",
    },
    "read.no_table": {
        "vi": "Sheet '{sheet}' không có bảng chỉ tiêu nên được bỏ qua.",
        "en": "Sheet '{sheet}' holds no indicator table and was skipped.",
    },
    "read.duplicate": {
        "vi": "{area}, {indicator}, năm {year} được đọc hai lần, ở đây và tại {other}; "
        "{verdict_vi}",
        "en": "{area}, {indicator}, {year} is read twice, here and at {other}; {verdict_en}",
    },
}


def read_finding(
    severity: str,
    rule: str,
    source: str,
    *,
    expected: str = "",
    found: str = "",
    year: int | None = None,
    area: str | None = None,
    level: str | None = None,
    indicator: str | None = None,
    **params: object,
) -> Finding:
    """A finding of the reading stages, its message written in both languages.

    Examples
    --------
    >>> f = read_finding("info", "read.no_table", "a.xlsx!Mo hinh", sheet="Mo hinh")
    >>> f.message
    "Sheet 'Mo hinh' không có bảng chỉ tiêu nên được bỏ qua."
    """
    texts = READ_MESSAGES[rule]
    fields = {
        "found": found,
        "year": year,
        "area": area,
        "level": level,
        "indicator": indicator,
        **params,
    }
    return Finding(
        severity,
        rule,
        source,
        texts["vi"].format(**fields),
        expected=expected,
        found=found,
        year=year,
        area=area,
        level=level,
        indicator=indicator,
        message_en=texts["en"].format(**fields),
    )


def findings_frame(findings: list[Finding], lang: str = "vi") -> pd.DataFrame:
    """Findings as a DataFrame with the columns of :data:`FINDING_COLUMNS`.

    ``lang="en"`` takes the English message where a finding has one.

    Examples
    --------
    >>> f = Finding("warning", "read.unknown_area", "a.xlsx!S!B9", "Unknown area.")
    >>> findings_frame([f]).loc[0, "rule"]
    'read.unknown_area'
    """
    rows = []
    for f in findings:
        row = asdict(f)
        if lang == "en" and f.message_en:
            row["message"] = f.message_en
        rows.append(row)
    df = pd.DataFrame(rows, columns=list(FINDING_COLUMNS))
    df = df.astype(
        {
            "severity": "string",
            "rule": "string",
            "year": "Int64",
            "area": "string",
            "level": "string",
            "indicator": "string",
            "source": "string",
            "message": "string",
            "expected": "string",
            "found": "string",
        }
    )
    order = {s: i for i, s in enumerate(SEVERITIES)}
    key = df["severity"].map(order).astype("int64") if len(df) else None
    if key is not None:
        df = df.assign(_k=key).sort_values(["_k", "source"], kind="stable").drop(columns="_k")
    return df.reset_index(drop=True)
