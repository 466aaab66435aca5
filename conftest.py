"""Shared pytest fixtures."""

import pytest


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the real map once per test session: every test's transaction starts from it (tests on
    transactional_db flush it; small_province_build loads it again there)."""
    from ansinh.areas.services import areas_load

    with django_db_blocker.unblock():
        areas_load(old_province_code=93, new_province_code=92)


@pytest.fixture
def small_province(db):
    """The test province of ansinh.testing.province (real map, users of every role, two households)."""
    from ansinh.testing.province import small_province_build

    return small_province_build()


@pytest.fixture(autouse=True)
def _fresh_scope_cache():
    """Each test's map and users live in its own transaction: forget scopes and permissions cached by an
    earlier test; empty the default cache too (the leaders board is kept there under ids that a later
    test's rolled-back database can reuse)."""
    from django.core.cache import cache

    from ansinh.accounts.backends import permission_cache_clear
    from ansinh.accounts.services import scope_cache_clear

    scope_cache_clear()
    permission_cache_clear()
    cache.clear()
    yield
    scope_cache_clear()
    permission_cache_clear()
    cache.clear()


@pytest.fixture(autouse=True)
def _no_sign_in_throttling(settings):
    """The test client signs in without a request, which django-axes refuses; the throttling has its own
    tests (``accounts/tests/test_throttling.py``) that switch it back on."""
    settings.AXES_ENABLED = False


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Tests log users in often; a fast hasher keeps the suite quick (production keeps PBKDF2)."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]


@pytest.fixture(autouse=True)
def _no_live_formulas(monkeypatch):
    """Every workbook a test makes An Sinh write is scanned: any formula cell fails the test (user text
    such as ``=HYPERLINK(…)`` must come back as text; see ``ansinh.core.xlsx``)."""
    from openpyxl.workbook.workbook import Workbook

    from ansinh.testing.xlsx_guard import guarded_save

    monkeypatch.setattr(Workbook, "save", guarded_save(Workbook.save))


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    """Background jobs run at once, inside the test's transaction (Django's ImmediateBackend); the tests of
    the queue itself (``ansinh/jobs/tests``) switch back to the database backend."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
