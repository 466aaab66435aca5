"""Loading administrative units from the ``vietnam-provinces`` package (never typed by hand).

Source: the package's legacy divisions (before 1 July 2025, Resolution-level units with districts) and
its current divisions with the official 2025 conversion table (Resolution 1668/NQ-UBTVQH15 and the
other 2025 rearrangement resolutions, as carried by the package).

Two loaders share one bulk writer (units created or updated by (map, level, code), mappings by their
(old, new) pair), so loading again, or loading a neighbour that shares units, adds nothing twice:

- ``province_load(code=92)``: a province of today's map (34 provinces), its communes, the old provinces,
  districts and communes they came from and the old→new mapping (``ansinh province load``);
- ``areas_load(old_province_code=93, new_province_code=92)``: one whole old province and the new one that
  replaced it (the demo and the tests).
"""

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from vietnam_provinces import ProvinceCode, Ward
from vietnam_provinces import Province as NewProvince
from vietnam_provinces import legacy

from ansinh.core.errors import ValidationError

from .models import AdministrativeUnit, Level, MapVersion, UnitMapping
from .signals import map_loaded

MAP_CHANGE_DATE = datetime.date(2025, 7, 1)
OLD_MAP_END = MAP_CHANGE_DATE - datetime.timedelta(days=1)


class ProvinceUnknown(ValidationError):
    code = "province_unknown"
    message = ("Mã tỉnh không có trên bản đồ từ 01/07/2025: hãy dùng mã của một trong 34 tỉnh, thành phố hiện nay "
               "(ví dụ 92 là Thành phố Cần Thơ, 79 là Thành phố Hồ Chí Minh).")


def _plain_name(name: str) -> str:
    """'Xã Vị Thanh' -> 'vị thanh': the name without its division type, for matching."""
    lowered = name.lower()
    for prefix in ("thị trấn ", "phường ", "xã "):
        if lowered.startswith(prefix):
            return lowered[len(prefix):]
    return lowered


def _units_write(*, map_version: str, level: str, rows: dict[str, dict]) -> tuple[dict[str, AdministrativeUnit], int]:
    """Units of one map and level, ``rows`` = {code: field values}: the missing ones created in one
    ``bulk_create``, the existing ones whose given fields differ updated in one ``bulk_update`` (fields not
    given are left alone). A province is its own ``province``. Returns ({code: unit}, number created)."""
    if not rows:
        return {}, 0
    existing = {u.code: u for u in AdministrativeUnit.objects.filter(map=map_version, level=level, code__in=list(rows))}
    missing = [AdministrativeUnit(map=map_version, level=level, code=code, **fields)
               for code, fields in rows.items() if code not in existing]
    if missing:
        AdministrativeUnit.objects.bulk_create(missing)
        existing = {u.code: u for u in
                    AdministrativeUnit.objects.filter(map=map_version, level=level, code__in=list(rows))}
    changed, changed_fields = [], set()
    for code, fields in rows.items():
        unit = existing[code]
        if level == Level.PROVINCE:
            fields = {**fields, "province_id": unit.pk}
        diff = {name: value for name, value in fields.items() if getattr(unit, _attname(name)) != _value(value)}
        if diff:
            for name, value in diff.items():
                setattr(unit, name, value)
            changed.append(unit)
            changed_fields |= {name.removesuffix("_id") for name in diff}
    if changed:
        AdministrativeUnit.objects.bulk_update(changed, sorted(changed_fields))
    return existing, len(missing)


def _attname(name: str) -> str:
    return f"{name}_id" if name in ("parent", "province") else name


def _value(value):
    return value.pk if isinstance(value, AdministrativeUnit) else value


