import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from antq.metrics.yoy import YOY_COLUMNS, yoy, yoy_parts
from antq.schema import as_tidy


def _tidy(rows):
    df = pd.DataFrame(rows, columns=["year", "achieved", "total"])
    df["area"] = "Huyện Hải Hậu"
    df["level"] = "district"
    df["indicator"] = "safe_agency"
    df["reported_rate"] = pd.NA
    df["source"] = [f"f.xlsx!S!D{y}" for y in df["year"]]
    return as_tidy(df)


def test_hand_computed_changes():
    out = yoy(_tidy([(2018, 40, 50), (2019, 45, 50)]))
    assert list(out.columns) == list(YOY_COLUMNS)
    row = out[out["year"] == 2019].iloc[0]
    assert row["achieved_prev"] == 40 and row["total_prev"] == 50
    assert row["rate_prev"] == pytest.approx(0.8)
    assert row["change_pp"] == pytest.approx(10.0)  # 90% − 80%
    assert row["achieved_growth"] == pytest.approx(0.125)  # 45 / 40 − 1


def test_missing_year_gives_na_not_older_year():
    out = yoy(_tidy([(2017, 30, 50), (2019, 45, 50)])).set_index("year")
    assert pd.isna(out.loc[2019, "achieved_prev"])
    assert pd.isna(out.loc[2019, "rate_prev"])
    assert pd.isna(out.loc[2019, "change_pp"])
    assert pd.isna(out.loc[2017, "achieved_prev"])


def test_zero_previous_count_gives_na_growth():
    out = yoy(_tidy([(2018, 0, 50), (2019, 5, 50)])).set_index("year")
    assert pd.isna(out.loc[2019, "achieved_growth"])
    assert out.loc[2019, "change_pp"] == pytest.approx(10.0)


def test_series_are_kept_apart():
    a = _tidy([(2018, 40, 50), (2019, 45, 50)])
    b = a.assign(area="Huyện Mỹ Lộc", achieved=a["achieved"] - 20)
    b["rate"] = (b["achieved"] / b["total"]).astype("Float64")
    out = yoy(pd.concat([a, b], ignore_index=True))
    ml = out[(out["area"] == "Huyện Mỹ Lộc") & (out["year"] == 2019)].iloc[0]
    assert ml["achieved_prev"] == 20


def test_bundled_province_2020(bundled_tidy):
    out = yoy(bundled_tidy)
    row = out.query(
        "year == 2020 and level == 'province' and indicator == 'safe_residential_area'"
    ).iloc[0]
    assert (row["achieved"], row["achieved_prev"]) == (3321, 3553)
    assert (row["total"], row["total_prev"]) == (3462, 3800)
    assert row["change_pp"] == pytest.approx((3321 / 3462 - 3553 / 3800) * 100)


def test_changes_are_nullable_floats_and_sorted_by_series():
    a = _tidy([(2019, 45, 50), (2018, 40, 50)])
    b = a.assign(indicator="safe_school")
    out = yoy(pd.concat([b, a], ignore_index=True))
    assert str(out["change_pp"].dtype) == "Float64"
    assert str(out["achieved_growth"].dtype) == "Float64"
    assert out[["indicator", "year"]].values.tolist() == [
        ["safe_agency", 2018],
        ["safe_agency", 2019],
        ["safe_school", 2018],
        ["safe_school", 2019],
    ]
    assert out.index.tolist() == [0, 1, 2, 3]


def test_a_table_without_sources_is_compared():
    # A table put together by hand (or read back from a CSV) may have no source column.
    out = yoy(_tidy([(2018, 40, 50), (2019, 45, 50)]).drop(columns=["source"]))
    assert out.loc[out["year"] == 2019, "achieved_prev"].tolist() == [40]


def test_shown_rate_prefers_the_rate_written_in_the_file():
    from antq.metrics.rates import shown_rate, shown_rates

    df = pd.DataFrame({"reported_rate": [0.9475, None, None], "rate": [0.9593, 0.5, None]}).astype(
        "Float64"
    )
    shown = shown_rates(df)
    assert str(shown.dtype) == "Float64"
    assert shown.iloc[:2].tolist() == [0.9475, 0.5] and pd.isna(shown.iloc[2])
    rows = df.astype(object).where(df.notna(), None).to_dict("records")
    assert [shown_rate(r) for r in rows] == [0.9475, 0.5, None]
    assert shown_rate({"reported_rate": float("nan"), "rate": 0.25}) == 0.25
    assert shown_rate({"reported_rate": pd.NA}) is None
    assert isinstance(shown_rate({"reported_rate": 1, "rate": None}), float)


