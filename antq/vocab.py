"""The vocabulary: indicators, units, groups, words, header spellings, area names.

All of it lives in CSV tables in ``antq/data``; this module only loads,
checks and indexes them. To teach antq a new header spelling, add a row to
``header_terms.csv``; a new indicator is a row of ``indicators.csv`` (and,
with a new kind of unit, a row of ``units.csv``); the words of reports and
charts are rows of ``words.csv``. The tables are checked when first loaded:
a broken row raises :class:`~antq.errors.VocabularyError` naming it.

:func:`use` swaps in another folder of tables (a copy with rows added) for a
``with`` block, so a new indicator can be tried before it is committed.
"""

from __future__ import annotations

import csv
import re
import string
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd

from antq._text import clean, fold, tokens
from antq.errors import VocabularyError
from antq.numbers import format_count
from antq.types import LEVELS, Lang

__all__ = [
    "LEVELS",
    "AreaMatch",
    "CriteriaChange",
    "Group",
    "Indicator",
    "Unit",
    "Words",
    "criteria_changes",
    "fill",
    "groups",
    "header_terms",
    "indicator_table",
    "indicators",
    "kind_word",
    "label",
    "resolve_area",
    "unit_kinds",
    "units",
    "use",
    "word",
    "words",
]

_F = TypeVar("_F", bound=Callable[..., Any])
#: Every cached function whose result depends on the tables; :func:`use` clears them.
_CACHES: list[Any] = []
#: A folder of tables that overrides the package's (see :func:`use`).
_OVERRIDE: list[Path] = []


def vocab_cache(fn: _F) -> _F:
    """``functools.cache`` for functions that read the vocabulary, cleared by :func:`use`."""
    cached = cache(fn)
    _CACHES.append(cached)
    return cached  # type: ignore[return-value]


def _clear() -> None:
    for fn in _CACHES:
        fn.cache_clear()


@contextmanager
def use(folder: str | Path) -> Iterator[None]:
    """Read the vocabulary from ``folder`` (falling back to the package's tables) inside a block.

    Parameters
    ----------
    folder
        A folder holding some of the tables of ``antq/data`` (``indicators.csv``,
        ``units.csv``, ``header_terms.csv``, ``words.csv`` …), e.g. copies with
        a new indicator added. A table it lacks is read from the package.

    Examples
    --------
    >>> import tempfile, shutil
    >>> tmp = Path(tempfile.mkdtemp())
    >>> _ = shutil.copy(resources.files("antq.data") / "indicators.csv", tmp)
    >>> with use(tmp):
    ...     len(indicators())
    9
    """
    _OVERRIDE.append(Path(folder))
    _clear()
    try:
        yield
    finally:
        _OVERRIDE.pop()
        _clear()


def table_rows(name: str) -> list[dict[str, str]]:
    """Rows of a table, from the override folder where it has the file, else the package."""
    if _OVERRIDE and (_OVERRIDE[-1] / name).is_file():
        text = (_OVERRIDE[-1] / name).read_text(encoding="utf-8-sig")
    else:
        text = resources.files("antq.data").joinpath(name).read_text(encoding="utf-8")
    reader = csv.DictReader(text.splitlines())
    rows = []
    for row in reader:
        # DictReader files surplus values under None and fills missing ones with None.
        if None in row or None in row.values():
            header = reader.fieldnames or []
            more = None in row
            raise VocabularyError(
                f"{name} line {reader.line_num}: {'more' if more else 'fewer'} values than "
                f"the header's {len(header)} ({', '.join(header)}); a value holding a comma "
                "needs double quotes",
                vi=f"{name} dòng {reader.line_num}: {'nhiều' if more else 'ít'} giá trị hơn "
                f"{len(header)} cột của dòng tiêu đề ({', '.join(header)}); giá trị có dấu "
                "phẩy phải đặt trong ngoặc kép",
            )
        rows.append(row)
    return rows


def _require(ok: bool, table: str, line: int, what: str) -> None:
    if not ok:
        raise VocabularyError(
            f"{table} line {line}: {what}",
            vi=f"{table} dòng {line}: {what}",
        )


