"""Pages of cancelling a payment: the request from the receipt page (the agent who collected it, or an
officer of the area) and the officers' queue "Yêu cầu hủy thu" (approve, refuse, record the refund)."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ansinh.accounts.services import require_permission
from ansinh.accounts.views import domain_errors
from ansinh.core.errors import ValidationError
from ansinh.core.formatting import format_number

from .forms_cancellation import CancelRequestForm, DecisionForm, RefundForm
from .selectors import receipt_get
from .selectors_cancellation import cancellation_get, cancellations_awaiting_refund, cancellations_pending
from .services_cancellation import (cancellation_approve, cancellation_refund_record, cancellation_refuse,
                                    cancellation_request, refund_payers)


def _field_of(form, exc) -> str | None:
    field = exc.details.get("field")
    return field if field in form.fields else None


@login_required
@domain_errors
def payment_cancel_request(request, pk: int):
    """Yêu cầu hủy khoản thu of the receipt ``pk``: the reason (select) and a note. POST: record the request
    and go back to the receipt, which then says a cancellation is waiting; an error shows the form again
    (422) with the message on its field."""
    require_permission(request.user, "collection.add_paymentcancellation")
    receipt = receipt_get(user=request.user, pk=pk)
    status = 200
    if request.method == "POST":
        form = CancelRequestForm(request.POST)
        if form.is_valid():
            try:
                cancellation_request(user=request.user, payment=receipt.payment, reason=form.cleaned_data["reason"],
                                     note=form.cleaned_data["note"])
            except ValidationError as exc:
                form.add_error(_field_of(form, exc), exc.message)
            else:
                messages.success(request, f"Đã gửi yêu cầu hủy biên lai số {receipt.number}; chờ cán bộ BHXH duyệt.")
                return redirect("receipt", pk=receipt.pk)
        status = 422
    else:
        form = CancelRequestForm()
    return render(request, "collection/cancel_request.html", {"receipt": receipt, "form": form}, status=status)


def _queue(request, *, posted: dict | None = None, status: int = 200):
    """The queue page; ``posted``: {request pk: bound form with errors} to show on its row (or above the
    lists when the request left them, e.g. decided by another officer a moment before)."""
    pending = cancellations_pending(user=request.user)
    refunds = cancellations_awaiting_refund(user=request.user)
    posted = posted or {}
    shown = {c.pk for c in pending} | {c.pk for c in refunds}
    alerts = [error for pk, form in posted.items() if pk not in shown
              for errors in form.errors.values() for error in errors]
    rows = []
    for item in pending:
        rows.append({"item": item, "form": posted.get(item.pk) or DecisionForm(prefix=f"c{item.pk}")})
    refund_rows = []
    for item in refunds:
        payers = _payers(request, item)
        form = posted.get(item.pk) or RefundForm(prefix=f"r{item.pk}", payers=payers,
                                                 initial={"amount": format_number(item.payment.amount),
                                                          "refunded_by": payers[0].pk if payers else None})
        refund_rows.append({"item": item, "form": form})
    return render(request, "collection/cancel_queue.html", {"rows": rows, "refund_rows": refund_rows,
                                                             "alerts": alerts}, status=status)


def _payers(request, item) -> list:
    payers = refund_payers(payment=item.payment)
    if request.user.pk not in {u.pk for u in payers}:
        payers.append(get_user_model().objects.get(pk=request.user.pk))
    return payers


@login_required
@domain_errors
def payment_cancel_queue(request):
    """Yêu cầu hủy thu: the requests waiting in the officer's area (oldest first) with approve and refuse,
    and the approved cancellations whose cash refund is not recorded yet."""
    require_permission(request.user, "collection.change_paymentcancellation")
    return _queue(request)


def _decide(request, pk: int, *, approve: bool):
    require_permission(request.user, "collection.change_paymentcancellation")
    item = cancellation_get(user=request.user, pk=pk)
    form = DecisionForm(request.POST, prefix=f"c{pk}")
    if form.is_valid():
        try:
            if approve:
                cancellation_approve(user=request.user, request=item, note=form.cleaned_data["note"])
            else:
                cancellation_refuse(user=request.user, request=item, note=form.cleaned_data["note"])
        except ValidationError as exc:
            form.add_error(_field_of(form, exc), exc.message)
        else:
            number = item.payment.receipt.number
            messages.success(request, f"Đã duyệt hủy biên lai số {number}." if approve
                             else f"Đã từ chối yêu cầu hủy biên lai số {number}.")
            return redirect(reverse("payment_cancel_queue"))
    return _queue(request, posted={pk: form}, status=422)


@login_required
@domain_errors
@require_POST
def payment_cancel_approve(request, pk: int):
    """Duyệt hủy (POST): reverse the payment, mark the receipt, free the coverage; back to the queue."""
    return _decide(request, pk, approve=True)


@login_required
@domain_errors
@require_POST
def payment_cancel_refuse(request, pk: int):
    """Từ chối hủy (POST, the note says why); back to the queue."""
    return _decide(request, pk, approve=False)


@login_required
@domain_errors
@require_POST
def payment_cancel_refund(request, pk: int):
    """Ghi hoàn tiền (POST): who paid the cash back, when, how much; back to the queue."""
    require_permission(request.user, "collection.change_paymentcancellation")
    item = cancellation_get(user=request.user, pk=pk)
    payers = _payers(request, item)
    form = RefundForm(request.POST, prefix=f"r{pk}", payers=payers)
    if form.is_valid():
        data = form.cleaned_data
        try:
            cancellation_refund_record(user=request.user, request=item,
                                       refunded_by=next(u for u in payers if u.pk == data["refunded_by"]),
                                       refunded_on=data["refunded_on"], amount=data["amount"])
        except ValidationError as exc:
            form.add_error(_field_of(form, exc), exc.message)
        else:
            messages.success(request, f"Đã ghi hoàn tiền biên lai số {item.payment.receipt.number}.")
            return redirect(reverse("payment_cancel_queue"))
    return _queue(request, posted={pk: form}, status=422)
