"""Loading administrative units from the ``vietnam-provinces`` package (never typed by hand).

Source: the package's legacy divisions (before 1 July 2025, Resolution-level units with districts) and
its current divisions with the official 2025 conversion table (Resolution 1668/NQ-UBTVQH15 and the
other 2025 rearrangement resolutions, as carried by the package).
"""

import datetime

from django.db import transaction
from vietnam_provinces import ProvinceCode, Ward
from vietnam_provinces import Province as NewProvince
from vietnam_provinces import legacy

from .models import AdministrativeUnit, Level, MapVersion, UnitMapping

MAP_CHANGE_DATE = datetime.date(2025, 7, 1)
OLD_MAP_END = MAP_CHANGE_DATE - datetime.timedelta(days=1)


def _plain_name(name: str) -> str:
    """'Xã Vị Thanh' -> 'vị thanh': the name without its division type, for matching."""
    lowered = name.lower()
    for prefix in ("thị trấn ", "phường ", "xã "):
        if lowered.startswith(prefix):
            return lowered[len(prefix):]
    return lowered


@transaction.atomic
def areas_load(*, old_province_code: int, new_province_code: int) -> dict:
    """Load one old province (with its districts and communes) and the new province that replaced it.

    Idempotent: units are created or updated by (map, level, code). Returns counts
    ``{"districts": int, "communes": int, "new_communes": int, "mappings": int}``.
    Raises ``ValueError`` if a code is unknown to the package.
    """
    old_p = legacy.Province.from_code(legacy.ProvinceCode(old_province_code))
    province, _ = AdministrativeUnit.objects.update_or_create(
        map=MapVersion.OLD, level=Level.PROVINCE, code=str(old_province_code),
        defaults={"name": old_p.name, "division_type": str(old_p.division_type), "valid_to": OLD_MAP_END},
    )
    if province.province_id is None:
        province.province = province
        province.save(update_fields=["province"])
    districts = 0
    communes: dict[int, AdministrativeUnit] = {}
    for d in legacy.District.iter_by_province(legacy.ProvinceCode(old_province_code)):
        district, _ = AdministrativeUnit.objects.update_or_create(
            map=MapVersion.OLD, level=Level.DISTRICT, code=str(int(d.code)),
            defaults={"name": d.name, "division_type": str(d.division_type), "parent": province,
                      "province": province, "valid_to": OLD_MAP_END},
        )
        districts += 1
        for w in legacy.Ward.iter_by_district(d.code):
            unit, _ = AdministrativeUnit.objects.update_or_create(
                map=MapVersion.OLD, level=Level.COMMUNE, code=str(int(w.code)),
                defaults={"name": w.name, "division_type": str(w.division_type), "parent": district,
                          "province": province, "valid_to": OLD_MAP_END},
            )
            communes[int(w.code)] = unit

    new_p = NewProvince.from_code(ProvinceCode(new_province_code))
    new_province, _ = AdministrativeUnit.objects.update_or_create(
        map=MapVersion.NEW, level=Level.PROVINCE, code=str(new_province_code),
        defaults={"name": new_p.name, "division_type": str(new_p.division_type), "valid_from": MAP_CHANGE_DATE},
    )
    if new_province.province_id is None:
        new_province.province = new_province
        new_province.save(update_fields=["province"])
    new_units: dict[int, AdministrativeUnit] = {}
    for w in Ward.iter_by_province(ProvinceCode(new_province_code)):
        new_units[int(w.code)], _ = AdministrativeUnit.objects.update_or_create(
            map=MapVersion.NEW, level=Level.COMMUNE, code=str(int(w.code)),
            defaults={"name": w.name, "division_type": str(w.division_type), "parent": new_province,
                      "province": new_province, "valid_from": MAP_CHANGE_DATE},
        )

    mappings = 0
    for old_code, old_unit in communes.items():
        targets = [hit.ward for hit in Ward.search_from_legacy(code=old_code) if int(hit.ward.code) in new_units]
        if not targets:
            raise ValueError(f"no new unit for old commune {old_code}")
        same_name = [t for t in targets if _plain_name(t.name) == _plain_name(old_unit.name)]
        primary = (same_name or targets)[0]
        for t in targets:
            UnitMapping.objects.update_or_create(
                old_unit=old_unit, new_unit=new_units[int(t.code)],
                defaults={"is_partial": len(targets) > 1, "is_primary": t.code == primary.code,
                          "effective_on": MAP_CHANGE_DATE},
            )
            mappings += 1
    return {"districts": districts, "communes": len(communes), "new_communes": len(new_units), "mappings": mappings}
