"""Merging two covered records with an explicit resolution: the officer picks the overlapping period to
cancel; its payment is reversed (payment_reverse) with the refund noted, and the person is one line on
D03-TS/D05-TS afterwards."""

import datetime

import pytest

from ansinh.collection.models import Payment
from ansinh.collection.services import payment_record
from ansinh.core.errors import PermissionDenied
from ansinh.enrollment.models import HiParticipation, Status, VsiParticipation
from ansinh.enrollment.services import hi_enroll, vsi_enroll
from ansinh.imports.errors import MergeCoverOverlap, MergeError
from ansinh.imports.models import DuplicateCandidate, DuplicateStatus
from ansinh.imports.services import cover_overlap_choices, person_merge
from ansinh.registry.models import Household, HouseholdMember, Person
from ansinh.registry.services_people import household_member_move
from ansinh.reports.selectors import ListFilter, d03_rows, d05_rows
from ansinh.testing.province import PASSWORD, make_person

JULY_2024 = datetime.date(2024, 7, 1)


@pytest.fixture
def pair(small_province):
    an = Person.objects.get(citizen_id="093070000001")
    twin = make_person(name="Nguyen Van An", born=an.date_of_birth, sex="male", commune=small_province.commune,
                       cid="093070000099")
    return an, twin, DuplicateCandidate.objects.create(person_a=an, person_b=twin, reason="test", score=100)


def _vsi_paid(user, person, key, on=JULY_2024):
    quote = vsi_enroll(user=user, person=person, income=1_500_000, months=12, payment_mode="12_months", on=on,
                       support_group="other")
    payment, _, _ = payment_record(user=user, participation=quote, amount=quote.payable, method="cash",
                                   paid_on=on, idempotency_key=key)
    return quote, payment


def _hi_paid(user, household, key, on=JULY_2024):
    quote = hi_enroll(user=user, household=household, months=12, on=on)
    payment, _, _ = payment_record(user=user, participation=quote, amount=quote.payable, method="cash",
                                   paid_on=on, idempotency_key=key)
    return quote, payment


def test_the_officer_cancels_the_duplicates_vsi_period_and_the_person_is_one_line_on_d05(small_province, pair):
    an, twin, candidate = pair
    officer = small_province.users["bhxh_tinh"]
    kept_period, _ = _vsi_paid(officer, an, "vsi-an")
    twin_period, twin_payment = _vsi_paid(officer, twin, "vsi-twin")
    assert [r["full_name"] for r in d05_rows(user=officer, filters=ListFilter())].count("Nguyễn Văn An") == 1
    assert len(list(d05_rows(user=officer, filters=ListFilter()))) == 2
    choices = cover_overlap_choices(candidate=candidate)
    assert choices == [
        {"ref": f"vsi:{kept_period.pk}", "person_id": an.pk, "label": f"BHXH tự nguyện 01/07/2024–30/06/2025 (hồ sơ #{an.pk})"},
        {"ref": f"vsi:{twin_period.pk}", "person_id": twin.pk,
         "label": f"BHXH tự nguyện 01/07/2024–30/06/2025 (hồ sơ #{twin.pk})"}]
    merge = person_merge(user=officer, candidate=candidate, keep=an, cancel=[f"vsi:{twin_period.pk}"],
                         refund_note="trả tiền mặt cho ông An")
    reversal = Payment.objects.get(reverses=twin_payment)
    assert (reversal.amount, reversal.reason) == (
        -twin_payment.amount,
        f"Gộp hồ sơ trùng #{twin.pk} vào #{an.pk}: hủy kỳ trùng tháng, hoàn tiền — trả tiền mặt cho ông An")
    assert merge.moved["cancelled"] == [{
        "label": f"BHXH tự nguyện 01/07/2024–30/06/2025 (hồ sơ #{twin.pk})", "ref": f"vsi:{twin_period.pk}",
        "refund": twin_payment.amount, "reversals": [reversal.pk]}]
    twin_period.refresh_from_db()
    twin.refresh_from_db()
    assert (twin_period.status, twin_period.person_id, twin.merged_into_id) == (Status.CANCELLED, an.pk, an.pk)
    rows = list(d05_rows(user=officer, filters=ListFilter()))
    assert [(r["full_name"], r["from_month"], r["months"]) for r in rows] == [
        ("Nguyễn Văn An", datetime.date(2024, 7, 1), 12)]
    assert VsiParticipation.objects.filter(person=an).exclude(status=Status.CANCELLED).get() == kept_period


