"""The vocabulary tables: indicators, header spellings, area names."""

import pytest

from antq.vocab import LEVELS, indicator_table, indicators, resolve_area


def test_indicator_dictionary_matches_domain():
    assert list(indicators()) == [
        "cultural_residential_area",
        "cultural_family",
        "residential_area_with_convention",
        "five_no_residential_area",
        "safe_residential_area",
        "safe_commune",
        "safe_agency",
        "safe_enterprise",
        "safe_school",
    ]
    table = indicator_table()
    assert {"label_vi", "label_en", "unit", "header_spellings"} <= set(table.columns)
    assert "GĐVH" in table.loc["cultural_family", "header_spellings"]
    assert "ANTT" in table.loc["safe_school", "header_spellings"]


@pytest.mark.parametrize(
    "written, name, level",
    [
        ("TP. Nam Định", "Thành phố Nam Định", "district"),
        ("TP Nam Định", "Thành phố Nam Định", "district"),
        ("Thành phố Nam Định", "Thành phố Nam Định", "district"),
        ("H. Hải Hậu", "Huyện Hải Hậu", "district"),
        ("Hải Hậu", "Huyện Hải Hậu", "district"),
        ("HUYỆN GIAO THUỶ", "Huyện Giao Thủy", "district"),
        ("Xã Hải Nam", "Xã Hải Nam", "commune"),
        ("TT. Yên Định", "Thị trấn Yên Định", "commune"),
        ("Thị trấn Yên Định", "Thị trấn Yên Định", "commune"),
        ("Đà Nẵng", "Thành phố Đà Nẵng", "province"),
        ("2. Vụ Bản", "Huyện Vụ Bản", "district"),
    ],
)
def test_area_variants(written, name, level):
    match = resolve_area(written)
    assert (match.name, match.level, match.known) == (name, level, True)


def test_unknown_names_kept_as_written_with_level_from_prefix():
    assert resolve_area("  Phường Mới  ").name == "Phường Mới"
    assert resolve_area("Phường Mới").level == "commune" and not resolve_area("Phường Mới").known
    assert resolve_area("Khu vực Bắc").level is None


def test_names_typed_without_diacritics_find_the_canonical_name():
    # Đ is folded to d by its own rule (NFD alone keeps it): "Da Nang" finds Đà Nẵng,
    # and the canonical name keeps its Đ.
    assert resolve_area("Da Nang").name == "Thành phố Đà Nẵng"
    assert resolve_area("hai hau").name == "Huyện Hải Hậu"
    assert LEVELS == ("province", "district", "commune")


def test_units_groups_and_words_come_from_the_tables():
    from antq.vocab import groups, units, word

    assert units()["enterprise"].denominator_jump == 0.25
    assert {i.group for i in indicators().values()} == set(groups())
    assert word("level.district", "vi") == "Huyện" and word("level.district", "en") == "District"
    assert word("unit.household", "en") == "households"  # unit words double as words


def _copy_vocab(tmp_path, name, edit):
    from importlib import resources

    text = (resources.files("antq.data") / name).read_text(encoding="utf-8")
    (tmp_path / name).write_text(edit(text), encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    "name, edit, message",
    [
        ("indicators.csv", lambda t: t.replace(",agency,safe,", ",agencies,safe,"), "units.csv"),
        ("indicators.csv", lambda t: t.replace(",safety,", ",security,", 1), "groups.csv"),
        ("units.csv", lambda t: t.replace("0.25", "25"), "denominator_jump"),
        ("header_terms.csv", lambda t: t + "indicator,an toàn giao thông,traffic,\n", "indicator"),
        ("words.csv", lambda t: t + "plot.empty,,Empty,\n", "vi and en"),
        # A comma in an unquoted value: one value more than the header (a bare TypeError before).
        ("units.csv", lambda t: t + "village,thôn,villages,0.05,thôn, xóm\n", "more values than"),
        ("findings.csv", lambda t: t + "rate.odd,warning,Lạ\n", "fewer values than"),
        ("criteria.csv", lambda t: t.replace(",break.units", ",break.nothing"), "words.csv"),
    ],
)
def test_a_broken_table_is_refused_naming_the_table_and_line(tmp_path, name, edit, message):
    import antq
    from antq.findings import catalogue
    from antq.vocab import criteria_changes, header_terms, use, words

    folder = _copy_vocab(tmp_path, name, edit)
    with use(folder), pytest.raises(antq.VocabularyError, match=f"{name} line \\d+: .*{message}"):
        indicators(), header_terms(), words(), catalogue(), criteria_changes()
    assert len(indicators()) == 9  # the package's tables are back after the block


def test_unknown_word_is_a_vocabulary_error():
    import antq
    from antq.vocab import word

    with pytest.raises(antq.VocabularyError, match="no row 'plot.nothing'"):
        word("plot.nothing")


def test_fill_writes_counts_with_their_noun_in_each_language():
    from antq.findings import Count, Pct
    from antq.vocab import fill

    assert fill("{n:number|numbers}", "en", n=1) == "1 number"
    assert fill("({n:number|numbers})", "en", n=2) == "(2 numbers)"
    assert fill("{n:row|rows}", "en", n=3726) == "3,726 rows"
    assert fill("{n:dòng}", "vi", n=3726) == "3.726 dòng"
    # Localised values are written the language's way, with or without a noun.
    assert fill("{a}, {a:unit|units}, {r}", "en", a=Count(1), r=Pct(0.9475)) == "1, 1 unit, 94.75%"
    assert fill("{a}, {r}", "vi", a=Count(3462), r=Pct(0.9475)) == "3.462, 94,75%"
    # A number without a spec is left as it is (a year is no count).
    assert fill("{year} {found!r}", "vi", year=2024, found="x") == "2024 'x'"


def test_the_counts_of_build_lines_agree_and_group_thousands():
    from antq.vocab import word

    fields = dict(years=word("build.years", "en", first=2015, last=2025), areas=1, indicators=9)
    assert word("build.rows", "vi", n=3726, **fields).strip().startswith("3.726 dòng:")
    en = word("build.rows", "en", n=3726, **fields).strip()
    assert en == "3,726 rows: years 2015–2025, 1 area, 9 indicators"
    assert word("build.year", "vi", year=2020) == "năm 2020"
    assert word("count.error", "en", n=1) == "1 error"
    assert word("count.warning", "en", n=2) == "2 warnings"
    assert word("count.info", "vi", n=1000) == "1.000 thông tin"
