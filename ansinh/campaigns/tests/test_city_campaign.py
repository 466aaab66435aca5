"""A campaign of a new-map province (Cần Thơ city, from 01/07/2025): records made under old communes are
counted in the new communes that receive them, for users scoped on either map, with their goals."""

import datetime
from decimal import Decimal

from django.contrib.auth.models import User

from ansinh.accounts.models import Role
from ansinh.accounts.services import user_role_assign
from ansinh.areas.models import AdministrativeUnit, Level, MapVersion, UnitMapping
from ansinh.campaigns.models import Campaign, GoalKind, Indicator, Target
from ansinh.campaigns.progress import Series, campaign_progress, progress_for_user
from ansinh.collection.services import payment_record
from ansinh.enrollment.services import hi_enroll

PAID_ON = datetime.date(2025, 8, 4)


def test_a_city_campaign_counts_old_commune_records_in_their_new_commune(small_province):
    p = small_province
    city = AdministrativeUnit.objects.get(map=MapVersion.NEW, level=Level.PROVINCE, code="92")
    successor = UnitMapping.objects.get(old_unit=p.commune, is_primary=True).new_unit
    campaign = Campaign.objects.create(code="CT-2025", name="Chiến dịch 2025", province=city,
                                       launch_day=datetime.date(2025, 4, 10), starts_on=datetime.date(2025, 4, 1),
                                       ends_on=datetime.date(2025, 12, 31))
    Target.objects.create(campaign=campaign, indicator=Indicator.HI_NEW, area=successor,
                          period_start=campaign.starts_on, period_end=campaign.ends_on, goal=6,
                          goal_kind=GoalKind.COUNT)
    quoted = hi_enroll(user=p.users["thu_1"], household=p.household, months=12, on=PAID_ON)
    payment_record(user=p.users["thu_1"], participation=quoted, amount=quoted.payable, method="cash",
                   paid_on=PAID_ON, idempotency_key="city-1")
    series = [Series(Indicator.HI_NEW, campaign.starts_on, campaign.ends_on)]
    report = campaign_progress(campaign=campaign, by="commune", on=datetime.date(2025, 12, 31),
                               map_version=MapVersion.NEW, series=series)
    row = next(g for g in report.groups if g.id == successor.pk)
    cell = report.cell(row, series[0])
    assert (cell.count, cell.goal, cell.percent) == (3, Decimal(6), Decimal("50.0"))
    assert report.total[series[0].key].count == 3
    officer = User.objects.create_user("bhxh_xa", password="x")
    user_role_assign(user=officer, role=Role.SI_OFFICER, area=successor)
    mine = progress_for_user(user=officer, campaign=campaign, by="commune", on=datetime.date(2025, 12, 31),
                             map_version=MapVersion.NEW, within=successor)
    mine_cell = next(c for g, cells in mine.table() for c in cells if g.id == successor.pk
                     and c.series.indicator == Indicator.HI_NEW and c.series.start == campaign.starts_on)
    assert (mine_cell.count, mine_cell.goal) == (3, Decimal(6))
