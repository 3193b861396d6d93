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
from typing import Any, cast

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from cycler import cycler
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator
from matplotlib.transforms import blended_transform_factory

from antq._text import fold
from antq.errors import NothingToDrawError
from antq.metrics.rates import shown_rates as rates_shown
from antq.metrics.yoy import yoy
from antq.numbers import format_decimal
from antq.outputs.display import area_labels
from antq.outputs.summary import close_names, unit_rows
from antq.schema import KEY, TIDY_COLUMNS, as_tidy
from antq.series.events import EventsLike
from antq.series.harmonise import Names
from antq.types import LEVELS, Lang, Level, as_lang
from antq.vocab import Words, groups, indicators, label, word

__all__ = [
    "BREAK_GID",
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
#: The gid of every artist marking an event (its vertical rule, its label, its tag).
BREAK_GID = "antq-break"
_RULE_STYLE: dict[str, Any] = {"color": "#555555", "linestyle": (0, (4, 2)), "linewidth": 1}
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

    Only antq's own settings are set, and only they are put back on leaving:
    ``matplotlib.rc_context`` restores every setting, and so undid what the
    block did to the interactive mode (which JupyterLab's inline backend
    switches on with the first figure) and, before matplotlib 3.8, to the
    backend, after which no later chart of the notebook was shown.

    Examples
    --------
    >>> import antq.plot as ap
    >>> with ap.style():
    ...     fig, ax = plt.subplots()
    >>> plt.close(fig)
    """
    rc: Any = mpl.rcParams  # typed by key literals in newer matplotlib; ours are plain str
    before = {key: rc[key] for key in _RC}
    rc.update(_RC)
    try:
        yield
    finally:
        rc.update(before)


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


def _rate_text(value: float, lang: Lang) -> str:
    """A rate in percent with one decimal, or two where one would round it to 100 or 0
    (99,97 is not "100,0": not every unit met the standard).

    >>> [_rate_text(v, "vi") for v in (97.74, 99.97, 100, 0.02)]
    ['97,7', '99,97', '100,0', '0,02']
    """
    v = float(value)
    if (99.95 <= v < 100) or (0 < v < 0.05):
        return number(v, lang, 2)
    return number(v, lang)


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


def _nothing_to_draw(
    data: pd.DataFrame, area: str | None, indicator: str | list[str] | None, level: str
) -> NothingToDrawError:
    """Why a chart has no line: an area or indicator the table lacks (with the names it has
    that are close), else rows that give counts without a total, hence no rate."""
    if area is not None and not (data["area"] == area).any():
        close = close_names(sorted({str(a) for a in data["area"].dropna()}), fold(area))
        near = f"; close: {', '.join(close)}" if close else ""
        near_vi = f"; tên gần giống: {', '.join(close)}" if close else ""
        return NothingToDrawError(
            f"no rows of area {area!r} in the table{near}",
            vi=f"bảng không có dòng nào của đơn vị {area!r}{near_vi}",
        )
    if (
        isinstance(indicator, str)
        and not ((data["indicator"] == indicator) & (data["level"] == level)).any()
    ):
        return NothingToDrawError(
            f"no rows of indicator {indicator!r} at level {level!r}",
            vi=f"không có dòng nào của chỉ tiêu {indicator!r} ở cấp {level!r}",
        )
    return NothingToDrawError(
        "no rate to draw: the rows give counts without a total",
        vi="không có tỷ lệ để vẽ: số liệu không kèm tổng số",
    )


def _top_area(data: pd.DataFrame) -> str:
    for level in LEVELS:
        areas = data.loc[data["level"] == level, "area"].unique()
        if len(areas):
            return str(areas[0])
    raise NothingToDrawError(
        "the table is empty: no chart to draw", vi="bảng trống: không có gì để vẽ"
    )


def _prepare(data: pd.DataFrame, lang: Lang) -> tuple[pd.DataFrame, Lang]:
    """The table as the contract has it, with the shown rate in percent as ``_pct``; a
    harmonised table (:func:`antq.harmonise`, :func:`antq.regions`) keeps its ``harmonised``
    column as ``_harmonised``."""
    lang = as_lang(lang)
    tidy = as_tidy(data, require_source=False)
    out = tidy.assign(_pct=shown_rates(tidy))
    if "harmonised" in data.columns:
        out["_harmonised"] = data["harmonised"].to_numpy()
    return out, lang


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


# ---- breaks -------------------------------------------------------------------------------


def _linked(sub: pd.DataFrame, events: EventsLike, lang: Lang) -> pd.DataFrame:
    """``sub`` (rows of :func:`_prepare`) with ``_joined``, whether each point joins the year
    before's (the same unit, rates that compare: :func:`antq.yoy`), and ``_break``, the
    events between the two years in words (and, for a region, the year its figures become a
    sum of new units)."""
    frame = sub[list(TIDY_COLUMNS)]
    if "_harmonised" in sub.columns:
        frame = frame.assign(harmonised=sub["_harmonised"].to_numpy())
    y = yoy(frame, events=events, lang=lang)
    y["_joined"] = (y["prev_basis"] == "same").fillna(False).astype(bool) & y[
        "shown_change_pp"
    ].notna().astype(bool)
    y = y.rename(columns={"break": "_break"})[[*KEY, "_joined", "_break"]]
    out = sub.reset_index().merge(y, on=list(KEY), how="left").set_index("index")
    out["_joined"] = out["_joined"].fillna(False).astype(bool)
    out["_break"] = out["_break"].astype(object).where(out["_break"].notna(), None)
    if "_harmonised" in out.columns:
        out = _summed_marks(out, lang)
    return out.loc[sub.index]


def _summed_marks(out: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """A region's first year as a sum of new units, marked (its line stays joined)."""
    series = out.sort_values("year").groupby(["area", "level", "indicator"], sort=False)
    before = series["_harmonised"].shift().astype("boolean")
    starts = out["_harmonised"].astype("boolean").fillna(False) & ~before.reindex(out.index).fillna(
        True
    )
    for i in out.index[starts.to_numpy()]:
        mark = word("plot.summed", lang, year=int(out.at[i, "year"]))
        old = out.at[i, "_break"]
        out.at[i, "_break"] = f"{old}{word('break.sep', lang)}{mark}" if old else mark
    return out


def _segments(grp: pd.DataFrame, years: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """A series' points on the year axis, cut where a point does not join the year before:
    a NaN between the two years, so no line is drawn across a break."""
    s = _on_years(grp, years)
    cuts = set(grp.loc[~grp["_joined"].to_numpy(dtype=bool), "year"].astype(int))
    xs: list[float] = []
    ys: list[float] = []
    for x, v in s.items():
        if int(x) in cuts and xs:
            xs.append(int(x) - 0.5)
            ys.append(np.nan)
        xs.append(float(x))
        ys.append(float(v))
    return np.array(xs), np.array(ys)


def _marks(rows: pd.DataFrame, lang: Lang) -> dict[int, list[str]]:
    """Year → the distinct events (in words) between it and the year before, among ``rows``."""
    sep = word("break.sep", lang)
    out: dict[int, list[str]] = {}
    for year, text in zip(rows["year"], rows["_break"], strict=True):
        if isinstance(text, str) and text:
            found = out.setdefault(int(year), [])
            found += [t for t in text.split(sep) if t not in found]
    return dict(sorted(out.items()))


def _rules(ax: Axes, marks: dict[int, list[str]], lang: Lang) -> None:
    """A dashed vertical rule between a year and the one before for each event, tagged
    ① ② … above the axes, with the key under the axis label: no label over the lines
    (written along the rule, lines crossed it, or its box hid them where they go on)."""
    tags = _tags([marks])
    for year, labels in marks.items():
        _tagged_rule(ax, year - 0.5, "".join(tags[t] for t in labels))
    if tags:
        _events_note_ax(ax, tags, lang, below=_KEY_BELOW_LABEL, wrap=True)


#: How far under the axes a trend's key of events stands, in points: under the year
#: labels and the axis label "Năm".
_KEY_BELOW_LABEL: float = 40.0


def _tags(marks: list[dict[int, list[str]]]) -> dict[str, str]:
    """Each distinct event a circled number (① ② …), in order of year, then of first
    appearance (not of a set's, which changes with the hash seed from run to run)."""
    seen = dict.fromkeys((y, t) for m in marks for y, ts in m.items() for t in ts)
    labels = sorted(seen, key=lambda yt: yt[0])
    out: dict[str, str] = {}
    for _, text in labels:
        out.setdefault(text, chr(0x2460 + min(len(out), 19)))
    return out


def _tagged_rule(ax: Axes, x: float, tags: str, *, ymin: float = 0, ymax: float = 1) -> None:
    """A rule at ``x`` over part of the axes' height, its events' tags above it."""
    ax.axvline(x, ymin=ymin, ymax=ymax, gid=BREAK_GID, zorder=3, **_RULE_STYLE)
    top = blended_transform_factory(ax.transData, ax.transAxes)
    ax.text(
        x,
        1.0,
        tags,
        transform=top,
        ha="center",
        va="bottom",
        fontsize=7,
        color=_RULE_STYLE["color"],
        gid=BREAK_GID,
        clip_on=False,
    )


def _events_note_ax(
    ax: Axes, tags: dict[str, str], lang: Lang, *, below: float = 28, wrap: bool = False
) -> None:
    """The key of the tags, ``below`` points under the axes (below its tick labels),
    wrapped to the axes' width if ``wrap``."""
    items = "   ".join(f"{tag} {text}" for text, tag in tags.items())
    text = word("plot.events_note", lang, items=items)
    if wrap:
        import textwrap

        fig = cast("Figure", ax.figure)
        width = ax.get_position().width * fig.get_figwidth() * 72  # points
        text = textwrap.fill(text, max(20, int(width / (_NOTE_SIZE * _CHAR_EM))))
    ax.annotate(
        text,
        (0, 0),
        xycoords="axes fraction",
        xytext=(0, -below),
        textcoords="offset points",
        ha="left",
        va="top",
        fontsize=7,
        color="#222222",
        gid=BREAK_GID,
        annotation_clip=False,
    )


def _events_note(fig: Figure, tags: dict[str, str], lang: Lang) -> None:
    """The key of the tags, under the figure."""
    if not tags:
        return
    items = "   ".join(f"{tag} {text}" for text, tag in tags.items())
    fig.text(
        0.01,
        0.0,
        word("plot.events_note", lang, items=items),
        ha="left",
        va="top",
        fontsize=7,
        color=_RULE_STYLE["color"],
        gid=BREAK_GID,
        wrap=True,
    )


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
        # A line per unit: units of one name (Phường 1 of two districts) are two lines.
        by_unit = sub.groupby(area_labels(sub).to_numpy(), sort=False)
        return dict(iter(by_unit)), w["trend_ind"].format(label=label(indicator, lang))
    area = area or _top_area(data)
    codes = indicator or _group_codes(group)
    area, data = unit_rows(data, area)
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
    """One line per series, cut at its breaks; returns each line's last point (x, value,
    colour)."""
    ends: list[tuple[float, float, str]] = []
    for k, (name, grp) in enumerate(series.items()):
        xs, ys = _segments(grp, years)
        (line,) = ax.plot(xs, ys, label=str(name), **_line_style(k, kwargs))
        shown = np.isfinite(ys)
        if shown.any():
            ends.append((float(xs[shown][-1]), float(ys[shown][-1]), str(line.get_color())))
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
    events: EventsLike = None,
    ax: Axes | None = None,
    **kwargs: Any,
) -> Axes:
    """Rates by year: one line per indicator for an area, or one line per area for an indicator.

    A line is not drawn across a break between units or criteria that do not
    compare (:func:`antq.yoy`: Thành phố Nam Định before and after it took in
    Huyện Mỹ Lộc; schools before and after Circular 124/2021): it stops and
    starts again, and a dashed vertical rule between the two years is labelled
    with the event. An event that leaves rates comparable (``compare = rate``
    in ``events.csv``) is marked without cutting the line.

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
    events
        The user's known events (``events.csv``, its folder or a table;
        :func:`antq.read_events`), marked beside the registry's and the criteria's.
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
    >>> len(ax.get_lines())  # five indicators, the target, the rules of 2022 and of 2024
    8
    >>> [t.get_text() for t in ax.texts if t.get_gid() == ap.BREAK_GID][:2]  # tags, then key
    ['①', '②']
    >>> ax = ap.trend(df, group="cultural", ax=plt.figure().gca())
    >>> len(ax.get_lines())
    4
    >>> plt.close("all")
    """
    ax = ax if ax is not None else plt.gca()
    data, lang = _prepare(data, lang)
    series, title = _trend_series(data, area, indicator, level, group, lang)
    if not any(grp["_pct"].notna().any() for grp in series.values()):
        raise _nothing_to_draw(data, area, indicator, level)
    linked = _linked(pd.concat(list(series.values())), events, lang) if series else data.head(0)
    series = {name: linked.loc[grp.index] for name, grp in series.items()}
    # The axis spans the years drawn: Tỉnh Nam Định ends in 2024, and an empty 2025 on
    # its axis would read as a missing report rather than a province that ceased.
    years = _years(linked[linked["_pct"].notna()]) if series else []
    years = years or _years(data)
    ends = _draw_lines(ax, series, years, kwargs)
    _target_line(ax, target, lang)
    _year_axis(ax, years, lang)
    ax.set_ylabel(word("plot.rate", lang))
    ax.yaxis.set_major_formatter(_tick_formatter(lang))
    _end_labels(ax, ends, lang)
    marks = _marks(linked, lang) if series else {}
    _rules(ax, marks, lang)
    # Room between the title and the axes for the tags of the rules.
    ax.set_title(title, loc="left", pad=14 if marks else 6)
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
    top = hi - gap / 2  # a label centred on the top edge would stand half outside, by the title
    if pos and pos[-1] > top:  # then back down from the top so all stay inside
        pos[-1] = top
        for i in range(len(pos) - 2, -1, -1):
            pos[i] = min(pos[i], pos[i + 1] - gap)
    for (x, v, color), y_text in zip(ends, pos, strict=True):
        ax.annotate(
            _rate_text(v, lang),
            (x, v),
            xytext=(x + 0.15, y_text),
            textcoords="data",
            va="center",
            fontsize=8,
            color=_readable_on_white(color),
        )


#: Luma (Rec. 709 weights on the sRGB values) above which a colour is too pale for small
#: text on white: Okabe & Ito's yellow (0,86), not its orange (0,64) or sky blue (0,64).
_PALE = 0.75


def _readable_on_white(color: str) -> str | tuple[float, float, float]:
    """``color`` for a small label on white: a pale one (Okabe & Ito's yellow) darkened to
    the same hue, others as they are.

    Examples
    --------
    >>> _readable_on_white("#0072B2")
    '#0072B2'
    >>> [round(c, 2) for c in _readable_on_white("#F0E442")]
    [0.52, 0.49, 0.14]
    """
    r, g, b = mpl.colors.to_rgb(color)
    if 0.2126 * r + 0.7152 * g + 0.0722 * b <= _PALE:
        return color
    return r * 0.55, g * 0.55, b * 0.55


# ---- bars ----------------------------------------------------------------------------------


def _rates_for(data: pd.DataFrame, indicator: str, year: int, level: str) -> pd.Series:
    sub = data[(data["indicator"] == indicator) & (data["year"] == year) & (data["level"] == level)]
    # One bar per unit: two communes named "Xã Hồng Quang" are told apart by their district.
    return pd.Series(sub["_pct"].to_numpy(), index=area_labels(sub).to_numpy()).dropna()


def _shown_changes(
    data: pd.DataFrame, indicator: str, year: int, level: str, events: EventsLike, lang: Lang
) -> pd.DataFrame:
    """:func:`antq.yoy` of the areas of ``level`` in ``year``, by area: the shown change
    (``shown_change_pp``), what it is against (``prev_basis``, ``prev_areas``) and the event
    where there is none (``break``)."""
    near = data[
        (data["indicator"] == indicator)
        & (data["level"] == level)
        & data["year"].isin([year - 1, year])
    ]
    frame = near[list(TIDY_COLUMNS)]
    if "_harmonised" in near.columns:
        frame = frame.assign(harmonised=near["_harmonised"].to_numpy())
    y = yoy(frame, events=events, lang=lang) if len(frame) else yoy(data.head(0))
    y = y[y["year"] == year]
    # By the same labels as the bars: two units of one name told apart by their district.
    y = y.assign(area=area_labels(y).to_numpy()).drop_duplicates("area").set_index("area")
    y["shown_change_pp"] = (y["shown_change_pp"] * 1).astype(float)
    return y


def _change_notes(changes: pd.DataFrame, prev: int, lang: Lang) -> list[str]:
    """Under a ranking or change chart: the areas no change is shown for, and why; the areas
    compared with the units they were made of."""
    out = []
    broken = changes[changes["shown_change_pp"].isna() & changes["break"].notna()]
    for reason, areas in broken.groupby("break", sort=False):
        names = Names(tuple(areas.index), 4).render(lang)
        out.append(word("plot.not_comparable", lang, prev=prev, reason=reason, items=names))
    summed = changes[(changes["prev_basis"] == "harmonised") & changes["shown_change_pp"].notna()]
    if len(summed) > 2:
        out.append(word("plot.compared_with_many", lang, n=len(summed), prev=prev))
    else:
        out += [
            word("plot.compared_with", lang, area=a, areas=r, prev=prev)
            for a, r in summed["prev_areas"].items()
        ]
    return out


def _latest(data: pd.DataFrame, indicator: str, year: int | None, level: str) -> int:
    """``year``, or the latest year with rows of ``indicator`` at ``level`` (districts end in
    2025: the latest district ranking is 2024's, not an empty 2025)."""
    if year is not None:
        return int(year)
    years = data.loc[(data["indicator"] == indicator) & (data["level"] == level), "year"]
    if years.empty:
        raise NothingToDrawError(
            f"no rows of indicator {indicator!r} at level {level!r}",
            vi=f"không có dòng nào của chỉ tiêu {indicator!r} ở cấp {level!r}",
        )
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
    events: EventsLike = None,
    ax: Axes | None = None,
    **kwargs: Any,
) -> Axes:
    """Areas' rates for a year as sorted horizontal bars from zero, the level above as a
    reference line, and each bar's change since the previous year written beside it.

    The change is :func:`antq.yoy`'s shown change, the one the summary states:
    against the units an area was made of the year before where the map
    changed, and none across a break with nothing comparable (a note under the
    chart names the areas and the events).

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
    if cur.empty:
        raise _nothing_to_draw(data, None, indicator, level)
    changes = _shown_changes(data, indicator, year, level, events, lang)
    prev = changes["shown_change_pp"].dropna()
    kw: dict[str, Any] = {"color": PALETTE[0], "height": 0.65}
    kw.update(kwargs)
    bars = ax.barh(cur.index, cur.to_numpy(), **kw)
    # Bars start at zero: their lengths are what a reader compares. The labels stand in a
    # column right of 100 %, where no bar end and no reference line runs through them.
    ax.set_xlim(0, 124)
    ax.xaxis.set_major_locator(FixedLocator([0, 20, 40, 60, 80, 100]))
    for bar, (name, value) in zip(bars, cur.items(), strict=True):
        text = _rate_text(value, lang)
        if name in prev.index:
            text += f" ({number(prev[name], lang, 1, sign=True)})"
        ax.text(
            LABEL_COLUMN_X,
            bar.get_y() + bar.get_height() / 2,
            text,
            va="center",
            fontsize=8,
            zorder=5,
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.6},
        )
    ref = _rates_for(data, indicator, year, _parent_level(level))
    _reference_line(ax, ref, lang)
    ax.xaxis.set_major_formatter(_tick_formatter(lang))
    w = Words("plot", lang)
    ax.set_xlabel(w["rate"] + (w["ranking_note"].format(prev=year - 1) if len(prev) else ""))
    _bar_grid(ax)
    ax.set_title(w["ranking"].format(label=label(indicator, lang), year=year), loc="left")
    _notes_below(ax, _change_notes(changes, year - 1, lang), legend=bool(len(ref)))
    return ax


#: Where the ranking's value labels start, in percent: right of the longest possible bar.
LABEL_COLUMN_X: float = 102.0


def _notes_below(ax: Axes, notes: list[str], *, legend: bool = False) -> None:
    """Lines of notes under the axes, below the x label (and the legend placed there),
    wrapped to the axes' width."""
    if not notes:
        return
    import textwrap

    # ax.figure, not get_figure(root=True): the root= argument is matplotlib 3.10+, the floor 3.7.
    fig = cast("Figure", ax.figure)
    height = ax.get_position().height * fig.get_figheight() * 72  # points
    width = ax.get_position().width * fig.get_figwidth() * 72
    below = 0.14 * height + 24 if legend else 40.0
    chars = max(20, int(width / (_NOTE_SIZE * _CHAR_EM)))
    ax.annotate(
        "\n".join(textwrap.fill(note, chars) for note in notes),
        (0, 0),
        xycoords="axes fraction",
        xytext=(0, -below),
        textcoords="offset points",
        ha="left",
        va="top",
        fontsize=_NOTE_SIZE,
        color="#222222",
        gid=BREAK_GID,
        annotation_clip=False,
    )


