"""Reads over cancellations of payments: the state of a payment (cancellation requested / cancelled), the
officers' queue, one request, what a cancelled receipt says, and a province's cancellation policy.

Scope: an officer sees the requests for payments of participations made in their area (either map,
``accounts.services.record_commune_ids_in_scope``); a collection agent the requests for their own payments.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from ansinh.accounts.models import Role
from ansinh.accounts.services import record_commune_ids_in_scope, require_permission
from ansinh.areas.models import AdministrativeUnit, MapVersion, UnitMapping
from ansinh.core.errors import OutOfScope

from .models import CancellationStatus, CollectionPolicy, Payment, PaymentCancellation, Receipt

STATE_REQUESTED = "requested"
STATE_CANCELLED = "cancelled"
STATE_LABELS = {STATE_REQUESTED: "Đang chờ duyệt hủy", STATE_CANCELLED: "Đã hủy"}


def payment_cancellation_states(payment_ids) -> dict[int, str]:
    """``{payment_id: "requested" | "cancelled"}`` for those of ``payment_ids`` that have a cancellation:
    "cancelled" when the payment was reversed (by an approved request or a script), "requested" when a
    request waits for an officer. Payments without either are left out. No scope check: the caller
    already holds payments the user may see. Two queries."""
    ids = list(payment_ids)
    if not ids:
        return {}
    states = {pk: STATE_REQUESTED for pk in PaymentCancellation.objects.filter(
        payment_id__in=ids, status=CancellationStatus.REQUESTED).values_list("payment_id", flat=True)}
    for pk in Payment.objects.filter(reverses_id__in=ids).values_list("reverses_id", flat=True):
        states[pk] = STATE_CANCELLED
    return states


def _participation(payment: Payment):
    return payment.hi if payment.hi_id else payment.vsi


def payment_in_officer_scope(*, user, payment: Payment) -> bool:
    """Whether the payment's participation was made in the officer's area (either map)."""
    return _participation(payment).commune_id in record_commune_ids_in_scope(user)


def _scoped(*, user) -> QuerySet[PaymentCancellation]:
    user_role = require_permission(user, "collection.view_payment")
    rows = PaymentCancellation.objects.select_related(
        "payment", "payment__receipt", "payment__agent", "payment__hi__household", "payment__vsi__person",
        "requested_by", "decided_by", "refunded_by")
    if user_role.role == Role.COLLECTION_AGENT:
        return rows.filter(payment__agent_id=user_role.agent_id)
    communes = record_commune_ids_in_scope(user)
    return rows.filter(Q(payment__hi__commune_id__in=communes) | Q(payment__vsi__commune_id__in=communes))


def cancellations_pending(*, user) -> list[PaymentCancellation]:
    """Requests waiting for a decision in the user's scope, oldest first. Raises PermissionDenied."""
    return list(_scoped(user=user).filter(status=CancellationStatus.REQUESTED).order_by("requested_at", "pk"))


def cancellations_awaiting_refund(*, user) -> list[PaymentCancellation]:
    """Approved cancellations in scope whose refund to the payer is not recorded yet, oldest first."""
    return list(_scoped(user=user).filter(status=CancellationStatus.APPROVED, refunded_on__isnull=True)
                .order_by("decided_at", "pk"))


def cancellation_get(*, user, pk: int) -> PaymentCancellation:
    """One request in the user's scope. Raises PaymentCancellation.DoesNotExist (also outside the scope,
    so its existence is not told), PermissionDenied."""
    return _scoped(user=user).get(pk=pk)


@dataclass(frozen=True)
class ReceiptCancelled:
    """What a cancelled receipt says: when, by whom (the officer who approved, or who reversed it), why."""

    at: datetime.datetime
    by: str
    reason: str


