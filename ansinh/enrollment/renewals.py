"""Renewal and lapse lists: who to visit before (or after) their cover ends.

All lists are "as of" a date ``on`` (never "today" implicitly) and contain only paid participations
(status paid, sent or card issued). A participation counts as *renewed* when the same person has
another paid HI line (VSI period) that ends later.

- HI card expiring: a member's latest paid card ends between ``on`` and ``on + days`` (inclusive).
- VSI period ending: a person's latest paid VSI period ends (last day of its last month) between
  ``on`` and ``on + days``.
- HI lapsed: a member's latest paid card ended before ``on``.
- VSI lapsed: a person's latest paid VSI period ended before ``on`` and nothing was paid after it.

Scope: the people the user may see (``persons_in_scope``); permission ``registry.view_person``.
Filters: an area (province, district or commune on either map, see ``record_communes_of``), an
association unit (branch or savings-and-loan group, with a branch's groups) and an agent.
"""

from __future__ import annotations

import datetime

from django.db.models import Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Cast, ExtractMonth, ExtractYear

from ansinh.accounts.models import Role
from ansinh.accounts.services import persons_in_scope, require_permission, role_of
from ansinh.areas.models import AdministrativeUnit
from ansinh.areas.selectors import record_communes_of
from ansinh.registry.models import AssociationUnit, HouseholdMember, Membership, Relationship

from .models import HiMemberCoverage, VsiParticipation
from .selectors import PAID_STATUSES

KIND_HI = "hi"
KIND_VSI = "vsi"
KIND_LABELS = {KIND_HI: "BHYT hộ gia đình", KIND_VSI: "BHXH tự nguyện"}

LIST_HI_EXPIRING = "hi_expiring"
LIST_VSI_ENDING = "vsi_ending"
LIST_HI_LAPSED = "hi_lapsed"
LIST_VSI_LAPSED = "vsi_lapsed"
LIST_TITLES = {
    LIST_HI_EXPIRING: "Thẻ BHYT hộ gia đình sắp hết hạn",
    LIST_VSI_ENDING: "Người tham gia BHXH tự nguyện sắp hết kỳ đóng",
    LIST_HI_LAPSED: "Thẻ BHYT đã hết hạn, chưa gia hạn",
    LIST_VSI_LAPSED: "BHXH tự nguyện đã hết kỳ đóng, chưa đóng tiếp",
}


# ---------------------------------------------------------------------------------------------
# Communes of records, on both maps
# ---------------------------------------------------------------------------------------------

# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------

def _month_index(day: datetime.date) -> int:
    return day.year * 12 + day.month - 1


