"""What a payment will record, shown on the summary step before the agent confirms ("Xác nhận thu …"):
the amount, who, how many months and the period (HI card dates or VSI months). Reads only."""

import datetime

from ansinh.core.money import format_vnd
from ansinh.enrollment import pricing
from ansinh.enrollment.selectors import hi_last_card_ends
from ansinh.enrollment.services import (hi_household_quote, hi_lines_for_payment, vsi_months_place, vsi_quote)

from .errors import AmountMismatch


def _require_amount(*, amount: int, payable: int) -> None:
    if amount != payable:
        raise AmountMismatch(f"Số tiền nộp {format_vnd(amount)} không khớp với số phải đóng {format_vnd(payable)}.",
                             due=payable)


def _hi_cards(*, people_ends: list[tuple], months: int, paid_on: datetime.date) -> dict:
    members = []
    for person, previous in people_ends:
        validity = pricing.hi_card_validity(paid_on=paid_on, months=months, previous_valid_to=previous)
        members.append({"name": person.full_name, "valid_from": validity["valid_from"],
                        "valid_to": validity["valid_to"]})
    return {"members": members, "valid_from": min(m["valid_from"] for m in members),
            "valid_to": max(m["valid_to"] for m in members)}


def hi_pay_summary(*, user, household, months: int, amount: int, paid_on: datetime.date) -> dict:
    """The summary of an HI household payment: ``{"amount", "months", "members": [{"name", "valid_from",
    "valid_to"}], "valid_from", "valid_to"}``. Raises AmountMismatch when ``amount`` is not what is due on
    ``paid_on``, and the quote's errors (NoEligibleMembers, PricingError, PermissionDenied, OutOfScope)."""
    quote = hi_household_quote(user=user, household=household, months=months, on=paid_on)
    _require_amount(amount=amount, payable=quote["payable"])
    people = [line["person"] for line in quote["members"]]
    ends = hi_last_card_ends(person_ids=[p.pk for p in people])
    return {"amount": amount, "months": months,
            **_hi_cards(people_ends=[(p, ends.get(p.pk)) for p in people], months=months, paid_on=paid_on)}


def _vsi_period(*, from_month: datetime.date, months: int) -> dict:
    index = from_month.year * 12 + from_month.month - 1 + months - 1
    return {"from_month": from_month, "to_month": datetime.date(index // 12, index % 12 + 1, 1)}


def vsi_pay_summary(*, user, person, income: int, months: int, payment_mode: str, amount: int,
                    paid_on: datetime.date) -> dict:
    """The summary of a VSI payment: ``{"amount", "months", "name", "from_month", "to_month"}``. Raises
    AmountMismatch, and the quote's errors (PricingError, NotEligible, MonthsNotMissing …)."""
    result = vsi_quote(user=user, person=person, income=income, months=months, payment_mode=payment_mode,
                       on=paid_on)
    _require_amount(amount=amount, payable=result["payable"])
    from_month = vsi_months_place(person=person, payment_mode=payment_mode, months=months, on=paid_on)
    return {"amount": amount, "months": months, "name": person.full_name,
            **_vsi_period(from_month=from_month, months=months)}


def quote_pay_summary(*, participation, is_hi: bool, amount: int, paid_on: datetime.date) -> dict:
    """The summary of paying a saved quote (the participation was read in scope by the caller)."""
    _require_amount(amount=amount, payable=participation.payable)
    if is_hi:
        lines = hi_lines_for_payment(participation=participation)
        return {"amount": amount, "months": participation.months,
                **_hi_cards(people_ends=[(line.person, line.previous_end) for line in lines],
                            months=participation.months, paid_on=paid_on)}
    return {"amount": amount, "months": participation.months, "name": participation.person.full_name,
            **_vsi_period(from_month=participation.from_month, months=participation.months)}
