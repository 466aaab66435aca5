"""Campaigns and targets: created and edited by officers, checked once at the top of each service.

A target is an indicator (``Indicator``), one unit (an area, an association unit or an agent), a period
and a goal whose kind follows the indicator: ``vsi_new``/``hi_new`` are counts of people,
``leaders_vsi``/``leaders_hi``/``members_covered`` percentages (0–100), ``collected`` an amount in VND.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction

from ansinh.accounts.models import Role
from ansinh.accounts.services import record_communes_in_scope, require_permission
from ansinh.areas.models import AdministrativeUnit, Level, MapVersion, UnitMapping
from ansinh.areas.selectors import record_communes_of
from ansinh.collection.models import Agent
from ansinh.core.dates import ADMIN_DATE_OUT_OF_RANGE, admin_date_in_range
from ansinh.core.errors import OutOfScope, PermissionDenied
from ansinh.registry.models import AssociationUnit

from . import errors
from .models import Campaign, GoalKind, Indicator, Target
from .progress import GOAL_KIND
from .selectors import campaign_map

GOAL_LIMIT = Decimal(10) ** (Target._meta.get_field("goal").max_digits - Target._meta.get_field("goal").decimal_places)
"""A goal must fit the goal column (16 digits, 2 after the point)."""
_KIND_WORDS = {GoalKind.COUNT: "số người", GoalKind.PERCENT: "tỷ lệ %", GoalKind.AMOUNT: "số tiền (đồng)"}


def _goal(value) -> Decimal:
    try:
        goal = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise errors.TargetInvalid(errors.GOAL_NOT_NUMBER, field="goal") from None
    if not goal.is_finite():
        raise errors.TargetInvalid(errors.GOAL_NOT_NUMBER, field="goal")
    if abs(goal) >= GOAL_LIMIT:
        raise errors.TargetInvalid(errors.GOAL_TOO_LARGE, field="goal")
    return goal


def _check_values(*, campaign: Campaign, indicator: str, period_start: datetime.date, period_end: datetime.date,
                  goal, goal_kind: str) -> Decimal:
    for name, day in (("period_start", period_start), ("period_end", period_end)):
        if not admin_date_in_range(day):
            raise errors.TargetPeriodInvalid(ADMIN_DATE_OUT_OF_RANGE, field=name)
    if indicator not in Indicator.values:
        raise errors.TargetInvalid(errors.INDICATOR_UNKNOWN, field="indicator")
    expected = GOAL_KIND[indicator]
    if goal_kind != expected:
        raise errors.TargetGoalKindMismatch(errors.GOAL_KIND_MISMATCH.format(
            indicator=Indicator(indicator).label, kind=_KIND_WORDS[expected]), field="indicator")
    goal = _goal(goal)
    if goal < 0:
        raise errors.TargetGoalNegative(field="goal")
    if goal_kind == GoalKind.PERCENT and goal > 100:
        raise errors.TargetPercentTooHigh(field="goal")
    if goal_kind != GoalKind.PERCENT and goal != goal.to_integral_value():
        raise errors.TargetInvalid(errors.GOAL_NOT_WHOLE, field="goal")
    if period_end < period_start:
        raise errors.TargetPeriodInvalid(field="period_end")
    if period_start < campaign.starts_on or period_end > campaign.ends_on:
        raise errors.TargetPeriodInvalid(errors.PERIOD_OUTSIDE_CAMPAIGN.format(
            start=f"{campaign.starts_on:%d/%m/%Y}", end=f"{campaign.ends_on:%d/%m/%Y}"),
            field="period_start" if period_start < campaign.starts_on else "period_end")
    return goal.quantize(Decimal("0.01"))


def _communes_covered(*, area=None, association_unit=None, agent=None) -> set[int]:
    """Commune ids whose records a target's unit covers, on both maps (``record_communes_of``: an old-map
    area and the new communes that are its communes' primary successors, a new-map area and the old
    communes whose primary successor it holds)."""
    if area is None:
        area = association_unit.commune if association_unit is not None else agent.area
    return set(record_communes_of(unit=area).values_list("pk", flat=True))


def _target_area(target: Target) -> AdministrativeUnit:
    """The area whose records a target's unit covers: its area, its association unit's commune or its
    agent's area (as ``_communes_covered``)."""
    if target.area_id is not None:
        return target.area
    return target.association_unit.commune if target.association_unit_id is not None else target.agent.area


