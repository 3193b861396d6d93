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
