"""Editing the registry in the field: each change checked, written whole or not at all, recorded in the
history with who and why, and saying what it does to money."""

import datetime

import pytest

from ansinh.areas.models import AdministrativeUnit, Level, MapVersion
from ansinh.collection.models import HouseholdAssignment
from ansinh.collection.services import payment_record
from ansinh.core.errors import OutOfScope, PermissionDenied
from ansinh.enrollment.models import Status
from ansinh.enrollment.services import hi_enroll, vsi_enroll
from ansinh.registry import errors_people as e
from ansinh.registry.models import Household, HouseholdMember, Person, PovertyStatus, Relationship
from ansinh.registry.services_people import (MONEY_KEPT, MONEY_RERANK, household_create, household_head_change,
                                             household_member_add, household_member_move,
                                             household_poverty_status_change, person_create, person_death_record,
                                             person_move_out_record, person_update)
from ansinh.testing.province import make_person

JULY_2024 = datetime.date(2024, 7, 1)


@pytest.fixture
def p(small_province):
    return small_province


def officer(p):
    return p.users["bhxh_tinh"]


def people(p):
    members = {m.person.full_name: m.person for m in p.household.members.select_related("person")}
    return members["Nguyễn Văn An"], members["Trần Thị Bình"], members["Nguyễn Văn Cường"]


def head_of(household) -> str:
    return household.members.get(relationship=Relationship.HEAD).person.full_name


def pay_hi(p, on=JULY_2024):
    quote = hi_enroll(user=p.users["thu_1"], household=p.household, months=12, on=on)
    payment_record(user=p.users["thu_1"], participation=quote, amount=quote.payable, method="cash", paid_on=on,
                   idempotency_key=f"k-{on}")
    return quote


# --- people -------------------------------------------------------------------------------------------

def test_an_agent_adds_a_newborn_to_their_household_and_the_saved_hi_quote_is_cancelled(p):
    quote = hi_enroll(user=p.users["thu_1"], household=p.household, months=12, on=JULY_2024)
    change = person_create(user=p.users["thu_1"], household=p.household, full_name="  nguyễn   thị  em ",
                           date_of_birth=datetime.date(2026, 11, 1), sex="female", relationship="grandchild")
    person = change.subject
    assert person.full_name == "Nguyễn Thị Em" and person.commune == p.commune
    assert person.household_membership.household == p.household
    assert person.household_membership.relationship == "grandchild"
    quote.refresh_from_db()
    assert quote.status == Status.CANCELLED
    assert quote.quote["cancelled"]["reason"] == "hộ HG-0001 có thêm thành viên"
    assert change.cancelled == ["BHYT hộ HG-0001 12 tháng (báo giá ngày 01/07/2024)"]
    assert change.money == ("Đã hủy 1 báo giá chờ thu không còn đúng (BHYT hộ HG-0001 12 tháng (báo giá ngày "
                            "01/07/2024)) — lý do: hộ HG-0001 có thêm thành viên. " + MONEY_KEPT + " " + MONEY_RERANK)
    assert person.history.first().history_user == p.users["thu_1"]


def test_a_citizen_id_of_another_person_is_refused_naming_the_household_and_a_masked_name(p):
    with pytest.raises(e.CitizenIdTaken) as err:
        person_create(user=officer(p), household=p.household, full_name="Lê Văn Giả",
                      date_of_birth=datetime.date(1990, 1, 1), sex="male", citizen_id="093065000004")
    assert err.value.message == "Số CCCD: đã thuộc về một người khác trong sổ: P*** V** D*** (hộ HG-0002)."
    assert err.value.details["field"] == "citizen_id"
    assert not Person.objects.filter(full_name="Lê Văn Giả").exists()


def test_an_agent_cannot_add_to_another_agents_household(p):
    with pytest.raises(OutOfScope):
        person_create(user=p.users["thu_1"], household=p.other_household, full_name="Lê Văn Giả",
                      date_of_birth=datetime.date(1990, 1, 1), sex="male")


