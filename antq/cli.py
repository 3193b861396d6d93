"""The command line: ``antq build``, ``antq check``, ``antq summary``, ``antq template``.

Help and messages are in Vietnamese (``--lang en`` or ``ANTQ_LANG=en`` for
English); their words are rows ``cli.*`` of ``antq/data/words.csv``. The
common options (``--lang``, ``--debug``) are accepted before or after the
command. Output is UTF-8 whatever the console's code page, so
``antq check data/raw > out.txt`` works on Windows too; ``python -m antq``
runs the same command line.

Exit codes: 0 success, nothing to report; 1 problems found in the data
(``check``: errors or warnings; ``build``: error findings; ``summary``: a
figure it could not state); 2 a file could not be read or the command was
used wrongly. No command prints a traceback unless ``--debug`` is given.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from antq._version import __version__
from antq.errors import AntqError
from antq.frontend import use as front_end
from antq.types import LANGS, Lang, as_lang

__all__ = ["main", "read_lines"]

DEFAULT_RAW = Path("data/raw")
DEFAULT_OUT = Path("data/processed")
#: The environment variable choosing the language when ``--lang`` is not given.
LANG_ENV = "ANTQ_LANG"


def _w(lang: Lang) -> Callable[..., str]:
    from antq.vocab import word

    return lambda key, **fields: word(f"cli.{key}", lang, **fields)


# ---- input and output ----------------------------------------------------------------------


def _utf8_streams() -> None:
    """Write UTF-8 whatever the console's code page (cp1258, cp1252 …).

    Vietnamese letters are not in those code pages; printing them used to
    stop the program with a UnicodeEncodeError, output redirected to a file
    included.
    """
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if encoding == "utf8" or not isinstance(stream, io.TextIOWrapper):
            continue
        try:
            stream.reconfigure(encoding="utf-8", errors="backslashreplace")
        except (ValueError, OSError):  # a stream that cannot change: leave it
            continue


def read_lines(path: Path) -> list[str]:
    """The non-empty lines of a text file as Notepad and Excel save them.

    UTF-16 (with its byte-order mark), UTF-8 with or without a BOM, and
    else Windows' Vietnamese code page (cp1258); names are returned in NFC.

    Examples
    --------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "xa.txt"
    >>> _ = p.write_bytes("Xã Hải Nam\\r\\nXã Hải Châu\\r\\n".encode("utf-16"))
    >>> read_lines(p)
    ['Xã Hải Nam', 'Xã Hải Châu']
    """
    import unicodedata

    data = path.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1258")
    lines = (unicodedata.normalize("NFC", line).strip() for line in text.splitlines())
    return [line for line in lines if line]


def _require_paths(paths: Sequence[Path], lang: Lang) -> None:
    """A missing path is named as such, not read as an empty table."""
    for path in paths:
        if not path.exists():
            raise AntqError(_w("en")("no_path", path=path), vi=_w("vi")("no_path", path=path))


# ---- the commands --------------------------------------------------------------------------


def _options(args: argparse.Namespace) -> Any:
    from antq.reading.reader import ReadOptions

    return ReadOptions(
        progress=sys.stderr.isatty() or None,
        workers=getattr(args, "workers", None),
        year=args.read_year,
        include_hidden=args.include_hidden,
    )


def _build(args: argparse.Namespace) -> int:
    from antq.pipeline import build

    _require_paths([args.raw], args.lang)
    report = build(args.raw, args.out, _options(args), lang=args.lang, cache=not args.no_cache)
    print(report)
    return 1 if report.errors else 0


def _print_findings(findings: Any, lang: Lang) -> None:
    from antq.vocab import word

    files = findings["source"].str.split("!", n=1).str[0]
    for name in sorted(set(files)):
        print(name)
        for _, f in findings[files == name].iterrows():
            # A finding about the whole file has no sheet or cell: the heading names it.
            where = f"{f['source'].split('!', 1)[1]}: " if "!" in f["source"] else ""
            severity = word(f"severity.{f['severity']}", lang).lower()
            print(f"  {where}{severity} [{f['rule']}] {f['message']}")


def _check(args: argparse.Namespace) -> int:
    from antq.outputs.annotate import annotatable, annotate
    from antq.pipeline import PROBLEM_SEVERITIES, check, severity_counts

    w = _w(args.lang)
    _require_paths(args.paths, args.lang)
    findings = check(args.paths, _options(args), lang=args.lang, max_bytes=int(args.max_mb * 2**20))
    if findings.empty:
        print(w("no_problems"))
        return 0
    _print_findings(findings, args.lang)
    print(w("counts", counts=severity_counts(findings["severity"].value_counts(), args.lang)))
    if args.annotate:
        raw = args.paths[0] if len(args.paths) == 1 else "."
        written = annotate(findings, raw, args.annotate, lang=args.lang)
        print(w("annotated", n=len(written), dir=args.annotate))
        files = findings["source"].str.split("!", n=1).str[0]
        for name in sorted(set(files[findings["source"].str.contains("!")])):
            if not annotatable(name):
                print(w("not_annotated", name=name))
    if (findings["rule"] == "read.unreadable").any():
        return 2
    return 1 if findings["severity"].isin(PROBLEM_SEVERITIES).any() else 0


def _summary(args: argparse.Namespace) -> int:
    from antq.outputs.summary import area_note, omissions, summary, with_region
    from antq.reading.reader import load
    from antq.series.events import events_beside

    _require_paths([args.raw], args.lang)
    with warnings.catch_warnings():
        # What could not be read is said below, in one sentence per figure.
        warnings.simplefilter("ignore")
        df = with_region(load(args.raw, errors="coerce", year=args.read_year), args.area)
        events = events_beside(args.raw)
        text = summary(df, year=args.year, area=args.area, lang=args.lang, events=events)
    print(text)
    note = area_note(df, year=args.year, area=args.area, lang=args.lang)
    if note:
        print(note, file=sys.stderr)  # which unit was read: said, not an error
    missing = omissions(df, year=args.year, area=args.area, lang=args.lang)
    for sentence in missing:
        print(_w(args.lang)("omitted", sentence=sentence), file=sys.stderr)
    return 1 if missing else 0


def _template(args: argparse.Namespace) -> int:
    from antq.outputs.form import template

    areas = None
    if args.areas:
        _require_paths([args.areas], args.lang)
        try:
            areas = read_lines(args.areas)
        except (UnicodeDecodeError, OSError) as exc:
            raise AntqError(
                _w("en")("areas_unreadable", path=args.areas, reason=exc),
                vi=_w("vi")("areas_unreadable", path=args.areas, reason=exc),
            ) from exc
    out = template(args.out, year=args.year, level=args.level, areas=areas, parent=args.parent)
    print(_w(args.lang)("wrote_form", out=out))
    return 0


# ---- the parser ----------------------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    """argparse, with its own error messages in the language of the run."""

    lang: Lang = "vi"

    def error(self, message: str) -> NoReturn:
        from antq.vocab import words

        if self.lang == "vi":
            # Longest first: "invalid int value:" before "argument".
            pairs = sorted(
                (en, vi) for key, (vi, en) in words().items() if key.startswith("cli.argparse.")
            )
            for en, vi in sorted(pairs, key=lambda p: -len(p[0])):
                message = message.replace(en, vi)
        self.print_usage(sys.stderr)
        self.exit(2, _w(self.lang)("error", message=message) + "\n")


def _formatter(lang: Lang) -> type[argparse.HelpFormatter]:
    prefix = _w(lang)("usage")

    class Formatter(argparse.HelpFormatter):
        """argparse's layout with the usage line in ``lang``."""

        def add_usage(self, usage: Any, actions: Any, groups: Any, prefix_: Any = None) -> None:
            # argparse passes "" when it builds a command's name: keep that.
            super().add_usage(usage, actions, groups, prefix if prefix_ is None else prefix_)

    return Formatter


