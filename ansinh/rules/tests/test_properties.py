"""Properties that hold for every input: checked with hypothesis over dates, incomes, groups, modes."""

from datetime import date
from decimal import Decimal

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from ansinh.rules.household_hi import household_hi_contribution
from ansinh.rules.parameters import default_parameters
from ansinh.rules.vsi_contribution import vsi_contribution
from ansinh.rules.vsi_rates import vsi_rates_on
from ansinh.rules.vsi_support import SUPPORT_GROUPS

WITH_LOCAL_SUPPORT = default_parameters().with_extra_values(
    {"vsi.local_support.92": [(date(2016, 1, 1), {"poor": 50, "near_poor": 60, "other": 15}, "test", "reported")]}
)

dates = st.dates(min_value=date(2016, 1, 1), max_value=date(2027, 12, 31))
fund_rates = st.decimals(min_value=0, max_value=Decimal("0.02"), places=4)
groups = st.lists(st.sampled_from(SUPPORT_GROUPS), min_size=1, max_size=3)
PLAIN_MODES = {"monthly": 1, "3_months": 3, "6_months": 6, "12_months": 12}


@st.composite
def vsi_requests(draw):
    on = draw(dates)
    rates = vsi_rates_on(on)
    steps = draw(st.integers(0, (rates.ceiling_vnd - rates.floor_vnd) // rates.step_vnd))
    mode = draw(st.sampled_from([*PLAIN_MODES, "advance", "backpay"]))
    if mode == "advance":
        months = draw(st.integers(1, rates.max_advance.value))
    elif mode == "backpay":
        months = draw(st.integers(1, rates.backpay_max_missing.value))
    else:
        months = PLAIN_MODES[mode]
    return {
        "on": on,
        "income": rates.floor_vnd + steps * rates.step_vnd,
        "payment_mode": mode,
        "months": months,
        "support_groups": draw(groups),
        "months_already_supported": draw(st.integers(0, 150)),
        "fund_rate_monthly": draw(fund_rates),
        "reached_retirement_age": True,
        "province_code": draw(st.sampled_from([None, "92"])),
        "params": WITH_LOCAL_SUPPORT,
    }


@given(vsi_requests())
def test_the_vsi_payable_is_never_negative_and_support_never_exceeds_the_amount_due(request):
    amounts = vsi_contribution(**request).amounts
    assert amounts.payable >= 0
    assert 0 <= amounts.state_support + amounts.local_support <= amounts.amount_due
    assert amounts.payable == amounts.amount_due - amounts.state_support - amounts.local_support


@given(vsi_requests())
def test_the_state_support_never_exceeds_the_gross_contribution(request):
    amounts = vsi_contribution(**request | {"province_code": None}).amounts
    assert amounts.state_support <= amounts.gross


@given(vsi_requests())
def test_every_vsi_money_figure_is_an_integer_number_of_dong(request):
    result = vsi_contribution(**request).to_dict()
    for key in ("gross", "amount_due", "state_support", "local_support", "payable"):
        assert type(result[key]) is int
    assert all(line["amount"] is None or type(line["amount"]) is int for line in result["breakdown"])


@given(vsi_requests())
def test_one_more_month_in_advance_or_back_pay_never_costs_less(request):
    assume(request["payment_mode"] in ("advance", "backpay") and request["months"] > 1)
    longer = vsi_contribution(**request)
    shorter = vsi_contribution(**request | {"months": request["months"] - 1})
    assert longer.amounts.amount_due >= shorter.amounts.amount_due
    assert longer.amounts.gross > shorter.amounts.gross


@given(dates, st.integers(0, 400), groups, st.integers(0, 150))
def test_a_longer_periodic_payment_never_costs_less(on, steps, support_groups, already):
    rates = vsi_rates_on(on)
    income = min(rates.floor_vnd + steps * rates.step_vnd, rates.ceiling_vnd)
    assume((income - rates.floor_vnd) % rates.step_vnd == 0)
    results = [
        vsi_contribution(on=on, income=income, payment_mode=mode, support_groups=support_groups,
                         months_already_supported=already).amounts
        for mode in PLAIN_MODES
    ]
    assert all(a.amount_due < b.amount_due for a, b in zip(results, results[1:]))
    assert all(a.payable <= b.payable for a, b in zip(results, results[1:]))


@given(
    st.dates(min_value=date(2015, 1, 1), max_value=date(2027, 12, 31)),
    st.lists(st.integers(1, 30), min_size=1, max_size=12, unique=True),
    st.sampled_from([3, 6, 12]),
    st.lists(st.integers(0, 100), min_size=12, max_size=12),
)
@settings(max_examples=200)
def test_the_hi_total_is_the_sum_of_the_members_and_support_stays_within_it(on, ranks, months, pcts):
    household = household_hi_contribution(on=on, months=months, ranks=ranks, support_pct=pcts[: len(ranks)])
    result = household.to_dict()
    assert result["total"] == sum(result["per_member"])
    assert result["state_support"] == sum(m["state_support"] for m in result["members"])
    assert 0 <= result["state_support"] <= result["total"]
    assert result["payable"] == result["total"] - result["state_support"] >= 0
    assert result["per_member"] == sorted(result["per_member"], reverse=True)


@given(st.dates(min_value=date(2015, 1, 1), max_value=date(2027, 12, 31)), st.integers(1, 12), st.integers(0, 100))
def test_more_hi_months_or_more_members_never_cost_less(on, members, pct):
    totals = [household_hi_contribution(on=on, months=m, members=members, support_pct=pct).payable for m in (3, 6, 12)]
    assert totals == sorted(totals)
    bigger = household_hi_contribution(on=on, months=12, members=members + 1, support_pct=pct)
    assert bigger.total > household_hi_contribution(on=on, months=12, members=members, support_pct=pct).total
