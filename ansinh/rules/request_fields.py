"""Reading the fields of a quote request strictly: every bad field becomes a RuleError with a code.

Numbers must be JSON numbers (never text, never booleans); whole numbers may be written 12 or 12.0.
Limits here are sanity bounds on input, not legal numbers (those live in the parameter files).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation

from .dates import ISO_DATE_RE
from .errors import INVALID_REQUEST, RuleError

ISO_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
MISSING = object()

MAX_HOUSEHOLD_RANK = 100
"""Sanity bound: no household list has more members than this."""
MAX_CONTRIBUTION_MONTHS = 100 * 12
"""Sanity bound: a century of contributions."""
MAX_AGE_YEARS = 150
"""Sanity bound: nobody is older than this."""
MAX_CARD_AHEAD_DAYS = 5 * 366
"""Sanity bound: an old HI card does not run on this many days after a payment."""
MAX_MAGNITUDE_DIGITS = 15
"""Sanity bound: no number in a request has more than 15 digits before the point (10^15 VND is far
beyond any income or amount); larger numbers are refused before they are converted."""
MAX_FUND_RATE_MONTHLY = Decimal("0.1")
"""Sanity bound on a monthly fund rate given in a request (a ratio: 0.0025 is 0.25%)."""


def invalid(field: str, message: str, code: str = INVALID_REQUEST, **details) -> RuleError:
    return RuleError(code, message, field=field, **details)


def whole_number(value) -> int | None:
    """`value` as an int if it is a JSON whole number (not a boolean, not text), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if abs(value) < 10**MAX_MAGNITUDE_DIGITS else None
    if (isinstance(value, Decimal) and value.is_finite() and value.adjusted() < MAX_MAGNITUDE_DIGITS
            and value == value.to_integral_value()):
        return int(value)
    return None


def _too_large(value) -> bool:
    """A JSON number beyond the sanity bound (checked without converting it)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return abs(value) >= 10**MAX_MAGNITUDE_DIGITS
    return isinstance(value, Decimal) and value.is_finite() and value.adjusted() >= MAX_MAGNITUDE_DIGITS


def decimal_number(value) -> Decimal | None:
    """`value` as a finite Decimal if it is a JSON number or a decimal text, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        value = repr(value)  # only from Python callers; JSON input arrives as Decimal
    try:
        number = Decimal(value) if isinstance(value, (int, str, Decimal)) else None
    except InvalidOperation:
        return None
    if number is None or not number.is_finite() or (number and number.adjusted() >= MAX_MAGNITUDE_DIGITS):
        return None
    return number


class RequestFields:
    """The fields of one request object; refuses keys outside `allowed` (a typo must not be ignored)."""

    def __init__(self, request, allowed: set[str]):
        if not isinstance(request, Mapping):
            raise RuleError(INVALID_REQUEST, "Yêu cầu phải là một đối tượng JSON.", field=None)
        unknown = sorted(str(k) for k in request if k not in allowed)
        if unknown:
            raise invalid(unknown[0], f"Trường không được hỗ trợ: {', '.join(unknown)}.", allowed=sorted(allowed))
        self.request = request

    def given(self, key: str) -> bool:
        """The key is present with a non-null value."""
        return self.request.get(key) is not None

    def raw(self, key: str, default=MISSING):
        if self.given(key):
            return self.request[key]
        if default is MISSING:
            raise invalid(key, f"Thiếu trường bắt buộc «{key}».")
        return default

    def date(self, key: str) -> date:
        value = self.raw(key)
        if not isinstance(value, str) or not ISO_DATE_RE.match(value):
            raise invalid(key, f"«{key}» phải là ngày dạng YYYY-MM-DD.")
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise invalid(key, f"«{key}» không phải là một ngày có thật: {value}.") from None

    def month(self, key: str) -> tuple[int, int]:
        value = self.raw(key)
        match = ISO_MONTH_RE.match(value) if isinstance(value, str) else None
        if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) == 0:
            raise invalid(key, f"«{key}» phải là tháng dạng YYYY-MM.")
        return int(match.group(1)), int(match.group(2))

    def integer(self, key: str, default=MISSING, minimum: int | None = None, maximum: int | None = None,
                code: str = INVALID_REQUEST, too_large_code: str | None = None) -> int | None:
        """A whole JSON number within [minimum, maximum]. A number beyond the sanity bound is refused
        without being converted: with ``too_large_code`` (e.g. income_above_ceiling) and that code's
        standard message, else as invalid_request."""
        if not self.given(key) and default is not MISSING:
            return default
        value = self.raw(key)
        number = whole_number(value)
        if number is None and _too_large(value):
            if too_large_code:
                raise RuleError(too_large_code, None, field=key, value=str(value)[:40])
            raise invalid(key, f"«{key}» quá lớn.", value=str(value)[:40])
        if number is None:
            raise invalid(key, f"«{key}» phải là một số nguyên.", value=str(value))
        if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
            raise invalid(key, f"«{key}» = {number} nằm ngoài giới hạn cho phép.", code, value=number,
                          minimum=minimum, maximum=maximum)
        return number

    def percent(self, key: str, value) -> Decimal:
        number = decimal_number(value) if not isinstance(value, str) else None
        if number is None or not 0 <= number <= 100:
            raise invalid(key, f"«{key}» phải là một số phần trăm từ 0 đến 100.", value=str(value))
        return number

    def choice(self, key: str, choices, default=MISSING) -> str:
        value = self.raw(key, default)
        if not isinstance(value, str) or value not in choices:
            raise invalid(key, f"«{key}» phải là một trong: {', '.join(choices)}.", value=str(value))
        return value

    def text(self, key: str, default=MISSING) -> str:
        value = self.raw(key, default)
        if not isinstance(value, str):
            raise invalid(key, f"«{key}» phải là một chuỗi ký tự.", value=str(value))
        return value

    def boolean(self, key: str, default=MISSING) -> bool:
        value = self.raw(key, default)
        if not isinstance(value, bool):
            raise invalid(key, f"«{key}» phải là true hoặc false.", value=str(value))
        return value

    def code(self, key: str) -> str | None:
        value = self.raw(key, None)
        if value is not None and (not isinstance(value, str) or not re.fullmatch(r"[0-9a-z_]{1,20}", value)):
            raise invalid(key, f"«{key}» phải là một mã (chữ thường, chữ số).", value=str(value))
        return value
