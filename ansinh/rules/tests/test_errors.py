"""Bad input gets the right error code and a Vietnamese message, never a traceback."""

import io
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ansinh.rules.errors import ERROR_CODES, MESSAGES_VI
from ansinh.rules.quote import quote_cli

VSI = {"kind": "vsi_contribution", "on": "2025-09-01", "income": 1500000, "months": 1,
       "payment_mode": "monthly", "support_group": "other"}
HI = {"kind": "hi_household", "on": "2025-09-01", "members": 2, "months": 12}
PENSION = {"kind": "pension_rate", "on": "2025-09-01", "sex": "female", "contribution_months": 200}
RETIRE = {"kind": "retirement_age", "sex": "male", "birth_month": "1970-05"}
CARD = {"kind": "hi_card", "paid_on": "2025-09-10", "months": 12, "previous_card_end": None, "first_time": True}
LUMP = {"kind": "lump_sum", "on": "2026-03-01", "contribution_months_before_2014": 0,
        "contribution_months_from_2014": 63, "average_income": 4000000, "state_support_received": 0}
SOCIAL = {"kind": "social_pension", "on": "2026-01-01", "age": 76, "has_pension": False, "poor_or_near_poor": False}


def without(request, key):
    return {k: v for k, v in request.items() if k != key}


BAD_REQUESTS = {
    # invalid_request: missing or malformed keys
    "a request without kind": (without(VSI, "kind"), "invalid_request"),
    "an unknown kind": (VSI | {"kind": "vsi"}, "invalid_request"),
    "an unknown key (a typo must not be ignored)": (VSI | {"incom": 1}, "invalid_request"),
    "a missing date": (without(VSI, "on"), "invalid_request"),
    "a date in another format": (VSI | {"on": "01/09/2025"}, "invalid_request"),
    "an impossible date": (VSI | {"on": "2025-02-30"}, "invalid_request"),
    "a date given as a number": (VSI | {"on": 20250901}, "invalid_request"),
    "a missing income": (without(VSI, "income"), "invalid_request"),
    "an income written as text": (VSI | {"income": "1500000"}, "invalid_request"),
    "an income with a fraction of a dong": (VSI | {"income": 1500000.5}, "invalid_request"),
    "a negative income": (VSI | {"income": -1500000}, "invalid_request"),
    "a boolean where an income belongs": (VSI | {"income": True}, "invalid_request"),
    "an unknown support group": (VSI | {"support_group": "veteran"}, "invalid_request"),
    "an empty list of support groups": (VSI | {"support_group": []}, "invalid_request"),
    "an unknown payment mode": (VSI | {"payment_mode": "weekly"}, "invalid_request"),
    "a boolean where months belong": (VSI | {"months": True}, "invalid_request"),
    "months written as text": (VSI | {"months": "1"}, "invalid_request"),
    "negative months already supported": (VSI | {"months_already_supported": -1}, "invalid_request"),
    "a fund rate that is not a number": (VSI | {"payment_mode": "advance", "months": 12, "fund_rate_monthly": "0,31%"}, "invalid_request"),
    "an absurd fund rate": (VSI | {"payment_mode": "advance", "months": 12, "fund_rate_monthly": "31"}, "invalid_request"),
    "a negative fund rate": (VSI | {"payment_mode": "advance", "months": 12, "fund_rate_monthly": "-0.01"}, "invalid_request"),
    "text where reached_retirement_age belongs": (VSI | {"payment_mode": "backpay", "months": 12, "reached_retirement_age": "yes"}, "invalid_request"),
    "a province code that is not a code": (VSI | {"province_code": "../92"}, "invalid_request"),
    "a support percent above 100": (HI | {"support_pct": 120}, "invalid_request"),
    "a support percent as text": (HI | {"support_pct": "70"}, "invalid_request"),
    "a support list of the wrong length": (HI | {"support_pct": [70]}, "invalid_request"),
    "ranks that are not numbers": (without(HI, "members") | {"ranks": ["a"]}, "invalid_request"),
    "neither members nor ranks": (without(HI, "members"), "invalid_request"),
    "an unknown sex": (PENSION | {"sex": "x"}, "invalid_request"),
    "negative contribution months": (PENSION | {"contribution_months": -12}, "invalid_request"),
    "absurd contribution months": (PENSION | {"contribution_months": 10**9}, "invalid_request"),
    "a negative average income": ({**PENSION, "kind": "pension_amount", "average_income": -1}, "invalid_request"),
    "a birth month without the month": (RETIRE | {"birth_month": "1970"}, "invalid_request"),
    "a birth month 13": (RETIRE | {"birth_month": "1970-13"}, "invalid_request"),
    # invalid_months
    "0 months": (VSI | {"months": 0}, "invalid_months"),
    "negative months": (VSI | {"months": -3}, "invalid_months"),
    "3 months in the monthly mode": (VSI | {"months": 3}, "invalid_months"),
    "12 months in the 6-month mode": (VSI | {"payment_mode": "6_months", "months": 12}, "invalid_months"),
    "61 months in advance": (VSI | {"payment_mode": "advance", "months": 61}, "invalid_months"),
    "0 months in advance": (VSI | {"payment_mode": "advance", "months": 0}, "invalid_months"),
    "an advance without months": (without(VSI, "months") | {"payment_mode": "advance"}, "invalid_months"),
    "4 months of HI": (HI | {"months": 4}, "invalid_months"),
    "0 months of HI": (HI | {"months": 0}, "invalid_months"),
    "back-paying more months than are missing": (VSI | {"payment_mode": "backpay", "months": 12, "reached_retirement_age": True, "contribution_months": 170}, "invalid_months"),
    # invalid_members
    "a household of 0": (HI | {"members": 0}, "invalid_members"),
    "a household of -2": (HI | {"members": -2}, "invalid_members"),
    "an absurd household": (HI | {"members": 10**6}, "invalid_members"),
    "an empty list of ranks": (without(HI, "members") | {"ranks": []}, "invalid_members"),
    "a repeated rank": (without(HI, "members") | {"ranks": [1, 1]}, "invalid_members"),
    "a rank 0": (without(HI, "members") | {"ranks": [0, 1]}, "invalid_members"),
    # income checks
    "an income under the floor": (VSI | {"income": 1450000}, "income_below_floor"),
    "an income of 0": (VSI | {"income": 0}, "income_below_floor"),
    "an absurdly high income": (VSI | {"income": 10**30}, "income_above_ceiling"),
    "an income off the 50,000 step": (VSI | {"income": 1525000}, "income_off_step"),
    # eligibility
    "back-payment before retirement age": (VSI | {"payment_mode": "backpay", "months": 12}, "backpay_not_eligible"),
    "back-payment when nothing is missing": (VSI | {"payment_mode": "backpay", "months": 12, "reached_retirement_age": True, "contribution_months": 180}, "backpay_not_eligible"),
    "back-payment when too much is missing": (VSI | {"payment_mode": "backpay", "months": 12, "reached_retirement_age": True, "contribution_months": 100}, "backpay_not_eligible"),
    "a pension after 14 years and 11 months": (PENSION | {"contribution_months": 179}, "not_eligible"),
    # dates before the data
    "a VSI quote before any poverty line": (VSI | {"on": "2015-06-01"}, "no_parameter_for_date"),
    "an HI quote before any rate": (HI | {"on": "2010-01-01"}, "no_parameter_for_date"),
    "a retirement age reached before the recorded roadmap": (RETIRE | {"birth_month": "1900-01"}, "no_parameter_for_date"),
}


