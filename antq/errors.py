"""Errors and warnings of antq.

Every message names the file (and, where it applies, the sheet and cell),
says what was found and what was expected, in one sentence a clerk can act on.
"""

from __future__ import annotations

__all__ = [
    "AntqError",
    "AntqWarning",
    "CellValueError",
    "FileTooLargeError",
    "NoTableError",
    "SchemaError",
    "UnreadableFileError",
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
    """A cell that should hold a number holds something else."""

    def __init__(self, source: str, found: object, expected: str) -> None:
        self.source = source
        self.found = found
        self.expected = expected
        super().__init__(f"{source}: found {found!r}, expected {expected}")

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.source, self.found, self.expected))


class SchemaError(AntqError):
    """A table does not follow the tidy contract (columns, dtypes, allowed values)."""


def _rebuild(cls: type[AntqError], message: str, vi: str) -> AntqError:
    err = cls.__new__(cls)
    AntqError.__init__(err, message, vi=vi)
    return err


class AntqWarning(UserWarning):
    """A problem that did not stop reading: a coerced cell, an unknown area, a skipped sheet.

    The structured finding is in ``.finding``.
    """

    def __init__(self, finding: object) -> None:
        self.finding = finding
        super().__init__(str(getattr(finding, "text", finding)))
