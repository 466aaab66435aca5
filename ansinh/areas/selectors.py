"""Reads over administrative units."""

import datetime

from django.db.models import Q, QuerySet

from .models import AdministrativeUnit, Level, MapVersion, UnitMapping
from .services import MAP_CHANGE_DATE


def map_in_force(*, on: datetime.date) -> str:
    """'old' before 1 July 2025, 'new' from that day (the date the district level was abolished)."""
    return MapVersion.OLD if on < MAP_CHANGE_DATE else MapVersion.NEW


def districts_of(*, province: AdministrativeUnit) -> QuerySet[AdministrativeUnit]:
    """District-level units of an old-map province, in code order."""
    return AdministrativeUnit.objects.filter(parent=province, level=Level.DISTRICT).order_by("code")


def communes_of(*, unit: AdministrativeUnit) -> QuerySet[AdministrativeUnit]:
    """Commune-level units inside a province or district (on that unit's own map)."""
    if unit.level == Level.COMMUNE:
        return AdministrativeUnit.objects.filter(pk=unit.pk)
    if unit.level == Level.DISTRICT:
        return AdministrativeUnit.objects.filter(parent=unit, level=Level.COMMUNE)
    return AdministrativeUnit.objects.filter(province=unit, level=Level.COMMUNE)


def new_unit_of(*, old_commune: AdministrativeUnit) -> AdministrativeUnit:
    """The new-map commune that receives an old commune's records (the primary mapping)."""
    return UnitMapping.objects.select_related("new_unit").get(old_unit=old_commune, is_primary=True).new_unit


def old_province() -> AdministrativeUnit | None:
    """The old-map province loaded in this database when there is exactly one (the demo: Hậu Giang), else
    None: a province of today's map loaded with ``ansinh province load`` brings every old province it came
    from (Cần Thơ: Cần Thơ, Hậu Giang and Sóc Trăng), so "the" old province is then ambiguous."""
    provinces = list(AdministrativeUnit.objects.filter(map=MapVersion.OLD, level=Level.PROVINCE)[:2])
    return provinces[0] if len(provinces) == 1 else None


def home_province() -> AdministrativeUnit | None:
    """The province this database runs (An Sinh runs one province): the new-map province when exactly one
    is loaded (its scope reaches the old communes whose records it took over), else the one old-map
    province; None when none is loaded or several are."""
    provinces = list(AdministrativeUnit.objects.filter(map=MapVersion.NEW, level=Level.PROVINCE)[:2])
    if provinces:
        return provinces[0] if len(provinces) == 1 else None
    return old_province()


def record_communes_of(*, unit: AdministrativeUnit) -> QuerySet[AdministrativeUnit]:
    """Commune-level units whose records belong to ``unit`` (a province, district or commune).

    Records keep the commune they were made under, which may be on the old map (before 1 July 2025)
    or the new one. For a unit on the old map: its old communes, plus the new communes that are the
    *primary* successor of one of them. For a unit on the new map: its new communes, plus the old
    communes whose primary successor is one of them. So a list for an area is the same whichever map
    its records were made on (the primary mapping is the one the reports regroup by).
    """
    if unit.level == Level.COMMUNE:
        own = AdministrativeUnit.objects.filter(pk=unit.pk)
    elif unit.level == Level.DISTRICT:
        own = AdministrativeUnit.objects.filter(parent=unit, level=Level.COMMUNE)
    else:
        own = AdministrativeUnit.objects.filter(province=unit, level=Level.COMMUNE)
    return with_successors(own, map_version=unit.map)


def with_successors(own: QuerySet[AdministrativeUnit], *, map_version: str) -> QuerySet[AdministrativeUnit]:
    if map_version == MapVersion.OLD:
        other = UnitMapping.objects.filter(old_unit__in=own, is_primary=True).values("new_unit_id")
    else:
        other = UnitMapping.objects.filter(new_unit__in=own, is_primary=True).values("old_unit_id")
    return AdministrativeUnit.objects.filter(Q(pk__in=own.values("pk")) | Q(pk__in=other))


def province_code_on(*, commune_id: int, on: datetime.date) -> str | None:
    """The code of the province a commune belongs to on ``on``, on the map in force that day: an old-map
    commune's own province before 1 July 2025 and its primary successor's (new-map) province from that
    day; a new-map commune's own province from that day and, before it, the old province of a commune
    whose primary successor it is. None for an unknown commune. Used to find the province's local
    support (``vsi.local_support.<code>``) of a payment."""
    row = AdministrativeUnit.objects.filter(pk=commune_id).values_list("map", "province__code").first()
    if row is None:
        return None
    unit_map, own = row
    if unit_map == map_in_force(on=on):
        return own
    if unit_map == MapVersion.OLD:
        other = UnitMapping.objects.filter(old_unit_id=commune_id, is_primary=True).values_list(
            "new_unit__province__code", flat=True)
    else:
        other = UnitMapping.objects.filter(new_unit_id=commune_id, is_primary=True).values_list(
            "old_unit__province__code", flat=True)
    return other.order_by("pk").first() or own
