"""Which front end shows antq's messages: the Python API or the command line.

A message that advises an option names it as the reader can type it: a
template writes ``{opt:year}``, and it is rendered ``year=…`` for the Python
API and ``--year NĂM`` on the command line. The spellings are rows of
``words.csv`` (``opt.python.year``, ``opt.cli.year``), so a new option is a
pair of rows, not code.

The command line sets the front end for the whole run, worker processes
included (they inherit the environment variable :data:`ENV`).

Examples
--------
>>> option("year")
'year=…'
>>> with use("cli"):
...     option("year", "en")
'--year YEAR'
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Literal, get_args

from antq.types import Lang

__all__ = ["ENV", "FRONT_ENDS", "FrontEnd", "Options", "current", "option", "use"]

#: Who shows the messages.
FrontEnd = Literal["python", "cli"]
FRONT_ENDS: tuple[FrontEnd, ...] = get_args(FrontEnd)
#: The environment variable carrying the front end to worker processes.
ENV = "ANTQ_FRONT_END"


def current() -> FrontEnd:
    """The front end of this run ("python" unless the command line set it)."""
    value = os.environ.get(ENV, "python")
    return value if value in FRONT_ENDS else "python"


@contextmanager
def use(front_end: FrontEnd) -> Iterator[None]:
    """Render options for ``front_end`` inside a block (restored after it)."""
    before = os.environ.get(ENV)
    os.environ[ENV] = front_end
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(ENV, None)
        else:
            os.environ[ENV] = before


def option(name: str, lang: Lang = "vi") -> str:
    """How the current front end spells the option ``name`` (a row ``opt.<front end>.<name>``)."""
    from antq.vocab import word

    return word(f"opt.{current()}.{name}", lang)


class Options:
    """The ``opt`` field of a message template: ``{opt:year}`` becomes :func:`option` ("year")."""

    def __init__(self, lang: Lang = "vi") -> None:
        self.lang: Lang = lang

    def render(self, lang: Lang) -> Options:
        return Options(lang)

    def __format__(self, spec: str) -> str:
        return option(spec, self.lang)
