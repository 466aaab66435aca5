"""Two officers editing the same person or household at once (PostgreSQL: real parallel transactions):
one wins, the other gets ChangedMeanwhile with a clear message, nothing half-written."""

import threading

import pytest
from django.db import connection, connections

from ansinh.registry import errors_people as e
from ansinh.registry.models import Household, Person, Relationship
from ansinh.registry.services_people import household_head_change, person_update, person_version

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="parallel writes need PostgreSQL")


def _race(jobs):
    barrier = threading.Barrier(len(jobs))
    results, failures = [], []

    def run(job):
        try:
            barrier.wait()
            results.append(job())
        except Exception as exc:  # asserted by the caller
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, failures


def test_two_officers_edit_the_same_person_at_once(transactional_db):
    from ansinh.testing.province import small_province_build

    p = small_province_build()
    wife = Person.objects.get(citizen_id="093172000002")
    seen = person_version(wife)
    phones = {"bhxh_tinh": "0911111111", "hoi_tinh": "0922222222"}
    results, failures = _race([
        lambda u=u, phone=phone: person_update(user=p.users[u], person=Person.objects.get(pk=wife.pk), phone=phone,
                                               version=seen)
        for u, phone in phones.items()])
    assert len(results) == 1 and [type(f) for f in failures] == [e.ChangedMeanwhile]
    assert failures[0].message == "Hồ sơ vừa được người khác thay đổi; hãy tải lại trang rồi làm lại."
    wife.refresh_from_db()
    assert wife.phone == results[0].subject.phone
    assert wife.history.count() == 2  # created + the one edit that won


def test_two_officers_change_the_head_of_the_same_household_at_once(transactional_db):
    from ansinh.testing.province import small_province_build

    p = small_province_build()
    household = Household.objects.get(code="HG-0001")
    head = household.members.get(relationship=Relationship.HEAD).person_id
    wife = Person.objects.get(citizen_id="093172000002")
    son = Person.objects.get(citizen_id="093200000003")
    results, failures = _race([
        lambda u=u, new=new: household_head_change(user=p.users[u], household=household, new_head=new,
                                                   old_head_relationship="spouse" if new == son else "other",
                                                   expected_head_id=head)
        for u, new in (("bhxh_tinh", wife), ("hoi_tinh", son))])
    assert len(results) == 1 and [type(f) for f in failures] == [e.ChangedMeanwhile]
    heads = list(household.members.filter(relationship=Relationship.HEAD).values_list("person_id", flat=True))
    assert len(heads) == 1 and heads[0] in (wife.pk, son.pk)
