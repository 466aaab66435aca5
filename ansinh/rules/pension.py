"""VSI pension: eligibility, replacement rate and monthly amount.

Eligibility counts whole years of contributions (benefits.pension_years_needed: 20 under Law 58/2014,
15 from 2025-07-01 under Law 41/2024). For the rate, odd months 1..6 count as half a year and 7..11
as a whole year; the rate follows benefits.pension_rate_bands.<sex> on the date the pension starts
(Law 58/2014 Art 56, 74; Law 41/2024 Art 66, 99), at most max_pct.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .breakdown import Line, breakdown_dicts, pct_text, vnd_text
from .dates import MONTHS_PER_YEAR
from .errors import NOT_ELIGIBLE, RuleError
from .money import plain_number, ratio, to_vnd
from .parameters import ParameterSet, Resolved, default_parameters

SEXES = ("male", "female")
HALF = Decimal("0.5")


def contribution_years_for_rate(contribution_months: int, half_year_max: int) -> Decimal:
    """Years for the pension rate: whole years, plus 0.5 for 1..half_year_max odd months, plus 1 above."""
    whole, odd = divmod(contribution_months, MONTHS_PER_YEAR)
    extra = Decimal(0) if odd == 0 else HALF if odd <= half_year_max else Decimal(1)
    return whole + extra


def rate_from_bands(bands: dict, years: Decimal) -> Decimal | None:
    """Percent for `years` from a rate_bands value; None below the first band."""
    found = None
    for band in bands["bands"]:
        if years >= band["from_years"]:
            found = band
    if found is None:
        return None
    return min(bands["max_pct"], found["pct"] + (years - found["from_years"]) * found["pct_per_year"])


@dataclass(frozen=True)
class PensionRate:
    """rate_pct (percent, may be a half) with the years counted and the parameters used."""

    on: date
    sex: str
    contribution_months: int
    years_for_rate: Decimal
    rate_pct: Decimal
    years_needed: Resolved
    bands: Resolved
    half_year: Resolved

    @property
    def breakdown(self) -> tuple[Line, ...]:
        eligibility = Line(
            key="eligibility",
            label="Đủ số năm đóng để hưởng lương hưu",
            value=f"{self.contribution_months // MONTHS_PER_YEAR} năm ≥ {self.years_needed.value} năm",
            formula="số năm đóng tính theo năm tròn",
            parameters=(self.years_needed,),
        )
        rate = Line(
            key="rate_pct",
            label="Tỷ lệ hưởng lương hưu hằng tháng",
            value=pct_text(self.rate_pct),
            formula=(
                f"{self.contribution_months} tháng = {plain_number(self.years_for_rate)} năm tính tỷ lệ "
                f"(tháng lẻ 1–{self.half_year.value} tháng = nửa năm, trên đó = 1 năm); theo bậc tỷ lệ, tối đa "
                f"{pct_text(self.bands.value['max_pct'])}"
            ),
            parameters=(self.bands, self.half_year),
        )
        return (eligibility, rate)

    def to_dict(self) -> dict:
        return {
            "kind": "pension_rate",
            "on": self.on.isoformat(),
            "sex": self.sex,
            "contribution_months": self.contribution_months,
            "years_for_rate": plain_number(self.years_for_rate),
            "rate_pct": plain_number(self.rate_pct),
            "breakdown": breakdown_dicts(self.breakdown),
        }


def pension_rate(
    *, on: date, sex: str, contribution_months: int, params: ParameterSet | None = None
) -> PensionRate:
    """The monthly pension rate (percent) of a VSI pension starting on `on`.

    sex: 'male' | 'female'; contribution_months: months of contributions (≥ 0).
    Raises RuleError not_eligible below benefits.pension_years_needed whole years, and
    no_parameter_for_date. Law 58/2014 Art 56, 73, 74; Law 41/2024 Art 66, 98, 99.
    """
    params = params or default_parameters()
    years_needed = params.get("benefits.pension_years_needed", on)
    bands = params.get(f"benefits.pension_rate_bands.{sex}", on)
    half_year = params.get("benefits.odd_months_half_year_max", on)
    whole_years = contribution_months // MONTHS_PER_YEAR
    years = contribution_years_for_rate(contribution_months, half_year.value)
    rate = rate_from_bands(bands.value, years)
    if whole_years < years_needed.value or rate is None:
        raise RuleError(
            NOT_ELIGIBLE,
            f"Cần đóng đủ {years_needed.value} năm để hưởng lương hưu; mới có {whole_years} năm "
            f"{contribution_months % MONTHS_PER_YEAR} tháng.",
            contribution_months=contribution_months,
            years_needed=years_needed.value,
        )
    return PensionRate(on, sex, contribution_months, years, rate, years_needed, bands, half_year)


@dataclass(frozen=True)
class PensionAmount:
    """monthly_pension (VND) = rate × average income, rounded half-up once."""

    rate: PensionRate
    average_income: int
    monthly_pension: int

    @property
    def breakdown(self) -> tuple[Line, ...]:
        rate_lines = self.rate.breakdown
        amount = Line(
            key="monthly_pension",
            label="Lương hưu hằng tháng",
            amount=self.monthly_pension,
            formula=f"{pct_text(self.rate.rate_pct)} × {vnd_text(self.average_income)} (thu nhập bình quân)",
            basis=tuple(self.rate.bands.references()),
            rounded=True,
            depends_on=rate_lines,
        )
        return (*rate_lines, amount)

    def to_dict(self) -> dict:
        data = self.rate.to_dict()
        data |= {
            "kind": "pension_amount",
            "average_income": self.average_income,
            "monthly_pension": self.monthly_pension,
            "breakdown": breakdown_dicts(self.breakdown),
        }
        return data


def pension_amount(
    *, on: date, sex: str, contribution_months: int, average_income: int, params: ParameterSet | None = None
) -> PensionAmount:
    """The monthly VSI pension (VND) starting on `on`: pension_rate × average_income (VND/month, the
    adjusted average of all contributed months), rounded half-up. Raises like pension_rate."""
    rate = pension_rate(on=on, sex=sex, contribution_months=contribution_months, params=params)
    return PensionAmount(rate, average_income, to_vnd(ratio(rate.rate_pct) * average_income))