@dataclass(frozen=True)
class Unit:
    """What an indicator counts (its denominator): one row of ``units.csv``."""

    unit: str
    word_vi: str
    word_en: str
    #: A total changing by more than this fraction in a year is flagged (validation).
    denominator_jump: float

    def word(self, lang: Lang) -> str:
        """The unit's word in ``lang`` ("khu dân cư", "residential areas")."""
        return self.word_vi if lang == "vi" else self.word_en


@vocab_cache
def units() -> dict[str, Unit]:
    """The units indicators count, keyed by code.

    Examples
    --------
    >>> units()["enterprise"].denominator_jump
    0.25
    """
    out: dict[str, Unit] = {}
    for i, r in enumerate(table_rows("units.csv"), start=2):
        _require(bool(r["unit"] and r["word_vi"] and r["word_en"]), "units.csv", i, "empty field")
        try:
            jump = float(r["denominator_jump"])
        except ValueError:
            jump = -1.0
        _require(0 < jump < 1, "units.csv", i, "denominator_jump must be a fraction in (0, 1)")
        out[r["unit"]] = Unit(r["unit"], r["word_vi"], r["word_en"], jump)
    return out


@dataclass(frozen=True)
class Group:
    """A group of indicators, reported together (a sheet of the report, a sentence)."""

    group: str
    label_vi: str
    label_en: str
    #: Key of the summary sentence in ``words.csv`` (``.province`` / ``.area`` appended).
    sentence: str

    def label(self, lang: Lang) -> str:
        """The group's name in ``lang``."""
        return self.label_vi if lang == "vi" else self.label_en


@vocab_cache
def groups() -> dict[str, Group]:
    """Indicator groups, in report order.

    Examples
    --------
    >>> list(groups())
    ['cultural', 'safety']
    """
    return {
        r["group"]: Group(r["group"], r["label_vi"], r["label_en"], r["sentence"])
        for r in table_rows("groups.csv")
    }


@dataclass(frozen=True)
class Indicator:
    """One row of the indicator dictionary."""

    code: str
    group: str
    label_vi: str
    label_en: str
    unit: str
    #: "safe" where the header says so through a qualifier ("an toàn về ANTT") over a unit.
    qualifier: str
    phrase_vi: str
    phrase_en: str
    #: How the summary writes it: "fraction" (2.863/3.462), "count" or "rate" (with its rate).
    shown_as: str
    #: What a change is measured in: "count" (units) or "rate" (percentage points).
    change_in: str

    def label(self, lang: Lang) -> str:
        """The indicator's name in ``lang``."""
        return self.label_vi if lang == "vi" else self.label_en

    def phrase(self, lang: Lang) -> str:
        """How the annual paragraph names it after a count."""
        return self.phrase_vi if lang == "vi" else self.phrase_en


@vocab_cache
def indicators() -> dict[str, Indicator]:
    """The indicator dictionary, keyed by code, in the order of DOMAIN.md; checked on load.

    Examples
    --------
    >>> indicators()["safe_agency"].unit
    'agency'
    """
    known_units, known_groups = units(), groups()
    out: dict[str, Indicator] = {}
    for i, r in enumerate(table_rows("indicators.csv"), start=2):
        t = "indicators.csv"
        _require(r["code"] not in out, t, i, f"indicator {r['code']!r} listed twice")
        _require(r["unit"] in known_units, t, i, f"unit {r['unit']!r} is not a row of units.csv")
        _require(r["group"] in known_groups, t, i, f"group {r['group']!r} not in groups.csv")
        _require(
            r["shown_as"] in ("fraction", "count", "rate"), t, i, "shown_as: fraction|count|rate"
        )
        _require(r["change_in"] in ("count", "rate"), t, i, "change_in must be count or rate")
        _require(
            all(r[k] for k in ("label_vi", "label_en", "phrase_vi", "phrase_en")), t, i, "label"
        )
        out[r["code"]] = Indicator(**r)
    return out


