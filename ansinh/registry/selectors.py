"""Reads over the registry for the pages: households in the user's scope, one household with its members.

Permission and scope are checked here, at the top, as in the services.
"""

import datetime

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery

from ansinh.accounts.services import (
    households_in_scope, record_commune_ids_in_scope, require_household_in_scope, require_permission,
)
from ansinh.core.text import fold, name_normalise, tone_normalise

from . import errors
from .models import (
    AssociationUnit, Household, HouseholdMember, Leadership, MemberRole, Membership, Person, Relationship,
)


SCHEME_HI = "hi"
SCHEME_VSI = "vsi"
SCHEMES = {SCHEME_HI: "BHYT hộ gia đình", SCHEME_VSI: "BHXH tự nguyện"}
STATUS_NONE = "chua_tham_gia"
STATUS_EXPIRING = "sap_het_han"
STATUS_EXPIRED = "het_han"
STATUS_ACTIVE = "dang_co_the"
STATUS_LABELS = {
    SCHEME_HI: {STATUS_NONE: "Chưa tham gia", STATUS_EXPIRING: "Thẻ sắp hết hạn", STATUS_EXPIRED: "Đã hết hạn",
                STATUS_ACTIVE: "Đang có thẻ"},
    SCHEME_VSI: {STATUS_NONE: "Chưa tham gia", STATUS_EXPIRING: "Sắp hết kỳ đóng", STATUS_EXPIRED: "Đã hết kỳ đóng",
                 STATUS_ACTIVE: "Đang tham gia"},
}
EXPIRING_DAYS = 30
"""A card (VSI period) ending within this many days of the date is "sắp hết hạn"."""


def _coverage_annotations():
    """``hi_ends_on``: the last day of the household's latest paid HI card; ``vsi_next_index``: the month
    index (year × 12 + month − 1) just after the latest paid VSI period of any member (None: never paid)."""
    from ansinh.enrollment.models import HiMemberCoverage, VsiParticipation
    from ansinh.enrollment.renewals import _vsi_next_index
    from ansinh.enrollment.selectors import PAID_STATUSES

    hi = (HiMemberCoverage.objects.filter(participation__household=OuterRef("pk"),
                                          participation__status__in=PAID_STATUSES, valid_to__isnull=False)
          .order_by("-valid_to").values("valid_to")[:1])
    vsi = (VsiParticipation.objects.filter(person__household_membership__household=OuterRef("pk"),
                                           status__in=PAID_STATUSES)
           .annotate(next_index=_vsi_next_index()).order_by("-next_index").values("next_index")[:1])
    return {"hi_ends_on": Subquery(hi), "vsi_next_index": Subquery(vsi)}


def _month_index(day: datetime.date) -> int:
    return day.year * 12 + day.month - 1


def _status_filter(*, scheme: str, status: str, on: datetime.date) -> Q:
    soon = on + datetime.timedelta(days=EXPIRING_DAYS)
    if scheme == SCHEME_VSI:
        # a period ends on the last day of month next_index − 1: it ends before ``on`` when next_index <= on's
        # month, and on or before ``soon`` when next_index <= the month of soon + 1 day
        now, limit = _month_index(on), _month_index(soon + datetime.timedelta(days=1))
        return {STATUS_NONE: Q(vsi_next_index__isnull=True), STATUS_EXPIRED: Q(vsi_next_index__lte=now),
                STATUS_EXPIRING: Q(vsi_next_index__gt=now, vsi_next_index__lte=limit),
                STATUS_ACTIVE: Q(vsi_next_index__gt=limit)}[status]
    return {STATUS_NONE: Q(hi_ends_on__isnull=True), STATUS_EXPIRED: Q(hi_ends_on__lt=on),
            STATUS_EXPIRING: Q(hi_ends_on__gte=on, hi_ends_on__lte=soon),
            STATUS_ACTIVE: Q(hi_ends_on__gt=soon)}[status]


