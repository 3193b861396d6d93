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
