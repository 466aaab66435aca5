"""Registry endpoints: households and people in the caller's scope (the pages' rules), accent-insensitive
search, masking, pagination; the device sync with its cursor and removals."""

import datetime

import pytest
from django.utils import timezone

from ansinh.registry.models import Household, HouseholdMember, Membership

pytestmark = pytest.mark.django_db
SYNC = "/api/v1/registry/sync"


def _login(client, small_province, username):
    client.force_login(small_province.users[username])
    return client


def _codes(response):
    return [h["code"] for h in response.json()["items"]]


@pytest.mark.parametrize("username, codes", [
    ("thu_1", ["HG-0001"]), ("thu_2", ["HG-0002"]), ("chi_hoi", ["HG-0001"]),
    ("bhxh_huyen", ["HG-0001"]), ("bhxh_tinh", ["HG-0001", "HG-0002"]), ("hoi_tinh", ["HG-0001", "HG-0002"]),
])
def test_households_are_those_of_the_callers_scope(client, small_province, username, codes):
    response = _login(client, small_province, username).get("/api/v1/registry/households")
    assert response.status_code == 200
    assert _codes(response) == codes
    assert response.json()["count"] == len(codes)


def test_household_list_item_is_masked_like_the_page(client, small_province):
    item = _login(client, small_province, "thu_1").get("/api/v1/registry/households").json()["items"][0]
    assert item == {"id": small_province.household.pk, "code": "HG-0001", "commune_id": small_province.commune.pk,
                    "commune_name": small_province.commune.name, "hamlet": "", "address": "",
                    "poverty_status": "other", "agent_code": "NVT001", "head_name": "Nguyễn Văn An",
                    "head_citizen_id": "********0001"}


@pytest.mark.parametrize("query, codes", [("nguyen van an", ["HG-0001"]), ("NGUYỄN", ["HG-0001"]),
                                          ("dung", ["HG-0002"]), ("HG-0002", ["HG-0002"]), ("zzz", [])])
def test_household_search_ignores_accents(client, small_province, query, codes):
    response = _login(client, small_province, "bhxh_tinh").get("/api/v1/registry/households", {"q": query})
    assert _codes(response) == codes


def test_households_are_paginated_the_ninja_way(client, small_province):
    response = _login(client, small_province, "bhxh_tinh").get("/api/v1/registry/households",
                                                              {"page": 2, "page_size": 1})
    assert response.json()["count"] == 2
    assert _codes(response) == ["HG-0002"]


def test_people_search_without_accents_and_masked(client, small_province):
    body = _login(client, small_province, "thu_1").get("/api/v1/registry/people", {"q": "binh"}).json()
    assert body["count"] == 1
    person = body["items"][0]
    assert (person["full_name"], person["citizen_id"], person["relationship"], person["household_id"]) == (
        "Trần Thị Bình", "********0002", "spouse", small_province.household.pk)


def test_people_of_another_agent_are_not_listed(client, small_province):
    body = _login(client, small_province, "thu_2").get("/api/v1/registry/people").json()
    assert [p["full_name"] for p in body["items"]] == ["Phạm Văn Dũng"]


def test_household_detail_has_members_head_first_and_card_dates(client, small_province):
    from ansinh.enrollment.models import HiMemberCoverage, HiParticipation

    household = small_province.household
    head = household.members.get(relationship="head").person
    participation = HiParticipation.objects.create(household=household, commune=household.commune, months=12,
                                                   priced_on=datetime.date(2026, 1, 5), total=1, state_support=0,
                                                   payable=1, quote={}, status="paid")
    HiMemberCoverage.objects.create(participation=participation, person=head, rank=1, share_pct=100, amount=1,
                                    payable=1, valid_from=datetime.date(2026, 2, 4), valid_to=datetime.date(2027, 2, 3))
    body = _login(client, small_province, "thu_1").get(f"/api/v1/registry/households/{household.pk}").json()
    assert [m["full_name"] for m in body["members"]] == ["Nguyễn Văn An", "Trần Thị Bình", "Nguyễn Văn Cường"]
    assert body["members"][0]["hi_card"] == {"valid_from": "2026-02-04", "valid_to": "2027-02-03"}
    assert body["members"][1]["hi_card"] is None
    assert body["members"][0]["date_of_birth"] == "1970-03-05"


# --- sync -------------------------------------------------------------------------------------------

def _sync(client, cursor=None, **params):
    if cursor:
        params["changed_since"] = cursor
    response = client.get(SYNC, params)
    assert response.status_code == 200, response.content
    return response.json()


def _rewind(cursor: str, minutes: int = 5) -> str:
    """The cursor as if the previous sync had been ``minutes`` earlier (changes made in the test come after
    it, beyond the overlap)."""
    from ansinh.api.selectors_registry import cursor_decode, cursor_encode

    since, until, after = cursor_decode(cursor)
    return cursor_encode(since=since - datetime.timedelta(minutes=minutes), until=until, after=after)


def _age_history(minutes: int = 10):
    """Move every history record ``minutes`` into the past (the setup happened "before the last sync")."""
    from ansinh.accounts.models import UserRole
    from ansinh.registry.models import Person

    then = timezone.now() - datetime.timedelta(minutes=minutes)
    for model in (Household, HouseholdMember, Person, Membership, UserRole):
        model.history.update(history_date=then)


