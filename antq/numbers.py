"""Numbers as Vietnamese reports write them, and back.

Vietnamese uses a dot for thousands and a comma for decimals: "507.361",
"94,75%", and "2.863/3.462" for achieved/total.

What blank cells mean: an empty cell, or one holding only "-", "–" or
"—", means *nothing reported* and reads as NA (the clerk left it blank; it
is not a zero). Any other text in a number cell is an error (or NA and a
warning with ``errors="coerce"``).

Numbers typed in another locale
-------------------------------
A workbook typed on a machine set to English writes "63,628" and "80.95%".
Every text number has up to two readings: the Vietnamese one (dots or
spaces group thousands, a comma marks decimals) and the English one (commas
group thousands, a dot marks decimals). Which is taken:

- a reading the text's form does not allow is no reading: "94,75" has no
  English reading, "80.95" no Vietnamese one, "1.234.567" no English one;
- a reading the cell's role does not allow is dropped: a count is whole
  ("63,628" read the Vietnamese way is 63,628, not a count), a rate is at
  most 100% ("1,234%" read the English way is 1.234%);
- when one reading remains, it is taken, unless the table is plainly typed
  the other way: in a table whose numbers read "1.234" and "94,75%", a count
  "2,345" is ambiguous (a typo for 2.345, or a decimal 2,345?) and is an
  error naming the cell; in a table typed "63,628" and "80.95%" it is 63.628;
- when both remain and differ ("1.000": 1.000 or 1?), the table's way of
  writing decides; without one it is an error.

The table's way (:func:`locale_of`) is a vote of its text numbers: forms only
one locale writes ("94,75", "1.234.567", "80.95%") count ten, forms both
write ("1.234", "1,234") one. The reader reports which cells were read the
English way (``read.other_locale``).
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Literal

__all__ = [
    "BLANKS",
    "MAX_COUNT",
    "AmbiguousNumberError",
    "Locale",
    "format_count",
    "format_decimal",
    "format_int",
    "format_pct",
    "is_blank",
    "is_number_cell",
    "is_number_text",
    "locale_of",
    "looks_numeric",
    "parse_count",
    "parse_fraction",
    "parse_rate",
    "read_count",
    "read_rate",
]

#: Cell contents that mean "nothing reported".
BLANKS: frozenset[str] = frozenset({"", "-", "–", "—", "--"})
#: The largest count antq reads: far beyond any real count, well inside int64 and
#: exact in a float (a larger "count" is a typo or a hostile value, an error naming its cell).
MAX_COUNT: int = 10**15
#: How a table writes its numbers: Vietnamese, English, or not plainly either.
Locale = Literal["vi", "en", ""]

_SIGN = "+-\u2212"  # "−" (U+2212) is what Word and Excel's formats write as minus
_VI_FORM = re.compile(r"^(\d{1,3}(?:[. ]\d{3})+|\d+)(?:,(\d+))?$")
_EN_FORM = re.compile(r"^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?$")
_FRACTION = re.compile(r"^\s*([\d.,\s\u00a0]+?)\s*/\s*([\d.,\s\u00a0]+)\s*$")
_LABEL = re.compile(r"^\(\s*\d{1,3}\s*\)$")  # "(3)": a column number


class AmbiguousNumberError(ValueError):
    """A text number whose reading depends on a locale the table says is not its own."""


def _strip(text: str) -> str:
    return text.strip().replace("\u00a0", " ")


def is_blank(value: object) -> bool:
    """True for None and the texts of :data:`BLANKS`.

    A NaN is not blank: no cell of a workbook holds one, so it is a value
    gone wrong (an error naming its cell), not a cell left empty.

    Examples
    --------
    >>> is_blank(None), is_blank(" - "), is_blank(0), is_blank(float("nan"))
    (True, True, False, False)
    """
    if value is None:
        return True
    return isinstance(value, str) and _strip(value) in BLANKS


def _signed(text: str) -> tuple[int, str]:
    """(sign, digits part) of a text number, "+" and "−" included."""
    if text and text[0] in _SIGN:
        return (-1 if text[0] != "+" else 1), text[1:].strip()
    return 1, text


def _readings(body: str) -> tuple[Decimal | None, Decimal | None]:
    """The Vietnamese and the English reading of an unsigned text number; None where the
    form allows none."""
    out: list[Decimal | None] = []
    for form, group in ((_VI_FORM, ". "), (_EN_FORM, ",")):
        m = form.match(body)
        if not m:
            out.append(None)
            continue
        digits = m.group(1)
        for sep in group:
            digits = digits.replace(sep, "")
        frac = m.group(2)
        try:
            out.append(Decimal(digits + ("." + frac if frac else "")))
        except InvalidOperation:  # pragma: no cover - the patterns only let digits through
            out.append(None)
    return out[0], out[1]


def _evidence(body: str) -> tuple[Locale, int]:
    """Which locale a text number's form shows, and how strongly (10: only one writes it)."""
    vi, en = _readings(body)
    if vi is None and en is None:
        return "", 0
    if en is None:
        return "vi", 10
    if vi is None:
        return "en", 10
    if vi == en:
        return "", 0  # "1234": both write it
    # A single group of three ("1.234", "1,234"): both write it, one way each.
    return ("vi" if "." in body or " " in body else "en"), 1


