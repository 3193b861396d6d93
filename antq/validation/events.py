"""The user's table of known events (``events.csv``) against the table it explains."""

from __future__ import annotations

import pandas as pd

from antq.findings import Finding, finding
from antq.series.events import EVENTS_FILE
from antq.validation.engine import rule

__all__: list[str] = []


def unmatched_events(df: pd.DataFrame, *, events: pd.DataFrame | None = None) -> list[Finding]:
    """An event whose area names no area, province or district of the table (a typo?).

    Such an event explains nothing: the jumps it was meant for stay warnings.

    Examples
    --------
    >>> from antq.series.events import read_events
    >>> t = pd.DataFrame({"area": ["Huyện Hải Hậu"], "province": ["Tỉnh Nam Định"],
    ...     "district": [None]})
    >>> ev = read_events(pd.DataFrame({"date": ["2020"], "area": ["Huyện Hải Hâu"],
    ...     "description": ["sáp nhập thôn"]}))
    >>> [f.message for f in unmatched_events(t, events=ev)]  # doctest: +ELLIPSIS
    ["Sự kiện 'sáp nhập thôn' (events.csv dòng 2) ghi đơn vị 'Huyện Hải Hâu' nhưng ..."]
    """
    if events is None or events.empty:
        return []
    names: set[str] = set()
    for col in ("area", "province", "district"):
        if col in df.columns:
            names |= set(df[col].dropna().astype(str))
    out: list[Finding] = []
    for ev in events.itertuples(index=False):
        if pd.isna(ev.area) or str(ev.area) in names:
            continue
        out.append(
            finding(
                "events.unmatched",
                EVENTS_FILE,
                year=int(ev.year),
                area=str(ev.area),
                event=str(ev.description),
                line=int(ev.line),
                name=str(ev.area),
                found=str(ev.area),
            )
        )
    return out


rule("events.unmatched", events=True)(unmatched_events)
