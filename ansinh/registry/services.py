"""Writes to the registry. Association units (Farmers' Association branches and savings-and-loan groups)
and their leaders: ``association_unit_create``, ``association_unit_update``, ``association_unit_close``,
``association_unit_merge``, ``leader_change``.

Each checks the named permission, then that the unit (and the commune or person it is given) lies in the
user's province (``record_communes_in_scope``: both maps), at its top; each is one transaction, so a
refused change writes nothing. Nothing that happened is rewritten: a unit is closed, never deleted; a
leadership period that started is only ended, never moved; memberships are added, never removed.

Leaders: ``Leadership`` periods say who led on each date (the leaders-first figures read them through
``selectors.leaders_on``); the ``leader`` role on a membership marks today's leader and is kept in step
here. A unit without ``Leadership`` rows (old data, imports) has its leader membership count for every
date; its first change therefore records that leader first, from ``RECORDED_BEFORE`` to the day before
the change, so the figures of earlier dates stay as they were.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from ansinh.accounts.services import record_commune_ids_in_scope, require_permission
from ansinh.accounts.models import UserRole
from ansinh.areas.models import AdministrativeUnit, Level, MapVersion, UnitMapping
from ansinh.core.dates import ADMIN_DATE_OUT_OF_RANGE, admin_date_in_range

from . import errors
from .models import AssociationUnit, Leadership, MemberRole, Membership, Person, UnitKind

RECORDED_BEFORE = datetime.date(1900, 1, 1)
"""Start of the leadership recorded for a unit's leader from before dated leaderships existed."""
_UNSET = object()
ONE_DAY = datetime.timedelta(days=1)


def _day(value: datetime.date) -> str:
    return f"{value:%d/%m/%Y}"


def _require_unit_in_scope(user, unit: AssociationUnit) -> None:
    if unit.commune_id not in record_commune_ids_in_scope(user):
        raise errors.UnitOutOfScope()


def _check_commune(user, commune: AdministrativeUnit) -> None:
    if commune is None or commune.level != Level.COMMUNE:
        raise errors.UnitCommuneInvalid()
    if commune.pk not in record_commune_ids_in_scope(user):
        raise errors.UnitOutOfScope(errors.UNIT_COMMUNE_OUT_OF_SCOPE, field="commune")


def _check_new_map(commune: AdministrativeUnit) -> None:
    if commune is None or commune.level != Level.COMMUNE or commune.map != MapVersion.NEW:
        raise errors.UnitCommuneInvalid(errors.UNIT_COMMUNE_OLD_MAP)


def _require_no_accounts(unit: AssociationUnit, field: str) -> None:
    """Refused while active user accounts are scoped to ``unit`` (group leaders)."""
    accounts = UserRole.objects.filter(association_unit=unit, user__is_active=True).count()
    if accounts:
        raise errors.UnitHasMembers(errors.UNIT_HAS_ACCOUNTS.format(count=accounts), field=field)


def _check_branch(user, *, kind: str, branch: AssociationUnit | None, unit: AssociationUnit | None = None) -> None:
    if branch is None:
        return
    if kind == UnitKind.BRANCH:
        raise errors.UnitBranchInvalid(errors.UNIT_BRANCH_FOR_BRANCH)
    if branch.kind != UnitKind.BRANCH:
        raise errors.UnitBranchInvalid(errors.UNIT_BRANCH_NOT_BRANCH)
    if branch.closed_on is not None:
        raise errors.UnitBranchInvalid(errors.UNIT_BRANCH_CLOSED.format(day=_day(branch.closed_on)))
    if branch.commune_id not in record_commune_ids_in_scope(user):
        raise errors.UnitOutOfScope(errors.UNIT_OUT_OF_SCOPE, field="branch")


def _not_after_today(day: datetime.date, field: str) -> None:
    today = timezone.localdate()
    if day > today:
        raise errors.UnitDateInvalid(errors.UNIT_DATE_IN_FUTURE.format(today=_day(today)), field=field)
    if not admin_date_in_range(day):
        raise errors.UnitDateInvalid(ADMIN_DATE_OUT_OF_RANGE, field=field)


