"""HI card validity: first participation, renewal, breaks under both laws, the open-point parameters."""

import json
from datetime import date

import pytest

from ansinh.rules.dates import period_last_day
from ansinh.rules.errors import RuleError
from ansinh.rules.hi_card import (
    BREAK_WAITING,
    FIRST_PARTICIPATION,
    RENEWAL_WITHOUT_BREAK,
    SHORT_BREAK,
    hi_card_validity,
)
from ansinh.rules.parameters import default_parameters
from ansinh.rules.quote import quote, quote_cli


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


# The last valid day: Civil Code 2015 Art 148(3) (the day before the same calendar day `months` later,
# or the last day of the target month when it has no such day).

@pytest.mark.parametrize(("start", "months", "last_day"), [
    (date(2026, 1, 31), 3, date(2026, 4, 30)),
    (date(2025, 12, 31), 6, date(2026, 6, 30)),
    (date(2025, 11, 30), 3, date(2026, 2, 28)),
    (date(2027, 11, 30), 3, date(2028, 2, 29)),
    (date(2025, 8, 27), 12, date(2026, 8, 26)),
    (date(2026, 3, 1), 3, date(2026, 5, 31)),
    (date(2026, 8, 31), 6, date(2027, 2, 28)),
])
def test_a_card_period_ends_the_day_before_the_same_day_or_on_the_last_day_of_a_shorter_month(start, months, last_day):
    assert period_last_day(start, months) == last_day


def test_a_first_card_paid_on_1_december_starts_on_31_december_and_runs_to_30_june():
    card = hi_card_validity(paid_on=date(2025, 12, 1), months=6)
    assert (card.valid_from, card.valid_to) == (date(2025, 12, 31), date(2026, 6, 30))
    assert "Điều 148 Bộ luật Dân sự 91/2015/QH13" in " ".join(card.notes)


def test_a_renewal_of_a_card_ending_30_january_runs_from_31_january_to_30_april():
    card = hi_card_validity(paid_on=date(2026, 1, 20), months=3, previous_valid_to=date(2026, 1, 30))
    assert (card.rule, card.valid_from, card.valid_to) == (RENEWAL_WITHOUT_BREAK, date(2026, 1, 31), date(2026, 4, 30))


def test_counting_from_the_payment_date_also_follows_the_month_end_rule():
    params = default_parameters().with_extra_values({
        "household_hi.card_end_counts_from": [(date(2025, 7, 1), "payment_date", "agency reading", "reported")],
    })
    card = hi_card_validity(paid_on=date(2025, 8, 31), months=6, params=params)
    assert card.valid_to == date(2026, 2, 28)


def test_on_30_june_2025_a_gap_of_three_months_less_a_day_was_no_break_but_on_1_july_91_days_are():
    before = hi_card_validity(paid_on=date(2025, 6, 30), months=3, previous_valid_to=date(2025, 3, 31))
    after = hi_card_validity(paid_on=date(2025, 7, 1), months=3, previous_valid_to=date(2025, 3, 31))
    assert (before.rule, before.valid_from) == (SHORT_BREAK, date(2025, 6, 30))
    assert (after.rule, after.valid_from) == (BREAK_WAITING, date(2025, 7, 31))
    assert {p.name for p in before.parameters} >= {"household_hi.card_break_months_in_fiscal_year"}
    assert {p.name for p in after.parameters} >= {"household_hi.card_break_days"}


def test_the_card_breakdown_cites_the_health_insurance_law_of_the_payment_date():
    before = hi_card_validity(paid_on=date(2025, 6, 30), months=3).to_dict()["breakdown"]
    after = hi_card_validity(paid_on=date(2025, 7, 1), months=3).to_dict()["breakdown"]
    assert [line["key"] for line in after] == ["valid_from", "valid_to"]
    assert "Điều 13 Nghị định 188/2025/NĐ-CP" in after[0]["reference"]
    assert "Điều 13 Nghị định 188/2025/NĐ-CP" not in before[0]["reference"]
    assert any("46/2014/QH13" in ref for ref in before[0]["reference"])
    assert after[1]["value"] == "30/10/2025"
    assert "khoản 3 Điều 148 Bộ luật Dân sự 91/2015/QH13" in after[1]["reference"]


# Through the quote request (kind hi_card)

CARD = {"kind": "hi_card", "paid_on": "2026-01-15", "months": 3, "previous_card_end": "2026-01-30", "first_time": False}


def test_the_hi_card_quote_answers_with_inclusive_dates_and_the_rule_used():
    result = quote(CARD)
    assert (result["valid_from"], result["valid_to"]) == ("2026-01-31", "2026-04-30")
    assert result["rule"] == RENEWAL_WITHOUT_BREAK
    assert result["rule_text"].endswith("Có giá trị từ 31/01/2026 đến 30/04/2026.")


def test_a_hi_card_quote_without_first_time_takes_it_from_the_previous_card():
    first = quote({"kind": "hi_card", "paid_on": "2026-01-15", "months": 12})
    assert (first["rule"], first["valid_from"], first["valid_to"]) == (FIRST_PARTICIPATION, "2026-02-14", "2027-02-13")
    renewal = quote({k: v for k, v in CARD.items() if k != "first_time"})
    assert renewal["rule"] == RENEWAL_WITHOUT_BREAK


@pytest.mark.parametrize(("change", "code", "field", "message"), [
    ({"first_time": True}, "invalid_request", "first_time",
     "Tham gia lần đầu thì không có thẻ cũ: bỏ «previous_card_end» hoặc đặt «first_time» là false."),
    ({"previous_card_end": None}, "invalid_request", "previous_card_end",
     "Không phải lần đầu tham gia: cần «previous_card_end» (ngày cuối cùng thẻ cũ có giá trị)."),
    ({"previous_card_end": "31/01/2026"}, "invalid_request", "previous_card_end",
     "«previous_card_end» phải là ngày dạng YYYY-MM-DD."),
    ({"first_time": "no"}, "invalid_request", "first_time", "«first_time» phải là true hoặc false."),
    ({"paid_on": "9999-12-01"}, "invalid_request", "paid_on", "«paid_on» nằm ngoài khoảng ngày tính được."),
    ({"months": 4}, "invalid_months", None, "BHYT hộ gia đình đóng theo kỳ 3, 6, 12 tháng, không phải 4 tháng."),
    ({"months": 0}, "invalid_months", "months", "«months» = 0 nằm ngoài giới hạn cho phép."),
    ({"paid_on": "2014-12-31", "previous_card_end": "2014-12-31"}, "no_parameter_for_date", None,
     "Chưa có giá trị của tham số «Tỷ lệ đóng BHYT hộ gia đình (người thứ nhất)» áp dụng cho ngày 31/12/2014."),
])
def test_a_bad_hi_card_request_gets_its_exact_code_and_vietnamese_message(change, code, field, message):
    with pytest.raises(RuleError) as raised:
        quote(CARD | change)
    assert (raised.value.code, raised.value.message) == (code, message)
    if field:
        assert raised.value.details["field"] == field


def test_the_cli_prints_the_card_with_its_breakdown():
    status, text = quote_cli(json.dumps(CARD))
    printed = json.loads(text)
    assert status == 0
    assert (printed["valid_from"], printed["valid_to"]) == ("2026-01-31", "2026-04-30")
    assert [line["key"] for line in printed["breakdown"]] == ["valid_from", "valid_to"]