def test_a_leader_may_not_edit_the_registry(p):
    head, _, _ = people(p)
    with pytest.raises(PermissionDenied):
        person_update(user=p.users["chi_hoi"], person=head, phone="0912345678")


def test_an_identity_correction_needs_a_reason_kept_in_the_history(p):
    _, wife, _ = people(p)
    with pytest.raises(e.ReasonRequired) as err:
        person_update(user=officer(p), person=wife, full_name="Trần Thị Bính")
    assert err.value.details["field"] == "reason"
    wife.refresh_from_db()
    assert wife.full_name == "Trần Thị Bình"
    person_update(user=officer(p), person=wife, full_name="Trần Thị Bính", reason="Sai chính tả so với CCCD")
    record = wife.history.first()
    assert (record.full_name, record.history_change_reason, record.history_user) == (
        "Trần Thị Bính", "Sai chính tả so với CCCD", officer(p))


def test_a_phone_change_needs_no_reason_and_touches_no_money(p):
    _, wife, _ = people(p)
    quote = hi_enroll(user=p.users["thu_1"], household=p.household, months=12, on=JULY_2024)
    change = person_update(user=p.users["thu_1"], person=wife, phone="0912 345 678")
    wife.refresh_from_db()
    assert wife.phone == "0912345678" and change.cancelled == []
    quote.refresh_from_db()
    assert quote.status == Status.QUOTED


def test_a_date_of_birth_correction_cancels_the_household_quote(p):
    _, _, son = people(p)
    quote = hi_enroll(user=p.users["thu_1"], household=p.household, months=12, on=JULY_2024)
    change = person_update(user=officer(p), person=son, date_of_birth=datetime.date(1999, 1, 9), reason="Theo CCCD")
    quote.refresh_from_db()
    assert quote.status == Status.CANCELLED and len(change.cancelled) == 1


# --- households and heads -----------------------------------------------------------------------------

def test_an_agent_creates_a_household_with_a_new_head_assigned_to_them(p):
    change = household_create(user=p.users["thu_1"], code="hg-0100", commune=p.commune, hamlet="Ấp 2",
                              new_head={"full_name": "Võ Văn Tám", "date_of_birth": datetime.date(1980, 5, 5),
                                        "sex": "male", "citizen_id": "093080000100"})
    household = change.subject
    assert (household.code, household.agent, head_of(household)) == ("HG-0100", p.agent, "Võ Văn Tám")
    assert HouseholdAssignment.objects.filter(household=household, agent=p.agent).count() == 1


def test_a_household_code_already_used_is_refused_and_nothing_is_written(p):
    with pytest.raises(e.HouseholdCodeTaken):
        household_create(user=officer(p), code="HG-0001", commune=p.commune,
                         new_head={"full_name": "Võ Văn Tám", "date_of_birth": datetime.date(1980, 5, 5), "sex": "male"})
    assert not Person.objects.filter(full_name="Võ Văn Tám").exists()


def test_a_household_created_around_an_existing_member_moves_them_out_of_their_household(p):
    _, _, son = people(p)
    change = household_create(user=officer(p), code="HG-0101", commune=p.commune, head=son)
    assert head_of(change.subject) == "Nguyễn Văn Cường"
    assert p.household.members.count() == 2


def test_the_head_changes_and_the_former_head_keeps_a_relationship(p):
    head, wife, _ = people(p)
    household_head_change(user=officer(p), household=p.household, new_head=wife, old_head_relationship="spouse")
    assert head_of(p.household) == "Trần Thị Bình"
    assert HouseholdMember.objects.get(person=head).relationship == "spouse"


def test_the_head_can_only_be_a_member(p):
    other = p.other_household.members.get().person
    with pytest.raises(e.NotAMember) as err:
        household_head_change(user=officer(p), household=p.household, new_head=other)
    assert err.value.message == "Chủ hộ mới: phải là một thành viên khác của hộ."
    assert head_of(p.household) == "Nguyễn Văn An"


# --- moves --------------------------------------------------------------------------------------------

