"""What a row's label says the row is: an area, a total, a part of the row above, a hamlet …

A body row of a report is not always an area. Its label (the text in the area
column) is classified by an ordered table of rules, :data:`LABEL_RULES`; the
first that matches wins:

======================  =====================================================
kind                    when
======================  =====================================================
``end``                 notes and signatures: "Ghi chú", "Người lập biểu", "TM."
``difference``          a comparison row: "Tăng/giảm", "So với cùng kỳ", "+/-"
``sub_row``             a part of the row above: "- Trong đó: thị trấn",
                        "I. Khối phường", "Cộng các xã điểm"
``total``               "Tổng cộng", "Cộng", "Toàn tỉnh", "Cộng toàn xã"
``sub_row``             a bulleted label that names no area: "+ KDC mới"
``area``                a known area, or a name with a level prefix ("Xã …")
``hamlet``              "Thôn …", "Xóm …", "Tổ dân phố …": below the commune
``text``                anything else: an unknown name, kept as written
======================  =====================================================

The words come from ``layout_terms.csv`` and ``header_terms.csv``
(``total_label``); area names from the area registry (:mod:`antq.registry`) and
``area_prefixes.csv``, a name written with diacritics taken for a unit only when the
unit is spelled so (:func:`area_match`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from antq._text import clean, fold, tokens
from antq.reading.terms import (
    area_prefix_levels,
    has_term,
    layout_terms,
    signs,
    starts_with_term,
)
from antq.vocab import AreaMatch, folded_terms, resolve_area, vocab_cache

if TYPE_CHECKING:
    from antq.registry import Area

__all__ = ["LABEL_KINDS", "LABEL_RULES", "MAX_LABEL_CHARS", "Label", "classify_label"]

#: The kinds a label can be.
LABEL_KINDS: tuple[str, ...] = (
    "end",
    "difference",
    "sub_row",
    "total",
    "area",
    "hamlet",
    "text",
)
#: A label longer than this is a note, not an area name (a 5.000-character cell is no name).
MAX_LABEL_CHARS: int = 120

_NUMBERING = re.compile(r"^\s*(?:[0-9]{1,3}(?:\.[0-9]{1,3})*|[IVXLC]{1,5})\s*[.)\-–:]\s*")


@dataclass(frozen=True)
class Label:
    """What a label says its row is."""

    kind: str
    #: The area's canonical name (an area), or the label as written (text).
    name: str = ""
    #: The area's level; for a total, the level its label names ("Toàn huyện"), if any.
    level: str | None = None
    #: Whether the name is in antq's list of areas.
    known: bool = False
    #: An area's name as written, without bullet or numbering ("Hải Hậu"): which unit it is
    #: depends on the report's year, decided later (:mod:`antq.reading.places`).
    written: str = field(default="", repr=False, compare=False)


@dataclass(frozen=True)
class _Parts:
    """A label taken apart once for every rule."""

    text: str
    bare: str  # without a leading bullet or numbering
    words: tuple[str, ...]  # folded words of ``bare``
    bulleted: bool


def _parts(text: str) -> _Parts:
    t = clean(text)
    bulleted = signs("bullet", t) and not t[:1].isalnum()
    bare = t.lstrip("-+*•·–— ").strip() if bulleted else t
    numbered = _NUMBERING.match(bare)
    if numbered and len(bare) > numbered.end():
        rest = bare[numbered.end() :].strip()
        # "X." numbers the tenth group, or abbreviates "Xã": only a commune antq knows is
        # taken for one ("X. Hải Nam"); "X. Khối huyện" and "X. KẾT QUẢ" stay as written.
        if bare[:1] == "X" and not numbered.group(0).strip()[1:-1] and _known_commune(rest):
            rest = f"Xã {rest}"
        bare = rest
    return _Parts(t, bare, tokens(bare), bulleted)


_WORD = re.compile(r"\w+")


def _syllables(text: str) -> tuple[str, ...]:
    """Lower-case words of ``text`` with their diacritics (NFC)."""
    return tuple(_WORD.findall(unicodedata.normalize("NFC", text).lower()))


@vocab_cache
def _spelled(uid: str) -> tuple[tuple[str, ...], ...]:
    """A unit's spellings as words with their diacritics: ``(("hải", "hậu"), …)``.

    Per unit, on first use: the words of all 36.000 spellings of the country up front
    cost more than a process reading a few provinces spends on its workbooks.
    """
    from antq.registry import spelling_texts

    return tuple(_syllables(text) for text in spelling_texts(uid))


@vocab_cache
def area_match(text: str) -> AreaMatch:
    """:func:`antq.vocab.resolve_area`, taking a name written with diacritics for a unit only
    when one of the unit's spellings ends it with the same diacritics.

    The registry matches names folded (without diacritics, for headers typed without
    them), and holds every unit of the country: folded, the word "hộ" (households) is
    Phường Hồ and "Tổng số hộ" would total it. A name typed without diacritics ("Hai Hau")
    is matched as before.

    Examples
    --------
    >>> area_match("hộ").known, area_match("Hồ").known, area_match("Hai Hau").name
    (False, True, 'Huyện Hải Hậu')
    """
    from antq.registry import candidates

    match = resolve_area(text)
    if not match.known:
        return match
    units = candidates(match.written or text, any_time=True)
    written = _syllables(match.written or text)
    plain = fold(" ".join(written)) == " ".join(written)
    if plain or any(written[-len(w) :] == w for unit in units for w in _spelled(unit.uid) if w):
        return _level_of_units(match, units)
    name = match.written or text
    words = tokens(name)
    level = next(
        (lv for prefix, _c, lv in area_prefix_levels() if words[: len(prefix)] == prefix), None
    )
    return AreaMatch(name, level if len(words) > 1 else None, False, name)


def _level_of_units(match: AreaMatch, units: tuple[Area, ...]) -> AreaMatch:
    """``match`` with the level its units have when they all have one: the prefix says
    "Thành phố" of Hà Nội (a province) as of Nam Định (a district's level)."""
    levels = {u.level for u in units}
    if len(levels) == 1 and match.level not in levels:
        return AreaMatch(match.name, levels.pop(), True, match.written)
    return match


def _known_commune(name: str) -> bool:
    """Whether ``name``, a name without its level, is a commune antq knows ("Hải Nam")."""
    if area_match(name).level:
        return False
    match = area_match(f"Xã {name}")
    return match.known and match.level == "commune"


def _end(p: _Parts) -> Label | None:
    words = tokens(p.text)
    return Label("end") if starts_with_term("table_end", words) else None


def _difference(p: _Parts) -> Label | None:
    if has_term("difference", p.words) or signs("difference_sign", p.text):
        return Label("difference")
    return None


def _sub_row(p: _Parts) -> Label | None:
    if not starts_with_term("sub_row", p.words):
        return None
    named = total_of(p.text)
    # "Cộng xã" and "Cộng các xã điểm" sum a kind of area; "Cộng xã Hải Nam" is the total of
    # one: only an area antq knows is taken for one, a category read as an area is a wrong key.
    if named and named[1] and area_match(named[1]).known:
        return None
    return Label("sub_row")


def _level_words() -> dict[tuple[str, ...], str]:
    return {prefix: level for prefix, _canonical, level in area_prefix_levels()}


def total_level(words: tuple[str, ...]) -> str | None:
    """``"total"``, or the level a total label names ("Toàn huyện" → "district"), else None.

    A total label is a term of ``header_terms.csv`` (``total_label``), alone or
    followed by words of ``total_suffix`` and level words ("Tổng cộng toàn tỉnh",
    "Cộng toàn xã") or an area name ("Toàn huyện Hải Hậu"): "Tổng số mô hình …"
    is no total.

    Examples
    --------
    >>> from antq._text import tokens
    >>> total_level(tokens("TỔNG CỘNG TOÀN TỈNH")), total_level(tokens("Cộng"))
    ('province', 'total')
    >>> total_level(tokens("Tổng số mô hình, phong trào")) is None
    True
    """
    got = total_of(" ".join(words))
    return got[0] if got else None


@vocab_cache
def total_of(text: str) -> tuple[str, str] | None:
    """(level or "total", name) a total label gives, or None when it is no total label; the
    name is the area it names ("Cộng huyện Hải Hậu"), else "".

    Examples
    --------
    >>> total_of("Cộng huyện Hải Hậu"), total_of("Cộng xã Hải Châu"), total_of("Cộng")
    (('district', 'Huyện Hải Hậu'), ('commune', 'Xã Hải Châu'), ('total', ''))
    """
    words = tokens(text)
    for phrase, value in folded_terms("total_label"):
        if words[: len(phrase)] != phrase:
            continue
        if len(words) == len(phrase):
            return value, ""
        got = _suffix(text, words, len(phrase))
        if got is None:
            continue
        level, name = got
        if level == "any":
            return value, ""
        if name and value in LEVEL_NAMES and level != value:
            # "Toàn tỉnh Nam Định": the area of the level the label names, not the city.
            return value, _of_level(_cut(text, len(phrase)), value)
        return level, name
    return None


#: Levels a total label may name.
LEVEL_NAMES = ("province", "district", "commune")


def _of_level(name: str, level: str) -> str:
    """``name`` as an area of ``level``, its prefix written out ("Tỉnh Nam Định")."""
    for _prefix, canonical, lv in area_prefix_levels():
        if lv == level:
            match = area_match(f"{canonical} {name}")
            if match.known:
                return match.name
    canonical = next(c for _p, c, lv in area_prefix_levels() if lv == level)
    return canonical_name(f"{canonical} {name}")


def _suffix(text: str, words: tuple[str, ...], start: int) -> tuple[str, str] | None:
    """(level, name) the words after a total label name: "any" and "" when they name none;
    None when they are not words a total label carries.

    "toàn huyện" names the district; "(10 huyện, thành phố)" counts districts, so the
    total is one level above them; "huyện Hải Hậu" names the district.
    """
    levels = _level_words()
    suffix = set(layout_terms()["total_suffix"])
    level, counted = "any", False
    level_at: int | None = None
    i = start
    while i < len(words):
        n = next((n for n in (2, 1) if tuple(words[i : i + n]) in levels), 0)
        if n:
            level = _above(levels[words[i : i + n]]) if counted else levels[words[i : i + n]]
            level_at, i = i, i + n
        elif (words[i],) in suffix:
            i += 1
        elif words[i].isdigit():
            counted, i = True, i + 1
        else:
            # An area's name, with the level word just before it if there is one.
            name = _cut(
                text,
                level_at
                if level_at == i - 1 or (level_at is not None and level_at == i - 2)
                else i,
            )
            match = area_match(name)
            return (match.level, canonical_name(name)) if match.level else None
    return level, ""


def _cut(text: str, n_words: int) -> str:
    """``text`` without its first ``n_words`` folded words, diacritics kept."""
    t = clean(text)
    for i in range(len(t) + 1):
        if len(tokens(t[:i])) == n_words and (i == len(t) or not t[i].isalnum()):
            return t[i:].strip(" .,:-()")
    return ""


def _above(level: str) -> str:
    from antq.types import LEVELS

    return LEVELS[max(LEVELS.index(level) - 1, 0)]


def _total(p: _Parts) -> Label | None:
    got = total_of(p.text) or total_of(p.bare)
    if got is None:
        return None
    level, name = got
    known = bool(name) and area_match(name).known
    return Label("total", name, level if level != "total" else None, known)


def _bulleted(p: _Parts) -> Label | None:
    if p.bulleted and not area_match(p.bare).level:
        return Label("sub_row")
    return None


def _area(p: _Parts) -> Label | None:
    match = area_match(p.bare)
    if match.known:
        return Label("area", canonical_name(p.bare), match.level, True, p.bare)
    if match.level is not None:
        return Label("area", canonical_name(p.bare), match.level, False, p.bare)
    return None


def _hamlet(p: _Parts) -> Label | None:
    if starts_with_term("hamlet", p.words):
        return Label("hamlet", p.bare)
    word = starts_with_term("hamlet_numbered", p.words)
    rest = list(p.words[len(word) :]) if word else []
    if rest[:1] == ["so"]:
        rest = rest[1:]  # "Khu số 3"
    return Label("hamlet", p.bare) if rest and rest[0].isdigit() else None


#: The rules, in order: the first that gives a label wins.
LABEL_RULES: tuple[tuple[str, Callable[[_Parts], Label | None]], ...] = (
    ("end", _end),
    ("difference", _difference),
    ("sub_row", _sub_row),
    ("total", _total),
    ("sub_row (bulleted)", _bulleted),
    ("area", _area),
    ("hamlet", _hamlet),
)


@vocab_cache
def classify_label(text: str) -> Label:
    """What the label ``text`` says its row is (see :data:`LABEL_RULES`).

    Cached: a folder's workbooks repeat the same labels.

    Examples
    --------
    >>> classify_label("- Trong đó: thị trấn").kind, classify_label("TT. Yên Định").name
    ('sub_row', 'Thị trấn Yên Định')
    >>> classify_label("Xóm 3").kind, classify_label("Cộng toàn xã").level
    ('hamlet', 'commune')
    >>> classify_label("XÃ YÊN THỌ")  # several communes: which one, the sheet and year say
    Label(kind='area', name='Xã Yên Thọ', level='commune', known=True)
    """
    if len(text) > MAX_LABEL_CHARS:
        return Label("end") if starts_with_term("table_end", tokens(text[:60])) else Label("text")
    p = _parts(text)
    if not p.words:
        return Label("text", p.text)
    for _name, rule in LABEL_RULES:
        got = rule(p)
        if got is not None:
            return got
    return Label("text", p.bare or p.text)


@vocab_cache
def canonical_name(text: str) -> str:
    """An unknown area's name with its prefix written out and its capitals tamed.

    "TT. Quất Lâm" is "Thị trấn Quất Lâm"; "XÃ YÊN THỌ" is "Xã Yên Thọ". A known
    name is :func:`antq.vocab.resolve_area`'s.

    Examples
    --------
    >>> canonical_name("TT. Quất Lâm"), canonical_name("P. Lộc Hạ")
    ('Thị trấn Quất Lâm', 'Phường Lộc Hạ')
    """
    match = area_match(text)
    if match.known and match.name != match.written:
        return match.name
    # Unknown, or known but shared by several units (the registry keeps it as written).
    name = match.written or match.name
    shouting = name.isupper()
    words = tokens(name)
    for prefix, canonical, _level in area_prefix_levels():
        if words[: len(prefix)] != prefix or len(words) == len(prefix):
            continue
        # The prefix as typed ends where its folded words do ("TT.", "Thị trấn", "TT.Quất").
        for i in range(1, len(name) + 1):
            if tokens(name[:i]) == prefix and (i == len(name) or not name[i].isalnum()):
                rest = name[i:].lstrip(" .").strip()
                if rest:
                    name = f"{canonical} {rest}"
                break
        break
    return name.title() if shouting else name
