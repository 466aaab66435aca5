"""The range of dates an administrative record may carry (organisations, agents, offices, units,
leaders, campaigns, targets, assignments): forms refuse dates outside it and the services that add or
subtract days check it again, so a command cannot overflow Python's date range either."""

import datetime

ADMIN_DATE_MIN = datetime.date(1900, 1, 1)
ADMIN_DATE_MAX = datetime.date(2100, 12, 31)
ADMIN_DATE_OUT_OF_RANGE = "Ngày phải trong khoảng 01/01/1900 – 31/12/2100."


def admin_date_in_range(day: datetime.date | None) -> bool:
    """Whether ``day`` (None: no date) lies in the administrative range."""
    return day is None or ADMIN_DATE_MIN <= day <= ADMIN_DATE_MAX
