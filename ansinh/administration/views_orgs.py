"""Pages of collection organisations, agents (catchments, household assignments) and BHXH cơ sở offices.
Each parses a form, calls one service or selector and renders; a refused change is shown on its field."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse

from ansinh.accounts.views import domain_errors
from ansinh.areas.errors_structure import StructureError
from ansinh.areas.selectors_offices import commune_offices, office_get, office_list as office_list_select, province_communes
from ansinh.areas.services_offices import si_office_close, si_office_create, si_office_update
from ansinh.collection import selectors_structure as sel
from ansinh.collection import services_structure as svc
from ansinh.collection.errors import ALREADY_ASSIGNED
from ansinh.collection.models import CollectionOrg
from ansinh.core.errors import OutOfScope
from ansinh.core.formatting import format_date, format_number

from .forms_orgs import (AgentForm, AssignAreaForm, AssignCodesForm, CatchmentForm, CloseForm, OfficeForm,
                         OrgCloseForm, OrgForm)

T = "administration/orgs/"


def _refused(form, exc: StructureError) -> None:
    """Put a service's refusal on the field it names (or above the form)."""
    field = getattr(exc, "field", None)
    form.add_error(field if field in form.fields else None, exc.message)


def _url(target) -> str:
    """A URL name, an organisation or an agent -> its page."""
    if isinstance(target, str):
        return reverse(target)
    name = "admin_org_detail" if isinstance(target, CollectionOrg) else "admin_agent_detail"
    return reverse(name, args=[target.pk])


def _crumbs(crumbs: list) -> list[tuple[str, str]]:
    return [(_url(target), label) for target, label in crumbs]


def _form_page(request, *, form, title: str, submit: str, back_url, crumbs: list, status: int = 200,
               note: str = ""):
    return render(request, T + "form.html", {"form": form, "title": title, "submit": submit,
                                             "back_url": _url(back_url), "crumbs": _crumbs(crumbs), "note": note},
                  status=status)


# --- Organisations --------------------------------------------------------------------------------------

ORGS = ("admin_org_list", "Tổ chức dịch vụ thu")


@login_required
@domain_errors
def org_list(request):
    """Tổ chức dịch vụ thu of the province: open and closed, with their agents' counts."""
    orgs = sel.org_list(user=request.user)
    return render(request, T + "org_list.html", {"orgs": orgs, "province": sel.structure_province(user=request.user)})


@login_required
@domain_errors
def org_create(request):
    """Thêm tổ chức dịch vụ thu (GET: the form; POST: create it, then its page)."""
    sel.structure_province(user=request.user, permission="collection.add_collectionorg")
    form = OrgForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            org = svc.collection_org_create(user=request.user, **form.cleaned_data)
        except StructureError as exc:
            _refused(form, exc)
        else:
            messages.success(request, f"Đã tạo tổ chức «{org.name}».")
            return redirect("admin_org_detail", pk=org.pk)
    return _form_page(request, form=form, title="Thêm tổ chức dịch vụ thu", submit="Tạo tổ chức",
                      back_url="admin_org_list", crumbs=[ORGS], status=400 if form.errors else 200)


@login_required
@domain_errors
def org_detail(request, pk: int):
    """One organisation: its facts and its agents with their catchments and households."""
    org = sel.org_get(user=request.user, pk=pk)
    return render(request, T + "org_detail.html", {"org": org, "agents": sel.org_agents(org=org)})


@login_required
@domain_errors
def org_edit(request, pk: int):
    """Sửa tổ chức: name, kind, start date, successor (the code stays)."""
    org = sel.org_get(user=request.user, pk=pk)
    initial = {"name": org.name, "kind": org.kind, "valid_from": org.valid_from, "successor": org.successor_id,
               "cash_hold_days": org.cash_hold_days}
    form = OrgForm(request.POST or None, initial=initial, editing=True,
                   successors=sel.successor_choices(user=request.user, org=org))
    if request.method == "POST" and form.is_valid():
        try:
            svc.collection_org_update(user=request.user, org=org, **form.cleaned_data)
        except StructureError as exc:
            _refused(form, exc)
        else:
            messages.success(request, f"Đã lưu tổ chức «{form.cleaned_data['name']}».")
            return redirect("admin_org_detail", pk=org.pk)
    return _form_page(request, form=form, title=f"Sửa tổ chức {org.code}", submit="Lưu", back_url=org,
                      crumbs=[ORGS, (org, org.name)], status=400 if form.errors else 200)


@login_required
@domain_errors
def org_close(request, pk: int):
    """Đóng tổ chức: refused while it has agents still working; its history and receipts stay."""
    org = sel.org_get(user=request.user, pk=pk)
    form = OrgCloseForm(request.POST or None, successors=sel.successor_choices(user=request.user, org=org),
                        initial={"successor": org.successor_id})
    if request.method == "POST" and form.is_valid():
        try:
            svc.collection_org_close(user=request.user, org=org, **form.cleaned_data)
        except StructureError as exc:
            _refused(form, exc)
        else:
            messages.success(request, f"Đã đóng tổ chức «{org.name}» từ ngày "
                                      f"{format_date(form.cleaned_data['closed_on'])}.")
            return redirect("admin_org_detail", pk=org.pk)
    return _form_page(request, form=form, title=f"Đóng tổ chức {org.name}", submit="Đóng tổ chức", back_url=org,
                      crumbs=[ORGS, (org, org.name)], status=400 if form.errors else 200,
                      note="Tổ chức đã đóng không bị xoá: biên lai, khoản thu và lịch sử vẫn giữ nguyên. "
                           "Hãy cho các nhân viên thu nghỉ trước.")


