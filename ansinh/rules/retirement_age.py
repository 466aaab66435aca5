"""Retirement age by the 2021-2035 roadmap: the age in force for the calendar year in which the
person reaches it; the pension starts on the first day of the following month.

benefits.retirement_age.<sex> is keyed by 1 January of each year (Labour Code 2019 Art 169(2),
Decree 135/2020/NĐ-CP Art 4; 60 / 55 under the earlier Labour Codes).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .breakdown import Line, breakdown_dicts
from .dates import MONTHS_PER_YEAR, format_age, month_index, month_text
from .errors import NO_PARAMETER_FOR_DATE, RuleError
from .parameter_units import AGE_RE
from .parameters import ParameterSet, Resolved, default_parameters

SEARCH_YEARS = 200
"""Safety bound of the search for the year of retirement (not a legal number)."""


def age_in_months(text: str) -> int:
    """'61y6m' -> 738."""
    years, months = AGE_RE.match(text).groups()
    return int(years) * MONTHS_PER_YEAR + int(months)


@dataclass(frozen=True)
class RetirementAge:
    """retirement_age '61y6m', month_reaching_age and pension_start_month as 'YYYY-MM'."""

    sex: str
    birth_month: str
    age_months: int
    reach_index: int
    parameter: Resolved

    @property
    def retirement_age(self) -> str:
        return format_age(self.age_months)

    @property
    def month_reaching_age(self) -> str:
        return month_text(self.reach_index)

    @property
    def pension_start_month(self) -> str:
        return month_text(self.reach_index + 1)

    @property
    def breakdown(self) -> tuple[Line, ...]:
        return (
            Line(
                key="retirement_age",
                label="Tuổi nghỉ hưu áp dụng cho năm đủ tuổi",
                value=self.retirement_age,
                formula=(
                    f"sinh {self.birth_month} + {self.retirement_age} = {self.month_reaching_age}; "
                    f"tuổi nghỉ hưu của năm {self.month_reaching_age[:4]}"
                ),
                parameters=(self.parameter,),
            ),
            Line(
                key="pension_start_month",
                label="Tháng bắt đầu hưởng lương hưu",
                value=self.pension_start_month,
                formula="tháng liền sau tháng đủ tuổi nghỉ hưu",
                parameters=(self.parameter,),
            ),
        )

    def to_dict(self) -> dict:
        return {
            "kind": "retirement_age",
            "sex": self.sex,
            "birth_month": self.birth_month,
            "retirement_age": self.retirement_age,
            "month_reaching_age": self.month_reaching_age,
            "pension_start_month": self.pension_start_month,
            "breakdown": breakdown_dicts(self.breakdown),
        }


def retirement_age(*, sex: str, birth_year: int, birth_month: int, params: ParameterSet | None = None) -> RetirementAge:
    """Retirement age of a person of `sex` ('male' | 'female') born in birth_year-birth_month.

    Finds the first year Y such that birth month + the age in force in Y falls in Y. Raises
    RuleError('no_parameter_for_date') if the person reached the age before the recorded history.
    """
    params = params or default_parameters()
    name = f"benefits.retirement_age.{sex}"
    parameter = params.parameter(name)
    birth = month_index(birth_year, birth_month)
    first_year = parameter.values[0].start.year if parameter.values else birth_year
    start = max(birth_year, first_year)
    for year in range(start, min(start + SEARCH_YEARS, date.max.year + 1)):
        resolved = params.get(name, date(year, 1, 1))
        age = age_in_months(resolved.value)
        reach = birth + age
        reach_year = reach // MONTHS_PER_YEAR
        if reach_year < year:
            break  # reached before the recorded history (only possible on the first year tried)
        if reach_year == year:
            return RetirementAge(sex, month_text(birth), age, reach, resolved)
    raise RuleError(
        NO_PARAMETER_FOR_DATE,
        "Chưa có tuổi nghỉ hưu được ghi nhận cho năm người này đủ tuổi.",
        parameter=name,
        birth_month=month_text(birth),
    )
