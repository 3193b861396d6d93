"""The standard charts of a tidy table, exported as PNG files (``antq build``, the report)."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from pathlib import Path

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from antq._io import atomic_write
from antq._text import fold
from antq.errors import AntqWarning, NothingToDrawError
from antq.metrics.rates import shown_rates
from antq.series.events import EventsLike, read_events
from antq.types import LEVELS, Lang, Level

__all__ = ["FIGURE_DPI", "MAX_CHART_AREAS", "figures"]

#: Resolution of the exported charts.
FIGURE_DPI: int = 200


#: Charts of areas side by side stay readable up to this many areas.
MAX_CHART_AREAS: int = 40


def chart_level(tidy: pd.DataFrame) -> tuple[Level | None, int]:
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


def _charts(
    tidy: pd.DataFrame, level: Level | None, year: int, lang: Lang, events: pd.DataFrame
) -> list[Chart]:
    """The standard charts: province trends of both groups; the trend of each former
    province's area across its end (:func:`antq.regions`); for the areas of ``level``, the
    ranking of safe and of cultural residential areas in ``year``, the change and the
    heatmap."""
    from antq import plot

    charts: list[Chart] = [
        (
            "xu_huong_toan_tinh.png",
            lambda ax: plot.trend(tidy, target=95, lang=lang, events=events, ax=ax),
            (9, 4.8),
        ),
        (
            "xu_huong_van_hoa_toan_tinh.png",
            lambda ax: plot.trend(tidy, group="cultural", lang=lang, events=events, ax=ax),
            (9, 4.8),
        ),
        *_region_charts(tidy, lang, events),
    ]
    if level is None:
        return charts
    # A table without residential areas (one of agencies, or of a new indicator) has
    # no charts of them; nor one whose reports give their counts without a total (no rate).
    rated = (tidy["level"] == level) & shown_rates(tidy).notna().to_numpy()
    present = set(tidy.loc[rated, "indicator"])
    for stem, code in (
        ("an_toan", "safe_residential_area"),
        ("van_hoa", "cultural_residential_area"),
    ):
        name = f"xep_hang_khu_dan_cu_{stem}_{year}.png"
        if code in present:
            charts.append((name, _ranking(tidy, code, year, level, lang, events), (8, 5)))
    ind = "safe_residential_area"
    if ind not in present:
        return charts
    charts += [
        (
            f"thay_doi_khu_dan_cu_an_toan_{year}.png",
            lambda ax: plot.change(
                tidy, indicator=ind, year=year, level=level, lang=lang, events=events, ax=ax
            ),
            (8, 5),
        ),
        (
            "ban_do_nhiet_khu_dan_cu_an_toan.png",
            lambda ax: plot.heatmap(
                tidy, indicator=ind, level=level, lang=lang, events=events, ax=ax
            ),
            (10, 5.2),
        ),
    ]
    return charts


def _ranking(
    tidy: pd.DataFrame, indicator: str, year: int, level: Level, lang: Lang, events: pd.DataFrame
) -> Callable[[Axes], object]:
    from antq import plot

    return lambda ax: plot.ranking(
        tidy, indicator=indicator, year=year, level=level, lang=lang, events=events, ax=ax
    )


def _region_trend(
    rows: pd.DataFrame, name: str, lang: Lang, events: pd.DataFrame
) -> Callable[[Axes], object]:
    from antq import plot

    return lambda ax: plot.trend(rows, area=name, target=95, lang=lang, events=events, ax=ax)


def _region_charts(tidy: pd.DataFrame, lang: Lang, events: pd.DataFrame) -> list[Chart]:
    """The trend of each former province's area, one series across its end ("Tỉnh Nam Định
    (cũ)": its own rows, then the sum of the new communes formed from it)."""
    from antq.series.regions import regions

    with warnings.catch_warnings():
        # What cannot be summed is said in the findings of antq.regions, not in a chart.
        warnings.simplefilter("ignore", AntqWarning)
        found = regions(tidy, level="province")
    charts: list[Chart] = []
    for name, rows in found.groupby("area", sort=True):
        if not rows["harmonised"].any():
            continue  # no year after its end (no commune rows read): the province chart says it
        stem = "_".join(fold(str(name)).split())
        charts.append(
            (f"xu_huong_{stem}.png", _region_trend(rows, str(name), lang, events), (9, 4.8))
        )
    return charts


def figures(
    tidy: pd.DataFrame,
    out: Path,
    *,
    lang: Lang = "vi",
    events: EventsLike = None,
    compare: tuple[Level | None, int] | None = None,
) -> list[Path]:
    """Export the standard charts as PNG files to ``out``; return their paths.

    Province trends of the safety and the cultural indicators; the trend of a
    former province's area across the reorganisation (``xu_huong_tinh_nam_dinh_cu.png``);
    for the areas one level down (when 2 to 40 of them), rankings of safe and
    of cultural residential areas in the latest year, the change since the
    year before, a heatmap over the years and one panel per area. Every chart
    marks the events between years (the registry's, the criteria's and
    ``events``, :func:`antq.read_events`) and draws no line across a break.

    ``compare``: the level and year the comparison charts show (:func:`chart_level` of the
    whole table), where ``tidy`` is only the rows the charts read (``antq build`` at national
    scale draws them from those).

    Examples
    --------
    >>> import antq, tempfile
    >>> [p.name for p in figures(antq.load("data/raw"), Path(tempfile.mkdtemp()))][:4]
    ['xu_huong_toan_tinh.png', 'xu_huong_van_hoa_toan_tinh.png', \
'xu_huong_tinh_nam_dinh_cu.png', 'xep_hang_khu_dan_cu_an_toan_2024.png']
    """
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    from antq import plot

    level, year = chart_level(tidy) if compare is None else compare
    known = read_events(events)
    written = []
    with plot.style():
        for name, draw, size in _charts(tidy, level, year, lang, known):
            fig, ax = plt.subplots(figsize=size)
            try:
                draw(ax)
            except NothingToDrawError:
                plt.close(fig)
                continue  # counts without a total: no rate, no chart (not an empty one)
            written.append(atomic_write(out / name, _saver(fig)))
            plt.close(fig)
        ind = "safe_residential_area"
        if level is None or not (tidy["level"].eq(level) & tidy["indicator"].eq(ind)).any():
            return written
        try:
            fig = plot.small_multiples(tidy, indicator=ind, level=level, lang=lang, events=known)
        except NothingToDrawError:
            return written
        written.append(atomic_write(out / "theo_huyen_khu_dan_cu_an_toan.png", _saver(fig)))
        plt.close(fig)
    return written
