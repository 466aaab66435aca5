"""Reads over participations: who is covered, what a household would pay."""

import datetime
import functools

from django.db import connection
from django.db.models import Max, QuerySet, Sum

from ansinh.accounts.services import require_household_in_scope, require_permission, require_person_in_scope
from ansinh.core.db import sql_cache_related, sql_columns, sql_instance, sql_table
from ansinh.registry.models import Household, HouseholdMember, OtherCoverage, Person, PovertyStatus

from .models import HiMemberCoverage, HiParticipation, Status, VsiParticipation

PAID_STATUSES = [Status.PAID, Status.SENT, Status.CARD_ISSUED]


def hi_eligible_members(*, household: Household) -> list[HouseholdMember]:
    """Members who belong on the household HI list, in rank order (head first, then by age), each with
    its ``person`` read.

    Excluded: people with HI through another group (employees, pensioners, state-paid, students)
    and everyone in a poor household (the state pays their card) — Law 51/2024 Art 12; Decree 188/2025.
    """
    if household.poverty_status == PovertyStatus.POOR:
        return []
    # Hand-written (read on every price and every payment of a saved quote): the ORM's
    #   household.members.select_related("person").filter(person__other_coverage=NONE)
    #       .order_by("person__date_of_birth", "person_id")
    member_names, person_names, sql = _eligible_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql, [household.pk, OtherCoverage.NONE])
        rows = cursor.fetchall()
    members = []
    for row in rows:
        member = sql_instance(HouseholdMember, member_names, row[:len(member_names)])
        sql_cache_related(member, "person", sql_instance(Person, person_names, row[len(member_names):]))
        sql_cache_related(member, "household", household)
        members.append(member)
    members.sort(key=lambda m: 0 if m.relationship == "head" else 1)
    return members


@functools.cache
def _eligible_sql() -> tuple[list[str], list[str], str]:
    member_names, member_cols = sql_columns(HouseholdMember, "m")
    person_names, person_cols = sql_columns(Person, "pe")
    sql = (f"SELECT {member_cols}, {person_cols} FROM {sql_table(HouseholdMember)} m "
           f"JOIN {sql_table(Person)} pe ON pe.id = m.person_id "
           "WHERE m.household_id = %s AND pe.other_coverage = %s ORDER BY pe.date_of_birth, pe.id")
    return member_names, person_names, sql


def hi_last_card_ends(*, person_ids: list[int]) -> dict[int, datetime.date]:
    """{person_id: end date of the latest paid HI card} for those of ``person_ids`` who ever had one."""
    rows = (
        HiMemberCoverage.objects.filter(person_id__in=person_ids, participation__status__in=PAID_STATUSES)
        .exclude(valid_to=None).values("person_id").annotate(end=Max("valid_to"))
    )
    return {row["person_id"]: row["end"] for row in rows}


def vsi_months_supported(*, person_id: int) -> int:
    """Months of VSI state support a person has already received (for the 120-month cap)."""
    rows = VsiParticipation.objects.filter(person_id=person_id, status__in=PAID_STATUSES, state_support__gt=0)
    return rows.aggregate(n=Sum("months"))["n"] or 0


def vsi_last_paid(*, person_id: int) -> VsiParticipation | None:
    """The person's latest paid VSI period, or None."""
    return (
        VsiParticipation.objects.filter(person_id=person_id, status__in=PAID_STATUSES)
        .order_by("-from_month").first()
    )


def vsi_participations_of(*, person_ids: list[int]) -> QuerySet[VsiParticipation]:
    """Paid VSI periods of these people, latest first."""
    return VsiParticipation.objects.filter(person_id__in=person_ids, status__in=PAID_STATUSES).order_by("-from_month")


