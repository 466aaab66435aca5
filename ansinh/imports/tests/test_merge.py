"""Merging two records of one person keeps the history of both and moves what hung on the merged one."""

import datetime

import pytest

from ansinh.core.errors import OutOfScope, PermissionDenied
from ansinh.imports.errors import MergeError
from ansinh.imports.models import DuplicateCandidate, PersonMerge
from ansinh.imports.selectors import person_history
from ansinh.imports.services import person_merge
from ansinh.registry.models import Membership, Person


@pytest.fixture
def twin(small_province):
    an = Person.objects.get(citizen_id="093070000001")
    twin = Person.objects.create(full_name="Nguyen Van An", date_of_birth=an.date_of_birth, sex="male",
                                 commune=small_province.commune, si_number="9312345678", phone="0912345678")
    twin.full_name = "Nguyễn Văn An"
    twin.save()
    Membership.objects.create(person=twin, unit=small_province.branch, role="member")
    return an, twin, DuplicateCandidate.objects.create(person_a=an, person_b=twin, reason="test")


def test_merge_moves_memberships_fills_ids_and_keeps_both_histories(small_province, twin):
    an, other, candidate = twin
    user = small_province.users["hoi_tinh"]
    merge = person_merge(user=user, candidate=candidate, keep=an)
    an.refresh_from_db()
    assert (an.si_number, an.phone, an.citizen_id) == ("9312345678", "0912345678", "093070000001")
    other.refresh_from_db()  # the merged-away record stays, without IDs, pointing at the kept one
    assert (other.merged_into_id, other.citizen_id, other.si_number) == (an.pk, None, None)
    assert list(Membership.objects.filter(unit=small_province.branch, person=an).values_list("role", flat=True)) == [
        "leader"]
    assert merge.merged_person_id == other.pk and merge.merged_snapshot["si_number"] == "9312345678"
    history = list(person_history(person=an))
    merged_versions = [h for h in history if h.id == other.pk]
    assert [h.history_type for h in merged_versions] == ["~", "~", "+"]
    assert (merged_versions[0].merged_into_id, merged_versions[1].si_number) == (an.pk, "9312345678")
    assert merged_versions[0].history_change_reason == f"Gộp vào hồ sơ #{an.pk}"
    assert {h.id for h in history} == {an.pk, other.pk}
    candidate.refresh_from_db()
    assert (candidate.status, candidate.decided_by) == ("merged", user)
    assert PersonMerge.objects.count() == 1


def test_merge_needs_permission_and_scope(small_province, twin):
    an, other, candidate = twin
    with pytest.raises(PermissionDenied):
        person_merge(user=small_province.users["thu_1"], candidate=candidate, keep=an)
    far = Person.objects.create(full_name="Nguyễn Văn An", date_of_birth=datetime.date(1970, 3, 5), sex="male",
                                commune=small_province.other_commune)
    far_candidate = DuplicateCandidate.objects.create(person_a=an, person_b=far, reason="test")
    with pytest.raises(OutOfScope):
        person_merge(user=small_province.users["bhxh_huyen"], candidate=far_candidate, keep=an)


def test_two_households_are_not_merged_silently(small_province):
    head = Person.objects.get(citizen_id="093065000004")
    an = Person.objects.get(citizen_id="093070000001")
    candidate = DuplicateCandidate.objects.create(person_a=an, person_b=head, reason="test")
    with pytest.raises(MergeError):
        person_merge(user=small_province.users["hoi_tinh"], candidate=candidate, keep=an)
    assert Person.objects.filter(pk=head.pk).exists()
