"""Calendar helpers: months added to dates, 'YYYY-MM' months, ISO dates."""

from __future__ import annotations

import calendar as _stdlib_calendar
import re
from datetime import date, timedelta

ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ONE_DAY = timedelta(days=1)
MONTHS_PER_YEAR = 12


def add_months(day: date, months: int) -> date:
    """`day` moved by `months` calendar months, the day clamped to the end of a shorter month."""
    index = day.year * MONTHS_PER_YEAR + (day.month - 1) + months
    year, month0 = divmod(index, MONTHS_PER_YEAR)
    last = _stdlib_calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(day.day, last))


def period_last_day(start: date, months: int) -> date:
    """The last day (inclusive) of a period of `months` calendar months that starts on `start`.

    Civil Code 2015 Art 148(3): the period ends on the day before the same calendar day `months`
    later; when the target month has no such day, on the last day of that month. From 27/08 for 12
    months: 26/08; from 31/12 for 6 months: 30/06; from 31/01 for 3 months: 30/04; from 30/11 for 3
    months: 28/02 (29/02 in a leap year).
    """
    index = start.year * MONTHS_PER_YEAR + (start.month - 1) + months
    year, month0 = divmod(index, MONTHS_PER_YEAR)
    last = _stdlib_calendar.monthrange(year, month0 + 1)[1]
    if start.day > last:
        return date(year, month0 + 1, last)
    return date(year, month0 + 1, start.day) - ONE_DAY


def whole_years_between(born: date, on: date) -> int:
    """Age in whole years on `on` of a person born on `born` (the birthday counts; a 29/02 birthday is
    reached on 28/02 in a common year, as a period in years ends at the month's last day)."""
    years = on.year - born.year
    last = _stdlib_calendar.monthrange(on.year, born.month)[1]
    birthday = date(on.year, born.month, min(born.day, last))
    return years if on >= birthday else years - 1


def month_index(year: int, month: int) -> int:
    """A month as a single integer (months since year 0), for month arithmetic."""
    return year * MONTHS_PER_YEAR + (month - 1)


def month_text(index: int) -> str:
    """The inverse of month_index as 'YYYY-MM'."""
    year, month0 = divmod(index, MONTHS_PER_YEAR)
    return f"{year:04d}-{month0 + 1:02d}"


def format_age(months: int) -> str:
    """An age in months as '61y6m'."""
    years, rest = divmod(months, MONTHS_PER_YEAR)
    return f"{years}y{rest}m"


def format_date_vi(day: date) -> str:
    """A date as Vietnamese 'dd/mm/yyyy'."""
    return day.strftime("%d/%m/%Y")
