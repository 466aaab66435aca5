"""A NUL character (which PostgreSQL cannot store or compare) in a query parameter or a JSON string is
refused with 422 naming the field, before any view or the database sees it."""

import json

import pytest

from ansinh.api.errors import INVALID_INPUT
from ansinh.api.middleware import NUL_REFUSED
from ansinh.collection.models import Visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent(client, small_province):
    client.force_login(small_province.users["thu_1"])
    return client


def refused(field):
    return {"code": "invalid", "message": INVALID_INPUT, "field": field,
            "errors": [{"field": field, "type": "nul_character", "message": NUL_REFUSED}]}


def test_nul_in_a_search_string_is_refused(agent):
    response = agent.get("/api/v1/registry/households?q=HG%00")
    assert response.status_code == 422
    assert response.json() == refused("q")


def test_nul_in_a_text_field_is_refused_and_nothing_written(agent, small_province):
    body = {"client_uuid": "6f1c3a2e-8a39-4c4c-9f5e-0a8d1f0b7c11", "household_id": small_province.household.pk,
            "visited_at": "2024-05-25T09:30:00+07:00", "outcome": "not_home", "note": "Hẹn\x00mai"}
    response = agent.post("/api/v1/visits/", json.dumps(body), content_type="application/json")
    assert response.status_code == 422
    assert response.json() == refused("note")
    assert not Visit.objects.exists()
