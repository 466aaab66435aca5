"""The campaign dashboard (launch day and leaders per district before 1 July 2025, per commune after),
computed by the progress engine (``ansinh.campaigns.progress``: its definitions apply — a sign-up is a
person's first valid payment, counted on its payment date; leaders once each, in the unit they lead)."""

import datetime

from django.db.models import QuerySet

from ansinh.accounts.services import record_communes_in_scope, require_permission
from ansinh.areas.models import AdministrativeUnit, Level, MapVersion
from ansinh.areas.services import MAP_CHANGE_DATE
from ansinh.collection.selectors import org_on

from .models import Campaign, Indicator
from .progress import Series, campaign_latest, campaign_progress, percent_of

__all__ = ["campaign_dashboard", "campaign_dashboard_for_user", "campaign_latest", "campaign_map",
           "campaigns_all"]


def campaigns_all() -> QuerySet[Campaign]:
    """Every campaign, the latest first (the dashboard's picker)."""
    return Campaign.objects.select_related("province").order_by("-starts_on", "-pk")


def campaign_map(campaign: Campaign) -> str:
    """The map a campaign's dashboard rows are on: the new map (communes, no district) for a campaign of a
    new-map province or starting on or after 01/07/2025, the old map (districts) before."""
    if campaign.province.map == MapVersion.NEW or campaign.starts_on >= MAP_CHANGE_DATE:
        return MapVersion.NEW
    return MapVersion.OLD