# --- Agents ----------------------------------------------------------------------------------------------

def _agent_crumbs(agent):
    return [ORGS, (agent.org, agent.org.name), (agent, f"{agent.code} — {agent.full_name}")]


@login_required
@domain_errors
def agent_create(request, pk: int):
    """Thêm nhân viên thu to an open organisation, then set their catchment."""
    org = sel.org_get(user=request.user, pk=pk)
    sel.structure_province(user=request.user, permission="collection.add_agent")
    form = AgentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            agent = svc.agent_create(user=request.user, org=org, **form.cleaned_data)
        except StructureError as exc:
            _refused(form, exc)
        else:
            messages.success(request, f"Đã thêm nhân viên thu {agent.code}. Hãy chọn địa bàn của nhân viên.")
            return redirect("admin_agent_catchment", pk=agent.pk)
    return _form_page(request, form=form, title=f"Thêm nhân viên thu — {org.name}", submit="Thêm nhân viên",
                      back_url=org, crumbs=[ORGS, (org, org.name)], status=400 if form.errors else 200)


@login_required
@domain_errors
def agent_detail(request, pk: int):
    """One agent: facts, catchment, number of households assigned."""
    agent = sel.agent_get(user=request.user, pk=pk)
    return render(request, T + "agent_detail.html", {"agent": agent, "catchment": sel.catchment_of(agent=agent),
                                                     "crumbs": _crumbs(_agent_crumbs(agent)[:-1])})