def user_label(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


def receipt_cancellation(*, receipt: Receipt) -> ReceiptCancelled | None:
    """The cancellation of ``receipt`` (from its mark, written with the reversal), or None when it stands.
    No scope check: the caller read the receipt with ``receipt_get``."""
    if receipt.cancelled_at is None:
        return None
    return ReceiptCancelled(at=receipt.cancelled_at, by=user_label(receipt.cancelled_by), reason=receipt.cancel_reason)


def receipt_open_request(*, receipt: Receipt) -> PaymentCancellation | None:
    """The request to cancel ``receipt``'s payment that waits for a decision, if any."""
    return PaymentCancellation.objects.filter(payment_id=receipt.payment_id,
                                              status=CancellationStatus.REQUESTED).first()


@dataclass(frozen=True)
class Policy:
    officer_cancel_needs_second_officer: bool
    change_of_mind_days: int


DEFAULT_POLICY = Policy(officer_cancel_needs_second_officer=True, change_of_mind_days=7)
"""Without a row for the province: four eyes on, 7 days to change one's mind (office practice, not law)."""


def collection_policy_for(*, commune_id: int) -> Policy:
    """The cancellation policy of the province a record's commune belongs to. A record made before
    1 July 2025 keeps its old-map commune, so the province of its primary successor (and, for a new
    commune, of its predecessors) counts too; the new-map province's row is preferred."""
    own = AdministrativeUnit.objects.filter(pk=commune_id).values_list("province_id", flat=True)
    mapped = UnitMapping.objects.filter(is_primary=True).filter(
        Q(old_unit_id=commune_id) | Q(new_unit_id=commune_id))
    provinces = set(own) | set(mapped.values_list("new_unit__province_id", flat=True)) | set(
        mapped.values_list("old_unit__province_id", flat=True))
    rows = sorted(CollectionPolicy.objects.filter(province_id__in=provinces).select_related("province"),
                  key=lambda row: row.province.map != MapVersion.NEW)
    if not rows:
        return DEFAULT_POLICY
    return Policy(officer_cancel_needs_second_officer=rows[0].officer_cancel_needs_second_officer,
                  change_of_mind_days=rows[0].change_of_mind_days)


def require_officer_scope(*, user, payment: Payment) -> None:
    """Raise OutOfScope unless the payment's participation lies in the officer's area."""
    if not payment_in_officer_scope(user=user, payment=payment):
        raise OutOfScope()


FIRST_ISSUE_FOR = datetime.timedelta(minutes=15)
"""How long after a receipt is issued its first showing counts as the original (the agent is still at the
house, printing it or handing over the PDF)."""


def receipt_reprint_on(*, receipt: Receipt, first_issue_claimed: bool,
                       now: datetime.datetime | None = None) -> datetime.date | None:
    """None when this showing of ``receipt`` is its first issue, else today's date: it is a reprint ("Bản
    in lại ngày …").

    How a reprint is told: the first issue is the receipt page reached right after the payment
    (``?ket-qua=moi``) and the PDF linked from that page (``?ban=goc``) — ``first_issue_claimed`` — within
    FIRST_ISSUE_FOR of the receipt's creation. Every other showing is a reprint: the page opened again
    later or from a list, a replayed submission of the payment (``?ket-qua=da-ghi``), the PDF downloaded
    later, and any showing of a cancelled receipt."""
    now = now or timezone.now()
    if first_issue_claimed and receipt.cancelled_at is None and now - receipt.created_at <= FIRST_ISSUE_FOR:
        return None
    return timezone.localtime(now).date()


def collection_policy_of(*, user) -> tuple[AdministrativeUnit, Policy]:
    """The province the administrator keeps and its cancellation policy as it stands (the defaults when the
    province has no row). Raises PermissionDenied, OutOfScope (a role whose area is not a province)."""
    from ansinh.areas.models import Level

    user_role = require_permission(user, "collection.change_collectionpolicy")
    province = user_role.area
    if province is None or province.level != Level.PROVINCE:
        raise OutOfScope()
    row = CollectionPolicy.objects.filter(province=province).first()
    if row is None:
        return province, DEFAULT_POLICY
    return province, Policy(officer_cancel_needs_second_officer=row.officer_cancel_needs_second_officer,
                            change_of_mind_days=row.change_of_mind_days)
