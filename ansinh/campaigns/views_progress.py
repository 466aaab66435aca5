"""Pages of campaign progress: the drill-down progress table with charts, daily sign-ups, leaders'
ranking, the launch-day live board, targets (list and htmx form) and the reminders list. Each table is
exportable to Excel (``?xlsx=1``). Views only parse, call one selector or service, and render."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from ansinh.accounts.services import (
    old_communes_in_scope, record_communes_in_scope, require_permission,
)
from ansinh.accounts.views import domain_errors
from ansinh.core.replica import replica_view
from ansinh.areas.models import AdministrativeUnit, MapVersion
from ansinh.areas.selectors import map_in_force
from ansinh.collection.models import VisitOutcome
from ansinh.collection.selectors import NO_AGENT_LABEL
from ansinh.collection.selectors_visits import visit_counts_per_agent
from ansinh.core.errors import ValidationError

from .forms_progress import ProgressForm, TargetForm, parse_day
from .leaders import leaders_board
from .context import working_context_of
from .models import Campaign, Indicator, Target
from .progress import (
    AREA_LEVELS,
    LEVEL_LABELS,
    NO_CAMPAIGN,
    ProgressError,
    Series,
    campaign_progress,
    daily_signups,
    progress_for_user,
)
from .reminders import REMINDER_HEADERS, reminder_groups, reminder_rows, reminders_for, reminders_show_phone
from .services import target_create, target_delete, target_get_in_scope, target_update, targets_for_user
from .xlsx import xlsx_response

TEMPLATES = "campaigns/progress/"
PAGE_SIZE = 100


def _without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _campaign(request) -> Campaign | None:
    """The working campaign (``ansinh.campaigns.context``: the session's choice, ``?campaign=`` for this
    page)."""
    return working_context_of(request).campaign


def _on(request) -> datetime.date:
    """The working date (today, the campaign's end once it is over, the chosen date kept inside the
    campaign; ``?on=`` for this page)."""
    return working_context_of(request).on


def _no_campaign(request):
    return render(request, TEMPLATES + "empty.html", {"message": NO_CAMPAIGN})


def _next_level(by: str, map_version: str) -> str | None:
    if by == "province":
        return "district" if map_version == MapVersion.OLD else "commune"
    return {"district": "commune", "commune": "branch"}.get(by)


def _url(name: str, **params) -> str:
    clean = {k: v for k, v in params.items() if v not in (None, "")}
    return reverse(name) + ("?" + urlencode(clean) if clean else "")


def _crumbs(report, campaign) -> list[dict]:
    """Province → district → commune above the ``within`` unit, as links."""
    chain = []
    unit = report.within.obj
    while unit is not None and getattr(unit, "level", None) in ("district", "commune"):
        chain.insert(0, unit)
        unit = unit.parent if unit.level == "commune" and unit.map == MapVersion.OLD else None
    province_by = "district" if report.map == MapVersion.OLD else "commune"
    out = [{"label": "Toàn tỉnh", "url": _url("progress", campaign=campaign.code, by=province_by,
                                              on=report.on.isoformat(), map=report.map)}]
    for u in chain:
        out.append({"label": u.name, "url": _url("progress", campaign=campaign.code, on=report.on.isoformat(),
                                                  by=_next_level(u.level, report.map), map=report.map, within=u.pk)})
    return out


def _chart(report, groups) -> dict:
    """Bars of the two main count series per unit (the launch-day targets' period when there are
    targets, else the campaign) with their goals as lines."""
    main = []
    for indicator in (Indicator.VSI_NEW, Indicator.HI_NEW):
        candidates = [s for s in report.series if s.indicator == indicator]
        with_goal = [s for s in candidates
                     if any(report.cell(g, s).goal is not None for g in groups)]
        main.append((with_goal or candidates)[0])
    labels = [g.name for g in groups]
    data = {"labels": labels, "series": []}
    for s in main:
        cells = [report.cell(g, s) for g in groups]
        data["series"].append({
            "label": f"{s.label} ({s.period_label})", "values": [int(c.achieved) for c in cells],
            "goals": [float(c.goal) if c.goal is not None else None for c in cells],
        })
    return data


def _progress_xlsx(report, campaign):
    headers = ["Mã đơn vị", "Đơn vị", "Chỉ tiêu", "Từ ngày", "Đến ngày", "Mức giao", "Đạt", "Số đạt", "Trên tổng",
               "% chỉ tiêu", "Còn lại", "Dự báo cuối kỳ"]
    rows = []
    for row in report.rows() + report.total_rows():
        rows.append([row["unit_code"], row["unit_name"], Indicator(row["indicator"]).label,
                     datetime.date.fromisoformat(row["period_start"]), datetime.date.fromisoformat(row["period_end"]),
                     row["goal"], row["achieved"], row["count"], row["of"], row["percent"], row["remaining"],
                     row["forecast"]])
    title = (f"{campaign.name} — tiến độ theo {LEVEL_LABELS[report.by].lower()}, {report.within.name}, "
             f"tính đến {report.on:%d/%m/%Y} (bản đồ {'cũ' if report.map == 'old' else 'mới'})")
    return xlsx_response(filename=f"tien-do-{report.by}-{report.on:%Y%m%d}.xlsx", title=title, headers=headers,
                         rows=rows)


def _visit_rows(user, report, campaign, on) -> list[dict]:
    """Door-to-door visits per agent of the report (and by officers) from the campaign's start to ``on``
    (capped at its end), with the count of each outcome."""
    counts = visit_counts_per_agent(user=user, start=campaign.starts_on, end=min(on, campaign.ends_on))
    empty = {**{o: 0 for o in VisitOutcome.values}, "total": 0}
    rows = [{"name": g.name, "code": g.code, "counts": counts.get(g.id, empty)} for g in report.groups
            if g.id is not None]
    if counts.get(None):
        rows.append({"name": NO_AGENT_LABEL, "code": "", "counts": counts[None]})
    return rows


@login_required
@domain_errors
@replica_view
def progress(request):
    """Progress of the campaign per unit of the chosen level, inside the chosen unit, on a date, on the
    old or the new map; drill-down links, charts, Excel export (``?xlsx=1``)."""
    require_permission(request.user, "campaigns.view_campaign")
    campaign = _campaign(request)
    if campaign is None:
        return _no_campaign(request)
    form = ProgressForm(request.GET or None)
    valid = form.is_valid()
    data = form.cleaned_data if valid else {}
    on = _on(request)
    map_version = data.get("map") or map_in_force(on=on)
    by = data.get("by") or ("district" if map_version == MapVersion.OLD else "commune")
    within = None
    if data.get("within"):
        within = get_object_or_404(AdministrativeUnit, pk=data["within"])
    error = None
    if form.is_bound and not valid:
        # Say what was ignored instead of silently showing today's default view.
        error = "Đã bỏ qua tham số không hợp lệ: " + "; ".join(
            f"{form.fields[name].label or name}: {' '.join(messages)}" for name, messages in form.errors.items()
        )
    report = None
    try:
        report = progress_for_user(user=request.user, campaign=campaign, by=by, on=on, map_version=map_version,
                                   within=within)
    except ProgressError as exc:
        error = exc.message
    if report is not None and request.GET.get("xlsx"):
        return _progress_xlsx(report, campaign)
    context = {"campaign": campaign, "form": ProgressForm(initial={"by": by, "on": on, "map": map_version,
                                                                   "within": within.pk if within else None}),
               "report": report, "error": error, "on": on, "by": by, "map": map_version}
    if report is not None:
        next_level = _next_level(by, map_version)
        rows = []
        for group, cells in report.table():
            drill = None
            agents = None
            if group.id is not None and by in AREA_LEVELS and next_level:
                drill = _url("progress", campaign=campaign.code, by=next_level, on=on.isoformat(), map=map_version,
                             within=group.id)
                if by == "commune":
                    agents = _url("progress", campaign=campaign.code, by="agent", on=on.isoformat(),
                                  map=map_version, within=group.id)
            rows.append({"group": group, "cells": cells, "drill": drill, "agents": agents})
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        context.update({
            "rows": page.object_list, "page": page if page.paginator.num_pages > 1 else None,
            "page_query": _without_page(request), "total": report.total_cells(), "crumbs": _crumbs(report, campaign),
            "chart": _chart(report, [r["group"] for r in page.object_list][:60]), "level_label": LEVEL_LABELS[by],
            "xlsx_url": request.get_full_path() + ("&" if request.GET else "?") + "xlsx=1",
            "switch_map": _url("progress", campaign=campaign.code, on=on.isoformat(),
                               map=MapVersion.NEW if map_version == MapVersion.OLD else MapVersion.OLD,
                               by="commune" if by == "district" else by),
        })
        if by == "agent":
            context["visits"] = _visit_rows(request.user, report, campaign, on)
    return render(request, TEMPLATES + "progress.html", context)


@login_required
@domain_errors
@replica_view
def progress_daily(request):
    """New VSI and HI participants and the amount collected per day of the campaign (chart, table,
    Excel)."""
    require_permission(request.user, "campaigns.view_campaign")
    campaign = _campaign(request)
    if campaign is None:
        return _no_campaign(request)
    on = _on(request)
    days = daily_signups(campaign=campaign, on=on, communes=old_communes_in_scope(request.user))
    if request.GET.get("xlsx"):
        return xlsx_response(
            filename=f"dang-ky-theo-ngay-{on:%Y%m%d}.xlsx", title=f"{campaign.name} — người tham gia mới theo ngày",
            headers=["Ngày", "BHXH tự nguyện mới", "BHYT hộ gia đình mới", "Số tiền thu (đồng)"],
            rows=[[d["day"], d["vsi_new"], d["hi_new"], d["collected"]] for d in days])
    chart = {"labels": [f"{d['day']:%d/%m}" for d in days], "vsi": [d["vsi_new"] for d in days],
             "hi": [d["hi_new"] for d in days]}
    totals = {k: sum(d[k] for d in days) for k in ("vsi_new", "hi_new", "collected")}
    return render(request, TEMPLATES + "daily.html", {
        "campaign": campaign, "days": [d for d in reversed(days) if d["vsi_new"] or d["hi_new"] or d["collected"]],
        "chart": chart, "totals": totals, "on": on,
        "xlsx_url": _url("progress_daily", campaign=campaign.code, on=on.isoformat(), xlsx=1),
    })


def _leaders_xlsx(board, campaign):
    headers = ["Hạng", "Mã đơn vị", "Chi hội / tổ", "Xã", "Người đứng đầu", "Tham gia BHXH TN", "Tham gia BHYT",
               "Người thân vận động được", "Hội viên vận động được", "Người khác", "Tổng vận động", "Số hội viên",
               "Hội viên có bảo hiểm", "Tỷ lệ có bảo hiểm (%)"]
    rows = [[r.rank or "", r.unit.code, r.unit.name, r.unit.commune.name, r.leader.full_name if r.leader else "",
             r.joined_vsi, r.joined_hi, r.relatives, r.members_brought, r.others, r.brought, r.members,
             r.members_covered, r.covered_pct] for r in board["rows"]]
    return xlsx_response(filename=f"can-bo-chi-hoi-{board['on']:%Y%m%d}.xlsx",
                         title=f"{campaign.name} — chi hội trưởng, tổ trưởng (đến {board['on']:%d/%m/%Y})",
                         headers=headers, rows=rows)


@login_required
@domain_errors
@replica_view
def progress_leaders(request):
    """Leaders first: each branch's and group's leader (joined VSI / HI, people brought in), the ranking
    of leaders and of units; Excel export."""
    require_permission(request.user, "campaigns.view_campaign")
    campaign = _campaign(request)
    if campaign is None:
        return _no_campaign(request)
    on = _on(request)
    board = leaders_board(campaign=campaign, on=on, communes=old_communes_in_scope(request.user))
    if request.GET.get("xlsx"):
        return _leaders_xlsx(board, campaign)
    page = Paginator(board["rows"], PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, TEMPLATES + "leaders.html", {
        "campaign": campaign, "board": board, "on": on, "top_leaders": board["leaders"][:20],
        "rows": page.object_list, "page": page if page.paginator.num_pages > 1 else None,
        "page_query": _without_page(request),
        "top_units": board["units"][:20],
        "xlsx_url": _url("progress_leaders", campaign=campaign.code, on=on.isoformat(), xlsx=1),
    })


def _live_day(request, campaign) -> datetime.date:
    """``?day=``, else the working date when the campaign runs today or the user chose a date, else the
    launch day (the live board of a campaign that is over)."""
    context = working_context_of(request)
    running = campaign.starts_on <= context.today <= campaign.ends_on
    return parse_day(request.GET.get("day"), context.on if running or context.chosen else campaign.launch_day)


def _live_report(request, campaign, day):
    series = [Series(Indicator.VSI_NEW, day, day), Series(Indicator.HI_NEW, day, day)]
    map_version = map_in_force(on=day)
    require_permission(request.user, "campaigns.view_campaign")
    return campaign_progress(campaign=campaign, by="district" if map_version == MapVersion.OLD else "commune",
                             on=day, map_version=map_version, communes=old_communes_in_scope(request.user),
                             series=series)


@login_required
@domain_errors
@replica_view
def progress_live(request):
    """The launch-day live board: sign-ups of the day per district against the day's goals; the board
    refreshes itself every 10 seconds (htmx)."""
    campaign = _campaign(request)
    if campaign is None:
        return _no_campaign(request)
    day = _live_day(request, campaign)
    report = _live_report(request, campaign, day)
    if request.GET.get("xlsx"):
        return _progress_xlsx(report, campaign)
    context = {"campaign": campaign, "day": day, "report": report, "rows": report.table(),
               "total": report.total_cells(), "now": timezone.localtime(),
               "board_url": _url("progress_live_board", campaign=campaign.code, day=day.isoformat()),
               "xlsx_url": _url("progress_live", campaign=campaign.code, day=day.isoformat(), xlsx=1)}
    return render(request, TEMPLATES + "live.html", context)


@login_required
@domain_errors
@replica_view
def progress_live_board(request):
    """The live board's table alone (polled by htmx)."""
    campaign = _campaign(request)
    if campaign is None:
        return HttpResponse("")
    day = _live_day(request, campaign)
    report = _live_report(request, campaign, day)
    return render(request, TEMPLATES + "_live_board.html", {
        "campaign": campaign, "day": day, "report": report, "rows": report.table(), "total": report.total_cells(),
        "now": timezone.localtime(),
        "board_url": _url("progress_live_board", campaign=campaign.code, day=day.isoformat())})


