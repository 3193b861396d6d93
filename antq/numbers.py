"""Numbers as Vietnamese reports write them, and back.

Vietnamese uses a dot for thousands and a comma for decimals: "507.361",
"94,75%", and "2.863/3.462" for achieved/total.

What blank cells mean: an empty cell, or one holding only "-", "–" or
"—", means *nothing reported* and reads as NA (the clerk left it blank; it
is not a zero). Any other text in a number cell is an error (or NA and a
warning with ``errors="coerce"``).
"""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation

__all__ = [
    "BLANKS",
    "format_decimal",
    "format_int",
    "format_pct",
    "looks_numeric",
    "parse_count",
    "parse_fraction",
    "parse_rate",
]

#: Cell contents that mean "nothing reported".
BLANKS: frozenset[str] = frozenset({"", "-", "–", "—", "--"})

_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(?:[.\s\u00a0]\d{3})+$")
_PLAIN_INT = re.compile(r"^[+-]?\d+$")
_DECIMAL = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")
_FRACTION = re.compile(r"^\s*([\d.\s\u00a0]+)\s*/\s*([\d.\s\u00a0]+)\s*$")


def _strip(text: str) -> str:
    return text.strip().replace("\u00a0", " ")


def is_blank(value: object) -> bool:
    """True for None, NaN and the texts of :data:`BLANKS`."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and _strip(value) in BLANKS


def parse_count(value: object) -> int | None:
    """A whole count from a cell value; None when blank.

    Raises ``ValueError`` when the value is not a whole number.

    Examples
    --------
    >>> parse_count("507.361"), parse_count(3462.0), parse_count("-")
    (507361, 3462, None)
    """
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise ValueError("a whole number")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise ValueError("a whole number")
    if isinstance(value, str):
        text = _strip(value)
        if _PLAIN_INT.match(text):
            return int(text)
        if _THOUSANDS.match(text):
            return int(re.sub(r"[.\s]", "", text))
    raise ValueError("a whole number")


def parse_fraction(value: object) -> tuple[int, int] | None:
    """``(achieved, total)`` from a text like "2.863/3.462"; None when not a fraction.

    Examples
    --------
    >>> parse_fraction("2.863/3.462")
    (2863, 3462)
    """
    if not isinstance(value, str):
        return None
    m = _FRACTION.match(value)
    if not m:
        return None
    try:
        a, t = parse_count(m.group(1)), parse_count(m.group(2))
    except ValueError:
        return None
    if a is None or t is None:
        return None
    return a, t


def parse_rate(
    value: object, number_format: str | None = "General", *, fraction: bool = False
) -> float | None:
    """A rate as a fraction (94,75% → 0.9475); None when blank.

    A number shown with a percent format is already a fraction (Excel
    stores 94,75% as 0.9475), and so is any number when ``fraction`` is
    true (the reader found the column holds fractions); any other number is
    a percentage (94.75). Text may use a decimal comma or point and may end
    in "%".

    Examples
    --------
    >>> parse_rate("94,75%"), parse_rate(94.75), parse_rate(0.9475, "0.00%")
    (0.9475, 0.9475, 0.9475)
    """
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise ValueError("a rate such as 94,75")
    if isinstance(value, (int, float)):
        if fraction or "%" in (number_format or ""):
            return _clean_float(float(value))
        return _clean_float(float(value) / 100)
    if isinstance(value, str):
        text = _strip(value).rstrip("%").strip()
        if _DECIMAL.match(text):
            try:
                pct = Decimal(text.replace(",", "."))
            except InvalidOperation as exc:  # pragma: no cover - the regex guards this
                raise ValueError("a rate such as 94,75") from exc
            return float(pct / 100)
    raise ValueError("a rate such as 94,75")


def _clean_float(x: float) -> float:
    # 94.75 / 100 is 0.9475000000000001 in binary; the file meant 0.9475.
    return float(round(x, 12))


def looks_numeric(value: object) -> bool:
    """True when a cell holds something that reads as a count, fraction or rate.

    Examples
    --------
    >>> looks_numeric("1.234"), looks_numeric("94,75%"), looks_numeric("Hải Hậu")
    (True, True, False)
    """
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return not (isinstance(value, float) and math.isnan(value))
    if isinstance(value, str):
        text = _strip(value).rstrip("%").strip()
        return bool(
            _PLAIN_INT.match(text)
            or _THOUSANDS.match(text)
            or _DECIMAL.match(text)
            or parse_fraction(text)
        )
    return False


def shown_decimals(rate: float, max_decimals: int = 4) -> int:
    """How many decimals a percentage was written with (0.989 → 98,9% → 1).

    Examples
    --------
    >>> shown_decimals(0.9475), shown_decimals(0.989), shown_decimals(0.97)
    (2, 1, 0)
    """
    pct = rate * 100
    for d in range(max_decimals + 1):
        if abs(round(pct, d) - pct) < 1e-9:
            return d
    return max_decimals


def format_int(n: int, lang: str = "vi") -> str:
    """A count with thousands separators: 507.361 (vi) or 507,361 (en).

    Examples
    --------
    >>> format_int(507361), format_int(507361, "en")
    ('507.361', '507,361')
    """
    text = f"{int(n):,}"
    return text.replace(",", ".") if lang == "vi" else text


def format_decimal(x: float, decimals: int = 2, lang: str = "vi", strip: bool = False) -> str:
    """A decimal number: 1,25 (vi) or 1.25 (en); ``strip`` drops trailing zeros.

    Examples
    --------
    >>> format_decimal(1.25), format_decimal(98.90, strip=True), format_decimal(3.5, lang="en")
    ('1,25', '98,9', '3.50')
    """
    text = f"{x:,.{decimals}f}"
    if strip and "." in text:
        text = text.rstrip("0").rstrip(".")
    if lang == "vi":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def format_pct(rate: float, lang: str = "vi", decimals: int | None = None) -> str:
    """A rate (fraction) as a percentage, with the digits it was written with.

    Examples
    --------
    >>> format_pct(0.9475), format_pct(0.989), format_pct(0.9, lang="en")
    ('94,75%', '98,9%', '90%')
    """
    if decimals is None:
        decimals = min(shown_decimals(rate), 2)
    return format_decimal(rate * 100, decimals, lang) + "%"
