"""User administration by the province administrator (Quản trị tỉnh): create a user with one role and its
scope, change the role or scope, deactivate and reactivate, set a new password.

Scopes the administrator may give, inside their (new-map) province:
- ``si_officer`` / ``association_officer``: the province, one of its communes, an old-map district or
  commune whose communes became communes of the province (kept valid for past data), or one of the
  province's BHXH cơ sở offices;
- ``group_leader``: an association unit of the province; ``collection_agent``: an agent of the province
  not yet linked to another user; ``province_admin``: the province itself.
Everything is checked before anything is written; each refusal is a ``UserInvalid`` naming the field.
"""

import re

from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction

from ansinh.areas.models import AdministrativeUnit, MapVersion, SiOffice, UnitMapping
from ansinh.areas.selectors import communes_of
from ansinh.collection.models import Agent
from ansinh.core.errors import OutOfScope, PermissionDenied
from ansinh.registry.models import AssociationUnit

from . import errors
from .models import Role, UserRole
from .services import require_permission, user_role_assign

USERNAME_RE = re.compile(r"^[A-Za-z0-9._-]{1,150}$")
PHONE_RE = re.compile(r"^0\d{9}$")
OFFICER_ROLES = (Role.SI_OFFICER, Role.ASSOCIATION_OFFICER)


def admin_province(user, permission: str = "auth.change_user") -> AdministrativeUnit:
    """The province the user administers. Raises PermissionDenied unless they hold ``permission`` as a
    province administrator."""
    user_role = require_permission(user, permission)
    if user_role.role != Role.PROVINCE_ADMIN or user_role.area is None:
        raise PermissionDenied(errors.NEEDS_ADMIN)
    return user_role.area


def area_in_province(area: AdministrativeUnit, province: AdministrativeUnit) -> bool:
    """Whether ``area`` lies in the new-map ``province``: the province itself, one of its communes, or an
    old-map unit one of whose communes became a commune of the province (the 1 July 2025 mapping)."""
    if area.pk == province.pk:
        return True
    if area.map == MapVersion.NEW:
        return area.province_id == province.pk
    return UnitMapping.objects.filter(old_unit__in=communes_of(unit=area), new_unit__province=province).exists()


def scope_in_province(user_role: UserRole | None, province: AdministrativeUnit) -> bool:
    """Whether a user's current scope lies in ``province`` (a user with no role: yes)."""
    if user_role is None:
        return True
    if user_role.si_office_id is not None:
        return user_role.si_office.province_id == province.pk
    if user_role.area_id is not None:
        return area_in_province(user_role.area, province)
    if user_role.association_unit_id is not None:
        return area_in_province(user_role.association_unit.commune, province)
    return area_in_province(user_role.agent.area, province)


def _role_of_target(target: User) -> UserRole | None:
    try:
        return target.ansinh_role
    except UserRole.DoesNotExist:
        return None


def _scope(*, province, role: str, area, si_office, association_unit, agent, target: User | None) -> dict:
    """The scope arguments of ``user_role_assign`` for ``role``, checked; the others are dropped."""
    if role not in Role.values:
        raise errors.UserInvalid(errors.ROLE_UNKNOWN, field="role")
    missing = errors.SCOPE_MISSING.format(role=Role(role).label, what=errors.SCOPE_WORDS[role])
    if role in OFFICER_ROLES:
        if area is None and si_office is None:
            raise errors.UserInvalid(missing, field="area")
        if area is not None and si_office is not None:
            raise errors.UserInvalid(errors.SCOPE_TWO, field="si_office")
        if si_office is not None:
            if si_office.province_id != province.pk:
                raise errors.UserInvalid(errors.SCOPE_OUTSIDE, field="si_office")
            return {"si_office": si_office}
        if not area_in_province(area, province):
            raise errors.UserInvalid(errors.SCOPE_OUTSIDE, field="area")
        return {"area": area}
    if role == Role.PROVINCE_ADMIN:
        if area is None:
            raise errors.UserInvalid(missing, field="area")
        if area.pk != province.pk:
            raise errors.UserInvalid(errors.SCOPE_WRONG_LEVEL, field="area")
        return {"area": area}
    if role == Role.GROUP_LEADER:
        if association_unit is None:
            raise errors.UserInvalid(missing, field="association_unit")
        if not area_in_province(association_unit.commune, province):
            raise errors.UserInvalid(errors.SCOPE_OUTSIDE, field="association_unit")
        return {"association_unit": association_unit}
    if agent is None:
        raise errors.UserInvalid(missing, field="agent")
    if not area_in_province(agent.area, province):
        raise errors.UserInvalid(errors.SCOPE_OUTSIDE, field="agent")
    holder = UserRole.objects.filter(agent=agent).select_related("user").first()
    if holder is not None and (target is None or holder.user_id != target.pk):
        raise errors.UserInvalid(errors.AGENT_TAKEN.format(username=holder.user.username), field="agent")
    return {"agent": agent}


