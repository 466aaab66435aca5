"""Collection organisations, agents, catchments and household assignments, kept by the provincial
administrator of the (new-map) province. Each service checks a named permission and the province once at
its top and writes in one transaction: nothing half-written.

Organisations and agents are closed (``closed_on``), never deleted: payments, receipts and assignments keep
pointing to them and their history stays. A household's assignments are an append-only log
(``HouseholdAssignment``); ``Household.agent`` is the one in force today (the payment path reads it).
"""

import datetime
import re
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max, QuerySet
from django.db.models.functions import Upper
from django.utils import timezone

from ansinh.accounts.models import UserRole
from ansinh.accounts.services import require_permission
from ansinh.areas.errors_structure import (ALREADY_CLOSED, CLOSED_BEFORE_START, COMMUNE_OUTSIDE, AlreadyClosed,
                                           InvalidDate, OutsideProvince, StillInUse, StructureError)
from ansinh.areas.models import AdministrativeUnit, Level, MapVersion, UnitMapping
from ansinh.areas.selectors_offices import admin_province
from ansinh.areas.services_offices import code_unused, date_in_range, date_not_future, name_required
from ansinh.core.dates import ADMIN_DATE_OUT_OF_RANGE, admin_date_in_range
from ansinh.core.errors import OutOfScope
from ansinh.core.formatting import format_date
from ansinh.registry.models import Household

from . import errors
from .errors import AssignmentRefused
from .errors_handover import HOLD_DAYS_INVALID
from .models import Agent, AgentCatchment, CollectionOrg, HouseholdAssignment, OrgKind, Payment
from .selectors_structure import agent_get, households_of_commune, org_get, org_in_scope

PHONE_RE = re.compile(r"0\d{9}")


def _kind(kind: str) -> str:
    if kind not in OrgKind.values:
        raise StructureError("Loại tổ chức không hợp lệ.", field="kind")
    return kind


def _successor(*, user, org: CollectionOrg, successor: CollectionOrg | None) -> CollectionOrg | None:
    """A successor of the administrator's province, not ``org`` itself nor one that ``org`` took over."""
    if successor is None:
        return None
    if successor.pk == org.pk:
        raise StructureError(errors.SUCCESSOR_SELF, field="successor")
    successor = CollectionOrg.objects.get(pk=successor.pk)
    org_in_scope(user=user, org=successor)
    seen, step = {org.pk}, successor
    while step.successor_id is not None:
        if step.successor_id in seen:
            raise StructureError(errors.SUCCESSOR_CYCLE.format(name=org.name), field="successor")
        seen.add(step.pk)
        step = step.successor
    return successor


VALID_FROM_TOO_LATE = "Ngày bắt đầu không được quá 1 năm sau hôm nay."


def _valid_from(valid_from: datetime.date | None) -> datetime.date | None:
    """An organisation's start date: inside the administrative range and at most one year after today."""
    date_in_range(valid_from, field="valid_from")
    today = timezone.localdate()
    latest = today.replace(year=today.year + 1, day=28 if (today.month, today.day) == (2, 29) else today.day)
    if valid_from is not None and valid_from > latest:
        raise InvalidDate(VALID_FROM_TOO_LATE, field="valid_from")
    return valid_from


def _closed_message(obj, name: str) -> str:
    return ALREADY_CLOSED.format(name=name, closed_on=format_date(obj.closed_on))


@transaction.atomic
def collection_org_create(*, user, code: str, name: str, kind: str = OrgKind.POST_OFFICE,
                          valid_from: datetime.date | None = None, cash_hold_days: int | None = None) -> CollectionOrg:
    """Create a collection organisation serving the administrator's (new-map) province. Raises
    PermissionDenied, OutOfScope, StructureError, DuplicateCode (field ``code``)."""
    require_permission(user, "collection.add_collectionorg")
    province = admin_province(user)
    org = CollectionOrg(code=code_unused(code, model=CollectionOrg), name=name_required(name), kind=_kind(kind),
                        province=province, valid_from=_valid_from(valid_from),
                        cash_hold_days=2 if cash_hold_days is None else _cash_hold_days(cash_hold_days))
    org._history_user = user
    org.save()
    return org


