"""Cancelling a payment: an agent asks, an officer of the area approves or refuses; approval reverses the
payment, marks the receipt, frees the coverage, and a correct payment can follow."""

import datetime

import pytest
from django.utils import timezone

from ansinh.collection import errors_cancellation as e
from ansinh.collection.models import (CancellationStatus, CollectionPolicy, Payment, PaymentCancellation, Receipt)
from ansinh.collection.selectors import collection_book
from ansinh.collection.selectors_cancellation import payment_cancellation_states
from ansinh.collection.services import payment_record
from ansinh.collection.services_cancellation import (cancellation_approve, cancellation_refund_record,
                                                     cancellation_refuse, cancellation_request,
                                                     collection_policy_set, payments_mark_sent)
from ansinh.core.errors import OutOfScope, PermissionDenied
from ansinh.enrollment.models import HiMemberCoverage, Status
from ansinh.enrollment.selectors import hi_last_card_ends
from ansinh.enrollment.services import hi_enroll, vsi_enroll
from ansinh.reports.selectors import ListFilter, d03_rows, d05_rows

JULY_2024 = datetime.date(2024, 7, 1)


def _hi_paid(p, *, user="thu_1", key="key-1", on=JULY_2024):
    quoted = hi_enroll(user=p.users[user], household=p.household, months=12, on=on)
    payment, receipt, _ = payment_record(user=p.users[user], participation=quoted, amount=quoted.payable,
                                         method="cash", paid_on=on, idempotency_key=key)
    return quoted, payment, receipt


@pytest.fixture
def paid(small_province):
    return _hi_paid(small_province)


def _ask(p, payment, *, user="thu_1", reason="wrong_household", note="Thu nhầm sang hộ bên cạnh"):
    return cancellation_request(user=p.users[user], payment=payment, reason=reason, note=note)


def test_an_agent_asks_and_an_officer_approves_the_payment_is_reversed_and_the_receipt_marked(small_province, paid):
    p = small_province
    quoted, payment, receipt = paid
    request = _ask(p, payment)
    assert request.status == CancellationStatus.REQUESTED
    assert payment_cancellation_states([payment.pk]) == {payment.pk: "requested"}
    approved = cancellation_approve(user=p.users["bhxh_huyen"], request=request, note="Đúng, thu nhầm")
    assert approved.status == CancellationStatus.APPROVED
    assert approved.decided_by == p.users["bhxh_huyen"] and approved.decision_note == "Đúng, thu nhầm"
    reversal = approved.reversal
    assert reversal.amount == -payment.amount and reversal.reverses_id == payment.pk
    assert reversal.reason == "Thu nhầm hộ / nhầm người: Thu nhầm sang hộ bên cạnh"
    assert reversal.agent_id == p.agent.pk and reversal.paid_on == timezone.localdate()
    receipt.refresh_from_db()
    assert receipt.cancelled_by == p.users["bhxh_huyen"] and receipt.cancelled_at is not None
    assert receipt.cancel_reason == "Thu nhầm hộ / nhầm người: Thu nhầm sang hộ bên cạnh"
    quoted.refresh_from_db()
    assert quoted.status == Status.CANCELLED
    assert payment_cancellation_states([payment.pk, 999999]) == {payment.pk: "cancelled"}
    # the cards of the cancelled period are withdrawn: no member holds a paid card any more
    people = list(HiMemberCoverage.objects.filter(participation=quoted).values_list("person_id", flat=True))
    assert len(people) == 3 and hi_last_card_ends(person_ids=people) == {}
    # the collection book shows the cancellation on the day it was approved
    today = timezone.localdate()
    book = collection_book(user=p.users["thu_1"], date_from=today, date_to=today)
    assert book["totals"]["cancelled_count"] == 1 and book["totals"]["cancelled_amount"] == payment.amount


def test_after_cancellation_a_new_quote_and_payment_of_the_household_work(small_province, paid):
    p = small_province
    quoted, payment, _ = paid
    cancellation_approve(user=p.users["bhxh_huyen"], request=_ask(p, payment))
    again = hi_enroll(user=p.users["thu_1"], household=p.household, months=6, on=JULY_2024)
    new_payment, new_receipt, created = payment_record(user=p.users["thu_1"], participation=again,
                                                       amount=again.payable, method="cash", paid_on=JULY_2024,
                                                       idempotency_key="key-2")
    assert created and new_payment.amount == again.payable
    assert new_receipt.number == "BD93-NVT001-2024-0000002" and new_receipt.cancelled_at is None
    again.refresh_from_db()
    assert again.status == Status.PAID


