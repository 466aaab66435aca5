"""BHXH cơ sở offices of a province, kept by its provincial administrator: created with the communes
each covers (new map; a commune belongs to at most one open office), edited, closed (never deleted:
officers were scoped to it and its history stays)."""

import datetime

from django.db import transaction
from django.utils import timezone

from ansinh.accounts.models import UserRole
from ansinh.accounts.services import require_permission

from .errors_structure import (ALREADY_CLOSED, CODE_REQUIRED, CODE_TAKEN, CODE_TOO_LONG, COMMUNE_IN_OTHER_OFFICE,
                               COMMUNE_OUTSIDE, DATE_IN_FUTURE, NAME_REQUIRED, OFFICE_HAS_USERS, AlreadyClosed,
                               DuplicateCode, InvalidDate, OutsideProvince, OverlappingOffice, StillInUse,
                               StructureError)
from .models import AdministrativeUnit, Level, MapVersion, SiOffice
from .selectors_offices import admin_province, office_get
from ansinh.core.dates import ADMIN_DATE_OUT_OF_RANGE, admin_date_in_range
from ansinh.core.formatting import format_date


def code_unused(code: str, *, model, max_length: int = 20) -> str:
    """A stripped code, not used yet by ``model``. Raises StructureError, DuplicateCode (field ``code``)."""
    code = (code or "").strip()
    if not code:
        raise StructureError(CODE_REQUIRED, field="code")
    if len(code) > max_length:
        raise StructureError(CODE_TOO_LONG.format(max=max_length), field="code")
    if model.objects.filter(code__iexact=code).exists():
        raise DuplicateCode(CODE_TAKEN.format(code=code), field="code")
    return code


def name_required(name: str, *, max_length: int = 150) -> str:
    name = (name or "").strip()
    if not name:
        raise StructureError(NAME_REQUIRED, field="name")
    return name[:max_length]


def date_in_range(day: datetime.date | None, *, field: str) -> datetime.date | None:
    """``day`` (None: no date) inside the administrative range 01/01/1900–31/12/2100. Raises InvalidDate."""
    if not admin_date_in_range(day):
        raise InvalidDate(ADMIN_DATE_OUT_OF_RANGE, field=field)
    return day


def date_not_future(day: datetime.date, *, field: str) -> datetime.date:
    if day > timezone.localdate():
        raise InvalidDate(DATE_IN_FUTURE, field=field)
    date_in_range(day, field=field)
    return day


def _communes(communes, *, province: AdministrativeUnit, office: SiOffice | None) -> list[AdministrativeUnit]:
    """The communes, each a new-map commune of ``province`` held by no other open office. Raises
    OutsideProvince, OverlappingOffice (field ``communes``, naming the commune and the other office)."""
    communes = list(dict.fromkeys(communes))
    for commune in communes:
        if commune.level != Level.COMMUNE or commune.map != MapVersion.NEW or commune.province_id != province.pk:
            raise OutsideProvince(COMMUNE_OUTSIDE.format(name=commune.name, province=province.name), field="communes")
    taken = (SiOffice.communes.through.objects
             .filter(administrativeunit__in=communes, sioffice__closed_on__isnull=True)
             .select_related("administrativeunit", "sioffice").order_by("administrativeunit__name"))
    if office is not None:
        taken = taken.exclude(sioffice=office)
    clash = taken.first()
    if clash is not None:
        raise OverlappingOffice(COMMUNE_IN_OTHER_OFFICE.format(
            name=clash.administrativeunit.name, office=clash.sioffice.name, code=clash.sioffice.code), field="communes")
    return communes


@transaction.atomic
def si_office_create(*, user, code: str, name: str, communes: list[AdministrativeUnit]) -> SiOffice:
    """Create a BHXH cơ sở office of the administrator's province covering ``communes``. Raises
    PermissionDenied, OutOfScope, StructureError, DuplicateCode, OutsideProvince, OverlappingOffice."""
    require_permission(user, "areas.add_sioffice")
    province = admin_province(user)
    code = code_unused(code, model=SiOffice)
    name = name_required(name)
    communes = _communes(communes, province=province, office=None)
    office = SiOffice(code=code, name=name, province=province)
    office._history_user = user
    office.save()
    office.communes.set(communes)
    return office


@transaction.atomic
def si_office_update(*, user, office: SiOffice, name: str, communes: list[AdministrativeUnit]) -> SiOffice:
    """Rename an open office and set the communes it covers. Raises PermissionDenied, OutOfScope,
    AlreadyClosed, StructureError, OutsideProvince, OverlappingOffice."""
    require_permission(user, "areas.change_sioffice")
    office = office_get(user=user, pk=office.pk)
    if office.closed_on is not None:
        raise AlreadyClosed(ALREADY_CLOSED.format(name=office.name, closed_on=format_date(office.closed_on)))
    name = name_required(name)
    communes = _communes(communes, province=office.province, office=office)
    office.name = name
    office._history_user = user
    office.save()
    office.communes.set(communes)
    return office


@transaction.atomic
def si_office_close(*, user, office: SiOffice, closed_on: datetime.date) -> SiOffice:
    """Close an office from ``closed_on`` (not after today); its communes are free for another office.
    Refused while active users are scoped to it. Raises PermissionDenied, OutOfScope, AlreadyClosed,
    InvalidDate, StillInUse."""
    require_permission(user, "areas.change_sioffice")
    office = office_get(user=user, pk=office.pk)
    if office.closed_on is not None:
        raise AlreadyClosed(ALREADY_CLOSED.format(name=office.name, closed_on=format_date(office.closed_on)))
    date_not_future(closed_on, field="closed_on")
    users = UserRole.objects.filter(si_office=office, user__is_active=True).count()
    if users:
        raise StillInUse(OFFICE_HAS_USERS.format(count=users), field="closed_on")
    office.closed_on = closed_on
    office._history_user = user
    office.save()
    return office
