"""Tables as a reader reads them: words for codes, Vietnamese numbers ("1.234", "94,75%").

For a notebook or a quick look: :func:`readable` returns a table of text, so
it shows the same in JupyterLab, in a terminal and pasted into Word, without
pandas' Styler (and its jinja2 dependency).
"""

from __future__ import annotations

import itertools
import re

import pandas as pd

from antq.numbers import format_decimal, format_int
from antq.schema import text_column
from antq.types import Lang, as_lang
from antq.vocab import label, word, words

__all__ = [
    "COUNT_CHANGE_COLUMNS",
    "MINUS",
    "PP_COLUMNS",
    "RATE_COLUMNS",
    "Readable",
    "area_labels",
    "readable",
]

#: Columns holding a rate as a fraction (0.9475): shown as a percentage ("94,75%").
RATE_COLUMNS: frozenset[str] = frozenset(
    {"rate", "rate_prev", "reported_rate", "achieved_growth", "shown_rate", "shown_rate_prev"}
)
#: Columns holding a change in percentage points: shown with their sign ("+1,25", "−0,30").
PP_COLUMNS: frozenset[str] = frozenset({"change_pp", "shown_change_pp"})
#: Columns holding a change of a count: shown with their sign ("+8.311", "−15").
COUNT_CHANGE_COLUMNS: frozenset[str] = frozenset({"change_n"})
#: Columns holding codes, and how each code becomes a word of ``lang``.
_CODES = {
    "level": lambda v, lang: word(f"level.{v}", lang),
    "indicator": label,
    "severity": lambda v, lang: word(f"severity.{v}", lang),
    "prev_basis": lambda v, lang: word(f"prev.{v}", lang),
}


#: The minus sign of typeset numbers, as the charts write it.
MINUS = "\u2212"


def _number(v: object, kind: str, lang: Lang) -> str:
    if v is None or pd.isna(v):
        return ""
    x = float(v)  # type: ignore[arg-type]
    if kind == "rate":
        text = format_decimal(abs(x) * 100, 2, lang) + "%"
    elif kind == "pp" or not x.is_integer():
        text = format_decimal(abs(x), 2, lang)
    else:
        text = format_int(int(abs(x)), lang)
    if x < 0 and text.strip("0.,%"):
        return MINUS + text
    return ("+" + text) if kind in ("pp", "change") and x > 0 else text


def _kind(name: object, percent: bool) -> str:
    if percent or name in RATE_COLUMNS:
        return "rate"
    if name in COUNT_CHANGE_COLUMNS:
        return "change"
    return "pp" if name in PP_COLUMNS else "number"


#: Columns of numbers that are names, not amounts: "13669" and "2015", never "13.669".
_AS_WRITTEN = {"year", "area_code"}


def _column(s: pd.Series, name: object, lang: Lang, percent: bool) -> pd.Series:
    if name in _CODES:
        return s.map(lambda v: _CODES[str(name)](v, lang) if pd.notna(v) else "")
    if name in _AS_WRITTEN:
        return text_column(s).fillna("")  # a table read back from CSV: 13669.0 is "13669"
    if not pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s):
        return s.astype("string").fillna("")
    kind = _kind(name, percent)
    return s.map(lambda v: _number(v, kind, lang)).astype("string")


def _head(name: object, lang: Lang) -> str:
    key = f"col.{name}"
    return word(key, lang) if key in words() else str(name)


#: A cell of a column of numbers as :func:`readable` writes them ("1.234", "−0,30", "94,75%").
_NUMBER_TEXT = re.compile(r"[+\u2212-]?[0-9][0-9.,]*%?")
#: Tables shown in one notebook get ids of their own: each one's column rules are its own.
_SHOWN = itertools.count(1)


class Readable(pd.DataFrame):
    """The table :func:`readable` returns: a DataFrame of text that a notebook shows with
    its words left-aligned and whole, its numbers right-aligned.

    JupyterLab right-aligns every cell and pandas cuts text at 50 characters, so a column
    of findings read "…không ô nào ở dòng 1–40, cột A–F ghi tên cột đơn vị ('Đơn vị', …"
    flush right; only the notebook display changes (``print`` and ``to_string`` as pandas).
    """

    @property
    def _constructor(self) -> type[Readable]:  # a slice of it is shown the same way
        return Readable

    def _repr_html_(self) -> str | None:
        with pd.option_context("display.max_colwidth", None):
            html = super()._repr_html_()
        if html is None:
            return None
        # Cells of a row: the index's header cells first, then one per column.
        first = self.index.nlevels + 1
        words = [
            f"#antq-t{{n}} {cell}:nth-child({first + i})"
            for i in range(self.shape[1])
            if not _all_numbers(self.iloc[:, i])
            for cell in ("td", "thead th")  # the column's header over it
        ]
        n = next(_SHOWN)
        rule = ", ".join(words).format(n=n)
        style = f"<style>{rule} {{ text-align: left; }}</style>" if words else ""
        return f'<div id="antq-t{n}">{style}{html}</div>'


def _all_numbers(column: pd.Series) -> bool:
    texts = column.dropna().astype(str)
    return bool(texts.map(lambda v: v == "" or _NUMBER_TEXT.fullmatch(v) is not None).all())


