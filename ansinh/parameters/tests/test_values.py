"""Typed parameter values: Vietnamese number formats in, Vietnamese text out."""

from decimal import Decimal

import pytest

from ansinh.parameters.errors import ParameterValueRefused
from ansinh.parameters.values import value_json, value_load, value_parse, value_text
from ansinh.rules import default_parameters
from ansinh.rules.parameter_units import check_value


@pytest.mark.parametrize(("unit", "typed", "value"), [
    ("VND", "2.530.000", 2_530_000),
    ("VND", "2530000", 2_530_000),
    ("VND", "2 530 000 đ", 2_530_000),
    ("percent", "4,5", Decimal("4.5")),
    ("percent", "4.5%", Decimal("4.5")),
    ("percent_per_month", "0,31", Decimal("0.31")),
    ("months", "120", 120),
    ("age", "61y6m", "61y6m"),
    ("age", "62 tuổi", "62y0m"),
    ("age", "61 tuổi 6 tháng", "61y6m"),
    ("months_list", "[3, 6, 12]", (3, 6, 12)),
    ("code", " law_51_2024 ", "law_51_2024"),
])
def test_a_typed_value_is_read_for_its_unit(unit, typed, value):
    parsed = value_parse(unit, typed)
    assert parsed == value
    assert check_value(unit, value_load(value_json(parsed))) == parsed  # stored JSON reloads the same


@pytest.mark.parametrize(("unit", "typed"), [
    ("VND", "2,530,000"), ("VND", "1" * 16), ("percent", "101"), ("percent", "bốn"), ("months_list", "[12, 6]"),
    ("percent_by_group", '{"Poor": 5}'), ("percent_by_group", "NaN"), ("rate_bands", "{}"), ("age", "61"),
])
def test_a_value_not_fitting_its_unit_is_refused(unit, typed):
    with pytest.raises(ParameterValueRefused) as refused:
        value_parse(unit, typed)
    assert refused.value.message.startswith("Giá trị không hợp lệ: cần ")
    assert refused.value.field == "value"


@pytest.mark.parametrize(("unit", "typed"), [("VND", "-1"), ("percent", "-0,5"), ("percent_list", "[100, -70]")])
def test_a_negative_value_is_refused(unit, typed):
    with pytest.raises(ParameterValueRefused) as refused:
        value_parse(unit, typed)
    assert refused.value.message == "Giá trị không được âm."


def test_every_packaged_value_can_be_shown_in_vietnamese():
    params = default_parameters()
    for name in params.names():
        parameter = params.parameter(name)
        for dated in parameter.values:
            assert value_text(dated.value, parameter.unit)


@pytest.mark.parametrize(("value", "unit", "shown"), [
    (2_340_000, "VND", "2.340.000 đ"),
    (Decimal("4.5"), "percent", "4,5%"),
    ("0.31", "percent_per_month", "0,31%/tháng"),
    ({"poor": 50, "near_poor": "40"}, "percent_by_group", "Hộ nghèo: 50% · Hộ cận nghèo: 40%"),
    ("61y6m", "age", "61 tuổi 6 tháng"),
    ({"bands": [{"from_years": 15, "pct": 45, "pct_per_year": 2}], "max_pct": 75}, "rate_bands",
     "từ 15 năm: 45%, thêm 2% mỗi năm; tối đa 75%"),
    (None, "VND", "Hết hiệu lực"),
])
def test_values_are_shown_in_vietnamese(value, unit, shown):
    assert value_text(value, unit) == shown
