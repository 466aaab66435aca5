"""Every dated change, on the day before and on the day of."""

from datetime import date

import pytest

from ansinh.rules.errors import RuleError
from ansinh.rules.hi_card import BREAK_WAITING, SHORT_BREAK, hi_card_validity
from ansinh.rules.quote import quote


def vsi(on, income, group="other", **extra):
    request = {"kind": "vsi_contribution", "on": on, "income": income, "months": 1,
               "payment_mode": "monthly", "support_group": group}
    return quote(request | extra)


def hi_one_member_year(on):
    return quote({"kind": "hi_household", "on": on, "members": 1, "months": 12})["total"]


def error_code(function, *args, **kwargs):
    with pytest.raises(RuleError) as raised:
        function(*args, **kwargs)
    return raised.value.code


def test_state_support_of_vsi_starts_on_2018_01_01():
    assert vsi("2017-12-31", 700000, "poor")["state_support"] == 0
    assert vsi("2018-01-01", 700000, "poor")["state_support"] == 46200
    assert vsi("2018-01-01", 700000, "other")["state_support"] == 15400


def test_the_rural_poverty_line_floor_rises_on_2022_01_01():
    assert vsi("2021-12-31", 700000)["gross"] == 154000
    assert error_code(vsi, "2022-01-01", 700000) == "income_below_floor"
    assert vsi("2022-01-01", 1500000)["state_support"] == 33000


def test_men_need_20_years_for_45_percent_from_2022_01_01():
    request = {"kind": "pension_rate", "sex": "male", "contribution_months": 240}
    assert quote(request | {"on": "2021-12-31"})["rate_pct"] == 47
    assert quote(request | {"on": "2022-01-01"})["rate_pct"] == 45


def test_the_base_salary_of_2023_07_01_reprices_hi_and_the_vsi_ceiling():
    assert hi_one_member_year("2023-06-30") == 804600
    assert hi_one_member_year("2023-07-01") == 972000
    assert error_code(vsi, "2023-06-30", 36000000) == "income_above_ceiling"
    assert vsi("2023-07-01", 36000000)["gross"] == 7920000


def test_the_base_salary_of_2024_07_01_reprices_hi_and_the_vsi_ceiling():
    assert hi_one_member_year("2024-06-30") == 972000
    assert hi_one_member_year("2024-07-01") == 1263600
    assert error_code(vsi, "2024-06-30", 46800000) == "income_above_ceiling"
    assert vsi("2024-07-01", 46800000)["payable"] == 10263000


def test_the_2025_support_groups_apply_from_2025_07_01():
    assert vsi("2025-06-30", 1500000, "poor")["state_support"] == 99000
    assert vsi("2025-07-01", 1500000, "poor")["state_support"] == 165000
    assert vsi("2025-06-30", 1500000, "ethnic_minority")["state_support"] == 33000
    assert vsi("2025-07-01", 1500000, "ethnic_minority")["state_support"] == 99000
    assert vsi("2025-06-30", 1500000, "near_poor")["state_support"] == 82500
    assert vsi("2025-07-01", 1500000, "near_poor")["state_support"] == 132000


def test_the_ceiling_follows_the_reference_level_from_2025_07_01_with_the_same_amount():
    before = vsi("2025-06-30", 46800000)["breakdown"][0]["parameters"]
    after = vsi("2025-07-01", 46800000)["breakdown"][0]["parameters"]
    assert [s["name"] for s in before[1]["selected_by"]] == ["vsi.income_ceiling_base"]
    assert [s["name"] for s in after[1]["selected_by"]] == ["vsi.income_ceiling_base", "common.reference_level"]


def test_back_payment_of_100_missing_months_is_allowed_until_2025_06_30_only():
    request = {"kind": "vsi_contribution", "income": 1500000, "months": 100, "payment_mode": "backpay",
               "support_group": "none", "fund_rate_monthly": "0.0031", "reached_retirement_age": True}
    assert quote(request | {"on": "2025-06-30"})["amount_due"] > 100 * 330000
    assert error_code(quote, request | {"on": "2025-07-01"}) == "backpay_not_eligible"


def test_fifteen_years_give_a_pension_from_2025_07_01():
    for sex, rate in (("female", 45), ("male", 40)):
        request = {"kind": "pension_rate", "sex": sex, "contribution_months": 180}
        assert error_code(quote, request | {"on": "2025-06-30"}) == "not_eligible"
        assert quote(request | {"on": "2025-07-01"})["rate_pct"] == rate


def test_the_hi_card_break_becomes_90_days_on_2025_07_01():
    before = hi_card_validity(paid_on=date(2025, 6, 30), months=12, previous_valid_to=date(2025, 4, 1))
    after = hi_card_validity(paid_on=date(2025, 7, 1), months=12, previous_valid_to=date(2025, 4, 1))
    assert before.rule == SHORT_BREAK and before.valid_from == date(2025, 6, 30)
    assert after.rule == BREAK_WAITING and after.valid_from == date(2025, 7, 31)
    assert {p.name for p in before.parameters} >= {"household_hi.card_break_months_in_fiscal_year"}
    assert {p.name for p in after.parameters} >= {"household_hi.card_break_days"}


def test_the_base_salary_of_2026_07_01_reprices_hi_and_the_vsi_ceiling():
    assert hi_one_member_year("2026-06-30") == 1263600
    assert hi_one_member_year("2026-07-01") == 1366200
    assert error_code(vsi, "2026-06-30", 50600000) == "income_above_ceiling"
    assert vsi("2026-07-01", 50600000)["gross"] == 11132000


def test_the_default_fund_rate_is_that_of_the_year_before_the_payment_year():
    request = {"kind": "vsi_contribution", "income": 1500000, "months": 12, "payment_mode": "advance",
               "support_group": "none"}
    assert error_code(quote, request | {"on": "2025-12-31"}) == "no_parameter_for_date"
    with_default = quote(request | {"on": "2026-01-01"})
    explicit = quote(request | {"on": "2026-01-01", "fund_rate_monthly": "0.0031"})
    assert with_default["amount_due"] == explicit["amount_due"]
    assert with_default["fund_rate_monthly"] == "0.0031"
