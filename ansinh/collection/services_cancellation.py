"""Cancelling a payment from the interface: asked, decided, undone, refunded.

Flow: a collection agent asks to cancel a payment they took (``cancellation_request``) with a reason
(wrong household, wrong amount, duplicate cash, or the payer changed their mind within the province's
``change_of_mind_days``); an SI officer whose area covers the record approves (``cancellation_approve``) or
refuses (``cancellation_refuse``). Nobody approves their own request. Four eyes (the province's
``CollectionPolicy``; on when the province has no row): a payment an officer recorded is approved by
another officer. With four eyes off, an officer's own request takes effect at once.

Approval, in one transaction with the request row locked (two officers approving at once: one approval,
one AlreadyDecided): the participation is locked (household or person first, like a payment), checked
again, then ``payment_reverse`` writes the negative payment pointing to the original, sets the
participation ``cancelled`` (its HI cards not yet issued are withdrawn: a cancelled period gives no card
and no previous-card end; its VSI months are freed) and marks the receipt cancelled. The household or
person then has no paid period there, so a new quote and payment can be made. A payment whose list was
already sent to the agency (participation ``sent`` or ``card_issued``, see ``payments_mark_sent``) is
refused: a correction goes through the agency.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from ansinh.accounts.models import Role, UserRole
from ansinh.accounts.services import require_permission
from ansinh.areas.models import AdministrativeUnit, Level
from ansinh.core.errors import OutOfScope
from ansinh.core.money import format_vnd
from ansinh.enrollment.models import Status
from ansinh.enrollment.services import participation_lock, participation_status_set

from . import errors_cancellation as e
from .models import CancellationReason, CancellationStatus, CollectionPolicy, Payment, PaymentCancellation
from .selectors_cancellation import collection_policy_for, require_officer_scope
from .services import payment_reverse

NOTE_MAX = 300
SENT_STATUSES = (Status.SENT, Status.CARD_ISSUED)


def _payment_read(payment: Payment) -> Payment:
    return Payment.objects.select_related("hi", "vsi", "receipt").get(pk=payment.pk)


def _participation(payment: Payment):
    return payment.hi if payment.hi_id else payment.vsi


def _clean_note(note: str | None) -> str:
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise e.CancellationInvalid(e.NOTE_TOO_LONG, field="note")
    return note


def _require_officer(user_role: UserRole, *, user, payment: Payment) -> None:
    if user_role.role != Role.SI_OFFICER:
        raise e.NotAnOfficer()
    require_officer_scope(user=user, payment=payment)


def _require_cancellable(*, payment: Payment, participation) -> None:
    """Raise NotCancellable / SentToAgency unless ``payment`` (read under lock) may be cancelled now."""
    if payment.reverses_id is not None or payment.amount <= 0:
        raise e.NotCancellable(e.IS_A_REVERSAL, field="payment")
    if Payment.objects.filter(reverses=payment).exists():
        raise e.NotCancellable(e.ALREADY_CANCELLED, field="payment")
    if participation.status in SENT_STATUSES:
        raise e.SentToAgency(field="payment")
    if payment.hi_id:
        later = Payment.objects.filter(hi__household_id=participation.household_id)
        whom = "hộ"
    else:
        later = Payment.objects.filter(vsi__person_id=participation.person_id)
        whom = "người"
    later = (later.filter(pk__gt=payment.pk, amount__gt=0, reverses__isnull=True, reversed_by__isnull=True)
             .select_related("receipt").order_by("pk").first())
    if later is not None:
        number = getattr(getattr(later, "receipt", None), "number", "")
        raise e.NotCancellable(e.LATER_PAYMENT.format(whom=whom, number=number), field="payment")


def _reversal_reason(request: PaymentCancellation) -> str:
    label = CancellationReason(request.reason).label
    return f"{label}: {request.note}"[:300] if request.note else label


def cancellation_request(*, user, payment: Payment, reason: str, note: str = "") -> PaymentCancellation:
    """Ask to cancel ``payment`` for ``reason`` (a ``CancellationReason``) with an optional ``note``.

    A collection agent asks for their own payments; an SI officer for payments of their area. Returns the
    request (status ``requested``; ``approved`` at once when an officer asks and the province turned four
    eyes off). Raises PermissionDenied, NotOwnPayment, OutOfScope, CancellationInvalid (reason, note,
    change of mind too late: field ``reason``/``note``), NotCancellable (a reversal, already cancelled,
    already requested, a later payment of the same household/person), SentToAgency."""
    user_role = require_permission(user, "collection.add_paymentcancellation")
    payment = _payment_read(payment)
    participation = _participation(payment)
    if user_role.role == Role.COLLECTION_AGENT:
        if payment.agent_id is None or payment.agent_id != user_role.agent_id:
            raise e.NotOwnPayment(field="payment")
    else:
        _require_officer(user_role, user=user, payment=payment)
    if reason not in CancellationReason.values:
        raise e.CancellationInvalid(e.REASON_INVALID, field="reason")
    note = _clean_note(note)
    policy = collection_policy_for(commune_id=participation.commune_id)
    today = timezone.localdate()
    if reason == CancellationReason.CHANGED_MIND and (today - payment.paid_on).days > policy.change_of_mind_days:
        raise e.CancellationInvalid(e.CHANGE_OF_MIND_TOO_LATE.format(
            days=policy.change_of_mind_days, paid_on=f"{payment.paid_on:%d/%m/%Y}"), field="reason")
    try:
        with transaction.atomic():
            locked = Payment.objects.select_for_update().get(pk=payment.pk)
            _require_cancellable(payment=locked, participation=participation)
            if PaymentCancellation.objects.filter(payment=locked, status=CancellationStatus.REQUESTED).exists():
                raise e.NotCancellable(e.ALREADY_REQUESTED, field="payment")
            request = PaymentCancellation.objects.create(
                payment=locked, reason=reason, note=note, requested_by=user, requested_at=timezone.now())
            if user_role.role == Role.SI_OFFICER and not policy.officer_cancel_needs_second_officer:
                _approve(request=request, user=user, participation=participation,
                         note="Cán bộ tự hủy (tỉnh không yêu cầu cán bộ thứ hai duyệt).")
    except IntegrityError:  # a concurrent request of the same payment committed first
        raise e.NotCancellable(e.ALREADY_REQUESTED, field="payment") from None
    return request


def _lock_request(request: PaymentCancellation) -> PaymentCancellation:
    locked = PaymentCancellation.objects.select_for_update().get(pk=request.pk)
    if locked.status != CancellationStatus.REQUESTED:
        raise e.AlreadyDecided(e.ALREADY_DECIDED.format(status=CancellationStatus(locked.status).label.lower()),
                               field="request")
    return locked


def _decider_checks(*, user, request: PaymentCancellation):
    """Permission, officer role and scope, then (in the caller's transaction) the request locked and
    still waiting, not the user's own. Returns (locked request, payment, participation)."""
    user_role = require_permission(user, "collection.change_paymentcancellation")
    payment = _payment_read(request.payment)
    _require_officer(user_role, user=user, payment=payment)
    locked = _lock_request(request)
    if locked.requested_by_id == user.pk:
        raise e.OwnRequest(field="request")
    return locked, payment, _participation(payment)


def cancellation_approve(*, user, request: PaymentCancellation, note: str = "") -> PaymentCancellation:
    """Approve a waiting request: reverse the payment, mark the receipt cancelled and undo its coverage, in
    one transaction (see the module). Raises PermissionDenied, NotAnOfficer, OutOfScope, AlreadyDecided
    (approved or refused already, e.g. by another officer a moment before), OwnRequest,
    SecondOfficerNeeded (four eyes: the user recorded the payment), NotCancellable, SentToAgency,
    CancellationInvalid (note). On any error nothing is written."""
    note = _clean_note(note)
    with transaction.atomic():
        locked, payment, participation = _decider_checks(user=user, request=request)
        policy = collection_policy_for(commune_id=participation.commune_id)
        if policy.officer_cancel_needs_second_officer and payment.recorded_by_id == user.pk:
            raise e.SecondOfficerNeeded(field="request")
        _approve(request=locked, user=user, participation=participation, note=note)
    return locked


def _approve(*, request: PaymentCancellation, user, participation, note: str) -> None:
    # The household (HI) or person (VSI) and the participation are locked first, in the order a payment
    # takes them, so the checks below see the state the reversal changes.
    locked_participation = participation_lock(participation=participation)
    payment = Payment.objects.select_for_update().get(pk=request.payment_id)
    _require_cancellable(payment=payment, participation=locked_participation)
    reversal = payment_reverse(user=user, payment=payment, reason=_reversal_reason(request),
                               on=timezone.localdate())
    request.status = CancellationStatus.APPROVED
    request.decided_by = user
    request.decided_at = timezone.now()
    request.decision_note = note
    request.reversal = reversal
    request.save()


@transaction.atomic
def cancellation_refuse(*, user, request: PaymentCancellation, note: str) -> PaymentCancellation:
    """Refuse a waiting request with a ``note`` saying why (required); the payment stands and a new
    request may follow. Raises PermissionDenied, NotAnOfficer, OutOfScope, AlreadyDecided, OwnRequest,
    CancellationInvalid (note missing or too long: field ``note``)."""
    note = _clean_note(note)
    if not note:
        raise e.CancellationInvalid(e.REFUSAL_NOTE_REQUIRED, field="note")
    locked, _, _ = _decider_checks(user=user, request=request)
    locked.status = CancellationStatus.REFUSED
    locked.decided_by = user
    locked.decided_at = timezone.now()
    locked.decision_note = note
    locked.save()
    return locked


def refund_payers(*, payment: Payment) -> list:
    """Who may have paid the cash of ``payment`` back: the accounts of the agent who took it, or the
    officer who recorded it (an officer recording the refund may also name themself)."""
    users = get_user_model().objects.filter(ansinh_role__agent_id=payment.agent_id) if payment.agent_id else \
        get_user_model().objects.filter(pk=payment.recorded_by_id)
    return list(users.order_by("pk"))


@transaction.atomic
def cancellation_refund_record(*, user, request: PaymentCancellation, refunded_by, refunded_on: datetime.date,
                               amount) -> PaymentCancellation:
    """Record that ``refunded_by`` paid ``amount`` (VND, 1 to the payment's amount) back to the payer on
    ``refunded_on`` for an approved cancellation; once. Raises PermissionDenied, NotAnOfficer, OutOfScope,
    RefundInvalid (not approved, already recorded, amount, who, date: field ``request``/``amount``/
    ``refunded_by``/``refunded_on``)."""
    user_role = require_permission(user, "collection.change_paymentcancellation")
    payment = _payment_read(request.payment)
    _require_officer(user_role, user=user, payment=payment)
    locked = PaymentCancellation.objects.select_for_update().get(pk=request.pk)
    if locked.status != CancellationStatus.APPROVED:
        raise e.RefundInvalid(e.REFUND_NOT_APPROVED, field="request")
    if locked.refunded_on is not None:
        raise e.RefundInvalid(e.REFUND_ALREADY, field="request")
    if isinstance(amount, bool) or not isinstance(amount, int) or not 0 < amount <= payment.amount:
        raise e.RefundInvalid(e.REFUND_AMOUNT.format(amount=format_vnd(payment.amount)), field="amount")
    allowed = {u.pk for u in refund_payers(payment=payment)} | {user.pk}
    if refunded_by is None or refunded_by.pk not in allowed:
        raise e.RefundInvalid(e.REFUND_BY, field="refunded_by")
    decided_on = timezone.localtime(locked.decided_at).date()
    if refunded_on is None or not decided_on <= refunded_on <= timezone.localdate():
        raise e.RefundInvalid(e.REFUND_DATE.format(decided_on=f"{decided_on:%d/%m/%Y}"), field="refunded_on")
    locked.refunded_by = refunded_by
    locked.refunded_on = refunded_on
    locked.refund_amount = amount
    locked.refund_recorded_by = user
    locked.save()
    return locked


@transaction.atomic
def payments_mark_sent(*, user, payments: list[Payment]) -> int:
    """An SI officer marks the payments of a D03-TS/D05-TS list they sent to the agency as sent: each paid
    participation becomes ``sent`` (a reversal, or a participation not ``paid``, is left as it is). From then
    a cancellation is refused (a correction goes through the agency). Returns how many were marked.
    Raises PermissionDenied, NotAnOfficer, OutOfScope (every payment is checked before anything is written)."""
    user_role = require_permission(user, "collection.change_paymentcancellation")
    rows = [_payment_read(p) for p in payments]
    for payment in rows:
        _require_officer(user_role, user=user, payment=payment)
    marked = 0
    for payment in rows:
        if payment.amount <= 0:
            continue
        locked = participation_lock(participation=_participation(payment))
        if locked.status == Status.PAID:
            participation_status_set(participation=locked, status=Status.SENT)
            marked += 1
    return marked


@transaction.atomic
def collection_policy_set(*, user, province: AdministrativeUnit, officer_cancel_needs_second_officer: bool,
                          change_of_mind_days: int) -> CollectionPolicy:
    """The province administrator sets their province's cancellation policy (four eyes for officers' own
    cancellations; days to change one's mind, 0 to 90). Raises PermissionDenied, OutOfScope (another
    province), CancellationInvalid (days, field ``change_of_mind_days``)."""
    user_role = require_permission(user, "collection.change_collectionpolicy")
    if province.level != Level.PROVINCE or user_role.area_id != province.pk:
        raise OutOfScope()
    if isinstance(change_of_mind_days, bool) or not isinstance(change_of_mind_days, int) \
            or not 0 <= change_of_mind_days <= 90:
        raise e.CancellationInvalid("Số ngày được đổi ý phải từ 0 đến 90.", field="change_of_mind_days")
    policy, _ = CollectionPolicy.objects.update_or_create(province=province, defaults={
        "officer_cancel_needs_second_officer": bool(officer_cancel_needs_second_officer),
        "change_of_mind_days": change_of_mind_days})
    return policy

