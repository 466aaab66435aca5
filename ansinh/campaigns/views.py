"""The campaign dashboard: launch-day sign-ups and leaders' participation per district."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from ansinh.accounts.views import domain_errors

from .selectors import campaign_dashboard_for_user


def chart_data(dashboard: dict) -> dict:
    """Labels and series of the launch-day chart (plain ints, for json_script)."""
    rows = dashboard["rows"]
    return {
        "labels": [row["district"].name for row in rows],
        "vsi": [row["launch_vsi"] for row in rows],
        "hi": [row["launch_hi"] for row in rows],
        "goal_vsi": [int(row["goal_vsi"]) if row["goal_vsi"] is not None else None for row in rows],
        "goal_hi": [int(row["goal_hi"]) if row["goal_hi"] is not None else None for row in rows],
    }


@login_required
@domain_errors
def dashboard(request):
    """Latest campaign, per district of the user's scope: launch-day VSI and HI sign-ups against the
    goals, leaders' participation against the province goals, totals and a chart."""
    data = campaign_dashboard_for_user(user=request.user, on=timezone.localdate())
    return render(request, "campaigns/dashboard.html",
                  {"dash": data, "chart": chart_data(data) if data else None})
