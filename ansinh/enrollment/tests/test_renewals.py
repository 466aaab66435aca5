"""Renewal and lapse lists as of a date: HI cards expiring, VSI periods ending, lapses; a renewal paid
without a break takes people off the list; filters and scope; the agent's short list."""

import datetime

import pytest

from ansinh.collection.services import payment_record
from ansinh.core.errors import PermissionDenied
from ansinh.areas.selectors import record_communes_of
from ansinh.enrollment.renewals import (
    hi_cards_expiring, hi_cards_lapsed, renewal_list, renewals_for_agent, vsi_lapsed,
    vsi_period_end, vsi_periods_ending,
)
from ansinh.enrollment.services import hi_enroll
from ansinh.reports.tests.paid import paid_once_per_module

DAY = datetime.timedelta(days=1)


@pytest.fixture(scope="module")
def _paid_module(django_db_setup, django_db_blocker):
    yield from paid_once_per_module(django_db_blocker)


@pytest.fixture
def paid(_paid_module, db):
    return _paid_module


def _card_end(paid):
    ends = set(paid.hi.members.values_list("valid_to", flat=True))
    assert len(ends) == 1
    return ends.pop()


def test_vsi_period_end_is_the_last_day_of_the_last_month():
    assert vsi_period_end(from_month=datetime.date(2024, 12, 1), months=12) == datetime.date(2025, 11, 30)
    assert vsi_period_end(from_month=datetime.date(2024, 10, 1), months=1) == datetime.date(2024, 10, 31)
    assert vsi_period_end(from_month=datetime.date(2024, 1, 1), months=2) == datetime.date(2024, 2, 29)


def test_hi_cards_expiring_within_the_window_as_of_a_date(paid):
    user = paid.p.users["bhxh_tinh"]
    end = _card_end(paid)
    rows = hi_cards_expiring(user=user, on=end - 10 * DAY, days=30)
    assert [r["full_name"] for r in rows] == list(
        paid.hi.members.order_by("rank").values_list("person__full_name", flat=True))
    assert {r["ends_on"] for r in rows} == {end}
    assert {r["days_left"] for r in rows} == {10}
    assert {r["household_code"] for r in rows} == {"HG-0001"}
    assert rows[0]["head_name"] == "Nguyễn Văn An"
    assert hi_cards_expiring(user=user, on=end - 10 * DAY, days=9) == []
    assert len(hi_cards_expiring(user=user, on=end - 10 * DAY, days=10)) == 5  # the last day counts
    assert len(hi_cards_expiring(user=user, on=end, days=0)) == 5
    assert hi_cards_expiring(user=user, on=end + DAY, days=30) == []


def test_hi_cards_lapsed_after_the_end_date(paid):
    user = paid.p.users["bhxh_tinh"]
    end = _card_end(paid)
    assert hi_cards_lapsed(user=user, on=end) == []
    rows = hi_cards_lapsed(user=user, on=end + 15 * DAY)
    assert len(rows) == 5 and {r["days_left"] for r in rows} == {-15}
    assert hi_cards_lapsed(user=user, on=end + 15 * DAY, within_days=14) == []
    assert len(hi_cards_lapsed(user=user, on=end + 15 * DAY, within_days=15)) == 5


def test_a_renewal_paid_without_a_break_takes_the_household_off_both_lists(paid):
    end = _card_end(paid)
    on = end - 20 * DAY
    thu_1 = paid.p.users["thu_1"]
    renewal = hi_enroll(user=thu_1, household=paid.p.household, months=3, on=on)
    payment_record(user=thu_1, participation=renewal, amount=renewal.payable, method="cash", paid_on=on,
                   idempotency_key="renew-hg-0001")
    renewal.refresh_from_db()
    new_end = set(renewal.members.values_list("valid_to", flat=True)).pop()
    assert new_end > end
    user = paid.p.users["bhxh_tinh"]
    assert hi_cards_expiring(user=user, on=on, days=30) == []
    assert hi_cards_lapsed(user=user, on=end + 15 * DAY) == []
    assert {r["ends_on"] for r in hi_cards_expiring(user=user, on=new_end - 5 * DAY, days=30)} == {new_end}


