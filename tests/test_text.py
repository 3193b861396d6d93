import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from antq._text import clean, contains_phrase, fold, tokens


def test_fold_strips_marks_and_keeps_d_for_dj():
    assert fold("Đà Nẵng") == "da nang"
    assert fold("ĐẠT CHUẨN “AN TOÀN VỀ ANTT”") == "dat chuan an toan ve antt"


def test_fold_same_for_nfd_and_nfc():
    text = "Khu dân cư văn hóa"
    assert fold(unicodedata.normalize("NFD", text)) == fold(text) == "khu dan cu van hoa"


def test_clean_folds_line_breaks_and_keeps_diacritics():
    assert clean("  Tổng số\nkhu  dân cư ") == "Tổng số khu dân cư"


def test_contains_phrase_whole_words_only():
    assert contains_phrase(tokens("Số KDC đạt"), ("kdc",))
    assert not contains_phrase(tokens("KDCVH"), ("kdc",))


@given(st.text())
def test_fold_is_idempotent_ascii(text):
    once = fold(text)
    assert fold(once) == once
    assert all(ord(ch) < 128 or ch.isalnum() for ch in once)
