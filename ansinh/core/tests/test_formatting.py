"""Vietnamese number, money and date formats."""

import datetime
from decimal import Decimal

import pytest

from ansinh.core.formatting import format_date, format_number, format_percent
from ansinh.core.masking import mask_citizen_id, mask_phone
from ansinh.core.money import format_vnd, round_vnd


def test_money_is_shown_with_dots_and_dong():
    assert format_vnd(1263600) == "1.263.600 đ"
    assert format_vnd(0) == "0 đ"
    assert format_vnd(-884520) == "-884.520 đ"


def test_dates_are_day_month_year():
    assert format_date(datetime.date(2024, 12, 31)) == "31/12/2024"
    assert format_number(36000) == "36.000"
    assert format_percent(Decimal("50")) == "50,0%"


def test_rounding_is_half_up_to_the_dong_and_refuses_float():
    assert round_vnd(Decimal("0.5")) == 1
    assert round_vnd(Decimal("1263599.49")) == 1263599
    assert round_vnd(Decimal("-0.5")) == -1
    with pytest.raises(TypeError):
        round_vnd(0.5)


def test_personal_numbers_are_masked_in_lists():
    assert mask_citizen_id("093012345678") == "********5678"
    assert mask_phone("0912345678") == "091*****78"