def _month_first(index: int) -> datetime.date:
    return datetime.date(index // 12, index % 12 + 1, 1)


def _vsi_next_index():
    """SQL expression: month index (year × 12 + month − 1) of the first month *after* a period."""
    return (
        Cast(ExtractYear("from_month"), IntegerField()) * 12
        + Cast(ExtractMonth("from_month"), IntegerField()) - 1 + F("months")
    )


def vsi_period_end(*, from_month: datetime.date, months: int) -> datetime.date:
    """Last day covered by a VSI period of ``months`` starting ``from_month``: 05/2024 × 3 -> 31/07/2024."""
    return _month_first(_month_index(from_month) + months) - datetime.timedelta(days=1)


def _person_filter(*, user, area=None, unit=None, commune_field: str) -> Q:
    """Scope (people the user may see), area (on the record's commune) and association unit, as one Q.
    An area's scope (officers, leaders) is asked per row (``EXISTS``), not as the list of its people: the
    database then starts from the rows' dates (indexed) instead of looking up every person of a province.
    An agent's scope (their assigned households, a few hundred people) stays a list the database starts
    from."""
    people = persons_in_scope(user)
    if role_of(user).role != Role.COLLECTION_AGENT:
        q = Q(Exists(people.filter(pk=OuterRef("person"))))
    else:
        q = Q(person__in=people)
    if area is not None:
        q &= Q(**{f"{commune_field}__in": record_communes_of(unit=area)})
    if unit is not None:
        units = AssociationUnit.objects.filter(Q(pk=unit.pk) | Q(branch=unit))
        q &= Q(person__in=Membership.objects.filter(unit__in=units).values("person_id"))
    return q


def _hi_lines(*, user, area=None, unit=None, agent=None) -> QuerySet[HiMemberCoverage]:
    later = HiMemberCoverage.objects.filter(
        person=OuterRef("person"), participation__status__in=PAID_STATUSES, valid_to__gt=OuterRef("valid_to"),
    )
    return (
        HiMemberCoverage.objects.filter(participation__status__in=PAID_STATUSES, valid_to__isnull=False)
        .filter(_person_filter(user=user, area=area, unit=unit, commune_field="participation__commune"))
        .filter(Q() if agent is None else (
            Q(participation__household__agent=agent) | Q(participation__agent=agent)))
        .exclude(Exists(later))
    )


def _vsi_periods(*, user, area=None, unit=None, agent=None) -> QuerySet[VsiParticipation]:
    later = (
        VsiParticipation.objects.filter(person=OuterRef("person"), status__in=PAID_STATUSES)
        .annotate(next_index=_vsi_next_index()).filter(next_index__gt=OuterRef("next_index"))
    )
    rows = (
        VsiParticipation.objects.filter(status__in=PAID_STATUSES)
        .filter(_person_filter(user=user, area=area, unit=unit, commune_field="commune"))
        .annotate(next_index=_vsi_next_index())
        .exclude(Exists(later))
    )
    if agent is not None:
        members = HouseholdMember.objects.filter(household__agent=agent).values("person_id")
        rows = rows.filter(Q(person__in=members) | Q(agent=agent))
    return rows


def _head_name():
    return Subquery(
        HouseholdMember.objects.filter(household=OuterRef("participation__household"), relationship=Relationship.HEAD)
        .values("person__full_name")[:1]
    )


def _head_phone():
    return Subquery(
        HouseholdMember.objects.filter(household=OuterRef("participation__household"), relationship=Relationship.HEAD)
        .values("person__phone")[:1]
    )


def _hi_rows(lines: QuerySet[HiMemberCoverage], *, on: datetime.date) -> list[dict]:
    rows = []
    values = (
        lines.annotate(head_name=_head_name(), head_phone=_head_phone())
        .values(
            "pk", "person_id", "person__full_name", "person__si_number", "person__citizen_id", "person__phone",
            "person__date_of_birth", "participation_id", "participation__household_id",
            "participation__household__code", "participation__commune__name", "participation__months",
            "participation__household__agent__code", "participation__household__agent__full_name",
            "valid_from", "valid_to", "payable", "head_name", "head_phone",
        )
        .order_by("valid_to", "participation__household__code", "rank", "pk")
    )
    for v in values:
        rows.append({
            "kind": KIND_HI, "kind_label": KIND_LABELS[KIND_HI], "person_id": v["person_id"],
            "full_name": v["person__full_name"], "si_number": v["person__si_number"] or "",
            "citizen_id": v["person__citizen_id"] or "", "phone": v["person__phone"] or "",
            "date_of_birth": v["person__date_of_birth"], "household_id": v["participation__household_id"],
            "household_code": v["participation__household__code"], "head_name": v["head_name"] or "",
            "commune": v["participation__commune__name"], "participation_id": v["participation_id"],
            "agent_code": v["participation__household__agent__code"] or "",
            "agent_name": v["participation__household__agent__full_name"] or "",
            "starts_on": v["valid_from"], "ends_on": v["valid_to"], "months": v["participation__months"],
            "amount": v["payable"], "days_left": (v["valid_to"] - on).days, "head_phone": v["head_phone"] or "",
        })
    return rows


def _vsi_rows(periods: QuerySet[VsiParticipation], *, on: datetime.date) -> list[dict]:
    rows = []
    values = periods.values(
        "pk", "person_id", "person__full_name", "person__si_number", "person__citizen_id", "person__phone",
        "person__date_of_birth", "person__household_membership__household_id",
        "person__household_membership__household__code", "commune__name", "from_month", "months", "payable",
        "next_index", "person__household_membership__household__agent__code",
        "person__household_membership__household__agent__full_name", "agent__code", "agent__full_name",
    )
    for v in values:
        ends_on = _month_first(v["next_index"]) - datetime.timedelta(days=1)
        rows.append({
            "kind": KIND_VSI, "kind_label": KIND_LABELS[KIND_VSI], "person_id": v["person_id"],
            "full_name": v["person__full_name"], "si_number": v["person__si_number"] or "",
            "citizen_id": v["person__citizen_id"] or "", "phone": v["person__phone"] or "",
            "date_of_birth": v["person__date_of_birth"],
            "household_id": v["person__household_membership__household_id"],
            "household_code": v["person__household_membership__household__code"] or "",
            "head_name": "", "commune": v["commune__name"], "participation_id": v["pk"],
            "agent_code": v["person__household_membership__household__agent__code"] or v["agent__code"] or "",
            "agent_name": (v["person__household_membership__household__agent__full_name"]
                           or v["agent__full_name"] or ""),
            "starts_on": v["from_month"], "ends_on": ends_on, "months": v["months"], "amount": v["payable"],
            "days_left": (ends_on - on).days,
        })
    rows.sort(key=lambda r: (r["ends_on"], r["household_code"], r["full_name"], r["participation_id"]))
    return rows


# ---------------------------------------------------------------------------------------------
# Public selectors
# ---------------------------------------------------------------------------------------------

def hi_cards_expiring(*, user, on: datetime.date, days: int = 30, area: AdministrativeUnit | None = None,
                      unit: AssociationUnit | None = None, agent=None) -> list[dict]:
    """HI household members whose latest paid card ends between ``on`` and ``on + days`` (inclusive).

    One row per member: ``{"kind": "hi", "kind_label", "person_id", "full_name", "si_number",
    "citizen_id", "phone", "date_of_birth", "household_id", "household_code", "head_name", "commune",
    "participation_id", "agent_code", "agent_name", "starts_on", "ends_on" (date), "months",
    "amount" (VND paid by the member last time), "days_left" (days from ``on`` to ``ends_on``)}``,
    ordered by ``ends_on`` then household. Raises PermissionDenied.
    Legal source: Law 51/2024 Art 15(6) (periods), Decree 188/2025 (renewal without a break).
    """
    require_permission(user, "registry.view_person")
    lines = _hi_lines(user=user, area=area, unit=unit, agent=agent).filter(
        valid_to__gte=on, valid_to__lte=on + datetime.timedelta(days=days)
    )
    return _hi_rows(lines, on=on)


def hi_cards_lapsed(*, user, on: datetime.date, within_days: int | None = None,
                    area: AdministrativeUnit | None = None, unit: AssociationUnit | None = None,
                    agent=None) -> list[dict]:
    """HI household members whose latest paid card ended before ``on`` (not renewed).

    ``within_days`` limits the list to cards that ended at most that many days before ``on``.
    Rows as ``hi_cards_expiring``; ``days_left`` is negative (days since the card ended).
    Raises PermissionDenied.
    """
    require_permission(user, "registry.view_person")
    lines = _hi_lines(user=user, area=area, unit=unit, agent=agent).filter(valid_to__lt=on)
    if within_days is not None:
        lines = lines.filter(valid_to__gte=on - datetime.timedelta(days=within_days))
    return _hi_rows(lines, on=on)


def vsi_periods_ending(*, user, on: datetime.date, days: int = 30, area: AdministrativeUnit | None = None,
                       unit: AssociationUnit | None = None, agent=None) -> list[dict]:
    """VSI participants whose latest paid period ends (last day of its last month) between ``on`` and
    ``on + days`` (inclusive). Rows as ``hi_cards_expiring`` with ``kind`` "vsi", ``starts_on`` the
    first month paid and ``amount`` the VND paid for the period. Raises PermissionDenied.
    Legal source: Law 41/2024 Art 36 (payment modes and periods).
    """
    require_permission(user, "registry.view_person")
    limit = on + datetime.timedelta(days=days + 1)
    periods = _vsi_periods(user=user, area=area, unit=unit, agent=agent).filter(
        next_index__gt=_month_index(on), next_index__lte=_month_index(limit)
    )
    # The month index bounds include whole months; keep exactly the end dates in [on, on + days].
    end = on + datetime.timedelta(days=days)
    return [r for r in _vsi_rows(periods, on=on) if on <= r["ends_on"] <= end]


def vsi_lapsed(*, user, on: datetime.date, within_days: int | None = None, area: AdministrativeUnit | None = None,
               unit: AssociationUnit | None = None, agent=None) -> list[dict]:
    """VSI participants whose latest paid period ended before ``on`` with nothing paid after it.

    ``within_days`` limits the list to periods that ended at most that many days before ``on``.
    Rows as ``vsi_periods_ending``; ``days_left`` is negative. Raises PermissionDenied.
    """
    require_permission(user, "registry.view_person")
    periods = _vsi_periods(user=user, area=area, unit=unit, agent=agent).filter(next_index__lte=_month_index(on))
    rows = _vsi_rows(periods, on=on)
    if within_days is not None:
        since = on - datetime.timedelta(days=within_days)
        rows = [r for r in rows if r["ends_on"] >= since]
    return rows


LIST_FUNCTIONS = {
    LIST_HI_EXPIRING: hi_cards_expiring,
    LIST_VSI_ENDING: vsi_periods_ending,
    LIST_HI_LAPSED: hi_cards_lapsed,
    LIST_VSI_LAPSED: vsi_lapsed,
}


def renewal_list(*, user, which: str, on: datetime.date, days: int = 30, area=None, unit=None,
                 agent=None) -> list[dict]:
    """One of the four lists by name (``hi_expiring``, ``vsi_ending``, ``hi_lapsed``, ``vsi_lapsed``);
    for the lapsed lists ``days`` is the look-back window (0 = no limit). Raises PermissionDenied,
    ValueError for an unknown list name."""
    if which not in LIST_FUNCTIONS:
        raise ValueError(f"unknown renewal list {which!r}")
    if which in (LIST_HI_LAPSED, LIST_VSI_LAPSED):
        return LIST_FUNCTIONS[which](user=user, on=on, within_days=days or None, area=area, unit=unit,
                                     agent=agent)
    return LIST_FUNCTIONS[which](user=user, on=on, days=days, area=area, unit=unit, agent=agent)


def renewals_for_agent(*, user, on: datetime.date, days: int = 30, limit: int = 10) -> list[dict]:
    """A short list for an agent's home page: households whose HI cards and people whose VSI periods
    end within ``days`` of ``on``, soonest first, at most ``limit`` items.

    Each item: ``{"kind": "hi"|"vsi", "kind_label", "name" (household head or person), "household_id"
    (None for a person without household), "household_code", "people" (members concerned), "ends_on"
    (date), "days_left"}``. For a collection agent only their assigned households; other roles get
    their scope. Raises PermissionDenied.
    """
    require_permission(user, "registry.view_person")
    agent = role_of(user).agent if role_of(user).role == Role.COLLECTION_AGENT else None
    items: dict[tuple, dict] = {}
    for row in hi_cards_expiring(user=user, on=on, days=days, agent=agent):
        key = (KIND_HI, row["participation_id"], row["ends_on"])
        item = items.setdefault(key, {
            "kind": KIND_HI, "kind_label": KIND_LABELS[KIND_HI], "name": row["head_name"] or row["full_name"],
            "household_id": row["household_id"], "household_code": row["household_code"], "people": 0,
            "ends_on": row["ends_on"], "days_left": row["days_left"],
        })
        item["people"] += 1
    for row in vsi_periods_ending(user=user, on=on, days=days, agent=agent):
        items[(KIND_VSI, row["participation_id"], row["ends_on"])] = {
            "kind": KIND_VSI, "kind_label": KIND_LABELS[KIND_VSI], "name": row["full_name"],
            "household_id": row["household_id"], "household_code": row["household_code"], "people": 1,
            "ends_on": row["ends_on"], "days_left": row["days_left"],
        }
    ordered = sorted(items.values(), key=lambda i: (i["ends_on"], i["household_code"] or "", i["name"]))
    return ordered[:limit]

