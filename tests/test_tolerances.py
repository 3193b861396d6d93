"""Every named tolerance of the checks, just inside and just outside its edge.

The tolerances are the constants of ``antq/validation/*`` and the
``denominator_jump`` column of ``antq/data/units.csv``. Each case is written
with its numbers, not computed from the constant, so that a changed constant
(three times the spike threshold, ten times a jump limit) fails here.
"""

from __future__ import annotations

import pandas as pd
import pytest

import antq
from antq.validation import validate
from antq.validation.engine import RATE_EPS
from antq.validation.history import SPIKE_PP, SPIKE_RATIO
from antq.validation.rates import NEAREST, SCALE_FACTOR, SCALE_SLACK, rate_consistent
from antq.vocab import indicators, units


def table(*rows: dict[str, object]) -> pd.DataFrame:
    """Tidy rows of one district's agencies in 2020 unless a row says otherwise."""
    out = []
    for i, r in enumerate(rows):
        base: dict[str, object] = dict(
            year=2020,
            area="Huyện Hải Hậu",
            level="district",
            indicator="safe_agency",
            achieved=50,
            total=60,
            reported_rate=None,
            source=f"f.xlsx!S!D{i + 5}",
        )
        base.update(r)
        out.append(base)
    return antq.as_tidy(pd.DataFrame(out), unique=False)


def rules_of(df: pd.DataFrame, rules: list[str] | None = None) -> list[str]:
    return validate(df, rules=rules)["rule"].tolist()


def test_the_constants_are_the_documented_ones():
    # The edges below are written for these values; change both together.
    assert (SPIKE_PP, SPIKE_RATIO) == (10.0, 1.5)
    assert (SCALE_FACTOR, SCALE_SLACK, NEAREST, RATE_EPS) == (100.0, 0.05, 2, 1e-9)
    assert {u: x.denominator_jump for u, x in units().items()} == {
        "residential_area": 0.05,
        "household": 0.10,
        "commune": 0.05,
        "agency": 0.10,
        "school": 0.10,
        "enterprise": 0.25,
    }


# ---- history.spike: SPIKE_PP (rate, percentage points) and SPIKE_RATIO (counts) ------------


def _three_years(values: list[tuple[int, int | None]]) -> pd.DataFrame:
    return table(
        *[
            dict(year=y, achieved=a, total=t)
            for y, (a, t) in zip((2018, 2019, 2020), values, strict=True)
        ]
    )


@pytest.mark.parametrize(
    "middle, spike",
    [
        (6001, True),  # 60,01% between 50% and 50%: 10,01 points from both
        (5999, False),  # 9,99 points
        (6000, False),  # exactly 10 points (60% − 50% is 10.0 in floats too): not more
        (3999, True),  # down 10,01 points
        (4001, False),
        (4000, False),
    ],
)
def test_rate_spike_edge(middle, spike):
    df = _three_years([(5000, 10000), (middle, 10000), (5000, 10000)])
    assert rules_of(df, ["history.spike"]) == (["history.spike"] if spike else [])


def test_rate_spike_needs_both_sides_beyond_the_edge():
    # Up 10,01 from 2018 but only 9,99 from 2020: a step, not a spike.
    df = _three_years([(5000, 10000), (6001, 10000), (5002, 10000)])
    assert rules_of(df, ["history.spike"]) == []
    # Up from one side and down from the other: a trend.
    df = _three_years([(4000, 10000), (5500, 10000), (7000, 10000)])
    assert rules_of(df, ["history.spike"]) == []


@pytest.mark.parametrize(
    "middle, spike",
    [
        (1501, True),  # 1,501 times both neighbours
        (1500, False),  # exactly 1,5 times
        (666, True),  # 1000 / 666 = 1,5015
        (667, False),  # 1000 / 667 = 1,4993
    ],
)
def test_count_spike_edge(middle, spike):
    df = _three_years([(1000, None), (middle, None), (1000, None)])
    assert rules_of(df, ["history.spike"]) == (["history.spike"] if spike else [])


def test_count_spike_message_names_both_neighbours():
    df = _three_years([(1000, None), (1501, None), (1000, None)])
    f = validate(df, rules=["history.spike"], lang="en")
    assert f["year"].tolist() == [2019] and f["found"].tolist() == ["1,501"]
    assert "2018 (1,000)" in f["message"].iloc[0] and "2020 (1,000)" in f["message"].iloc[0]


def test_a_count_of_zero_is_no_spike_base():
    df = _three_years([(0, None), (1000, None), (0, None)])
    assert rules_of(df, ["history.spike"]) == []


# ---- denominator.jump: units.csv denominator_jump, per unit ------------------------------

#: (indicator, total the year before, the largest total within the limit): one per unit.
JUMP_EDGES = [
    ("safe_residential_area", 1000, 1050),  # residential areas: 5%
    ("cultural_family", 1000, 1100),  # households: 10%
    ("safe_commune", 1000, 1050),  # communes: 5%
    ("safe_agency", 1000, 1100),  # agencies: 10%
    ("safe_school", 1000, 1100),  # schools: 10%
    ("safe_enterprise", 1000, 1250),  # enterprises: 25%
]


def test_jump_edges_cover_every_unit():
    assert {indicators()[i].unit for i, _, _ in JUMP_EDGES} == set(units())