# --- targets ---------------------------------------------------------------------------------------

@login_required
@domain_errors
def targets(request):
    """The campaign's targets in the user's scope; Excel export."""
    campaign = _campaign(request)
    if campaign is None:
        return _no_campaign(request)
    items = targets_for_user(user=request.user, campaign=campaign)
    if request.GET.get("xlsx"):
        rows = [[t.get_indicator_display(), _unit_label(t), t.period_start, t.period_end, t.goal,
                 t.get_goal_kind_display()] for t in items]
        return xlsx_response(filename=f"chi-tieu-{campaign.code}.xlsx", title=f"{campaign.name} — chỉ tiêu",
                             headers=["Chỉ tiêu", "Đơn vị", "Từ ngày", "Đến ngày", "Mức giao", "Loại"], rows=rows)
    can_edit = request.user.has_perm("campaigns.change_target")
    return render(request, TEMPLATES + "targets.html", {
        "campaign": campaign, "targets": [(t, _unit_label(t)) for t in items], "can_edit": can_edit,
        "can_add": request.user.has_perm("campaigns.add_target"),
        "xlsx_url": _url("targets", campaign=campaign.code, xlsx=1)})


def _unit_label(t: Target) -> str:
    if t.area_id:
        return t.area.name
    if t.association_unit_id:
        return f"{t.association_unit.code} — {t.association_unit.name}"
    return f"{t.agent.code} — {t.agent.full_name}"