def test_prev_basis_says_what_a_row_was_compared_with():
    out = yoy(_tidy([(2017, 30, 50), (2018, 40, 50), (2019, 45, 50)])).set_index("year")
    assert pd.isna(out.loc[2017, "prev_basis"])  # nothing the year before
    assert out.loc[2018, "prev_basis"] == "same" and out.loc[2019, "prev_basis"] == "same"
    assert out["break"].isna().all() and out["prev_areas"].isna().all()


def _districts(rows):
    """A tidy table of districts with their registry codes: (year, area, achieved, total)."""
    import antq

    df = pd.DataFrame(rows, columns=["year", "area", "achieved", "total"])
    df["area_code"] = [str(antq.area(a, year=y).code) for y, a, *_ in rows]
    df["level"] = "district"
    df["indicator"] = "safe_agency"
    df["reported_rate"] = pd.NA
    df["source"] = [f"f.xlsx!S!D{i}" for i in range(len(df))]
    return as_tidy(df)


def test_a_merged_unit_is_compared_with_its_parts_summed():
    rows = [
        (2023, "Thành phố Nam Định", 40, 50),
        (2023, "Huyện Mỹ Lộc", 20, 30),
        (2024, "Thành phố Nam Định", 70, 80),
    ]
    df = _districts(rows)
    out = yoy(df, lang="en")
    row = out[(out["year"] == 2024)].iloc[0]
    assert (row["achieved_prev"], row["total_prev"]) == (60, 80)
    assert row["prev_basis"] == "harmonised"
    assert row["prev_areas"] == "Thành phố Nam Định + Huyện Mỹ Lộc"
    assert row["break"] == "merged into Thành phố Nam Định, 2024-09-01"
    assert row["break_code"] == "area.merged:2024-09-01"
    assert row["change_pp"] == pytest.approx((70 / 80 - 60 / 80) * 100)


def test_a_merged_unit_whose_part_is_missing_is_not_compared_with_itself_alone():
    """Thành phố Nam Định 2024 holds Mỹ Lộc: without Mỹ Lộc's 2023 row there is nothing to
    compare it with, least of all the city of 2023 alone (a smaller area)."""
    rows = [(2023, "Thành phố Nam Định", 40, 50), (2024, "Thành phố Nam Định", 70, 80)]
    df = _districts(rows)
    row = yoy(df, lang="en").set_index("year").loc[2024]
    assert pd.isna(row["achieved_prev"]) and pd.isna(row["total_prev"])
    assert pd.isna(row["prev_basis"]) and pd.isna(row["change_pp"])
    assert row["break_code"] == "area.merged:2024-09-01"


@pytest.mark.parametrize(
    "published, shown_prev, change",
    [
        # 2019 published 94,59 %; 2018 computed 35 / 37 = 94,5946 %: no change, not −0,0046.
        ([pd.NA, 0.9459], 0.9459, 0.0),
        # 2019 published to one decimal (94,6 %): 94,5946 % compares as 94,6 %.
        ([pd.NA, 0.946], 0.946, 0.0),
        # Both computed: compared as they are.
        ([pd.NA, pd.NA], 35 / 37, (36 / 38 - 35 / 37) * 100),
    ],
)
def test_a_computed_rate_is_compared_at_the_published_ones_precision(published, shown_prev, change):
    df = _tidy([(2018, 35, 37), (2019, 36, 38)])
    df["reported_rate"] = pd.array(published, dtype="Float64")
    row = yoy(df).set_index("year").loc[2019]
    assert row["shown_rate_prev"] == pytest.approx(shown_prev, abs=1e-12)
    assert row["shown_change_pp"] == pytest.approx(change, abs=1e-9)
    assert row["change_pp"] == pytest.approx((36 / 38 - 35 / 37) * 100)  # the computed, as is


def test_a_computed_current_rate_is_compared_at_the_previous_published_precision():
    df = _tidy([(2018, 0, 1), (2019, 35, 37)])
    df["reported_rate"] = pd.array([0.9375, pd.NA], dtype="Float64")
    row = yoy(df).set_index("year").loc[2019]
    assert row["shown_rate"] == pytest.approx(0.9459, abs=1e-12)  # 94,5946 % as 94,59 %
    assert row["shown_change_pp"] == pytest.approx(0.84, abs=1e-9)


