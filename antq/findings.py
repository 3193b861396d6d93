"""The findings table: read problems and validation results share one shape."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import pandas as pd

__all__ = ["FINDING_COLUMNS", "SEVERITIES", "Finding", "findings_frame"]

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

    @property
    def text(self) -> str:
        """One line: ``source: severity [rule] message``."""
        return f"{self.source}: {self.severity} [{self.rule}] {self.message}"


def findings_frame(findings: list[Finding]) -> pd.DataFrame:
    """Findings as a DataFrame with the columns of :data:`FINDING_COLUMNS`.

    Examples
    --------
    >>> f = Finding("warning", "read.unknown_area", "a.xlsx!S!B9", "Unknown area.")
    >>> findings_frame([f]).loc[0, "rule"]
    'read.unknown_area'
    """
    df = pd.DataFrame([asdict(f) for f in findings], columns=list(FINDING_COLUMNS))
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
