"""Lean re-pricing of many participants on one date: parameters looked up once, no breakdown.

Uses the very rule functions of the quotes (vsi_amounts, hi_member_lines) with rates precomputed by
vsi_rates_on / hi_rates_on, so a bulk total equals the sum of the individual quotes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from .household_hi import hi_check_months, hi_member_lines, hi_rates_on
from .money import ratio
from .parameters import ParameterSet, default_parameters
from .vsi_contribution import VsiAmounts, vsi_amounts
from .vsi_payment_modes import vsi_fund_rate_for_payment
from .vsi_rates import vsi_rates_on
from .vsi_support import SupportChoice, vsi_local_support_choice, vsi_state_support_choice


class VsiBulkPricer:
    """Price VSI payments made on one date. Support choices are cached per (groups, province)."""

    def __init__(self, on: date, params: ParameterSet | None = None):
        self.params = params or default_parameters()
        self.rates = vsi_rates_on(on, self.params)
        fund_rate = vsi_fund_rate_for_payment(on, self.params)
        self._fund_rate = ratio(fund_rate.value) if fund_rate else None
        self._choices: dict[tuple, tuple[SupportChoice, SupportChoice]] = {}

    def _support(self, groups: tuple[str, ...], province_code: str | None) -> tuple[SupportChoice, SupportChoice]:
        key = (groups, province_code)
        if key not in self._choices:
            on, law = self.rates.on, self.rates.law
            self._choices[key] = (
                vsi_state_support_choice(on, law, groups, self.params),
                vsi_local_support_choice(on, province_code, groups, self.params),
            )
        return self._choices[key]

    def price(
        self,
        *,
        income: int,
        payment_mode: str,
        months: int | None = None,
        groups: tuple[str, ...] = ("other",),
        months_already_supported: int = 0,
        province_code: str | None = None,
        fund_rate: Decimal | None = None,
    ) -> VsiAmounts:
        """The amounts of one payment (raises RuleError like vsi_contribution)."""
        state, local = self._support(groups, province_code)
        return vsi_amounts(
            self.rates,
            income=income,
            payment_mode=payment_mode,
            months=months,
            state=state,
            local=local,
            months_already_supported=months_already_supported,
            fund_rate=fund_rate if fund_rate is not None else self._fund_rate,
        )


class HiBulkPricer:
    """Price household HI payments made on one date."""

    def __init__(self, on: date, params: ParameterSet | None = None):
        self.rates = hi_rates_on(on, params or default_parameters())

    def price(self, *, members: int, months: int, support_pcts: Sequence[Decimal] | None = None) -> tuple[int, int]:
        """(total, state_support) in VND for a household of `members` members ranked 1..n."""
        hi_check_months(self.rates, months)
        pcts = support_pcts if support_pcts is not None else [Decimal(0)] * members
        lines = hi_member_lines(self.rates, range(1, members + 1), months, pcts)
        return sum(m.amount for m in lines), sum(m.state_support for m in lines)