def _target_form_response(request, form, campaign, target=None, status=200):
    template = TEMPLATES + ("_target_form.html" if request.htmx else "target_form.html")
    return render(request, template, {"form": form, "campaign": campaign, "target": target}, status=status)


def _save_target(request, campaign, target=None):
    communes = record_communes_in_scope(request.user)
    form = TargetForm(request.POST or None, communes=communes, campaign=campaign,
                      initial=TargetForm.initial_for(target) if target else {
                          "period_start": campaign.launch_day, "period_end": campaign.ends_on})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            if target is None:
                target_create(user=request.user, campaign=campaign, indicator=d["indicator"], area=d["area"],
                              association_unit=d["association_unit"], agent=d["agent"],
                              period_start=d["period_start"], period_end=d["period_end"], goal=d["goal"],
                              goal_kind=d["goal_kind"])
            else:
                target_update(user=request.user, target=target, indicator=d["indicator"], area=d["area"],
                              association_unit=d["association_unit"], agent=d["agent"],
                              period_start=d["period_start"], period_end=d["period_end"], goal=d["goal"],
                              goal_kind=d["goal_kind"])
        except ValidationError as exc:
            field = exc.details.get("field")
            form.add_error(field if field in form.fields else None, exc.message)
            return _target_form_response(request, form, campaign, target, status=422 if request.htmx else 200)
        messages.success(request, "Đã lưu chỉ tiêu.")
        url = _url("targets", campaign=campaign.code)
        if request.htmx:
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return redirect(url)
    return _target_form_response(request, form, campaign, target)


