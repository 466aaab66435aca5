"""Vietnamese mobile numbers: what the registry holds (10 digits starting 0) and what each gateway wants."""

import re

from .errors import PhoneInvalid

MOBILE = re.compile(r"0[35789]\d{8}")


def phone_national(value: str | None) -> str:
    """The number as 10 digits starting 0 ("0912 345 678" -> "0912345678"; spaces, dots and dashes are
    dropped). Raises PhoneInvalid for anything else (landlines, foreign numbers, letters, empty)."""
    digits = re.sub(r"[\s.\-]", "", value or "")
    if not MOBILE.fullmatch(digits):
        raise PhoneInvalid()
    return digits


def phone_international(value: str | None) -> str:
    """84xxxxxxxxx, as Zalo ZNS wants it ("0912345678" -> "84912345678"). Raises PhoneInvalid."""
    return "84" + phone_national(value)[1:]