def _mappings_write(successors: dict[AdministrativeUnit, list[tuple[Ward, bool]]]) -> tuple[int, int]:
    """Old commune -> its new successors already loaded, each with ``is_partial`` (the package gives the old
    commune several successors). One successor per old commune is primary: the one already marked (never
    moved: records were regrouped by it), else the first of the same name, else the first given.
    Returns (pairs written, pairs created)."""
    old_ids = [unit.pk for unit in successors]
    existing = {(m.old_unit_id, m.new_unit_id): m for m in UnitMapping.objects.filter(old_unit_id__in=old_ids)}
    has_primary = {old_id for (old_id, _), m in existing.items() if m.is_primary}
    new_by_code = {u.code: u for u in AdministrativeUnit.objects.filter(
        map=MapVersion.NEW, level=Level.COMMUNE,
        code__in={str(int(w.code)) for targets in successors.values() for w, _ in targets})}
    missing, changed, written = [], [], 0
    for old_unit, targets in successors.items():
        if old_unit.pk in has_primary:
            primary_code = None
        else:
            same_name = [w for w, _ in targets if _plain_name(w.name) == _plain_name(old_unit.name)]
            primary_code = (same_name or [w for w, _ in targets])[0].code
        for ward, is_partial in targets:
            new_unit = new_by_code[str(int(ward.code))]
            mapping = existing.get((old_unit.pk, new_unit.pk))
            written += 1
            if mapping is None:
                missing.append(UnitMapping(old_unit=old_unit, new_unit=new_unit, is_partial=is_partial,
                                           is_primary=ward.code == primary_code, effective_on=MAP_CHANGE_DATE))
                continue
            is_primary = mapping.is_primary or ward.code == primary_code
            if (mapping.is_partial, mapping.is_primary, mapping.effective_on) != (is_partial, is_primary,
                                                                                    MAP_CHANGE_DATE):
                mapping.is_partial, mapping.is_primary, mapping.effective_on = is_partial, is_primary, MAP_CHANGE_DATE
                changed.append(mapping)
    if changed:
        UnitMapping.objects.bulk_update(changed, ["is_partial", "is_primary", "effective_on"])
    UnitMapping.objects.bulk_create(missing)
    return written, len(missing)


def _successors_loaded(old_codes: list[int], loaded_new_codes: set[int]) -> dict[int, list[tuple[Ward, bool]]]:
    """Old commune code -> its successors in the package (in the package's order) that are among
    ``loaded_new_codes``, each with ``is_partial``; an old commune split across new units keeps all of them."""
    result = {}
    for old_code in old_codes:
        hits = Ward.search_from_legacy(code=old_code)
        result[old_code] = [(hit.ward, len(hits) > 1) for hit in hits if int(hit.ward.code) in loaded_new_codes]
    return result


def _loaded_new_commune_codes() -> set[int]:
    return {int(code) for code in AdministrativeUnit.objects.filter(
        map=MapVersion.NEW, level=Level.COMMUNE).values_list("code", flat=True)}


def _old_row(item, **extra) -> dict:
    return {"name": item.name, "division_type": str(item.division_type), "valid_to": OLD_MAP_END, **extra}


def _new_row(item, **extra) -> dict:
    return {"name": item.name, "division_type": str(item.division_type), "valid_from": MAP_CHANGE_DATE, **extra}


@transaction.atomic
def areas_load(*, old_province_code: int, new_province_code: int) -> dict:
    """Load one old province (with its districts and communes) and the new province that replaced it.

    Idempotent: units are created or updated by (map, level, code). Returns counts
    ``{"districts": int, "communes": int, "new_communes": int, "mappings": int}``.
    Raises ``ValueError`` if a code is unknown to the package, or if an old commune has no successor in
    the new units loaded.
    """
    old_p = legacy.Province.from_code(legacy.ProvinceCode(old_province_code))
    old_districts = list(legacy.District.iter_by_province(legacy.ProvinceCode(old_province_code)))
    old_wards = [(d, w) for d in old_districts for w in legacy.Ward.iter_by_district(d.code)]
    new_p = NewProvince.from_code(ProvinceCode(new_province_code))
    new_wards = list(Ward.iter_by_province(ProvinceCode(new_province_code)))

    provinces, _ = _units_write(map_version=MapVersion.OLD, level=Level.PROVINCE,
                                rows={str(old_province_code): _old_row(old_p)})
    province = provinces[str(old_province_code)]
    districts, _ = _units_write(map_version=MapVersion.OLD, level=Level.DISTRICT, rows={
        str(int(d.code)): _old_row(d, parent=province, province=province) for d in old_districts})
    communes, _ = _units_write(map_version=MapVersion.OLD, level=Level.COMMUNE, rows={
        str(int(w.code)): _old_row(w, parent=districts[str(int(d.code))], province=province) for d, w in old_wards})
    new_provinces, _ = _units_write(map_version=MapVersion.NEW, level=Level.PROVINCE,
                                    rows={str(new_province_code): _new_row(new_p)})
    new_province = new_provinces[str(new_province_code)]
    new_units, _ = _units_write(map_version=MapVersion.NEW, level=Level.COMMUNE, rows={
        str(int(w.code)): _new_row(w, parent=new_province, province=new_province) for w in new_wards})

    loaded = {int(code) for code in new_units}
    successors = _successors_loaded([int(w.code) for _, w in old_wards], loaded)
    for old_code, targets in successors.items():
        if not targets:
            raise ValueError(f"no new unit for old commune {old_code}")
    mappings, _ = _mappings_write({communes[str(code)]: targets for code, targets in successors.items()})
    map_loaded.send(sender=AdministrativeUnit)
    return {"districts": len(districts), "communes": len(communes), "new_communes": len(new_units),
            "mappings": mappings}


