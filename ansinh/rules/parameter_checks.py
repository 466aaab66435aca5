"""Checks of a parameter's dated history: no 0 where the unit forbids it, and a big change must say why.
Used by the file loader (``parameters.py``) and the parameter page (``ansinh/parameters/services.py``)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING

from .errors import ParameterError

if TYPE_CHECKING:
    from .parameters import DatedValue

ZERO_REFUSED_UNITS = frozenset({"VND", "percent", "percent_per_month", "multiplier", "years", "months"})
"""Units where a value of 0 is a typing mistake (it would make every price or period zero); a parameter
ends with a null value, not with 0."""

MAX_CHANGE_PCT = Decimal(50)
"""A new value that moves a number by more than this share (%) of the value before it must say why
(``change_reason``); the parameter page asks the person to confirm and records the reason."""


def value_change_pct(before, after) -> Decimal | None:
    """The largest relative change (%, positive) from `before` to `after`: of the number, or of the
    groups both mappings have; None when they are not numbers (codes, lists, bands) or `before` is 0."""
    if isinstance(before, Mapping) and isinstance(after, Mapping):
        changes = [value_change_pct(before[k], after[k]) for k in before if k in after]
        changes = [c for c in changes if c is not None]
        return max(changes, default=None)
    numbers = (int, Decimal)
    if (not isinstance(before, numbers) or not isinstance(after, numbers) or isinstance(before, bool)
            or isinstance(after, bool) or before == 0):
        return None
    return abs(Decimal(after) - Decimal(before)) * 100 / Decimal(before)


def check_history(unit: str, values: tuple[DatedValue, ...], where: str,
                  max_change_pct: Decimal = MAX_CHANGE_PCT) -> None:
    """Refuse a 0 where the unit forbids it, and a change of more than `max_change_pct` % from the value
    before without a `change_reason`. Raises ParameterError."""
    previous = None
    for dated in values:
        if dated.value is None:
            continue
        if unit in ZERO_REFUSED_UNITS and dated.value == 0:
            raise ParameterError(f"{where} {dated.start}: a value of 0 is refused (end a parameter with null)")
        change = value_change_pct(previous, dated.value) if previous is not None else None
        if change is not None and change > max_change_pct and not dated.change_reason:
            raise ParameterError(
                f"{where} {dated.start}: the value changes by {change.quantize(Decimal('0.1'))}% from the one "
                f"before (more than {max_change_pct}%); confirm it with a change_reason")
        previous = dated.value