def _cash_hold_days(days) -> int:
    """The working days an agent may hold cash (0 to 30). Raises StructureError (``cash_hold_days``)."""
    if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= 30:
        raise StructureError(HOLD_DAYS_INVALID, field="cash_hold_days")
    return days


@transaction.atomic
def collection_org_update(*, user, org: CollectionOrg, name: str, kind: str,
                          valid_from: datetime.date | None = None,
                          successor: CollectionOrg | None = None, cash_hold_days: int | None = None) -> CollectionOrg:
    """Change an organisation's name, kind, start date, successor and cash-holding limit (None: kept) (its code stays: it is printed on
    the receipts). A closed one may still be renamed or given its successor. Raises PermissionDenied,
    OutOfScope, StructureError, InvalidDate."""
    require_permission(user, "collection.change_collectionorg")
    org = org_get(user=user, pk=org.pk)
    name = name_required(name)
    kind = _kind(kind)
    valid_from = _valid_from(valid_from)
    if valid_from is not None and org.closed_on is not None and valid_from > org.closed_on:
        raise InvalidDate(errors.VALID_FROM_AFTER_CLOSE.format(closed_on=format_date(org.closed_on)),
                          field="valid_from")
    org.successor = _successor(user=user, org=org, successor=successor)
    org.name, org.kind, org.valid_from = name, kind, valid_from
    if cash_hold_days is not None:
        org.cash_hold_days = _cash_hold_days(cash_hold_days)
    org._history_user = user
    org.save()
    return org


@transaction.atomic
def collection_org_close(*, user, org: CollectionOrg, closed_on: datetime.date,
                         successor: CollectionOrg | None = None) -> CollectionOrg:
    """Close an organisation from ``closed_on`` (not after today, not before it started), optionally
    naming the one that takes over. Refused while it has agents still working. Its agents, payments and
    receipts stay. Raises PermissionDenied, OutOfScope, AlreadyClosed, InvalidDate, StillInUse,
    StructureError."""
    require_permission(user, "collection.change_collectionorg")
    org = org_get(user=user, pk=org.pk)
    if org.closed_on is not None:
        raise AlreadyClosed(_closed_message(org, org.name))
    date_not_future(closed_on, field="closed_on")
    if org.valid_from is not None and closed_on < org.valid_from:
        raise InvalidDate(CLOSED_BEFORE_START.format(start=format_date(org.valid_from)), field="closed_on")
    open_agents = org.agents.filter(closed_on__isnull=True).count()
    if open_agents:
        raise StillInUse(errors.ORG_HAS_OPEN_AGENTS.format(count=open_agents), field="closed_on")
    if successor is not None:
        org.successor = _successor(user=user, org=org, successor=successor)
    org.closed_on = closed_on
    org._history_user = user
    org.save()
    return org


def _phone(phone: str) -> str:
    phone = re.sub(r"[\s.]", "", phone or "")
    if phone and not PHONE_RE.fullmatch(phone):
        raise StructureError(errors.PHONE_INVALID, field="phone")
    return phone


def _require_open_org(org: CollectionOrg) -> None:
    if org.closed_on is not None:
        raise AlreadyClosed(errors.ORG_CLOSED.format(name=org.name, closed_on=format_date(org.closed_on)))


def _require_open_agent(agent: Agent, *, error=AlreadyClosed) -> None:
    if agent.closed_on is not None:
        raise error(errors.AGENT_CLOSED.format(name=agent.full_name, closed_on=format_date(agent.closed_on)))


@transaction.atomic
def agent_create(*, user, org: CollectionOrg, code: str, full_name: str, phone: str = "") -> Agent:
    """Add an agent to an open organisation; the agent works in the administrator's (new-map) province
    (``area``) until a catchment narrows it. Raises PermissionDenied, OutOfScope, AlreadyClosed,
    StructureError, DuplicateCode (field ``code``)."""
    require_permission(user, "collection.add_agent")
    province = admin_province(user)
    org = org_get(user=user, pk=org.pk)
    _require_open_org(org)
    agent = Agent(org=org, code=code_unused(code, model=Agent),
                  full_name=name_required(full_name, max_length=100), phone=_phone(phone), area=province)
    agent._history_user = user
    agent.save()
    return agent


