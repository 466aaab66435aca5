"""The administrative map comes from the vietnam-provinces package: Hậu Giang until 30/06/2025, Cần Thơ after."""

import pytest

from ansinh.areas.models import AdministrativeUnit, Level, MapVersion, UnitMapping
from ansinh.areas.selectors import map_in_force, new_unit_of
from ansinh.areas.services import areas_load

pytestmark = pytest.mark.django_db


def test_hau_giang_loads_with_8_districts_and_75_communes_and_can_tho_after_the_merger():
    counts = areas_load(old_province_code=93, new_province_code=92)
    assert counts["districts"] == 8
    assert counts["communes"] == 75
    old = AdministrativeUnit.objects.get(map=MapVersion.OLD, level=Level.PROVINCE, code="93")
    assert old.name == "Tỉnh Hậu Giang"
    assert str(old.valid_to) == "2025-06-30"
    new = AdministrativeUnit.objects.get(map=MapVersion.NEW, level=Level.PROVINCE, code="92")
    assert new.name == "Thành phố Cần Thơ"
    assert str(new.valid_from) == "2025-07-01"
    names = set(AdministrativeUnit.objects.filter(level=Level.DISTRICT).values_list("name", flat=True))
    assert "Thành phố Vị Thanh" in names and "Thị xã Long Mỹ" in names and "Huyện Long Mỹ" in names


def test_every_old_commune_maps_to_exactly_one_primary_new_commune():
    areas_load(old_province_code=93, new_province_code=92)
    old_communes = AdministrativeUnit.objects.filter(map=MapVersion.OLD, level=Level.COMMUNE)
    for unit in old_communes:
        assert new_unit_of(old_commune=unit).map == MapVersion.NEW
    assert UnitMapping.objects.filter(is_primary=True).count() == 75


def test_loading_twice_adds_nothing():
    areas_load(old_province_code=93, new_province_code=92)
    before = (AdministrativeUnit.objects.count(), UnitMapping.objects.count())
    areas_load(old_province_code=93, new_province_code=92)
    assert (AdministrativeUnit.objects.count(), UnitMapping.objects.count()) == before


def test_the_new_map_is_in_force_from_1_july_2025():
    import datetime

    assert map_in_force(on=datetime.date(2025, 6, 30)) == "old"
    assert map_in_force(on=datetime.date(2025, 7, 1)) == "new"
