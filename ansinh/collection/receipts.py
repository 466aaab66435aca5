"""Receipt numbering: a serial per series (ký hiệu) of a collection organisation and year. An agent's
receipts form the series of the agent's code (their receipt book); an officer's the organisation's own."""


def format_receipt_number(*, org_code: str, year: int, serial: int, series: str = "") -> str:
    """'BD93-2024-0000123' for org BD93, year 2024, serial 123 of the organisation's series;
    'BD93-NVT001-2024-0000123' in agent NVT001's series (unique per organisation and year)."""
    return f"{org_code}-{series}-{year}-{serial:07d}" if series else f"{org_code}-{year}-{serial:07d}"
