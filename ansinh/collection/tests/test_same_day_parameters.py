"""A payment re-checks its quote against the parameters in force at the moment of payment, even on the
quote's own day: a value added after the quote and taking effect that day re-prices it."""

import datetime

import pytest

from ansinh.collection.models import Payment
from ansinh.collection.services import payment_record
from ansinh.enrollment.errors import QuoteOutdated
from ansinh.enrollment.services import vsi_enroll
from ansinh.parameters.services import parameter_value_add

DAY = datetime.date(2026, 3, 2)
INCOME = 1_500_000


@pytest.fixture(autouse=True)
def _any_payment_date(settings):
    settings.ANSINH_MAX_BACKDATE_DAYS = None


def _quote(p):
    head = p.household.members.get(relationship="head").person
    return vsi_enroll(user=p.users["thu_1"], person=head, income=INCOME, months=1, payment_mode="monthly", on=DAY)


def _admin():
    """The administrator of the new-map province 92: only they add its local support."""
    from django.contrib.auth.models import User

    from ansinh.testing.admin import province_admin_make

    return User.objects.filter(username="quan_tri").first() or province_admin_make("quan_tri")


def _local_from(p, start):
    parameter_value_add(user=_admin(), name="vsi.local_support.92", start=start, value='{"other": 10}',
                        reference_document="Nghị quyết HĐND (thử)", confidence="reported")


def test_a_value_added_after_the_quote_and_in_force_that_day_makes_the_same_day_quote_outdated(small_province):
    p = small_province
    quote = _quote(p)
    assert quote.payable == 330_000 - 66_000
    _local_from(p, DAY)
    with pytest.raises(QuoteOutdated) as outdated:
        payment_record(user=p.users["thu_1"], participation=quote, amount=quote.payable, method="cash",
                       paid_on=DAY, idempotency_key="same-day")
    assert outdated.value.details["due"] == 330_000 - 66_000 - 33_000
    assert outdated.value.message == (
        "Báo giá lập ngày 02/03/2026 (264.000 đ) đã cũ: theo quy định ngày 02/03/2026 số phải đóng là "
        "231.000 đ. Hãy lập báo giá mới.")
    assert Payment.objects.count() == 0
    fresh = _quote(p)
    assert fresh.payable == 231_000
    payment_record(user=p.users["thu_1"], participation=fresh, amount=231_000, method="cash", paid_on=DAY,
                   idempotency_key="fresh")
    assert Payment.objects.get().amount == 231_000


def test_a_value_taking_effect_the_next_day_does_not_touch_a_payment_of_the_quote_day(small_province):
    p = small_province
    quote = _quote(p)
    _local_from(p, DAY + datetime.timedelta(days=1))
    payment, _receipt, created = payment_record(user=p.users["thu_1"], participation=quote, amount=264_000,
                                                method="cash", paid_on=DAY, idempotency_key="next-day")
    assert created and payment.amount == 264_000


def test_a_value_added_before_the_quote_is_already_in_its_price(small_province):
    p = small_province
    _local_from(p, DAY)
    quote = _quote(p)
    assert quote.payable == 231_000
    _payment, _receipt, created = payment_record(user=p.users["thu_1"], participation=quote, amount=231_000,
                                                 method="cash", paid_on=DAY, idempotency_key="before")
    assert created
