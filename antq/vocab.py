"""The vocabulary: indicators, header spellings, area names.

All of it lives in CSV tables in ``antq/data``; this module only loads and
indexes them. To teach antq a new header spelling, add a row to
``header_terms.csv``; a new indicator goes in ``indicators.csv``; a new area
or alias in ``areas.csv``.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import pandas as pd

from antq._text import clean, fold, tokens

__all__ = [
    "LEVELS",
    "AreaMatch",
    "Indicator",
    "header_terms",
    "indicator_table",
    "indicators",
    "resolve_area",
]

#: Administrative levels, from the top down.
LEVELS: tuple[str, ...] = ("province", "district", "commune")


@dataclass(frozen=True)
class Indicator:
    """One row of the indicator dictionary."""

    code: str
    label_vi: str
    label_en: str
    unit: str
    qualifier: str
    phrase_vi: str
    phrase_en: str


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("antq.data").joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@cache
def indicators() -> dict[str, Indicator]:
    """The indicator dictionary, keyed by code, in the order of DOMAIN.md.

    Examples
    --------
    >>> indicators()["safe_agency"].unit
    'agency'
    """
    return {r["code"]: Indicator(**r) for r in _rows("indicators.csv")}


def indicator_table() -> pd.DataFrame:
    """The indicator dictionary with its known header spellings, as a DataFrame.

    Examples
    --------
    >>> indicator_table().loc["cultural_family", "label_vi"]
    'Gia đình văn hóa'
    """
    terms = header_terms()
    rows = []
    for ind in indicators().values():
        spellings = [t for t, v in terms["indicator"] if v == ind.code]
        if ind.qualifier:
            quals = [t for t, v in terms["qualifier"] if v == ind.qualifier]
            units = [t for t, v in terms["unit"] if v == ind.unit]
            spellings = [f"({' | '.join(units)}) + ({' | '.join(quals)})"]
        rows.append({**ind.__dict__, "header_spellings": " | ".join(spellings)})
    return pd.DataFrame(rows).set_index("code")


@cache
def header_terms() -> dict[str, list[tuple[str, str]]]:
    """Header terms by kind: ``{kind: [(term as written, value), ...]}``."""
    out: dict[str, list[tuple[str, str]]] = {}
    for r in _rows("header_terms.csv"):
        out.setdefault(r["kind"], []).append((r["term"], r["value"]))
    return out


@cache
def folded_terms(kind: str) -> tuple[tuple[tuple[str, ...], str], ...]:
    """Terms of one kind as folded word tuples, longest first (most specific wins)."""
    pairs = {(tokens(t), v) for t, v in header_terms().get(kind, [])}
    return tuple(sorted(pairs, key=lambda p: (-len(p[0]), p[0])))


@dataclass(frozen=True)
class AreaMatch:
    """An area name resolved against the reference table."""

    name: str
    level: str | None
    known: bool


@cache
def _area_index() -> tuple[dict[str, tuple[str, str]], dict[tuple[str, ...], tuple[str, str]]]:
    """Known names by folded text, and prefixes ("h", "tt", "thanh pho") by folded words."""
    by_fold: dict[str, tuple[str, str]] = {}
    for r in _rows("areas.csv"):
        entry = (clean(r["name"]), r["level"])
        for alias in [r["name"], *filter(None, r["aliases"].split("|"))]:
            by_fold.setdefault(fold(alias), entry)
    prefixes = {
        tokens(r["prefix"]): (r["canonical"], r["level"]) for r in _rows("area_prefixes.csv")
    }
    return by_fold, prefixes


@cache
def resolve_area(raw: str) -> AreaMatch:
    """Canonical name and level of an area as written in a sheet.

    Known names and aliases come from ``areas.csv``. An unknown name is
    kept as written (NFC, trimmed), with its level read from its prefix
    ("Xã …", "TT. …") when it has one.

    Examples
    --------
    >>> resolve_area("TP. Nam Định")
    AreaMatch(name='Thành phố Nam Định', level='district', known=True)
    >>> resolve_area("xã Hải Châu")
    AreaMatch(name='xã Hải Châu', level='commune', known=False)
    """
    text = clean(raw)
    # Row labels often carry a leading number ("1. Mỹ Lộc", "I - Hải Hậu").
    text = _strip_numbering(text)
    by_fold, prefixes = _area_index()
    key = fold(text)
    if key in by_fold:
        name, level = by_fold[key]
        return AreaMatch(name, level, True)
    words = key.split()
    for n in (2, 1):
        head = tuple(words[:n])
        if len(words) > n and head in prefixes:
            canonical, level = prefixes[head]
            # Re-attach the canonical prefix to a known bare name ("H. Hải Hậu").
            known = by_fold.get(" ".join([fold(canonical), *words[n:]]))
            if known:
                return AreaMatch(known[0], known[1], True)
            return AreaMatch(text, level, False)
    return AreaMatch(text, None, False)


_NUMBERING = re.compile(r"^(?:[0-9]{1,3}|[IVXLC]{1,5})\s*[.)\-–]\s*(.+)$")


def _strip_numbering(text: str) -> str:
    m = _NUMBERING.match(text)
    return m.group(1).strip() if m else text
