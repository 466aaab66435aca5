"""A light set of users for the parameter tests (no map load): one province unit, an si_officer
(bhxh_tinh), an association officer (hoi_tinh), a collection agent (thu_1) and the province's
administrator of the new-map province 92 (quan_tri, who alone adds parameter values), without passwords
(page tests sign in with ``client.force_login``). Tests that need households use the shared
``small_province`` fixture instead."""

import pytest
from django.contrib.auth.models import User

from ansinh.accounts.models import Role
from ansinh.accounts.services import roles_sync, user_role_assign
from ansinh.areas.models import AdministrativeUnit, Level, MapVersion
from ansinh.collection.models import Agent, CollectionOrg


@pytest.fixture
def users(db) -> dict[str, User]:
    roles_sync()
    province, _ = AdministrativeUnit.objects.get_or_create(map=MapVersion.OLD, level=Level.PROVINCE, code="93",
                                                           defaults={"name": "Tỉnh Hậu Giang"})
    org = CollectionOrg.objects.create(code="BD93", name="Bưu điện tỉnh Hậu Giang", province=province)
    agent = Agent.objects.create(org=org, code="NVT001", full_name="Lê Thị Thu", area=province)
    new_province, _ = AdministrativeUnit.objects.get_or_create(map=MapVersion.NEW, level=Level.PROVINCE, code="92",
                                                               defaults={"name": "Thành phố Cần Thơ"})
    found = {}
    for username, role, scope, name in [
        ("bhxh_tinh", Role.SI_OFFICER, {"area": province}, ("Minh", "Trần")),
        ("hoi_tinh", Role.ASSOCIATION_OFFICER, {"area": province}, ("Lan", "Võ")),
        ("thu_1", Role.COLLECTION_AGENT, {"agent": agent}, ("Thu", "Lê Thị")),
        ("quan_tri", Role.PROVINCE_ADMIN, {"area": new_province}, ("Hòa", "Phan")),
    ]:
        user = User.objects.create(username=username, first_name=name[0], last_name=name[1])
        user_role_assign(user=user, role=role, **scope)
        found[username] = User.objects.get(pk=user.pk)
    return found