def _common(p: argparse.ArgumentParser, lang: Lang, *, top: bool) -> Any:
    """Options every command takes, before or after its name.

    A command's own copy has no default (SUPPRESS), so it only overrides
    what was given before the command when given again after it.
    """
    w = _w(lang)
    group = p.add_argument_group(w("options"))
    group.add_argument("-h", "--help", action="help", help=w("help"))
    if top:
        group.add_argument(
            "--version", action="version", version=f"antq {__version__}", help=w("version")
        )
    default: Any = argparse.SUPPRESS
    group.add_argument(
        "--lang",
        choices=LANGS,
        metavar=w("metavar.lang"),
        help=w("lang"),
        default=lang if top else default,
    )
    group.add_argument(
        "--debug", action="store_true", help=w("debug"), default=False if top else default
    )
    return group


def _sub(
    sub: Any, name: str, lang: Lang, func: Callable[[argparse.Namespace], int]
) -> tuple[argparse.ArgumentParser, Any, Any]:
    w = _w(lang)
    p: argparse.ArgumentParser = sub.add_parser(
        name,
        help=w(name),
        description=w(name),
        add_help=False,
        formatter_class=_formatter(lang),
    )
    p.set_defaults(func=func, read_year=None, include_hidden=False, workers=None)
    positionals = p.add_argument_group(w("positionals"))
    return p, positionals, _common(p, lang, top=False)


def _reading(options: Any, lang: Lang, *, year: bool = True) -> None:
    """How to read: the options findings advise ({opt:year} → "--year NĂM")."""
    w = _w(lang)
    if year:
        options.add_argument(
            "--year", dest="read_year", type=int, metavar=w("metavar.year"), help=w("year_read")
        )
    options.add_argument("--include-hidden", action="store_true", help=w("include_hidden"))


