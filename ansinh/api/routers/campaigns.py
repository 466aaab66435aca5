"""Campaigns: progress at any level (the rows of the progress page and of ``ansinh progress --json``),
the targets, and the reminders (whom to visit next).

Roles: progress and targets — SI officers, association officers, group leaders and province
administrators (``campaigns.view_campaign``), figures limited to their scope; collection agents get 403
(the page is not theirs either). Reminders — collection agents (renewals and lapses of their households)
and group leaders (members and relatives not enrolled); other roles get an empty list.
``?campaign=`` is a campaign code (default: the campaign that started last)."""

import datetime
from typing import Literal

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from ..pagination import DbId, LimitOffset, SaneDate
from pydantic import ConfigDict

from ansinh.accounts.services import require_permission
from ansinh.areas.models import AdministrativeUnit
from ansinh.areas.selectors import map_in_force
from ansinh.campaigns.models import Campaign
from ansinh.campaigns.context import WorkingContext, working_context
from ansinh.campaigns.progress import LEVELS, progress_for_user
from ansinh.campaigns.reminders import reminders_for
from ansinh.campaigns.services import targets_for_user
from ansinh.collection.selectors_visits import visit_counts_per_agent
from ..schemas import ERRORS

router = Router(tags=["campaigns"])

Number = int | float


class CampaignQuery(Schema):
    model_config = ConfigDict(extra="forbid")
    campaign: str | None = Field(None, description="Mã chiến dịch trong địa bàn (mặc định: chiến dịch đang diễn "
                                                   "ra hôm nay, nếu không thì chiến dịch bắt đầu gần nhất)")


class ProgressQuery(CampaignQuery):
    by: Literal[LEVELS] | None = Field(None, description="Cấp: province, district (bản đồ cũ), commune, "
                                                         "branch, agent (mặc định: huyện trên bản đồ cũ, xã trên "
                                                         "bản đồ mới)")
    on: SaneDate | None = Field(None, description="Tính đến ngày (mặc định hôm nay, hoặc ngày kết thúc nếu chiến "
                                                  "dịch đã qua)")
    map: Literal["old", "new"] | None = Field(None, description="Bản đồ (mặc định: bản đồ có hiệu lực ngày on)")
    within: DbId | None = Field(None, description="Mã số (id) đơn vị hành chính giới hạn báo cáo")


class ProgressRowOut(Schema):
    level: str
    unit_id: int | None
    unit_code: str
    unit_name: str
    indicator: str
    period_start: datetime.date
    period_end: datetime.date
    goal_kind: str
    goal: Number | None
    achieved: Number
    percent: Number | None
    count: int
    of: int | None
    remaining: Number | None
    forecast: Number | None


class UnitOut(Schema):
    level: str
    id: int | None
    code: str
    name: str


class VisitCountOut(Schema):
    agent_id: int | None
    total: int
    not_home: int
    refused: int
    will_pay: int
    paid: int


class ProgressOut(Schema):
    campaign: str
    on: datetime.date
    by: str
    map: str
    within: UnitOut
    rows: list[ProgressRowOut]
    total: list[ProgressRowOut] = Field(description="Dòng tổng của đơn vị bao ngoài (within)")
    visits: list[VisitCountOut] | None = Field(description="Chỉ khi by=agent: số lần thăm hộ theo kết quả, từ "
                                                           "đầu chiến dịch đến ngày on")


class TargetOut(Schema):
    id: int
    indicator: str
    period_start: datetime.date
    period_end: datetime.date
    goal: Number
    goal_kind: str
    area_id: int | None
    association_unit_id: int | None
    agent_id: int | None


class ReminderOut(Schema):
    kind: str
    label: str
    person_id: int
    name: str
    household_id: int | None
    household_code: str
    due: datetime.date | None
    relation: str


def _context(request, code: str | None) -> WorkingContext:
    """The pages' rule (``ansinh.campaigns.context``): the campaign named (of the caller's scope, else 404),
    else the one running today, else the latest; the date today, or the campaign's end once it is over."""
    context = working_context(user=request.user, campaign_code=code)
    if context.campaign is None:
        raise Campaign.DoesNotExist()
    return context


def _campaign(request, code: str | None) -> Campaign:
    return _context(request, code).campaign


def _row(row: dict) -> dict:
    return {k: v for k, v in row.items() if k not in ("map", "on")}


@router.get("/progress", response={200: ProgressOut, **ERRORS}, summary="Tiến độ chiến dịch theo cấp")
def progress(request, query: Query[ProgressQuery]):
    """Achievement against each target per unit of the chosen level inside ``within``, on ``on``, on the old
    or new map: the same rows as the progress page and ``ansinh progress --json``, limited to the caller's
    scope; ``by=agent`` adds the door-to-door visits per agent and outcome. Roles: SI officers,
    association officers, group leaders, province administrators."""
    require_permission(request.user, "campaigns.view_campaign")
    context = _context(request, query.campaign)
    campaign = context.campaign
    on = query.on or context.on
    map_version = query.map or map_in_force(on=on)
    by = query.by or ("district" if map_version == "old" else "commune")
    within = get_object_or_404(AdministrativeUnit, pk=query.within) if query.within is not None else None
    report = progress_for_user(user=request.user, campaign=campaign, by=by, on=on, map_version=map_version,
                               within=within)
    visits = None
    if by == "agent":
        counts = visit_counts_per_agent(user=request.user, start=campaign.starts_on, end=min(on, campaign.ends_on))
        visits = [{"agent_id": agent_id, **c} for agent_id, c in sorted(counts.items(), key=lambda i: i[0] or 0)]
    w = report.within
    return {"campaign": campaign.code, "on": on, "by": by, "map": report.map,
            "within": {"level": w.level, "id": w.id, "code": w.code, "name": w.name},
            "rows": [_row(r) for r in report.rows()], "total": [_row(r) for r in report.total_rows()],
            "visits": visits}


@router.get("/targets", response={200: list[TargetOut], **ERRORS}, summary="Chỉ tiêu của chiến dịch")
@paginate(LimitOffset)
def targets(request, query: Query[CampaignQuery]):
    """The campaign's targets whose unit lies in the caller's scope. Roles: as progress."""
    require_permission(request.user, "campaigns.view_campaign")
    items = targets_for_user(user=request.user, campaign=_campaign(request, query.campaign))
    return [{"id": t.pk, "indicator": t.indicator, "period_start": t.period_start, "period_end": t.period_end,
             "goal": int(t.goal) if t.goal == t.goal.to_integral_value() else float(t.goal),
             "goal_kind": t.goal_kind, "area_id": t.area_id, "association_unit_id": t.association_unit_id,
             "agent_id": t.agent_id} for t in items]


class ReminderQuery(Schema):
    model_config = ConfigDict(extra="forbid")
    on: SaneDate | None = Field(None, description="Ngày tính (mặc định hôm nay)")


@router.get("/reminders", response={200: list[ReminderOut], **ERRORS}, summary="Danh sách cần đến thăm")
@paginate(LimitOffset)
def reminders(request, query: Query[ReminderQuery]):
    """Whom to visit next, most urgent first (lapsed, expiring, not enrolled). Roles: collection agents and
    group leaders; other roles get an empty list."""
    items = reminders_for(user=request.user, on=query.on or timezone.localdate())
    return [{"kind": r.kind, "label": r.label, "person_id": r.person_id, "name": r.name,
             "household_id": r.household_id, "household_code": r.household_code, "due": r.due,
             "relation": r.relation} for r in items]
