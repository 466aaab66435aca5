"""Pages and downloads of the official lists, the collection book, the reconciliation, the renewal lists
and the PDF documents. Each view parses its filters, calls one selector or export, and renders.
Permission and scope are checked in the selectors; ``domain_errors`` turns them into 403/404 pages."""

from __future__ import annotations

import datetime
import tempfile
from collections import Counter

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from ansinh.campaigns.context import parse_date, working_context_of
from ansinh.accounts.models import Role
from ansinh.accounts.services import record_communes_in_scope, require_permission, role_of
from ansinh.accounts.views import domain_errors
from ansinh.core.forms import AdminDateField, QuickSelect, date_input
from ansinh.core.text import ascii_int
from ansinh.core.replica import replica_view
from ansinh.areas.models import AdministrativeUnit
from ansinh.collection.models import Agent
from ansinh.collection.selectors import (
    SCHEME_HI, SCHEME_VSI, agents_in_scope, collection_book, collection_book_entries, collection_reconciliation,
)
from ansinh.collection.services_cancellation import payments_mark_sent
from ansinh.collection.selectors_handover import cash_reconciliation
from ansinh.core.masking import mask_citizen_id, mask_phone
from ansinh.campaigns.reminders import lapse_days
from ansinh.enrollment.renewals import LIST_HI_EXPIRING, LIST_HI_LAPSED, LIST_TITLES, LIST_VSI_LAPSED, renewal_list
from ansinh.registry.models import AssociationUnit

from .exports.lists import d03_export, d05_export
from .exports.work_lists import book_export, reconciliation_export, renewals_export
from .pdf import household_form4_pdf, receipt_pdf
from .selectors import ListFilter, list_payments, list_receipts_total

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_INPUTS = ["%Y-%m-%d", "%d/%m/%Y"]
LIST_KINDS = {"d05-ts": ("D05-TS", "Danh sách người tham gia BHXH tự nguyện", d05_export, SCHEME_VSI),
              "d03-ts": ("D03-TS", "Danh sách người chỉ tham gia BHYT (hộ gia đình)", d03_export, SCHEME_HI)}


# ---------------------------------------------------------------------------------------------
# Filter forms
# ---------------------------------------------------------------------------------------------

def _area_choices(user) -> list[tuple[str, str]]:
    """Areas of the user's scope on both maps: the new-map communes first (the map in force), then the
    old districts with their communes (records made before 1 July 2025 keep them)."""
    communes = record_communes_in_scope(user).select_related("parent").order_by("map", "parent__code", "code")
    choices = [("", "Toàn địa bàn")]
    seen = set()
    for commune in communes:
        district = commune.parent
        if district is not None and district.pk not in seen and district.level == "district":
            seen.add(district.pk)
            choices.append((str(district.pk), f"{district.name} (trước 01/07/2025)"))
        choices.append((str(commune.pk), f"— {commune.name}"))
    return choices


def _agent_choices(user) -> list[tuple[str, str]]:
    return [("", "Tất cả nhân viên thu")] + [
        (a.code, f"{a.code} — {a.full_name}") for a in agents_in_scope(user=user).order_by("code")
    ]


class _Filters(forms.Form):
    """Base of the filter forms: period, area and agent, choices limited to the user's scope."""

    date_from = AdminDateField(label="Từ ngày", input_formats=DATE_INPUTS,
                                widget=date_input())
    date_to = AdminDateField(label="Đến ngày", input_formats=DATE_INPUTS,
                              widget=date_input())
    area = forms.ChoiceField(label="Địa bàn", required=False, widget=QuickSelect)
    agent = forms.ChoiceField(label="Nhân viên thu", required=False, widget=QuickSelect)

    def __init__(self, data, *, user, with_area=True, with_agent=True):
        super().__init__(data)
        self.user = user
        is_agent = role_of(user).role == Role.COLLECTION_AGENT
        if with_area:
            self.fields["area"].choices = _area_choices(user)
        else:
            del self.fields["area"]
        if with_agent and not is_agent:
            self.fields["agent"].choices = _agent_choices(user)
        else:
            del self.fields["agent"]

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError("Ngày bắt đầu phải trước ngày kết thúc.")
        data["area_unit"] = AdministrativeUnit.objects.filter(pk=data["area"]).first() if data.get("area") else None
        data["agent_obj"] = Agent.objects.filter(code=data["agent"]).first() if data.get("agent") else None
        return data