@login_required
@domain_errors
def target_new(request):
    """Create a target (form; htmx posts swap the form in place and redirect on success)."""
    require_permission(request.user, "campaigns.add_target")
    campaign = _campaign(request)
    if campaign is None:
        return _no_campaign(request)
    return _save_target(request, campaign)


@login_required
@domain_errors
def target_edit(request, pk: int):
    """Edit a target."""
    target = target_get_in_scope(user=request.user, pk=pk, permission="campaigns.change_target")
    return _save_target(request, target.campaign, target)


@login_required
@domain_errors
@require_POST
def target_remove(request, pk: int):
    """Delete a target (POST)."""
    target = target_get_in_scope(user=request.user, pk=pk, permission="campaigns.change_target")
    target_delete(user=request.user, target=target)
    messages.success(request, "Đã xóa chỉ tiêu.")
    return redirect(_url("targets", campaign=target.campaign.code))


# --- reminders -------------------------------------------------------------------------------------

@login_required
@domain_errors
def reminders(request):
    """Whom to visit next (agents: renewals and lapses; leaders: members and relatives not enrolled);
    Excel export."""
    on = working_context_of(request, in_campaign=False).on
    items = reminders_for(user=request.user, on=on)
    if request.GET.get("xlsx"):
        return xlsx_response(filename=f"viec-can-lam-{on:%Y%m%d}.xlsx",
                             title=f"Danh sách cần đến thăm, vận động (ngày {on:%d/%m/%Y})",
                             headers=REMINDER_HEADERS, rows=reminder_rows(items))
    return render(request, TEMPLATES + "reminders.html", {
        "items": items, "groups": reminder_groups(items), "call_phone": reminders_show_phone(user=request.user),
        "on": on, "xlsx_url": _url("reminders", on=on.isoformat(), xlsx=1)})

