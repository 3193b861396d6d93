"""Profile one cold antq.load and one cold antq build over 60 workbooks (`make profile`).

Six provinces spread over the country (Hà Nội, Thái Nguyên, Hà Nam, Quảng Ngãi,
Bình Phước, Đồng Tháp) × 10 years, read in one process (workers=1: cProfile
does not see worker processes), each profile in a fresh process after the
imports. Prints Markdown: the stage split of a cold build (timed without the
profiler), then the top functions by own time and by cumulative time, for the
load and for the build. benchmarks/PROFILE.md is written from this output.
"""

from __future__ import annotations

import argparse
import json
import os
import pstats
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from workload import generate  # noqa: E402

#: Six provinces, one in eleven by code, for a workload of 60 workbooks.
SPREAD = (1, 12, 23, 34, 45, 56)

CHILD = """
import cProfile, json, sys, time, warnings
warnings.simplefilter("ignore")
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot
import pandas, pyarrow.parquet, python_calamine, openpyxl
import antq, antq.pipeline, antq.plot
sys.path.insert(0, {here!r})
from crashes import catch_chart_crashes
from antq.reading.reader import ReadOptions
crashes = catch_chart_crashes()
WL, OUT, PROF = {wl!r}, {out!r}, {prof!r}
{body}
print(json.dumps({{"crashes": crashes, "extra": extra}}, default=str))
"""

LOAD = """
t = time.perf_counter()
with cProfile.Profile() as prof:
    df = antq.load(WL, workers=1, progress=False)
extra = {"seconds": time.perf_counter() - t, "rows": len(df)}
prof.dump_stats(PROF)
"""

BUILD = """
t = time.perf_counter()
with cProfile.Profile() as prof:
    report = antq.pipeline.build(WL, OUT, ReadOptions(workers=1, progress=False))
extra = {"seconds": time.perf_counter() - t, "report": report}
prof.dump_stats(PROF)
"""

STAGED = """
t = time.perf_counter()
report = antq.pipeline.build(WL, OUT, ReadOptions(workers=1, progress=False))
extra = {"seconds": {k: v for k, v in report.seconds.items() if isinstance(v, float)},
         "crashed": {"charts": "; ".join(crashes)} if crashes else {},
         "total": time.perf_counter() - t}
"""


def child(body: str, wl: Path, out: Path, prof: Path) -> dict:
    code = CHILD.format(here=str(HERE), wl=str(wl), out=str(out), prof=str(prof), body=body)
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "MPLBACKEND": "Agg"},
    )
    if done.returncode:
        raise RuntimeError(done.stderr[-4000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def short(path: str) -> str:
    """A readable place for a function: antq/…, pandas/…, or the built-in's name."""
    for marker in ("/site-packages/", "/wt-bench/", "/lib/python3.11/"):
        if marker in path:
            return path.split(marker, 1)[1]
    return path


def table(prof: Path, key: str, top: int) -> list[str]:
    stats = pstats.Stats(str(prof))
    rows = sorted(stats.stats.items(), key=lambda kv: kv[1][2 if key == "tottime" else 3])[::-1]
    out = [
        "| ncalls | tottime s | cumtime s | function |",
        "|---:|---:|---:|---|",
    ]
    for (path, line, func), (cc, nc, tt, ct, _callers) in rows[:top]:
        calls = f"{nc}/{cc}" if nc != cc else f"{nc}"
        where = f"{short(path)}:{line} `{func}`" if line else f"`{func}`"
        out.append(f"| {calls} | {tt:.3f} | {ct:.3f} | {where} |")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workload", type=Path, default=HERE / ".work" / "profile60")
    ap.add_argument("--top", type=int, default=25)
    a = ap.parse_args()
    work = a.workload.parent
    written = generate(a.workload, SPREAD, 10)
    communes = written.rows("commune")
    lines = [
        f"Workload: {len(written.files)} workbooks (provinces {', '.join(map(str, SPREAD))} "
        f"× 10 years), {communes:,} commune rows, {written.numbers:,} numbers.",
        "",
    ]
    for d in ("profile-out", "profile-staged"):
        shutil.rmtree(work / d, ignore_errors=True)
    staged = child(STAGED, a.workload, work / "profile-staged", work / "unused.prof")
    split = staged["extra"]
    total = sum(split["seconds"].values())
    lines += [
        f"## Stage split of a cold build (workers=1, no profiler): {total:.2f} s",
        "",
        "| stage | seconds | share |",
        "|---|---:|---:|",
        *(f"| {k} | {v:.2f} | {v / total:.1%} |" for k, v in split["seconds"].items()),
        "",
        *(f"- {k} crashed: {v}" for k, v in split["crashed"].items()),
        "",
    ]
    load = child(LOAD, a.workload, work / "unused", work / "load.prof")
    build = child(BUILD, a.workload, work / "profile-out", work / "build.prof")
    for name, got, prof in (
        ("antq.load (workers=1)", load, work / "load.prof"),
        ("antq build, cold (workers=1)", build, work / "build.prof"),
    ):
        lines += [
            f"## {name}: {got['extra']['seconds']:.2f} s under cProfile",
            "",
            *(f"- crashed in the charts (caught): {c}" for c in got["crashes"]),
            "",
            f"### Top {a.top} by own time (tottime)",
            "",
            *table(prof, "tottime", a.top),
            "",
            f"### Top {a.top} by cumulative time (cumtime)",
            "",
            *table(prof, "cumtime", a.top),
            "",
        ]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
