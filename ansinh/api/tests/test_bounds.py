"""Query and path values beyond what the database holds (ids ≥ 2^63, huge pages and offsets, dates in year
1) are refused with 422 naming the parameter, never a server error; page sizes above 500 are refused."""

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
