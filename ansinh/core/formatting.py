"""Vietnamese display formats for dates and numbers."""

import datetime


def format_date(value: datetime.date | None) -> str:
    """31/12/2024 for a date (or datetime, shown in its own date); "—" for None."""
    if value is None:
        return "—"
    return value.strftime("%d/%m/%Y")


def format_month(value: datetime.date | None) -> str:
    """12/2024 for the month of a date; "—" for None."""
    if value is None:
        return "—"
    return value.strftime("%m/%Y")


def format_number(value: int | None) -> str:
    """36.000 for 36000 (dot as the thousands separator)."""
    if value is None:
        return "—"
    return f"{int(value):,}".replace(",", ".")


def format_percent(value, digits: int = 1) -> str:
    """50,0% for 50 (comma as the decimal separator)."""
    if value is None:
        return "—"
    return f"{value:.{digits}f}".replace(".", ",") + "%"