def household_status(household: Household, *, scheme: str = SCHEME_HI, on: datetime.date) -> dict:
    """The status of a household from ``households_search``'s annotations (no query): ``{"key", "label",
    "ends_on"}`` — ends_on the card's (VSI period's) last day or None."""
    if scheme == SCHEME_VSI:
        index = household.vsi_next_index
        ends_on = (datetime.date(index // 12, index % 12 + 1, 1) - datetime.timedelta(days=1)
                   if index is not None else None)
    else:
        ends_on = household.hi_ends_on
    if ends_on is None:
        key = STATUS_NONE
    elif ends_on < on:
        key = STATUS_EXPIRED
    elif ends_on <= on + datetime.timedelta(days=EXPIRING_DAYS):
        key = STATUS_EXPIRING
    else:
        key = STATUS_ACTIVE
    return {"key": key, "label": STATUS_LABELS[scheme][key], "ends_on": ends_on}


def household_hamlets(*, user) -> list[str]:
    """The hamlets (thôn/ấp) named on households in the user's scope, sorted. Raises PermissionDenied."""
    require_permission(user, "registry.view_household")
    return sorted(set(households_in_scope(user).exclude(hamlet="").values_list("hamlet", flat=True).distinct()))


def households_search(*, user, query: str = "", hamlet: str = "", status: str = "", scheme: str = "",
                      on: datetime.date | None = None) -> QuerySet[Household]:
    """Households in the user's scope whose code or a member's name contains ``query`` (case-insensitive),
    ordered by code, annotated with ``head_name``, ``head_citizen_id``, ``hi_ends_on`` and
    ``vsi_next_index`` (see ``household_status``). A name typed without diacritics ("nguyen van an")
    matches every accented form ("Nguyễn Văn An", "Nguyên Văn Ân"); typed with diacritics it matches those
    diacritics. ``hamlet`` keeps the households of that hamlet; ``status`` (a ``STATUS_*`` key) those whose
    coverage in ``scheme`` (default HI) has that status on ``on`` (default today); ``scheme`` alone those that
    ever took part in it. Raises PermissionDenied."""
    require_permission(user, "registry.view_household")
    households = households_in_scope(user)
    query = tone_normalise(" ".join(query.split()))
    if query:
        # Names are stored NFC and capitalised (name_normalise); SQLite's icontains folds ASCII only, so
        # decomposed, upper-case and lower-case Vietnamese input is matched through its stored form too.
        name_match = Q()
        for variant in {query, query.lower(), name_normalise(query)}:
            name_match |= Q(members__person__full_name__icontains=variant)
        folded = fold(query)
        if folded == query.lower():  # typed without diacritics: search the folded names
            name_match |= Q(members__person__name_folded__contains=folded)
        matching = Household.objects.filter(Q(code__icontains=query) | name_match).values("pk")
        households = households.filter(pk__in=matching)
    if hamlet:
        households = households.filter(hamlet=hamlet)
    head = HouseholdMember.objects.filter(household=OuterRef("pk"), relationship=Relationship.HEAD)
    households = (
        households.select_related("commune", "agent")
        .annotate(
            head_name=Subquery(head.values("person__full_name")[:1]),
            head_citizen_id=Subquery(head.values("person__citizen_id")[:1]),
            **_coverage_annotations(),
        )
        .order_by("code")
    )
    if status:
        from django.utils import timezone

        households = households.filter(_status_filter(scheme=scheme or SCHEME_HI, status=status,
                                                      on=on or timezone.localdate()))
    elif scheme:  # the households that ever took part in the scheme
        households = households.filter(**{"vsi_next_index__isnull" if scheme == SCHEME_VSI
                                          else "hi_ends_on__isnull": False})
    return households


def people_search(*, user, query: str = "") -> QuerySet[Person]:
    """People in the user's scope (``persons_in_scope``) whose name contains ``query``, matched like
    ``households_search`` (typed without diacritics it matches every accented form), ordered by folded name,
    with their household membership. Raises PermissionDenied."""
    from ansinh.accounts.services import persons_in_scope

    require_permission(user, "registry.view_person")
    people = persons_in_scope(user)
    query = tone_normalise(" ".join(query.split()))
    if query:
        match = Q()
        for variant in {query, query.lower(), name_normalise(query)}:
            match |= Q(full_name__icontains=variant)
        folded = fold(query)
        if folded == query.lower():
            match |= Q(name_folded__contains=folded)
        people = people.filter(pk__in=Person.objects.filter(match).values("pk"))
    return people.select_related("household_membership").order_by("name_folded", "pk")


def household_get(*, user, pk: int) -> Household:
    """One household with its commune and agent. Raises Household.DoesNotExist, PermissionDenied,
    OutOfScope (the household exists but lies outside the user's area)."""
    require_permission(user, "registry.view_household")
    household = Household.objects.select_related("commune", "commune__parent", "agent").get(pk=pk)
    require_household_in_scope(user, household)
    return household


def household_address(*, household: Household) -> str:
    """The household's address once: the street address followed by the hamlet, commune and district only
    where the address does not already name them (addresses are often typed in full)."""
    address = household.address.strip().rstrip(",")
    parts = [address] if address else []
    commune = household.commune
    for name in (household.hamlet, commune.name if commune else "", commune.parent.name if commune and commune.parent
                 else ""):
        if name and fold(name) not in fold(", ".join(parts)):
            parts.append(name)
    return ", ".join(parts)


def household_people(*, household: Household) -> list:
    """The household's members as people, head first, then by date of birth (no scope check: callers
    got ``household`` from ``household_get``)."""
    members = household.members.select_related("person").order_by("person__date_of_birth", "person_id")
    return [m.person for m in sorted(members, key=lambda m: 0 if m.relationship == Relationship.HEAD else 1)]


# --- association units and their leaders -----------------------------------------------------------

def leaders_on(*, on: datetime.date, unit_ids=None) -> dict[int, int]:
    """Who led each association unit on ``on``: ``{unit_id: person_id}`` from the ``Leadership`` periods
    (``starts_on <= on <= ends_on``, an open period having no end); a unit with no ``Leadership`` rows at
    all (old data, imports) has its ``leader`` membership count for every date. Units without a leader on
    that date are absent. ``unit_ids``: an iterable or queryset of unit ids limiting the answer."""
    periods = Leadership.objects.filter(starts_on__lte=on).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
    undated = Membership.objects.filter(role=MemberRole.LEADER).exclude(
        Exists(Leadership.objects.filter(unit_id=OuterRef("unit_id"))))
    if unit_ids is not None:
        if not isinstance(unit_ids, QuerySet):
            unit_ids = list(unit_ids)
        periods = periods.filter(unit_id__in=unit_ids)
        undated = undated.filter(unit_id__in=unit_ids)
    out = dict(undated.values_list("unit_id", "person_id"))
    out.update(periods.values_list("unit_id", "person_id"))
    return out


UNIT_LIST_PERMISSION = "registry.change_associationunit"


def association_units_for_user(*, user, commune_id: int | None = None, kind: str = "", query: str = "",
                               status: str = "") -> QuerySet[AssociationUnit]:
    """Association units of the user's province (commune on either map), filtered by commune, kind,
    status (``open``/``closed``) and a code or name containing ``query``; ordered by kind and code and
    annotated with ``member_count``. Raises PermissionDenied."""
    require_permission(user, UNIT_LIST_PERMISSION)
    units = AssociationUnit.objects.filter(commune_id__in=sorted(record_commune_ids_in_scope(user)))
    if commune_id:
        units = units.filter(commune_id=commune_id)
    if kind:
        units = units.filter(kind=kind)
    if status == "open":
        units = units.filter(closed_on__isnull=True)
    elif status == "closed":
        units = units.filter(closed_on__isnull=False)
    query = " ".join(query.split())
    if query:
        units = units.filter(Q(code__icontains=query) | Q(name__icontains=query)
                             | Q(name__icontains=name_normalise(query)))
    return (units.select_related("commune", "branch", "merged_into")
            .annotate(member_count=Count("memberships", distinct=True)).order_by("kind", "code"))


def association_unit_get(*, user, pk: int) -> AssociationUnit:
    """One unit of the user's province. Raises AssociationUnit.DoesNotExist, PermissionDenied,
    UnitOutOfScope."""
    require_permission(user, UNIT_LIST_PERMISSION)
    unit = AssociationUnit.objects.select_related("commune", "branch", "merged_into").get(pk=pk)
    if unit.commune_id not in record_commune_ids_in_scope(user):
        raise errors.UnitOutOfScope()
    return unit


def unit_leaderships(*, unit: AssociationUnit) -> list[dict]:
    """The unit's leadership periods, latest first: ``{"person", "starts_on" (None: from before dated
    leaderships), "ends_on" (None: still leading)}``; a unit without periods shows its leader membership
    as one open period from before (no scope check: callers got ``unit`` from ``association_unit_get``)."""
    from .services import RECORDED_BEFORE

    rows = [{"person": p.person, "starts_on": None if p.starts_on == RECORDED_BEFORE else p.starts_on,
             "ends_on": p.ends_on}
            for p in unit.leaderships.select_related("person").order_by("-starts_on", "-pk")]
    if not rows:
        leader = unit.memberships.filter(role=MemberRole.LEADER).select_related("person").first()
        if leader is not None:
            rows.append({"person": leader.person, "starts_on": None, "ends_on": None})
    return rows


def unit_members(*, unit: AssociationUnit) -> list[Membership]:
    """The unit's memberships with their people, the leader first, then by name (no scope check)."""
    members = unit.memberships.select_related("person").order_by("person__name_folded", "person_id")
    return sorted(members, key=lambda m: 0 if m.role == MemberRole.LEADER else 1)


def person_for_leadership(*, user, citizen_id: str) -> Person:
    """The person with this 12-digit citizen ID living in the user's province (either map). Raises
    PermissionDenied, LeaderPersonInvalid (malformed ID, nobody found)."""
    require_permission(user, "registry.add_leadership")
    citizen_id = (citizen_id or "").strip()
    if len(citizen_id) != 12 or not citizen_id.isdigit():
        raise errors.LeaderPersonInvalid(errors.PERSON_CITIZEN_ID_INVALID)
    person = Person.objects.filter(citizen_id=citizen_id,
                                   commune_id__in=sorted(record_commune_ids_in_scope(user))).first()
    if person is None:
        raise errors.LeaderPersonInvalid(errors.PERSON_NOT_FOUND)
    return person


def unit_form_choices(*, user) -> dict:
    """What the unit pages offer to choose from in the user's province: ``communes`` as select groups
    (new map first, then old-map communes for old data) and ``branches`` (open branches). Raises
    PermissionDenied."""
    from ansinh.areas.models import AdministrativeUnit, MapVersion

    require_permission(user, UNIT_LIST_PERMISSION)
    communes = (AdministrativeUnit.objects.filter(pk__in=sorted(record_commune_ids_in_scope(user)))
                .select_related("parent").order_by("map", "name", "code"))
    new, old = [], []
    for c in communes:
        if c.map == MapVersion.NEW:
            new.append((c.pk, c.name))
        else:
            old.append((c.pk, f"{c.name} — {c.parent.name}" if c.parent_id else c.name))
    groups = [(label, items) for label, items in (("Bản đồ từ 01/07/2025", new),
                                                  ("Trước 01/07/2025 (dữ liệu cũ)", old)) if items]
    branches = association_units_for_user(user=user, kind="branch", status="open")
    return {"communes": groups, "branches": branches}

# --- people, history and referrers (registry edits) ---------------------------------------------------

def person_get(*, user, pk: int):
    """One person with their commune and household membership. Raises Person.DoesNotExist,
    PermissionDenied, OutOfScope."""
    from ansinh.accounts.services import require_person_in_scope

    from .models import Person

    require_permission(user, "registry.view_person")
    person = Person.objects.select_related("commune", "household_membership__household").get(pk=pk)
    require_person_in_scope(user, person)
    return person


HISTORY_LABELS = {
    "full_name": "Họ tên", "date_of_birth": "Ngày sinh", "sex": "Giới tính", "citizen_id": "Số CCCD",
    "si_number": "Mã số BHXH", "phone": "Số điện thoại", "ethnic_minority": "Người dân tộc thiểu số",
    "other_coverage": "BHYT qua nhóm khác", "hamlet": "Ấp/khu vực", "commune": "Xã/phường",
    "died_on": "Ngày mất", "moved_out_on": "Ngày chuyển đi ngoại tỉnh", "code": "Mã hộ", "address": "Địa chỉ",
    "poverty_status": "Diện hộ", "poverty_from": "Diện hộ áp dụng từ ngày",
    "poverty_decision_number": "Số quyết định", "poverty_decision_date": "Ngày quyết định",
    "agent": "Nhân viên thu", "household": "Hộ", "relationship": "Quan hệ với chủ hộ", "since": "Vào hộ từ ngày",
    "person": "Người",
}
"""Vietnamese labels of the fields shown in a history (others are not shown)."""
HISTORY_KINDS = {"+": "Tạo mới", "~": "Sửa", "-": "Xóa / rời hộ"}
_PERSONAL = {"citizen_id", "si_number", "phone"}


def _history_value(name: str, value, model, masked: bool) -> str:
    import datetime

    from ansinh.areas.models import AdministrativeUnit
    from ansinh.core.masking import mask_citizen_id, mask_phone

    if value is None or value == "":
        return "—"
    if masked and name in _PERSONAL:
        return mask_phone(value) if name == "phone" else mask_citizen_id(value)
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, datetime.date):
        return f"{value:%d/%m/%Y}"
    field = model._meta.get_field(name)
    if field.choices:
        return str(dict(field.choices).get(value, value))
    if name == "commune":
        return AdministrativeUnit.objects.filter(pk=value).values_list("name", flat=True).first() or str(value)
    if name == "household":
        return Household.objects.filter(pk=value).values_list("code", flat=True).first() or str(value)
    if name == "person":
        from .models import Person

        return Person.objects.filter(pk=value).values_list("full_name", flat=True).first() or str(value)
    if name == "agent":
        from ansinh.collection.models import Agent

        return Agent.objects.filter(pk=value).values_list("full_name", flat=True).first() or str(value)
    return str(value)


