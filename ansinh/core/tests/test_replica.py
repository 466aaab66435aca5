"""The replica router: which reads may go to a streaming replica (``ansinh/core/replica.py``).
The run against a real replica is ``.ci/replica`` (CI, after the PostgreSQL tests)."""

import pytest
from django.test import override_settings

from ansinh.accounts.models import UserRole
from ansinh.campaigns.models import Campaign
from ansinh.core.replica import ReplicaRouter, primary_reads, replica_reads, replica_view
from ansinh.registry.models import Person

TWO = {
    "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"},
    "replica": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"},
}
router = ReplicaRouter()
pytestmark = pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")


def test_unmarked_reads_and_all_writes_stay_on_the_primary():
    with override_settings(DATABASES=TWO):
        assert router.db_for_read(Person) == "default"
        with replica_reads():
            assert router.db_for_write(Person) == "default"


def test_marked_reads_of_campaign_data_go_to_the_replica_but_accounts_never_do():
    with override_settings(DATABASES=TWO), replica_reads():
        assert router.db_for_read(Person) == "replica"
        assert router.db_for_read(Campaign) == "replica"
        assert router.db_for_read(UserRole) == "default"


def test_primary_reads_inside_a_marked_block_win():
    with override_settings(DATABASES=TWO), replica_reads():
        with primary_reads():
            assert router.db_for_read(Person) == "default"
        assert router.db_for_read(Person) == "replica"


def test_without_a_replica_configured_marked_reads_stay_on_the_primary():
    with replica_reads():
        assert router.db_for_read(Person) == "default"


def test_a_view_marked_for_the_replica_reads_there_only_while_it_runs():
    seen = []

    @replica_view
    def view(request):
        seen.append(router.db_for_read(Person))
        return "ok"

    with override_settings(DATABASES=TWO):
        assert view(None) == "ok"
        assert seen == ["replica"]
        assert router.db_for_read(Person) == "default"


def test_migrations_only_on_the_primary():
    assert router.allow_migrate("default", "registry") is True
    assert router.allow_migrate("replica", "registry") is False
