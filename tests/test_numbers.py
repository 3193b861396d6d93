import pytest
from hypothesis import given
from hypothesis import strategies as st

from antq.numbers import (
    format_decimal,
    format_int,
    format_pct,
    is_blank,
    looks_numeric,
    parse_count,
    parse_fraction,
    parse_rate,
    shown_decimals,
)


@pytest.mark.parametrize(
    "value, expected",
    [
        (507361, 507361),
        (3462.0, 3462),
        ("507.361", 507361),
        ("1.234.567", 1234567),
        ("12", 12),
        (" 3 462 ", 3462),
        ("-", None),
        ("", None),
        (None, None),
        ("–", None),
    ],
)
def test_parse_count(value, expected):
    assert parse_count(value) == expected


@pytest.mark.parametrize("value", ["chưa báo cáo", "x", "1,5", 12.5, "12.34", True])
def test_parse_count_refuses_non_counts(value):
    with pytest.raises(ValueError):
        parse_count(value)


@pytest.mark.parametrize(
    "value, fmt, expected",
    [
        ("94,75%", "General", 0.9475),
        ("94,75", "General", 0.9475),
        (94.75, "0.00", 0.9475),
        (0.9475, "0.00%", 0.9475),
        ("98,9%", "General", 0.989),
        ("94.75", "General", 0.9475),
        (100, "General", 1.0),
        ("-", "General", None),
    ],
)
def test_parse_rate_is_always_a_fraction(value, fmt, expected):
    assert parse_rate(value, fmt) == expected


def test_parse_rate_refuses_text():
    with pytest.raises(ValueError):
        parse_rate("chưa báo cáo")


def test_parse_fraction():
    assert parse_fraction("2.863/3.462") == (2863, 3462)
    assert parse_fraction("2863 / 3462") == (2863, 3462)
    assert parse_fraction("2.863") is None
    assert parse_fraction(2863) is None


def test_blank_and_numeric():
    assert is_blank(float("nan")) and is_blank(" - ")
    assert looks_numeric("94,75%") and looks_numeric("2.863/3.462") and looks_numeric(5)
    assert not looks_numeric("Hải Hậu") and not looks_numeric(True)


def test_formats():
    assert format_int(507361) == "507.361"
    assert format_int(507361, "en") == "507,361"
    assert format_pct(0.9475) == "94,75%"
    assert format_pct(0.989) == "98,9%"
    assert format_decimal(1234.5, 2) == "1.234,50"
    assert shown_decimals(0.9737) == 2


@given(st.integers(min_value=0, max_value=10**9))
def test_count_round_trip(n):
    assert parse_count(format_int(n)) == n


@given(st.integers(min_value=0, max_value=10000))
def test_rate_round_trip(basis_points):
    rate = basis_points / 10000
    assert parse_rate(format_pct(rate, decimals=2)) == pytest.approx(rate, abs=1e-12)