@dataclass(frozen=True)
class CriteriaChange:
    """A change of what an indicator counts: one row of ``criteria.csv``.

    From ``year`` on (the first year-end report under the new rules), the
    indicators count other units than before: their series break there.
    """

    code: str
    year: int
    in_force: str
    indicators: tuple[str, ...]
    basis_vi: str
    basis_en: str
    replaces_vi: str
    replaces_en: str
    note: str
    #: The key in ``words.csv`` of the break's words ("tiêu chí mới theo {basis}, {year}").
    words: str = "break.criteria"
    #: The area it applies to, as the table names it, and every area within it (its
    #: ``province`` and ``district`` columns); empty: everywhere.
    area: str = ""

    def basis(self, lang: Lang) -> str:
        """The text that set the new criteria ("Thông tư 124/2021/TT-BCA")."""
        return self.basis_vi if lang == "vi" else self.basis_en


@vocab_cache
def criteria_changes() -> tuple[CriteriaChange, ...]:
    """Changes of the criteria behind indicators, from ``criteria.csv``, checked on load.

    Examples
    --------
    >>> c = criteria_changes()[0]
    >>> c.year, c.indicators, c.basis("vi")
    (2022, ('safe_enterprise', 'safe_school'), 'Thông tư 124/2021/TT-BCA')
    """
    known = indicators()
    out: list[CriteriaChange] = []
    for i, r in enumerate(table_rows("criteria.csv"), start=2):
        t = "criteria.csv"
        codes = tuple(r["indicators"].split())
        _require(bool(r["code"]) and r["year"].isdigit(), t, i, "code and a year needed")
        _require(bool(codes), t, i, "no indicators")
        for code in codes:
            _require(code in known, t, i, f"{code!r} is not an indicator code")
        _require(bool(r["basis_vi"] and r["basis_en"]), t, i, "basis_vi and basis_en needed")
        _require(r["code"] not in {c.code for c in out}, t, i, f"code {r['code']!r} twice")
        key = r.get("words") or "break.criteria"
        _require(key in words(), t, i, f"words {key!r} is not a key of words.csv")
        out.append(
            CriteriaChange(
                code=r["code"],
                year=int(r["year"]),
                in_force=r["in_force"],
                indicators=codes,
                basis_vi=r["basis_vi"],
                basis_en=r["basis_en"],
                replaces_vi=r["replaces_vi"],
                replaces_en=r["replaces_en"],
                note=r["note"],
                words=key,
                area=(r.get("area") or "").strip(),
            )
        )
    return tuple(out)


def label(code: str, lang: Lang = "vi") -> str:
    """An indicator's name in ``lang``; an unknown code is returned as it is.

    Examples
    --------
    >>> label("safe_school", "en")
    'Schools safe for security and order'
    """
    ind = indicators().get(code)
    return ind.label(lang) if ind else code


@vocab_cache
def words() -> dict[str, tuple[str, str]]:
    """The words of reports and charts: ``{key: (vi, en)}`` from ``words.csv``."""
    out: dict[str, tuple[str, str]] = {}
    for i, r in enumerate(table_rows("words.csv"), start=2):
        _require(bool(r["key"] and r["vi"] and r["en"]), "words.csv", i, "key, vi and en needed")
        out[r["key"]] = (r["vi"], r["en"])
    for code, unit in units().items():
        out.setdefault(f"unit.{code}", (unit.word_vi, unit.word_en))
    return out


def _rendered(value: object, lang: Lang) -> object:
    render = getattr(value, "render", None)
    return render(lang) if callable(render) else value


def _is_count(value: object) -> bool:
    return hasattr(value, "__index__") and not isinstance(value, bool)


class _Filler(string.Formatter):
    """``str.format`` for a message in one language (see :func:`fill`)."""

    def __init__(self, lang: Lang) -> None:
        self.lang = lang

    def convert_field(self, value: object, conversion: str | None) -> object:
        return super().convert_field(
            _rendered(value, self.lang) if conversion else value, conversion
        )

    def format_field(self, value: object, format_spec: str) -> str:
        if format_spec and _is_count(value):
            return format_count(value.__index__(), self.lang, format_spec)  # type: ignore[attr-defined]
        return super().format_field(_rendered(value, self.lang), format_spec)


