"""Findings: every problem antq reports, read or validation alike, made one way.

What a finding *is* lives in one catalogue, ``antq/data/findings.csv``: its
code (``rule``), its severity, its message in Vietnamese and in English, and a
one-line description. Every producer calls :func:`finding` with the rule code,
the cell and the values the message needs; the message is written in both
languages at once, so a table of findings can be shown in either.

Values that read differently by language are passed as small objects:
:class:`Count` ("3.462" / "3,462"), :class:`Pct` ("94,75%" / "94.75%"),
:class:`Num` and :class:`Word` (a word of the vocabulary, ``antq/data/words.csv``).
Templates are filled by :func:`antq.vocab.fill`: a count with a noun is
written ``{n:number|numbers}`` in English, ``{n:số}`` in Vietnamese ("1 number",
"3,726 numbers", "3.726 số").
"""

from __future__ import annotations

import string
from dataclasses import asdict, dataclass
from typing import Protocol

import pandas as pd

from antq.errors import VocabularyError
from antq.frontend import Options
from antq.numbers import format_decimal, format_int, format_pct
from antq.types import SEVERITIES, Lang, Severity, as_lang
from antq.vocab import fill, table_rows, vocab_cache

__all__ = [
    "FINDING_COLUMNS",
    "SEVERITIES",
    "Count",
    "Finding",
    "FindingType",
    "Label",
    "Num",
    "Pct",
    "Phrase",
    "Reading",
    "Word",
    "catalogue",
    "finding",
    "findings_frame",
]

FINDING_COLUMNS: tuple[str, ...] = (
    "severity",
    "rule",
    "year",
    "area",
    "level",
    "indicator",
    "source",
    "message",
    "expected",
    "found",
)


class Localised(Protocol):
    """A value that is written differently in each language."""

    def render(self, lang: Lang) -> str: ...


@dataclass(frozen=True)
class Count:
    """A whole count: "3.462" in Vietnamese, "3,462" in English."""

    n: int

    def render(self, lang: Lang) -> str:
        return format_int(self.n, lang)

    def __index__(self) -> int:
        # A count with a noun in a template: {n:row|rows} (antq.vocab.fill).
        return self.n


@dataclass(frozen=True)
class Pct:
    """A rate (a fraction) as a percentage with the digits it was written with."""

    rate: float
    decimals: int | None = None

    def render(self, lang: Lang) -> str:
        return format_pct(self.rate, lang, self.decimals)


@dataclass(frozen=True)
class Num:
    """A decimal number: "1,25" in Vietnamese, "1.25" in English."""

    x: float
    decimals: int = 2

    def render(self, lang: Lang) -> str:
        return format_decimal(self.x, self.decimals, lang)


@dataclass(frozen=True)
class Word:
    """A word of the vocabulary (``antq/data/words.csv``), by key."""

    key: str

    def render(self, lang: Lang) -> str:
        from antq.vocab import word

        return word(self.key, lang)


@dataclass(frozen=True)
class Label:
    """An indicator, by code, named in the language of the message ("Khu dân cư văn hóa")."""

    code: str

    def render(self, lang: Lang) -> str:
        from antq.vocab import label

        return label(self.code, lang)


@dataclass(frozen=True)
class Phrase:
    """A phrase of the vocabulary with fields: ``Phrase("expect.within", pct=Pct(0.05))``."""

    key: str
    fields: tuple[tuple[str, object], ...] = ()

    def __init__(self, key: str, **fields: object) -> None:
        object.__setattr__(self, "key", key)
        object.__setattr__(self, "fields", tuple(sorted(fields.items())))

    def render(self, lang: Lang) -> str:
        from antq.vocab import word

        return word(self.key, lang, **dict(self.fields))


@dataclass(frozen=True)
class Reading:
    """One reading of a number, written as a Python literal ("2.415", "2415"), in words.

    In Vietnamese "2,415 (số thập phân)" and "2.415 (số nguyên)"; in English
    "2.415 (a decimal)" and "2,415 (a whole number)": the two readings of an
    ambiguous cell never look alike in the language of the message.
    """

    literal: str

    def render(self, lang: Lang) -> str:
        from decimal import Decimal

        from antq.vocab import word

        x = Decimal(self.literal)
        if x == x.to_integral_value():
            return word("reading.whole", lang, n=format_int(int(x), lang))
        decimals = max(0, -int(x.as_tuple().exponent))
        return word("reading.decimal", lang, x=format_decimal(float(x), decimals, lang))


@dataclass(frozen=True)
class FindingType:
    """One row of the catalogue: what a finding with this rule code is."""

    rule: str
    severity: Severity
    vi: str
    en: str
    description: str


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@vocab_cache
def catalogue() -> dict[str, FindingType]:
    """Every finding antq can report, by rule code, checked when loaded.

    Examples
    --------
    >>> catalogue()["rate.mismatch"].severity
    'warning'
    """
    out: dict[str, FindingType] = {}
    for i, row in enumerate(table_rows("findings.csv"), start=2):
        where = f"antq/data/findings.csv line {i}"
        if row["severity"] not in SEVERITIES:
            raise VocabularyError(f"{where}: severity {row['severity']!r} not one of {SEVERITIES}")
        if row["rule"] in out:
            raise VocabularyError(f"{where}: rule {row['rule']!r} is listed twice")
        if not (row["vi"] and row["en"] and row["description"]):
            raise VocabularyError(f"{where}: {row['rule']} needs vi, en and a description")
        vi, en = _fields(row["vi"]), _fields(row["en"])
        # reason_vi / reason: the two languages of a refusal travel as two fields.
        if {f.removesuffix("_vi") for f in vi} != {f.removesuffix("_vi") for f in en}:
            raise VocabularyError(f"{where}: {row['rule']} has fields {vi} in vi but {en} in en")
        out[row["rule"]] = FindingType(**row)  # type: ignore[arg-type]
    return out


