"""VSI payment modes: months allowed per mode, the advance discount, the back-payment interest and
who may back-pay (one function per legal shape, picked by date)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from .dates import MONTHS_PER_YEAR
from .errors import BACKPAY_NOT_ELIGIBLE, INVALID_MONTHS, INVALID_REQUEST, ParameterError, RuleError
from .money import ONE, to_vnd
from .parameters import ParameterSet, Resolved
from .vsi_rates import VsiRates

ADVANCE = "advance"
BACKPAY = "backpay"
MODE_LABELS_VI = {
    "monthly": "hằng tháng", "3_months": "3 tháng một lần", "6_months": "6 tháng một lần",
    "12_months": "12 tháng một lần", ADVANCE: "đóng trước nhiều năm", BACKPAY: "đóng bù",
}
"""How a message names a payment mode (Law 41/2024 Art 36(1): the modes in words)."""


def vsi_payment_modes(rates: VsiRates) -> tuple[str, ...]:
    """All modes on the date: the periodic ones of vsi.payment_mode_months, then advance, backpay."""
    return (*rates.mode_months.value, ADVANCE, BACKPAY)


def vsi_months_for_mode(rates: VsiRates, payment_mode: str, months: int | None) -> int:
    """The months paid, checked against the mode; a periodic mode fills in its own months.

    monthly / 3_months / 6_months / 12_months: exactly 1 / 3 / 6 / 12 months (vsi.payment_mode_months);
    advance: 1..vsi.max_advance_months; backpay: at least 1 (the upper bound is an eligibility rule).
    Raises RuleError invalid_months, or invalid_request for an unknown mode.
    """
    fixed = rates.mode_months.value
    if payment_mode in fixed:
        expected = fixed[payment_mode]
        if months is not None and months != expected:
            raise RuleError(
                INVALID_MONTHS,
                f"Phương thức đóng {MODE_LABELS_VI.get(payment_mode, payment_mode)} tương ứng đúng {expected} tháng, "
                f"không phải {months} tháng.",
                months=months,
                payment_mode=payment_mode,
                expected=expected,
            )
        return expected
    if payment_mode not in (ADVANCE, BACKPAY):
        raise RuleError(
            INVALID_REQUEST,
            f"Phương thức đóng không hợp lệ: {payment_mode!r}.",
            field="payment_mode",
            allowed=list(vsi_payment_modes(rates)),
        )
    if months is None:
        raise RuleError(INVALID_MONTHS, "Cần cho biết số tháng đóng một lần.", payment_mode=payment_mode)
    highest = rates.max_advance.value if payment_mode == ADVANCE else None
    if months < 1 or (highest is not None and months > highest):
        message = (
            f"Đóng một lần cho nhiều năm về sau được từ 1 đến {highest} tháng, không phải {months} tháng."
            if highest is not None
            else f"Số tháng đóng bù phải từ 1 tháng trở lên, không phải {months} tháng."
        )
        raise RuleError(INVALID_MONTHS, message, months=months, payment_mode=payment_mode, max_months=highest)
    return months


def vsi_advance_amount_due(monthly_contribution: Decimal, months: int, fund_rate: Decimal) -> int:
    """Advance payment: Σ_{i=1..n} monthly_contribution / (1 + r)^(i−1), rounded half-up once (VND).

    monthly_contribution = contribution rate × income (Decimal VND); r = monthly fund rate as a ratio.
    Decree 159/2025 Art 6(1) (Decree 134/2015 Art 9 before). The state support is not discounted.
    """
    factor = ONE + fund_rate
    total = Decimal(0)
    discount = ONE
    for _ in range(months):
        total += monthly_contribution / discount
        discount *= factor
    return to_vnd(total)


def vsi_backpay_amount_due(monthly_contribution: Decimal, months: int, fund_rate: Decimal) -> int:
    """Back-payment: Σ_{i=1..t} monthly_contribution × (1 + r)^i, rounded half-up once (VND).

    Decree 159/2025 Art 7(1) (Decree 134/2015 Art 9 before).
    """
    factor = ONE + fund_rate
    total = Decimal(0)
    growth = ONE
    for _ in range(months):
        growth *= factor
        total += monthly_contribution * growth
    return to_vnd(total)


def vsi_fund_rate_for_payment(on: date, params: ParameterSet) -> Resolved | None:
    """The monthly fund rate r for a payment made on `on`: the rate of the year before the payment year.

    vsi.fund_rate_monthly is keyed by the fund year it measures, so this looks it up on 31 December of
    the previous year. None when that year has no rate yet: advance and backpay then need
    `fund_rate_monthly` in the request (vsi_amounts raises no_parameter_for_date).
    Decree 159/2025 Art 6(1), 7(1).
    """
    return params.find("vsi.fund_rate_monthly", date(on.year - 1, 12, 31))


def _backpay_check(
    rates: VsiRates, months: int, reached_retirement_age: bool, contribution_months: int | None
) -> None:
    """Shared by the dated rules: at retirement age, lacking at most the allowed months.

    Without `contribution_months` the months paid are taken as the months lacking.
    """
    years = rates.years_needed.value
    max_missing = rates.backpay_max_missing.value
    if not reached_retirement_age:
        raise RuleError(
            BACKPAY_NOT_ELIGIBLE,
            "Chỉ người đã đủ tuổi nghỉ hưu mới được đóng một lần cho những năm còn thiếu.",
            reached_retirement_age=False,
        )
    lacking = months if contribution_months is None else years * MONTHS_PER_YEAR - contribution_months
    if lacking <= 0:
        raise RuleError(
            BACKPAY_NOT_ELIGIBLE,
            f"Đã đủ {years} năm đóng, không còn tháng nào thiếu để đóng bù.",
            contribution_months=contribution_months,
        )
    if lacking > max_missing:
        raise RuleError(
            BACKPAY_NOT_ELIGIBLE,
            f"Chỉ được đóng bù khi còn thiếu không quá {max_missing} tháng để đủ {years} năm đóng.",
            missing_months=lacking,
            max_missing_months=max_missing,
            years_needed=years,
        )
    if months > lacking:
        raise RuleError(
            INVALID_MONTHS,
            f"Chỉ còn thiếu {lacking} tháng để đủ {years} năm, không đóng bù {months} tháng.",
            months=months,
            missing_months=lacking,
        )


def vsi_backpay_eligibility_2016(
    rates: VsiRates, months: int, reached_retirement_age: bool, contribution_months: int | None = None
) -> None:
    """Decree 134/2015 Art 9: a person at retirement age missing at most 120 months (10 years) to
    reach 20 years may pay them at once. Raises backpay_not_eligible (or invalid_months)."""
    _backpay_check(rates, months, reached_retirement_age, contribution_months)


def vsi_backpay_eligibility_2025(
    rates: VsiRates, months: int, reached_retirement_age: bool, contribution_months: int | None = None
) -> None:
    """Law 41/2024 Art 36, Decree 159/2025 Art 7: a person at retirement age missing at most 60 months
    to reach 15 years may pay them at once. Raises backpay_not_eligible (or invalid_months)."""
    _backpay_check(rates, months, reached_retirement_age, contribution_months)


BACKPAY_ELIGIBILITY_RULES = {
    "law_58_2014": vsi_backpay_eligibility_2016,
    "law_41_2024": vsi_backpay_eligibility_2025,
}


def vsi_backpay_eligibility(
    rates: VsiRates, months: int, reached_retirement_age: bool, contribution_months: int | None = None
) -> None:
    """The back-payment condition of the law in force on the payment date (see the dated rules)."""
    if rates.law not in BACKPAY_ELIGIBILITY_RULES:
        raise ParameterError(f"no back-payment rule for law code {rates.law!r}")
    BACKPAY_ELIGIBILITY_RULES[rates.law](rates, months, reached_retirement_age, contribution_months)
