"""Series across the reorganisation: harmonise, regions, and year-over-year changes that know
the breaks (the registry's, criteria.csv's and the user's events.csv)."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest
from conftest import RAW

import antq
from antq import registry
from antq.errors import AntqError, AntqWarning

# Xã Vạn Thắng (1/7/2025) = Xã Yên Lương + Xã Yên Tiến + Xã Yên Thắng (Huyện Ý Yên), all whole.
VAN_THANG = {"13852": "Xã Yên Lương", "13861": "Xã Yên Tiến", "13864": "Xã Yên Thắng"}
# Phường Phủ Lý (1/7/2025) = part of Phường Quang Trung + Châu Cầu + Liêm Chính + Thanh Châu.
PHU_LY = {
    "13285": "Phường Quang Trung",
    "13294": "Phường Châu Cầu",
    "13309": "Phường Liêm Chính",
    "13315": "Phường Thanh Châu",
}


def keyed(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` indexed by (year, area, indicator), without the units whose name another shares.

    The two Xã Hồng Quang and two Xã Nam Điền are told apart by code (tested elsewhere); by
    name their keys repeat, and on a non-unique index pandas 3.0 answers even a key that
    occurs once with a Series, not the row.
    """
    key = ["year", "area", "indicator"]
    return df[~df.duplicated(key, keep=False)].set_index(key)


def table(rows: list[tuple]) -> pd.DataFrame:
    """Tidy rows (year, area, code, indicator, achieved, total, reported_rate) of communes."""
    df = pd.DataFrame(
        rows,
        columns=["year", "area", "area_code", "indicator", "achieved", "total", "reported_rate"],
    )
    df["level"] = "commune"
    df["source"] = [f"t.xlsx!S!D{i + 5}" for i in range(len(df))]
    return antq.as_tidy(df)


def _communes(codes: dict[str, str], values: list[tuple[int, int]], year: int = 2024) -> list:
    return [
        (year, name, code, "safe_residential_area", a, t, None)
        for (code, name), (a, t) in zip(codes.items(), values, strict=True)
    ]


# ---- harmonise ------------------------------------------------------------------------
def test_whole_merges_are_summed_exactly():
    rows = _communes(VAN_THANG, [(10, 12), (20, 25), (30, 31)])
    rows[0] = (*rows[0][:6], 0.8333)  # a published rate does not carry over to a sum
    rows.append((2025, "Xã Vạn Thắng", "13864", "safe_residential_area", 65, 70, 0.9286))
    h, f = antq.harmonise(table(rows), to="2025-07-01", findings=True)
    assert f.empty
    y24 = h[h["year"] == 2024].iloc[0]
    assert (y24["area"], y24["achieved"], y24["total"]) == ("Xã Vạn Thắng", 60, 68)
    assert y24["rate"] == pytest.approx(60 / 68) and pd.isna(y24["reported_rate"])
    assert y24["harmonised"] and y24["sources"] == 3 and y24["uid"] == "C13864@2025-07-01"
    assert y24["from_areas"] == "Xã Yên Lương; Xã Yên Tiến; Xã Yên Thắng"
    assert y24["source"] == "t.xlsx!S!D5; t.xlsx!S!D6; t.xlsx!S!D7"
    assert y24["province"] == "Tỉnh Ninh Bình" and pd.isna(y24["district"])
    y25 = h[h["year"] == 2025].iloc[0]  # the unit itself: as read, its rate kept
    assert (y25["achieved"], y25["reported_rate"], y25["harmonised"]) == (65, 0.9286, False)
    antq.check_tidy(h[list(antq.TIDY_COLUMNS)])


def test_a_count_missing_in_one_part_makes_the_sum_na():
    rows = _communes(VAN_THANG, [(10, 12), (20, None), (30, 31)])
    h = antq.harmonise(table(rows), to="2025-07-01")
    assert h["achieved"].iloc[0] == 60 and pd.isna(h["total"].iloc[0])


def test_a_partial_sum_is_left_out_with_a_finding():
    rows = _communes(dict(list(VAN_THANG.items())[:2]), [(10, 12), (20, 25)])
    h, f = antq.harmonise(table(rows), to="2025-07-01", findings=True)
    assert h.empty
    assert f["rule"].tolist() == ["harmonise.partial"] and f["severity"].tolist() == ["warning"]
    assert f["area"].iloc[0] == "Xã Vạn Thắng" and "Xã Yên Thắng" in f["message"].iloc[0]
    with pytest.warns(AntqWarning, match="Xã Yên Thắng"):
        antq.harmonise(table(rows), to="2025-07-01")


