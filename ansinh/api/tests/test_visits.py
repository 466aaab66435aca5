"""Door-to-door visits through the API: recorded once per client_uuid, checked per outcome, in scope only,
and counted per agent and outcome on the progress page by agent and in the progress endpoint."""

import datetime
import json
import re
import uuid

import pytest
from django.utils import timezone

from ansinh.campaigns.tests.factories import campaign_make
from ansinh.collection.models import Visit
from ansinh.collection.services_visits import DATE_REQUIRED, REASON_REQUIRED, UUID_OTHER_VISIT, VISIT_FUTURE, VISIT_NO_TIMEZONE
from ansinh.core.errors import PermissionDenied

pytestmark = pytest.mark.django_db

AT = "2024-05-25T09:30:00+07:00"


@pytest.fixture
def agent(client, small_province):
    client.force_login(small_province.users["thu_1"])
    return client


def post(client, body):
    return client.post("/api/v1/visits/", json.dumps(body), content_type="application/json")


def visit_body(sp, **extra):
    return {"client_uuid": str(uuid.uuid4()), "household_id": sp.household.pk, "visited_at": AT,
            "outcome": "not_home", **extra}


def test_a_visit_is_recorded_once_however_often_the_phone_syncs_it(agent, small_province):
    body = visit_body(small_province, outcome="will_pay", will_pay_on="2024-05-30", note="Hẹn cuối tháng")
    first = post(agent, body)
    assert first.status_code == 201
    visit = Visit.objects.get()
    assert first.json() == {
        "id": visit.pk, "client_uuid": body["client_uuid"], "household_id": small_province.household.pk,
        "agent_id": small_province.agent.pk, "visited_at": AT, "outcome": "will_pay",
        "reason": "", "will_pay_on": "2024-05-30", "note": "Hẹn cuối tháng"}
    again = post(agent, body)
    assert again.status_code == 200 and again.json() == first.json()
    other = post(agent, {**body, "outcome": "paid", "will_pay_on": None})
    assert other.status_code == 409
    assert other.json() == {"code": "idempotency_conflict", "message": UUID_OTHER_VISIT, "field": "client_uuid"}
    assert Visit.objects.count() == 1 and visit.recorded_by == small_province.users["thu_1"]


@pytest.mark.parametrize("extra, field, message", [
    ({"outcome": "refused"}, "reason", REASON_REQUIRED),
    ({"outcome": "refused", "reason": "   "}, "reason", REASON_REQUIRED),
    ({"outcome": "will_pay"}, "will_pay_on", DATE_REQUIRED),
    ({"outcome": "not_home", "will_pay_on": "2024-06-01"}, "will_pay_on",
     "Chỉ ghi ngày hẹn nộp cho kết quả «Hẹn ngày nộp»."),
    ({"outcome": "will_pay", "will_pay_on": "2024-05-24"}, "will_pay_on",
     "Ngày hẹn nộp không được trước ngày thăm hộ."),
    ({"visited_at": "2999-01-01T00:00:00+07:00"}, "visited_at", VISIT_FUTURE),
    ({"visited_at": "2024-05-20T10:00:00"}, "visited_at", VISIT_NO_TIMEZONE),  # no zone: refused, never a 500
])
def test_an_outcome_without_what_it_needs_is_400_naming_the_field(agent, small_province, extra, field, message):
    response = post(agent, visit_body(small_province, **extra))
    assert response.status_code == 400
    assert response.json() == {"code": "visit_invalid", "message": message, "field": field}
    assert not Visit.objects.exists()


@pytest.mark.parametrize("extra, field", [
    ({"household_id": "1"}, "household_id"),
    ({"outcome": "maybe"}, "outcome"),
    ({"visited_at": "hôm qua"}, "visited_at"),
    ({"client_uuid": "not-a-uuid"}, "client_uuid"),
    ({"colour": "red"}, "colour"),
])
def test_wrong_types_are_422(agent, small_province, extra, field):
    response = post(agent, visit_body(small_province, **extra))
    assert response.status_code == 422 and response.json()["field"] == field
    assert not Visit.objects.exists()