def fill(template: str, lang: Lang = "vi", /, **fields: object) -> str:
    """A message template of ``words.csv`` or ``findings.csv`` filled in ``lang``.

    The template is ``str.format`` syntax, with two additions:

    - a value with a ``render(lang)`` method (``antq.findings.Count``, ``Pct``,
      ``Word`` …) is written the way of ``lang`` ("3.726" / "3,726");
    - a whole number with a format spec is a count and its noun, the noun
      agreeing with it (:func:`antq.numbers.format_count`): ``{n:row|rows}``
      gives "1 row", "3,726 rows"; Vietnamese, without plural forms, writes
      one noun, ``{n:dòng}`` → "3.726 dòng". The number gets the language's
      thousands separator either way.

    Examples
    --------
    >>> fill("{n:row|rows} and {k:row|rows}", "en", n=1, k=3726)
    '1 row and 3,726 rows'
    >>> fill("{n:dòng}, năm {year}", "vi", n=3726, year=2024)
    '3.726 dòng, năm 2024'
    """
    return _Filler(lang).format(template, **fields)


def word(key: str, lang: Lang = "vi", **fields: object) -> str:
    """The word or phrase ``key`` of ``words.csv`` in ``lang``, its ``{fields}`` filled.

    Raises
    ------
    VocabularyError
        When ``words.csv`` has no such key.

    Examples
    --------
    >>> word("plot.ranking", "vi", label="Cơ quan", year=2024)
    'Cơ quan năm 2024'
    >>> word("unit.school", "en")
    'schools'
    """
    try:
        vi, en = words()[key]
    except KeyError:
        raise VocabularyError(
            f"words.csv has no row {key!r}", vi=f"words.csv không có dòng {key!r}"
        ) from None
    text = vi if lang == "vi" else en
    return fill(text, lang, **fields) if fields else text


class Words:
    """The words under one prefix of ``words.csv`` in one language: ``Words("plot", "vi")["year"]``.

    Examples
    --------
    >>> Words("excel", "en")["summary"]
    'Summary'
    """

    def __init__(self, prefix: str, lang: Lang) -> None:
        self.prefix, self.lang = prefix, lang

    def __getitem__(self, key: str) -> str:
        return word(f"{self.prefix}.{key}", self.lang)


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
            unit_terms = [t for t, v in terms["unit"] if v == ind.unit]
            spellings = [f"({' | '.join(unit_terms)}) + ({' | '.join(quals)})"]
        rows.append({**ind.__dict__, "header_spellings": " | ".join(spellings)})
    return pd.DataFrame(rows).set_index("code")


#: Kinds of header term and what their ``value`` must name.
_TERM_KINDS = (
    "indicator",
    "qualifier",
    "unit",
    "rate",
    "achieved",
    "total",
    "count",
    "area_header",
    "not_area_header",
    "total_label",
)


@vocab_cache
def header_terms() -> dict[str, list[tuple[str, str]]]:
    """Header terms by kind: ``{kind: [(term as written, value), ...]}``, checked on load."""
    out: dict[str, list[tuple[str, str]]] = {}
    codes, unit_codes = indicators(), units()
    for i, r in enumerate(table_rows("header_terms.csv"), start=2):
        t = "header_terms.csv"
        _require(r["kind"] in _TERM_KINDS, t, i, f"kind {r['kind']!r} not one of {_TERM_KINDS}")
        _require(bool(tokens(r["term"])), t, i, "the term has no words")
        if r["kind"] == "indicator":
            _require(r["value"] in codes, t, i, f"{r['value']!r} is not an indicator code")
        if r["kind"] == "unit":
            _require(r["value"] in unit_codes, t, i, f"{r['value']!r} is not a unit of units.csv")
        out.setdefault(r["kind"], []).append((r["term"], r["value"]))
    return out


