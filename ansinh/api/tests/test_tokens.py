"""Personal API tokens: creation (secret shown once, stored hashed), bearer authentication, refusals
(expired, revoked, deactivated user, unknown) with their exact JSON, rate limits, the pages."""

import datetime
import hashlib

import pytest
from django.core.cache import caches
from django.utils import timezone

from ansinh.api import errors_tokens as E
from ansinh.api.models import ApiToken
from ansinh.api.services import api_token_create, api_token_revoke
from ansinh.core.errors import OutOfScope, PermissionDenied

pytestmark = pytest.mark.django_db
ME = "/api/v1/meta/me"


@pytest.fixture(autouse=True)
def _empty_cache():
    caches["ratelimit"].clear()
    yield
    caches["ratelimit"].clear()


def _bearer(secret):
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _in(days):
    return timezone.localdate() + datetime.timedelta(days=days)


@pytest.fixture
def admin(small_province):
    from ansinh.accounts.services import user_role_assign
    from ansinh.areas.models import AdministrativeUnit, Level, MapVersion
    from django.contrib.auth.models import User

    province = AdministrativeUnit.objects.get(map=MapVersion.NEW, level=Level.PROVINCE, code="92")
    user = User.objects.create_user(username="quan_tri", password="x")
    user_role_assign(user=user, role="province_admin", area=province)
    return User.objects.get(pk=user.pk)


def test_created_token_is_stored_hashed_and_authenticates_its_user(client, small_province):
    agent = small_province.users["thu_1"]
    token, secret = api_token_create(user=agent, name="  Điện thoại   Samsung ", expires_on=_in(30))
    assert token.name == "Điện thoại Samsung"
    assert secret.startswith("as_") and len(secret) > 40
    assert token.prefix == secret[:10]
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {getattr(token, f.attname) for f in ApiToken._meta.fields if isinstance(getattr(token, f.attname), str)}
    assert token.expires_at == timezone.make_aware(datetime.datetime.combine(_in(31), datetime.time.min))
    response = client.get(ME, **_bearer(secret))
    assert response.status_code == 200
    assert response.json()["username"] == "thu_1"
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize("name, expires, message, field", [
    ("", 30, E.TOKEN_NAME_MISSING, "name"),
    ("x" * 101, 30, E.TOKEN_NAME_TOO_LONG, "name"),
    ("a", None, E.TOKEN_EXPIRY_MISSING, "expires_on"),
    ("a", 0, E.TOKEN_EXPIRY_PAST, "expires_on"),
])
def test_token_creation_refusals_name_the_field(small_province, name, expires, message, field):
    with pytest.raises(E.TokenInvalid) as caught:
        api_token_create(user=small_province.users["thu_1"], name=name,
                         expires_on=None if expires is None else _in(expires))
    assert (caught.value.message, caught.value.field) == (message, field)


def test_token_expiry_at_most_365_days(small_province):
    with pytest.raises(E.TokenInvalid) as caught:
        api_token_create(user=small_province.users["thu_1"], name="a", expires_on=_in(366))
    assert caught.value.message == E.TOKEN_EXPIRY_TOO_LATE.format(days=365, last=f"{_in(365):%d/%m/%Y}")
    token, _ = api_token_create(user=small_province.users["thu_1"], name="a", expires_on=_in(365))
    assert token.pk


def _refused(client, secret):
    response = client.get(ME, **_bearer(secret))
    assert response.status_code == 401
    return response.json()


def test_expired_token_answers_401_token_expired(client, small_province):
    token, secret = api_token_create(user=small_province.users["thu_1"], name="a", expires_on=_in(1))
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert _refused(client, secret) == {"code": "token_expired", "message": E.TOKEN_EXPIRED, "field": None}


def test_revoked_token_answers_401_token_revoked(client, small_province):
    user = small_province.users["thu_1"]
    token, secret = api_token_create(user=user, name="a", expires_on=_in(10))
    api_token_revoke(user=user, token=token)
    assert _refused(client, secret) == {"code": "token_revoked", "message": E.TOKEN_REVOKED, "field": None}
    token.refresh_from_db()
    assert token.revoked_by == user
    assert [h.history_type for h in token.history.order_by("history_id")] == ["+", "~"]
    with pytest.raises(E.TokenAlreadyRevoked):
        api_token_revoke(user=user, token=token)


def test_deactivated_users_token_answers_401_user_inactive(client, small_province):
    user = small_province.users["thu_1"]
    _, secret = api_token_create(user=user, name="a", expires_on=_in(10))
    user.is_active = False
    user.save()
    assert _refused(client, secret) == {"code": "user_inactive", "message": E.TOKEN_USER_INACTIVE, "field": None}


def test_unknown_token_answers_401_token_invalid(client, small_province):
    assert _refused(client, "as_not-a-real-token") == {"code": "token_invalid", "message": E.TOKEN_INVALID,
                                                     "field": None}
    assert _refused(client, "garbage") == {"code": "token_invalid", "message": E.TOKEN_INVALID, "field": None}


def test_password_in_basic_auth_is_not_accepted(client, small_province):
    """The API takes no password (so it cannot be used to guess passwords around django-axes)."""
    import base64

    basic = base64.b64encode(b"thu_1:test-pass-123").decode()
    response = client.get(ME, HTTP_AUTHORIZATION=f"Basic {basic}")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_failed_token_attempts_are_limited_per_address(client, small_province, settings):
    settings.ANSINH_API_AUTH_FAILURE_RATE = (3, 900)
    for _ in range(3):
        assert client.get(ME, **_bearer("as_wrong")).status_code == 401
    _, secret = api_token_create(user=small_province.users["thu_1"], name="a", expires_on=_in(10))
    response = client.get(ME, **_bearer(secret))  # even a good token: the address is blocked for the window
    assert response.status_code == 429
    body = response.json()
    assert body["code"] == "rate_limited"
    seconds = int(response["Retry-After"])
    assert body["message"] == E.TOO_MANY_FAILURES.format(seconds=seconds)
    other = client.get(ME, REMOTE_ADDR="10.0.0.9", **_bearer(secret))
    assert other.status_code == 200