@pytest.mark.parametrize("indicator, before, edge", JUMP_EDGES)
def test_denominator_jump_edge(indicator, before, edge):
    def rules(after: int) -> list[str]:
        rows = [
            dict(indicator=indicator, year=y, achieved=1, total=t)
            for y, t in ((2019, before), (2020, after))
        ]
        return rules_of(table(*rows), ["denominator.jump"])

    down = 2 * before - edge  # the same change downwards
    assert rules(edge) == [] and rules(down) == []
    assert rules(edge + 1) == ["denominator.jump"]
    assert rules(down - 1) == ["denominator.jump"]


def test_denominator_jump_message():
    rows = [dict(year=y, achieved=1, total=t) for y, t in ((2019, 1000), (2020, 1101))]
    f = validate(table(*rows), rules=["denominator.jump"], lang="en")
    assert f["expected"].tolist() == ["within ±10%"] and f["found"].tolist() == ["+10.1%"]
    assert f["source"].tolist() == ["f.xlsx!S!D6"]


def test_no_jump_from_a_total_of_zero_or_a_gap_year():
    zero = [dict(year=y, achieved=0, total=t) for y, t in ((2019, 0), (2020, 500))]
    assert rules_of(table(*zero), ["denominator.jump"]) == []
    gap = [dict(year=y, achieved=1, total=t) for y, t in ((2018, 100), (2020, 500))]
    assert rules_of(table(*gap), ["denominator.jump"]) == []


# ---- rate.wrong_scale: SCALE_FACTOR × (1 ± SCALE_SLACK) ----------------------------------


@pytest.mark.parametrize(
    "reported, rule",
    [
        (0.004770, "rate.wrong_scale"),  # 50% / 0,477% = 104,8 times
        (0.004750, "rate.mismatch"),  # 105,3 times
        (0.005260, "rate.wrong_scale"),  # 95,1 times
        (0.005270, "rate.mismatch"),  # 94,9 times
        (0.005, "rate.wrong_scale"),  # exactly 100 times
    ],
)
def test_wrong_scale_band(reported, rule):
    assert rules_of(table(dict(achieved=50, total=100, reported_rate=reported))) == [rule]


def test_wrong_scale_needs_something_achieved():
    # 0 achieved: any positive rate is a mismatch, never "the wrong scale".
    assert rules_of(table(dict(achieved=0, total=100, reported_rate=0.005))) == ["rate.mismatch"]


# ---- rates: the digits shown (rounded or cut) and RATE_EPS -------------------------------


@pytest.mark.parametrize(
    "reported, fits",
    [
        (0.9738, True),  # 223 / 229 = 97,379…: rounded to two decimals
        (0.9737, True),  # cut to two decimals
        (0.9739, False),  # one step above
        (0.9736, False),  # one step below
        (0.974, True),  # one decimal, rounded
        (0.973, True),  # one decimal, cut
        (0.975, False),
        (0.972, False),
        (0.97, True),  # no decimals, cut (97,38 → 97)
        (0.98, False),
    ],
)
def test_rate_fits_the_digits_it_shows(reported, fits):
    assert rate_consistent(223, 229, reported) is fits
    got = rules_of(table(dict(achieved=223, total=229, reported_rate=reported)), ["rate"])
    assert got == ([] if fits else ["rate.mismatch"])


def test_exact_rates_fit_despite_float_noise():
    # 1/3 written as 33,33%; 2/3 as 66,67%; 7/10 as 70% (0.7 * 100 = 70.00000000000001).
    for a, t, r in ((1, 3, 0.3333), (2, 3, 0.6667), (7, 10, 0.7), (29, 100, 0.29)):
        assert rate_consistent(a, t, r), (a, t, r)
        assert rules_of(table(dict(achieved=a, total=t, reported_rate=r)), ["rate"]) == []


def test_a_rate_of_exactly_100_is_not_above_100():
    assert rules_of(table(dict(achieved=60, total=60, reported_rate=1.0)), ["rate"]) == []
    assert rules_of(table(dict(achieved=60, total=60, reported_rate=1.0001)), ["rate"]) == [
        "rate.above_100"
    ]


def test_no_whole_total_lists_nearest_totals():
    f = validate(table(dict(achieved=595, total=None, reported_rate=0.9725)), lang="en")
    assert f["rule"].tolist() == ["rate.no_whole_total"]
    assert f["expected"].iloc[0] == "611 (97.38%), 612 (97.22%)"  # NEAREST = 2 totals


def test_a_rate_without_total_fits_a_whole_total_two_away():
    # 90 / 0.9474 implies 95,0; 95 gives 94,74% (rounded): fine.
    assert rules_of(table(dict(achieved=90, total=None, reported_rate=0.9474)), ["rate"]) == []


# ---- counts: achieved against total, zero and negative -----------------------------------


@pytest.mark.parametrize(
    "achieved, total, rule",
    [
        (60, 60, None),
        (61, 60, "count.achieved_above_total"),
        (0, 0, None),
        (1, 0, "count.total_zero"),
        (0, 60, None),
        (-1, 60, "count.negative"),
        (0, -1, "count.negative"),
    ],
)
def test_count_edges(achieved, total, rule):
    assert rules_of(table(dict(achieved=achieved, total=total)), ["count"]) == (
        [rule] if rule else []
    )


def test_negative_total_points_at_the_total_cell():
    df = table(dict(achieved=0, total=-1)).assign(total_source="f.xlsx!S!C5")
    f = validate(df, rules=["count"])
    assert f["source"].tolist() == ["f.xlsx!S!C5"] and f["found"].tolist() == ["-1"]