def _history_entries(records, *, model, subject, masked: bool) -> list[dict]:
    entries = []
    for record in records:
        previous = record.prev_record
        if previous is not None and record.history_type == "~":
            changes = [(c.field, c.old, c.new) for c in record.diff_against(previous).changes]
        else:  # created or removed: the values it had
            changes = [(name, None, getattr(record, name if name not in ("commune", "household", "person", "agent")
                                            else f"{name}_id")) for name in HISTORY_LABELS
                       if hasattr(record, name) and name != "person"]
            changes = [(n, o, v) for n, o, v in changes if v not in (None, "", False)]
        user = record.history_user
        entries.append({
            "when": record.history_date, "who": (user.get_full_name() or user.username) if user else "Hệ thống",
            "kind": HISTORY_KINDS.get(record.history_type, record.history_type), "subject": subject(record),
            "reason": record.history_change_reason or "",
            "changes": [{"label": HISTORY_LABELS[name], "old": _history_value(name, old, model, masked),
                         "new": _history_value(name, new, model, masked)}
                        for name, old, new in changes if name in HISTORY_LABELS],
        })
    return entries


def _history_masked(user) -> bool:
    """Officers read personal data in the history whole; agents masked. Raises PermissionDenied."""
    from ansinh.accounts.models import Role

    user_role = require_permission(user, "registry.view_registry_history")
    return user_role.role not in (Role.SI_OFFICER, Role.ASSOCIATION_OFFICER, Role.PROVINCE_ADMIN)


