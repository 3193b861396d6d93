"""The rule registry and :func:`validate`: every rule returns findings made one way.

A rule is a function ``(df) -> list[Finding]`` registered with ``rule("code")(fn)``
after its definition (not as a decorator: ``make mutate`` skips decorated functions).
Its messages are rows of ``antq/data/findings.csv``; its tolerances are named
constants in its own module, each with a test at its edge.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import astuple

import pandas as pd

from antq.findings import Finding, finding, findings_frame
from antq.schema import TIDY_COLUMNS, as_tidy
from antq.series.events import EventsLike, read_events
from antq.types import Lang, as_lang

__all__ = ["RATE_EPS", "RULES", "Rule", "once", "row_finding", "rule", "run_rules", "validate"]

#: Float slack when comparing a rate with the digits shown.
RATE_EPS: float = 1e-9

Rule = Callable[..., list[Finding]]
#: Rules by code, in the order they run.
RULES: dict[str, Rule] = {}
#: Rules that also take the user's known events (``events=``, :func:`antq.read_events`).
WITH_EVENTS: set[str] = set()


def rule(code: str, *, events: bool = False) -> Callable[[Rule], Rule]:
    """Register a validation rule under a stable code: ``rule("code")(fn)`` after the def.

    A rule is called with the table; with ``events=True`` also with the keyword
    ``events``, the user's table of known events (empty when none was given).
    """

    def deco(fn: Rule) -> Rule:
        RULES[code] = fn
        if events:
            WITH_EVENTS.add(code)
        return fn

    return deco


def _text(value: object) -> str | None:
    """``str(value)``, or None for a missing value of any kind."""
    return None if value is None or pd.isna(value) else str(value)


def row_finding(code: str, row: pd.Series, source_col: str = "source", **kw: object) -> Finding:
    """A finding about one row of the table, pointing at its ``source_col`` cell.

    The row's year, area, level and indicator fill the finding's fields;
    where the row has no ``source_col`` (a table without detail columns) or
    it is empty, the achieved cell is named instead.
    """
    src = row.get(source_col) if source_col in row.index else None
    if _text(src) is None:
        src = row.get("source")
    return finding(
        code,
        _text(src) or "",
        year=int(row["year"]),
        area=_text(row["area"]),
        level=_text(row["level"]),
        indicator=_text(row["indicator"]),
        **kw,
    )


def validate(
    df: pd.DataFrame,
    *,
    lang: Lang = "vi",
    rules: list[str] | None = None,
    events: EventsLike = None,
) -> pd.DataFrame:
    """Check a tidy table and return one row per problem found.

    Parameters
    ----------
    df
        A tidy table; with ``read(...).table`` (detail columns) the findings
        point at the total and rate cells too, not only at the achieved cell.
    lang
        Language of the messages: ``"vi"`` (default) or ``"en"``.
    rules
        Codes of :data:`RULES` to run (default: all).
    events
        The user's known events (``events.csv``: a path, the folder holding it,
        or a table; :func:`antq.read_events`). A total that jumps in the year of
        a known event (this table, the registry's changes of the map, or
        ``criteria.csv``) is one info finding per event, not a warning per row.

    Returns
    -------
    pandas.DataFrame
        ``severity, rule, year, area, level, indicator, source, message,
        expected, found``, errors first.

    Examples
    --------
    >>> import antq
    >>> f = validate(antq.load("data/raw"))
    >>> sorted(f.query("year == 2020 and level == 'province'")["rule"].unique())
    ['denominator.jump', 'rate.mismatch', 'rate.no_whole_total']
    """
    return findings_frame(run_rules(df, rules=rules, events=events), as_lang(lang))


def run_rules(
    df: pd.DataFrame, *, rules: list[str] | None = None, events: EventsLike = None
) -> list[Finding]:
    """The findings of the rules (all by default) over ``df``, each once."""
    known = read_events(events)
    detail = [c for c in df.columns if c not in TIDY_COLUMNS]
    tidy = as_tidy(df, require_source=False, unique=False)
    work = tidy.join(df[detail]) if detail else tidy
    found: list[Finding] = []
    for code, fn in RULES.items():
        if rules is None or code in rules:
            found.extend(fn(work, events=known) if code in WITH_EVENTS else fn(work))
    return once(found)


def once(found: list[Finding]) -> list[Finding]:
    """Each finding once: indicators sharing one denominator cell repeat the same finding
    (rule, cell, message); of those, the least by all its fields is kept, in the order the
    first came, so the same findings give the same list whatever order they came in (a
    rebuild validates the changed part of a table).

    Examples
    --------
    >>> from antq.findings import Pct
    >>> a = finding("rate.above_100", "f.xlsx!S!E9", r=Pct(1.02), indicator="safe_school")
    >>> b = finding("rate.above_100", "f.xlsx!S!E9", r=Pct(1.02), indicator="safe_agency")
    >>> [f.indicator for f in once([a, b])], [f.indicator for f in once([b, a])]
    (['safe_agency'], ['safe_agency'])
    """
    kept: dict[tuple[str, str, str], Finding] = {}
    for f in found:
        key = (f.rule, f.source, f.message)
        if key not in kept or _order(f) < _order(kept[key]):
            kept[key] = f
    return list(kept.values())


def _order(f: Finding) -> tuple[str, ...]:
    return tuple("" if v is None else str(v) for v in astuple(f))
