"""Back-paid months and state support: an open point of rules.md §2 (default: none), held by the dated
parameter vsi.backpay_state_support and stated in the breakdown."""

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

from ansinh.rules.parameters import default_parameters
from ansinh.rules.vsi_contribution import vsi_contribution

VECTORS = Path(__file__).resolve().parents[3].parent / "shared" / "vectors" / "rules.json"
BACKPAY = dict(on=date(2026, 1, 1), income=1_500_000, payment_mode="backpay", months=12,
               fund_rate_monthly=Decimal("0.0031"), reached_retirement_age=True)


def test_back_paid_months_of_a_poor_person_get_no_state_support_by_default():
    quote = vsi_contribution(support_groups=("poor",), **BACKPAY)
    result = quote.to_dict()
    assert (result["amount_due"], result["state_support"], result["supported_months"], result["payable"]) == (
        4_040_708, 0, 0, 4_040_708)
    line = next(line for line in result["breakdown"] if line["key"] == "state_support")
    assert line["amount"] == 0
    assert ("Điểm còn mở: tháng đóng bù có được Nhà nước (và địa phương) hỗ trợ hay không; theo tham số "
            "vsi.backpay_state_support = none: tháng đóng bù không được hỗ trợ (mặc định).") in line["notes"]
    assert "vsi.backpay_state_support" in [p["name"] for p in line["parameters"]]


def test_a_dated_value_supported_gives_the_groups_support_to_back_paid_months():
    params = default_parameters().with_extra_values({
        "vsi.backpay_state_support": [(date(2026, 1, 1), "supported", "test", "reported")]})
    quote = vsi_contribution(support_groups=("poor",), params=params, **BACKPAY)
    periodic = vsi_contribution(on=date(2026, 1, 1), income=1_500_000, payment_mode="12_months",
                                support_groups=("poor",))
    assert quote.amounts.state_support == periodic.amounts.state_support > 0
    assert quote.amounts.payable == quote.amounts.amount_due - quote.amounts.state_support
    # the value in force the day before the change is still the default
    before = vsi_contribution(support_groups=("poor",), params=params, **{**BACKPAY, "on": date(2025, 12, 31)})
    assert before.amounts.state_support == 0


def test_periodic_payments_keep_their_support():
    quote = vsi_contribution(on=date(2026, 1, 1), income=1_500_000, payment_mode="12_months", support_groups=("poor",))
    assert quote.amounts.state_support > 0 and quote.amounts.supported_months == 12


def test_the_shared_backpay_examples_still_hold():
    from ansinh.rules.quote import quote

    cases = [c for c in json.loads(VECTORS.read_text(encoding="utf-8"))
             if c["request"].get("payment_mode") == "backpay" and "error" not in c["expect"]]
    assert cases
    for case in cases:
        result = quote(case["request"])
        for key, value in case["expect"].items():
            assert result[key] == value, (case["id"], key)