def test_vsi_periods_ending_and_lapsed(paid):
    user = paid.p.users["bhxh_tinh"]
    rows = vsi_periods_ending(user=user, on=datetime.date(2025, 11, 1), days=30)
    assert [(r["full_name"], r["ends_on"], r["days_left"]) for r in rows] == [
        ("Nguyễn Văn An", datetime.date(2025, 11, 30), 29)]
    assert rows[0]["amount"] == paid.vsi_head.payable and rows[0]["months"] == 12
    assert vsi_periods_ending(user=user, on=datetime.date(2025, 11, 1), days=28) == []
    # The other household's head paid October 2024 only: lapsed from 1 November 2024.
    assert vsi_lapsed(user=user, on=datetime.date(2024, 10, 31)) == []
    lapsed = vsi_lapsed(user=user, on=datetime.date(2024, 11, 10))
    assert [(r["full_name"], r["ends_on"], r["days_left"]) for r in lapsed] == [
        ("Phạm Văn Dũng", datetime.date(2024, 10, 31), -10)]
    # The son's payment was reversed: his period is not paid, so he is on no list.
    names = {r["full_name"] for r in vsi_lapsed(user=user, on=datetime.date(2026, 1, 1))}
    assert names == {"Phạm Văn Dũng", "Nguyễn Văn An"}
    assert [r["full_name"] for r in vsi_lapsed(user=user, on=datetime.date(2026, 1, 1), within_days=60)] == [
        "Nguyễn Văn An"]


def test_lists_follow_scope_and_filters(paid):
    end = _card_end(paid)
    on = end - 10 * DAY
    assert hi_cards_expiring(user=paid.p.users["thu_2"], on=on) == []
    assert len(hi_cards_expiring(user=paid.p.users["thu_1"], on=on)) == 5
    assert len(hi_cards_expiring(user=paid.p.users["chi_hoi"], on=on)) == 5  # association roles may see them
    officer = paid.p.users["bhxh_tinh"]
    assert hi_cards_expiring(user=officer, on=on, area=paid.p.other_district) == []
    assert len(hi_cards_expiring(user=officer, on=on, area=paid.p.district)) == 5
    assert hi_cards_expiring(user=officer, on=on, agent=paid.p.other_agent) == []
    # The branch holds the head and his wife only.
    assert {r["full_name"] for r in hi_cards_expiring(user=officer, on=on, unit=paid.p.branch)} == {
        "Nguyễn Văn An", "Trần Thị Bình"}
    lapsed_other = renewal_list(user=officer, which="vsi_lapsed", on=datetime.date(2024, 11, 10), days=0,
                                agent=paid.p.other_agent)
    assert [r["full_name"] for r in lapsed_other] == ["Phạm Văn Dũng"]


def test_the_agent_home_page_short_list(paid):
    end = _card_end(paid)
    items = renewals_for_agent(user=paid.p.users["thu_1"], on=end - 10 * DAY, days=30)
    assert items == [{
        "kind": "hi", "kind_label": "BHYT hộ gia đình", "name": "Nguyễn Văn An",
        "household_id": paid.p.household.pk, "household_code": "HG-0001", "people": 5, "ends_on": end,
        "days_left": 10,
    }]
    assert renewals_for_agent(user=paid.p.users["thu_2"], on=end - 10 * DAY, days=30) == []
    vsi = renewals_for_agent(user=paid.p.users["thu_1"], on=datetime.date(2025, 11, 20), days=30, limit=1)
    assert [(i["kind"], i["name"], i["ends_on"]) for i in vsi] == [
        ("vsi", "Nguyễn Văn An", datetime.date(2025, 11, 30))]


def test_a_user_without_role_is_refused(paid):
    from django.contrib.auth.models import User

    plain = User.objects.create_user(username="khach", password="x-very-long-1")
    with pytest.raises(PermissionDenied):
        hi_cards_expiring(user=plain, on=datetime.date(2025, 1, 1))


def test_an_old_unit_and_its_new_successor_cover_the_same_records(paid):
    from ansinh.areas.selectors import new_unit_of

    commune = paid.p.commune
    new = new_unit_of(old_commune=commune)
    assert commune in record_communes_of(unit=new)
    assert new in record_communes_of(unit=commune)
    assert commune in record_communes_of(unit=paid.p.province)