#: The notes' font size, and the widest average width of a character of DejaVu Sans (in
#: ems) in Vietnamese text: what wraps a note to the width of its axes.
_NOTE_SIZE: float = 7
_CHAR_EM: float = 0.62


def change(
    data: pd.DataFrame,
    *,
    indicator: str,
    year: int | None = None,
    level: Level = "district",
    lang: Lang = "vi",
    events: EventsLike = None,
    ax: Axes | None = None,
    **kwargs: Any,
) -> Axes:
    """Diverging bars of each area's change in percentage points since the previous year.

    The change is :func:`antq.yoy`'s shown change, the one the summary states;
    an area with none (a break with nothing comparable) has no bar, and a note
    under the chart says which and why.

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
    before = data[(data["year"] == year - 1) & (data["indicator"] == indicator)]
    if not (before["level"] == level).any():
        # A change chart of one year drew empty axes titled "2019–2020", saying nothing.
        raise NothingToDrawError(
            f"no {level} rows of {label(indicator, 'en')} in {year - 1} to compare {year} with",
            vi=f"không có số liệu năm {year - 1} của {label(indicator, 'vi')} để so sánh "
            f"với năm {year}",
        )
    changes = _shown_changes(data, indicator, year, level, events, lang)
    # Rounded below what is shown: a difference of float noise is no change, not a "−0,00" bar.
    d = changes["shown_change_pp"].dropna().round(9).sort_values()
    if d.empty:
        ax.set_yticks([])  # nothing compares: the note below says why
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
    _notes_below(ax, _change_notes(changes, year - 1, lang))
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
                _rate_text(v, lang),
                ha="center",
                va="center",
                fontsize=7,
                color="black" if light else "white",
            )


def _heatmap_rules(
    ax: Axes, sub: pd.DataFrame, rows: list[str], years: list[int], lang: Lang
) -> None:
    """Each event a rule between its two year columns over the rows it touches, tagged above
    the cells, with the key under the chart."""
    per_row = {area: _marks(grp, lang) for area, grp in sub.groupby("area", sort=False)}
    tags = _tags(list(per_row.values()))
    tagged: dict[int, list[str]] = {}
    n = len(rows)
    for i, area in enumerate(rows):
        for year, labels in per_row.get(area, {}).items():
            if year - 1 not in years:
                continue  # the first column: nothing before it to break from
            x = years.index(year) - 0.5
            # Rows run top to bottom: row i spans this part of the axes' height.
            ax.axvline(
                x,
                ymin=1 - (i + 1) / n,
                ymax=1 - i / n,
                gid=BREAK_GID,
                zorder=3,
                color="white",
                linewidth=3,
            )
            ax.axvline(
                x,
                ymin=1 - (i + 1) / n,
                ymax=1 - i / n,
                gid=BREAK_GID,
                zorder=4,
                color="#222222",
                linewidth=1.2,
            )
            found = tagged.setdefault(year, [])
            found += [tags[t] for t in labels if tags[t] not in found]
    top = blended_transform_factory(ax.transData, ax.transAxes)
    for year, marks in tagged.items():
        ax.text(
            years.index(year) - 0.5,
            1.0,
            "".join(marks),
            transform=top,
            ha="center",
            va="bottom",
            fontsize=8,
            color="#222222",
            gid=BREAK_GID,
            clip_on=False,
        )
    if tagged:
        _events_note_ax(
            ax, {t: tags[t] for t in tags if any(tags[t] in m for m in tagged.values())}, lang
        )


def heatmap(
    data: pd.DataFrame,
    *,
    indicator: str,
    level: Level = "district",
    lang: Lang = "vi",
    colorbar: bool = True,
    events: EventsLike = None,
    ax: Axes | None = None,
    **kwargs: Any,
) -> Axes:
    """Area × year rates as coloured cells with the values written in them, and a colour bar.

    An event between two years (:func:`antq.yoy`'s ``break``) is a rule between
    their columns, over the rows it touches, tagged ① ② … above the cells; the
    key is under the chart.

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
    events
        The user's known events (:func:`antq.read_events`).
    ax
        The Axes to draw on (default: the current one).
    **kwargs
        Passed to ``Axes.imshow`` (``cmap``, ``vmin``, ``vmax`` …).

    Examples
    --------
    >>> import antq, antq.plot as ap
    >>> with ap.style():
    ...     ax = ap.heatmap(antq.load("data/raw"), indicator="safe_commune")
    >>> len([t for t in ax.texts if t.get_gid() != ap.BREAK_GID])  # 9 × 10, Mỹ Lộc until 2023
    99
    >>> key = [t.get_text() for t in ax.texts if t.get_gid() == ap.BREAK_GID][-1]
    >>> key.split("   ")  # doctest: +NORMALIZE_WHITESPACE
    ['Đường dọc: ① sáp nhập vào Thành phố Nam Định, 1/9/2024',
     '② sắp xếp đơn vị hành chính cấp xã, 1/9/2024']
    >>> plt.close("all")
    """
    ax = ax if ax is not None else plt.gca()
    data, lang = _prepare(data, lang)
    sub = data[(data["indicator"] == indicator) & (data["level"] == level)]
    sub = _linked(sub, events, lang) if len(sub) else sub.assign(_break=None)
    sub = sub.assign(area=area_labels(sub))  # one row per unit, shared names told apart
    table = sub.pivot_table(
        index="area", columns="year", values="_pct", aggfunc="first", sort=False
    )
    if table.empty:
        raise _nothing_to_draw(data, None, indicator, level)
    # The years of the rows, not of the rates: a year whose rates are all missing is an
    # empty column, not cut off the axis that the events' rules stand on.
    years = list(range(int(sub["year"].min()), int(sub["year"].max()) + 1))
    values = table.reindex(columns=years).to_numpy(dtype=float)
    kw: dict[str, Any] = {"cmap": CMAP, "aspect": "auto"}
    kw.update(kwargs)
    image = ax.imshow(values, **kw)
    _cell_texts(ax, values, image, lang)
    _heatmap_rules(ax, sub, list(table.index), years, lang)
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
    # Room above the cells for the tags of the rules.
    ax.set_title(
        word("plot.heatmap", lang).format(label=label(indicator, lang)), loc="left", pad=14
    )
    return ax


def small_multiples(
    data: pd.DataFrame,
    *,
    indicator: str,
    level: Level = "district",
    ncols: int = 5,
    lang: Lang = "vi",
    events: EventsLike = None,
    **kwargs: Any,
) -> Figure:
    """One panel per area, shared axes; the level above drawn in grey in every panel.

    Lines stop at a break between units or criteria that do not compare
    (:func:`antq.yoy`); each event is a dashed rule in the panels it touches,
    tagged ① ② … above it, with the key under the figure.

    Parameters
    ----------
    data
        A tidy table.
    indicator
        The indicator code.
    level
        The level of the areas (one panel each); the level above is drawn in grey.
    ncols
        Panels per row.
    lang
        "vi" or "en".
    events
        The user's known events (:func:`antq.read_events`).
    **kwargs
        Passed to ``Axes.plot`` for each area's line.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import antq, antq.plot as ap
    >>> with ap.style():
    ...     fig = ap.small_multiples(antq.load("data/raw"), indicator="safe_school")
    >>> len(fig.axes)
    10
    >>> sorted({t.get_text() for t in fig.axes[0].texts})  # the city: criteria, then Mỹ Lộc
    ['①', '②']
    >>> plt.close("all")
    """
    data, lang = _prepare(data, lang)
    w = Words("plot", lang)
    sub = data[(data["indicator"] == indicator) & (data["level"] == level)]
    parent = data[(data["indicator"] == indicator) & (data["level"] == _parent_level(level))]
    if not sub["_pct"].notna().any():
        raise _nothing_to_draw(data, None, indicator, level)
    sub = _linked(sub, events, lang)
    if len(parent):  # one grey line: the area above with the most years (not its successor)
        parent = parent[parent["area"] == parent["area"].value_counts().idxmax()]
        parent = _linked(parent, events, lang)
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
    marks = {area: _marks(sub[sub["area"] == area], lang) for area in areas}
    tags = _tags(list(marks.values()))
    for ax, area in zip(axes.flat, areas, strict=False):
        if len(parent):
            ax.plot(*_segments(parent, years), color="#aaaaaa", linewidth=1.2)
        ax.plot(
            *_segments(sub[sub["area"] == area], years),
            color=PALETTE[0],
            marker="o",
            markersize=2.5,
            linewidth=1.8,
            **kwargs,
        )
        for year, labels in marks[area].items():
            _tagged_rule(ax, year - 0.5, "".join(tags[t] for t in labels))
        ax.set_title(area, fontsize=9, loc="left", fontweight="normal", pad=10)
        ax.yaxis.set_major_formatter(_tick_formatter(lang))
        # A panel is too narrow for every year: ticks at each, labels at a few.
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=3))
        ax.xaxis.set_minor_locator(FixedLocator(years))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{int(v)}"))
    for ax in list(axes.flat)[len(areas) :]:
        fig.delaxes(ax)
    fig.supylabel(w["rate"], fontsize=10)
    title = w["trend_ind"].format(label=label(indicator, lang))
    if len(parent):
        title += f" ({w['grey']}: {parent['area'].iloc[0]})"
    fig.suptitle(title, x=0.01, ha="left", fontweight="bold")
    fig.tight_layout()
    _events_note(fig, tags, lang)
    return fig