def test_a_daughter_moves_to_another_household_from_a_date_and_both_quotes_are_cancelled(p):
    _, _, son = people(p)
    quote = hi_enroll(user=p.users["thu_1"], household=p.household, months=12, on=JULY_2024)
    other_quote = hi_enroll(user=p.users["thu_2"], household=p.other_household, months=12, on=JULY_2024)
    change = household_member_move(user=officer(p), person=son, to_household=p.other_household,
                                   on=datetime.date(2026, 1, 10), relationship="child")
    member = HouseholdMember.objects.get(person=son)
    assert (member.household, member.since) == (p.other_household, datetime.date(2026, 1, 10))
    son.refresh_from_db()
    assert son.commune == p.other_commune
    assert len(change.cancelled) == 2
    for q in (quote, other_quote):
        q.refresh_from_db()
        assert q.status == Status.CANCELLED
    old = member.history.order_by("history_id").first()
    assert old.household_id == p.household.pk
    assert member.history.first().history_change_reason == "Chuyển từ hộ HG-0001 sang hộ HG-0002 từ 10/01/2026"


def test_a_move_into_the_same_household_is_refused(p):
    _, _, son = people(p)
    with pytest.raises(e.SameHousehold) as err:
        household_member_move(user=officer(p), person=son, to_household=p.household, on=datetime.date(2026, 1, 1))
    assert err.value.details["field"] == "to_household"


def test_a_move_into_a_household_of_another_province_is_refused(p):
    _, _, son = people(p)
    province = AdministrativeUnit.objects.create(map=MapVersion.NEW, level=Level.PROVINCE, code="99", name="Tỉnh khác")
    province.province = province
    province.save()
    commune = AdministrativeUnit.objects.create(map=MapVersion.NEW, level=Level.COMMUNE, code="99999",
                                                name="Xã khác", parent=province, province=province)
    far = Household.objects.create(code="XX-1", commune=commune)
    with pytest.raises(e.OtherProvince) as err:
        household_member_move(user=p.users["bhxh_tinh"], person=son, to_household=far, on=datetime.date(2026, 1, 1))
    assert err.value.message == "Hộ chuyển đến: thuộc tỉnh khác; chuyển ra ngoài tỉnh hãy dùng “Chuyển đi ngoại tỉnh”."
    assert HouseholdMember.objects.get(person=son).household == p.household


def test_a_move_before_the_last_payments_card_start_is_refused(p):
    _, _, son = people(p)
    pay_hi(p)  # first card: from 31/07/2024
    with pytest.raises(e.DateBeforeCardStart) as err:
        household_member_move(user=officer(p), person=son, to_household=p.other_household,
                              on=datetime.date(2024, 7, 15))
    assert err.value.message == ("Ngày: không được trước 31/07/2024, ngày bắt đầu của thẻ BHYT đã đóng tiền "
                                 "gần nhất.")
    assert HouseholdMember.objects.get(person=son).household == p.household


def test_a_head_who_moves_without_a_new_head_is_refused(p):
    head, _, _ = people(p)
    with pytest.raises(e.NewHeadRequired) as err:
        household_member_move(user=officer(p), person=head, to_household=p.other_household,
                              on=datetime.date(2026, 1, 1))
    assert err.value.details["field"] == "new_head"
    assert head_of(p.household) == "Nguyễn Văn An"


def test_a_member_without_household_is_added(p):
    loner = make_person(name="Đỗ Văn Lẻ", born=datetime.date(1990, 1, 1), sex="male", commune=p.commune,
                        cid="093090000099")
    household_member_add(user=officer(p), household=p.household, person=loner, relationship="other")
    assert HouseholdMember.objects.get(person=loner).household == p.household
    with pytest.raises(e.AlreadyInHousehold):
        household_member_add(user=officer(p), household=p.other_household, person=loner, relationship="other")


# --- death and move out -------------------------------------------------------------------------------

