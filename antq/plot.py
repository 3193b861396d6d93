"""Charts of the tidy table, in the manner of seaborn.

Each function takes the tidy table as ``data`` and keyword-only roles,
draws on ``ax`` (the current Axes by default) and returns it — a Figure for
the multi-panel :func:`small_multiples`. Extra keywords go to matplotlib.
Nothing here calls ``plt.show()`` or changes the user's global settings:
styling is applied inside :func:`style`, a context manager.

Labels are Vietnamese by default, with decimal commas ("94,75"); pass
``lang="en"`` for English.
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
from matplotlib.ticker import FuncFormatter, MaxNLocator

from antq.metrics.rates import shown_rates as rates_shown
from antq.numbers import format_decimal
from antq.types import LEVELS, Lang
from antq.vocab import Words, indicators, label, word

__all__ = [
    "PALETTE",
    "change",
    "heatmap",
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
    "legend.frameon": False,
    "figure.dpi": 100,
    "savefig.dpi": 200,
    "savefig.bbox": "tight",
    "axes.formatter.use_locale": False,
}


@contextlib.contextmanager
def style() -> Iterator[None]:
    """Apply antq's chart style inside a ``with`` block only.

    Examples
    --------
    >>> import antq.plot as ap
    >>> with ap.style():
    ...     fig, ax = plt.subplots()
    >>> plt.close(fig)
    """
    with mpl.rc_context(_RC):  # type: ignore[arg-type]
        yield


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


def _label(code: str, lang: Lang) -> str:
    return label(code, lang)


def _pct_formatter(lang: Lang, decimals: int = 2) -> FuncFormatter:
    # Trailing zeros are dropped, so ticks read "92", "92,5" as the spacing needs.
    return FuncFormatter(lambda v, _pos: format_decimal(v, decimals, lang, strip=True))


def _year_axis(ax: Axes, years: list[int], lang: Lang) -> None:
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{int(v)}"))
    ax.set_xlabel(word("plot.year", lang))
    if years:
        ax.set_xlim(min(years) - 0.4, max(years) + 0.9)


def _top_area(data: pd.DataFrame) -> str:
    for level in LEVELS:
        areas = data.loc[data["level"] == level, "area"].unique()
        if len(areas):
            return str(areas[0])
    raise ValueError("the table is empty")


def _fmt_pct(v: float, lang: Lang, decimals: int = 1) -> str:
    return format_decimal(v, decimals, lang)


def trend(
    data: pd.DataFrame,
    *,
    area: str | None = None,
    indicator: str | list[str] | None = None,
    level: str = "district",
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
        ``area``; None: the five safety indicators of ``area``.
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
    >>> plt.close("all")
    """
    if ax is None:
        ax = plt.gca()
    w = Words("plot", lang)
    data = data.assign(_pct=shown_rates(data))
    years = sorted(int(y) for y in data["year"].unique())
    full = pd.Index(range(min(years), max(years) + 1), name="year") if years else pd.Index([])
    if isinstance(indicator, str):
        sub = data[(data["indicator"] == indicator) & (data["level"] == level)]
        series = {a: g for a, g in sub.groupby("area", sort=False)}
        title = w["trend_ind"].format(label=_label(indicator, lang))
    else:
        area = area or _top_area(data)
        codes = indicator or [c for c, i in indicators().items() if i.qualifier == "safe"]
        sub = data[data["area"] == area]
        series = {
            _label(c, lang): sub[sub["indicator"] == c]
            for c in codes
            if (sub["indicator"] == c).any()
        }
        title = w["trend_area"].format(area=area if area != "Toàn tỉnh" else w["province"])
    ends: list[tuple[float, float, float, str]] = []  # y, x, value, colour
    for k, (name, grp) in enumerate(series.items()):
        # Reindexing on every year leaves NaN where a year is missing: a gap, not a bridge.
        s = grp.set_index("year")["_pct"].reindex(full)
        style_kw: dict[str, Any] = {
            "color": PALETTE[k % len(PALETTE)],
            "linestyle": _LINESTYLES[(k // len(PALETTE)) % len(_LINESTYLES)],
            "marker": "o",
            "markersize": 4,
            "linewidth": 2,
        }
        style_kw.update(kwargs)
        (line,) = ax.plot(s.index, s.to_numpy(dtype=float), label=str(name), **style_kw)
        last = s.dropna()
        if not last.empty:
            v = float(last.iloc[-1])
            ends.append((v, float(last.index[-1]), v, str(line.get_color())))
    _end_labels(ax, ends, lang)
    if target is not None:
        ax.axhline(
            target,
            color="#555555",
            linestyle="--",
            linewidth=1,
            label=f"{w['target']} {_fmt_pct(target, lang, 0)}%",
        )
    _year_axis(ax, years, lang)
    ax.set_ylabel(w["rate"])
    ax.yaxis.set_major_formatter(_pct_formatter(lang))
    ax.set_title(title, loc="left")
    if series:
        ax.legend(loc="upper left", bbox_to_anchor=(1.06, 1), fontsize=8)
    return ax


def _end_labels(ax: Axes, ends: list[tuple[float, float, float, str]], lang: Lang) -> None:
    """Value labels at the line ends, nudged apart so that none overlaps another."""
    if not ends:
        return
    lo, hi = ax.get_ylim()
    gap = (hi - lo) * 0.045
    ends = sorted(ends)
    pos = [e[0] for e in ends]
    for i in range(1, len(pos)):  # push up what overlaps the label below
        pos[i] = max(pos[i], pos[i - 1] + gap)
    if pos and pos[-1] > hi:  # then back down from the top so all stay inside
        pos[-1] = hi
        for i in range(len(pos) - 2, -1, -1):
            pos[i] = min(pos[i], pos[i + 1] - gap)
    for (y, x, v, color), y_text in zip(ends, pos, strict=True):
        ax.annotate(
            _fmt_pct(v, lang),
            (x, y),
            xytext=(x + 0.15, y_text),
            textcoords="data",
            va="center",
            fontsize=8,
            color=color,
        )


def _rates_for(data: pd.DataFrame, indicator: str, year: int, level: str) -> pd.Series:
    sub = data[(data["indicator"] == indicator) & (data["year"] == year) & (data["level"] == level)]
    return pd.Series(shown_rates(sub).to_numpy(), index=sub["area"].to_numpy()).dropna()


def ranking(
    data: pd.DataFrame,
    *,
    indicator: str,
    year: int,
    level: str = "district",
    lang: Lang = "vi",
    ax: Axes | None = None,
    **kwargs: Any,
) -> Axes:
    """Areas' rates for a year as sorted horizontal bars, the level above as a reference line,
    and each bar's change since the previous year written beside it.

    Examples
    --------
    >>> import antq, antq.plot as ap
    >>> with ap.style():
    ...     ax = ap.ranking(antq.load("data/raw"), indicator="safe_school", year=2023)
    >>> len(ax.patches)
    10
    >>> plt.close("all")
    """
    if ax is None:
        ax = plt.gca()
    w = Words("plot", lang)
    cur = _rates_for(data, indicator, year, level).sort_values()
    prev = _rates_for(data, indicator, year - 1, level)
    kw: dict[str, Any] = {"color": PALETTE[0], "height": 0.65}
    kw.update(kwargs)
    ax.set_axisbelow(True)
    bars = ax.barh(cur.index, cur.to_numpy(), **kw)
    lo = max(0.0, float(np.floor((cur.min() - 5) / 5) * 5)) if len(cur) else 0.0
    ax.set_xlim(lo, 100 + (100 - lo) * 0.12)
    for bar, (name, value) in zip(bars, cur.items(), strict=True):
        text = _fmt_pct(value, lang)
        if name in prev.index:
            d = value - prev[name]
            text += f" ({'+' if d >= 0 else '−'}{_fmt_pct(abs(d), lang)})"
        ax.text(
            bar.get_width() + (100 - lo) * 0.01,
            bar.get_y() + bar.get_height() / 2,
            text,
            va="center",
            fontsize=8,
            zorder=5,
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.6},
        )
    parent_level = LEVELS[max(LEVELS.index(level) - 1, 0)]
    ref = _rates_for(data, indicator, year, parent_level)
    if len(ref):
        ax.axvline(
            float(ref.iloc[0]),
            color=PALETTE[3],
            linestyle="--",
            linewidth=1.2,
            label=f"{ref.index[0]}: {_fmt_pct(float(ref.iloc[0]), lang, 2)}%",
        )
        ax.legend(loc="lower right", fontsize=8, frameon=True)
    ax.xaxis.set_major_formatter(_pct_formatter(lang))
    ax.set_xlabel(w["rate"] + (w["ranking_note"].format(prev=year - 1) if len(prev) else ""))
    ax.grid(axis="x", color="#dddddd")
    ax.grid(axis="y", visible=False)
    ax.set_title(w["ranking"].format(label=_label(indicator, lang), year=year), loc="left")
    return ax


def change(
    data: pd.DataFrame,
    *,
    indicator: str,
    year: int,
    level: str = "district",
    lang: Lang = "vi",
    ax: Axes | None = None,
    **kwargs: Any,
) -> Axes:
    """Diverging bars of each area's change in percentage points since the previous year.

    Examples
    --------
    >>> import antq, antq.plot as ap
    >>> with ap.style():
    ...     ax = ap.change(antq.load("data/raw"), indicator="safe_enterprise", year=2023)
    >>> len(ax.patches)
    10
    >>> plt.close("all")
    """
    if ax is None:
        ax = plt.gca()
    w = Words("plot", lang)
    cur = _rates_for(data, indicator, year, level)
    prev = _rates_for(data, indicator, year - 1, level)
    d = (cur - prev).dropna().sort_values()
    colors = [PALETTE[0] if v >= 0 else PALETTE[1] for v in d.to_numpy()]
    kw: dict[str, Any] = {"color": colors, "height": 0.65}
    kw.update(kwargs)
    ax.set_axisbelow(True)
    bars = ax.barh(d.index, d.to_numpy(), **kw)
    span = float(max(d.abs().max(), 0.5)) if len(d) else 1.0
    for bar, v in zip(bars, d.to_numpy(), strict=True):
        ax.text(
            v + (span * 0.03 if v >= 0 else -span * 0.03),
            bar.get_y() + bar.get_height() / 2,
            ("+" if v >= 0 else "−") + _fmt_pct(abs(v), lang, 2),
            va="center",
            ha="left" if v >= 0 else "right",
            fontsize=8,
        )
    ax.axvline(0, color="#333333", linewidth=0.8)
    ax.set_xlim(-span * 1.35, span * 1.35)
    ax.xaxis.set_major_formatter(_pct_formatter(lang))
    ax.set_xlabel(w["change"])
    ax.grid(axis="x", color="#dddddd")
    ax.grid(axis="y", visible=False)
    ax.set_title(
        w["change_title"].format(label=_label(indicator, lang), prev=year - 1, year=year),
        loc="left",
    )
    return ax


def heatmap(
    data: pd.DataFrame,
    *,
    indicator: str,
    level: str = "district",
    lang: Lang = "vi",
    ax: Axes | None = None,
    **kwargs: Any,
) -> Axes:
    """Area × year rates as coloured cells with the values written in them.

    Examples
    --------
    >>> import antq, antq.plot as ap
    >>> with ap.style():
    ...     ax = ap.heatmap(antq.load("data/raw"), indicator="safe_commune")
    >>> len(ax.texts)  # 9 districts × 10 years, and Huyện Mỹ Lộc until 2023
    99
    >>> plt.close("all")
    """
    if ax is None:
        ax = plt.gca()
    sub = data[(data["indicator"] == indicator) & (data["level"] == level)]
    table = sub.assign(_pct=shown_rates(sub)).pivot_table(
        index="area", columns="year", values="_pct", aggfunc="first", sort=False
    )
    years = list(range(int(table.columns.min()), int(table.columns.max()) + 1))
    table = table.reindex(columns=years)
    values = table.to_numpy(dtype=float)
    kw: dict[str, Any] = {"cmap": CMAP, "aspect": "auto"}
    kw.update(kwargs)
    image = ax.imshow(values, **kw)
    norm = image.norm
    cmap = image.get_cmap()
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            v = values[i, j]
            if np.isnan(v):
                continue
            r, g, b, _ = cmap(norm(v))
            light = 0.299 * r + 0.587 * g + 0.114 * b > 0.55
            ax.text(
                j,
                i,
                _fmt_pct(v, lang),
                ha="center",
                va="center",
                fontsize=7,
                color="black" if light else "white",
            )
    ax.set_xticks(range(len(years)), [str(y) for y in years])
    ax.set_yticks(range(len(table.index)), list(table.index))
    ax.grid(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    ax.tick_params(length=0)
    ax.set_title(word("plot.heatmap", lang).format(label=_label(indicator, lang)), loc="left")
    return ax


def small_multiples(
    data: pd.DataFrame,
    *,
    indicator: str,
    level: str = "district",
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
    w = Words("plot", lang)
    data = data.assign(_pct=shown_rates(data))
    sub = data[(data["indicator"] == indicator) & (data["level"] == level)]
    areas = list(dict.fromkeys(sub["area"]))
    years = sorted(int(y) for y in data["year"].unique())
    full = pd.Index(range(min(years), max(years) + 1))
    nrows = max(1, -(-len(areas) // ncols))
    fig, axes = plt.subplots(
        nrows,
        ncols,
        sharex=True,
        sharey=True,
        figsize=(2.4 * ncols, 2.0 * nrows + 0.6),
        squeeze=False,
    )
    parent_level = LEVELS[max(LEVELS.index(level) - 1, 0)]
    parent = data[(data["indicator"] == indicator) & (data["level"] == parent_level)]
    ref = parent.set_index("year")["_pct"].reindex(full) if len(parent) else None
    for ax, area in zip(axes.flat, areas, strict=False):
        s = sub[sub["area"] == area].set_index("year")["_pct"].reindex(full)
        if ref is not None:
            ax.plot(full, ref.to_numpy(dtype=float), color="#aaaaaa", linewidth=1.2)
        ax.plot(
            full,
            s.to_numpy(dtype=float),
            color=PALETTE[0],
            marker="o",
            markersize=2.5,
            linewidth=1.8,
            **kwargs,
        )
        ax.set_title(area, fontsize=9, loc="left", fontweight="normal")
        ax.yaxis.set_major_formatter(_pct_formatter(lang))
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=3))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{int(v)}"))
    for ax in list(axes.flat)[len(areas) :]:
        fig.delaxes(ax)
    fig.supylabel(w["rate"], fontsize=10)
    title = w["trend_ind"].format(label=_label(indicator, lang))
    if ref is not None:
        title += f" ({w['grey']}: {parent['area'].iloc[0]})"
    fig.suptitle(title, x=0.01, ha="left", fontweight="bold")
    fig.tight_layout()
    return fig
