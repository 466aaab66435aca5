"""Writes with a personal token need no CSRF token (there is no session to forge); writes with the browser
session still do, and a missing CSRF token is refused with the API's JSON error in Vietnamese."""

import datetime
import json
import uuid

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.crypto import get_random_string

from ansinh.api.errors_tokens import CSRF_FAILED
from ansinh.api.services import api_token_create
from ansinh.collection.models import Payment, Receipt, Visit
from ansinh.enrollment.models import HiParticipation
from ansinh.enrollment.services import hi_enroll

pytestmark = pytest.mark.django_db

CSRF_REFUSED = {"code": "csrf_failed", "message": CSRF_FAILED, "field": None}


@pytest.fixture
def bearer(small_province):
    _, secret = api_token_create(user=small_province.users["thu_1"], name="Điện thoại",
                                 expires_on=timezone.localdate() + datetime.timedelta(days=5))
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def strict():
    return Client(enforce_csrf_checks=True)


def post(client, url, body, **headers):
    return client.post(url, json.dumps(body), content_type="application/json", headers=headers)


def visit(sp):
    return {"client_uuid": str(uuid.uuid4()), "household_id": sp.household.pk,
            "visited_at": "2024-05-25T09:30:00+07:00", "outcome": "not_home"}


def test_a_bearer_token_writes_without_a_csrf_token(strict, small_province, bearer):
    saved = post(strict, "/api/v1/quotes/hi", {"household_id": small_province.household.pk, "months": 12}, **bearer)
    assert saved.status_code == 201
    quote = HiParticipation.objects.get()
    assert saved.json()["id"] == quote.pk
    paid = post(strict, f"/api/v1/payments/quotes/hi/{quote.pk}", {"amount": quote.payable},
                **bearer, **{"Idempotency-Key": "k-1"})
    assert paid.status_code == 201
    assert paid.json()["payment_id"] == Payment.objects.get().pk
    visited = post(strict, "/api/v1/visits/", visit(small_province), **bearer)
    assert visited.status_code == 201
    assert visited.json()["id"] == Visit.objects.get().pk


def test_a_session_write_without_the_csrf_token_is_refused_in_vietnamese(strict, small_province):
    quote = hi_enroll(user=small_province.users["thu_1"], household=small_province.household, months=12,
                      on=timezone.localdate())
    strict.force_login(small_province.users["thu_1"])
    for url, body, headers in [
        (f"/api/v1/payments/quotes/hi/{quote.pk}", {"amount": quote.payable}, {"Idempotency-Key": "k-2"}),
        ("/api/v1/quotes/hi", {"household_id": small_province.household.pk, "months": 12}, {}),
        ("/api/v1/visits/", visit(small_province), {}),
        ("/api/v1/tokens/", {"name": "a", "expires_on": "2099-01-01"}, {}),
    ]:
        response = post(strict, url, body, **headers)
        assert response.status_code == 403, url
        assert response.json() == CSRF_REFUSED
    assert not Payment.objects.exists() and not Receipt.objects.exists() and not Visit.objects.exists()
    assert HiParticipation.objects.count() == 1


def test_a_session_write_with_the_csrf_token_passes(strict, small_province):
    strict.force_login(small_province.users["thu_1"])
    csrf = get_random_string(32)
    strict.cookies["csrftoken"] = csrf
    response = post(strict, "/api/v1/visits/", visit(small_province), **{"X-CSRFToken": csrf})
    assert response.status_code == 201
    assert response.json()["id"] == Visit.objects.get().pk


def test_a_session_read_needs_no_csrf_token_and_no_credentials_answer_401(strict, small_province):
    assert strict.get("/api/v1/registry/households").status_code == 401
    assert strict.post("/api/v1/visits/", "{}", content_type="application/json").json()["code"] == "not_authenticated"
    strict.force_login(small_province.users["thu_1"])
    assert strict.get("/api/v1/registry/households").status_code == 200
