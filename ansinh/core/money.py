"""Money: integer VND outside, Decimal inside, half-up rounding stated where it happens."""

from decimal import ROUND_HALF_UP, Decimal


def round_vnd(amount: Decimal) -> int:
    """Round a Decimal amount of VND to the nearest đồng, halves away from zero (half-up).

    Raises TypeError for a float: money never passes through float.
    """
    if isinstance(amount, float):
        raise TypeError("money must not be a float")
    return int(Decimal(amount).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def format_vnd(amount: int | Decimal | None) -> str:
    """Format integer VND the Vietnamese way: 1263600 -> "1.263.600 đ"; None -> "—"."""
    if amount is None:
        return "—"
    value = int(amount)
    sign = "-" if value < 0 else ""
    return f"{sign}{abs(value):,}".replace(",", ".") + " đ"
