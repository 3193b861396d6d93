"""What each finding says: its cell, expected and found values, its message in each language.

The cases of ``test_validation.py`` say which rule fires; these pin what the
finding tells the clerk, and the branches the edges of ``test_tolerances.py``
do not reach (units that ceased or began, one side of a spike, two sheets of
one file, a rate of 0).
"""

from __future__ import annotations

import pandas as pd
from test_tolerances import table

import antq
from antq.validation import validate
from antq.validation.rates import whole_totals


def one(df: pd.DataFrame, rule: str, lang: str = "en") -> pd.Series:
    f = validate(df, rules=[rule], lang=lang)
    assert len(f) == 1, f[["rule", "message"]].to_string()
    return f.iloc[0]


# ---- counts ---------------------------------------------------------------------------------


def test_count_findings_state_expected_and_found():
    f = one(table(dict(achieved=-1)), "count")
    assert (f["rule"], f["expected"], f["found"]) == ("count.negative", ">= 0", "-1")
    f = one(table(dict(achieved=61, total=60)), "count")
    assert (f["expected"], f["found"]) == ("<= 60", "61")
    assert "Achieved (61) is above the total (60)" in f["message"]
    f = one(table(dict(achieved=3, total=0)), "count")
    assert (f["expected"], f["found"]) == (">= 3", "0")
    assert f["message"].startswith("3 units achieved but the total is 0")


# ---- coverage: units that did not exist are not missing ----------------------------------


def _code(name: str, year: int) -> str:
    return str(antq.area(name, year=year).code)


def test_a_unit_that_ceased_is_not_missing_after():
    ml, vb = "Huyện Mỹ Lộc", "Huyện Vụ Bản"
    rows = [
        dict(year=2023, area=ml, area_code=_code(ml, 2023)),
        dict(year=2023, area=vb, area_code=_code(vb, 2023)),
        dict(year=2024, area=vb, area_code=_code(vb, 2024)),
    ]
    assert validate(table(*rows), rules=["coverage.missing_area"]).empty
    # Without its code only the data can tell: missing.
    rows[0] = dict(year=2023, area=ml)
    f = one(table(*rows), "coverage.missing_area")
    assert (f["area"], f["expected"], f["found"]) == (ml, "2023, 2024", "2023")
    # With a code the registry does not know, likewise: missing.
    rows[0] = dict(year=2023, area=ml, area_code="99999")
    f = one(table(*rows), "coverage.missing_area")
    assert (f["area"], f["expected"], f["found"]) == (ml, "2023, 2024", "2023")


def test_a_unit_that_began_is_not_missing_before():
    hh = "Xã Hải Hậu"  # from 1 July 2025
    rows = [
        dict(year=2024, area="Xã Không Có Thật", level="commune", source="a.xlsx!S!B5"),
        dict(year=2025, area=hh, level="commune", area_code=_code(hh, 2025), source="b.xlsx!S!B7"),
    ]
    f = one(table(*rows), "coverage.missing_area")
    assert (f["area"], f["source"]) == ("Xã Không Có Thật", "a.xlsx!S!B5")
    assert "2025" in f["message"]


def test_every_unit_is_checked_after_one_that_is_not_missing():
    ml, vb, yy = "Huyện Mỹ Lộc", "Huyện Vụ Bản", "Huyện Ý Yên"
    rows = [
        dict(year=2023, area=ml, area_code=_code(ml, 2023)),  # ceased: not missing
        dict(year=2023, area=yy),
        dict(year=2023, area=vb),
        dict(year=2024, area=vb),
    ]
    f = validate(table(*rows), rules=["coverage.missing_area"])
    assert f["area"].tolist() == [yy]


# ---- denominators -------------------------------------------------------------------------


def test_inconsistent_totals_are_listed_in_the_language_of_the_run():
    base = dict(indicator="cultural_residential_area", achieved=80, total=1000)
    df = table(base, dict(indicator="five_no_residential_area", achieved=10, total=1001))
    f = one(df, "denominator", lang="vi")
    assert "1.000 (cultural_residential_area), 1.001 (five_no_residential_area)" in f["message"]
    assert "khu dân cư" in f["message"]


