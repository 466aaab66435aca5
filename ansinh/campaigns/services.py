"""Campaigns and targets: created and edited by officers, checked once at the top of each service.

A target is an indicator (``Indicator``), one unit (an area, an association unit or an agent), a period
and a goal whose kind follows the indicator: ``vsi_new``/``hi_new`` are counts of people,
``leaders_vsi``/``leaders_hi``/``members_covered`` percentages (0–100), ``collected`` an amount in VND.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction

from ansinh.accounts.models import Role
from ansinh.accounts.services import communes_in_scope, require_permission
from ansinh.areas.models import AdministrativeUnit, Level, UnitMapping
from ansinh.collection.models import Agent
from ansinh.core.errors import PermissionDenied
from ansinh.registry.models import AssociationUnit

from . import errors
from .models import Campaign, GoalKind, Indicator, Target
from .progress import GOAL_KIND

GOAL_LIMIT = Decimal(10) ** (Target._meta.get_field("goal").max_digits - Target._meta.get_field("goal").decimal_places)
"""A goal must fit the goal column (16 digits, 2 after the point)."""
_KIND_WORDS = {GoalKind.COUNT: "số người", GoalKind.PERCENT: "tỷ lệ %", GoalKind.AMOUNT: "số tiền (đồng)"}


def _goal(value) -> Decimal:
    try:
        goal = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise errors.TargetInvalid(errors.GOAL_NOT_NUMBER) from None
    if not goal.is_finite():
        raise errors.TargetInvalid(errors.GOAL_NOT_NUMBER)
    if abs(goal) >= GOAL_LIMIT:
        raise errors.TargetInvalid(errors.GOAL_TOO_LARGE)
    return goal


def _check_values(*, campaign: Campaign, indicator: str, period_start: datetime.date, period_end: datetime.date,
                  goal, goal_kind: str) -> Decimal:
    if indicator not in Indicator.values:
        raise errors.TargetInvalid(errors.INDICATOR_UNKNOWN)
    expected = GOAL_KIND[indicator]
    if goal_kind != expected:
        raise errors.TargetGoalKindMismatch(errors.GOAL_KIND_MISMATCH.format(
            indicator=Indicator(indicator).label, kind=_KIND_WORDS[expected]))
    goal = _goal(goal)
    if goal < 0:
        raise errors.TargetGoalNegative()
    if goal_kind == GoalKind.PERCENT and goal > 100:
        raise errors.TargetPercentTooHigh()
    if goal_kind != GoalKind.PERCENT and goal != goal.to_integral_value():
        raise errors.TargetInvalid(errors.GOAL_NOT_WHOLE)
    if period_end < period_start:
        raise errors.TargetPeriodInvalid()
    if period_start < campaign.starts_on or period_end > campaign.ends_on:
        raise errors.TargetPeriodInvalid(errors.PERIOD_OUTSIDE_CAMPAIGN.format(
            start=f"{campaign.starts_on:%d/%m/%Y}", end=f"{campaign.ends_on:%d/%m/%Y}"))
    return goal.quantize(Decimal("0.01"))


def _old_communes_of(area: AdministrativeUnit) -> set[int]:
    """Old-map communes an area covers (a new-map commune: the old communes mapped into it)."""
    if area.map == "new":
        if area.level == Level.PROVINCE:
            return set(UnitMapping.objects.filter(new_unit__province=area).values_list("old_unit_id", flat=True))
        return set(UnitMapping.objects.filter(new_unit=area).values_list("old_unit_id", flat=True))
    if area.level == Level.COMMUNE:
        return {area.pk}
    if area.level == Level.DISTRICT:
        return set(AdministrativeUnit.objects.filter(parent=area, level=Level.COMMUNE).values_list("pk", flat=True))
    return set(AdministrativeUnit.objects.filter(province=area, level=Level.COMMUNE).values_list("pk", flat=True))


def _require_unit_in_scope(user, *, area, association_unit, agent) -> None:
    """The target's unit must lie wholly inside the officer's area."""
    scope = set(communes_in_scope(user).values_list("pk", flat=True))
    if area is not None:
        covered = _old_communes_of(area)
    elif association_unit is not None:
        covered = {association_unit.commune_id}
    else:
        covered = _old_communes_of(agent.area)
    if not covered or not covered <= scope:
        raise errors.TargetOutOfScope()


def _one_unit(area, association_unit, agent) -> None:
    if sum(x is not None for x in (area, association_unit, agent)) != 1:
        raise errors.TargetUnitInvalid()


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
    TargetInvalid, TargetDuplicate."""
    require_permission(user, "campaigns.add_target")
    _one_unit(area, association_unit, agent)
    _require_unit_in_scope(user, area=area, association_unit=association_unit, agent=agent)
    goal = _check_values(campaign=campaign, indicator=indicator, period_start=period_start, period_end=period_end,
                         goal=goal, goal_kind=goal_kind)
    if _duplicate(campaign=campaign, indicator=indicator, area=area, association_unit=association_unit, agent=agent,
                  period_start=period_start, period_end=period_end):
        raise errors.TargetDuplicate()
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
    if _duplicate(campaign=target.campaign, indicator=target.indicator, area=target.area,
                  association_unit=target.association_unit, agent=target.agent, period_start=target.period_start,
                  period_end=target.period_end, exclude=target):
        raise errors.TargetDuplicate()
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
    scope = set(communes_in_scope(user).values_list("pk", flat=True))
    out = []
    qs = campaign.targets.select_related("area", "association_unit", "agent", "agent__area").order_by(
        "indicator", "period_start", "area__code", "association_unit__code", "agent__code")
    for t in qs:
        if t.area is not None:
            covered = _old_communes_of(t.area)
        elif t.association_unit is not None:
            covered = {t.association_unit.commune_id}
        else:
            covered = _old_communes_of(t.agent.area)
        if covered & scope:
            out.append(t)
    order = {ind: n for n, ind in enumerate(GOAL_KIND)}
    out.sort(key=lambda t: (order.get(t.indicator, 9), t.period_start, t.period_end))
    return out


