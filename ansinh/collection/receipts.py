"""Receipt numbering: a serial per collection organisation and year, shown as ``<year>/<serial>``."""


def format_receipt_number(*, org_code: str, year: int, serial: int) -> str:
    """'BD93-2024-0000123' for org BD93, year 2024, serial 123 (unique per organisation and year)."""
    return f"{org_code}-{year}-{serial:07d}"