def test_the_head_dies_a_new_head_is_given_and_paid_cards_stay_valid(p):
    head, wife, _ = people(p)
    paid = pay_hi(p)
    quote = vsi_enroll(user=p.users["thu_1"], person=head, income=1_500_000, months=12, payment_mode="12_months",
                       on=JULY_2024)
    change = person_death_record(user=officer(p), person=head, on=datetime.date(2026, 3, 1), new_head=wife)
    head.refresh_from_db()
    assert head.died_on == datetime.date(2026, 3, 1)
    assert not HouseholdMember.objects.filter(person=head).exists()
    assert head_of(p.household) == "Trần Thị Bình"
    quote.refresh_from_db()
    paid.refresh_from_db()
    assert quote.status == Status.CANCELLED and paid.status == Status.PAID
    assert quote.quote["cancelled"]["reason"] == "Nguyễn Văn An đã mất ngày 01/03/2026"
    assert MONEY_KEPT in change.money


def test_the_head_dies_without_a_new_head_and_nothing_is_written(p):
    head, _, _ = people(p)
    with pytest.raises(e.NewHeadRequired):
        person_death_record(user=officer(p), person=head, on=datetime.date(2026, 3, 1))
    head.refresh_from_db()
    assert head.died_on is None and HouseholdMember.objects.filter(person=head).exists()


@pytest.mark.parametrize("on, error, message", [
    (datetime.date(1999, 12, 31), e.DeathBeforeBirth, "Ngày mất: không được trước ngày sinh."),
    (datetime.date(2999, 1, 1), e.DateInFuture, "Ngày: không được sau hôm nay."),
])
def test_a_death_before_birth_or_in_the_future_is_refused(p, on, error, message):
    _, _, son = people(p)
    with pytest.raises(error) as err:
        person_death_record(user=officer(p), person=son, on=on)
    assert (err.value.message, err.value.details["field"]) == (message, "on")


def test_a_move_out_of_the_province_leaves_the_household(p):
    _, _, son = people(p)
    change = person_move_out_record(user=officer(p), person=son, on=datetime.date(2026, 2, 1))
    son.refresh_from_db()
    assert son.moved_out_on == datetime.date(2026, 2, 1)
    assert not HouseholdMember.objects.filter(person=son).exists()
    assert HouseholdMember.history.filter(person_id=son.pk, history_type="-").get().history_change_reason == (
        "Chuyển đi ngoại tỉnh ngày 01/02/2026")
    assert change.money == MONEY_KEPT + " " + MONEY_RERANK
    with pytest.raises(e.PersonGone):
        person_death_record(user=officer(p), person=son, on=datetime.date(2026, 3, 1))


# --- poverty status -----------------------------------------------------------------------------------

def test_a_poverty_status_without_its_decision_is_refused(p):
    with pytest.raises(e.DecisionRequired) as err:
        household_poverty_status_change(user=officer(p), household=p.household, status=PovertyStatus.NEAR_POOR,
                                        from_date=datetime.date(2026, 1, 1), decision_number=" ",
                                        decision_date=datetime.date(2025, 12, 20))
    assert err.value.details["field"] == "decision_number"
    with pytest.raises(e.DecisionDateRequired):
        household_poverty_status_change(user=officer(p), household=p.household, status=PovertyStatus.NEAR_POOR,
                                        from_date=datetime.date(2026, 1, 1), decision_number="12/QĐ-UBND",
                                        decision_date=None)
    p.household.refresh_from_db()
    assert p.household.poverty_status == PovertyStatus.OTHER


def test_a_poverty_status_change_with_its_decision_cancels_the_quotes(p):
    quote = hi_enroll(user=p.users["thu_1"], household=p.household, months=12, on=JULY_2024)
    change = household_poverty_status_change(
        user=officer(p), household=p.household, status=PovertyStatus.NEAR_POOR, from_date=datetime.date(2026, 1, 1),
        decision_number="12/QĐ-UBND", decision_date=datetime.date(2025, 12, 20))
    household = Household.objects.get(pk=p.household.pk)
    assert (household.poverty_status, household.poverty_from, household.poverty_decision_number,
            household.poverty_decision_date) == ("near_poor", datetime.date(2026, 1, 1), "12/QĐ-UBND",
                                                 datetime.date(2025, 12, 20))
    assert household.history.first().history_change_reason == "QĐ 12/QĐ-UBND ngày 20/12/2025"
    quote.refresh_from_db()
    assert quote.status == Status.CANCELLED and len(change.cancelled) == 1


