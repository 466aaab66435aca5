"""Parameter pages: the list grouped by namespace, one parameter's history, and adding a dated value
(named permission ``parameters.add_parametervalue``; append-only, no edit or delete)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from ansinh.accounts.views import domain_errors
from ansinh.rules import parameter_units

from .errors import UNKNOWN_PARAMETER, ParameterValueRefused, UnknownParameter
from .forms import ParameterValueForm
from .selectors import ADD_PERMISSION, parameter_for_addition, parameter_history, parameter_namespaces
from .services import parameter_value_add


def _can_add(user) -> bool:
    return user.is_authenticated and user.has_perm(ADD_PERMISSION)


@require_GET
def parameter_list(request):
    """Tham số pháp lý: every parameter by namespace with the value in force today and its confidence."""
    return render(request, "parameters/list.html", {
        "namespaces": parameter_namespaces(on=timezone.localdate()), "today": timezone.localdate(),
        "can_add": _can_add(request.user),
    })


@require_GET
def parameter_detail(request, name: str):
    """One parameter: every dated value with its reference, confidence, origin (file or added at
    runtime, with who and when)."""
    try:
        history = parameter_history(name=name, on=timezone.localdate())
    except UnknownParameter as exc:
        raise Http404(exc.message) from exc
    return render(request, "parameters/detail.html", {**history, "can_add": _can_add(request.user)})


@login_required
@domain_errors
def parameter_value_add_view(request, name: str):
    """Thêm giá trị mới (GET: the form; POST: add it, then back to the parameter's page). A family
    name with ``?key=<code>`` goes to that member (e.g. local support of one province)."""
    key = request.GET.get("key", "").strip().lower()
    if request.method == "GET" and key:
        if not parameter_units.CODE_RE.fullmatch(key) or len(key) > 20:
            raise Http404(UNKNOWN_PARAMETER.format(name=f"{name}.{key}"))
        return redirect("parameter_value_add", name=f"{name}.{key}")
    try:
        parameter = parameter_for_addition(user=request.user, name=name)
    except UnknownParameter as exc:
        raise Http404(exc.message) from exc
    status = 200
    if request.method == "POST":
        form = ParameterValueForm(request.POST, unit=parameter.unit)
        if form.is_valid():
            try:
                record = parameter_value_add(user=request.user, name=parameter.name, **form.cleaned_data)
            except ParameterValueRefused as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, f"Đã thêm giá trị mới của «{parameter.label}», áp dụng từ ngày "
                                          f"{record.start:%d/%m/%Y}.")
                return redirect("parameter_detail", name=parameter.name)
        status = 400
    else:
        form = ParameterValueForm(unit=parameter.unit)
    return render(request, "parameters/add.html", {
        "parameter": parameter, "form": form, "last": parameter.values[-1] if parameter.values else None,
    }, status=status)
