"""Writes of the cash handover: an agent records the handover of one or several days' cash to their
organisation; a cashier or officer of the area confirms the amount actually received.

A day's cash (see ``selectors_handover.cash_by_day``: cash collected − cancelled that day) is handed over
at most once (``CashHandoverDay`` is unique per agent and day; the agent's row is locked while a handover
is recorded, so two submissions at once are serialised). A handover may be less than the cash of its days
(the shortfall shows in the reconciliation), never more. Days whose cash nets to 0 (a payment and its
cancellation) are settled by a handover of 0 đ. Nothing is deleted or rewritten except the
confirmation fields, once.
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from ansinh.accounts.models import Role
from ansinh.accounts.services import require_permission
from ansinh.core.errors import OutOfScope, PermissionDenied
from ansinh.core.formatting import format_date
from ansinh.core.money import format_vnd

from . import errors_handover as e
from .models import Agent, CashHandover, CashHandoverDay
from .selectors import agents_in_scope
from .selectors_handover import cash_by_day

MAX_DAYS = 62  # one handover covers at most about two months of days


def _amount(value, *, allow_zero: bool, error: type[e.HandoverError], field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0 or (value == 0 and not allow_zero):
        raise error(field=field)
    return value


@transaction.atomic
def handover_record(*, user, date_from: datetime.date, date_to: datetime.date, amount: int, handed_to: str,
                    handed_on: datetime.date, note: str = "") -> CashHandover:
    """The signed-in agent hands over the cash of their days from ``date_from`` to ``date_to`` (the days
    with cash in that range) to ``handed_to`` on ``handed_on``. Raises PermissionDenied (not an agent),
    HandoverAmountInvalid (``amount``), HandoverDatesInvalid (``date_to``, ``handed_on``), ``handed_to``
    missing (HandoverError), NothingToHandOver / DayAlreadyHandedOver (``date_from``), HandoverTooLarge
    (``amount``: more than the days' cash collected − cancelled)."""
    user_role = require_permission(user, "collection.add_cashhandover")
    if user_role.role != Role.COLLECTION_AGENT or user_role.agent_id is None:
        raise PermissionDenied(e.NOT_AN_AGENT)
    amount = _amount(amount, allow_zero=True, error=e.HandoverAmountInvalid, field="amount")
    handed_to = (handed_to or "").strip()
    if not handed_to:
        raise e.HandoverError(e.HANDED_TO_REQUIRED, field="handed_to")
    if handed_on > timezone.localdate():
        raise e.HandoverDatesInvalid(e.HANDED_ON_FUTURE, field="handed_on")
    if date_from > date_to:
        raise e.HandoverDatesInvalid(e.DATES_ORDER, field="date_to")
    if (date_to - date_from).days >= MAX_DAYS:
        raise e.HandoverDatesInvalid(e.DATES_TOO_LONG.format(days=MAX_DAYS), field="date_to")
    if date_to > handed_on:
        raise e.HandoverDatesInvalid(e.DATES_AFTER_HANDOVER.format(handed_on=format_date(handed_on)),
                                     field="date_to")
    agent = Agent.objects.select_for_update().select_related("org").get(pk=user_role.agent_id)
    cash = {day: c for day, c in cash_by_day(agent=agent, date_from=date_from, date_to=date_to).items()
            if c["collected"] or c["cancelled"]}
    if not cash:
        raise e.NothingToHandOver(e.NOTHING_TO_HAND_OVER.format(date_from=format_date(date_from),
                                                                date_to=format_date(date_to)), field="date_from")
    taken = list(CashHandoverDay.objects.filter(agent=agent, day__in=cash).select_related("handover").order_by("day"))
    if taken:
        raise e.DayAlreadyHandedOver(e.DAY_HANDED_OVER.format(
            days=", ".join(format_date(d.day) for d in taken), handed_on=format_date(taken[0].handover.handed_on)),
            field="date_from")
    due = sum(c["net"] for c in cash.values())
    if amount == 0 and due != 0:
        raise e.HandoverAmountInvalid(field="amount")
    if due < 0:
        raise e.NothingToHandOver(e.NOTHING_TO_HAND_OVER.format(date_from=format_date(date_from),
                                                                date_to=format_date(date_to)), field="date_from")
    if amount > due:
        raise e.HandoverTooLarge(e.AMOUNT_TOO_LARGE.format(amount=format_vnd(amount), due=format_vnd(due)),
                                 field="amount")
    handover = CashHandover(agent=agent, org=agent.org, amount=amount, handed_on=handed_on, handed_to=handed_to,
                            note=(note or "").strip()[:300], recorded_by=user)
    handover._history_user = user
    handover.save()
    try:
        with transaction.atomic():  # the unique (agent, day) constraint backs the lock: never two handovers of a day
            CashHandoverDay.objects.bulk_create([
                CashHandoverDay(handover=handover, agent=agent, day=day, amount=c["net"])
                for day, c in sorted(cash.items())])
    except IntegrityError:
        raise e.DayAlreadyHandedOver(e.DAY_HANDED_OVER.format(
            days=", ".join(format_date(day) for day in sorted(cash)), handed_on=format_date(handed_on)),
            field="date_from") from None
    return handover


@transaction.atomic
def handover_confirm(*, user, handover: CashHandover, amount_received: int) -> CashHandover:
    """A cashier or SI officer of the agent's area confirms the cash actually received (it may differ
    from the amount declared: the reconciliation flags it; never more than declared). Once only. Raises
    PermissionDenied, OutOfScope, HandoverAmountInvalid / HandoverTooLarge / HandoverAlreadyConfirmed
    (``amount_received``)."""
    require_permission(user, "collection.confirm_cashhandover")
    if not agents_in_scope(user=user).filter(pk=handover.agent_id).exists():
        raise OutOfScope()
    amount_received = _amount(amount_received, allow_zero=True, error=e.HandoverAmountInvalid,
                              field="amount_received")
    locked = CashHandover.objects.select_for_update().get(pk=handover.pk)
    if locked.confirmed_at is not None:
        by = locked.confirmed_by.get_full_name() or locked.confirmed_by.username
        raise e.HandoverAlreadyConfirmed(e.ALREADY_CONFIRMED.format(
            confirmed_at=format_date(timezone.localtime(locked.confirmed_at).date()), by=by), field="amount_received")
    if amount_received > locked.amount:  # never more than declared: a typo could not be corrected afterwards
        raise e.HandoverTooLarge(e.RECEIVED_TOO_LARGE.format(received=format_vnd(amount_received),
                                                             amount=format_vnd(locked.amount)),
                                 field="amount_received")
    locked.amount_received = amount_received
    locked.confirmed_by = user
    locked.confirmed_at = timezone.now()
    locked._history_user = user
    locked.save()
    return locked