def test_a_split_unit_is_not_apportioned_without_weights():
    rows = _communes(PHU_LY, [(10, 10), (20, 20), (30, 30), (40, 40)])
    h, f = antq.harmonise(table(rows), to="2025-07-01", findings=True, lang="en")
    assert h.empty  # Phường Phủ Lý draws on a part of Quang Trung; Phường Hà Nam too
    split = f[f["rule"] == "harmonise.split"]
    assert set(split["area"]) == {"Phường Phủ Lý", "Phường Hà Nam"}
    msg = split.loc[split["area"] == "Phường Phủ Lý", "message"].iloc[0]
    assert "Phường Quang Trung was split" in msg and "weights" in msg
    # With the share the user knows, it is apportioned (and rounded to whole units).
    weights = pd.DataFrame({"old": ["13285"], "new": ["13285"], "weight": [0.55]})
    with pytest.warns(AntqWarning, match="Phường Hà Nam"):  # Tiên Nội's share is not given
        h = antq.harmonise(table(rows), to="2025-07-01", weights=weights)
    phu_ly = h[h["area"] == "Phường Phủ Lý"].iloc[0]
    assert phu_ly["achieved"] == round(0.55 * 10) + 20 + 30 + 40 and phu_ly["total"] == 96
    with pytest.raises(AntqError, match="between 0 and 1"):
        antq.harmonise(table(rows), to="2025-07-01", weights={("13285", "13285"): 1.5})


def test_rows_without_a_unit_and_units_after_the_day_are_left_out_with_findings():
    rows = [
        (2024, "Khu Bắc", None, "safe_residential_area", 1, 2, None),
        (2025, "Xã Vạn Thắng", "13864", "safe_residential_area", 65, 70, None),
    ]
    h, f = antq.harmonise(table(rows), to="2024-09-01", findings=True)
    assert h.empty
    assert sorted(f["rule"]) == ["harmonise.after", "harmonise.unidentified"]


def test_my_loc_inside_the_city_for_2015_to_2023(bundled):
    h, f = antq.harmonise(bundled, to="2024-09-01", findings=True)
    assert set(h.loc[h["level"] == "district", "area"]) == {
        a for a in bundled.loc[bundled["year"] == 2024, "area"] if a.startswith(("Huyện", "Thành"))
    }
    raw = keyed(bundled)
    city = h[h["area"] == "Thành phố Nam Định"].set_index(["year", "indicator"])
    for (year, ind), row in city.iterrows():
        if year == 2024:
            assert not row["harmonised"]
            assert row["achieved"] == raw.loc[(2024, "Thành phố Nam Định", ind), "achieved"]
            continue
        parts = raw.loc[[(year, "Thành phố Nam Định", ind), (year, "Huyện Mỹ Lộc", ind)]]
        assert row["achieved"] == parts["achieved"].sum() and row["sources"] == 2
        assert pd.isna(row["reported_rate"])
    assert sorted(city.index.get_level_values("year").unique()) == list(range(2015, 2025))
    # The 2025 report is of units formed after 1/9/2024: one finding, not a guess.
    assert f["rule"].tolist() == ["harmonise.after"]


def test_to_the_new_communes(bundled):
    h, f = antq.harmonise(bundled, to="2025-07-01", findings=True)
    c24 = h[(h["year"] == 2024) & (h["level"] == "commune")]
    assert c24["area"].nunique() == 57 and c24["harmonised"].all()
    raw24 = bundled[(bundled["year"] == 2024) & (bundled["level"] == "commune")]
    for ind in ("safe_residential_area", "cultural_family"):
        assert c24.loc[c24["indicator"] == ind, "achieved"].sum() == (
            raw24.loc[raw24["indicator"] == ind, "achieved"].sum()
        )
    partial = f[f["rule"] == "harmonise.partial"]
    assert partial["area"].tolist() == ["Tỉnh Ninh Bình"]  # Hà Nam and Ninh Bình not read
    assert "2015–2024" in partial["message"].iloc[0]
    assert len(f[f["rule"] == "harmonise.abolished"]) == 10  # the districts


# ---- regions --------------------------------------------------------------------------
def test_old_province_region_is_the_sum_of_its_57_communes(bundled):
    r, f = antq.regions(bundled, of="Tỉnh Nam Định", findings=True)
    assert f.empty and set(r["area"]) == {"Tỉnh Nam Định (cũ)"}
    assert sorted(r["year"].unique()) == list(range(2015, 2026))
    from_nd = {
        v
        for u in registry.inside("P36", on="2025-06-30", level="commune")
        for v in registry.successors(u, on="2025-07-01")
    }
    assert len(from_nd) == 57
    y25 = bundled[(bundled["year"] == 2025) & (bundled["level"] == "commune")]
    mine = y25[registry.uids(y25).isin(from_nd).to_numpy()]
    for ind, rows in mine.groupby("indicator"):
        row = r[(r["year"] == 2025) & (r["indicator"] == ind)].iloc[0]
        assert row["achieved"] == rows["achieved"].sum() and row["sources"] == 57
    # The years it existed are its own rows, published rates and all.
    own = r[(r["year"] == 2020) & (r["indicator"] == "safe_residential_area")].iloc[0]
    assert (own["achieved"], own["reported_rate"], own["harmonised"]) == (3321, 0.9475, False)
    assert (own["province"], own["level"]) == ("Tỉnh Nam Định", "province")


