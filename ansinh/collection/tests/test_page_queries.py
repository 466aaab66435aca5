"""Speed (issue 16): the receipts list and the reconciliation read a fixed number of queries whatever the
number of receipts and agents, and the receipts list shows the right rows on each page."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ansinh.collection.models import Agent, Payment, Receipt
from ansinh.collection.selectors_receipts import RECEIPTS_PER_PAGE
from ansinh.reports.tests.paid import paid_once_per_module
from ansinh.testing.province import PASSWORD


@pytest.fixture(scope="module")
def _paid_module(django_db_setup, django_db_blocker):
    yield from paid_once_per_module(django_db_blocker)


@pytest.fixture
def paid(_paid_module, db):
    return _paid_module


def _copies(paid, n: int) -> list[str]:
    """``n`` more receipts like the HI one (each for a copy of its payment), issued on successive days after
    every receipt of the fixture; their numbers, newest first."""
    src = paid.hi_receipt
    payment = src.payment
    payments = Payment.objects.bulk_create([Payment(
        idempotency_key=f"speed-copy-{i}", hi_id=payment.hi_id, amount=payment.amount, method=payment.method,
        paid_on=payment.paid_on, agent_id=payment.agent_id, recorded_by_id=payment.recorded_by_id,
    ) for i in range(n)])
    Receipt.objects.bulk_create([Receipt(
        payment=p, org_id=src.org_id, year=src.year, series=src.series, serial=9000 + i, number=f"COPY-{i:04d}",
        payer_name=src.payer_name, items=src.items, amount=src.amount, amount_in_words=src.amount_in_words,
        issued_on=datetime.date(2025, 1, 1) + datetime.timedelta(days=i), agent_id=src.agent_id,
    ) for i, p in enumerate(payments)])
    return [f"COPY-{i:04d}" for i in reversed(range(n))]


def _post(client, **data):
    with CaptureQueriesContext(connection) as ctx:
        response = client.post("/bien-lai/", data)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_the_receipts_page_reads_the_same_queries_for_4_or_64_receipts_and_pages_them(
        client, paid, django_assert_max_num_queries):
    client.login(username="bhxh_tinh", password=PASSWORD)
    few, body = _post(client)
    assert "Trang 1 / 1" in body or "Trang" not in body
    numbers = _copies(paid, 60)  # 64 receipts: pages of 25
    with django_assert_max_num_queries(few):
        _, first = _post(client)
    with django_assert_max_num_queries(few):
        _, second = _post(client, page="2")
    _, third = _post(client, page="3")
    assert "Trang 1 / 3" in first and "Trang 2 / 3" in second and "Trang 3 / 3" in third
    per_page = RECEIPTS_PER_PAGE
    assert [n for n in numbers if n in first] == numbers[:per_page]
    assert [n for n in numbers if n in second] == numbers[per_page:2 * per_page]
    assert [n for n in numbers if n in third] == numbers[2 * per_page:]
    assert first.index(numbers[0]) < first.index(numbers[1])  # newest first
    # the 4 receipts of the fixture come last, after the copies issued later
    assert "BD93-NVT001-2024-0000001" in third and "BD93-NVT001-2024-0000001" not in first


def test_the_reconciliation_reads_the_same_queries_for_2_or_12_agents(client, paid, django_assert_max_num_queries):
    client.login(username="bhxh_tinh", password=PASSWORD)
    url = "/doi-soat/?date_from=2024-05-01&date_to=2024-12-31"
    with CaptureQueriesContext(connection) as ctx:
        body = client.get(url).content.decode()
    few = len(ctx.captured_queries)
    assert "NVT001" in body
    agent = paid.p.agent
    for n in range(10):
        Agent.objects.create(org=agent.org, code=f"NVT9{n:02d}", full_name=f"Nhân viên thử {n}", area=agent.area)
    _copies(paid, 5)
    with django_assert_max_num_queries(few):
        response = client.get(url)
    assert response.status_code == 200 and "NVT001" in response.content.decode()