@pytest.mark.parametrize(("request_", "code"), BAD_REQUESTS.values(), ids=BAD_REQUESTS.keys())
def test_a_bad_request_gets_its_exact_error_code_and_a_vietnamese_message(request_, code):
    status, text = quote_cli(json.dumps(request_))
    printed = json.loads(text)
    assert status == 2
    assert printed["error"] == code
    assert printed["message"] and printed["message"].isprintable()


BAD_TEXTS = {
    "invalid JSON": "{kind: vsi}",
    "empty input": "",
    "a JSON list": "[1, 2]",
    "a JSON string": '"vsi_contribution"',
    "a JSON null": "null",
    "NaN": '{"kind": "vsi_contribution", "income": NaN}',
    "a duplicated key": '{"kind": "hi_household", "kind": "pension_rate"}',
    "deep nesting": "[" * 100000 + "]" * 100000,
    "a huge integer": '{"kind": "pension_rate", "on": "2025-09-01", "sex": "male", "contribution_months": ' + "9" * 5000 + "}",
}


@pytest.mark.parametrize("text", BAD_TEXTS.values(), ids=BAD_TEXTS.keys())
def test_text_that_is_not_a_request_object_gets_invalid_request(text):
    status, printed = quote_cli(text)
    assert status == 2
    assert json.loads(printed)["error"] == "invalid_request"


def test_the_request_can_come_from_standard_input_with_a_dash():
    status, text = quote_cli("-", io.StringIO(json.dumps(RETIRE)))
    assert status == 0
    assert json.loads(text)["retirement_age"] == "62y0m"


def test_every_error_code_has_a_vietnamese_message():
    assert ERROR_CODES == {
        "income_below_floor", "income_above_ceiling", "income_off_step", "invalid_months", "invalid_members",
        "backpay_not_eligible", "not_eligible", "invalid_request", "no_parameter_for_date",
    }
    assert all(MESSAGES_VI[code] for code in ERROR_CODES)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**20, 10**20) | st.text(max_size=12)
    | st.sampled_from(["2025-09-01", "1970-05", "monthly", "advance", "backpay", "poor", "male", "0.0031",
                     "0001-01-01", "9999-12-31", "ha_noi", "serious_illness"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=4,
)
KEYS = ["on", "income", "months", "payment_mode", "support_group", "months_already_supported", "fund_rate_monthly",
        "reached_retirement_age", "contribution_months", "province_code", "members", "ranks", "support_pct",
        "sex", "birth_month", "average_income", "paid_on", "previous_card_end", "first_time",
        "contribution_months_before_2014", "contribution_months_from_2014", "state_support_received",
        "contributions_paid", "reason", "age", "birth_date", "has_pension", "poor_or_near_poor", "province"]


@given(st.sampled_from([VSI, HI, PENSION, RETIRE, {**PENSION, "kind": "pension_amount", "average_income": 1},
                        CARD, LUMP, SOCIAL]),
       st.dictionaries(st.sampled_from(KEYS), json_values, max_size=4))
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_no_request_makes_the_cli_fail_with_anything_but_a_json_answer(base, changes):
    status, text = quote_cli(json.dumps(base | changes))
    printed = json.loads(text)
    assert status in (0, 2)
    assert (status == 2) == ("error" in printed)
    if status == 2:
        assert printed["error"] in ERROR_CODES
