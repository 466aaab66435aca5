"""Query and path values beyond what the database holds (ids ≥ 2^63, huge pages and offsets, dates in year
1) are refused with 422 naming the parameter, never a server error; page sizes above 500 are refused."""

import json

import pytest

from ansinh.api.errors import INVALID_INPUT

pytestmark = pytest.mark.django_db

BIG = str(2**63)


@pytest.fixture
def agent(client, small_province):
    client.force_login(small_province.users["thu_1"])
    return client


@pytest.mark.parametrize("url, field", [
    (f"/api/v1/visits/?household_id={BIG}", "household_id"),
    (f"/api/v1/visits/?offset={BIG}", "offset"),
    ("/api/v1/visits/?offset=1000000001", "offset"),
    ("/api/v1/visits/?since=0001-01-01T00:00:00", "since"),
    ("/api/v1/visits/?since=9999-12-31T23:59:59", "since"),
    ("/api/v1/visits/?limit=100000000", "limit"),
    (f"/api/v1/quotes/hi/?household_id={BIG}", "household_id"),
    (f"/api/v1/quotes/hi/{BIG}", "quote_id"),
    (f"/api/v1/payments/receipts/{BIG}", "receipt_id"),
    ("/api/v1/registry/households?page=99999999999999999999", "page"),
    ("/api/v1/registry/households?page=1000001", "page"),
    ("/api/v1/registry/people?page_size=100000000", "page_size"),
    ("/api/v1/registry/people?page_size=501", "page_size"),
    (f"/api/v1/registry/households/{BIG}", "household_id"),
    (f"/api/v1/registry/people/{BIG}", "person_id"),
    (f"/api/v1/reference/units?parent_id={BIG}", "parent_id"),
    ("/api/v1/reference/units?on=0001-01-01", "on"),
    (f"/api/v1/reference/unit-mappings?old_unit_id={BIG}", "old_unit_id"),
    ("/api/v1/reference/parameters?on=0001-01-01", "on"),
    (f"/api/v1/campaigns/progress?within={BIG}", "within"),
])
def test_out_of_range_values_answer_422_naming_the_field(agent, url, field):
    response = agent.get(url)
    assert response.status_code == 422, response.content
    body = response.json()
    assert (body["code"], body["message"], body["field"]) == ("invalid", INVALID_INPUT, field)


def test_the_largest_values_in_range_answer_normally(agent):
    assert agent.get(f"/api/v1/visits/?household_id={2**63 - 1}&limit=500&offset=1000000000").json() == {
        "items": [], "count": 0}
    response = agent.get("/api/v1/registry/households?page=1000000&page_size=500")
    assert response.status_code == 200
    assert response.json()["items"] == []
    assert agent.get(f"/api/v1/registry/households/{2**63 - 1}").status_code == 404


# --- ids inside JSON request bodies ----------------------------------------------------------------

HUGE = 2**63
VISIT = {"client_uuid": "8d0c1f5e-6a3b-4f0e-9a51-0d6f3c2b7a10", "visited_at": "2026-03-02T09:00:00+07:00",
         "outcome": "not_home"}
PAY = {"amount": 1000, "method": "cash"}
VSI = {"income": 1500000, "payment_mode": "12_months"}


@pytest.mark.parametrize("url, body, field", [
    ("/api/v1/quotes/hi/price", {"household_id": HUGE}, "household_id"),
    ("/api/v1/quotes/vsi/price", {"person_id": HUGE, **VSI}, "person_id"),
    ("/api/v1/quotes/hi", {"household_id": HUGE}, "household_id"),
    ("/api/v1/quotes/hi", {"household_id": 1, "referred_by_id": HUGE}, "referred_by_id"),
    ("/api/v1/quotes/vsi", {"person_id": HUGE, **VSI}, "person_id"),
    ("/api/v1/quotes/vsi", {"person_id": 1, "referred_by_id": HUGE, **VSI}, "referred_by_id"),
    ("/api/v1/payments/hi", {"household_id": HUGE, **PAY}, "household_id"),
    ("/api/v1/payments/hi", {"household_id": 1, "referred_by_id": HUGE, **PAY}, "referred_by_id"),
    ("/api/v1/payments/vsi", {"person_id": HUGE, **VSI, **PAY}, "person_id"),
    ("/api/v1/payments/vsi", {"person_id": 1, "referred_by_id": HUGE, **VSI, **PAY}, "referred_by_id"),
    ("/api/v1/visits/", {"household_id": HUGE, **VISIT}, "household_id"),
    ("/api/v1/cancellations/", {"receipt_id": HUGE, "reason": "duplicate_cash"}, "receipt_id"),
])
def test_an_id_in_a_body_beyond_the_database_answers_422_naming_the_field(agent, url, body, field):
    from ansinh.collection.models import Payment, Visit
    from ansinh.enrollment.models import HiParticipation, VsiParticipation

    before = [m.objects.count() for m in (HiParticipation, VsiParticipation, Payment, Visit)]
    response = agent.post(url, json.dumps(body), content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert response.status_code == 422, response.content
    body = response.json()
    assert (body["code"], body["message"], body["field"]) == ("invalid", INVALID_INPUT, field)
    assert [e["field"] for e in body["errors"]] == [f"body.payload.{field}"]
    assert [m.objects.count() for m in (HiParticipation, VsiParticipation, Payment, Visit)] == before


@pytest.mark.parametrize("url, body", [
    ("/api/v1/quotes/hi/price", {"household_id": HUGE - 1}),
    ("/api/v1/visits/", {"household_id": HUGE - 1, **VISIT}),
    ("/api/v1/cancellations/", {"receipt_id": HUGE - 1, "reason": "duplicate_cash"}),
])
def test_the_largest_id_in_a_body_is_a_missing_record(agent, url, body):
    response = agent.post(url, json.dumps(body), content_type="application/json")
    assert response.status_code == 404, response.content
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("url", [f"/api/v1/cancellations/{BIG}/approve", f"/api/v1/tokens/{BIG}/revoke"])
def test_an_id_in_a_post_path_beyond_the_database_answers_422(agent, url):
    response = agent.post(url, "{}", content_type="application/json")
    assert response.status_code == 422, response.content
    assert response.json()["field"] in ("pk", "token_id")