def _require_province_officer(user, permission: str):
    user_role = require_permission(user, permission)
    if user_role.role != Role.SI_OFFICER or user_role.area.level != Level.PROVINCE:
        raise PermissionDenied(errors.CAMPAIGN_NEEDS_PROVINCE)
    return user_role


def _check_campaign(*, starts_on, ends_on, launch_day) -> None:
    if ends_on < starts_on:
        raise errors.CampaignInvalid(errors.CAMPAIGN_PERIOD_ORDER)
    if not starts_on <= launch_day <= ends_on:
        raise errors.CampaignInvalid(errors.CAMPAIGN_LAUNCH_OUTSIDE)


@transaction.atomic
def campaign_create(*, user, code: str, name: str, launch_day: datetime.date, starts_on: datetime.date,
                    ends_on: datetime.date) -> Campaign:
    """A campaign of the officer's province (province-level SI officers only). Raises PermissionDenied,
    CampaignInvalid."""
    user_role = _require_province_officer(user, "campaigns.add_target")
    _check_campaign(starts_on=starts_on, ends_on=ends_on, launch_day=launch_day)
    if Campaign.objects.filter(code=code).exists():
        raise errors.CampaignInvalid(errors.CAMPAIGN_CODE_TAKEN)
    return Campaign.objects.create(code=code, name=name, province=user_role.area, launch_day=launch_day,
                                   starts_on=starts_on, ends_on=ends_on)


@transaction.atomic
def campaign_update(*, user, campaign: Campaign, name: str | None = None, launch_day: datetime.date | None = None,
                    starts_on: datetime.date | None = None, ends_on: datetime.date | None = None) -> Campaign:
    """Change a campaign's name or dates; its targets must stay inside its period. Raises
    PermissionDenied, CampaignInvalid."""
    _require_province_officer(user, "campaigns.change_target")
    campaign.name = name or campaign.name
    campaign.launch_day = launch_day or campaign.launch_day
    campaign.starts_on = starts_on or campaign.starts_on
    campaign.ends_on = ends_on or campaign.ends_on
    _check_campaign(starts_on=campaign.starts_on, ends_on=campaign.ends_on, launch_day=campaign.launch_day)
    outside = campaign.targets.exclude(period_start__gte=campaign.starts_on, period_end__lte=campaign.ends_on)
    if outside.exists():
        raise errors.CampaignInvalid(errors.PERIOD_OUTSIDE_CAMPAIGN.format(
            start=f"{campaign.starts_on:%d/%m/%Y}", end=f"{campaign.ends_on:%d/%m/%Y}"))
    campaign.save()
    return campaign
