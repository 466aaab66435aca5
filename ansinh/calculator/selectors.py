"""The public calculator's answers: ``ansinh.rules.quote`` with the active parameters (the files plus the
values added at runtime). Every function raises RuleError (code + Vietnamese message) for a request the
rules refuse."""

from __future__ import annotations

from datetime import date

from ansinh.parameters.selectors import active_parameters
from ansinh.rules.errors import NOT_ELIGIBLE, RuleError
from ansinh.rules.quote import hi_state_support_pct, quote

DEFAULT_HI_MONTHS = 12


def _given(request: dict) -> dict:
    return {k: v for k, v in request.items() if v is not None}


def income_floor(*, on: date) -> int | None:
    """The lowest VSI income on `on` (the rural poverty line), for the form's first value."""
    try:
        return active_parameters().value("vsi.income_floor", on)
    except RuleError:
        return None


def vsi_estimate(*, on: date, income, payment_mode: str, support_group: str, months=None,
                 months_already_supported=None, reached_retirement_age: bool = False,
                 contribution_months=None) -> dict:
    """A VSI contribution (kind ``vsi_contribution``): gross, state_support, local_support, amount_due,
    payable and the breakdown. Numbers may arrive as typed text; the rules refuse them."""
    request = _given({
        "kind": "vsi_contribution", "on": on.isoformat(), "income": income, "payment_mode": payment_mode,
        "months": months, "support_group": support_group, "months_already_supported": months_already_supported,
    })
    if payment_mode == "backpay":
        request |= _given({"reached_retirement_age": reached_retirement_age,
                           "contribution_months": contribution_months})
    return quote(request, params=active_parameters())


def hi_estimate(*, on: date, members, months=None, group: str = "none") -> dict:
    """Household HI (kind ``hi_household``) for `members` ranked members of one support group:
    per_member, members, total, state_support, payable and the breakdown; plus support_group and
    support_pct (the state minimum for the group on `on`, Decree 188/2025)."""
    params = active_parameters()
    support_pct = hi_state_support_pct(group=group, on=on, params=params) if group != "none" else 0
    request = {"kind": "hi_household", "on": on.isoformat(), "members": members,
               "months": DEFAULT_HI_MONTHS if months is None else months, "support_pct": support_pct}
    result = quote(request, params=params)
    return result | {"support_group": group, "support_pct": support_pct}


def _month_start(text: str) -> date:
    year, month = text.split("-")
    return date(int(year), int(month), 1)


def benefits_estimate(*, sex: str, birth_month: str, contribution_months=None, average_income=None) -> dict:
    """Retirement and pension advice for a person of `sex` born in `birth_month` ('YYYY-MM').

    Returns ``{"retirement": <retirement_age result>, "month_reaching_age": date, "pension_start": date,
    "pension": <pension_amount (or pension_rate without an income) result on the pension start date, or
    None>, "not_eligible": None or {"message", "years_needed", "missing_months", "missing_years_part",
    "missing_months_part"}}``. The pension uses
    the rules in force on its start date (years needed, rate bands). Raises RuleError for bad input.
    """
    params = active_parameters()
    retirement = quote({"kind": "retirement_age", "sex": sex, "birth_month": birth_month}, params=params)
    pension_start = _month_start(retirement["pension_start_month"])
    answer = {
        "retirement": retirement,
        "month_reaching_age": _month_start(retirement["month_reaching_age"]),
        "pension_start": pension_start,
        "pension": None,
        "not_eligible": None,
    }
    if contribution_months is None:
        return answer
    request = _given({
        "kind": "pension_amount" if average_income is not None else "pension_rate",
        "on": pension_start.isoformat(), "sex": sex, "contribution_months": contribution_months,
        "average_income": average_income,
    })
    try:
        answer["pension"] = quote(request, params=params)
    except RuleError as error:
        if error.code != NOT_ELIGIBLE:
            raise
        missing = max(0, error.details["years_needed"] * 12 - error.details["contribution_months"])
        answer["not_eligible"] = {
            "message": error.message,
            "years_needed": error.details["years_needed"],
            "missing_months": missing,
            "missing_years_part": missing // 12,
            "missing_months_part": missing % 12,
        }
    return answer
