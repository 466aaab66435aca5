"""Reads over payments and receipts: the receipt page, the agent's daily collection book and the
officer's reconciliation. Permission (``collection.view_payment``) and scope are checked at the top.

Scope: a collection agent sees the payments they took; an officer sees the payments for participations
made in their area (on either map, see ``accounts.services.record_communes_in_scope``) and the agents
working there. Money is integer VND; a reversal is a negative payment pointing to the one it cancels.
"""

from __future__ import annotations

import datetime

from django.db.models import Count, Max, Min, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from ansinh.accounts.models import Role
from ansinh.accounts.services import record_commune_ids_in_scope, record_communes_in_scope, require_permission
from ansinh.areas.models import AdministrativeUnit, Level
from ansinh.core.errors import OutOfScope

from .models import Agent, CollectionOrg, OrgKind, Payment, Receipt

SCHEME_VSI = "vsi"
SCHEME_HI = "hi"
SCHEME_LABELS = {SCHEME_VSI: "BHXH tự nguyện", SCHEME_HI: "BHYT hộ gia đình"}
NO_AGENT_LABEL = "Cán bộ BHXH thu trực tiếp"


def _in_force(org: CollectionOrg, on: datetime.date) -> bool:
    return (org.valid_from is None or org.valid_from <= on) and (org.closed_on is None or org.closed_on >= on)


def _successor_on(org: CollectionOrg, on: datetime.date) -> CollectionOrg:
    """``org``, or the organisation that took over its work when it was closed before ``on`` (through
    successive closures). Reads nothing for an organisation that is open on ``on``."""
    for _ in range(20):  # a chain of successors is short; never loop on a (wrong) cycle
        if org.closed_on is None or org.closed_on >= on or org.successor_id is None:
            return org
        org = org.successor
    return org


def org_on(*, province_or_org: AdministrativeUnit | CollectionOrg | None, on: datetime.date) -> CollectionOrg | None:
    """The collection organisation as it was on ``on``, to name it on a receipt, a list or a header.

    Given an organisation: itself, or its ``successor`` when it was closed before ``on`` (Bưu điện
    tỉnh Hậu Giang, closed on 30/06/2025, names Bưu điện thành phố Cần Thơ after that day). Given a
    province (either map) or None (every organisation): the one in force on ``on`` (``valid_from`` to
    ``closed_on``; a post office before another kind, then the oldest) among the province's
    organisations and those they succeeded — so a new-map province on a day before 01/07/2025 names the
    old province's organisation; if none was in force, the province's first organisation followed to
    its successor. None when there is no organisation.
    """
    if isinstance(province_or_org, CollectionOrg):
        return _successor_on(province_or_org, on)
    orgs = CollectionOrg.objects.all()
    if province_or_org is not None:
        orgs = orgs.filter(Q(province=province_or_org) | Q(successor__province=province_or_org))
    orgs = sorted(orgs, key=lambda o: (o.kind != OrgKind.POST_OFFICE, o.pk))
    for org in orgs:
        if _in_force(org, on):
            return org
    return _successor_on(orgs[0], on) if orgs else None


def receipt_get(*, user, pk: int) -> Receipt:
    """One receipt with its payment, participation, agent and organisation.

    A collection agent sees the receipts they issued; other roles the receipts of participations made in
    their area. Raises Receipt.DoesNotExist, PermissionDenied, OutOfScope.
    """
    user_role = require_permission(user, "collection.view_payment")
    receipt = Receipt.objects.select_related(
        "payment", "payment__hi", "payment__hi__household", "payment__vsi", "payment__vsi__person", "agent", "org",
    ).get(pk=pk)
    participation = receipt.payment.hi or receipt.payment.vsi
    if user_role.role == Role.COLLECTION_AGENT:
        allowed = receipt.agent_id is not None and receipt.agent_id == user_role.agent_id
    else:
        allowed = record_communes_in_scope(user).filter(pk=participation.commune_id).exists()
    if not allowed:
        raise OutOfScope()
    return receipt


def payments_in_scope(*, user, scheme: str | None = None) -> QuerySet[Payment]:
    """Payments (including reversals) the user may see, optionally of one scheme ("vsi" or "hi").

    Agent: the payments they took. Officer: payments for participations made in their area.
    Raises PermissionDenied.
    """
    user_role = require_permission(user, "collection.view_payment")
    payments = Payment.objects.all()
    if scheme == SCHEME_VSI:
        payments = payments.filter(vsi__isnull=False)
    elif scheme == SCHEME_HI:
        payments = payments.filter(hi__isnull=False)
    if user_role.role == Role.COLLECTION_AGENT:
        return payments.filter(agent_id=user_role.agent_id)
    communes = record_communes_in_scope(user)
    if scheme == SCHEME_VSI:
        return payments.filter(vsi__commune__in=communes)
    if scheme == SCHEME_HI:
        return payments.filter(hi__commune__in=communes)
    return payments.filter(Q(vsi__commune__in=communes) | Q(hi__commune__in=communes))