def test_former_districts_where_their_communes_map_whole_and_the_straddlers_flagged(bundled):
    r, f = antq.regions(bundled, findings=True)
    last = r.groupby("area")["year"].max()
    for name in ("Huyện Hải Hậu", "Huyện Ý Yên", "Huyện Giao Thủy", "Huyện Xuân Trường"):
        assert last[name + " (cũ)"] == 2025
    for name in ("Thành phố Nam Định", "Huyện Vụ Bản", "Huyện Nam Trực"):
        assert last[name + " (cũ)"] == 2024
    straddle = f[(f["rule"] == "region.straddle") & (f["year"].isna())].set_index("area")
    assert "Phường Thành Nam" in straddle.loc["Huyện Vụ Bản (cũ)", "message"]
    assert "Phường Vị Khê" in straddle.loc["Huyện Nam Trực (cũ)", "message"]
    city = straddle.loc["Thành phố Nam Định (cũ)", "message"]
    assert all(w in city for w in ("Thành Nam", "Trường Thi", "Vị Khê", "Hồng Quang"))
    # Thành phố Nam Định (cũ) is the city as it ended: with Huyện Mỹ Lộc in every year.
    h = antq.harmonise(bundled, to="2024-09-01")
    keys = ["year", "indicator"]
    a = r[r["area"] == "Thành phố Nam Định (cũ)"].set_index(keys)["achieved"]
    b = h[h["area"] == "Thành phố Nam Định"].set_index(keys)["achieved"]
    assert a.sort_index().tolist() == b.sort_index().tolist()
    # Hải Hậu (cũ) in 2025: its new communes summed.
    hh = r[(r["area"] == "Huyện Hải Hậu (cũ)") & (r["year"] == 2025)]
    assert (hh["sources"] >= 2).all() and hh["harmonised"].all()
    assert f["rule"].isin(["region.straddle", "region.unknown"]).all()


def test_regions_of_a_unit_still_in_force_is_an_error(bundled):
    with pytest.raises(AntqError, match="still exists"):
        antq.regions(bundled, of="Xã Hải Hậu")


# ---- year over year -------------------------------------------------------------------
@pytest.fixture(scope="module")
def changes(bundled):
    return keyed(antq.yoy(bundled, events=RAW))


def test_one_meaning_of_change(changes):
    row = changes.loc[(2020, "Tỉnh Nam Định", "safe_residential_area")]
    assert row["shown_rate"] == pytest.approx(0.9475)  # as published
    assert row["shown_change_pp"] == pytest.approx(94.75 - 93.5)  # the 1,25 the summary states
    assert row["change_pp"] == pytest.approx((3321 / 3462 - 3553 / 3800) * 100)  # computed: 2,43


def test_the_city_2024_is_compared_with_city_and_my_loc_2023(bundled, changes):
    row = changes.loc[(2024, "Thành phố Nam Định", "safe_residential_area")]
    raw = keyed(bundled)
    city_and_my_loc = ("Thành phố Nam Định", "Huyện Mỹ Lộc")
    before = raw.loc[[(2023, n, "safe_residential_area") for n in city_and_my_loc]]
    assert row["achieved_prev"] == before["achieved"].sum()
    assert row["total_prev"] == before["total"].sum()
    assert row["prev_basis"] == "harmonised"
    assert row["prev_areas"] == "Thành phố Nam Định + Huyện Mỹ Lộc"
    assert row["break"] == "sáp nhập vào Thành phố Nam Định, 1/9/2024"
    assert row["break_code"] == "area.merged:2024-09-01"
    # The file writes 2024's rate to two decimals in percent: the sum of 2023 is compared
    # at that precision (yoy: rounding alone is no change).
    summed = round(before["achieved"].sum() / before["total"].sum(), 4)
    assert row["shown_rate_prev"] == pytest.approx(summed, abs=1e-12)
    assert row["shown_change_pp"] == pytest.approx((row["shown_rate"] - summed) * 100)