def test_the_officer_cancels_the_duplicates_hi_period_and_the_person_is_one_line_on_d03(small_province, pair):
    an, twin, candidate = pair
    p = small_province
    officer = p.users["bhxh_tinh"]
    own = Household.objects.create(code="HG-0003", commune=p.commune, agent=p.agent)
    HouseholdMember.objects.create(household=own, person=twin, relationship="head")
    _hi_paid(officer, p.household, "hi-1")
    twin_hi, twin_payment = _hi_paid(officer, own, "hi-3")
    # found later to be An: moved into his household first (the merge needs one household), then merged
    household_member_move(user=officer, person=twin, to_household=p.household, on=datetime.date(2024, 8, 1))
    with pytest.raises(MergeCoverOverlap) as refused:
        person_merge(user=officer, candidate=candidate, keep=an)
    assert refused.value.details["overlaps"] == [
        f"BHYT: 31/07/2024–30/07/2025 (hồ sơ #{an.pk}) và 31/07/2024–30/07/2025 (hồ sơ #{twin.pk})"]
    person_merge(user=officer, candidate=candidate, keep=an, cancel=[f"hi:{twin_hi.pk}"])
    assert Payment.objects.get(reverses=twin_payment).amount == -twin_payment.amount
    rows = [r for r in d03_rows(user=officer, filters=ListFilter()) if r["full_name"] == "Nguyễn Văn An"]
    assert [(r["household_code"], r["rank"]) for r in rows] == [("HG-0001", 1)]


def test_a_period_that_does_not_overlap_cannot_be_picked_and_nothing_is_written(small_province, pair):
    an, twin, candidate = pair
    officer = small_province.users["bhxh_tinh"]
    _vsi_paid(officer, an, "vsi-an")
    twin_period, twin_payment = _vsi_paid(officer, twin, "vsi-twin")
    later, _ = _vsi_paid(officer, an, "vsi-an-2", on=datetime.date(2025, 7, 1))
    with pytest.raises(MergeError) as exc:
        person_merge(user=officer, candidate=candidate, keep=an, cancel=[f"vsi:{later.pk}"])
    assert (exc.value.message, exc.value.details["field"]) == (
        "Kỳ cần hủy: chỉ chọn được một kỳ đang trùng tháng của hai hồ sơ.", "cancel")
    assert not Payment.objects.filter(reverses=twin_payment).exists()
    candidate.refresh_from_db()
    assert candidate.status == DuplicateStatus.OPEN


def test_an_officer_without_the_right_to_take_money_cannot_cancel_a_paid_period(small_province, pair):
    an, twin, candidate = pair
    _vsi_paid(small_province.users["bhxh_tinh"], an, "vsi-an")
    twin_period, twin_payment = _vsi_paid(small_province.users["bhxh_tinh"], twin, "vsi-twin")
    with pytest.raises(PermissionDenied):
        person_merge(user=small_province.users["hoi_tinh"], candidate=candidate, keep=an,
                     cancel=[f"vsi:{twin_period.pk}"])
    twin.refresh_from_db()
    assert twin.merged_into_id is None and not Payment.objects.filter(reverses=twin_payment).exists()


def test_the_review_page_offers_the_periods_and_merges_with_the_one_picked(small_province, pair, client):
    an, twin, candidate = pair
    officer = small_province.users["bhxh_tinh"]
    _vsi_paid(officer, an, "vsi-an")
    twin_period, twin_payment = _vsi_paid(officer, twin, "vsi-twin")
    client.login(username="bhxh_tinh", password=PASSWORD)
    page = client.get("/nhap/trung/").content.decode()
    assert f'name="cancel" value="vsi:{twin_period.pk}"' in page
    assert f"BHXH tự nguyện 01/07/2024–30/06/2025 (hồ sơ #{twin.pk})" in page
    done = client.post(f"/nhap/trung/{candidate.pk}/", {"action": "keep_a", "cancel": f"vsi:{twin_period.pk}",
                                                        "refund_note": "chuyển khoản"}, follow=True)
    text = done.content.decode()
    amount = f"{twin_payment.amount:,}".replace(",", ".")
    assert (f"Đã gộp hồ sơ #{twin.pk} vào Nguyễn Văn An. Đã hủy kỳ BHXH tự nguyện 01/07/2024–30/06/2025 "
            f"(hồ sơ #{twin.pk}), hoàn lại {amount} đồng.") in text
    assert len(list(d05_rows(user=officer, filters=ListFilter()))) == 1