def readable(df: pd.DataFrame, *, lang: Lang = "vi", percent: bool = False) -> Readable:
    """``df`` as text a reader reads: codes as words, numbers written the Vietnamese way.

    Column names become the report's headers (``col.*`` of ``words.csv``);
    levels, indicators and severities become their names; counts get a
    thousands dot ("507.361"), rates (``rate``, ``rate_prev``,
    ``reported_rate``, ``achieved_growth``) become percentages ("94,75%"),
    changes in points get their sign ("+1,25", "−0,30"), negative numbers the
    minus sign (U+2212); missing values are left blank. A named index is
    treated as a column (an ``indicator`` index shows the indicators' names);
    an unnamed one becomes row numbers 1, 2, …. ``df`` is not modified.

    Parameters
    ----------
    df
        Any table: the tidy table, :func:`antq.yoy`, findings, a pivot.
    lang
        "vi" (default) or "en" ("507,361", "94.75%").
    percent
        Show every numeric column as a percentage (a pivot of rates).

    Returns
    -------
    Readable
        A DataFrame of text; a notebook shows its words left-aligned and whole.

    Examples
    --------
    >>> t = pd.DataFrame({"indicator": ["safe_school"], "achieved": [5027], "rate": [0.9225]})
    >>> readable(t).to_dict("records")
    [{'Chỉ tiêu': 'Nhà trường an toàn về ANTT', 'Số đạt': '5.027', 'Tỷ lệ': '92,25%'}]
    >>> readable(pd.DataFrame({"achieved_growth": [-0.0523], "change_pp": [-0.3]})).iloc[0].tolist()
    ['\u22125,23%', '\u22120,30']
    >>> readable(pd.DataFrame({"shown_change_pp": [1.25], "change_n": [8311]})).iloc[0].tolist()
    ['+1,25', '+8.311']
    >>> readable(t, lang="en").iloc[0].tolist()
    ['Schools safe for security and order', '5,027', '92.25%']
    >>> readable(pd.DataFrame({"year": [2023, 2024]}, index=[9, 11])).index.tolist()
    [1, 2]
    """
    lang = as_lang(lang)
    out = Readable(
        {i: _column(df.iloc[:, i], name, lang, percent) for i, name in enumerate(df.columns)}
    )
    out.columns = [_head(c, lang) for c in df.columns]
    if df.index.name is None:
        # Row labels of a filtered table mean nothing to a reader: rows are numbered 1, 2, …
        out.index = pd.RangeIndex(1, len(df) + 1)
        return out
    index = df.index.to_series()
    if df.index.name in _CODES:
        index = _column(index, df.index.name, lang, False)
    out.index = pd.Index(index.to_numpy(), name=_head(df.index.name, lang))
    return out


def area_labels(df: pd.DataFrame) -> pd.Series:
    """Each row's area as a reader can tell it apart: the name, and where the same name is
    borne by different units of the table, the enclosing unit in brackets.

    Two communes named "Xã Hồng Quang" (in Ý Yên and in Nam Trực) are two rows of a
    report, not one; a name only one unit bears stays as written.

    Parameters
    ----------
    df
        A table with ``area`` and, when present, ``district``, ``province`` and ``level``.

    Returns
    -------
    pd.Series
        Text, aligned with ``df``.

    Examples
    --------
    >>> t = pd.DataFrame({"area": ["Xã Hồng Quang", "Xã Hồng Quang", "Xã Yên Lợi"],
    ...                   "district": ["Huyện Ý Yên", "Huyện Nam Trực", "Huyện Ý Yên"]})
    >>> area_labels(t).tolist()
    ['Xã Hồng Quang (Huyện Ý Yên)', 'Xã Hồng Quang (Huyện Nam Trực)', 'Xã Yên Lợi']
    """
    area = df["area"].astype("string")
    keys = [c for c in ("level", "province", "district") if c in df.columns]
    if not keys or df.empty:
        return area
    # A unit is its official code where known (a commune keeps it when its district
    # changes, as Mỹ Lộc's did in 2024), else its place in the table.
    parts = [df[k].astype("string").fillna("") for k in keys]
    unit = parts[0].str.cat(parts[1:], sep="|") if len(parts) > 1 else parts[0]
    if "area_code" in df.columns:
        unit = df["area_code"].astype("string").where(df["area_code"].notna(), unit)
    if {"area_code", "level", "year"} <= set(df.columns):
        from antq.registry import uids

        # Better still the registry's unit: the Xã Minh Tân of 1/7/2025 kept the code of the
        # old one it absorbed, and is another unit (in a report, another row).
        found = uids(df)
        unit = found.where(found.notna(), unit)
    shared = pd.DataFrame({"area": area, "unit": unit}).groupby("area")["unit"].transform("nunique")
    parent = pd.Series(pd.NA, index=df.index, dtype="string")
    for col in ("province", "district"):  # the nearest enclosing unit wins
        if col in df.columns:
            parent = df[col].astype("string").where(df[col].notna(), parent)
    # One label per unit: its latest enclosing unit in the table.
    parent = parent.groupby(unit).transform("last")
    qualified = area + " (" + parent + ")"
    return area.where((shared <= 1) | parent.isna(), qualified)