def test_without_the_merged_unit_there_is_no_comparison(bundled):
    no_my_loc = bundled[bundled["area"] != "Huyện Mỹ Lộc"]
    y = keyed(antq.yoy(no_my_loc, lang="en"))
    row = y.loc[(2024, "Thành phố Nam Định", "safe_agency")]
    assert pd.isna(row["achieved_prev"]) and pd.isna(row["shown_change_pp"])
    assert pd.isna(row["change_pp"]) and pd.isna(row["achieved_growth"])
    assert row["break"] == "merged into Thành phố Nam Định, 2024-09-01"


def test_new_communes_compared_with_their_former_communes_summed(bundled, changes):
    row = changes.loc[(2025, "Xã Vạn Thắng", "safe_residential_area")]
    raw24 = bundled[(bundled["year"] == 2024) & bundled["area_code"].isin(list(VAN_THANG))]
    raw24 = raw24[raw24["indicator"] == "safe_residential_area"]
    assert row["achieved_prev"] == raw24["achieved"].sum() and row["prev_basis"] == "harmonised"
    assert row["break"] == "sắp xếp đơn vị hành chính, 1/7/2025"
    assert pd.notna(row["shown_change_pp"])


def test_no_comparable_predecessor_gives_na_and_names_the_event(changes):
    # The new Tỉnh Ninh Bình: old Hà Nam and Ninh Bình are not in the table.
    row = changes.loc[(2025, "Tỉnh Ninh Bình", "safe_agency")]
    assert pd.isna(row["achieved_prev"]) and pd.isna(row["shown_change_pp"])
    assert pd.isna(row["change_n"]) and pd.isna(row["prev_basis"])
    assert row["break_code"] == "area.reorganised:2025-07-01"
    # Communes: the communes' own reorganisation is named beside it (criteria.csv).
    row = changes.loc[(2025, "Tỉnh Ninh Bình", "safe_commune")]
    assert row["break_code"] == "area.reorganised:2025-07-01;criteria:reorg_2025"
    # A commune of old Hà Nam: nothing of it was read in 2024.
    assert pd.isna(changes.loc[(2025, "Phường Phủ Lý", "safe_commune"), "shown_change_pp"])


def test_a_unit_drawing_on_part_of_a_split_commune_is_not_compared():
    """Phường Phủ Lý took only a part of Phường Quang Trung: the four former communes summed
    are no predecessor of it, even with every one of them in the table."""
    rows = _communes(PHU_LY, [(10, 10), (20, 20), (30, 30), (40, 40)])
    rows.append((2025, "Phường Phủ Lý", "13285", "safe_residential_area", 95, 100, None))
    y = antq.yoy(table(rows))
    row = y[y["area"] == "Phường Phủ Lý"].iloc[0]
    assert pd.isna(row["achieved_prev"]) and pd.isna(row["prev_basis"])
    assert pd.isna(row["shown_change_pp"]) and pd.isna(row["change_n"])
    assert row["break"] == "sắp xếp đơn vị hành chính, 1/7/2025"


def test_criteria_change_breaks_schools_and_enterprises_in_2022(changes):
    for ind in ("safe_school", "safe_enterprise"):
        row = changes.loc[(2022, "Tỉnh Nam Định", ind)]
        assert row["break"] == "tiêu chí mới theo Thông tư 124/2021/TT-BCA, 2022"
        assert row["break_code"] == "criteria:tt124_2021"
        assert pd.isna(row["shown_change_pp"]) and pd.isna(row["change_n"])
        assert pd.isna(row["achieved_growth"]) and pd.notna(row["achieved_prev"])
    assert pd.isna(changes.loc[(2022, "Tỉnh Nam Định", "safe_agency"), "break"])
    assert pd.notna(changes.loc[(2023, "Tỉnh Nam Định", "safe_school"), "shown_change_pp"])


def test_the_users_event_leaves_rates_comparable_but_not_counts(bundled, changes):
    row = changes.loc[(2020, "Huyện Hải Hậu", "cultural_residential_area")]
    assert row["break"] == "sáp nhập thôn, tổ dân phố, 2020" and row["break_code"] == (
        "event:sap_nhap_thon_2020"
    )
    assert pd.isna(row["change_n"]) and pd.isna(row["achieved_growth"])
    assert pd.notna(row["shown_change_pp"])
    assert pd.isna(changes.loc[(2020, "Huyện Hải Hậu", "safe_agency"), "break"])
    # Without the table the change stands, as before.
    plain = keyed(antq.yoy(bundled))
    assert pd.notna(plain.loc[(2020, "Huyện Hải Hậu", "cultural_residential_area"), "change_n"])


