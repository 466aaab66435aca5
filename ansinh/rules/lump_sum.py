"""VSI lump-sum withdrawal (BHXH một lần), with the state support received deducted.

Per year of contributions: benefits.lump_sum_months_per_year (1.5 months of average income for the
years before 2014, 2 for the years from 2014). Odd months before 2014 are carried into the period
from 2014; there 1..6 odd months count as half a year and 7..11 as a year. Under one year in all:
what was paid, at most benefits.lump_sum_under_one_year_cap_months months of average income.
Law 58/2014 Art 77(2); Law 41/2024 Art 102(2); Decree 159/2025 Art 9.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .breakdown import Line, breakdown_dicts, vnd_text
from .dates import MONTHS_PER_YEAR
from .errors import INVALID_REQUEST, RuleError
from .money import plain_number, to_vnd
from .parameters import ParameterSet, default_parameters
from .pension import contribution_years_for_rate


@dataclass(frozen=True)
class LumpSum:
    """gross (VND, before deduction), state_support_deducted, amount (VND, never negative)."""

    on: date
    gross: int
    state_support_deducted: int
    amount: int
    breakdown: tuple[Line, ...]

    def to_dict(self) -> dict:
        return {
            "kind": "lump_sum",
            "on": self.on.isoformat(),
            "gross": self.gross,
            "state_support_deducted": self.state_support_deducted,
            "amount": self.amount,
            "breakdown": breakdown_dicts(self.breakdown),
        }


def vsi_lump_sum(
    *,
    on: date,
    months_before_2014: int,
    months_from_2014: int,
    average_income: int,
    state_support_received: int = 0,
    paid_total: int | None = None,
    params: ParameterSet | None = None,
) -> LumpSum:
    """The VSI lump sum claimed on `on` (VND).

    months_before_2014 / months_from_2014: contributed months in each period; average_income: adjusted
    average monthly income (VND); state_support_received: VND of state support received, deducted;
    paid_total: VND the person paid, required when the months total under one year.
    Raises RuleError invalid_request (paid_total missing) and no_parameter_for_date.
    """
    params = params or default_parameters()
    per_year = params.get("benefits.lump_sum_months_per_year", on)
    half_year = params.get("benefits.odd_months_half_year_max", on)
    if months_before_2014 + months_from_2014 < MONTHS_PER_YEAR:
        if paid_total is None:
            raise RuleError(INVALID_REQUEST, "Cần số tiền đã đóng khi thời gian đóng dưới một năm.", field="paid_total")
        cap = params.get("benefits.lump_sum_under_one_year_cap_months", on)
        cap_amount = to_vnd(cap.value * average_income)
        gross = min(paid_total, cap_amount)
        line = Line(
            key="gross",
            label="Mức hưởng khi đóng chưa đủ một năm",
            amount=gross,
            formula=f"min({vnd_text(paid_total)} đã đóng, {plain_number(cap.value)} × {vnd_text(average_income)})",
            parameters=(cap,),
            rounded=True,
        )
    else:
        whole_before, odd_before = divmod(months_before_2014, MONTHS_PER_YEAR)
        years_from = contribution_years_for_rate(months_from_2014 + odd_before, half_year.value)
        factors = per_year.value
        gross = to_vnd(average_income * (whole_before * factors["before_2014"] + years_from * factors["from_2014"]))
        line = Line(
            key="gross",
            label="Mức hưởng BHXH một lần",
            amount=gross,
            formula=(
                f"{vnd_text(average_income)} × ({whole_before} năm × {plain_number(factors['before_2014'])} + "
                f"{plain_number(years_from)} năm × {plain_number(factors['from_2014'])})"
            ),
            parameters=(per_year, half_year),
            rounded=True,
        )
    deducted = min(state_support_received, gross)
    deduction = Line(
        key="state_support_deducted",
        label="Trừ số tiền Nhà nước đã hỗ trợ",
        amount=deducted,
        formula=f"{vnd_text(state_support_received)} đã được hỗ trợ (tối đa bằng mức hưởng)",
        basis=("Nghị định 159/2025/NĐ-CP Điều 9",),
    )
    net = Line(key="amount", label="Số tiền BHXH một lần được nhận", amount=gross - deducted,
               formula="mức hưởng − hỗ trợ đã nhận", depends_on=(line, deduction))
    return LumpSum(on, gross, deducted, gross - deducted, (line, deduction, net))
