"""Pension rate and amount, retirement age, lump sum."""

from datetime import date

import pytest

from ansinh.rules.errors import RuleError
from ansinh.rules.lump_sum import vsi_lump_sum
from ansinh.rules.pension import pension_amount, pension_rate
from ansinh.rules.quote import quote
from ansinh.rules.retirement_age import retirement_age

ON = date(2025, 7, 1)


@pytest.mark.parametrize(
    ("sex", "months", "rate"),
    [
        ("male", 186, 40.5),  # 15y6m: half a year at 1%
        ("male", 187, 41),  # 15y7m: a whole year
        ("male", 239, 45),  # 19y11m counts 20 years for the rate
        ("male", 246, 46),  # 20y6m: half a year at 2%
        ("female", 185, 46),
        ("female", 600, 75),
    ],
)
def test_odd_months_count_as_half_or_whole_years_for_the_rate(sex, months, rate):
    assert pension_rate(on=ON, sex=sex, contribution_months=months).rate_pct == rate


def test_a_half_percent_rate_comes_out_of_the_quote_as_a_json_number():
    result = quote({"kind": "pension_rate", "on": "2025-07-01", "sex": "male", "contribution_months": 186})
    assert result["rate_pct"] == 40.5


def test_eligibility_counts_whole_years_only():
    with pytest.raises(RuleError) as raised:
        pension_rate(on=ON, sex="female", contribution_months=179)
    assert raised.value.code == "not_eligible"


def test_under_the_2014_law_women_gained_3_percent_a_year_before_2018():
    assert pension_rate(on=date(2017, 6, 1), sex="female", contribution_months=240).rate_pct == 60
    assert pension_rate(on=date(2018, 1, 1), sex="female", contribution_months=240).rate_pct == 55


def test_the_pension_is_the_rate_times_the_average_income_rounded_half_up():
    assert pension_amount(on=ON, sex="male", contribution_months=186, average_income=3000001).monthly_pension == 1215000


@pytest.mark.parametrize(
    ("sex", "born", "age", "reached", "starts"),
    [
        ("male", (1960, 12), "60y0m", "2020-12", "2021-01"),  # reached before the roadmap
        ("male", (1961, 10), "60y6m", "2022-04", "2022-05"),  # 60y3m would land in 2022: 2022's age
        ("female", (1980, 1), "60y0m", "2040-01", "2040-02"),  # after the end of the roadmap
    ],
)
def test_the_retirement_age_is_the_one_in_force_in_the_year_it_is_reached(sex, born, age, reached, starts):
    found = retirement_age(sex=sex, birth_year=born[0], birth_month=born[1])
    assert (found.retirement_age, found.month_reaching_age, found.pension_start_month) == (age, reached, starts)


def test_the_lump_sum_carries_odd_months_before_2014_and_deducts_the_state_support():
    result = vsi_lump_sum(on=date(2026, 1, 1), months_before_2014=30, months_from_2014=40,
                          average_income=3000000, state_support_received=500000)
    assert (result.gross, result.amount) == (33000000, 32500000)


def test_under_one_year_the_lump_sum_is_what_was_paid_at_most_two_months_of_income():
    small = vsi_lump_sum(on=date(2026, 1, 1), months_before_2014=0, months_from_2014=5, average_income=2000000,
                         paid_total=1650000)
    capped = vsi_lump_sum(on=date(2026, 1, 1), months_before_2014=0, months_from_2014=11, average_income=2000000,
                          paid_total=7260000)
    assert small.gross == 1650000 and capped.gross == 4000000
