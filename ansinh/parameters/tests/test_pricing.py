"""Enrolment prices with the active parameters (files + values added at runtime), and amounts already
paid are never re-priced by a new value."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

import pytest

from ansinh.collection.services import payment_record
from ansinh.enrollment import pricing
from ansinh.enrollment.errors import PricingError
from ansinh.enrollment.models import HiParticipation, Status
from ansinh.enrollment.services import hi_enroll
from ansinh.parameters.selectors import active_parameters
from ansinh.parameters.services import parameter_value_add
from ansinh.rules import default_parameters
from ansinh.testing.admin import province_admin_make
from ansinh.testing.vectors import vector

BASE = "common.base_salary"


def snapshot(participation: HiParticipation) -> dict:
    participation.refresh_from_db()
    return {
        "fields": (participation.total, participation.state_support, participation.payable, participation.priced_on,
                   participation.status),
        "quote": participation.quote,
        "members": [(m.rank, m.amount, m.state_support, m.payable, m.valid_from, m.valid_to)
                    for m in participation.members.order_by("rank")],
    }


def test_a_new_base_salary_never_reprices_a_paid_household_but_prices_later_dates(small_province):
    p = small_province
    agent, officer = p.users["thu_1"], province_admin_make("quan_tri")
    hi = vector("hi-2024-5")
    paid_on = datetime.date.fromisoformat(hi["request"]["on"])
    participation = hi_enroll(user=agent, household=p.household, months=12, on=paid_on)
    payment_record(user=agent, participation=participation, amount=participation.payable, method="cash",
                   paid_on=paid_on, idempotency_key="frozen-price-1")
    before = snapshot(participation)
    assert before["fields"][0] == sum(hi["expect"]["per_member"][:3])
    assert before["fields"][4] == Status.PAID
    quote_before = pricing.hi_household_price(members=3, months=12, support_pcts=[0, 0, 0], on=paid_on)

    last = default_parameters().parameter(BASE).values[-1]
    new_start = last.start.replace(year=last.start.year + 1)
    new_value = last.value + 270_000
    parameter_value_add(user=officer, name=BASE, start=new_start, value=str(new_value),
                        reference_document="Decree 1/2027/NĐ-CP", confidence="reported")

    # what was paid stays as it was: the record, its frozen quote and a quote for the paid date
    assert snapshot(participation) == before
    assert pricing.hi_household_price(members=3, months=12, support_pcts=[0, 0, 0], on=paid_on) == quote_before
    day_before = pricing.hi_household_price(members=3, months=12, support_pcts=[0, 0, 0],
                                            on=new_start - datetime.timedelta(days=1))
    assert day_before["per_member"][0] == round_vnd(rate_on(new_start - datetime.timedelta(days=1)) * last.value * 12)

    # a new quote from the new value's start uses it, and says so in its breakdown
    later = pricing.hi_household_price(members=3, months=12, support_pcts=[0, 0, 0], on=new_start)
    first = round_vnd(rate_on(new_start) * new_value * 12)
    ladder = active_parameters().value("household_hi.ladder", new_start)
    assert later["per_member"] == [round_vnd(first * Decimal(share) / 100) for share in ladder[:3]]
    used = next(u for u in later["breakdown"][0]["parameters"] if u["name"] == BASE)
    assert (used["value"], used["since"], used["origin"], used["confidence"]) == (
        new_value, new_start.isoformat(), "runtime", "reported")

    # a new enrolment after the new start is priced with it; the paid one is untouched
    renewal = hi_enroll(user=agent, household=p.household, months=12, on=new_start + datetime.timedelta(days=40))
    assert renewal.total == sum(later["per_member"])
    assert snapshot(participation) == before


def test_the_vsi_ceiling_follows_a_runtime_base_salary(users):
    last = default_parameters().parameter(BASE).values[-1]
    new_start = last.start.replace(year=last.start.year + 1)
    new_value = last.value + 270_000
    multiplier = default_parameters().value("vsi.income_ceiling_multiplier", new_start)
    ceiling = int(multiplier * new_value)
    with pytest.raises(PricingError) as refused:
        pricing.vsi_price(income=ceiling, months=1, payment_mode="monthly", support_group="none", on=new_start)
    assert refused.value.code == "income_above_ceiling"
    parameter_value_add(user=users["quan_tri"], name=BASE, start=new_start, value=str(new_value),
                        reference_document="Decree 1/2027/NĐ-CP", confidence="reported")
    result = pricing.vsi_price(income=ceiling, months=1, payment_mode="monthly", support_group="none", on=new_start)
    rate = default_parameters().value("vsi.contribution_rate", new_start)
    assert result["gross"] == round_vnd(Decimal(rate) / 100 * ceiling)


def rate_on(day: datetime.date) -> Decimal:
    return Decimal(default_parameters().value("household_hi.contribution_rate", day)) / 100


def round_vnd(amount) -> int:
    return int(Decimal(amount).quantize(Decimal(1), rounding=ROUND_HALF_UP))
