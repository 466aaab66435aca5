"""Collection pages: take an HI or VSI payment for a household (enrolment and payment in one
transaction), the VSI calculator fragment, and the receipt."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from ansinh.accounts.views import domain_errors
from ansinh.core.formatting import format_number
from ansinh.enrollment.errors import AlreadyCovered, NoEligibleMembers, NotEligible, PricingError
from ansinh.enrollment.pricing import vsi_income_floor
from ansinh.enrollment.services import hi_household_quote, vsi_quote
from ansinh.registry.selectors import household_get, household_people

from .errors import AlreadyPaid, AmountMismatch, IdempotencyConflict, InvalidAmount
from .forms import HiPaymentForm, VsiParamsForm, VsiPaymentForm
from .selectors import receipt_get
from .services import hi_enroll_and_pay, vsi_enroll_and_pay

# Errors a payment form shows next to a field (or above the form); scope errors go to the 403 page.
FORM_ERRORS = (AmountMismatch, InvalidAmount, AlreadyPaid, IdempotencyConflict, PricingError, AlreadyCovered,
               NoEligibleMembers, NotEligible)


def _show_error(form, exc) -> None:
    """Put a service error next to the field it concerns."""
    if isinstance(exc, (AmountMismatch, InvalidAmount)):
        field = "amount"
    elif isinstance(exc, PricingError) and exc.code.startswith("income") and "income" in form.fields:
        field = "income"
    elif isinstance(exc, PricingError) and exc.code == "invalid_months":
        field = "months"
    elif isinstance(exc, NotEligible) and "person" in form.fields:
        field = "person"
    else:
        field = None
    form.add_error(field, exc.message)


def _receipt_redirect(request, receipt, created: bool):
    if created:
        messages.success(request, f"Đã thu tiền và lập biên lai số {receipt.number}.")
    else:
        messages.info(request, f"Khoản thu này đã được ghi nhận trước đó (biên lai số {receipt.number}).")
    return redirect("receipt", pk=receipt.pk)


@login_required
@domain_errors
def hi_pay(request, pk: int):
    """Thu tiền BHYT hộ gia đình. GET: the form with the payable amount for the chosen months prefilled
    (an htmx request gets only the form, used when the months change). POST: enrol and pay in one
    transaction, then redirect to the receipt; on an error show the form again with the message."""
    household = household_get(user=request.user, pk=pk)
    if request.method == "POST":
        form = HiPaymentForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                receipt, created = hi_enroll_and_pay(
                    user=request.user, household=household, months=data["months"], amount=data["amount"],
                    method=data["method"], paid_on=data["paid_on"], idempotency_key=data["idempotency_key"],
                )
            except FORM_ERRORS as exc:
                _show_error(form, exc)
            else:
                return _receipt_redirect(request, receipt, created)
        status = 422
    else:
        months = request.GET.get("months", "12")
        months = int(months) if months in ("3", "6", "12") else 12
        try:
            payable = hi_household_quote(user=request.user, household=household, months=months,
                                         on=timezone.localdate())["payable"]
        except (NoEligibleMembers, PricingError):
            payable = None
        form = HiPaymentForm(initial={"months": months, "amount": format_number(payable) if payable else ""})
        status = 200
    partial = request.htmx and not request.htmx.history_restore_request
    response = render(request, "collection/_hi_pay_form.html" if partial else "collection/hi_pay.html",
                      {"household": household, "form": form}, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@domain_errors
@require_GET
def vsi_calculator(request, pk: int):
    """VSI calculator fragment (htmx): the amount and breakdown for a member, an income and a mode on
    today's rules, with the payment form prefilled under it."""
    household = household_get(user=request.user, pk=pk)
    people = household_people(household=household)
    form = VsiParamsForm(request.GET, people=people)
    result = None
    pay_form = None
    if form.is_valid():
        data = form.cleaned_data
        person = next(p for p in people if p.pk == data["person"])
        try:
            result = vsi_quote(user=request.user, person=person, income=data["income"], months=data["months"],
                               payment_mode=data["payment_mode"], on=timezone.localdate())
        except (PricingError, NotEligible) as exc:
            _show_error(form, exc)
        else:
            pay_form = VsiPaymentForm(people=people, initial={
                **data, "income": format_number(data["income"]), "amount": format_number(result["payable"]),
            })
    return render(request, "collection/_vsi_quote.html",
                  {"household": household, "form": form, "result": result, "pay_form": pay_form})


@login_required
@domain_errors
def vsi_pay(request, pk: int):
    """Thu tiền BHXH tự nguyện for a member of the household. POST: enrol and pay in one transaction,
    then redirect to the receipt; on an error show the form again with the message. GET: the form."""
    household = household_get(user=request.user, pk=pk)
    people = household_people(household=household)
    status = 200
    if request.method == "POST":
        form = VsiPaymentForm(request.POST, people=people)
        if form.is_valid():
            data = form.cleaned_data
            person = next(p for p in people if p.pk == data["person"])
            try:
                receipt, created = vsi_enroll_and_pay(
                    user=request.user, person=person, income=data["income"], months=data["months"],
                    payment_mode=data["payment_mode"], amount=data["amount"], method=data["method"],
                    paid_on=data["paid_on"], idempotency_key=data["idempotency_key"],
                )
            except FORM_ERRORS as exc:
                _show_error(form, exc)
            else:
                return _receipt_redirect(request, receipt, created)
        status = 422
    else:
        form = VsiPaymentForm(people=people, initial={"income": format_number(vsi_income_floor(on=timezone.localdate()))})
    return render(request, "collection/vsi_pay.html", {"household": household, "form": form}, status=status)


@login_required
@domain_errors
def receipt_detail(request, pk: int):
    """A receipt (biên lai) ready to print: number, date, payer, items, amount in figures and words,
    agent and organisation."""
    receipt = receipt_get(user=request.user, pk=pk)
    return render(request, "collection/receipt.html", {"receipt": receipt})
