"""Scopes on the map of 1 July 2025: the province, a BHXH cơ sở office's communes or a commune; records made
under an old-map commune are found by its successor's scope and the other way round."""

import datetime

import pytest
from django.contrib.auth.models import User

from ansinh.accounts.models import Role
from ansinh.accounts.services import (
    communes_in_scope, households_in_scope, old_communes_in_scope, persons_in_scope, record_communes_in_scope,
    require_household_in_scope, scope_label, user_role_assign,
)
from ansinh.areas.models import AdministrativeUnit, Level, MapVersion, SiOffice, UnitMapping
from ansinh.collection.models import AgentCatchment
from ansinh.collection.selectors import agents_in_scope
from ansinh.core.errors import OutOfScope
from ansinh.testing.province import make_household, make_person


def _user(name: str, **role) -> User:
    user = User.objects.create_user(username=name, password="x")
    user_role_assign(user=user, **role)
    return User.objects.get(pk=user.pk)


@pytest.fixture
def new_map(small_province):
    """The successor (primary mapping) of the test household's old commune, and a household made there
    after 1 July 2025."""
    p = small_province
    successor = UnitMapping.objects.get(old_unit=p.commune, is_primary=True).new_unit
    head = make_person(name="Lý Thị Hoa", born=datetime.date(1980, 1, 1), sex="female", commune=successor,
                       cid="092180000009")
    new_household = make_household(code="CT-0001", commune=successor, agent=None, people=[(head, "head")])
    return p, successor, new_household


def test_a_new_map_commune_officer_sees_that_commune_and_the_old_communes_it_succeeds(new_map):
    p, successor, new_household = new_map
    officer = _user("bhxh_xa", role=Role.SI_OFFICER, area=successor)
    assert list(communes_in_scope(officer)) == [successor]
    assert set(households_in_scope(officer)) == {p.household, new_household}
    assert p.commune in set(old_communes_in_scope(officer))
    assert successor not in set(old_communes_in_scope(officer))
    with pytest.raises(OutOfScope):
        require_household_in_scope(officer, p.other_household)
    assert "Lý Thị Hoa" in set(persons_in_scope(officer).values_list("full_name", flat=True))


def test_an_old_district_officer_still_finds_the_records_made_in_the_successor_commune(new_map):
    p, successor, new_household = new_map
    assert set(households_in_scope(p.users["bhxh_huyen"])) == {p.household, new_household}
    assert successor in set(record_communes_in_scope(p.users["bhxh_huyen"]))


def test_an_office_officer_sees_exactly_the_communes_of_the_office(new_map):
    p, successor, new_household = new_map
    new_province = AdministrativeUnit.objects.get(map=MapVersion.NEW, level=Level.PROVINCE, code="92")
    office = SiOffice.objects.create(code="CS01", name="BHXH cơ sở Vị Thanh", province=new_province)
    office.communes.set([successor])
    officer = _user("bhxh_cs", role=Role.SI_OFFICER, si_office=office)
    assert list(communes_in_scope(officer)) == [successor]
    assert set(households_in_scope(officer)) == {p.household, new_household}
    assert scope_label(officer.ansinh_role) == "BHXH cơ sở Vị Thanh"
    # a commune added to the office applies at once (the scope cache is emptied)
    other_successor = UnitMapping.objects.get(old_unit=p.other_commune, is_primary=True).new_unit
    office.communes.add(other_successor)
    assert set(households_in_scope(officer)) == {p.household, new_household, p.other_household}


def test_an_office_and_an_area_together_are_refused_by_the_database(small_province):
    from django.db import IntegrityError, transaction

    new_province = AdministrativeUnit.objects.get(map=MapVersion.NEW, level=Level.PROVINCE, code="92")
    office = SiOffice.objects.create(code="CS02", name="BHXH cơ sở 2", province=new_province)
    user = User.objects.create_user(username="both", password="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        user_role_assign(user=user, role=Role.SI_OFFICER, area=new_province, si_office=office)


def test_an_agent_with_a_catchment_has_its_communes_and_officers_of_those_communes_see_the_agent(new_map):
    p, successor, _ = new_map
    AgentCatchment.objects.create(agent=p.agent, commune=successor, hamlet="")
    assert list(communes_in_scope(p.users["thu_1"])) == [successor]
    officer = _user("bhxh_xa2", role=Role.SI_OFFICER, area=successor)
    assert list(agents_in_scope(user=officer)) == [p.agent]


def test_a_province_administrator_of_the_new_province_sees_the_old_province_records(small_province):
    p = small_province
    new_province = AdministrativeUnit.objects.get(map=MapVersion.NEW, level=Level.PROVINCE, code="92")
    admin = _user("quan_tri", role=Role.PROVINCE_ADMIN, area=new_province)
    assert set(households_in_scope(admin)) == {p.household, p.other_household}
    assert scope_label(admin.ansinh_role) == new_province.name
