"""Public pages (no sign-in): «Tính mức đóng» (VSI or household HI) and «Tuổi nghỉ hưu và lương hưu».

Both are GET forms; an htmx request (sent as the form changes) gets only the result and each field's
errors (swapped out of band), so what is being typed keeps its focus. Errors are the rules' Vietnamese
messages next to the field; a full page with errors answers 400, an htmx fragment 200.
"""

from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from ansinh.rules.errors import RuleError

from .forms import BenefitsForm, ContributionForm
from .selectors import benefits_estimate, hi_estimate, income_floor, vsi_estimate


def _render(request, page: str, fragment: str, context: dict):
    partial = bool(request.htmx) and not request.htmx.history_restore_request
    status = 400 if context["form"].errors and not partial else 200
    response = render(request, fragment if partial else page, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_GET
def contribution(request):
    """Tính mức đóng: the amount to pay with its breakdown, legal basis and confidence."""
    # Keys a request leaves out take the first visit's values (a select left out would show its first option).
    defaults = ContributionForm.defaults(income_floor=income_floor(on=timezone.localdate()))
    form = ContributionForm(defaults | request.GET.dict() if request.GET else defaults)
    result = None
    if form.is_valid():
        d = form.cleaned_data
        try:
            if d["kind"] == "hi":
                result = hi_estimate(on=d["on"], members=d["members"], months=d["months"], group=d["hi_group"],
                                     previous_card_end=d["previous_card_end"])
            else:
                result = vsi_estimate(
                    on=d["on"], income=d["income"], payment_mode=d["payment_mode"], months=d["months"],
                    support_group=d["support_group"], months_already_supported=d["months_already_supported"],
                    reached_retirement_age=d["reached_retirement_age"], contribution_months=d["contribution_months"],
                )
        except RuleError as error:
            form.add_rule_error(error)
    return _render(request, "calculator/contribution.html", "calculator/_contribution_fragment.html",
                   {"form": form, "result": result})


@require_GET
def benefits(request):
    """Tuổi nghỉ hưu và lương hưu: retirement age and month, pension start, rate and monthly pension."""
    form = BenefitsForm(request.GET or None)
    result = None
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        try:
            result = benefits_estimate(sex=d["sex"], birth_month=d["birth_month"],
                                       contribution_months=form.contribution_months(),
                                       average_income=d["average_income"],
                                       months_before_2014=d["months_before_2014"],
                                       state_support_received=d["state_support_received"],
                                       poor_or_near_poor=d["poor_or_near_poor"])
        except RuleError as error:
            form.add_rule_error(error)
    return _render(request, "calculator/benefits.html", "calculator/_benefits_fragment.html",
                   {"form": form, "result": result})