def test_a_harmonised_table_compares_like_with_like(bundled):
    h = antq.harmonise(bundled, to="2024-09-01")
    y = keyed(antq.yoy(h))
    row = y.loc[(2024, "Thành phố Nam Định", "safe_residential_area")]
    assert row["prev_basis"] == "same" and pd.isna(row["break"])
    # Regions concatenated with the table they came from are series of their own.
    r = antq.regions(bundled, of="Tỉnh Nam Định")
    both = keyed(antq.yoy(pd.concat([bundled, r], ignore_index=True)))
    row = both.loc[(2025, "Tỉnh Nam Định (cũ)", "safe_residential_area")]
    assert row["prev_basis"] == "same" and pd.notna(row["shown_change_pp"])
    assert pd.notna(both.loc[(2025, "Tỉnh Ninh Bình", "safe_commune"), "break"])


def test_a_share_of_communes_does_not_compare_across_the_communes_reorganisation(bundled):
    """From 1/7/2025 "a commune" is another unit: 56 of 57 new communes safe is no change
    from 171 of 175 old ones, even over the same area (criteria.csv, reorg_2025)."""
    r = antq.regions(bundled, of="Tỉnh Nam Định")
    y = keyed(antq.yoy(pd.concat([bundled, r], ignore_index=True)))
    row = y.loc[(2025, "Tỉnh Nam Định (cũ)", "safe_commune")]
    assert row["break_code"] == "criteria:reorg_2025"
    assert row["break"] == "sắp xếp đơn vị hành chính cấp xã, 1/7/2025"
    assert pd.isna(row["shown_change_pp"]) and pd.isna(row["change_n"])
    # Counts of residential areas over the same area still compare.
    assert pd.notna(y.loc[(2025, "Tỉnh Nam Định (cũ)", "safe_residential_area"), "change_n"])
    # A new commune against its former communes summed: residential areas yes, communes no.
    vt = y.loc[(2025, "Xã Vạn Thắng", "safe_commune")]
    assert vt["break_code"] == "area.reorganised:2025-07-01;criteria:reorg_2025"
    assert pd.isna(vt["shown_change_pp"])
    # 2024 is the province's own row: its communes were merged on 1/9/2024 (reorg_2024_nam_dinh).
    assert y.loc[(2024, "Tỉnh Nam Định (cũ)", "safe_commune"), "break_code"] == (
        "criteria:reorg_2024_nam_dinh"
    )
    assert pd.isna(y.loc[(2023, "Tỉnh Nam Định (cũ)", "safe_commune"), "break"])


def test_a_share_of_communes_does_not_compare_across_nam_dinhs_communes_merger_of_2024(changes):
    """On 1/9/2024 Nam Định's communes were merged as well (226 → 175, Resolution
    1104/NQ-UBTVQH15): 171 safe of 175 is no change from 223 of 226, nor 23 of 24 in Hải Hậu
    from 35 of 35 (criteria.csv, reorg_2024_nam_dinh, for Tỉnh Nam Định and the areas in it)."""
    for area in ("Tỉnh Nam Định", "Huyện Hải Hậu", "Thành phố Nam Định"):
        row = changes.loc[(2024, area, "safe_commune")]
        assert "sắp xếp đơn vị hành chính cấp xã, 1/9/2024" in row["break"]
        assert "criteria:reorg_2024_nam_dinh" in row["break_code"]
        assert pd.isna(row["shown_change_pp"]) and pd.isna(row["change_n"])
    city = changes.loc[(2024, "Thành phố Nam Định", "safe_commune"), "break"]
    assert city.startswith("sáp nhập vào Thành phố Nam Định, 1/9/2024")  # the registry's first
    # Other indicators, and the communes of other years, still compare.
    assert pd.notna(changes.loc[(2024, "Huyện Hải Hậu", "safe_agency"), "shown_change_pp"])
    assert pd.isna(changes.loc[(2023, "Huyện Hải Hậu", "safe_commune"), "break"])


def test_an_area_scoped_criteria_change_leaves_other_provinces_alone():
    rows = [
        (year, "Tỉnh Thái Bình", "34", "safe_commune", a, 260, None)
        for year, a in ((2023, 250), (2024, 255))
    ]
    y = antq.yoy(table(rows).assign(level="province", province="Tỉnh Thái Bình"))
    assert y["break"].isna().all() and y["shown_change_pp"].notna().iloc[-1]


# ---- the summary's words across a break ---------------------------------------------------
def _quiet_summary(df, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AntqWarning)
        return antq.summary(df, **kw)


