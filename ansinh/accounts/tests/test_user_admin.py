"""User administration services: one role and its scope inside the administrator's province."""

import pytest
from django.contrib.auth.models import User

from ansinh.accounts import errors
from ansinh.accounts.models import Role, UserRole
from ansinh.accounts.services import households_in_scope, user_role_assign
from ansinh.accounts.services_users import user_active_set, user_create, user_password_reset, user_update
from ansinh.areas.models import AdministrativeUnit, Level, MapVersion, SiOffice
from ansinh.areas.selectors import new_unit_of
from ansinh.core.errors import PermissionDenied
from ansinh.testing.province import PASSWORD

GOOD_PASSWORD = "mat-khau-moi-2026"


@pytest.fixture
def admin(small_province):
    province = AdministrativeUnit.objects.get(map=MapVersion.NEW, level=Level.PROVINCE, code="92")
    user = User.objects.create_user(username="quantri", password=PASSWORD)
    user_role_assign(user=user, role=Role.PROVINCE_ADMIN, area=province)
    return User.objects.get(pk=user.pk)


def outside_commune():
    """A commune of another (made-up) province."""
    other = AdministrativeUnit.objects.create(map=MapVersion.NEW, level=Level.PROVINCE, code="01", name="Hà Nội")
    return AdministrativeUnit.objects.create(map=MapVersion.NEW, level=Level.COMMUNE, code="00004",
                                             name="Phường Ba Đình", parent=other, province=other)


def _create(admin, **kwargs):
    args = {"username": "can_bo_xa", "full_name": "Nguyễn Thị Mai", "role": Role.SI_OFFICER,
            "password": GOOD_PASSWORD, "password_again": GOOD_PASSWORD}
    args.update(kwargs)
    return user_create(user=admin, **args)


def test_commune_officer_created_sees_that_communes_households(small_province, admin):
    commune = new_unit_of(old_commune=small_province.commune)
    new = _create(admin, area=commune, phone="0912 345 678")
    role = UserRole.objects.get(user=new)
    assert (role.role, role.area, role.si_office, role.phone) == (Role.SI_OFFICER, commune, None, "0912345678")
    assert new.first_name == "Nguyễn Thị Mai" and new.is_active and new.check_password(GOOD_PASSWORD)
    assert list(new.groups.values_list("name", flat=True)) == ["si_officer"]
    assert list(households_in_scope(new)) == [small_province.household]


def test_office_scope(small_province, admin):
    province = admin.ansinh_role.area
    office = SiOffice.objects.create(code="CS01", name="BHXH cơ sở Vị Thanh", province=province)
    office.communes.add(new_unit_of(old_commune=small_province.other_commune))
    new = _create(admin, username="bhxh_cs", si_office=office)
    assert list(households_in_scope(new)) == [small_province.other_household]


def test_old_map_district_still_allowed(small_province, admin):
    new = _create(admin, username="bhxh_huyen_cu", area=small_province.district)
    assert UserRole.objects.get(user=new).area == small_province.district


@pytest.mark.parametrize("kwargs, field, message", [
    ({}, "area", "Vai trò «Cán bộ BHXH» cần chọn tỉnh, xã, huyện/xã cũ hoặc văn phòng BHXH cơ sở."),
    ({"role": Role.GROUP_LEADER}, "association_unit", "Vai trò «Chi hội trưởng / Tổ trưởng TK&VV» cần chọn chi hội hoặc tổ TK&VV."),
    ({"role": Role.COLLECTION_AGENT}, "agent", "Vai trò «Nhân viên thu» cần chọn nhân viên thu."),
    ({"role": "boss"}, "role", errors.ROLE_UNKNOWN),
    ({"username": "bhxh_tinh", "area": "province"}, "username", errors.USERNAME_TAKEN),
    ({"username": "BHXH_TINH", "area": "province"}, "username", errors.USERNAME_TAKEN),
    ({"username": "có dấu", "area": "province"}, "username", errors.USERNAME_INVALID),
    ({"full_name": "  ", "area": "province"}, "full_name", errors.FULL_NAME_MISSING),
    ({"phone": "12345", "area": "province"}, "phone", errors.PHONE_INVALID),
    ({"password_again": "khac-han-2026", "area": "province"}, "password_again", errors.PASSWORD_MISMATCH),
    ({"password": "ngan", "password_again": "ngan", "area": "province"}, "password",
     "Mật khẩu quá ngắn: cần ít nhất 8 ký tự."),
    ({"area": "outside"}, "area", errors.SCOPE_OUTSIDE),
    ({"role": Role.PROVINCE_ADMIN, "area": "commune"}, "area", errors.SCOPE_WRONG_LEVEL),
])
def test_refused_on_the_field_nothing_written(small_province, admin, kwargs, field, message):
    province = admin.ansinh_role.area
    places = {"province": province, "commune": new_unit_of(old_commune=small_province.commune),
              "outside": outside_commune()}
    if "area" in kwargs:
        kwargs["area"] = places[kwargs["area"]]
    before = (User.objects.count(), UserRole.objects.count())
    with pytest.raises(errors.UserInvalid) as exc:
        _create(admin, **kwargs)
    assert (exc.value.field, exc.value.message) == (field, message)
    assert (User.objects.count(), UserRole.objects.count()) == before


def test_agent_linked_to_another_user_refused(small_province, admin):
    with pytest.raises(errors.UserInvalid) as exc:
        _create(admin, username="thu_3", role=Role.COLLECTION_AGENT, agent=small_province.agent)
    assert (exc.value.field, exc.value.message) == ("agent", "Nhân viên thu này đã gắn với tài khoản «thu_1».")
    assert not User.objects.filter(username="thu_3").exists()


def test_only_province_admin(small_province):
    with pytest.raises(PermissionDenied):
        _create(small_province.users["bhxh_tinh"], area=small_province.province)


def test_update_role_replaces_scope(small_province, admin):
    target = small_province.users["bhxh_huyen"]
    commune = new_unit_of(old_commune=small_province.commune)
    user_update(user=admin, target=target, role=Role.ASSOCIATION_OFFICER, full_name="Lê Văn Hội", area=commune)
    role = UserRole.objects.get(user=target)
    assert (role.role, role.area) == (Role.ASSOCIATION_OFFICER, commune)
    assert list(User.objects.get(pk=target.pk).groups.values_list("name", flat=True)) == ["association_officer"]


def test_admin_cannot_deactivate_themselves(small_province, admin):
    with pytest.raises(errors.UserInvalid) as exc:
        user_active_set(user=admin, target=admin, active=False)
    assert exc.value.message == errors.SELF_DEACTIVATE
    assert User.objects.get(pk=admin.pk).is_active


def test_deactivate_reactivate_and_reset_password(small_province, admin):
    target = small_province.users["thu_2"]
    assert user_active_set(user=admin, target=target, active=False).is_active is False
    assert User.objects.get(pk=target.pk).is_active is False
    user_active_set(user=admin, target=target, active=True)
    user_password_reset(user=admin, target=target, password=GOOD_PASSWORD, password_again=GOOD_PASSWORD)
    target = User.objects.get(pk=target.pk)
    assert target.is_active and target.check_password(GOOD_PASSWORD)
