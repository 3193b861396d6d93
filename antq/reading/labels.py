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
(``total_label``); area names from ``areas.csv`` and ``area_prefixes.csv``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from antq._text import clean, tokens
from antq.reading.terms import (
    area_prefix_levels,
    has_term,
    layout_terms,
    signs,
    starts_with_term,
)
from antq.vocab import folded_terms, resolve_area, vocab_cache

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
        bare = bare[numbered.end() :].strip()
    return _Parts(t, bare, tokens(bare), bulleted)


def _end(p: _Parts) -> Label | None:
    words = tokens(p.text)
    return Label("end") if starts_with_term("table_end", words) else None


def _difference(p: _Parts) -> Label | None:
    if has_term("difference", p.words) or signs("difference_sign", p.text):
        return Label("difference")
    return None


def _sub_row(p: _Parts) -> Label | None:
    return Label("sub_row") if starts_with_term("sub_row", p.words) else None


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
    for phrase, value in folded_terms("total_label"):
        if words[: len(phrase)] != phrase:
            continue
        rest = words[len(phrase) :]
        if not rest:
            return value
        level = _suffix_level(rest)
        if level is not None:
            return level if level != "any" else value
    return None


def _suffix_level(rest: tuple[str, ...]) -> str | None:
    """The level the words after a total label name; "any" when they name none; None when
    they are not words a total label carries.

    "toàn huyện" names the district; "(10 huyện, thành phố)" counts districts, so the
    total is one level above them.
    """
    levels = _level_words()
    suffix = set(layout_terms()["total_suffix"])
    level, counted = "any", False
    i = 0
    while i < len(rest):
        for n in (2, 1):
            words = tuple(rest[i : i + n])
            if words in levels:
                level = _above(levels[words]) if counted else levels[words]
                i += n
                break
            if words in suffix:
                i += n
                break
        else:
            if rest[i].isdigit():
                counted = True
                i += 1
                continue
            match = resolve_area(" ".join(rest[i:]))
            return match.level if match.level else None
    return level


def _above(level: str) -> str:
    from antq.types import LEVELS

    return LEVELS[max(LEVELS.index(level) - 1, 0)]


def _total(p: _Parts) -> Label | None:
    level = total_level(tokens(p.text)) or total_level(p.words)
    return Label("total", level=level if level != "total" else None) if level else None


def _bulleted(p: _Parts) -> Label | None:
    if p.bulleted and not resolve_area(p.bare).level:
        return Label("sub_row")
    return None


def _area(p: _Parts) -> Label | None:
    match = resolve_area(p.bare)
    if match.known:
        return Label("area", match.name, match.level, True)
    if match.level is not None:
        return Label("area", canonical_name(p.bare), match.level, False)
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
    >>> classify_label("XÃ YÊN THỌ")
    Label(kind='area', name='Xã Yên Thọ', level='commune', known=False)
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
    match = resolve_area(text)
    if match.known:
        return match.name
    name = match.name
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