def locale_of(texts: Iterable[str]) -> Locale:
    """How a table writes its numbers, from the text numbers in it.

    Examples
    --------
    >>> locale_of(["1.234", "94,75%", "2,345"]), locale_of(["63,628", "80.95%"])
    ('vi', 'en')
    >>> locale_of(["1.000", "63,000"])
    ''
    """
    votes = {"vi": 0, "en": 0}
    for text in texts:
        body = _signed(_strip(text).rstrip("%").strip())[1]
        for part in body.split("/"):
            loc, weight = _evidence(part.strip())
            if loc:
                votes[loc] += weight
    if votes["vi"] == votes["en"]:
        return ""
    return "vi" if votes["vi"] > votes["en"] else "en"


def _choose(
    text: str, body: str, ok: object, locale: Locale | None, what: str
) -> tuple[Decimal, Locale]:
    """The reading of ``body`` to take (see the module's notes), and whose it is."""
    vi, en = _readings(body)
    check = ok if callable(ok) else (lambda d: True)
    pairs: tuple[tuple[Locale, Decimal | None], ...] = (("vi", vi), ("en", en))
    allowed = [(loc, d) for loc, d in pairs if d is not None and check(d)]
    if not allowed:
        raise ValueError(what)
    if len(allowed) == 2 and allowed[0][1] == allowed[1][1]:
        return allowed[0][1], ""  # the same number either way ("1234", "12")
    mine = locale if locale is not None else _evidence(body)[0]
    if len(allowed) == 1:
        return _only_allowed(
            text, allowed[0], both=vi is not None and en is not None, mine=mine, what=what
        )
    for loc, d in allowed:
        if loc == mine:
            return d, loc
    raise AmbiguousNumberError(f"{what}; {text!r} reads {vi} or {en}")


def _only_allowed(
    text: str, reading: tuple[Locale, Decimal], *, both: bool, mine: Locale, what: str
) -> tuple[Decimal, Locale]:
    """The one reading a cell's role allows, unless the text reads both ways and the table
    is written the other way: then which was meant is a guess, and a guess is an error."""
    loc, d = reading
    if both and mine and mine != loc:
        raise AmbiguousNumberError(
            f"{what}; {text!r} is written the {_NAMES[loc]} way in a table written "
            f"the {_NAMES[mine]} way"
        )
    return d, loc


_NAMES = {"vi": "Vietnamese", "en": "English"}


def _whole(d: Decimal) -> bool:
    return d == d.to_integral_value() and abs(d) <= MAX_COUNT


