"""``antq build``: rebuild ``data/processed`` from ``data/raw`` in one step."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd

from antq._io import atomic_write, write_text
from antq.errors import AntqError
from antq.findings import findings_frame
from antq.metrics.yoy import yoy
from antq.outputs.summary import summary
from antq.reading.reader import find_workbooks, read_files
from antq.schema import TIDY_COLUMNS, check_tidy
from antq.validation.rules import validate
from antq.vocab import LEVELS

__all__ = ["OUTPUTS", "build"]

#: What ``antq build`` writes, relative to the output folder.
OUTPUTS: dict[str, str] = {
    "tidy.parquet": "the tidy table (one row per year × area × indicator), typed",
    "tidy.csv": "the same table as CSV (UTF-8 with BOM, so Excel shows Vietnamese correctly)",
    "yoy.csv": "year-over-year changes per area and indicator",
    "findings.csv": "read problems and validation findings, one per row, with the cell",
    "summary/summary_YYYY.txt": "the annual report paragraph of each year",
    "figures/*.png": "the charts of the latest year, 200 dpi, ready to paste into the report",
    "bao_cao_antq.xlsx": "the committee's Excel report: tables by indicator group, changes, "
    "findings, summaries and charts",
}

#: Resolution of the exported charts.
FIGURE_DPI: int = 200


#: Charts of areas side by side stay readable up to this many areas.
MAX_CHART_AREAS: int = 40


def _chart_level(tidy: pd.DataFrame) -> str | None:
    """The level whose areas the comparison charts show: the first with 2 to 40 areas."""
    for level in LEVELS:
        n = tidy.loc[tidy["level"] == level, "area"].nunique()
        if 2 <= n <= MAX_CHART_AREAS:
            return level
    return None


def figures(tidy: pd.DataFrame, out: Path, *, lang: str = "vi") -> list[Path]:
    """Export the standard charts as PNG files to ``out``; return their paths.

    Examples
    --------
    >>> import antq, tempfile
    >>> [p.name for p in figures(antq.load("data/raw"), Path(tempfile.mkdtemp()))][:2]
    ['xu_huong_toan_tinh.png', 'xep_hang_khu_dan_cu_an_toan_2024.png']
    """
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    from antq import plot

    year = int(tidy["year"].max())
    ind = "safe_residential_area"
    level = _chart_level(tidy)
    charts = {
        "xu_huong_toan_tinh.png": (
            lambda ax: plot.trend(tidy, target=95, lang=lang, ax=ax),
            (9, 4.8),
        ),
    }
    if level is not None:
        charts.update(
            {
                f"xep_hang_khu_dan_cu_an_toan_{year}.png": (
                    lambda ax: plot.ranking(
                        tidy, indicator=ind, year=year, level=level, lang=lang, ax=ax
                    ),
                    (8, 5),
                ),
                f"thay_doi_khu_dan_cu_an_toan_{year}.png": (
                    lambda ax: plot.change(
                        tidy, indicator=ind, year=year, level=level, lang=lang, ax=ax
                    ),
                    (8, 5),
                ),
                "ban_do_nhiet_khu_dan_cu_an_toan.png": (
                    lambda ax: plot.heatmap(tidy, indicator=ind, level=level, lang=lang, ax=ax),
                    (10, 5.2),
                ),
            }
        )
    written = []
    with plot.style():
        for name, (draw, size) in charts.items():
            fig, ax = plt.subplots(figsize=size)
            draw(ax)
            written.append(
                atomic_write(
                    out / name, lambda p, f=fig: f.savefig(p, format="png", dpi=FIGURE_DPI)
                )
            )
            plt.close(fig)
        if level is None:
            return written
        fig = plot.small_multiples(tidy, indicator=ind, level=level, lang=lang)
        written.append(
            atomic_write(
                out / "theo_huyen_khu_dan_cu_an_toan.png",
                lambda p: fig.savefig(p, format="png", dpi=FIGURE_DPI),
            )
        )
        plt.close(fig)
    return written


def _csv(df: pd.DataFrame, path: Path) -> None:
    """CSV in UTF-8 with a BOM (so Excel shows Vietnamese), written by pyarrow: at national
    scale pandas' writer takes seconds per million rows."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    table = pa.Table.from_pandas(df, preserve_index=False)

    def write(p: Path) -> None:
        with p.open("wb") as fh:
            fh.write(b"\xef\xbb\xbf")
            pacsv.write_csv(table, fh, pacsv.WriteOptions(quoting_style="needed"))

    atomic_write(path, write)


