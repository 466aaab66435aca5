"""The campaign dashboard: launch-day sign-ups and leaders' participation per district (campaigns on the
old map) or per commune (campaigns from 01/07/2025), for the campaign the user picks."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from ansinh.accounts.views import domain_errors
from ansinh.core.replica import replica_view

from .models import Campaign
from .selectors import campaign_dashboard_for_user, campaigns_all

CAMPAIGN_PARAM = "chien-dich"
"""The query parameter naming the campaign shown (its code; no personal data)."""


def chart_data(dashboard: dict) -> dict:
    """Labels and series of the launch-day chart (plain ints, for json_script)."""
    rows = dashboard["rows"]
    return {
        "labels": [row["unit"].name for row in rows],
        "vsi": [row["launch_vsi"] for row in rows],
        "hi": [row["launch_hi"] for row in rows],
        "goal_vsi": [int(row["goal_vsi"]) if row["goal_vsi"] is not None else None for row in rows],
        "goal_hi": [int(row["goal_hi"]) if row["goal_hi"] is not None else None for row in rows],
    }


@login_required
@domain_errors
@replica_view
def dashboard(request):
    """The picked campaign (``?chien-dich=<code>``, default the latest), per district or commune of the
    user's scope: launch-day VSI and HI sign-ups against the goals, leaders' participation against the
    province goals, totals and a chart; a select of every campaign."""
    code = request.GET.get(CAMPAIGN_PARAM, "").strip()
    campaign = get_object_or_404(Campaign.objects.select_related("province"), code=code) if code else None
    data = campaign_dashboard_for_user(user=request.user, on=timezone.localdate(), campaign=campaign)
    return render(request, "campaigns/dashboard.html", {
        "dash": data, "chart": chart_data(data) if data else None, "campaigns": list(campaigns_all()),
        "campaign_param": CAMPAIGN_PARAM})
