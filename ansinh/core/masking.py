"""Masking of personal data in lists that do not need it whole."""


def mask_citizen_id(value: str | None) -> str:
    """Keep the last 4 digits of a citizen ID: 093012345678 -> ********5678."""
    if not value:
        return ""
    return "*" * (len(value) - 4) + value[-4:]


def mask_phone(value: str | None) -> str:
    """Keep the first 3 and last 2 digits of a phone number: 0912345678 -> 091*****78."""
    if not value:
        return ""
    if len(value) <= 5:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 5) + value[-2:]


def mask_name(value: str | None) -> str:
    """Keep the first letter of each word: "Nguyễn Văn An" -> "N***** V** A*"."""
    if not value:
        return ""
    return " ".join(word[:1] + "*" * (len(word) - 1) for word in value.split())