def read_count(value: object, locale: Locale | None = None) -> tuple[int | None, Locale]:
    """A whole count from a cell value, and the locale of the reading taken from text.

    ``locale`` is the table's way of writing numbers (:func:`locale_of`); None
    lets a text number's own form decide. The second value is "en" when the
    text was read the English way, "vi" the Vietnamese way, "" when both
    agree or the cell holds a number.

    Raises
    ------
    ValueError
        When the value is not a whole number from 0 … :data:`MAX_COUNT` in size
        (text, a fraction, a date, NaN, infinity, a boolean, a number too large);
        :class:`AmbiguousNumberError` when its reading depends on the locale.

    Examples
    --------
    >>> read_count("507.361"), read_count("63,628"), read_count("63,628", "en")
    ((507361, 'vi'), (63628, 'en'), (63628, 'en'))
    >>> read_count("2,345", "vi")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    antq.numbers.AmbiguousNumberError: a whole number; '2,345' is written the English way ...
    """
    if is_blank(value):
        return None, ""
    cls = value.__class__
    if cls is int:
        if abs(value) > MAX_COUNT:  # type: ignore[arg-type]
            raise ValueError(f"a whole number of at most {MAX_COUNT:,} in size")
        return value, ""  # type: ignore[return-value]
    if cls is float:
        x: float = value  # type: ignore[assignment]
        if not math.isfinite(x) or not x.is_integer() or abs(x) > MAX_COUNT:
            raise ValueError("a whole number")
        return int(x), ""
    if isinstance(value, str):
        text = _strip(value)
        sign, body = _signed(text)
        d, loc = _choose(text, body, _whole, locale, "a whole number")
        return sign * int(d), loc
    raise ValueError("a whole number")


def parse_count(value: object, locale: Locale | None = None) -> int | None:
    """A whole count from a cell value; None when blank.

    Raises ``ValueError`` when the value is not a whole number (see :func:`read_count`).

    Examples
    --------
    >>> parse_count("507.361"), parse_count(3462.0), parse_count("-")
    (507361, 3462, None)
    """
    return read_count(value, locale)[0]


#: The largest rate, in percent, read as one: above it a rate is a thousands separator misread
#: ("1.234%") or a value gone wrong (1E+300 typed in a rate cell).
MAX_RATE_PERCENT: int = 1000


def _rate_ok(d: Decimal) -> bool:
    return d <= MAX_RATE_PERCENT


def read_rate(
    value: object,
    number_format: str | None = "General",
    *,
    fraction: bool = False,
    locale: Locale | None = None,
) -> tuple[float | None, Locale]:
    """A rate as a fraction (94,75% → 0.9475), and the locale of the reading of a text.

    See :func:`parse_rate`; ``locale`` as in :func:`read_count`.

    Examples
    --------
    >>> read_rate("80.95%"), read_rate("94,75")
    ((0.8095, 'en'), (0.9475, 'vi'))
    """
    if is_blank(value):
        return None, ""
    cls = value.__class__
    if cls is int or cls is float:
        x = float(value)  # type: ignore[arg-type]
        as_fraction = fraction or "%" in (number_format or "")
        if not math.isfinite(x) or abs(x * 100 if as_fraction else x) > MAX_RATE_PERCENT:
            raise ValueError(f"a rate such as 94,75 of at most {MAX_RATE_PERCENT}%")
        return _clean_float(x if as_fraction else x / 100), ""
    if isinstance(value, str):
        text = _strip(value)
        sign, body = _signed(text.rstrip("%").strip())
        d, loc = _choose(text, body, _rate_ok, locale, "a rate such as 94,75")
        return float(sign * d / 100), loc
    raise ValueError("a rate such as 94,75")


def parse_rate(
    value: object,
    number_format: str | None = "General",
    *,
    fraction: bool = False,
    locale: Locale | None = None,
) -> float | None:
    """A rate as a fraction (94,75% → 0.9475); None when blank.

    A number shown with a percent format is already a fraction (Excel
    stores 94,75% as 0.9475), and so is any number when ``fraction`` is
    true (the reader found the column holds fractions); any other number is
    a percentage (94.75). Text may use a decimal comma or point and may end
    in "%".

    Raises
    ------
    ValueError
        When the value is no rate: text that reads as no number, NaN, infinity, or a
        rate above :data:`MAX_RATE_PERCENT` percent either way (1E+300 in a rate cell).

    Examples
    --------
    >>> parse_rate("94,75%"), parse_rate(94.75), parse_rate(0.9475, "0.00%")
    (0.9475, 0.9475, 0.9475)
    """
    return read_rate(value, number_format, fraction=fraction, locale=locale)[0]


