"""Vietnamese text helpers: NFC, tone placement, folding, names, syllable shape."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ansinh.core.text import ascii_int, fold, is_vietnamese_word, name_key, name_normalise, nfc, tone_normalise


def test_nfc_composes_decomposed_text():
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Thuỷ")
    assert decomposed != "Nguyễn Thị Thuỷ"
    assert nfc(decomposed) == "Nguyễn Thị Thuỷ"


@pytest.mark.parametrize(("old_or_new", "canonical"), [
    ("Hoà", "Hòa"), ("Hòa", "Hòa"), ("Thuỷ", "Thủy"), ("thủy", "thủy"), ("khoẻ", "khỏe"), ("THUỶ", "THỦY"),
    ("quý", "quý"), ("Quỳnh", "Quỳnh"), ("hoàn", "hoàn"), ("thuyền", "thuyền"), ("khoai", "khoai"),
    ("Nguyễn Thị Thuỷ Hoà", "Nguyễn Thị Thủy Hòa"),
])
def test_tone_placement(old_or_new, canonical):
    assert tone_normalise(old_or_new) == canonical


def test_fold_ignores_diacritics_case_spaces_and_tone_placement():
    assert fold("  Đặng  Thị THUỶ ") == "dang thi thuy"
    assert fold("Hoà") == fold("Hòa") == fold("hoa") == "hoa"
    assert fold(unicodedata.normalize("NFD", "Trương")) == "truong"


def test_name_key_keeps_diacritics_but_not_case_or_tone_placement():
    assert name_key("NGUYỄN THỊ THUỶ") == name_key("Nguyễn Thị Thủy") == "nguyễn thị thủy"
    assert name_key("Tâm") != name_key("Tấm")


def test_name_normalise():
    assert name_normalise("  NGUYỄN   văn an ") == "Nguyễn Văn An"
    assert name_normalise("lê thị hồng-nhung") == "Lê Thị Hồng-Nhung"


@pytest.mark.parametrize("word", ["Nguyễn", "HOÀ", "quý", "thuyền", "Đặng", "nghiêng", "gì", "ươn", "khuya", "oách"])
def test_vietnamese_words(word):
    assert is_vietnamese_word(word)


@pytest.mark.parametrize("word", ["NguyÔn", "Vaên", "xyz", "Ängel", "hoàn̉", "sàt", "ghà", "Nguyeãn"])
def test_not_vietnamese_words(word):
    assert not is_vietnamese_word(word)


@given(st.text())
def test_fold_is_idempotent(text):
    assert fold(fold(text)) == fold(text)
    assert tone_normalise(tone_normalise(text)) == tone_normalise(text)


def test_ascii_int_reads_only_ascii_digits():
    assert [ascii_int(v) for v in ("12", "007", "²", "①", "٣", "-1", "1.0", "", None, "9" * 10)] == [
        12, 7, None, None, None, None, None, None, None, None]


def test_name_normalise_capitalises_the_first_letter_after_an_invisible_character():
    assert name_normalise("\u202elê văn an") == "\u202eLê Văn An"
    assert name_normalise("\u202eLê") == "\u202eLê"
    assert name_normalise("\u200elê") == "\u200eLê"
    assert name_normalise("«lê» thị-hoa 3a") == "«Lê» Thị-Hoa 3A"
