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
    ],
)
def test_a_broken_table_is_refused_naming_the_table_and_line(tmp_path, name, edit, message):
    import antq
    from antq.vocab import header_terms, use, words

    folder = _copy_vocab(tmp_path, name, edit)
    with use(folder), pytest.raises(antq.VocabularyError, match=f"{name} line \\d+: .*{message}"):
        indicators(), header_terms(), words()
    assert len(indicators()) == 9  # the package's tables are back after the block


def test_unknown_word_is_a_vocabulary_error():
    import antq
    from antq.vocab import word

    with pytest.raises(antq.VocabularyError, match="no row 'plot.nothing'"):
        word("plot.nothing")