def _require_open(unit: AssociationUnit) -> None:
    if unit.closed_on is not None:
        raise errors.UnitClosed(errors.UNIT_CLOSED.format(day=_day(unit.closed_on)))


def _locked(unit: AssociationUnit) -> AssociationUnit:
    return AssociationUnit.objects.select_for_update().get(pk=unit.pk)


def _save(instance, user) -> None:
    instance._history_user = user
    instance.save()


@transaction.atomic
def association_unit_create(*, user, kind: str, code: str, name: str, commune: AdministrativeUnit,
                            branch: AssociationUnit | None = None) -> AssociationUnit:
    """A new branch or savings-and-loan group in a commune of the user's province (a new-map commune,
    not an old-map one); a group may name the branch it works with. Raises PermissionDenied,
    UnitOutOfScope (commune or branch of another province), UnitRefused (empty code or name, unknown kind),
    UnitCodeTaken, UnitCommuneInvalid, UnitBranchInvalid."""
    require_permission(user, "registry.add_associationunit")
    _check_commune(user, commune)
    _check_new_map(commune)
    code, name = (code or "").strip(), " ".join((name or "").split())
    if kind not in UnitKind.values:
        raise errors.UnitRefused(errors.UNIT_KIND_INVALID, field="kind")
    if not code:
        raise errors.UnitRefused(errors.UNIT_CODE_REQUIRED, field="code")
    if not name:
        raise errors.UnitRefused(errors.UNIT_NAME_REQUIRED, field="name")
    if AssociationUnit.objects.filter(code__iexact=code).exists():
        raise errors.UnitCodeTaken(errors.UNIT_CODE_TAKEN.format(code=code))
    _check_branch(user, kind=kind, branch=branch)
    unit = AssociationUnit(kind=kind, code=code, name=name, commune=commune, branch=branch)
    _save(unit, user)
    return unit


@transaction.atomic
def association_unit_update(*, user, unit: AssociationUnit, name: str | None = None,
                            commune: AdministrativeUnit | None = None, branch=_UNSET) -> AssociationUnit:
    """Change an open unit's name, commune or (a group's) branch; arguments left out keep their value.
    The kind and the code stay (imports and targets name units by code). A unit with members keeps its
    commune (its members live there: make a new unit and merge) but for the new-map commune that took its
    old-map one over; a new commune is on the new map. A unit
    that active accounts use (group leaders) is neither closed nor merged away. Raises PermissionDenied,
    UnitOutOfScope, UnitClosed, UnitRefused, UnitCommuneInvalid, UnitBranchInvalid."""
    require_permission(user, "registry.change_associationunit")
    unit = _locked(unit)
    _require_unit_in_scope(user, unit)
    _require_open(unit)
    if commune is not None and commune.pk != unit.commune_id:
        _check_commune(user, commune)
        _check_new_map(commune)
        members = Membership.objects.filter(unit=unit).count()
        same_place = UnitMapping.objects.filter(old_unit_id=unit.commune_id, new_unit=commune, is_primary=True).exists()
        if members and not same_place:
            raise errors.UnitRefused(errors.UNIT_COMMUNE_HAS_MEMBERS.format(count=members), field="commune")
        unit.commune = commune
    if name is not None:
        name = " ".join(name.split())
        if not name:
            raise errors.UnitRefused(errors.UNIT_NAME_REQUIRED, field="name")
        unit.name = name
    if branch is not _UNSET:
        if branch is not None and branch.pk == unit.pk:
            raise errors.UnitBranchInvalid(errors.UNIT_BRANCH_FOR_BRANCH)
        _check_branch(user, kind=unit.kind, branch=branch, unit=unit)
        unit.branch = branch
    _save(unit, user)
    return unit


def _end_leadership(unit: AssociationUnit, user, *, last_day: datetime.date, before_error) -> None:
    """End the unit's leadership on ``last_day``: the open period, or for a unit with no periods at all
    its leader membership's (recorded from RECORDED_BEFORE). ``before_error(day)`` is raised when the open
    period started after ``last_day``."""
    current = Leadership.objects.select_for_update().filter(unit=unit, ends_on__isnull=True).first()
    if current is not None:
        if current.starts_on > last_day:
            raise before_error(current.starts_on)
        current.ends_on = last_day
        _save(current, user)
    elif not Leadership.objects.filter(unit=unit).exists():
        leader = Membership.objects.filter(unit=unit, role=MemberRole.LEADER).first()
        if leader is not None:
            _save(Leadership(unit=unit, person_id=leader.person_id, starts_on=RECORDED_BEFORE, ends_on=last_day),
                  user)


