"""Household pages: the searchable list of households in the user's scope and one household's page."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from ansinh.accounts.views import domain_errors
from ansinh.collection.forms import HiPaymentForm, VsiParamsForm
from ansinh.collection.views import referrers_for
from ansinh.collection.selectors_receipts import household_payment_history
from ansinh.core.formatting import format_number
from ansinh.enrollment.errors import NoEligibleMembers, PricingError
from ansinh.enrollment.selectors import household_members_status, quotes_awaiting_payment
from ansinh.campaigns.reminders import reminder_groups, reminders_for, reminders_show_phone
from ansinh.enrollment.pricing import vsi_income_floor
from ansinh.enrollment.services import hi_household_quote

from .forms import HouseholdSearchForm
from .selectors import (SCHEME_HI, SCHEMES, household_address, household_get, household_hamlets, household_status,
                        households_search)

PAGE_SIZE = 20
REMINDERS_ON_HOME = 10


@login_required
@domain_errors
def household_list(request):
    """Households in the user's scope, searched by code or member name, 20 a page; an htmx request
    (typing in the search box, changing page) gets only the results fragment."""
    form = HouseholdSearchForm(request.GET, hamlets=household_hamlets(user=request.user))
    valid = form.is_valid()
    filters = {name: form.cleaned_data.get(name, "") for name in ("hamlet", "status", "scheme")} if valid else {}
    query = form.cleaned_data["q"] if valid else ""
    today = timezone.localdate()
    households = households_search(user=request.user, query=query, on=today, **filters)
    if not valid:  # a search that cannot be run finds nothing; the form says why
        households = households.none()
    page = Paginator(households, PAGE_SIZE).get_page(request.GET.get("page"))
    scheme = filters.get("scheme") or SCHEME_HI
    for household in page.object_list:
        household.status = household_status(household, scheme=scheme, on=today)
    context = {"form": form, "query": query, "page": page, "scheme_label": SCHEMES[scheme],
               "search_errors": [e for errors in form.errors.values() for e in errors]}
    partial = request.htmx and not request.htmx.history_restore_request
    if not partial and not query and valid and not any(filters.values()):
        # The agent's home page: whom to visit next (cards expiring, periods ending, lapsed).
        context["reminders"] = reminders_for(user=request.user, on=today)[:REMINDERS_ON_HOME]
        context["reminder_groups"] = reminder_groups(context["reminders"])
        context["call_phone"] = reminders_show_phone(user=request.user)
    response = render(request, "registry/_household_results.html" if partial else "registry/household_list.html",
                      context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def hi_quotes(*, user, household, on) -> tuple[dict, str]:
    """The household's HI quotes for 12, 6 and 3 months on ``on`` ({months: quote}), or an empty dict
    and the Vietnamese reason when the household cannot be priced."""
    try:
        return {months: hi_household_quote(user=user, household=household, months=months, on=on)
                for months in (12, 6, 3)}, ""
    except (NoEligibleMembers, PricingError) as exc:
        return {}, exc.message


@login_required
@domain_errors
def household_detail(request, pk: int):
    """One household: members with their VSI and HI status, the HI amount for 3/6/12 months with the
    payment form, and the VSI calculator."""
    household = household_get(user=request.user, pk=pk)
    today = timezone.localdate()
    members = household_members_status(household=household, on=today)
    quotes, quote_error = hi_quotes(user=request.user, household=household, on=today)
    referrers, default_referrer = referrers_for(household)
    hi_form = HiPaymentForm(referrers=referrers, initial={
        "months": 12, "amount": format_number(quotes[12]["payable"]) if quotes else "", "referred_by": default_referrer})
    vsi_form = VsiParamsForm(people=[row["person"] for row in members], initial={"income": format_number(vsi_income_floor(on=timezone.localdate()))})
    return render(request, "registry/household_detail.html", {
        "household": household, "members": members, "today": today, "quotes": quotes,
        "address": household_address(household=household),
        "quote_error": quote_error, "hi_form": hi_form, "vsi_form": vsi_form,
        "awaiting": quotes_awaiting_payment(household=household),
        "payments": (household_payment_history(user=request.user, household=household)
                     if request.user.has_perm("collection.view_payment") else None),
    })
