"""Parallel "giao hộ" posts of the same households to the same agent write each assignment once: the
households are locked in id order, so the later posts see them already assigned. Runs on PostgreSQL,
where requests really run in parallel; SQLite serialises writers."""

import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from ansinh.collection.models import HouseholdAssignment
from ansinh.collection.services_structure import (AssignResult, agent_catchment_set, agent_create,
                                                  collection_org_create, households_assign_by_area)
from ansinh.registry.models import Household
from ansinh.testing.admin import new_communes, province_admin_make

PARALLEL = 3

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="parallel writes need PostgreSQL")


def test_three_parallel_area_posts_write_each_assignment_once(transactional_db):
    from ansinh.testing.province import small_province_build

    small_province_build()
    admin = province_admin_make()
    commune = new_communes()[0]
    org = collection_org_create(user=admin, code="BDCT", name="Bưu điện", kind="post_office",
                                valid_from=timezone.localdate())
    agent = agent_create(user=admin, org=org, code="CT001", full_name="Võ Thị Lan")
    agent_catchment_set(user=admin, agent=agent, communes=[commune])
    for i in range(5):
        Household.objects.create(code=f"HO{i:03d}", commune=commune, hamlet="Ấp 1")
    today = timezone.localdate()
    barrier = threading.Barrier(PARALLEL)
    results, errors = [], []

    def worker():
        try:
            barrier.wait()
            results.append(households_assign_by_area(user=admin, agent=agent, commune=commune, hamlet="Ấp 1",
                                                     starts_on=today))
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(PARALLEL)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(results, key=lambda r: -r.assigned) == [AssignResult(5, 0), AssignResult(0, 5), AssignResult(0, 5)]
    assert HouseholdAssignment.objects.filter(household__hamlet="Ấp 1").count() == 5
    assert Household.objects.filter(hamlet="Ấp 1", agent=agent).count() == 5