@transaction.atomic
def agent_update(*, user, agent: Agent, full_name: str, phone: str = "") -> Agent:
    """Change a working agent's name and phone (the code stays: it names their receipt series). Raises
    PermissionDenied, OutOfScope, AlreadyClosed, StructureError."""
    require_permission(user, "collection.change_agent")
    agent = agent_get(user=user, pk=agent.pk)
    _require_open_agent(agent)
    agent.full_name = name_required(full_name, max_length=100)
    agent.phone = _phone(phone)
    agent._history_user = user
    agent.save()
    return agent


@transaction.atomic
def agent_close(*, user, agent: Agent, closed_on: datetime.date) -> Agent:
    """An agent stops work from ``closed_on`` (not after today, not before their last payment). Refused
    while households are still assigned to them (reassign first). Their payments and receipts keep
    pointing to them. Refused too while an active user account is the agent's. Raises PermissionDenied,
    OutOfScope, AlreadyClosed, InvalidDate, StillInUse."""
    require_permission(user, "collection.change_agent")
    agent = agent_get(user=user, pk=agent.pk)
    _require_open_agent(agent)
    date_not_future(closed_on, field="closed_on")
    last_paid = Payment.objects.filter(agent=agent).aggregate(last=Max("paid_on"))["last"]
    if last_paid is not None and closed_on < last_paid:
        raise InvalidDate(errors.AGENT_PAID_AFTER.format(paid_on=format_date(last_paid)), field="closed_on")
    households = Household.objects.filter(agent=agent).count()
    if households:
        raise StillInUse(errors.AGENT_HAS_HOUSEHOLDS.format(count=households), field="closed_on")
    accounts = UserRole.objects.filter(agent=agent, user__is_active=True).count()
    if accounts:
        raise StillInUse(errors.AGENT_HAS_ACCOUNTS.format(count=accounts), field="closed_on")
    agent.closed_on = closed_on
    agent._history_user = user
    agent.save()
    return agent


@transaction.atomic
def agent_catchment_set(*, user, agent: Agent, communes: list[AdministrativeUnit],
                        hamlets: dict[int, list[str]] | None = None) -> list[AgentCatchment]:
    """Set a working agent's catchment: communes of the administrator's province (new map), each whole
    or, when ``hamlets[commune.pk]`` lists some, only those hamlets. Rows no longer wanted are removed
    (their history stays), new ones added. Refused (StillInUse) while households assigned to the agent
    would lie outside the new catchment. Raises PermissionDenied, OutOfScope, AlreadyClosed,
    StructureError, OutsideProvince, StillInUse (field ``communes``)."""
    require_permission(user, "collection.change_agent")
    province = admin_province(user)
    agent = agent_get(user=user, pk=agent.pk)
    _require_open_agent(agent)
    hamlets = hamlets or {}
    communes = list(dict.fromkeys(communes))
    if not communes:
        raise StructureError(errors.CATCHMENT_EMPTY, field="communes")
    wanted: set[tuple[int, str]] = set()
    for commune in communes:
        if commune.level != Level.COMMUNE or commune.map != MapVersion.NEW or commune.province_id != province.pk:
            raise OutsideProvince(COMMUNE_OUTSIDE.format(name=commune.name, province=province.name), field="communes")
        names = [h.strip() for h in hamlets.get(commune.pk, []) if h.strip()]
        for name in names:
            if len(name) > 100:
                raise StructureError(errors.HAMLET_TOO_LONG.format(hamlet=name[:30] + "…"), field="communes")
        wanted.update((commune.pk, name) for name in names) if names else wanted.add((commune.pk, ""))
    outside = _households_outside(agent=agent, wanted=wanted)
    if outside:
        raise StillInUse(errors.CATCHMENT_LEAVES_HOUSEHOLDS.format(count=len(outside), code=outside[0]),
                         field="communes")
    current = {(row.commune_id, row.hamlet): row for row in AgentCatchment.objects.filter(agent=agent)}
    for key, row in current.items():
        if key not in wanted:
            row._history_user = user
            row.delete()
    for commune_id, hamlet in sorted(wanted - current.keys()):
        row = AgentCatchment(agent=agent, commune_id=commune_id, hamlet=hamlet)
        row._history_user = user
        row.save()
    return list(AgentCatchment.objects.filter(agent=agent).order_by("commune__name", "hamlet"))


