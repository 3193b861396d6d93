"""The standard charts of a tidy table, exported as PNG files (``antq build``, the report)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from antq._io import atomic_write
from antq.types import LEVELS, Lang, Level

__all__ = ["FIGURE_DPI", "MAX_CHART_AREAS", "figures"]

#: Resolution of the exported charts.
FIGURE_DPI: int = 200


#: Charts of areas side by side stay readable up to this many areas.
MAX_CHART_AREAS: int = 40


def _chart_level(tidy: pd.DataFrame) -> tuple[Level | None, int]:
    """The level whose areas the comparison charts show, and the year they show.

    The first level with 2 to 40 areas in one year, counted year by year: over the years
    of a reorganisation a province table holds two provinces (one before, one after), and
    that is no comparison. The year is the latest in which the level has 2 areas or more:
    after 1 July 2025 there are no districts, so the district ranking shows 2024.
    """
    latest = int(tidy["year"].max())
    for level in LEVELS:
        per_year = tidy.loc[tidy["level"] == level].groupby("year")["area"].nunique()
        if per_year.empty or not 2 <= per_year.max() <= MAX_CHART_AREAS:
            continue
        return level, int(per_year[per_year >= 2].index.max())
    return None, latest


def _saver(fig: Figure) -> Callable[[Path], None]:
    def save(p: Path) -> None:
        fig.savefig(p, format="png", dpi=FIGURE_DPI)

    return save


#: A chart: its file name, a function drawing it on an Axes, and the figure size in inches.
Chart = tuple[str, Callable[[Axes], object], tuple[float, float]]


def _charts(tidy: pd.DataFrame, level: Level | None, year: int, lang: Lang) -> list[Chart]:
    """The standard charts: province trends of both groups; for the areas of ``level``, the
    ranking of safe and of cultural residential areas in ``year``, the change and the
    heatmap."""
    from antq import plot

    charts: list[Chart] = [
        (
            "xu_huong_toan_tinh.png",
            lambda ax: plot.trend(tidy, target=95, lang=lang, ax=ax),
            (9, 4.8),
        ),
        (
            "xu_huong_van_hoa_toan_tinh.png",
            lambda ax: plot.trend(tidy, group="cultural", lang=lang, ax=ax),
            (9, 4.8),
        ),
    ]
    if level is None:
        return charts
    for stem, code in (
        ("an_toan", "safe_residential_area"),
        ("van_hoa", "cultural_residential_area"),
    ):
        name = f"xep_hang_khu_dan_cu_{stem}_{year}.png"
        charts.append((name, _ranking(tidy, code, year, level, lang), (8, 5)))
    ind = "safe_residential_area"
    charts += [
        (
            f"thay_doi_khu_dan_cu_an_toan_{year}.png",
            lambda ax: plot.change(tidy, indicator=ind, year=year, level=level, lang=lang, ax=ax),
            (8, 5),
        ),
        (
            "ban_do_nhiet_khu_dan_cu_an_toan.png",
            lambda ax: plot.heatmap(tidy, indicator=ind, level=level, lang=lang, ax=ax),
            (10, 5.2),
        ),
    ]
    return charts


def _ranking(
    tidy: pd.DataFrame, indicator: str, year: int, level: Level, lang: Lang
) -> Callable[[Axes], object]:
    from antq import plot

    return lambda ax: plot.ranking(
        tidy, indicator=indicator, year=year, level=level, lang=lang, ax=ax
    )


def figures(tidy: pd.DataFrame, out: Path, *, lang: Lang = "vi") -> list[Path]:
    """Export the standard charts as PNG files to ``out``; return their paths.

    Province trends of the safety and the cultural indicators; for the areas
    one level down (when 2 to 40 of them), rankings of safe and of cultural
    residential areas in the latest year, the change since the year before,
    a heatmap over the years and one panel per area.

    Examples
    --------
    >>> import antq, tempfile
    >>> [p.name for p in figures(antq.load("data/raw"), Path(tempfile.mkdtemp()))][:3]
    ['xu_huong_toan_tinh.png', 'xu_huong_van_hoa_toan_tinh.png', \
'xep_hang_khu_dan_cu_an_toan_2024.png']
    """
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    from antq import plot

    level, year = _chart_level(tidy)
    written = []
    with plot.style():
        for name, draw, size in _charts(tidy, level, year, lang):
            fig, ax = plt.subplots(figsize=size)
            draw(ax)
            written.append(atomic_write(out / name, _saver(fig)))
            plt.close(fig)
        if level is None:
            return written
        ind = "safe_residential_area"
        fig = plot.small_multiples(tidy, indicator=ind, level=level, lang=lang)
        written.append(atomic_write(out / "theo_huyen_khu_dan_cu_an_toan.png", _saver(fig)))
        plt.close(fig)
    return written
