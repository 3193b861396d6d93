"""``antq build``: rebuild ``data/processed`` from ``data/raw`` in one step."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from antq._io import atomic_write, write_text
from antq.errors import AntqError
from antq.findings import findings_frame, read_finding
from antq.metrics import yoy
from antq.reader import read
from antq.report import summary
from antq.schema import TIDY_COLUMNS, check_tidy
from antq.validation import validate

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
    charts = {
        "xu_huong_toan_tinh.png": (
            lambda ax: plot.trend(tidy, target=95, lang=lang, ax=ax),
            (9, 4.8),
        ),
        f"xep_hang_khu_dan_cu_an_toan_{year}.png": (
            lambda ax: plot.ranking(tidy, indicator=ind, year=year, lang=lang, ax=ax),
            (8, 5),
        ),
        f"thay_doi_khu_dan_cu_an_toan_{year}.png": (
            lambda ax: plot.change(tidy, indicator=ind, year=year, lang=lang, ax=ax),
            (8, 5),
        ),
        "ban_do_nhiet_khu_dan_cu_an_toan.png": (
            lambda ax: plot.heatmap(tidy, indicator=ind, lang=lang, ax=ax),
            (10, 5.2),
        ),
    }
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
        fig = plot.small_multiples(tidy, indicator=ind, lang=lang)
        written.append(
            atomic_write(
                out / "theo_huyen_khu_dan_cu_an_toan.png",
                lambda p: fig.savefig(p, format="png", dpi=FIGURE_DPI),
            )
        )
        plt.close(fig)
    return written


def _csv(df: pd.DataFrame, path: Path) -> None:
    atomic_write(path, lambda p: df.to_csv(p, index=False, encoding="utf-8-sig"))


def build(
    raw: str | os.PathLike[str] = "data/raw",
    out: str | os.PathLike[str] = "data/processed",
    *,
    lang: str = "vi",
    progress: bool | None = None,
) -> str:
    """Read every workbook under ``raw`` and write the outputs of :data:`OUTPUTS` to ``out``.

    Each output is written atomically. Files that cannot be read, and cells
    that hold text where numbers belong, do not stop the build: they are
    rows of ``findings.csv``.

    Returns
    -------
    str
        A short report of what was read and written.

    Examples
    --------
    >>> import tempfile
    >>> print(build("data/raw", tempfile.mkdtemp()).splitlines()[1])
      990 rows: years 2015–2024, 11 areas, 9 indicators
    """
    raw, out = Path(raw), Path(out)
    if not raw.exists():
        raise AntqError(f"{raw}: no such file or folder")
    if out.resolve() == raw.resolve() or raw.resolve() in out.resolve().parents:
        raise AntqError(f"{out}: outputs must not be written inside the raw folder {raw}")
    result = read(raw, errors="coerce", progress=progress)
    if result.table.empty:
        problems = "; ".join(result.failed.values()) or "no workbooks found"
        raise AntqError(f"{raw}: nothing could be read ({problems})")
    tidy = check_tidy(result.table[list(TIDY_COLUMNS)].reset_index(drop=True))
    read_findings = [
        read_finding("error", "read.unreadable", n, reason=m) for n, m in result.failed.items()
    ]
    findings = pd.concat(
        [findings_frame(read_findings + result.findings, lang), validate(result.table, lang=lang)],
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
            continue  # a year without a province row has no province summary
        write_text(out / "summary" / f"summary_{y}.txt", text + "\n")
        written += 1
    pngs = figures(tidy, out / "figures", lang=lang)
    from antq.excel import to_excel

    to_excel(tidy, out / "bao_cao_antq.xlsx", findings=findings, lang=lang)
    counts = findings["severity"].value_counts()
    files = result.table["table"].str.split("!").str[0].nunique()
    return "\n".join(
        [
            f"antq build: read {files} workbooks from {raw} ({len(result.failed)} unreadable)",
            f"  {len(tidy)} rows: years {years[0]}–{years[-1]}, {tidy['area'].nunique()} areas, "
            f"{tidy['indicator'].nunique()} indicators",
            "  findings: "
            + ", ".join(f"{int(counts.get(s, 0))} {s}" for s in ("error", "warning", "info")),
            f"  wrote {out}/: tidy.parquet, tidy.csv, yoy.csv, findings.csv, "
            f"{written} summaries in summary/, {len(pngs)} charts in figures/, "
            "bao_cao_antq.xlsx",
        ]
    )