def test_a_jump_down_has_a_minus_sign():
    rows = [dict(year=y, achieved=1, total=t) for y, t in ((2019, 1000), (2020, 899))]
    assert one(table(*rows), "denominator.jump", lang="vi")["found"] == "−10,1%"


# ---- engine: which cell a finding points at -----------------------------------------------


def test_a_finding_points_at_its_own_cell_or_else_the_achieved_one():
    df = table(dict(achieved=3, total=0), dict(area="Huyện Vụ Bản", achieved=4, total=0))
    df = df.assign(total_source=["f.xlsx!S!C5", None])
    f = validate(df, rules=["count"]).sort_values("area")
    assert f["source"].tolist() == ["f.xlsx!S!C5", "f.xlsx!S!D6"]


# ---- history: what a spike finding says, and one side is not enough ------------------------


def _years(*values: tuple[int, int | None]) -> pd.DataFrame:
    rows = zip((2018, 2019, 2020), values, strict=True)
    return table(*[dict(year=y, achieved=a, total=t) for y, (a, t) in rows])


def test_a_rate_spike_shows_the_rates():
    f = one(_years((5000, 10000), (6001, 10000), (5000, 10000)), "history.spike")
    assert (f["found"], f["expected"]) == ("60.01%", "50.00% … 50.00%")
    f = one(_years((1000, None), (1501, None), (1000, None)), "history.spike", lang="vi")
    assert (f["found"], f["expected"]) == ("1.501", "1.000 … 1.000")


def test_a_count_spike_needs_both_sides():
    for values in (
        ((1000, None), (1600, None), (1400, None)),  # up 1,6 then down only 1,14
        ((999, None), (1500, None), (1000, None)),  # 1,5015 and exactly 1,5
        ((1000, None), (1500, None), (999, None)),
        ((1500, None), (1000, None), (1501, None)),  # exactly 1 / 1,5 and 0,6662
        ((1501, None), (1000, None), (1500, None)),
        ((800, None), (1000, None), (1600, None)),  # up from one, down from the other
    ):
        assert validate(_years(*values), rules=["history.spike"]).empty, values


# ---- rates ----------------------------------------------------------------------------------


def test_rate_findings_point_at_the_rate_cell_and_say_both_rates():
    df = table(dict(reported_rate=1.2)).assign(rate_source="f.xlsx!S!E5")
    f = one(df, "rate")
    assert (f["source"], f["expected"], f["found"]) == ("f.xlsx!S!E5", "<= 100%", "120%")
    df = table(dict(achieved=3321, total=3462, reported_rate=0.9475))
    f = one(df, "rate", lang="vi")
    assert "3.321/3.462 = 95,93%" in f["message"]


def test_a_rate_of_zero_is_not_checked():
    # A written 0 is what an empty rate cell reads as in some files: no finding.
    assert validate(table(dict(achieved=5, total=10, reported_rate=0.0)), rules=["rate"]).empty


def test_whole_totals():
    assert whole_totals(223, 0.9737) == ([229], 229)
    assert whole_totals(595, 0.9725) == ([], 612)
    assert whole_totals(0, 0.0) == ([1, 2, 3], 0)  # none of any total is 0%
    # 1 000 of 999 rounds to 100 % too, but no total is below the units achieved.
    assert whole_totals(1000, 1.0) == ([1000, 1001, 1002, 1003, 1004, 1005], 1000)


def test_nearest_totals_in_the_language_and_digits_of_the_rate():
    f = one(table(dict(achieved=5, total=None, reported_rate=0.3)), "rate", lang="vi")
    assert f["expected"] == "16 (31%), 17 (29%)"
    f = one(table(dict(achieved=2000, total=None, reported_rate=0.9725)), "rate", lang="vi")
    assert f["rule"] == "rate.no_whole_total" and f["expected"].startswith("2.056 (97,28%)")
    assert f["found"] == "97,25%"  # the rate as the file writes it
    f = one(table(dict(achieved=2000, total=None, reported_rate=0.9725)), "rate", lang="en")
    assert f["expected"].startswith("2,056 (97.28%)")