def test_an_agent_may_not_change_the_poverty_status(p):
    with pytest.raises(PermissionDenied):
        household_poverty_status_change(user=p.users["thu_1"], household=p.household, status="near_poor",
                                        from_date=datetime.date(2026, 1, 1), decision_number="1",
                                        decision_date=datetime.date(2026, 1, 1))



# --- leaders' suggestions -----------------------------------------------------------------------------

def test_a_leader_suggests_a_correction_an_officer_confirms_it_with_the_leaders_reason(p):
    from ansinh.registry.services_people import suggestion_confirm, suggestion_create

    _, wife, _ = people(p)
    suggestion = suggestion_create(user=p.users["chi_hoi"], person=wife, kind="update",
                                   data={"full_name": "Trần Thị Bính", "phone": "0912345678"}, reason="Theo CCCD")
    assert suggestion.data == {"full_name": "Trần Thị Bính", "phone": "0912345678"}
    wife.refresh_from_db()
    assert wife.full_name == "Trần Thị Bình"  # nothing changes before an officer confirms
    suggestion_confirm(user=officer(p), suggestion=suggestion)
    wife.refresh_from_db()
    suggestion.refresh_from_db()
    assert (wife.full_name, wife.phone, suggestion.state) == ("Trần Thị Bính", "0912345678", "confirmed")
    assert wife.history.first().history_change_reason == "Đề xuất của chi_hoi: Theo CCCD"
    with pytest.raises(e.RegistryEditError) as err:
        suggestion_confirm(user=officer(p), suggestion=suggestion)
    assert err.value.message == "Đề xuất này đã được xử lý."


def test_a_leaders_death_suggestion_is_checked_now_and_may_not_be_applied_by_the_leader(p):
    from ansinh.registry.services_people import suggestion_create

    _, wife, _ = people(p)
    with pytest.raises(e.DeathBeforeBirth):
        suggestion_create(user=p.users["chi_hoi"], person=wife, kind="death", data={"on": datetime.date(1960, 1, 1)})
    with pytest.raises(PermissionDenied):
        person_death_record(user=p.users["chi_hoi"], person=wife, on=datetime.date(2026, 1, 1))
    with pytest.raises(PermissionDenied):
        suggestion_create(user=p.users["thu_1"], person=wife, kind="death", data={"on": datetime.date(2026, 1, 1)})


def test_an_officer_rejects_a_suggestion_saying_why(p):
    from ansinh.registry.services_people import suggestion_create, suggestion_reject

    _, wife, _ = people(p)
    suggestion = suggestion_create(user=p.users["chi_hoi"], person=wife, kind="move_out",
                                   data={"on": datetime.date(2026, 1, 1)})
    with pytest.raises(e.RegistryEditError) as err:
        suggestion_reject(user=officer(p), suggestion=suggestion, note=" ")
    assert err.value.details["field"] == "note"
    suggestion_reject(user=officer(p), suggestion=suggestion, note="Vẫn ở địa phương")
    suggestion.refresh_from_db()
    wife.refresh_from_db()
    assert (suggestion.state, suggestion.note, wife.moved_out_on) == ("rejected", "Vẫn ở địa phương", None)


def test_a_member_moved_by_someone_else_between_reading_and_locking_is_not_recorded_twice(p, monkeypatch):
    from ansinh.registry import services_people

    _, _, son = people(p)
    stale = HouseholdMember.objects.get(person=son)
    household_member_move(user=officer(p), person=son, to_household=p.other_household,
                          on=datetime.date(2026, 1, 1), relationship="child")  # the other officer's move
    reads = iter([stale])
    real = services_people._membership
    monkeypatch.setattr(services_people, "_membership", lambda person: next(reads, None) or real(person))
    with pytest.raises(e.ChangedMeanwhile) as err:
        person_death_record(user=officer(p), person=son, on=datetime.date(2026, 2, 1))
    assert err.value.message == "Hồ sơ vừa được người khác thay đổi; hãy tải lại trang rồi làm lại."
    son.refresh_from_db()
    assert son.died_on is None
