"""Campaigns of a province administrator, copying targets of an earlier campaign, the dashboard's picker."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import User

from ansinh.accounts.models import Role
from ansinh.accounts.services import user_role_assign
from ansinh.areas.models import AdministrativeUnit, Level, MapVersion
from ansinh.areas.selectors import new_unit_of
from ansinh.campaigns import errors
from ansinh.campaigns.models import Campaign, Indicator, Target
from ansinh.campaigns.selectors import campaign_dashboard_for_user
from ansinh.campaigns.services import (
    SKIP_OLD_MAP_UNIT, campaign_create, campaign_targets_copy, campaign_update, shifted_period, target_create,
)
from ansinh.core.errors import PermissionDenied
from ansinh.testing.province import PASSWORD

from .factories import END, START, target_make

D = datetime.date


@pytest.fixture
def admin(small_province):
    province = AdministrativeUnit.objects.get(map=MapVersion.NEW, level=Level.PROVINCE, code="92")
    user = User.objects.create_user(username="quantri", password=PASSWORD)
    user_role_assign(user=user, role=Role.PROVINCE_ADMIN, area=province)
    return User.objects.get(pk=user.pk)


def _campaign_2026(admin, **kwargs):
    args = {"code": "CD-2026", "name": "Chiến dịch 2026", "launch_day": D(2026, 5, 15), "starts_on": D(2026, 5, 1),
            "ends_on": D(2026, 12, 31)}
    args.update(kwargs)
    return campaign_create(user=admin, **args)


def test_admin_creates_campaign_of_their_province(admin):
    campaign = _campaign_2026(admin)
    assert (campaign.code, campaign.province, campaign.launch_day) == ("CD-2026", admin.ansinh_role.area,
                                                                      D(2026, 5, 15))


@pytest.mark.parametrize("kwargs, field, message", [
    ({"ends_on": D(2026, 4, 30)}, "ends_on", errors.CAMPAIGN_PERIOD_ORDER),
    ({"launch_day": D(2027, 1, 1)}, "launch_day", errors.CAMPAIGN_LAUNCH_OUTSIDE),
    ({"code": " "}, "code", errors.CAMPAIGN_CODE_MISSING),
    ({"name": ""}, "name", errors.CAMPAIGN_NAME_MISSING),
])
def test_campaign_refused_on_the_field(admin, kwargs, field, message):
    with pytest.raises(errors.CampaignInvalid) as exc:
        _campaign_2026(admin, **kwargs)
    assert (exc.value.details["field"], exc.value.message) == (field, message)
    assert not Campaign.objects.exists()


def test_duplicate_code_refused(admin):
    _campaign_2026(admin)
    with pytest.raises(errors.CampaignInvalid) as exc:
        _campaign_2026(admin, code="cd-2026")
    assert (exc.value.details["field"], exc.value.message) == ("code", errors.CAMPAIGN_CODE_TAKEN)


def test_district_officer_cannot_create(small_province):
    with pytest.raises(PermissionDenied):
        _campaign_2026(small_province.users["bhxh_huyen"])


def test_shifted_period():
    source = Campaign(launch_day=D(2024, 5, 20), starts_on=D(2024, 5, 1), ends_on=D(2024, 12, 31))
    new = Campaign(launch_day=D(2026, 5, 15), starts_on=D(2026, 5, 1), ends_on=D(2026, 11, 30))
    assert shifted_period(source=source, target_campaign=new, start=D(2024, 5, 1), end=D(2024, 12, 31)) == (
        D(2026, 5, 1), D(2026, 11, 30))
    assert shifted_period(source=source, target_campaign=new, start=D(2024, 5, 20), end=D(2024, 5, 20)) == (
        D(2026, 5, 15), D(2026, 5, 15))
    assert shifted_period(source=source, target_campaign=new, start=D(2024, 6, 1), end=D(2024, 6, 30)) == (
        D(2026, 6, 1), D(2026, 6, 30))
    assert shifted_period(source=source, target_campaign=new, start=D(2024, 11, 1), end=D(2024, 12, 31)) == (
        D(2026, 11, 1), D(2026, 11, 30))
    assert shifted_period(source=source, target_campaign=new, start=D(2024, 12, 5), end=D(2024, 12, 31)) is None


@pytest.fixture
def source_2024(small_province):
    sp = small_province
    campaign = Campaign.objects.create(code="HG-2024", name="Chiến dịch 2024", province=sp.province,
                                       launch_day=D(2024, 5, 20), starts_on=START, ends_on=END)
    for district in (sp.district, sp.other_district):
        target_make(campaign, indicator=Indicator.VSI_NEW, goal=50, area=district)
    target_make(campaign, indicator=Indicator.LEADERS_VSI, goal=50, area=sp.province, start=START, end=END)
    target_make(campaign, indicator=Indicator.HI_NEW, goal=30, unit=sp.branch, start=START, end=END)
    target_make(campaign, indicator=Indicator.COLLECTED, goal=90_000_000, agent=sp.agent, start=D(2024, 6, 1),
                end=D(2024, 6, 30))
    return campaign


def test_copy_into_a_new_map_campaign(small_province, admin, source_2024):
    sp = small_province
    new = _campaign_2026(admin)
    result = campaign_targets_copy(user=admin, source=source_2024, target_campaign=new)
    got = sorted((t.indicator, t.area_id, t.association_unit_id, t.agent_id, t.period_start, t.period_end, t.goal)
                 for t in Target.objects.filter(campaign=new))
    assert got == sorted([
        (Indicator.LEADERS_VSI, new.province_id, None, None, D(2026, 5, 1), D(2026, 12, 31), Decimal("50.00")),
        (Indicator.HI_NEW, None, sp.branch.pk, None, D(2026, 5, 1), D(2026, 12, 31), Decimal("30.00")),
        (Indicator.COLLECTED, None, None, sp.agent.pk, D(2026, 6, 1), D(2026, 6, 30), Decimal("90000000.00")),
    ])
    assert len(result.copied) == 3
    assert sorted((s.unit, s.reason) for s in result.skipped) == sorted(
        [(sp.district.name, SKIP_OLD_MAP_UNIT), (sp.other_district.name, SKIP_OLD_MAP_UNIT)])
    again = campaign_targets_copy(user=admin, source=source_2024, target_campaign=new)
    assert (len(again.copied), Target.objects.filter(campaign=new).count()) == (0, 3)


def test_copy_into_an_early_campaign_of_the_new_province_follows_campaign_map(small_province, admin, source_2024):
    """A campaign of the new-map province is on the new map (``campaign_map``) even when it starts before
    01/07/2025: districts are not copied, as its dashboard and target form show no district."""
    sp = small_province
    new = _campaign_2026(admin, code="CD-2025A", launch_day=D(2025, 3, 1), starts_on=D(2025, 2, 1),
                         ends_on=D(2025, 6, 30))
    result = campaign_targets_copy(user=admin, source=source_2024, target_campaign=new)
    assert not Target.objects.filter(campaign=new, area__in=[sp.district, sp.other_district]).exists()
    assert sorted((s.unit, s.reason) for s in result.skipped) == sorted(
        [(sp.district.name, SKIP_OLD_MAP_UNIT), (sp.other_district.name, SKIP_OLD_MAP_UNIT)])
    # the agent's June target shifted by the 276 days between the starts
    assert list(Target.objects.filter(campaign=new, agent=sp.agent).values_list(
        "period_start", "period_end")) == [(D(2025, 3, 4), D(2025, 4, 2))]
    assert len(result.copied) == 3


def test_copy_from_itself_refused(admin):
    new = _campaign_2026(admin)
    with pytest.raises(errors.CampaignInvalid) as exc:
        campaign_targets_copy(user=admin, source=new, target_campaign=new)
    assert (exc.value.details["field"], exc.value.message) == ("source", errors.COPY_SAME_CAMPAIGN)


@pytest.mark.parametrize("goal, indicator, start, field, message", [
    (-1, Indicator.VSI_NEW, D(2026, 5, 15), "goal", errors.GOAL_NEGATIVE),
    (101, Indicator.LEADERS_VSI, D(2026, 5, 15), "goal", errors.PERCENT_ABOVE_100),
    (10, Indicator.VSI_NEW, D(2026, 4, 1), "period_start", errors.PERIOD_OUTSIDE_CAMPAIGN.format(
        start="01/05/2026", end="31/12/2026")),
])
def test_target_that_does_not_fit(small_province, admin, goal, indicator, start, field, message):
    new = _campaign_2026(admin)
    commune = new_unit_of(old_commune=small_province.commune)
    from ansinh.campaigns.progress import GOAL_KIND

    with pytest.raises(errors.TargetInvalid) as exc:
        target_create(user=admin, campaign=new, indicator=indicator, area=commune, period_start=start,
                      period_end=D(2026, 5, 15), goal=goal, goal_kind=GOAL_KIND[indicator])
    assert (exc.value.details["field"], exc.value.message) == (field, message)


def test_new_map_target_in_new_commune_officer_scope(small_province, admin):
    new = _campaign_2026(admin)
    commune = new_unit_of(old_commune=small_province.commune)
    officer = User.objects.create_user(username="bhxh_xa", password=PASSWORD)
    user_role_assign(user=officer, role=Role.SI_OFFICER, area=commune)
    target = target_create(user=officer, campaign=new, indicator=Indicator.VSI_NEW, area=commune,
                           period_start=D(2026, 5, 15), period_end=D(2026, 5, 15), goal=20, goal_kind="count")
    assert target.area == commune
    other = new_unit_of(old_commune=small_province.other_commune)
    with pytest.raises(errors.TargetOutOfScope):
        target_create(user=officer, campaign=new, indicator=Indicator.VSI_NEW, area=other,
                      period_start=D(2026, 5, 15), period_end=D(2026, 5, 15), goal=20, goal_kind="count")


def test_campaign_update_by_admin(admin):
    campaign = _campaign_2026(admin)
    campaign_update(user=admin, campaign=campaign, name="Chiến dịch năm 2026")
    assert Campaign.objects.get(pk=campaign.pk).name == "Chiến dịch năm 2026"


def test_dashboard_picks_the_campaign_and_new_map_rows(small_province, admin, source_2024):
    sp = small_province
    new = _campaign_2026(admin)
    commune = new_unit_of(old_commune=sp.commune)
    target_create(user=admin, campaign=new, indicator=Indicator.VSI_NEW, area=commune,
                  period_start=D(2026, 5, 15), period_end=D(2026, 5, 15), goal=20, goal_kind="count")
    officer = User.objects.create_user(username="bhxh_xa", password=PASSWORD)
    user_role_assign(user=officer, role=Role.SI_OFFICER, area=commune)
    latest = campaign_dashboard_for_user(user=officer, on=D(2026, 12, 1))
    assert latest["campaign"] == new and latest["level"] == "commune"
    assert [(r["unit"], r["goal_vsi"]) for r in latest["rows"]] == [(commune, Decimal("20.00"))]
    old = campaign_dashboard_for_user(user=officer, on=D(2026, 12, 1), campaign=source_2024)
    assert old["level"] == "district"
    assert [r["unit"] for r in old["rows"]] == [sp.district]
    province_wide = campaign_dashboard_for_user(user=sp.users["bhxh_tinh"], on=D(2026, 12, 1), campaign=new)
    assert commune in [r["unit"] for r in province_wide["rows"]]


def test_officer_target_form_offers_the_campaign_map(small_province, admin, client):
    new = _campaign_2026(admin)
    commune = new_unit_of(old_commune=small_province.commune)
    client.login(username="bhxh_tinh", password=PASSWORD)
    areas = client.get("/chi-tieu/them/", {"campaign": new.code}).context["form"].fields["area"].queryset
    assert commune in areas and small_province.district not in areas
    response = client.post(f"/chi-tieu/them/?campaign={new.code}", {
        "indicator": Indicator.VSI_NEW, "unit_kind": "area", "area": commune.pk, "period_start": "2026-05-15",
        "period_end": "2026-05-15", "goal": "-3"})
    assert response.context["form"].errors == {"goal": [errors.GOAL_NEGATIVE]}
