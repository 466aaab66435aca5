"""Campaign pages: create, errors on the field, targets, copy, the dashboard's picker."""

import datetime
from decimal import Decimal

from django.urls import reverse

from ansinh.areas.selectors import new_unit_of
from ansinh.campaigns import errors
from ansinh.campaigns.models import Campaign, Indicator, Target
from ansinh.campaigns.services import SKIP_OLD_MAP_UNIT
from ansinh.campaigns.tests.factories import END, START, target_make
from ansinh.testing.province import PASSWORD

D = datetime.date
NEW = {"code": "CD-2026", "name": "Chiến dịch 2026", "launch_day": "15/05/2026", "starts_on": "01/05/2026",
       "ends_on": "31/12/2026"}


def test_create_campaign_then_list(admin, admin_client):
    response = admin_client.post(reverse("admin_campaign_create"), NEW)
    campaign = Campaign.objects.get(code="CD-2026")
    assert response.status_code == 302 and response["Location"] == reverse("admin_campaign_edit", args=[campaign.pk])
    assert (campaign.province, campaign.launch_day, campaign.starts_on, campaign.ends_on) == (
        admin.ansinh_role.area, D(2026, 5, 15), D(2026, 5, 1), D(2026, 12, 31))
    body = admin_client.get(reverse("admin_campaign_list")).content.decode()
    assert 'data-code="CD-2026"' in body and "15/05/2026" in body and "01/05/2026 – 31/12/2026" in body


def test_campaign_errors_on_the_field(admin_client):
    response = admin_client.post(reverse("admin_campaign_create"), {**NEW, "ends_on": "30/04/2026"})
    assert response.status_code == 400
    assert response.context["form"].errors == {"ends_on": [errors.CAMPAIGN_PERIOD_ORDER]}
    response = admin_client.post(reverse("admin_campaign_create"), {**NEW, "launch_day": "01/01/2027"})
    assert response.context["form"].errors == {"launch_day": [errors.CAMPAIGN_LAUNCH_OUTSIDE]}
    admin_client.post(reverse("admin_campaign_create"), NEW)
    response = admin_client.post(reverse("admin_campaign_create"), NEW)
    assert response.context["form"].errors == {"code": [errors.CAMPAIGN_CODE_TAKEN]}
    assert Campaign.objects.count() == 1


def test_targets_add_edit_and_errors(small_province, admin_client):
    admin_client.post(reverse("admin_campaign_create"), NEW)
    campaign = Campaign.objects.get(code="CD-2026")
    commune = new_unit_of(old_commune=small_province.commune)
    url = reverse("admin_target_create", args=[campaign.pk])
    data = {"indicator": Indicator.VSI_NEW, "unit_kind": "area", "area": commune.pk, "period_start": "2026-05-15",
            "period_end": "2026-05-15", "goal": "40"}
    response = admin_client.post(url, {**data, "goal": "-5"})
    assert response.context["form"].errors == {"goal": [errors.GOAL_NEGATIVE]}
    response = admin_client.post(url, {**data, "indicator": Indicator.LEADERS_VSI, "goal": "120"})
    assert response.context["form"].errors == {"goal": [errors.PERCENT_ABOVE_100]}
    response = admin_client.post(url, {**data, "period_start": "2026-04-01"})
    assert response.context["form"].errors == {"period_start": [errors.PERIOD_OUTSIDE_CAMPAIGN.format(
        start="01/05/2026", end="31/12/2026")]}
    assert not Target.objects.exists()
    assert admin_client.post(url, data).status_code == 302
    target = Target.objects.get()
    assert (target.area, target.goal, target.period_start) == (commune, Decimal("40.00"), D(2026, 5, 15))
    admin_client.post(reverse("admin_target_edit", args=[target.pk]), {**data, "goal": "45"})
    assert Target.objects.get().goal == Decimal("45.00")
    # the old map's districts are not offered for a campaign on the new map
    form = admin_client.get(url).context["form"]
    assert small_province.district not in form.fields["area"].queryset and commune in form.fields["area"].queryset


def test_copy_targets_through_the_page(small_province, admin_client):
    sp = small_province
    source = Campaign.objects.create(code="HG-2024", name="Chiến dịch 2024", province=sp.province,
                                     launch_day=D(2024, 5, 20), starts_on=START, ends_on=END)
    target_make(source, indicator=Indicator.VSI_NEW, goal=50, area=sp.district)
    target_make(source, indicator=Indicator.LEADERS_HI, goal=100, area=sp.province, start=START, end=END)
    admin_client.post(reverse("admin_campaign_create"), NEW)
    campaign = Campaign.objects.get(code="CD-2026")
    response = admin_client.post(reverse("admin_campaign_copy", args=[campaign.pk]), {"source": source.pk})
    body = response.content.decode()
    assert response.status_code == 200
    assert f"<strong>{sp.district.name}</strong>: {SKIP_OLD_MAP_UNIT}" in body
    assert list(campaign.targets.values_list("indicator", "area", "period_start", "period_end", "goal")) == [
        (Indicator.LEADERS_HI, campaign.province_id, D(2026, 5, 1), D(2026, 12, 31), Decimal("100.00"))]
    response = admin_client.post(reverse("admin_campaign_copy", args=[campaign.pk]), {"source": campaign.pk})
    assert response.status_code == 400
    assert response.context["copy_form"].errors == {"source": ["Chiến dịch không hợp lệ."]}


def test_dashboard_picker(small_province, admin_client, client):
    sp = small_province
    Campaign.objects.create(code="HG-2024", name="Chiến dịch 2024", province=sp.province,
                            launch_day=D(2024, 5, 20), starts_on=START, ends_on=END)
    admin_client.post(reverse("admin_campaign_create"), NEW)
    client.login(username="bhxh_tinh", password=PASSWORD)
    latest = client.get(reverse("dashboard"))
    assert latest.context["dash"]["campaign"].code == "CD-2026"
    assert latest.context["dash"]["level"] == "commune"
    assert [c.code for c in latest.context["campaigns"]] == ["CD-2026", "HG-2024"]
    old = client.get(reverse("dashboard"), {"chien-dich": "HG-2024"})
    assert old.context["dash"]["level"] == "district"
    assert f'data-district="{sp.district.code}"' in old.content.decode()
    assert client.get(reverse("dashboard"), {"chien-dich": "KHONG-CO"}).status_code == 404
