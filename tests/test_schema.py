"""The tidy contract: columns, dtypes, allowed values, the key; coercion of compatible tables."""

import typing

import pandas as pd
import pytest

import antq
from antq.schema import KEY, TIDY_COLUMNS, TIDY_DTYPES, as_tidy, check_tidy, empty_tidy, read_tidy


def _row(**kw):
    base = dict(
        year=2020,
        province="Tỉnh Nam Định",
        district="Huyện Hải Hậu",
        area="Huyện Hải Hậu",
        area_code="366",
        level="district",
        indicator="safe_school",
        achieved=10,
        total=20,
        rate=0.5,
        reported_rate=0.5,
        source="f.xlsx!S!D5",
    )
    base.update(kw)
    return base


def _frame(rows):
    return pd.DataFrame(rows)[list(TIDY_COLUMNS)].astype(TIDY_DTYPES)


def test_contract_columns_dtypes_and_key():
    assert TIDY_COLUMNS == (
        "year",
        "province",
        "district",
        "area",
        "area_code",
        "level",
        "indicator",
        "achieved",
        "total",
        "rate",
        "reported_rate",
        "source",
    )
    assert KEY == ("year", "province", "district", "area", "level", "indicator")
    assert empty_tidy().dtypes.astype(str).tolist() == list(TIDY_DTYPES.values())


def test_bundled_table_follows_contract(bundled_tidy):
    check_tidy(bundled_tidy)
    assert bundled_tidy.dtypes.astype(str).to_dict() == TIDY_DTYPES
    assert set(bundled_tidy["indicator"]) == set(antq.indicator_table().index)


def test_valid_frame_passes():
    check_tidy(_frame([_row()]))


@pytest.mark.parametrize(
    "change, column, check",
    [
        (dict(level="hamlet"), "level", "one of"),
        (dict(indicator="happy_family"), "indicator", "indicators.csv"),
        (dict(rate=0.9), "rate", "achieved / total"),
        (dict(level="province", area="Tỉnh Nam Định"), "district", "NA for a province"),
        (dict(source=None), "source", "not missing"),
    ],
)
def test_bad_values_are_named_in_a_failure_table(change, column, check):
    with pytest.raises(antq.SchemaError) as err:
        check_tidy(_frame([_row(**change)]))
    cases = err.value.failure_cases
    assert list(cases.columns) == ["check", "column", "failure_case", "index"]
    hit = cases[cases["column"] == column]
    assert len(hit) == 1 and check in hit["check"].iloc[0] and hit["index"].iloc[0] == 0


def test_two_communes_of_one_name_in_two_districts_are_two_rows():
    a = _row(area="Xã Hồng Quang", level="commune", district="Huyện Ý Yên", area_code="13876")
    b = _row(area="Xã Hồng Quang", level="commune", district="Huyện Nam Trực", area_code="13984")
    check_tidy(_frame([a, b]))
    with pytest.raises(antq.SchemaError, match="unique key"):
        check_tidy(_frame([a, {**a, "source": "g.xlsx!S!D5"}]))


def test_every_failure_listed_together():
    df = _frame([_row()]).astype({"achieved": "float64"}).drop(columns="source")
    with pytest.raises(antq.SchemaError) as err:
        check_tidy(df)
    assert "achieved" in str(err.value) and "columns" in str(err.value)
    assert set(err.value.failure_cases["column"]) == {"*", "achieved"}


def test_rate_na_where_total_na_or_zero():
    check_tidy(
        _frame([_row(total=pd.NA, rate=pd.NA), _row(area="X", total=0, achieved=0, rate=pd.NA)])
    )


def test_as_tidy_coerces_what_is_compatible():
    raw = pd.DataFrame(
        {
            "year": [2020.0],
            "area": ["Huyện Hải Hậu"],
            "level": ["district"],
            "indicator": ["safe_school"],
            "achieved": [10.0],
            "total": [20],
            "reported_rate": [None],
            "extra": ["dropped"],
        }
    )
    out = as_tidy(raw, require_source=False)
    assert out.dtypes.astype(str).to_dict() == TIDY_DTYPES
    assert float(out["rate"].iloc[0]) == 0.5 and out["province"].isna().all()
    assert raw["achieved"].dtype == "float64"  # the input is not changed


