"""The leaders-first figures follow who led on each date: a leader changed in 2026 leaves the 2024
campaign's board, progress and dashboard as they were; a change dated inside the campaign shows at its end."""

import datetime

import pytest

from ansinh.campaigns.facts import facts_check
from ansinh.campaigns.leaders import leaders_board
from ansinh.campaigns.models import Indicator
from ansinh.campaigns.progress import campaign_progress
from ansinh.campaigns.selectors import campaign_dashboard, campaign_dashboard_for_user
from ansinh.registry.models import Membership
from ansinh.registry.services import leader_change
from ansinh.registry.tests.unit_fixtures import province_admin_make

D = datetime.date
TODAY = D(2026, 12, 3)
LEADER_INDICATORS = {Indicator.LEADERS_VSI, Indicator.LEADERS_HI}


@pytest.fixture
def son(data, small_province):
    """The head's son (his VSI payment was reversed; HI through the household) made a branch member."""
    son = small_province.household.members.get(relationship="child").person
    Membership.objects.create(person=son, unit=small_province.branch, joined_on=D(2024, 1, 1))
    return son


def figures(data, small_province, on=TODAY):
    board = leaders_board(campaign=data.campaign, on=on)
    rows = [(r.unit.pk, r.leader.pk if r.leader else None, r.joined_vsi, r.joined_hi, r.relatives, r.members_brought,
             r.others, r.members, r.members_covered, r.rank) for r in board["rows"]]
    progress = {by: [r for r in campaign_progress(campaign=data.campaign, by=by, on=on, map_version=map_version).rows()
                     if r["indicator"] in LEADER_INDICATORS]
                for by, map_version in (("district", "old"), ("commune", "new"), ("branch", "old"), ("agent", "old"))}
    dashboard = campaign_dashboard(campaign=data.campaign, on=data.campaign.ends_on)
    mine = campaign_dashboard_for_user(user=small_province.users["bhxh_tinh"], on=on)
    return {"board": (rows, board["totals"]), "progress": progress,
            "dashboard": ([{k: v for k, v in r.items() if k != "district"} for r in dashboard["rows"]],
                          dashboard["total"]),
            "mine": mine["total"]}


def test_a_leader_changed_in_2026_leaves_the_2024_leader_figures_unchanged(data, small_province, son):
    before = figures(data, small_province)
    assert before["board"][1]["leaders_vsi"] == 1
    assert before["dashboard"][1]["leaders_vsi_pct"] == 100
    leader_change(user=province_admin_make(), unit=small_province.branch, person=son, starts_on=D(2026, 3, 1))
    assert figures(data, small_province) == before
    assert facts_check() == []


def test_a_leader_changed_inside_the_campaign_counts_from_its_date(data, small_province, son):
    leader_change(user=province_admin_make(), unit=small_province.branch, person=son, starts_on=D(2024, 9, 1))
    board = leaders_board(campaign=data.campaign, on=TODAY)
    (row,) = board["rows"]
    assert (row.leader, row.joined_vsi, row.joined_hi) == (son, None, D(2024, 5, 20))
    early = leaders_board(campaign=data.campaign, on=D(2024, 8, 31))
    assert early["rows"][0].leader.pk == small_province.household.members.get(relationship="head").person_id
    report = campaign_progress(campaign=data.campaign, by="district", on=TODAY, map_version="old")
    totals = {r["indicator"]: (r["count"], r["of"]) for r in report.total_rows() if r["indicator"] in LEADER_INDICATORS}
    assert totals == {"leaders_vsi": (0, 1), "leaders_hi": (1, 1)}
    dashboard = campaign_dashboard(campaign=data.campaign, on=data.campaign.ends_on)
    assert (dashboard["total"]["leaders"], dashboard["total"]["leaders_vsi"], dashboard["total"]["leaders_hi"]) == (
        1, 0, 1)