def test_a_vsi_cancellation_frees_the_months_for_a_new_period(small_province):
    p = small_province
    head = p.household.members.get(relationship="head").person
    quoted = vsi_enroll(user=p.users["thu_1"], person=head, income=1_500_000, months=12, payment_mode="12_months",
                        on=JULY_2024)
    payment, _, _ = payment_record(user=p.users["thu_1"], participation=quoted, amount=quoted.payable,
                                   method="cash", paid_on=JULY_2024, idempotency_key="vsi-1")
    cancellation_approve(user=p.users["bhxh_tinh"], request=_ask(p, payment, reason="wrong_amount", note=""))
    again = vsi_enroll(user=p.users["thu_1"], person=head, income=2_000_000, months=12, payment_mode="12_months",
                       on=JULY_2024)
    assert again.from_month == datetime.date(2024, 7, 1)  # the cancelled months are free again
    _, _, created = payment_record(user=p.users["thu_1"], participation=again, amount=again.payable,
                                   method="cash", paid_on=JULY_2024, idempotency_key="vsi-2")
    assert created


def test_a_cancelled_payment_leaves_the_d03_and_d05_lists(small_province, paid):
    p = small_province
    _, payment, _ = paid
    head = p.household.members.get(relationship="head").person
    vsi = vsi_enroll(user=p.users["thu_1"], person=head, income=1_500_000, months=12, payment_mode="12_months",
                     on=JULY_2024)
    vsi_payment, _, _ = payment_record(user=p.users["thu_1"], participation=vsi, amount=vsi.payable, method="cash",
                                       paid_on=JULY_2024, idempotency_key="vsi-1")
    officer = p.users["bhxh_tinh"]
    filters = ListFilter(date_from=JULY_2024, date_to=JULY_2024)
    assert [r["payment_id"] for r in d03_rows(user=officer, filters=filters)] == [payment.pk] * 3
    assert len(list(d05_rows(user=officer, filters=filters))) == 1
    cancellation_approve(user=officer, request=_ask(p, payment))
    cancellation_approve(user=officer, request=_ask(p, vsi_payment, reason="duplicate_cash"))
    assert list(d03_rows(user=officer, filters=filters)) == []
    assert list(d05_rows(user=officer, filters=filters)) == []


def test_asking_twice_cancelling_twice_and_cancelling_a_reversal_are_refused(small_province, paid):
    p = small_province
    _, payment, _ = paid
    request = _ask(p, payment)
    with pytest.raises(e.NotCancellable) as err:
        _ask(p, payment)
    assert err.value.message == "Khoản thu này đã có yêu cầu hủy đang chờ duyệt."
    assert err.value.details == {"field": "payment"}
    approved = cancellation_approve(user=p.users["bhxh_huyen"], request=request)
    with pytest.raises(e.NotCancellable) as err:
        _ask(p, payment)
    assert err.value.message == "Khoản thu này đã được hủy trước đó."
    with pytest.raises(e.NotCancellable) as err:
        _ask(p, approved.reversal, user="bhxh_tinh")
    assert err.value.message == "Đây là bút toán hủy của một khoản thu khác; không hủy được."
    with pytest.raises(e.AlreadyDecided) as err:
        cancellation_approve(user=p.users["bhxh_tinh"], request=request)
    assert err.value.message == "Yêu cầu hủy này đã được xử lý trước đó (đã duyệt hủy)."
    assert Payment.objects.filter(reverses=payment).count() == 1
    assert PaymentCancellation.objects.count() == 1


