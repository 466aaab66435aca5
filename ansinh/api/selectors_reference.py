"""Reads of the reference data for the API: administrative units of both maps with the 1 July 2025
mapping (``areas``), and the legal parameters in force on a date (``parameters``: the packaged files and
the values added at runtime, as the pricing reads them)."""

import datetime

from django.db.models import QuerySet

from ansinh.areas.models import AdministrativeUnit, UnitMapping
from ansinh.parameters.selectors import active_parameters
from ansinh.rules import parameter_units


def units_list(*, map_version: str | None = None, level: str | None = None, parent_id: int | None = None,
               on: datetime.date | None = None) -> QuerySet[AdministrativeUnit]:
    """Administrative units, filtered by map, level, parent and the date they were valid on, in map, level
    and code order."""
    units = AdministrativeUnit.objects.all()
    if map_version:
        units = units.filter(map=map_version)
    if level:
        units = units.filter(level=level)
    if parent_id is not None:
        units = units.filter(parent_id=parent_id)
    if on is not None:
        units = units.exclude(valid_from__gt=on).exclude(valid_to__lt=on)
    return units.order_by("map", "level", "code", "pk")


def unit_mappings(*, old_unit_id: int | None = None, new_unit_id: int | None = None) -> QuerySet[UnitMapping]:
    """Old commune -> new commune mappings of 1 July 2025, by old unit code."""
    rows = UnitMapping.objects.select_related("old_unit", "new_unit")
    if old_unit_id is not None:
        rows = rows.filter(old_unit_id=old_unit_id)
    if new_unit_id is not None:
        rows = rows.filter(new_unit_id=new_unit_id)
    return rows.order_by("old_unit__code", "new_unit__code", "pk")


def parameters_in_force(*, on: datetime.date, prefix: str = "") -> list[dict]:
    """Every parameter with a value in force on ``on`` (names starting with ``prefix``): ``{"name",
    "label", "unit", "value" (JSON: money in VND as integers, rates as decimal strings; an alias gives the
    value of the parameter it names, ``alias_of``), "since", "reference", "confidence", "origin"}``, by name."""
    from ansinh.rules.errors import RuleError

    params = active_parameters()
    rows = []
    for name in params.names():
        if prefix and not name.startswith(prefix):
            continue
        try:
            resolved = params.get(name, on)
        except RuleError:  # not in force on that date
            continue
        if resolved.value is None:
            continue
        rows.append({"name": name, "label": resolved.parameter.label, "unit": resolved.unit,
                     "value": parameter_units.json_value(resolved.value), "since": resolved.dated.start,
                     "alias_of": resolved.target.name if resolved.target else None,
                     "reference": resolved.dated.reference.text(), "confidence": resolved.confidence,
                     "origin": resolved.dated.origin})
    return rows
