"""Where the months of a VSI payment go (rules.md §2): back-pay fills the missing months before the
payment, advance follows the months already paid, neither overlaps paid months; and who may not join VSI
(compulsory SI, pensioners), with the law of the day in the message."""

import datetime

import pytest

from ansinh.collection.services import payment_record
from ansinh.enrollment.errors import AlreadyCovered, MonthsNotMissing, NotEligible
from ansinh.enrollment.services import vsi_enroll, vsi_quote
from ansinh.registry.models import OtherCoverage
from ansinh.reports.selectors import OPERATOR, ListFilter, d05_rows
from ansinh.testing.province import make_person

INCOME = 1_500_000


@pytest.fixture
def elder(small_province):
    p = small_province
    person = make_person(name="Trần Văn Lão", born=datetime.date(1958, 1, 10), sex="male", commune=p.commune,
                         cid="093058000011")
    p.household.members.create(person=person, relationship="parent")
    return person


def _pay(p, participation, on, key):
    payment_record(user=p.users["thu_1"], participation=participation, amount=participation.payable,
                   method="cash", paid_on=on, idempotency_key=key)


def test_backpay_fills_the_missing_months_before_a_paid_current_quarter(small_province, elder):
    p = small_province
    quarter = vsi_enroll(user=p.users["thu_1"], person=elder, income=INCOME, months=3, payment_mode="3_months",
                         on=datetime.date(2026, 10, 1))
    _pay(p, quarter, datetime.date(2026, 10, 1), "q4")
    on = datetime.date(2026, 12, 3)
    backpay = vsi_enroll(user=p.users["thu_1"], person=elder, income=INCOME, months=12, payment_mode="backpay",
                         on=on)
    assert (backpay.from_month, backpay.months) == (datetime.date(2025, 10, 1), 12)  # 10/2025 – 09/2026
    _pay(p, backpay, on, "bp")
    rows = [(r["from_month"], r["months"], r["payment_mode"]) for r in d05_rows(user=OPERATOR, filters=ListFilter())
            if r["full_name"] == "Trần Văn Lão"]
    assert rows == [(datetime.date(2026, 10, 1), 3, "3 tháng"),
                    (datetime.date(2025, 10, 1), 12, "Đóng bù cho những năm còn thiếu")]


def test_backpay_without_paid_months_covers_the_months_just_before_the_payment_month(small_province, elder):
    p = small_province
    backpay = vsi_enroll(user=p.users["thu_1"], person=elder, income=INCOME, months=12, payment_mode="backpay",
                         on=datetime.date(2026, 1, 1))
    assert backpay.from_month == datetime.date(2025, 1, 1)


def test_missing_months_split_by_a_paid_period_are_back_paid_one_run_at_a_time(small_province, elder):
    p = small_province
    paid = vsi_enroll(user=p.users["thu_1"], person=elder, income=INCOME, months=3, payment_mode="3_months",
                      on=datetime.date(2026, 4, 2))  # 04–06/2026 paid
    _pay(p, paid, datetime.date(2026, 4, 2), "q2")
    with pytest.raises(MonthsNotMissing) as refused:
        vsi_enroll(user=p.users["thu_1"], person=elder, income=INCOME, months=12, payment_mode="backpay",
                   on=datetime.date(2026, 12, 3))
    assert refused.value.code == "invalid_months"
    assert refused.value.message == (
        "Những tháng còn thiếu liền nhau ngay trước kỳ đã đóng chỉ có 5 tháng (từ 07/2026 đến 11/2026); tháng "
        "06/2026 đã đóng. Hãy đóng bù 5 tháng này trước, rồi đóng bù các tháng thiếu trước đó trong lần khác.")
    five = vsi_enroll(user=p.users["thu_1"], person=elder, income=INCOME, months=5, payment_mode="backpay",
                      on=datetime.date(2026, 12, 3))
    assert five.from_month == datetime.date(2026, 7, 1)


def test_a_backpay_placed_by_hand_must_end_before_the_payment_month_and_not_overlap_paid_months(
        small_province, elder):
    p = small_province
    with pytest.raises(MonthsNotMissing) as refused:
        vsi_enroll(user=p.users["thu_1"], person=elder, income=INCOME, months=12, payment_mode="backpay",
                   on=datetime.date(2026, 12, 3), from_month=datetime.date(2026, 1, 1))
    assert refused.value.message == ("Đóng bù chỉ cho những tháng trước tháng nộp tiền 12/2026: 12 tháng từ "
                                     "01/2026 kéo dài đến 12/2026.")
    paid = vsi_enroll(user=p.users["thu_1"], person=elder, income=INCOME, months=3, payment_mode="3_months",
                      on=datetime.date(2026, 4, 2))
    _pay(p, paid, datetime.date(2026, 4, 2), "q2")
    with pytest.raises(AlreadyCovered) as overlap:
        vsi_enroll(user=p.users["thu_1"], person=elder, income=INCOME, months=6, payment_mode="backpay",
                   on=datetime.date(2026, 12, 3), from_month=datetime.date(2026, 1, 1))
    assert overlap.value.message == "Trần Văn Lão đã đóng BHXH tự nguyện cho tháng 04/2026 (3 tháng)."


def test_an_advance_starts_after_the_months_already_paid(small_province):
    p = small_province
    head = p.household.members.get(relationship="head").person
    year = vsi_enroll(user=p.users["thu_1"], person=head, income=INCOME, months=12, payment_mode="12_months",
                      on=datetime.date(2026, 3, 2))  # 03/2026 – 02/2027
    _pay(p, year, datetime.date(2026, 3, 2), "y")
    advance = vsi_enroll(user=p.users["thu_1"], person=head, income=INCOME, months=24, payment_mode="advance",
                         on=datetime.date(2026, 12, 1))
    assert advance.from_month == datetime.date(2027, 3, 1)
    other = p.other_household.members.get(relationship="head").person
    fresh = vsi_enroll(user=p.users["thu_2"], person=other, income=INCOME, months=24, payment_mode="advance",
                       on=datetime.date(2026, 12, 1))
    assert fresh.from_month == datetime.date(2026, 12, 1)


@pytest.mark.parametrize(("on", "law"), [
    (datetime.date(2025, 6, 30), "khoản 4 Điều 2 Luật Bảo hiểm xã hội số 58/2014/QH13"),
    (datetime.date(2025, 7, 1), "khoản 4 Điều 2 Luật Bảo hiểm xã hội số 41/2024/QH15"),
])
def test_an_employee_under_compulsory_si_and_a_pensioner_are_refused_with_the_law_of_the_day(
        small_province, on, law):
    p = small_province
    head = p.household.members.get(relationship="head").person
    head.other_coverage = OtherCoverage.EMPLOYEE
    head.save()
    with pytest.raises(NotEligible) as refused:
        vsi_quote(user=p.users["thu_1"], person=head, income=INCOME, months=1, payment_mode="monthly", on=on)
    assert refused.value.code == "not_eligible"
    assert refused.value.message == (
        "Nguyễn Văn An đang tham gia BHXH bắt buộc (người lao động có đơn vị đóng) nên không tham gia "
        f"BHXH tự nguyện cho cùng thời gian ({law}).")
    head.other_coverage = OtherCoverage.PENSIONER
    head.save()
    with pytest.raises(NotEligible) as refused:
        vsi_enroll(user=p.users["thu_1"], person=head, income=INCOME, months=1, payment_mode="monthly", on=on)
    assert refused.value.message == (
        "Nguyễn Văn An đang hưởng lương hưu/trợ cấp bảo hiểm xã hội hằng tháng nên không tham gia "
        f"BHXH tự nguyện ({law}).")