def test_codes_read_back_as_numbers_are_written_as_whole_numbers():
    """A CSV read back gives codes as int64, or float64 where some are missing: 356 and
    356.0 are the code "356" (never "356.0", which names no unit); other floats stay as
    they are written."""
    raw = pd.DataFrame(
        {
            "year": [2024] * 3,
            "area": ["Thành phố Nam Định", "Huyện Vụ Bản", "X"],
            "area_code": [356.0, None, 360.0],
            "level": ["district"] * 3,
            "indicator": ["safe_school"] * 3,
            "achieved": [1, 1, 1],
            "total": [2, 2, 2],
            "reported_rate": [None] * 3,
        }
    )
    out = as_tidy(raw, require_source=False)
    assert out["area_code"].tolist() == ["356", pd.NA, "360"]
    assert as_tidy(raw.assign(area_code=[356, 359, 360]), require_source=False)[
        "area_code"
    ].tolist() == ["356", "359", "360"]
    odd = as_tidy(raw.assign(area_code=[1.5, None, 2.0]), require_source=False)
    assert odd["area_code"].tolist() == ["1.5", pd.NA, "2.0"]


@pytest.mark.parametrize(
    "change, column",
    [
        (dict(achieved=["x"]), "achieved"),
        (dict(achieved=[1.5]), "achieved"),
        (dict(year=["y"]), "year"),
    ],
)
def test_as_tidy_refuses_what_cannot_be_coerced_naming_the_column(change, column):
    raw = pd.DataFrame([_row()]).assign(**change)
    with pytest.raises(antq.SchemaError) as err:
        as_tidy(raw)
    assert column in set(err.value.failure_cases["column"])


def test_as_tidy_names_a_missing_column():
    with pytest.raises(antq.SchemaError, match="indicator: column present"):
        as_tidy(pd.DataFrame([_row()]).drop(columns="indicator"))
    with pytest.raises(antq.SchemaError, match="source"):
        as_tidy(pd.DataFrame([_row()]).drop(columns="source"))
    assert (
        as_tidy(pd.DataFrame([_row()]).drop(columns="source"), require_source=False)["source"]
        .isna()
        .all()
    )


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_read_tidy_round_trip(tmp_path, bundled_tidy, suffix):
    path = tmp_path / f"tidy{suffix}"
    if suffix == ".csv":
        bundled_tidy.to_csv(path, index=False, encoding="utf-8-sig")
    else:
        bundled_tidy.to_parquet(path, index=False)
    back = read_tidy(str(path))
    pd.testing.assert_frame_equal(back, bundled_tidy.reset_index(drop=True))
    antq.yoy(back)  # what a user does next
    pd.testing.assert_frame_equal(read_tidy(path), back)  # a Path as well, as typed
    assert "PathLike" in str(typing.get_type_hints(read_tidy)["path"])


def test_schema_error_survives_pickling():
    import pickle

    with pytest.raises(antq.SchemaError) as err:
        check_tidy(_frame([_row(level="hamlet")]))
    again = pickle.loads(pickle.dumps(err.value))
    assert again.failures == err.value.failures and str(again) == str(err.value)


def test_as_tidy_leaves_the_callers_frame_as_it_was(bundled_tidy):
    """as_tidy copies nothing it does not change (pandas' copy-on-write): what it coerces,
    puts back or adds is its own, never the caller's."""
    given = bundled_tidy.head(50).copy()
    given["achieved"] = given["achieved"].astype("float64")  # coerced back to Int64
    given["rate"] = given["rate"].astype("float64") + 1e-13  # put back as the exact quotient
    given = given.drop(columns=["province"])  # added as NA
    before = given.copy(deep=True)
    out = as_tidy(given)
    out.loc[out.index[0], "total"] = 999  # changing the result changes nothing given
    pd.testing.assert_frame_equal(given, before)
    assert out["achieved"].dtype == "Int64" and out["province"].isna().all()
    assert (out["rate"] == bundled_tidy.head(50)["rate"]).fillna(True).all()