def test_a_merged_commune_unchanged_but_for_rounding_shows_no_change(bundled_tidy):
    """Phường Nam Định 2025 (a file's 96,81 %) against its parts of 2024 summed (96,8085 %)."""
    y = yoy(bundled_tidy, events="data/raw")
    row = y[
        (y["year"] == 2025) & (y["area"] == "Phường Nam Định") & (y["indicator"] == "safe_agency")
    ].iloc[0]
    assert row["prev_basis"] == "harmonised"
    assert row["shown_change_pp"] == 0
    merged = y[y["prev_basis"] == "harmonised"]
    tiny = merged["shown_change_pp"].astype(float).abs()
    assert len(merged) > 100 and not ((tiny > 0) & (tiny < 0.005)).any()  # rounding is no change


def test_two_events_of_one_row_are_both_named_in_break_and_break_code():
    """Two known events between 2018 and 2019 for one district: ``break`` names both in
    words and ``break_code`` lists both codes, separated by a semicolon."""
    events = pd.DataFrame(
        {
            "date": ["2019", "2019-06-01"],
            "area": ["Huyện Hải Hậu"] * 2,
            "indicators": ["safe_agency", None],
            "description": ["một", "hai"],
            "description_en": ["one", "two"],
            "basis": ["x", "y"],
            "compare": ["rate", "none"],
            "code": ["first", "second"],
        }
    )
    out = yoy(_tidy([(2018, 40, 50), (2019, 45, 50)]), events=events, lang="en")
    row = out.set_index("year").loc[2019]
    assert row["break_code"] == "event:first;event:second"
    assert row["break"] == "one, 2019; two, 2019-06-01"
    assert pd.isna(row["change_pp"])  # the second event compares nothing


def test_text_columns_are_strings_when_no_row_has_an_event_or_predecessors():
    """With no break and no harmonised row anywhere, ``break``, ``break_code`` and
    ``prev_areas`` are all NA, and still text columns (``string``), not object columns of
    None: a CSV or Arrow writer and ``.str`` take them as the other tables' text."""
    out = yoy(_tidy([(2018, 40, 50), (2019, 45, 50)]))
    for col in ("break", "break_code", "prev_areas"):
        assert str(out[col].dtype) == "string", col
        assert out[col].str.len().isna().all(), col


def test_rows_of_registry_units_and_of_unknown_areas_keep_their_own_series():
    """Areas the registry does not know (hamlets here) are compared with themselves by their
    key, beside registry units compared by uid, whatever order the rows come in."""
    import antq

    rows = [
        (2018, "Xóm Mới", 10, 20),
        (2018, "Huyện Hải Hậu", 40, 50),
        (2019, "Huyện Hải Hậu", 45, 50),
        (2019, "Xóm Mới", 12, 20),
        (2018, "Xóm Cũ", 5, 20),
        (2019, "Xóm Cũ", 6, 20),
    ]
    df = pd.DataFrame(rows, columns=["year", "area", "achieved", "total"])
    df["area_code"] = [
        str(antq.area(a, year=y).code) if a.startswith("Huyện") else None for y, a, *_ in rows
    ]
    df["level"] = "district"
    df["indicator"] = "safe_agency"
    df["reported_rate"] = pd.NA
    df["source"] = [f"f.xlsx!S!D{i}" for i in range(len(df))]
    out = yoy(as_tidy(df)).set_index(["area", "year"])
    assert antq.registry.uids(as_tidy(df)).notna().sum() == 2  # only Hải Hậu is a unit
    for area, before in (("Huyện Hải Hậu", 40), ("Xóm Mới", 10), ("Xóm Cũ", 5)):
        assert out.loc[(area, 2019), "achieved_prev"] == before, area
        assert out.loc[(area, 2019), "prev_basis"] == "same", area


def test_a_change_of_published_rates_has_no_binary_noise():
    """95,35 % → 99 %: +3,65 points exactly, as yoy.csv writes it (not 3.6499999999999977)."""
    df = _tidy([(2018, 0, 1), (2019, 0, 1)])
    df["reported_rate"] = pd.array([0.9535, 0.99], dtype="Float64")
    row = yoy(df).set_index("year").loc[2019]
    assert (0.99 - 0.9535) * 100 != 3.65  # the noise this test is about
    assert row["shown_change_pp"] == 3.65
    assert repr(float(row["shown_change_pp"])) == "3.65"