def _communes_covered_by_area(areas: list[AdministrativeUnit]) -> dict[int, set[int]]:
    """``record_communes_of`` for many areas at once: area id -> commune ids, from two queries (every
    commune and every primary mapping) instead of one query per area."""
    if not areas:
        return {}
    communes = list(AdministrativeUnit.objects.filter(level=Level.COMMUNE).values_list("pk", "parent_id",
                                                                                       "province_id"))
    primary = list(UnitMapping.objects.filter(is_primary=True).values_list("old_unit_id", "new_unit_id"))
    out: dict[int, set[int]] = {}
    for area in areas:
        if area.pk in out:
            continue
        if area.level == Level.COMMUNE:
            own = {area.pk}
        elif area.level == Level.DISTRICT:
            own = {pk for pk, parent_id, _ in communes if parent_id == area.pk}
        else:
            own = {pk for pk, _, province_id in communes if province_id == area.pk}
        if area.map == MapVersion.OLD:
            other = {new for old, new in primary if old in own}
        else:
            other = {old for old, new in primary if new in own}
        out[area.pk] = own | other
    return out


def _require_unit_in_scope(user, *, area, association_unit, agent) -> None:
    """The target's unit must lie wholly inside the user's scope (both compared on both maps, so an
    officer or administrator scoped on the new map can give targets to old-map units of their area and
    the other way round)."""
    scope = set(record_communes_in_scope(user).values_list("pk", flat=True))
    covered = _communes_covered(area=area, association_unit=association_unit, agent=agent)
    if not covered or not covered <= scope:
        raise errors.TargetOutOfScope(field="area" if area is not None
                                      else "association_unit" if association_unit is not None else "agent")


def _one_unit(area, association_unit, agent) -> None:
    if sum(x is not None for x in (area, association_unit, agent)) != 1:
        raise errors.TargetUnitInvalid(field="unit_kind")


def _require_open_unit(*, association_unit, agent, period_end: datetime.date) -> None:
    """A unit or agent closed on or before the period's last day cannot work the whole period."""
    for name, unit in (("association_unit", association_unit), ("agent", agent)):
        if unit is not None and unit.closed_on is not None and unit.closed_on <= period_end:
            raise errors.TargetUnitClosed(errors.UNIT_CLOSED.format(closed_on=f"{unit.closed_on:%d/%m/%Y}"),
                                          field=name)


def _duplicate(*, campaign, indicator, area, association_unit, agent, period_start, period_end, exclude=None) -> bool:
    qs = Target.objects.filter(campaign=campaign, indicator=indicator, area=area, association_unit=association_unit,
                               agent=agent, period_start=period_start, period_end=period_end)
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return qs.exists()


