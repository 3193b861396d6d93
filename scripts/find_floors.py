"""Find the lowest release of one dependency that passes the whole test suite.

Every trial installs, in a fresh virtual environment on Python 3.11, the pins of
requirements-min.txt with some of them replaced (wheels only, no source builds),
then antq itself without its dependencies, and runs the suite in a copy of the
working tree:  python -m pytest -x -q -p no:cacheprovider

    # bisect pandas over its releases, the other floors as pinned
    python3.11 scripts/find_floors.py bisect pandas
    # only between two releases (both included); --linear tries each one, lowest first
    python3.11 scripts/find_floors.py bisect pyarrow --from 15.0.0 --to 17.0.0
    # one trial: the floors with some pins replaced (no argument: the floors as they are)
    python3.11 scripts/find_floors.py try numpy==1.26.0 matplotlib==3.8.0
    # the releases a bisection would choose from
    python3.11 scripts/find_floors.py versions tqdm

ruff takes no part in the suite: a trial that changes ruff runs `make lint`'s two
commands instead.

Bisection assumes that once a release passes, every later one does too; a trial
that says otherwise (check it with `try`) is in the log. Each trial is appended
to docs/floor-trials.tsv (date, python, the pins changed, pass or fail, the first
failing test or install error, seconds). uv makes the environments when it is on
PATH (seconds rather than a minute); --pip forces pip.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PINS = ROOT / "requirements-min.txt"
LOG = ROOT / "docs" / "floor-trials.tsv"
PYTEST = ["-m", "pytest", "-x", "-q", "-p", "no:cacheprovider"]
#: ruff is not used by the suite: its trial is `make lint` (rules it must know, its formatting).
LINT = [
    ["-m", "ruff", "check", "antq", "tests", "scripts", "benchmarks"],
    ["-m", "ruff", "format", "--check", "antq", "tests", "scripts", "benchmarks"],
]
COPY_IGNORE = shutil.ignore_patterns(
    ".git", ".venv*", "__pycache__", ".pytest_cache", ".ruff_cache", ".hypothesis", "*.egg-info"
)


def _name(spec: str) -> str:
    return re.split(r"[<>=!~ \[;]", spec.strip(), maxsplit=1)[0].lower().replace("_", "-")


def read_pins(path: Path = PINS) -> dict[str, str]:
    """name → version of every `name==version` line of a requirements file."""
    pins = {}
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition("==")
            pins[_name(name)] = version.strip()
    return pins


def _key(version: str) -> tuple:
    """Sort key of a final release number such as 3.9.1.post1."""
    return tuple(int(p) if p.isdigit() else -1 for p in re.split(r"[.]|post", version) if p)


def releases(package: str, python: str) -> list[str]:
    """Final releases with a wheel for this Python, oldest first."""
    minor = subprocess.run(
        [python, "-c", "import sys; print(f'{sys.version_info[0]}.{sys.version_info[1]}')"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    index = ["index", "versions", package, "--only-binary=:all:", "--python-version", minor]
    out = subprocess.run(
        [python, "-m", "pip", *index],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    listed = re.search(r"Available versions: (.*)", out)
    if not listed:
        sys.exit(f"pip lists no wheel of {package} for Python {minor}")
    found = [v.strip() for v in listed.group(1).split(",")]
    return sorted((v for v in found if re.fullmatch(r"[0-9.]+(\.post[0-9]+)?", v)), key=_key)


def _tail(text: str) -> str:
    """Why a trial failed: the first failed test or lint finding, else the last error line."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    for ln in lines:
        if ln.startswith(("FAILED ", "ERROR ", "Would reformat")) or re.match(r"[A-Z]+[0-9]+ ", ln):
            return ln[:300]
    for ln in reversed(lines):
        if re.search(r"error|Error|ERROR|No matching|Could not|conflict", ln):
            return ln[:300]
    return (lines[-1] if lines else "")[:300]