def test_summary_names_the_criteria_change_instead_of_a_change(bundled):
    text = _quiet_summary(bundled, year=2022)
    broken = "không so sánh được với năm 2021: tiêu chí mới theo Thông tư 124/2021/TT-BCA, 2022"
    assert text.count(broken) == 2  # enterprises and schools
    assert "nhà trường (chiếm tỷ lệ 97,48%, " + broken + ")" in text
    assert "594 cơ quan (chiếm tỷ lệ 97,7%, tăng 0,32 điểm phần trăm so với năm 2021)" in text


def test_summary_of_the_new_province_says_once_that_nothing_compares(bundled):
    text = _quiet_summary(bundled, year=2025)
    assert text.endswith(
        "Các chỉ tiêu trên không so sánh được với năm 2024: sắp xếp đơn vị hành chính, 1/7/2025."
    )
    assert "so với năm 2024" not in text.replace("không so sánh được với năm 2024", "")
    en = _quiet_summary(bundled, year=2025, lang="en")
    assert en.endswith(
        "None of these compares with 2024: reorganisation of administrative units, 2025-07-01."
    )


def test_summary_says_once_what_every_item_shares_and_beside_an_item_what_is_its_own(bundled):
    text = _quiet_summary(bundled, year=2025)
    assert text.count("sắp xếp đơn vị hành chính, 1/7/2025") == 1  # said once, at the end
    assert (
        "124 xã, phường (chiếm tỷ lệ 96,12%, không so sánh được với năm 2024: "
        "sắp xếp đơn vị hành chính cấp xã, 1/7/2025)" in text
    )


def test_a_region_is_summarised_by_its_name_as_an_area_of_its_own(bundled):
    text = _quiet_summary(bundled, year=2025, area="Tinh Nam Dinh (cu)")
    assert text.startswith("Năm 2025, Tỉnh Nam Định (cũ) có 2.993/3.455 khu dân cư văn hóa")
    assert "UBND tỉnh" not in text and "toàn tỉnh" not in text  # not the province of 2025
    assert "3.370 khu dân cư (chiếm tỷ lệ 97,54%, tăng 0,75 điểm phần trăm so với năm 2024)" in text
    assert (
        "56 xã, phường (chiếm tỷ lệ 98,25%, không so sánh được với năm 2024: "
        "sắp xếp đơn vị hành chính cấp xã, 1/7/2025)" in text
    )
    assert _quiet_summary(bundled, year=2020, area="Tỉnh Nam Định (cũ)").startswith(
        "Năm 2020, Tỉnh Nam Định (cũ) có 2.863/3.462"
    )


def test_summary_compares_a_merged_unit_with_its_parts_and_says_so(bundled, changes):
    text = _quiet_summary(bundled, year=2024, area="Thành phố Nam Định")
    pp = changes.loc[(2024, "Thành phố Nam Định", "safe_residential_area"), "shown_change_pp"]
    assert f"tăng {pp:.2f} điểm phần trăm so với năm 2023".replace(".", ",") in text
    assert text.endswith("Số liệu năm 2023 để so sánh tính cả Huyện Mỹ Lộc.")
    text = _quiet_summary(bundled, year=2025, area="Xã Vạn Thắng")
    assert text.endswith(
        "Số liệu năm 2024 để so sánh là tổng của Xã Yên Lương, Xã Yên Tiến và Xã Yên Thắng."
    )


def test_summary_with_the_users_events(bundled):
    text = _quiet_summary(bundled, year=2020, events=RAW)
    broken = "không so sánh được với năm 2019: sáp nhập thôn, tổ dân phố, 2020"
    assert f"2.863/3.462 khu dân cư văn hóa ({broken})" in text  # counts do not compare
    assert "94,75%, tăng 1,25 điểm phần trăm so với năm 2019" in text  # rates do
    assert "507.361 hộ được công nhận gia đình văn hóa (tăng" in text  # households: untouched
    assert broken not in _quiet_summary(bundled, year=2020)


# ---- validation and the user's events table -------------------------------------------
def test_a_known_event_is_one_info_line_not_a_warning_per_row(bundled):
    plain = antq.validate(bundled)
    # The 2020 merger, undeclared: 11 areas × 2 total cells (the cultural and the safety sheet).
    assert (plain["rule"] == "denominator.jump").sum() == 22
    f = antq.validate(bundled, events=RAW)
    assert "denominator.jump" not in set(f["rule"])
    lines = f[f["rule"] == "denominator.jump_event"].set_index("year")
    assert lines.index.tolist() == [2020, 2024] and (lines["severity"] == "info").all()
    assert "sáp nhập thôn, tổ dân phố" in lines.loc[2020, "message"]
    assert "Tỉnh Nam Định 3.800 → 3.462" in lines.loc[2020, "message"]
    # Thành phố Nam Định's +37% in 2024 is the registry's event, declared by no one.
    assert "sáp nhập vào Thành phố Nam Định" in lines.loc[2024, "message"]
    assert (
        "sáp nhập vào Thành phố Nam Định"
        in plain.loc[plain["rule"] == "denominator.jump_event", "message"].iloc[0]
    )


