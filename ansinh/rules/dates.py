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
