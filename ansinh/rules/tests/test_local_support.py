"""Local support through ``ansinh quote``: applied by the province code, from its date, and refused with
invalid_request when it makes more than 100 % with the state's for a group."""

from datetime import date

import pytest

from ansinh.rules.errors import RuleError
from ansinh.rules.parameters import default_parameters
from ansinh.rules.quote import quote

PARAMS = default_parameters().with_extra_values({"vsi.local_support.92": [
    (date(2026, 1, 1), {"poor": 60, "near_poor": 20, "other": 10}, "Nghị quyết (thử)", "reported")]})


def _request(on, group, **extra):
    return {"kind": "vsi_contribution", "on": on, "income": 1_500_000, "payment_mode": "monthly",
            "support_group": group, "province_code": "92", **extra}


def test_local_support_applies_from_its_date_and_not_the_day_before():
    before = quote(_request("2025-12-31", "other"), params=PARAMS)
    on_day = quote(_request("2026-01-01", "other"), params=PARAMS)
    assert (before["local_support"], before["local_support_pct"], before["payable"]) == (0, 0, 330_000 - 66_000)
    assert (on_day["local_support"], on_day["local_support_pct"], on_day["payable"]) == (
        33_000, 10, 330_000 - 66_000 - 33_000)
    lines = {line["key"]: line for line in on_day["breakdown"]}
    assert lines["local_support"]["amount"] == 33_000


def test_local_and_state_support_above_100_percent_is_refused_with_a_vietnamese_message():
    with pytest.raises(RuleError) as refused:
        quote(_request("2026-01-01", "poor"), params=PARAMS)
    result = refused.value.to_dict()
    assert result["error"] == "invalid_request"
    assert result["message"] == (
        "Mức hỗ trợ của ngân sách địa phương (60%) cộng với hỗ trợ của Nhà nước (50%) cho nhóm «hộ nghèo» "
        "vượt quá 100% mức đóng tính trên chuẩn hộ nghèo; hãy sửa tham số hỗ trợ địa phương của tỉnh 92.")
    assert (result["field"], result["group"]) == ("local_support", "poor")
    assert quote(_request("2025-12-31", "poor"), params=PARAMS)["local_support"] == 0  # not yet in force