@transaction.atomic
def target_create(*, user, campaign: Campaign, indicator: str, period_start: datetime.date, period_end: datetime.date,
                  goal, goal_kind: str, area: AdministrativeUnit | None = None,
                  association_unit: AssociationUnit | None = None, agent: Agent | None = None) -> Target:
    """Give a unit (exactly one of ``area``, ``association_unit``, ``agent``) a goal for an indicator and
    a period of the campaign. Raises PermissionDenied, TargetOutOfScope, TargetUnitInvalid,
    TargetGoalNegative, TargetPercentTooHigh, TargetPeriodInvalid, TargetGoalKindMismatch,
    TargetInvalid, TargetUnitClosed (a unit or agent closed on or before ``period_end``), TargetDuplicate."""
    require_permission(user, "campaigns.add_target")
    _one_unit(area, association_unit, agent)
    _require_unit_in_scope(user, area=area, association_unit=association_unit, agent=agent)
    goal = _check_values(campaign=campaign, indicator=indicator, period_start=period_start, period_end=period_end,
                         goal=goal, goal_kind=goal_kind)
    _require_open_unit(association_unit=association_unit, agent=agent, period_end=period_end)
    if _duplicate(campaign=campaign, indicator=indicator, area=area, association_unit=association_unit, agent=agent,
                  period_start=period_start, period_end=period_end):
        raise errors.TargetDuplicate(field="indicator")
    return Target.objects.create(campaign=campaign, indicator=indicator, area=area, association_unit=association_unit,
                                 agent=agent, period_start=period_start, period_end=period_end, goal=goal,
                                 goal_kind=goal_kind)


_UNSET = object()


@transaction.atomic
def target_update(*, user, target: Target, indicator: str | None = None, period_start: datetime.date | None = None,
                  period_end: datetime.date | None = None, goal=None, goal_kind: str | None = None,
                  area=_UNSET, association_unit=_UNSET, agent=_UNSET) -> Target:
    """Change a target; arguments left out keep their value. The unit (old and new) must be in the
    officer's scope. Raises what ``target_create`` raises."""
    require_permission(user, "campaigns.change_target")
    target = (Target.objects.select_for_update(of=("self",))
              .select_related("campaign", "area", "association_unit", "agent").get(pk=target.pk))
    _require_unit_in_scope(user, area=target.area, association_unit=target.association_unit, agent=target.agent)
    if area is not _UNSET or association_unit is not _UNSET or agent is not _UNSET:
        area = None if area is _UNSET else area
        association_unit = None if association_unit is _UNSET else association_unit
        agent = None if agent is _UNSET else agent
        _one_unit(area, association_unit, agent)
        _require_unit_in_scope(user, area=area, association_unit=association_unit, agent=agent)
        target.area, target.association_unit, target.agent = area, association_unit, agent
    target.indicator = indicator or target.indicator
    target.period_start = period_start or target.period_start
    target.period_end = period_end or target.period_end
    target.goal_kind = goal_kind or target.goal_kind
    if indicator and not goal_kind:
        target.goal_kind = GOAL_KIND.get(indicator, target.goal_kind)
    target.goal = _check_values(
        campaign=target.campaign, indicator=target.indicator, period_start=target.period_start,
        period_end=target.period_end, goal=target.goal if goal is None else goal, goal_kind=target.goal_kind)
    _require_open_unit(association_unit=target.association_unit, agent=target.agent, period_end=target.period_end)
    if _duplicate(campaign=target.campaign, indicator=target.indicator, area=target.area,
                  association_unit=target.association_unit, agent=target.agent, period_start=target.period_start,
                  period_end=target.period_end, exclude=target):
        raise errors.TargetDuplicate(field="indicator")
    target.save()
    return target


@transaction.atomic
def target_delete(*, user, target: Target) -> None:
    """Remove a target. Raises PermissionDenied, TargetOutOfScope."""
    require_permission(user, "campaigns.change_target")
    _require_unit_in_scope(user, area=target.area, association_unit=target.association_unit, agent=target.agent)
    target.delete()


def targets_for_user(*, user, campaign: Campaign):
    """The campaign's targets whose unit lies in the user's scope, ordered for the list page."""
    require_permission(user, "campaigns.view_campaign")
    scope = set(record_communes_in_scope(user).values_list("pk", flat=True))
    out = []
    qs = list(campaign.targets.select_related(
        "area", "association_unit", "association_unit__commune", "agent", "agent__area").order_by(
        "indicator", "period_start", "area__code", "association_unit__code", "agent__code"))
    covered = _communes_covered_by_area([_target_area(t) for t in qs])
    for t in qs:
        if covered[_target_area(t).pk] & scope:
            out.append(t)
    order = {ind: n for n, ind in enumerate(GOAL_KIND)}
    out.sort(key=lambda t: (order.get(t.indicator, 9), t.period_start, t.period_end))
    return out


