"""Each rule: a case that triggers it and a near miss that must not."""

import warnings

import numpy as np
import pandas as pd
import pytest

import antq
from antq.validation import RULES, validate
from antq.validation.rates import consistent, rate_consistent


def table(*rows):
    """Tidy rows from dicts; defaults fill the rest; rate computed."""
    out = []
    for i, r in enumerate(rows):
        base = dict(
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
    df = pd.DataFrame(out)
    return antq.as_tidy(df.drop(columns=[c for c in ("rate",) if c in df]), unique=False)


def rules_of(df, **kw):
    return validate(df, **kw)["rule"].tolist()


def test_every_rule_is_registered():
    assert set(RULES) == {
        "count",
        "rate",
        "sum",
        "denominator",
        "denominator.jump",
        "history.spike",
        "coverage.missing_area",
        "duplicate",
        "sum.units",
        "events.unmatched",
    }


@pytest.mark.parametrize(
    "row, rule",
    [
        (dict(achieved=61, total=60), "count.achieved_above_total"),
        (dict(achieved=-1), "count.negative"),
        (dict(achieved=3, total=0), "count.total_zero"),
    ],
)
def test_count_rules(row, rule):
    assert rule in rules_of(table(row))


def test_count_near_miss():
    ok = table(dict(achieved=60, total=60), dict(area="Huyện Vụ Bản", achieved=0, total=0))
    assert rules_of(ok) == []


def test_rate_mismatch_and_near_misses():
    # 3.321 / 3.462 = 95,93% but 94,75% is written.
    f = validate(
        table(
            dict(indicator="safe_residential_area", achieved=3321, total=3462, reported_rate=0.9475)
        )
    )
    assert f["rule"].tolist() == ["rate.mismatch"]
    assert "3.505" in f["message"].iloc[0] and f["expected"].iloc[0] == "95,93%"
    # 223/229 = 97,379…: 97,38 (rounded) and 97,37 (cut) both fit; 97,4 (1 decimal) too.
    for shown in (0.9738, 0.9737, 0.974):
        assert rules_of(table(dict(achieved=223, total=229, reported_rate=shown))) == []
    assert rules_of(table(dict(achieved=223, total=229, reported_rate=0.9736))) == ["rate.mismatch"]


def test_rate_consistent():
    assert rate_consistent(5027, 5449, 0.9225)  # 92,2555… cut
    assert not rate_consistent(595, 612, 0.9725)


def test_no_whole_total_states_nearest():
    f = validate(table(dict(achieved=595, total=None, reported_rate=0.9725)), lang="en")
    assert f["rule"].tolist() == ["rate.no_whole_total"]
    assert "611 (97.38%), 612 (97.22%)" in f["message"].iloc[0]


def test_no_whole_total_near_miss():
    assert rules_of(table(dict(achieved=223, total=None, reported_rate=0.9737))) == []
    assert rules_of(table(dict(achieved=772, total=None, reported_rate=0.989))) == []


def test_a_rate_over_a_total_of_zero_is_the_count_finding_alone():
    # 3 achieved of 0 with 50 % written: the total is what is wrong, not the rate.
    df = table(dict(achieved=3, total=0, reported_rate=0.5))
    assert rules_of(df) == ["count.total_zero"]


@pytest.mark.parametrize(
    "achieved, rate, rules",
    [
        (0, 1.0, ["rate.zero_total"]),  # "100 %" of nothing: shown as if earned
        (None, 0.5, ["rate.zero_total"]),
        (0, 0.0, []),  # 0 % of nothing says no more than the counts
        (0, None, []),
        (0, 1.2, ["rate.above_100"]),  # the worse problem alone
    ],
)
def test_a_rate_written_over_a_total_of_zero(achieved, rate, rules):
    assert rules_of(table(dict(achieved=achieved, total=0, reported_rate=rate))) == rules


def test_a_rate_over_a_total_of_zero_names_the_rate_cell_and_what_was_expected():
    df = table(dict(achieved=0, total=0, reported_rate=1.0))
    vi, en = validate(df), validate(df, lang="en")
    assert vi["message"].iloc[0].startswith("Tỷ lệ ghi 100% nhưng tổng số bằng 0")
    assert en["expected"].iloc[0] == "empty (0/0 has no rate)"
    assert vi["source"].iloc[0] == "f.xlsx!S!D5"  # no rate cell recorded: the row's own


def test_rate_above_100_and_wrong_scale():
    assert rules_of(table(dict(achieved=50, total=60, reported_rate=1.2))) == ["rate.above_100"]
    assert rules_of(table(dict(achieved=50, total=60, reported_rate=0.008333))) == [
        "rate.wrong_scale"
    ]
    assert rules_of(table(dict(achieved=60, total=60, reported_rate=1.0))) == []


def test_sum_mismatch_points_at_total_row():
    rows = [
        dict(area=a, achieved=n, total=10, source=f"f.xlsx!S!D{i}")
        for i, (a, n) in enumerate([("Huyện Mỹ Lộc", 5), ("Huyện Vụ Bản", 6)], start=5)
    ]
    good = table(
        *rows, dict(area="Toàn tỉnh", level="province", achieved=11, total=20, source="f.xlsx!S!D7")
    )
    assert rules_of(good) == []
    bad = table(
        *rows, dict(area="Toàn tỉnh", level="province", achieved=12, total=20, source="f.xlsx!S!D7")
    )
    f = validate(bad)
    assert f["rule"].tolist() == ["sum.mismatch"] and f["source"].iloc[0] == "f.xlsx!S!D7"


def test_denominator_inconsistent_and_implied():
    base = dict(indicator="cultural_residential_area", achieved=80, total=100)
    assert (
        rules_of(table(base, dict(indicator="five_no_residential_area", achieved=10, total=100)))
        == []
    )
    assert "denominator.inconsistent" in rules_of(
        table(base, dict(indicator="five_no_residential_area", achieved=10, total=101))
    )
    # A rate with no total implying another denominator than the row's 100 areas.
    implied = table(
        base, dict(indicator="safe_residential_area", achieved=90, total=None, reported_rate=0.9474)
    )
    assert "denominator.implied" in rules_of(implied)
    fits = table(
        base, dict(indicator="safe_residential_area", achieved=90, total=None, reported_rate=0.90)
    )
    assert "denominator.implied" not in rules_of(fits)


def test_denominator_jump_by_unit():
    ra = dict(indicator="safe_residential_area", achieved=90)
    assert rules_of(table(dict(ra, year=2019, total=100), dict(ra, year=2020, total=105))) == []
    assert rules_of(table(dict(ra, year=2019, total=100), dict(ra, year=2020, total=106))) == [
        "denominator.jump"
    ]
    ent = dict(indicator="safe_enterprise", achieved=90)
    assert rules_of(table(dict(ent, year=2019, total=100), dict(ent, year=2020, total=120))) == []


def test_denominator_jump_says_its_tolerance_in_each_language():
    ra = dict(indicator="safe_residential_area", achieved=90)
    jumped = table(dict(ra, year=2019, total=100), dict(ra, year=2020, total=106))
    assert validate(jumped)["expected"].tolist() == ["trong khoảng ±5%"]
    assert validate(jumped, lang="en")["expected"].tolist() == ["within ±5%"]


def test_history_spike():
    years = [(2018, 50), (2019, 90), (2020, 52)]
    spiky = table(*[dict(year=y, achieved=a, total=100) for y, a in years])
    assert rules_of(spiky) == ["history.spike"]
    trend = table(
        *[dict(year=y, achieved=a, total=100) for y, a in [(2018, 50), (2019, 65), (2020, 80)]]
    )
    assert rules_of(trend) == []
    counts = table(
        *[dict(year=y, achieved=a, total=None) for y, a in [(2018, 100), (2019, 400), (2020, 110)]]
    )
    assert rules_of(counts) == ["history.spike"]


def test_missing_area():
    rows = [dict(year=y, area=a) for y in (2019, 2020) for a in ("Huyện Mỹ Lộc", "Huyện Vụ Bản")]
    assert rules_of(table(*rows)) == []
    f = validate(table(*rows[:-1]))
    assert f["rule"].tolist() == ["coverage.missing_area"]
    assert "2020" in f["message"].iloc[0] and f["area"].iloc[0] == "Huyện Vụ Bản"


def test_duplicate_conflict_shows_both_sources():
    df = table(dict(source="a.xlsx!S!D5"), dict(achieved=51, source="b.xlsx!S!D9"))
    f = validate(df)
    assert f["rule"].tolist() == ["duplicate.conflict"] and f["severity"].tolist() == ["error"]
    assert (f["area"].iloc[0], f["level"].iloc[0]) == ("Huyện Hải Hậu", "district")
    assert "a.xlsx!S!D5" in f["message"].iloc[0] and "b.xlsx!S!D9" in f["message"].iloc[0]
    same = validate(table(dict(source="a.xlsx!S!D5"), dict(source="b.xlsx!S!D9")))
    assert same["rule"].tolist() == ["duplicate.same"] and same["severity"].tolist() == ["info"]


def test_bundled_2020_inconsistencies_at_province_level(bundled):
    f = validate(bundled).query("year == 2020 and level == 'province'")
    mismatch = f[f["rule"] == "rate.mismatch"].iloc[0]
    assert mismatch["indicator"] == "safe_residential_area"
    assert mismatch["source"] == "BC_ANTQ_2020.xlsx!ANTT!E19"  # the rate cell
    nowhole = f[f["rule"] == "rate.no_whole_total"].iloc[0]
    assert nowhole["indicator"] == "safe_agency"
    assert "611 (97,38%), 612 (97,22%)" in nowhole["message"]


def test_check_collects_read_problems(tmp_path, standard_book):
    (tmp_path / "junk.xlsx").write_bytes(b"not a workbook")
    f = antq.check([standard_book, tmp_path / "junk.xlsx"])
    assert "read.unreadable" in f["rule"].tolist()
    assert list(f.columns) == [
        "severity",
        "rule",
        "year",
        "area",
        "level",
        "indicator",
        "source",
        "message",
        "expected",
        "found",
    ]


def test_communes_checked_against_their_district_row_read_from_another_file(bundled):
    # The 2024 district rows come from BC_ANTQ_2024.xlsx, the communes from the annex.
    df = bundled.copy()
    hq = (df["year"] == 2024) & (df["area"] == "Xã Hồng Quang") & (df["district"] == "Huyện Ý Yên")
    i = df.index[hq & (df["indicator"] == "safe_residential_area")][0]
    assert validate(df, rules=["sum.units"]).empty
    df.loc[i, "achieved"] += 1
    df.loc[i, "rate"] = df.loc[i, "achieved"] / df.loc[i, "total"]
    f = validate(df, rules=["sum.units"])
    assert f["rule"].tolist() == ["sum.mismatch"] and f["area"].tolist() == ["Huyện Ý Yên"]
    assert f["source"].iloc[0].startswith("BC_ANTQ_2024.xlsx!") and "xã" in f["message"].iloc[0]
    # A district whose communes are not all there is no sum to compare.
    gone = df[~((df["year"] == 2024) & (df["area"] == "Xã Tân Minh"))]
    assert validate(gone, rules=["sum.units"]).empty


def test_group_codes_stay_exact_beyond_64_bits():
    from antq.validation.keys import group_codes

    # Five columns of 65 535 values: their combined code would need 80 bits, so it is
    # renumbered on the way. A row differing from the first only in the first column
    # must not be lost to an overflow.
    names = [str(i) for i in range(2**16 - 1)]
    df = pd.DataFrame({f"c{i}": names for i in range(5)})
    df.loc[len(df)] = ["1", "0", "0", "0", "0"]
    codes, n = group_codes(df, list(df.columns))
    assert n == len(df) and len(set(codes.tolist())) == len(df)
    assert codes[-1] != codes[0]


def test_each_district_row_against_its_own_communes_in_one_sheet():
    # Two district rows in one sheet, each over its communes: a commune names its parent by its
    # district, so only the district whose communes do not add up is flagged.
    communes = {"Huyện Mỹ Lộc": [("Xã Mỹ Hà", 3), ("Xã Mỹ Thắng", 4)]}
    communes["Huyện Vụ Bản"] = [("Xã Liên Bảo", 5), ("Xã Hiển Khánh", 6)]
    rows = [
        dict(area=c, level="commune", district=d, achieved=n, total=10, source=f"f.xlsx!S!D{c}")
        for d, kids in communes.items()
        for c, n in kids
    ]
    rows += [
        dict(area="Huyện Mỹ Lộc", achieved=8, total=20, source="f.xlsx!S!D1"),
        dict(area="Huyện Vụ Bản", achieved=11, total=20, source="f.xlsx!S!D2"),
    ]
    f = validate(table(*rows), rules=["sum"], lang="en")
    assert (f["area"].tolist(), f["source"].tolist()) == (["Huyện Mỹ Lộc"], ["f.xlsx!S!D1"])
    assert (f["found"].iloc[0], f["expected"].iloc[0]) == ("8", "7")


def test_a_province_row_against_all_its_districts_read_from_another_file():
    # Tỉnh Ninh Bình (37) in 2019, its row in one file and its districts in another.
    districts = antq.registry.areas(on="2019-12-31").query("parent_uid == 'P37'")["name"]
    rows = [
        dict(year=2019, area=d, province="Tỉnh Ninh Bình", achieved=5, total=10) for d in districts
    ]
    n = len(rows)
    top = dict(year=2019, area="Tỉnh Ninh Bình", level="province", area_code="37")
    top |= dict(achieved=5 * n, total=10 * n, source="a.xlsx!S!D9")
    rows = [r | dict(source=f"b.xlsx!S!D{i}") for i, r in enumerate(rows)]
    assert validate(table(*rows, top), rules=["sum.units"]).empty
    top["achieved"] += 1
    f = validate(table(*rows, top), rules=["sum.units"], lang="en")
    assert (f["area"].tolist(), f["source"].tolist()) == (["Tỉnh Ninh Bình"], ["a.xlsx!S!D9"])
    assert (f["found"].iloc[0], f["expected"].iloc[0]) == (str(5 * n + 1), str(5 * n))
    # One district short of the registry's: no sum to compare.
    assert validate(table(*rows[1:], top), rules=["sum.units"]).empty


def test_an_empty_table_has_no_findings():
    assert validate(antq.schema.empty_tidy()).empty


def test_a_table_without_sources_is_checked_too():
    # A table built by hand or a metric's table has no source column, or an empty one: the
    # rules run all the same, their findings naming no cell.
    df = table(dict(achieved=-1))
    for no_source in (df.drop(columns="source"), df.assign(source=pd.NA)):
        f = validate(no_source)
        assert f["rule"].tolist() == ["count.negative"] and f["source"].tolist() == [""]


def test_a_rate_of_no_total_warns_of_nothing():
    # 0 of 0 with a rate written: no finding, and no division warning on the way.
    df = table(dict(achieved=0, total=0, reported_rate=0.0))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert validate(df).empty
        assert consistent(np.array([0.0]), np.array([0.0]), np.array([0.5])).tolist() == [False]


def test_no_rate_fits_a_total_of_zero_or_below():
    # 0 of 0 at 0 %, or −5 of −10 at −50 %: the division would fit, but there is no total.
    for achieved, total, rate in ((0, 0, 0.0), (3, 0, 0.5), (-5, -10, -0.5), (5, -10, -0.5)):
        assert rate_consistent(achieved, total, rate) is False, (achieved, total, rate)
        assert consistent(np.array([achieved]), np.array([total]), np.array([rate])).tolist() == [
            False
        ]


def test_a_rule_registered_with_rule_runs_in_validate(monkeypatch):
    from antq.validation import engine
    from antq.validation.counts import counts
    from antq.validation.events import unmatched_events

    monkeypatch.setattr(engine, "RULES", dict(engine.RULES))
    monkeypatch.setattr(engine, "WITH_EVENTS", set(engine.WITH_EVENTS))
    assert engine.rule("count.again")(counts) is counts
    engine.rule("events.again", events=True)(unmatched_events)
    df = table(dict(achieved=-1))
    assert rules_of(df, rules=["count.again"]) == ["count.negative"]
    events = pd.DataFrame({"date": ["2020"], "area": ["Huyện Hải Hâu"], "description": ["x"]})
    assert rules_of(df, rules=["events.again"], events=events) == ["events.unmatched"]


def test_a_table_indexed_otherwise_than_from_zero_is_checked_across_years():
    """A part of a bigger table (its index not 0 … n−1) is checked as the table would be:
    each row's year before and after are found by position, then put back on its index."""
    jumped = table(dict(year=2019, total=100), dict(year=2020, total=150))
    years = [(2018, 50), (2019, 90), (2020, 52)]
    spiky = table(*[dict(year=y, achieved=a, total=100) for y, a in years])
    for df, rule in ((jumped, "denominator.jump"), (spiky, "history.spike")):
        for index in (range(10, 10 + len(df)), range(len(df) - 1, -1, -1)):
            moved = df.set_axis(pd.Index(index))
            f = validate(moved, rules=[rule])
            assert f["rule"].tolist() == [rule], (rule, index)
            assert f["source"].tolist() == validate(df, rules=[rule])["source"].tolist()


def test_a_row_without_a_source_is_in_no_sum():
    """A row typed in by hand (no source, so no table) is no parent of a sheet's rows: the
    sheet's own province row stays its single parent, and the stray row is not compared."""
    kids = [
        dict(area=a, province="Tỉnh Nam Định", achieved=n, total=10, source=f"f.xlsx!S!D{i}")
        for i, (a, n) in enumerate([("Huyện Mỹ Lộc", 5), ("Huyện Vụ Bản", 6)], start=5)
    ]
    top = dict(area="Tỉnh Nam Định", level="province", achieved=11, total=20)
    stray = top | dict(achieved=99, total=99)

    def sheet(parent: dict) -> pd.DataFrame:
        df = table(*kids, parent | dict(source="f.xlsx!S!D7"), stray)
        df.loc[df.index[-1], "source"] = pd.NA  # the stray row, read from nowhere
        return df

    assert validate(sheet(top), rules=["sum"]).empty
    f = validate(sheet(top | dict(achieved=12)), rules=["sum"])
    assert f["source"].tolist() == ["f.xlsx!S!D7"]


def test_rows_without_a_source_make_no_sum_among_themselves():
    """A province and its districts all typed in by hand (no source: no table) are no
    sheet: their sum is not checked, while the same rows read from a sheet are."""
    rows = [
        ("Tỉnh Nam Định", "province", 10, 20),
        ("Huyện Mỹ Lộc", "district", 3, 10),
        ("Huyện Vụ Bản", "district", 4, 10),
    ]
    by_hand = [
        dict(year=2020, area=a, level=lv, province="Tỉnh Nam Định", achieved=n, total=t)
        for a, lv, n, t in rows
    ]
    read = [r | dict(year=2021, source=f"f.xlsx!S!D{i}") for i, r in enumerate(by_hand, start=5)]
    df = table(*by_hand, *read)
    df.loc[df["year"] == 2020, "source"] = pd.NA
    f = validate(df, rules=["sum"])
    assert sorted(f["source"]) == ["f.xlsx!S!D5"]  # 2021's province row, achieved 10 ≠ 7


# ---- the integer codes the rules share (antq.validation.keys) ------------------------------


def test_codes_give_na_a_code_of_its_own():
    from antq.validation.keys import codes

    for dtype in ("string", "string[pyarrow]", object):
        c, n = codes(pd.Series(["b", "a", "b", None], dtype=dtype))
        assert (c.tolist(), n) == ([0, 1, 0, 2], 3), dtype


def test_mapped_gives_the_default_to_values_the_mapping_lacks():
    from antq.validation.keys import mapped

    got = mapped(pd.Series(["a", "b", "a", None], dtype="string"), {"a": 1.5}, np.nan)
    assert got.dtype == np.float64 and np.isnan(got).tolist() == [False, True, False, True]
    assert mapped(pd.Series(["b"], dtype="string"), {"a": 1}, -1).tolist() == [-1]


def test_group_codes_of_the_same_arrow_columns_are_computed_once():
    """Every rule asks for the codes of a few column combinations: of Arrow text columns
    (immutable) they are computed once and handed out again while the data lives."""
    from antq.validation.keys import group_codes

    df = pd.DataFrame({"a": ["x", "y", "x"], "b": ["u", "u", "v"]}, dtype="string[pyarrow]")
    first, n = group_codes(df, ["a", "b"])
    assert (first.tolist(), n) == ([0, 1, 2], 3)
    again, _ = group_codes(df, ["a", "b"])
    assert again is first


def test_a_finding_repeated_for_indicators_sharing_a_cell_is_kept_once_whatever_the_order():
    """Two indicators sharing a cell give one finding (same rule, cell and message): the one
    kept is the least by its fields (here "safe_agency" before "safe_school"), whichever
    came first, so a rebuild that validates part of a table reports the same finding."""
    from antq.findings import Pct, finding
    from antq.validation.engine import once

    a = finding("rate.above_100", "f.xlsx!S!E9", r=Pct(1.02), indicator="safe_school")
    b = finding("rate.above_100", "f.xlsx!S!E9", r=Pct(1.02), indicator="safe_agency")
    other = finding("rate.above_100", "f.xlsx!S!E10", r=Pct(1.05), indicator="safe_school")
    assert [(f.source, f.indicator) for f in once([a, other, b])] == [
        ("f.xlsx!S!E9", "safe_agency"),
        ("f.xlsx!S!E10", "safe_school"),
    ]
    assert once([b, a]) == once([a, b]) == [b]


def test_a_province_over_its_communes_without_districts_is_checked_against_their_sum():
    """From 1 July 2025 a province's sheet lists its communes with no district between: the
    province row is the sum of the communes (the level below it in the sheet)."""
    kids = [
        dict(
            year=2025,
            area=a,
            level="commune",
            province="Tỉnh Ninh Bình",
            district=None,
            achieved=n,
            total=10,
            source=f"f.xlsx!S!D{i}",
        )
        for i, (a, n) in enumerate([("Phường Nam Định", 5), ("Xã Hải Hậu", 6)], start=5)
    ]
    top = dict(year=2025, area="Tỉnh Ninh Bình", level="province", total=20, source="f.xlsx!S!D7")
    assert validate(table(*kids, top | dict(achieved=11)), rules=["sum"]).empty
    f = validate(table(*kids, top | dict(achieved=12)), rules=["sum"], lang="en")
    assert f["rule"].tolist() == ["sum.mismatch"]
    assert f["source"].tolist() == ["f.xlsx!S!D7"]
    assert f["message"].iloc[0].endswith("its commune rows add up to 11.")


def test_the_table_of_a_row_is_its_source_without_the_cell():
    """Without the ``table`` detail column (a tidy table), a row's table is its source less
    the cell, a sheet name holding "!" included; no source, no table."""
    from antq.validation.sums import table_of

    df = pd.DataFrame(
        {"source": pd.array(["a.xlsx!S!C4", "b.xlsx!KQ!2020!D9", None, "c.csv"], dtype="string")}
    )
    assert table_of(df).fillna("NA").tolist() == ["a.xlsx!S", "b.xlsx!KQ!2020", "NA", "c.csv"]


def test_sums_over_a_few_tables_at_a_time_find_what_the_whole_table_does(bundled, monkeypatch):
    """``sum`` works on whole tables at a time (SUM_BATCH_ROWS): the findings, their order
    and what each says are those of the whole table at once."""
    from antq.validation import sums as sums_module

    # Rows of many tables in turn, as a user's concatenation may hold them.
    df = bundled.sample(frac=1, random_state=0).reset_index(drop=True)
    totals = np.flatnonzero(df["is_total"].to_numpy())
    for k, i in enumerate(totals[:: max(len(totals) // 12, 1)]):  # parents in many tables
        col = df.columns.get_loc("achieved" if k % 2 else "total")
        df.iloc[i, col] = df.iloc[i, col] + 1
    monkeypatch.setattr(sums_module, "SUM_BATCH_ROWS", 10**9)
    whole = sums_module.sums(df)
    assert len({f.source.rsplit("!", 1)[0] for f in whole}) >= 5  # several tables
    assert {f.rule for f in whole} == {"sum.mismatch"}
    for rows in (1, 150, 700):
        monkeypatch.setattr(sums_module, "SUM_BATCH_ROWS", rows)
        got = sums_module.sums(df)
        assert [(f.source, f.message) for f in got] == [(f.source, f.message) for f in whole]


def test_two_districts_of_one_name_in_two_provinces_are_each_checked_against_their_communes():
    """Huyện Châu Thành of Tây Ninh and of Long An, each over all its communes in files of
    their own: each district row against its own communes (summed together, neither was
    checked: the rows summed were more than the registry's communes of either)."""
    from antq import registry

    districts = registry.areas(on="2024-12-31", level="district")
    communes = registry.areas(on="2024-12-31", level="commune")
    rows = []
    for k, province in enumerate(("Tỉnh Tây Ninh", "Tỉnh Long An")):
        unit = districts[
            (districts["name"] == "Huyện Châu Thành") & (districts["province"] == province)
        ]
        mine = communes[communes["parent_uid"] == unit["uid"].iloc[0]]
        rows += [
            dict(
                year=2024,
                area=c,
                level="commune",
                province=province,
                district="Huyện Châu Thành",
                area_code=code,
                achieved=1,
                total=2,
                source=f"{k}.xlsx!S!D{i + 6}",
            )
            for i, (c, code) in enumerate(zip(mine["name"], mine["code"], strict=True))
        ]
        wrong = k  # Long An's district row is one off
        rows.append(
            dict(
                year=2024,
                area="Huyện Châu Thành",
                level="district",
                province=province,
                area_code=unit["code"].iloc[0],
                achieved=len(mine) + wrong,
                total=2 * len(mine),
                source=f"{k}.xlsx!S!D5",
            )
        )
    f = validate(table(*rows), rules=["sum.units"])
    assert f["source"].tolist() == ["1.xlsx!S!D5"]
