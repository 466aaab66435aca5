"""Merging two records of one person is safe for money: refused when both have cover for the same months
(the overlapping periods named), so nobody is two lines of D03-TS/D05-TS; two officers merging the same
pair at once: one merges, the other is told it is done."""

import datetime
import threading

import pytest
from django.db import connection, connections

from ansinh.enrollment.models import HiMemberCoverage, HiParticipation, Status, VsiParticipation
from ansinh.imports.errors import MergeAlreadyDecided, MergeCoverOverlap
from ansinh.imports.models import DuplicateCandidate, DuplicateStatus, PersonMerge
from ansinh.imports.services import person_merge
from ansinh.registry.models import Person


def _vsi(person, first: datetime.date, months: int, status=Status.PAID) -> VsiParticipation:
    return VsiParticipation.objects.create(
        person=person, commune=person.commune, income=1_500_000, payment_mode="12_months", support_group="other",
        from_month=first, months=months, priced_on=first, gross=0, amount_due=0, state_support=0, payable=0,
        quote={}, status=status)


def _hi(person, valid_from: datetime.date, valid_to: datetime.date, household, status=Status.CARD_ISSUED):
    participation = HiParticipation.objects.create(
        household=household, commune=person.commune, months=12, priced_on=valid_from, total=0, state_support=0,
        payable=0, quote={}, status=status)
    HiMemberCoverage.objects.create(participation=participation, person=person, rank=1, share_pct=100, amount=0,
                                    payable=0, valid_from=valid_from, valid_to=valid_to)
    return participation


@pytest.fixture
def pair(small_province):
    an = Person.objects.get(citizen_id="093070000001")
    twin = Person.objects.create(full_name="Nguyen Van An", date_of_birth=an.date_of_birth, sex="male",
                                 commune=small_province.commune, si_number="9312345678")
    return an, twin, DuplicateCandidate.objects.create(person_a=an, person_b=twin, reason="test", score=100)


def test_overlapping_vsi_periods_refuse_the_merge_naming_them(small_province, pair):
    an, twin, candidate = pair
    _vsi(an, datetime.date(2025, 1, 1), 12)
    _vsi(twin, datetime.date(2025, 7, 1), 6)
    with pytest.raises(MergeCoverOverlap) as exc:
        person_merge(user=small_province.users["hoi_tinh"], candidate=candidate, keep=an)
    assert exc.value.message == (
        f"Không gộp được: cả hai hồ sơ đều có kỳ đóng cho cùng những tháng — BHXH tự nguyện: 01/01/2025–31/12/2025 "
        f"(hồ sơ #{an.pk}) và 01/07/2025–31/12/2025 (hồ sơ #{twin.pk}). Gộp lại sẽ thành hai dòng cho một người "
        "trên danh sách D03-TS/D05-TS. Hãy hủy một kỳ (ghi nhận hoàn tiền) rồi gộp.")
    twin.refresh_from_db()
    candidate.refresh_from_db()
    assert (twin.merged_into_id, twin.si_number, candidate.status) == (None, "9312345678", DuplicateStatus.OPEN)
    assert VsiParticipation.objects.filter(person=an).count() == 1  # nothing moved
    assert not PersonMerge.objects.exists()


def test_overlapping_hi_cards_refuse_the_merge(small_province, pair):
    an, twin, candidate = pair
    _hi(an, datetime.date(2025, 3, 1), datetime.date(2026, 2, 28), small_province.household)
    _hi(twin, datetime.date(2026, 1, 1), datetime.date(2026, 12, 31), small_province.other_household)
    with pytest.raises(MergeCoverOverlap) as exc:
        person_merge(user=small_province.users["hoi_tinh"], candidate=candidate, keep=twin)
    assert exc.value.details["overlaps"] == [
        f"BHYT: 01/01/2026–31/12/2026 (hồ sơ #{twin.pk}) và 01/03/2025–28/02/2026 (hồ sơ #{an.pk})"]


def test_cancelled_or_following_periods_do_not_block_and_move_to_the_kept_record(small_province, pair):
    an, twin, candidate = pair
    _vsi(an, datetime.date(2025, 1, 1), 12)
    _vsi(twin, datetime.date(2025, 7, 1), 6, status=Status.CANCELLED)
    following = _vsi(twin, datetime.date(2026, 1, 1), 12)
    merge = person_merge(user=small_province.users["hoi_tinh"], candidate=candidate, keep=an)
    following.refresh_from_db()
    twin.refresh_from_db()
    assert following.person_id == an.pk
    assert (twin.merged_into_id, twin.si_number) == (an.pk, None)
    assert merge.moved["enrollment.VsiParticipation"] == 2


def test_a_decided_pair_is_not_merged_again(small_province, pair):
    an, twin, candidate = pair
    person_merge(user=small_province.users["hoi_tinh"], candidate=candidate, keep=an)
    with pytest.raises(MergeAlreadyDecided) as exc:
        person_merge(user=small_province.users["hoi_tinh"], candidate=candidate, keep=twin)
    assert exc.value.message == "Cặp hồ sơ này đã được xử lý (có thể một cán bộ khác vừa gộp hoặc tách)."


@pytest.mark.skipif(connection.vendor != "postgresql", reason="parallel writes need PostgreSQL")
def test_two_officers_merging_the_same_pair_at_once(transactional_db):
    from ansinh.testing.province import small_province_build

    p = small_province_build()
    an = Person.objects.get(citizen_id="093070000001")
    twin = Person.objects.create(full_name="Nguyen Van An", date_of_birth=an.date_of_birth, sex="male",
                                 commune=p.commune, si_number="9312345678")
    candidate = DuplicateCandidate.objects.create(person_a=an, person_b=twin, reason="test")
    barrier = threading.Barrier(2)
    results, failures = [], []

    def officer(keep_pk):
        try:
            barrier.wait()
            results.append(person_merge(user=p.users["hoi_tinh"], candidate=DuplicateCandidate.objects.get(
                pk=candidate.pk), keep=Person.objects.get(pk=keep_pk)))
        except Exception as exc:  # asserted below
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=officer, args=(pk,)) for pk in (an.pk, twin.pk)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 1 and [type(f) for f in failures] == [MergeAlreadyDecided]
    kept = results[0].kept
    gone = twin if kept.pk == an.pk else an
    gone.refresh_from_db()
    assert gone.merged_into_id == kept.pk and PersonMerge.objects.count() == 1
