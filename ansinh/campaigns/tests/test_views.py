"""The campaign dashboard through its page: scope, goals, counts going up after a payment."""

import datetime
import json
import uuid
from pathlib import Path

import pytest
from django.conf import settings

pytest.importorskip("ansinh.rules.quote", reason="payments are priced through the rules module")

from ansinh.areas.models import AdministrativeUnit, Level  # noqa: E402
from ansinh.campaigns.models import Campaign, GoalKind, Indicator, Target  # noqa: E402
from ansinh.testing.province import PASSWORD  # noqa: E402

VECTORS = Path(settings.BASE_DIR).parent / "shared" / "vectors" / "rules.json"
LAUNCH = datetime.date(2024, 7, 1)



@pytest.fixture(autouse=True)
def _any_payment_date(settings):
    """These tests pay on the dates of the shared vectors (2024, 2025): lift the back-dating window."""
    settings.ANSINH_MAX_BACKDATE_DAYS = None

def vector(vector_id: str) -> dict:
    return next(v for v in json.loads(VECTORS.read_text()) if v["id"] == vector_id)


def campaign_create(province, *, launch_day=LAUNCH) -> Campaign:
    """A campaign launched on ``launch_day`` with the seed's goals: 50 VSI and 100 HI per district on
    launch day; leaders 50% VSI and 100% HI for the province."""
    campaign = Campaign.objects.create(
        code="MO-HINH-2024", name="Mô hình vận động BHXH tự nguyện, BHYT hộ gia đình", province=province,
        launch_day=launch_day, starts_on=launch_day, ends_on=datetime.date(launch_day.year, 12, 31),
    )
    for district in AdministrativeUnit.objects.filter(parent=province, level=Level.DISTRICT):
        for indicator, goal in [(Indicator.VSI_NEW, 50), (Indicator.HI_NEW, 100)]:
            Target.objects.create(campaign=campaign, indicator=indicator, area=district, period_start=launch_day,
                                  period_end=launch_day, goal=goal, goal_kind=GoalKind.COUNT)
    for indicator, goal in [(Indicator.LEADERS_VSI, 50), (Indicator.LEADERS_HI, 100)]:
        Target.objects.create(campaign=campaign, indicator=indicator, area=province, period_start=launch_day,
                              period_end=campaign.ends_on, goal=goal, goal_kind=GoalKind.PERCENT)
    return campaign


def row_of(response, district):
    return next(r for r in response.context["dash"]["rows"] if r["district"] == district)


@pytest.fixture
def officer(small_province, client):
    client.login(username="bhxh_tinh", password=PASSWORD)
    return client


def test_without_a_campaign_the_dashboard_says_so(officer):
    response = officer.get("/chien-dich/")
    assert response.status_code == 200
    assert "Chưa có chiến dịch nào." in response.content.decode()


def test_the_province_officer_sees_every_district_with_goals_and_a_chart(officer, small_province):
    campaign_create(small_province.province)
    response = officer.get("/chien-dich/")
    body = response.content.decode()
    rows = response.context["dash"]["rows"]
    assert len(rows) == 8
    assert all(r["goal_vsi"] == 50 and r["goal_hi"] == 100 for r in rows)
    assert response.context["dash"]["total"]["goal_hi"] == 800
    assert "Chỉ tiêu 400" in body and "Chỉ tiêu 800" in body and "Chỉ tiêu 50%" in body
    assert "vendor/chartjs/chart.umd.min.js" in body
    chart = response.context["chart"]
    assert chart["labels"] == [r["district"].name for r in rows] and chart["goal_hi"] == [100] * 8
    assert '<script id="chart-data" type="application/json">' in body
    assert "cdn" not in body.lower()


def test_a_district_officer_sees_only_their_district(small_province, client):
    campaign_create(small_province.province)
    client.login(username="bhxh_huyen", password=PASSWORD)
    response = client.get("/chien-dich/")
    assert [r["district"] for r in response.context["dash"]["rows"]] == [small_province.district]
    assert small_province.other_district.name not in response.content.decode()


def test_a_collection_agent_has_no_dashboard(small_province, client):
    client.login(username="thu_1", password=PASSWORD)
    assert client.get("/chien-dich/").status_code == 403


def test_a_payment_on_launch_day_raises_the_districts_hi_count(officer, small_province):
    campaign_create(small_province.province)
    before = officer.get("/chien-dich/")
    assert row_of(before, small_province.district)["launch_hi"] == 0
    per_member = vector("hi-2024-5")["expect"]["per_member"][:3]
    agent = type(officer)()
    agent.login(username="thu_1", password=PASSWORD)
    paid = agent.post(f"/ho/{small_province.household.pk}/thu-bhyt/", {"xac_nhan": "1",
        "months": "12", "amount": str(sum(per_member)), "method": "cash", "paid_on": LAUNCH.isoformat(),
        "idempotency_key": uuid.uuid4().hex,
    })
    assert paid.status_code == 302
    after = officer.get("/chien-dich/")
    row = row_of(after, small_province.district)
    assert row["launch_hi"] == 3 and row["launch_vsi"] == 0
    assert row_of(after, small_province.other_district)["launch_hi"] == 0
    assert after.context["dash"]["total"]["launch_hi"] == 3
    # The head of HG-0001 leads the branch: one leader of one, now with HI.
    assert row["leaders"] == 1 and row["leaders_hi"] == 1 and row["leaders_hi_pct"] == 100
    body = after.content.decode()
    assert 'id="kpi-hi">3<' in body
    assert "100,0%" in body
