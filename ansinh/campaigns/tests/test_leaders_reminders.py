"""Leaders first (the board and its rankings) and reminders for agents and leaders."""

import datetime

from ansinh.campaigns.leaders import leaders_board
from ansinh.campaigns.reminders import reminders_for
from ansinh.enrollment.models import HiMemberCoverage

from .factories import LAUNCH


def test_the_branch_leader_joined_both_and_brought_his_wife(data, small_province):
    board = leaders_board(campaign=data.campaign, on=datetime.date(2024, 12, 31))
    row = board["rows"][0]
    assert row.unit == small_province.branch and row.leader.full_name == "Nguyễn Văn An"
    assert (row.joined_vsi, row.joined_hi) == (LAUNCH, LAUNCH)
    assert (row.relatives, row.members_brought, row.others, row.brought) == (1, 0, 0, 1)
    assert (row.members, row.members_covered, row.covered_pct) == (2, 2, 100.0)
    assert board["leaders"][0].rank == 1
    assert board["totals"] == {"units": 1, "leaders": 1, "leaders_vsi": 1, "leaders_hi": 1, "brought": 1}


def test_before_the_campaign_the_leader_has_not_joined(data):
    row = leaders_board(campaign=data.campaign, on=datetime.date(2024, 5, 19))["rows"][0]
    assert (row.joined_vsi, row.joined_hi, row.brought, row.members_covered) == (None, None, 0, 0)


def test_a_leader_is_reminded_of_relatives_and_members_not_enrolled(data, small_province):
    leader = small_province.users["chi_hoi"]
    before = reminders_for(user=leader, on=datetime.date(2024, 5, 1))
    assert sorted((r.name, r.kind, r.relation) for r in before) == [
        ("Nguyễn Văn An", "no_hi", "member"), ("Nguyễn Văn An", "no_vsi", "member"),
        ("Nguyễn Văn Cường", "no_hi", "relative"), ("Nguyễn Văn Cường", "no_vsi", "relative"),
        ("Trần Thị Bình", "no_hi", "member"), ("Trần Thị Bình", "no_vsi", "member"),
    ]
    after = reminders_for(user=leader, on=datetime.date(2024, 12, 31))
    # the son's VSI payment was reversed; everyone holds a valid HI card
    assert [(r.name, r.kind, r.relation) for r in after] == [("Nguyễn Văn Cường", "no_vsi", "relative")]
    assert after[0].label == "Chưa tham gia BHXH tự nguyện"


def test_an_agent_is_reminded_of_cards_expiring_and_lapsed(data, small_province):
    agent = small_province.users["thu_1"]
    card_end = HiMemberCoverage.objects.filter(participation=data.hi_household).values_list("valid_to", flat=True)[0]
    soon = reminders_for(user=agent, on=card_end - datetime.timedelta(days=10))
    hi = [r for r in soon if r.kind == "hi_expiring"]
    assert sorted(r.name for r in hi) == ["Nguyễn Văn An", "Nguyễn Văn Cường", "Trần Thị Bình"]
    assert {r.due for r in hi} == {card_end} and hi[0].household_code == "HG-0001"
    later = reminders_for(user=agent, on=card_end + datetime.timedelta(days=5))
    assert {r.kind for r in later} >= {"hi_lapsed"}
    assert all(r.household_code == "HG-0001" for r in later)  # only the agent's households


def test_officers_have_no_reminders(data, small_province):
    assert reminders_for(user=small_province.users["bhxh_tinh"], on=datetime.date(2024, 12, 31)) == []
