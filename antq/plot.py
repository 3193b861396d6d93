"""Charts of the tidy table, in the manner of seaborn.

Each function takes the tidy table as ``data`` and keyword-only roles,
draws on ``ax`` (the current Axes by default) and returns it — a Figure for
the multi-panel :func:`small_multiples`. Extra keywords go to matplotlib.
Nothing here calls ``plt.show()`` or changes the user's global settings:
styling is applied inside :func:`style`, a context manager.

Labels are Vietnamese by default, with decimal commas ("94,75") and a true
minus sign ("−0,3"), ticks included; pass ``lang="en"`` for English. Bars
start at zero, so their lengths compare honestly.

Every function takes any table :func:`antq.as_tidy` accepts (a CSV read
back, ``antq.read_tidy``'s result, a frame with extra columns).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from cycler import cycler
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator

from antq.metrics.rates import shown_rates as rates_shown
from antq.numbers import format_decimal
from antq.schema import as_tidy
from antq.types import LEVELS, Lang, Level, as_lang
from antq.vocab import Words, groups, indicators, label, word

__all__ = [
    "CMAP",
    "MINUS",
    "PALETTE",
    "change",
    "heatmap",
    "number",
    "ranking",
    "shown_rates",
    "small_multiples",
    "style",
    "trend",
]

#: Okabe & Ito's palette: told apart by readers with the common colour-vision deficiencies.
#: Yellow comes last: it is the hardest to see as a thin line on white.
PALETTE: tuple[str, ...] = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#CC79A7",
    "#56B4E9",
    "#000000",
    "#F0E442",
)
_LINESTYLES = ("-", "--", ":", "-.")
#: A sequential colour map that stays readable in grey and for colour-blind readers.
CMAP = "cividis"
#: The minus sign of typeset numbers (U+2212): one sign in labels and ticks alike.
MINUS = "\u2212"
#: Up to this many years, every year gets its own tick label.
EVERY_YEAR_UP_TO: int = 16

_RC: dict[str, Any] = {
    # DejaVu Sans ships with matplotlib and has every Vietnamese letter.
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.labelsize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "grid.color": "#dddddd",
    "grid.linewidth": 0.8,
    "axes.prop_cycle": cycler(color=list(PALETTE)),
    "axes.unicode_minus": True,
    "legend.frameon": False,
    "figure.dpi": 100,
    "savefig.dpi": 200,
    "savefig.bbox": "tight",
    "axes.formatter.use_locale": False,
}


@contextlib.contextmanager
def style() -> Iterator[None]:
    """Apply antq's chart style inside a ``with`` block only.

    What the block itself did to matplotlib's interactive mode is kept:
    JupyterLab's inline backend switches it on when the first figure is made,
    and ``rc_context`` would switch it back off on leaving the block, after
    which no later chart of the notebook would be shown.

    Examples
    --------
    >>> import antq.plot as ap
    >>> with ap.style():
    ...     fig, ax = plt.subplots()
    >>> plt.close(fig)
    """
    interactive: bool | None = None
    try:
        with mpl.rc_context(_RC):  # type: ignore[arg-type]
            try:
                yield
            finally:
                interactive = mpl.is_interactive()
    finally:
        if interactive is not None:
            mpl.interactive(interactive)


def shown_rates(data: pd.DataFrame) -> pd.Series:
    """The rate a report shows, in percent: the written rate where there is one, else computed.

    Examples
    --------
    >>> import antq
    >>> df = antq.load("data/raw").query("year == 2020 and area == 'Tỉnh Nam Định'")
    >>> float(shown_rates(df[df.indicator == "safe_agency"]).iloc[0])
    97.25
    """
    return (rates_shown(data) * 100).astype(float)


def number(
    value: float, lang: Lang = "vi", decimals: int = 1, *, strip: bool = False, sign: bool = False
) -> str:
    """A number as charts write it: decimal comma in Vietnamese, the true minus sign (U+2212).

    Parameters
    ----------
    value
        The number.
    lang
        "vi" (94,75) or "en" (94.75).
    decimals
        Digits after the decimal separator.
    strip
        Drop trailing zeros ("92,50" → "92,5"; ticks).
    sign
        Write "+" before a positive number (changes).

    Examples
    --------
    >>> number(-0.3, decimals=2), number(1.25, sign=True, decimals=2), number(92.5, "en")
    ('−0,30', '+1,25', '92.5')
    >>> number(-0.001, decimals=1)  # rounds to zero: no sign
    '0,0'
    """
    text = format_decimal(abs(float(value)), decimals, lang, strip=strip)
    is_zero = not text.strip("0.,")
    if value < 0 and not is_zero:
        return MINUS + text
    return ("+" + text) if sign and value > 0 and not is_zero else text


def _tick_formatter(lang: Lang, *, sign: bool = False) -> FuncFormatter:
    # Trailing zeros are dropped, so ticks read "92", "92,5" as the spacing needs.
    return FuncFormatter(lambda v, _pos: number(v, lang, 2, strip=True, sign=sign))


def _year_axis(ax: Axes, years: list[int], lang: Lang, *, axis: str = "x") -> None:
    """Whole years on the axis; every year labelled when they are few."""
    target = ax.xaxis if axis == "x" else ax.yaxis
    if years and len(years) <= EVERY_YEAR_UP_TO:
        target.set_major_locator(FixedLocator(list(range(min(years), max(years) + 1))))
    else:
        target.set_major_locator(MaxNLocator(integer=True))
    target.set_major_formatter(FuncFormatter(lambda v, _pos: f"{int(v)}"))
    if axis == "x":
        ax.set_xlabel(word("plot.year", lang))
        if years:
            ax.set_xlim(min(years) - 0.4, max(years) + 0.9)


def _top_area(data: pd.DataFrame) -> str:
    for level in LEVELS:
        areas = data.loc[data["level"] == level, "area"].unique()
        if len(areas):
            return str(areas[0])
    raise ValueError("the table is empty")


def _prepare(data: pd.DataFrame, lang: Lang) -> tuple[pd.DataFrame, Lang]:
    """The table as the contract has it, with the shown rate in percent as ``_pct``."""
    lang = as_lang(lang)
    tidy = as_tidy(data, require_source=False)
    return tidy.assign(_pct=shown_rates(tidy)), lang


def _years(data: pd.DataFrame) -> list[int]:
    return sorted(int(y) for y in data["year"].unique())


def _on_years(grp: pd.DataFrame, years: list[int]) -> pd.Series:
    """A series of shown rates on every year from the first to the last.

    A missing year is NaN, so the line has a gap there rather than a bridge.
    This is the one place a series meets the year axis: a break in a series
    (a reorganisation) becomes a NaN here too.
    """
    full = pd.Index(range(min(years), max(years) + 1), name="year") if years else pd.Index([])
    return grp.groupby("year")["_pct"].first().reindex(full).astype(float)


# ---- trend ---------------------------------------------------------------------------------


def _group_codes(group: str) -> list[str]:
    if group not in groups():
        raise ValueError(f"group must be one of {tuple(groups())}, not {group!r}")
    return [c for c, i in indicators().items() if i.group == group]


def _trend_series(
    data: pd.DataFrame,
    area: str | None,
    indicator: str | list[str] | None,
    level: str,
    group: str,
    lang: Lang,
) -> tuple[dict[str, pd.DataFrame], str]:
    """The series to draw, by legend label, and the chart's title."""
    w = Words("plot", lang)
    if isinstance(indicator, str):
        sub = data[(data["indicator"] == indicator) & (data["level"] == level)]
        return dict(iter(sub.groupby("area", sort=False))), w["trend_ind"].format(
            label=label(indicator, lang)
        )
    area = area or _top_area(data)
    codes = indicator or _group_codes(group)
    sub = data[data["area"] == area]
    series = {
        label(c, lang): sub[sub["indicator"] == c] for c in codes if (sub["indicator"] == c).any()
    }
    shown = area if area != "Toàn tỉnh" else w["province"]
    key = f"trend_group.{group}" if indicator is None else "trend_area"
    return series, word(f"plot.{key}", lang, area=shown)