def test_nobody_approves_their_own_request_and_four_eyes_bind_the_officer_who_recorded(small_province):
    p = small_province
    _, payment, _ = _hi_paid(p, user="bhxh_huyen")  # an officer took the money
    request = _ask(p, payment, user="bhxh_huyen")
    with pytest.raises(e.OwnRequest) as err:
        cancellation_approve(user=p.users["bhxh_huyen"], request=request)
    assert err.value.message == ("Bạn không thể tự duyệt yêu cầu hủy do chính mình gửi; cần một cán bộ BHXH khác "
                                 "duyệt.")
    with pytest.raises(e.OwnRequest):
        cancellation_refuse(user=p.users["bhxh_huyen"], request=request, note="không")
    cancellation_refuse(user=p.users["bhxh_tinh"], request=request, note="Chưa đủ căn cứ")
    second = _ask(p, payment, user="bhxh_tinh")  # another officer asks: the recorder may still not approve
    with pytest.raises(e.SecondOfficerNeeded) as err:
        cancellation_approve(user=p.users["bhxh_huyen"], request=second)
    assert err.value.message == ("Khoản thu này do bạn ghi nhận: theo quy định của tỉnh, việc hủy phải do một "
                                 "cán bộ BHXH khác duyệt.")
    assert Payment.objects.filter(reverses=payment).count() == 0


def test_without_four_eyes_an_officers_own_request_takes_effect_at_once(small_province):
    p = small_province
    CollectionPolicy.objects.create(province=p.province, officer_cancel_needs_second_officer=False)
    _, payment, receipt = _hi_paid(p, user="bhxh_huyen")
    request = _ask(p, payment, user="bhxh_huyen", reason="duplicate_cash", note="")
    assert request.status == CancellationStatus.APPROVED and request.decided_by == p.users["bhxh_huyen"]
    assert request.decision_note == "Cán bộ tự hủy (tỉnh không yêu cầu cán bộ thứ hai duyệt)."
    receipt.refresh_from_db()
    assert receipt.cancel_reason == "Thu trùng tiền (thu hai lần)"
    # an agent's request still waits for an officer
    p.household.refresh_from_db()


def test_the_province_administrator_sets_the_policy(small_province):
    from django.contrib.auth.models import User

    from ansinh.accounts.models import Role
    from ansinh.accounts.services import user_role_assign
    from ansinh.areas.models import AdministrativeUnit, Level, MapVersion

    p = small_province
    new_province = AdministrativeUnit.objects.get(map=MapVersion.NEW, level=Level.PROVINCE, code="92")
    admin = User.objects.create_user(username="qt")
    user_role_assign(user=admin, role=Role.PROVINCE_ADMIN, area=new_province)
    admin = User.objects.get(pk=admin.pk)
    policy = collection_policy_set(user=admin, province=new_province, officer_cancel_needs_second_officer=False,
                                   change_of_mind_days=3)
    assert (policy.officer_cancel_needs_second_officer, policy.change_of_mind_days) == (False, 3)
    with pytest.raises(OutOfScope):
        collection_policy_set(user=admin, province=p.province, officer_cancel_needs_second_officer=True,
                              change_of_mind_days=3)
    with pytest.raises(e.CancellationInvalid) as err:
        collection_policy_set(user=admin, province=new_province, officer_cancel_needs_second_officer=True,
                              change_of_mind_days=91)
    assert err.value.details == {"field": "change_of_mind_days"}
    # the old-map household's records follow the new province's policy (its commune's successor)
    _, payment, _ = _hi_paid(p, user="bhxh_huyen")
    assert _ask(p, payment, user="bhxh_huyen").status == CancellationStatus.APPROVED
    with pytest.raises(PermissionDenied):
        collection_policy_set(user=p.users["bhxh_tinh"], province=new_province,
                              officer_cancel_needs_second_officer=True, change_of_mind_days=3)


def test_an_agent_asks_only_for_their_own_payments_and_officers_only_in_their_area(small_province, paid):
    p = small_province
    _, payment, _ = paid
    with pytest.raises(e.NotOwnPayment) as err:
        _ask(p, payment, user="thu_2")
    assert err.value.message == "Nhân viên thu chỉ được yêu cầu hủy khoản thu do chính mình thu."
    with pytest.raises(PermissionDenied):
        _ask(p, payment, user="hoi_tinh")
    request = _ask(p, payment)
    other_district_officer = _officer_of(p, p.other_district)
    with pytest.raises(OutOfScope):
        cancellation_approve(user=other_district_officer, request=request)
    with pytest.raises(PermissionDenied) as err:
        cancellation_approve(user=p.users["thu_2"], request=request)  # agents lack the permission
    assert type(err.value) is PermissionDenied
    assert PaymentCancellation.objects.get().status == CancellationStatus.REQUESTED