def person_history(*, user, person) -> list[dict]:
    """What changed on a person and their place in households, newest first: ``[{"when", "who", "kind",
    "subject", "reason", "changes": [{"label", "old", "new"}]}]``. Personal data is masked for agents;
    leaders may not read it. Raises PermissionDenied, OutOfScope."""
    from ansinh.accounts.services import require_person_in_scope

    from .models import Person

    masked = _history_masked(user)
    require_person_in_scope(user, person)
    entries = _history_entries(person.history.select_related("history_user"), model=Person,
                               subject=lambda r: "Thông tin cá nhân", masked=masked)
    entries += _history_entries(HouseholdMember.history.filter(person_id=person.pk).select_related("history_user"),
                                model=HouseholdMember, subject=lambda r: "Thành viên hộ", masked=masked)
    return sorted(entries, key=lambda entry: entry["when"], reverse=True)


def household_history(*, user, household: Household) -> list[dict]:
    """What changed on a household and its members (who joined, moved in or out, changed role), newest
    first, like ``person_history``. Raises PermissionDenied, OutOfScope."""
    from .models import Person

    masked = _history_masked(user)
    require_household_in_scope(user, household)
    entries = _history_entries(household.history.select_related("history_user"), model=Household,
                               subject=lambda r: "Hộ", masked=masked)
    member_records = HouseholdMember.history.filter(
        person_id__in=HouseholdMember.history.filter(household_id=household.pk).values("person_id")
    ).select_related("history_user").order_by("history_date", "history_id")
    names = dict(Person.objects.filter(pk__in={r.person_id for r in member_records}).values_list("pk", "full_name"))
    shown, previous_household = [], {}
    for record in member_records:
        before = previous_household.get(record.person_id)
        previous_household[record.person_id] = record.household_id
        if record.household_id == household.pk or before == household.pk:
            shown.append(record)
    entries += _history_entries(shown, model=HouseholdMember,
                                subject=lambda r: f"Thành viên: {names.get(r.person_id, '')}", masked=masked)
    return sorted(entries, key=lambda entry: entry["when"], reverse=True)


