"""Reads for the provincial administrator: their province, the old provinces merged into it, its
communes, and its BHXH cơ sở offices."""

from django.db.models import Count, F, QuerySet

from ansinh.accounts.models import Role
from ansinh.accounts.services import require_permission, role_of
from ansinh.core.errors import OutOfScope

from .errors_structure import NOT_A_PROVINCE
from .models import AdministrativeUnit, Level, MapVersion, SiOffice, UnitMapping

OFFICE_PERMISSION = "areas.change_sioffice"


def admin_province(user) -> AdministrativeUnit:
    """The new-map province a provincial administrator keeps (``role_of(user).area``). Raises
    PermissionDenied for a user without role, OutOfScope when the role names no new-map province."""
    user_role = role_of(user)
    area = user_role.area
    if user_role.role != Role.PROVINCE_ADMIN or area is None or area.level != Level.PROVINCE \
            or area.map != MapVersion.NEW:
        raise OutOfScope(NOT_A_PROVINCE)
    return area


def provinces_merged_into(*, province: AdministrativeUnit) -> QuerySet[AdministrativeUnit]:
    """Old-map provinces at least one commune of which has its primary successor in the new-map
    ``province`` (Hậu Giang, Sóc Trăng and Cần Thơ for Cần Thơ city)."""
    return AdministrativeUnit.objects.filter(
        map=MapVersion.OLD, level=Level.PROVINCE,
        pk__in=UnitMapping.objects.filter(new_unit__province=province, is_primary=True).values("old_unit__province_id"),
    )


def province_ids_in_scope(*, province: AdministrativeUnit) -> set[int]:
    """The new-map province and the old ones merged into it: an organisation of either is the
    administrator's."""
    return {province.pk, *provinces_merged_into(province=province).values_list("pk", flat=True)}


def province_communes(*, province: AdministrativeUnit) -> QuerySet[AdministrativeUnit]:
    """The communes of a new-map province, in name order (what the administrator picks from)."""
    return AdministrativeUnit.objects.filter(province=province, level=Level.COMMUNE,
                                             map=MapVersion.NEW).order_by("name", "code")


def office_list(*, user) -> QuerySet[SiOffice]:
    """The BHXH cơ sở offices of the administrator's province (open first, then by code), each with
    ``commune_count``. Raises PermissionDenied, OutOfScope."""
    require_permission(user, OFFICE_PERMISSION)
    province = admin_province(user)
    return (SiOffice.objects.filter(province=province).annotate(commune_count=Count("communes"))
            .prefetch_related("communes").order_by(F("closed_on").desc(nulls_first=True), "code"))


def office_get(*, user, pk: int) -> SiOffice:
    """One office of the administrator's province. Raises SiOffice.DoesNotExist, PermissionDenied,
    OutOfScope (another province's office)."""
    require_permission(user, OFFICE_PERMISSION)
    province = admin_province(user)
    office = SiOffice.objects.select_related("province").get(pk=pk)
    if office.province_id != province.pk:
        raise OutOfScope()
    return office


def commune_offices(*, province: AdministrativeUnit, exclude: SiOffice | None = None) -> dict[int, str]:
    """Commune id -> code of the open office of ``province`` that covers it (``exclude`` left out): what
    the office form shows beside each commune."""
    rows = SiOffice.communes.through.objects.filter(sioffice__province=province, sioffice__closed_on__isnull=True)
    if exclude is not None:
        rows = rows.exclude(sioffice=exclude)
    return dict(rows.values_list("administrativeunit_id", "sioffice__code"))
