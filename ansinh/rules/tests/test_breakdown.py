"""Every result explains itself: lines with label, integer amount, parameters, reference, confidence."""

import json
from decimal import Decimal

import pytest

from ansinh.rules.quote import quote

REQUESTS = {
    "a VSI monthly payment": {"kind": "vsi_contribution", "on": "2025-09-01", "income": 2000000, "support_group": ["near_poor", "ethnic_minority"]},
    "a VSI advance": {"kind": "vsi_contribution", "on": "2026-03-01", "income": 1500000, "months": 24, "payment_mode": "advance", "support_group": "poor"},
    "a VSI back-payment": {"kind": "vsi_contribution", "on": "2026-03-01", "income": 1500000, "months": 24, "payment_mode": "backpay", "reached_retirement_age": True},
    "a household HI payment": {"kind": "hi_household", "on": "2025-09-01", "ranks": [2, 1, 3], "months": 6, "support_pct": [30, 0, 70]},
    "a pension amount": {"kind": "pension_amount", "on": "2025-09-01", "sex": "male", "contribution_months": 200, "average_income": 4000000},
    "a retirement age": {"kind": "retirement_age", "sex": "female", "birth_month": "1972-02"},
}


@pytest.mark.parametrize("request_", REQUESTS.values(), ids=REQUESTS.keys())
def test_every_line_has_a_vietnamese_label_an_integer_amount_a_reference_and_a_confidence(request_):
    result = quote(request_)
    json.dumps(result)  # JSON-serialisable as returned
    assert result["breakdown"]
    for line in result["breakdown"]:
        assert line["label"] and line["formula"]
        assert line["amount"] is None or type(line["amount"]) is int
        assert line["confidence"] in ("published", "second-hand", "reported")
        for parameter in line["parameters"]:
            assert {"name", "value", "since", "reference", "confidence"} <= set(parameter)
        if line["parameters"]:
            assert line["reference"]
        if line.get("rounding"):
            assert "nửa" in line["rounding"]


def test_no_decimal_or_float_money_leaks_into_a_result():
    result = quote(REQUESTS["a VSI advance"])
    money = [result[k] for k in ("gross", "amount_due", "state_support", "local_support", "payable")]
    assert all(type(v) is int for v in money)
    assert not any(isinstance(v, Decimal) for v in json.loads(json.dumps(result)).values())


def test_the_vsi_lines_add_up_to_the_payable():
    result = quote(REQUESTS["a VSI advance"])
    lines = {line["key"]: line["amount"] for line in result["breakdown"]}
    assert lines["amount_due"] - lines["state_support"] == lines["payable"] == result["payable"]


def test_the_advance_states_its_open_points_and_where_r_comes_from():
    due = next(line for line in quote(REQUESTS["a VSI advance"])["breakdown"] if line["key"] == "amount_due")
    assert any("Điểm còn mở" in note for note in due["notes"])
    assert [p["name"] for p in due["parameters"]][:2] == ["vsi.contribution_rate", "vsi.fund_rate_monthly"]
    assert due["confidence"] == "reported"


def test_the_highest_group_wins_and_the_line_names_it():
    result = quote(REQUESTS["a VSI monthly payment"])
    assert result["support_group"] == "near_poor"
    assert "hộ cận nghèo" in result["breakdown"][3]["label"]  # named in words, not by its code


def test_hi_members_are_returned_in_rank_order_with_their_own_support():
    result = quote(REQUESTS["a household HI payment"])
    assert [m["rank"] for m in result["members"]] == [1, 2, 3]
    assert [m["support_pct"] for m in result["members"]] == [0, 30, 70]