def _month_start(today: datetime.date) -> datetime.date:
    return today.replace(day=1)


def _form(request, form_class, *, default_from, **kwargs):
    today = working_context_of(request, in_campaign=False).on  # the working date (ansinh.campaigns.context)
    data = request.GET.copy()
    data.setdefault("date_from", default_from(today).isoformat())
    data.setdefault("date_to", today.isoformat())
    form = form_class(data, user=request.user, **kwargs)
    return form, form.is_valid()


def _xlsx_response(write, filename: str) -> FileResponse:
    """Write a workbook into a temporary file and send it as a download."""
    handle = tempfile.TemporaryFile()
    write(handle)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX)


def _filters(data) -> ListFilter:
    return ListFilter(date_from=data["date_from"], date_to=data["date_to"], area=data.get("area_unit"),
                      agent=data.get("agent_obj"))


# ---------------------------------------------------------------------------------------------
# Official lists D05-TS / D03-TS
# ---------------------------------------------------------------------------------------------

@login_required
@domain_errors
@require_GET
@replica_view
def lists_home(request):
    """Danh sách D05-TS / D03-TS: choose the period, area and agent; see rows and receipts; download."""
    require_permission(request.user, "collection.view_payment")
    form, valid = _form(request, _Filters, default_from=_month_start)
    summaries = []
    if valid:
        filters = _filters(form.cleaned_data)
        for slug, (code, name, _export, scheme) in LIST_KINDS.items():
            receipts = list_receipts_total(user=request.user, scheme=scheme, filters=filters)
            summaries.append({"slug": slug, "code": code, "name": name, **receipts})
    return render(request, "reports/lists.html", {
        "form": form, "summaries": summaries, "query": request.GET.urlencode(),
        "can_mark_sent": request.user.has_perm("collection.change_paymentcancellation"),
        "total": sum(s["amount"] for s in summaries),
    })


@login_required
@domain_errors
@require_GET
@replica_view
def list_xlsx(request, kind: str):
    """Download D05-TS or D03-TS as Excel for the filters of the page."""
    if kind not in LIST_KINDS:
        raise Http404("Không có danh sách này.")
    code, _name, export, _scheme = LIST_KINDS[kind]
    require_permission(request.user, "collection.view_payment")
    form, valid = _form(request, _Filters, default_from=_month_start)
    if not valid:
        return HttpResponse("Bộ lọc không hợp lệ: " + "; ".join(" ".join(e) for e in form.errors.values()),
                            status=400, content_type="text/plain; charset=utf-8")
    data = form.cleaned_data
    filename = f"{code}_{data['date_from']:%Y%m%d}-{data['date_to']:%Y%m%d}.xlsx"
    return _xlsx_response(lambda out: export(user=request.user, filters=_filters(data), out=out), filename)


@login_required
@domain_errors
@require_POST
def list_mark_sent(request, kind: str):
    """Đánh dấu đã gửi cơ quan BHXH (POST, the page's filters in the address): an SI officer marks the
    payments of the D05-TS or D03-TS list as sent (``collection.services_cancellation.payments_mark_sent``);
    from then their cancellation is refused — a correction goes through the agency."""
    if kind not in LIST_KINDS:
        raise Http404("Không có danh sách này.")
    code, _name, _export, scheme = LIST_KINDS[kind]
    require_permission(request.user, "collection.change_paymentcancellation")
    form, valid = _form(request, _Filters, default_from=_month_start)
    if valid:
        payments = list(list_payments(user=request.user, scheme=scheme, filters=_filters(form.cleaned_data)))
        marked = payments_mark_sent(user=request.user, payments=payments)
        messages.success(request, f"Đã đánh dấu {marked} khoản thu của danh sách {code} là đã gửi cơ quan BHXH.")
    else:
        messages.error(request, "Bộ lọc không hợp lệ: " + "; ".join(" ".join(e) for e in form.errors.values()))
    return redirect(f"{reverse('lists')}?{request.GET.urlencode()}")


