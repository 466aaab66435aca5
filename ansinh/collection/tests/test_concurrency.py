"""50 parallel submissions of one payment (same idempotency key) record exactly one payment and one
receipt. Runs on PostgreSQL, where requests really run in parallel; SQLite serialises writers."""

import datetime
import threading

import pytest
from django.db import connection, connections

from ansinh.collection.errors import CANCELLED_QUOTE_MESSAGE, AlreadyPaid
from ansinh.collection.models import Payment, Receipt
from ansinh.collection.services import payment_record
from ansinh.enrollment.models import HiParticipation, Status

PARALLEL = 50

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="parallel writes need PostgreSQL")


@pytest.fixture
def province(transactional_db):
    from ansinh.testing.province import small_province_build

    return small_province_build()


def _quoted_participation(p) -> HiParticipation:
    """A real saved quote of the household (its member lines priced by the rules) on 01/07/2024."""
    from ansinh.enrollment.services import hi_enroll

    return hi_enroll(user=p.users["thu_1"], household=p.household, months=12, on=datetime.date(2024, 7, 1))


def _submit_in_parallel(fn, n):
    barrier = threading.Barrier(n)
    results, errors = [], []

    def worker():
        try:
            barrier.wait()
            results.append(fn())
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


def test_fifty_parallel_submits_with_one_key_record_one_payment_and_one_receipt(province):
    participation = _quoted_participation(province)
    agent_user = province.users["thu_1"]

    def submit():
        return payment_record(user=agent_user, participation=HiParticipation.objects.get(pk=participation.pk),
                              amount=participation.payable, method="cash", paid_on=datetime.date(2024, 7, 1),
                              idempotency_key="same-key-50")

    results, errors = _submit_in_parallel(submit, PARALLEL)
    assert errors == []
    assert len(results) == PARALLEL
    assert sum(1 for _, _, created in results if created) == 1
    assert Payment.objects.count() == 1
    assert Receipt.objects.count() == 1
    assert {receipt.pk for _, receipt, _ in results} == {Receipt.objects.get().pk}
    participation.refresh_from_db()
    assert participation.status == Status.PAID


def test_fifty_parallel_submits_with_different_keys_still_pay_once(province):
    participation = _quoted_participation(province)
    agent_user = province.users["thu_1"]
    counter = iter(range(PARALLEL))
    lock = threading.Lock()

    def submit():
        with lock:
            key = f"key-{next(counter)}"
        return payment_record(user=agent_user, participation=HiParticipation.objects.get(pk=participation.pk),
                              amount=participation.payable, method="cash", paid_on=datetime.date(2024, 7, 1),
                              idempotency_key=key)

    results, errors = _submit_in_parallel(submit, PARALLEL)
    assert len(results) == 1
    assert len(errors) == PARALLEL - 1
    assert {type(e).__name__ for e in errors} == {"AlreadyPaid"}
    assert Payment.objects.count() == 1 and Receipt.objects.count() == 1


def test_ten_quotes_of_one_household_paid_at_once_cover_it_once(province):
    from ansinh.enrollment.errors import AlreadyCovered
    from ansinh.enrollment.services import hi_enroll

    agent_user = province.users["thu_1"]
    on = datetime.date(2024, 7, 1)
    quotes = [hi_enroll(user=agent_user, household=province.household, months=12, on=on) for _ in range(10)]
    pending = iter(quotes)
    lock = threading.Lock()

    def submit():
        with lock:
            quote = next(pending)
        return payment_record(user=agent_user, participation=HiParticipation.objects.get(pk=quote.pk),
                              amount=quote.payable, method="cash", paid_on=on, idempotency_key=f"quote-{quote.pk}")

    results, errors = _submit_in_parallel(submit, len(quotes))
    assert len(results) == 1 and results[0][2] is True
    # the first payment cancels the household's other waiting quotes; each of the others then finds its
    # quote cancelled (or, had it read before, the household covered)
    assert len(errors) == 9 and all(isinstance(e, (AlreadyPaid, AlreadyCovered)) for e in errors)
    assert {e.message for e in errors if isinstance(e, AlreadyPaid)} <= {CANCELLED_QUOTE_MESSAGE}
    assert Payment.objects.count() == 1 and Receipt.objects.count() == 1
    assert HiParticipation.objects.filter(status=Status.PAID).count() == 1
    assert HiParticipation.objects.filter(status=Status.CANCELLED).count() == 9