def test_token_use_is_limited_per_token(client, small_province, settings):
    settings.ANSINH_API_TOKEN_RATE = (2, 60)
    _, secret = api_token_create(user=small_province.users["thu_1"], name="a", expires_on=_in(10))
    assert [client.get(ME, **_bearer(secret)).status_code for _ in range(3)] == [200, 200, 429]
    response = client.get(ME, **_bearer(secret))
    assert response.json()["message"] == E.TOO_MANY_REQUESTS.format(seconds=int(response["Retry-After"]))


def test_token_user_is_the_history_user_of_a_change(client, small_province):
    """request.user is the token's user (simple-history records who made a change)."""
    from ansinh.api.auth import TokenAuth
    from django.test import RequestFactory

    _, secret = api_token_create(user=small_province.users["thu_1"], name="a", expires_on=_in(10))
    request = RequestFactory().get(ME, **_bearer(secret))
    user = TokenAuth()(request)
    assert request.user == user == small_province.users["thu_1"]


# --- revoking by the administrator ------------------------------------------------------------------

def test_administrator_revokes_a_token_of_their_province(small_province, admin):
    token, _ = api_token_create(user=small_province.users["thu_1"], name="a", expires_on=_in(10))
    api_token_revoke(user=admin, token=token)
    token.refresh_from_db()
    assert token.revoked_by == admin


def test_another_user_cannot_revoke_a_token(small_province):
    token, _ = api_token_create(user=small_province.users["thu_1"], name="a", expires_on=_in(10))
    with pytest.raises(PermissionDenied):
        api_token_revoke(user=small_province.users["thu_2"], token=token)


def test_administrator_of_another_province_cannot_revoke(small_province):
    from ansinh.accounts.services import user_role_assign
    from ansinh.areas.models import AdministrativeUnit, Level, MapVersion
    from django.contrib.auth.models import User

    other = AdministrativeUnit.objects.create(map=MapVersion.NEW, level=Level.PROVINCE, code="99", name="Tỉnh khác")
    stranger = User.objects.create_user(username="qt_khac", password="x")
    user_role_assign(user=stranger, role="province_admin", area=other)
    stranger = User.objects.get(pk=stranger.pk)
    token, _ = api_token_create(user=small_province.users["thu_1"], name="a", expires_on=_in(10))
    with pytest.raises(OutOfScope):
        api_token_revoke(user=stranger, token=token)


# --- pages ------------------------------------------------------------------------------------------

def test_profile_page_creates_a_token_and_shows_the_secret_once(client, small_province):
    client.force_login(small_province.users["thu_1"])
    response = client.post("/tai-khoan/ma-truy-cap/", {"name": "Điện thoại", "expires_on": f"{_in(30):%d/%m/%Y}"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    token = ApiToken.objects.get(user=small_province.users["thu_1"])
    secret = response.context["secret"]
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret in response.content.decode()
    again = client.get("/tai-khoan/ma-truy-cap/").content.decode()
    assert secret not in again and token.prefix in again and "Chưa dùng" in again


def test_profile_page_says_which_field_is_wrong(client, small_province):
    client.force_login(small_province.users["thu_1"])
    response = client.post("/tai-khoan/ma-truy-cap/", {"name": "a", "expires_on": f"{_in(400):%d/%m/%Y}"})
    assert response.status_code == 400
    assert response.context["form"].errors["expires_on"] == [
        E.TOKEN_EXPIRY_TOO_LATE.format(days=365, last=f"{_in(365):%d/%m/%Y}")]
    assert not ApiToken.objects.exists()


def test_profile_page_revokes_own_token_only(client, small_province):
    token, _ = api_token_create(user=small_province.users["thu_1"], name="a", expires_on=_in(10))
    client.force_login(small_province.users["thu_2"])
    assert client.post(f"/tai-khoan/ma-truy-cap/{token.pk}/thu-hoi/").status_code == 404
    client.force_login(small_province.users["thu_1"])
    response = client.post(f"/tai-khoan/ma-truy-cap/{token.pk}/thu-hoi/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_admin_page_lists_and_revokes_tokens_of_the_province(client, small_province, admin):
    token, _ = api_token_create(user=small_province.users["thu_1"], name="Máy tính bảng", expires_on=_in(10))
    client.force_login(admin)
    page = client.get("/quan-tri/ma-truy-cap/")
    assert page.status_code == 200
    assert list(page.context["tokens"]) == [token]
    assert client.post(f"/quan-tri/ma-truy-cap/{token.pk}/thu-hoi/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_by == admin
    client.force_login(small_province.users["thu_1"])
    assert client.get("/quan-tri/ma-truy-cap/").status_code == 403


def test_openapi_describes_session_and_bearer_token(client):
    import json

    doc = json.loads(client.get("/api/v1/openapi.json").content)
    schemes = doc["components"]["securitySchemes"]
    assert {"type": "http", "scheme": "bearer"}.items() <= schemes["TokenAuth"].items()
    assert schemes["SessionAuth"]["in"] == "cookie"
    assert {"SessionAuth": []} in doc["paths"]["/api/v1/tokens/"]["post"]["security"]
    assert {"TokenAuth": []} not in doc["paths"]["/api/v1/tokens/"]["post"]["security"]
