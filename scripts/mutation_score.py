"""Mutation score per module from mutmut's results (``mutants/**/*.meta``), after `make mutate`.

Prints, per module, the mutants killed, survived, not covered by the selected
tests, timed out and not run yet, and the share surviving (survived and not
covered, of those run); then the names of the surviving mutants (``mutmut show
NAME`` prints one's diff). Exits 1 when a module given with ``--max`` has a
larger share surviving. With ``--sample FILE`` (names from
``scripts/mutation_sample.py``) only those mutants count, and a line per stage
(``antq.reading``, ``antq.validation``, ...) sums its modules.

    python scripts/mutation_score.py [--max 0.10] [--sample FILE] [--names] [PREFIX ...]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

#: mutmut's exit codes of a mutant's test run (mutmut/stats.py), by what they mean here.
KILLED = {1, 3, 37}
SURVIVED = {0}
NO_TESTS = {5, 33}
TIMEOUT = {24, -24, 36, 152, 255, -15}  # -15: stopped (SIGTERM), e.g. an endless loop ended by hand


def _kind(code: int | None) -> str:
    if code is None:
        return "not run"
    if code in KILLED:
        return "killed"
    if code in SURVIVED:
        return "survived"
    if code in NO_TESTS:
        return "no tests"
    if code in TIMEOUT:
        return "timeout"
    return "other"


def scores(root: Path, only: set[str] | None = None) -> dict[str, tuple[Counter[str], list[str]]]:
    """Per module: counts by kind, and the surviving (or uncovered) mutants' names.

    With ``only``, just those mutants (a sample); a sampled name mutmut does not
    know (the source changed since it was drawn) counts as not run.
    """
    out: dict[str, tuple[Counter[str], list[str]]] = {}
    for meta in sorted((root / "mutants").rglob("*.py.meta")):
        module = ".".join(meta.relative_to(root / "mutants").with_suffix("").with_suffix("").parts)
        codes = json.loads(meta.read_text())["exit_code_by_key"]
        if only is not None:
            codes = {k: codes.get(k) for k in only if k.rsplit(".", 1)[0] == module}
        if not codes:
            continue
        counts = Counter(_kind(c) for c in codes.values())
        left = sorted(k for k, c in codes.items() if _kind(c) in ("survived", "no tests"))
        out[module] = (counts, left)
    return out


def _share(c: Counter[str]) -> float:
    """Survived and not covered, of the mutants run."""
    run = c["killed"] + c["survived"] + c["no tests"] + c["timeout"]
    return (c["survived"] + c["no tests"]) / run if run else 0.0


def _row(name: str, c: Counter[str]) -> None:
    row = (name, sum(c.values()), c["killed"], c["survived"], c["no tests"], c["timeout"])
    print("{:<34}{:>8}{:>8}{:>9}{:>9}{:>8}".format(*row) + f"{c['not run']:>8}{_share(c):>10.1%}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("prefix", nargs="*", help="modules starting with these (default: all)")
    p.add_argument("--max", type=float, help="fail when a module's share surviving is larger")
    p.add_argument("--names", action="store_true", help="list the surviving mutants")
    p.add_argument("--sample", type=Path, help="count only the mutants named in this file")
    args = p.parse_args(argv)
    only = set(args.sample.read_text().split()) if args.sample else None
    result = {
        m: v
        for m, v in scores(Path.cwd(), only).items()
        if not args.prefix or m.startswith(tuple(args.prefix))
    }
    head = (
        "module",
        "mutants",
        "killed",
        "survived",
        "no tests",
        "timeout",
        "not run",
        "surviving",
    )
    print("{:<34}{:>8}{:>8}{:>9}{:>9}{:>8}{:>8}{:>10}".format(*head))
    bad = []
    stages: dict[str, Counter[str]] = {}
    for module, (c, _left) in result.items():
        stage = ".".join(module.split(".")[:2])
        stages[stage] = stages.get(stage, Counter()) + c
        if args.max is not None and _share(c) > args.max:
            bad.append(module)
        _row(module, c)
    if args.sample:
        print()
        for stage, c in stages.items():
            _row(stage, c)
    _row("all", sum(stages.values(), Counter()))
    if args.names:
        for _c, left in result.values():
            for name in left:
                print(name)
    if bad:
        print(f"above {args.max:.0%} surviving: {', '.join(bad)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
