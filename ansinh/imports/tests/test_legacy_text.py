"""TCVN3 (ABC) and VNI text: conversion both ways and detection per cell."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ansinh.imports.legacy_text import (
    TCVN3, VNI, detect_and_convert, tcvn3_decode, tcvn3_encode, vni_decode, vni_encode,
)

LETTERS = ("aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ"
           "AÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬEÈÉẺẼẸÊỀẾỂỄỆIÌÍỈĨỊOÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢUÙÚỦŨỤƯỪỨỬỮỰYỲÝỶỸỴĐ")


@pytest.mark.parametrize(("legacy", "unicode"), [
    ("NguyÔn V¨n An", "Nguyễn Văn An"),
    ("B¶o Th¾ng", "Bảo Thắng"),
    ("M\xadêng Kh\xad¬ng", "Mường Khương"),
    ("§inh ThÞ HuÖ", "Đinh Thị Huệ"),
    ("X· VÞ Thanh", "Xã Vị Thanh"),
    ("Tr\xad¬ng V¨n Phóc", "Trương Văn Phúc"),
    ("NGUYÔN V¡N AN", "NGUYỄN VĂN AN"),  # typed with an upper-case .VnTimeH font
])
def test_tcvn3_known_words(legacy, unicode):
    assert detect_and_convert(legacy) == (unicode, TCVN3)
    if not legacy.isupper():
        assert tcvn3_encode(unicode) == legacy


@pytest.mark.parametrize(("legacy", "unicode"), [
    ("Nguyeãn Vaên An", "Nguyễn Văn An"),
    ("Tröông Thò Thuûy", "Trương Thị Thủy"),
    ("Ñaëng Thò Hoàng", "Đặng Thị Hồng"),
    ("NGUYEÃN VAÊN AN", "NGUYỄN VĂN AN"),
    ("Xaõ Vò Thanh", "Xã Vị Thanh"),
    ("Phöôøng Ngaõ Baûy", "Phường Ngã Bảy"),
])
def test_vni_known_words(legacy, unicode):
    assert detect_and_convert(legacy) == (unicode, VNI)
    assert vni_encode(unicode) == legacy


@pytest.mark.parametrize("text", [
    "Nguyễn Văn An", "Hà Lê", "Ô Môn", "Tú", "Võ Thị Sáu", "Nguyen Van An", "Ấp 3", "Số 12/4 đường 3/2",
    "Sơn Thị Sa Rênh", "René Müller", "", "1234",
])
def test_unicode_text_is_left_alone(text):
    assert detect_and_convert(text) == (text, None)


def test_every_letter_round_trips():
    for letter in LETTERS:
        assert tcvn3_decode(tcvn3_encode(letter)) == letter or letter.isupper(), letter
        assert vni_decode(vni_encode(letter)) == letter, letter


def test_tcvn3_lower_case_table_against_the_standard():
    # TCVN 5712:1993 byte -> letter, one row per vowel (no tone, sắc, huyền, hỏi, ngã, nặng)
    expected = {
        "a": (None, 0xB8, 0xB5, 0xB6, 0xB7, 0xB9), "ă": (0xA8, 0xBE, 0xBB, 0xBC, 0xBD, 0xC6),
        "â": (0xA9, 0xCA, 0xC7, 0xC8, 0xC9, 0xCB), "e": (None, 0xD0, 0xCC, 0xCE, 0xCF, 0xD1),
        "ê": (0xAA, 0xD5, 0xD2, 0xD3, 0xD4, 0xD6), "i": (None, 0xDD, 0xD7, 0xD8, 0xDC, 0xDE),
        "o": (None, 0xE3, 0xDF, 0xE1, 0xE2, 0xE4), "ô": (0xAB, 0xE8, 0xE5, 0xE6, 0xE7, 0xE9),
        "ơ": (0xAC, 0xED, 0xEA, 0xEB, 0xEC, 0xEE), "u": (None, 0xF3, 0xEF, 0xF1, 0xF2, 0xF4),
        "ư": (0xAD, 0xF8, 0xF5, 0xF6, 0xF7, 0xF9), "y": (None, 0xFD, 0xFA, 0xFB, 0xFC, 0xFE),
    }
    import unicodedata

    marks = ("", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323")
    for base, codes in expected.items():
        for code, mark in zip(codes, marks, strict=True):
            if code is None:
                continue
            letter = unicodedata.normalize("NFC", base + mark)
            assert tcvn3_decode(bytes([code]).decode("cp1252", errors="strict") if code != 0xAD else "\xad") \
                == letter, (hex(code), letter)
    assert tcvn3_decode("®§") == "đĐ"


@given(st.sampled_from(["Nguyễn", "Trương", "Đặng", "Huỳnh", "Phạm", "Trần", "Lê"]),
       st.lists(st.sampled_from(["Thị", "Thủy", "Hồng", "Văn", "Quý", "Ngọc", "Phước", "Lệ", "Hằng", "Khuyến",
                                 "Hòa", "Ánh", "Tuyết", "Dũng", "Thanh", "An"]), min_size=1, max_size=4))
def test_full_names_are_recognised_in_both_encodings(family, words):
    text = " ".join([family, *words])
    assert detect_and_convert(vni_encode(text)) == (text, VNI)
    assert detect_and_convert(tcvn3_encode(text))[0].lower() == text.lower()