def payment_scope_q(*, user, path: str = "") -> Q:
    """The rule of ``payments_in_scope`` (any scheme) as a filter through ``path`` (e.g. ``"payment__"``
    from a receipt), the scope's commune ids written out: the database can then walk another table's index
    (the receipts newest first) instead of first listing every payment in scope. Raises PermissionDenied."""
    user_role = require_permission(user, "collection.view_payment")
    if user_role.role == Role.COLLECTION_AGENT:
        return Q(**{f"{path}agent_id": user_role.agent_id})
    communes = sorted(record_commune_ids_in_scope(user))
    return Q(**{f"{path}vsi__commune_id__in": communes}) | Q(**{f"{path}hi__commune_id__in": communes})


def agents_in_scope(*, user) -> QuerySet[Agent]:
    """Agents the user may see: an agent only themself; an officer the agents working in their area on
    either map — an agent whose area is a commune or old-map district of the scope, whose catchment has a
    commune of the scope, or whose area is the officer's own area. Raises PermissionDenied."""
    user_role = require_permission(user, "collection.view_payment")
    if user_role.role == Role.COLLECTION_AGENT:
        return Agent.objects.filter(pk=user_role.agent_id)
    communes = record_communes_in_scope(user)
    districts = communes.filter(parent__level=Level.DISTRICT).values("parent_id")
    q = Q(area__in=communes) | Q(area_id__in=districts) | Q(catchments__commune__in=communes)
    if user_role.area_id is not None:
        q |= Q(area_id=user_role.area_id)
    return Agent.objects.filter(q).distinct()


def agent_in_scope_get(*, user, code: str) -> Agent:
    """The agent with this code if the user may see them. Raises Agent.DoesNotExist, PermissionDenied,
    OutOfScope."""
    agent = Agent.objects.select_related("org", "area").get(code=code)
    if not agents_in_scope(user=user).filter(pk=agent.pk).exists():
        raise OutOfScope()
    return agent


def _period(payments: QuerySet, field: str, date_from, date_to) -> QuerySet:
    if date_from is not None:
        payments = payments.filter(**{f"{field}__gte": date_from})
    if date_to is not None:
        payments = payments.filter(**{f"{field}__lte": date_to})
    return payments


def _agent_labels(agent_ids) -> dict:
    labels = {a.pk: a for a in Agent.objects.filter(pk__in=[i for i in agent_ids if i is not None])}
    labels[None] = None
    return labels


