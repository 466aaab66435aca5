"""Collection organisations, agents, catchments and household assignments kept by the provincial
administrator (services): scope, bad input refused with its message on the field, nothing half-written."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from ansinh.areas.errors_structure import (AlreadyClosed, DuplicateCode, InvalidDate, OutsideProvince,
                                           StillInUse, StructureError)
from ansinh.areas.models import AdministrativeUnit, Level, MapVersion
from ansinh.areas.selectors import new_unit_of
from ansinh.collection import errors
from ansinh.collection.errors import AssignmentRefused
from ansinh.collection.models import Agent, AgentCatchment, CollectionOrg, HouseholdAssignment, OrgKind, Payment
from ansinh.collection.selectors_structure import org_list
from ansinh.collection.services_structure import (agent_catchment_set, agent_close, agent_create, agent_update,
                                                  collection_org_close, collection_org_create,
                                                  collection_org_update, households_assign_by_area,
                                                  households_assign_by_code, AssignResult)
from ansinh.core.errors import OutOfScope, PermissionDenied
from ansinh.registry.models import Household
from ansinh.testing.admin import new_communes, new_province, province_admin_make

TODAY = timezone.localdate()
YESTERDAY = TODAY - datetime.timedelta(days=1)


@pytest.fixture
def admin(small_province):
    return province_admin_make()


@pytest.fixture
def org(admin):
    return collection_org_create(user=admin, code="BDCT", name="Bưu điện thành phố Cần Thơ",
                                 kind=OrgKind.POST_OFFICE, valid_from=datetime.date(2025, 7, 1))


@pytest.fixture
def communes(small_province):
    return new_communes()


@pytest.fixture
def agent(admin, org, communes):
    agent = agent_create(user=admin, org=org, code="CT001", full_name="Võ Thị Lan", phone="0912 345 678")
    agent_catchment_set(user=admin, agent=agent, communes=[communes[0]], hamlets={communes[0].pk: ["Ấp 1"]})
    return agent


def households(commune, hamlet: str, count: int, prefix: str = "CT") -> list[Household]:
    return [Household.objects.create(code=f"{prefix}-{i:04d}", commune=commune, hamlet=hamlet) for i in range(count)]


# --- Organisations -------------------------------------------------------------------------------------

def test_org_create_serves_the_admins_province_and_records_who(admin, org):
    assert org.province == new_province()
    assert org.closed_on is None
    assert org.history.latest().history_user == admin


def test_org_duplicate_code_is_refused_on_the_code_field_and_nothing_written(admin, org):
    before = CollectionOrg.objects.count()
    with pytest.raises(DuplicateCode) as exc:
        collection_org_create(user=admin, code="bdct", name="Khác", kind=OrgKind.OTHER)
    assert exc.value.field == "code"
    assert exc.value.message == "Mã «bdct» đã được dùng; vui lòng chọn mã khác."
    assert CollectionOrg.objects.count() == before


def test_org_list_shows_the_new_province_and_the_old_ones_merged_into_it(admin, org, small_province):
    assert [o.code for o in org_list(user=admin)] == ["BD93", "BDCT"]


def test_old_provinces_org_gets_its_successor_and_closes_after_its_agents(admin, org, small_province):
    old = small_province.org
    with pytest.raises(StillInUse) as exc:
        collection_org_close(user=admin, org=old, closed_on=datetime.date(2025, 6, 30), successor=org)
    assert exc.value.message == errors.ORG_HAS_OPEN_AGENTS.format(count=2)
    assert exc.value.field == "closed_on"
    old.refresh_from_db()
    assert (old.closed_on, old.successor_id) == (None, None)
    Household.objects.update(agent=None)
    User.objects.filter(ansinh_role__agent__isnull=False).update(is_active=False)  # their accounts locked first
    for a in (small_province.agent, small_province.other_agent):
        agent_close(user=admin, agent=a, closed_on=datetime.date(2025, 6, 30))
    closed = collection_org_close(user=admin, org=old, closed_on=datetime.date(2025, 6, 30), successor=org)
    assert (closed.closed_on, closed.successor) == (datetime.date(2025, 6, 30), org)
    assert closed.agents.count() == 2  # history stays
    with pytest.raises(AlreadyClosed):
        collection_org_close(user=admin, org=old, closed_on=YESTERDAY)


def test_org_close_in_the_future_or_before_it_started_is_refused(admin, org):
    with pytest.raises(InvalidDate) as exc:
        collection_org_close(user=admin, org=org, closed_on=TODAY + datetime.timedelta(days=1))
    assert exc.value.message == "Ngày không được sau hôm nay."
    with pytest.raises(InvalidDate) as exc:
        collection_org_close(user=admin, org=org, closed_on=datetime.date(2025, 6, 1))
    assert exc.value.message == "Ngày đóng không được trước ngày bắt đầu hoạt động (01/07/2025)."
    org.refresh_from_db()
    assert org.closed_on is None


def test_org_successor_may_not_be_itself_nor_loop(admin, org, small_province):
    old = small_province.org
    collection_org_update(user=admin, org=old, name=old.name, kind=old.kind, successor=org)
    with pytest.raises(StructureError) as exc:
        collection_org_update(user=admin, org=org, name=org.name, kind=org.kind, successor=org)
    assert (exc.value.field, exc.value.message) == ("successor", errors.SUCCESSOR_SELF)
    with pytest.raises(StructureError) as exc:
        collection_org_update(user=admin, org=org, name=org.name, kind=org.kind, successor=old)
    assert exc.value.message == errors.SUCCESSOR_CYCLE.format(name=org.name)


def test_another_provinces_org_is_out_of_scope(admin, small_province):
    province = AdministrativeUnit.objects.create(map=MapVersion.NEW, level=Level.PROVINCE, code="96", name="Cà Mau")
    foreign = CollectionOrg.objects.create(code="BDCM", name="Bưu điện Cà Mau", province=province)
    with pytest.raises(OutOfScope):
        collection_org_update(user=admin, org=foreign, name="X", kind=OrgKind.OTHER)
    with pytest.raises(OutOfScope):
        agent_create(user=admin, org=foreign, code="CM1", full_name="A")
    assert Agent.objects.filter(org=foreign).count() == 0


def test_officers_may_not_keep_the_structure(small_province):
    with pytest.raises(PermissionDenied):
        collection_org_create(user=small_province.users["bhxh_tinh"], code="X", name="X")


# --- Agents and catchments -------------------------------------------------------------------------------

def test_agent_create_works_in_the_new_province_with_its_catchment(agent, communes):
    assert agent.area == new_province()
    assert agent.phone == "0912345678"
    assert list(AgentCatchment.objects.filter(agent=agent).values_list("commune", "hamlet")) == [
        (communes[0].pk, "Ấp 1")]


def test_agent_duplicate_code_and_bad_phone(admin, org, small_province):
    before = Agent.objects.count()
    with pytest.raises(DuplicateCode) as exc:
        agent_create(user=admin, org=org, code="NVT001", full_name="Trùng mã")
    assert exc.value.field == "code"
    with pytest.raises(StructureError) as exc:
        agent_create(user=admin, org=org, code="CT009", full_name="Sai số", phone="12345")
    assert (exc.value.field, exc.value.message) == ("phone", errors.PHONE_INVALID)
    assert Agent.objects.count() == before


def test_catchment_outside_the_province_is_refused_and_the_old_one_kept(admin, agent, communes, small_province):
    with pytest.raises(OutsideProvince) as exc:
        agent_catchment_set(user=admin, agent=agent, communes=[communes[1], small_province.commune])
    assert exc.value.field == "communes"
    assert exc.value.message == (f"Xã/phường «{small_province.commune.name}» không thuộc Thành phố Cần Thơ "
                                 "(bản đồ từ 01/07/2025).")
    assert list(AgentCatchment.objects.filter(agent=agent).values_list("commune", "hamlet")) == [
        (communes[0].pk, "Ấp 1")]


def test_catchment_replaced_keeps_history_of_removed_rows(admin, agent, communes):
    agent_catchment_set(user=admin, agent=agent, communes=[communes[0], communes[1]])
    assert sorted(AgentCatchment.objects.filter(agent=agent).values_list("commune", "hamlet")) == sorted([
        (communes[0].pk, ""), (communes[1].pk, "")])
    assert AgentCatchment.history.filter(history_type="-", hamlet="Ấp 1").count() == 1


def test_closing_an_agent_with_households_is_refused(admin, agent, communes):
    households(communes[0], "Ấp 1", 3)
    households_assign_by_area(user=admin, agent=agent, commune=communes[0], hamlet="Ấp 1", starts_on=TODAY)
    with pytest.raises(StillInUse) as exc:
        agent_close(user=admin, agent=agent, closed_on=TODAY)
    assert exc.value.message == ("Còn 3 hộ đang giao cho nhân viên thu này; hãy giao các hộ đó cho nhân viên khác "
                                 "trước khi cho nghỉ.")
    agent.refresh_from_db()
    assert agent.closed_on is None


def test_closed_agent_is_not_edited_nor_given_households(admin, agent, communes):
    households(communes[0], "Ấp 1", 1)
    agent_close(user=admin, agent=agent, closed_on=YESTERDAY)
    with pytest.raises(AlreadyClosed):
        agent_update(user=admin, agent=agent, full_name="Tên mới")
    with pytest.raises(AssignmentRefused) as exc:
        households_assign_by_code(user=admin, agent=agent, codes=["CT-0000"], starts_on=TODAY)
    assert exc.value.message.startswith("Nhân viên thu «Võ Thị Lan» đã nghỉ từ ngày")
    assert HouseholdAssignment.objects.count() == 0


def test_agent_close_before_their_last_payment_is_refused_and_payments_keep_the_agent(admin, small_province):
    from ansinh.enrollment.models import HiParticipation

    agent, household = small_province.agent, small_province.household
    hi = HiParticipation.objects.create(household=household, commune=household.commune, months=12,
                                        priced_on=datetime.date(2024, 7, 1), total=1, state_support=0, payable=1,
                                        quote={}, agent=agent)
    payment = Payment.objects.create(idempotency_key="k1", hi=hi, amount=1, method="cash",
                                     paid_on=datetime.date(2024, 7, 1), agent=agent)
    Household.objects.filter(agent=agent).update(agent=None)
    User.objects.filter(ansinh_role__agent=agent).update(is_active=False)
    with pytest.raises(InvalidDate) as exc:
        agent_close(user=admin, agent=agent, closed_on=datetime.date(2024, 6, 30))
    assert exc.value.message == "Nhân viên thu này có khoản thu ngày 01/07/2024; ngày nghỉ không được trước ngày đó."
    closed = agent_close(user=admin, agent=agent, closed_on=datetime.date(2025, 6, 30))
    assert closed.closed_on == datetime.date(2025, 6, 30)
    payment.refresh_from_db()
    assert payment.agent_id == agent.pk


# --- Assignments -------------------------------------------------------------------------------------------

def test_assign_a_hamlet_writes_the_log_and_the_agent_in_force(admin, agent, communes):
    inside = households(communes[0], "Ấp 1", 4)
    households(communes[0], "Ấp 2", 2, prefix="X")
    count = households_assign_by_area(user=admin, agent=agent, commune=communes[0], hamlet="Ấp 1",
                                      starts_on=YESTERDAY)
    assert count == AssignResult(assigned=4, already=0)
    assert set(Household.objects.filter(agent=agent).values_list("code", flat=True)) == {h.code for h in inside}
    log = HouseholdAssignment.objects.filter(agent=agent)
    assert log.count() == 4
    assert set(log.values_list("starts_on", "assigned_by")) == {(YESTERDAY, admin.pk)}


def test_assign_the_whole_commune_outside_a_hamlet_catchment_is_refused(admin, agent, communes):
    households(communes[0], "Ấp 1", 2)
    households(communes[0], "Ấp 2", 3, prefix="X")
    with pytest.raises(AssignmentRefused) as exc:
        households_assign_by_area(user=admin, agent=agent, commune=communes[0], starts_on=TODAY)
    assert exc.value.message == errors.OUTSIDE_CATCHMENT.format(count=3, code="X-0000")
    assert HouseholdAssignment.objects.count() == 0
    assert Household.objects.filter(agent=agent).count() == 0


def test_assign_in_the_future_is_refused(admin, agent, communes):
    households(communes[0], "Ấp 1", 2)
    with pytest.raises(AssignmentRefused) as exc:
        households_assign_by_area(user=admin, agent=agent, commune=communes[0], hamlet="Ấp 1",
                                  starts_on=TODAY + datetime.timedelta(days=1))
    assert (exc.value.field, exc.value.message) == ("starts_on", "Ngày hiệu lực không được sau hôm nay.")
    assert HouseholdAssignment.objects.count() == 0


def test_assign_before_the_latest_assignment_is_refused(admin, org, agent, communes):
    households(communes[0], "Ấp 1", 2)
    households_assign_by_code(user=admin, agent=agent, codes=["CT-0001"], starts_on=YESTERDAY)
    other = agent_create(user=admin, org=org, code="CT008", full_name="Trần Văn Tám")
    agent_catchment_set(user=admin, agent=other, communes=[communes[0]])
    with pytest.raises(AssignmentRefused) as exc:
        households_assign_by_area(user=admin, agent=other, commune=communes[0], hamlet="Ấp 1",
                                  starts_on=YESTERDAY - datetime.timedelta(days=1))
    assert exc.value.field == "starts_on"
    assert exc.value.message == errors.STARTS_ON_BEFORE_LAST.format(
        code="CT-0001", last=f"{YESTERDAY:%d/%m/%Y}", count=1)
    assert HouseholdAssignment.objects.count() == 1
    assert households_assign_by_area(user=admin, agent=agent, commune=communes[0], hamlet="Ấp 1",
                                     starts_on=YESTERDAY) == AssignResult(assigned=1, already=1)


def test_an_old_map_household_counts_in_its_primary_successor(admin, org, small_province):
    household = small_province.household  # recorded under an old-map commune of Hậu Giang
    successor = new_unit_of(old_commune=household.commune)
    agent = agent_create(user=admin, org=org, code="CT002", full_name="Lâm Văn Tư")
    agent_catchment_set(user=admin, agent=agent, communes=[successor])
    assert households_assign_by_code(user=admin, agent=agent, codes=[household.code], starts_on=TODAY) == AssignResult(1, 0)
    household.refresh_from_db()
    assert household.agent == agent
    again = households_assign_by_area(user=admin, agent=agent, commune=successor, starts_on=TODAY)
    assert again.already == 1


def test_assign_unknown_or_foreign_households(admin, agent, communes):
    with pytest.raises(AssignmentRefused) as exc:
        households_assign_by_code(user=admin, agent=agent, codes=["KHONG-CO"], starts_on=TODAY)
    assert (exc.value.field, exc.value.message) == ("codes", "Không tìm thấy hộ có mã: KHONG-CO.")
    province = AdministrativeUnit.objects.create(map=MapVersion.NEW, level=Level.PROVINCE, code="96", name="Cà Mau")
    commune = AdministrativeUnit.objects.create(map=MapVersion.NEW, level=Level.COMMUNE, code="99999",
                                                name="Xã Xa", province=province, parent=province)
    Household.objects.create(code="CM-1", commune=commune)
    with pytest.raises(OutOfScope) as exc:
        households_assign_by_code(user=admin, agent=agent, codes=["CM-1"], starts_on=TODAY)
    assert exc.value.message == "Hộ CM-1 không thuộc tỉnh bạn quản trị."
    with pytest.raises(OutsideProvince):
        households_assign_by_area(user=admin, agent=agent, commune=commune, starts_on=TODAY)
    assert HouseholdAssignment.objects.count() == 0


# --- Repeated assignments (bad-input pass) -----------------------------------------------------------------

def test_assigning_the_same_households_twice_writes_no_second_row(admin, agent, communes):
    households(communes[0], "Ấp 1", 3)
    first = households_assign_by_code(user=admin, agent=agent, codes=["CT-0000", "CT-0001"], starts_on=TODAY)
    again = households_assign_by_code(user=admin, agent=agent, codes=["CT-0000", "CT-0001"], starts_on=TODAY)
    area = households_assign_by_area(user=admin, agent=agent, commune=communes[0], hamlet="Ấp 1", starts_on=TODAY)
    assert (first, again, area) == (AssignResult(2, 0), AssignResult(0, 2), AssignResult(1, 2))
    assert sorted(HouseholdAssignment.objects.values_list("household__code", "agent", "starts_on")) == [
        ("CT-0000", agent.pk, TODAY), ("CT-0001", agent.pk, TODAY), ("CT-0002", agent.pk, TODAY)]


def test_a_second_agent_the_same_day_is_refused_and_nothing_written(admin, org, agent, communes):
    households(communes[0], "Ấp 1", 2)
    households_assign_by_code(user=admin, agent=agent, codes=["CT-0001"], starts_on=TODAY)
    other = agent_create(user=admin, org=org, code="CT009", full_name="Trần Văn Bảy")
    agent_catchment_set(user=admin, agent=other, communes=[communes[0]])
    with pytest.raises(AssignmentRefused) as exc:
        households_assign_by_area(user=admin, agent=other, commune=communes[0], hamlet="Ấp 1", starts_on=TODAY)
    assert exc.value.field == "starts_on"
    assert exc.value.message == (f"1 hộ đã được giao cho nhân viên thu khác trong ngày {TODAY:%d/%m/%Y} (đầu tiên: "
                                 "CT-0001); mỗi hộ chỉ giao một lần trong ngày — hãy chọn ngày hiệu lực khác.")
    assert HouseholdAssignment.objects.count() == 1
    assert Household.objects.filter(agent=other).count() == 0


def test_the_database_refuses_a_second_assignment_the_same_day(admin, agent, communes):
    from django.db import IntegrityError, transaction

    (household,) = households(communes[0], "Ấp 1", 1)
    HouseholdAssignment.objects.create(household=household, agent=agent, starts_on=TODAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        HouseholdAssignment.objects.create(household=household, agent=agent, starts_on=TODAY)


def test_codes_match_whatever_their_case_and_spaces(admin, agent, communes):
    households(communes[0], "Ấp 1", 2)
    result = households_assign_by_code(user=admin, agent=agent, codes=[" ct-0000 ", "Ct - 0001", "ct-0000"],
                                       starts_on=TODAY)
    assert result == AssignResult(2, 0)
    assert sorted(Household.objects.filter(agent=agent).values_list("code", flat=True)) == ["CT-0000", "CT-0001"]


def test_closing_an_agent_with_an_active_account_is_refused(admin, agent):
    from django.contrib.auth.models import User

    from ansinh.accounts.models import Role
    from ansinh.accounts.services import user_role_assign

    account = User.objects.create_user(username="thu_ct001", password="x-pass-123")
    user_role_assign(user=account, role=Role.COLLECTION_AGENT, agent=agent)
    with pytest.raises(StillInUse) as exc:
        agent_close(user=admin, agent=agent, closed_on=TODAY)
    assert (exc.value.field, exc.value.message) == (
        "closed_on", "Còn 1 tài khoản đang dùng nhân viên thu này — hãy khóa hoặc đổi phạm vi các tài khoản đó trước.")
    agent.refresh_from_db()
    assert agent.closed_on is None
    User.objects.filter(pk=account.pk).update(is_active=False)
    assert agent_close(user=admin, agent=agent, closed_on=TODAY).closed_on == TODAY


def test_shrinking_a_catchment_under_assigned_households_is_refused(admin, agent, communes):
    agent_catchment_set(user=admin, agent=agent, communes=[communes[0]])
    households(communes[0], "Ấp 1", 2)
    households(communes[0], "Ấp 2", 1, prefix="HO")
    households_assign_by_area(user=admin, agent=agent, commune=communes[0], starts_on=TODAY)
    with pytest.raises(StillInUse) as exc:
        agent_catchment_set(user=admin, agent=agent, communes=[communes[0]], hamlets={communes[0].pk: ["Ấp 1"]})
    assert (exc.value.field, exc.value.message) == (
        "communes", "Còn 1 hộ ngoài địa bàn mới (đầu tiên: HO-0000) — hãy giao lại trước.")
    with pytest.raises(StillInUse) as exc:
        agent_catchment_set(user=admin, agent=agent, communes=[communes[1]])
    assert exc.value.message == "Còn 3 hộ ngoài địa bàn mới (đầu tiên: CT-0000) — hãy giao lại trước."
    assert list(AgentCatchment.objects.filter(agent=agent).values_list("commune", "hamlet")) == [(communes[0].pk, "")]
    rows = agent_catchment_set(user=admin, agent=agent, communes=[communes[0]],
                               hamlets={communes[0].pk: ["Ấp 1", "Ấp 2"]})
    assert [(r.commune_id, r.hamlet) for r in rows] == [(communes[0].pk, "Ấp 1"), (communes[0].pk, "Ấp 2")]
