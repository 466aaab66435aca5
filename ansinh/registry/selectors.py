"""Reads over the registry for the pages: households in the user's scope, one household with its members.

Permission and scope are checked here, at the top, as in the services.
"""

from django.db.models import OuterRef, Q, QuerySet, Subquery

from ansinh.accounts.services import households_in_scope, require_household_in_scope, require_permission
from ansinh.core.text import fold, name_normalise, tone_normalise

from .models import Household, HouseholdMember, Relationship


def households_search(*, user, query: str = "") -> QuerySet[Household]:
    """Households in the user's scope whose code or a member's name contains ``query`` (case-insensitive),
    ordered by code, annotated with ``head_name``, ``head_citizen_id`` and ``commune_name``. A name typed
    without diacritics ("nguyen van an") matches every accented form ("Nguyễn Văn An", "Nguyên Văn Ân");
    typed with diacritics it matches those diacritics. Raises PermissionDenied."""
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
    head = HouseholdMember.objects.filter(household=OuterRef("pk"), relationship=Relationship.HEAD)
    return (
        households.select_related("commune", "agent")
        .annotate(
            head_name=Subquery(head.values("person__full_name")[:1]),
            head_citizen_id=Subquery(head.values("person__citizen_id")[:1]),
        )
        .order_by("code")
    )


def household_get(*, user, pk: int) -> Household:
    """One household with its commune and agent. Raises Household.DoesNotExist, PermissionDenied,
    OutOfScope (the household exists but lies outside the user's area)."""
    require_permission(user, "registry.view_household")
    household = Household.objects.select_related("commune", "commune__parent", "agent").get(pk=pk)
    require_household_in_scope(user, household)
    return household


def household_people(*, household: Household) -> list:
    """The household's members as people, head first, then by date of birth (no scope check: callers
    got ``household`` from ``household_get``)."""
    members = household.members.select_related("person").order_by("person__date_of_birth", "person_id")
    return [m.person for m in sorted(members, key=lambda m: 0 if m.relationship == Relationship.HEAD else 1)]
