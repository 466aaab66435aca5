"""Reads over participations: who is covered, what a household would pay."""

import datetime

from django.db.models import QuerySet, Sum

from ansinh.registry.models import Household, HouseholdMember, OtherCoverage, PovertyStatus

from .models import HiMemberCoverage, Status, VsiParticipation

PAID_STATUSES = [Status.PAID, Status.SENT, Status.CARD_ISSUED]


def hi_eligible_members(*, household: Household) -> list[HouseholdMember]:
    """Members who belong on the household HI list, in rank order (head first, then by age).

    Excluded: people with HI through another group (employees, pensioners, state-paid, students)
    and everyone in a poor household (the state pays their card) — Law 51/2024 Art 12; Decree 188/2025.
    """
    if household.poverty_status == PovertyStatus.POOR:
        return []
    members = (
        household.members.select_related("person")
        .filter(person__other_coverage=OtherCoverage.NONE)
        .order_by("person__date_of_birth", "person_id")
    )
    members = list(members)
    members.sort(key=lambda m: 0 if m.relationship == "head" else 1)
    return members


def hi_card_of(*, person_id: int, on: datetime.date) -> HiMemberCoverage | None:
    """The paid HI coverage line valid for a person on a date, or None."""
    return (
        HiMemberCoverage.objects.filter(
            person_id=person_id, participation__status__in=PAID_STATUSES, valid_from__lte=on, valid_to__gte=on
        ).order_by("-valid_to").first()
    )


def hi_last_card_end(*, person_id: int) -> datetime.date | None:
    """The end date of the person's latest paid HI card, or None if they never had one."""
    line = (
        HiMemberCoverage.objects.filter(person_id=person_id, participation__status__in=PAID_STATUSES)
        .exclude(valid_to=None).order_by("-valid_to").first()
    )
    return line.valid_to if line else None


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