def _line_style(k: int, kwargs: dict[str, Any]) -> dict[str, Any]:
    style_kw: dict[str, Any] = {
        "color": PALETTE[k % len(PALETTE)],
        "linestyle": _LINESTYLES[(k // len(PALETTE)) % len(_LINESTYLES)],
        "marker": "o",
        "markersize": 4,
        "linewidth": 2,
    }
    style_kw.update(kwargs)
    return style_kw


def _draw_lines(
    ax: Axes, series: dict[str, pd.DataFrame], years: list[int], kwargs: dict[str, Any]
) -> list[tuple[float, float, str]]:
    """One line per series; returns each line's last point (x, value, colour)."""
    ends: list[tuple[float, float, str]] = []
    for k, (name, grp) in enumerate(series.items()):
        s = _on_years(grp, years)
        (line,) = ax.plot(s.index, s.to_numpy(), label=str(name), **_line_style(k, kwargs))
        last = s.dropna()
        if not last.empty:
            ends.append((float(last.index[-1]), float(last.iloc[-1]), str(line.get_color())))
    return ends


def _target_line(ax: Axes, target: float | None, lang: Lang) -> None:
    if target is None:
        return
    ax.axhline(
        target,
        color="#555555",
        linestyle="--",
        linewidth=1,
        label=f"{word('plot.target', lang)} {number(target, lang, 0)}%",
    )


def trend(
    data: pd.DataFrame,
    *,
    area: str | None = None,
    indicator: str | list[str] | None = None,
    group: str = "safety",
    level: Level = "district",
    target: float | None = None,
    lang: Lang = "vi",
    ax: Axes | None = None,
    **kwargs: Any,
) -> Axes:
    """Rates by year: one line per indicator for an area, or one line per area for an indicator.

    Parameters
    ----------
    data
        A tidy table.
    area
        Draw this area's indicators (default: the province, when ``indicator``
        is not a single code).
    indicator
        One code: one line per area of ``level``; a list: those indicators of
        ``area``; None: the indicators of ``group`` for ``area``.
    group
        "safety" (default: the five "safe" indicators) or "cultural" (cultural
        residential areas and families, conventions, "5 không"), when
        ``indicator`` is None.
    level
        The level of the areas drawn when ``indicator`` is one code.
    target
        A target rate in percent, drawn as a dashed line.
    lang
        "vi" or "en".
    ax
        The Axes to draw on (default: the current one).
    **kwargs
        Passed to ``Axes.plot``.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import antq, antq.plot as ap
    >>> df = antq.load("data/raw")
    >>> with ap.style():
    ...     ax = ap.trend(df, target=95)
    >>> len(ax.get_lines())  # five indicators and the target
    6
    >>> ax = ap.trend(df, group="cultural", ax=plt.figure().gca())
    >>> len(ax.get_lines())
    4
    >>> plt.close("all")
    """
    ax = ax if ax is not None else plt.gca()
    data, lang = _prepare(data, lang)
    years = _years(data)
    series, title = _trend_series(data, area, indicator, level, group, lang)
    ends = _draw_lines(ax, series, years, kwargs)
    _target_line(ax, target, lang)
    _year_axis(ax, years, lang)
    ax.set_ylabel(word("plot.rate", lang))
    ax.yaxis.set_major_formatter(_tick_formatter(lang))
    _end_labels(ax, ends, lang)
    ax.set_title(title, loc="left")
    if series:
        ax.legend(loc="upper left", bbox_to_anchor=(1.06, 1), fontsize=8)
    return ax


def _end_labels(ax: Axes, ends: list[tuple[float, float, str]], lang: Lang) -> None:
    """Value labels at the line ends, nudged apart so that none overlaps another."""
    if not ends:
        return
    lo, hi = ax.get_ylim()
    gap = (hi - lo) * 0.045
    ends = sorted(ends, key=lambda e: e[1])
    pos = [e[1] for e in ends]
    for i in range(1, len(pos)):  # push up what overlaps the label below
        pos[i] = max(pos[i], pos[i - 1] + gap)
    if pos and pos[-1] > hi:  # then back down from the top so all stay inside
        pos[-1] = hi
        for i in range(len(pos) - 2, -1, -1):
            pos[i] = min(pos[i], pos[i + 1] - gap)
    for (x, v, color), y_text in zip(ends, pos, strict=True):
        ax.annotate(
            number(v, lang),
            (x, v),
            xytext=(x + 0.15, y_text),
            textcoords="data",
            va="center",
            fontsize=8,
            color=color,
        )


# ---- bars ----------------------------------------------------------------------------------


def _rates_for(data: pd.DataFrame, indicator: str, year: int, level: str) -> pd.Series:
    sub = data[(data["indicator"] == indicator) & (data["year"] == year) & (data["level"] == level)]
    return pd.Series(sub["_pct"].to_numpy(), index=sub["area"].to_numpy()).dropna()


def _latest(data: pd.DataFrame, indicator: str, year: int | None, level: str) -> int:
    """``year``, or the latest year with rows of ``indicator`` at ``level`` (districts end in
    2025: the latest district ranking is 2024's, not an empty 2025)."""
    if year is not None:
        return int(year)
    years = data.loc[(data["indicator"] == indicator) & (data["level"] == level), "year"]
    if years.empty:
        raise ValueError(f"no rows of indicator {indicator!r} at level {level!r}")
    return int(years.max())


def _bar_grid(ax: Axes) -> None:
    ax.set_axisbelow(True)
    ax.grid(axis="x", color="#dddddd")
    ax.grid(axis="y", visible=False)


def _parent_level(level: Level) -> Level:
    return LEVELS[max(LEVELS.index(level) - 1, 0)]


def _reference_line(ax: Axes, ref: pd.Series, lang: Lang) -> None:
    """The level above as a dashed line, named in a legend under the axis."""
    if not len(ref):
        return
    value = float(ref.iloc[0])
    ax.axvline(
        value,
        color=PALETTE[3],
        linestyle="--",
        linewidth=1.2,
        label=f"{ref.index[0]}: {number(value, lang, 2)}%",
    )
    ax.legend(loc="upper left", bbox_to_anchor=(0, -0.14), fontsize=8, frameon=False)


def ranking(
    data: pd.DataFrame,
    *,
    indicator: str,
    year: int | None = None,
    level: Level = "district",
    lang: Lang = "vi",
    ax: Axes | None = None,
    **kwargs: Any,
) -> Axes:
    """Areas' rates for a year as sorted horizontal bars from zero, the level above as a
    reference line, and each bar's change since the previous year written beside it.

    Parameters
    ----------
    data
        A tidy table.
    indicator
        The indicator code.
    year
        The year (default: the latest year of ``indicator``).
    level
        The level of the areas ranked; the level above is the reference line.
    lang
        "vi" or "en".
    ax
        The Axes to draw on (default: the current one).
    **kwargs
        Passed to ``Axes.barh``.

    Examples
    --------
    >>> import antq, antq.plot as ap
    >>> with ap.style():
    ...     ax = ap.ranking(antq.load("data/raw"), indicator="safe_school", year=2023)
    >>> len(ax.patches), float(ax.get_xlim()[0])
    (10, 0.0)
    >>> plt.close("all")
    """
    ax = ax if ax is not None else plt.gca()
    data, lang = _prepare(data, lang)
    year = _latest(data, indicator, year, level)
    cur = _rates_for(data, indicator, year, level).sort_values()
    prev = _rates_for(data, indicator, year - 1, level)
    kw: dict[str, Any] = {"color": PALETTE[0], "height": 0.65}
    kw.update(kwargs)
    bars = ax.barh(cur.index, cur.to_numpy(), **kw)
    # Bars start at zero: their lengths are what a reader compares. Room is left
    # right of 100 % for the labels; ticks stop at 100.
    ax.set_xlim(0, 124)
    ax.xaxis.set_major_locator(FixedLocator([0, 20, 40, 60, 80, 100]))
    for bar, (name, value) in zip(bars, cur.items(), strict=True):
        text = number(value, lang)
        if name in prev.index:
            text += f" ({number(value - prev[name], lang, 1, sign=True)})"
        ax.text(
            bar.get_width() + 1,
            bar.get_y() + bar.get_height() / 2,
            text,
            va="center",
            fontsize=8,
            zorder=5,
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.6},
        )
    _reference_line(ax, _rates_for(data, indicator, year, _parent_level(level)), lang)
    ax.xaxis.set_major_formatter(_tick_formatter(lang))
    w = Words("plot", lang)
    ax.set_xlabel(w["rate"] + (w["ranking_note"].format(prev=year - 1) if len(prev) else ""))
    _bar_grid(ax)
    ax.set_title(w["ranking"].format(label=label(indicator, lang), year=year), loc="left")
    return ax


def change(
    data: pd.DataFrame,
    *,
    indicator: str,
    year: int | None = None,
    level: Level = "district",
    lang: Lang = "vi",
    ax: Axes | None = None,
    **kwargs: Any,
) -> Axes:
    """Diverging bars of each area's change in percentage points since the previous year.

    Parameters
    ----------
    data
        A tidy table.
    indicator
        The indicator code.
    year
        The year compared with the one before (default: the latest of ``indicator``).
    level
        The level of the areas.
    lang
        "vi" or "en".
    ax
        The Axes to draw on (default: the current one).
    **kwargs
        Passed to ``Axes.barh``.

    Examples
    --------
    >>> import antq, antq.plot as ap
    >>> with ap.style():
    ...     ax = ap.change(antq.load("data/raw"), indicator="safe_enterprise", year=2023)
    >>> len(ax.patches)
    10
    >>> plt.close("all")
    """
    ax = ax if ax is not None else plt.gca()
    data, lang = _prepare(data, lang)
    year = _latest(data, indicator, year, level)
    cur = _rates_for(data, indicator, year, level)
    prev = _rates_for(data, indicator, year - 1, level)
    d = (cur - prev).dropna().sort_values()
    colors = [PALETTE[0] if v >= 0 else PALETTE[1] for v in d.to_numpy()]
    kw: dict[str, Any] = {"color": colors, "height": 0.65}
    kw.update(kwargs)
    bars = ax.barh(d.index, d.to_numpy(), **kw)
    span = float(max(d.abs().max(), 0.5)) if len(d) else 1.0
    for bar, v in zip(bars, d.to_numpy(), strict=True):
        ax.text(
            v + (span * 0.03 if v >= 0 else -span * 0.03),
            bar.get_y() + bar.get_height() / 2,
            number(v, lang, 2, sign=True),
            va="center",
            ha="left" if v >= 0 else "right",
            fontsize=8,
        )
    ax.axvline(0, color="#333333", linewidth=0.8)
    ax.set_xlim(-span * 1.35, span * 1.35)
    ax.xaxis.set_major_formatter(_tick_formatter(lang, sign=True))
    w = Words("plot", lang)
    ax.set_xlabel(w["change"])
    _bar_grid(ax)
    ax.set_title(
        w["change_title"].format(label=label(indicator, lang), prev=year - 1, year=year),
        loc="left",
    )
    return ax


# ---- heatmap and panels --------------------------------------------------------------------


def _cell_texts(ax: Axes, values: np.ndarray, image: Any, lang: Lang) -> None:
    """Each cell's value, black on light colours and white on dark ones."""
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            v = values[i, j]
            if np.isnan(v):
                continue
            r, g, b, _ = image.get_cmap()(image.norm(v))
            light = 0.299 * r + 0.587 * g + 0.114 * b > 0.55
            ax.text(
                j,
                i,
                number(v, lang),
                ha="center",
                va="center",
                fontsize=7,
                color="black" if light else "white",
            )


def heatmap(
    data: pd.DataFrame,
    *,
    indicator: str,
    level: Level = "district",
    lang: Lang = "vi",
    colorbar: bool = True,
    ax: Axes | None = None,
    **kwargs: Any,
) -> Axes:
    """Area × year rates as coloured cells with the values written in them, and a colour bar.

    Parameters
    ----------
    data
        A tidy table.
    indicator
        The indicator code.
    level
        The level of the areas (rows).
    lang
        "vi" or "en".
    colorbar
        Draw the colour bar beside the cells (it takes room from ``ax``'s figure).
    ax
        The Axes to draw on (default: the current one).
    **kwargs
        Passed to ``Axes.imshow`` (``cmap``, ``vmin``, ``vmax`` …).

    Examples
    --------
    >>> import antq, antq.plot as ap
    >>> with ap.style():
    ...     ax = ap.heatmap(antq.load("data/raw"), indicator="safe_commune")
    >>> len(ax.texts)  # 9 districts × 10 years, and Huyện Mỹ Lộc until 2023
    99
    >>> plt.close("all")
    """
    ax = ax if ax is not None else plt.gca()
    data, lang = _prepare(data, lang)
    sub = data[(data["indicator"] == indicator) & (data["level"] == level)]
    table = sub.pivot_table(
        index="area", columns="year", values="_pct", aggfunc="first", sort=False
    )
    years = list(range(int(table.columns.min()), int(table.columns.max()) + 1))
    values = table.reindex(columns=years).to_numpy(dtype=float)
    kw: dict[str, Any] = {"cmap": CMAP, "aspect": "auto"}
    kw.update(kwargs)
    image = ax.imshow(values, **kw)
    _cell_texts(ax, values, image, lang)
    ax.set_xticks(range(len(years)), [str(y) for y in years])
    ax.set_yticks(range(len(table.index)), list(table.index))
    ax.grid(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    ax.tick_params(length=0)
    if colorbar:
        bar = ax.figure.colorbar(image, ax=ax, fraction=0.04, pad=0.02)
        bar.set_label(word("plot.rate", lang))
        bar.formatter = _tick_formatter(lang)
        bar.update_ticks()
        bar.outline.set_visible(False)
    ax.set_title(word("plot.heatmap", lang).format(label=label(indicator, lang)), loc="left")
    return ax


def small_multiples(
    data: pd.DataFrame,
    *,
    indicator: str,
    level: Level = "district",
    ncols: int = 5,
    lang: Lang = "vi",
    **kwargs: Any,
) -> Figure:
    """One panel per area, shared axes; the level above drawn in grey in every panel.

    Examples
    --------
    >>> import antq, antq.plot as ap
    >>> with ap.style():
    ...     fig = ap.small_multiples(antq.load("data/raw"), indicator="safe_residential_area")
    >>> len(fig.axes)
    10
    >>> plt.close("all")
    """
    data, lang = _prepare(data, lang)
    w = Words("plot", lang)
    sub = data[(data["indicator"] == indicator) & (data["level"] == level)]
    areas = list(dict.fromkeys(sub["area"]))
    years = _years(data)
    nrows = max(1, -(-len(areas) // ncols))
    fig, axes = plt.subplots(
        nrows,
        ncols,
        sharex=True,
        sharey=True,
        figsize=(2.4 * ncols, 2.0 * nrows + 0.6),
        squeeze=False,
    )
    parent = data[(data["indicator"] == indicator) & (data["level"] == _parent_level(level))]
    ref = _on_years(parent, years) if len(parent) else None
    for ax, area in zip(axes.flat, areas, strict=False):
        s = _on_years(sub[sub["area"] == area], years)
        if ref is not None:
            ax.plot(ref.index, ref.to_numpy(), color="#aaaaaa", linewidth=1.2)
        ax.plot(
            s.index,
            s.to_numpy(),
            color=PALETTE[0],
            marker="o",
            markersize=2.5,
            linewidth=1.8,
            **kwargs,
        )
        ax.set_title(area, fontsize=9, loc="left", fontweight="normal")
        ax.yaxis.set_major_formatter(_tick_formatter(lang))
        # A panel is too narrow for every year: ticks at each, labels at a few.
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=3))
        ax.xaxis.set_minor_locator(FixedLocator(years))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{int(v)}"))
    for ax in list(axes.flat)[len(areas) :]:
        fig.delaxes(ax)
    fig.supylabel(w["rate"], fontsize=10)
    title = w["trend_ind"].format(label=label(indicator, lang))
    if ref is not None:
        title += f" ({w['grey']}: {parent['area'].iloc[0]})"
    fig.suptitle(title, x=0.01, ha="left", fontweight="bold")
    fig.tight_layout()
    return fig
