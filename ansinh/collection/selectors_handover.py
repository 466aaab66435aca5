"""Reads over the agents' cash: what each agent holds per day (cash collected − cancelled), their
handovers, and the cash reconciliation per agent and day (collected − cancelled − handed over), with
every difference and every day held longer than the organisation's limit flagged.

Only cash counts (``PaymentMethod.CASH``): a bank transfer reaches the organisation's account directly.
A reversal counts on the day it was made (the agent gives the cash back that day). Scope: an agent their
own cash; an officer the agents of their area (``selectors.agents_in_scope``); the whole of an agent's
cash is reconciled, whichever commune it was collected in. Money is integer VND.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from ansinh.accounts.models import Role
from ansinh.accounts.services import require_permission
from ansinh.core.errors import OutOfScope
from ansinh.core.money import format_vnd

from .models import Agent, CashHandover, CashHandoverDay, Payment, PaymentMethod
from .selectors import agents_in_scope


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when ``end`` <= ``start``): Monday to
    Friday. Public holidays (Tết, 30/4, 1/5, 2/9…) are NOT counted out: the limit is a warning, and a
    holiday calendar is not kept here."""
    if end <= start:
        return 0
    days = (end - start).days
    weeks, rest = divmod(days, 7)
    count = weeks * 5
    for i in range(1, rest + 1):
        if (start + datetime.timedelta(days=weeks * 7 + i)).weekday() < 5:
            count += 1
    return count


def cash_by_day(*, agent: Agent, date_from: datetime.date, date_to: datetime.date) -> dict[datetime.date, dict]:
    """``{day: {"collected", "cancelled", "net"}}`` for the agent's days with cash from ``date_from`` to
    ``date_to`` (no scope check: callers checked the agent). ``cancelled`` is positive VND."""
    rows = (
        Payment.objects.filter(agent=agent, method=PaymentMethod.CASH, paid_on__gte=date_from, paid_on__lte=date_to)
        .values("paid_on")
        .annotate(collected=Coalesce(Sum("amount", filter=Q(reverses__isnull=True, amount__gt=0)), Value(0)),
                  cancelled=Coalesce(Sum("amount", filter=Q(reverses__isnull=False)), Value(0)))
        .order_by("paid_on")
    )
    return {r["paid_on"]: {"collected": r["collected"], "cancelled": -r["cancelled"],
                           "net": r["collected"] + r["cancelled"]} for r in rows}


def _cash_by_agent_day(*, agent_ids: list[int], date_from: datetime.date,
                       date_to: datetime.date) -> dict[int, dict[datetime.date, dict]]:
    """``cash_by_day`` of many agents in one query: ``{agent id: {day: {"collected", "cancelled", "net"}}}``."""
    rows = (
        Payment.objects.filter(agent_id__in=agent_ids, method=PaymentMethod.CASH, paid_on__gte=date_from,
                               paid_on__lte=date_to)
        .values("agent_id", "paid_on")
        .annotate(collected=Coalesce(Sum("amount", filter=Q(reverses__isnull=True, amount__gt=0)), Value(0)),
                  cancelled=Coalesce(Sum("amount", filter=Q(reverses__isnull=False)), Value(0)))
        .order_by("agent_id", "paid_on")
    )
    out: dict[int, dict] = defaultdict(dict)
    for r in rows:
        out[r["agent_id"]][r["paid_on"]] = {"collected": r["collected"], "cancelled": -r["cancelled"],
                                            "net": r["collected"] + r["cancelled"]}
    return out


def handovers_in_scope(*, user) -> QuerySet[CashHandover]:
    """Handovers the user may see: an agent's own; an officer's those of the agents of their area.
    Raises PermissionDenied."""
    return CashHandover.objects.filter(agent__in=agents_in_scope(user=user)).select_related(
        "agent", "org", "confirmed_by")


def handover_list(*, user, pending_only: bool = False, limit: int = 100) -> list[CashHandover]:
    """The latest handovers of the scope (newest first), each with ``day_list`` (its days in order);
    ``pending_only``: those not confirmed yet. Raises PermissionDenied."""
    handovers = handovers_in_scope(user=user)
    if pending_only:
        handovers = handovers.filter(confirmed_at__isnull=True)
    handovers = list(handovers.order_by("-handed_on", "-pk")[:limit])
    days: dict[int, list] = {}
    for d in CashHandoverDay.objects.filter(handover__in=handovers).order_by("day"):
        days.setdefault(d.handover_id, []).append(d.day)
    for h in handovers:
        h.day_list = days.get(h.pk, [])
    return handovers


def handover_get(*, user, pk: int) -> CashHandover:
    """One handover of the scope. Raises CashHandover.DoesNotExist, PermissionDenied, OutOfScope."""
    agents = agents_in_scope(user=user)  # permission first: a role without it is refused alike for any id
    handover = CashHandover.objects.select_related("agent", "org").get(pk=pk)
    if not agents.filter(pk=handover.agent_id).exists():
        raise OutOfScope()
    return handover


