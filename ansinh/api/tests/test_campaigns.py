"""Campaign progress, targets and reminders through the API: the rows of ``ansinh progress --json``, limited
to the caller's scope; roles."""

import datetime
import io
import json

import pytest
from django.core.management import call_command

from ansinh.api.errors import NOT_FOUND
from ansinh.campaigns.tests.factories import campaign_data
from ansinh.core.errors import PermissionDenied

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(small_province):
    return campaign_data(small_province)


def cli_rows(*args) -> list[dict]:
    out = io.StringIO()
    call_command("progress", *args, "--json", stdout=out)
    return [{k: v for k, v in row.items() if k not in ("map", "on")} for row in json.loads(out.getvalue())]


def test_progress_by_district_for_the_province_officer_is_the_commands_rows(client, small_province, data):
    client.force_login(small_province.users["bhxh_tinh"])
    response = client.get("/api/v1/campaigns/progress?by=district&on=2024-05-31&map=old")
    assert response.status_code == 200
    body = response.json()
    assert body["rows"] == cli_rows("--by", "district", "--on", "2024-05-31", "--map", "old")
    assert body["total"] == [r for r in cli_rows("--by", "district", "--on", "2024-05-31", "--map", "old", "--total")
                             if r["level"] == "province"]
    assert {k: body[k] for k in ("campaign", "on", "by", "map", "visits")} == {
        "campaign": "HG-TEST", "on": "2024-05-31", "by": "district", "map": "old", "visits": None}
    assert body["within"] == {"level": "province", "id": small_province.province.pk, "code": "93",
                              "name": small_province.province.name}
    launch = [r for r in body["rows"] if r["unit_id"] == small_province.district.pk and r["indicator"] == "vsi_new"
              and r["period_start"] == "2024-05-20"]
    assert [(r["achieved"], r["goal"], r["percent"]) for r in launch] == [(1, 50, 2)]


def test_a_district_officer_sees_only_their_district_and_another_area_is_404(client, small_province, data):
    client.force_login(small_province.users["bhxh_huyen"])
    body = client.get("/api/v1/campaigns/progress?by=district&on=2024-05-31&map=old").json()
    assert {r["unit_id"] for r in body["rows"]} == {small_province.district.pk}
    other = client.get(f"/api/v1/campaigns/progress?by=commune&on=2024-05-31&map=old"
                       f"&within={small_province.other_district.pk}")
    assert other.status_code == 404
    assert other.json() == {"code": "not_found", "message": NOT_FOUND, "field": None}


def test_progress_errors_and_roles(client, small_province, data):
    client.force_login(small_province.users["bhxh_tinh"])
    wrong = client.get("/api/v1/campaigns/progress?by=district&map=new&on=2025-08-01")
    assert wrong.status_code == 400 and wrong.json()["code"] == "progress_invalid"
    assert client.get("/api/v1/campaigns/progress?by=hamlet").status_code == 422
    assert client.get("/api/v1/campaigns/progress?campaign=NOPE").status_code == 404
    client.force_login(small_province.users["thu_1"])
    refused = client.get("/api/v1/campaigns/progress")
    assert refused.status_code == 403
    assert refused.json() == {"code": "permission_denied", "message": PermissionDenied.message, "field": None}
    assert client.get("/api/v1/campaigns/targets").status_code == 403


def test_targets_in_scope(client, small_province, data):
    client.force_login(small_province.users["bhxh_huyen"])
    body = client.get("/api/v1/campaigns/targets").json()
    assert body["count"] == 4
    assert {(t["indicator"], t["goal"], t["area_id"]) for t in body["items"]} == {
        ("vsi_new", 50, small_province.district.pk), ("hi_new", 100, small_province.district.pk),
        ("leaders_vsi", 50, small_province.province.pk), ("leaders_hi", 100, small_province.province.pk)}
    first = body["items"][0]
    assert set(first) == {"id", "indicator", "period_start", "period_end", "goal", "goal_kind", "area_id",
                          "association_unit_id", "agent_id"}


def test_reminders_for_an_agent_are_those_of_the_command(client, small_province, data):
    client.force_login(small_province.users["thu_1"])
    on = datetime.date(2025, 5, 1)
    body = client.get(f"/api/v1/campaigns/reminders?on={on}").json()
    out = io.StringIO()
    call_command("reminders", "--user", "thu_1", "--on", on.isoformat(), "--json", stdout=out)
    expected = json.loads(out.getvalue())
    assert body["count"] == len(expected) > 0
    assert [{k: v for k, v in item.items() if k != "household_id"} for item in body["items"]] == expected
    assert {item["household_id"] for item in body["items"]} == {small_province.household.pk}
    client.force_login(small_province.users["bhxh_tinh"])
    assert client.get("/api/v1/campaigns/reminders").json() == {"items": [], "count": 0}
