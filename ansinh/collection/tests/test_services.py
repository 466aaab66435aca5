"""A payment must equal what is due, is recorded once per key, issues one numbered receipt, and is
corrected only by a new record."""

import datetime

import pytest

from ansinh.collection.errors import AlreadyPaid, AmountMismatch, IdempotencyConflict, InvalidAmount, NotReversible
from ansinh.collection.models import Payment, Receipt, ReceiptCounter
from ansinh.collection.services import payment_record, payment_reverse
from ansinh.core.errors import OutOfScope
from ansinh.enrollment.models import Status
from ansinh.enrollment.services import hi_enroll
from ansinh.testing.vectors import vector

JULY_2024 = datetime.date(2024, 7, 1)


@pytest.fixture
def quoted(small_province):
    return hi_enroll(user=small_province.users["thu_1"], household=small_province.household, months=12,
                     on=JULY_2024)


def _pay(p, participation, *, amount=None, key="key-1", user="thu_1"):
    return payment_record(user=p.users[user], participation=participation,
                          amount=participation.payable if amount is None else amount, method="cash",
                          paid_on=JULY_2024, idempotency_key=key)


def test_a_payment_issues_a_receipt_with_the_amount_in_words(small_province, quoted):
    payment, receipt, created = _pay(small_province, quoted)
    assert created
    assert payment.amount == receipt.amount == quoted.payable
    assert receipt.number == "BD93-NVT001-2024-0000001"  # the first of agent NVT001's series
    assert receipt.payer_name == "Nguyễn Văn An"
    assert [item["amount"] for item in receipt.items] == vector("hi-2024-5")["expect"]["per_member"][:3]
    assert receipt.amount_in_words == "Hai triệu chín trăm lẻ sáu nghìn hai trăm tám mươi đồng"
    quoted.refresh_from_db()
    assert quoted.status == Status.PAID


def test_the_same_submission_twice_records_once(small_province, quoted):
    first = _pay(small_province, quoted)
    second = _pay(small_province, quoted)
    assert second[2] is False
    assert (second[0].pk, second[1].pk) == (first[0].pk, first[1].pk)
    assert Payment.objects.count() == 1 and Receipt.objects.count() == 1


def test_a_second_payment_with_another_key_is_refused(small_province, quoted):
    _pay(small_province, quoted)
    with pytest.raises(AlreadyPaid):
        _pay(small_province, quoted, key="key-2")


def test_an_amount_other_than_the_due_amount_is_refused_and_shows_what_is_due(small_province, quoted):
    with pytest.raises(AmountMismatch) as err:
        _pay(small_province, quoted, amount=quoted.payable - 1000)
    assert err.value.details["due"] == quoted.payable
    assert err.value.message == "Số tiền nộp 2.905.280 đ không khớp với số phải đóng 2.906.280 đ."
    assert Payment.objects.count() == 0 and Receipt.objects.count() == 0


@pytest.mark.parametrize("bad", [0, -5000, None, "2906280", 2906280.0, True])
def test_a_missing_zero_negative_or_non_integer_amount_is_refused(small_province, quoted, bad):
    with pytest.raises(InvalidAmount):
        payment_record(user=small_province.users["thu_1"], participation=quoted, amount=bad, method="cash",
                       paid_on=JULY_2024, idempotency_key="k")
    assert Payment.objects.count() == 0


def test_a_key_used_for_another_participation_is_a_conflict(small_province, quoted):
    p = small_province
    _pay(p, quoted)
    other = hi_enroll(user=p.users["thu_2"], household=p.other_household, months=3, on=JULY_2024)
    with pytest.raises(IdempotencyConflict):
        _pay(p, other, key="key-1", user="thu_2")


def test_an_agent_cannot_take_money_for_a_household_outside_their_scope(small_province):
    p = small_province
    other = hi_enroll(user=p.users["thu_2"], household=p.other_household, months=3, on=JULY_2024)
    with pytest.raises(OutOfScope):
        _pay(p, other, user="thu_1")


