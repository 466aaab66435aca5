"""The campaign dashboard names the collection organisation as it was on the day it shows."""

import datetime

import pytest

from ansinh.areas.models import AdministrativeUnit, Level, MapVersion
from ansinh.campaigns.models import Campaign
from ansinh.campaigns.selectors import campaign_dashboard
from ansinh.collection.models import CollectionOrg


@pytest.fixture
def merged(small_province):
    new_province = AdministrativeUnit.objects.get(map=MapVersion.NEW, level=Level.PROVINCE, code="92")
    successor = CollectionOrg.objects.create(code="BD92", name="Bưu điện thành phố Cần Thơ", province=new_province,
                                             valid_from=datetime.date(2025, 7, 1))
    small_province.org.closed_on = datetime.date(2025, 6, 30)
    small_province.org.successor = successor
    small_province.org.save()
    return small_province, new_province


def _campaign(code, province, year):
    return Campaign.objects.create(code=code, name=f"Chiến dịch {year}", province=province,
                                   launch_day=datetime.date(year, 4, 10), starts_on=datetime.date(year, 4, 1),
                                   ends_on=datetime.date(year, 12, 31))


def test_the_dashboard_names_the_org_of_its_day(merged, client):
    p, new_province = merged
    old = _campaign("HG-2024", p.province, 2024)
    assert campaign_dashboard(campaign=old, on=datetime.date(2024, 12, 31))["org"].name == "Bưu điện tỉnh Hậu Giang"
    city = _campaign("CT-2025", new_province, 2025)
    assert campaign_dashboard(campaign=city, on=datetime.date(2025, 4, 10))["org"].name == "Bưu điện tỉnh Hậu Giang"
    assert campaign_dashboard(campaign=city, on=datetime.date(2025, 12, 31))["org"].name == "Bưu điện thành phố Cần Thơ"
    client.force_login(p.users["bhxh_tinh"])
    page = client.get("/chien-dich/").content.decode()  # the latest campaign (2025), shown up to its end
    assert '<p class="muted small" id="dash-org">Tổ chức dịch vụ thu: Bưu điện thành phố Cần Thơ</p>' in page


def test_a_city_campaign_dashboard_has_a_row_per_new_commune_with_launch_day_goals(merged, client):
    from decimal import Decimal

    from ansinh.areas.models import UnitMapping
    from ansinh.campaigns.models import GoalKind, Indicator, Target

    p, new_province = merged
    city = _campaign("CT-2026", new_province, 2026)
    successor = UnitMapping.objects.get(old_unit=p.commune, is_primary=True).new_unit
    Target.objects.create(campaign=city, indicator=Indicator.HI_NEW, area=successor, period_start=city.launch_day,
                          period_end=city.launch_day, goal=5, goal_kind=GoalKind.COUNT)
    Target.objects.create(campaign=city, indicator=Indicator.VSI_NEW, area=successor, period_start=city.starts_on,
                          period_end=city.ends_on, goal=9, goal_kind=GoalKind.COUNT)  # not a launch-day goal
    client.force_login(p.users["bhxh_tinh"])
    response = client.get("/chien-dich/")
    rows = response.context["dash"]["rows"]
    assert [(r["district"], r["goal_hi"], r["goal_vsi"]) for r in rows] == [(successor, Decimal(5), None)]
    assert "Kết quả theo xã, phường, đặc khu" in response.content.decode()
