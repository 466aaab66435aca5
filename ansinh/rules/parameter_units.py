"""The units a legal parameter may have, and the check of a value against its unit.

Each checker takes a raw value (from YAML or from a runtime addition) and returns it normalised
(Decimal for fractional numbers, int for counts and VND, tuples for lists) or raises ValueError with an
English explanation that the loader wraps into a ParameterError. Floats are refused everywhere: write
decimals in YAML as plain numbers (the YAML loader reads them as Decimal) or as strings.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from types import MappingProxyType

CODE_RE = re.compile(r"^[a-z0-9][a-z0-9_]*$")
NAME_RE = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)+$")
AGE_RE = re.compile(r"^(\d{1,3})y(\d{1,2})m$")


def _integer(raw, what: str) -> int:
    if isinstance(raw, bool):
        raise ValueError(f"{what} must be an integer, not a boolean")
    if isinstance(raw, Decimal) and raw == raw.to_integral_value():
        raw = int(raw)
    if not isinstance(raw, int):
        raise ValueError(f"{what} must be an integer, got {raw!r}")
    if raw < 0:
        raise ValueError(f"{what} must not be negative, got {raw}")
    return raw


def _decimal(raw, what: str) -> Decimal:
    if isinstance(raw, bool) or isinstance(raw, float):
        raise ValueError(f"{what} must be an integer or a decimal string, got {raw!r}")
    try:
        value = Decimal(raw) if isinstance(raw, (int, str, Decimal)) else None
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        raise ValueError(f"{what} must be a finite decimal number, got {raw!r}")
    if value < 0:
        raise ValueError(f"{what} must not be negative, got {raw}")
    return value


def _code(raw, what: str) -> str:
    if not isinstance(raw, str) or not CODE_RE.match(raw):
        raise ValueError(f"{what} must be a code of lower-case letters, digits and _, got {raw!r}")
    return raw


def vnd(raw) -> int:
    return _integer(raw, "an amount in VND")


def count(raw) -> int:
    return _integer(raw, "a count")


def percent(raw) -> Decimal:
    value = _decimal(raw, "a percentage")
    if value > 100:
        raise ValueError(f"a percentage must be at most 100, got {raw}")
    return value


def multiplier(raw) -> Decimal:
    return _decimal(raw, "a multiplier")


def _mapping(check: Callable) -> Callable:
    def checker(raw) -> Mapping:
        if not isinstance(raw, Mapping) or not raw:
            raise ValueError(f"expected a non-empty mapping of codes, got {raw!r}")
        return MappingProxyType({_code(k, "a key"): check(v) for k, v in raw.items()})

    return checker


def _list(check: Callable, increasing: bool = False) -> Callable:
    def checker(raw) -> tuple:
        if not isinstance(raw, (list, tuple)) or not raw:
            raise ValueError(f"expected a non-empty list, got {raw!r}")
        items = tuple(check(v) for v in raw)
        if increasing and any(a >= b for a, b in zip(items, items[1:])):
            raise ValueError(f"the list must be strictly increasing, got {list(items)}")
        return items

    return checker


def positive_count(raw) -> int:
    value = count(raw)
    if value == 0:
        raise ValueError("expected a positive count, got 0")
    return value


def age(raw) -> str:
    match = AGE_RE.match(raw) if isinstance(raw, str) else None
    if not match or int(match.group(2)) >= 12:
        raise ValueError(f"an age must look like '60y3m' (months 0..11), got {raw!r}")
    return raw


def code(raw) -> str:
    return _code(raw, "a code")


def alias(raw) -> str:
    if not isinstance(raw, str) or not NAME_RE.match(raw):
        raise ValueError(f"an alias must name another parameter like 'common.base_salary', got {raw!r}")
    return raw


RATE_BAND_KEYS = frozenset({"from_years", "pct", "pct_per_year"})
RATE_BANDS_KEYS = frozenset({"bands", "max_pct"})


def rate_bands(raw) -> Mapping:
    """{'bands': [{'from_years', 'pct', 'pct_per_year'}, ...], 'max_pct'}: a piecewise linear rate."""
    if not isinstance(raw, Mapping) or set(raw) != RATE_BANDS_KEYS:
        raise ValueError(f"rate bands need exactly the keys {sorted(RATE_BANDS_KEYS)}, got {raw!r}")
    bands = []
    for band in raw["bands"] if isinstance(raw["bands"], list) else [None]:
        if not isinstance(band, Mapping) or set(band) != RATE_BAND_KEYS:
            raise ValueError(f"a rate band needs exactly the keys {sorted(RATE_BAND_KEYS)}, got {band!r}")
        bands.append(
            MappingProxyType(
                {
                    "from_years": count(band["from_years"]),
                    "pct": percent(band["pct"]),
                    "pct_per_year": percent(band["pct_per_year"]),
                }
            )
        )
    if not bands or any(a["from_years"] >= b["from_years"] for a, b in zip(bands, bands[1:])):
        raise ValueError("rate bands must be a non-empty list with increasing from_years")
    return MappingProxyType({"bands": tuple(bands), "max_pct": percent(raw["max_pct"])})


UNITS: Mapping[str, Callable] = MappingProxyType(
    {
        "VND": vnd,
        "percent": percent,
        "percent_per_month": percent,
        "percent_by_group": _mapping(percent),
        "percent_list": _list(percent),
        "months": count,
        "months_by_mode": _mapping(positive_count),
        "months_list": _list(positive_count, increasing=True),
        "days": count,
        "years": count,
        "multiplier": multiplier,
        "multiplier_by_period": _mapping(multiplier),
        "age": age,
        "rate_bands": rate_bands,
        "code": code,
        "alias": alias,
    }
)
"""Allowed units. `alias` means: the value is the name of another parameter whose value applies."""


def check_value(unit: str, raw):
    """Normalise `raw` for `unit` or raise ValueError."""
    return UNITS[unit](raw)


def json_value(value):
    """A parameter value in JSON-friendly form (Decimals as strings, mappings as dicts)."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Mapping):
        return {k: json_value(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return [json_value(v) for v in value]
    return value
