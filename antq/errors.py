"""Errors and warnings of antq.

Every message names the file (and, where it applies, the sheet and cell),
says what was found and what was expected, in one sentence a clerk can act on.
"""

from __future__ import annotations

__all__ = [
    "AntqError",
    "AntqWarning",
    "AreaLookupError",
    "CellValueError",
    "FileTooLargeError",
    "NoTableError",
    "NothingToDrawError",
    "SchemaError",
    "UnreadableFileError",
    "VocabularyError",
]


class AntqError(Exception):
    """Base class of every error antq raises on purpose.

    The message is English; ``.vi`` holds the same sentence in Vietnamese where
    one was written, for the findings a clerk reads.
    """

    def __init__(self, message: str, *, vi: str | None = None) -> None:
        super().__init__(message)
        self.vi = vi or message

    def __reduce__(self) -> tuple[object, ...]:
        # Errors cross from worker processes pickled; keep the Vietnamese text.
        return (_rebuild, (type(self), str(self), self.vi))


class UnreadableFileError(AntqError):
    """The file is not a workbook antq can open (wrong type, corrupt, encrypted, unsafe)."""


class FileTooLargeError(UnreadableFileError):
    """The file or its decompressed content is over the configured size limit."""


class NoTableError(AntqError):
    """The workbook opens but no sheet holds a recognisable indicator table."""


class CellValueError(AntqError):
    """A cell that should hold a number holds something else.

    ``vi`` is the Vietnamese sentence (the message of the finding the cell
    gives with ``errors="coerce"``, after the cell's address).
    """

    def __init__(self, source: str, found: object, expected: str, *, vi: str | None = None) -> None:
        self.source = source
        self.found = found
        self.expected = expected
        super().__init__(f"{source}: found {found!r}, expected {expected}", vi=vi)

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild_cell, (self.source, self.found, self.expected, self.vi))


class SchemaError(AntqError):
    """A table does not follow the tidy contract (columns, dtypes, allowed values).

    ``failure_cases`` is a DataFrame with one row per failure, as pandera gives
    them: ``check`` (what was checked), ``column``, ``failure_case`` (the value
    or dtype found) and ``index`` (the row label, where one row is at fault).
    """

    def __init__(
        self,
        message: str,
        *,
        vi: str | None = None,
        failures: list[dict[str, object]] | None = None,
    ) -> None:
        super().__init__(message, vi=vi)
        self.failures = list(failures or [])

    @property
    def failure_cases(self) -> object:
        """The failures as a DataFrame (``check, column, failure_case, index``)."""
        import pandas as pd

        return pd.DataFrame(self.failures, columns=["check", "column", "failure_case", "index"])

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild_schema, (str(self), self.vi, self.failures))


class AreaLookupError(AntqError, LookupError):
    """An area name matches no administrative unit, or more than one.

    ``.name`` is the name as given. ``.reason`` is "ambiguous" (``.candidates``
    are the units it could mean) or "unknown" (``.candidates`` are the units
    of that name at other dates or places, if any), each an
    ``antq.registry.Area``.
    """

    def __init__(
        self,
        message: str,
        *,
        vi: str | None = None,
        name: str = "",
        candidates: tuple[object, ...] = (),
        reason: str = "unknown",
    ) -> None:
        super().__init__(message, vi=vi)
        self.name = name
        self.candidates = tuple(candidates)
        self.reason = reason

    def __reduce__(self) -> tuple[object, ...]:
        fields = (str(self), self.vi, self.name, self.candidates, self.reason)
        return (_rebuild_lookup, (type(self), *fields))


def _rebuild_lookup(
    cls: type[AreaLookupError],
    message: str,
    vi: str,
    name: str,
    candidates: tuple[object, ...],
    reason: str,
) -> AreaLookupError:
    return cls(message, vi=vi, name=name, candidates=candidates, reason=reason)


def _rebuild_cell(source: str, found: object, expected: str, vi: str) -> CellValueError:
    return CellValueError(source, found, expected, vi=vi)


def _rebuild(cls: type[AntqError], message: str, vi: str) -> AntqError:
    err = cls.__new__(cls)
    AntqError.__init__(err, message, vi=vi)
    return err


def _rebuild_schema(message: str, vi: str, failures: list[dict[str, object]]) -> SchemaError:
    return SchemaError(message, vi=vi, failures=failures)


class NothingToDrawError(AntqError, ValueError):
    """A chart of rows the table does not hold (an indicator, level or area it lacks), or of
    rates it cannot show (counts given without a total). A ``ValueError`` too, as before."""


class AntqWarning(UserWarning):
    """A problem that did not stop reading: a coerced cell, an unknown area, a skipped sheet.

    The structured finding is in ``.finding``.
    """

    def __init__(self, finding: object) -> None:
        self.finding = finding
        super().__init__(str(getattr(finding, "text", finding)))


class VocabularyError(AntqError):
    """A vocabulary table (``antq/data/*.csv`` or a folder passed to ``vocab.use``) is broken."""