def test_every_rate_and_change_is_a_nullable_number():
    out = yoy(_tidy([(2018, 40, 50), (2019, 45, 50)]))
    for col in ("rate_prev", "shown_rate", "shown_rate_prev", "change_pp", "shown_change_pp"):
        assert str(out[col].dtype) == "Float64", col
    assert str(out["achieved_growth"].dtype) == "Float64"
    assert str(out["change_n"].dtype) == "Int64"
    assert pd.isna(out.loc[out["year"] == 2018, "shown_change_pp"]).all()  # NA, not NaN


def test_each_indicator_compares_alike_alone_and_among_the_others(bundled_tidy):
    """yoy works an indicator at a time (yoy_parts) with the map's changes found once for
    the whole table: each indicator's rows give what they give alone, in yoy's order."""
    parts = list(yoy_parts(bundled_tidy, rows=1))
    names = sorted(bundled_tidy["indicator"].unique())
    assert [p["indicator"].unique().tolist() for p in parts] == [[n] for n in names]
    whole = yoy(bundled_tidy)
    assert [len(p) for p in yoy_parts(bundled_tidy)] == [len(bundled_tidy)]  # one part
    pd.testing.assert_frame_equal(whole, pd.concat(parts, ignore_index=True))
    # Whole indicators a few at a time, in yoy's order.
    some = list(yoy_parts(bundled_tidy, rows=len(bundled_tidy) // 3))
    assert 2 <= len(some) < len(names)
    assert sorted({n for p in some for n in p["indicator"].unique()}) == names
    assert sum(p["indicator"].nunique() for p in some) == len(names)
    pd.testing.assert_frame_equal(whole, pd.concat(some, ignore_index=True))
    for name in ("safe_commune", "cultural_family"):
        alone = yoy(bundled_tidy[bundled_tidy["indicator"] == name])
        mine = whole[whole["indicator"] == name].reset_index(drop=True)
        pd.testing.assert_frame_equal(mine, alone)
    # The merged units of 2024 and 2025 are compared with their parts summed, in each part.
    assert set(whole["prev_basis"].dropna()) == {"same", "harmonised"}


def test_an_empty_table_has_no_changes_and_every_column():
    out = yoy(_tidy([]).iloc[:0])
    assert out.empty and list(out.columns) == list(YOY_COLUMNS)


_NAMES = ["Xã Hồng Quang", "Xã Nam Điền", "Phường 1", "Xã Ân Hòa", "xã a", "Xã Ấn"]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["a", "b", "c"]),  # series
            st.sampled_from(["safe_school", "cultural_family"]),
            st.integers(2015, 2019),
        ),
        unique=True,
        max_size=40,
    ),
)
def test_the_row_before_is_the_same_series_and_indicator_exactly_a_year_earlier(rows):
    """Against a plain lookup: the position of (series, indicator, year − 1), else −1."""
    from antq.metrics.yoy import _row_before

    df = pd.DataFrame(rows, columns=["sid", "indicator", "year"])
    got = _row_before(df["sid"].astype("string"), df["indicator"], df["year"])
    at = {row: i for i, row in enumerate(rows)}
    assert got.tolist() == [at.get((s, i, y - 1), -1) for s, i, y in rows]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["safe_school", "cultural_family", "safe_agency"]),
            st.sampled_from(["province", "district", "commune"]),
            st.sampled_from(_NAMES),
            st.integers(2015, 2025),
        ),
        max_size=40,
    ),
    st.integers(1, 50),
)
def test_yoy_parts_take_whole_indicators_in_yoys_order(rows, size):
    """The parts, joined, are the table sorted by indicator, level, area, year (ties in its
    order, as a stable sort_values), each part whole indicators, each of them starting
    within ``size`` rows of the part's start ("about ``size`` rows at a time")."""
    from antq.metrics.yoy import _indicator_parts

    df = pd.DataFrame(rows, columns=["indicator", "level", "area", "year"]).astype(
        {"indicator": "string", "level": "string", "area": "string"}
    )
    parts = _indicator_parts(df, size)
    order = df.sort_values(["indicator", "level", "area", "year"], kind="stable").index
    joined = [int(i) for p in parts for i in p]
    assert joined == order.tolist()
    names = [set(df["indicator"].iloc[p]) for p in parts]
    assert sum(map(len, names)) == df["indicator"].nunique()  # no indicator split
    # Exactly: an indicator joins the part of the ``size`` rows its first row falls in.
    counts = df["indicator"].value_counts().sort_index()
    starts = counts.cumsum() - counts
    expected = [set(g.index) for _, g in starts.groupby(starts // size, sort=True)]
    assert names == (expected or [set()])