def test_another_areas_household_is_404_and_a_leader_may_not_record(client, small_province):
    client.force_login(small_province.users["thu_2"])
    assert post(client, visit_body(small_province)).status_code == 404
    client.force_login(small_province.users["chi_hoi"])
    refused = post(client, visit_body(small_province))
    assert refused.status_code == 403
    assert refused.json() == {"code": "permission_denied", "message": PermissionDenied.message, "field": None}
    assert client.get("/api/v1/visits/").status_code == 403
    assert not Visit.objects.exists()


def test_visits_are_listed_in_scope(client, small_province):
    client.force_login(small_province.users["thu_1"])
    mine = post(client, visit_body(small_province, outcome="refused", reason="Chưa có tiền")).json()
    client.force_login(small_province.users["thu_2"])
    theirs = post(client, {**visit_body(small_province), "household_id": small_province.other_household.pk}).json()
    assert client.get("/api/v1/visits/").json() == {"items": [theirs], "count": 1}
    client.force_login(small_province.users["bhxh_huyen"])  # the first household's district only
    assert client.get("/api/v1/visits/").json() == {"items": [mine], "count": 1}
    client.force_login(small_province.users["bhxh_tinh"])
    assert client.get("/api/v1/visits/?outcome=refused").json()["items"] == [mine]
    assert client.get("/api/v1/visits/").json()["count"] == 2


def _visit(sp, username, household, outcome, day, **extra):
    from ansinh.collection.services_visits import visit_record

    at = datetime.datetime.combine(day, datetime.time(9), tzinfo=timezone.get_current_timezone())
    return visit_record(user=sp.users[username], household=household, client_uuid=uuid.uuid4(), visited_at=at,
                        outcome=outcome, **extra)[0]


def test_visits_are_counted_per_agent_and_outcome_on_the_progress_page_and_endpoint(client, small_province):
    sp = small_province
    campaign = campaign_make(sp.province)
    may = datetime.date(2024, 5, 25)
    _visit(sp, "thu_1", sp.household, "not_home", may)
    _visit(sp, "thu_1", sp.household, "refused", may, reason="Chưa có tiền")
    _visit(sp, "thu_1", sp.household, "will_pay", may, will_pay_on=datetime.date(2024, 6, 1))
    _visit(sp, "thu_2", sp.other_household, "paid", may)
    _visit(sp, "bhxh_tinh", sp.household, "not_home", may)
    _visit(sp, "thu_1", sp.household, "paid", datetime.date(2025, 1, 5))  # after the campaign: not counted
    client.force_login(sp.users["bhxh_tinh"])
    page = client.get(f"/tien-do/?campaign={campaign.code}&by=agent&on=2024-12-31&map=old").content.decode()
    table = page[page.index('id="bang-tham-ho"'):]
    cells = {code: re.findall(r'<td data-label="[^"]+">(\d+)</td>', row)
             for code, row in re.findall(r'<tr data-agent="([^"]*)">(.*?)</tr>', table, flags=re.S)}
    assert cells == {"NVT001": ["3", "1", "1", "1", "0"], "NVT002": ["1", "0", "0", "0", "1"],
                     "": ["1", "1", "0", "0", "0"]}
    assert "Cán bộ BHXH thu trực tiếp" in table
    body = client.get(f"/api/v1/campaigns/progress?campaign={campaign.code}&by=agent&on=2024-12-31&map=old").json()
    assert body["visits"] == [
        {"agent_id": None, "total": 1, "not_home": 1, "refused": 0, "will_pay": 0, "paid": 0},
        {"agent_id": sp.agent.pk, "total": 3, "not_home": 1, "refused": 1, "will_pay": 1, "paid": 0},
        {"agent_id": sp.other_agent.pk, "total": 1, "not_home": 0, "refused": 0, "will_pay": 0, "paid": 1},
    ]
    # a district officer counts the visits to households of their district only
    client.force_login(sp.users["bhxh_huyen"])
    body = client.get(f"/api/v1/campaigns/progress?campaign={campaign.code}&by=agent&on=2024-12-31&map=old").json()
    assert [(v["agent_id"], v["total"]) for v in body["visits"]] == [(None, 1), (sp.agent.pk, 3)]
