"""Keys read twice in a table put together by hand (the reader reports its own)."""

from __future__ import annotations

import pandas as pd

from antq.findings import Finding
from antq.reading.duplicates import find_duplicates
from antq.validation.engine import rule

__all__: list[str] = []


def duplicates(df: pd.DataFrame) -> list[Finding]:
    return find_duplicates(df).findings


rule("duplicate")(duplicates)