# ---- sums: each sheet of a file is its own table ------------------------------------------


def test_sums_are_checked_sheet_by_sheet():
    rows = [
        dict(area="Huyện Mỹ Lộc", achieved=5, total=10, source="f.xlsx!A!D5"),
        dict(area="Huyện Vụ Bản", achieved=6, total=10, source="f.xlsx!A!D6"),
        dict(area="Toàn tỉnh", level="province", achieved=12, total=20, source="f.xlsx!A!D7"),
        dict(area="Toàn tỉnh", level="province", achieved=30, total=40, source="f.xlsx!B!D9"),
    ]
    f = one(table(*rows), "sum")
    assert (f["source"], f["expected"], f["found"]) == ("f.xlsx!A!D7", "11", "12")


# ---- denominators: which row and cell the finding names -----------------------------------


def test_inconsistent_totals_name_the_first_row_and_its_total_cell():
    base = dict(indicator="cultural_residential_area", achieved=80, total=1000)
    df = table(base, dict(indicator="five_no_residential_area", achieved=10, total=1001))
    df = df.assign(total_source=["f.xlsx!S!C5", "f.xlsx!S!C6"])
    f = one(df, "denominator")
    assert (f["rule"], f["indicator"], f["source"]) == (
        "denominator.inconsistent",
        "cultural_residential_area",
        "f.xlsx!S!C5",
    )
    assert f["expected"] == "one total"


def test_an_implied_total_is_checked_on_every_row_and_points_at_the_rate():
    ra = "safe_residential_area"
    rows = [
        # Hải Hậu: no total of residential areas on its row: nothing to compare with.
        dict(indicator=ra, achieved=90, total=None, reported_rate=0.9474),
        dict(area="Huyện Vụ Bản", indicator="cultural_residential_area", achieved=80, total=100),
        dict(area="Huyện Vụ Bản", indicator=ra, achieved=90, total=None, reported_rate=0.9474),
    ]
    df = table(*rows).assign(rate_source=["f.xlsx!S!E5", None, "f.xlsx!S!E7"])
    f = one(df, "denominator")
    assert (f["rule"], f["area"], f["source"]) == (
        "denominator.implied",
        "Huyện Vụ Bản",
        "f.xlsx!S!E7",
    )
    assert (f["expected"], f["found"]) == ("100", "95")


def test_an_implied_total_is_checked_against_each_rows_own_total():
    """Two districts, each with one total of residential areas and a rate without total
    that implies another: each is reported, against its own district's total."""
    ra, cra = "safe_residential_area", "cultural_residential_area"
    rows = [
        dict(area="Huyện Hải Hậu", indicator=cra, achieved=80, total=100),
        dict(area="Huyện Hải Hậu", indicator=ra, achieved=90, total=None, reported_rate=0.9474),
        dict(area="Huyện Vụ Bản", indicator=cra, achieved=40, total=50),
        dict(area="Huyện Vụ Bản", indicator=ra, achieved=45, total=None, reported_rate=0.9783),
    ]
    f = validate(table(*rows), rules=["denominator"], lang="en")
    got = f.set_index("area")[["rule", "expected", "found"]]
    assert got.to_dict("index") == {
        "Huyện Hải Hậu": {"rule": "denominator.implied", "expected": "100", "found": "95"},
        "Huyện Vụ Bản": {"rule": "denominator.implied", "expected": "50", "found": "46"},
    }


def test_a_jump_message_names_the_year_before():
    rows = [dict(year=y, achieved=1, total=t) for y, t in ((2019, 1000), (2020, 1101))]
    f = one(table(*rows), "denominator.jump")
    assert "since 2019 (1,000 → 1,101)" in f["message"]


