"""The one place where enrolment asks the rules module for prices (``ansinh.rules.quote``).

Every price uses the active parameters: the packaged files plus the dated values added at runtime
(``ansinh.parameters.selectors.active_parameters``, cached and refreshed when a value is added).
A price is frozen on the participation when it is recorded, so a later value never re-prices it.
"""

import datetime

from ansinh.parameters.selectors import active_parameters
from ansinh.registry.models import PovertyStatus
from ansinh.rules import quote as rules_quote
from ansinh.rules.errors import RuleError
from ansinh.rules.hi_card import hi_card_validity as rules_hi_card_validity
from ansinh.rules.dates import month_index
from ansinh.rules.retirement_age import retirement_age
from ansinh.rules.vsi_rates import vsi_rates_on

from .errors import PricingError

# Household poverty status -> the HI state-support group of the rules parameters
# (Decree 188/2025: near-poor, agricultural households of average living standard).
HI_SUPPORT_GROUP = {
    PovertyStatus.NEAR_POOR: "near_poor",
    PovertyStatus.AGRI_AVERAGE: "agri_average",
}

# Household poverty status -> the VSI state-support group (Decree 134/2015; Decree 159/2025).
VSI_SUPPORT_GROUP = {
    PovertyStatus.POOR: "poor",
    PovertyStatus.NEAR_POOR: "near_poor",
    PovertyStatus.AGRI_AVERAGE: "other",
    PovertyStatus.OTHER: "other",
}


def price(request: dict) -> dict:
    """Price a request in the ``ansinh quote`` format; returns the rules result with its breakdown.

    Raises PricingError carrying the rules error code and Vietnamese message.
    """
    try:
        return rules_quote.quote(request, params=active_parameters())
    except RuleError as exc:
        raise PricingError(exc.message, code=exc.code) from None


def hi_support_pct(*, poverty_status: str, on: datetime.date) -> int:
    """State support % for a household member of this poverty status on a date (0 when none).

    Source: the rules parameter ``household_hi.state_support`` (Decree 188/2025 minimums).
    """
    group = HI_SUPPORT_GROUP.get(poverty_status)
    if group is None:
        return 0
    try:
        return int(rules_quote.hi_state_support_pct(group=group, on=on, params=active_parameters()))
    except RuleError as exc:
        raise PricingError(exc.message, code=exc.code) from None


def hi_card_validity(*, paid_on: datetime.date, months: int, previous_valid_to: datetime.date | None) -> dict:
    """Card validity after full payment: ``{"valid_from", "valid_to", "rule"}`` (dates inclusive; rule is
    the Vietnamese text of the rule used). Law 46/2014, Law 51/2024; rules.md section 4."""
    try:
        validity = rules_hi_card_validity(paid_on=paid_on, months=months, previous_valid_to=previous_valid_to,
                                          params=active_parameters())
    except RuleError as exc:
        raise PricingError(exc.message, code=exc.code) from None
    return {"valid_from": validity.valid_from, "valid_to": validity.valid_to, "rule": validity.rule_text}


def hi_household_price(*, members: int, months: int, support_pcts: list[int], on: datetime.date) -> dict:
    """HI household price for ``members`` ranked members; ``support_pcts`` per member in rank order."""
    return price({
        "kind": "hi_household", "on": on.isoformat(), "members": members, "months": months,
        "support_pct": support_pcts,
    })


def vsi_price(*, income: int, months: int, payment_mode: str, support_group: str, on: datetime.date,
              months_already_supported: int = 0, reached_retirement_age: bool = False,
              province_code: str | None = None) -> dict:
    """VSI contribution price for one person (see ``ansinh quote`` kind ``vsi_contribution``).
    ``province_code``: the province of the person's commune on ``on`` (its local support
    ``vsi.local_support.<code>`` applies; rules.md §1)."""
    request = {
        "kind": "vsi_contribution", "on": on.isoformat(), "income": income, "months": months,
        "payment_mode": payment_mode, "support_group": support_group,
        "months_already_supported": months_already_supported,
    }
    if province_code:
        request["province_code"] = province_code
    if payment_mode == "backpay":
        request["reached_retirement_age"] = reached_retirement_age
    return price(request)


def has_reached_retirement_age(*, sex: str, born: datetime.date, on: datetime.date) -> bool:
    """Whether a person of ``sex`` born on ``born`` has reached the retirement age by the month of ``on``
    (Labour Code 2019 Art 169; Decree 135/2020 roadmap). Someone who reached it before the recorded
    history of the parameter has reached it."""
    try:
        reached = retirement_age(sex=sex, birth_year=born.year, birth_month=born.month, params=active_parameters())
    except RuleError:
        return True  # the only refusal: the age was reached before the parameter's first recorded year
    return month_index(on.year, on.month) >= reached.reach_index


def vsi_income_floor(*, on: datetime.date) -> int:
    """The lowest chosen VSI income on ``on`` (VND/month: the rural poverty line; Law 41/2024 Art 31(2)),
    used to prefill forms."""
    try:
        return vsi_rates_on(on, active_parameters()).floor_vnd
    except RuleError as exc:
        raise PricingError(exc.message, code=exc.code) from None


def vsi_min_age(*, on: datetime.date) -> int:
    """The youngest age (full years) at which a person may join VSI on ``on`` (Law 41/2024 Art 2(4))."""
    try:
        return int(active_parameters().value("vsi.participant_min_age", on))
    except RuleError as exc:
        raise PricingError(exc.message, code=exc.code) from None


SI_LAW_TEXT_VI = {
    "law_58_2014": "khoản 4 Điều 2 Luật Bảo hiểm xã hội số 58/2014/QH13",
    "law_41_2024": "khoản 4 Điều 2 Luật Bảo hiểm xã hội số 41/2024/QH15",
}
"""Where the law says who may join VSI (not under compulsory SI, not drawing a pension), by the code of
``common.social_insurance_law``."""


def vsi_participant_basis(*, on: datetime.date) -> str:
    """The legal basis, in Vietnamese, of who may join VSI on ``on``."""
    try:
        law = active_parameters().value("common.social_insurance_law", on)
    except RuleError as exc:
        raise PricingError(exc.message, code=exc.code) from None
    return SI_LAW_TEXT_VI.get(law, str(law))
