"""Voluntary social insurance (VSI) contribution: income checks, gross, amount due, support, payable.

Amounts are integer VND, computed with Decimal and rounded half-up once per line. Rates are those in
force on the payment date `on`; a later change does not re-price a period already paid.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .breakdown import Line, vnd_text
from .errors import INCOME_ABOVE_CEILING, INCOME_BELOW_FLOOR, INCOME_OFF_STEP, NO_PARAMETER_FOR_DATE, RuleError
from .money import ratio, to_vnd
from .parameters import ParameterSet, Resolved, default_parameters
from .vsi_payment_modes import (
    ADVANCE,
    BACKPAY,
    vsi_advance_amount_due,
    vsi_backpay_amount_due,
    vsi_backpay_eligibility,
    vsi_fund_rate_for_payment,
    vsi_months_for_mode,
)
from .vsi_breakdown import vsi_breakdown, vsi_result_dict
from .vsi_rates import VsiRates, vsi_rates_on
from .vsi_support import (SupportChoice, vsi_check_support_total, vsi_local_support_choice, vsi_state_support_choice,
                          vsi_supported_months)


@dataclass(frozen=True)
class VsiAmounts:
    """The numbers of one VSI payment (VND, months)."""

    months: int
    gross: int
    amount_due: int
    state_support: int
    local_support: int
    payable: int
    supported_months: int
    support_limited_to_due: bool


def vsi_check_income(rates: VsiRates, income: int) -> None:
    """floor ≤ income ≤ ceiling and income = floor + k × step, else RuleError income_below_floor,
    income_above_ceiling or income_off_step. Law 58/2014 Art 87; Law 41/2024 Art 31(2)."""
    if income < rates.floor_vnd:
        raise RuleError(
            INCOME_BELOW_FLOOR,
            f"Mức thu nhập {vnd_text(income)} đồng thấp hơn mức tối thiểu {vnd_text(rates.floor_vnd)} đồng "
            "(chuẩn hộ nghèo khu vực nông thôn).",
            income=income,
            floor=rates.floor_vnd,
        )
    if income > rates.ceiling_vnd:
        raise RuleError(
            INCOME_ABOVE_CEILING,
            f"Mức thu nhập {vnd_text(income)} đồng cao hơn mức tối đa {vnd_text(rates.ceiling_vnd)} đồng.",
            income=income,
            ceiling=rates.ceiling_vnd,
        )
    if (income - rates.floor_vnd) % rates.step_vnd and income != rates.ceiling_vnd:
        raise RuleError(
            INCOME_OFF_STEP,
            f"Mức thu nhập phải bằng {vnd_text(rates.floor_vnd)} đồng cộng một số lần "
            f"{vnd_text(rates.step_vnd)} đồng.",
            income=income,
            floor=rates.floor_vnd,
            step=rates.step_vnd,
        )


def vsi_amounts(
    rates: VsiRates,
    *,
    income: int,
    payment_mode: str,
    months: int | None,
    state: SupportChoice,
    local: SupportChoice,
    months_already_supported: int = 0,
    fund_rate: Decimal | None = None,
    reached_retirement_age: bool = False,
    contribution_months: int | None = None,
) -> VsiAmounts:
    """Price one VSI payment with the rates of its date (no breakdown: also the bulk path).

    income: chosen monthly income (VND); months: months paid (None: the mode's own); state / local:
    support percentages already chosen for the person's groups; fund_rate: monthly ratio r, needed
    for advance and backpay. Checks months, income, then back-payment eligibility, raising
    RuleError invalid_months, income_*, backpay_not_eligible. Total support never exceeds amount_due.
    """
    months = vsi_months_for_mode(rates, payment_mode, months)
    vsi_check_income(rates, income)
    if payment_mode == BACKPAY:
        vsi_backpay_eligibility(rates, months, reached_retirement_age, contribution_months)
    if payment_mode in (ADVANCE, BACKPAY) and fund_rate is None:
        raise RuleError(
            NO_PARAMETER_FOR_DATE,
            "Chưa có lãi suất đầu tư quỹ của năm trước năm đóng; hãy cung cấp fund_rate_monthly.",
            parameter="vsi.fund_rate_monthly",
            on=rates.on,
        )
    monthly = rates.rate * income
    gross = to_vnd(monthly * months)
    if payment_mode == ADVANCE:
        amount_due = vsi_advance_amount_due(monthly, months, fund_rate)
    elif payment_mode == BACKPAY:
        amount_due = vsi_backpay_amount_due(monthly, months, fund_rate)
    else:
        amount_due = gross
    supported = vsi_supported_months(months, rates.support_cap.value, months_already_supported)
    if payment_mode == BACKPAY and not rates.backpay_supported:
        supported = 0  # back-paid months get no support (vsi.backpay_state_support, default none)
    state_support = to_vnd(ratio(state.pct) * rates.support_unit * supported)
    local_support = to_vnd(ratio(local.pct) * rates.support_unit * supported)
    limited = state_support + local_support > amount_due
    if limited:
        state_support = min(state_support, amount_due)
        local_support = amount_due - state_support
    return VsiAmounts(
        months=months,
        gross=gross,
        amount_due=amount_due,
        state_support=state_support,
        local_support=local_support,
        payable=amount_due - state_support - local_support,
        supported_months=supported,
        support_limited_to_due=limited,
    )


@dataclass(frozen=True)
class VsiContribution:
    """A priced VSI payment with its explanation. `to_dict()` gives the JSON result of a quote."""

    on: date
    income: int
    payment_mode: str
    groups: tuple[str, ...]
    province_code: str | None
    rates: VsiRates
    amounts: VsiAmounts
    state: SupportChoice
    local: SupportChoice
    fund_rate: Decimal | None
    fund_rate_parameter: Resolved | None

    @property
    def breakdown(self) -> tuple[Line, ...]:
        return vsi_breakdown(self)

    def to_dict(self) -> dict:
        return vsi_result_dict(self)


def vsi_contribution(
    *,
    on: date,
    income: int,
    payment_mode: str = "monthly",
    months: int | None = None,
    support_groups: Sequence[str] = ("other",),
    months_already_supported: int = 0,
    fund_rate_monthly: Decimal | None = None,
    reached_retirement_age: bool = False,
    contribution_months: int | None = None,
    province_code: str | None = None,
    params: ParameterSet | None = None,
) -> VsiContribution:
    """Quote a VSI payment made on `on`.

    income: chosen monthly income, VND. payment_mode: monthly | 3_months | 6_months | 12_months |
    advance | backpay; months: months paid (None: the mode's own; required for advance and backpay).
    support_groups: codes of vsi_support.SUPPORT_GROUPS, the highest support wins.
    months_already_supported: months of state support received before (120-month cap).
    fund_rate_monthly: r as a ratio (Decimal('0.0025') for 0.25%); None takes vsi.fund_rate_monthly
    of the year before the payment year. reached_retirement_age / contribution_months: for backpay.
    province_code: looks up vsi.local_support.<code> (none recorded by default).

    Returns VsiContribution (gross, amount_due, state_support, local_support, payable + breakdown).
    Raises RuleError: income_below_floor, income_above_ceiling, income_off_step, invalid_months,
    backpay_not_eligible, invalid_request, no_parameter_for_date.
    Legal basis: Law 58/2014 Art 87; Law 41/2024 Art 31, 36; Decree 134/2015 Art 9, 14;
    Decree 159/2025 Art 5-7.
    """
    params = params or default_parameters()
    rates = vsi_rates_on(on, params)
    groups = tuple(support_groups)
    fund_rate_parameter = fund_rate = None
    if payment_mode in (ADVANCE, BACKPAY):
        fund_rate = fund_rate_monthly
        if fund_rate is None:
            fund_rate_parameter = vsi_fund_rate_for_payment(on, params)
            fund_rate = ratio(fund_rate_parameter.value) if fund_rate_parameter else None
    state = vsi_state_support_choice(on, rates.law, groups, params)
    local = vsi_local_support_choice(on, province_code, groups, params)
    vsi_check_support_total(on, rates.law, groups, province_code, params)
    amounts = vsi_amounts(
        rates,
        income=income,
        payment_mode=payment_mode,
        months=months,
        state=state,
        local=local,
        months_already_supported=months_already_supported,
        fund_rate=fund_rate,
        reached_retirement_age=reached_retirement_age,
        contribution_months=contribution_months,
    )
    return VsiContribution(
        on=on,
        income=income,
        payment_mode=payment_mode,
        groups=groups,
        province_code=province_code,
        rates=rates,
        amounts=amounts,
        state=state,
        local=local,
        fund_rate=fund_rate,
        fund_rate_parameter=fund_rate_parameter,
    )