def test_an_event_naming_no_area_of_the_table_is_a_warning_and_explains_nothing(bundled):
    events = antq.read_events(RAW).assign(area="Tỉnh Nam Đinh")  # a typo
    f = antq.validate(bundled, events=events)
    bad = f[f["rule"] == "events.unmatched"]
    assert bad["severity"].tolist() == ["warning"] and bad["source"].tolist() == ["events.csv"]
    assert "'Tỉnh Nam Đinh'" in bad["message"].iloc[0] and "dòng 2" in bad["message"].iloc[0]
    assert (f["rule"] == "denominator.jump").sum() > 20  # the jumps stay warnings
    # A district's own event covers that district only.
    one = antq.read_events(RAW).assign(area="Huyện Hải Hậu")
    f = antq.validate(bundled, events=one)
    jumps = f[f["rule"] == "denominator.jump"]
    assert "Huyện Hải Hậu" not in set(jumps["area"]) and len(jumps) == 22 - 2
    line = f[(f["rule"] == "denominator.jump_event") & (f["year"] == 2020)]
    assert line["area"].tolist() == ["Huyện Hải Hậu"]


def test_check_reads_the_events_beside_the_workbooks():
    f = antq.check(RAW)
    assert not (f["rule"] == "denominator.jump").any()
    assert sorted(f.loc[f["rule"] == "denominator.jump_event", "year"]) == [2020, 2024]
    # Files name no folder, as for supersedes.csv: their events are not read.
    two = antq.check([RAW / "BC_ANTQ_2019.xlsx", RAW / "BC_ANTQ_2020.xlsx"])
    assert (two["rule"] == "denominator.jump").sum() == 22


def test_units_that_ceased_are_not_missing(bundled):
    f = antq.validate(bundled, rules=["coverage.missing_area"])
    assert f.empty  # Mỹ Lộc after 2023, old communes in 2025, new ones before
    gone = bundled[~((bundled["year"] == 2022) & (bundled["area"] == "Huyện Hải Hậu"))]
    f = antq.validate(gone, rules=["coverage.missing_area"])
    assert f["area"].tolist() == ["Huyện Hải Hậu"] and "2022" in f["message"].iloc[0]


@pytest.mark.parametrize(
    "line, match",
    [
        ("2020,,residential_area,x,,,maybe,", "compare must be one of"),
        ("2020,,schools,x,,,,", "'schools' is neither"),
        (",,,x,,,,", "needs a date"),
        ("20.5.2020,,,x,,,,", "neither a day"),
    ],
)
def test_the_events_table_names_the_line_at_fault(tmp_path, line, match):
    path = tmp_path / "events.csv"
    path.write_text(",".join(antq.series.events.EVENT_COLUMNS) + "\n" + line + "\n")
    with pytest.raises(AntqError, match=rf"line 2: .*{match}"):
        antq.read_events(path)


