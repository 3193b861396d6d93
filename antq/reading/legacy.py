"""Vietnamese text typed in the legacy encodings TCVN3 (ABC) and VNI.

Old workbooks show Vietnamese through special fonts: TCVN3 stores one
byte per letter ("Khu d©n c­ v¨n hãa" is "Khu dân cư văn hóa"), VNI a base
letter followed by mark bytes ("Xin chaøo" is "Xin chào"). Excel hands both
over as Latin-1 text. The maps live in ``data/tcvn3.csv`` and ``data/vni.csv``.

A cell is decoded only when it holds characters that never occur in
Vietnamese Unicode text. Between the two encodings: the one that leaves no
such character behind wins; if both do, VNI is chosen when its mark
characters mostly follow a vowel (as VNI writes them), else TCVN3, whose
letters stand where vowels stand, mostly after consonants.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources
from typing import TypeVar

K = TypeVar("K")

__all__ = ["decode_legacy", "decode_texts", "looks_legacy"]

# Latin-1 letters that Vietnamese Unicode text uses; any other character from
# U+0080–U+00FF in a cell is a trace of a legacy encoding.
_VIETNAMESE_LATIN1 = frozenset("ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúý")


def _odd(ch: str) -> bool:
    return 0x80 <= ord(ch) <= 0xFF and ch not in _VIETNAMESE_LATIN1 and ch not in "\xa0"


# The same test as a regular expression, to scan many cells at C speed.
_ODD = re.compile(
    "[" + "".join(re.escape(chr(i)) for i in range(0x80, 0x100) if _odd(chr(i))) + "]"
)


def _one_byte(ch: str) -> bool:
    """A character a legacy font could have stored: Latin-1, or Windows-1252's extras (“ ” – …)."""
    if ord(ch) < 0x100:
        return True
    try:
        return len(ch.encode("cp1252")) == 1
    except UnicodeEncodeError:
        return False


def looks_legacy(text: str) -> bool:
    """True when ``text`` holds characters that only a legacy encoding produces.

    Examples
    --------
    >>> looks_legacy("Khu d©n c­ v¨n hãa"), looks_legacy("Khu dân cư văn hóa")
    (True, False)
    """
    return bool(_ODD.search(text)) and all(_one_byte(ch) or ch.isspace() for ch in text)


@cache
def _table(name: str) -> dict[str, str]:
    text = resources.files("antq.data").joinpath(name).read_text(encoding="utf-8")
    rows = list(csv.reader(text.splitlines()))[1:]
    return {legacy: uni for uni, legacy in rows}


@cache
def _pattern(name: str) -> re.Pattern[str]:
    keys = sorted(_table(name), key=len, reverse=True)  # "oâ" before "ô"
    return re.compile("|".join(re.escape(k) for k in keys))


def _decode(text: str, name: str) -> str:
    table = _table(name)
    return _pattern(name).sub(lambda m: table[m.group(0)], text)


def _encoding_of(text: str) -> tuple[str, bool]:
    """The likelier encoding of a legacy text, and whether the text itself shows it."""
    odd_t = sum(_odd(ch) for ch in _decode(text, "tcvn3.csv"))
    odd_v = sum(_odd(ch) for ch in _decode(text, "vni.csv"))
    # The right decoding leaves no trace of the legacy encoding behind.
    if odd_t != odd_v:
        return ("tcvn3.csv" if odd_t < odd_v else "vni.csv"), True
    score = _vni_score(text)
    has_marks = any(ch in _VNI_MARKS for ch in text)
    return ("vni.csv" if score >= VNI_THRESHOLD else "tcvn3.csv"), has_marks


def decode_texts(texts: Mapping[K, str]) -> dict[K, str]:
    """Decode the legacy cells of one sheet; return only the cells that changed.

    Each cell with a trace of a legacy encoding is decoded. A cell that
    either encoding would decode cleanly ("Ñôn vò") takes the encoding most
    cells of its sheet vote for. When the votes agree, the sheet's other
    cells written only with Latin-1 letters ("Cô quan" is VNI for "Cơ quan")
    are decoded with it too: real Vietnamese Unicode text nearly always has a
    letter beyond Latin-1.

    Examples
    --------
    >>> decode_texts({1: "Toång soá", 2: "Ñôn vò", 3: "Cô quan", 4: "Hải Hậu"})
    {1: 'Tổng số', 2: 'Đơn vị', 3: 'Cơ quan'}
    """
    legacy = {key: text for key, text in texts.items() if looks_legacy(text)}
    if not legacy:
        return {}
    votes = _votes(legacy.values())
    # Ties and sheets without evidence fall back to TCVN3, the commoner of the two.
    sheet_enc = max(["tcvn3.csv", "vni.csv"], key=lambda e: votes.get(e, 0))
    other = "vni.csv" if sheet_enc == "tcvn3.csv" else "tcvn3.csv"
    out = {key: _cleaner(text, sheet_enc, other) for key, text in legacy.items()}
    if len(votes) == 1:
        out.update(_latin1_cells(texts, out, sheet_enc))
    return out


def _votes(texts: Iterable[str]) -> dict[str, int]:
    """How many cells each encoding surely decodes."""
    votes: dict[str, int] = {}
    for text in texts:
        enc, sure = _encoding_of(text)
        if sure:
            votes[enc] = votes.get(enc, 0) + 1
    return votes


def _cleaner(text: str, mine: str, other: str) -> str:
    """The decoding of ``text`` that leaves fewer traces of a legacy encoding (``mine`` on ties)."""
    ours, theirs = _decode(text, mine), _decode(text, other)
    return theirs if sum(map(_odd, theirs)) < sum(map(_odd, ours)) else ours


def _latin1_cells(texts: Mapping[K, str], done: Mapping[K, str], enc: str) -> dict[K, str]:
    """The sheet's other cells written only with one-byte letters, decoded with ``enc``."""
    out: dict[K, str] = {}
    for key, text in texts.items():
        if key in done or text.isascii() or not all(map(_one_byte, text)):
            continue
        decoded = _decode(text, enc)
        if decoded != text:
            out[key] = decoded
    return out


def decode_legacy(text: str) -> str:
    """Decode TCVN3 or VNI text to Unicode; text that is not legacy comes back unchanged.

    Examples
    --------
    >>> decode_legacy("Khu d©n c­ v¨n hãa")
    'Khu dân cư văn hóa'
    >>> decode_legacy("Toång soá khu daân cö")
    'Tổng số khu dân cư'
    >>> decode_legacy("Hải Hậu")
    'Hải Hậu'
    """
    if not looks_legacy(text):
        return text
    return _decode(text, _encoding_of(text)[0])


#: Share of VNI mark characters that must follow a vowel for a text to be read as VNI.
VNI_THRESHOLD: float = 0.6
_VNI_MARKS = frozenset("øùûõïâêáàåãäéèúüëîØÙÛÕÏÂÊÁÀÅÃÄÉÈÚÜËÎ")
_VOWELS = frozenset("aeouyAEOUYôöÔÖ")


def _vni_score(text: str) -> float:
    marks = [i for i, ch in enumerate(text) if ch in _VNI_MARKS]
    if not marks:
        return 0.0
    return sum(i > 0 and text[i - 1] in _VOWELS for i in marks) / len(marks)