def province_code_check(*, code: int | str) -> int:
    """``code`` as the number of a province of today's map (34 provinces). Raises ProvinceUnknown (an
    old-map-only code such as 93, an unknown number, a word)."""
    try:
        number = int(str(code).strip())
        ProvinceCode(number)
    except ValueError:
        raise ProvinceUnknown(field="code", value=str(code)) from None
    return number


@transaction.atomic
def province_load(*, code: int | str) -> dict:
    """Load a province of today's map: its communes (from 01/07/2025), the old provinces, districts and
    communes they came from (until 30/06/2025: those the package names as sources of its communes) and the
    old→new mappings (every successor the package gives, several for a split old commune, marked partial;
    only successors loaded in this database are kept, so an old commune shared with a province not loaded
    keeps its mappings here). Idempotent by (map, level, code). Raises ProvinceUnknown.

    Returns ``{"province", "name", "communes" (in force today), "old_units" (old provinces + districts +
    communes it came from), "old_provinces", "old_districts", "old_communes", "mappings" (old→new pairs
    into its communes), "created" (rows added by this call)}``.
    """
    code = province_code_check(code=code)
    new_p = NewProvince.from_code(ProvinceCode(code))
    new_wards = sorted(Ward.iter_by_province(ProvinceCode(code)), key=lambda w: int(w.code))
    old_wards = {int(lw.code): lw for w in new_wards for lw in w.get_legacy_sources()}
    old_wards = dict(sorted(old_wards.items()))
    old_district_codes = sorted({int(lw.district_code) for lw in old_wards.values()})
    old_province_codes = sorted({int(lw.province_code) for lw in old_wards.values()})

    created = 0
    provinces, n = _units_write(map_version=MapVersion.OLD, level=Level.PROVINCE, rows={
        str(pc): _old_row(legacy.Province.from_code(legacy.ProvinceCode(pc))) for pc in old_province_codes})
    created += n
    district_rows = {}
    for dc in old_district_codes:
        district = legacy.District.from_code(legacy.DistrictCode(dc))
        province = provinces[str(int(district.province_code))]
        district_rows[str(dc)] = _old_row(district, parent=province, province=province)
    districts, n = _units_write(map_version=MapVersion.OLD, level=Level.DISTRICT, rows=district_rows)
    created += n
    communes, n = _units_write(map_version=MapVersion.OLD, level=Level.COMMUNE, rows={
        str(wc): _old_row(lw, parent=districts[str(int(lw.district_code))],
                          province=provinces[str(int(lw.province_code))]) for wc, lw in old_wards.items()})
    created += n
    new_provinces, n = _units_write(map_version=MapVersion.NEW, level=Level.PROVINCE,
                                    rows={str(code): _new_row(new_p)})
    created += n
    new_province = new_provinces[str(code)]
    new_units, n = _units_write(map_version=MapVersion.NEW, level=Level.COMMUNE, rows={
        str(int(w.code)): _new_row(w, parent=new_province, province=new_province) for w in new_wards})
    created += n

    successors = _successors_loaded(list(old_wards), _loaded_new_commune_codes())
    _, n = _mappings_write({communes[str(wc)]: targets for wc, targets in successors.items()})
    created += n
    map_loaded.send(sender=AdministrativeUnit)

    today = timezone.localdate()
    in_force = AdministrativeUnit.objects.filter(
        province=new_province, level=Level.COMMUNE, valid_from__lte=today).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=today))
    return {
        "province": code,
        "name": new_province.name,
        "communes": in_force.count(),
        "old_units": len(provinces) + len(districts) + len(communes),
        "old_provinces": len(provinces),
        "old_districts": len(districts),
        "old_communes": len(communes),
        "mappings": UnitMapping.objects.filter(new_unit__province=new_province).count(),
        "created": created,
    }
