"""What the payment-trail and handover tests share: the amounts the shared vectors give (never copied here),
the Vietnamese thousands, and a province paid once per test module (``paid``)."""

import datetime

import pytest

from ansinh.reports.tests.paid import paid_once_per_module
from ansinh.testing.vectors import vector

HI = vector("hi-2024-5")["expect"]["total"]
HEAD = vector("vsi-poor-12m-3m-income-2024")["expect"]["payable"]
SON = vector("vsi-2024-floor-other")["expect"]["payable"]
D = datetime.date


def num(amount: int) -> str:
    """1234567 -> '1.234.567' (Vietnamese thousands)."""
    return f"{amount:,}".replace(",", ".")


@pytest.fixture(scope="module")
def _paid_module(django_db_setup, django_db_blocker):
    yield from paid_once_per_module(django_db_blocker)


@pytest.fixture
def paid(_paid_module, db):
    return _paid_module
