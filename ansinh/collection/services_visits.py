"""Door-to-door visits (kết quả thăm hộ): recorded once per phone-made ``client_uuid``. Reads (the list
in scope, the counts per agent and outcome for the progress page) are in ``selectors_visits``.

Roles: SI officers (households of their area) and collection agents (their assigned households) record
and read visits (``collection.add_visit`` / ``collection.view_visit``); the counts follow the progress
page's permission (``campaigns.view_campaign``) and scope.
"""

import datetime
import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone

from ansinh.accounts.models import Role
from ansinh.accounts.services import require_household_in_scope, require_permission
from ansinh.core.errors import ValidationError
from ansinh.registry.models import Household

from .models import Visit, VisitOutcome

CLOCK_SKEW = datetime.timedelta(minutes=10)
"""How far ahead of the server's clock a phone's visit time may be."""
VISIT_FUTURE = "Thời điểm thăm hộ không được sau hiện tại."
VISIT_NO_TIMEZONE = "Thời điểm thăm hộ phải có múi giờ (ví dụ 2026-12-03T10:00:00+07:00)."
VISIT_TOO_OLD = "Thời điểm thăm hộ không hợp lệ (trước năm 2000)."
REASON_REQUIRED = "Vui lòng ghi lý do hộ từ chối."
DATE_REQUIRED = "Vui lòng nhập ngày hộ hẹn nộp tiền."
DATE_IN_PAST = "Ngày hẹn nộp không được trước ngày thăm hộ."
NOT_FOR_OUTCOME = "Chỉ ghi {field} cho kết quả «{label}»."
UUID_OTHER_VISIT = "Mã lần thăm (client_uuid) này đã được dùng cho một lần thăm khác."


class VisitInvalid(ValidationError):
    code = "visit_invalid"
    message = "Kết quả thăm hộ không hợp lệ."


class VisitConflict(ValidationError):
    code = "idempotency_conflict"
    message = UUID_OTHER_VISIT


def _check(*, outcome: str, visited_at: datetime.datetime, reason: str, will_pay_on: datetime.date | None) -> None:
    if outcome not in VisitOutcome.values:
        raise VisitInvalid("Kết quả thăm hộ phải là một trong: " + ", ".join(VisitOutcome.values) + ".",
                           field="outcome")
    if timezone.is_naive(visited_at):
        raise VisitInvalid(VISIT_NO_TIMEZONE, field="visited_at")
    if visited_at > timezone.now() + CLOCK_SKEW:
        raise VisitInvalid(VISIT_FUTURE, field="visited_at")
    if visited_at.year < 2000:
        raise VisitInvalid(VISIT_TOO_OLD, field="visited_at")
    if outcome == VisitOutcome.REFUSED and not reason.strip():
        raise VisitInvalid(REASON_REQUIRED, field="reason")
    if outcome != VisitOutcome.REFUSED and reason.strip():
        raise VisitInvalid(NOT_FOR_OUTCOME.format(field="lý do", label=VisitOutcome.REFUSED.label), field="reason")
    if outcome == VisitOutcome.WILL_PAY:
        if will_pay_on is None:
            raise VisitInvalid(DATE_REQUIRED, field="will_pay_on")
        if will_pay_on < timezone.localtime(visited_at).date():
            raise VisitInvalid(DATE_IN_PAST, field="will_pay_on")
    elif will_pay_on is not None:
        raise VisitInvalid(NOT_FOR_OUTCOME.format(field="ngày hẹn nộp", label=VisitOutcome.WILL_PAY.label),
                           field="will_pay_on")


def visit_record(*, user, household: Household, client_uuid: uuid.UUID, visited_at: datetime.datetime,
                 outcome: str, reason: str = "", will_pay_on: datetime.date | None = None,
                 note: str = "") -> tuple[Visit, bool]:
    """Record the outcome of a visit to ``household``: ``not_home``, ``refused`` (``reason`` required),
    ``will_pay`` (``will_pay_on`` required, not before the visit's day) or ``paid``. The visitor's agent (a
    collection agent) or None (an officer) is kept. Returns ``(visit, created)``: the same ``client_uuid``
    sent again (a phone syncing twice) returns the first visit with ``created`` False and writes nothing.
    Raises PermissionDenied, OutOfScope, VisitInvalid (naming the field), VisitConflict (the uuid was
    used for another household or outcome)."""
    user_role = require_permission(user, "collection.add_visit")
    require_household_in_scope(user, household)
    reason, note = reason.strip(), note.strip()
    existing = Visit.objects.filter(client_uuid=client_uuid).first()
    if existing is not None:
        return _same_visit(existing, household=household, outcome=outcome), False
    _check(outcome=outcome, visited_at=visited_at, reason=reason, will_pay_on=will_pay_on)
    agent = user_role.agent if user_role.role == Role.COLLECTION_AGENT else None
    try:
        with transaction.atomic():
            visit = Visit.objects.create(
                client_uuid=client_uuid, household=household, agent=agent, visited_at=visited_at, outcome=outcome,
                reason=reason[:300], will_pay_on=will_pay_on, note=note[:500], recorded_by=user)
    except IntegrityError:  # the same visit sent at the same moment: the first one stands
        existing = Visit.objects.filter(client_uuid=client_uuid).first()
        if existing is None:
            raise
        return _same_visit(existing, household=household, outcome=outcome), False
    return visit, True


def _same_visit(visit: Visit, *, household: Household, outcome: str) -> Visit:
    if visit.household_id != household.pk or visit.outcome != outcome:
        raise VisitConflict(field="client_uuid")
    return visit