def _require_province_officer(user, permission: str):
    """A province-level SI officer or the province's administrator (their area is the province the
    campaign belongs to). Raises PermissionDenied."""
    user_role = require_permission(user, permission)
    if user_role.role not in (Role.SI_OFFICER, Role.PROVINCE_ADMIN) or user_role.area is None \
            or user_role.area.level != Level.PROVINCE:
        raise PermissionDenied(errors.CAMPAIGN_NEEDS_PROVINCE)
    return user_role


def _require_campaign_of(user_role, campaign: Campaign) -> None:
    """The campaign belongs to the user's province: the same unit, or (across the 1 July 2025 map change)
    an old-map province whose communes became communes of the user's new-map province, or the reverse."""
    mine, theirs = user_role.area, campaign.province
    if mine.pk == theirs.pk:
        return
    mine_communes = set(record_communes_of(unit=mine).values_list("pk", flat=True))
    if not set(record_communes_of(unit=theirs).values_list("pk", flat=True)) & mine_communes:
        raise PermissionDenied(errors.CAMPAIGN_OTHER_PROVINCE)


def campaign_get_in_scope(*, user, pk: int, permission: str, admin: bool = False) -> Campaign:
    """The campaign ``pk`` for a page that changes it or its targets: the permission first (the same 403
    for every id), then the record (DoesNotExist when missing), then its province (OutOfScope, answered
    like a missing record, for another province's campaign). ``admin``: only the province
    administrator (the structure pages)."""
    user_role = require_permission(user, permission)
    if admin and (user_role.role != Role.PROVINCE_ADMIN or user_role.area is None):
        raise PermissionDenied(errors.CAMPAIGN_NEEDS_PROVINCE)
    campaign = Campaign.objects.select_related("province").get(pk=pk)
    if user_role.area is None or user_role.area.level != Level.PROVINCE:
        raise OutOfScope(model="campaign", pk=pk)
    try:
        _require_campaign_of(user_role, campaign)
    except PermissionDenied:
        raise OutOfScope(model="campaign", pk=pk) from None
    return campaign


def target_get_in_scope(*, user, pk: int, permission: str, admin: bool = False) -> Target:
    """The target ``pk`` for a page that changes or removes it: the permission first, then the record
    (DoesNotExist), then its unit inside the user's scope (OutOfScope, answered like a missing record)."""
    user_role = require_permission(user, permission)
    if admin and (user_role.role != Role.PROVINCE_ADMIN or user_role.area is None):
        raise PermissionDenied(errors.CAMPAIGN_NEEDS_PROVINCE)
    target = Target.objects.select_related("campaign", "campaign__province", "area", "association_unit",
                                           "agent").get(pk=pk)
    try:
        _require_unit_in_scope(user, area=target.area, association_unit=target.association_unit, agent=target.agent)
    except errors.TargetOutOfScope:
        raise OutOfScope(model="target", pk=pk) from None
    return target


def _check_campaign(*, starts_on, ends_on, launch_day) -> None:
    for name, day in (("starts_on", starts_on), ("ends_on", ends_on), ("launch_day", launch_day)):
        if not admin_date_in_range(day):
            raise errors.CampaignInvalid(ADMIN_DATE_OUT_OF_RANGE, field=name)
    if ends_on < starts_on:
        raise errors.CampaignInvalid(errors.CAMPAIGN_PERIOD_ORDER, field="ends_on")
    if not starts_on <= launch_day <= ends_on:
        raise errors.CampaignInvalid(errors.CAMPAIGN_LAUNCH_OUTSIDE, field="launch_day")


