"""A provincial administrator (Quản trị tỉnh) of the new-map province 92 (Cần Thơ), for tests."""

from django.contrib.auth.models import User

from ansinh.accounts.models import Role
from ansinh.accounts.services import user_role_assign
from ansinh.areas.models import AdministrativeUnit, Level, MapVersion

from .province import PASSWORD


def new_province(code: str = "92") -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(map=MapVersion.NEW, level=Level.PROVINCE, code=code)


def new_communes(code: str = "92") -> list[AdministrativeUnit]:
    """The new-map communes of the province, in code order."""
    return list(AdministrativeUnit.objects.filter(map=MapVersion.NEW, level=Level.COMMUNE,
                                                  province__code=code, province__map=MapVersion.NEW).order_by("code"))


def province_admin_make(username: str = "quan_tri", *, province: AdministrativeUnit | None = None) -> User:
    """A ``province_admin`` user (password PASSWORD) of ``province`` (default: new-map 92)."""
    user = User.objects.create_user(username=username, password=PASSWORD)
    user_role_assign(user=user, role=Role.PROVINCE_ADMIN, area=province or new_province())
    return User.objects.get(pk=user.pk)