#: Outputs whose presence a no-change rebuild checks before it skips the work.
_CORE_OUTPUTS = ("tidy.parquet", "tidy.csv", "yoy.csv", "findings.csv", "bao_cao_antq.xlsx")


def build(
    raw: str | os.PathLike[str] = "data/raw",
    out: str | os.PathLike[str] = "data/processed",
    *,
    lang: str = "vi",
    progress: bool | None = None,
    workers: int | None = None,
    cache: bool = True,
) -> str:
    """Read every workbook under ``raw`` and write the outputs of :data:`OUTPUTS` to ``out``.

    Each output is written atomically. Files that cannot be read, and cells
    that hold text where numbers belong, do not stop the build: they are
    rows of ``findings.csv``. With ``cache`` (the default), ``out/.cache``
    keeps what was read, keyed by each workbook's content: a rebuild re-reads
    only changed workbooks, and when nothing changed (inputs, antq version,
    language) and the outputs are there, it writes nothing.

    Returns
    -------
    str
        A short report of what was read and written.

    Examples
    --------
    >>> import tempfile
    >>> out = tempfile.mkdtemp()
    >>> print(build("data/raw", out).splitlines()[1])
      990 rows: years 2015–2024, 11 areas, 9 indicators
    >>> print(build("data/raw", out))
    antq build: up to date, 10 workbooks unchanged; nothing written
    """
    raw, out = Path(raw), Path(out)
    if not raw.exists():
        raise AntqError(f"{raw}: no such file or folder")
    if out.resolve() == raw.resolve() or raw.resolve() in out.resolve().parents:
        raise AntqError(f"{out}: outputs must not be written inside the raw folder {raw}")
    from antq.reading.cache import digest, inputs_digest, read_cached

    files = find_workbooks(raw)
    if cache:
        digests = {display: digest(path) for path, display in files}
        key = inputs_digest(digests, lang=lang)
        stamp = out / ".cache" / "build.json"
        if _up_to_date(stamp, key, out):
            return f"antq build: up to date, {len(files)} workbooks unchanged; nothing written"
        result, stats = read_cached(
            raw, out / ".cache", files=files, digests=digests, progress=progress, workers=workers
        )
    else:
        result = read_files(files, errors="coerce", progress=progress, workers=workers)
        stats = {"read": len(files), "reused": 0, "dropped": 0}
    if result.table.empty:
        problems = "; ".join(result.failed.values()) or "no workbooks found"
        raise AntqError(f"{raw}: nothing could be read ({problems})")
    tidy = check_tidy(result.table[list(TIDY_COLUMNS)].reset_index(drop=True))
    findings = pd.concat(
        [findings_frame(result.findings, lang), validate(result.table, lang=lang)],
        ignore_index=True,
    )
    atomic_write(out / "tidy.parquet", lambda p: tidy.to_parquet(p, index=False))
    _csv(tidy, out / "tidy.csv")
    _csv(yoy(tidy), out / "yoy.csv")
    _csv(findings, out / "findings.csv")
    years = sorted(int(y) for y in tidy["year"].unique())
    written = 0
    for y in years:
        try:
            text = summary(tidy, year=y, lang=lang)
        except AntqError:
            continue  # a year without one province row has no province summary
        write_text(out / "summary" / f"summary_{y}.txt", text + "\n")
        written += 1
    pngs = figures(tidy, out / "figures", lang=lang)
    from antq.outputs.excel import to_excel

    to_excel(tidy, out / "bao_cao_antq.xlsx", findings=findings, lang=lang)
    if cache:
        write_text(stamp, json.dumps({"key": key}))
    counts = findings["severity"].value_counts()
    return "\n".join(
        [
            f"antq build: read {stats['read']} workbooks from {raw}"
            f" ({stats['reused']} reused from the cache, {len(result.failed)} unreadable)",
            f"  {len(tidy)} rows: years {years[0]}–{years[-1]}, {tidy['area'].nunique()} areas, "
            f"{tidy['indicator'].nunique()} indicators",
            "  findings: "
            + ", ".join(f"{int(counts.get(s, 0))} {s}" for s in ("error", "warning", "info")),
            f"  wrote {out}/: tidy.parquet, tidy.csv, yoy.csv, findings.csv, "
            f"{written} summaries in summary/, {len(pngs)} charts in figures/, "
            "bao_cao_antq.xlsx",
        ]
    )


def _up_to_date(stamp: Path, key: str, out: Path) -> bool:
    try:
        same = json.loads(stamp.read_text(encoding="utf-8")).get("key") == key
    except (OSError, ValueError):
        return False
    return same and all((out / name).exists() for name in _CORE_OUTPUTS)