@transaction.atomic
def campaign_create(*, user, code: str, name: str, launch_day: datetime.date, starts_on: datetime.date,
                    ends_on: datetime.date) -> Campaign:
    """A campaign of the user's province (a province-level SI officer or the province administrator).
    Raises PermissionDenied, CampaignInvalid (with the field: ``code``, ``ends_on``, ``launch_day``)."""
    user_role = _require_province_officer(user, "campaigns.add_target")
    code, name = (code or "").strip(), (name or "").strip()
    if not code:
        raise errors.CampaignInvalid(errors.CAMPAIGN_CODE_MISSING, field="code")
    if not name:
        raise errors.CampaignInvalid(errors.CAMPAIGN_NAME_MISSING, field="name")
    _check_campaign(starts_on=starts_on, ends_on=ends_on, launch_day=launch_day)
    if Campaign.objects.filter(code__iexact=code).exists():
        raise errors.CampaignInvalid(errors.CAMPAIGN_CODE_TAKEN, field="code")
    return Campaign.objects.create(code=code, name=name, province=user_role.area, launch_day=launch_day,
                                   starts_on=starts_on, ends_on=ends_on)


@transaction.atomic
def campaign_update(*, user, campaign: Campaign, name: str | None = None, launch_day: datetime.date | None = None,
                    starts_on: datetime.date | None = None, ends_on: datetime.date | None = None) -> Campaign:
    """Change a campaign's name or dates; its targets must stay inside its period. Raises
    PermissionDenied, CampaignInvalid."""
    user_role = _require_province_officer(user, "campaigns.change_target")
    _require_campaign_of(user_role, campaign)
    campaign.name = (name or "").strip() or campaign.name
    campaign.launch_day = launch_day or campaign.launch_day
    campaign.starts_on = starts_on or campaign.starts_on
    campaign.ends_on = ends_on or campaign.ends_on
    _check_campaign(starts_on=campaign.starts_on, ends_on=campaign.ends_on, launch_day=campaign.launch_day)
    outside = campaign.targets.exclude(period_start__gte=campaign.starts_on, period_end__lte=campaign.ends_on)
    if outside.exists():
        raise errors.CampaignInvalid(errors.TARGETS_OUTSIDE_CAMPAIGN.format(
            start=f"{campaign.starts_on:%d/%m/%Y}", end=f"{campaign.ends_on:%d/%m/%Y}"), field="starts_on")
    campaign.save()
    return campaign


# --- copying the targets of an earlier campaign ---------------------------------------------------

@dataclass
class SkippedTarget:
    """A source target that was not copied, with the unit's name and why (Vietnamese)."""

    target: Target
    unit: str
    reason: str


@dataclass
class TargetsCopy:
    copied: list[Target] = field(default_factory=list)
    skipped: list[SkippedTarget] = field(default_factory=list)


SKIP_OLD_MAP_UNIT = "địa bàn theo bản đồ trước 01/07/2025 (không còn cấp huyện): hãy giao lại theo xã hoặc BHXH cơ sở"
SKIP_CLOSED = "đơn vị đã đóng"
SKIP_OUTSIDE_PERIOD = "kỳ chỉ tiêu nằm ngoài thời gian chiến dịch mới"
SKIP_DUPLICATE = "chiến dịch mới đã có chỉ tiêu này"
SKIP_OUT_OF_SCOPE = "ngoài địa bàn bạn phụ trách"


def shifted_period(*, source: Campaign, target_campaign: Campaign, start: datetime.date,
                   end: datetime.date) -> tuple[datetime.date, datetime.date] | None:
    """A source target's period carried into ``target_campaign``: the whole source campaign → the whole new
    campaign; the source launch day → the new launch day; any other period shifted by the difference of the
    start dates and clipped to the new campaign. None when nothing of it is left inside the new campaign."""
    if (start, end) == (source.starts_on, source.ends_on):
        return target_campaign.starts_on, target_campaign.ends_on
    if start == end == source.launch_day:
        return target_campaign.launch_day, target_campaign.launch_day
    delta = target_campaign.starts_on - source.starts_on
    try:
        new_start = max(start + delta, target_campaign.starts_on)
        new_end = min(end + delta, target_campaign.ends_on)
    except OverflowError:  # a period carried past year 1 or 9999 (data older than the date bounds)
        return None
    if new_end < new_start:
        return None
    return new_start, new_end


