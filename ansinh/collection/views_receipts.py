"""The receipts page (Biên lai): list and search the receipts within the user's scope.

Personal data never goes into a URL: the search form is sent by POST (the page number too, as a button of
the same form); a GET link may carry only the receipt number, household code, agent code, dates and page,
which are not personal data (the collection book links here that way)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from ansinh.core.forms import TextHygieneMixin, date_input
from ansinh.accounts.models import Role
from ansinh.accounts.services import require_permission, role_of
from ansinh.accounts.views import domain_errors
from ansinh.core.text import ascii_int

from .models import Agent
from .selectors import agents_in_scope
from .selectors_receipts import ReceiptQuery, receipts_search

DATE_INPUTS = ["%Y-%m-%d", "%d/%m/%Y"]
URL_SAFE_FIELDS = ("number", "household_code", "agent", "date_from", "date_to", "page")  # never "payer"


class ReceiptSearchForm(TextHygieneMixin, forms.Form):
    number = forms.CharField(label="Số biên lai", required=False, max_length=60)
    household_code = forms.CharField(label="Mã hộ", required=False, max_length=30)
    payer = forms.CharField(label="Người nộp", required=False, max_length=100,
                            help_text="Một phần họ tên, có hoặc không dấu.")
    agent = forms.ChoiceField(label="Nhân viên thu", required=False)
    date_from = forms.DateField(label="Từ ngày", required=False, input_formats=DATE_INPUTS,
                                error_messages={"invalid": "Từ ngày: ngày không hợp lệ (dd/mm/yyyy)."},
                                widget=date_input())
    date_to = forms.DateField(label="Đến ngày", required=False, input_formats=DATE_INPUTS,
                              error_messages={"invalid": "Đến ngày: ngày không hợp lệ (dd/mm/yyyy)."},
                              widget=date_input())

    def __init__(self, data, *, user):
        super().__init__(data)
        if role_of(user).role == Role.COLLECTION_AGENT:
            del self.fields["agent"]
        else:
            self.fields["agent"].choices = [("", "Tất cả nhân viên thu")] + [
                (a.code, f"{a.code} — {a.full_name}") for a in agents_in_scope(user=user).order_by("code")]

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "Đến ngày phải từ ngày bắt đầu trở đi.")
        return data

    def query(self) -> ReceiptQuery:
        d = self.cleaned_data
        agent = Agent.objects.filter(code=d["agent"]).first() if d.get("agent") else None
        return ReceiptQuery(number=d.get("number") or "", household_code=d.get("household_code") or "",
                            payer=d.get("payer") or "", agent=agent, date_from=d.get("date_from"),
                            date_to=d.get("date_to"))


def _page_number(value) -> int:
    return ascii_int(value) or 1  # "²", "①", "0" or garbage: the first page


@login_required
@domain_errors
@require_http_methods(["GET", "POST"])
def receipt_list(request):
    """Biên lai: the receipts of the user's scope, newest first, searched by number, payer, household code,
    agent and dates (POST: the payer's name stays out of the URL)."""
    require_permission(request.user, "collection.view_payment")
    if request.method == "POST":
        data = request.POST
    else:
        data = {k: request.GET[k] for k in URL_SAFE_FIELDS if k in request.GET}
    form = ReceiptSearchForm(data, user=request.user)
    page = None
    if form.is_valid():
        page = receipts_search(user=request.user, query=form.query(), page=_page_number(data.get("page")))
    return render(request, "collection/receipts.html", {"form": form, "page": page},
                  status=200 if page is not None else 400)