def cash_not_handed_over(*, user, on: datetime.date, since_days: int | None = None) -> list[dict]:
    """The agent's days with cash (net ≠ 0) up to ``on`` (``since_days``: only that many days back; None:
    all, so old cash never drops out of sight) not yet handed over:
    ``[{"day", "collected", "cancelled", "net", "held_days", "overdue"}]``. Only for an agent (others: [])."""
    user_role = require_permission(user, "collection.view_payment")
    if user_role.role != Role.COLLECTION_AGENT:
        return []
    agent = Agent.objects.select_related("org").get(pk=user_role.agent_id)
    start = on - datetime.timedelta(days=since_days) if since_days is not None else datetime.date(2000, 1, 1)
    cash = cash_by_day(agent=agent, date_from=start, date_to=on)
    covered = set(CashHandoverDay.objects.filter(agent=agent, day__in=cash).values_list("day", flat=True))
    rows = []
    for day, c in cash.items():
        if day in covered or c["net"] == 0:
            continue
        held = working_days_between(day, on)
        rows.append({"day": day, **c, "held_days": held, "overdue": c["net"] > 0 and held > agent.org.cash_hold_days})
    return rows


def cash_reconciliation(*, user, date_from: datetime.date, date_to: datetime.date, on: datetime.date,
                        agent: Agent | None = None) -> dict:
    """Per agent and day with cash from ``date_from`` to ``date_to``: collected − cancelled − handed over.

    Returns ``{"rows": [row], "totals": {"collected", "cancelled", "net", "handed_over", "difference",
    "flagged"}, "date_from", "date_to", "on"}``; a row is ``{"agent", "agent_code", "agent_name", "day",
    "collected", "cancelled", "net", "handed_over", "difference"`` (net − handed over), ``"handover"``
    (CashHandover or None), ``"held_days"`` (working days from the day to its handover, or to ``on`` when
    not handed over), ``"limit"`` (the organisation's ``cash_hold_days``), ``"flags"`` (Vietnamese
    strings), ``"ok"``}``. The amount of a handover is spread over its days as each day's cash when it was
    handed over; what it fell short of falls on its last day. A confirmed handover whose amount received
    differs from the amount declared is flagged on its last day. Rows are ordered by agent code, then day.
    Raises PermissionDenied, OutOfScope (``agent`` outside the user's area)."""
    agents = agents_in_scope(user=user).select_related("org")
    if agent is not None:
        if not agents.filter(pk=agent.pk).exists():
            raise OutOfScope()
        agents = agents.filter(pk=agent.pk)
    rows = []
    agents = list(agents.order_by("code"))
    # every agent at once (a fixed number of queries, not three per agent): cash per day, the days handed
    # over in the period, and every day of those handovers
    cash_of = _cash_by_agent_day(agent_ids=[a.pk for a in agents], date_from=date_from, date_to=date_to)
    covered_of: dict[int, dict] = defaultdict(dict)
    for d in CashHandoverDay.objects.filter(agent_id__in=[a.pk for a in agents], day__gte=date_from,
                                            day__lte=date_to).select_related("handover", "handover__confirmed_by"):
        covered_of[d.agent_id][d.day] = d
    days_of: dict[int, list] = defaultdict(list)
    for d in CashHandoverDay.objects.filter(
            handover_id__in={d.handover_id for covered in covered_of.values() for d in covered.values()},
    ).order_by("day"):
        days_of[d.handover_id].append(d)
    for a in agents:
        cash = cash_of.get(a.pk, {})
        covered = covered_of.get(a.pk, {})
        handed: dict[datetime.date, int] = {}
        last_day: dict[int, datetime.date] = {}
        handovers = {d.handover_id: d.handover for d in covered.values()}
        for h in handovers.values():  # the whole handover, even days outside the period, to find its last day
            h_days = days_of[h.pk]
            last_day[h.pk] = h_days[-1].day
            shortfall = sum(d.amount for d in h_days) - h.amount
            for d in h_days:
                handed[d.day] = d.amount - (shortfall if d.day == last_day[h.pk] else 0)
        for day in sorted(set(cash) | set(covered)):
            c = cash.get(day, {"collected": 0, "cancelled": 0, "net": 0})
            cover = covered.get(day)
            h = cover.handover if cover else None
            handed_over = handed.get(day, 0) if h else 0
            difference = c["net"] - handed_over
            held = working_days_between(day, h.handed_on if h else on)
            flags = []
            if difference and (h is not None or held > a.org.cash_hold_days or c["net"] < 0):
                flags.append(f"Chênh lệch {format_vnd(difference)}")
            if c["net"] > 0 and held > a.org.cash_hold_days:
                flags.append(f"Giữ tiền {held} ngày làm việc (quá {a.org.cash_hold_days} ngày)"
                             if h is None else f"Bàn giao sau {held} ngày làm việc (quá {a.org.cash_hold_days} ngày)")
            if h is not None and last_day.get(h.pk) == day and h.amount_received is not None \
                    and h.amount_received != h.amount:
                flags.append(f"Thực nhận {format_vnd(h.amount_received)}, chênh {format_vnd(h.amount_received - h.amount)}")
            rows.append({
                "agent": a, "agent_code": a.code, "agent_name": a.full_name, "day": day,
                "collected": c["collected"], "cancelled": c["cancelled"], "net": c["net"],
                "handed_over": handed_over, "difference": difference, "handover": h, "held_days": held,
                "limit": a.org.cash_hold_days, "flags": flags, "ok": not flags,
                "pending": h is None and c["net"] > 0 and not flags,  # not handed over yet, within the limit
            })
    keys = ["collected", "cancelled", "net", "handed_over", "difference"]
    totals = {k: sum(r[k] for r in rows) for k in keys}
    totals["flagged"] = sum(1 for r in rows if r["flags"])
    return {"rows": rows, "totals": totals, "date_from": date_from, "date_to": date_to, "on": on}