def _officer_of(p, area):
    from django.contrib.auth.models import User

    from ansinh.accounts.models import Role
    from ansinh.accounts.services import user_role_assign

    user = User.objects.create_user(username=f"bhxh_{area.code}")
    user_role_assign(user=user, role=Role.SI_OFFICER, area=area)
    return User.objects.get(pk=user.pk)


def test_a_bad_reason_a_long_note_and_a_late_change_of_mind_name_their_field(small_province):
    p = small_province
    today = timezone.localdate()
    _, payment, _ = _hi_paid(p, on=today - datetime.timedelta(days=8))
    with pytest.raises(e.CancellationInvalid) as err:
        _ask(p, payment, reason="bored")
    assert (err.value.message, err.value.details) == ("Vui lòng chọn lý do hủy.", {"field": "reason"})
    with pytest.raises(e.CancellationInvalid) as err:
        _ask(p, payment, note="x" * 301)
    assert (err.value.message, err.value.details) == ("Ghi chú dài tối đa 300 ký tự.", {"field": "note"})
    with pytest.raises(e.CancellationInvalid) as err:
        _ask(p, payment, reason="changed_mind")
    paid_on = (today - datetime.timedelta(days=8)).strftime("%d/%m/%Y")
    assert err.value.message == (f"Người nộp chỉ được đổi ý trong 7 ngày sau ngày nộp tiền ({paid_on}); khoản thu "
                                 "này đã quá thời hạn đó.")
    assert err.value.details == {"field": "reason"}
    CollectionPolicy.objects.create(province=p.province, change_of_mind_days=8)
    assert _ask(p, payment, reason="changed_mind").status == CancellationStatus.REQUESTED


def test_a_refusal_needs_a_reason_and_leaves_the_payment_standing(small_province, paid):
    p = small_province
    quoted, payment, receipt = paid
    request = _ask(p, payment)
    with pytest.raises(e.CancellationInvalid) as err:
        cancellation_refuse(user=p.users["bhxh_huyen"], request=request, note="  ")
    assert (err.value.message, err.value.details) == ("Vui lòng ghi lý do từ chối.", {"field": "note"})
    refused = cancellation_refuse(user=p.users["bhxh_huyen"], request=request, note="Hộ xác nhận đúng")
    assert refused.status == CancellationStatus.REFUSED and refused.reversal is None
    quoted.refresh_from_db()
    receipt.refresh_from_db()
    assert quoted.status == Status.PAID and receipt.cancelled_at is None
    assert payment_cancellation_states([payment.pk]) == {}
    with pytest.raises(e.AlreadyDecided) as err:
        cancellation_approve(user=p.users["bhxh_tinh"], request=request)
    assert err.value.message == "Yêu cầu hủy này đã được xử lý trước đó (từ chối hủy)."
    assert _ask(p, payment).status == CancellationStatus.REQUESTED  # a new request may follow


def test_a_payment_sent_to_the_agency_is_corrected_through_the_agency(small_province, paid):
    p = small_province
    quoted, payment, _ = paid
    request = _ask(p, payment)
    assert payments_mark_sent(user=p.users["bhxh_tinh"], payments=[payment]) == 1
    quoted.refresh_from_db()
    assert quoted.status == Status.SENT
    with pytest.raises(e.SentToAgency) as err:
        cancellation_approve(user=p.users["bhxh_huyen"], request=request)
    assert err.value.message == ("Khoản thu này đã gửi danh sách cho cơ quan BHXH (hoặc đã cấp thẻ/sổ): việc điều "
                                 "chỉnh phải làm qua cơ quan BHXH, không hủy được ở đây.")
    assert PaymentCancellation.objects.get().status == CancellationStatus.REQUESTED
    cancellation_refuse(user=p.users["bhxh_huyen"], request=request, note="Đã gửi cơ quan BHXH")
    with pytest.raises(e.SentToAgency):
        _ask(p, payment)
    with pytest.raises(PermissionDenied):
        payments_mark_sent(user=p.users["thu_1"], payments=[payment])


