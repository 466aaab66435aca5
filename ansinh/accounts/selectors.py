"""Reads for user administration: the users of the administrator's province and the scopes they may give."""

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet
from django.http import Http404

from ansinh.areas.models import AdministrativeUnit, Level, MapVersion, SiOffice, UnitMapping
from ansinh.collection.models import Agent
from ansinh.registry.models import AssociationUnit

from ansinh.core.errors import OutOfScope

from .models import Role
from .services_users import admin_province, scope_in_province


def user_list(*, user, role: str | None = None) -> list[User]:
    """Users whose scope lies in the administrator's province (and users with no role yet), by user name;
    ``role`` filters by role. Raises PermissionDenied."""
    province = admin_province(user)
    qs = (User.objects.filter(is_superuser=False)
          .select_related("ansinh_role", "ansinh_role__area", "ansinh_role__si_office",
                          "ansinh_role__association_unit", "ansinh_role__association_unit__commune",
                          "ansinh_role__agent", "ansinh_role__agent__area")
          .order_by("username"))
    if role in Role.values:
        qs = qs.filter(ansinh_role__role=role)
    out = []
    for u in qs:
        user_role = getattr(u, "ansinh_role", None)
        if scope_in_province(user_role, province):
            out.append(u)
    return out


def user_get(*, user, pk: int) -> User:
    """One user (not a superuser) of the administrator's province, for its pages. Raises PermissionDenied
    (not a province administrator), Http404 (no such user), OutOfScope (a user of another province)."""
    province = admin_province(user)
    target = (User.objects.select_related("ansinh_role", "ansinh_role__area", "ansinh_role__si_office",
                                          "ansinh_role__association_unit__commune", "ansinh_role__agent__area")
              .filter(pk=pk, is_superuser=False).first())
    if target is None:
        raise Http404("Không tìm thấy người dùng.")
    if not scope_in_province(getattr(target, "ansinh_role", None), province):
        raise OutOfScope()
    return target


def scope_label(user_role) -> str:
    """The scope of a role in words: "Xã X", "BHXH cơ sở Y", "Chi hội Z", "Nhân viên thu NVT001 — …"."""
    if user_role is None:
        return "—"
    if user_role.si_office_id:
        return user_role.si_office.name
    if user_role.area_id:
        suffix = " (bản đồ cũ)" if user_role.area.map == MapVersion.OLD else ""
        return f"{user_role.area.name}{suffix}"
    if user_role.association_unit_id:
        return f"{user_role.association_unit.code} — {user_role.association_unit.name}"
    return f"{user_role.agent.code} — {user_role.agent.full_name}"


def scope_choices(*, province: AdministrativeUnit) -> dict[str, QuerySet]:
    """What an administrator of ``province`` may choose as a scope: ``areas`` (the province, its communes,
    the old-map districts and communes that became part of it), ``offices``, ``units``, ``agents``."""
    old_communes = UnitMapping.objects.filter(new_unit__province=province).values("old_unit_id")
    old_districts = AdministrativeUnit.objects.filter(pk__in=old_communes).values("parent_id")
    areas = AdministrativeUnit.objects.filter(
        Q(pk=province.pk) | Q(map=MapVersion.NEW, level=Level.COMMUNE, province=province)
        | Q(pk__in=old_communes) | Q(pk__in=old_districts, level=Level.DISTRICT)
    ).order_by("-map", "level", "name")
    communes = AdministrativeUnit.objects.filter(Q(province=province) | Q(pk__in=old_communes))
    units = AssociationUnit.objects.filter(commune__in=communes, closed_on__isnull=True).order_by("kind", "code")
    agent_areas = AdministrativeUnit.objects.filter(
        Q(pk__in=communes.values("pk")) | Q(pk__in=old_districts) | Q(pk=province.pk)
        | Q(pk__in=AdministrativeUnit.objects.filter(pk__in=old_communes).values("province_id")))
    agents = Agent.objects.filter(area__in=agent_areas, closed_on__isnull=True).order_by("code")
    offices = SiOffice.objects.filter(province=province, closed_on__isnull=True).order_by("code")
    return {"areas": areas, "offices": offices, "units": units, "agents": agents}