@login_required
@domain_errors
def agent_edit(request, pk: int):
    """Sửa nhân viên thu: name and phone (the code names their receipt series)."""
    agent = sel.agent_get(user=request.user, pk=pk)
    form = AgentForm(request.POST or None, initial={"full_name": agent.full_name, "phone": agent.phone},
                     editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            svc.agent_update(user=request.user, agent=agent, **form.cleaned_data)
        except StructureError as exc:
            _refused(form, exc)
        else:
            messages.success(request, f"Đã lưu nhân viên thu {agent.code}.")
            return redirect("admin_agent_detail", pk=agent.pk)
    return _form_page(request, form=form, title=f"Sửa nhân viên thu {agent.code}", submit="Lưu", back_url=agent,
                      crumbs=_agent_crumbs(agent), status=400 if form.errors else 200)


@login_required
@domain_errors
def agent_close(request, pk: int):
    """Cho nhân viên thu nghỉ: refused while households are assigned to them."""
    agent = sel.agent_get(user=request.user, pk=pk)
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            svc.agent_close(user=request.user, agent=agent, **form.cleaned_data)
        except StructureError as exc:
            _refused(form, exc)
        else:
            messages.success(request, f"Nhân viên thu {agent.code} nghỉ từ ngày "
                                      f"{format_date(form.cleaned_data['closed_on'])}.")
            return redirect("admin_agent_detail", pk=agent.pk)
    return _form_page(request, form=form, title=f"Cho nhân viên thu {agent.code} nghỉ", submit="Xác nhận nghỉ",
                      back_url=agent, crumbs=_agent_crumbs(agent), status=400 if form.errors else 200,
                      note="Các khoản thu và biên lai của nhân viên vẫn giữ nguyên. Hãy giao các hộ của nhân "
                           "viên này cho người khác trước.")


@login_required
@domain_errors
def agent_catchment(request, pk: int):
    """Địa bàn: the communes (new map) and, beside each, the hamlets the agent serves."""
    agent = sel.agent_get(user=request.user, pk=pk)
    communes = province_communes(province=sel.structure_province(user=request.user))
    initial = {"communes": [row["commune"].pk for row in sel.catchment_of(agent=agent)]}
    initial.update({f"hamlets_{row['commune'].pk}": "; ".join(row["hamlets"]) for row in sel.catchment_of(agent=agent)})
    form = CatchmentForm(request.POST or None, initial=initial, communes=communes)
    if request.method == "POST" and form.is_valid():
        try:
            rows = svc.agent_catchment_set(user=request.user, agent=agent, communes=form.cleaned_data["chosen"],
                                           hamlets=form.cleaned_data["hamlet_map"])
        except StructureError as exc:
            _refused(form, exc)
        else:
            messages.success(request, f"Đã lưu địa bàn của nhân viên thu {agent.code} ({len(rows)} dòng).")
            return redirect("admin_agent_detail", pk=agent.pk)
    return render(request, T + "catchment.html", {"agent": agent, "form": form, "crumbs": _crumbs(_agent_crumbs(agent))},
                  status=400 if form.errors else 200)


@login_required
@domain_errors
def agent_assign(request, pk: int):
    """Giao hộ: every household of a hamlet or commune of the catchment, or households by code, from a
    date that takes effect."""
    agent = sel.agent_get(user=request.user, pk=pk)
    sel.structure_province(user=request.user, permission="collection.add_householdassignment")
    communes = sel.catchment_communes(agent=agent)
    mode = request.POST.get("mode") if request.method == "POST" else None
    area_form = AssignAreaForm(request.POST if mode == "area" else None, communes=communes, prefix="area")
    codes_form = AssignCodesForm(request.POST if mode == "codes" else None, prefix="codes")
    form = area_form if mode == "area" else codes_form if mode == "codes" else None
    if form is not None and form.is_valid():
        try:
            if mode == "area":
                result = svc.households_assign_by_area(user=request.user, agent=agent, **form.cleaned_data)
            else:
                result = svc.households_assign_by_code(user=request.user, agent=agent, **form.cleaned_data)
        except StructureError as exc:
            _refused(form, exc)
        except OutOfScope as exc:
            form.add_error("codes" if mode == "codes" else "commune", exc.message)
        else:
            text = (f"Đã giao {format_number(result.assigned)} hộ cho nhân viên thu {agent.code} từ ngày "
                    f"{format_date(form.cleaned_data['starts_on'])}")
            if result.already:
                text += f"; {format_number(result.already)} hộ {ALREADY_ASSIGNED}"
            messages.success(request, text + ".")
            return redirect("admin_agent_detail", pk=agent.pk)
    hamlets = sorted({h for row in sel.catchment_of(agent=agent) for h in row["hamlets"]}
                     | {h for c in communes for h in sel.hamlets_of(commune=c)})
    return render(request, T + "assign.html", {
        "agent": agent, "area_form": area_form, "codes_form": codes_form, "hamlets": hamlets,
        "catchment": sel.catchment_of(agent=agent), "crumbs": _crumbs(_agent_crumbs(agent)),
    }, status=400 if form is not None and form.errors else 200)


# --- BHXH cơ sở offices --------------------------------------------------------------------------------

OFFICES = ("admin_office_list", "BHXH cơ sở")


@login_required
@domain_errors
def office_list(request):
    """Văn phòng BHXH cơ sở of the province and the communes each covers."""
    offices = office_list_select(user=request.user)
    return render(request, T + "office_list.html", {"offices": offices})


@login_required
@domain_errors
def office_create(request):
    """Thêm văn phòng BHXH cơ sở with its communes."""
    province = sel.structure_province(user=request.user, permission="areas.add_sioffice")
    form = OfficeForm(request.POST or None, communes=province_communes(province=province),
                      taken=commune_offices(province=province))
    if request.method == "POST" and form.is_valid():
        try:
            office = si_office_create(user=request.user, **form.cleaned_data)
        except StructureError as exc:
            _refused(form, exc)
        else:
            messages.success(request, f"Đã tạo văn phòng «{office.name}».")
            return redirect("admin_office_list")
    return _form_page(request, form=form, title="Thêm văn phòng BHXH cơ sở", submit="Tạo văn phòng",
                      back_url="admin_office_list", crumbs=[OFFICES], status=400 if form.errors else 200)


@login_required
@domain_errors
def office_edit(request, pk: int):
    """Sửa văn phòng: name and communes (a commune belongs to at most one open office)."""
    office = office_get(user=request.user, pk=pk)
    form = OfficeForm(request.POST or None, communes=province_communes(province=office.province), editing=True,
                      taken=commune_offices(province=office.province, exclude=office),
                      initial={"name": office.name, "communes": list(office.communes.values_list("pk", flat=True))})
    if request.method == "POST" and form.is_valid():
        try:
            si_office_update(user=request.user, office=office, **form.cleaned_data)
        except StructureError as exc:
            _refused(form, exc)
        else:
            messages.success(request, f"Đã lưu văn phòng «{form.cleaned_data['name']}».")
            return redirect("admin_office_list")
    return _form_page(request, form=form, title=f"Sửa văn phòng {office.code}", submit="Lưu",
                      back_url="admin_office_list", crumbs=[OFFICES], status=400 if form.errors else 200)


@login_required
@domain_errors
def office_close(request, pk: int):
    """Đóng văn phòng: its communes become free for another office; its history stays."""
    office = office_get(user=request.user, pk=pk)
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            si_office_close(user=request.user, office=office, **form.cleaned_data)
        except StructureError as exc:
            _refused(form, exc)
        else:
            messages.success(request, f"Đã đóng văn phòng «{office.name}» từ ngày "
                                      f"{format_date(form.cleaned_data['closed_on'])}.")
            return redirect("admin_office_list")
    return _form_page(request, form=form, title=f"Đóng văn phòng {office.name}", submit="Đóng văn phòng",
                      back_url="admin_office_list", crumbs=[OFFICES], status=400 if form.errors else 200,
                      note="Văn phòng đã đóng không bị xoá; các xã/phường của văn phòng có thể giao cho văn phòng khác.")