def referrer_default(*, person):
    """Who persuaded ``person`` by default: the leader of their branch, else of their savings-and-loan
    group (themselves when they lead it), or None."""
    from .models import MemberRole, Membership, UnitKind

    units = Membership.objects.filter(person=person, unit__closed_on__isnull=True).values("unit_id")
    leaders = (Membership.objects.filter(unit_id__in=units, role=MemberRole.LEADER)
               .select_related("person", "unit").order_by("unit__kind", "unit_id"))
    ordered = sorted(leaders, key=lambda m: 0 if m.unit.kind == UnitKind.BRANCH else 1)
    return ordered[0].person if ordered else None


def referrer_choices(*, household: Household) -> list:
    """People who may be named as having persuaded a member of ``household`` (người vận động): the leaders
    of the open units of its commune and of its members' units, and the association members of the
    household itself; by name."""
    from .models import MemberRole, Membership, Person

    member_ids = household.members.values("person_id")
    units = Membership.objects.filter(person_id__in=member_ids, unit__closed_on__isnull=True).values("unit_id")
    leaders = Membership.objects.filter(role=MemberRole.LEADER).filter(
        Q(unit__commune_id=household.commune_id, unit__closed_on__isnull=True) | Q(unit_id__in=units)
    ).values("person_id")
    own = Membership.objects.filter(person_id__in=member_ids).values("person_id")
    return list(Person.objects.live().filter(Q(pk__in=leaders) | Q(pk__in=own)).order_by("full_name", "pk"))


