"""The cash handover page (Bàn giao tiền): an agent records the handover of their days' cash and sees
what they still hold; an SI officer (or cashier) of the area confirms the amount actually received.
Each view parses the form, calls one service or selector and renders; refusals go on their field."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from ansinh.accounts.models import Role
from ansinh.accounts.services import require_permission, role_of
from ansinh.accounts.views import domain_errors
from ansinh.core.forms import VietnameseForm
from ansinh.core.money import format_vnd

from .errors_handover import HandoverError
from .forms import VndField
from .selectors_handover import cash_not_handed_over, handover_get, handover_list
from .services_handover import MAX_DAYS, handover_confirm, handover_record

DATE_WIDGET = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric",
                                                       "autocomplete": "off", "maxlength": "10"})
DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


def _date(label: str) -> forms.DateField:
    return forms.DateField(label=label, input_formats=DATE_FORMATS, widget=DATE_WIDGET, error_messages={
        "required": f"{label}: vui lòng nhập ngày (dd/mm/yyyy).", "invalid": f"{label}: ngày không hợp lệ (dd/mm/yyyy)."})


class VndOrZeroField(VndField):
    """A whole number of đồng, 0 allowed (a handover of days that net to 0, nothing received)."""

    def to_python(self, value):
        if value not in self.empty_values and str(value).strip().lower().removesuffix("đ").strip() == "0":
            return 0
        return super().to_python(value)


class HandoverForm(VietnameseForm):
    date_from = _date("Từ ngày")
    date_to = _date("Đến ngày")
    amount = VndOrZeroField(label="Số tiền bàn giao (đồng)")
    handed_to = forms.CharField(label="Người nhận tiền", max_length=100,
                                help_text="Thủ quỹ hoặc cán bộ nhận tiền.",
                                error_messages={"required": "Người nhận tiền: vui lòng ghi họ tên người nhận."})
    handed_on = _date("Ngày bàn giao")
    note = forms.CharField(label="Ghi chú", max_length=300, required=False)


class ConfirmForm(VietnameseForm):
    amount_received = VndOrZeroField(label="Số tiền thực nhận (đồng)")


def _refused(form, exc: HandoverError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


@login_required
@domain_errors
@require_http_methods(["GET", "POST"])
def handover_page(request):
    """Bàn giao tiền: the agent's form and days not handed over; every role the handovers of its scope,
    officers with a confirmation form on each one not yet confirmed."""
    require_permission(request.user, "collection.view_payment")
    today = timezone.localdate()
    is_agent = role_of(request.user).role == Role.COLLECTION_AGENT
    form = None
    waiting = cash_not_handed_over(user=request.user, on=today) if is_agent else []
    if is_agent and request.user.has_perm("collection.add_cashhandover"):
        first = min((w["day"] for w in waiting), default=today)
        last = min(today, first + datetime.timedelta(days=MAX_DAYS - 1))
        form = HandoverForm(request.POST or None, initial={"date_from": first, "date_to": last, "handed_on": today})
        if request.method == "POST" and form.is_valid():
            try:
                handover = handover_record(user=request.user, **form.cleaned_data)
            except HandoverError as exc:
                _refused(form, exc)
            else:
                messages.success(request, f"Đã ghi nhận bàn giao {format_vnd(handover.amount)}.")
                return redirect("handover")
    can_confirm = request.user.has_perm("collection.confirm_cashhandover")
    handovers = handover_list(user=request.user)
    return render(request, "collection/handover.html", {
        "form": form, "waiting": waiting, "handovers": handovers, "can_confirm": can_confirm,
        "confirm_form": ConfirmForm(), "today": today,
    }, status=400 if form is not None and form.errors else 200)


@login_required
@domain_errors
@require_POST
def handover_confirm_view(request, pk: int):
    """Confirm the amount actually received for one handover."""
    handover = handover_get(user=request.user, pk=pk)
    form = ConfirmForm(request.POST)
    if form.is_valid():
        try:
            handover_confirm(user=request.user, handover=handover, **form.cleaned_data)
        except HandoverError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"Đã xác nhận nhận {format_vnd(form.cleaned_data['amount_received'])} "
                                      f"của {handover.agent.code}.")
    else:
        messages.error(request, "; ".join(" ".join(errs) for errs in form.errors.values()))
    return redirect("handover")