def _check_password(password: str, password_again: str | None, user: User | None) -> None:
    if not password:
        raise errors.UserInvalid(errors.PASSWORD_MISSING, field="password")
    if password_again is not None and password != password_again:
        raise errors.UserInvalid(errors.PASSWORD_MISMATCH, field="password_again")
    try:
        validate_password(password, user)
    except DjangoValidationError as exc:
        # Django's Vietnamese catalogue misses these messages: ours by the validator's code, its own otherwise.
        messages = []
        for error in exc.error_list:
            text = errors.PASSWORD_MESSAGES.get(error.code)
            messages.append(text.format(**(error.params or {})) if text else " ".join(error.messages))
        raise errors.UserInvalid(" ".join(messages), field="password") from None


def _check_phone(phone: str) -> str:
    phone = (phone or "").strip().replace(" ", "").replace(".", "")
    if phone and not PHONE_RE.match(phone):
        raise errors.UserInvalid(errors.PHONE_INVALID, field="phone")
    return phone


@transaction.atomic
def user_create(*, user, username: str, full_name: str, role: str, password: str,
                password_again: str | None = None, phone: str = "", area: AdministrativeUnit | None = None,
                si_office: SiOffice | None = None, association_unit: AssociationUnit | None = None,
                agent: Agent | None = None) -> User:
    """Create an active user with one role and its scope (see the module docstring) and an initial
    password checked with Django's password validators. The whole name is kept in ``first_name``
    (Vietnamese names are written family name first, so ``get_full_name()`` gives it in order).
    Raises PermissionDenied, UserInvalid (field: username, full_name, phone, role, area, si_office,
    association_unit, agent, password, password_again)."""
    province = admin_province(user, "auth.add_user")
    username = (username or "").strip()
    if not username:
        raise errors.UserInvalid(errors.USERNAME_MISSING, field="username")
    if not USERNAME_RE.match(username):
        raise errors.UserInvalid(errors.USERNAME_INVALID, field="username")
    if User.objects.filter(username__iexact=username).exists():
        raise errors.UserInvalid(errors.USERNAME_TAKEN, field="username")
    full_name = " ".join((full_name or "").split())
    if not full_name:
        raise errors.UserInvalid(errors.FULL_NAME_MISSING, field="full_name")
    phone = _check_phone(phone)
    scope = _scope(province=province, role=role, area=area, si_office=si_office,
                   association_unit=association_unit, agent=agent, target=None)
    _check_password(password, password_again, User(username=username, first_name=full_name))
    new = User(username=username, first_name=full_name[:150], is_active=True)
    new.set_password(password)
    new.save()
    user_role = user_role_assign(user=new, role=role, **scope)
    if phone:
        user_role.phone = phone
        user_role.save(update_fields=["phone"])
    return new


def _target_in_province(target: User, province) -> UserRole | None:
    user_role = _role_of_target(target)
    if target.is_superuser or not scope_in_province(user_role, province):
        raise OutOfScope()
    return user_role


@transaction.atomic
def user_update(*, user, target: User, role: str, full_name: str, phone: str = "",
                area: AdministrativeUnit | None = None, si_office: SiOffice | None = None,
                association_unit: AssociationUnit | None = None, agent: Agent | None = None) -> User:
    """Change a user's name, phone, role and scope (one role per account: it replaces the previous one).
    An administrator cannot change their own role. Raises PermissionDenied, OutOfScope (a user of another
    province), UserInvalid."""
    province = admin_province(user)
    target = User.objects.select_for_update().get(pk=target.pk)
    _target_in_province(target, province)
    full_name = " ".join((full_name or "").split())
    if not full_name:
        raise errors.UserInvalid(errors.FULL_NAME_MISSING, field="full_name")
    phone = _check_phone(phone)
    scope = _scope(province=province, role=role, area=area, si_office=si_office,
                   association_unit=association_unit, agent=agent, target=target)
    current = _role_of_target(target)
    if target.pk == user.pk and (current is None or current.role != role or any(
            getattr(current, f"{k}_id") != v.pk for k, v in scope.items())):
        raise errors.UserInvalid(errors.SELF_ROLE, field="role")
    if target.first_name != full_name[:150]:
        target.first_name = full_name[:150]
        target.save(update_fields=["first_name"])
    user_role = user_role_assign(user=target, role=role, **scope)
    if user_role.phone != phone:
        user_role.phone = phone
        user_role.save(update_fields=["phone"])
    return target


@transaction.atomic
def user_active_set(*, user, target: User, active: bool) -> User:
    """Deactivate (the account can no longer sign in; nothing it recorded changes) or reactivate a user.
    Raises PermissionDenied, OutOfScope, UserInvalid (an administrator deactivating themselves)."""
    province = admin_province(user)
    target = User.objects.select_for_update().get(pk=target.pk)
    _target_in_province(target, province)
    if not active and target.pk == user.pk:
        raise errors.UserInvalid(errors.SELF_DEACTIVATE, field="is_active")
    if target.is_active != active:
        target.is_active = active
        target.save(update_fields=["is_active"])
    return target


@transaction.atomic
def user_password_reset(*, user, target: User, password: str, password_again: str | None = None) -> User:
    """The administrator sets a new password for a user (checked with Django's validators); the user's
    other sessions end at their next request. Raises PermissionDenied, OutOfScope, UserInvalid."""
    province = admin_province(user)
    target = User.objects.select_for_update().get(pk=target.pk)
    _target_in_province(target, province)
    _check_password(password, password_again, target)
    target.set_password(password)
    target.save(update_fields=["password"])
    return target