def target_unit_label(t: Target) -> str:
    if t.area_id:
        return t.area.name
    if t.association_unit_id:
        return f"{t.association_unit.code} — {t.association_unit.name}"
    return f"{t.agent.code} — {t.agent.full_name}"


@transaction.atomic
def campaign_targets_copy(*, user, source: Campaign, target_campaign: Campaign) -> TargetsCopy:
    """Copy every target of ``source`` into ``target_campaign`` (same indicator, unit and goal), its period
    carried over by ``shifted_period``; the administrator then adjusts the goals.

    A campaign that starts on the new map (from 01/07/2025) has no district level, so a target given to an
    old-map district or commune is not copied: it is returned in ``skipped`` by name so the administrator
    sets it per new commune or BHXH cơ sở office (splitting a district's goal among the communes that took
    over its ground is a decision, not a computation). An old-map province target becomes the new
    campaign's province target (a province-wide goal, such as 50% of leaders, carries over as it is).
    Also skipped and reported: closed units or agents, periods left outside the new campaign, targets
    the new campaign already has, units outside the user's scope. Raises PermissionDenied, CampaignInvalid
    (``source`` is the same campaign)."""
    user_role = _require_province_officer(user, "campaigns.add_target")
    _require_campaign_of(user_role, target_campaign)
    if source.pk == target_campaign.pk:
        raise errors.CampaignInvalid(errors.COPY_SAME_CAMPAIGN, field="source")
    new_map = campaign_map(target_campaign) == MapVersion.NEW
    result = TargetsCopy()
    sources = source.targets.select_related("area", "association_unit", "agent", "agent__area").order_by(
        "indicator", "period_start", "pk")
    for t in sources:
        label = target_unit_label(t)
        area = t.area
        if area is not None and new_map and area.map == MapVersion.OLD:
            if area.level != Level.PROVINCE:
                result.skipped.append(SkippedTarget(t, label, SKIP_OLD_MAP_UNIT))
                continue
            area = target_campaign.province
        closed_on = (t.association_unit.closed_on if t.association_unit_id
                     else t.agent.closed_on if t.agent_id else None)
        if closed_on is not None and closed_on <= target_campaign.starts_on:
            result.skipped.append(SkippedTarget(t, label, SKIP_CLOSED))
            continue
        period = shifted_period(source=source, target_campaign=target_campaign, start=t.period_start,
                                end=t.period_end)
        if period is None:
            result.skipped.append(SkippedTarget(t, label, SKIP_OUTSIDE_PERIOD))
            continue
        try:
            _require_unit_in_scope(user, area=area, association_unit=t.association_unit, agent=t.agent)
        except errors.TargetOutOfScope:
            result.skipped.append(SkippedTarget(t, label, SKIP_OUT_OF_SCOPE))
            continue
        if _duplicate(campaign=target_campaign, indicator=t.indicator, area=area,
                      association_unit=t.association_unit, agent=t.agent, period_start=period[0],
                      period_end=period[1]):
            result.skipped.append(SkippedTarget(t, label, SKIP_DUPLICATE))
            continue
        goal = _check_values(campaign=target_campaign, indicator=t.indicator, period_start=period[0],
                             period_end=period[1], goal=t.goal, goal_kind=t.goal_kind)
        result.copied.append(Target.objects.create(
            campaign=target_campaign, indicator=t.indicator, area=area, association_unit=t.association_unit,
            agent=t.agent, period_start=period[0], period_end=period[1], goal=goal, goal_kind=t.goal_kind))
    return result
