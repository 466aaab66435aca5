"""Amounts in words as Vietnamese accounting writes them on a receipt."""

import pytest

from ansinh.core.words import amount_in_words


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (4043520, "Bốn triệu không trăm bốn mươi ba nghìn năm trăm hai mươi đồng"),
        (1263600, "Một triệu hai trăm sáu mươi ba nghìn sáu trăm đồng"),
        (315900, "Ba trăm mười lăm nghìn chín trăm đồng"),
        (1005, "Một nghìn không trăm lẻ năm đồng"),
        (2000105, "Hai triệu một trăm lẻ năm đồng"),
        (1000000, "Một triệu đồng"),
        (21000, "Hai mươi mốt nghìn đồng"),
        (1000000001, "Một tỷ không trăm lẻ một đồng"),
        (0, "Không đồng"),
    ],
)
def test_amount_in_words_says_khong_tram_for_inner_groups(amount, words):
    assert amount_in_words(amount) == words


@pytest.mark.parametrize("bad", [-1, 1.5, "100", True, 10**18])
def test_amount_in_words_refuses_what_is_not_a_whole_number_of_dong(bad):
    with pytest.raises(ValueError):
        amount_in_words(bad)
