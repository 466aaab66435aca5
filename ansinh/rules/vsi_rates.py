"""The VSI parameters in force on a date, looked up once and reused (quotes and bulk re-pricing)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .money import ratio
from .parameters import ParameterSet, Resolved, default_parameters


@dataclass(frozen=True)
class VsiRates:
    """Every VSI parameter for one payment date, with the derived numbers pricing needs.

    floor_vnd / ceiling_vnd / step_vnd: income bounds and step (VND per month); rate: the contribution
    rate as a Decimal ratio; support_unit: contribution rate × rural poverty line (VND per supported
    month).
    """

    on: date
    law: str
    floor: Resolved
    ceiling_base: Resolved
    ceiling_multiplier: Resolved
    step: Resolved
    contribution_rate: Resolved
    support_base: Resolved
    support_cap: Resolved
    mode_months: Resolved
    max_advance: Resolved
    backpay_max_missing: Resolved
    years_needed: Resolved
    floor_vnd: int
    ceiling_vnd: int
    step_vnd: int
    rate: Decimal
    support_unit: Decimal
    backpay_support: Resolved | None = None
    """vsi.backpay_state_support (open point of rules §2: 'none' by default); None in a parameter set
    without it, which then means the default, none."""

    @property
    def backpay_supported(self) -> bool:
        return self.backpay_support is not None and self.backpay_support.value == "supported"


def vsi_rates_on(on: date, params: ParameterSet | None = None) -> VsiRates:
    """Look up the VSI parameters in force on `on` (the payment date).

    Raises RuleError('no_parameter_for_date') when a parameter has no value on that date.
    Sources: Law 58/2014 Art 87, Law 41/2024 Art 31 and 36, Decrees 134/2015 and 159/2025.
    """
    params = params or default_parameters()
    get = params.get
    floor = get("vsi.income_floor", on)
    ceiling_base = get("vsi.income_ceiling_base", on)
    ceiling_multiplier = get("vsi.income_ceiling_multiplier", on)
    contribution_rate = get("vsi.contribution_rate", on)
    support_base = get("vsi.state_support_base", on)
    rate = ratio(contribution_rate.value)
    return VsiRates(
        on=on,
        law=params.value("common.social_insurance_law", on),
        floor=floor,
        ceiling_base=ceiling_base,
        ceiling_multiplier=ceiling_multiplier,
        step=get("vsi.income_step", on),
        contribution_rate=contribution_rate,
        support_base=support_base,
        support_cap=get("vsi.support_cap_months", on),
        mode_months=get("vsi.payment_mode_months", on),
        max_advance=get("vsi.max_advance_months", on),
        backpay_max_missing=get("vsi.backpay_max_missing_months", on),
        years_needed=get("benefits.pension_years_needed", on),
        floor_vnd=floor.value,
        ceiling_vnd=int(ceiling_multiplier.value * ceiling_base.value),
        step_vnd=get("vsi.income_step", on).value,
        rate=rate,
        support_unit=rate * support_base.value,
        backpay_support=params.find("vsi.backpay_state_support", on) if "vsi.backpay_state_support" in params
        else None,
    )