def _households_outside(*, agent: Agent, wanted: set[tuple[int, str]]) -> list[str]:
    """Codes (in order) of the households assigned to ``agent`` today that lie outside the catchment
    ``wanted`` ((new-map commune id, hamlet or "" for the whole commune) pairs)."""
    rows = list(Household.objects.filter(agent=agent).order_by("code").values_list("code", "commune_id", "hamlet"))
    if not rows:
        return []
    new_of = _new_communes({commune_id for _, commune_id, _ in rows})
    whole = {commune_id for commune_id, hamlet in wanted if not hamlet}
    return [code for code, commune_id, hamlet in rows
            if new_of[commune_id] is None or (new_of[commune_id].pk not in whole
                                              and (new_of[commune_id].pk, hamlet.strip()) not in wanted)]


# --- Assigning households ----------------------------------------------------------------------------

def _new_communes(commune_ids: set[int]) -> dict[int, AdministrativeUnit | None]:
    """Each commune id -> the new-map commune its records belong to: itself on the new map, its primary
    successor on the old one (None without one)."""
    units = AdministrativeUnit.objects.in_bulk(commune_ids)
    result: dict[int, AdministrativeUnit | None] = {pk: u for pk, u in units.items() if u.map == MapVersion.NEW}
    old = [pk for pk, u in units.items() if u.map != MapVersion.NEW]
    for pk in old:
        result[pk] = None
    for mapping in UnitMapping.objects.filter(old_unit__in=old, is_primary=True).select_related("new_unit"):
        result[mapping.old_unit_id] = mapping.new_unit
    return result


@dataclass(frozen=True)
class AssignResult:
    """``assigned`` households got a new assignment; ``already`` were already this agent's (no row)."""

    assigned: int
    already: int


def _assign(*, user, agent: Agent, households: QuerySet[Household], starts_on: datetime.date,
            province: AdministrativeUnit, field: str) -> AssignResult:
    """Assign every household of ``households`` (a plain filter) to ``agent`` from ``starts_on``: checks,
    then one ``bulk_create`` of the log rows and one ``update()`` of ``Household.agent``. ``field`` names the
    form field that chose the households (for a refusal about them). The households are locked (in id
    order) first, so parallel posts run one after the other; households already this agent's are skipped
    (counted as ``already``)."""
    _require_open_agent(agent, error=AssignmentRefused)
    if starts_on > timezone.localdate():
        raise AssignmentRefused(errors.STARTS_ON_FUTURE, field="starts_on")
    if not admin_date_in_range(starts_on):
        raise AssignmentRefused(ADMIN_DATE_OUT_OF_RANGE, field="starts_on")
    locked = list(households.order_by("pk").select_for_update()
                  .values_list("pk", "code", "commune_id", "hamlet", "agent_id"))
    if not locked:
        raise AssignmentRefused(errors.NO_HOUSEHOLDS, field=field)
    already = sum(1 for row in locked if row[4] == agent.pk)
    rows = sorted(((pk, code, commune_id, hamlet) for pk, code, commune_id, hamlet, agent_id in locked
                   if agent_id != agent.pk), key=lambda row: row[1])
    if not rows:
        return AssignResult(assigned=0, already=already)
    households = households.exclude(agent_id=agent.pk)
    new_of = _new_communes({commune_id for _, _, commune_id, _ in rows})
    foreign = [code for _, code, commune_id, _ in rows
               if new_of[commune_id] is None or new_of[commune_id].province_id != province.pk]
    if foreign:
        raise OutOfScope(errors.HOUSEHOLDS_OUT_OF_PROVINCE.format(codes=", ".join(foreign[:5])))
    whole, parts = set(), set()
    for commune_id, hamlet in AgentCatchment.objects.filter(agent=agent).values_list("commune_id", "hamlet"):
        (parts.add((commune_id, hamlet)) if hamlet else whole.add(commune_id))
    outside = [code for _, code, commune_id, hamlet in rows
               if new_of[commune_id].pk not in whole and (new_of[commune_id].pk, hamlet.strip()) not in parts]
    if outside:
        raise AssignmentRefused(errors.OUTSIDE_CATCHMENT.format(count=len(outside), code=outside[0]), field=field)
    later = (HouseholdAssignment.objects.filter(household__in=households.values("pk"), starts_on__gt=starts_on)
             .values("household__code").annotate(last=Max("starts_on")).order_by("household__code"))
    later_count = later.count()
    if later_count:
        first = later[0]
        raise AssignmentRefused(errors.STARTS_ON_BEFORE_LAST.format(
            code=first["household__code"], last=format_date(first["last"]), count=later_count), field="starts_on")
    same_day = list(HouseholdAssignment.objects.filter(household__in=households.values("pk"), starts_on=starts_on)
                    .order_by("household__code").values_list("household__code", flat=True))
    if same_day:
        raise AssignmentRefused(errors.ASSIGNED_SAME_DAY.format(
            count=len(same_day), code=same_day[0], starts_on=format_date(starts_on)), field="starts_on")
    # Ids rather than instances: setting a related instance costs more than the row itself at 10,000 rows.
    agent_id, user_id = agent.pk, user.pk
    HouseholdAssignment.objects.bulk_create(
        [HouseholdAssignment(household_id=pk, agent_id=agent_id, starts_on=starts_on, assigned_by_id=user_id)
         for pk, _, _, _ in rows], batch_size=2000)
    households.update(agent=agent)
    return AssignResult(assigned=len(rows), already=already)