def _clean_float(x: float) -> float:
    # 94.75 / 100 is 0.9475000000000001 in binary; the file meant 0.9475.
    return float(round(x, 12))


def parse_fraction(value: object, locale: Locale | None = None) -> tuple[int, int] | None:
    """``(achieved, total)`` from a text like "2.863/3.462"; None when not a fraction.

    Raises :class:`AmbiguousNumberError` when a part's reading depends on a locale
    the table says is not its own.

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
        a, t = read_count(m.group(1), locale)[0], read_count(m.group(2), locale)[0]
    except AmbiguousNumberError:
        raise
    except ValueError:
        return None
    if a is None or t is None:
        return None
    return a, t


@lru_cache(maxsize=1 << 16)
def _numeric_text(text: str) -> bool:
    body = _signed(_strip(text).rstrip("%").strip())[1]
    if not body:
        return False
    vi, en = _readings(body)
    if vi is not None or en is not None:
        return True
    m = _FRACTION.match(body)
    return m is not None and all(any(_readings(p.strip())) for p in m.groups())


def looks_numeric(value: object) -> bool:
    """True when a cell holds something that reads as a count, fraction or rate.

    Numbers written in either locale count ("1.234", "63,628", "80.95%"), and
    so do signed ones ("+5", "−1"); NaN and infinity are numbers too (gone
    wrong, but numbers).

    Examples
    --------
    >>> looks_numeric("1.234"), looks_numeric("94,75%"), looks_numeric("Hải Hậu")
    (True, True, False)
    """
    cls = value.__class__
    if cls is float or cls is int:
        return True
    if cls is str:
        return _numeric_text(value)
    return False


def is_number_cell(value: object) -> bool:
    """True for a cell the reader must account for: a number, a date (Excel stores dates
    as numbers), or text that reads as one, "(3)" (a column number) included.

    Examples
    --------
    >>> is_number_cell("(3)"), is_number_cell("+5"), is_number_cell("Năm"), is_number_cell(True)
    (True, True, False, False)
    """
    if looks_numeric(value):
        return True
    if isinstance(value, (_dt.date, _dt.time, _dt.timedelta)):
        return True
    return isinstance(value, str) and _column_label(value)


@lru_cache(maxsize=1 << 12)
def _column_label(text: str) -> bool:
    return bool(_LABEL.match(text.strip()))


@lru_cache(maxsize=1 << 16)  # names and headers come back in every workbook of a province
def is_number_text(text: str) -> bool:
    """:func:`is_number_cell` for a text (cached: the same texts come back in every sheet).

    Examples
    --------
    >>> is_number_text("94,75%"), is_number_text("(3)"), is_number_text("Xã Hải Nam")
    (True, True, False)
    """
    return _numeric_text(text) or _column_label(text)


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


def format_count(n: int, lang: str = "vi", noun: str = "") -> str:
    """A count and the noun it counts, the noun agreeing with it: "1 row", "3,726 rows".

    ``noun`` is ``"singular|plural"`` (English: "row|rows"; the singular after
    exactly 1, the plural otherwise, 0 included) or one word for every count
    (Vietnamese has no plural forms: "dòng"). Message templates write it as a
    format spec, ``{n:row|rows}`` (see :func:`antq.vocab.fill`).

    Examples
    --------
    >>> format_count(3726, "vi", "dòng"), format_count(3726, "en", "row|rows")
    ('3.726 dòng', '3,726 rows')
    >>> format_count(1, "en", "number|numbers"), format_count(0, "en", "error|errors")
    ('1 number', '0 errors')
    """
    one, bar, many = noun.partition("|")
    word = one if int(n) == 1 or not bar else many
    text = format_int(n, lang)
    return f"{text} {word}" if word else text


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