def test_receipt_numbers_follow_each_other_in_each_series_of_the_organisation_and_year(small_province, quoted):
    """Each agent issues from their own series (their receipt book), an officer from the organisation's:
    the numbers stay unique per organisation and year, and two agents never wait for one counter."""
    p = small_province
    _pay(p, quoted)
    other = hi_enroll(user=p.users["thu_2"], household=p.other_household, months=3, on=JULY_2024)
    _, receipt, _ = _pay(p, other, key="key-2", user="thu_2")
    assert receipt.number == "BD93-NVT002-2024-0000001"
    again = hi_enroll(user=p.users["thu_2"], household=p.other_household, months=3, on=datetime.date(2024, 10, 1))
    _, receipt, _ = payment_record(user=p.users["thu_2"], participation=again, amount=again.payable, method="cash",
                                   paid_on=datetime.date(2024, 10, 1), idempotency_key="key-3")
    assert receipt.number == "BD93-NVT002-2024-0000002" and receipt.series == "NVT002" and receipt.serial == 2
    by_officer = hi_enroll(user=p.users["bhxh_tinh"], household=p.household, months=3, on=datetime.date(2025, 7, 1))
    _, receipt, _ = payment_record(user=p.users["bhxh_tinh"], participation=by_officer, amount=by_officer.payable,
                                   method="cash", paid_on=datetime.date(2025, 7, 1), idempotency_key="key-4")
    assert receipt.number == "BD93-2025-0000001" and receipt.series == ""
    assert receipt.agent is None and receipt.payment.agent is None  # the officer took the money, not the agent
    assert {(c.year, c.series, c.last_serial) for c in ReceiptCounter.objects.filter(org=p.org)} == {
        (2024, "NVT001", 1), (2024, "NVT002", 2), (2025, "", 1)}
    assert len(set(Receipt.objects.values_list("number", flat=True))) == Receipt.objects.count() == 4


def test_a_reversal_is_a_new_negative_record_pointing_to_the_payment(small_province, quoted):
    p = small_province
    payment, _, _ = _pay(p, quoted)
    reversal = payment_reverse(user=p.users["thu_1"], payment=payment, reason="Thu nhầm hộ", on=JULY_2024)
    assert reversal.amount == -payment.amount and reversal.reverses == payment
    payment.refresh_from_db()
    assert payment.amount == quoted.payable  # the original is never changed
    quoted.refresh_from_db()
    assert quoted.status == Status.CANCELLED
    with pytest.raises(NotReversible):
        payment_reverse(user=p.users["thu_1"], payment=payment, reason="lần nữa", on=JULY_2024)
    with pytest.raises(NotReversible):
        payment_reverse(user=p.users["thu_1"], payment=reversal, reason="đảo", on=JULY_2024)


def test_a_payment_key_that_looks_like_a_reversal_key_is_refused(small_province):
    from ansinh.collection.services import hi_enroll_and_pay

    p = small_province
    with pytest.raises(IdempotencyConflict):
        hi_enroll_and_pay(user=p.users["thu_1"], household=p.household, months=12, amount=1, method="cash",
                          paid_on=JULY_2024, idempotency_key="reverse-1")
    assert Payment.objects.count() == 0


def test_the_rows_written_by_hand_written_sql_read_back_through_the_orm_as_written(small_province, quoted):
    """Payment and receipt are inserted by hand-written SQL (core.db.sql_insert): every field, the JSON
    items and the creation time read back through the ORM equal the objects the service returned."""
    from django.utils import timezone

    before = timezone.now()
    payment, receipt, _ = _pay(small_province, quoted)
    stored_payment = Payment.objects.get(pk=payment.pk)
    stored_receipt = Receipt.objects.get(pk=receipt.pk)
    for model, made, stored in ((Payment, payment, stored_payment), (Receipt, receipt, stored_receipt)):
        for field in model._meta.concrete_fields:
            assert getattr(made, field.attname) == getattr(stored, field.attname), field.name
    assert before <= stored_receipt.created_at <= timezone.now()
    assert stored_receipt.items[0]["label"] == "BHYT hộ gia đình 12 tháng — Nguyễn Văn An"
    assert stored_payment.hi_id == quoted.pk and stored_payment.vsi_id is None and stored_payment.reason == ""