def _add_build(sub: Any, lang: Lang) -> None:
    w = _w(lang)
    _p, pos, opt = _sub(sub, "build", lang, _build)
    pos.add_argument(
        "raw",
        nargs="?",
        type=Path,
        default=DEFAULT_RAW,
        metavar=w("metavar.dir"),
        help=w("build.raw"),
    )
    opt.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, metavar=w("metavar.dir"), help=w("build.out")
    )
    opt.add_argument("--workers", type=int, metavar=w("metavar.n"), help=w("build.workers"))
    opt.add_argument("--no-cache", action="store_true", help=w("build.no_cache"))
    _reading(opt, lang)


def _add_check(sub: Any, lang: Lang) -> None:
    w = _w(lang)
    _p, pos, opt = _sub(sub, "check", lang, _check)
    pos.add_argument(
        "paths", nargs="+", type=Path, metavar=w("metavar.path"), help=w("check.paths")
    )
    opt.add_argument(
        "--max-mb", type=float, default=50, metavar=w("metavar.n"), help=w("check.max_mb")
    )
    opt.add_argument("--annotate", type=Path, metavar=w("metavar.dir"), help=w("check.annotate"))
    _reading(opt, lang)


def _add_summary(sub: Any, lang: Lang) -> None:
    w = _w(lang)
    _p, pos, opt = _sub(sub, "summary", lang, _summary)
    pos.add_argument(
        "raw",
        nargs="?",
        type=Path,
        default=DEFAULT_RAW,
        metavar=w("metavar.dir"),
        help=w("summary.raw"),
    )
    opt.add_argument(
        "--year", type=int, required=True, metavar=w("metavar.year"), help=w("summary.year")
    )
    opt.add_argument("--area", metavar=w("metavar.name"), help=w("summary.area"))
    _reading(opt, lang, year=False)


def _add_template(sub: Any, lang: Lang) -> None:
    w = _w(lang)
    _p, _pos, opt = _sub(sub, "template", lang, _template)
    opt.add_argument(
        "--year", type=int, required=True, metavar=w("metavar.year"), help=w("template.year")
    )
    opt.add_argument(
        "--level",
        choices=["district", "commune"],
        default="district",
        metavar=w("metavar.level"),
        help=w("template.level"),
    )
    opt.add_argument("--areas", type=Path, metavar=w("metavar.file"), help=w("template.areas"))
    opt.add_argument("--parent", metavar=w("metavar.name"), help=w("template.parent"))
    opt.add_argument(
        "--out", type=Path, required=True, metavar=w("metavar.file"), help=w("template.out")
    )


def _parser(lang: Lang) -> argparse.ArgumentParser:
    w = _w(lang)
    _Parser.lang = lang
    p = _Parser(
        prog="antq",
        description=w("description"),
        epilog=w("epilog"),
        add_help=False,
        formatter_class=_formatter(lang),
    )
    _common(p, lang, top=True)
    sub = p.add_subparsers(title=w("commands"), dest="command", required=True, metavar=w("command"))
    for add in (_add_build, _add_check, _add_summary, _add_template):
        add(sub, lang)
    return p


def _language(argv: Sequence[str]) -> Lang:
    """The language of this run, known before parsing (the help is written in it)."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv) and argv[i + 1] in LANGS:
            return as_lang(argv[i + 1])
        if arg.startswith("--lang=") and arg[7:] in LANGS:
            return as_lang(arg[7:])
    env = os.environ.get(LANG_ENV, "vi")
    return as_lang(env if env in LANGS else "vi")


def _fail(args: argparse.Namespace, exc: BaseException) -> int:
    """One line on stderr for a clerk; the traceback only with --debug."""
    if args.debug:
        raise exc
    w = _w(args.lang)
    if isinstance(exc, AntqError):
        print(w("error", message=exc.vi if args.lang == "vi" else exc), file=sys.stderr)
        return 2
    print(w("unexpected", kind=type(exc).__name__, message=exc), file=sys.stderr)
    return 3


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code.

    Examples
    --------
    >>> main(["summary", "--year", "2015", "--lang", "en", "data/raw"])  # doctest: +ELLIPSIS
    In 2015, the province had 2,829/3,812 cultural residential areas; ...
    0
    """
    _utf8_streams()
    argv = list(sys.argv[1:] if argv is None else argv)
    args = _parser(_language(argv)).parse_args(argv)
    try:
        with front_end("cli"):
            return int(args.func(args))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # Output piped into `head` and closed early: not an error of antq's.
        sys.stdout = open(os.devnull, "w")
        return 0
    except Exception as exc:  # never a traceback for a clerk; --debug shows it
        return _fail(args, exc)


if __name__ == "__main__":
    sys.exit(main())
