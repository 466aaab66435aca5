"""The role backend answers like Django's model backend, with fewer queries: a permission taken away
or a role changed applies to the next request in this process; scopes follow the role at once."""

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.test.utils import CaptureQueriesContext
from django.db import connection

from ansinh.accounts.backends import RoleBackend
from ansinh.accounts.models import Role
from ansinh.collection.models import Agent
from ansinh.accounts.services import record_commune_ids_in_scope, require_household_in_scope, user_role_assign
from ansinh.core.errors import OutOfScope


def fresh(username: str) -> User:
    """The user as a new request reads them (the backend's get_user)."""
    return RoleBackend().get_user(User.objects.values_list("pk", flat=True).get(username=username))


def test_the_user_comes_with_role_area_and_agent_in_one_query(small_province):
    user_id = small_province.users["thu_1"].pk
    with CaptureQueriesContext(connection) as queries:
        user = RoleBackend().get_user(user_id)
        assert (user.ansinh_role.role, user.ansinh_role.agent.code, user.ansinh_role.agent.org.code) == (
            Role.COLLECTION_AGENT, small_province.household.agent.code, "BD93")
    assert len(queries) == 1


def test_a_permission_taken_from_the_role_group_applies_to_the_next_request(small_province):
    assert fresh("thu_1").has_perm("collection.add_payment")
    user_id = small_province.users["thu_1"].pk
    with CaptureQueriesContext(connection) as queries:
        assert RoleBackend().get_user(user_id).has_perm("collection.add_payment")
    assert len(queries) == 1  # the user; the permissions came from the process cache
    group = Group.objects.get(name=Role.COLLECTION_AGENT)
    group.permissions.remove(Permission.objects.get(codename="add_payment", content_type__app_label="collection"))
    assert not fresh("thu_1").has_perm("collection.add_payment")
    assert fresh("thu_1").has_perm("registry.view_household")


def test_a_new_role_gives_its_permissions_and_scope_at_once(small_province):
    officer = fresh("bhxh_huyen")
    assert officer.has_perm("campaigns.add_target")
    require_household_in_scope(officer, small_province.household)
    new_agent = Agent.objects.create(org=small_province.household.agent.org, code="THU-MOI", full_name="Trần Văn Mới",
                                     area=small_province.other_household.agent.area)
    user_role_assign(user=User.objects.get(username="bhxh_huyen"), role=Role.COLLECTION_AGENT, agent=new_agent)
    agent = fresh("bhxh_huyen")
    assert not agent.has_perm("campaigns.add_target")
    assert agent.has_perm("collection.add_payment")
    with pytest.raises(OutOfScope):  # the former district officer no longer sees it as an agent
        require_household_in_scope(agent, small_province.household)
    small_province.other_household.agent = new_agent
    small_province.other_household.save()
    require_household_in_scope(agent, small_province.other_household)


def test_an_inactive_user_is_not_signed_in_even_with_cached_permissions(small_province):
    assert fresh("thu_1").has_perm("collection.add_payment")
    User.objects.filter(username="thu_1").update(is_active=False)
    assert RoleBackend().get_user(small_province.users["thu_1"].pk) is None


def test_scope_ids_are_read_once_per_process_for_a_scope(small_province):
    officer = fresh("bhxh_tinh")
    first = record_commune_ids_in_scope(officer)
    assert small_province.household.commune_id in first
    user_id = officer.pk
    with CaptureQueriesContext(connection) as queries:
        assert record_commune_ids_in_scope(RoleBackend().get_user(user_id)) == first
    assert len(queries) == 1  # the user only


def test_the_hand_written_read_gives_what_the_orm_gives(small_province):
    """Every field of the user, role and area equal to the ORM's, times aware on every database; an officer
    has no agent; a user without role reads as "no role" without a further query."""
    officer_id = small_province.users["bhxh_huyen"].pk
    User.objects.filter(pk=officer_id).update(last_login="2026-11-29T03:04:05Z")
    user = RoleBackend().get_user(officer_id)
    orm = User.objects.select_related("ansinh_role__area").get(pk=officer_id)
    for field in User._meta.concrete_fields:
        assert getattr(user, field.attname) == getattr(orm, field.attname), field.name
    assert user.last_login.utcoffset() is not None
    assert user.ansinh_role.area == orm.ansinh_role.area and user.ansinh_role.area.name == orm.ansinh_role.area.name
    with CaptureQueriesContext(connection) as queries:
        assert user.ansinh_role.agent is None
    assert len(queries) == 0
    bare = User.objects.create_user("khong_vai_tro", password="x")
    user = RoleBackend().get_user(bare.pk)
    with CaptureQueriesContext(connection) as queries:
        assert not hasattr(user, "ansinh_role")
    assert len(queries) == 0
    assert RoleBackend().get_user(10**9) is None
