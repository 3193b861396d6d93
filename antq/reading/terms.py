"""The words that shape a table's layout, from ``antq/data/layout_terms.csv``.

Header words say what a column *is* (``header_terms.csv``); these say what
is *not* data: a difference column ("Tăng/giảm"), a notes column, row
numbers, a year column, a part of the row above ("Trong đó"), a hamlet row,
the end of a table (notes and signatures), a letterhead's sender, the words
a total label may carry ("Tổng cộng toàn tỉnh"). Teach antq a new one with a
row of the table, not code. :func:`antq.vocab.use` swaps the table like the others.
"""

from __future__ import annotations

from antq._text import contains_phrase, tokens
from antq.errors import VocabularyError
from antq.vocab import table_rows, vocab_cache

__all__ = [
    "KINDS",
    "area_prefix_levels",
    "has_term",
    "layout_terms",
    "signs",
    "starts_with_term",
]

#: Kinds of layout term, and how each is matched.
KINDS: dict[str, str] = {
    "difference": "phrase anywhere in a header path or a row label",
    "difference_sign": "sign written in a header or label (spaces ignored, minus signs unified)",
    "notes": "phrase anywhere in a header path",
    "row_number": "the whole header",
    "year_column": "the whole header",
    "sub_row": "the start of a row label (after a bullet or a numbering)",
    "hamlet": "the first words of a row label",
    "hamlet_numbered": 'the first word of a row label, followed by a number ("Tổ 5")',
    "table_end": "the start of a row's first text",
    "organisation": "the start of a letterhead line",
    "total_suffix": "a word after a total label",
    "measure": "the whole header of a unit-of-measure column (indicators down the side)",
    "bullet": "the first character of a row label",
    "plan": "phrase anywhere in a header cell: a target, not a result",
    "plan_done": "phrase in the same header cell that makes a plan's phrase a result",
    "new_in_year": "phrase anywhere in a header cell: counted new this year, part of the stock",
}
#: Kinds matched as written, not as folded words.
_RAW_KINDS = ("difference_sign", "bullet")


@vocab_cache
def layout_terms() -> dict[str, tuple[tuple[str, ...], ...]]:
    """Folded phrases by kind, longest first (signs and bullets as written), checked on load.

    Examples
    --------
    >>> ("trong", "do") in layout_terms()["sub_row"]
    True
    """
    out: dict[str, list[tuple[str, ...]]] = {k: [] for k in KINDS}
    for i, r in enumerate(table_rows("layout_terms.csv"), start=2):
        kind, term = r["kind"], r["term"]
        if kind not in KINDS:
            raise VocabularyError(
                f"layout_terms.csv line {i}: kind {kind!r} not one of {tuple(KINDS)}",
                vi=f"layout_terms.csv dòng {i}: loại {kind!r} không thuộc {tuple(KINDS)}",
            )
        phrase = (_unify(term),) if kind in _RAW_KINDS else tokens(term)
        if not phrase or not phrase[0]:
            raise VocabularyError(
                f"layout_terms.csv line {i}: the term is empty",
                vi=f"layout_terms.csv dòng {i}: thuật ngữ trống",
            )
        out[kind].append(phrase)
    return {k: tuple(sorted(set(v), key=lambda p: (-len(p), p))) for k, v in out.items()}


def _unify(text: str) -> str:
    """Text without spaces, every minus sign as "-" (signs are typed many ways)."""
    return "".join(text.split()).replace("\u2212", "-").replace("–", "-")


def has_term(kind: str, words: tuple[str, ...]) -> bool:
    """Whether a phrase of ``kind`` occurs in the folded ``words``.

    Examples
    --------
    >>> from antq._text import tokens
    >>> has_term("difference", tokens("Tăng (+), giảm (−) so với năm 2023"))
    True
    """
    # Only the phrases starting with a word of the label can occur in it.
    starts = _by_first_word(kind)
    return any(contains_phrase(words, p) for w in dict.fromkeys(words) for p in starts.get(w, ()))


def starts_with_term(kind: str, words: tuple[str, ...]) -> tuple[str, ...] | None:
    """The phrase of ``kind`` the folded ``words`` start with, or None.

    Examples
    --------
    >>> from antq._text import tokens
    >>> starts_with_term("hamlet", tokens("Tổ dân phố số 3"))
    ('to', 'dan', 'pho')
    """
    for p in _by_first_word(kind).get(words[0], ()) if words else ():
        if words[: len(p)] == p:
            return p
    return None


@vocab_cache
def _by_first_word(kind: str) -> dict[str, tuple[tuple[str, ...], ...]]:
    """The phrases of ``kind`` by their first word, each word's in the order of
    :func:`layout_terms` (longest first): a label is checked against a few, not all."""
    out: dict[str, list[tuple[str, ...]]] = {}
    for p in layout_terms()[kind]:
        out.setdefault(p[0], []).append(p)
    return {w: tuple(ps) for w, ps in out.items()}


def signs(kind: str, text: str) -> bool:
    """Whether ``text`` holds a sign of ``kind`` ("+/-", "±"): spaces and minus forms ignored.

    Examples
    --------
    >>> signs("difference_sign", "+ / −"), signs("bullet", "- Trong đó"), signs("bullet", "Xã")
    (True, True, False)
    """
    flat = _unify(text)
    if kind == "bullet":
        return any(flat.startswith(b) for (b,) in layout_terms()[kind])
    return any(s in flat for (s,) in layout_terms()[kind])


@vocab_cache
def area_prefix_levels() -> tuple[tuple[tuple[str, ...], str, str], ...]:
    """(folded prefix, canonical prefix, level) of ``area_prefixes.csv``, longest first.

    Examples
    --------
    >>> (("thi", "tran"), "Thị trấn", "commune") in area_prefix_levels()
    True
    """
    rows = [
        (tokens(r["prefix"]), r["canonical"], r["level"]) for r in table_rows("area_prefixes.csv")
    ]
    return tuple(sorted(rows, key=lambda p: (-len(p[0]), p[0])))
