"""Validation of a rebuild: each rule re-run only where the changed rows can change a finding.

A rule judges rows in groups: the sum of a table's rows against their parent row
in that table, a unit's totals of one year, the series of one unit and indicator
across years, a parent against all its units one level down wherever read. Its
findings over a table are the union of its findings over its groups. When some
workbooks change, only the groups holding a row of theirs (as read before, or
now) can change their findings, so the rule is run on the rows of those groups,
in the previous table and in the new one: the new findings are the previous ones,
less those of the groups before, plus those of the groups now.

Each rule says which groups it judges (:data:`SCOPES`); a rule without a scope,
a finding that sums up several groups (``denominator.jump_event`` names every
jump one event explains), or a change of what a rule sees of the whole table
(the years each level is reported in, for ``coverage.missing_area``) runs the
rule on the whole table again.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from antq._memory import release_free_memory
from antq.findings import Finding
from antq.schema import KEY, TIDY_COLUMNS, as_tidy
from antq.validation.engine import RULES, WITH_EVENTS

__all__ = ["SCOPES", "Scope", "Tables", "revalidate", "rule_findings"]

_SERIES = ("province", "district", "area", "level", "indicator")
_UNIT_YEAR = ("year", "province", "district", "area", "level")


def _columns(*cols: str) -> Callable[[pd.DataFrame], list[pd.DataFrame]]:
    def roles(df: pd.DataFrame) -> list[pd.DataFrame]:
        return [df[list(cols)]]

    return roles


def _parents_and_children(df: pd.DataFrame) -> list[pd.DataFrame]:
    """``sum.units``: a row is a child of its district (a commune) or province, and the parent
    of the units under it (a province or district); keyed (year, indicator, level, name)."""
    commune = (df["level"] == "commune").fillna(False).to_numpy()
    under_district = commune & df["district"].notna().to_numpy()
    child = pd.DataFrame(
        {
            "year": df["year"],
            "indicator": df["indicator"],
            "plevel": np.where(under_district, "district", "province"),
            "name": df["district"].where(under_district, df["province"]),
        }
    )
    child.loc[(df["level"] == "province").fillna(True).to_numpy(), "name"] = pd.NA
    parent = pd.DataFrame(
        {
            "year": df["year"],
            "indicator": df["indicator"],
            "plevel": df["level"].astype(object),
            "name": df["area"].where(~commune),
        }
    )
    return [child, parent]


@dataclass(frozen=True)
class Scope:
    """The groups a rule judges together.

    ``roles`` gives each row's group keys, one frame per role (a row of a frame with
    a missing ``name`` is in no group of that role); ``pick`` are the table's columns
    holding ``name`` values, to find a group's rows without keying the whole table.
    ``aggregates`` are findings that sum up several groups: when one appears, the
    rule runs on the whole table. ``whole`` is what the rule sees of the whole table
    (it runs on the whole table again when that changes); a rule without ``roles``
    sees nothing else, and keeps its findings while ``whole`` stays the same.
    """

    roles: Callable[[pd.DataFrame], list[pd.DataFrame]] | None
    name: str = "area"
    pick: tuple[str, ...] = ("area",)
    aggregates: frozenset[str] = frozenset()
    whole: Callable[[pa.Table], object] | None = None
    #: How to run the rule on a part of the table, when it needs ``whole(table)`` to judge
    #: it: ``run(part, whole(table))`` (default: as on a table of its own).
    run: Callable[[pd.DataFrame, Any], list[Finding]] | None = None


def _names(table: pa.Table) -> object:
    return sorted(
        {v for c in ("area", "province", "district") for v in pc.unique(table[c]).to_pylist()},
        key=str,
    )


def _years_by_level(table: pa.Table) -> dict[str, list[int]]:
    pairs = table.group_by(["level", "year"]).aggregate([])
    out: dict[str, list[int]] = {}
    for level, year in zip(pairs["level"].to_pylist(), pairs["year"].to_pylist(), strict=True):
        if level is not None:
            out.setdefault(level, []).append(int(year))
    return {level: sorted(years) for level, years in sorted(out.items())}


def _missing_areas(part: pd.DataFrame, years: Any) -> list[Finding]:
    from antq.validation.coverage import missing_areas

    return missing_areas(_work(part, checked=True), years=years)


_BY_TABLE = Scope(_columns("table"), name="table", pick=("table",))
_BY_SERIES = _columns(*_SERIES)

#: Rule code → the groups it judges. A rule not listed runs on the whole table.
SCOPES: dict[str, Scope] = {
    "count": _BY_TABLE,
    "rate": _BY_TABLE,
    "sum": _BY_TABLE,
    "denominator": Scope(_columns(*_UNIT_YEAR)),
    "duplicate": Scope(_columns(*KEY)),
    "history.spike": Scope(_BY_SERIES),
    "denominator.jump": Scope(_BY_SERIES, aggregates=frozenset({"denominator.jump_event"})),
    "coverage.missing_area": Scope(
        _columns("level", "province", "district", "area"),
        whole=_years_by_level,
        run=_missing_areas,
    ),
    "sum.units": Scope(_parents_and_children, name="name", pick=("area", "district", "province")),
    # The user's events against the names of the table: nothing else.
    "events.unmatched": Scope(None, whole=_names),
}


def _work(df: pd.DataFrame, checked: bool = False) -> pd.DataFrame:
    """The table as :func:`antq.validation.run_rules` hands it to the rules; ``checked``: rows
    of a table that was (its columns already have the contract's dtypes)."""
    detail = [c for c in df.columns if c not in TIDY_COLUMNS]
    tidy = df[list(TIDY_COLUMNS)] if checked else as_tidy(df, require_source=False, unique=False)
    return tidy.join(df[detail]) if detail else tidy


def rule_findings(
    df: pd.DataFrame,
    events: pd.DataFrame,
    codes: list[str] | None = None,
    *,
    checked: bool = False,
) -> dict[str, list[Finding]]:
    """Each rule's findings over ``df``, as the rule gives them (not yet made unique).

    Examples
    --------
    >>> import antq
    >>> found = rule_findings(antq.read("data/raw").table, antq.read_events("data/raw"))
    >>> sorted(code for code, f in found.items() if f)
    ['denominator.jump', 'rate']
    """
    work = _work(df, checked)
    out = {}
    for code, fn in RULES.items():
        if codes is None or code in codes:
            out[code] = fn(work, events=events) if code in WITH_EVENTS else fn(work)
            release_free_memory()  # a rule's work on a national table: before the next rule's
    return out


@dataclass
class Tables:
    """The previous table and the new one (Arrow, detail columns), and which of their rows
    belong to the workbooks that changed."""

    old: pa.Table
    new: pa.Table
    old_changed: np.ndarray
    new_changed: np.ndarray
    to_pandas: Callable[[pa.Table], pd.DataFrame]
    _changed: dict[str, pd.DataFrame] = field(default_factory=dict)
    _whole: pd.DataFrame | None = None
    #: The rows of the affected groups, old and new, by the scope's roles, name and pick.
    _groups: dict[tuple[object, ...], tuple[pd.DataFrame, pd.DataFrame]] = field(
        default_factory=dict
    )

    #: Rows of a table whose pick columns hold one of some names, as pandas: scopes that
    #: look for the same names share them (one pass over a million rows, not one each).
    _candidates: dict[tuple[int, tuple[str, ...], frozenset[object]], pd.DataFrame] = field(
        default_factory=dict
    )

    def groups(self, scope: Scope) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The rows of the groups holding a changed row, in the old table and the new."""
        key = (scope.roles, scope.name, scope.pick)
        if key not in self._groups:
            affected = _affected(scope, self)
            self._groups[key] = (
                _rows(self.old, scope, affected, self.candidates),
                _rows(self.new, scope, affected, self.candidates),
            )
        return self._groups[key]

    def candidates(
        self, table: pa.Table, pick: tuple[str, ...], names: frozenset[object]
    ) -> pd.DataFrame:
        key = (id(table), pick, names)
        if key not in self._candidates:
            if not names or not table.num_rows:
                self._candidates[key] = self.to_pandas(table.slice(0, 0))
            else:
                values = pa.array(sorted(names, key=str))
                mask = None
                for col in pick:
                    hit = pc.is_in(table[col], value_set=values.cast(table.schema.field(col).type))
                    mask = hit if mask is None else pc.or_(mask, hit)
                self._candidates[key] = self.to_pandas(table.filter(pc.fill_null(mask, False)))
        return self._candidates[key]

    def changed(self, which: str) -> pd.DataFrame:
        if which not in self._changed:
            table = self.old if which == "old" else self.new
            mask = self.old_changed if which == "old" else self.new_changed
            self._changed[which] = self.to_pandas(table.filter(pa.array(mask)))
        return self._changed[which]

    def whole(self) -> pd.DataFrame:
        if self._whole is None:
            self._whole = self.to_pandas(self.new)
        return self._whole


def _affected(scope: Scope, tables: Tables) -> pd.DataFrame:
    assert scope.roles is not None
    keys = [
        role.dropna(subset=[scope.name])
        for which in ("old", "new")
        for role in scope.roles(tables.changed(which))
    ]
    keys = [k.astype(object) for k in keys if len(k)]
    if not keys:
        return pd.DataFrame()
    return pd.concat(keys, ignore_index=True).drop_duplicates()


def _rows(
    table: pa.Table,
    scope: Scope,
    affected: pd.DataFrame,
    candidates: Callable[[pa.Table, tuple[str, ...], frozenset[object]], pd.DataFrame],
) -> pd.DataFrame:
    """The rows of ``table`` in the groups of ``affected``."""
    names = frozenset(affected[scope.name].dropna().unique().tolist()) if len(affected) else None
    found = candidates(table, scope.pick, names or frozenset())
    if not names or found.empty:
        return found.iloc[:0]
    inside = np.zeros(len(found), dtype=bool)
    assert scope.roles is not None
    for role in scope.roles(found):
        inside |= _member(role, affected)
    return found[inside]


def _member(keys: pd.DataFrame, wanted: pd.DataFrame) -> np.ndarray:
    """Whether each row of ``keys`` is a row of ``wanted`` (its columns), a missing value
    equal to a missing value, as a merge has it.

    Each column's values are numbered over both frames together and the numbers of a row
    combined into one, numbered again: a merge on text columns cost a rebuild's validation
    a third of its time.

    Examples
    --------
    >>> keys = pd.DataFrame({"area": ["Xã A", "Xã A", None], "year": [2020, 2021, 2020]})
    >>> _member(keys, pd.DataFrame({"area": ["Xã A", None], "year": [2021, 2020]})).tolist()
    [False, True, True]
    """
    n = len(keys)
    code = np.zeros(n + len(wanted), dtype=np.int64)
    for c in wanted.columns:
        both = pd.concat([keys[c].astype(object), wanted[c].astype(object)], ignore_index=True)
        numbers, uniques = pd.factorize(both, use_na_sentinel=False)
        # Numbered again after each column: the combined number stays below the rows' count.
        code, _ = pd.factorize(code * len(uniques) + numbers)
    return np.isin(code[:n], code[n:])


def revalidate(
    tables: Tables,
    previous: dict[str, list[Finding]],
    events: pd.DataFrame,
) -> tuple[dict[str, list[Finding]], dict[str, str]]:
    """Each rule's findings over the new table, from its findings over the previous one.

    Returns the findings by rule, and for each rule how they were found: "groups" (re-run
    on the groups the changed rows are in) or "whole" (on the whole table).
    """
    out: dict[str, list[Finding]] = {}
    how: dict[str, str] = {}
    for code in RULES:
        scope = SCOPES.get(code)
        found = None
        if scope is not None and code in previous:
            found = _in_groups(code, scope, tables, previous[code], events)
        if found is None:
            found = rule_findings(tables.whole(), events, [code])[code]
            how[code] = "whole"
        else:
            how[code] = "groups"
        out[code] = found
    return out, how


def _in_groups(
    code: str,
    scope: Scope,
    tables: Tables,
    before: list[Finding],
    events: pd.DataFrame,
) -> list[Finding] | None:
    """The rule's new findings by its groups, or None when it must see the whole table."""
    if scope.whole is not None and scope.whole(tables.old) != scope.whole(tables.new):
        return None
    if scope.roles is None:
        return before
    old, new = tables.groups(scope)
    if scope.run is not None:
        assert scope.whole is not None
        seen = scope.whole(tables.new)  # the same before: checked above
        gone = scope.run(old, seen) if len(old) else []
        came = scope.run(new, seen) if len(new) else []
    else:
        gone = rule_findings(old, events, [code], checked=True)[code] if len(old) else []
        came = rule_findings(new, events, [code], checked=True)[code] if len(new) else []
    if any(f.rule in scope.aggregates for f in (*before, *gone, *came)):
        return None
    left = Counter(gone)
    kept = []
    for f in before:
        if left[f] > 0:
            left[f] -= 1
        else:
            kept.append(f)
    if +left:
        return None  # a finding of the groups that was not found before: not decomposable
    return kept + came
