"""The API's rate limits count in a cache that every process and machine shares (``CACHES["ratelimit"]``,
by default the database table ``ansinh_ratelimit``): a process that starts afresh, with none of the other's
memory, continues the same count. A per-process cache would start again from zero (shown with "local")."""

import datetime

import pytest
from django.core.cache import caches
from django.core.cache.backends import locmem
from django.core.cache.backends.db import DatabaseCache
from django.db import connection
from django.utils import timezone

from ansinh.api import services
from ansinh.api.services import api_token_create

pytestmark = pytest.mark.django_db
ME = "/api/v1/meta/me"
LOCAL = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ansinh-ratelimit"}


def _as_a_new_process():
    """Forget everything this process holds of the rate-limit cache: its cache object (a new one is made
    from the settings at the next use) and the memory of every local-memory cache."""
    try:
        del caches["ratelimit"]
    except AttributeError:  # not used yet by this process
        pass
    locmem._caches.clear()
    locmem._expire_info.clear()
    locmem._locks.clear()


@pytest.fixture
def token(small_province, settings):
    settings.ANSINH_API_TOKEN_RATE = (2, 86400)  # one window for the whole test
    _, secret = api_token_create(user=small_province.users["thu_1"], name="a",
                                 expires_on=timezone.localdate() + datetime.timedelta(days=10))
    yield {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    _as_a_new_process()


def test_the_rate_limit_cache_is_the_database_table_made_by_migrate():
    cache = caches["ratelimit"]
    assert isinstance(cache, DatabaseCache)
    assert cache._table == "ansinh_ratelimit"
    assert "ansinh_ratelimit" in connection.introspection.table_names()


def test_two_cache_clients_share_one_counter(db):
    first = caches.create_connection("ratelimit")
    second = caches.create_connection("ratelimit")
    assert first is not second
    assert services._window_count("token:77", 3600) == 1
    _as_a_new_process()
    assert services._window_count("token:77", 3600) == 2
    assert first.get(f"ansinh-api:token:77:{int(timezone.now().timestamp()) // 3600}") == 2
    assert second.incr(f"ansinh-api:token:77:{int(timezone.now().timestamp()) // 3600}") == 3
    _as_a_new_process()
    assert services._window_count("token:77", 3600, add=False) == 3


def test_a_token_limit_holds_across_processes(client, token):
    assert client.get(ME, **token).status_code == 200
    _as_a_new_process()
    assert client.get(ME, **token).status_code == 200
    _as_a_new_process()
    response = client.get(ME, **token)
    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited"


def test_a_per_process_cache_would_forget_the_count(client, token, settings):
    """Why the limits need the shared cache: with "local", each new process counts from zero."""
    settings.CACHES = {**settings.CACHES, "ratelimit": LOCAL}
    _as_a_new_process()
    statuses = []
    for _ in range(3):
        statuses.append(client.get(ME, **token).status_code)
        _as_a_new_process()
    assert statuses == [200, 200, 200]
