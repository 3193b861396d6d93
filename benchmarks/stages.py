"""A cold ``antq build`` stage by stage, timed from outside antq.

:func:`staged_build` calls the stages the way :func:`antq.pipeline.build` does
(as of the commit this file was written against; keep the two in step) and
times each: read (find, hash and read the workbooks through the build cache),
validate (the schema check, the rules and the findings table), yoy, the
Parquet and CSV files, the summaries, the charts and the Excel report.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

#: The stages, in the order build runs them.
STAGES = ("read", "validate", "yoy", "CSV/parquet", "summaries", "charts", "Excel report")


def crash_site(exc: BaseException) -> str:
    """The exception and the innermost line of antq it came from, in one line."""
    import traceback

    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "/antq/" in f.filename]
    where = ""
    if frames:
        f = frames[-1]
        where = f" (antq/{f.filename.rsplit('/antq/', 1)[1]}:{f.lineno} in {f.name})"
    return f"{type(exc).__name__}: {exc}{where}"


def catch_chart_crashes() -> list[str]:
    """Make antq's ``figures`` (wherever antq imported it) return the charts it drew
    before it raised instead of raising, and return the list each crash is described
    in (:func:`crash_site`).

    The bench uses this so that a crash in the charts is reported while the rest of a
    build (the Excel report, the stamp) still runs and is measured; once the charts
    stop raising this changes nothing.
    """
    import sys

    import antq.outputs.figures

    real = antq.outputs.figures.figures
    crashes: list[str] = []

    def figures(tidy: object, out: Path, **kwargs: object) -> list[Path]:
        try:
            return real(tidy, out, **kwargs)  # type: ignore[arg-type]
        except Exception as exc:
            crashes.append(crash_site(exc))
            return sorted(Path(out).glob("*.png"))

    for name, module in list(sys.modules.items()):
        if name.startswith("antq") and getattr(module, "figures", None) is real:
            module.figures = figures  # type: ignore[attr-defined]
    return crashes


def staged_build(
    raw: Path, out: Path, workers: int | None = None
) -> dict[str, dict[str, float] | dict[str, str]]:
    """Build ``raw`` into ``out`` (empty: a cold build), stage by stage.

    Returns ``{"seconds": {stage: seconds}, "crashed": {stage: what}}``: a stage
    that raises is timed until it raised and reported, and the next stages run.
    """
    import antq.outputs.figures
    from antq._io import atomic_write, write_text
    from antq.errors import AntqError
    from antq.findings import findings_frame
    from antq.metrics.yoy import yoy
    from antq.outputs.excel import to_excel
    from antq.outputs.summary import summary
    from antq.pipeline import _csv
    from antq.reading.cache import digest, read_cached
    from antq.reading.duplicates import read_supersedes
    from antq.reading.reader import ReadOptions, find_workbooks
    from antq.schema import TIDY_COLUMNS, check_tidy
    from antq.validation import run_rules

    seconds: dict[str, float] = {}
    crashed: dict[str, str] = {}
    crashes = catch_chart_crashes()

    @contextmanager
    def stage(name: str, survive: bool = False) -> Iterator[None]:
        t = time.perf_counter()
        try:
            yield
        except Exception as exc:
            if not survive:
                raise
            crashed[name] = crash_site(exc)
        finally:
            seconds[name] = seconds.get(name, 0.0) + time.perf_counter() - t

    raw, out = Path(raw), Path(out)
    with stage("read"):
        files = find_workbooks(raw)
        opts = ReadOptions(errors="coerce", progress=False, workers=workers)
        opts = opts.with_(supersede=read_supersedes(raw))
        digests = {display: digest(path) for path, display in files}
        result, _stats = read_cached(
            raw, out / ".cache", files=files, digests=digests, options=opts
        )
    with stage("validate"):
        tidy = check_tidy(result.table[list(TIDY_COLUMNS)].reset_index(drop=True))
        findings = findings_frame(result.findings + run_rules(result.table), "vi")
    with stage("CSV/parquet"):
        atomic_write(out / "tidy.parquet", lambda p: tidy.to_parquet(p, index=False))
        _csv(tidy, out / "tidy.csv")
    with stage("yoy"):
        changes = yoy(tidy)
    with stage("CSV/parquet"):
        _csv(changes, out / "yoy.csv")
        _csv(findings, out / "findings.csv")
    with stage("summaries", survive=True):
        for y in sorted(int(y) for y in tidy["year"].unique()):
            try:
                text = summary(tidy, year=y, lang="vi")
            except AntqError:
                continue
            write_text(out / "summary" / f"summary_{y}.txt", text + "\n")
    for name, draw in (
        ("charts", lambda: antq.outputs.figures.figures(tidy, out / "figures", lang="vi")),
        (
            "Excel report",
            lambda: to_excel(tidy, out / "bao_cao_antq.xlsx", findings=findings, lang="vi"),
        ),
    ):
        with stage(name, survive=True):
            draw()
        if crashes:
            crashed[name] = "; ".join(crashes) + " (caught: the stage went on without charts)"
            crashes.clear()
    return {"seconds": {name: seconds[name] for name in STAGES}, "crashed": crashed}
