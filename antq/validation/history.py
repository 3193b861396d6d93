"""Values that stand apart from both neighbouring years: a typo rather than a trend."""

from __future__ import annotations

import numpy as np
import pandas as pd

from antq.findings import Count, Finding, Pct, Word
from antq.types import Lang
from antq.validation.denominators import rows_with, with_neighbours
from antq.validation.engine import row_finding, rule

__all__ = ["SPIKE_PP", "SPIKE_RATIO"]

#: A rate that jumps away from both neighbouring years by more than this (percentage points).
SPIKE_PP: float = 10.0
#: A count that is this many times above (or below) both neighbouring years.
SPIKE_RATIO: float = 1.5


def spikes(df: pd.DataFrame) -> list[Finding]:
    out: list[Finding] = []
    work = with_neighbours(df, ["rate", "achieved"])
    rate = work[["rate", "rate_prev", "rate_next"]].astype(float).to_numpy() * 100
    d1, d2 = rate[:, 0] - rate[:, 1], rate[:, 0] - rate[:, 2]
    rate_spike = (np.minimum(np.abs(d1), np.abs(d2)) > SPIKE_PP) & (d1 * d2 > 0)
    cnt = work[["achieved", "achieved_prev", "achieved_next"]].astype(float).to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        r1, r2 = cnt[:, 0] / cnt[:, 1], cnt[:, 0] / cnt[:, 2]
    positive = (cnt > 0).all(axis=1)
    count_spike = positive & (
        ((r1 > SPIKE_RATIO) & (r2 > SPIKE_RATIO))
        | ((r1 < 1 / SPIKE_RATIO) & (r2 < 1 / SPIKE_RATIO))
    )
    count_spike &= ~rate_spike
    for mask, what, col, src in (
        (rate_spike, "rate", "rate", "rate_source"),
        (count_spike, "count", "achieved", "source"),
    ):
        for _, row in rows_with(df, work, mask).iterrows():
            shown = [
                Pct(float(v), 2) if what == "rate" else Count(int(v))
                for v in (row[col], row[f"{col}_prev"], row[f"{col}_next"])
            ]
            y = int(row["year"])
            out.append(
                row_finding(
                    "history.spike",
                    row,
                    src,
                    what=Word(f"what.{what}"),
                    prev=y - 1,
                    before=shown[1],
                    next=y + 1,
                    after=shown[2],
                    expected=_Between(shown[1], shown[2]),
                    found=shown[0],
                )
            )
    return out


rule("history.spike")(spikes)


class _Between:
    def __init__(self, low: Pct | Count, high: Pct | Count) -> None:
        self.low, self.high = low, high

    def render(self, lang: Lang) -> str:
        return f"{self.low.render(lang)} … {self.high.render(lang)}"
