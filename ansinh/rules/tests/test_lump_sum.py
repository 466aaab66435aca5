"""VSI lump sum (quote kind lump_sum): years by period, odd months, under one year, state support deducted
by the case of the claim, and the errors. Law 58/2014 Art 77; Law 41/2024 Art 102; Decree 159/2025 Art 9."""

import json

import pytest

from ansinh.rules.errors import RuleError
from ansinh.rules.quote import quote, quote_cli

CLAIM = {"kind": "lump_sum", "on": "2026-03-01", "contribution_months_before_2014": 0,
         "contribution_months_from_2014": 120, "average_income": 3000000, "state_support_received": 1000000}


def test_months_only_before_2014_count_at_one_and_a_half_months_a_year_with_odd_months_as_half_a_year():
    result = quote(CLAIM | {"contribution_months_before_2014": 30, "contribution_months_from_2014": 0,
                            "state_support_received": 0})
    assert result["amount"] == 11250000  # 2.5 years × 1.5 × 3,000,000


def test_seven_odd_months_count_as_a_whole_year_and_six_as_half_a_year():
    seven = quote(CLAIM | {"contribution_months_from_2014": 67, "state_support_received": 0})
    six = quote(CLAIM | {"contribution_months_from_2014": 66, "state_support_received": 0})
    assert (seven["amount"], six["amount"]) == (36000000, 33000000)


def test_the_amount_is_rounded_half_up_to_the_dong_once():
    result = quote(CLAIM | {"contribution_months_before_2014": 12, "contribution_months_from_2014": 0,
                            "average_income": 1000001, "state_support_received": 0})
    assert result["gross"] == 1500002  # 1.5 × 1,000,001 = 1,500,001.5
    assert "nửa đồng trở lên làm tròn lên" in result["breakdown"][0]["rounding"]


def test_the_state_support_received_is_deducted_in_an_ordinary_case():
    result = quote(CLAIM)
    assert (result["gross"], result["state_support_deducted"], result["amount"]) == (60000000, 1000000, 59000000)
    assert result["reason"] == "other"


@pytest.mark.parametrize("reason", ["serious_illness", "incapacity_81"])
def test_from_2025_07_01_a_serious_illness_or_81_percent_incapacity_keeps_the_state_support(reason):
    result = quote(CLAIM | {"on": "2025-07-01", "reason": reason})
    assert (result["state_support_deducted"], result["amount"]) == (0, 60000000)
    deduction = result["breakdown"][1]
    assert "khoản 3 Điều 102 Luật 41/2024/QH15" in deduction["reference"]


def test_on_30_june_2025_a_serious_illness_kept_the_support_but_81_percent_incapacity_was_no_case():
    kept = quote(CLAIM | {"on": "2025-06-30", "reason": "serious_illness"})
    assert kept["state_support_deducted"] == 0
    assert "khoản 3 Điều 77 Luật 58/2014/QH13" in kept["breakdown"][1]["reference"]
    with pytest.raises(RuleError) as raised:
        quote(CLAIM | {"on": "2025-06-30", "reason": "incapacity_81"})
    assert raised.value.code == "not_eligible"
    assert raised.value.message == (
        "Trường hợp «suy giảm khả năng lao động từ 81% trở lên hoặc khuyết tật đặc biệt nặng» chưa được hưởng "
        "BHXH một lần theo quy định áp dụng ngày 30/06/2025.")


def test_the_deduction_never_makes_the_lump_sum_negative():
    result = quote(CLAIM | {"state_support_received": 70000000})
    assert (result["state_support_deducted"], result["amount"]) == (60000000, 0)


def test_under_one_year_the_lump_sum_is_what_was_paid_at_most_two_months_of_average_income():
    short = CLAIM | {"contribution_months_from_2014": 5, "average_income": 2000000}
    assert quote(short | {"contributions_paid": 1650000})["amount"] == 1650000
    capped = quote(short | {"contributions_paid": 5000000})
    assert (capped["gross"], capped["state_support_deducted"], capped["amount"]) == (4000000, 0, 4000000)


def test_the_advice_says_what_the_person_gives_up_and_the_cases_of_the_law_of_the_date():
    notes = quote(CLAIM)["breakdown"][-1]["notes"]
    assert any("không còn được tính thời gian này để hưởng lương hưu" in note for note in notes)
    before = quote(CLAIM | {"on": "2025-06-30"})["breakdown"][-1]["notes"]
    after = quote(CLAIM | {"on": "2025-07-01"})["breakdown"][-1]["notes"]
    assert before[-1] == "Các trường hợp được hưởng: khoản 1 Điều 77 Luật 58/2014/QH13."
    assert after[-1] == "Chỉ được hưởng trong các trường hợp tại khoản 1 Điều 102 Luật 41/2024/QH15."


@pytest.mark.parametrize(("change", "code", "field", "message"), [
    ({"contribution_months_from_2014": 5}, "invalid_request", "contributions_paid",
     "Cần số tiền đã đóng khi thời gian đóng dưới một năm."),
    ({"reason": "emigration"}, "invalid_request", "reason",
     "«reason» phải là một trong: serious_illness, incapacity_81, other."),
    ({"state_support_received": None}, "invalid_request", "state_support_received",
     "Thiếu trường bắt buộc «state_support_received»."),
    ({"average_income": -1}, "invalid_request", "average_income",
     "«average_income» = -1 nằm ngoài giới hạn cho phép."),
    ({"contribution_months_from_2014": 0}, "not_eligible", "contribution_months_from_2014",
     "Chưa có tháng đóng BHXH tự nguyện nào nên không có BHXH một lần."),
    ({"on": "2015-12-31"}, "no_parameter_for_date", None,
     "Chưa có giá trị của tham số «Số tháng thu nhập bình quân cho mỗi năm đóng (BHXH một lần)» áp dụng cho "
     "ngày 31/12/2015."),
])
def test_a_bad_lump_sum_request_gets_its_exact_code_and_vietnamese_message(change, code, field, message):
    with pytest.raises(RuleError) as raised:
        quote(CLAIM | change)
    assert (raised.value.code, raised.value.message) == (code, message)
    if field:
        assert raised.value.details["field"] == field


def test_the_cli_prints_the_lump_sum_with_its_breakdown():
    status, text = quote_cli(json.dumps(CLAIM))
    printed = json.loads(text)
    assert (status, printed["amount"]) == (0, 59000000)
    assert [line["key"] for line in printed["breakdown"]] == ["gross", "state_support_deducted", "amount"]
