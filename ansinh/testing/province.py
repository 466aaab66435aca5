"""A small province for tests: the real map, one post office, agents, users of every role and a few
households with members and association units. Built with the same services the app uses."""

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import User

from ansinh.accounts.models import Role
from ansinh.accounts.services import roles_sync, user_role_assign
from ansinh.areas.models import AdministrativeUnit, Level, MapVersion
from ansinh.areas.services import areas_load
from ansinh.collection.models import Agent, CollectionOrg
from ansinh.registry.models import (
    AssociationUnit, Household, HouseholdMember, MemberRole, Membership, Person, PovertyStatus, UnitKind,
)

PASSWORD = "test-pass-123"


@dataclass
class SmallProvince:
    province: AdministrativeUnit
    district: AdministrativeUnit
    other_district: AdministrativeUnit
    commune: AdministrativeUnit
    other_commune: AdministrativeUnit
    org: CollectionOrg
    agent: Agent
    other_agent: Agent
    household: Household
    other_household: Household
    branch: AssociationUnit
    users: dict[str, User]


def make_person(*, name: str, born: datetime.date, sex: str, commune, cid: str, **extra) -> Person:
    return Person.objects.create(full_name=name, date_of_birth=born, sex=sex, commune=commune, citizen_id=cid, **extra)


def make_household(*, code: str, commune, agent, people: list[tuple[Person, str]],
                   poverty_status: str = PovertyStatus.OTHER) -> Household:
    household = Household.objects.create(code=code, commune=commune, agent=agent, poverty_status=poverty_status)
    for person, relationship in people:
        HouseholdMember.objects.create(household=household, person=person, relationship=relationship)
    return household


def small_province_build() -> SmallProvince:
    """Build the test province (about 1 s). Users: one per role plus a second agent, password PASSWORD."""
    areas_load(old_province_code=93, new_province_code=92)
    roles_sync()
    province = AdministrativeUnit.objects.get(map=MapVersion.OLD, level=Level.PROVINCE, code="93")
    districts = list(AdministrativeUnit.objects.filter(parent=province, level=Level.DISTRICT).order_by("code"))
    district, other_district = districts[0], districts[1]
    commune = AdministrativeUnit.objects.filter(parent=district).order_by("code").first()
    other_commune = AdministrativeUnit.objects.filter(parent=other_district).order_by("code").first()
    org = CollectionOrg.objects.create(code="BD93", name="Bưu điện tỉnh Hậu Giang", province=province)
    agent = Agent.objects.create(org=org, code="NVT001", full_name="Lê Thị Thu", area=district)
    other_agent = Agent.objects.create(org=org, code="NVT002", full_name="Trần Văn Hai", area=other_district)
    head = make_person(name="Nguyễn Văn An", born=datetime.date(1970, 3, 5), sex="male", commune=commune,
                       cid="093070000001")
    wife = make_person(name="Trần Thị Bình", born=datetime.date(1972, 8, 1), sex="female", commune=commune,
                       cid="093172000002")
    son = make_person(name="Nguyễn Văn Cường", born=datetime.date(2000, 1, 9), sex="male", commune=commune,
                      cid="093200000003")
    household = make_household(code="HG-0001", commune=commune, agent=agent,
                               people=[(head, "head"), (wife, "spouse"), (son, "child")])
    other_head = make_person(name="Phạm Văn Dũng", born=datetime.date(1965, 2, 2), sex="male",
                             commune=other_commune, cid="093065000004")
    other_household = make_household(code="HG-0002", commune=other_commune, agent=other_agent,
                                      people=[(other_head, "head")])
    branch = AssociationUnit.objects.create(kind=UnitKind.BRANCH, code="CH-0001", name="Chi hội ấp 1", commune=commune)
    Membership.objects.create(person=head, unit=branch, role=MemberRole.LEADER)
    Membership.objects.create(person=wife, unit=branch, role=MemberRole.MEMBER)
    users = {}
    for username, role, scope in [
        ("bhxh_tinh", Role.SI_OFFICER, {"area": province}),
        ("bhxh_huyen", Role.SI_OFFICER, {"area": district}),
        ("hoi_tinh", Role.ASSOCIATION_OFFICER, {"area": province}),
        ("chi_hoi", Role.GROUP_LEADER, {"association_unit": branch}),
        ("thu_1", Role.COLLECTION_AGENT, {"agent": agent}),
        ("thu_2", Role.COLLECTION_AGENT, {"agent": other_agent}),
    ]:
        user = User.objects.create_user(username=username, password=PASSWORD)
        user_role_assign(user=user, role=role, **scope)
        users[username] = User.objects.get(pk=user.pk)
    return SmallProvince(province, district, other_district, commune, other_commune, org, agent, other_agent,
                         household, other_household, branch, users)