def collection_book(*, user, date_from: datetime.date, date_to: datetime.date, agent: Agent | None = None) -> dict:
    """The collection book (sổ thu): one row per agent per day from ``date_from`` to ``date_to``.

    Returns ``{"rows": [row], "totals": row-without-agent-and-day}`` where a row is
    ``{"agent": Agent|None, "agent_code", "agent_name", "day": date,
    "vsi_count", "vsi_amount", "hi_count", "hi_amount"`` (payments taken that day, by scheme),
    ``"issued_count", "issued_amount"`` (receipts issued that day), ``"first_receipt", "last_receipt"``,
    ``"cancelled_count", "cancelled_amount"`` (reversals made that day, amount as a positive number),
    ``"handover"`` (VND to hand over: taken − cancelled)``}``. Rows are ordered by agent code, then day.
    A payment later reversed stays on the day it was taken; its reversal appears on the day it was made.
    Scope: an agent sees only their own book; ``agent`` narrows an officer's book to one agent
    (OutOfScope if outside their area). Raises PermissionDenied, OutOfScope.
    """
    payments = _period(payments_in_scope(user=user), "paid_on", date_from, date_to)
    if agent is not None:
        if not agents_in_scope(user=user).filter(pk=agent.pk).exists():
            raise OutOfScope()
        payments = payments.filter(agent=agent)
    taken = Q(amount__gt=0, reverses__isnull=True)
    zero = Value(0)
    grouped = (
        payments.values("agent_id", "paid_on")
        .annotate(
            vsi_count=Count("pk", filter=taken & Q(vsi__isnull=False)),
            vsi_amount=Coalesce(Sum("amount", filter=taken & Q(vsi__isnull=False)), zero),
            hi_count=Count("pk", filter=taken & Q(hi__isnull=False)),
            hi_amount=Coalesce(Sum("amount", filter=taken & Q(hi__isnull=False)), zero),
            issued_count=Count("receipt"),
            issued_amount=Coalesce(Sum("receipt__amount"), zero),
            cancelled_count=Count("pk", filter=Q(reverses__isnull=False)),
            cancelled_amount=Coalesce(Sum("amount", filter=Q(reverses__isnull=False)), zero),
            handover=Coalesce(Sum("amount"), zero),
        )
        .order_by()
    )
    numbers = (
        Receipt.objects.filter(payment__in=payments).values("agent_id", "issued_on")
        .annotate(first=Min("number"), last=Max("number")).order_by()
    )
    ranges = {(r["agent_id"], r["issued_on"]): (r["first"], r["last"]) for r in numbers}
    grouped = list(grouped)
    agents = _agent_labels({g["agent_id"] for g in grouped})
    rows = []
    for g in grouped:
        a = agents.get(g["agent_id"])
        first, last = ranges.get((g["agent_id"], g["paid_on"]), ("", ""))
        rows.append({
            "agent": a, "agent_code": a.code if a else "", "agent_name": a.full_name if a else NO_AGENT_LABEL,
            "day": g["paid_on"], "vsi_count": g["vsi_count"], "vsi_amount": g["vsi_amount"],
            "hi_count": g["hi_count"], "hi_amount": g["hi_amount"], "issued_count": g["issued_count"],
            "issued_amount": g["issued_amount"], "first_receipt": first, "last_receipt": last,
            "cancelled_count": g["cancelled_count"], "cancelled_amount": -g["cancelled_amount"],
            "handover": g["handover"],
        })
    rows.sort(key=lambda r: (r["agent_code"], r["day"]))
    keys = ["vsi_count", "vsi_amount", "hi_count", "hi_amount", "issued_count", "issued_amount",
            "cancelled_count", "cancelled_amount", "handover"]
    totals = {k: sum(r[k] for r in rows) for k in keys}
    return {"rows": rows, "totals": totals, "date_from": date_from, "date_to": date_to, "agent": agent}


def collection_book_entries(*, user, date_from: datetime.date, date_to: datetime.date,
                            agent: Agent | None = None) -> list[dict]:
    """The lines behind the collection book: every payment and reversal in the period, in order.

    Each: ``{"day", "agent_code", "agent_name", "scheme" ("vsi"|"hi"), "scheme_label",
    "receipt_number" (for a reversal: the number of the receipt it cancels), "receipt_id" (its id, or None),
    "payer", "amount" (VND,
    negative for a reversal), "is_reversal", "reason", "payment_id"}``. Scope and errors as
    ``collection_book``.
    """
    payments = _period(payments_in_scope(user=user), "paid_on", date_from, date_to)
    if agent is not None:
        if not agents_in_scope(user=user).filter(pk=agent.pk).exists():
            raise OutOfScope()
        payments = payments.filter(agent=agent)
    values = payments.values(
        "pk", "paid_on", "agent__code", "agent__full_name", "vsi_id", "amount", "reverses_id", "reason",
        "receipt__number", "receipt__payer_name", "reverses__receipt__number", "reverses__receipt__payer_name",
        "receipt__pk", "reverses__receipt__pk",
    ).order_by("agent__code", "paid_on", "pk")
    entries = []
    for v in values:
        scheme = SCHEME_VSI if v["vsi_id"] else SCHEME_HI
        reversal = v["reverses_id"] is not None
        entries.append({
            "payment_id": v["pk"], "day": v["paid_on"], "agent_code": v["agent__code"] or "",
            "agent_name": v["agent__full_name"] or NO_AGENT_LABEL, "scheme": scheme,
            "scheme_label": SCHEME_LABELS[scheme],
            "receipt_number": (v["reverses__receipt__number"] if reversal else v["receipt__number"]) or "",
            "receipt_id": v["reverses__receipt__pk"] if reversal else v["receipt__pk"],
            "payer": (v["reverses__receipt__payer_name"] if reversal else v["receipt__payer_name"]) or "",
            "amount": v["amount"], "is_reversal": reversal, "reason": v["reason"],
        })
    return entries


