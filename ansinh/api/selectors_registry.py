"""Reads of the registry for the API: household payloads (members and their HI card dates) and a
device's incremental sync.

Permission and scope come from the same functions the pages use (``registry.selectors``,
``accounts.services.households_in_scope``); personal data is masked as the pages mask it.

Sync: ``changed_since`` is an opaque cursor. Without it the device gets every household in its scope;
with it, the households changed since (the household, a member joining, leaving or changing, a person's
data, an association membership, an assignment to an agent, a HI payment giving card dates), read from the
django-simple-history tables, and the removals: households deleted or no longer in the caller's scope,
members who left a household the device keeps. Each household comes whole (the device replaces it).
Pages follow one another through the cursor (``has_more``); the last page's cursor starts the next sync.
A change of the caller's own role or scope since the cursor answers ``reset``: drop everything, full sync."""

import base64
import binascii
import datetime
import json

from django.db.models import Q
from django.utils import timezone

from ansinh.accounts.models import Role, UserRole
from ansinh.accounts.services import (
    households_in_scope, record_commune_ids_in_scope, require_permission, role_of,
)
from ansinh.collection.models import HouseholdAssignment, Payment
from ansinh.core.errors import ValidationError
from ansinh.core.masking import mask_citizen_id, mask_phone
from ansinh.enrollment.models import HiMemberCoverage
from ansinh.enrollment.selectors import PAID_STATUSES
from ansinh.registry.models import Household, HouseholdMember, Membership, Person, Relationship

SYNC_PAGE = 1000
SYNC_PAGE_MAX = 2000
OVERLAP = datetime.timedelta(seconds=60)
"""Changes are read from a minute before the cursor: a transaction that committed after the previous sync
read but was stamped before it is sent again rather than missed (a device just replaces the household)."""
CURSOR_INVALID = "Mã đồng bộ (changed_since) không hợp lệ: hãy dùng next_cursor của lần đồng bộ trước, hoặc bỏ trống để đồng bộ lại từ đầu."


class SyncCursorInvalid(ValidationError):
    code = "cursor_invalid"
    message = CURSOR_INVALID


PERSON_FIELDS = ("id", "full_name", "date_of_birth", "sex", "citizen_id", "si_number", "phone", "ethnic_minority",
                 "other_coverage", "hamlet", "commune_id", "died_on", "moved_out_on")
"""What the API shows of a person (citizen ID, SI number and phone masked as on the pages)."""


def _iso(value):
    return value.isoformat() if value is not None else None


def _cards(household_ids: list[int]) -> dict[int, dict]:
    """{person_id: {"valid_from", "valid_to"}} (ISO dates) of the latest paid HI card of each member of the
    households ``household_ids``."""
    rows = (HiMemberCoverage.objects.filter(person__household_membership__household_id__in=household_ids,
                                            participation__status__in=PAID_STATUSES)
            .exclude(valid_to=None).order_by("person_id", "valid_to").values_list("person_id", "valid_from", "valid_to"))
    return {person_id: {"valid_from": _iso(valid_from), "valid_to": _iso(valid_to)}
            for person_id, valid_from, valid_to in rows}


def household_payloads(ids: list[int]) -> list[dict]:
    """Households ``ids`` (no scope check: callers took them from the scope) with their commune, agent and
    members (head first, then by date of birth), each member with their latest paid HI card dates; dates
    as ISO strings, ready for JSON. Read as plain rows (no model instances): a device's first sync reads
    thousands."""
    households = (Household.objects.filter(pk__in=ids).order_by("pk")
                  .values_list("pk", "code", "commune_id", "commune__name", "hamlet", "address", "poverty_status",
                               "poverty_from", "agent__code"))
    person_columns = [f"person__{name}" for name in PERSON_FIELDS]
    members = (HouseholdMember.objects.filter(household_id__in=ids)
               .order_by("household_id", "person__date_of_birth", "person_id")
               .values_list("household_id", "relationship", "since", *person_columns))
    by_household: dict[int, list] = {}
    for household_id, relationship, since, *values in members:
        person = dict(zip(PERSON_FIELDS, values))
        person.update(date_of_birth=_iso(person["date_of_birth"]), died_on=_iso(person["died_on"]),
                      moved_out_on=_iso(person["moved_out_on"]), citizen_id=mask_citizen_id(person["citizen_id"]),
                      si_number=mask_citizen_id(person["si_number"]), phone=mask_phone(person["phone"]),
                      relationship=relationship, since=_iso(since))
        by_household.setdefault(household_id, []).append(person)
    cards = _cards(ids)
    out = []
    for pk, code, commune_id, commune_name, hamlet, address, poverty_status, poverty_from, agent_code in households:
        rows = by_household.get(pk, [])
        rows.sort(key=lambda m: 0 if m["relationship"] == Relationship.HEAD else 1)
        for row in rows:
            row["hi_card"] = cards.get(row["id"])
        out.append({"id": pk, "code": code, "commune_id": commune_id, "commune_name": commune_name,
                    "hamlet": hamlet, "address": address, "poverty_status": poverty_status,
                    "poverty_from": _iso(poverty_from), "agent_code": agent_code, "members": rows})
    return out


# --- the cursor ------------------------------------------------------------------------------------

def _stamp(moment: datetime.datetime | None) -> int | None:
    return None if moment is None else int(moment.timestamp() * 1_000_000)


def _moment(stamp) -> datetime.datetime | None:
    if stamp is None:
        return None
    return datetime.datetime.fromtimestamp(stamp / 1_000_000, tz=datetime.UTC)


