"""The finding catalogue: one place says what each finding is; one constructor makes them."""

import pickle
import string

import pytest

from antq.findings import Count, Pct, catalogue, finding, findings_frame
from antq.types import SEVERITIES


def _fields(template):
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("rule", sorted(catalogue()))
def test_every_rule_has_a_severity_two_languages_and_a_description(rule):
    kind = catalogue()[rule]
    assert kind.severity in SEVERITIES and kind.description
    assert {f.removesuffix("_vi") for f in _fields(kind.vi)} == _fields(kind.en)


def test_values_are_written_in_each_languages_way():
    f = finding(
        "rate.mismatch",
        "a.xlsx!S!E9",
        r=Pct(0.9475),
        a=Count(3321),
        t=Count(3462),
        c=Pct(0.9593, 2),
        implied=Count(3505),
        expected=Pct(0.9593, 2),
        found=Pct(0.9475),
    )
    assert "3.321/3.462 = 95,93%" in f.message and "3,321/3,462 = 95.93%" in f.message_en
    assert (f.expected, f.expected_en) == ("95,93%", "95.93%")
    en = findings_frame([f], "en").iloc[0]
    assert en["message"] == f.message_en and en["expected"] == "95.93%"
    assert (f.file, f.cell) == ("a.xlsx", "E9")


def test_findings_survive_pickling_and_sort_errors_first():
    info = finding(
        "read.no_table", "a.xlsx!Mo hinh", sheet="Mo hinh", n=4, why="no area column", why_vi="…"
    )
    error = finding("rate.above_100", "b.xlsx!S!E9", r=Pct(1.2), found=Pct(1.2))
    assert pickle.loads(pickle.dumps(error)) == error
    assert findings_frame([info, error])["severity"].tolist() == ["error", "info"]


def test_unknown_rule_is_a_programming_error():
    with pytest.raises(KeyError):
        finding("no.such.rule", "a.xlsx")


def test_the_indicator_of_a_message_is_named_in_its_language():
    f = finding(
        "duplicate.same",
        "b.xlsx!S!D10",
        n=90,
        file="b.xlsx",
        other="a.xlsx",
        changed=0,
        year=2024,
        area="Thành phố Nam Định",
        indicator="cultural_residential_area",
    )
    assert "ví dụ Thành phố Nam Định, Khu dân cư văn hóa, năm 2024." in f.message
    assert "e.g. Thành phố Nam Định, Cultural residential areas, 2024." in f.message_en
    assert "cultural_residential_area" not in f.message + f.message_en
    assert f.indicator == "cultural_residential_area"  # the column keeps the code
    assert f.message.startswith("90 số liệu") and "b.xlsx repeats 90 values" in f.message_en


def test_counts_in_messages_agree_in_english_and_group_thousands():
    one = finding("read.hidden_sheet", "a.xlsx!Nháp", sheet="Nháp", n=1)
    assert "(1 number)" in one.message_en and "(1 số)" in one.message
    many = finding("read.hidden_sheet", "a.xlsx!Nháp", sheet="Nháp", n=1234)
    assert "(1,234 numbers)" in many.message_en and "(1.234 số)" in many.message


def test_the_text_of_a_finding_says_its_severity_in_vietnamese():
    import warnings

    from antq.errors import AntqWarning

    f = finding("read.not_a_number", "a.xlsx!S!D6", expected="một số nguyên", found="x")
    assert (
        f.text == "a.xlsx!S!D6: lỗi [read.not_a_number] Ô ghi 'x' trong khi cần một số nguyên;"
        " đọc là trống (NA)."
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warnings.warn(AntqWarning(f), stacklevel=1)
    assert "lỗi [read.not_a_number]" in str(caught[0].message)
    assert " error [" not in str(caught[0].message)


def test_the_two_readings_of_an_ambiguous_number_differ_in_each_language():
    from antq.findings import Reading

    f = finding(
        "read.ambiguous_number",
        "a.xlsx!S!C4",
        found="2,415",
        a=Reading("2.415"),
        b=Reading("2415"),
        way="Vietnamese",
        way_vi="tiếng Việt",
    )
    assert "có thể đọc là 2,415 (số thập phân) hoặc 2.415 (số nguyên)" in f.message
    assert "which reads 2.415 (a decimal) or 2,415 (a whole number)" in f.message_en


def test_a_phrase_with_fields_is_written_in_each_language():
    from antq.findings import Phrase

    f = finding(
        "denominator.jump",
        "a.xlsx!S!C9",
        change="+30%",
        prev=2019,
        before=Count(100),
        after=Count(130),
        year=2020,
        expected=Phrase("expect.within", pct=Pct(0.25)),
        found="+30%",
    )
    assert (f.expected, f.expected_en) == ("trong khoảng ±25%", "within ±25%")
