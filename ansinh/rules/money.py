"""Money and rates: Decimal inside, integer VND out, half-up rounding once per line."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

ONE = Decimal(1)
HUNDRED = Decimal(100)
ROUNDING_NOTE_VI = "Làm tròn một lần ở cuối dòng, nửa đồng trở lên làm tròn lên (đến đồng)."


def to_vnd(amount: Decimal) -> int:
    """Round a Decimal amount of VND half-up to an integer number of đồng."""
    return int(amount.quantize(ONE, rounding=ROUND_HALF_UP))


def ratio(percent: Decimal | int) -> Decimal:
    """A percentage (12.5 for 12.5%) as a Decimal ratio (0.125)."""
    return Decimal(percent) / HUNDRED


def plain_number(value: Decimal | int) -> int | Decimal:
    """A Decimal without trailing zeros, as an int when it is whole (45.0 -> 45, 40.50 -> 40.5)."""
    if isinstance(value, int):
        return value
    if value == value.to_integral_value():
        return int(value)
    return value.normalize()
