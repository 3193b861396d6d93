"""The closed sets of antq's arguments and table values, as ``Literal`` types.

Type checkers hold callers to them; :func:`as_lang` and friends check them at
run time where a user types them (a notebook, the command line).

Examples
--------
>>> from antq.types import LEVELS, as_lang
>>> LEVELS
('province', 'district', 'commune')
>>> as_lang("en")
'en'
"""

from __future__ import annotations

from typing import Literal, TypeVar, get_args

__all__ = [
    "ERROR_POLICIES",
    "LANGS",
    "LEVELS",
    "ROLES",
    "SEVERITIES",
    "ErrorPolicy",
    "Lang",
    "Level",
    "Role",
    "Severity",
    "as_lang",
    "as_level",
    "one_of",
]

#: Language of messages, labels and charts.
Lang = Literal["vi", "en"]
#: Administrative level of a row, from the top down.
Level = Literal["province", "district", "commune"]
#: How serious a finding is, most serious first.
Severity = Literal["error", "warning", "info"]
#: What a number of a row is.
Role = Literal["achieved", "total", "rate"]
#: What reading does with a cell or file it cannot read: raise, or NA and a finding.
ErrorPolicy = Literal["raise", "coerce"]

LANGS: tuple[Lang, ...] = get_args(Lang)
LEVELS: tuple[Level, ...] = get_args(Level)
SEVERITIES: tuple[Severity, ...] = get_args(Severity)
ROLES: tuple[Role, ...] = get_args(Role)
ERROR_POLICIES: tuple[ErrorPolicy, ...] = get_args(ErrorPolicy)

_T = TypeVar("_T", bound=str)


def one_of(value: object, allowed: tuple[_T, ...], name: str) -> _T:
    """``value`` if it is one of ``allowed``, else a ``ValueError`` naming the argument.

    Examples
    --------
    >>> one_of("coerce", ERROR_POLICIES, "errors")
    'coerce'
    >>> one_of("ignore", ERROR_POLICIES, "errors")
    Traceback (most recent call last):
    ...
    ValueError: errors must be one of ('raise', 'coerce'), not 'ignore'
    """
    if value not in allowed:
        raise ValueError(f"{name} must be one of {allowed}, not {value!r}")
    return value


def as_lang(value: object) -> Lang:
    """Check a language argument (``"vi"`` or ``"en"``)."""
    return one_of(value, LANGS, "lang")


def as_level(value: object) -> Level:
    """Check a level argument (``"province"``, ``"district"`` or ``"commune"``)."""
    return one_of(value, LEVELS, "level")