@vocab_cache
def folded_terms(kind: str) -> tuple[tuple[tuple[str, ...], str], ...]:
    """Terms of one kind as folded word tuples, longest first (most specific wins)."""
    pairs = {(tokens(t), v) for t, v in header_terms().get(kind, [])}
    return tuple(sorted(pairs, key=lambda p: (-len(p[0]), p[0])))


@dataclass(frozen=True)
class AreaMatch:
    """An area name as written, with the canonical name and level it reads as at any date."""

    name: str
    level: str | None
    known: bool
    #: The name as written (cleaned, without a leading row number): what the year decides.
    written: str = field(default="", repr=False, compare=False)


@vocab_cache
def _prefixes() -> dict[tuple[str, ...], tuple[str, str]]:
    """Prefixes ("h", "tt", "thanh pho") by folded words: (canonical prefix, level)."""
    return {
        tokens(r["prefix"]): (r["canonical"], r["level"]) for r in table_rows("area_prefixes.csv")
    }


def unit_kinds(level: str) -> tuple[str, ...]:
    """The kinds of unit of a level, by their canonical prefix, in the order of
    ``area_prefixes.csv``; each has its words in ``words.csv`` as ``kind.<prefix folded>``.

    Examples
    --------
    >>> unit_kinds("commune")
    ('Xã', 'Phường', 'Thị trấn', 'Đặc khu')
    """
    return tuple(dict.fromkeys(c for c, lv in _prefixes().values() if lv == level))


def kind_word(kind: str, lang: Lang) -> str:
    """The plural word of a kind of unit (:func:`unit_kinds`) in ``lang``.

    Examples
    --------
    >>> kind_word("Thị trấn", "vi"), kind_word("Thị trấn", "en")
    ('thị trấn', 'towns')
    """
    return word("kind." + fold(kind).replace(" ", "_"), lang)


def _prefix_level(text: str) -> str | None:
    """The level a name's prefix says ("Xã …" → commune), or None without a prefix."""
    words_ = fold(text).split()
    for n in (2, 1):
        head = tuple(words_[:n])
        if len(words_) > n and head in _prefixes():
            return _prefixes()[head][1]
    return None


@vocab_cache
def resolve_area(raw: str) -> AreaMatch:
    """Canonical name and level of an area as written in a sheet, at any date.

    Names and their spellings come from the area registry (:mod:`antq.registry`):
    a name spelled by any unit at any time is known. Where several units share
    it, the registry's rule for bare names applies (a province or district
    before a commune); which of them a row of a given year means is decided
    later, with the year and the sheet's context (:mod:`antq.reading.places`).
    An unknown name is kept as written (NFC, trimmed), with its level read from
    its prefix ("Xã …", "TT. …") when it has one.

    Examples
    --------
    >>> resolve_area("TP. Nam Định")
    AreaMatch(name='Thành phố Nam Định', level='district', known=True)
    >>> resolve_area("Hải Hậu")
    AreaMatch(name='Huyện Hải Hậu', level='district', known=True)
    >>> resolve_area("xã Hải Mới")
    AreaMatch(name='xã Hải Mới', level='commune', known=False)
    """
    from antq.registry import candidates

    # Row labels often carry a leading number ("1. Mỹ Lộc", "I - Hải Hậu").
    text = _strip_numbering(clean(raw))
    prefix_level = _prefix_level(text)
    found = candidates(text, any_time=True)
    if found:
        names = {a.name for a in found}
        levels_ = [a.level for a in found]
        level = prefix_level or max(sorted(set(levels_)), key=levels_.count)
        return AreaMatch(found[0].name if len(names) == 1 else text, level, True, text)
    return AreaMatch(text, prefix_level, False, text)


_NUMBERING = re.compile(r"^(?:[0-9]{1,3}|[IVXLC]{1,5})\s*[.)\-–]\s*(.+)$")


def _strip_numbering(text: str) -> str:
    m = _NUMBERING.match(text)
    return m.group(1).strip() if m else text