def cursor_encode(*, since: datetime.datetime | None, until: datetime.datetime | None, after: int) -> str:
    raw = json.dumps({"s": _stamp(since), "u": _stamp(until), "a": after}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def cursor_decode(cursor: str) -> tuple[datetime.datetime | None, datetime.datetime | None, int]:
    """(since, until, after) of a cursor. Raises SyncCursorInvalid (field ``changed_since``)."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw)
        since, until, after = data["s"], data["u"], data["a"]
        for value in (since, until):
            if value is not None and (type(value) is not int or not 0 <= value < 10 ** 17):
                raise ValueError
        if type(after) is not int or not 0 <= after < 2 ** 62 or (until is None and after):
            raise ValueError
        return _moment(since), _moment(until), after
    except (binascii.Error, ValueError, TypeError, KeyError, UnicodeDecodeError, OverflowError):
        raise SyncCursorInvalid(field="changed_since") from None


# --- what changed ----------------------------------------------------------------------------------

def _changed(since: datetime.datetime) -> tuple[set[int], set[tuple[int, int]]]:
    """Ids of every household touched since ``since`` (anywhere), and (household, person) pairs of
    memberships recorded since then or just before (to find who left)."""
    ids = set(Household.history.filter(history_date__gte=since).values_list("id", flat=True))
    pairs = set(HouseholdMember.history.filter(history_date__gte=since).values_list("household_id", "person_id"))
    moved = {person_id for _, person_id in pairs}
    if moved:
        seen = set()
        for household_id, person_id in (HouseholdMember.history.filter(person_id__in=moved, history_date__lt=since)
                                        .order_by("person_id", "-history_date", "-history_id")
                                        .values_list("household_id", "person_id")):
            if person_id not in seen:
                seen.add(person_id)
                pairs.add((household_id, person_id))
    ids |= {household_id for household_id, _ in pairs}
    people = Person.history.filter(history_date__gte=since).values("id")
    units = Membership.history.filter(history_date__gte=since).values("person_id")
    ids |= set(HouseholdMember.objects.filter(Q(person_id__in=people) | Q(person_id__in=units))
               .values_list("household_id", flat=True))
    ids |= set(Payment.objects.filter(created_at__gte=since, hi__isnull=False).values_list("hi__household_id", flat=True))
    ids |= set(HouseholdAssignment.objects.filter(created_at__gte=since).values_list("household_id", flat=True))
    return ids, pairs


def _ever_in_scope(user, ids: set[int]) -> set[int]:
    """Of ``ids``, the households the caller's scope held at some time (the history says so): the ones
    whose removal the device must hear of, and no others (another area's ids are not disclosed)."""
    if not ids:
        return set()
    user_role = role_of(user)
    if user_role.role == Role.COLLECTION_AGENT:
        return (set(Household.history.filter(id__in=ids, agent_id=user_role.agent_id).values_list("id", flat=True))
                | set(HouseholdAssignment.objects.filter(household_id__in=ids, agent_id=user_role.agent_id)
                      .values_list("household_id", flat=True)))
    if user_role.role == Role.GROUP_LEADER:
        members = Membership.history.filter(unit_id=user_role.association_unit_id).values("person_id")
        return set(HouseholdMember.history.filter(household_id__in=ids, person_id__in=members)
                   .values_list("household_id", flat=True))
    communes = sorted(record_commune_ids_in_scope(user))
    return set(Household.history.filter(id__in=ids, commune_id__in=communes).values_list("id", flat=True))


def registry_changes(*, user, cursor: str | None = None, limit: int = SYNC_PAGE) -> dict:
    """One page of a device's sync: ``{"households": [household_payloads…], "removed_households": [id],
    "removed_members": [{"household_id", "person_id"}], "next_cursor", "has_more", "reset"}``. Removals
    come on the first page of an incremental sync. Raises PermissionDenied, SyncCursorInvalid."""
    require_permission(user, "registry.view_household")
    limit = max(1, min(limit, SYNC_PAGE_MAX))
    now = timezone.now()
    since, until, after = cursor_decode(cursor) if cursor else (None, None, 0)
    if until is None:  # first page of a pass
        until = now
    reset = False
    if since is not None and after == 0:
        user_role = role_of(user)
        if UserRole.history.filter(id=user_role.pk, history_date__gte=since - OVERLAP).exists():
            since, reset = None, True
    scope = households_in_scope(user)
    removed_households: list[int] = []
    removed_members: list[dict] = []
    if since is None:
        page = scope.filter(pk__gt=after)
    else:
        changed, pairs = _changed(since - OVERLAP)
        page = scope.filter(pk__in=changed, pk__gt=after)
        if after == 0:
            kept = set(scope.filter(pk__in=changed).values_list("pk", flat=True))
            removed_households = sorted(_ever_in_scope(user, changed - kept))
            current = dict(HouseholdMember.objects.filter(person_id__in={p for _, p in pairs})
                           .values_list("person_id", "household_id"))
            removed_members = [{"household_id": h, "person_id": p} for h, p in sorted(pairs)
                               if h in kept and current.get(p) != h]
    ids = list(page.order_by("pk").values_list("pk", flat=True)[: limit + 1])
    has_more = len(ids) > limit
    ids = ids[:limit]
    if has_more:
        next_cursor = cursor_encode(since=since, until=until, after=ids[-1])
    else:
        next_cursor = cursor_encode(since=until, until=None, after=0)
    return {"households": household_payloads(ids), "removed_households": removed_households,
            "removed_members": removed_members, "next_cursor": next_cursor, "has_more": has_more, "reset": reset}