def test_an_earlier_payment_is_not_cancelled_while_a_later_one_of_the_household_stands(small_province):
    p = small_province
    _, first, _ = _hi_paid(p, on=datetime.date(2024, 1, 2))
    _, second, second_receipt = _hi_paid(p, key="key-2", on=datetime.date(2025, 1, 5))
    with pytest.raises(e.NotCancellable) as err:
        _ask(p, first)
    assert err.value.message == (f"Đã có khoản thu sau khoản này cho cùng hộ (biên lai số {second_receipt.number}); "
                                 "hãy hủy khoản thu sau trước.")
    cancellation_approve(user=p.users["bhxh_huyen"], request=_ask(p, second))
    assert _ask(p, first).status == CancellationStatus.REQUESTED


def test_a_crash_between_the_reversal_and_the_receipt_mark_writes_nothing(small_province, paid, monkeypatch):
    from ansinh.collection import services

    p = small_province
    quoted, payment, receipt = paid
    request = _ask(p, payment)

    def crash(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "receipt_mark_cancelled", crash)
    with pytest.raises(RuntimeError):
        cancellation_approve(user=p.users["bhxh_huyen"], request=request)
    assert Payment.objects.filter(reverses=payment).count() == 0
    quoted.refresh_from_db()
    receipt.refresh_from_db()
    request.refresh_from_db()
    assert (quoted.status, receipt.cancelled_at, request.status) == (Status.PAID, None, CancellationStatus.REQUESTED)
    monkeypatch.undo()
    assert cancellation_approve(user=p.users["bhxh_huyen"], request=request).status == CancellationStatus.APPROVED


def test_a_refund_is_recorded_once_with_who_paid_it_back(small_province, paid):
    p = small_province
    _, payment, _ = paid
    request = _ask(p, payment)
    today = timezone.localdate()
    officer = p.users["bhxh_huyen"]
    with pytest.raises(e.RefundInvalid) as err:
        cancellation_refund_record(user=officer, request=request, refunded_by=p.users["thu_1"], refunded_on=today,
                                   amount=payment.amount)
    assert (err.value.message, err.value.details) == ("Chỉ ghi hoàn tiền cho khoản thu đã được duyệt hủy.",
                                                      {"field": "request"})
    cancellation_approve(user=officer, request=request)
    with pytest.raises(e.RefundInvalid) as err:
        cancellation_refund_record(user=officer, request=request, refunded_by=p.users["thu_1"], refunded_on=today,
                                   amount=payment.amount + 1)
    assert err.value.message == "Số tiền hoàn phải là số nguyên dương, không quá số tiền đã thu (2.906.280 đ)."
    assert err.value.details == {"field": "amount"}
    with pytest.raises(e.RefundInvalid) as err:
        cancellation_refund_record(user=officer, request=request, refunded_by=p.users["thu_2"], refunded_on=today,
                                   amount=payment.amount)
    assert err.value.details == {"field": "refunded_by"}
    with pytest.raises(e.RefundInvalid) as err:
        cancellation_refund_record(user=officer, request=request, refunded_by=p.users["thu_1"],
                                   refunded_on=today + datetime.timedelta(days=1), amount=payment.amount)
    assert err.value.message == f"Ngày hoàn tiền phải từ ngày duyệt hủy ({today:%d/%m/%Y}) đến hôm nay."
    done = cancellation_refund_record(user=officer, request=request, refunded_by=p.users["thu_1"],
                                      refunded_on=today, amount=payment.amount)
    assert (done.refunded_by, done.refunded_on, done.refund_amount, done.refund_recorded_by) == (
        p.users["thu_1"], today, 2_906_280, officer)
    with pytest.raises(e.RefundInvalid) as err:
        cancellation_refund_record(user=officer, request=request, refunded_by=officer, refunded_on=today,
                                   amount=1)
    assert err.value.message == "Đã ghi hoàn tiền cho khoản thu này rồi."
    assert done.history.count() == 3  # asked, approved, refunded


def test_a_script_reversal_also_marks_the_receipt(small_province, paid):
    from ansinh.collection.services import payment_reverse

    p = small_province
    _, payment, receipt = paid
    payment_reverse(user=p.users["thu_1"], payment=payment, reason="Thu nhầm", on=JULY_2024)
    receipt = Receipt.objects.get(pk=receipt.pk)
    assert (receipt.cancel_reason, receipt.cancelled_by) == ("Thu nhầm", p.users["thu_1"])
    assert payment_cancellation_states([payment.pk]) == {payment.pk: "cancelled"}
