"""Reads over the paper trail of payments: each payment's status, the payment history of a household and
of a person, and the receipts list with its search. Permission (``collection.view_payment``) and scope are
checked at the top of each public function.

Money is integer VND. A reversal (a negative payment with ``reverses`` set) is not listed as a line of its
own: it makes the payment it reverses "cancelled".
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import F, Max, Min, Q, QuerySet

from ansinh.accounts.services import require_household_in_scope, require_permission, require_person_in_scope
from ansinh.core.masking import mask_name
from ansinh.core.text import fold
from ansinh.registry.models import Household, Person

from .models import Agent, Payment, Receipt
from .selectors import NO_AGENT_LABEL, payment_scope_q
from .selectors_cancellation import STATE_CANCELLED, STATE_REQUESTED, payment_cancellation_states

STATUS_PAID = "paid"
STATUS_CANCELLATION_REQUESTED = "cancellation_requested"
STATUS_CANCELLED = "cancelled"
STATUS_LABELS = {STATUS_PAID: "Đã thu", STATUS_CANCELLATION_REQUESTED: "Đang chờ hủy", STATUS_CANCELLED: "Đã hủy"}
SCHEME_SHORT = {"vsi": "BHXH TN", "hi": "BHYT HGĐ"}
RECEIPTS_PER_PAGE = 25


def payment_statuses(payment_ids) -> dict[int, str]:
    """Status of each payment: "paid", "cancellation_requested" (a request waits for an officer) or
    "cancelled" (reversed, by an approved request or a script), from
    ``selectors_cancellation.payment_cancellation_states`` (no scope check: callers pass the ids of
    payments they already may see)."""
    ids = list(payment_ids)
    statuses = dict.fromkeys(ids, STATUS_PAID)
    states = {STATE_REQUESTED: STATUS_CANCELLATION_REQUESTED, STATE_CANCELLED: STATUS_CANCELLED}
    for pk, state in payment_cancellation_states(ids).items():
        statuses[pk] = states[state]
    return statuses


def _history_rows(payments: QuerySet[Payment]) -> list[dict]:
    payments = list(payments.filter(reverses__isnull=True).select_related(
        "hi", "vsi", "agent", "receipt").order_by("-paid_on", "-pk"))
    statuses = payment_statuses(p.pk for p in payments)
    hi_ids = [p.hi_id for p in payments if p.hi_id]
    cards = {}
    if hi_ids:
        from ansinh.enrollment.models import HiMemberCoverage

        cards = {c["participation_id"]: c for c in HiMemberCoverage.objects.filter(participation_id__in=hi_ids)
                 .values("participation_id").annotate(first=Min("valid_from"), last=Max("valid_to")).order_by()}
    rows = []
    for p in payments:
        receipt = getattr(p, "receipt", None)
        if p.hi_id:
            card = cards.get(p.hi_id, {})
            scheme, months = "hi", p.hi.months
            period_from, period_to = card.get("first"), card.get("last")
        else:
            scheme, months = "vsi", p.vsi.months
            period_from = p.vsi.from_month
            last = p.vsi.from_month.month - 1 + p.vsi.months - 1
            period_to = datetime.date(p.vsi.from_month.year + last // 12, last % 12 + 1, 1)
        status = statuses[p.pk]
        rows.append({
            "payment_id": p.pk, "day": p.paid_on, "scheme": scheme, "scheme_label": SCHEME_SHORT[scheme],
            "months": months, "period_from": period_from, "period_to": period_to, "amount": p.amount,
            "receipt_id": receipt.pk if receipt else None, "receipt_number": receipt.number if receipt else "",
            "agent_code": p.agent.code if p.agent else "",
            "agent_name": p.agent.full_name if p.agent else NO_AGENT_LABEL,
            "status": status, "status_label": STATUS_LABELS[status],
        })
    return rows


def household_payment_history(*, user, household: Household) -> list[dict]:
    """Payments for the household: its HI payments and the VSI payments of its current members, newest
    first. Each row: ``{"payment_id", "day", "scheme" ("hi"|"vsi"), "scheme_label" ("BHYT HGĐ"|"BHXH TN"),
    "months", "period_from", "period_to"`` (HI: the members' card dates; VSI: first and last month),
    ``"amount", "receipt_id", "receipt_number", "agent_code", "agent_name", "status", "status_label"}``.
    Raises PermissionDenied, OutOfScope."""
    require_permission(user, "collection.view_payment")
    require_household_in_scope(user, household)
    people = household.members.values("person_id")
    return _history_rows(Payment.objects.filter(Q(hi__household=household) | Q(vsi__person_id__in=people)))


def person_payment_history(*, user, person: Person) -> list[dict]:
    """Payments for the person: their VSI payments and the HI payments of the household periods that
    covered them, newest first; rows as ``household_payment_history``. Raises PermissionDenied, OutOfScope."""
    require_permission(user, "collection.view_payment")
    require_person_in_scope(user, person)
    return _history_rows(Payment.objects.filter(Q(vsi__person=person) | Q(hi__members__person=person)).distinct())


@dataclass
class ReceiptQuery:
    """Filters of the receipts list. ``payer`` is personal data: it never comes from a URL (see the view)."""

    number: str = ""
    household_code: str = ""
    payer: str = ""
    agent: Agent | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


def receipts_search(*, user, query: ReceiptQuery, page: int = 1) -> Page:
    """The receipts the user may see (an agent: those of the payments they took; an officer: those of
    participations made in their area), newest first, filtered by ``query`` (number and household code:
    part of it, any case; payer: part of the name, with or without diacritics; agent; issue dates), in pages
    of ``RECEIPTS_PER_PAGE``. Each item of the page: ``{"receipt_id", "number", "issued_on", "scheme_label",
    "household_code", "payer_masked", "amount", "agent_code", "agent_name", "status", "status_label"}``.
    Names are masked: the list does not need them whole (the receipt page shows them).
    Raises PermissionDenied."""
    receipts = Receipt.objects.filter(payment_scope_q(user=user, path="payment__"), payment__amount__gt=0,
                                      payment__reverses__isnull=True)
    if query.number.strip():
        receipts = receipts.filter(number__icontains=query.number.strip())
    if query.household_code.strip():
        code = query.household_code.strip()
        receipts = receipts.filter(Q(payment__hi__household__code__iexact=code)
                                   | Q(payment__vsi__person__household_membership__household__code__iexact=code))
    if query.payer.strip():
        folded = fold(query.payer)
        # through a subquery: the household's members are many rows, the list must stay one row per receipt
        # without a DISTINCT over the whole scope (which made every page count every receipt twice)
        receipts = receipts.filter(pk__in=Receipt.objects.filter(
            Q(payer_name__icontains=query.payer.strip())
            | Q(payment__vsi__person__name_folded__contains=folded)
            | Q(payment__hi__household__members__person__name_folded__contains=folded,
                payment__hi__household__members__person__full_name=F("payer_name"))).values("pk"))
    if query.agent is not None:
        receipts = receipts.filter(agent=query.agent)
    if query.date_from is not None:
        receipts = receipts.filter(issued_on__gte=query.date_from)
    if query.date_to is not None:
        receipts = receipts.filter(issued_on__lte=query.date_to)
    # the page's ids first (newest first along the issue-date index; counted without the display joins),
    # then their display columns: a bounded number of queries whatever the number of receipts
    page_obj = Paginator(receipts.order_by("-issued_on", "-pk").values_list("pk", flat=True),
                         RECEIPTS_PER_PAGE).get_page(page)
    ids = list(page_obj.object_list)
    shown = {v["pk"]: v for v in Receipt.objects.filter(pk__in=ids).values(
        "pk", "number", "issued_on", "payer_name", "amount", "payment_id", "payment__hi_id",
        "payment__hi__household__code", "payment__vsi__person__household_membership__household__code",
        "agent__code", "agent__full_name",
    )}
    page_obj.object_list = [shown[pk] for pk in ids]
    statuses = payment_statuses(v["payment_id"] for v in page_obj.object_list)
    items = []
    for v in page_obj.object_list:
        scheme = "hi" if v["payment__hi_id"] else "vsi"
        status = statuses[v["payment_id"]]
        items.append({
            "receipt_id": v["pk"], "number": v["number"], "issued_on": v["issued_on"],
            "scheme_label": SCHEME_SHORT[scheme],
            "household_code": (v["payment__hi__household__code"]
                               or v["payment__vsi__person__household_membership__household__code"] or ""),
            "payer_masked": mask_name(v["payer_name"]), "amount": v["amount"],
            "agent_code": v["agent__code"] or "", "agent_name": v["agent__full_name"] or NO_AGENT_LABEL,
            "status": status, "status_label": STATUS_LABELS[status],
        })
    page_obj.object_list = items
    return page_obj
