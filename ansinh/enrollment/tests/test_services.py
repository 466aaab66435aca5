"""Enrolment prices come from the rules module on the pricing date and are frozen on the record."""

import datetime

import pytest

from ansinh.collection.services import payment_record
from ansinh.core.errors import OutOfScope, PermissionDenied
from ansinh.enrollment.errors import AlreadyCovered, NoEligibleMembers, PricingError
from ansinh.enrollment.models import Status
from ansinh.enrollment.services import hi_enroll, hi_household_quote, vsi_enroll
from ansinh.registry.models import OtherCoverage, PovertyStatus
from ansinh.testing.vectors import vector

JULY_2024 = datetime.date(2024, 7, 1)


def test_a_household_of_three_is_priced_on_the_ladder_from_the_rules(small_province):
    p = small_province
    expected = vector("hi-2024-5")["expect"]["per_member"][:3]
    price = hi_household_quote(user=p.users["thu_1"], household=p.household, months=12, on=JULY_2024)
    assert [line["amount"] for line in price["members"]] == expected
    assert [line["share_pct"] for line in price["members"]] == [100, 70, 60]
    assert price["total"] == sum(expected) and price["payable"] == sum(expected)
    assert price["members"][0]["person"].full_name == "Nguyễn Văn An"  # the head is first


def test_members_with_hi_from_another_group_are_not_on_the_household_list(small_province):
    p = small_province
    son = p.household.members.get(relationship="child").person
    son.other_coverage = OtherCoverage.EMPLOYEE
    son.save()
    price = hi_household_quote(user=p.users["thu_1"], household=p.household, months=12, on=JULY_2024)
    assert [line["person"].pk for line in price["members"]] == [
        p.household.members.get(relationship="head").person_id,
        p.household.members.get(relationship="spouse").person_id,
    ]


def test_a_poor_household_has_no_one_to_enrol_because_the_state_pays_its_cards(small_province):
    p = small_province
    p.household.poverty_status = PovertyStatus.POOR
    p.household.save()
    with pytest.raises(NoEligibleMembers):
        hi_household_quote(user=p.users["thu_1"], household=p.household, months=12, on=JULY_2024)


def test_a_near_poor_household_gets_the_state_support_of_the_rules(small_province):
    p = small_province
    p.household.poverty_status = PovertyStatus.NEAR_POOR
    p.household.save()
    single = vector("hi-near-poor-70")
    price = hi_household_quote(user=p.users["thu_1"], household=p.household, months=12,
                               on=datetime.date.fromisoformat(single["request"]["on"]))
    first = price["members"][0]
    assert first["support_pct"] == single["request"]["support_pct"]
    assert first["state_support"] == single["expect"]["state_support"]
    assert first["payable"] == single["expect"]["payable"]


def test_an_invalid_period_is_refused_with_the_rules_code(small_province):
    with pytest.raises(PricingError) as err:
        hi_household_quote(user=small_province.users["thu_1"], household=small_province.household, months=4,
                           on=JULY_2024)
    assert err.value.code == "invalid_months"


def test_the_quote_is_frozen_on_the_participation(small_province):
    p = small_province
    participation = hi_enroll(user=p.users["thu_1"], household=p.household, months=12, on=JULY_2024)
    assert participation.status == Status.QUOTED
    assert participation.total == sum(vector("hi-2024-5")["expect"]["per_member"][:3])
    assert participation.quote["total"] == participation.total
    assert participation.quote["breakdown"][0]["parameters"]
    assert participation.agent == p.agent
    assert [m.rank for m in participation.members.order_by("rank")] == [1, 2, 3]


def test_paying_gives_every_member_a_card_30_days_after_payment_for_12_months(small_province):
    p = small_province
    participation = hi_enroll(user=p.users["thu_1"], household=p.household, months=12, on=JULY_2024)
    payment_record(user=p.users["thu_1"], participation=participation, amount=participation.payable,
                   method="cash", paid_on=JULY_2024, idempotency_key="k1")
    line = participation.members.get(rank=1)
    assert line.valid_from == datetime.date(2024, 7, 31)
    assert line.valid_to == datetime.date(2025, 7, 30)
    assert line.validity_rule


def test_a_card_that_starts_on_31_december_ends_on_30_june_by_the_civil_code_month_end_rule(small_province):
    p = small_province
    paid_on = datetime.date(2025, 12, 1)
    participation = hi_enroll(user=p.users["thu_1"], household=p.household, months=6, on=paid_on)
    payment_record(user=p.users["thu_1"], participation=participation, amount=participation.payable,
                   method="cash", paid_on=paid_on, idempotency_key="k-month-end")
    line = participation.members.get(rank=1)
    assert (line.valid_from, line.valid_to) == (datetime.date(2025, 12, 31), datetime.date(2026, 6, 30))
    assert line.validity_rule.endswith("Có giá trị từ 31/12/2025 đến 30/06/2026.")


def test_a_household_already_covered_cannot_be_enrolled_again_for_the_same_period(small_province):
    p = small_province
    participation = hi_enroll(user=p.users["thu_1"], household=p.household, months=12, on=JULY_2024)
    payment_record(user=p.users["thu_1"], participation=participation, amount=participation.payable,
                   method="cash", paid_on=JULY_2024, idempotency_key="k1")
    with pytest.raises(AlreadyCovered) as err:
        hi_enroll(user=p.users["thu_1"], household=p.household, months=12, on=datetime.date(2024, 9, 1))
    assert "Nguyễn Văn An đã có thẻ BHYT còn hạn đến 30/07/2025." == err.value.message


