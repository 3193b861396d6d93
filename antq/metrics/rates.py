"""The rate a report shows: one definition, used by the summary, the charts and the report."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

__all__ = ["shown_rate", "shown_rates"]


def shown_rates(data: pd.DataFrame) -> pd.Series:
    """Per row, the rate a report shows: the rate written in the file, else achieved / total.

    A fraction (0.9475), Float64, NA where there is neither.

    Examples
    --------
    >>> df = pd.DataFrame({"reported_rate": [0.9475, None], "rate": [0.9593, 0.5]})
    >>> shown_rates(df).tolist()
    [0.9475, 0.5]
    """
    return data["reported_rate"].astype("Float64").fillna(data["rate"].astype("Float64"))


def shown_rate(row: Mapping[str, object]) -> float | None:
    """The rate one row shows (see :func:`shown_rates`), or None.

    Examples
    --------
    >>> shown_rate({"reported_rate": 0.9475, "rate": 0.9593})
    0.9475
    """
    for col in ("reported_rate", "rate"):
        v = row.get(col)
        if v is not None and not pd.isna(v):
            return float(v)  # type: ignore[arg-type]
    return None
