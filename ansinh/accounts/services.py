"""Roles, their Django permission groups, and the scope every service checks at its top.

Each role is a Django group holding named permissions (``ROLE_PERMISSIONS``); a user's scope is
the area, association unit or agent on their ``UserRole``.
"""

import time

from django.contrib.auth.models import Group, Permission, User
from django.db import transaction
from django.db.models import Q, QuerySet

from ansinh.areas.models import AdministrativeUnit, Level, MapVersion
from ansinh.areas.selectors import communes_of, with_successors
from ansinh.core.errors import OutOfScope, PermissionDenied, ValidationError
from ansinh.registry.models import Household, Person

from .models import Role, UserRole

# Editing people, households and members (within the role's scope; agents: their assigned households).
REGISTRY_EDIT = ["registry.add_person", "registry.change_person", "registry.add_household",
                 "registry.change_household"]

# Reminder messages: read the outbox of one's scope, record a person's consent or opt-out.
MESSAGING_OFFICER = ["messaging.view_outboxmessage", "messaging.record_consent"]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.SI_OFFICER: [
        "registry.view_household", "registry.view_person", "enrollment.add_vsiparticipation",
        "enrollment.add_hiparticipation", "collection.add_payment", "collection.view_payment",
        "campaigns.view_campaign", "campaigns.change_target", "campaigns.add_target",
        "imports.import_members", "imports.merge_persons",
        *REGISTRY_EDIT, "registry.change_poverty_status", "registry.view_registry_history",
        "registry.change_registrysuggestion", "collection.add_visit", "collection.view_visit",
        "collection.confirm_cashhandover", *MESSAGING_OFFICER, "messaging.queue_reminders",
        "messaging.change_messagetemplate",
        # cancelling payments (collection.services_cancellation): ask, decide, refund
        "collection.add_paymentcancellation", "collection.change_paymentcancellation",
    ],
    Role.ASSOCIATION_OFFICER: [
        "registry.view_household", "registry.view_person", "campaigns.view_campaign",
        "imports.import_members", "imports.merge_persons",
        *REGISTRY_EDIT, "registry.change_poverty_status", "registry.view_registry_history",
        "registry.change_registrysuggestion", *MESSAGING_OFFICER,
    ],
    Role.GROUP_LEADER: ["registry.view_household", "registry.view_person", "campaigns.view_campaign",
                        "registry.add_registrysuggestion"],
    Role.COLLECTION_AGENT: [
        "registry.view_household", "registry.view_person", "enrollment.add_vsiparticipation",
        "enrollment.add_hiparticipation", "collection.add_payment", "collection.view_payment",
        *REGISTRY_EDIT, "registry.view_registry_history", "collection.add_visit", "collection.view_visit",
        "collection.add_cashhandover", *MESSAGING_OFFICER,
        "collection.add_paymentcancellation",  # asks to cancel a payment they took
    ],
    # Sets up and keeps the structure of their province; sees its progress but takes no money.
    Role.PROVINCE_ADMIN: [
        "collection.add_collectionorg", "collection.change_collectionorg", "collection.add_agent",
        "collection.change_agent", "collection.add_householdassignment", "areas.add_sioffice",
        "areas.change_sioffice", "registry.add_associationunit", "registry.change_associationunit",
        "registry.add_leadership", "registry.change_leadership", "auth.add_user", "auth.change_user",
        "campaigns.add_campaign", "campaigns.change_campaign", "campaigns.view_campaign", "campaigns.add_target",
        "campaigns.change_target", "registry.view_household", "registry.view_person", "imports.import_members",
        "imports.merge_persons",
        "parameters.add_parametervalue", "messaging.change_messagetemplate",
        "collection.change_collectionpolicy",  # four eyes and change-of-mind days for cancelling payments
    ],
}


def _permission(name: str) -> Permission:
    app_label, codename = name.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


@transaction.atomic
def roles_sync() -> dict[str, Group]:
    """Create or update one Django group per role with exactly its ``ROLE_PERMISSIONS``."""
    groups = {}
    for role, names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.set([_permission(n) for n in names])
        groups[role] = group
    return groups


@transaction.atomic
def user_role_assign(*, user: User, role: str, area=None, association_unit=None, agent=None,
                     si_office=None) -> UserRole:
    """Give ``user`` a role and its scope (area for officers, unit for leaders, agent for agents)
    and put them in the role's group. Raises ValueError for an unknown role.

    One role per account, on purpose: the scope rules (``communes_in_scope``, ``households_in_scope``…)
    and the hand-written query that loads the signed-in user with their role and scope (the session
    backend) are written per role — an officer's area, a leader's unit, an agent's households — and
    mixing two would make every list answer "which of your roles?". A person with two jobs (a commune
    officer who also leads a savings group) gets two accounts, one per job, each with its own history.
    Assigning again replaces the role and scope."""
    if role not in Role.values:
        raise ValueError(f"unknown role {role!r}")
    group, _ = Group.objects.get_or_create(name=role)
    if not group.permissions.exists():
        group = roles_sync()[role]
    user.groups.set([group])
    user_role, _ = UserRole.objects.update_or_create(
        user=user, defaults={"role": role, "area": area, "association_unit": association_unit, "agent": agent,
                             "si_office": si_office}
    )
    return user_role