# ---- sums across files: a province's row against all its districts ------------------------


def test_a_province_row_against_all_its_districts(bundled):
    df = bundled[(bundled["year"] == 2020) & (bundled["indicator"] == "safe_agency")].copy()
    assert validate(df, rules=["sum.units"]).empty
    i = df.index[df["level"] == "district"][0]
    df.loc[i, "achieved"] += 1
    df.loc[i, "rate"] = df.loc[i, "achieved"] / df.loc[i, "total"]
    f = one(df, "sum.units", lang="vi")
    assert (f["rule"], f["level"]) == ("sum.mismatch", "province")
    top = df[df["level"] == "province"].iloc[0]
    assert (f["found"], f["expected"]) == (f"{top['achieved']}", f"{top['achieved'] + 1}")
    assert "các dòng huyện" in f["message"]


# ---- what the findings of known events name ---------------------------------------------

#: A user's event: the hamlets of the province merged in 2020.
_MERGED = pd.DataFrame({"date": ["2020"], "area": ["Tỉnh Nam Định"], "description": ["sáp nhập"]})


def test_a_jump_one_event_explains_names_its_unit_and_indicator():
    df = table(dict(year=2019, total=100), dict(year=2020, total=111))
    f = validate(df, events=_MERGED.assign(area="Huyện Hải Hậu"), lang="en")
    assert f["rule"].tolist() == ["denominator.jump_event"]
    row = f.iloc[0]
    assert (row["area"], row["level"], row["indicator"]) == (
        "Huyện Hải Hậu",
        "district",
        "safe_agency",
    )
    assert row["found"] == "Huyện Hải Hậu 100 → 111"


def test_a_jump_event_of_many_units_shows_three_and_counts_the_rest():
    names = ["Huyện Giao Thủy", "Huyện Hải Hậu", "Huyện Mỹ Lộc", "Huyện Nam Trực", "Huyện Vụ Bản"]
    rows = [
        dict(year=y, area=a, province="Tỉnh Nam Định", total=t, source=f"f.xlsx!S!D{i}{y}")
        for i, a in enumerate(names)
        for y, t in ((2019, 100), (2020, 150))
    ]
    f = validate(table(*rows), events=_MERGED, lang="en")
    assert f["rule"].tolist() == ["denominator.jump_event"]
    row = f.iloc[0]
    # Several units: the finding is about none of them alone.
    assert pd.isna(row["area"]) and pd.isna(row["level"])
    assert row["indicator"] == "safe_agency"
    assert "Huyện Mỹ Lộc 100 → 150 and 2 more" in row["message"]
    assert row["found"].count("→") == 5


def test_an_unmatched_event_points_at_the_events_file():
    f = validate(table(dict(year=2020)), events=_MERGED.assign(area="Huyện Hải Hâu"))
    assert f["rule"].tolist() == ["events.unmatched"]
    assert f["source"].iloc[0] == "events.csv"


def test_no_whole_total_points_at_the_rate_cell():
    df = table(dict(achieved=595, total=None, reported_rate=0.9725)).assign(rate_source="f!S!E5")
    f = one(df, "rate")
    assert (f["rule"], f["source"]) == ("rate.no_whole_total", "f!S!E5")


def test_a_unit_sum_of_totals_points_at_the_total_cell(bundled):
    df = bundled[(bundled["year"] == 2020) & (bundled["indicator"] == "safe_agency")].copy()
    # Agencies have no total column in the bundled books: give each district one, the
    # province their sum, and each total its cell; then one district's total is off by one.
    district = df["level"] == "district"
    df.loc[district, "total"] = df.loc[district, "achieved"] + 10
    df.loc[~district, "total"] = df.loc[district, "total"].sum()
    df["total_source"] = [f"t.xlsx!S!C{i}" for i in range(len(df))]
    assert validate(df, rules=["sum.units"]).empty
    df.loc[df.index[district][0], "total"] += 1
    f = one(df, "sum.units")
    top = df[~district].iloc[0]
    assert (f["level"], f["source"]) == ("province", top["total_source"])
    assert f["expected"] == f"{top['total'] + 1:,}"


