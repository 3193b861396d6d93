"""Crashes in the charts of a measured build, caught and described (`make bench`, profiling).

The stage split of a build is the build's own (``BuildReport.seconds``): an earlier
copy of the build's steps here, timed from outside, drifted from what the build does.
"""

from __future__ import annotations

from pathlib import Path


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
