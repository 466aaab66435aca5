"""Fixtures of the messaging tests: the paid province (built once per module) and a local stub gateway."""

import pytest

from ansinh.messaging.stub import StubGateway
from ansinh.reports.tests.paid import paid_once_per_module

SECRET = "webhook-test-secret"


@pytest.fixture(scope="module")
def _paid_module(django_db_setup, django_db_blocker):
    yield from paid_once_per_module(django_db_blocker)


@pytest.fixture
def paid(_paid_module, db):
    return _paid_module


@pytest.fixture
def stub(settings):
    """A stub SMS/ZNS gateway on 127.0.0.1 with a random port; the settings point both channels at it with a
    0.3 s timeout (the stub's "timeout" answers after 1 s)."""
    gateway = StubGateway(slow_seconds=1.0).start()
    settings.MESSAGING_GATEWAYS = {
        "sms": {"url": gateway.url + "/sms", "key": "sms-key", "brandname": "BHXH", "timeout": 0.3},
        "zalo": {"url": gateway.url + "/zns", "access_token": "zalo-token", "timeout": 0.3},
        "email": {"from": "nhac-han@ansinh.test"},
    }
    settings.MESSAGING_WEBHOOK_SECRET = SECRET
    settings.MESSAGING_BACKOFF_SECONDS = 60
    settings.MESSAGING_MAX_ATTEMPTS = 3
    settings.MESSAGING_PUBLIC_URL = "https://ansinh.example.vn"
    yield gateway
    gateway.stop()
