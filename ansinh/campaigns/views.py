"""The campaign dashboard: launch-day sign-ups and leaders' participation per district (campaigns on the
old map) or per commune (campaigns from 01/07/2025), for the campaign the user picks."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from ansinh.accounts.services import require_permission
from ansinh.accounts.views import domain_errors
from ansinh.core.replica import replica_view

from .context import SESSION_KEY, parse_date, working_context_choose, working_context_of
from .forms_context import WorkingContextForm
from .selectors import campaign_dashboard_for_user

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
    """The working campaign and date (``ansinh.campaigns.context``; ``?chien-dich=<code>`` and ``?on=``
    override them for this page), per district or commune of the user's scope: launch-day VSI and HI
    sign-ups against the goals, leaders' participation against the province goals, totals and a chart;
    a select of the campaigns of the user's scope."""
    require_permission(request.user, "campaigns.view_campaign")
    context = working_context_of(request)
    data = None
    if context.campaign is not None:
        data = campaign_dashboard_for_user(user=request.user, on=context.on, campaign=context.campaign)
    return render(request, "campaigns/dashboard.html", {
        "dash": data, "chart": chart_data(data) if data else None, "campaigns": list(context.campaigns),
        "campaign_param": CAMPAIGN_PARAM})


@login_required
@domain_errors
def working_context_change(request):
    """The campaign and date every page works on (the bar at the top of each page posts here): kept in
    the session, then back to the page the user came from. GET shows the form alone."""
    context = working_context_of(request, query=False)
    kept = request.session.get(SESSION_KEY) or {}
    form = WorkingContextForm(request.POST or None, campaigns=context.campaigns, initial={
        "campaign": kept.get("campaign", ""), "on": parse_date(kept.get("on")), "next": request.GET.get("next", "")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        reset = bool(request.POST.get("reset"))
        working_context_choose(user=request.user, session=request.session,
                               campaign_code=None if reset else data["campaign"] or None,
                               on=None if reset else data["on"])
        target = data["next"]
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()) or not target.startswith("/"):
            target = reverse("home")
        return redirect(target)
    return render(request, "campaigns/working_context.html", {"form": form})
