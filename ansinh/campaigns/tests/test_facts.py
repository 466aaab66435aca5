"""Derived facts stay equal to a fresh computation as payments, reversals and memberships change."""

import datetime

from ansinh.campaigns.facts import facts_check, facts_rebuild, facts_refresh
from ansinh.campaigns.models import DailyTotal, MemberHome, ProgressState, SignupFact
from ansinh.registry.models import MemberRole, Membership

from .factories import reverse, vsi_paid


def test_refresh_builds_then_follows_new_payments_and_reversals(data, small_province):
    assert facts_refresh() is True
    assert facts_refresh() is False  # nothing new: no work
    assert SignupFact.objects.count() == 3 + 3  # VSI: head, wife, other head; HI: the household's three
    son = small_province.household.members.get(relationship="child").person
    _, payment = vsi_paid(small_province.users["thu_1"], son, datetime.date(2024, 8, 1))
    assert facts_refresh() is True
    assert SignupFact.objects.filter(person=son, program="vsi").get().first_paid_on == datetime.date(2024, 8, 1)
    reverse(small_province.users["thu_1"], payment, datetime.date(2024, 8, 2))
    facts_refresh()
    assert not SignupFact.objects.filter(person=son, program="vsi").exists()
    assert facts_check() == []
    assert ProgressState.objects.get().payment_id == payment.reversed_by.pk


def test_membership_changes_rebuild_member_homes(data, small_province):
    facts_refresh()
    son = small_province.household.members.get(relationship="child").person
    assert not MemberHome.objects.filter(person=son).exists()
    Membership.objects.create(person=son, unit=small_province.branch, role=MemberRole.MEMBER)
    assert facts_refresh() is True
    assert MemberHome.objects.get(person=son).unit == small_province.branch
    assert facts_check() == []


def test_rebuild_equals_incremental(data):
    facts_refresh()
    before = sorted(DailyTotal.objects.values_list("indicator", "day", "commune_id", "agent_id", "value"), key=repr)
    counts = facts_rebuild()
    after = sorted(DailyTotal.objects.values_list("indicator", "day", "commune_id", "agent_id", "value"), key=repr)
    assert before == after and counts["signups"] == 6
