"""Pages for association units (branches, savings-and-loan groups) and their leaders: list with filters,
create, edit, close, merge, change the leader. Each page parses a form, calls one service of
``ansinh.registry`` and puts a refused change's Vietnamese message on the field it names."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone

from ansinh.accounts.views import domain_errors
from ansinh.registry.errors import UnitOutOfScope, UnitRefused
from ansinh.registry.models import Person
from ansinh.registry.selectors import (
    association_unit_get, association_units_for_user, leaders_on, person_for_leadership, unit_form_choices,
    unit_leaderships, unit_members,
)
from ansinh.registry.services import (
    association_unit_close, association_unit_create, association_unit_merge, association_unit_update, leader_change,
)

from .forms_units import LeaderChangeForm, UnitCloseForm, UnitCreateForm, UnitEditForm, UnitFilterForm, UnitMergeForm

PAGE_SIZE = 30


def _refused(form, exc) -> None:
    """Put a service's refusal on the form field it names (else on the form)."""
    field = getattr(exc, "field", None)
    if isinstance(exc, UnitOutOfScope) and field is None:
        raise exc  # the unit itself is outside the province: the 403 page
    form.add_error(field if field in form.fields else None, exc.message)


@login_required
@domain_errors
def unit_list(request):
    """Chi hội và tổ TK&VV of the province, filtered by commune, kind, status and a code or name search,
    30 a page, with today's leader and the number of members."""
    choices = unit_form_choices(user=request.user)
    form = UnitFilterForm(request.GET, communes=choices["communes"])
    filters = form.cleaned_data if form.is_valid() else {}
    units = association_units_for_user(user=request.user, commune_id=filters.get("commune"),
                                       kind=filters.get("kind") or "", query=filters.get("q") or "",
                                       status=filters.get("status") or "")
    page = Paginator(units, PAGE_SIZE).get_page(request.GET.get("page"))
    leaders = leaders_on(on=timezone.localdate(), unit_ids=[u.pk for u in page.object_list])
    people = Person.objects.in_bulk(list(leaders.values()))
    for unit in page.object_list:
        unit.leader_today = people.get(leaders.get(unit.pk))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "administration/units/list.html", {
        "form": form, "page": page, "query": query.urlencode(),
    })


@login_required
@domain_errors
def unit_create(request):
    """Thêm chi hội hoặc tổ TK&VV."""
    choices = unit_form_choices(user=request.user)
    form = UnitCreateForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            unit = association_unit_create(user=request.user, **form.cleaned_data)
        except (UnitRefused, UnitOutOfScope) as exc:
            _refused(form, exc)
        else:
            messages.success(request, f"Đã thêm «{unit.name}» ({unit.code}).")
            return redirect("admin_unit_detail", pk=unit.pk)
    return render(request, "administration/units/form.html", {"form": form, "title": "Thêm chi hội hoặc tổ TK&VV"},
                  status=400 if form.errors else 200)


@login_required
@domain_errors
def unit_detail(request, pk: int):
    """One unit: its details, who led it from when to when (dd/mm/yyyy), its members and what can be done."""
    unit = association_unit_get(user=request.user, pk=pk)
    return render(request, "administration/units/detail.html", {
        "unit": unit, "leaderships": unit_leaderships(unit=unit), "members": unit_members(unit=unit),
        "groups": unit.savings_groups.order_by("code"),
    })


@login_required
@domain_errors
def unit_edit(request, pk: int):
    """Sửa tên, xã phường, chi hội của một đơn vị đang hoạt động."""
    unit = association_unit_get(user=request.user, pk=pk)
    choices = unit_form_choices(user=request.user)
    initial = {"name": unit.name, "commune": unit.commune_id, "branch": unit.branch_id}
    form = UnitEditForm(request.POST or None, initial=initial, choices=choices, unit=unit)
    if request.method == "POST" and form.is_valid():
        try:
            association_unit_update(user=request.user, unit=unit, **form.cleaned_data)
        except (UnitRefused, UnitOutOfScope) as exc:
            _refused(form, exc)
        else:
            messages.success(request, f"Đã lưu «{form.cleaned_data['name']}».")
            return redirect("admin_unit_detail", pk=unit.pk)
    return render(request, "administration/units/form.html", {"form": form, "unit": unit,
                                                              "title": f"Sửa {unit.code} · {unit.name}"},
                  status=400 if form.errors else 200)


@login_required
@domain_errors
def unit_close(request, pk: int):
    """Đóng một đơn vị không còn hội viên (có hội viên: sáp nhập)."""
    unit = association_unit_get(user=request.user, pk=pk)
    form = UnitCloseForm(request.POST or None, initial={"closed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            association_unit_close(user=request.user, unit=unit, **form.cleaned_data)
        except (UnitRefused, UnitOutOfScope) as exc:
            _refused(form, exc)
        else:
            messages.success(request, f"Đã đóng «{unit.name}» từ ngày {form.cleaned_data['closed_on']:%d/%m/%Y}.")
            return redirect("admin_unit_detail", pk=unit.pk)
    return render(request, "administration/units/close.html", {"form": form, "unit": unit},
                  status=400 if form.errors else 200)


@login_required
@domain_errors
def unit_merge(request, pk: int):
    """Sáp nhập đơn vị vào một đơn vị cùng loại: hội viên chuyển sang, đơn vị này đóng."""
    unit = association_unit_get(user=request.user, pk=pk)
    targets = association_units_for_user(user=request.user, kind=unit.kind, status="open").exclude(pk=unit.pk)
    form = UnitMergeForm(request.POST or None, initial={"merged_on": timezone.localdate()}, targets=targets)
    if request.method == "POST" and form.is_valid():
        try:
            result = association_unit_merge(user=request.user, source=unit, target=form.cleaned_data["target"],
                                            merged_on=form.cleaned_data["merged_on"])
        except (UnitRefused, UnitOutOfScope) as exc:
            _refused(form, exc)
        else:
            messages.success(request, f"Đã sáp nhập «{unit.name}» vào «{result['target'].name}»: "
                                      f"{result['moved']} hội viên chuyển sang, {result['already']} đã là hội viên.")
            return redirect("admin_unit_detail", pk=result["target"].pk)
    return render(request, "administration/units/merge.html", {"form": form, "unit": unit},
                  status=400 if form.errors else 200)


@login_required
@domain_errors
def unit_leader(request, pk: int):
    """Đổi người đứng đầu từ một ngày: by citizen ID or picked among the members; shows the periods."""
    unit = association_unit_get(user=request.user, pk=pk)
    memberships = unit_members(unit=unit)
    form = LeaderChangeForm(request.POST or None, initial={"starts_on": timezone.localdate()},
                            memberships=memberships)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = data["member"] or person_for_leadership(user=request.user, citizen_id=data["citizen_id"])
            leader_change(user=request.user, unit=unit, person=person, starts_on=data["starts_on"])
        except (UnitRefused, UnitOutOfScope) as exc:
            _refused(form, exc)
        else:
            messages.success(request, f"{person.full_name} đứng đầu «{unit.name}» từ ngày "
                                      f"{data['starts_on']:%d/%m/%Y}.")
            return redirect("admin_unit_detail", pk=unit.pk)
    return render(request, "administration/units/leader.html", {
        "form": form, "unit": unit, "leaderships": unit_leaderships(unit=unit),
    }, status=400 if form.errors else 200)
