"""Keys read twice in a table put together by hand (the reader reports its own)."""

from __future__ import annotations

import pandas as pd

from antq.findings import Finding
from antq.reading.duplicates import find_duplicates
from antq.schema import KEY
from antq.validation.engine import rule
from antq.validation.keys import group_codes

__all__: list[str] = []


def duplicates(df: pd.DataFrame) -> list[Finding]:
    # A table read by antq has each key once: counting the keys is enough to know.
    _codes, n_keys = group_codes(df, list(KEY))
    if n_keys == len(df):
        return []
    return find_duplicates(df).findings


rule("duplicate")(duplicates)