@dataclass(frozen=True)
class Finding:
    """One problem, pointing at a file, sheet and cell where it can.

    Build one with :func:`finding`; the message is kept in both languages.
    """

    severity: Severity
    rule: str
    source: str
    message: str
    message_en: str = ""
    expected: str = ""
    expected_en: str = ""
    found: str = ""
    found_en: str = ""
    year: int | None = None
    area: str | None = None
    level: str | None = None
    indicator: str | None = None

    @property
    def text(self) -> str:
        """One line in Vietnamese, as ``antq check`` writes it: ``source: lỗi [rule] message``."""
        from antq.vocab import word

        severity = word(f"severity.{self.severity}", "vi").lower()
        return f"{self.source}: {severity} [{self.rule}] {self.message}"

    @property
    def file(self) -> str:
        """The file part of the source ("a.xlsx" of "a.xlsx!ANTT!E19")."""
        return self.source.split("!", 1)[0]

    @property
    def cell(self) -> str | None:
        """The cell address of the source, where it names one ("E19")."""
        parts = self.source.split("!")
        return parts[2] if len(parts) == 3 else None


def _render(value: object, lang: Lang) -> object:
    render = getattr(value, "render", None)
    return render(lang) if callable(render) else value


def finding(
    rule: str,
    source: str,
    *,
    expected: object = "",
    found: object = "",
    year: int | None = None,
    area: str | None = None,
    level: str | None = None,
    indicator: str | None = None,
    **params: object,
) -> Finding:
    """A finding of ``rule`` at ``source``: severity and messages from the catalogue.

    ``params`` fill the message templates; :class:`Count`, :class:`Pct`,
    :class:`Num` and :class:`Word` values are written in each language's way.

    Raises
    ------
    KeyError
        Never for a user's input: only for a rule code missing from the
        catalogue, which a test of the catalogue rules out.

    Examples
    --------
    >>> f = finding("rate.above_100", "a.xlsx!S!E9", r=Pct(1.02), found=Pct(1.02))
    >>> f.severity, f.message, f.message_en, f.found
    ('error', 'Tỷ lệ 102% vượt quá 100%.', 'The rate 102% is above 100%.', '102%')
    """
    kind = catalogue()[rule]
    fields = {
        # {opt:year}: an option as the front end showing the message spells it.
        "opt": Options(),
        "found": found,
        "expected": expected,
        "year": year,
        "area": area,
        # {indicator} in a message is the indicator's name; the column keeps the code.
        "indicator": Label(indicator) if indicator else indicator,
        **params,
    }

    def text(lang: Lang) -> str:
        return fill(kind.vi if lang == "vi" else kind.en, lang, **fields)

    return Finding(
        severity=kind.severity,
        rule=rule,
        source=source,
        message=text("vi"),
        message_en=text("en"),
        expected=str(_render(expected, "vi")),
        expected_en=str(_render(expected, "en")),
        found=str(_render(found, "vi")),
        found_en=str(_render(found, "en")),
        year=year,
        area=area,
        level=level,
        indicator=indicator,
    )


_DTYPES = {
    "severity": "string",
    "rule": "string",
    "year": "Int64",
    "area": "string",
    "level": "string",
    "indicator": "string",
    "source": "string",
    "message": "string",
    "expected": "string",
    "found": "string",
}


def findings_frame(findings: list[Finding], lang: Lang = "vi") -> pd.DataFrame:
    """Findings as a DataFrame with the columns of :data:`FINDING_COLUMNS`, errors first.

    Examples
    --------
    >>> f = finding("area.unknown", "a.xlsx!S!B9", name="Khu Bắc")
    >>> findings_frame([f], "en").loc[0, "message"]
    "Area 'Khu Bắc' is not in antq's list of areas; kept as written."
    """
    lang = as_lang(lang)
    rows = []
    for f in findings:
        row = asdict(f)
        if lang == "en":
            for col in ("message", "expected", "found"):
                row[col] = row[f"{col}_en"] or row[col]
        rows.append(row)
    df = pd.DataFrame(rows, columns=list(FINDING_COLUMNS)).astype(_DTYPES)
    order = {s: i for i, s in enumerate(SEVERITIES)}
    if len(df):
        # Errors first, then by cell; findings on one cell in one order whatever order they
        # came in (a rebuild gives the same file as a build from scratch).
        ties = ["rule", "message", "year", "area", "level", "indicator", "expected", "found"]
        df = (
            df.assign(_k=df["severity"].map(order).astype("int64"))
            .sort_values(["_k", "source", *ties], kind="stable", na_position="first")
            .drop(columns="_k")
        )
    return df.reset_index(drop=True)
