"""A campaign of the merged province (Cần Thơ city, from 1 July 2025) counts the records made under the
old communes it came from as well as those made under its own communes, on the new map."""

import datetime

from ansinh.areas.models import AdministrativeUnit, Level, MapVersion, UnitMapping
from ansinh.campaigns.models import Campaign, Indicator
from ansinh.campaigns.progress import Series, campaign_progress, progress_for_user
from ansinh.testing.province import make_household, make_person

from .factories import hi_paid, vsi_paid

DAY = datetime.date(2026, 4, 2)


def _campaign_2026(province) -> Campaign:
    return Campaign.objects.create(code="CT-2026", name="Chiến dịch 2026", province=province,
                                   launch_day=datetime.date(2026, 4, 1), starts_on=datetime.date(2026, 3, 1),
                                   ends_on=datetime.date(2026, 12, 31))


def test_a_2026_campaign_counts_an_old_commune_household_and_a_new_commune_one(small_province):
    p = small_province
    new_province = AdministrativeUnit.objects.get(map=MapVersion.NEW, level=Level.PROVINCE, code="92")
    successor = UnitMapping.objects.get(old_unit=p.commune, is_primary=True).new_unit
    campaign = _campaign_2026(new_province)
    head = make_person(name="Lý Thị Hoa", born=datetime.date(1980, 1, 1), sex="female", commune=successor,
                       cid="092180000009")
    new_household = make_household(code="CT-0001", commune=successor, agent=p.agent, people=[(head, "head")])
    hi_paid(p.users["thu_1"], p.household, DAY)      # registered in 2024 under the old commune
    hi_paid(p.users["thu_1"], new_household, DAY)    # registered in 2026 under its successor
    vsi_paid(p.users["thu_1"], head, DAY)
    series = [Series(Indicator.HI_NEW, campaign.starts_on, campaign.ends_on),
              Series(Indicator.VSI_NEW, campaign.starts_on, campaign.ends_on)]
    report = campaign_progress(campaign=campaign, by="commune", on=DAY, map_version=MapVersion.NEW, series=series)
    rows = {(r["unit_code"], r["indicator"]): r["achieved"] for r in report.rows()}
    assert rows[(successor.code, "hi_new")] == 3 + 1
    assert rows[(successor.code, "vsi_new")] == 1
    totals = {r["indicator"]: r["count"] for r in report.total_rows()}
    assert totals == {"hi_new": 4, "vsi_new": 1}
    # the officer of the old district and the 2026 province administrator both see them
    scoped = progress_for_user(user=p.users["bhxh_huyen"], campaign=campaign, by="commune", on=DAY,
                               map_version=MapVersion.NEW)
    assert {r["indicator"]: r["count"] for r in scoped.total_rows()}["hi_new"] == 4
    other = progress_for_user(user=p.users["bhxh_tinh"], campaign=campaign,
                              by="province", on=DAY, map_version=MapVersion.NEW)
    assert {r["indicator"]: r["count"] for r in other.total_rows()}["hi_new"] == 4
