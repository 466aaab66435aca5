"""Two SI officers approving the same cancellation request at the same moment: one approval, one clear
AlreadyDecided, one reversal, the receipt marked once. Two requests for one payment at once: one request.
Runs on PostgreSQL, where requests really run in parallel; SQLite serialises writers."""

import datetime
import threading

import pytest
from django.db import connection, connections

from ansinh.collection.errors_cancellation import AlreadyDecided, NotCancellable
from ansinh.collection.models import CancellationStatus, Payment, PaymentCancellation, Receipt
from ansinh.collection.services import payment_record
from ansinh.collection.services_cancellation import cancellation_approve, cancellation_request
from ansinh.enrollment.models import HiParticipation, Status

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="parallel writes need PostgreSQL")


@pytest.fixture
def province(transactional_db):
    from ansinh.testing.province import small_province_build

    return small_province_build()


def _paid(p) -> Payment:
    from ansinh.enrollment.services import hi_enroll

    on = datetime.date(2024, 7, 1)
    quoted = hi_enroll(user=p.users["thu_1"], household=p.household, months=12, on=on)
    payment, _, _ = payment_record(user=p.users["thu_1"], participation=quoted, amount=quoted.payable,
                                   method="cash", paid_on=on, idempotency_key="key-1")
    return payment


def _at_once(fns):
    barrier = threading.Barrier(len(fns))
    results, errors = [], []

    def worker(fn):
        try:
            barrier.wait()
            results.append(fn())
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(fn,)) for fn in fns]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


def test_two_officers_approving_one_request_at_once_give_one_approval_and_one_clear_error(province):
    p = province
    payment = _paid(p)
    request = cancellation_request(user=p.users["thu_1"], payment=payment, reason="wrong_household", note="")

    def approve(username):
        return lambda: cancellation_approve(user=p.users[username],
                                            request=PaymentCancellation.objects.get(pk=request.pk))

    results, errors = _at_once([approve("bhxh_tinh"), approve("bhxh_huyen")])
    assert len(results) == 1 and results[0].status == CancellationStatus.APPROVED
    assert [type(e) for e in errors] == [AlreadyDecided]
    assert errors[0].message == "Yêu cầu hủy này đã được xử lý trước đó (đã duyệt hủy)."
    assert Payment.objects.filter(reverses=payment).count() == 1
    request.refresh_from_db()
    assert request.decided_by == results[0].decided_by and request.reversal.reverses_id == payment.pk
    receipt = Receipt.objects.get(payment=payment)
    assert receipt.cancelled_by == results[0].decided_by
    assert HiParticipation.objects.get(pk=payment.hi_id).status == Status.CANCELLED


def test_two_requests_for_one_payment_at_once_record_one(province):
    p = province
    payment = _paid(p)

    def ask(username):
        return lambda: cancellation_request(user=p.users[username], payment=payment, reason="duplicate_cash",
                                            note="")

    results, errors = _at_once([ask("thu_1"), ask("bhxh_huyen")])
    assert len(results) == 1 and [type(e) for e in errors] == [NotCancellable]
    assert errors[0].message == "Khoản thu này đã có yêu cầu hủy đang chờ duyệt."
    assert PaymentCancellation.objects.count() == 1