def test_events_table_defaults(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text("date,description\n2021-03-01,chia tách thôn\n")
    ev = antq.read_events(tmp_path)
    assert ev.loc[0, ["code", "compare"]].tolist() == ["line 2", "none"]
    assert pd.isna(ev.loc[0, "area"]) and pd.isna(ev.loc[0, "indicators"])
    (tmp_path / "empty").mkdir()
    assert antq.read_events(tmp_path / "empty").empty and antq.read_events(None).empty


def test_plain_calls_warn_only_what_is_a_warning(bundled):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        antq.regions(bundled)
    assert not caught  # straddling wards are an info: expected, and said in the findings


def test_codes_read_back_as_numbers_give_what_the_table_gives(bundled_tidy, tmp_path):
    """A tidy table saved to CSV and read back by pandas has its codes as numbers (356):
    yoy, harmonise and regions look them up as the contract types them ("356"), so they
    give what the table itself gives. Before, the numbers found no unit: Thành phố Nam
    Định 2024 was compared with the city of 2023 alone, Mỹ Lộc left out."""
    table = bundled_tidy.copy()
    table.loc[table["year"] == 2015, "area_code"] = pd.NA  # gaps: pandas reads floats
    table.to_csv(tmp_path / "tidy.csv", index=False)
    back = pd.read_csv(tmp_path / "tidy.csv")
    assert back["area_code"].dtype == "float64"  # 356.0, as pandas reads them
    same = antq.yoy(back)
    pd.testing.assert_frame_equal(same, antq.yoy(table), check_dtype=False)
    city = same.query("year == 2024 and area == 'Thành phố Nam Định'")
    assert set(city["prev_basis"]) == {"harmonised"}
    with pytest.warns(AntqWarning) as said:
        got = antq.harmonise(back, to="2025-07-01")
        want = antq.harmonise(table, to="2025-07-01")
    # No 2015-2024 Ninh Bình; 2015's rows, without codes, are set aside: both, each time.
    rules = sorted(str(w.message).split("]")[0].split("[")[1] for w in said)
    assert rules == ["harmonise.partial"] * 2 + ["harmonise.unidentified"] * 2
    pd.testing.assert_frame_equal(got, want, check_dtype=False)
    assert len(got) and got["harmonised"].any()
    pd.testing.assert_frame_equal(antq.regions(back), antq.regions(table), check_dtype=False)


def test_a_table_without_codes_is_compared_by_its_names():
    """``area_code`` is optional in the contract: without it no unit is known, each area is
    its own series (no KeyError)."""
    df = pd.DataFrame(
        {
            "year": [2023, 2024],
            "area": ["Thành phố Nam Định"] * 2,
            "level": ["district"] * 2,
            "indicator": ["safe_school"] * 2,
            "achieved": [1, 2],
            "total": [3, 4],
            "reported_rate": [None, None],
        }
    )
    y = antq.yoy(df).set_index("year")
    assert y.loc[2024, "achieved_prev"] == 1 and y.loc[2024, "prev_basis"] == "same"
    with pytest.warns(AntqWarning, match="harmonise.unidentified"):
        assert antq.harmonise(df, to="2025-07-01").empty
    assert antq.regions(df).empty  # no unit ceased in the table's years


def test_a_part_read_twice_in_a_year_is_said_not_dropped_silently():
    # Phường Hồng Quang (1/7/2025) = Phường Nam Vân + Xã Nghĩa An + Xã Hồng Quang; Nam Vân
    # has two rows of 2024 (its name with and without diacritics, one code): the sum would
    # count it twice, so the unit is left out, and said (it was left out without a word).
    rows = [
        ("Phường Nam Vân", "13705", 10, 12),
        ("Xã Nghĩa An", "13975", 8, 9),
        ("Xã Hồng Quang", "13984", 7, 7),
        ("Phuong Nam Van", "13705", 10, 12),
    ]
    df = pd.DataFrame(
        [
            dict(year=2024, area=a, area_code=c, level="commune", achieved=x, total=t)
            for a, c, x, t in rows
        ]
    ).assign(indicator="safe_residential_area", source=[f"f.xlsx!S!D{i}" for i in range(4, 8)])
    h, found = antq.harmonise(df, to="2025-07-01", findings=True, lang="en")
    assert h.empty
    assert found[["rule", "area", "year"]].values.tolist() == [
        ["harmonise.repeated", "Phường Hồng Quang", 2024]
    ]
    assert "Phường Nam Vân has more than one row that year" in found["message"].iloc[0]
    h, found = antq.harmonise(df.iloc[:3], to="2025-07-01", findings=True)
    assert h[["area", "achieved", "total"]].values.tolist() == [["Phường Hồng Quang", 25, 28]]
    assert found.empty


def test_an_events_file_that_is_not_there_is_an_antq_error_naming_it(tmp_path):
    missing = tmp_path / "su_kien.csv"
    with pytest.raises(antq.AntqError, match="su_kien.csv: no such events file") as err:
        antq.read_events(missing)
    assert "không có file sự kiện này" in err.value.vi
    with pytest.raises(antq.AntqError, match="no such events file"):
        antq.yoy(antq.load(RAW / "BC_ANTQ_2020.xlsx"), events=missing)


def test_a_part_read_twice_and_another_missing_is_no_sum():
    # Xã Hiển Khánh (1/7/2025) = Hiển Khánh + Hợp Hưng + Trung Thành + Quang Trung: with
    # Quang Trung missing and Trung Thành twice, four rows for four parts summed Trung
    # Thành twice into a "complete" unit, and said nothing.
    rows = [
        ("Xã Hiển Khánh", "13747"),
        ("Xã Hợp Hưng", "13753"),
        ("Xã Trung Thành", "13765"),
        ("X. Trung Thành", "13765"),
    ]
    df = pd.DataFrame(
        [dict(year=2024, area=a, area_code=c, level="commune") for a, c in rows]
    ).assign(
        indicator="safe_residential_area",
        achieved=10,
        total=12,
        source=[f"f.xlsx!S!D{i}" for i in range(4, 8)],
    )
    h, found = antq.harmonise(df, to="2025-07-01", findings=True)
    assert h.empty
    assert sorted(found["rule"]) == ["harmonise.partial", "harmonise.repeated"]