def _demote_leader(unit: AssociationUnit, user) -> None:
    for membership in Membership.objects.filter(unit=unit, role=MemberRole.LEADER):
        membership.role = MemberRole.MEMBER
        _save(membership, user)


@transaction.atomic
def association_unit_close(*, user, unit: AssociationUnit, closed_on: datetime.date) -> AssociationUnit:
    """Close a unit that has no members (and, for a branch, no open groups) from ``closed_on`` (not after
    today). A unit with members is merged instead (``association_unit_merge``). Raises PermissionDenied,
    UnitOutOfScope, UnitClosed, UnitDateInvalid, UnitHasMembers."""
    require_permission(user, "registry.change_associationunit")
    unit = _locked(unit)
    _require_unit_in_scope(user, unit)
    _require_open(unit)
    _not_after_today(closed_on, "closed_on")
    members = Membership.objects.filter(unit=unit).count()
    if members:
        raise errors.UnitHasMembers(errors.UNIT_HAS_MEMBERS.format(count=members))
    groups = AssociationUnit.objects.filter(branch=unit, closed_on__isnull=True).count()
    if groups:
        raise errors.UnitHasMembers(errors.UNIT_HAS_GROUPS.format(count=groups))
    _require_no_accounts(unit, "closed_on")
    _end_leadership(unit, user, last_day=closed_on - ONE_DAY, before_error=lambda day: errors.UnitDateInvalid(
        errors.UNIT_CLOSE_BEFORE_LEADER.format(day=_day(day)), field="closed_on"))
    unit.closed_on = closed_on
    _save(unit, user)
    return unit


@transaction.atomic
def association_unit_merge(*, user, source: AssociationUnit, target: AssociationUnit,
                           merged_on: datetime.date) -> dict:
    """Merge ``source`` into ``target`` (same kind, open, both in the user's province) on ``merged_on``
    (not after today): each member of ``source`` who is not already in ``target`` gets a new membership
    of ``target`` joined on ``merged_on``; a merged branch's open groups now work with ``target``; the
    source's leadership ends the day before; ``source`` is closed on ``merged_on`` with ``merged_into`` =
    ``target``. Nothing is deleted: the source's memberships stay as its history. Returns ``{"source",
    "target", "moved", "already"}``. Raises PermissionDenied, UnitOutOfScope, UnitClosed,
    MergeTargetInvalid, UnitDateInvalid."""
    require_permission(user, "registry.change_associationunit")
    if target is None:
        raise errors.MergeTargetInvalid(errors.MERGE_INTO_ITSELF)
    if source.pk == target.pk:
        raise errors.MergeTargetInvalid(errors.MERGE_INTO_ITSELF)
    first, second = sorted([source.pk, target.pk])  # lock in id order: two merges never wait on each other
    locked = AssociationUnit.objects.select_for_update().in_bulk([first, second])
    source, target = locked[source.pk], locked[target.pk]
    _require_unit_in_scope(user, source)
    try:
        _require_unit_in_scope(user, target)
    except errors.UnitOutOfScope:
        raise errors.UnitOutOfScope(errors.UNIT_OUT_OF_SCOPE, field="target") from None
    _require_open(source)
    if target.closed_on is not None:
        raise errors.MergeTargetInvalid(errors.MERGE_TARGET_CLOSED.format(day=_day(target.closed_on)))
    if source.kind != target.kind:
        raise errors.MergeTargetInvalid(errors.MERGE_KIND_DIFFERS)
    _not_after_today(merged_on, "merged_on")
    _require_no_accounts(source, "merged_on")
    _end_leadership(source, user, last_day=merged_on - ONE_DAY, before_error=lambda day: errors.UnitDateInvalid(
        errors.MERGE_BEFORE_LEADER.format(day=_day(day)), field="merged_on"))
    _demote_leader(source, user)
    in_target = set(Membership.objects.filter(unit=target).values_list("person_id", flat=True))
    moved = already = 0
    for person_id in Membership.objects.filter(unit=source).order_by("pk").values_list("person_id", flat=True):
        if person_id in in_target:
            already += 1
            continue
        _save(Membership(person_id=person_id, unit=target, role=MemberRole.MEMBER, joined_on=merged_on), user)
        moved += 1
    for group in AssociationUnit.objects.filter(branch=source, closed_on__isnull=True):
        group.branch = target
        _save(group, user)
    source.closed_on, source.merged_into = merged_on, target
    _save(source, user)
    return {"source": source, "target": target, "moved": moved, "already": already}


