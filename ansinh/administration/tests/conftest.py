import pytest
from django.contrib.auth.models import User

from ansinh.accounts.models import Role
from ansinh.accounts.services import user_role_assign
from ansinh.areas.models import AdministrativeUnit, Level, MapVersion
from ansinh.testing.province import PASSWORD


@pytest.fixture
def admin(small_province):
    """The province administrator of Cần Thơ (92, the new map) over the small province."""
    province = AdministrativeUnit.objects.get(map=MapVersion.NEW, level=Level.PROVINCE, code="92")
    user = User.objects.create_user(username="quantri", password=PASSWORD)
    user_role_assign(user=user, role=Role.PROVINCE_ADMIN, area=province)
    return User.objects.get(pk=user.pk)


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin)
    return client
