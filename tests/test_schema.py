import pandas as pd
import pytest

import antq
from antq.schema import TIDY_COLUMNS, TIDY_DTYPES, check_tidy, empty_tidy


def _row(**kw):
    base = dict(
        year=2020,
        area="Huyện Hải Hậu",
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
    return pd.DataFrame(rows).astype(TIDY_DTYPES)


def test_contract_columns_and_dtypes():
    assert TIDY_COLUMNS == (
        "year",
        "area",
        "level",
        "indicator",
        "achieved",
        "total",
        "rate",
        "reported_rate",
        "source",
    )
    assert empty_tidy().dtypes.astype(str).tolist() == list(TIDY_DTYPES.values())


def test_bundled_table_follows_contract(bundled_tidy):
    check_tidy(bundled_tidy)
    assert bundled_tidy.dtypes.astype(str).to_dict() == TIDY_DTYPES
    assert set(bundled_tidy["indicator"]) == set(antq.indicator_table().index)


def test_valid_frame_passes():
    check_tidy(_frame([_row()]))


@pytest.mark.parametrize(
    "change, message",
    [
        (dict(level="hamlet"), "level not one of"),
        (dict(indicator="happy_family"), "unknown indicator"),
        (dict(rate=0.9), "rate differs"),
    ],
)
def test_bad_values_are_named(change, message):
    with pytest.raises(antq.SchemaError, match=message):
        check_tidy(_frame([_row(**change)]))


def test_duplicate_keys_refused():
    with pytest.raises(antq.SchemaError, match="share a year"):
        check_tidy(_frame([_row(), _row(source="g.xlsx!S!D5")]))


def test_wrong_dtype_and_missing_column_listed_together():
    df = _frame([_row()]).astype({"achieved": "float64"}).drop(columns="source")
    with pytest.raises(antq.SchemaError) as err:
        check_tidy(df)
    assert "achieved" in str(err.value) and "columns are" in str(err.value)


def test_rate_na_where_total_na_or_zero():
    check_tidy(
        _frame([_row(total=pd.NA, rate=pd.NA), _row(area="X", total=0, achieved=0, rate=pd.NA)])
    )