def test_first_sync_sends_every_household_with_members(client, small_province):
    body = _sync(_login(client, small_province, "thu_1"))
    assert [h["code"] for h in body["households"]] == ["HG-0001"]
    assert len(body["households"][0]["members"]) == 3
    assert (body["removed_households"], body["removed_members"], body["has_more"], body["reset"]) == ([], [], False,
                                                                                                      False)


def test_sync_pages_follow_the_cursor(client, small_province):
    _login(client, small_province, "bhxh_tinh")
    first = _sync(client, limit=1)
    assert ([h["code"] for h in first["households"]], first["has_more"]) == (["HG-0001"], True)
    second = _sync(client, first["next_cursor"], limit=1)
    assert ([h["code"] for h in second["households"]], second["has_more"]) == (["HG-0002"], False)


def test_incremental_sync_sends_only_changes(client, small_province):
    _login(client, small_province, "bhxh_tinh")
    _age_history()
    cursor = _rewind(_sync(client)["next_cursor"])
    assert _sync(client, cursor)["households"] == []
    other = small_province.other_household
    other.address = "Số 5, ấp 2"
    other.save()
    body = _sync(client, cursor)
    assert [(h["code"], h["address"]) for h in body["households"]] == [("HG-0002", "Số 5, ấp 2")]


def test_member_who_left_is_a_removal(client, small_province):
    _login(client, small_province, "thu_1")
    _age_history()
    cursor = _rewind(_sync(client)["next_cursor"])
    son = HouseholdMember.objects.get(person__full_name="Nguyễn Văn Cường")
    son.household = small_province.other_household
    son.save()
    body = _sync(client, cursor)
    assert [h["code"] for h in body["households"]] == ["HG-0001"]
    assert [m["full_name"] for m in body["households"][0]["members"]] == ["Nguyễn Văn An", "Trần Thị Bình"]
    assert body["removed_members"] == [{"household_id": small_province.household.pk, "person_id": son.person_id}]
    assert body["removed_households"] == []  # the other household is not the agent's: not disclosed


def test_household_out_of_scope_since_is_a_removal(client, small_province):
    _login(client, small_province, "thu_1")
    _age_history()
    cursor = _rewind(_sync(client)["next_cursor"])
    household = small_province.household
    household.agent = small_province.other_agent
    household.save()
    body = _sync(client, cursor)
    assert (body["households"], body["removed_households"]) == ([], [household.pk])
    gained = _sync(_login(client, small_province, "thu_2"), cursor)
    assert [h["code"] for h in gained["households"]] == ["HG-0001"]


def test_deleted_household_is_a_removal(client, small_province):
    _login(client, small_province, "bhxh_tinh")
    _age_history()
    cursor = _rewind(_sync(client)["next_cursor"])
    pk = small_province.other_household.pk
    small_province.other_household.members.all().delete()
    Household.objects.filter(pk=pk).get().delete()
    body = _sync(client, cursor)
    assert body["removed_households"] == [pk]


def test_leader_loses_a_household_when_the_member_leaves_the_unit(client, small_province):
    _login(client, small_province, "chi_hoi")
    _age_history()
    cursor = _rewind(_sync(client)["next_cursor"])
    for membership in Membership.objects.filter(unit=small_province.branch):
        membership.delete()
    body = _sync(client, cursor)
    assert body["removed_households"] == [small_province.household.pk]


def test_a_new_card_is_a_change(client, small_province):
    from ansinh.collection.models import Payment
    from ansinh.enrollment.models import HiParticipation

    _login(client, small_province, "thu_1")
    _age_history()
    cursor = _rewind(_sync(client)["next_cursor"])
    household = small_province.household
    participation = HiParticipation.objects.create(household=household, commune=household.commune, months=12,
                                                   priced_on=timezone.localdate(), total=1, state_support=0,
                                                   payable=1, quote={}, status="paid")
    Payment.objects.create(idempotency_key="k1", hi=participation, amount=1, method="cash",
                           paid_on=timezone.localdate())
    assert [h["code"] for h in _sync(client, cursor)["households"]] == ["HG-0001"]


def test_scope_change_of_the_caller_asks_for_a_reset(client, small_province):
    from ansinh.accounts.services import user_role_assign

    _login(client, small_province, "bhxh_huyen")
    _age_history()
    cursor = _rewind(_sync(client)["next_cursor"])
    user_role_assign(user=small_province.users["bhxh_huyen"], role="si_officer", area=small_province.other_district)
    body = _sync(client, cursor)
    assert body["reset"] is True
    assert [h["code"] for h in body["households"]] == ["HG-0002"]


@pytest.mark.parametrize("cursor", ["xx", "e30", "eyJzIjoiYSIsInUiOm51bGwsImEiOjB9", "!!!"])
def test_bad_cursor_answers_400_naming_the_field(client, small_province, cursor):
    from ansinh.api.selectors_registry import CURSOR_INVALID

    response = _login(client, small_province, "thu_1").get(SYNC, {"changed_since": cursor})
    assert response.status_code == 400
    assert response.json() == {"code": "cursor_invalid", "message": CURSOR_INVALID, "field": "changed_since"}
