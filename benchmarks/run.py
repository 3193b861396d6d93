"""`make bench`: antq at national scale, as ratios against baselines measured in the same run.

1. The workload (benchmarks/workload.py): 63 provinces × 10 years, communes as rows.
2. Baseline: pandas.read_excel(sheet_name=None, header=None, engine="openpyxl") over
   every file: the raw cells only.
3. antq.load over the same files (worker processes), and a serial run whose table
   must be the same.
4. antq build cold; again with nothing changed; again after one file changed.
Each measurement runs in a fresh Python process, which also reports its peak memory.

Goals: load ≤ 1/8 of the baseline (stretch 1/13); no-change rebuild ≤ 1/50 of a cold
build; peak memory under 1 GB. The machine has 2 cores and is noisy: ratios, not
seconds, are what to compare.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from workload import generate, province_rows, write_xlsx  # noqa: E402

GOAL_LOAD = 1 / 8
STRETCH_LOAD = 1 / 13
GOAL_REBUILD = 1 / 50
GOAL_MEMORY_MB = 1024

MEASURE = textwrap.dedent("""
    import json, resource, sys, time, warnings
    warnings.simplefilter("ignore")
    import pandas, antq, antq.pipeline  # imports are not what is measured, on either side
    t = time.perf_counter()
    {body}
    seconds = time.perf_counter() - t
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({{"seconds": seconds, "peak_mb": max(own, kids), "extra": extra}}))
""")


def measure(body: str) -> dict[str, object]:
    code = MEASURE.format(body=textwrap.indent(textwrap.dedent(body), "").replace("\n", "\n"))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workload", type=Path, default=HERE / ".work" / "national")
    ap.add_argument("--provinces", type=int, default=63)
    ap.add_argument("--years", type=int, default=10)
    a = ap.parse_args()
    files = generate(a.workload, a.provinces, a.years)
    wl = str(a.workload)
    print(f"workload: {len(files)} workbooks in {wl}")

    base = measure(f"""
        import glob, pandas as pd
        files = sorted(glob.glob({wl!r} + "/*/*.xlsx"))
        cells = 0
        for f in files:
            for df in pd.read_excel(f, sheet_name=None, header=None, engine="openpyxl").values():
                cells += df.notna().sum().sum()
        extra = int(cells)
    """)
    load = measure(f"""
        import antq
        df = antq.load({wl!r}, progress=False)
        df.to_parquet("/tmp/antq-bench-parallel.parquet")
        extra = [len(df), int(df[["achieved", "total"]].notna().sum().sum()
                              + df["reported_rate"].notna().sum())]
    """)
    serial = measure(f"""
        import antq, pandas as pd
        df = antq.load({wl!r}, progress=False, workers=1)
        other = pd.read_parquet("/tmp/antq-bench-parallel.parquet")
        pd.testing.assert_frame_equal(df, antq.reading.reader.with_dtypes(other)[df.columns])
        extra = "same table as the parallel run"
    """)
    out = Path(tempfile.mkdtemp(prefix="antq-bench-"))
    build_body = f"""
        from antq.pipeline import build
        extra = build({wl!r}, {str(out)!r}, progress=False).splitlines()[0]
    """
    cold = measure(build_body)
    warm = measure(build_body)
    changed = files[len(files) // 2]
    rows, merges = province_rows(1, 2015, __import__("random").Random(1), 150, True)
    write_xlsx(changed, "Năm 2015", rows, merges)  # new content for one file
    one = measure(build_body)
    changed.unlink()  # the next run regenerates the original
    shutil.rmtree(out, ignore_errors=True)

    r_load = load["seconds"] / base["seconds"]
    r_warm = warm["seconds"] / cold["seconds"]
    peak = max(load["peak_mb"], cold["peak_mb"])
    numbers = load["extra"][1]
    lines = [
        f"numbers read: {numbers:,} in {load['extra'][0]:,} rows",
        f"baseline pandas+openpyxl raw read   {base['seconds']:7.2f} s",
        f"antq.load (workers)                 {load['seconds']:7.2f} s   ratio 1/{1 / r_load:.1f}"
        f"   goal ≤ 1/8 {'PASS' if r_load <= GOAL_LOAD else 'FAIL'}"
        f"   stretch 1/13 {'PASS' if r_load <= STRETCH_LOAD else 'not met'}",
        f"antq.load serial                    {serial['seconds']:7.2f} s   {serial['extra']}",
        f"antq build, cold                    {cold['seconds']:7.2f} s   {cold['extra']}",
        f"antq build, nothing changed         {warm['seconds']:7.2f} s   ratio 1/{1 / r_warm:.0f}"
        f"   goal ≤ 1/50 {'PASS' if r_warm <= GOAL_REBUILD else 'FAIL'}",
        f"antq build, one file changed        {one['seconds']:7.2f} s   {one['extra']}",
        f"peak memory: load {load['peak_mb']:.0f} MB, cold build {cold['peak_mb']:.0f} MB"
        f"   goal < {GOAL_MEMORY_MB} MB {'PASS' if peak < GOAL_MEMORY_MB else 'FAIL'}",
    ]
    print("\n".join(lines))
    ok = r_load <= GOAL_LOAD and r_warm <= GOAL_REBUILD and peak < GOAL_MEMORY_MB
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
