"""Text normalisation shared by every stage.

Headers and area names arrive with and without diacritics, in NFD or NFC,
upper or lower case, with quotes, line breaks and abbreviations with dots.
Everything that is matched against the vocabulary is first *folded*.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["clean", "contains_phrase", "fold", "nfc", "tokens"]

_SPACE = re.compile(r"\s+")
# Keep letters, digits, "%" and "/" (fractions); everything else separates words.
_NON_WORD = re.compile(r"[^0-9a-z%/]+")
#: The block of combining diacritical marks (U+0300–U+036F), every one of category Mn.
_COMBINING = dict.fromkeys(range(0x300, 0x370))


def nfc(text: str) -> str:
    """Return ``text`` in Unicode NFC (decomposed input is common in old files)."""
    return unicodedata.normalize("NFC", text)


def clean(text: str) -> str:
    """NFC, trimmed, with runs of white space (line breaks included) folded to one space."""
    return _SPACE.sub(" ", nfc(text)).strip()


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Fold ``text`` for matching: lower case, no diacritics, words split on punctuation.

    Cached: the same headers come back in every workbook of a folder.

    Đ/đ is a letter of its own, not D with a mark, so decomposing Unicode
    does not strip it: it needs its own rule.

    Examples
    --------
    >>> fold("Tổng số\\nKhu dân cư (KDC)")
    'tong so khu dan cu kdc'
    >>> fold("Đạt chuẩn “An toàn về ANTT”")
    'dat chuan an toan ve antt'
    """
    if text.isascii():
        return _NON_WORD.sub(" ", text.lower()).strip()
    # NFD of NFC is NFD: one normalisation. Vietnamese marks are all in the block of
    # combining diacritics, dropped by one translate; other scripts' marks one by one.
    bare = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = bare.translate(_COMBINING)
    if not bare.isascii():
        bare = "".join(ch for ch in bare if unicodedata.category(ch) != "Mn")
    return _NON_WORD.sub(" ", bare.lower()).strip()


@lru_cache(maxsize=1 << 16)
def tokens(text: str) -> tuple[str, ...]:
    """Folded words of ``text``."""
    return tuple(fold(text).split())


def contains_phrase(words: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    """True when ``phrase`` occurs in ``words`` as consecutive whole words."""
    n = len(phrase)
    if n == 0 or n > len(words):
        return False
    return any(words[i : i + n] == phrase for i in range(len(words) - n + 1))