# ---------------------------------------------------------------------------------------------
# Collection book and reconciliation
# ---------------------------------------------------------------------------------------------

def _book_data(request):
    form, valid = _form(request, _Filters, default_from=lambda today: today, with_area=False)
    return form, valid, (form.cleaned_data if valid else None)


@login_required
@domain_errors
@require_GET
def book_page(request):
    """Sổ thu: per agent per day, VSI and HI taken, receipts issued and cancelled, money to hand over.
    An agent sees their own book (with every line); an officer the agents of their area."""
    require_permission(request.user, "collection.view_payment")
    form, valid, data = _book_data(request)
    book = entries = None
    if valid:
        agent = data.get("agent_obj")
        book = collection_book(user=request.user, date_from=data["date_from"], date_to=data["date_to"], agent=agent)
        if agent is not None or role_of(request.user).role == Role.COLLECTION_AGENT:
            entries = collection_book_entries(user=request.user, date_from=data["date_from"],
                                              date_to=data["date_to"], agent=agent)
    return render(request, "reports/book.html", {"form": form, "book": book, "entries": entries,
                                                 "query": request.GET.urlencode()})


@login_required
@domain_errors
@require_GET
def book_xlsx(request):
    """Download the collection book (``?detail=1``: every line) as Excel."""
    require_permission(request.user, "collection.view_payment")
    form, valid, data = _book_data(request)
    if not valid:
        return HttpResponse("Bộ lọc không hợp lệ.", status=400, content_type="text/plain; charset=utf-8")
    detail = request.GET.get("detail") == "1"
    filename = f"so-thu{'-chi-tiet' if detail else ''}_{data['date_from']:%Y%m%d}-{data['date_to']:%Y%m%d}.xlsx"
    return _xlsx_response(lambda out: book_export(
        user=request.user, date_from=data["date_from"], date_to=data["date_to"], agent=data.get("agent_obj"),
        detail=detail, out=out), filename)


@login_required
@domain_errors
@require_GET
def reconciliation_page(request):
    """Đối chiếu: per agent over a period, payments vs receipts vs priced participations vs lists; then
    per agent and day the cash collected − cancelled − handed over, differences and overdue cash flagged."""
    require_permission(request.user, "collection.view_payment")
    form, valid = _form(request, _Filters, default_from=_month_start, with_area=False)
    data = cash = None
    if valid:
        d = form.cleaned_data
        data = collection_reconciliation(user=request.user, date_from=d["date_from"], date_to=d["date_to"],
                                         agent=d.get("agent_obj"))
        cash = cash_reconciliation(user=request.user, date_from=d["date_from"], date_to=d["date_to"],
                                   on=timezone.localdate(), agent=d.get("agent_obj"))
    return render(request, "reports/reconciliation.html", {"form": form, "data": data, "cash": cash,
                                                           "query": request.GET.urlencode()})


@login_required
@domain_errors
@require_GET
def reconciliation_xlsx(request):
    """Download the reconciliation as Excel."""
    require_permission(request.user, "collection.view_payment")
    form, valid = _form(request, _Filters, default_from=_month_start, with_area=False)
    if not valid:
        return HttpResponse("Bộ lọc không hợp lệ.", status=400, content_type="text/plain; charset=utf-8")
    d = form.cleaned_data
    filename = f"doi-soat_{d['date_from']:%Y%m%d}-{d['date_to']:%Y%m%d}.xlsx"
    return _xlsx_response(lambda out: reconciliation_export(
        user=request.user, date_from=d["date_from"], date_to=d["date_to"], agent=d.get("agent_obj"), out=out),
        filename)


