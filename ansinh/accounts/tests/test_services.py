"""Every role sees only its own area, unit or assigned households."""

import pytest
from django.contrib.auth.models import AnonymousUser, User

from ansinh.accounts.services import (
    communes_in_scope, households_in_scope, persons_in_scope, require_household_in_scope, require_permission,
    user_role_assign,
)
from ansinh.core.errors import OutOfScope, PermissionDenied


def test_an_agent_sees_only_the_households_assigned_to_them(small_province):
    p = small_province
    assert list(households_in_scope(p.users["thu_1"])) == [p.household]
    assert list(households_in_scope(p.users["thu_2"])) == [p.other_household]
    with pytest.raises(OutOfScope):
        require_household_in_scope(p.users["thu_1"], p.other_household)


def test_a_district_officer_sees_their_district_and_a_province_officer_sees_all(small_province):
    p = small_province
    assert set(households_in_scope(p.users["bhxh_huyen"])) == {p.household}
    assert set(households_in_scope(p.users["bhxh_tinh"])) == {p.household, p.other_household}
    assert communes_in_scope(p.users["bhxh_tinh"]).count() == 75
    assert set(communes_in_scope(p.users["bhxh_huyen"])) == set(p.district.children.all())


def test_a_branch_head_sees_the_members_of_their_branch_and_their_households(small_province):
    p = small_province
    names = set(persons_in_scope(p.users["chi_hoi"]).values_list("full_name", flat=True))
    assert names == {"Nguyễn Văn An", "Trần Thị Bình", "Nguyễn Văn Cường"}
    assert list(households_in_scope(p.users["chi_hoi"])) == [p.household]


def test_roles_carry_named_permissions_and_a_user_without_role_is_refused(small_province):
    p = small_province
    require_permission(p.users["thu_1"], "collection.add_payment")
    with pytest.raises(PermissionDenied):
        require_permission(p.users["hoi_tinh"], "collection.add_payment")
    plain = User.objects.create_user(username="khach", password="x-very-long")
    with pytest.raises(PermissionDenied) as err:
        require_permission(plain, "registry.view_household")
    assert err.value.message == "Tài khoản chưa được phân vai trò."
    with pytest.raises(PermissionDenied):
        require_permission(AnonymousUser(), "registry.view_household")


def test_an_unknown_role_is_refused(small_province):
    with pytest.raises(ValueError):
        user_role_assign(user=small_province.users["thu_1"], role="mayor")


def test_an_officer_also_sees_records_made_under_the_new_map_successor_of_their_communes(small_province):
    import datetime

    from ansinh.areas.selectors import new_unit_of
    from ansinh.testing.province import make_person

    p = small_province
    successor = new_unit_of(old_commune=p.commune)
    person = make_person(name="Lê Văn Mới", born=datetime.date(1990, 1, 1), sex="male", commune=successor,
                         cid="093090000009")
    assert persons_in_scope(p.users["bhxh_huyen"]).filter(pk=person.pk).exists()
    assert persons_in_scope(p.users["bhxh_tinh"]).filter(pk=person.pk).exists()
    assert not persons_in_scope(p.users["thu_2"]).filter(pk=person.pk).exists()