def campaign_dashboard(*, campaign: Campaign, on: datetime.date, districts=None, communes=None) -> dict:
    """Rows per unit for the campaign dashboard, and the totals.

    Old-map campaign (starting before 01/07/2025): one row per district (``districts`` limits them).
    New-map campaign: one row per commune of the province (``communes``, a queryset of communes on either
    map whose records count — the user's scope — limits them). Each row: ``unit`` (also ``district``,
    the same unit), ``launch_vsi``/``launch_hi`` (new participants on launch day) with the unit's goals
    ``goal_vsi``/``goal_hi`` from the campaign's targets, ``leaders``, ``leaders_vsi``/``leaders_hi``
    (counts, from the campaign's start to ``on``) and their % with the province goals
    ``goal_leaders_vsi``/``goal_leaders_hi`` (percent). ``level`` says "district" or "commune".
    """
    map_version = campaign_map(campaign)
    day = campaign.launch_day
    series = [Series(Indicator.VSI_NEW, day, day), Series(Indicator.HI_NEW, day, day),
              Series(Indicator.LEADERS_VSI, campaign.starts_on, campaign.ends_on),
              Series(Indicator.LEADERS_HI, campaign.starts_on, campaign.ends_on)]
    if map_version == MapVersion.OLD:
        if districts is None:
            districts = AdministrativeUnit.objects.filter(parent=campaign.province, level=Level.DISTRICT)
        districts = list(districts.order_by("code"))
        by = "district"
        scope = AdministrativeUnit.objects.filter(parent__in=districts, level=Level.COMMUNE)
    else:
        by = "commune"
        scope = communes
    leaders_on = [Series(s.indicator, s.start, s.end) for s in series[2:]]
    report = campaign_progress(campaign=campaign, by=by, on=max(on, day), map_version=map_version,
                               communes=scope, series=series)
    if map_version == MapVersion.NEW:
        districts = [g.obj for g in report.groups if g.id is not None]
    groups = {g.id: g for g in report.groups}
    targets = list(campaign.targets.all())
    goal = {(t.indicator, t.area_id): t.goal for t in targets if t.period_start == t.period_end == day}
    province_ids = {campaign.province_id}
    if map_version == MapVersion.NEW and report.within.id is not None:
        province_ids.add(report.within.id)
    province_goal = {t.indicator: t.goal for t in targets if t.area_id in province_ids}
    if on < day:  # leaders are counted up to ``on``, launch day whatever ``on``
        early = campaign_progress(campaign=campaign, by=by, on=on, map_version=map_version,
                                  communes=scope, series=leaders_on)
        early_groups = {g.id: g for g in early.groups}
    rows = []
    for d in districts:
        g = groups.get(d.pk)
        cells = [report.cell(g, s) for s in series] if g is not None else None
        if on < day and d.pk in early_groups:
            leader_cells = [early.cell(early_groups[d.pk], s) for s in leaders_on]
        else:
            leader_cells = cells[2:] if cells else None
        launch_vsi, launch_hi = (cells[0].count, cells[1].count) if cells else (0, 0)
        leaders = leader_cells[0].of or 0 if leader_cells else 0
        leaders_vsi = leader_cells[0].count if leader_cells else 0
        leaders_hi = leader_cells[1].count if leader_cells else 0
        rows.append({
            "unit": d, "district": d, "launch_vsi": launch_vsi, "launch_hi": launch_hi,
            "goal_vsi": goal.get((Indicator.VSI_NEW, d.pk)), "goal_hi": goal.get((Indicator.HI_NEW, d.pk)),
            "leaders": leaders, "leaders_vsi": leaders_vsi, "leaders_hi": leaders_hi,
            "leaders_vsi_pct": percent_of(leaders_vsi, leaders), "leaders_hi_pct": percent_of(leaders_hi, leaders),
        })
    if map_version == MapVersion.NEW:  # the city's communes outside the old province have neither goal nor figure here
        rows = [r for r in rows if r["goal_vsi"] is not None or r["goal_hi"] is not None
                or r["launch_vsi"] or r["launch_hi"] or r["leaders"]]
    total_leaders = sum(r["leaders"] for r in rows)
    total_vsi = sum(r["leaders_vsi"] for r in rows)
    total_hi = sum(r["leaders_hi"] for r in rows)
    return {
        "campaign": campaign, "on": on, "rows": rows, "level": by, "map": map_version,
        # the collection organisation as it was on the day shown (the successor after 01/07/2025)
        "org": org_on(province_or_org=campaign.province, on=on),
        "goal_leaders_vsi": province_goal.get(Indicator.LEADERS_VSI),
        "goal_leaders_hi": province_goal.get(Indicator.LEADERS_HI),
        "total": {
            "launch_vsi": sum(r["launch_vsi"] for r in rows), "launch_hi": sum(r["launch_hi"] for r in rows),
            "leaders": total_leaders, "leaders_vsi": total_vsi, "leaders_hi": total_hi,
            "leaders_vsi_pct": percent_of(total_vsi, total_leaders),
            "leaders_hi_pct": percent_of(total_hi, total_leaders),
        },
    }


def campaign_dashboard_for_user(*, user, on: datetime.date, campaign: Campaign | None = None) -> dict | None:
    """The dashboard of ``campaign`` (default: the latest) as ``campaign_dashboard`` returns it, limited to
    the user's scope — the districts it touches for an old-map campaign, the communes whose records it
    sees for a new-map one — computed on ``on`` (capped at the campaign's end), with the sum of the shown
    units' goals in ``total["goal_vsi"]``/``total["goal_hi"]``. None when there is no campaign.
    Raises PermissionDenied."""
    require_permission(user, "campaigns.view_campaign")
    campaign = campaign or campaign_latest()
    if campaign is None:
        return None
    on = min(on, campaign.ends_on)
    if campaign_map(campaign) == MapVersion.OLD:
        scope_old = record_communes_in_scope(user).filter(map=MapVersion.OLD)
        districts = AdministrativeUnit.objects.filter(
            parent=campaign.province, level=Level.DISTRICT, pk__in=scope_old.values("parent_id"),
        )
        dashboard = campaign_dashboard(campaign=campaign, on=on, districts=districts)
    else:
        dashboard = campaign_dashboard(campaign=campaign, on=on, communes=record_communes_in_scope(user))
    for key in ("goal_vsi", "goal_hi"):
        goals = [row[key] for row in dashboard["rows"] if row[key] is not None]
        dashboard["total"][key] = sum(goals) if goals else None
    return dashboard