def suggestions_pending(*, user) -> QuerySet:
    """Leaders' suggestions waiting for an officer, about people in the officer's scope, oldest first.
    Raises PermissionDenied."""
    from ansinh.accounts.services import persons_in_scope

    from .models import RegistrySuggestion, SuggestionState

    require_permission(user, "registry.change_registrysuggestion")
    return (RegistrySuggestion.objects.filter(state=SuggestionState.PENDING, person__in=persons_in_scope(user))
            .select_related("person", "proposed_by").order_by("created_at", "pk"))


def person_by_citizen_id(*, user, citizen_id: str, field: str = "citizen_id"):
    """The live person (not merged away) with this 12-digit citizen ID inside the user's scope, for adding an
    existing person to a household. Raises PermissionDenied and RegistryEditError naming ``field``
    (malformed ID, nobody found in the user's area)."""
    import re

    from ansinh.accounts.services import persons_in_scope

    from .errors_people import CitizenIdInvalid, RegistryEditError

    require_permission(user, "registry.view_person")
    citizen_id = re.sub(r"\s", "", citizen_id or "")
    if not re.fullmatch(r"[0-9]{12}", citizen_id, flags=re.ASCII):
        raise CitizenIdInvalid(field=field)
    person = persons_in_scope(user).filter(citizen_id=citizen_id).select_related("commune").first()
    if person is None:
        raise RegistryEditError("Số CCCD: không có người nào mang số này trong địa bàn bạn phụ trách.", field=field)
    return person