@transaction.atomic
def leader_change(*, user, unit: AssociationUnit, person: Person, starts_on: datetime.date) -> Leadership:
    """``person`` leads ``unit`` from ``starts_on`` (not after today): the open leadership ends the day
    before and a new one opens; ``person`` becomes a member if not one yet (joined on ``starts_on``) and
    holds the ``leader`` role, the previous leader's membership goes back to ``member``. Raises
    PermissionDenied, UnitOutOfScope, UnitClosed, UnitDateInvalid, LeaderPersonInvalid (already the
    leader, lives outside the province), LeaderTwoOnOneDate (another leader starts on that date),
    LeaderStartBeforeCurrent (a date before the current leader's start: nothing is rewritten)."""
    require_permission(user, "registry.add_leadership")
    unit = _locked(unit)
    _require_unit_in_scope(user, unit)
    if person.commune_id not in record_commune_ids_in_scope(user):
        raise errors.LeaderPersonInvalid(errors.LEADER_PERSON_OUT_OF_SCOPE)
    return leader_period_open(user=user, unit=unit, person=person, starts_on=starts_on)


def leader_period_open(*, user, unit: AssociationUnit, person: Person, starts_on: datetime.date) -> Leadership:
    """The leadership change itself (``leader_change`` without its permission and scope checks, which the
    caller made: ``leader_change`` for the unit pages, the member-list import for its rows): closes the open
    period the day before, opens one for ``person`` and sets the ``leader`` membership role. Runs inside
    the caller's transaction; locks the unit. Raises UnitClosed, UnitDateInvalid, LeaderPersonInvalid
    (already the leader), LeaderTwoOnOneDate, LeaderStartBeforeCurrent."""
    unit = _locked(unit)
    _require_open(unit)
    _not_after_today(starts_on, "starts_on")
    periods = Leadership.objects.select_for_update().filter(unit=unit)
    current = periods.filter(ends_on__isnull=True).select_related("person").first()
    if current is None and not periods.exists():
        leader = Membership.objects.filter(unit=unit, role=MemberRole.LEADER).select_related("person").first()
        if leader is not None:  # the leader from before dated leaderships: record them first
            current = Leadership(unit=unit, person=leader.person, starts_on=RECORDED_BEFORE)
    if current is not None:
        if current.person_id == person.pk:
            raise errors.LeaderPersonInvalid(errors.LEADER_ALREADY)
        if starts_on < current.starts_on:
            raise errors.LeaderStartBeforeCurrent(
                errors.LEADER_START_BEFORE_CURRENT.format(day=_day(current.starts_on)))
        if starts_on == current.starts_on:
            raise errors.LeaderTwoOnOneDate(errors.LEADER_TWO_ON_ONE_DATE.format(
                day=_day(starts_on), name=current.person.full_name))
        current.ends_on = starts_on - ONE_DAY
        _save(current, user)
    else:
        latest = periods.order_by("-ends_on").select_related("person").first()
        if latest is not None and latest.ends_on >= starts_on:
            raise errors.LeaderTwoOnOneDate(errors.LEADER_TWO_ON_ONE_DATE.format(
                day=_day(starts_on), name=latest.person.full_name))
    _demote_leader(unit, user)
    membership = Membership.objects.filter(unit=unit, person=person).first()
    if membership is None:
        membership = Membership(unit=unit, person=person, joined_on=starts_on)
    membership.role = MemberRole.LEADER
    _save(membership, user)
    leadership = Leadership(unit=unit, person=person, starts_on=starts_on)
    _save(leadership, user)
    return leadership
