"""Bad input anywhere in the API: the right 4xx with the JSON error {code, message, field}, nothing
written, never HTML or a stack trace."""

import datetime
import json

import pytest
from django.test import Client
from django.utils import timezone

from ansinh.api.errors import INVALID_INPUT, MALFORMED_JSON, NOT_FOUND
from ansinh.api.middleware import BODY_TOO_LARGE, LENGTH_INVALID, STATUS_ERRORS
from ansinh.api.models import ApiToken

pytestmark = pytest.mark.django_db
TOKENS = "/api/v1/tokens/"


@pytest.fixture
def agent_client(client, small_province):
    client.force_login(small_province.users["thu_1"])
    return client


def _later():
    return (timezone.localdate() + datetime.timedelta(days=30)).isoformat()


def _post(client, body, **extra):
    return client.post(TOKENS, data=body, content_type="application/json", **extra)


def test_a_good_body_creates_a_token(agent_client):
    response = _post(agent_client, json.dumps({"name": "Điện thoại", "expires_on": _later()}))
    assert response.status_code == 201
    assert response.json()["secret"].startswith("as_")
    assert ApiToken.objects.count() == 1


@pytest.mark.parametrize("body", ["{bad", '{"name": "a",', "\xff\xfe", "nul"])
def test_malformed_json_answers_400(agent_client, body):
    response = _post(agent_client, body)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == {"code": "malformed_json", "message": MALFORMED_JSON, "field": None}
    assert not ApiToken.objects.exists()


def test_wrong_types_answer_422_naming_the_field(agent_client):
    response = _post(agent_client, json.dumps({"name": ["a"], "expires_on": "mai"}))
    assert response.status_code == 422
    assert response.json() == {
        "code": "invalid", "message": INVALID_INPUT, "field": "name",
        "errors": [{"field": "body.payload.name", "type": "string_type"},
                   {"field": "body.payload.expires_on", "type": "date_from_datetime_parsing"}],
    }
    assert not ApiToken.objects.exists()


def test_a_body_that_is_not_an_object_answers_422(agent_client):
    response = _post(agent_client, "[1, 2]")
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"


def test_unknown_field_is_refused_with_422(agent_client):
    response = _post(agent_client, json.dumps({"name": "a", "expires_on": _later(), "is_admin": True}))
    assert response.status_code == 422
    assert response.json() == {"code": "invalid", "message": INVALID_INPUT, "field": "is_admin",
                               "errors": [{"field": "body.payload.is_admin", "type": "extra_forbidden"}]}
    assert not ApiToken.objects.exists()


def test_domain_refusal_answers_400_with_vietnamese_message_and_field(agent_client):
    from ansinh.api.errors_tokens import TOKEN_EXPIRY_PAST

    response = _post(agent_client, json.dumps({"name": "a", "expires_on": timezone.localdate().isoformat()}))
    assert response.status_code == 400
    assert response.json() == {"code": "token_invalid", "message": TOKEN_EXPIRY_PAST, "field": "expires_on"}


def test_huge_body_is_refused_with_413_before_reading(agent_client, settings):
    settings.ANSINH_API_MAX_BODY_BYTES = 1_000_000
    body = json.dumps({"name": "a" * 1_000_000, "expires_on": _later()})
    response = _post(agent_client, body)
    assert response.status_code == 413
    assert response.json() == {"code": "body_too_large", "message": BODY_TOO_LARGE.format(limit=1_000_000),
                               "field": None}
    assert not ApiToken.objects.exists()


def test_invalid_content_length_answers_400(agent_client):
    response = agent_client.get("/api/v1/meta/me", CONTENT_LENGTH="abc")
    assert response.status_code == 400
    assert response.json() == {"code": "bad_request", "message": LENGTH_INVALID, "field": None}


def test_unknown_api_path_answers_json_404(agent_client):
    response = agent_client.get("/api/v1/khong-co/")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": STATUS_ERRORS[404][1], "field": None}


def test_wrong_method_answers_json_405_with_allow(agent_client):
    response = agent_client.delete("/api/v1/meta/me")
    assert response.status_code == 405
    assert response.json() == {"code": "method_not_allowed", "message": STATUS_ERRORS[405][1], "field": None}
    assert response["Allow"] == "GET"


def test_server_error_answers_json_500_without_trace(small_province, monkeypatch):
    from ansinh.api.routers import registry

    def broken(**kwargs):
        raise RuntimeError("secret detail")

    monkeypatch.setattr(registry, "households_search", broken)
    client = Client(raise_request_exception=False)
    client.force_login(small_province.users["thu_1"])
    response = client.get("/api/v1/registry/households")
    assert response.status_code == 500
    assert response.json() == {"code": "server_error", "message": STATUS_ERRORS[500][1], "field": None}
    assert b"secret detail" not in response.content


def test_another_areas_household_answers_404_like_a_missing_one(agent_client, small_province):
    other = agent_client.get(f"/api/v1/registry/households/{small_province.other_household.pk}")
    missing = agent_client.get("/api/v1/registry/households/999999")
    assert other.status_code == missing.status_code == 404
    assert other.json() == missing.json() == {"code": "not_found", "message": NOT_FOUND, "field": None}


def test_another_areas_person_answers_404(agent_client, small_province):
    person = small_province.other_household.members.get().person
    response = agent_client.get(f"/api/v1/registry/people/{person.pk}")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": NOT_FOUND, "field": None}


def test_another_users_token_cannot_be_revoked(agent_client, small_province):
    from ansinh.api.services import api_token_create

    token, _ = api_token_create(user=small_province.users["thu_2"], name="a",
                                expires_on=timezone.localdate() + datetime.timedelta(days=5))
    response = agent_client.post(f"{TOKENS}{token.pk}/revoke")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": NOT_FOUND, "field": None}
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_token_cannot_create_tokens(client, small_province):
    from ansinh.api.services import api_token_create

    _, secret = api_token_create(user=small_province.users["thu_1"], name="a",
                                 expires_on=timezone.localdate() + datetime.timedelta(days=5))
    response = client.post(TOKENS, data=json.dumps({"name": "b", "expires_on": _later()}),
                           content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 401
    assert ApiToken.objects.count() == 1
