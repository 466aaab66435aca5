"""The organisation as it was on a date: Bưu điện tỉnh Hậu Giang until 30/06/2025, then its successor
(Bưu điện thành phố Cần Thơ) — on selectors, and on the receipts an agent of the closed organisation issues."""

import datetime

import pytest

from ansinh.areas.models import AdministrativeUnit, Level, MapVersion
from ansinh.collection.models import CollectionOrg, ReceiptCounter
from ansinh.collection.selectors import org_on
from ansinh.collection.services import payment_record
from ansinh.enrollment.services import hi_enroll

CLOSED_ON = datetime.date(2025, 6, 30)
MAP_CHANGE = datetime.date(2025, 7, 1)


@pytest.fixture
def merged(small_province):
    """The province's post office closed on 30/06/2025 with the city's post office as its successor."""
    new_province = AdministrativeUnit.objects.get(map=MapVersion.NEW, level=Level.PROVINCE, code="92")
    successor = CollectionOrg.objects.create(code="BD92", name="Bưu điện thành phố Cần Thơ", province=new_province,
                                             valid_from=MAP_CHANGE)
    org = small_province.org
    org.closed_on, org.successor = CLOSED_ON, successor
    org.save()
    return small_province, org, successor, new_province


def test_an_org_names_itself_until_it_closes_then_its_successor(merged):
    p, old, new, _ = merged
    assert org_on(province_or_org=old, on=datetime.date(2024, 5, 20)) == old
    assert org_on(province_or_org=old, on=CLOSED_ON) == old
    assert org_on(province_or_org=old, on=MAP_CHANGE) == new
    assert org_on(province_or_org=new, on=datetime.date(2026, 12, 3)) == new


def test_a_province_or_none_names_the_org_in_force_that_day(merged):
    p, old, new, new_province = merged
    assert org_on(province_or_org=None, on=datetime.date(2024, 5, 20)).name == "Bưu điện tỉnh Hậu Giang"
    assert org_on(province_or_org=None, on=datetime.date(2025, 8, 1)).name == "Bưu điện thành phố Cần Thơ"
    # the new-map province before the merger: the organisation its own one succeeded
    assert org_on(province_or_org=new_province, on=datetime.date(2025, 4, 10)) == old
    assert org_on(province_or_org=new_province, on=datetime.date(2026, 3, 26)) == new
    # the old province after the merger: its organisation's successor
    assert org_on(province_or_org=p.province, on=datetime.date(2026, 3, 26)) == new
    assert org_on(province_or_org=p.province, on=datetime.date(2024, 5, 20)) == old


def test_no_org_gives_none(db):
    assert org_on(province_or_org=None, on=datetime.date(2024, 5, 20)) is None


def _pay(p, on: datetime.date, key: str):
    quoted = hi_enroll(user=p.users["thu_1"], household=p.household, months=12, on=on)
    return payment_record(user=p.users["thu_1"], participation=quoted, amount=quoted.payable, method="cash",
                          paid_on=on, idempotency_key=key)


def test_an_agent_of_the_closed_org_issues_receipts_in_the_successors_name_after_it_closed(merged):
    p, old, new, _ = merged
    assert p.agent.org == old  # the agent carries on; only the name on the receipt changes
    _, receipt, _ = _pay(p, datetime.date(2025, 8, 4), "after")
    assert (receipt.org, receipt.number) == (new, "BD92-NVT001-2025-0000001")
    assert ReceiptCounter.objects.get(org=new, year=2025, series="NVT001").last_serial == 1
    assert not ReceiptCounter.objects.filter(org=old).exists()


def test_an_agent_of_the_closed_org_issued_in_its_name_on_its_last_day(merged):
    p, old, new, _ = merged
    _, receipt, _ = _pay(p, CLOSED_ON, "last-day")
    assert (receipt.org, receipt.number) == (old, "BD93-NVT001-2025-0000001")


def test_an_open_org_costs_the_payment_no_query_for_its_name(small_province, django_assert_max_num_queries):
    from ansinh.accounts.services import role_of
    from ansinh.collection.services import _org_for

    user_role = role_of(small_province.users["thu_1"])
    assert user_role.agent.org.closed_on is None  # loaded with the role, as the login backend does
    with django_assert_max_num_queries(0):
        assert _org_for(user_role, on=datetime.date(2025, 8, 4)) == small_province.org
