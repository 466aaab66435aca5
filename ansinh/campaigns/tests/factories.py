"""Test data for campaigns: a campaign on the small province and paid participations made with the app's
own services (rules-priced enrolment, then payment_record)."""

import datetime
import itertools
from dataclasses import dataclass
from decimal import Decimal

from ansinh.campaigns.models import Campaign, Indicator, Target
from ansinh.collection.models import Payment
from ansinh.collection.services import payment_record, payment_reverse
from ansinh.enrollment.services import hi_enroll, vsi_enroll

LAUNCH = datetime.date(2024, 5, 20)
START = datetime.date(2024, 5, 1)
END = datetime.date(2024, 12, 31)
_keys = itertools.count(1)


def campaign_make(province, *, code="HG-TEST", with_targets=True) -> Campaign:
    campaign = Campaign.objects.create(code=code, name="Chiến dịch thử", province=province, launch_day=LAUNCH,
                                       starts_on=START, ends_on=END)
    return campaign


def target_make(campaign, *, indicator, goal, start=LAUNCH, end=LAUNCH, area=None, unit=None, agent=None,
                kind=None) -> Target:
    from ansinh.campaigns.progress import GOAL_KIND

    return Target.objects.create(campaign=campaign, indicator=indicator, area=area, association_unit=unit,
                                 agent=agent, period_start=start, period_end=end, goal=Decimal(goal),
                                 goal_kind=kind or GOAL_KIND[indicator])


def vsi_paid(user, person, on, *, months=12, referred_by=None):
    p = vsi_enroll(user=user, person=person, income=1_500_000, months=months, payment_mode="12_months"
                   if months == 12 else "monthly", on=on, referred_by=referred_by)
    payment, _, _ = payment_record(user=user, participation=p, amount=p.payable, method="cash", paid_on=on,
                                   idempotency_key=f"t-{next(_keys)}")
    return p, payment


def hi_paid(user, household, on, *, months=12, referred_by=None):
    p = hi_enroll(user=user, household=household, months=months, on=on, referred_by=referred_by)
    payment, _, _ = payment_record(user=user, participation=p, amount=p.payable, method="cash", paid_on=on,
                                   idempotency_key=f"t-{next(_keys)}")
    return p, payment


def reverse(user, payment: Payment, on):
    return payment_reverse(user=user, payment=payment, reason="Thu nhầm", on=on)


@dataclass
class Data:
    campaign: Campaign
    vsi_head: object
    vsi_wife: object
    hi_household: object
    vsi_other: object
    reversed_payment: object


def campaign_data(sp) -> Data:
    """On the small province: the campaign with the seed's kind of targets, and
    - 20/05/2024 (launch day) by agent thu_1: the head (branch leader) in VSI; household HG-0001 (3 people) in HI;
    - 20/05/2024 by agent thu_2: the other household's head in VSI;
    - 10/06/2024 by thu_1: the wife (branch member) in VSI, referred by the head;
    - 01/07/2024 by thu_1: the son in VSI, reversed on 05/07/2024 (never counts)."""
    campaign = campaign_make(sp.province)
    for district in (sp.district, sp.other_district):
        target_make(campaign, indicator=Indicator.VSI_NEW, goal=50, area=district)
        target_make(campaign, indicator=Indicator.HI_NEW, goal=100, area=district)
    target_make(campaign, indicator=Indicator.LEADERS_VSI, goal=50, area=sp.province, end=END)
    target_make(campaign, indicator=Indicator.LEADERS_HI, goal=100, area=sp.province, end=END)
    members = {m.relationship: m.person for m in sp.household.members.select_related("person")}
    agent1, agent2 = sp.users["thu_1"], sp.users["thu_2"]
    vsi_head, _ = vsi_paid(agent1, members["head"], LAUNCH)
    hi_household, _ = hi_paid(agent1, sp.household, LAUNCH)
    other_head = sp.other_household.members.get().person
    vsi_other, _ = vsi_paid(agent2, other_head, LAUNCH)
    vsi_wife, _ = vsi_paid(agent1, members["spouse"], datetime.date(2024, 6, 10), referred_by=members["head"])
    _, son_payment = vsi_paid(agent1, members["child"], datetime.date(2024, 7, 1))
    reverse(agent1, son_payment, datetime.date(2024, 7, 5))
    return Data(campaign, vsi_head, vsi_wife, hi_household, vsi_other, son_payment)