def role_of(user) -> UserRole:
    """The user's role record. Raises PermissionDenied for an anonymous user or a user without role."""
    if not user.is_authenticated:
        raise PermissionDenied()
    try:
        return user.ansinh_role
    except UserRole.DoesNotExist:
        raise PermissionDenied("Tài khoản chưa được phân vai trò.") from None


def require_permission(user, permission: str) -> UserRole:
    """Check a named Django permission; returns the user's role. Raises PermissionDenied."""
    user_role = role_of(user)
    if not user.has_perm(permission):
        raise PermissionDenied()
    return user_role


def communes_in_scope(user) -> QuerySet[AdministrativeUnit]:
    """Commune-level units the user's scope names, on the map it was given on: officers and
    administrators their area (a province, an old-map district, a commune) or their BHXH cơ sở office's
    communes; leaders their unit's commune; agents their catchment's communes, or without one every
    commune of their area."""
    user_role = role_of(user)
    if user_role.role in (Role.SI_OFFICER, Role.ASSOCIATION_OFFICER, Role.PROVINCE_ADMIN):
        if user_role.si_office_id is not None:
            return user_role.si_office.communes.all()
        return communes_of(unit=user_role.area)
    if user_role.role == Role.GROUP_LEADER:
        return AdministrativeUnit.objects.filter(pk=user_role.association_unit.commune_id)
    agent = user_role.agent
    if agent.catchments.exists():
        return AdministrativeUnit.objects.filter(pk__in=agent.catchments.values("commune_id"))
    return communes_of(unit=agent.area)


def scope_map(user) -> str:
    """The map (``old`` or ``new``) the user's scope was given on: an office is on the new map."""
    user_role = role_of(user)
    if user_role.role in (Role.SI_OFFICER, Role.ASSOCIATION_OFFICER, Role.PROVINCE_ADMIN):
        return MapVersion.NEW if user_role.si_office_id is not None else user_role.area.map
    if user_role.role == Role.GROUP_LEADER:
        return user_role.association_unit.commune.map
    agent = user_role.agent
    if agent.catchments.exists():  # a catchment is given on the new map (communes_in_scope returns it)
        return MapVersion.NEW
    return agent.area.map


def record_communes_in_scope(user) -> QuerySet[AdministrativeUnit]:
    """Communes whose records the user may see: ``communes_in_scope`` widened across 1 July 2025 —
    an old-map scope to the new communes that are the primary successors of its communes, a new-map scope
    to the old communes whose primary successor it holds (records keep the commune they were made under).
    Raises PermissionDenied for a user without role."""
    return with_successors(communes_in_scope(user), map_version=scope_map(user))


def old_communes_in_scope(user) -> QuerySet[AdministrativeUnit]:
    """The old-map communes standing for the user's scope, the key the progress engine groups records by
    (each new-map commune counts under the old communes whose primary successor it is).
    Raises PermissionDenied for a user without role."""
    return record_communes_in_scope(user).filter(map=MapVersion.OLD)


def scope_label(user_role: UserRole) -> str:
    """The name of what a role is scoped to: the agent, the association unit, the BHXH cơ sở office or
    the area."""
    if user_role.role == Role.COLLECTION_AGENT:
        return f"{user_role.agent.code} — {user_role.agent.full_name}"
    if user_role.role == Role.GROUP_LEADER:
        return user_role.association_unit.name
    if user_role.si_office_id is not None:
        return user_role.si_office.name
    return user_role.area.name


def households_in_scope(user) -> QuerySet[Household]:
    """Households the user may see: an agent's assigned households, a leader's members' households,
    an officer's area."""
    user_role = role_of(user)
    if user_role.role == Role.COLLECTION_AGENT:
        return Household.objects.filter(agent=user_role.agent)
    if user_role.role == Role.GROUP_LEADER:
        return Household.objects.filter(
            members__person__memberships__unit=user_role.association_unit
        ).distinct()
    return Household.objects.filter(commune__in=record_communes_in_scope(user))


def persons_in_scope(user) -> QuerySet[Person]:
    """People the user may see: members of the households in scope, or (leaders) their unit's members.
    Records merged away into another (``Person.merged_into``) are never listed; their page points at the
    kept record (``require_person_in_scope`` still lets an officer read them)."""
    user_role = role_of(user)
    people = Person.objects.live()
    if user_role.role == Role.GROUP_LEADER:
        return people.filter(
            Q(memberships__unit=user_role.association_unit)
            | Q(household_membership__household__in=households_in_scope(user))
        ).distinct()
    if user_role.role == Role.COLLECTION_AGENT:
        return people.filter(household_membership__household__agent=user_role.agent)
    return people.filter(commune__in=record_communes_in_scope(user))


SCOPE_CACHE_SECONDS = 60
"""How long a process keeps the commune ids of a scope. The map changes only when it is loaded again;
a save or delete of a unit or mapping in this process empties the cache at once (``scope_cache_clear``)."""
_scope_cache: dict[tuple, tuple[float, frozenset[int]]] = {}


