"""Door-to-door visits: a phone records the outcome of a visit (not home, refused with a reason, will pay on
a date, paid) and lists visits; each visit carries a ``client_uuid`` made by the phone, so syncing the same
visit twice records it once (200 with the first visit instead of 201).

Roles: collection agents (their assigned households; they list their own visits) and SI officers
(households of their area); other roles get 403. Counted per agent and outcome on the progress page by
agent (``/tien-do/?by=agent``) and in ``GET /api/v1/campaigns/progress?by=agent``."""

import datetime
import uuid
from typing import Annotated, Literal

from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status as Reply

from ..pagination import DbId, LimitOffset, SaneDatetime
from pydantic import ConfigDict

from ansinh.collection.models import Visit, VisitOutcome
from ansinh.collection.selectors_visits import visits_in_scope
from ansinh.collection.services_visits import visit_record
from ansinh.registry.selectors import household_get

from .quotes import Id, Mapped
from ..schemas import BODY_ERRORS, CONFLICT, ERRORS

router = Router(tags=["visits"])

Outcome = Literal[tuple(VisitOutcome.values)]


class VisitIn(Schema):
    model_config = ConfigDict(extra="forbid")
    client_uuid: uuid.UUID = Field(description="Mã lần thăm do điện thoại tạo (UUID), gửi lại khi đồng bộ lại")
    household_id: Id
    visited_at: datetime.datetime = Field(description="Thời điểm thăm (ISO 8601, có múi giờ)")
    outcome: Outcome
    reason: Annotated[str, Field(max_length=300)] = Field("", description="Lý do từ chối (bắt buộc khi refused)")
    will_pay_on: datetime.date | None = Field(None, description="Ngày hẹn nộp (bắt buộc khi will_pay)")
    note: Annotated[str, Field(max_length=500)] = ""


class VisitOut(Schema):
    id: int
    client_uuid: uuid.UUID
    household_id: int
    agent_id: int | None
    visited_at: datetime.datetime
    outcome: str
    reason: str
    will_pay_on: datetime.date | None
    note: str


class VisitFilter(Schema):
    model_config = ConfigDict(extra="forbid")
    household_id: DbId | None = None
    outcome: Outcome | None = None
    since: SaneDatetime | None = Field(None, description="Chỉ các lần thăm từ thời điểm này")


def visit_out(visit: Visit) -> dict:
    return {"id": visit.pk, "client_uuid": visit.client_uuid, "household_id": visit.household_id,
            "agent_id": visit.agent_id, "visited_at": timezone.localtime(visit.visited_at), "outcome": visit.outcome,
            "reason": visit.reason, "will_pay_on": visit.will_pay_on, "note": visit.note}


@router.post("/", response={201: VisitOut, 200: VisitOut, **CONFLICT, **BODY_ERRORS}, summary="Ghi kết quả thăm hộ")
def visit_create(request, payload: VisitIn):
    """Record a visit's outcome (201); the same ``client_uuid`` again answers the first visit (200); the
    same ``client_uuid`` for another household or outcome is refused (409). Roles: collection agents and
    SI officers, in their scope."""
    household = household_get(user=request.user, pk=payload.household_id)
    visit, created = visit_record(
        user=request.user, household=household, client_uuid=payload.client_uuid, visited_at=payload.visited_at,
        outcome=payload.outcome, reason=payload.reason, will_pay_on=payload.will_pay_on, note=payload.note)
    return Reply(201 if created else 200, visit_out(visit))


@router.get("/", response={200: list[VisitOut], **ERRORS}, summary="Danh sách lần thăm hộ")
@paginate(LimitOffset)
def visit_list(request, filters: Query[VisitFilter]):
    """Visits latest first: a collection agent's own, an SI officer's area's; filter by household, outcome
    and ``since``. Roles: collection agents and SI officers."""
    return Mapped(visits_in_scope(user=request.user, household_id=filters.household_id, outcome=filters.outcome,
                                  since=filters.since), visit_out)
