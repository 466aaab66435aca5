"""BHXH cơ sở offices kept by the provincial administrator (services): communes of the province on the new
map, one open office per commune, closing, scope, nothing half-written."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from ansinh.accounts.models import Role
from ansinh.accounts.services import user_role_assign
from ansinh.areas.errors_structure import (AlreadyClosed, DuplicateCode, InvalidDate, OutsideProvince,
                                           OverlappingOffice, StillInUse)
from ansinh.areas.models import AdministrativeUnit, Level, MapVersion, SiOffice
from ansinh.areas.selectors_offices import office_list, provinces_merged_into
from ansinh.areas.services_offices import si_office_close, si_office_create, si_office_update
from ansinh.core.errors import OutOfScope, PermissionDenied
from ansinh.testing.admin import new_communes, province_admin_make

TODAY = timezone.localdate()


@pytest.fixture
def admin(small_province):
    return province_admin_make()


@pytest.fixture
def communes(small_province):
    return new_communes()


@pytest.fixture
def office(admin, communes):
    return si_office_create(user=admin, code="CS01", name="BHXH cơ sở Vị Thanh", communes=communes[:3])


def test_office_create_with_its_communes_and_who(admin, office, communes):
    assert office.province.code == "92"
    assert set(office.communes.all()) == set(communes[:3])
    assert office.history.latest().history_user == admin


def test_hau_giang_is_merged_into_can_tho(small_province):
    assert list(provinces_merged_into(province=new_communes()[0].province).values_list("code", flat=True)) == ["93"]


def test_duplicate_office_code_is_refused_on_the_code_field(admin, office, communes):
    with pytest.raises(DuplicateCode) as exc:
        si_office_create(user=admin, code="CS01", name="Khác", communes=communes[5:6])
    assert exc.value.field == "code"
    assert SiOffice.objects.count() == 1


def test_a_commune_in_another_open_office_is_refused_naming_both(admin, office, communes):
    with pytest.raises(OverlappingOffice) as exc:
        si_office_create(user=admin, code="CS02", name="BHXH cơ sở Ngã Bảy", communes=[communes[4], communes[1]])
    assert exc.value.field == "communes"
    assert exc.value.message == (f"Xã/phường «{communes[1].name}» đã thuộc văn phòng BHXH cơ sở "
                                 "«BHXH cơ sở Vị Thanh» (CS01) đang hoạt động.")
    assert SiOffice.objects.count() == 1
    second = si_office_create(user=admin, code="CS02", name="BHXH cơ sở Ngã Bảy", communes=[communes[4]])
    with pytest.raises(OverlappingOffice):
        si_office_update(user=admin, office=second, name=second.name, communes=[communes[4], communes[0]])
    assert list(second.communes.all()) == [communes[4]]


def test_a_closed_offices_communes_are_free_again(admin, office, communes):
    si_office_close(user=admin, office=office, closed_on=TODAY)
    other = si_office_create(user=admin, code="CS02", name="BHXH cơ sở mới", communes=communes[:2])
    assert other.communes.count() == 2
    with pytest.raises(AlreadyClosed):
        si_office_update(user=admin, office=office, name="Đổi tên", communes=[])


def test_office_communes_outside_the_province_are_refused(admin, office, communes, small_province):
    with pytest.raises(OutsideProvince) as exc:
        si_office_update(user=admin, office=office, name=office.name, communes=[communes[0], small_province.commune])
    assert exc.value.field == "communes"
    assert office.communes.count() == 3


def test_office_close_refused_while_users_work_there_or_in_the_future(admin, office):
    with pytest.raises(InvalidDate):
        si_office_close(user=admin, office=office, closed_on=TODAY + datetime.timedelta(days=1))
    officer = User.objects.create_user(username="bhxh_cs")
    user_role_assign(user=officer, role=Role.SI_OFFICER, si_office=office)
    with pytest.raises(StillInUse) as exc:
        si_office_close(user=admin, office=office, closed_on=TODAY)
    assert exc.value.message.startswith("Còn 1 tài khoản đang hoạt động")
    office.refresh_from_db()
    assert office.closed_on is None


def test_another_provinces_office_is_out_of_scope(admin, small_province):
    province = AdministrativeUnit.objects.create(map=MapVersion.NEW, level=Level.PROVINCE, code="96", name="Cà Mau")
    foreign = SiOffice.objects.create(code="CM01", name="BHXH Cà Mau", province=province)
    with pytest.raises(OutOfScope):
        si_office_close(user=admin, office=foreign, closed_on=TODAY)
    assert list(office_list(user=admin)) == []


def test_only_the_administrator_keeps_offices(small_province):
    with pytest.raises(PermissionDenied):
        si_office_create(user=small_province.users["bhxh_tinh"], code="X", name="X", communes=[])
