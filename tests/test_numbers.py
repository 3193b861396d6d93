import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from antq.numbers import (
    MAX_COUNT,
    AmbiguousNumberError,
    format_decimal,
    format_int,
    format_pct,
    is_blank,
    is_number_cell,
    locale_of,
    looks_numeric,
    parse_count,
    parse_fraction,
    parse_rate,
    read_count,
    read_rate,
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
    # NaN is no cell a clerk left empty: it is a value gone wrong, an error naming its cell.
    assert not is_blank(float("nan")) and is_blank(" - ")
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


@pytest.mark.parametrize(
    "value",
    [
        "99999999999999999999",
        1e20,
        MAX_COUNT + 1,
        float("nan"),
        float("inf"),
        "inf",
        datetime.date(2020, 1, 5),
        "x" * 5000,
    ],
)
def test_hostile_counts_are_value_errors(value):
    with pytest.raises(ValueError):
        parse_count(value)


@pytest.mark.parametrize("value", [float("nan"), float("-inf"), "nan", datetime.date(2020, 1, 5)])
def test_hostile_rates_are_value_errors(value):
    with pytest.raises(ValueError):
        parse_rate(value)


@pytest.mark.parametrize(
    "text, locale, expected",
    [
        # A count is whole: "63,628" can only be the English grouping.
        ("63,628", None, (63628, "en")),
        ("63,628", "en", (63628, "en")),
        ("63,628", "", (63628, "en")),
        ("1,234,567", "vi", (1234567, "en")),  # no Vietnamese reading at all
        ("1.234", "vi", (1234, "vi")),
        ("1.000", None, (1000, "vi")),  # both whole: the form votes Vietnamese
        ("1.000", "en", (1, "en")),
        ("+5", None, (5, "")),
        ("−1", None, (-1, "")),
    ],
)
def test_counts_in_either_locale(text, locale, expected):
    assert read_count(text, locale) == expected


@pytest.mark.parametrize(
    "text, locale",
    [
        ("2,345", "vi"),  # among "1.234"s: a typo for 2.345, or a decimal 2,345?
        ("1.234", "en"),  # among "63,628"s: 1.234 units, or 1,234?
        ("63,000", ""),  # 63 or 63.000, and the table does not say
    ],
)
def test_ambiguous_counts_are_errors(text, locale):
    with pytest.raises(AmbiguousNumberError):
        read_count(text, locale)


@pytest.mark.parametrize(
    "text, locale, expected",
    [
        ("80.95%", None, (0.8095, "en")),
        ("80.95%", "vi", (0.8095, "en")),  # no Vietnamese reading: not ambiguous
        ("94,75", "en", (0.9475, "vi")),
        ("1,234%", "vi", (0.01234, "vi")),  # 1.234% (1234% is no rate)
        ("100", None, (1.0, "")),
    ],
)
def test_rates_in_either_locale(text, locale, expected):
    value, loc = read_rate(text, locale=locale)
    assert (round(value, 12), loc) == expected


def test_locale_of_a_table():
    assert locale_of(["1.234", "4.770", "2,345"]) == "vi"  # the majority of one-group forms
    assert locale_of(["2,400", "494,575", "84.29%"]) == "en"
    assert locale_of(["94,75%", "1,234", "1,500"]) == "vi"  # a form only one locale writes wins
    assert locale_of(["12", "3"]) == ""


def test_fractions_in_either_locale():
    assert parse_fraction("2,863/3,462", "en") == (2863, 3462)
    with pytest.raises(AmbiguousNumberError):
        parse_fraction("2,863/3.462", "vi")


def test_number_cells():
    for v in (5, 2.5, "1.234", "(3)", "+5", "−1", "94,75%", datetime.date(2020, 1, 1)):
        assert is_number_cell(v), v
    for v in ("Năm", "Hải Hậu", None, True, "(a)", "#DIV/0!"):
        assert not is_number_cell(v), v


@pytest.mark.parametrize(
    "value, fmt", [(1e300, "General"), (-1e300, "General"), (1001.0, "General"), (10.5, "0%")]
)
def test_a_rate_number_out_of_any_range_is_an_error_not_a_value(value, fmt):
    """A number in a rate cell is bounded as rate text is: 1E+300 is no rate (it was read as
    1E+298 and overflowed the rounding of the table)."""
    with pytest.raises(ValueError, match="at most 1000%"):
        parse_rate(value, fmt)
    assert parse_rate(-5.0) == -0.05  # a negative rate is validation's to judge, not reading's
    assert parse_rate(1000.0) == 10.0


def test_format_count_agrees_the_noun_with_the_count():
    from antq.numbers import format_count

    assert format_count(1, "en", "row|rows") == "1 row"
    assert format_count(0, "en", "row|rows") == "0 rows"
    assert format_count(3726, "en", "row|rows") == "3,726 rows"
    # Vietnamese has no plural forms: one noun, and its thousands separator.
    assert format_count(3726, "vi", "dòng") == "3.726 dòng"
    assert format_count(1, "vi", "dòng") == "1 dòng"
    assert format_count(1234, "en") == "1,234"
