"""Social pension (quote kind social_pension): who gets it from 2025-07-01, how much, a province's dated
top-up, and the errors. Law 41/2024 Art 21-22; Decree 176/2025 Art 2-3; Hà Nội Resolution 63/2025."""

import json
from datetime import date

import pytest

from ansinh.rules.errors import RuleError
from ansinh.rules.parameters import default_parameters
from ansinh.rules.quote import quote, quote_cli

PERSON = {"kind": "social_pension", "on": "2026-03-01", "age": 75, "has_pension": False, "poor_or_near_poor": False}


def test_a_person_of_75_without_a_pension_gets_500000_a_month():
    result = quote(PERSON)
    assert (result["eligible"], result["monthly_amount"]) == (True, 500000)
    assert "local_amount" not in result and "total_monthly" not in result
    assert "khoản 1 Điều 3 Nghị định 176/2025/NĐ-CP" in result["breakdown"][1]["reference"]
    assert result["breakdown"][0]["notes"] == [
        "Người không đủ 15 năm đóng BHXH để hưởng lương hưu vẫn được trợ cấp hưu trí xã hội khi đủ tuổi và có "
        "văn bản đề nghị."]


@pytest.mark.parametrize(("age", "poor", "eligible"), [
    (74, True, True), (70, True, True), (69, True, False), (74, False, False), (75, False, True), (90, True, True),
])
def test_from_70_to_under_75_only_a_poor_or_near_poor_household_qualifies(age, poor, eligible):
    result = quote(PERSON | {"age": age, "poor_or_near_poor": poor})
    assert (result["eligible"], result["monthly_amount"]) == (eligible, 500000 if eligible else 0)


def test_a_pensioner_gets_no_social_pension_and_the_open_point_is_said():
    result = quote(PERSON | {"age": 80, "has_pension": True})
    assert (result["eligible"], result["monthly_amount"]) == (False, 0)
    assert any("điểm b khoản 1 Điều 2 Nghị định 176/2025/NĐ-CP" in n for n in result["breakdown"][0]["notes"])


def test_the_age_from_the_birth_date_counts_the_birthday_itself():
    born = PERSON | {"age": None, "birth_date": "1951-03-01"}
    assert quote(born | {"on": "2026-02-28"})["eligible"] is False  # 74 the day before the birthday
    on_birthday = quote(born | {"on": "2026-03-01"})
    assert (on_birthday["age"], on_birthday["eligible"]) == (75, True)


def test_in_ha_noi_the_city_adds_150000_from_1_january_2026_but_not_on_31_december_2025():
    hanoi = PERSON | {"province": "ha_noi"}
    before = quote(hanoi | {"on": "2025-12-31"})
    after = quote(hanoi | {"on": "2026-01-01"})
    assert (before["local_amount"], before["total_monthly"]) == (0, 500000)
    assert (after["local_amount"], after["total_monthly"]) == (150000, 650000)
    assert "khoản 2 Điều 7 Nghị quyết 63/2025/NQ-HĐND thành phố Hà Nội" in after["breakdown"][2]["reference"]


def test_the_local_top_up_goes_only_to_social_pension_recipients():
    result = quote(PERSON | {"province": "ha_noi", "age": 72})
    assert (result["eligible"], result["local_amount"], result["total_monthly"]) == (False, 0, 0)


def test_a_province_without_a_recorded_top_up_adds_nothing_and_says_so():
    result = quote(PERSON | {"province": "can_tho"})
    assert (result["local_amount"], result["total_monthly"]) == (0, 500000)
    assert result["breakdown"][2]["formula"] == (
        "Chưa có mức hỗ trợ thêm của địa phương «can_tho» áp dụng cho ngày 01/03/2026: tính 0 đồng.")


def test_a_top_up_added_at_runtime_is_used_from_its_date():
    params = default_parameters().with_extra_values({
        "social_pension.local_top_up.can_tho": [(date(2026, 2, 1), 100000, "Nghị quyết HĐND (thử)", "reported")],
    })
    result = quote(PERSON | {"province": "can_tho"}, params=params)
    assert (result["local_amount"], result["total_monthly"]) == (100000, 600000)
    assert result["breakdown"][2]["confidence"] == "reported"


def test_before_1_july_2025_there_is_no_social_pension_parameter():
    assert quote(PERSON | {"on": "2025-07-01"})["monthly_amount"] == 500000
    with pytest.raises(RuleError) as raised:
        quote(PERSON | {"on": "2025-06-30"})
    assert raised.value.code == "no_parameter_for_date"
    assert raised.value.message == (
        "Chưa có giá trị của tham số «Mức trợ cấp hưu trí xã hội» áp dụng cho ngày 30/06/2025.")


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"birth_date": "1950-01-01"}, "age", "Cần đúng một trong hai trường «age» hoặc «birth_date»."),
    ({"age": None}, "age", "Cần đúng một trong hai trường «age» hoặc «birth_date»."),
    ({"age": None, "birth_date": "2026-03-02"}, "birth_date", "«birth_date» phải là một ngày trước «on»."),
    ({"age": -1}, "age", "«age» = -1 nằm ngoài giới hạn cho phép."),
    ({"age": "75"}, "age", "«age» phải là một số nguyên."),
    ({"has_pension": None}, "has_pension", "Thiếu trường bắt buộc «has_pension»."),
    ({"poor_or_near_poor": 1}, "poor_or_near_poor", "«poor_or_near_poor» phải là true hoặc false."),
    ({"province": "Hà Nội"}, "province", "«province» phải là một mã (chữ thường, chữ số)."),
    ({"province": "_x"}, "province", "«province» phải là một mã (chữ thường, chữ số)."),
])
def test_a_bad_social_pension_request_gets_invalid_request_with_a_vietnamese_message(change, field, message):
    with pytest.raises(RuleError) as raised:
        quote(PERSON | change)
    assert (raised.value.code, raised.value.message, raised.value.details["field"]) == (
        "invalid_request", message, field)


def test_the_cli_prints_the_social_pension_with_its_breakdown():
    status, text = quote_cli(json.dumps(PERSON | {"province": "ha_noi"}))
    printed = json.loads(text)
    assert status == 0
    assert {k: printed[k] for k in ("eligible", "monthly_amount", "local_amount", "total_monthly")} == {
        "eligible": True, "monthly_amount": 500000, "local_amount": 150000, "total_monthly": 650000}
    assert [line["key"] for line in printed["breakdown"]] == [
        "eligible", "monthly_amount", "local_amount", "total_monthly"]
