"""The standard charts of a tidy table, exported as PNG files (``antq build``, the report)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from antq._io import atomic_write
from antq.types import LEVELS, Lang

__all__ = ["FIGURE_DPI", "MAX_CHART_AREAS", "figures"]

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


def _saver(fig: Figure) -> Callable[[Path], None]:
    def save(p: Path) -> None:
        fig.savefig(p, format="png", dpi=FIGURE_DPI)

    return save


def figures(tidy: pd.DataFrame, out: Path, *, lang: Lang = "vi") -> list[Path]:
    """Export the standard charts as PNG files to ``out``; return their paths.

    Examples
    --------
    >>> import antq, tempfile
    >>> [p.name for p in figures(antq.load("data/raw"), Path(tempfile.mkdtemp()))][:2]
    ['xu_huong_toan_tinh.png', 'xep_hang_khu_dan_cu_an_toan_2025.png']
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
            written.append(atomic_write(out / name, _saver(fig)))
            plt.close(fig)
        if level is None:
            return written
        fig = plot.small_multiples(tidy, indicator=ind, level=level, lang=lang)
        written.append(atomic_write(out / "theo_huyen_khu_dan_cu_an_toan.png", _saver(fig)))
        plt.close(fig)
    return written
