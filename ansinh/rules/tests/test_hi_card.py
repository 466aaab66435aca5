"""HI card validity: first participation, renewal, breaks under both laws, the open-point parameters."""

from datetime import date

import pytest

from ansinh.rules.errors import RuleError
from ansinh.rules.hi_card import (
    BREAK_WAITING,
    FIRST_PARTICIPATION,
    RENEWAL_WITHOUT_BREAK,
    SHORT_BREAK,
    hi_card_validity,
)
from ansinh.rules.parameters import default_parameters


def test_a_first_card_is_valid_30_days_after_payment_and_ends_after_its_months():
    card = hi_card_validity(paid_on=date(2025, 8, 10), months=12)
    assert (card.rule, card.valid_from, card.valid_to) == (FIRST_PARTICIPATION, date(2025, 9, 9), date(2026, 9, 8))
    assert "30 ngày" in card.rule_text


def test_a_renewal_before_the_old_card_ends_starts_the_day_after_it():
    card = hi_card_validity(paid_on=date(2025, 8, 10), months=6, previous_valid_to=date(2025, 8, 31))
    assert (card.rule, card.valid_from, card.valid_to) == (RENEWAL_WITHOUT_BREAK, date(2025, 9, 1), date(2026, 2, 28))


def test_paying_on_the_day_after_the_old_card_ends_is_still_a_renewal():
    card = hi_card_validity(paid_on=date(2025, 9, 1), months=3, previous_valid_to=date(2025, 8, 31))
    assert card.rule == RENEWAL_WITHOUT_BREAK and card.valid_from == date(2025, 9, 1)


def test_from_2025_07_01_a_break_of_89_days_does_not_delay_but_90_days_does():
    short = hi_card_validity(paid_on=date(2025, 11, 29), months=3, previous_valid_to=date(2025, 8, 31))
    long = hi_card_validity(paid_on=date(2025, 11, 30), months=3, previous_valid_to=date(2025, 8, 31))
    assert (short.rule, short.valid_from) == (SHORT_BREAK, date(2025, 11, 29))
    assert (long.rule, long.valid_from) == (BREAK_WAITING, date(2025, 12, 30))


def test_before_2025_07_01_three_months_within_one_fiscal_year_is_a_break():
    card = hi_card_validity(paid_on=date(2024, 9, 1), months=6, previous_valid_to=date(2024, 5, 31))
    assert card.rule == BREAK_WAITING and card.valid_from == date(2024, 10, 1)


def test_before_2025_07_01_a_gap_split_over_two_fiscal_years_may_stay_under_the_threshold():
    card = hi_card_validity(paid_on=date(2024, 2, 15), months=6, previous_valid_to=date(2023, 11, 15))
    assert card.rule == SHORT_BREAK and card.valid_from == date(2024, 2, 15)


def test_the_open_points_are_parameters_and_the_result_says_which_rule_was_used():
    params = default_parameters().with_extra_values({
        "household_hi.card_wait_days": [(date(2025, 7, 1), 31, "agency reading", "reported")],
        "household_hi.card_end_counts_from": [(date(2025, 7, 1), "payment_date", "agency reading", "reported")],
    })
    card = hi_card_validity(paid_on=date(2025, 8, 10), months=12, params=params)
    assert card.valid_from == date(2025, 9, 10)
    assert card.valid_to == date(2026, 8, 9)
    assert any("payment_date" in note for note in card.notes)
    assert {p.name for p in card.parameters} == {"household_hi.card_wait_days", "household_hi.card_end_counts_from"}


def test_a_card_for_a_period_that_is_not_allowed_is_refused():
    with pytest.raises(RuleError) as raised:
        hi_card_validity(paid_on=date(2025, 8, 10), months=5)
    assert raised.value.code == "invalid_months"


def test_the_card_result_is_json_friendly():
    data = hi_card_validity(paid_on=date(2025, 8, 10), months=12).to_dict()
    assert data["valid_from"] == "2025-09-09" and data["rule"] == FIRST_PARTICIPATION and data["parameters"]