def test_a_reused_code_is_the_unit_of_the_year_it_was_seen():
    # 37 was old Tỉnh Ninh Bình until 1/7/2025, then the new one: the old one, seen in 2023,
    # is not missing from 2025.
    rows = [
        dict(year=2023, area="Tỉnh Ninh Bình", level="province", area_code="37"),
        dict(year=2023, area="Tỉnh Khác", level="province"),
        dict(year=2025, area="Tỉnh Khác", level="province"),
    ]
    assert validate(table(*rows), rules=["coverage.missing_area"]).empty


def test_a_province_row_of_2025_against_all_its_communes(bundled):
    """From 1/7/2025 there are no districts: the province's row is the sum of its communes,
    and its finding says so (not "the district rows")."""
    df = bundled[(bundled["year"] == 2025) & (bundled["indicator"] == "safe_agency")].copy()
    assert set(df["level"]) == {"province", "commune"}
    assert validate(df, rules=["sum.units"]).empty
    i = df.index[df["level"] == "commune"][0]
    df.loc[i, "achieved"] += 1
    df.loc[i, "rate"] = df.loc[i, "achieved"] / df.loc[i, "total"]
    f = one(df, "sum.units")
    assert (f["rule"], f["level"]) == ("sum.mismatch", "province")
    assert "its commune rows add up to" in f["message"]
    assert "các dòng xã" in one(df, "sum.units", lang="vi")["message"]


# ---- coverage: every level is checked ------------------------------------------------------


def test_a_level_without_gaps_does_not_stop_the_check_of_the_next_level():
    # The province first, present in both years; then a district missing from 2020.
    top = dict(area="Tỉnh Nam Định", level="province")
    rows = [dict(top, year=y) for y in (2019, 2020)]
    rows += [dict(year=y, area="Huyện Mỹ Lộc") for y in (2019, 2020)]
    rows += [dict(year=2019, area="Huyện Vụ Bản")]
    f = one(table(*rows), "coverage.missing_area")
    assert (f["area"], f["level"], f["found"]) == ("Huyện Vụ Bản", "district", "2019")
    # Likewise after a level reported in one year only (communes of 2019).
    rows = [dict(year=2019, area="Xã Mỹ Hà", level="commune"), *rows[2:]]
    f = one(table(*rows), "coverage.missing_area")
    assert (f["area"], f["level"], f["found"]) == ("Huyện Vụ Bản", "district", "2019")


# ---- events: the registry's, and the user's that match nothing ----------------------------


def test_a_jump_of_a_unit_the_registry_merged_is_explained_by_the_merger():
    # Thành phố Nam Định took in Huyện Mỹ Lộc on 1/9/2024: its total jumps, no events.csv.
    name = "Thành phố Nam Định"
    rows = [
        dict(year=y, area=name, province="Tỉnh Nam Định", area_code=_code(name, y), total=t)
        for y, t in ((2023, 100), (2024, 150))
    ]
    f = one(table(*rows), "denominator.jump")
    assert (f["rule"], f["area"], f["year"]) == ("denominator.jump_event", name, 2024)
    assert f["expected"] == "merged into Thành phố Nam Định, 2024-09-01"
    assert f["found"] == "Thành phố Nam Định 100 → 150"


def test_an_unmatched_event_names_the_area_as_the_events_file_writes_it():
    events = _MERGED.assign(area="Huyện Hải Hâu")  # a typo of Hải Hậu
    f = validate(table(dict(year=2020)), events=events, rules=["events.unmatched"], lang="en")
    want = [["events.unmatched", "Huyện Hải Hâu", 2020]]
    assert f[["rule", "area", "year"]].values.tolist() == want
    assert f["found"].tolist() == ["Huyện Hải Hâu"]
