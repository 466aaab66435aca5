"""Campaign pages of the province administrator: every campaign side by side with its period, create and
edit a campaign, its targets (list, add, edit) and copying the targets of an earlier campaign."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from ansinh.accounts.services_users import admin_province
from ansinh.accounts.views import domain_errors
from ansinh.campaigns.errors import CampaignInvalid, TargetInvalid, TargetOutOfScope
from ansinh.campaigns.models import Campaign, Target
from ansinh.campaigns.selectors import campaign_map, campaigns_all
from ansinh.campaigns.services import (
    campaign_get_in_scope, target_get_in_scope,
    target_unit_label, campaign_create, campaign_targets_copy, campaign_update, target_create, target_update,
    targets_for_user,
)

from .forms_campaigns import AdminTargetForm, CampaignForm, CopyTargetsForm

TEMPLATES = "administration/campaigns/"


def _on_field(form, exc) -> None:
    name = exc.details.get("field")
    form.add_error(name if name in form.fields else None, exc.message)


@login_required
@domain_errors
def campaign_list_view(request):
    """Chiến dịch: every campaign, the latest first, with its launch day, period, map and number of targets."""
    admin_province(request.user, "campaigns.change_campaign")
    campaigns = campaigns_all().annotate(n_targets=Count("targets"))
    return render(request, TEMPLATES + "list.html", {
        "campaigns": [(c, campaign_map(c)) for c in campaigns]})


@login_required
@domain_errors
def campaign_create_view(request):
    """Tạo chiến dịch: code, name, launch day, start and end; the province is the administrator's."""
    admin_province(request.user, "campaigns.add_campaign")
    form = CampaignForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                campaign = campaign_create(user=request.user, **form.cleaned_data)
            except CampaignInvalid as exc:
                _on_field(form, exc)
            else:
                messages.success(request, f"Đã tạo chiến dịch «{campaign.name}».")
                return redirect("admin_campaign_edit", pk=campaign.pk)
        status = 400
    return render(request, TEMPLATES + "form.html", {"form": form, "creating": True}, status=status)


def _edit_page(request, campaign, form, copy_form, status=200, copy_result=None):
    targets = targets_for_user(user=request.user, campaign=campaign)
    return render(request, TEMPLATES + "form.html", {
        "form": form, "creating": False, "campaign": campaign, "copy_form": copy_form, "copy_result": copy_result,
        "targets": [(t, target_unit_label(t)) for t in targets], "map": campaign_map(campaign)}, status=status)


@login_required
@domain_errors
def campaign_edit_view(request, pk: int):
    """Sửa chiến dịch (name and dates; the code stays) with its targets and the copy form."""
    campaign = campaign_get_in_scope(user=request.user, pk=pk, permission="campaigns.change_campaign", admin=True)
    initial = {"code": campaign.code, "name": campaign.name, "launch_day": campaign.launch_day,
               "starts_on": campaign.starts_on, "ends_on": campaign.ends_on}
    form = CampaignForm(request.POST or None, initial=initial, editing=True)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                campaign_update(user=request.user, campaign=campaign, name=d["name"], launch_day=d["launch_day"],
                                starts_on=d["starts_on"], ends_on=d["ends_on"])
            except CampaignInvalid as exc:
                _on_field(form, exc)
                campaign.refresh_from_db()
            else:
                messages.success(request, f"Đã lưu chiến dịch «{campaign.name}».")
                return redirect("admin_campaign_edit", pk=campaign.pk)
        status = 400
    return _edit_page(request, campaign, form, CopyTargetsForm(campaign=campaign), status)


@login_required
@domain_errors
@require_POST
def campaign_copy_view(request, pk: int):
    """Sao chép chỉ tiêu (POST): copy the chosen campaign's targets, then show what was copied and what
    was left for the administrator to set by hand."""
    campaign = campaign_get_in_scope(user=request.user, pk=pk, permission="campaigns.add_target", admin=True)
    copy_form = CopyTargetsForm(request.POST, campaign=campaign)
    form = CampaignForm(initial={"code": campaign.code, "name": campaign.name, "launch_day": campaign.launch_day,
                                 "starts_on": campaign.starts_on, "ends_on": campaign.ends_on}, editing=True)
    if copy_form.is_valid():
        try:
            result = campaign_targets_copy(user=request.user, source=copy_form.cleaned_data["source"],
                                           target_campaign=campaign)
        except CampaignInvalid as exc:
            _on_field(copy_form, exc)
        else:
            messages.success(request, f"Đã sao chép {len(result.copied)} chỉ tiêu; "
                                      f"{len(result.skipped)} chỉ tiêu cần giao lại.")
            return _edit_page(request, campaign, form, CopyTargetsForm(campaign=campaign), copy_result=result)
    return _edit_page(request, campaign, form, copy_form, status=400)


def _target_page(request, campaign, target=None):
    province = admin_province(request.user, "campaigns.change_target" if target else "campaigns.add_target")
    initial = AdminTargetForm.initial_for(target) if target else {
        "period_start": campaign.starts_on, "period_end": campaign.ends_on}
    form = AdminTargetForm(request.POST or None, province=province, campaign=campaign, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            args = {"indicator": d["indicator"], "area": d["area"], "association_unit": d["association_unit"],
                    "agent": d["agent"], "period_start": d["period_start"], "period_end": d["period_end"],
                    "goal": d["goal"], "goal_kind": d["goal_kind"]}
            try:
                if target is None:
                    target_create(user=request.user, campaign=campaign, **args)
                else:
                    target_update(user=request.user, target=target, **args)
            except (TargetInvalid, TargetOutOfScope) as exc:
                _on_field(form, exc)
            else:
                messages.success(request, "Đã lưu chỉ tiêu.")
                return redirect("admin_campaign_edit", pk=campaign.pk)
        status = 400
    return render(request, TEMPLATES + "target_form.html", {
        "form": form, "campaign": campaign, "target": target}, status=status)


@login_required
@domain_errors
def target_create_view(request, pk: int):
    """Giao chỉ tiêu: indicator, unit (on the campaign's map), period inside the campaign, goal."""
    campaign = campaign_get_in_scope(user=request.user, pk=pk, permission="campaigns.add_target", admin=True)
    return _target_page(request, campaign)


@login_required
@domain_errors
def target_edit_view(request, pk: int):
    """Sửa chỉ tiêu."""
    target = target_get_in_scope(user=request.user, pk=pk, permission="campaigns.change_target", admin=True)
    return _target_page(request, target.campaign, target)