# ---------------------------------------------------------------------------------------------
# Renewals and lapses
# ---------------------------------------------------------------------------------------------

class RenewalForm(forms.Form):
    """Which list, as of which date, how many days, and the area / association unit / agent filters."""

    which = forms.ChoiceField(label="Danh sách", choices=list(LIST_TITLES.items()))
    on = AdminDateField(label="Tính đến ngày", input_formats=DATE_INPUTS,
                         widget=date_input())
    days = forms.IntegerField(label="Số ngày", min_value=0, max_value=3660,
                              help_text="Sắp hết hạn: số ngày tới. Đã quá hạn: số ngày trở lại (0 = tất cả).")
    area = forms.ChoiceField(label="Địa bàn", required=False, widget=QuickSelect)
    unit = forms.ChoiceField(label="Chi hội / tổ TK&VV", required=False, widget=QuickSelect)
    agent = forms.ChoiceField(label="Nhân viên thu", required=False, widget=QuickSelect)

    def __init__(self, data, *, user):
        super().__init__(data)
        user_role = role_of(user)
        self.fields["area"].choices = _area_choices(user)
        units = AssociationUnit.objects.filter(commune__in=record_communes_in_scope(user)).order_by("kind", "code")
        if user_role.role == Role.GROUP_LEADER:
            units = AssociationUnit.objects.filter(pk=user_role.association_unit_id)
        self.fields["unit"].choices = [("", "Tất cả")] + [(str(pk), f"{code} — {name}")
                                                          for pk, code, name in units.values_list("pk", "code", "name")]
        if user_role.role in (Role.SI_OFFICER,):
            self.fields["agent"].choices = _agent_choices(user)
        else:
            del self.fields["agent"]

    def clean(self):
        data = super().clean()
        data["area_unit"] = AdministrativeUnit.objects.filter(pk=data["area"]).first() if data.get("area") else None
        data["unit_obj"] = AssociationUnit.objects.filter(pk=data["unit"]).first() if data.get("unit") else None
        data["agent_obj"] = Agent.objects.filter(code=data["agent"]).first() if data.get("agent") else None
        return data


def _renewal_form(request):
    data = request.GET.copy()
    data.setdefault("which", LIST_HI_EXPIRING)
    on = working_context_of(request, in_campaign=False).on  # the working date, a valid ?on= as it is
    if not data.get("on") or parse_date(data["on"]) is not None:
        data["on"] = on.isoformat()
    if data.get("which") in (LIST_HI_LAPSED, LIST_VSI_LAPSED):
        data.setdefault("days", str(lapse_days()))  # lapses look back over the setting, not 30 days
    data.setdefault("days", "30")
    form = RenewalForm(data, user=request.user)
    return form, form.is_valid()


OFFICER_ROLES = (Role.SI_OFFICER, Role.ASSOCIATION_OFFICER, Role.PROVINCE_ADMIN)


def renewal_row_shown(row: dict, *, user_role) -> dict:
    """A renewal row as the page shows it: citizen ID masked; the phone (the person's, else the household
    head's) whole with a call link (``call``) for officers and the agent the household is assigned to,
    masked for others; ``urgency`` its group label (within 7 days, within 30 days, lapsed)."""
    phone = row["phone"] or row.get("head_phone", "")
    agent_code = user_role.agent.code if user_role.role == Role.COLLECTION_AGENT and user_role.agent else None
    call = bool(phone) and (user_role.role in OFFICER_ROLES or (agent_code and row["agent_code"] == agent_code))
    return {**row, "citizen_id": mask_citizen_id(row["citizen_id"]), "phone": phone if call else mask_phone(phone),
            "call": call, "urgency": renewal_urgency(row["days_left"])}


