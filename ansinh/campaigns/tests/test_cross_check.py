"""Progress agrees with the official lists (D05-TS, D03-TS) and with the leaders' own records."""

import datetime

import pytest

reports = pytest.importorskip("ansinh.reports.selectors", reason="the official lists are another module")

from ansinh.campaigns.progress import campaign_progress  # noqa: E402
from ansinh.registry.models import MemberRole, Membership  # noqa: E402

from .factories import END, START  # noqa: E402


def test_progress_agrees_with_d05_d03_and_the_leaders(data):
    filters = reports.ListFilter(date_from=START, date_to=END)
    d05 = list(reports.d05_rows(user=reports.OPERATOR, filters=filters))
    d03 = list(reports.d03_rows(user=reports.OPERATOR, filters=filters))
    report = campaign_progress(campaign=data.campaign, by="province", on=END, map_version="old")
    total = {(r["indicator"], r["period_start"]): r for r in report.rows()}
    start = START.isoformat()
    # nobody paid before the campaign here, so "new" people are the distinct people on the lists
    assert total[("vsi_new", start)]["achieved"] == len({r["citizen_id"] for r in d05}) == 3
    assert total[("hi_new", start)]["achieved"] == len({r["citizen_id"] for r in d03}) == 3
    assert total[("collected", start)]["achieved"] == sum(r["payable"] for r in d05) + sum(r["payable"] for r in d03)
    leaders = set(Membership.objects.filter(role=MemberRole.LEADER).values_list("person__citizen_id", flat=True))
    leaders_vsi = [r for r in report.rows() if r["indicator"] == "leaders_vsi"][0]
    assert leaders_vsi["count"] == len(leaders & {r["citizen_id"] for r in d05 if r["paid_on"] <= END})
    assert leaders_vsi["of"] == len(leaders)
    launch = [r for r in d05 if r["paid_on"] == datetime.date(2024, 5, 20)]
    assert total[("vsi_new", "2024-05-20")]["achieved"] == len(launch) == 2