def test_vsi_for_a_member_uses_the_support_group_of_the_household(small_province):
    p = small_province
    head = p.household.members.get(relationship="head").person
    floor = vector("vsi-2024-floor-other")
    on = datetime.date.fromisoformat(floor["request"]["on"])
    participation = vsi_enroll(user=p.users["thu_1"], person=head, income=floor["request"]["income"], months=1,
                               payment_mode="monthly", on=on)
    assert participation.support_group == "other"
    assert participation.gross == floor["expect"]["gross"]
    assert participation.state_support == floor["expect"]["state_support"]
    assert participation.payable == floor["expect"]["payable"]
    assert participation.from_month == on.replace(day=1)


def test_vsi_refuses_an_income_below_the_floor(small_province):
    p = small_province
    head = p.household.members.get(relationship="head").person
    with pytest.raises(PricingError) as err:
        vsi_enroll(user=p.users["thu_1"], person=head, income=1_000_000, months=1, payment_mode="monthly",
                   on=JULY_2024)
    assert err.value.code == "income_below_floor"


def test_no_one_enrols_a_household_outside_their_scope_or_without_the_permission(small_province):
    p = small_province
    with pytest.raises(OutOfScope):
        hi_enroll(user=p.users["thu_1"], household=p.other_household, months=12, on=JULY_2024)
    with pytest.raises(PermissionDenied):
        hi_enroll(user=p.users["hoi_tinh"], household=p.household, months=12, on=JULY_2024)


def test_a_child_or_a_pensioner_cannot_join_vsi(small_province):
    from ansinh.enrollment.errors import NotEligible
    from ansinh.testing.province import make_person

    p = small_province
    child = make_person(name="Nguyễn Bé Ba", born=datetime.date(2020, 5, 20), sex="female", commune=p.commune,
                        cid="093320000010")
    p.household.members.create(person=child, relationship="child")
    with pytest.raises(NotEligible) as err:
        vsi_enroll(user=p.users["thu_1"], person=child, income=1_500_000, months=1, payment_mode="monthly",
                   on=JULY_2024)
    assert err.value.message == "Nguyễn Bé Ba chưa đủ 15 tuổi nên chưa được tham gia BHXH tự nguyện."
    head = p.household.members.get(relationship="head").person
    head.other_coverage = OtherCoverage.PENSIONER
    head.save()
    with pytest.raises(NotEligible):
        vsi_enroll(user=p.users["thu_1"], person=head, income=1_500_000, months=1, payment_mode="monthly",
                   on=JULY_2024)


def test_backpay_is_priced_for_someone_past_retirement_age_and_refused_before_it(small_province):
    from ansinh.enrollment.services import vsi_quote
    from ansinh.testing.province import make_person

    p = small_province
    backpay = vector("vsi-backpay-12m")["request"]
    on = datetime.date.fromisoformat(backpay["on"])
    elder = make_person(name="Trần Văn Lão", born=datetime.date(1955, 1, 10), sex="male", commune=p.commune,
                        cid="093055000011")
    p.household.members.create(person=elder, relationship="parent")
    result = vsi_quote(user=p.users["thu_1"], person=elder, income=backpay["income"], months=backpay["months"],
                       payment_mode="backpay", on=on, support_group="none")
    assert result["amount_due"] == vector("vsi-backpay-12m")["expect"]["amount_due"]
    head = p.household.members.get(relationship="head").person  # born 1970: not yet retired in 2026
    with pytest.raises(PricingError) as err:
        vsi_quote(user=p.users["thu_1"], person=head, income=backpay["income"], months=backpay["months"],
                  payment_mode="backpay", on=on, support_group="none")
    assert err.value.code == "backpay_not_eligible"


def test_the_payment_lines_read_by_hand_written_sql_match_the_orm_and_carry_the_last_card_end(small_province):
    """hi_lines_for_payment and participation_lock (hand-written SQL, every payment) give what the ORM
    gives: lines in rank order with person, household relationship and the end of the latest paid card."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from ansinh.enrollment.services import hi_lines_for_payment, participation_lock

    p = small_province
    first = hi_enroll(user=p.users["thu_1"], household=p.household, months=12, on=JULY_2024)
    payment_record(user=p.users["thu_1"], participation=first, amount=first.payable, method="cash",
                   paid_on=JULY_2024, idempotency_key="k1")
    renewal = hi_enroll(user=p.users["thu_1"], household=p.household, months=6, on=datetime.date(2025, 7, 1))
    with transaction.atomic():
        locked = participation_lock(participation=renewal)
    assert (locked.pk, locked.status, locked.payable, locked.months, locked.priced_on) == (
        renewal.pk, Status.QUOTED, renewal.payable, 6, datetime.date(2025, 7, 1))
    assert locked.household.code == p.household.code and locked.quote == renewal.quote  # the quote loads on use
    lines = hi_lines_for_payment(participation=renewal)
    orm = list(renewal.members.select_related("person").order_by("rank"))
    assert [(line.pk, line.rank, line.payable, line.person.full_name) for line in lines] == [
        (line.pk, line.rank, line.payable, line.person.full_name) for line in orm]
    assert {line.previous_end for line in lines} == {datetime.date(2025, 7, 30)}
    with CaptureQueriesContext(connection) as queries:
        assert lines[0].person.household_membership.relationship == "head"
    assert len(queries) == 0
