"""The progress engine on the small province: exact values, levels summing up, both maps, dates with no
data, the definitions of "new", reversals and attribution."""

import datetime
from collections import defaultdict
from decimal import Decimal

import pytest

from ansinh.campaigns.facts import facts_check
from ansinh.campaigns.models import Indicator
from ansinh.campaigns.progress import (
    NO_DISTRICT_ON_NEW_MAP,
    ProgressError,
    Series,
    campaign_progress,
    progress_for_user,
)

from .factories import END, LAUNCH, START, reverse, vsi_paid

YEAR_END = datetime.date(2024, 12, 31)
HEAD_VSI = 3_564_000  # 22% x 1,500,000 x 12 less 10% state support on the rural poverty line
HOUSEHOLD_HI = 2_235_600  # 4.5% x 1,800,000 x 12 x (100 + 70 + 60)%


def by_key(report):
    """{(unit_code, indicator, period_start): row} of a report."""
    return {(r["unit_code"], r["indicator"], r["period_start"]): r for r in report.rows()}


def totals(report) -> dict:
    return {(r["indicator"], r["period_start"], r["period_end"]): (r["count"], r["of"]) for r in report.total_rows()}


def summed(report) -> dict:
    out = defaultdict(lambda: [0, 0])
    for r in report.rows():
        cell = out[(r["indicator"], r["period_start"], r["period_end"])]
        cell[0] += r["count"]
        cell[1] += r["of"] or 0
    return {k: (v[0], v[1] if k[0] in ("leaders_vsi", "leaders_hi", "members_covered") else None)
            for k, v in out.items()}


def test_province_totals_on_year_end(data):
    report = campaign_progress(campaign=data.campaign, by="province", on=YEAR_END, map_version="old")
    rows = by_key(report)
    launch, start = LAUNCH.isoformat(), START.isoformat()
    assert rows[("93", "vsi_new", start)]["achieved"] == 3
    assert rows[("93", "vsi_new", launch)]["achieved"] == 2
    assert rows[("93", "hi_new", start)]["achieved"] == 3
    assert rows[("93", "hi_new", launch)]["achieved"] == 3
    leaders_vsi = rows[("93", "leaders_vsi", launch)]
    assert (leaders_vsi["achieved"], leaders_vsi["goal"], leaders_vsi["percent"]) == (100, 50, 200)
    assert (leaders_vsi["count"], leaders_vsi["of"]) == (1, 1)
    members = rows[("93", "members_covered", start)]
    assert (members["achieved"], members["count"], members["of"], members["goal"]) == (100, 2, 2, None)
    assert members["percent"] is None
    assert rows[("93", "collected", start)]["achieved"] == 2 * HEAD_VSI + HOUSEHOLD_HI + HEAD_VSI


def test_district_rows_with_their_launch_day_goals(data, small_province):
    report = campaign_progress(campaign=data.campaign, by="district", on=YEAR_END, map_version="old")
    rows = by_key(report)
    a, b = small_province.district.code, small_province.other_district.code
    launch = LAUNCH.isoformat()
    vsi_a = rows[(a, "vsi_new", launch)]
    assert (vsi_a["goal"], vsi_a["achieved"], vsi_a["percent"], vsi_a["remaining"]) == (50, 1, 2.0, 49)
    assert vsi_a["forecast"] == 1  # the period (launch day) is over
    hi_a = rows[(a, "hi_new", launch)]
    assert (hi_a["goal"], hi_a["achieved"], hi_a["percent"]) == (100, 3, 3.0)
    assert rows[(b, "vsi_new", launch)]["achieved"] == 1
    assert rows[(a, "collected", START.isoformat())]["achieved"] == 2 * HEAD_VSI + HOUSEHOLD_HI
    assert rows[(b, "collected", START.isoformat())]["achieved"] == HEAD_VSI
    # a district has no leaders goal of its own
    assert rows[(a, "leaders_vsi", launch)]["goal"] is None and rows[(a, "leaders_vsi", launch)]["percent"] is None
    assert len(report.groups) == 8