@transaction.atomic
def households_assign_by_area(*, user, agent: Agent, commune: AdministrativeUnit, hamlet: str = "",
                              starts_on: datetime.date) -> AssignResult:
    """Assign to ``agent`` from ``starts_on`` every household of a hamlet of ``commune`` (a new-map commune
    of the province), or of the whole commune when ``hamlet`` is blank; households recorded under an
    old-map commune count for its primary successor. ``starts_on`` may not be after today nor before a
    household's latest assignment, nor on a day a household was already assigned to another agent. Every
    household must lie in the agent's catchment. Returns an ``AssignResult`` (households already this
    agent's are skipped). Raises PermissionDenied, OutOfScope, OutsideProvince, AssignmentRefused."""
    require_permission(user, "collection.add_householdassignment")
    province = admin_province(user)
    agent = agent_get(user=user, pk=agent.pk)
    if commune.level != Level.COMMUNE or commune.map != MapVersion.NEW or commune.province_id != province.pk:
        raise OutsideProvince(COMMUNE_OUTSIDE.format(name=commune.name, province=province.name), field="commune")
    households = households_of_commune(commune=commune)
    hamlet = (hamlet or "").strip()
    if hamlet:
        households = households.filter(hamlet=hamlet)
    return _assign(user=user, agent=agent, households=households, starts_on=starts_on, province=province,
                   field="hamlet" if hamlet else "commune")


@transaction.atomic
def households_assign_by_code(*, user, agent: Agent, codes: list[str],
                              starts_on: datetime.date) -> AssignResult:
    """Assign the households named by ``codes`` to ``agent`` from ``starts_on`` (same checks as
    ``households_assign_by_area``); codes match whatever their case and spaces. Returns an ``AssignResult``.
    Raises PermissionDenied, OutOfScope
    (a household of another province), AssignmentRefused (field ``codes`` for an unknown code)."""
    require_permission(user, "collection.add_householdassignment")
    province = admin_province(user)
    agent = agent_get(user=user, pk=agent.pk)
    codes = list(dict.fromkeys(re.sub(r"\s+", "", c).upper() for c in codes if c and c.strip()))
    if not codes:
        raise AssignmentRefused(errors.CODES_REQUIRED, field="codes")
    by_upper = {code.upper(): pk for pk, code in Household.objects.annotate(code_upper=Upper("code"))
                .filter(code_upper__in=codes).values_list("pk", "code")}
    households = Household.objects.filter(pk__in=by_upper.values())
    unknown = [c for c in codes if c not in by_upper]
    if unknown:
        raise AssignmentRefused(errors.UNKNOWN_HOUSEHOLDS.format(codes=", ".join(unknown[:5])), field="codes")
    return _assign(user=user, agent=agent, households=households, starts_on=starts_on, province=province,
                   field="codes")