def scope_cache_clear(**kwargs) -> None:
    """Forget every cached scope (signal receiver for AdministrativeUnit and UnitMapping changes)."""
    _scope_cache.clear()


def record_commune_ids_in_scope(user) -> frozenset[int]:
    """Ids of ``record_communes_in_scope(user)``, kept per process for SCOPE_CACHE_SECONDS by the role and
    its scope (area, association unit, agent), so a change of role or area applies at once.
    Raises PermissionDenied."""
    user_role = role_of(user)
    key = (user_role.role, user_role.area_id, user_role.association_unit_id, user_role.agent_id,
           user_role.si_office_id)
    now = time.monotonic()
    cached = _scope_cache.get(key)
    if cached is None or now - cached[0] > SCOPE_CACHE_SECONDS:
        cached = (now, frozenset(record_communes_in_scope(user).values_list("pk", flat=True)))
        _scope_cache[key] = cached
    return cached[1]


def require_household_in_scope(user, household: Household) -> None:
    """Raise OutOfScope unless ``household`` is inside the user's scope (the same rule as
    ``households_in_scope``: an agent's assigned households, a leader's members' households, the
    communes of an officer's area). Raises PermissionDenied for a user without role."""
    user_role = role_of(user)
    if user_role.role == Role.COLLECTION_AGENT:
        inside = household.agent_id is not None and household.agent_id == user_role.agent_id
    elif user_role.role == Role.GROUP_LEADER:
        inside = households_in_scope(user).filter(pk=household.pk).exists()
    else:
        inside = household.commune_id in record_commune_ids_in_scope(user)
    if not inside:
        raise OutOfScope()


def require_person_in_scope(user, person: Person) -> None:
    """Raise OutOfScope unless ``person`` is inside the user's scope (the rule of ``persons_in_scope``).
    Raises PermissionDenied for a user without role."""
    user_role = role_of(user)
    if person.merged_into_id is not None:  # a merged-away record is seen by whoever sees the kept one
        person = person.kept_record()
    if user_role.role in (Role.SI_OFFICER, Role.ASSOCIATION_OFFICER):
        inside = person.commune_id in record_commune_ids_in_scope(user)
    else:
        inside = persons_in_scope(user).filter(pk=person.pk).exists()
    if not inside:
        raise OutOfScope()


class UsernameInvalid(ValidationError):
    code = "username_invalid"
    message = "Tên đăng nhập chỉ gồm chữ, số và các ký tự @ . + - _ (không dấu cách), tối đa 150 ký tự."


class UsernameTaken(ValidationError):
    code = "username_taken"
    message = "Tên đăng nhập này đã có tài khoản."


class ProvinceNotLoaded(ValidationError):
    code = "province_not_loaded"
    message = "Tỉnh, thành phố này chưa được nạp vào cơ sở dữ liệu: hãy chạy trước ansinh province load MÃ_TỈNH."


class PasswordInvalid(ValidationError):
    code = "password_invalid"
    message = "Mật khẩu không đạt yêu cầu."


def _password_problem(error) -> str:
    from .errors import PASSWORD_MESSAGES  # Django's Vietnamese catalogue lags behind its validators

    text = PASSWORD_MESSAGES.get(error.code)
    return text.format(**(error.params or {})) if text else " ".join(error.messages)


@transaction.atomic
def province_admin_create(*, username: str, province_code: int | str, password: str) -> User:
    """Create a provincial administrator (role ``province_admin``, scope the new-map province ``province_code``)
    with ``password``, and the roles' groups (``roles_sync``). For the operator who installs An Sinh (the
    command line, no signed-in user: nobody to check permissions of); later administrators are made on the
    pages. Raises UsernameInvalid, UsernameTaken (field ``username``), ProvinceNotLoaded (field ``province``),
    PasswordInvalid (field ``password``, ``problems``: the validators' Vietnamese messages)."""
    from django.contrib.auth.password_validation import validate_password
    from django.contrib.auth.validators import UnicodeUsernameValidator
    from django.core.exceptions import ValidationError as DjangoValidationError

    username = username.strip()
    try:
        if not username or len(username) > 150:
            raise DjangoValidationError("length")
        UnicodeUsernameValidator()(username)
    except DjangoValidationError:
        raise UsernameInvalid(field="username") from None
    if User.objects.filter(username__iexact=username).exists():
        raise UsernameTaken(field="username")
    province = AdministrativeUnit.objects.filter(
        map=MapVersion.NEW, level=Level.PROVINCE, code=str(province_code).strip().lstrip("0") or "0").first()
    if province is None:
        raise ProvinceNotLoaded(field="province")
    user = User(username=username)
    try:
        validate_password(password, user=user)
    except DjangoValidationError as exc:
        raise PasswordInvalid(field="password", problems=[_password_problem(e) for e in exc.error_list]) from None
    user.set_password(password)
    user.save()
    roles_sync()
    user_role_assign(user=user, role=Role.PROVINCE_ADMIN, area=province)
    return user