@pytest.mark.parametrize("by", ["district", "commune", "branch", "agent"])
def test_each_level_sums_exactly_to_the_province(data, by):
    report = campaign_progress(campaign=data.campaign, by=by, on=YEAR_END, map_version="old")
    province = campaign_progress(campaign=data.campaign, by="province", on=YEAR_END, map_version="old")
    assert summed(report) == totals(report) == totals(province)


def test_communes_sum_to_their_district(data, small_province):
    report = campaign_progress(campaign=data.campaign, by="commune", on=YEAR_END, map_version="old",
                               within=small_province.district)
    assert {g.id for g in report.groups} == set(small_province.district.children.values_list("pk", flat=True))
    assert summed(report) == totals(report)
    district = by_key(campaign_progress(campaign=data.campaign, by="district", on=YEAR_END, map_version="old"))
    assert totals(report)[("collected", START.isoformat(), END.isoformat())][0] == \
        district[(small_province.district.code, "collected", START.isoformat())]["achieved"]


@pytest.mark.parametrize("by", ["province", "commune", "branch", "agent"])
def test_both_maps_give_equal_totals(data, by):
    old = campaign_progress(campaign=data.campaign, by=by, on=YEAR_END, map_version="old")
    new = campaign_progress(campaign=data.campaign, by=by, on=YEAR_END, map_version="new")
    assert totals(old) == totals(new) == summed(new)


def test_new_map_regroups_old_communes_by_their_primary_successor(data, small_province):
    from ansinh.areas.selectors import new_unit_of

    report = campaign_progress(campaign=data.campaign, by="commune", on=YEAR_END, map_version="new")
    rows = by_key(report)
    successor = new_unit_of(old_commune=small_province.commune)
    assert rows[(successor.code, "hi_new", START.isoformat())]["achieved"] == 3
    assert report.within.name == "Thành phố Cần Thơ"


def test_district_level_on_the_new_map_is_refused(data):
    with pytest.raises(ProgressError) as exc:
        campaign_progress(campaign=data.campaign, by="district", on=YEAR_END, map_version="new")
    assert exc.value.message == NO_DISTRICT_ON_NEW_MAP


@pytest.mark.parametrize("on", [datetime.date(2023, 1, 1), datetime.date(2024, 5, 19)])
def test_a_date_with_no_data_gives_zeros(data, on):
    report = campaign_progress(campaign=data.campaign, by="district", on=on, map_version="old")
    assert all(r["count"] == 0 for r in report.rows() + report.total_rows())
    leaders = [r for r in report.total_rows() if r["indicator"] == "leaders_vsi"][0]
    assert (leaders["achieved"], leaders["of"], leaders["percent"]) == (0, 1, 0)


def test_an_empty_database_gives_zeros(small_province):
    from .factories import campaign_make

    campaign = campaign_make(small_province.province)
    report = campaign_progress(campaign=campaign, by="commune", on=YEAR_END, map_version="new")
    assert all(r["achieved"] == 0 for r in report.rows() + report.total_rows())


def test_a_person_who_paid_before_the_period_is_not_new(data, small_province):
    june = Series(Indicator.VSI_NEW, datetime.date(2024, 6, 1), datetime.date(2024, 6, 30))
    son = small_province.household.members.get(relationship="child").person
    vsi_paid(small_province.users["thu_1"], son, datetime.date(2024, 5, 25), months=1)  # May only
    vsi_paid(small_province.users["thu_1"], son, datetime.date(2024, 6, 20), months=1)  # June: a renewal
    report = campaign_progress(campaign=data.campaign, by="province", on=YEAR_END, map_version="old", series=[june])
    # only the wife signed up in June (first payment 10/06); the son first paid in May
    assert report.total_rows()[0]["achieved"] == 1


def test_a_reversed_payment_never_counts_and_refresh_follows_it(data, small_province):
    before = totals(campaign_progress(campaign=data.campaign, by="province", on=YEAR_END, map_version="old"))
    key = ("vsi_new", START.isoformat(), END.isoformat())
    assert before[key] == (3, None)
    wife_payment = data.vsi_wife.payments.get()
    reverse(small_province.users["thu_1"], wife_payment, datetime.date(2024, 12, 1))
    after = totals(campaign_progress(campaign=data.campaign, by="province", on=YEAR_END, map_version="old"))
    assert after[key] == (2, None)
    assert after[("collected", START.isoformat(), END.isoformat())][0] == 2 * HEAD_VSI + HOUSEHOLD_HI
    assert facts_check() == []


