"""Speed (issue 16): the leaders board is kept in the cache under a version of everything it reads, so a
repeated request reads a few queries and a payment, a reversal, a leadership change or a member moving
household shows on the very next request (never a stale figure)."""

import datetime

import pytest

from ansinh.campaigns.leaders import leaders_board
from ansinh.registry.services import leader_change
from ansinh.registry.services_people import household_member_move
from ansinh.registry.tests.unit_fixtures import province_admin_make
from ansinh.testing.province import PASSWORD

from .factories import reverse, vsi_paid

D = datetime.date
ON = D(2024, 12, 31)


def figures(data):
    board = leaders_board(campaign=data.campaign, on=ON)
    return [(r.leader.full_name if r.leader else None, r.joined_vsi, r.joined_hi, r.relatives, r.members_brought,
             r.others, r.members, r.members_covered) for r in board["rows"]], board["totals"]


@pytest.fixture
def members(small_province):
    return {m.relationship: m.person for m in small_province.household.members.select_related("person")}


BEFORE = ([("Nguyễn Văn An", D(2024, 5, 20), D(2024, 5, 20), 1, 0, 0, 2, 2)],
          {"units": 1, "leaders": 1, "leaders_vsi": 1, "leaders_hi": 1, "brought": 1})


def test_a_repeated_board_comes_from_the_cache_in_a_few_queries(data, django_assert_max_num_queries):
    assert figures(data) == BEFORE
    with django_assert_max_num_queries(5):  # facts bookkeeping (4) and the data version (1)
        assert figures(data) == BEFORE


def test_a_payment_shows_on_the_next_board(data, small_province, members):
    assert figures(data) == BEFORE
    vsi_paid(small_province.users["thu_1"], members["child"], D(2024, 8, 1), referred_by=members["head"])
    rows, totals = figures(data)
    assert rows == [("Nguyễn Văn An", D(2024, 5, 20), D(2024, 5, 20), 2, 0, 0, 2, 2)]
    assert totals["brought"] == 2


def test_a_reversal_shows_on_the_next_board(data, small_province):
    assert figures(data) == BEFORE
    reverse(small_province.users["thu_1"], data.vsi_wife.payments.get(), D(2024, 6, 12))
    rows, totals = figures(data)
    # the wife is no longer brought in by VSI; she keeps her HI card (so stays covered)
    assert rows == [("Nguyễn Văn An", D(2024, 5, 20), D(2024, 5, 20), 0, 0, 0, 2, 2)]
    assert totals["brought"] == 0


def test_a_leadership_change_shows_on_the_next_board(data, small_province, members):
    assert figures(data) == BEFORE
    leader_change(user=province_admin_make(), unit=small_province.branch, person=members["spouse"],
                  starts_on=D(2024, 9, 1))
    rows, totals = figures(data)
    assert rows == [("Trần Thị Bình", D(2024, 6, 10), D(2024, 5, 20), 0, 0, 0, 2, 2)]
    assert totals == {"units": 1, "leaders": 1, "leaders_vsi": 1, "leaders_hi": 1, "brought": 0}


def test_a_member_moving_household_shows_on_the_next_board(data, small_province, members):
    assert figures(data) == BEFORE
    household_member_move(user=small_province.users["bhxh_tinh"], person=members["spouse"],
                          to_household=small_province.other_household, on=D(2026, 1, 10))
    rows, _ = figures(data)
    # the wife, referred by the leader, is now a branch member outside his household
    assert rows == [("Nguyễn Văn An", D(2024, 5, 20), D(2024, 5, 20), 0, 1, 0, 2, 2)]


def test_the_page_shows_a_payment_made_after_it_was_cached(data, small_province, members, client):
    client.login(username="bhxh_tinh", password=PASSWORD)
    url = f"/tien-do/can-bo/?campaign={data.campaign.code}&on=2024-12-31"
    assert client.get(url).context["board"]["totals"]["brought"] == 1
    assert client.get(url).context["board"]["totals"]["brought"] == 1
    vsi_paid(small_province.users["thu_1"], members["child"], D(2024, 8, 1), referred_by=members["head"])
    assert client.get(url).context["board"]["totals"]["brought"] == 2