def renewal_urgency(days_left: int) -> str:
    """The group label of a renewal row: within 7 days, within 30 days, after 30 days, lapsed."""
    return ("Đã hết hạn" if days_left < 0 else "Hết hạn trong 7 ngày" if days_left <= 7
            else "Hết hạn trong 30 ngày" if days_left <= 30 else "Hết hạn sau 30 ngày")


RENEWALS_PER_PAGE = 100
"""Rows per page of the renewals page (a province's list runs to thousands: 1 MB of HTML unpaged)."""


def _renewal_groups(rows: list[dict], shown: list[dict]) -> list[dict]:
    """The urgency groups of the page's rows, in order, each with its count over the whole list:
    ``[{"label", "count", "rows"}]``."""
    counts = Counter(renewal_urgency(r["days_left"]) for r in rows)
    groups: list[dict] = []
    for row in shown:
        if not groups or groups[-1]["label"] != row["urgency"]:
            groups.append({"label": row["urgency"], "count": counts[row["urgency"]], "rows": []})
        groups[-1]["rows"].append(row)
    return groups


@login_required
@domain_errors
@require_GET
def renewals_page(request):
    """Tái tục: HI cards and VSI periods ending soon, and lapses, with filters and an Excel download."""
    require_permission(request.user, "registry.view_person")
    form, valid = _renewal_form(request)
    rows = page = groups = None
    if valid:
        d = form.cleaned_data
        rows = renewal_list(user=request.user, which=d["which"], on=d["on"], days=d["days"], area=d["area_unit"],
                            unit=d["unit_obj"], agent=d.get("agent_obj"))
        page = Paginator(rows, RENEWALS_PER_PAGE).get_page(request.GET.get("page"))
        user_role = role_of(request.user)
        groups = _renewal_groups(rows, [renewal_row_shown(r, user_role=user_role) for r in page.object_list])
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "reports/renewals.html", {
        "form": form, "rows": rows, "groups": groups, "query": query.urlencode(), "page_query": query.urlencode(),
        "page": page if page is not None and page.paginator.num_pages > 1 else None,
        "title": LIST_TITLES.get(form.cleaned_data.get("which")) if valid else "Tái tục",
    }, status=200 if valid else 400)


@login_required
@domain_errors
@require_GET
def renewals_xlsx(request):
    """Download the chosen renewal list as Excel."""
    require_permission(request.user, "registry.view_person")
    form, valid = _renewal_form(request)
    if not valid:
        return HttpResponse("Bộ lọc không hợp lệ.", status=400, content_type="text/plain; charset=utf-8")
    d = form.cleaned_data
    filename = f"tai-tuc_{d['which']}_{d['on']:%Y%m%d}.xlsx"
    return _xlsx_response(lambda out: renewals_export(
        user=request.user, which=d["which"], on=d["on"], days=d["days"], area=d["area_unit"], unit=d["unit_obj"],
        agent=d.get("agent_obj"), out=out), filename)


# ---------------------------------------------------------------------------------------------
# PDF documents
# ---------------------------------------------------------------------------------------------

def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@login_required
@domain_errors
@require_GET
def receipt_pdf_view(request, pk: int):
    """The receipt as PDF (the agent who issued it, or an officer of the area); ``?ban=goc`` when linked from
    the page shown right after the payment (its first issue), else it says "Bản in lại"."""
    return _pdf(receipt_pdf(user=request.user, pk=pk, first_issue=request.GET.get("ban") == "goc"),
                f"bien-lai-{pk}.pdf")


@login_required
@domain_errors
@require_GET
def household_form4_pdf_view(request, pk: int):
    """The household member list (Form 4 of Decree 188/2025) as PDF; ``?ky=<participation id>`` picks
    a payment period (default: the latest)."""
    participation = request.GET.get("ky")
    participation_id = ascii_int(participation)
    return _pdf(household_form4_pdf(user=request.user, pk=pk, participation_id=participation_id),
                f"mau-04-ho-{pk}.pdf")