def trial(changes: dict[str, str], args: argparse.Namespace) -> tuple:
    """Install the floors with `changes` in a fresh venv and run the suite: (ok, why, seconds)."""
    python, use_pip, keep = args.python, args.pip, args.keep
    pins = read_pins(args.pins) | changes
    start = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="antq-floor-"))
    try:
        tree = work / "tree"
        shutil.copytree(ROOT, tree, ignore=COPY_IGNORE)
        reqs = work / "requirements.txt"
        reqs.write_text("".join(f"{n}=={v}\n" for n, v in sorted(pins.items())))
        venv = work / "venv"
        vpy = str(venv / "bin" / "python")
        uv = None if use_pip else shutil.which("uv")
        if uv:
            env = os.environ | {"VIRTUAL_ENV": str(venv)}
            steps = [
                [uv, "venv", "-q", "--python", python, str(venv)],
                [uv, "pip", "install", "-q", "--only-binary", ":all:", "-r", str(reqs)],
                [uv, "pip", "install", "-q", "--no-deps", "-e", str(tree)],
            ]
        else:
            env = dict(os.environ)
            steps = [
                [python, "-m", "venv", str(venv)],
                [vpy, "-m", "pip", "install", "-q", "--only-binary=:all:", "-r", str(reqs)],
                [vpy, "-m", "pip", "install", "-q", "--no-deps", "-e", str(tree)],
            ]
        for step in steps:
            done = subprocess.run(step, capture_output=True, text=True, env=env)
            if done.returncode:
                why = "install: " + _tail(done.stderr + done.stdout)
                return False, why, time.monotonic() - start
        wide = os.environ | {"COLUMNS": "250"}  # the FAILED line whole, with its message
        for command in LINT if "ruff" in changes else [PYTEST]:
            done = subprocess.run(
                [vpy, *command], cwd=tree, env=wide, capture_output=True, text=True
            )
            with (work / "test.log").open("a") as log:
                log.write(done.stdout + done.stderr)
            if done.returncode:
                return False, _tail(done.stdout + done.stderr), time.monotonic() - start
        summary = [ln for ln in done.stdout.splitlines() if ln.strip()]
        return True, (summary[-1] if summary else "").strip(), time.monotonic() - start
    finally:
        if keep:
            print(f"  kept {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)


def record(changes: dict[str, str], ok: bool, why: str, seconds: float, args) -> None:
    version = subprocess.run(
        [args.python, "-c", "import platform; print(platform.python_version())"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    what = " ".join(f"{n}=={v}" for n, v in sorted(changes.items())) or "(floors as pinned)"
    rest = " ".join(f"{n}=={v}" for n, v in read_pins(args.pins).items() if n not in changes)
    new = not LOG.exists()
    with LOG.open("a", encoding="utf-8") as f:
        if new:
            f.write("date\tpython\ttrial\tresult\tfirst failure or summary\tseconds\twith\n")
        row = [dt.date.today().isoformat(), version, what, "pass" if ok else "FAIL"]
        f.write("\t".join([*row, why.replace("\t", " "), f"{seconds:.0f}", rest]) + "\n")
    print(f"{what}: {'pass' if ok else 'FAIL'} ({seconds:.0f} s) {why}", flush=True)


def run(changes: dict[str, str], args: argparse.Namespace) -> bool:
    ok, why, seconds = trial(changes, args)
    record(changes, ok, why, seconds, args)
    return ok


def bisect(args: argparse.Namespace) -> None:
    package = _name(args.package)
    versions = releases(package, args.python)
    if args.from_:
        versions = [v for v in versions if _key(v) >= _key(args.from_)]
    if args.to:
        versions = [v for v in versions if _key(v) <= _key(args.to)]
    if not versions:
        sys.exit("no release in that range")
    print(f"{package}: {len(versions)} releases {versions[0]} … {versions[-1]}", flush=True)
    if args.linear:
        for v in versions:
            if run({package: v}, args):
                print(f"floor of {package}: {v}")
                return
        sys.exit(f"no release of {package} in the range passes")
    lo, hi = 0, len(versions) - 1
    if not args.trust_top and not run({package: versions[hi]}, args):
        sys.exit(f"{package}=={versions[hi]}, the top of the range, fails: widen --to")
    # Invariant: versions[hi] passes; everything below lo is known (or assumed) to fail.
    while lo < hi:
        mid = (lo + hi) // 2
        if run({package: versions[mid]}, args):
            hi = mid
        else:
            lo = mid + 1
    below = versions[hi - 1] if hi else "(none in range)"
    print(f"floor of {package}: {versions[hi]} (just below: {below})")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--python", default=shutil.which("python3.11") or sys.executable)
    parser.add_argument("--pins", type=Path, default=PINS, help="the floors (requirements-min.txt)")
    parser.add_argument("--pip", action="store_true", help="make environments with pip, not uv")
    parser.add_argument("--keep", action="store_true", help="keep each trial's folder")
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("bisect", help="lowest passing release of one package")
    b.add_argument("package")
    b.add_argument("--from", dest="from_", metavar="VERSION")
    b.add_argument("--to", metavar="VERSION")
    b.add_argument("--linear", action="store_true", help="try every release, lowest first")
    b.add_argument("--trust-top", action="store_true", help="the top of the range passed already")
    t = sub.add_parser("try", help="one trial: the floors with some pins replaced")
    t.add_argument("changes", nargs="*", metavar="NAME==VERSION")
    v = sub.add_parser("versions", help="the releases a bisection chooses from")
    v.add_argument("package")
    args = parser.parse_args(argv)
    if args.command == "versions":
        print(" ".join(releases(_name(args.package), args.python)))
    elif args.command == "try":
        changes = {_name(p): p.split("==", 1)[1] for p in args.changes}
        sys.exit(0 if run(changes, args) else 1)
    else:
        bisect(args)


if __name__ == "__main__":
    main()
