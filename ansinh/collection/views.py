"""Collection pages: take an HI or VSI payment for a household (enrolment and payment in one
transaction), the VSI calculator fragment, and the receipt."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from ansinh.accounts.models import Role
from ansinh.accounts.services import require_permission, role_of
from ansinh.accounts.views import domain_errors
from ansinh.core.text import ascii_int
from ansinh.core.formatting import format_number
from ansinh.enrollment.errors import (AlreadyCovered, MonthsNotMissing, NoEligibleMembers, NotEligible,
                                     PaidBeforeQuote, PricingError, QuoteOutdated)
from ansinh.enrollment.models import HiParticipation, VsiParticipation
from ansinh.enrollment.pricing import vsi_income_floor
from ansinh.enrollment.selectors import KIND_HI, KIND_VSI, participation_get
from ansinh.enrollment.services import hi_enroll, hi_household_quote, hi_lines_for_payment, vsi_enroll, vsi_quote
from ansinh.registry.selectors import household_get, household_people, referrer_choices, referrer_default

from .errors import AlreadyPaid, AmountMismatch, IdempotencyConflict, InvalidAmount
from .forms import HI_MONTHS, REFERRER_MESSAGE, HiPaymentForm, PaymentFields, VsiParamsForm, VsiPaymentForm
from .selectors import receipt_get
from .selectors_cancellation import receipt_cancellation, receipt_open_request, receipt_reprint_on
from .selectors_summary import hi_pay_summary, quote_pay_summary, vsi_pay_summary
from .services import hi_enroll_and_pay, payment_record, vsi_enroll_and_pay

PARTICIPATION_MODELS = {KIND_HI: HiParticipation, KIND_VSI: VsiParticipation}

# Errors a payment form shows next to a field (or above the form); scope errors go to the 403 page.
FORM_ERRORS = (AmountMismatch, InvalidAmount, AlreadyPaid, IdempotencyConflict, PricingError, AlreadyCovered,
               NoEligibleMembers, NotEligible, QuoteOutdated, PaidBeforeQuote)


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
    elif isinstance(exc, PaidBeforeQuote):
        field = "paid_on"
    else:
        field = None
    form.add_error(field, exc.message)


def referrers_for(household, person=None) -> tuple[list, int | None]:
    """The people who may be named as having persuaded ``person`` (default: the household's head) and the
    default choice: their branch or group leader (``referrer_default``)."""
    people = referrer_choices(household=household)
    subject = person or next(iter(household_people(household=household)), None)
    default = referrer_default(person=subject) if subject is not None else None
    if default is not None and default.pk not in {p.pk for p in people}:
        people.append(default)
    return people, default.pk if default is not None else None


def _referrer(people, pk):
    return next((p for p in people if p.pk == pk), None) if pk is not None else None


def _posted_referrer(request, people):
    """The ``referred_by`` of a quote-save POST: (person or None, error message or "")."""
    value = request.POST.get("referred_by", "")
    if not value:
        return None, ""
    number = ascii_int(value)
    chosen = _referrer(people, number) if number is not None else None
    return chosen, "" if chosen is not None else REFERRER_MESSAGE


RECEIPT_NOTICES = {
    "moi": ("success", "Đã thu tiền và lập biên lai số {number}."),
    "da-ghi": ("info", "Khoản thu này đã được ghi nhận trước đó (biên lai số {number})."),
}
"""The notice the receipt page shows after a payment (``?ket-qua=…``): carried in the address rather than
the messages cookie, which costs the busiest request of the campaign a signed cookie."""


RECEIPT_NOTICE_FOR = datetime.timedelta(minutes=15)


def _step(request) -> str:
    """The step of a payment POST: "confirm" (``xac_nhan``: record it), "edit" (``sua``: the form again with
    the values) or "summary" (the first submit: show what will be recorded, write nothing)."""
    if request.POST.get("xac_nhan") == "1":
        return "confirm"
    return "edit" if request.POST.get("sua") else "summary"


def _receipt_redirect(request, receipt, created: bool):
    return redirect(f"{reverse('receipt', args=[receipt.pk])}?ket-qua={'moi' if created else 'da-ghi'}")


@login_required
@domain_errors
def hi_pay(request, pk: int):
    """Thu tiền BHYT hộ gia đình. GET: the form with the payable amount for the chosen months prefilled
    (an htmx request gets only the form, used when the months change). POST: enrol and pay in one
    transaction, then redirect to the receipt; on an error show the form again with the message.
    Only roles that take payments see it (``collection.add_payment``)."""
    require_permission(request.user, "collection.add_payment")
    household = household_get(user=request.user, pk=pk)
    referrers, default_referrer = referrers_for(household)
    if request.method == "POST":
        form = HiPaymentForm(request.POST, referrers=referrers)
        step = _step(request)
        summary = None
        if form.is_valid() and step != "edit":
            data = form.cleaned_data
            try:
                if step == "confirm":
                    receipt, created = hi_enroll_and_pay(
                        user=request.user, household=household, months=data["months"], amount=data["amount"],
                        method=data["method"], paid_on=data["paid_on"], idempotency_key=data["idempotency_key"],
                        referred_by=_referrer(referrers, data["referred_by"]),
                    )
                    return _receipt_redirect(request, receipt, created)
                summary = hi_pay_summary(user=request.user, household=household, months=data["months"],
                                         amount=data["amount"], paid_on=data["paid_on"])
            except FORM_ERRORS as exc:
                _show_error(form, exc)
        if summary is not None or (step == "edit" and form.is_valid()):
            return render(request, "collection/hi_pay.html", {
                "household": household, "form": form, "summary": summary,
                "action": reverse("hi_pay", args=[household.pk])})
        status = 422
    else:
        months = request.GET.get("months", "12")
        months = int(months) if months in ("3", "6", "12") else 12
        try:
            payable = hi_household_quote(user=request.user, household=household, months=months,
                                         on=timezone.localdate())["payable"]
        except (NoEligibleMembers, PricingError):
            payable = None
        form = HiPaymentForm(referrers=referrers, initial={
            "months": months, "amount": format_number(payable) if payable else "", "referred_by": default_referrer})
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
            referrers, default_referrer = referrers_for(household, person)
            pay_form = VsiPaymentForm(people=people, referrers=referrers, initial={
                **data, "income": format_number(data["income"]), "amount": format_number(result["payable"]),
                "referred_by": default_referrer,
            })
    return render(request, "collection/_vsi_quote.html",
                  {"household": household, "form": form, "result": result, "pay_form": pay_form})


@login_required
@domain_errors
def vsi_pay(request, pk: int):
    """Thu tiền BHXH tự nguyện for a member of the household. POST: enrol and pay in one transaction,
    then redirect to the receipt; on an error show the form again with the message. GET: the form.
    Only roles that take payments see it (``collection.add_payment``)."""
    require_permission(request.user, "collection.add_payment")
    household = household_get(user=request.user, pk=pk)
    people = household_people(household=household)
    referrers, default_referrer = referrers_for(household)
    status = 200
    if request.method == "POST":
        form = VsiPaymentForm(request.POST, people=people, referrers=referrers)
        step = _step(request)
        summary = None
        if form.is_valid() and step != "edit":
            data = form.cleaned_data
            person = next(p for p in people if p.pk == data["person"])
            try:
                if step == "confirm":
                    receipt, created = vsi_enroll_and_pay(
                        user=request.user, person=person, income=data["income"], months=data["months"],
                        payment_mode=data["payment_mode"], amount=data["amount"], method=data["method"],
                        paid_on=data["paid_on"], idempotency_key=data["idempotency_key"],
                        referred_by=_referrer(referrers, data["referred_by"]),
                    )
                    return _receipt_redirect(request, receipt, created)
                summary = vsi_pay_summary(user=request.user, person=person, income=data["income"],
                                          months=data["months"], payment_mode=data["payment_mode"],
                                          amount=data["amount"], paid_on=data["paid_on"])
            except FORM_ERRORS + (MonthsNotMissing,) as exc:
                _show_error(form, exc)
        if summary is not None or (step == "edit" and form.is_valid()):
            return render(request, "collection/vsi_pay.html", {
                "household": household, "form": form, "summary": summary,
                "action": reverse("vsi_pay", args=[household.pk])})
        status = 422
    else:
        form = VsiPaymentForm(people=people, referrers=referrers, initial={
            "income": format_number(vsi_income_floor(on=timezone.localdate())), "referred_by": default_referrer})
    return render(request, "collection/vsi_pay.html", {"household": household, "form": form}, status=status)


@login_required
@domain_errors
def receipt_detail(request, pk: int):
    """A receipt (biên lai) ready to print: number, date, payer, items, amount in figures and words,
    agent and organisation. A cancelled receipt says "ĐÃ HỦY" with when, by whom and why (also when reached
    by a replayed submission of its payment); any showing but the first says "Bản in lại" with today's
    date (``selectors_cancellation.receipt_reprint_on`` says how a reprint is told). The agent who
    collected it (or an officer of the area) gets "Yêu cầu hủy"; a waiting request is shown instead."""
    receipt = receipt_get(user=request.user, pk=pk)
    result = request.GET.get("ket-qua", "")
    notice = RECEIPT_NOTICES.get(result)
    fresh = timezone.now() - receipt.created_at <= RECEIPT_NOTICE_FOR
    if notice is not None and not fresh:
        notice = None  # an old link opened again is not a new collection
    if notice is not None:
        notice = {"level": notice[0], "text": notice[1].format(number=receipt.number)}
    cancelled = receipt_cancellation(receipt=receipt)
    if cancelled is not None and result:
        notice = {"level": "warning", "text": f"Khoản thu này đã bị hủy — biên lai số {receipt.number} không còn "
                                              "giá trị; đây không phải biên lai mới."}
    user_role = role_of(request.user)
    can_request = cancelled is None and request.user.has_perm("collection.add_paymentcancellation") and (
        receipt.agent_id is not None and receipt.agent_id == user_role.agent_id
        if user_role.role == Role.COLLECTION_AGENT else user_role.role == Role.SI_OFFICER)
    first_issue = result == "moi" and fresh
    return render(request, "collection/receipt.html", {
        "receipt": receipt, "notice": notice, "cancelled": cancelled,
        "open_request": receipt_open_request(receipt=receipt) if cancelled is None else None,
        "can_request": can_request, "first_issue": first_issue,
        "reprint_on": receipt_reprint_on(receipt=receipt, first_issue_claimed=first_issue),
    })


@login_required
@domain_errors
def quote_pay(request, kind: str, pk: int):
    """Thu tiền theo báo giá đã lưu (``kind`` "bhyt" or "bhxh"). GET: the frozen quote (who, months,
    amounts, pricing date) and the payment form with the amount due. POST: record the payment
    (``payment_record``: the same key twice records once) and redirect to the receipt; an error shows the
    form again (422) with the message, e.g. the amount due, or the new amount when the quote is out of date."""
    status = 200
    summary = None
    if request.method == "POST":
        form = PaymentFields(request.POST)
        step = _step(request)
        if form.is_valid() and kind in PARTICIPATION_MODELS and step == "confirm":
            data = form.cleaned_data
            try:
                # payment_record reads the participation itself, locked, and checks permission and scope
                _, receipt, created = payment_record(
                    user=request.user, participation=PARTICIPATION_MODELS[kind](pk=pk), amount=data["amount"],
                    method=data["method"], paid_on=data["paid_on"], idempotency_key=data["idempotency_key"],
                )
            except FORM_ERRORS as exc:
                _show_error(form, exc)
            else:
                return _receipt_redirect(request, receipt, created)
        participation = participation_get(user=request.user, kind=kind, pk=pk)
        if form.is_valid() and step == "summary":
            try:
                summary = quote_pay_summary(participation=participation,
                                            is_hi=isinstance(participation, HiParticipation),
                                            amount=form.cleaned_data["amount"], paid_on=form.cleaned_data["paid_on"])
            except FORM_ERRORS as exc:
                _show_error(form, exc)
        status = 200 if summary is not None or (step == "edit" and form.is_valid()) else 422
    else:
        participation = participation_get(user=request.user, kind=kind, pk=pk)
        form = PaymentFields(initial={"amount": format_number(participation.payable)})
    is_hi = isinstance(participation, HiParticipation)
    household = participation.household if is_hi else getattr(
        getattr(participation.person, "household_membership", None), "household", None)
    return render(request, "collection/quote_pay.html", {
        "participation": participation, "kind": kind, "is_hi": is_hi, "household": household, "form": form,
        "lines": hi_lines_for_payment(participation=participation) if is_hi else [], "summary": summary,
        "action": reverse("quote_pay", args=[kind, participation.pk]),
    }, status=status)


def _quote_saved(request, kind: str, participation):
    messages.success(request, f"Đã lưu báo giá {format_number(participation.payable)} đ; thu tiền khi hộ sẵn sàng.")
    return redirect("quote_pay", kind=kind, pk=participation.pk)


@login_required
@domain_errors
def hi_quote_save(request, pk: int):
    """Lưu báo giá BHYT hộ gia đình (thu sau), POST: price the household for the chosen months today and
    keep the quote (status "quoted"), then go to its payment page. An error goes back to the household
    page with the message; a GET (e.g. after signing in again) goes to the household page."""
    if request.method != "POST":
        return redirect("household_detail", pk=pk)
    household = household_get(user=request.user, pk=pk)
    months = request.POST.get("months", "")
    if months not in {str(m) for m, _ in HI_MONTHS}:
        messages.error(request, "Chỉ được chọn 3, 6 hoặc 12 tháng.")
        return redirect("household_detail", pk=household.pk)
    referred_by, error = _posted_referrer(request, referrers_for(household)[0])
    if error:
        messages.error(request, error)
        return redirect("household_detail", pk=household.pk)
    try:
        participation = hi_enroll(user=request.user, household=household, months=int(months), on=timezone.localdate(),
                                  referred_by=referred_by)
    except (PricingError, AlreadyCovered, NoEligibleMembers) as exc:
        messages.error(request, exc.message)
        return redirect("household_detail", pk=household.pk)
    return _quote_saved(request, KIND_HI, participation)


@login_required
@domain_errors
def vsi_quote_save(request, pk: int):
    """Lưu báo giá BHXH tự nguyện (thu sau), POST, for a member of the household: the calculator's choices
    priced today, kept with status "quoted"; then its payment page. An error goes back to the household
    page with the message naming the field; a GET goes to the household page."""
    if request.method != "POST":
        return redirect("household_detail", pk=pk)
    household = household_get(user=request.user, pk=pk)
    people = household_people(household=household)
    form = VsiParamsForm(request.POST, people=people)
    if not form.is_valid():
        messages.error(request, " ".join(
            f"{form.fields[name].label}: {error}" if name in form.fields else error
            for name, errors in form.errors.items() for error in errors))
        return redirect("household_detail", pk=household.pk)
    data = form.cleaned_data
    person = next(p for p in people if p.pk == data["person"])
    referred_by, error = _posted_referrer(request, referrers_for(household, person)[0])
    if error:
        messages.error(request, error)
        return redirect("household_detail", pk=household.pk)
    try:
        participation = vsi_enroll(user=request.user, person=person, income=data["income"], months=data["months"],
                                   payment_mode=data["payment_mode"], on=timezone.localdate(), referred_by=referred_by)
    except (PricingError, AlreadyCovered, NotEligible) as exc:
        messages.error(request, exc.message)
        return redirect("household_detail", pk=household.pk)
    return _quote_saved(request, KIND_VSI, participation)
