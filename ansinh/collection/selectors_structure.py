"""Reads for the provincial administrator's pages on collection organisations, agents, catchments
and household assignments. Each checks the permission and the province once at its top."""

from django.db.models import Count, F, Q, QuerySet

from ansinh.accounts.services import require_permission
from ansinh.areas.models import AdministrativeUnit, MapVersion, UnitMapping
from ansinh.areas.selectors_offices import admin_province, province_ids_in_scope
from ansinh.core.errors import OutOfScope
from ansinh.registry.models import Household

from .models import Agent, AgentCatchment, CollectionOrg

STRUCTURE_PERMISSION = "collection.change_agent"


def org_in_scope(*, user, org: CollectionOrg) -> None:
    """Raise OutOfScope unless ``org`` serves the administrator's province (the new-map one, or an old
    province merged into it)."""
    if org.province_id not in province_ids_in_scope(province=admin_province(user)):
        raise OutOfScope()


def org_list(*, user) -> QuerySet[CollectionOrg]:
    """Collection organisations of the administrator's province (open first, then by code), each with
    ``open_agents`` and ``closed_agents``. Raises PermissionDenied, OutOfScope."""
    require_permission(user, STRUCTURE_PERMISSION)
    provinces = province_ids_in_scope(province=admin_province(user))
    return (CollectionOrg.objects.filter(province__in=provinces).select_related("province", "successor")
            .annotate(open_agents=Count("agents", filter=Q(agents__closed_on__isnull=True)),
                      closed_agents=Count("agents", filter=Q(agents__closed_on__isnull=False)))
            .order_by(F("closed_on").desc(nulls_first=True), "code"))


def org_get(*, user, pk: int) -> CollectionOrg:
    """One organisation of the administrator's province. Raises CollectionOrg.DoesNotExist,
    PermissionDenied, OutOfScope."""
    require_permission(user, STRUCTURE_PERMISSION)
    org = CollectionOrg.objects.select_related("province", "successor").get(pk=pk)
    org_in_scope(user=user, org=org)
    return org


def org_agents(*, org: CollectionOrg) -> QuerySet[Agent]:
    """The organisation's agents (open first, then by code) with ``household_count`` and their
    catchments prefetched."""
    return (org.agents.annotate(household_count=Count("households"))
            .prefetch_related("catchments__commune")
            .order_by(F("closed_on").desc(nulls_first=True), "code"))


def agent_get(*, user, pk: int) -> Agent:
    """One agent of an organisation of the administrator's province, with ``household_count``.
    Raises Agent.DoesNotExist, PermissionDenied, OutOfScope."""
    require_permission(user, STRUCTURE_PERMISSION)
    agent = (Agent.objects.select_related("org", "org__province", "area")
             .annotate(household_count=Count("households")).get(pk=pk))
    org_in_scope(user=user, org=agent.org)
    return agent


def successor_choices(*, user, org: CollectionOrg | None = None) -> QuerySet[CollectionOrg]:
    """Organisations that may take over ``org``'s work: the province's others."""
    provinces = province_ids_in_scope(province=admin_province(user))
    orgs = CollectionOrg.objects.filter(province__in=provinces).order_by("code")
    return orgs.exclude(pk=org.pk) if org is not None else orgs


def catchment_of(*, agent: Agent) -> list[dict]:
    """The agent's catchment by commune: ``[{"commune": unit, "hamlets": [..]}]`` in commune name order;
    ``hamlets`` empty = the whole commune."""
    rows: dict[int, dict] = {}
    for row in AgentCatchment.objects.filter(agent=agent).select_related("commune").order_by("commune__name",
                                                                                             "hamlet"):
        entry = rows.setdefault(row.commune_id, {"commune": row.commune, "hamlets": [], "whole": False})
        if row.hamlet:
            entry["hamlets"].append(row.hamlet)
        else:
            entry["whole"] = True
    for entry in rows.values():
        if entry["whole"]:
            entry["hamlets"] = []
    return list(rows.values())


def households_of_commune(*, commune: AdministrativeUnit) -> QuerySet[Household]:
    """Households recorded under a new-map commune or under an old-map commune whose primary successor
    it is (records keep the commune they were made under)."""
    if commune.map == MapVersion.NEW:
        old = UnitMapping.objects.filter(new_unit=commune, is_primary=True).values("old_unit_id")
        return Household.objects.filter(Q(commune=commune) | Q(commune__in=old))
    return Household.objects.filter(commune=commune)


def hamlets_of(*, commune: AdministrativeUnit) -> list[str]:
    """The hamlet names households of the commune (or of its old-map predecessors) carry, sorted."""
    return sorted(set(households_of_commune(commune=commune).exclude(hamlet="")
                      .values_list("hamlet", flat=True).distinct()))



def structure_province(*, user, permission: str = STRUCTURE_PERMISSION) -> AdministrativeUnit:
    """The administrator's province, once ``permission`` is checked (the gate of a page showing an empty
    form). Raises PermissionDenied, OutOfScope."""
    require_permission(user, permission)
    return admin_province(user)


def catchment_communes(*, agent: Agent) -> QuerySet[AdministrativeUnit]:
    """The communes of the agent's catchment, in name order."""
    return AdministrativeUnit.objects.filter(pk__in=agent.catchments.values("commune_id")).order_by("name")
