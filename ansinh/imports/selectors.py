"""Reads for the import pages: a user's recent batches, probable duplicates in scope, a person's
history across merges."""

from django.db.models import Q, QuerySet

from ansinh.accounts.services import persons_in_scope, require_permission
from ansinh.registry.models import Person

from .models import CandidateKind, DuplicateCandidate, DuplicateStatus, ImportBatch, PersonMerge


def batches_recent(*, user, limit: int = 10) -> QuerySet[ImportBatch]:
    """The user's own recent import batches (newest first), without the file contents."""
    return ImportBatch.objects.filter(created_by=user).defer("content", "rejected_file", "summary")[:limit]


def duplicates_open(*, user) -> QuerySet[DuplicateCandidate]:
    """Open review items whose people are in the user's scope: probable duplicates (both people) and
    identity conflicts of an import (the person)."""
    require_permission(user, "imports.merge_persons")
    people = persons_in_scope(user).values("pk")
    return (DuplicateCandidate.objects.filter(status=DuplicateStatus.OPEN, person_a__in=people)
            .filter(Q(person_b__in=people) | Q(kind=CandidateKind.IDENTITY_CONFLICT, person_b__isnull=True))
            .select_related("person_a__commune", "person_b__commune", "batch").order_by("created_at", "pk"))


def duplicate_get(*, user, pk: int) -> DuplicateCandidate:
    return duplicates_open(user=user).get(pk=pk)


def person_history(*, person: Person) -> QuerySet:
    """Every recorded version of a person and of the records merged into them, newest first."""
    ids = [person.pk, *PersonMerge.objects.filter(kept=person).values_list("merged_person_id", flat=True)]
    return Person.history.filter(id__in=ids).order_by("-history_date")
