"""Test helpers for association units: a provincial administrator of the small province (new-map province
92) and a commune of another province."""

import datetime

from django.contrib.auth.models import User

from ansinh.accounts.models import Role
from ansinh.accounts.services import user_role_assign
from ansinh.areas.models import AdministrativeUnit, Level, MapVersion, UnitMapping
from ansinh.registry.models import Person

PASSWORD = "test-pass-123"


def province_admin_make(username: str = "quan_tri") -> User:
    province = AdministrativeUnit.objects.get(map=MapVersion.NEW, level=Level.PROVINCE, code="92")
    user = User.objects.create_user(username=username, password=PASSWORD)
    user_role_assign(user=user, role=Role.PROVINCE_ADMIN, area=province)
    return User.objects.get(pk=user.pk)


def new_commune_of(old_commune: AdministrativeUnit) -> AdministrativeUnit:
    return UnitMapping.objects.get(old_unit=old_commune, is_primary=True).new_unit


def foreign_commune() -> AdministrativeUnit:
    """A commune of a province outside the small province's map (Hà Nội, made for the test)."""
    province = AdministrativeUnit.objects.create(map=MapVersion.NEW, level=Level.PROVINCE, code="1", name="Hà Nội")
    province.province = province
    province.save()
    return AdministrativeUnit.objects.create(map=MapVersion.NEW, level=Level.COMMUNE, code="4", name="Phường Ba Đình",
                                             parent=province, province=province,
                                             valid_from=datetime.date(2025, 7, 1))


def person_make(*, name: str, cid: str, commune) -> Person:
    return Person.objects.create(full_name=name, date_of_birth=datetime.date(1980, 1, 1), sex="male", commune=commune,
                                 citizen_id=cid)
