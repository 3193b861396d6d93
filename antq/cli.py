"""The command line: ``antq build``, ``antq check``, ``antq summary``.

Exit codes: 0 success / clean; 1 problems found (``check``); 2 a file could
not be read or the command was used wrongly. No command prints a traceback
unless ``--debug`` is given.
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path

from antq.errors import AntqError

__all__ = ["main"]

DEFAULT_RAW = Path("data/raw")
DEFAULT_OUT = Path("data/processed")


def _build(args: argparse.Namespace) -> int:
    from antq.pipeline import build
    from antq.reading.reader import ReadOptions

    options = ReadOptions(progress=sys.stderr.isatty() or None, workers=args.workers)
    report = build(args.raw, args.out, options, lang=args.lang, cache=not args.no_cache)
    print(report)
    return 0


def _check(args: argparse.Namespace) -> int:
    from antq.outputs.annotate import annotate
    from antq.pipeline import PROBLEM_SEVERITIES, check

    findings = check(args.paths, lang=args.lang, max_bytes=int(args.max_mb * 1024 * 1024))
    if findings.empty:
        print("antq check: no problems found")
        return 0
    files = findings["source"].str.split("!", n=1).str[0]
    for name in sorted(set(files)):
        print(name)
        for _, f in findings[files == name].iterrows():
            where = f["source"].split("!", 1)[1] if "!" in f["source"] else "-"
            print(f"  {where}: {f['severity']} [{f['rule']}] {f['message']}")
    counts = findings["severity"].value_counts()
    print(
        "antq check: "
        + ", ".join(f"{int(counts.get(s, 0))} {s}" for s in ("error", "warning", "info"))
    )
    if args.annotate:
        raw = args.paths[0] if len(args.paths) == 1 else "."
        written = annotate(findings, raw, args.annotate)
        print(f"antq check: {len(written)} annotated copies in {args.annotate}")
    if (findings["rule"] == "read.unreadable").any():
        return 2
    return 1 if findings["severity"].isin(PROBLEM_SEVERITIES).any() else 0


def _summary(args: argparse.Namespace) -> int:
    from antq.outputs.summary import summary
    from antq.reading.reader import load

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        df = load(args.raw, errors="coerce")
    print(summary(df, year=args.year, area=args.area, lang=args.lang))
    return 0


def _template(args: argparse.Namespace) -> int:
    from antq.outputs.form import template

    areas = None
    if args.areas:
        lines = args.areas.read_text(encoding="utf-8").splitlines()
        areas = [line.strip() for line in lines if line.strip()]
    out = template(args.out, year=args.year, level=args.level, areas=areas, parent=args.parent)
    print(f"antq template: wrote {out}")
    return 0


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="antq",
        description="Load, check and summarise the yearly ANTQ movement reports.",
    )
    p.add_argument("--debug", action="store_true", help="show tracebacks")
    sub = p.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="rebuild data/processed from data/raw")
    b.add_argument("raw", nargs="?", type=Path, default=DEFAULT_RAW, help="workbooks (folder)")
    b.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder")
    b.add_argument("--lang", choices=["vi", "en"], default="vi")
    b.add_argument(
        "--workers",
        type=int,
        default=None,
        help="processes reading workbooks (default: one per core for many files)",
    )
    b.add_argument(
        "--no-cache",
        action="store_true",
        help="read every workbook again instead of reusing unchanged ones",
    )
    b.set_defaults(func=_build)
    c = sub.add_parser("check", help="read workbooks and list every problem, one line each")
    c.add_argument("paths", nargs="+", type=Path, help="workbooks or folders")
    c.add_argument("--lang", choices=["vi", "en"], default="vi")
    c.add_argument(
        "--max-mb",
        type=float,
        default=50,
        help="refuse workbooks larger than this many MB (default 50)",
    )
    c.add_argument(
        "--annotate",
        type=Path,
        metavar="DIR",
        help="write copies of the workbooks with flagged cells highlighted",
    )
    c.set_defaults(func=_check)
    s = sub.add_parser("summary", help="print the annual report paragraph for a year")
    s.add_argument("raw", nargs="?", type=Path, default=DEFAULT_RAW, help="workbooks (folder)")
    s.add_argument("--year", type=int, required=True)
    s.add_argument("--area", default=None, help="an area name (default: the province)")
    s.add_argument("--lang", choices=["vi", "en"], default="vi")
    s.set_defaults(func=_summary)
    t = sub.add_parser("template", help="write a blank reporting form for the districts")
    t.add_argument("--year", type=int, required=True)
    t.add_argument("--level", choices=["district", "commune"], default="district")
    t.add_argument(
        "--areas",
        type=Path,
        metavar="FILE",
        help="a text file with one area name per line (default: antq's list)",
    )
    t.add_argument(
        "--parent", default=None, help="the enclosing area, e.g. 'Huyện Hải Hậu' for a commune form"
    )
    t.add_argument("--out", type=Path, required=True, help="the .xlsx file to write")
    t.set_defaults(func=_template)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code.

    Examples
    --------
    >>> main(["summary", "--year", "2015", "--lang", "en", "data/raw"])  # doctest: +ELLIPSIS
    In 2015, the province had 2,829/3,812 cultural residential areas; ...
    0
    """
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except AntqError as exc:
        if args.debug:
            raise
        print(f"antq: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # Output piped into `head` and closed early: not an error of antq's.
        sys.stdout = open(os.devnull, "w")
        return 0
    except Exception as exc:  # never a traceback for a clerk; --debug shows it
        if args.debug:
            raise
        print(
            f"antq: unexpected error: {type(exc).__name__}: {exc} (run with --debug)",
            file=sys.stderr,
        )
        return 3


if __name__ == "__main__":
    sys.exit(main())
