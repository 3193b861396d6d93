"""A reproducible random sample of mutmut's mutants, stratified by module (`make mutate SAMPLE=`).

Every mutant of the modules `[tool.mutmut] only_mutate` selects is listed by
mutmut's own generator (the names `mutmut run` gives them, without writing
``mutants/``); from each module a share ``--fraction`` is drawn (at least one
mutant), with a generator per module seeded by ``--seed`` and the module's name, so the
same source, fraction and seed give the same names, and a change to one module redraws
only that module's share. Prints the names, one a line, sorted; ``mutmut run NAME...``
runs them and ``scripts/mutation_score.py --sample FILE`` scores them.

    python scripts/mutation_sample.py --fraction 0.1 --seed 1 [PREFIX ...] > mutants/sample.txt
"""

from __future__ import annotations

import argparse
import math
import random
import sys
from collections.abc import Iterator
from pathlib import Path


def mutants_by_module() -> dict[str, list[str]]:
    """Every mutant's name, by module, as mutmut names them (run from the project's root)."""
    from mutmut.configuration import config
    from mutmut.mutation.file_mutation import mutate_file_contents
    from mutmut.utils.format_utils import get_mutant_name

    out: dict[str, list[str]] = {}
    for path in _mutatable_files(config()):
        mutated = mutate_file_contents(str(path), path.read_text(encoding="utf-8"))
        names = sorted(get_mutant_name(path, name) for name in mutated.mutant_names)
        if names:
            out[".".join(path.with_suffix("").parts)] = names
    return out


def _mutatable_files(cfg: object) -> Iterator[Path]:
    for root in cfg.source_paths:  # type: ignore[attr-defined]
        for path in sorted(Path(root).rglob("*.py")):
            if cfg.should_mutate(path):  # type: ignore[attr-defined]
                yield path


def sample(by_module: dict[str, list[str]], fraction: float, seed: int) -> list[str]:
    """``fraction`` of each module's mutants (rounded up), each module drawn with a generator
    of its own, seeded with ``seed`` and the module's name: a change to one module draws that
    module again and leaves the others' samples as they were."""
    chosen: list[str] = []
    for module in sorted(by_module):
        names = by_module[module]
        rng = random.Random(f"{seed}:{module}")
        chosen += rng.sample(names, min(len(names), math.ceil(fraction * len(names))))
    return sorted(chosen)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("prefix", nargs="*", help="modules starting with these (default: all)")
    p.add_argument("--fraction", type=float, required=True, help="share of each module, 0–1")
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args(argv)
    if not 0 < args.fraction <= 1:
        p.error("--fraction must be in (0, 1]")
    by_module = {
        m: names
        for m, names in mutants_by_module().items()
        if not args.prefix or m.startswith(tuple(args.prefix))
    }
    names = sample(by_module, args.fraction, args.seed)
    print("\n".join(names))
    total = sum(len(v) for v in by_module.values())
    print(f"{len(names)} of {total} mutants sampled (seed {args.seed})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