def collection_reconciliation(*, user, date_from: datetime.date, date_to: datetime.date,
                              agent: Agent | None = None) -> dict:
    """Per agent over a period: payments taken vs receipts issued vs participations priced.

    Returns ``{"rows": [row], "totals": {...}}``; a row is ``{"agent", "agent_code", "agent_name",
    "payments_count", "payments_amount"`` (payments taken in the period, reversals excluded),
    ``"receipts_count", "receipts_amount"`` (receipts issued in the period for those payments),
    ``"priced_amount"`` (payable of the participations those payments are for, as frozen when priced),
    ``"listed_amount"`` (what the D05-TS and D03-TS lists show for them: VSI payable + HI members'
    payable), ``"reversals_count", "reversals_amount"`` (reversals made in the period, positive VND),
    ``"net_amount"`` (taken − reversed), ``"diff_receipts"`` (payments − receipts),
    ``"diff_priced"`` (payments − priced), ``"diff_listed"`` (payments − listed),
    ``"without_receipt"`` (payments with no receipt), ``"ok"`` (every difference is 0)``}``. VND.
    Scope and errors as ``collection_book``.
    """
    scoped = payments_in_scope(user=user)
    if agent is not None:
        if not agents_in_scope(user=user).filter(pk=agent.pk).exists():
            raise OutOfScope()
        scoped = scoped.filter(agent=agent)
    in_period = _period(scoped, "paid_on", date_from, date_to)
    taken = in_period.filter(amount__gt=0, reverses__isnull=True)
    zero = Value(0)
    per_agent: dict = {}

    def row(agent_id):
        return per_agent.setdefault(agent_id, {
            "payments_count": 0, "payments_amount": 0, "receipts_count": 0, "receipts_amount": 0,
            "priced_amount": 0, "listed_amount": 0, "reversals_count": 0, "reversals_amount": 0,
            "without_receipt": 0,
        })

    for g in taken.values("agent_id").annotate(
        n=Count("pk"), amount=Coalesce(Sum("amount"), zero),
        priced=Coalesce(Sum("vsi__payable"), zero) + Coalesce(Sum("hi__payable"), zero),
        vsi_listed=Coalesce(Sum("vsi__payable"), zero),
        without_receipt=Count("pk", filter=Q(receipt__isnull=True)),
    ).order_by():
        r = row(g["agent_id"])
        r.update(payments_count=g["n"], payments_amount=g["amount"], priced_amount=g["priced"],
                 without_receipt=g["without_receipt"])
        r["listed_amount"] += g["vsi_listed"]
    for g in (
        taken.filter(hi__isnull=False).values("agent_id")
        .annotate(amount=Coalesce(Sum("hi__members__payable"), zero)).order_by()
    ):
        row(g["agent_id"])["listed_amount"] += g["amount"]
    # the scope through the receipt's payment (not "payment in <every payment in scope>"): the issue-date
    # index then picks the period's receipts first
    receipts = Receipt.objects.filter(payment_scope_q(user=user, path="payment__"), payment__amount__gt=0)
    if agent is not None:
        receipts = receipts.filter(payment__agent=agent)
    receipts = _period(receipts, "issued_on", date_from, date_to)
    for g in receipts.values("agent_id").annotate(n=Count("pk"), amount=Coalesce(Sum("amount"), zero)).order_by():
        row(g["agent_id"]).update(receipts_count=g["n"], receipts_amount=g["amount"])
    for g in in_period.filter(reverses__isnull=False).values("agent_id").annotate(
        n=Count("pk"), amount=Coalesce(Sum("amount"), zero)
    ).order_by():
        row(g["agent_id"]).update(reversals_count=g["n"], reversals_amount=-g["amount"])
    agents = _agent_labels(per_agent)
    rows = []
    for agent_id, r in per_agent.items():
        a = agents.get(agent_id)
        r |= {
            "agent": a, "agent_code": a.code if a else "", "agent_name": a.full_name if a else NO_AGENT_LABEL,
            "net_amount": r["payments_amount"] - r["reversals_amount"],
            "diff_receipts": r["payments_amount"] - r["receipts_amount"],
            "diff_priced": r["payments_amount"] - r["priced_amount"],
            "diff_listed": r["payments_amount"] - r["listed_amount"],
        }
        r["ok"] = not (r["diff_receipts"] or r["diff_priced"] or r["diff_listed"] or r["without_receipt"])
        rows.append(r)
    rows.sort(key=lambda r: r["agent_code"])
    keys = ["payments_count", "payments_amount", "receipts_count", "receipts_amount", "priced_amount",
            "listed_amount", "reversals_count", "reversals_amount", "net_amount", "diff_receipts", "diff_priced",
            "diff_listed", "without_receipt"]
    totals = {k: sum(r[k] for r in rows) for k in keys}
    totals["ok"] = all(r["ok"] for r in rows)
    return {"rows": rows, "totals": totals, "date_from": date_from, "date_to": date_to, "agent": agent}
