"""The explanation every result carries: lines with amount, parameters used, legal basis, confidence."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .money import ROUNDING_NOTE_VI, plain_number
from .parameters import Resolved, weakest_confidence


def pct_text(percent: Decimal | int) -> str:
    """A percentage in Vietnamese notation: Decimal('0.31') -> '0,31%'."""
    return f"{plain_number(Decimal(percent))}%".replace(".", ",")


def vnd_text(amount: int | Decimal) -> str:
    """An amount with Vietnamese thousands separators: 1234000 -> '1.234.000'."""
    return f"{amount:,}".replace(",", ".")


@dataclass(frozen=True)
class Line:
    """One line of a breakdown.

    `amount` is integer VND (None for a line that is not money, then `value` says the result);
    `parameters` are the dated parameter values used; `basis` the legal references of the rule itself;
    `rounded` says the amount was rounded half-up once at the end of this line; `notes` state open
    points and assumptions; `depends_on` lines lend their confidence to this one.
    """

    key: str
    label: str
    amount: int | None = None
    value: str | None = None
    formula: str = ""
    parameters: tuple[Resolved, ...] = ()
    basis: tuple[str, ...] = ()
    rounded: bool = False
    notes: tuple[str, ...] = ()
    depends_on: tuple[Line, ...] = ()
    given_confidence: str | None = None

    @property
    def confidence(self) -> str:
        found = [p.confidence for p in self.parameters] + [d.confidence for d in self.depends_on]
        if self.given_confidence:
            found.append(self.given_confidence)
        return weakest_confidence(found)

    def references(self) -> list[str]:
        found = list(self.basis)
        for parameter in self.parameters:
            found.extend(parameter.references())
        return list(dict.fromkeys(found))

    def to_dict(self) -> dict:
        data = {"key": self.key, "label": self.label, "amount": self.amount}
        if self.value is not None:
            data["value"] = self.value
        data |= {
            "formula": self.formula,
            "parameters": [p.to_dict() for p in self.parameters],
            "reference": self.references(),
            "confidence": self.confidence,
        }
        if self.rounded:
            data["rounding"] = ROUNDING_NOTE_VI
        if self.notes:
            data["notes"] = list(self.notes)
        return data


def breakdown_dicts(lines: tuple[Line, ...]) -> list[dict]:
    return [line.to_dict() for line in lines]
