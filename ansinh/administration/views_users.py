"""User pages of the province administrator (list by role, create, edit role and scope, deactivate and
reactivate, set a new password) and the generic history page of a structure record."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ansinh.accounts.errors import UserInvalid
from ansinh.accounts.models import UserRole
from ansinh.accounts.selectors import scope_label, user_get, user_list
from ansinh.accounts.services_users import (
    admin_province, user_active_set, user_create, user_password_reset, user_update,
)
from ansinh.accounts.views import domain_errors

from .forms_users import PasswordResetForm, RoleFilterForm, RoleScopeForm, UserCreateForm
from .selectors import HISTORY_KINDS, record_history

TEMPLATES = "administration/users/"


def _field_error(form, exc: UserInvalid) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


@login_required
@domain_errors
def user_list_view(request):
    """Người dùng: the province's users with role, scope and state; filter by role."""
    filter_form = RoleFilterForm(request.GET or None)
    role = filter_form.cleaned_data["vai_tro"] if filter_form.is_valid() else None
    users = user_list(user=request.user, role=role or None)
    rows = [(u, getattr(u, "ansinh_role", None)) for u in users]
    return render(request, TEMPLATES + "list.html", {
        "rows": [(u, r, scope_label(r)) for u, r in rows], "filter_form": filter_form})


@login_required
@domain_errors
def user_create_view(request):
    """Tạo người dùng: name, phone, one role and its scope, initial password."""
    province = admin_province(request.user, "auth.add_user")
    form = UserCreateForm(request.POST or None, province=province)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                new = user_create(user=request.user, username=d["username"], full_name=d["full_name"],
                                  phone=d["phone"], role=d["role"], password=d["password"],
                                  password_again=d["password_again"], **form.scope())
            except UserInvalid as exc:
                _field_error(form, exc)
            else:
                messages.success(request, f"Đã tạo tài khoản «{new.username}».")
                return redirect("admin_user_list")
        status = 400
    return render(request, TEMPLATES + "form.html", {"form": form, "creating": True}, status=status)


def _target(request, pk: int) -> User:
    return user_get(user=request.user, pk=pk)


@login_required
@domain_errors
def user_edit_view(request, pk: int):
    """Sửa người dùng: name, phone, role and scope; buttons to deactivate/reactivate, reset the password
    and see the history."""
    province = admin_province(request.user)
    target = _target(request, pk)
    user_role = UserRole.objects.filter(user=target).first()
    initial = {"full_name": target.first_name, "phone": user_role.phone if user_role else "",
               "role": user_role.role if user_role else "",
               "area": user_role.area_id if user_role else None,
               "si_office": user_role.si_office_id if user_role else None,
               "association_unit": user_role.association_unit_id if user_role else None,
               "agent": user_role.agent_id if user_role else None}
    form = RoleScopeForm(request.POST or None, province=province, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                user_update(user=request.user, target=target, role=d["role"], full_name=d["full_name"],
                            phone=d["phone"], **form.scope())
            except UserInvalid as exc:
                _field_error(form, exc)
            else:
                messages.success(request, f"Đã lưu tài khoản «{target.username}».")
                return redirect("admin_user_list")
        status = 400
    return render(request, TEMPLATES + "form.html", {
        "form": form, "creating": False, "target": target, "is_self": target.pk == request.user.pk},
        status=status)


def _set_active(request, pk: int, active: bool):
    target = _target(request, pk)
    try:
        user_active_set(user=request.user, target=target, active=active)
    except UserInvalid as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Đã {'mở khóa' if active else 'khóa'} tài khoản «{target.username}».")
    return redirect("admin_user_edit", pk=target.pk)


@login_required
@domain_errors
@require_POST
def user_deactivate_view(request, pk: int):
    """Khóa tài khoản (POST): the user can no longer sign in."""
    return _set_active(request, pk, False)


@login_required
@domain_errors
@require_POST
def user_reactivate_view(request, pk: int):
    """Mở khóa tài khoản (POST)."""
    return _set_active(request, pk, True)


@login_required
@domain_errors
def user_password_view(request, pk: int):
    """Đặt lại mật khẩu: the administrator sets a new password (Django's validators)."""
    admin_province(request.user)
    target = _target(request, pk)
    form = PasswordResetForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                user_password_reset(user=request.user, target=target, password=form.cleaned_data["password"],
                                    password_again=form.cleaned_data["password_again"])
            except UserInvalid as exc:
                _field_error(form, exc)
            else:
                messages.success(request, f"Đã đặt mật khẩu mới cho «{target.username}».")
                return redirect("admin_user_edit", pk=target.pk)
        status = 400
    return render(request, TEMPLATES + "password.html", {"form": form, "target": target}, status=status)


@login_required
@domain_errors
def history_view(request, kind: str, pk: int):
    """Lịch sử: who changed a structure record (and its parts) and when, field by field."""
    if kind not in HISTORY_KINDS:
        raise Http404("Không tìm thấy hồ sơ.")
    history = record_history(user=request.user, kind=kind, pk=pk)
    return render(request, "administration/history.html", history)