def test_association_unit_rows_attribute_non_members_to_unassigned(data, small_province):
    report = campaign_progress(campaign=data.campaign, by="branch", on=YEAR_END, map_version="old")
    rows = by_key(report)
    start = START.isoformat()
    assert rows[("CH-0001", "hi_new", start)]["achieved"] == 2  # head and wife; the son is no member
    assert rows[("", "hi_new", start)]["achieved"] == 1
    assert rows[("", "hi_new", start)]["unit_name"] == "Không thuộc chi hội, tổ nào"
    assert rows[("CH-0001", "members_covered", start)]["achieved"] == 100


def test_agent_rows(data):
    report = campaign_progress(campaign=data.campaign, by="agent", on=YEAR_END, map_version="old")
    rows = by_key(report)
    start = START.isoformat()
    assert rows[("NVT001", "vsi_new", start)]["achieved"] == 2
    assert rows[("NVT002", "vsi_new", start)]["achieved"] == 1
    assert rows[("NVT001", "collected", start)]["achieved"] == 2 * HEAD_VSI + HOUSEHOLD_HI
    assert ("", "vsi_new", start) not in rows  # every record has an agent


def test_forecast_at_the_current_pace(data):
    on = datetime.date(2024, 6, 30)  # 61 of the campaign's 245 days
    report = campaign_progress(campaign=data.campaign, by="province", on=on, map_version="old")
    vsi = by_key(report)[("93", "vsi_new", START.isoformat())]
    assert vsi["achieved"] == 3
    assert vsi["forecast"] == round(Decimal(3) * 245 / 61)


def test_scope_limits_an_officer_to_their_district(data, small_province):
    report = progress_for_user(user=small_province.users["bhxh_huyen"], campaign=data.campaign, by="district",
                               on=YEAR_END, map_version="old")
    assert [g.id for g in report.groups] == [small_province.district.pk]
    assert totals(report)[("vsi_new", START.isoformat(), END.isoformat())] == (2, None)


def test_an_agent_may_not_read_progress(data, small_province):
    from ansinh.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        progress_for_user(user=small_province.users["thu_1"], campaign=data.campaign, by="district", on=YEAR_END)


def test_a_unit_outside_the_scope_is_refused(data, small_province):
    from ansinh.core.errors import OutOfScope

    with pytest.raises(OutOfScope):
        progress_for_user(user=small_province.users["bhxh_huyen"], campaign=data.campaign, by="commune",
                          on=YEAR_END, map_version="old", within=small_province.other_district)


def test_a_narrow_scope_sees_its_own_part_of_an_area_without_the_areas_goal(data, small_province):
    from ansinh.campaigns.progress import progress_for_user

    p = small_province
    launch = LAUNCH.isoformat()
    head = progress_for_user(user=p.users["chi_hoi"], campaign=data.campaign, by="district", on=YEAR_END,
                             map_version="old")
    row = by_key(head)[(p.district.code, "vsi_new", launch)]
    assert (row["goal"], row["percent"], row["remaining"]) == (None, None, None)
    assert head.within.name == "Tỉnh Hậu Giang (phần trong phạm vi của bạn)"
    assert all(cell.goal is None for cell in head.total_cells())
    district = progress_for_user(user=p.users["bhxh_huyen"], campaign=data.campaign, by="district", on=YEAR_END,
                                 map_version="old")
    assert by_key(district)[(p.district.code, "vsi_new", launch)]["goal"] == 50  # the whole district is theirs
    province = progress_for_user(user=p.users["bhxh_tinh"], campaign=data.campaign, by="district", on=YEAR_END,
                                 map_version="old")
    assert province.within.name == "Tỉnh Hậu Giang"
    assert by_key(province)[(p.district.code, "vsi_new", launch)]["goal"] == 50