def household_members_status(*, household: Household, on: datetime.date) -> list[dict]:
    """Each member of a household (head first, then by age) with what covers them on ``on``:
    ``{"member", "person", "on_hi_list", "vsi", "vsi_to_month", "hi", "hi_state"}`` where ``vsi`` is the
    latest paid VSI period (or None) and ``vsi_to_month`` its last month; ``hi`` the latest paid HI card
    line (or None) and ``hi_state`` one of ``valid``, ``upcoming`` (paid, not yet valid), ``expired``,
    ``none``."""
    members = list(household.members.select_related("person").order_by("person__date_of_birth", "person_id"))
    members.sort(key=lambda m: 0 if m.relationship == "head" else 1)
    on_list = {m.pk for m in hi_eligible_members(household=household)}
    rows = []
    for member in members:
        vsi = vsi_last_paid(person_id=member.person_id)
        hi = (
            HiMemberCoverage.objects.filter(person_id=member.person_id, participation__status__in=PAID_STATUSES)
            .exclude(valid_to=None).order_by("-valid_to").first()
        )
        if hi is None:
            hi_state = "none"
        elif hi.valid_to < on:
            hi_state = "expired"
        elif hi.valid_from > on:
            hi_state = "upcoming"
        else:
            hi_state = "valid"
        vsi_to = None
        if vsi is not None:
            index = vsi.from_month.year * 12 + vsi.from_month.month - 1 + vsi.months - 1
            vsi_to = datetime.date(index // 12, index % 12 + 1, 1)
        rows.append({"member": member, "person": member.person, "on_hi_list": member.pk in on_list,
                     "vsi": vsi, "vsi_to_month": vsi_to, "hi": hi, "hi_state": hi_state})
    return rows


KIND_HI = "bhyt"
KIND_VSI = "bhxh"
"""The scheme of a participation as written in page addresses (/bao-gia/bhyt/12/)."""


def participation_get(*, user, kind: str, pk: int) -> HiParticipation | VsiParticipation:
    """One participation (``kind`` "bhyt": household HI, "bhxh": VSI) with its household or person.

    Raises HiParticipation.DoesNotExist / VsiParticipation.DoesNotExist (also for an unknown ``kind``),
    PermissionDenied, OutOfScope (the household or person lies outside the user's scope)."""
    require_permission(user, "registry.view_household")
    if kind == KIND_HI:
        participation = HiParticipation.objects.select_related("household", "household__commune").get(pk=pk)
        require_household_in_scope(user, participation.household)
    elif kind == KIND_VSI:
        participation = VsiParticipation.objects.select_related(
            "person", "person__household_membership__household").get(pk=pk)
        require_person_in_scope(user, participation.person)
    else:
        raise HiParticipation.DoesNotExist(kind)
    return participation


def quotes_awaiting_payment(*, household: Household) -> list[dict]:
    """Quotes of a household not paid yet, oldest first: ``[{"kind", "participation", "label"}]`` where
    ``label`` says what the quote is for (no scope check: callers got ``household`` from ``household_get``)."""
    rows = [{"kind": KIND_HI, "participation": p, "label": f"BHYT hộ gia đình {p.months} tháng"}
            for p in HiParticipation.objects.filter(household=household, status=Status.QUOTED)]
    rows += [{"kind": KIND_VSI, "participation": p,
              "label": f"BHXH tự nguyện — {p.person.full_name}, {p.months} tháng từ {p.from_month:%m/%Y}"}
             for p in VsiParticipation.objects.select_related("person").filter(
                 person__household_membership__household=household, status=Status.QUOTED)]
    return sorted(rows, key=lambda row: (row["participation"].created_at, row["kind"]))


def quotes_in_scope(*, user, kind: str, status: str | None = None,
                    household_id: int | None = None) -> QuerySet:
    """Saved participations (quotes, paid or not) of ``kind`` ("bhyt" household HI, "bhxh" VSI) whose
    household or person lies in the user's scope, newest first; optionally of one ``status`` and one
    household. Raises PermissionDenied, HiParticipation.DoesNotExist for an unknown ``kind``."""
    from ansinh.accounts.services import households_in_scope, persons_in_scope

    require_permission(user, "registry.view_household")
    if kind == KIND_HI:
        rows = HiParticipation.objects.filter(household__in=households_in_scope(user))
        if household_id is not None:
            rows = rows.filter(household_id=household_id)
    elif kind == KIND_VSI:
        rows = VsiParticipation.objects.filter(person__in=persons_in_scope(user))
        if household_id is not None:
            rows = rows.filter(person__household_membership__household_id=household_id)
    else:
        raise HiParticipation.DoesNotExist(kind)
    if status is not None:
        rows = rows.filter(status=status)
    return rows.defer("quote").order_by("-created_at", "-pk")
